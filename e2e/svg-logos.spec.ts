import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyTest, expect, ROOT, test } from './fixtures.ts';

/** A red logo that also tries to run a script and load a tracker: both are removed, the rest is drawn. */
const HOSTILE = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 300 100" onload="document.title='pwned'">
  <script>document.title = 'pwned'</script>
  <image xlink:href="https://evil.example/tracker.png" width="1" height="1"/>
  <rect width="300" height="100" fill="#e4002b"/>
</svg>`;

function logoFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-svg-')), name);
  fs.writeFileSync(file, text);
  return file;
}

test('an SVG partner logo: sanitised, labelled vector with what was removed, drawn from the sanitised copy', async ({ page, host }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Lockup' })).toBeVisible();
  await page.getByLabel('Company name').fill('Acme Networks');

  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('logo-drop-light').getByRole('button', { name: /Choose file/ }).click();
  await (await chooser).setFiles(logoFile('acme.svg', HOSTILE));

  const preview = page.getByTestId('logo-drop-light').locator('.logo-preview').first();
  await expect(preview.locator('figcaption')).toHaveText('Vector (SVG)');
  const notes = preview.getByRole('list', { name: 'What was changed in the SVG' });
  await expect(notes).toContainText('removed: onload attribute');
  await expect(notes).toContainText('removed: script element');
  await expect(notes).toContainText('removed: image element');

  // The preview is the sanitised SVG drawn by the browser: red in the middle, and nothing ran or was fetched.
  const centre = await preview.locator('img').evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    return [...g.getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data];
  });
  expect(centre).toEqual([228, 0, 43, 255]);
  expect(await page.title()).not.toBe('pwned');
  expect(requests.filter((u) => u.includes('evil.example'))).toEqual([]);
});

test('an SVG with entity declarations is refused at intake with the reason', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Lockup' })).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('logo-drop-light').getByRole('button', { name: /Choose file/ }).click();
  await (await chooser).setFiles(path.join(import.meta.dirname, '..', 'test-fixtures', 'images', 'entity.svg'));
  await expect(page.getByTestId('logo-drop-light')).toContainText('DOCTYPE declaration');
});

emptyTest('a vendor starts a brand with an SVG logo; SVG is an allowed partner format that can be switched off', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Lockup' })).toBeVisible();
  await page.getByRole('button', { name: /brand owner/ }).click();
  await page.getByLabel('Brand name').fill('Acme Storage');
  await page.getByLabel('Logo file').setInputFiles(path.join(ROOT, 'test-fixtures', 'images', 'logo-clean.svg'));
  await page.getByRole('button', { name: 'Create brand' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Storage', level: 1 })).toBeVisible();

  const preview = page.locator('.logo-card .logo-preview').first();
  await expect(preview.locator('figcaption')).toHaveText('Vector (SVG)');
  await expect(preview.getByRole('img', { name: 'logo-clean.svg on a light background' })).toBeVisible();
  await expect(preview.getByRole('list', { name: 'What was changed in the SVG' })).toHaveCount(0);

  const svg = page.getByRole('group', { name: 'Allowed logo formats' }).getByLabel(/SVG/);
  await expect(svg).toBeChecked();
  await expect(svg).toBeEnabled();
  await svg.uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('save-bar')).toContainText('All changes saved.');
  await page.reload();
  await expect(page.getByRole('group', { name: 'Allowed logo formats' }).getByLabel(/SVG/)).not.toBeChecked();
});
