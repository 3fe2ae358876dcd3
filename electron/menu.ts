/**
 * The application menu as a pure function of the platform, the handlers and
 * a little state. electron/main.ts builds it with `Menu.buildFromTemplate`
 * and rebuilds it when the state changes (an export makes "Reveal last
 * export" available).
 *
 * Items that act on the document send a menu command to the renderer
 * (core/contracts/menu.ts): Export PDF…, Undo/Redo, the zoom items, and
 * Publish Pack… (the renderer owns the vendor's Publish panel). Open Pack…,
 * Import Credential… and Import Logo… open the file dialog in main first and
 * send the file. Cut, Copy, Paste and Select All are Chromium's own editing
 * roles.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuHandlers {
  openPack(): void;
  importCredential(): void;
  importLogo(): void;
  exportPdf(): void;
  revealLastExport(): void;
  publishPack(): void;
  undo(): void;
  redo(): void;
  zoomIn(): void;
  zoomOut(): void;
  zoomFit(): void;
  about(): void;
  openDataFolder(): void;
}

export interface MenuState {
  /** The file the last successful export wrote, if any this session. */
  lastExport: string | null;
  /** Adds Reload and Toggle Developer Tools (unpackaged builds only). */
  dev: boolean;
}

/** Stable ids, so tests and the end-to-end spec can find items. */
export const MENU_IDS = {
  openPack: 'open-pack',
  importCredential: 'import-credential',
  importLogo: 'import-logo',
  exportPdf: 'export-pdf',
  revealLastExport: 'reveal-last-export',
  publishPack: 'publish-pack',
  quit: 'quit',
  undo: 'undo',
  redo: 'redo',
  zoomIn: 'zoom-in',
  zoomOut: 'zoom-out',
  zoomFit: 'zoom-fit',
  about: 'about',
  openDataFolder: 'open-data-folder',
} as const;

export function menuTemplate(platform: NodeJS.Platform, handlers: MenuHandlers, state: MenuState): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const sep: MenuItemConstructorOptions = { type: 'separator' };
  // The renderer handles these keys itself (renderer/src/app/Editor.tsx): on Linux and Windows the
  // menu shows the shortcut without registering it, so one key press is never handled twice. On
  // macOS the page sees key equivalents first and the menu only gets the ones it leaves alone.
  const pageKey = (accelerator: string): Pick<MenuItemConstructorOptions, 'accelerator' | 'registerAccelerator'> =>
    mac ? { accelerator } : { accelerator, registerAccelerator: false };

  const about: MenuItemConstructorOptions = { id: MENU_IDS.about, label: 'About Lockup', click: () => handlers.about() };
  const quit: MenuItemConstructorOptions = { id: MENU_IDS.quit, role: 'quit', label: mac ? 'Quit Lockup' : 'Quit', accelerator: 'CmdOrCtrl+Q' };

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      // A partner's way in: the vendor's signed pack, then the credential that unlocks their tier.
      { id: MENU_IDS.openPack, label: 'Open Pack…', accelerator: 'CmdOrCtrl+O', click: () => handlers.openPack() },
      { id: MENU_IDS.importCredential, label: 'Import Credential…', click: () => handlers.importCredential() },
      sep,
      { id: MENU_IDS.importLogo, label: 'Import Logo…', accelerator: 'CmdOrCtrl+I', click: () => handlers.importLogo() },
      { id: MENU_IDS.exportPdf, label: 'Export PDF…', ...pageKey('CmdOrCtrl+E'), click: () => handlers.exportPdf() },
      { id: MENU_IDS.revealLastExport, label: mac ? 'Reveal Last Export in Finder' : 'Reveal Last Export', enabled: state.lastExport !== null, click: () => handlers.revealLastExport() },
      sep,
      // For vendors. Always enabled: main does not know the role or the brand; the renderer's
      // Publish panel does, and says why publishing is blocked when it is.
      { id: MENU_IDS.publishPack, label: 'Publish Pack…', click: () => handlers.publishPack() },
      ...(mac ? [] : [sep, quit]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { id: MENU_IDS.undo, label: 'Undo', ...pageKey('CmdOrCtrl+Z'), click: () => handlers.undo() },
      { id: MENU_IDS.redo, label: 'Redo', ...pageKey(platform === 'win32' ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z'), click: () => handlers.redo() },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { id: MENU_IDS.zoomIn, label: 'Zoom In', ...pageKey('CmdOrCtrl+='), click: () => handlers.zoomIn() },
      { id: MENU_IDS.zoomOut, label: 'Zoom Out', ...pageKey('CmdOrCtrl+-'), click: () => handlers.zoomOut() },
      { id: MENU_IDS.zoomFit, label: 'Fit to Window', ...pageKey('CmdOrCtrl+0'), click: () => handlers.zoomFit() },
      // Light or dark follows the operating system's setting; there is no toggle.
      ...(state.dev ? [sep, { role: 'reload' } as MenuItemConstructorOptions, { role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [...(mac ? [] : [about, sep]), { id: MENU_IDS.openDataFolder, label: 'Open Data Folder', click: () => handlers.openDataFolder() }],
  };

  const appMenu: MenuItemConstructorOptions = {
    label: 'Lockup',
    submenu: [about, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, quit],
  };

  return mac ? [appMenu, file, edit, view, { role: 'windowMenu' }, help] : [file, edit, view, help];
}
