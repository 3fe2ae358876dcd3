/**
 * The Electron main process: the composition root and nothing more. Every
 * decision lives in a module that takes Electron objects as parameters and is
 * unit-tested without Electron (see electron/README.md):
 *
 *   window-options.ts  BrowserWindow options, remembered bounds
 *   security.ts        navigation, window.open, webview, permission and request guards
 *   protocol.ts        app://lockup/ serving dist/renderer with the CSP
 *   ipc.ts             one handler per API operation, sender checks
 *   dialogs.ts         the open dialogs (logo, pack, credential) and the save dialogs (export, publish)
 *   menu.ts            the menu template
 *   backend-client.ts  the relay to the backend utility process (backend-host.ts)
 *
 * Bundled by scripts/electron-build.mjs to dist/electron/main.mjs (package.json "main").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, screen, session, shell, utilityProcess, type BaseWindow } from 'electron';
import { BackendClient } from './backend-client.ts';
import { EXPORT_FLOW, PUBLISH_FLOW, pickCredential, pickLogo, pickPack, rememberingChooser, withSaveDialog, type FileReader, type FilePick, type OpenDialogLike, type SaveDialogLike } from './dialogs.ts';
import { registerIpc } from './ipc.ts';
import { menuTemplate, type MenuHandlers } from './menu.ts';
import { MENU_CHANNEL, parseMenuCommand, type MenuCommand } from '../core/contracts/menu.ts';
import { appLayout, chooseDataDir, sqliteBindingPath } from './paths.ts';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './protocol.ts';
import { APP_ENTRY_URL, APP_SCHEME, guardSession, guardWebContents } from './security.ts';
import { BACKGROUND, readWindowState, windowOptions, writeWindowState } from './window-options.ts';

const log = (message: string) => process.stderr.write(`[lockup] ${message}\n`);

// ---- before the app is ready

const layout = appLayout(import.meta.url);
const dev = !app.isPackaged;

// The data folder is the per-user folder of an app named "Lockup" (docs/decisions/0003-data-folder.md),
// so the CLI and the app share one catalogue. Chromium keeps its own state there too.
app.setName('Lockup');
const dataDir = chooseDataDir(process.env, path.join(app.getPath('appData'), 'Lockup'));
app.setPath('userData', dataDir);
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const binding = sqliteBindingPath({ env: process.env, packaged: app.isPackaged, resourcesPath: process.resourcesPath, root: layout.root, electronVersion: process.versions.electron ?? '' });

function documentsFolder(): string {
  try {
    return app.getPath('documents');
  } catch {
    return path.join(os.homedir(), 'Documents');
  }
}

// ---- state

let win: BrowserWindow | undefined;
let lastExport: string | null = null;
let backendStopped = false;

const backend = new BackendClient({
  spawn: () => {
    const child = utilityProcess.fork(layout.backendEntry, [], {
      serviceName: 'Lockup backend',
      stdio: 'inherit',
      // Worker threads the backend starts inherit this (see electron/README.md).
      env: { ...process.env, LOCKUP_SQLITE_BINDING: binding },
    });
    return {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', listener),
      kill: () => child.kill(),
    };
  },
  init: { dataDir, nativeBinding: binding, version: app.getVersion(), exportDir: path.join(documentsFolder(), 'Lockup'), seedDemo: process.env['LOCKUP_NO_DEMO'] !== '1' },
  onReveal: (file) => shell.showItemInFolder(file),
  log,
});

function liveWindow(): BrowserWindow | undefined {
  return win && !win.isDestroyed() ? win : undefined;
}

function sendMenuCommand(command: MenuCommand): void {
  const valid = parseMenuCommand(command);
  const target = liveWindow();
  if (valid && target) target.webContents.send(MENU_CHANNEL, valid);
}

async function warn(message: string, detail: string): Promise<void> {
  const parent = liveWindow();
  const options = { type: 'warning' as const, message, detail, buttons: ['OK'] };
  await (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
}

// Dialogs are modal to the window when there is one (it may have been closed on macOS).
const openDialog: OpenDialogLike = {
  showOpenDialog: (options) => {
    const parent: BaseWindow | undefined = liveWindow();
    return parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options);
  },
};
const saveDialog: SaveDialogLike = {
  showSaveDialog: (options) => {
    const parent: BaseWindow | undefined = liveWindow();
    return parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options);
  },
};
const localFiles: FileReader = { size: (file) => fs.statSync(file).size, read: (file) => fs.readFileSync(file) };

/** Import Logo…, Open Pack…, Import Credential…: the file goes to the renderer, a refusal to a message box. */
async function sendPickedFile(pick: (dialog: OpenDialogLike, files: FileReader) => Promise<FilePick>): Promise<void> {
  const picked = await pick(openDialog, localFiles);
  if (picked.kind === 'command') sendMenuCommand(picked.command);
  else if (picked.kind === 'error') await warn(picked.title, picked.message);
}

const handlers: MenuHandlers = {
  openPack: () => void sendPickedFile(pickPack),
  importCredential: () => void sendPickedFile(pickCredential),
  importLogo: () => void sendPickedFile(pickLogo),
  exportPdf: () => sendMenuCommand({ name: 'export-pdf' }),
  revealLastExport: () => {
    if (lastExport) shell.showItemInFolder(lastExport);
  },
  publishPack: () => sendMenuCommand({ name: 'publish-pack' }),
  undo: () => sendMenuCommand({ name: 'undo' }),
  redo: () => sendMenuCommand({ name: 'redo' }),
  zoomIn: () => sendMenuCommand({ name: 'zoom-in' }),
  zoomOut: () => sendMenuCommand({ name: 'zoom-out' }),
  zoomFit: () => sendMenuCommand({ name: 'zoom-fit' }),
  about: () => app.showAboutPanel(),
  openDataFolder: () => void shell.openPath(dataDir),
};

function refreshMenu(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, handlers, { lastExport, dev })));
}

function createWindow(): void {
  const state = readWindowState(dataDir);
  const window = new BrowserWindow(
    windowOptions({
      preloadPath: layout.preload,
      state,
      displays: screen.getAllDisplays(),
      primaryDisplay: screen.getPrimaryDisplay(),
      darkMode: nativeTheme.shouldUseDarkColors,
      devTools: dev,
    }),
  );
  win = window;
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => writeWindowState(dataDir, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }));
  window.on('closed', () => {
    if (win === window) win = undefined;
  });
  let lastReload = 0;
  window.webContents.on('render-process-gone', (_event, details) => {
    log(`renderer gone: ${details.reason}`);
    // Reload after a crash, but not in a loop: a page that keeps crashing stays down.
    if (details.reason === 'clean-exit' || window.isDestroyed() || Date.now() - lastReload < 30_000) return;
    lastReload = Date.now();
    window.webContents.reload();
  });
  void window.loadURL(APP_ENTRY_URL);
}

async function fail(title: string, detail: string): Promise<void> {
  dialog.showErrorBox(title, detail);
  app.exit(1);
}

async function whenReady(): Promise<void> {
  await app.whenReady();
  if (!fs.existsSync(path.join(layout.rendererDir, 'index.html'))) {
    return fail('Lockup is not built', `The user interface is missing (${path.join(layout.rendererDir, 'index.html')}). Run "npm run build", then start Lockup again.`);
  }
  if (!fs.existsSync(binding)) {
    return fail(
      'Lockup cannot open its catalogue',
      `The SQLite module built for Electron is missing (${binding}). "npm start" builds it; or run "node scripts/electron-rebuild-sqlite.mjs".`,
    );
  }

  protocol.handle(APP_SCHEME, appProtocolHandler(layout.rendererDir));
  const refused = (what: string, url: string) => log(`refused ${what}${url ? `: ${url}` : ''}`);
  guardSession(session.defaultSession, refused);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { openExternal: (url) => shell.openExternal(url), onRefused: refused }));

  const started = await backend.start();
  if (!started.ok) return fail('Lockup cannot open its catalogue', `${started.error.message}\n\nData folder: ${dataDir}`);

  registerIpc(ipcMain, {
    service: backend,
    target: () => liveWindow()?.webContents,
    // path null: ask the backend for a name, the user for a path (electron/dialogs.ts).
    around: {
      'export:pdf': withSaveDialog(EXPORT_FLOW, rememberingChooser(EXPORT_FLOW.dialog, saveDialog)),
      'pack:publish': withSaveDialog(PUBLISH_FLOW, rememberingChooser(PUBLISH_FLOW.dialog, saveDialog)),
    },
    after: (op, envelope) => {
      if (op === 'export:pdf' && envelope.ok) {
        lastExport = (envelope.value as { path: string }).path;
        refreshMenu();
      }
    },
    onForbidden: (op, url) => log(`refused IPC ${op} from ${url || 'an unknown frame'}`),
  });

  app.setAboutPanelOptions({
    applicationName: 'Lockup',
    applicationVersion: app.getVersion(),
    copyright: 'Nimbus Systems and its partners are fictional demo content.',
    credits: 'Lato and Noto Sans Arabic are under the SIL Open Font License 1.1.',
  });
  nativeTheme.on('updated', () => liveWindow()?.setBackgroundColor(nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light));
  refreshMenu();
  createWindow();
}

// ---- lifecycle

if (!app.requestSingleInstanceLock()) {
  // Another Lockup has this data folder open; it gets the focus (second-instance below).
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = liveWindow();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && !liveWindow() && !backendStopped) createWindow();
  });
  app.on('will-quit', (event) => {
    if (backendStopped) return;
    event.preventDefault();
    void backend.stop().finally(() => {
      backendStopped = true;
      app.quit();
    });
  });
  whenReady().catch((err: unknown) => fail('Lockup could not start', err instanceof Error ? (err.stack ?? err.message) : String(err)));
}
