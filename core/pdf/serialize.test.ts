import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portableDeflate } from '../util/deflate.ts';
import { serializeContext } from './serialize.ts';

let bytes: Uint8Array;
let tmp: string;
let objectCount: number;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'lockup-serialize-'));
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < 3; i++) {
    const page = doc.addPage([300, 200]);
    page.drawText(`Serialized page ${i + 1}`, { x: 20, y: 100, size: 14, font, color: rgb(0, 0, 0) });
    page.drawRectangle({ x: 10, y: 10, width: 50, height: 20, color: rgb(0.2, 0.4, 0.8) });
  }
  doc.setTitle('Serializer test');
  await doc.flush();
  objectCount = doc.context.enumerateIndirectObjects().length;
  bytes = serializeContext(doc.context, portableDeflate);
  writeFileSync(join(tmp, 's.pdf'), bytes);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** Reads the cross-reference stream by hand (W [1 4 2]). */
function xref(): { entries: [number, number, number][]; size: number; dict: string } {
  const text = latin1(bytes);
  const m = /startxref\n(\d+)\n%%EOF\n$/.exec(text);
  expect(m).not.toBeNull();
  const at = Number(m![1]);
  const head = text.slice(at, at + 400);
  expect(head).toMatch(/^\d+ 0 obj\n<</);
  const dict = head.slice(0, head.indexOf('stream\n'));
  const length = Number(/\/Length (\d+)/.exec(dict)![1]);
  const start = at + head.indexOf('stream\n') + 'stream\n'.length;
  const table = inflateSync(bytes.subarray(start, start + length));
  const entries: [number, number, number][] = [];
  for (let i = 0; i < table.length; i += 7) entries.push([table[i]!, table.readUInt32BE(i + 1), table.readUInt16BE(i + 5)]);
  return { entries, size: Number(/\/Size (\d+)/.exec(dict)![1]), dict };
}

describe('serializeContext', () => {
  it('writes a PDF 1.7 header with a binary comment and ends with startxref / %%EOF', () => {
    expect(latin1(bytes.subarray(0, 9))).toBe('%PDF-1.7\n');
    expect(bytes[9]).toBe(0x25);
    expect(bytes.subarray(10, 14).every((b) => b >= 128)).toBe(true);
    expect(latin1(bytes.subarray(bytes.length - 6))).toBe('%%EOF\n');
  });

  it('the xref stream is a /Type /XRef with W [1 4 2], Root, Info and one entry per object number', () => {
    const { entries, size, dict } = xref();
    expect(dict).toContain('/Type /XRef');
    expect(dict).toContain('/W [ 1 4 2 ]');
    expect(dict).toMatch(/\/Root \d+ 0 R/);
    expect(dict).toMatch(/\/Info \d+ 0 R/);
    expect(entries).toHaveLength(size);
    expect(entries[0]).toEqual([0, 0, 65535]);
    // All of pdf-lib's objects, plus the object stream and the xref stream itself.
    expect(size).toBe(objectCount + 3);
  });

  it('every in-file entry points at "<n> 0 obj"; every packed entry points into the object stream in order', () => {
    const { entries } = xref();
    const text = latin1(bytes);
    const objStms = new Map<number, number[]>();
    entries.forEach(([type, a, b], n) => {
      if (type === 1) expect(text.slice(a, a + `${n} 0 obj\n`.length), `object ${n}`).toBe(`${n} 0 obj\n`);
      if (type === 2) objStms.set(a, [...(objStms.get(a) ?? []), b]);
    });
    expect(objStms.size).toBe(1);
    const [stmNumber, indexes] = [...objStms][0]!;
    expect(indexes).toEqual(indexes.map((_, i) => i));
    // The object stream's header lists those object numbers with increasing offsets.
    const stmAt = entries[stmNumber]![1];
    const head = text.slice(stmAt, stmAt + 300);
    expect(head).toContain('/Type /ObjStm');
    const n = Number(/\/N (\d+)/.exec(head)![1]);
    const first = Number(/\/First (\d+)/.exec(head)![1]);
    const length = Number(/\/Length (\d+)/.exec(head)![1]);
    const start = stmAt + head.indexOf('stream\n') + 7;
    const body = inflateSync(bytes.subarray(start, start + length)).toString('latin1');
    const pairs = body.slice(0, first).trim().split(/\s+/).map(Number);
    expect(pairs.length).toBe(2 * n);
    expect(n).toBe(indexes.length);
    const packedNumbers = entries.map(([t], i) => (t === 2 ? i : -1)).filter((i) => i >= 0);
    expect(pairs.filter((_, i) => i % 2 === 0)).toEqual(packedNumbers);
    for (let i = 1; i < pairs.length; i += 2) {
      const off = pairs[i]!;
      if (i > 1) expect(off).toBeGreaterThan(pairs[i - 2]!);
      expect(body[first + off]).not.toBe(' ');
    }
  });

  it('is read back by pdf-lib', async () => {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(3);
    expect(doc.getTitle()).toBe('Serializer test');
    expect(doc.getPage(2).getSize()).toEqual({ width: 300, height: 200 });
  });

  it('passes qpdf --check with empty stderr, and pdftotext finds the text', () => {
    const check = spawnSync('qpdf', ['--check', join(tmp, 's.pdf')], { encoding: 'utf8' });
    if (check.error) return expect.soft(check.error, 'qpdf is not installed').toBeUndefined();
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const text = spawnSync('pdftotext', [join(tmp, 's.pdf'), '-'], { encoding: 'utf8' });
    if (text.error) return expect.soft(text.error, 'pdftotext is not installed').toBeUndefined();
    expect(text.stdout).toContain('Serialized page 1');
    expect(text.stdout).toContain('Serialized page 3');
  });

  it('is a pure function of the context', async () => {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    await doc.flush();
    const a = serializeContext(doc.context, portableDeflate);
    const b = serializeContext(doc.context, portableDeflate);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
