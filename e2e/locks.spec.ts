import { createProfile, editorSettled, expect, test } from './fixtures.ts';

test('a locked zone resists drag, arrow keys, delete and the context menu', async ({ page, host }) => {
  await createProfile(page, host);
  await page.locator('[data-template="product-one-pager-letter"]').click();
  await editorSettled(page);
  const before = await page.evaluate(() => window.lockupEditor!.zones());
  const docBefore = await page.evaluate(() => JSON.stringify(window.lockupEditor!.document()));
  const headline = before.find((z) => z.kind === 'static-text' && z.width > 200)!;
  expect(headline.selectable).toBe(false);
  expect([headline.lockMovementX, headline.lockMovementY, headline.lockScalingX, headline.lockScalingY, headline.lockRotation]).toEqual([true, true, true, true, true]);
  expect(headline.hasControls).toBe(false);
  expect(headline.lockedBy).toBe('Nimbus Systems');

  const zoom = await page.evaluate(() => window.lockupEditor!.zoom());
  const box = (await page.locator('.page-shadow canvas').first().boundingBox())!;
  const x = box.x + (headline.left + headline.width / 2) * zoom;
  const y = box.y + (headline.top + headline.height / 2) * zoom;

  // Hover shows who locked it.
  await page.mouse.move(x, y);
  await expect(page.getByTestId('hover-info')).toContainText('locked by Nimbus Systems');

  // Drag.
  await page.mouse.down();
  await page.mouse.move(x + 120, y + 80, { steps: 8 });
  await page.mouse.up();
  // Keyboard.
  await page.mouse.click(x, y);
  for (const key of ['ArrowLeft', 'ArrowDown', 'Delete', 'Backspace']) await page.keyboard.press(key);
  // Context menu: prevented by the canvas, and nothing changes.
  const prevented = await page.evaluate(([cx, cy]) => {
    const el = document.elementFromPoint(cx!, cy!)!;
    const ev = new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: cx!, clientY: cy!, button: 2 });
    return !el.dispatchEvent(ev);
  }, [x, y]);
  expect(prevented).toBe(true);
  await editorSettled(page);

  const after = await page.evaluate(() => window.lockupEditor!.zones());
  expect(after).toEqual(before);
  expect(await page.evaluate(() => JSON.stringify(window.lockupEditor!.document()))).toBe(docBefore);
  await expect(page.locator('.page-shadow canvas').first()).toBeVisible();
});

test('a template above the partner tier cannot be opened', async ({ page, host }) => {
  await createProfile(page, host, { tier: 'silver' });
  const card = page.locator('[data-template="case-study-gold"]');
  await expect(card).toHaveAttribute('aria-disabled', 'true');
  await expect(card).toContainText('Gold partners only');
  await card.click({ force: true });
  await expect(page.getByRole('heading', { name: 'Templates' })).toBeVisible();
  // The backend refuses it too, whatever the UI does.
  const result = await page.evaluate(async () => {
    const token = sessionStorage.getItem('lockup-token')!;
    const res = await fetch('./api/template:open', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Lockup-Token': token }, body: JSON.stringify({ id: 'case-study-gold' }) });
    return res.json();
  });
  expect(result).toMatchObject({ ok: false, error: { code: 'template-not-entitled' } });
});
