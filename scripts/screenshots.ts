/**
 * `npm run screenshots`: the main screens in Debian's Chromium against the
 * real backend (browser host, fresh data folder), saved as PNGs in
 * docs/screenshots/ for the README.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'docs', 'screenshots');
fs.mkdirSync(out, { recursive: true });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-shots-'));
const child = spawn(process.execPath, [path.join(root, 'bin', 'web.js'), '--data-dir', path.join(dir, 'data'), '--export-dir', path.join(dir, 'exports')], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  let text = '';
  child.stdout!.on('data', (d) => {
    text += d;
    const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(text);
    if (m) resolve(m[1]!);
  });
  child.on('exit', () => reject(new Error(text)));
});

const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const settle = async (page: Page) => {
  await page.waitForFunction(() => window.lockupEditor?.ready() === true);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
};
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.getByLabel('Company name').fill('Summit Managed Services');
  await page.getByLabel('Phone').fill('(303) 555-0187');
  await page.getByLabel('Email').fill('protect@summit-msp.example.com');
  await page.getByLabel('Website').fill('summit-msp.example.com/nimbusvault');
  await page.getByLabel('Address').fill('1801 Wewatta Street, Floor 6, Denver, CO 80202');
  await page.getByLabel('Partner level').selectOption('silver');
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('logo-drop-light').getByRole('button').first().click();
  await (await chooser).setFiles(path.join(root, 'examples', 'partners', 'logos', 'summit-msp.png'));
  await page.getByTestId('logo-drop-light').locator('img').waitFor();
  await page.screenshot({ path: path.join(out, 'profile.png') });

  await page.getByRole('button', { name: 'Continue to templates' }).click();
  await page.locator('[data-template="product-one-pager-letter"] img').waitFor({ timeout: 60_000 });
  await page.locator('[data-template="social-post"] img').waitFor({ timeout: 60_000 });
  await page.screenshot({ path: path.join(out, 'gallery.png') });

  await page.locator('[data-template="product-one-pager-letter"]').click();
  await settle(page);
  await page.getByLabel('Company name').fill('Summit Managed Services — Cloud, Backup & Recovery Specialists for Colorado, Wyoming and Utah');
  await settle(page);
  await page.locator('.finding').first().waitFor();
  await page.screenshot({ path: path.join(out, 'editor-findings.png') });

  await page.getByLabel('Company name').fill('Summit Managed Services');
  await settle(page);
  await page.getByRole('button', { name: 'Export PDF…' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByTestId('export-done').waitFor();
  await page.screenshot({ path: path.join(out, 'export-done.png') });
  console.log(`Screenshots saved in ${out}`);
} finally {
  await browser.close();
  child.kill();
  fs.rmSync(dir, { recursive: true, force: true });
}
