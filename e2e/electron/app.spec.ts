/**
 * The desktop app end to end: the real Electron binary, the built shell (dist/electron), the built
 * renderer (dist/renderer), the backend utility process with the Electron-ABI SQLite binding, and a
 * fresh data folder per test.
 *
 * Needs the Electron binary. It is looked up on disk only (node_modules/electron/dist, or
 * ELECTRON_OVERRIDE_DIST_PATH), never downloaded; when it is missing, or the app is not built,
 * every test below is reported as skipped with the reason.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { OP_NAMES, type LockupApi } from '../../core/contracts/api.ts';
import type { LockupMenuBridge, MenuCommand } from '../../core/contracts/menu.ts';
import { findElectronBinary, platformExecutable, sqliteBindingStatus } from '../../electron/launcher.mjs';

// The same declaration as renderer/src/api/client.ts (the preload sets it in Electron).
declare global {
  interface Window {
    lockup?: LockupApi;
    lockupMenu?: LockupMenuBridge;
    __menuCommands?: MenuCommand[];
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = findElectronBinary(root);
const LOGO = path.join(root, 'examples', 'partners', 'logos', 'harbor-it-light.png');

function whyNotRunnable(): string | undefined {
  if (!binary) {
    const where = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join('node_modules', 'electron', 'dist');
    return (
      `no Electron binary: ${path.join(where, platformExecutable())} does not exist (the electron package downloads it on first use, ` +
      `and these tests never download). Run "npm start" once on a machine that can reach github.com.`
    );
  }
  const needed = ['dist/electron/main.mjs', 'dist/electron/preload.cjs', 'dist/electron/backend/backend-host.mjs', 'dist/renderer/index.html'];
  const missing = needed.filter((f) => !fs.existsSync(path.join(root, f)));
  if (missing.length > 0) return `the app is not built (${missing.join(', ')} missing): run "npm start" once, or "npm run build"`;
  if (!process.env.LOCKUP_SQLITE_BINDING && !sqliteBindingStatus(root, binary.version).ok) {
    return `better-sqlite3 is not built for Electron ${binary.version}: run "node scripts/electron-rebuild-sqlite.mjs" (or "npm start" once)`;
  }
  return undefined;
}

const skipReason = whyNotRunnable();
// The list reporter shows skipped tests by name but not the reason: say it once.
if (skipReason) process.stderr.write(`Electron end-to-end tests skipped: ${skipReason}\n`);

async function launch(): Promise<{ app: ElectronApplication; page: Page; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-electron-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  env['LOCKUP_DATA_DIR'] = dataDir;
  const app = await electron.launch({ executablePath: binary!.path, args: [root], cwd: root, env, timeout: 60_000 });
  const page = await app.firstWindow();
  await page.waitForURL(/^app:\/\/lockup\//);
  await page.waitForLoadState('domcontentloaded');
  return { app, page, dataDir };
}

async function close(app: ElectronApplication, dataDir: string): Promise<void> {
  await app.close().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** A partner profile with a logo, and an open document for the US Letter one-pager, through the API. */
async function prepareDocument(page: Page): Promise<unknown> {
  const data = fs.readFileSync(LOGO).toString('base64');
  return page.evaluate(async (logo) => {
    const taken = await window.lockup!['logo:intake']({ name: 'harbor-it-light.png', data: logo });
    await window.lockup!['profile:save']({ company: 'E2E Partner', logo: taken.ref, tier: 'silver', type: 'reseller', region: 'na' });
    const opened = await window.lockup!['template:open']({ id: 'product-one-pager-letter' });
    return opened.document;
  }, data);
}

test.describe('Lockup desktop app (Electron)', () => {
  test.skip(skipReason !== undefined, `Skipped: ${skipReason}`);

  test('launch shows the app window, sandboxed, with only the typed API exposed', async () => {
    const { app, page, dataDir } = await launch();
    try {
      expect(page.url()).toBe('app://lockup/index.html');
      await expect(page).toHaveTitle('Lockup');
      await expect(page.locator('#root')).not.toBeEmpty();

      // Shown on ready-to-show, which may come a moment after the page loads.
      await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().every((w) => w.isVisible()))).toBe(true);
      const windows = await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((w) => {
          // An undocumented but long-standing WebContents method; the exact options are also unit-tested (window-options.test.ts).
          const contents = w.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> | null };
          const prefs = contents.getLastWebPreferences?.() ?? { sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true };
          return { visible: w.isVisible(), sandbox: prefs.sandbox, contextIsolation: prefs.contextIsolation, nodeIntegration: prefs.nodeIntegration, webSecurity: prefs.webSecurity };
        }),
      );
      expect(windows).toEqual([{ visible: true, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true }]);

      const globals = await page.evaluate(() => ({
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        ops: Object.keys(window.lockup ?? {}).sort(),
        menu: Object.keys(window.lockupMenu ?? {}),
      }));
      expect(globals.require).toBe('undefined');
      expect(globals.process).toBe('undefined');
      expect(globals.ops).toEqual([...OP_NAMES].sort());
      expect(globals.menu).toEqual(['onCommand']);

      const info = await page.evaluate(() => window.lockup!['app:info']({}));
      expect(info.transport).toBe('electron');
      expect(fs.realpathSync(info.dataDir)).toBe(fs.realpathSync(dataDir));
      expect(info.brands.map((b) => b.id)).toContain('nimbus');
    } finally {
      await close(app, dataDir);
    }
  });

  test('File > Export PDF... reaches the renderer, and export:pdf saves where the save dialog says', async () => {
    const { app, page, dataDir } = await launch();
    try {
      const out = path.join(dataDir, 'exports', 'menu-export.pdf');
      // The native dialog is replaced in the main process: dialogs.ts calls dialog.showSaveDialog at call time.
      await app.evaluate(({ dialog }, file) => {
        dialog.showSaveDialog = (async () => ({ canceled: false, filePath: file })) as unknown as typeof dialog.showSaveDialog;
      }, out);
      await page.evaluate(() => {
        window.__menuCommands = [];
        window.lockupMenu!.onCommand((c) => window.__menuCommands!.push(c));
      });
      const document = await prepareDocument(page);

      const clicked = await app.evaluate(({ Menu }) => {
        const item = Menu.getApplicationMenu()?.getMenuItemById('export-pdf');
        item?.click();
        return item ? { label: item.label, accelerator: item.accelerator } : null;
      });
      expect(clicked).toEqual({ label: 'Export PDF…', accelerator: 'CmdOrCtrl+E' });
      await expect.poll(() => page.evaluate(() => window.__menuCommands)).toContainEqual({ name: 'export-pdf' });

      // What the renderer's export action does on that command: export:pdf with no path (the save dialog decides).
      const result = await page.evaluate((doc) => window.lockup!['export:pdf']({ document: doc as never, path: null }), document);
      expect(result.path).toBe(out);
      expect(fs.readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      await expect.poll(() => app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('reveal-last-export')?.enabled)).toBe(true);

      // A cancelled dialog writes nothing and answers `cancelled`.
      await app.evaluate(({ dialog }) => {
        dialog.showSaveDialog = (async () => ({ canceled: true, filePath: '' })) as unknown as typeof dialog.showSaveDialog;
      });
      const cancelled = await page.evaluate(async (doc) => {
        try {
          await window.lockup!['export:pdf']({ document: doc as never, path: null });
          return 'exported';
        } catch (err) {
          return (err as { code?: string }).code;
        }
      }, document);
      expect(cancelled).toBe('cancelled');
    } finally {
      await close(app, dataDir);
    }
  });

  test('a logo file dropped on the window is taken in, and the window stays on the app', async () => {
    const { app, page, dataDir } = await launch();
    try {
      const bytes = fs.readFileSync(LOGO);
      const ref = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      await page.getByTestId('logo-drop-light').waitFor();
      await page.evaluate(async (b64) => {
        const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([data], 'harbor-it-light.png', { type: 'image/png' }));
        // A fresh data folder opens on the profile screen, whose logo drop zone calls logo:intake.
        const target = document.querySelector('[data-testid="logo-drop-light"]') ?? document.body;
        for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }, bytes.toString('base64'));
      // The renderer reads the File and calls logo:intake; the asset is then in the catalogue.
      await expect
        .poll(() => page.evaluate((r) => window.lockup!['logo:describe']({ ref: r }).then((l) => l.format, () => 'not yet'), ref), { timeout: 20_000 })
        .toBe('png');
      expect(page.url()).toBe('app://lockup/index.html');
    } finally {
      await close(app, dataDir);
    }
  });

  test('navigation away, window.open and network requests are refused', async () => {
    const { app, page, dataDir } = await launch();
    try {
      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe('app://lockup/index.html');

      expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
      expect(app.windows()).toHaveLength(1);

      const fetched = await page.evaluate(() => fetch('https://example.com/').then(() => 'reached', () => 'refused'));
      expect(fetched).toBe('refused');
    } finally {
      await close(app, dataDir);
    }
  });
});
