import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFilesDeep, tempDir, tempLeftovers } from '../../test/support/temp.ts';
import { MAX_INPUT_BYTES, readInputFile, readTextFile, writeFileAtomic } from './files.ts';
import { assetRef, isAssetRef, sha256Hex } from './hash.ts';
import { siblingModule } from './worker.ts';
import { thrown as caught } from '../../test/support/errors.ts';

describe('readInputFile', () => {
  it('returns a private copy of the bytes', () => {
    const file = path.join(tempDir(), 'a.bin');
    fs.writeFileSync(file, Buffer.from([1, 2, 3]));
    const bytes = readInputFile(file);
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(3);
  });

  it('a missing file is file-unreadable and says it does not exist', () => {
    const file = path.join(tempDir(), 'nope.png');
    const err = caught(() => readInputFile(file, 'Logo file'));
    expect(err.code).toBe('file-unreadable');
    expect(err.message).toBe(`Logo file "${file}" does not exist`);
    expect(err.details).toEqual({ path: file });
  });

  it('a folder is file-unreadable', () => {
    const dir = tempDir();
    expect(caught(() => readInputFile(dir)).message).toMatch(/is a folder/);
  });

  it('a file over the size limit is file-too-large (without reading it)', () => {
    const file = path.join(tempDir(), 'huge.png');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, MAX_INPUT_BYTES + 1); // sparse: no real disk use
    const err = caught(() => readInputFile(file, 'Logo file'));
    expect(err.code).toBe('file-too-large');
    expect(err.message).toMatch(/64 MB/);
  });

  it('readTextFile decodes UTF-8 and drops a byte-order mark', () => {
    const file = path.join(tempDir(), 't.csv');
    fs.writeFileSync(file, '\uFEFFname\r\nشركة\r\n');
    expect(readTextFile(file)).toBe('name\r\nشركة\r\n');
  });
});

describe('writeFileAtomic', () => {
  it('writes a new file and leaves no temporary file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.pdf');
    writeFileAtomic(file, 'hello');
    expect(fs.readFileSync(file, 'utf8')).toBe('hello');
    expect(listFilesDeep(dir)).toEqual(['out.pdf']);
  });

  it('replaces an existing file by rename: a reader holding the old file still sees it whole', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.pdf');
    fs.writeFileSync(file, 'old contents');
    const fd = fs.openSync(file, 'r');
    try {
      const inode = fs.statSync(file).ino;
      writeFileAtomic(file, new Uint8Array([110, 101, 119]), { fsync: false });
      expect(fs.readFileSync(file, 'utf8')).toBe('new');
      expect(fs.statSync(file).ino).not.toBe(inode);
      const buf = Buffer.alloc(64);
      const n = fs.readSync(fd, buf, 0, 64, 0);
      expect(buf.subarray(0, n).toString()).toBe('old contents');
    } finally {
      fs.closeSync(fd);
    }
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('into a folder that does not exist: output-unwritable, saying so, and nothing created', () => {
    const root = tempDir();
    const file = path.join(root, 'missing', 'out.pdf');
    const err = caught(() => writeFileAtomic(file, 'x'));
    expect(err.code).toBe('output-unwritable');
    expect(err.message).toContain('the folder does not exist');
    expect(err.details).toEqual({ path: file });
    expect(listFilesDeep(root)).toEqual([]);
  });

  it('onto a folder: output-unwritable, the folder untouched and the temporary file removed', () => {
    const root = tempDir();
    const target = path.join(root, 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep.txt'), 'keep');
    expect(caught(() => writeFileAtomic(target, 'x')).code).toBe('output-unwritable');
    expect(listFilesDeep(root)).toEqual(['taken/keep.txt']);
  });

  it('successive writes to the same target never clash', () => {
    const dir = tempDir();
    const file = path.join(dir, 'r.json');
    for (let i = 0; i < 20; i++) writeFileAtomic(file, String(i), { fsync: false });
    expect(fs.readFileSync(file, 'utf8')).toBe('19');
    expect(listFilesDeep(dir)).toEqual(['r.json']);
  });
});

describe('hash', () => {
  it('sha256Hex of bytes and of text', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(sha256Hex('abc'));
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('assetRef / isAssetRef', () => {
    const ref = assetRef(new TextEncoder().encode('abc'));
    expect(ref).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(isAssetRef(ref)).toBe(true);
    expect(isAssetRef(ref.toUpperCase())).toBe(false);
    expect(isAssetRef(ref.slice(0, -1))).toBe(false);
    expect(isAssetRef('logo.png')).toBe(false);
    expect(isAssetRef(`${ref}x`)).toBe(false);
  });
});

describe('siblingModule', () => {
  it('keeps the extension of the build it runs in', () => {
    expect(siblingModule('file:///app/backend/services/batch.ts', 'batch-worker').href).toBe('file:///app/backend/services/batch-worker.ts');
    expect(siblingModule('file:///app/dist/backend/services/batch.js', 'batch-worker').href).toBe('file:///app/dist/backend/services/batch-worker.js');
    expect(siblingModule('file:///app/dist/bundle/chunk-X.mjs', 'image-worker').href).toBe('file:///app/dist/bundle/image-worker.mjs');
  });
});
