import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { encodePngRgba } from '../core/images/png-encode.ts';
import { dropFile, expect, test } from './fixtures.ts';

/** Writes RGBA pixels as a PNG in a new temporary folder. */
function writePng(name: string, w: number, h: number, paint: (x: number, y: number) => number[]): string {
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgba.set(paint(x, y), (y * w + x) * 4);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-logo-')), name);
  fs.writeFileSync(file, encodePngRgba(w, h, rgba, (d) => new Uint8Array(zlib.deflateSync(d))));
  return file;
}

/** A 600 × 240 navy logo on a fake transparency checkerboard (10 px #FFF / #CCC squares), as screenshots of "transparent" logos are. */
function checkerboardLogo(): string {
  const w = 600;
  const h = 240;
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const logo = x >= 100 && x < 500 && y >= 60 && y < 180;
      const v = ((Math.floor(x / 10) + Math.floor(y / 10)) & 1) === 0 ? 255 : 204;
      rgba.set(logo ? [11, 31, 68, 255] : [v, v, v, 255], (y * w + x) * 4);
    }
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-logo-')), 'acme-logo.png');
  fs.writeFileSync(file, encodePngRgba(w, h, rgba, (d) => new Uint8Array(zlib.deflateSync(d))));
  return file;
}

/** Alpha of the top-left pixel of the image shown in a preview (the canvas the preview drew). */
async function cornerAlpha(page: import('@playwright/test').Page, selector: string): Promise<number> {
  return page.locator(selector).evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    return g.getImageData(0, 0, 1, 1).data[3]!;
  });
}

test('logo preflight: a fake checkerboard is found, removed in one click, and the profile keeps the fixed logo', async ({ page, host }) => {
  const file = checkerboardLogo();
  const originalRef = `sha256:${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Lockup' })).toBeVisible();
  await page.getByLabel('Company name').fill('Acme Networks');

  await dropFile(page, '[data-testid=logo-drop-light]', file, { x: 40, y: 40 });
  const checks = page.getByTestId('logo-preflight-light');
  const finding = checks.locator('[data-code=logo-fake-transparency]');
  await expect(finding).toContainText('grey and white squares');
  await page.getByTestId('logo-drop-light').screenshot({ path: test.info().outputPath('logo-preflight-found.png') });
  await expect(checks.getByText(/\d+ ppi at the largest (print )?slot/)).toBeVisible();
  await expect(checks).toHaveAttribute('data-ref', originalRef);
  // The file as dropped: its corner is an opaque white square.
  expect(await cornerAlpha(page, '[data-testid=logo-drop-light] > .logo-preview img')).toBe(255);

  await finding.getByRole('button', { name: 'Remove checkerboard background' }).click();
  const compare = page.getByTestId('logo-compare-light');
  await expect(compare.getByText('Before')).toBeVisible();
  await expect(compare.getByText('After')).toBeVisible();
  await expect(checks.locator('[data-code=logo-fake-transparency]')).toHaveCount(0);
  await expect(checks).not.toHaveAttribute('data-ref', originalRef);
  // The clean preview: the corner is transparent now; the "before" still shows the squares.
  await expect.poll(() => cornerAlpha(page, '[data-testid=logo-drop-light] > .logo-preview img')).toBe(0);
  expect(await cornerAlpha(page, '[data-testid=logo-compare-light] > div:first-child img')).toBe(255);
  await page.getByTestId('logo-drop-light').screenshot({ path: test.info().outputPath('logo-preflight-fixed.png') });

  // Now transparent, the padding around it shows: trim it too.
  await checks.locator('[data-code=logo-padding]').getByRole('button', { name: 'Trim transparent padding' }).click();
  await expect(checks.locator('[data-code=logo-padding]')).toHaveCount(0);
  await expect(page.locator('[data-testid=logo-drop-light] > .logo-preview figcaption')).toContainText('400 × 120 px');
  const fixedRef = await checks.getAttribute('data-ref');

  await page.getByRole('button', { name: 'Continue to templates' }).click();
  await expect(page.getByRole('heading', { name: 'Templates' })).toBeVisible();
  const profile = await page.evaluate(async () => {
    const token = new URLSearchParams(location.hash.slice(1)).get('token')!;
    const res = await fetch('./api/profile:get', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Lockup-Token': token }, body: '{}' });
    return ((await res.json()) as { value: { logo: { light?: string } } }).value;
  });
  expect(fixedRef).toMatch(/^sha256:/);
  expect(fixedRef).not.toBe(originalRef);
  // (The catalogue reads a single logo back for both backgrounds.)
  expect(profile.logo.light).toBe(fixedRef);
});

test('logo preflight: a white logo dropped as the light-background logo is nearly invisible there, and one click moves it to the dark slot', async ({ page, host }) => {
  const file = writePng('white-logo.png', 800, 300, (x, y) => (x >= 20 && x < 780 && y >= 20 && y < 280 ? [255, 255, 255, 255] : [0, 0, 0, 0]));
  await page.goto(host.url);
  await page.getByLabel('Company name').fill('Whiteout Ltd');
  await dropFile(page, '[data-testid=logo-drop-light]', file, { x: 40, y: 40 });
  const checks = page.getByTestId('logo-preflight-light');
  await expect(checks.locator('[data-code=logo-nearly-invisible]').first()).toContainText('Nearly invisible on light backgrounds');
  await checks.locator('[data-code=logo-suits-other]').getByRole('button', { name: 'Use it as the dark-background logo' }).click();
  await expect(page.getByTestId('logo-drop-dark').locator('> .logo-preview figcaption')).toContainText('800 × 300 px');
  await expect(page.getByTestId('logo-drop-light').locator('> .logo-preview')).toHaveCount(0);
  // On the dark slot, with no light logo, it still goes on light zones: the warning stays, the swap offer does not.
  const dark = page.getByTestId('logo-preflight-dark');
  await expect(dark.locator('[data-code=logo-nearly-invisible]').first()).toBeVisible();
  await expect(dark.locator('[data-code=logo-suits-other]')).toHaveCount(0);
});
