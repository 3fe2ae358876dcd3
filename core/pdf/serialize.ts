import { PDFArray, PDFDict, PDFName, PDFNumber, PDFStream, type PDFContext, type PDFObject, type PDFRef } from 'pdf-lib';
import type { Deflate } from '../util/deflate.ts';

const enc = (s: string) => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
};

function objectBytes(obj: PDFObject): Uint8Array {
  const out = new Uint8Array(obj.sizeInBytes());
  obj.copyBytesInto(out, 0);
  return out;
}

/**
 * Serialises a pdf-lib document context as PDF 1.7 with one compressed
 * object stream and a cross-reference stream. It replaces `PDFDocument.save`
 * for two reasons measured in the benchmark: pdf-lib compresses object and
 * xref streams with pako (a fresh 64 KB window per call), where we use the
 * injected deflate (node:zlib in the backend); and it sizes every object
 * twice. Output is a pure function of the context, so it stays reproducible.
 */
export function serializeContext(ctx: PDFContext, deflate: Deflate): Uint8Array {
  const objects = ctx.enumerateIndirectObjects().sort((a, b) => a[0].objectNumber - b[0].objectNumber);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    offset += b.byteLength;
  };
  push(enc('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n'));

  // xref entries: [type, field2, field3] per object number.
  const maxObject = Math.max(0, ...objects.map(([ref]) => ref.objectNumber));
  const objStmNumber = maxObject + 1;
  const xrefNumber = maxObject + 2;
  const entries: [number, number, number][] = Array.from({ length: xrefNumber + 1 }, () => [0, 0, 65535]);
  entries[0] = [0, 0, 65535];

  const packed: [PDFRef, PDFObject][] = [];
  for (const [ref, obj] of objects) {
    if (obj instanceof PDFStream || ref.generationNumber !== 0) {
      entries[ref.objectNumber] = [1, offset, ref.generationNumber];
      push(enc(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
      push(objectBytes(obj));
      push(enc('\nendobj\n'));
    } else packed.push([ref, obj]);
  }

  if (packed.length > 0) {
    const header: string[] = [];
    const bodies: Uint8Array[] = [];
    let bodyOffset = 0;
    packed.forEach(([ref, obj], index) => {
      header.push(`${ref.objectNumber} ${bodyOffset}`);
      const bytes = objectBytes(obj);
      bodies.push(bytes, enc('\n'));
      bodyOffset += bytes.byteLength + 1;
      entries[ref.objectNumber] = [2, objStmNumber, index];
    });
    const first = enc(header.join(' ') + '\n');
    const raw = new Uint8Array(first.byteLength + bodyOffset);
    raw.set(first, 0);
    let at = first.byteLength;
    for (const b of bodies) {
      raw.set(b, at);
      at += b.byteLength;
    }
    const data = deflate(raw);
    entries[objStmNumber] = [1, offset, 0];
    push(enc(`${objStmNumber} 0 obj\n<< /Type /ObjStm /N ${packed.length} /First ${first.byteLength} /Filter /FlateDecode /Length ${data.byteLength} >>\nstream\n`));
    push(data);
    push(enc('\nendstream\nendobj\n'));
  } else entries[objStmNumber] = [0, 0, 0];

  // The cross-reference stream: W [1 4 2] (type, offset or object stream, generation or index).
  entries[xrefNumber] = [1, offset, 0];
  const table = new Uint8Array(entries.length * 7);
  const view = new DataView(table.buffer);
  entries.forEach(([type, a, b], i) => {
    view.setUint8(i * 7, type);
    view.setUint32(i * 7 + 1, a);
    view.setUint16(i * 7 + 5, b);
  });
  const data = deflate(table);
  const trailer = PDFDict.withContext(ctx);
  trailer.set(PDFName.of('Type'), PDFName.of('XRef'));
  trailer.set(PDFName.of('Size'), PDFNumber.of(entries.length));
  const w = PDFArray.withContext(ctx);
  for (const v of [1, 4, 2]) w.push(PDFNumber.of(v));
  trailer.set(PDFName.of('W'), w);
  const info = ctx.trailerInfo;
  if (info.Root) trailer.set(PDFName.of('Root'), info.Root as PDFObject);
  if (info.Info) trailer.set(PDFName.of('Info'), info.Info as PDFObject);
  if (info.ID) trailer.set(PDFName.of('ID'), info.ID as PDFObject);
  trailer.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
  trailer.set(PDFName.of('Length'), PDFNumber.of(data.byteLength));
  const xrefOffset = offset;
  push(enc(`${xrefNumber} 0 obj\n`));
  push(objectBytes(trailer));
  push(enc('\nstream\n'));
  push(data);
  push(enc(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`));

  const out = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
