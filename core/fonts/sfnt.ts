import { LockupError } from '../errors.ts';

/** A parsed sfnt table directory over the font's bytes (no copying). */
export interface Sfnt {
  bytes: Uint8Array;
  view: DataView;
  tables: Map<string, { offset: number; length: number }>;
}

function tag(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

/**
 * Reads the table directory of a TrueType-outline font. CFF-flavoured
 * OpenType, collections and WOFF are refused with a clear reason: the PDF
 * writer embeds TrueType outlines only (see docs/decisions/0004).
 */
export function parseSfnt(bytes: Uint8Array, name: string): Sfnt {
  if (bytes.byteLength < 12) throw new LockupError('font-invalid', `Font "${name}" is too short to be a font file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = tag(view, 0);
  if (version === 'OTTO') {
    throw new LockupError('font-unsupported', `Font "${name}" has PostScript (CFF) outlines; use the TrueType (.ttf) version of the font`);
  }
  if (version === 'ttcf') throw new LockupError('font-unsupported', `Font "${name}" is a font collection (.ttc); use a single .ttf file`);
  if (version === 'wOFF' || version === 'wOF2') throw new LockupError('font-unsupported', `Font "${name}" is a web font (WOFF); use the .ttf file`);
  if (view.getUint32(0) !== 0x00010000 && version !== 'true') {
    throw new LockupError('font-invalid', `Font "${name}" is not a TrueType font`);
  }
  const numTables = view.getUint16(4);
  if (12 + numTables * 16 > bytes.byteLength) throw new LockupError('font-invalid', `Font "${name}" has a truncated table directory`);
  const tables = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    const offset = view.getUint32(at + 8);
    const length = view.getUint32(at + 12);
    if (offset + length > bytes.byteLength) throw new LockupError('font-invalid', `Font "${name}" is truncated (table ${tag(view, at)})`);
    tables.set(tag(view, at), { offset, length });
  }
  for (const required of ['head', 'hhea', 'hmtx', 'maxp', 'loca', 'glyf', 'cmap']) {
    if (!tables.has(required)) throw new LockupError('font-invalid', `Font "${name}" lacks its "${required}" table`);
  }
  return { bytes, view, tables };
}

export function table(s: Sfnt, name: string): Uint8Array {
  const t = s.tables.get(name);
  if (!t) return new Uint8Array(0);
  return s.bytes.subarray(t.offset, t.offset + t.length);
}

/** Per-glyph horizontal metrics, read once from hhea/hmtx. */
export function readAdvances(s: Sfnt, numGlyphs: number): Uint16Array {
  const hhea = s.tables.get('hhea')!;
  const hmtx = s.tables.get('hmtx')!;
  const numberOfHMetrics = s.view.getUint16(hhea.offset + 34);
  const out = new Uint16Array(numGlyphs);
  let last = 0;
  for (let g = 0; g < numGlyphs; g++) {
    if (g < numberOfHMetrics && hmtx.offset + g * 4 + 2 <= s.bytes.byteLength) last = s.view.getUint16(hmtx.offset + g * 4);
    out[g] = last;
  }
  return out;
}
