import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createProfile, dropFile, editorSettled, expect, LOGOS, test } from './fixtures.ts';

test('the partner journey: profile → gallery → editor → logo → field → violation → fix → export', async ({ page, host }) => {
  await createProfile(page, host, { company: 'Harbor IT' });

  // Gallery: thumbnails come from real output; the Gold case study is locked with its reason.
  const locked = page.locator('[data-template="case-study-gold"]');
  await expect(locked).toHaveAttribute('aria-disabled', 'true');
  await expect(locked).toContainText('Gold partners only');
  await expect(page.locator('[data-template="product-one-pager-letter"] img')).toBeVisible({ timeout: 30_000 });

  await page.locator('[data-template="product-one-pager-letter"]').click();
  await expect(page.getByRole('heading', { name: 'NimbusVault product one-pager (US Letter)' })).toBeVisible();
  await editorSettled(page);
  await expect(page.getByTestId('error-count')).toHaveText('All good');

  // Drop another logo onto the partner logo slot.
  const zones = await page.evaluate(() => window.lockupEditor!.zones());
  const slot = zones.find((z) => z.kind === 'partner-logo')!;
  const zoom = await page.evaluate(() => window.lockupEditor!.zoom());
  const canvasBox = (await page.locator('.page-shadow canvas').first().boundingBox())!;
  const stageBox = (await page.getByTestId('stage').boundingBox())!;
  await dropFile(page, '[data-testid="stage"]', path.join(LOGOS, 'summit-msp.png'), {
    x: canvasBox.x - stageBox.x + (slot.left + slot.width / 2) * zoom,
    y: canvasBox.y - stageBox.y + (slot.top + slot.height / 2) * zoom,
  });
  await expect.poll(() => page.evaluate(() => Object.keys(window.lockupEditor!.document()!.logos).length)).toBe(1);
  await editorSettled(page);

  // A field too long for its limit is a violation that blocks export…
  const company = page.getByLabel('Company name');
  await company.fill('Harbor IT Solutions and Managed Services for the Whole Pacific Northwest Region Inc');
  await editorSettled(page);
  await expect(page.getByTestId('error-count')).toHaveText(/1 error/);
  await expect(page.locator('.finding.error')).toContainText(/characters/);
  await expect(page.getByRole('button', { name: 'Export PDF…' })).toBeDisabled();

  // …clicking the finding selects its zone and focuses the field; fixing it clears the error.
  await page.locator('.finding.error button').first().click();
  await expect(company).toBeFocused();
  await company.fill('Harbor IT');
  await editorSettled(page);
  await expect(page.getByTestId('error-count')).toHaveText('All good');

  // Export.
  await page.getByRole('button', { name: 'Export PDF…' }).click();
  await expect(page.getByLabel('File name')).toHaveValue(/harbor-it\.pdf$/);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-done')).toBeVisible();
  const file = (await page.getByTestId('export-path').textContent())!.trim();
  expect(file.startsWith(host.exportDir)).toBe(true);
  expect(fs.existsSync(file)).toBe(true);

  const qpdf = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  expect(qpdf.status).toBe(0);
  expect(qpdf.stderr).toBe('');
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  expect(text).toContain('Harbor IT');
});

test('drafts autosave and reopen where the partner left off', async ({ page, host }) => {
  await createProfile(page, host);
  await page.locator('[data-template="event-invitation"]').click();
  await editorSettled(page);
  await page.getByLabel('Venue').fill('The Harbor Room, Pier 66');
  await editorSettled(page);
  await expect(page.getByText(/Saved /)).toBeVisible();
  await page.getByRole('button', { name: 'Back to templates' }).click();
  await expect(page.locator('[data-template="event-invitation"]')).toContainText('Draft');
  await page.locator('[data-template="event-invitation"]').click();
  await expect(page.getByText('Draft restored.')).toBeVisible();
  await expect(page.getByLabel('Venue')).toHaveValue('The Harbor Room, Pier 66');
});

test('undo and redo a field edit', async ({ page, host }) => {
  await createProfile(page, host);
  await page.locator('[data-template="product-one-pager-a4"]').click();
  await editorSettled(page);
  const phone = page.getByLabel('Phone');
  await phone.fill('(206) 555-9999');
  await editorSettled(page);
  await page.locator('.stage').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(phone).toHaveValue('(206) 555-0142');
  await page.keyboard.press('Control+Shift+z');
  await expect(phone).toHaveValue('(206) 555-9999');
});
