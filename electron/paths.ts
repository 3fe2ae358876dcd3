/**
 * Where the shell finds its parts, and which data folder and SQLite binding
 * it uses: plain functions of their inputs.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppLayout {
  /** The folder holding package.json (the app folder when packaged). */
  root: string;
  preload: string;
  rendererDir: string;
  /** The utility-process entry (electron/backend-entry.ts, bundled). */
  backendEntry: string;
}

/** The layout scripts/electron-build.mjs produces, from the URL of dist/electron/main.mjs. */
export function appLayout(mainModuleUrl: string): AppLayout {
  const mainDir = path.dirname(fileURLToPath(mainModuleUrl));
  const root = path.resolve(mainDir, '..', '..');
  return {
    root,
    preload: path.join(mainDir, 'preload.cjs'),
    rendererDir: path.join(root, 'dist', 'renderer'),
    backendEntry: path.join(mainDir, 'backend', 'backend-host.mjs'),
  };
}

/**
 * The data folder: LOCKUP_DATA_DIR when set, else the per-user folder of an
 * app named "Lockup" (what backend/data-dir.ts and the CLI use too).
 */
export function chooseDataDir(env: NodeJS.ProcessEnv, perUserFolder: string): string {
  const fromEnv = env['LOCKUP_DATA_DIR'];
  return fromEnv ? path.resolve(fromEnv) : perUserFolder;
}

export const SQLITE_BINDING_FILE = 'better_sqlite3.node';
export const SQLITE_BINDING_FOLDER = '.electron-sqlite';

export interface BindingInput {
  env: NodeJS.ProcessEnv;
  packaged: boolean;
  resourcesPath: string;
  root: string;
  electronVersion: string;
}

/**
 * better-sqlite3 built for Electron's ABI: LOCKUP_SQLITE_BINDING when set;
 * packaged, the copy electron-builder puts in resources/better-sqlite3/;
 * else .electron-sqlite/<electron version>/ (scripts/electron-rebuild-sqlite.mjs).
 * Never node_modules/better-sqlite3/build, which is Node's build for the CLI and tests.
 */
export function sqliteBindingPath(input: BindingInput): string {
  const fromEnv = input.env['LOCKUP_SQLITE_BINDING'];
  if (fromEnv) return path.resolve(fromEnv);
  if (input.packaged) return path.join(input.resourcesPath, 'better-sqlite3', SQLITE_BINDING_FILE);
  return path.join(input.root, SQLITE_BINDING_FOLDER, input.electronVersion, SQLITE_BINDING_FILE);
}
