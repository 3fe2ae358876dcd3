/**
 * Native open/save dialogs, decided here with the dialog and file system
 * injected (electron/main.ts passes Electron's `dialog` and node:fs).
 *
 * - Open dialogs (File → Import Logo…, Open Pack…, Import Credential…): main
 *   shows the dialog, reads the file and sends its bytes to the renderer as a
 *   file menu command (core/contracts/menu.ts). The renderer then calls the
 *   API exactly as it does for a file it read itself (a dropped logo, a file
 *   input in the browser host), so both paths share one code path and one
 *   place that shows the API's errors. Main only refuses what it cannot send:
 *   empty files, files over the command's limit, files it cannot read.
 * - Save dialogs (`export:pdf`, `pack:publish`): the renderer calls the
 *   operation with `path: null` (the API's default). Over IPC, main then asks
 *   the backend for a file name and folder, shows the save dialog, and
 *   dispatches the operation with the chosen path. A cancelled dialog answers
 *   `{ ok: false, error: { code: 'cancelled' } }` and writes nothing.
 *   File → Export PDF… only tells the renderer to run its export action, so
 *   the menu, the toolbar button and the shortcut all take this one path.
 */
import path from 'node:path';
import type { z } from 'zod';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { API, type OpArgs, type OpName } from '../core/contracts/api.ts';
import type { AroundHook, WireEnvelope } from './ipc.ts';
import { FILE_MENU_COMMANDS, type FileMenuCommandName, type MenuCommand } from '../core/contracts/menu.ts';

export const LOGO_EXTENSIONS = ['png', 'jpg', 'jpeg', 'pdf'] as const;
/** A signed pack's extension (backend/packs/pack.ts PACK_EXTENSION; kept here so main never bundles the pack reader). */
export const PACK_EXTENSION = 'lockup';
/** A partner credential's extension (what `lockup credential issue` writes). */
export const CREDENTIAL_EXTENSION = 'cred';

/** The answer to a save dialog the user closed: the same for every operation, and nothing was written. */
export const CANCELLED: WireEnvelope = Object.freeze({ ok: false, error: Object.freeze({ code: 'cancelled', message: 'Cancelled: nothing was saved' }) }) as WireEnvelope;

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

// ---- open dialogs → file menu commands

/** What differs between the open dialogs whose file becomes a menu command. */
export interface FilePickSpec {
  /** The command sent; its entry in FILE_MENU_COMMANDS is the size limit, so main and the preload agree. */
  readonly command: FileMenuCommandName;
  readonly title: string;
  readonly buttonLabel: string;
  readonly filter: { readonly name: string; readonly extensions: readonly string[] };
  /** The plural in "… are limited to 48 MB". */
  readonly kinds: string;
  /** The title of the message box main shows when the file is refused. */
  readonly refusedTitle: string;
}

export const LOGO_PICK: FilePickSpec = {
  command: 'import-logo',
  title: 'Import logo',
  buttonLabel: 'Import',
  filter: { name: 'Logos (PNG, JPEG, PDF)', extensions: LOGO_EXTENSIONS },
  kinds: 'logos',
  refusedTitle: 'The logo cannot be imported',
};

export const PACK_PICK: FilePickSpec = {
  command: 'open-pack',
  title: 'Open pack',
  buttonLabel: 'Open',
  filter: { name: 'Lockup packs', extensions: [PACK_EXTENSION] },
  kinds: 'packs',
  refusedTitle: 'The pack cannot be opened',
};

export const CREDENTIAL_PICK: FilePickSpec = {
  command: 'import-credential',
  title: 'Import credential',
  buttonLabel: 'Import',
  filter: { name: 'Partner credentials', extensions: [CREDENTIAL_EXTENSION] },
  kinds: 'credentials',
  refusedTitle: 'The credential cannot be imported',
};

export type FilePick = { kind: 'command'; command: MenuCommand } | { kind: 'cancelled' } | { kind: 'error'; title: string; message: string };

/** "48 MB", "64 KB", "300.5 MB": whole numbers without a decimal, so limits read as they are written. */
export function formatSize(bytes: number): string {
  const [unit, scale] = bytes >= 1024 * 1024 ? ['MB', 1024 * 1024] : bytes >= 1024 ? ['KB', 1024] : ['bytes', 1];
  const value = bytes / scale;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/** Why a file of this size cannot be sent, or undefined when it can. */
function sizeRefusal(spec: FilePickSpec, name: string, size: number): string | undefined {
  const limit = FILE_MENU_COMMANDS[spec.command];
  if (size === 0) return `${name} is empty.`;
  if (size > limit) return `${name} is ${formatSize(size)}; ${spec.kinds} are limited to ${formatSize(limit)}.`;
  return undefined;
}

/**
 * The open dialog, then the file as the spec's menu command (or why not). The
 * size is checked before reading, so an oversized file is never loaded, and
 * again after, in case the file changed in between: a command over the limit
 * would be dropped by the preload without a word.
 */
export async function pickFile(spec: FilePickSpec, dialog: OpenDialogLike, files: FileReader): Promise<FilePick> {
  const result = await dialog.showOpenDialog({
    title: spec.title,
    buttonLabel: spec.buttonLabel,
    properties: ['openFile'],
    filters: [
      { name: spec.filter.name, extensions: [...spec.filter.extensions] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  const file = result.filePaths[0];
  if (result.canceled || !file) return { kind: 'cancelled' };
  const name = path.basename(file).slice(0, 255) || 'file';
  const refuse = (message: string): FilePick => ({ kind: 'error', title: spec.refusedTitle, message });
  try {
    const before = sizeRefusal(spec, name, files.size(file));
    if (before) return refuse(before);
    const bytes = files.read(file);
    const after = sizeRefusal(spec, name, bytes.byteLength);
    if (after) return refuse(after);
    // What the file holds is the backend's to judge (logo:intake, pack:inspect, credential:import).
    return { kind: 'command', command: { name: spec.command, file: { name, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') } } };
  } catch (err) {
    return refuse(`${name} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** File → Import Logo… */
export const pickLogo = (dialog: OpenDialogLike, files: FileReader): Promise<FilePick> => pickFile(LOGO_PICK, dialog, files);
/** File → Open Pack… */
export const pickPack = (dialog: OpenDialogLike, files: FileReader): Promise<FilePick> => pickFile(PACK_PICK, dialog, files);
/** File → Import Credential… */
export const pickCredential = (dialog: OpenDialogLike, files: FileReader): Promise<FilePick> => pickFile(CREDENTIAL_PICK, dialog, files);

// ---- save dialogs for operations that write a file

/** Where the backend proposes to write: a file name and a folder. */
export interface SaveSuggestion {
  fileName: string;
  folder: string;
}

/** What differs between the save dialogs. */
export interface SaveDialogSpec {
  readonly title: string;
  readonly buttonLabel: string;
  /** The one file type offered; its extension is added when the user types a name without it. */
  readonly filter: { readonly name: string; readonly extension: string };
}

/** The path the save dialog returned, with `.<extension>` added when the user typed a name without it. */
export function withExtension(file: string, extension: string): string {
  return file.toLowerCase().endsWith(`.${extension.toLowerCase()}`) ? file : `${file}.${extension}`;
}

/** Where the save dialog starts: the last folder used this session, else the backend's suggestion. */
export function defaultSavePath(suggestion: SaveSuggestion, lastFolder: string | undefined): string {
  return path.join(lastFolder ?? suggestion.folder, suggestion.fileName);
}

/** The save dialog; resolves to the chosen path (with its extension) or null. */
export async function chooseSavePath(spec: SaveDialogSpec, dialog: SaveDialogLike, suggestion: SaveSuggestion, lastFolder: string | undefined): Promise<string | null> {
  const result = await dialog.showSaveDialog({
    title: spec.title,
    buttonLabel: spec.buttonLabel,
    defaultPath: defaultSavePath(suggestion, lastFolder),
    filters: [{ name: spec.filter.name, extensions: [spec.filter.extension] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (result.canceled || !result.filePath) return null;
  return withExtension(result.filePath, spec.filter.extension);
}

/**
 * The `choose` step of a save flow, remembering where the user last saved
 * this kind of file during the session (PDFs and packs each keep their own).
 */
export function rememberingChooser(spec: SaveDialogSpec, dialog: SaveDialogLike): (suggestion: SaveSuggestion) => Promise<string | null> {
  let lastFolder: string | undefined;
  return async (suggestion) => {
    const chosen = await chooseSavePath(spec, dialog, suggestion, lastFolder);
    if (chosen !== null) lastFolder = path.dirname(chosen);
    return chosen;
  };
}

/** The operations that take `path: null` as "ask the user where". */
export type SaveOp = 'export:pdf' | 'pack:publish';

/** One operation that writes a file: its dialog, and which operation proposes the name and folder. */
export interface SaveFlow<Op extends SaveOp> {
  readonly op: Op;
  /** The operation's input schema, `API[op].input` (named here because TypeScript cannot index API by a type parameter). */
  readonly input: z.ZodType<OpArgs<Op>>;
  readonly dialog: SaveDialogSpec;
  /** The operation answering at least `{ fileName, folder }`, and its input built from the call's validated input. */
  readonly suggest: (args: OpArgs<Op>) => { op: OpName; input: unknown };
}

export const EXPORT_FLOW: SaveFlow<'export:pdf'> = {
  op: 'export:pdf',
  input: API['export:pdf'].input,
  dialog: { title: 'Export PDF', buttonLabel: 'Export', filter: { name: 'PDF', extension: 'pdf' } },
  suggest: ({ document, output }) => ({ op: 'export:suggest', input: { document, output } }),
};

export const PUBLISH_FLOW: SaveFlow<'pack:publish'> = {
  op: 'pack:publish',
  input: API['pack:publish'].input,
  dialog: { title: 'Publish pack', buttonLabel: 'Publish', filter: { name: 'Lockup pack', extension: PACK_EXTENSION } },
  suggest: ({ brandId }) => ({ op: 'pack:publish-info', input: { brandId } }),
};

function isSuggestion(value: unknown): value is SaveSuggestion {
  const v = value as { fileName?: unknown; folder?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.fileName === 'string' && typeof v.folder === 'string';
}

/**
 * The wrapper for a save flow's operation: with a path, or with input the API
 * would refuse, the call goes straight to the backend (which writes where
 * told, or answers with the validation error). With `path` null or absent, it
 * asks the backend for a name, then the user for a path; nothing is written
 * when the dialog is cancelled, and an error from the suggesting operation
 * (no profile yet, an unknown brand) is the answer, with no dialog shown.
 */
export function withSaveDialog<Op extends SaveOp>(flow: SaveFlow<Op>, choose: (suggestion: SaveSuggestion) => Promise<string | null>): AroundHook {
  return async (input, dispatch) => {
    const parsed = flow.input.safeParse(input ?? {});
    if (!parsed.success || parsed.data.path !== null) return dispatch(flow.op, input);
    const suggestion = flow.suggest(parsed.data);
    const suggested = await dispatch(suggestion.op, suggestion.input);
    if (!suggested.ok) return suggested;
    if (!isSuggestion(suggested.value)) return { ok: false, error: { code: 'internal', message: `${suggestion.op} returned no file name` } };
    const chosen = await choose({ fileName: suggested.value.fileName, folder: suggested.value.folder });
    if (chosen === null) return CANCELLED;
    // The caller's input as sent, with only the path filled in: the backend validates it again.
    return dispatch(flow.op, { ...(input as Record<string, unknown>), path: chosen });
  };
}
