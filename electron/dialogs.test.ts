import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Envelope, OpName } from '../core/contracts/api.ts';
import { DOCUMENT_FORMAT, DOCUMENT_FORMAT_VERSION } from '../core/model/document.ts';
import { CANCELLED, LOGO_EXTENSIONS, chooseExportPath, defaultSavePath, exportWithSaveDialog, pickLogo, withPdfExtension } from './dialogs.ts';
import { MAX_LOGO_FILE_BYTES, parseMenuCommand } from '../core/contracts/menu.ts';

const LOGO = path.resolve(import.meta.dirname, '..', 'examples', 'partners', 'logos', 'harbor-it-light.png');
const realFiles = { size: (f: string) => fs.statSync(f).size, read: (f: string) => fs.readFileSync(f) };

describe('File > Import logo…', () => {
  it('sends the picked file as an import-logo command the preload accepts', async () => {
    const showOpenDialog = vi.fn(async (_options: unknown) => ({ canceled: false, filePaths: [LOGO] }));
    const pick = await pickLogo({ showOpenDialog }, realFiles);
    expect(pick.kind).toBe('command');
    const command = (pick as { command: unknown }).command;
    expect(parseMenuCommand(command)).toEqual(command);
    expect(command).toEqual({ name: 'import-logo', file: { name: 'harbor-it-light.png', data: fs.readFileSync(LOGO).toString('base64') } });
    const options = showOpenDialog.mock.calls[0]![0] as { properties: string[]; filters: { extensions: string[] }[] };
    expect(options.properties).toEqual(['openFile']);
    expect(options.filters[0]!.extensions).toEqual([...LOGO_EXTENSIONS]);
  });

  it('does nothing when the dialog is cancelled', async () => {
    const files = { size: vi.fn(), read: vi.fn() };
    expect(await pickLogo({ showOpenDialog: async () => ({ canceled: true, filePaths: [] }) }, files)).toEqual({ kind: 'cancelled' });
    expect(files.read).not.toHaveBeenCalled();
  });

  it('refuses empty and oversized files without reading them, and reports unreadable ones', async () => {
    const dialog = { showOpenDialog: async () => ({ canceled: false, filePaths: ['/x/huge.png'] }) };
    const read = vi.fn();
    expect(await pickLogo(dialog, { size: () => MAX_LOGO_FILE_BYTES + 1, read })).toMatchObject({ kind: 'error', message: expect.stringContaining('48 MB') });
    expect(await pickLogo(dialog, { size: () => 0, read })).toMatchObject({ kind: 'error', message: 'huge.png is empty.' });
    expect(read).not.toHaveBeenCalled();
    const failing = {
      size: () => 10,
      read: () => {
        throw new Error('EACCES: permission denied');
      },
    };
    expect(await pickLogo(dialog, failing)).toMatchObject({ kind: 'error', message: expect.stringContaining('EACCES') });
  });
});

describe('the export save dialog', () => {
  it('adds .pdf when the name typed has none', () => {
    expect(withPdfExtension('/a/b')).toBe('/a/b.pdf');
    expect(withPdfExtension('/a/b.PDF')).toBe('/a/b.PDF');
  });

  it('starts in the last folder used, else the suggested one, with the suggested name', () => {
    expect(defaultSavePath({ fileName: 'x.pdf', folder: '/docs/Lockup' }, undefined)).toBe(path.join('/docs/Lockup', 'x.pdf'));
    expect(defaultSavePath({ fileName: 'x.pdf', folder: '/docs/Lockup' }, '/elsewhere')).toBe(path.join('/elsewhere', 'x.pdf'));
  });

  it('resolves to the chosen path, or null when cancelled', async () => {
    const showSaveDialog = vi.fn(async (_options: unknown) => ({ canceled: false, filePath: '/out/partner-sheet' }));
    expect(await chooseExportPath({ showSaveDialog }, { fileName: 'a.pdf', folder: '/docs' }, undefined)).toBe('/out/partner-sheet.pdf');
    expect(showSaveDialog.mock.calls[0]![0]).toMatchObject({ defaultPath: path.join('/docs', 'a.pdf'), filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    expect(await chooseExportPath({ showSaveDialog: async () => ({ canceled: true, filePath: '' }) }, { fileName: 'a.pdf', folder: '/docs' }, undefined)).toBeNull();
    expect(await chooseExportPath({ showSaveDialog: async () => ({ canceled: false }) }, { fileName: 'a.pdf', folder: '/docs' }, undefined)).toBeNull();
  });
});

describe('exportWithSaveDialog (against a scripted backend)', () => {
  const document = { format: DOCUMENT_FORMAT, formatVersion: DOCUMENT_FORMAT_VERSION, templateId: 'social-post', templateVersion: 1, fields: {}, styles: {}, logos: {} };
  const suggestion = { fileName: 'social-post-acme.pdf', folder: '/home/me/Documents/Lockup' };

  function backend(suggest: Envelope<unknown> = { ok: true, value: suggestion }) {
    return vi.fn(async (op: OpName, input: unknown): Promise<Envelope<unknown>> => {
      if (op === 'export:suggest') return suggest;
      return { ok: true, value: { op, input } };
    });
  }

  it('asks where to save, then exports there with the rest of the input unchanged', async () => {
    const dispatch = backend();
    const choose = vi.fn(async () => '/out/chosen.pdf');
    const envelope = await exportWithSaveDialog(choose)({ document, output: 'print', path: null }, dispatch);
    expect(choose).toHaveBeenCalledWith(suggestion);
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['export:suggest', 'export:pdf']);
    expect(dispatch.mock.calls[0]![1]).toMatchObject({ output: 'print' });
    expect(envelope).toEqual({ ok: true, value: { op: 'export:pdf', input: { document, output: 'print', path: '/out/chosen.pdf' } } });
  });

  it('a cancelled dialog exports nothing', async () => {
    const dispatch = backend();
    expect(await exportWithSaveDialog(async () => null)({ document }, dispatch)).toEqual(CANCELLED);
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['export:suggest']);
  });

  it('an input the API would refuse goes to export:pdf as is, for its validation error', async () => {
    const dispatch = backend();
    const choose = vi.fn();
    await exportWithSaveDialog(choose)({ document: { ...document, format: 'nope' }, path: null }, dispatch);
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['export:pdf']);
    expect(choose).not.toHaveBeenCalled();
  });

  it('when the backend cannot suggest a name (no profile yet), that error is the answer and no dialog opens', async () => {
    const refusal: Envelope<unknown> = { ok: false, error: { code: 'profile-invalid', message: 'Set up your partner profile first' } };
    const choose = vi.fn();
    expect(await exportWithSaveDialog(choose)({ document }, backend(refusal))).toEqual(refusal);
    expect(choose).not.toHaveBeenCalled();
  });
});
