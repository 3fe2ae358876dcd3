import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PACK_EXTENSION as BACKEND_PACK_EXTENSION } from '../backend/packs/pack.ts';
import { API, type Envelope, type OpName } from '../core/contracts/api.ts';
import { DOCUMENT_FORMAT, DOCUMENT_FORMAT_VERSION } from '../core/model/document.ts';
import {
  CANCELLED,
  CREDENTIAL_PICK,
  EXPORT_FLOW,
  LOGO_EXTENSIONS,
  LOGO_PICK,
  PACK_EXTENSION,
  PACK_PICK,
  PUBLISH_FLOW,
  chooseSavePath,
  defaultSavePath,
  formatSize,
  pickCredential,
  pickLogo,
  pickPack,
  rememberingChooser,
  withExtension,
  withSaveDialog,
  type FilePick,
  type FileReader,
  type OpenDialogLike,
  type SaveDialogLike,
} from './dialogs.ts';
import { MAX_CREDENTIAL_FILE_BYTES, MAX_LOGO_FILE_BYTES, MAX_PACK_FILE_BYTES, parseMenuCommand } from '../core/contracts/menu.ts';

const LOGO = path.resolve(import.meta.dirname, '..', 'examples', 'partners', 'logos', 'harbor-it-light.png');
const realFiles: FileReader = { size: (f) => fs.statSync(f).size, read: (f) => fs.readFileSync(f) };

type Picker = (dialog: OpenDialogLike, files: FileReader) => Promise<FilePick>;

const picking = (file: string): OpenDialogLike => ({ showOpenDialog: async () => ({ canceled: false, filePaths: [file] }) });

/** A fake file system holding one file of these bytes (whatever path is asked for). */
function holding(bytes: Uint8Array): FileReader & { read: ReturnType<typeof vi.fn> } {
  return { size: () => bytes.byteLength, read: vi.fn(() => bytes) };
}

/** Reports `size` without holding that many bytes: oversized files must be refused before any read. */
function claiming(size: number): FileReader & { read: ReturnType<typeof vi.fn> } {
  return { size: () => size, read: vi.fn(() => new Uint8Array(1)) };
}

const unreadable: FileReader = {
  size: () => 10,
  read: () => {
    throw new Error('EACCES: permission denied');
  },
};

// The three open dialogs share one function; each row is what differs.
const PICKERS: {
  what: string;
  pick: Picker;
  command: string;
  file: string;
  extensions: readonly string[];
  limit: number;
  tooLarge: RegExp;
  title: string;
}[] = [
  { what: 'Import Logo…', pick: pickLogo, command: 'import-logo', file: '/x/logo.png', extensions: LOGO_EXTENSIONS, limit: MAX_LOGO_FILE_BYTES, tooLarge: /logos are limited to 48 MB\.$/, title: 'The logo cannot be imported' },
  { what: 'Open Pack…', pick: pickPack, command: 'open-pack', file: '/x/nimbus-v3.lockup', extensions: ['lockup'], limit: MAX_PACK_FILE_BYTES, tooLarge: /packs are limited to 96 MB\.$/, title: 'The pack cannot be opened' },
  { what: 'Import Credential…', pick: pickCredential, command: 'import-credential', file: '/x/harbor-it.cred', extensions: ['cred'], limit: MAX_CREDENTIAL_FILE_BYTES, tooLarge: /credentials are limited to 64 KB\.$/, title: 'The credential cannot be imported' },
];

describe.each(PICKERS)('File > $what', ({ pick, command, file, extensions, limit, tooLarge, title }) => {
  const name = path.basename(file);

  it('opens one file with the filter for its kind, and sends it as a command the preload accepts', async () => {
    const showOpenDialog = vi.fn(async (_options: unknown) => ({ canceled: false, filePaths: [file] }));
    const bytes = new TextEncoder().encode('héllo, packs\n');
    const picked = await pick({ showOpenDialog }, holding(bytes));
    expect(picked).toEqual({ kind: 'command', command: { name: command, file: { name, data: Buffer.from(bytes).toString('base64') } } });
    expect(parseMenuCommand((picked as { command: unknown }).command)).toEqual((picked as { command: unknown }).command);
    const options = showOpenDialog.mock.calls[0]![0] as { properties: string[]; filters: { extensions: string[] }[] };
    expect(options.properties).toEqual(['openFile']);
    expect(options.filters).toEqual([expect.objectContaining({ extensions: [...extensions] }), { name: 'All files', extensions: ['*'] }]);
  });

  it('does nothing when the dialog is cancelled', async () => {
    const files = { size: vi.fn(), read: vi.fn() };
    expect(await pick({ showOpenDialog: async () => ({ canceled: true, filePaths: [] }) }, files)).toEqual({ kind: 'cancelled' });
    expect(await pick({ showOpenDialog: async () => ({ canceled: false, filePaths: [] }) }, files)).toEqual({ kind: 'cancelled' });
    expect(files.size).not.toHaveBeenCalled();
    expect(files.read).not.toHaveBeenCalled();
  });

  it('refuses an empty file, with the title of its message box', async () => {
    const files = claiming(0);
    expect(await pick(picking(file), files)).toEqual({ kind: 'error', title, message: `${name} is empty.` });
    expect(files.read).not.toHaveBeenCalled();
  });

  it('takes a file of exactly the limit, and refuses one byte more without reading it', async () => {
    // The fake reports the limit but holds a few bytes: the boundary without encoding 256 MB.
    expect(await pick(picking(file), { size: () => limit, read: () => new Uint8Array(3) })).toMatchObject({ kind: 'command' });
    const files = claiming(limit + 1);
    const refused = await pick(picking(file), files);
    expect(refused).toMatchObject({ kind: 'error', title, message: expect.stringMatching(tooLarge) });
    expect((refused as { message: string }).message.startsWith(`${name} is `)).toBe(true);
    expect(files.read).not.toHaveBeenCalled();
  });

  it('refuses a file that grew past the limit between the size check and the read', async () => {
    const grown = await pick(picking(file), { size: () => 1, read: () => new Uint8Array(limit + 1) });
    expect(grown).toMatchObject({ kind: 'error', title, message: expect.stringMatching(tooLarge) });
  });

  it('reports an unreadable file, with the reason', async () => {
    expect(await pick(picking(file), unreadable)).toEqual({ kind: 'error', title, message: `${name} cannot be read: EACCES: permission denied` });
    const vanished: FileReader = {
      size: () => {
        throw new Error('ENOENT: no such file');
      },
      read: vi.fn(),
    };
    expect(await pick(picking(file), vanished)).toMatchObject({ kind: 'error', message: expect.stringContaining('ENOENT') });
  });
});

describe('the open dialogs', () => {
  it('a real logo file from disk arrives byte for byte', async () => {
    const picked = await pickLogo(picking(LOGO), realFiles);
    expect(picked).toEqual({ kind: 'command', command: { name: 'import-logo', file: { name: 'harbor-it-light.png', data: fs.readFileSync(LOGO).toString('base64') } } });
  });

  it('a credential arrives as base64 of its UTF-8 text, which the renderer decodes for credential:import', async () => {
    const text = '{"claims":{"company":"Société Générale IT"},"signature":"…"}\n';
    const picked = await pickCredential(picking('/x/société.cred'), holding(new TextEncoder().encode(text)));
    const data = (picked as { command: { file: { data: string } } }).command.file.data;
    expect(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(data, 'base64'))).toBe(text);
    expect(API['credential:import'].input.safeParse({ text }).success).toBe(true);
  });

  it('a long file name is cut to what the command carries', async () => {
    const picked = await pickPack(picking(`/x/${'p'.repeat(300)}.lockup`), holding(new Uint8Array([1])));
    expect((picked as { command: { file: { name: string } } }).command.file.name).toHaveLength(255);
  });

  it('the specs agree with the rest of Lockup: one command each, the backend pack extension', () => {
    expect(new Set([LOGO_PICK, PACK_PICK, CREDENTIAL_PICK].map((s) => s.command)).size).toBe(3);
    expect(`.${PACK_EXTENSION}`).toBe(BACKEND_PACK_EXTENSION);
  });

  it('sizes read as limits are written', () => {
    expect(formatSize(48 * 1024 * 1024)).toBe('48 MB');
    expect(formatSize(256 * 1024 * 1024)).toBe('256 MB');
    expect(formatSize(64 * 1024)).toBe('64 KB');
    expect(formatSize(64 * 1024 + 1)).toBe('64.0 KB');
    expect(formatSize(300.5 * 1024 * 1024)).toBe('300.5 MB');
    expect(formatSize(12)).toBe('12 bytes');
  });
});

describe('the save dialogs', () => {
  it('add the extension when the name typed has none', () => {
    expect(withExtension('/a/b', 'pdf')).toBe('/a/b.pdf');
    expect(withExtension('/a/b.PDF', 'pdf')).toBe('/a/b.PDF');
    expect(withExtension('/a/nimbus-v2', 'lockup')).toBe('/a/nimbus-v2.lockup');
    expect(withExtension('/a/nimbus.LOCKUP', 'lockup')).toBe('/a/nimbus.LOCKUP');
    expect(withExtension('/a/nimbus.pdf', 'lockup')).toBe('/a/nimbus.pdf.lockup');
    expect(withExtension('/a/nimbuslockup', 'lockup')).toBe('/a/nimbuslockup.lockup');
  });

  it('start in the last folder used, else the suggested one, with the suggested name', () => {
    expect(defaultSavePath({ fileName: 'x.pdf', folder: '/docs/Lockup' }, undefined)).toBe(path.join('/docs/Lockup', 'x.pdf'));
    expect(defaultSavePath({ fileName: 'x.pdf', folder: '/docs/Lockup' }, '/elsewhere')).toBe(path.join('/elsewhere', 'x.pdf'));
  });

  it('Export PDF: resolves to the chosen path, or null when cancelled', async () => {
    const showSaveDialog = vi.fn(async (_options: unknown) => ({ canceled: false, filePath: '/out/partner-sheet' }));
    expect(await chooseSavePath(EXPORT_FLOW.dialog, { showSaveDialog }, { fileName: 'a.pdf', folder: '/docs' }, undefined)).toBe('/out/partner-sheet.pdf');
    expect(showSaveDialog.mock.calls[0]![0]).toMatchObject({ title: 'Export PDF', defaultPath: path.join('/docs', 'a.pdf'), filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    expect(await chooseSavePath(EXPORT_FLOW.dialog, { showSaveDialog: async () => ({ canceled: true, filePath: '' }) }, { fileName: 'a.pdf', folder: '/docs' }, undefined)).toBeNull();
    expect(await chooseSavePath(EXPORT_FLOW.dialog, { showSaveDialog: async () => ({ canceled: false }) }, { fileName: 'a.pdf', folder: '/docs' }, undefined)).toBeNull();
  });

  it('Publish pack: titled so, .lockup only, and .lockup added to a bare name', async () => {
    const showSaveDialog = vi.fn(async (_options: unknown) => ({ canceled: false, filePath: '/out/nimbus-for-partners' }));
    expect(await chooseSavePath(PUBLISH_FLOW.dialog, { showSaveDialog }, { fileName: 'nimbus-v2.lockup', folder: '/docs/Lockup' }, undefined)).toBe('/out/nimbus-for-partners.lockup');
    expect(showSaveDialog.mock.calls[0]![0]).toEqual({
      title: 'Publish pack',
      buttonLabel: 'Publish',
      defaultPath: path.join('/docs/Lockup', 'nimbus-v2.lockup'),
      filters: [{ name: 'Lockup pack', extensions: ['lockup'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
  });

  it('remember the folder per kind of file, and not after a cancel', async () => {
    const answers: ({ canceled: boolean; filePath?: string })[] = [{ canceled: false, filePath: '/first/one.pdf' }, { canceled: true }, { canceled: false, filePath: '/first/two.pdf' }];
    const showSaveDialog = vi.fn(async (_options: { defaultPath?: string }) => answers.shift()!);
    const dialog: SaveDialogLike = { showSaveDialog };
    const exportChooser = rememberingChooser(EXPORT_FLOW.dialog, dialog);
    const publishChooser = rememberingChooser(PUBLISH_FLOW.dialog, { showSaveDialog: async () => ({ canceled: true }) });
    const suggestion = { fileName: 'doc.pdf', folder: '/docs' };
    expect(await exportChooser(suggestion)).toBe('/first/one.pdf');
    expect(await exportChooser(suggestion)).toBeNull();
    expect(await exportChooser(suggestion)).toBe('/first/two.pdf');
    expect(showSaveDialog.mock.calls.map((c) => c[0].defaultPath)).toEqual([path.join('/docs', 'doc.pdf'), path.join('/first', 'doc.pdf'), path.join('/first', 'doc.pdf')]);
    expect(await publishChooser({ fileName: 'nimbus-v1.lockup', folder: '/docs' })).toBeNull();
  });

  it('each flow parses its operation with the API schema', () => {
    expect(EXPORT_FLOW.input).toBe(API[EXPORT_FLOW.op].input);
    expect(PUBLISH_FLOW.input).toBe(API[PUBLISH_FLOW.op].input);
  });
});

/** A scripted backend: the suggesting operation answers `suggest`, everything else echoes its call. */
function backend(suggestOp: OpName, suggest: Envelope<unknown>) {
  return vi.fn(async (op: OpName, input: unknown): Promise<Envelope<unknown>> => {
    if (op === suggestOp) return suggest;
    return { ok: true, value: { op, input } };
  });
}

describe('withSaveDialog(EXPORT_FLOW) (against a scripted backend)', () => {
  const document = { format: DOCUMENT_FORMAT, formatVersion: DOCUMENT_FORMAT_VERSION, templateId: 'social-post', templateVersion: 1, fields: {}, styles: {}, logos: {} };
  const suggestion = { fileName: 'social-post-acme.pdf', folder: '/home/me/Documents/Lockup' };
  const exporting = (suggest: Envelope<unknown> = { ok: true, value: suggestion }) => backend('export:suggest', suggest);

  it('asks where to save, then exports there with the rest of the input unchanged', async () => {
    const dispatch = exporting();
    const choose = vi.fn(async () => '/out/chosen.pdf');
    const envelope = await withSaveDialog(EXPORT_FLOW, choose)({ document, output: 'print', path: null }, dispatch);
    expect(choose).toHaveBeenCalledWith(suggestion);
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['export:suggest', 'export:pdf']);
    expect(dispatch.mock.calls[0]![1]).toMatchObject({ output: 'print' });
    expect(envelope).toEqual({ ok: true, value: { op: 'export:pdf', input: { document, output: 'print', path: '/out/chosen.pdf' } } });
  });

  it('a cancelled dialog exports nothing', async () => {
    const dispatch = exporting();
    expect(await withSaveDialog(EXPORT_FLOW, async () => null)({ document }, dispatch)).toEqual(CANCELLED);
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['export:suggest']);
  });

  it('an input the API would refuse goes to export:pdf as is, for its validation error', async () => {
    const dispatch = exporting();
    const choose = vi.fn();
    await withSaveDialog(EXPORT_FLOW, choose)({ document: { ...document, format: 'nope' }, path: null }, dispatch);
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['export:pdf']);
    expect(choose).not.toHaveBeenCalled();
  });

  it('when the backend cannot suggest a name (no profile yet), that error is the answer and no dialog opens', async () => {
    const refusal: Envelope<unknown> = { ok: false, error: { code: 'profile-invalid', message: 'Set up your partner profile first' } };
    const choose = vi.fn();
    expect(await withSaveDialog(EXPORT_FLOW, choose)({ document }, exporting(refusal))).toEqual(refusal);
    expect(choose).not.toHaveBeenCalled();
  });
});

describe('withSaveDialog(PUBLISH_FLOW) (against a scripted backend)', () => {
  // pack:publish-info answers much more than the dialog needs; only the name and folder reach it.
  const info = { key: null, packId: 'nimbus', lastVersion: 1, nextVersion: 2, templates: [], revocations: 0, fileName: 'nimbus-v2.lockup', folder: '/home/me/Documents/Lockup', blocked: null };
  const publishing = (suggest: Envelope<unknown> = { ok: true, value: info }) => backend('pack:publish-info', suggest);

  it('path null: asks pack:publish-info for the name, then publishes to the chosen path', async () => {
    const dispatch = publishing();
    const choose = vi.fn(async () => '/out/nimbus-v2.lockup');
    const envelope = await withSaveDialog(PUBLISH_FLOW, choose)({ brandId: 'nimbus', path: null }, dispatch);
    expect(dispatch.mock.calls).toEqual([
      ['pack:publish-info', { brandId: 'nimbus' }],
      ['pack:publish', { brandId: 'nimbus', path: '/out/nimbus-v2.lockup' }],
    ]);
    expect(choose).toHaveBeenCalledWith({ fileName: 'nimbus-v2.lockup', folder: '/home/me/Documents/Lockup' });
    expect(envelope).toEqual({ ok: true, value: { op: 'pack:publish', input: { brandId: 'nimbus', path: '/out/nimbus-v2.lockup' } } });
  });

  it('no path at all means the same as path null', async () => {
    const dispatch = publishing();
    await withSaveDialog(PUBLISH_FLOW, async () => '/out/p.lockup')({ brandId: 'nimbus' }, dispatch);
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['pack:publish-info', 'pack:publish']);
  });

  it('a cancelled dialog publishes nothing and answers the same cancelled envelope as exports', async () => {
    const dispatch = publishing();
    expect(await withSaveDialog(PUBLISH_FLOW, async () => null)({ brandId: 'nimbus', path: null }, dispatch)).toBe(CANCELLED);
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['pack:publish-info']);
  });

  it('an explicit path, or an input the API would refuse, goes straight to pack:publish without a dialog', async () => {
    const dispatch = publishing();
    const choose = vi.fn();
    const hook = withSaveDialog(PUBLISH_FLOW, choose);
    await hook({ brandId: 'nimbus', path: '/out/direct.lockup' }, dispatch);
    await hook({ brandId: 'nimbus', path: null, extra: 1 }, dispatch);
    await hook({ brandId: '', path: null }, dispatch);
    await hook('nonsense', dispatch);
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['pack:publish', 'pack:publish', 'pack:publish', 'pack:publish']);
    expect(dispatch.mock.calls[0]![1]).toEqual({ brandId: 'nimbus', path: '/out/direct.lockup' });
    expect(choose).not.toHaveBeenCalled();
  });

  it('an error from pack:publish-info (unknown brand) is the answer, and no dialog opens', async () => {
    const refusal: Envelope<unknown> = { ok: false, error: { code: 'not-found', message: 'No brand "acme"' } };
    const choose = vi.fn();
    expect(await withSaveDialog(PUBLISH_FLOW, choose)({ brandId: 'acme', path: null }, publishing(refusal))).toEqual(refusal);
    expect(choose).not.toHaveBeenCalled();
  });

  it('an answer without a file name is an internal error, not a dialog', async () => {
    const choose = vi.fn();
    const envelope = await withSaveDialog(PUBLISH_FLOW, choose)({ brandId: 'nimbus', path: null }, publishing({ ok: true, value: { fileName: 3 } }));
    expect(envelope).toMatchObject({ ok: false, error: { code: 'internal', message: 'pack:publish-info returned no file name' } });
    expect(choose).not.toHaveBeenCalled();
  });
});
