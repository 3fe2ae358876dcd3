import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Browser, type Locator, type Page } from '@playwright/test';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface Host {
  url: string;
  dataDir: string;
  exportDir: string;
}

/** libfaketime (Debian package `libfaketime`, installed by .ci/run): moves a process's wall clock by the offset written in a file. */
export const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

/**
 * Starts `node bin/web.js` with its own data folder and returns the URL it
 * prints. With `clockFile`, the host's wall clock runs at the offset written
 * in that file (e.g. "+31m"), read on every call: a partner moving the
 * computer's clock, as a cool-down test needs (timers are left alone).
 */
export async function startHost(opts: { demo?: boolean; clockFile?: string } = {}): Promise<{ host: Host; child: ChildProcess }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-'));
  const dataDir = path.join(dir, 'data');
  const exportDir = path.join(dir, 'exports');
  const args = [path.join(ROOT, 'bin', 'web.js'), '--data-dir', dataDir, '--export-dir', exportDir, ...(opts.demo === false ? ['--no-demo'] : [])];
  let env: NodeJS.ProcessEnv = process.env;
  if (opts.clockFile) {
    if (!fs.existsSync(FAKETIME_LIB)) throw new Error(`${FAKETIME_LIB} is missing: apt-get install libfaketime (see .ci/run)`);
    env = { ...process.env, LD_PRELOAD: FAKETIME_LIB, FAKETIME_TIMESTAMP_FILE: opts.clockFile, FAKETIME_NO_CACHE: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' };
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`web host exited (${code}): ${out}`)));
  });
  return { host: { url, dataDir, exportDir }, child };
}

/** Each test gets its own browser host and data folder. */
export const test = base.extend<{ host: Host }>({
  // Playwright reads the fixture's dependencies from this (empty) destructuring pattern.
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const { host, child } = await startHost();
    await use(host);
    child.kill('SIGTERM');
    fs.rmSync(path.dirname(host.dataDir), { recursive: true, force: true });
  },
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await use(page);
    expect(errors, 'no errors in the page console').toEqual([]);
  },
});

/** The same, but each test's host starts from an EMPTY catalogue (`--no-demo`): a vendor's first run, or a partner who will open a pack. */
export const emptyTest = test.extend<{ host: Host }>({
  // Playwright reads the fixture's dependencies from this (empty) destructuring pattern.
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const { host, child } = await startHost({ demo: false });
    await use(host);
    child.kill('SIGTERM');
    fs.rmSync(path.dirname(host.dataDir), { recursive: true, force: true });
  },
});

export { expect };

export const LOGOS = path.join(ROOT, 'examples', 'partners', 'logos');

/** Fills the first-run profile form and lands on the gallery. */
export async function createProfile(page: Page, host: Host, opts: { company?: string; tier?: string; logo?: string } = {}): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Lockup' })).toBeVisible();
  await page.getByLabel('Company name').fill(opts.company ?? 'Harbor IT');
  await page.getByLabel('Phone').fill('(206) 555-0142');
  await page.getByLabel('Email').fill('hello@harbor-it.example.com');
  await page.getByLabel('Website').fill('harbor-it.example.com');
  if (opts.tier) await page.getByLabel('Partner level').selectOption(opts.tier);
  if (opts.logo !== '') {
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('logo-drop-light').getByRole('button', { name: /Choose file/ }).click();
    await (await chooser).setFiles(opts.logo ?? path.join(LOGOS, 'harbor-it-light.png'));
    await expect(page.getByTestId('logo-drop-light').locator('figcaption')).toContainText('PNG');
  }
  await page.getByRole('button', { name: 'Continue to templates' }).click();
  await expect(page.getByRole('heading', { name: 'Templates' })).toBeVisible();
}

/** Waits until the editor has checked the latest document and drawn it. */
export async function editorSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => window.lockupEditor?.ready() === true);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Presses the mouse on a point of a zone (in points from its top-left; its centre by default) and drags it by (dx, dy) screen pixels. */
export async function dragZone(page: Page, zone: { left: number; top: number; width: number; height: number }, dx: number, dy: number, at?: { x: number; y: number }): Promise<void> {
  const zoom = await page.evaluate(() => window.lockupEditor!.zoom());
  const box = (await page.locator('.page-shadow canvas').first().boundingBox())!;
  const x = box.x + (zone.left + (at?.x ?? zone.width / 2)) * zoom;
  const y = box.y + (zone.top + (at?.y ?? zone.height / 2)) * zoom;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 6 });
  await page.mouse.up();
}

/** Drops a file onto an element (a real DataTransfer with a File). */
export async function dropFile(page: Page, selector: string, file: string, position: { x: number; y: number }): Promise<void> {
  const data = fs.readFileSync(file).toString('base64');
  const handle = await page.evaluateHandle(
    async ({ data, name }) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: 'image/png' }));
      return dt;
    },
    { data, name: path.basename(file) },
  );
  const box = (await page.locator(selector).boundingBox())!;
  const clientX = box.x + position.x;
  const clientY = box.y + position.y;
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: handle, clientX, clientY });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: handle, clientX, clientY });
}

/** A page of its own (another "machine"), failing the test on any console error, like the `page` fixture. */
export async function openPage(browser: Browser, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return page;
}

/** Clicks, saves the download it starts into `to` under its suggested name, and returns the file. */
export async function download(page: Page, click: () => Promise<void>, to: string): Promise<string> {
  const event = page.waitForEvent('download');
  await click();
  const d = await event;
  const file = path.join(to, d.suggestedFilename());
  await d.saveAs(file);
  return file;
}

export const DISTRIBUTOR = { name: 'Northwind Distribution', id: 'northwind-distribution' } as const;

/** First run: the welcome screen's distributor action, then the distributor's signing key. */
export async function setUpDistributor(page: Page, host: Host, who: { name: string; id: string } = DISTRIBUTOR): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Lockup' })).toBeVisible();
  await page.getByRole('button', { name: /I’m a distributor/ }).click();
  await expect(page.getByRole('button', { name: 'Distributor workspace' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByLabel('Distributor name', { exact: true }).fill(who.name);
  await expect(page.getByLabel('Distributor id', { exact: true })).toHaveValue(who.id);
  await page.getByRole('button', { name: 'Create signing key' }).click();
  await expect(page.getByTestId('dist-key')).toContainText(who.id);
}

/** The trimmed text of a table row's cells, header cell included. */
export const cellsOf = async (row: Locator): Promise<string[]> => (await row.locator('th, td').allTextContents()).map((t) => t.trim());
