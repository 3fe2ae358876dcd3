import { LockupError } from '../errors.ts';
import type { Sfnt } from './sfnt.ts';

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;
const WE_HAVE_INSTRUCTIONS = 0x0100;

/** Tables kept in a subset: what a PDF CIDFontType2 program needs (hinting tables are dropped). */
const KEEP = ['glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp'] as const;

export interface GlyphLocator {
  numGlyphs: number;
  /** glyf-relative [start, end) of each glyph, length numGlyphs + 1. */
  offsets: Uint32Array;
}

export function readLoca(s: Sfnt): GlyphLocator {
  const head = s.tables.get('head')!;
  const maxp = s.tables.get('maxp')!;
  const loca = s.tables.get('loca')!;
  const glyf = s.tables.get('glyf')!;
  const numGlyphs = s.view.getUint16(maxp.offset + 4);
  const long = s.view.getInt16(head.offset + 50) === 1;
  const need = (numGlyphs + 1) * (long ? 4 : 2);
  if (loca.length < need) throw new LockupError('font-invalid', 'Font has a truncated "loca" table');
  const offsets = new Uint32Array(numGlyphs + 1);
  for (let g = 0; g <= numGlyphs; g++) {
    const v = long ? s.view.getUint32(loca.offset + g * 4) : s.view.getUint16(loca.offset + g * 2) * 2;
    offsets[g] = Math.min(v, glyf.length);
  }
  return { numGlyphs, offsets };
}

/** Adds the components of composite glyphs (recursively) to `glyphs`. */
export function closeOverComponents(s: Sfnt, loc: GlyphLocator, glyphs: Set<number>): void {
  const glyf = s.tables.get('glyf')!;
  const stack = [...glyphs];
  while (stack.length > 0) {
    const g = stack.pop()!;
    const start = loc.offsets[g]!;
    const end = loc.offsets[g + 1]!;
    if (end - start < 10) continue;
    let p = glyf.offset + start;
    if (s.view.getInt16(p) >= 0) continue; // simple glyph
    p += 10;
    const limit = glyf.offset + end;
    for (;;) {
      if (p + 4 > limit) break;
      const flags = s.view.getUint16(p);
      const component = s.view.getUint16(p + 2);
      p += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
      if (flags & WE_HAVE_A_SCALE) p += 2;
      else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) p += 4;
      else if (flags & WE_HAVE_A_TWO_BY_TWO) p += 8;
      if (component < loc.numGlyphs && !glyphs.has(component)) {
        glyphs.add(component);
        stack.push(component);
      }
      if (!(flags & MORE_COMPONENTS)) break;
    }
  }
}

function checksum(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let sum = 0;
  const whole = data.byteLength & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  let tail = 0;
  for (let i = whole; i < data.byteLength; i++) tail |= data[i]! << (24 - 8 * (i - whole));
  return (sum + tail) >>> 0;
}

/**
 * A glyph's outline without its TrueType hinting instructions. PDF viewers
 * and print RIPs rasterise without the font's bytecode hints, and the
 * instructions are over half of a typical glyph's bytes (docs/decisions/0004).
 */
function unhinted(data: Uint8Array): Uint8Array {
  if (data.byteLength < 10) return data;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const contours = view.getInt16(0);
  if (contours >= 0) {
    const at = 10 + 2 * contours;
    if (at + 2 > data.byteLength) return data;
    const il = view.getUint16(at);
    if (il === 0 || at + 2 + il > data.byteLength) return data;
    const out = new Uint8Array(data.byteLength - il);
    out.set(data.subarray(0, at + 2), 0);
    out[at] = 0;
    out[at + 1] = 0;
    out.set(data.subarray(at + 2 + il), at + 2);
    return out;
  }
  let p = 10;
  for (;;) {
    if (p + 4 > data.byteLength) return data;
    const flags = view.getUint16(p);
    const next = p + 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2) + (flags & WE_HAVE_A_SCALE ? 2 : flags & WE_HAVE_AN_X_AND_Y_SCALE ? 4 : flags & WE_HAVE_A_TWO_BY_TWO ? 8 : 0);
    if (!(flags & MORE_COMPONENTS)) {
      if (!(flags & WE_HAVE_INSTRUCTIONS)) return data;
      const out = data.slice(0, next);
      new DataView(out.buffer).setUint16(p, flags & ~WE_HAVE_INSTRUCTIONS);
      return out;
    }
    p = next;
  }
}

/**
 * Builds a TrueType font that keeps every glyph id of the original but only
 * the outlines of `glyphs` (plus .notdef and composite components). Keeping
 * ids stable means text laid out once (and its content stream) stays valid
 * whatever else a document adds to the subset; unused glyphs cost 4 bytes of
 * `loca` each, which compress to almost nothing.
 */
export function subsetTrueType(s: Sfnt, loc: GlyphLocator, glyphs: Iterable<number>): Uint8Array {
  const keep = new Set<number>([0]);
  for (const g of glyphs) if (g >= 0 && g < loc.numGlyphs) keep.add(g);
  closeOverComponents(s, loc, keep);
  const srcGlyf = s.tables.get('glyf')!;

  const outlines = new Map<number, Uint8Array>();
  let glyfSize = 0;
  for (const g of keep) {
    const data = unhinted(s.bytes.subarray(srcGlyf.offset + loc.offsets[g]!, srcGlyf.offset + loc.offsets[g + 1]!));
    outlines.set(g, data);
    glyfSize += (data.byteLength + 3) & ~3;
  }
  const glyf = new Uint8Array(glyfSize);
  const loca = new Uint8Array((loc.numGlyphs + 1) * 4);
  const locaView = new DataView(loca.buffer);
  let at = 0;
  for (let g = 0; g < loc.numGlyphs; g++) {
    locaView.setUint32(g * 4, at);
    const data = outlines.get(g);
    if (data && data.byteLength > 0) {
      glyf.set(data, at);
      at += (data.byteLength + 3) & ~3;
    }
  }
  locaView.setUint32(loc.numGlyphs * 4, at);

  const src = (name: string) => {
    const t = s.tables.get(name);
    return t ? s.bytes.subarray(t.offset, t.offset + t.length) : undefined;
  };
  const head = new Uint8Array(src('head')!);
  const headView = new DataView(head.buffer);
  headView.setUint32(8, 0); // checkSumAdjustment, set below
  headView.setInt16(50, 1); // long loca offsets

  // Zero the metrics of dropped glyphs: PDF viewers take widths from /W, and zeros compress.
  // The last full entry's advance is shared by every glyph after it, so it is never zeroed.
  const hmtx = new Uint8Array(src('hmtx')!);
  const hhea = s.tables.get('hhea')!;
  const numberOfHMetrics = s.view.getUint16(hhea.offset + 34);
  for (let g = 0; g < loc.numGlyphs; g++) {
    if (keep.has(g)) continue;
    let pos: number;
    let len: number;
    if (g < numberOfHMetrics - 1) [pos, len] = [g * 4, 4];
    else if (g === numberOfHMetrics - 1) [pos, len] = [g * 4 + 2, 2]; // keep the advance, zero the side bearing
    else [pos, len] = [numberOfHMetrics * 4 + (g - numberOfHMetrics) * 2, 2];
    if (pos + len <= hmtx.length) hmtx.fill(0, pos, pos + len);
  }

  const out = new Map<string, Uint8Array>();
  for (const name of KEEP) {
    if (name === 'glyf') out.set(name, glyf);
    else if (name === 'loca') out.set(name, loca);
    else if (name === 'head') out.set(name, head);
    else if (name === 'hmtx') out.set(name, hmtx);
    else {
      const t = src(name);
      if (t) out.set(name, t);
    }
  }
  return writeSfnt(out, headView);
}

function writeSfnt(tables: Map<string, Uint8Array>, headView: DataView): Uint8Array {
  const names = [...tables.keys()].sort();
  const n = names.length;
  let entrySelector = 0;
  while (1 << (entrySelector + 1) <= n) entrySelector++;
  const searchRange = (1 << entrySelector) * 16;
  let size = 12 + n * 16;
  for (const name of names) size += (tables.get(name)!.byteLength + 3) & ~3;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x00010000);
  view.setUint16(4, n);
  view.setUint16(6, searchRange);
  view.setUint16(8, entrySelector);
  view.setUint16(10, n * 16 - searchRange);
  let offset = 12 + n * 16;
  let headOffset = -1;
  names.forEach((name, i) => {
    const data = tables.get(name)!;
    const at = 12 + i * 16;
    for (let k = 0; k < 4; k++) view.setUint8(at + k, name.charCodeAt(k));
    view.setUint32(at + 4, checksum(data));
    view.setUint32(at + 8, offset);
    view.setUint32(at + 12, data.byteLength);
    out.set(data, offset);
    if (name === 'head') headOffset = offset;
    offset += (data.byteLength + 3) & ~3;
  });
  if (headOffset >= 0) {
    const adjustment = (0xb1b0afba - checksum(out)) >>> 0;
    view.setUint32(headOffset + 8, adjustment);
    headView.setUint32(8, adjustment);
  }
  return out;
}
