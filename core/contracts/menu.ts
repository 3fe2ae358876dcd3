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
export const SIMPLE_MENU_COMMANDS = ['export-pdf', 'undo', 'redo', 'zoom-in', 'zoom-out', 'zoom-fit', 'publish-pack'] as const;
export type SimpleMenuCommandName = (typeof SIMPLE_MENU_COMMANDS)[number];

/** Largest logo File → Import logo… reads (the same bound as the browser host's request body allows). */
export const MAX_LOGO_FILE_BYTES = 48 * 1024 * 1024;
const MAX_BASE64_CHARS = Math.ceil(MAX_LOGO_FILE_BYTES / 3) * 4;
/**
 * Largest pack the app takes (File → Open Pack…, the gallery's Open pack…): it crosses IPC or HTTP as
 * base64. The CLI reads packs up to the pack reader's own limit (256 MB).
 */
export const MAX_PACK_FILE_BYTES = 96 * 1024 * 1024;
/** Largest credential file File → Import Credential… reads. */
export const MAX_CREDENTIAL_FILE_BYTES = 64 * 1024;

/** The commands that carry a file the user picked in main's open dialog, and its size limit. */
export const FILE_MENU_COMMANDS = {
  /** File → Import logo…: the file as `logo:intake` takes it. */
  'import-logo': MAX_LOGO_FILE_BYTES,
  /** File → Open Pack…: the file as `pack:inspect` / `pack:import` take it. */
  'open-pack': MAX_PACK_FILE_BYTES,
  /** File → Import Credential…: the file (base64 of its UTF-8 text) for `credential:import`. */
  'import-credential': MAX_CREDENTIAL_FILE_BYTES,
} as const;
export type FileMenuCommandName = keyof typeof FILE_MENU_COMMANDS;

export type MenuCommand = { name: SimpleMenuCommandName } | { name: FileMenuCommandName; file: { name: string; data: string } };

export type MenuCommandName = MenuCommand['name'];
export const MENU_COMMAND_NAMES: readonly MenuCommandName[] = [...SIMPLE_MENU_COMMANDS, ...(Object.keys(FILE_MENU_COMMANDS) as FileMenuCommandName[])];

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
  if (Object.prototype.hasOwnProperty.call(FILE_MENU_COMMANDS, name)) {
    const command = name as FileMenuCommandName;
    const maxChars = command === 'import-logo' ? MAX_BASE64_CHARS : Math.ceil(FILE_MENU_COMMANDS[command] / 3) * 4;
    const file = raw['file'];
    if (!hasOnlyKeys(raw, ['name', 'file']) || !isPlainRecord(file) || !hasOnlyKeys(file, ['name', 'data'])) return undefined;
    const fileName = file['name'];
    const data = file['data'];
    if (typeof fileName !== 'string' || fileName.length < 1 || fileName.length > 255) return undefined;
    if (typeof data !== 'string' || data.length === 0 || data.length > maxChars || !BASE64.test(data)) return undefined;
    return { name: command, file: { name: fileName, data } };
  }
  return undefined;
}
