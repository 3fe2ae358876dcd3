/**
 * Native open/save dialogs, decided here with the dialog and file system
 * injected (electron/main.ts passes Electron's `dialog` and node:fs).
 *
 * - File → Import logo…: main shows the open dialog, reads the file and sends
 *   its bytes to the renderer as the `import-logo` menu command; the renderer
 *   calls `logo:intake` exactly as for a dropped file, so both paths share
 *   one code path and one place that shows errors.
 * - Export: the renderer calls `export:pdf` with `path: null` (its default in
 *   the API). Over IPC, main then asks `export:suggest` for a file name, shows
 *   the save dialog, and dispatches `export:pdf` with the chosen path. A
 *   cancelled dialog answers `{ ok: false, error: { code: 'cancelled' } }`.
 *   File → Export PDF… only tells the renderer to run its export action, so
 *   the menu, the toolbar button and the shortcut all take this one path.
 */
import path from 'node:path';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { API } from '../core/contracts/api.ts';
import type { AroundHook, WireEnvelope } from './ipc.ts';
import { MAX_LOGO_FILE_BYTES, type MenuCommand } from '../core/contracts/menu.ts';

export const LOGO_EXTENSIONS = ['png', 'jpg', 'jpeg', 'pdf'] as const;

export const CANCELLED: WireEnvelope = Object.freeze({ ok: false, error: Object.freeze({ code: 'cancelled', message: 'Export cancelled' }) }) as WireEnvelope;

export interface OpenDialogLike {
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export interface SaveDialogLike {
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string | undefined }>;
}

export interface FileReader {
  size(file: string): number;
  read(file: string): Uint8Array;
}

export type LogoPick = { kind: 'command'; command: MenuCommand } | { kind: 'cancelled' } | { kind: 'error'; message: string };

/** File → Import logo…: the open dialog, then the file as an `import-logo` command (or why not). */
export async function pickLogo(dialog: OpenDialogLike, files: FileReader): Promise<LogoPick> {
  const result = await dialog.showOpenDialog({
    title: 'Import logo',
    buttonLabel: 'Import',
    properties: ['openFile'],
    filters: [
      { name: 'Logos (PNG, JPEG, PDF)', extensions: [...LOGO_EXTENSIONS] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  const file = result.filePaths[0];
  if (result.canceled || !file) return { kind: 'cancelled' };
  const name = path.basename(file).slice(0, 255) || 'logo';
  try {
    const size = files.size(file);
    if (size === 0) return { kind: 'error', message: `${name} is empty.` };
    if (size > MAX_LOGO_FILE_BYTES) return { kind: 'error', message: `${name} is ${(size / 1048576).toFixed(1)} MB; logos are limited to ${MAX_LOGO_FILE_BYTES / 1048576} MB.` };
    const bytes = files.read(file);
    // The backend identifies the format by content and refuses what it cannot use (logo:intake).
    return { kind: 'command', command: { name: 'import-logo', file: { name, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') } } };
  } catch (err) {
    return { kind: 'error', message: `${name} cannot be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The path the save dialog returned, with ".pdf" added when the user typed a name without it. */
export function withPdfExtension(file: string): string {
  return file.toLowerCase().endsWith('.pdf') ? file : `${file}.pdf`;
}

/** Where the save dialog starts: the last folder used this session, else the backend's suggestion. */
export function defaultSavePath(suggestion: { fileName: string; folder: string }, lastFolder: string | undefined): string {
  return path.join(lastFolder ?? suggestion.folder, suggestion.fileName);
}

/** The save dialog for an export; resolves to the chosen path or null. */
export async function chooseExportPath(dialog: SaveDialogLike, suggestion: { fileName: string; folder: string }, lastFolder: string | undefined): Promise<string | null> {
  const result = await dialog.showSaveDialog({
    title: 'Export PDF',
    buttonLabel: 'Export',
    defaultPath: defaultSavePath(suggestion, lastFolder),
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (result.canceled || !result.filePath) return null;
  return withPdfExtension(result.filePath);
}

function isSuggestion(value: unknown): value is { fileName: string; folder: string } {
  const v = value as { fileName?: unknown; folder?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.fileName === 'string' && typeof v.folder === 'string';
}

/**
 * The `export:pdf` wrapper: with a path, or with input the API would refuse,
 * the call goes straight to the backend (which writes where told, or answers
 * with the validation error). With `path` null or absent, it asks for a path
 * first; nothing is written when the dialog is cancelled.
 */
export function exportWithSaveDialog(choose: (suggestion: { fileName: string; folder: string }) => Promise<string | null>): AroundHook {
  return async (input, dispatch) => {
    const parsed = API['export:pdf'].input.safeParse(input ?? {});
    if (!parsed.success || parsed.data.path !== null) return dispatch('export:pdf', input);
    const suggested = await dispatch('export:suggest', { document: parsed.data.document, output: parsed.data.output });
    if (!suggested.ok) return suggested;
    if (!isSuggestion(suggested.value)) return { ok: false, error: { code: 'internal', message: 'export:suggest returned no file name' } };
    const chosen = await choose(suggested.value);
    if (chosen === null) return CANCELLED;
    return dispatch('export:pdf', { ...(input as Record<string, unknown>), path: chosen });
  };
}
