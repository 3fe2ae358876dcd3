import path from 'node:path';
import type { Page } from '@playwright/test';
import { api, artworkPdf, designerSettled, dragOnPage } from './designer-helpers.ts';
import { expect, ROOT, test, type Host } from './fixtures.ts';

/** Screenshots go to docs/screenshots when asked for (LOCKUP_SCREENSHOTS=1), else next to the test's output. */
function shot(name: string, outputPath: (name: string) => string): string {
  return process.env['LOCKUP_SCREENSHOTS'] ? path.join(ROOT, 'docs', 'screenshots', name) : outputPath(name);
}

/**
 * The vendor's template designer in Chromium against the real backend: a
 * template from a PDF, a partner logo slot and a text field with a limit,
 * a preview as a low-tier partner with the long-name sample, publishing,
 * and version 1 in the list. Relies on the vendor workspace's "Templates"
 * tab (renderer/src/vendor/VendorWorkspace.tsx), reached by setting the
 * app's role to vendor through the API.
 */

async function openTemplatesAsVendor(page: Page, host: Host): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Lockup' })).toBeVisible();
  await api(page, 'app:set-role', { role: 'vendor' });
  await page.reload();
  await page.getByRole('tab', { name: 'Templates' }).click();
  await expect(page.getByRole('heading', { name: /^Templates of Nimbus Systems/ })).toBeVisible();
}

test('a vendor makes a template from a PDF, adds a logo slot and a limited text field, previews as a low tier, and publishes version 1', async ({ page, host }, testInfo) => {
  await openTemplatesAsVendor(page, host);

  // New from PDF…: the page becomes the locked artwork.
  await page.getByRole('button', { name: 'New from PDF…' }).click();
  await page.getByLabel('PDF file').setInputFiles({ name: 'spring-launch.pdf', mimeType: 'application/pdf', buffer: await artworkPdf() });
  await expect(page.getByLabel('Template name')).toHaveValue('spring launch');
  await page.getByLabel('Template name').fill('Spring launch flyer');
  await page.getByRole('button', { name: 'Create template' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Spring launch flyer' })).toBeVisible();
  await designerSettled(page);
  const start = await page.evaluate(() => window.lockupDesigner!.template()!);
  expect(start.page).toEqual({ size: { width: 612, height: 792 }, bleed: 9 });
  expect(start.pages[0]!.zones.map((z) => [z.id, z.kind, z.owner, z.lock])).toEqual([['artwork', 'image', 'vendor', 'locked']]);
  // The artwork is pinned: the canvas does not pick it up, so drawing on it is free.
  expect((await page.evaluate(() => window.lockupDesigner!.zones()))[0]).toMatchObject({ id: 'artwork', selectable: false });

  // A partner logo slot, drawn on the page.
  await page.getByRole('button', { name: 'Add partner logo' }).click();
  await dragOnPage(page, { x: 400, y: 650 }, { x: 570, y: 740 });
  await designerSettled(page);
  const logo = (await page.evaluate(() => window.lockupDesigner!.template()!)).pages[0]!.zones.find((z) => z.kind === 'partner-logo')!;
  expect(logo).toMatchObject({ owner: 'partner', lock: 'editable' });
  expect(logo.rect.w).toBeGreaterThan(150);
  expect(await page.evaluate(() => window.lockupDesigner!.selected())).toBe(logo.id);
  await page.getByLabel('Min width').fill('30');

  // A partner text zone: it shows the company name; the field gets a 40-character limit.
  await page.getByRole('button', { name: 'Add partner text' }).click();
  await dragOnPage(page, { x: 48, y: 690 }, { x: 360, y: 716 });
  await expect(page.getByLabel('Shows field')).toHaveValue('company');
  await page.getByLabel('Max characters').fill('40');
  await page.getByLabel('Background behind it').selectOption({ label: 'Mist' });
  await designerSettled(page);
  const t = await page.evaluate(() => window.lockupDesigner!.template()!);
  const text = t.pages[0]!.zones.find((z) => z.kind === 'partner-text')!;
  expect(text).toMatchObject({ owner: 'partner', lock: 'editable', content: '{company}' });
  expect(t.fields).toEqual([expect.objectContaining({ key: 'company', maxChars: 40, required: true })]);
  await expect(page.getByRole('tab', { name: 'Checks' })).toBeVisible();
  // The page is drawn by the engine with the typical sample partner: artwork, logo and name.
  expect((await page.evaluate(() => window.lockupDesigner!.drawn())).sort()).toEqual(['artwork', logo.id, text.id].sort());
  await expect(page.locator('.designer .notice')).toHaveCount(0);
  await page.screenshot({ path: shot('designer.png', (n) => testInfo.outputPath(n)) });

  // Preview as a Registered partner with the long-name sample: the real engine's page and findings.
  await page.getByRole('radio', { name: 'Preview as partner' }).click();
  await page.getByLabel('Partner tier').selectOption({ label: 'Registered' });
  await page.getByLabel('Sample data').selectOption({ label: 'Long names' });
  await designerSettled(page);
  expect((await page.evaluate(() => window.lockupDesigner!.drawn())).sort()).toEqual(['artwork', logo.id, text.id].sort());
  await expect(page.getByTestId('error-count')).not.toHaveText(/error/);
  await expect(page.locator('.designer .notice')).toHaveCount(0);
  await page.screenshot({ path: shot('designer-preview.png', (n) => testInfo.outputPath(n)) });
  const preview = await api<{ values: Record<string, string>; findings: { severity: string }[] }>(page, 'designer:preview', {
    source: { template: t },
    partner: { tier: 'registered' },
    sample: 'long-name',
  });
  expect([...preview.values['company']!].length).toBe(40);
  expect(preview.findings.filter((f) => f.severity === 'error')).toEqual([]);

  // Publish: the dialog names the version; the list then shows v1.
  await page.getByRole('radio', { name: 'Design' }).click();
  await page.getByTestId('publish-button').click();
  await expect(page.getByRole('heading', { name: 'Publish version 1 of “Spring launch flyer”' })).toBeVisible();
  await page.getByRole('button', { name: 'Publish version 1', exact: true }).click();
  await expect(page.getByTestId('designer-notice')).toHaveText('Published “Spring launch flyer” as version 1.');
  const row = page.locator('[data-template-id="spring-launch-flyer"]');
  await expect(row.getByTestId('version-spring-launch-flyer')).toHaveText('v1');
  await row.getByRole('button', { name: 'Versions of Spring launch flyer' }).click();
  await expect(row.getByRole('list', { name: 'Versions of Spring launch flyer' })).toContainText('v1');

  // Version 1 is in the catalogue, immutable, and partners now see the template.
  const versions = await api<{ version: number }[]>(page, 'designer:versions', { templateId: 'spring-launch-flyer' });
  expect(versions.map((v) => v.version)).toEqual([1]);
  const cards = await api<{ id: string; version: number }[]>(page, 'templates:list', {});
  expect(cards.find((c) => c.id === 'spring-launch-flyer')).toMatchObject({ version: 1 });
});

test('a broken or encrypted PDF gets a specific error and no draft', async ({ page, host }) => {
  await openTemplatesAsVendor(page, host);
  await page.getByRole('button', { name: 'New from PDF…' }).click();
  await page.getByLabel('PDF file').setInputFiles(path.join(ROOT, 'test-fixtures', 'images', 'encrypted.pdf'));
  await page.getByRole('button', { name: 'Create template' }).click();
  await expect(page.getByRole('alert')).toContainText('"encrypted.pdf" is an encrypted (password-protected) PDF');
  await page.getByLabel('PDF file').setInputFiles(path.join(ROOT, 'test-fixtures', 'images', 'broken.pdf'));
  await page.getByRole('button', { name: 'Create template' }).click();
  await expect(page.getByRole('alert')).toContainText('"broken.pdf" is not a readable PDF');
  await page.getByRole('button', { name: 'Cancel' }).click();
  const list = await api<{ drafts: unknown[] }>(page, 'designer:list', { brandId: 'nimbus' });
  expect(list.drafts).toEqual([]);
});

test('zones move with snapping, nudge with the keyboard, and undo', async ({ page, host }) => {
  await openTemplatesAsVendor(page, host);
  await page.getByRole('button', { name: 'New template' }).click();
  await page.getByLabel('Template name').fill('Snap check');
  await page.getByLabel('Page size').selectOption('a4');
  await page.getByRole('button', { name: 'Create template' }).click();
  await designerSettled(page);

  await page.getByRole('button', { name: 'Add colour block' }).click();
  await dragOnPage(page, { x: 100, y: 100 }, { x: 300, y: 200 });
  await designerSettled(page);
  const id = (await page.evaluate(() => window.lockupDesigner!.selected()))!;
  const rectOf = () => page.evaluate((zid) => window.lockupDesigner!.template()!.pages[0]!.zones.find((z) => z.id === zid)!.rect, id);
  const drawn = await rectOf();
  expect(drawn.w).toBeGreaterThan(190);
  // Drag it so its left edge lands about 3 pt from the page's left edge: it snaps onto the edge and keeps its size.
  await dragOnPage(page, { x: drawn.x + drawn.w / 2, y: drawn.y + drawn.h / 2 }, { x: drawn.w / 2 + 3, y: drawn.y + drawn.h / 2 + 100 });
  await designerSettled(page);
  expect((await rectOf()).x).toBe(0);
  expect((await rectOf()).w).toBe(drawn.w);

  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  const nudged = await rectOf();
  expect(nudged.x).toBe(1);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await rectOf()).x).toBe(0);
  await page.keyboard.press('Delete');
  await expect.poll(() => page.evaluate(() => window.lockupDesigner!.template()!.pages[0]!.zones.length)).toBe(0);
  await page.keyboard.press('Control+z');
  await expect.poll(() => page.evaluate(() => window.lockupDesigner!.template()!.pages[0]!.zones.length)).toBe(1);
});
