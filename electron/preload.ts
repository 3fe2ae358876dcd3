/**
 * The preload: runs sandboxed, with context isolation, before the page. It
 * exposes exactly two objects and nothing else (no ipcRenderer, no Node):
 *
 * - `window.lockup`: one async function per API operation (core/contracts/api.ts),
 *   each calling `ipcRenderer.invoke(<operation name>, input)`; envelopes are
 *   unwrapped here, errors rejected with `{ code, message, details }`.
 * - `window.lockupMenu.onCommand(cb)`: menu commands from the main process
 *   (core/contracts/menu.ts), validated against their closed set.
 *
 * Bundled by scripts/electron-build.mjs into dist/electron/preload.cjs (one
 * CommonJS file: sandboxed preloads cannot load ES modules or other files).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { MENU_CHANNEL } from '../core/contracts/menu.ts';
import { createLockupApi, createMenuBridge } from './preload-api.ts';

contextBridge.exposeInMainWorld(
  'lockup',
  createLockupApi((op, input) => ipcRenderer.invoke(op, input)),
);

contextBridge.exposeInMainWorld(
  'lockupMenu',
  createMenuBridge((listener) => {
    ipcRenderer.on(MENU_CHANNEL, (_event, command: unknown) => listener(command));
  }),
);
