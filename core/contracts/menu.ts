/**
 * The one channel besides the API: menu commands, main → renderer.
 *
 * The application menu lives in the main process, but what most items do
 * (export the open document, undo an edit, zoom the canvas) belongs to the
 * renderer. Main sends a command on MENU_CHANNEL; the preload checks it
 * against this closed set and hands it to whoever subscribed through
 * `window.lockupMenu.onCommand(cb)`. Nothing else travels on the channel,
 * and the renderer cannot send on it.
 *
 * This file has no imports: the sandboxed preload bundles it.
 */

export const MENU_CHANNEL = 'lockup:menu-command';

/** Commands without a payload. */
export const SIMPLE_MENU_COMMANDS = ['export-pdf', 'undo', 'redo', 'zoom-in', 'zoom-out', 'zoom-fit'] as const;
export type SimpleMenuCommandName = (typeof SIMPLE_MENU_COMMANDS)[number];

/** Largest logo File → Import logo… reads (the same bound as the browser host's request body allows). */
export const MAX_LOGO_FILE_BYTES = 48 * 1024 * 1024;
const MAX_BASE64_CHARS = Math.ceil(MAX_LOGO_FILE_BYTES / 3) * 4;

export type MenuCommand =
  | { name: SimpleMenuCommandName }
  /** File → Import logo…: the file the user picked, as `logo:intake` takes it. */
  | { name: 'import-logo'; file: { name: string; data: string } };

export type MenuCommandName = MenuCommand['name'];
export const MENU_COMMAND_NAMES: readonly MenuCommandName[] = [...SIMPLE_MENU_COMMANDS, 'import-logo'];

/** What the preload exposes as `window.lockupMenu`. */
export interface LockupMenuBridge {
  /** Calls `listener` for every menu command; returns a function that unsubscribes. */
  onCommand(listener: (command: MenuCommand) => void): () => void;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function hasOnlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(value).every((k) => keys.includes(k));
}

/**
 * The command `raw` denotes, as a fresh object, or undefined when it is not
 * exactly one of the commands above (unknown name, extra keys, wrong payload).
 */
export function parseMenuCommand(raw: unknown): MenuCommand | undefined {
  if (!isPlainRecord(raw) || typeof raw['name'] !== 'string') return undefined;
  const name = raw['name'];
  if ((SIMPLE_MENU_COMMANDS as readonly string[]).includes(name)) {
    return hasOnlyKeys(raw, ['name']) ? { name: name as SimpleMenuCommandName } : undefined;
  }
  if (name === 'import-logo') {
    const file = raw['file'];
    if (!hasOnlyKeys(raw, ['name', 'file']) || !isPlainRecord(file) || !hasOnlyKeys(file, ['name', 'data'])) return undefined;
    const fileName = file['name'];
    const data = file['data'];
    if (typeof fileName !== 'string' || fileName.length < 1 || fileName.length > 255) return undefined;
    if (typeof data !== 'string' || data.length === 0 || data.length > MAX_BASE64_CHARS || !BASE64.test(data)) return undefined;
    return { name: 'import-logo', file: { name: fileName, data } };
  }
  return undefined;
}
