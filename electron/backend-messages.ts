/**
 * Messages between the main process and the backend utility process
 * (electron/backend-host.ts). The backend owns the catalogue and runs every
 * SQLite query, import and export, so none of that work can stall the window
 * or the menus; main only relays API calls it has already checked the sender of.
 */
import type { Envelope } from '../core/contracts/api.ts';

export interface BackendInit {
  dataDir: string;
  /** better-sqlite3 built for Electron's ABI (scripts/electron-rebuild-sqlite.mjs). */
  nativeBinding?: string | undefined;
  version: string;
  /** Where exports go when no path is given (the save dialog normally gives one). */
  exportDir?: string | undefined;
  /** Seed the demo brand into an empty catalogue. */
  seedDemo: boolean;
}

export interface WireError {
  code: string;
  message: string;
}

export type ToBackend = { type: 'init'; init: BackendInit } | { type: 'call'; id: number; op: unknown; input: unknown } | { type: 'shutdown' };

export type FromBackend =
  | { type: 'ready'; seeded: boolean }
  | { type: 'fatal'; error: WireError }
  | { type: 'result'; id: number; envelope: Envelope<unknown> }
  /** file:reveal: showing a file in the file manager needs the main process. */
  | { type: 'reveal'; path: string }
  | { type: 'closed' };
