/**
 * An independent, minimal sfnt reader for checking font programs in tests
 * (table directory, checksums, glyf records). Deliberately not shared with
 * core/fonts so the tests do not trust the code they check.
 */

export interface DirEntry {
  tag: string;
  checksum: number;
  offset: number;
  length: number;
}

export function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}
export function i16(b: Uint8Array, at: number): number {
  const v = u16(b, at);
  return v >= 0x8000 ? v - 0x10000 : v;
}
export function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

export function directory(font: Uint8Array): DirEntry[] {
  const n = u16(font, 4);
  const out: DirEntry[] = [];
  for (let i = 0; i < n; i++) {
    const at = 12 + i * 16;
    out.push({
      tag: String.fromCharCode(font[at]!, font[at + 1]!, font[at + 2]!, font[at + 3]!),
      checksum: u32(font, at + 4),
      offset: u32(font, at + 8),
      length: u32(font, at + 12),
    });
  }
  return out;
}

/** The OpenType table checksum: sum of big-endian uint32s, the tail padded with zeros. */
export function tableChecksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    const word = ((data[i] ?? 0) * 0x1000000 + ((data[i + 1] ?? 0) << 16) + ((data[i + 2] ?? 0) << 8) + (data[i + 3] ?? 0)) >>> 0;
    sum = (sum + word) % 0x100000000;
  }
  return sum;
}

export function tableBytes(font: Uint8Array, tag: string): Uint8Array | undefined {
  const e = directory(font).find((d) => d.tag === tag);
  return e ? font.subarray(e.offset, e.offset + e.length) : undefined;
}

export interface GlyphRecord {
  /** Bytes of the glyph in glyf (empty for a glyph without outline). */
  data: Uint8Array;
  numberOfContours: number;
  /** Simple glyphs: the instruction length. */
  instructionLength?: number;
  /** Composite glyphs: component glyph ids and flags. */
  components?: { glyph: number; flags: number }[];
}

export function glyphRecord(font: Uint8Array, gid: number): GlyphRecord {
  const head = tableBytes(font, 'head')!;
  const loca = tableBytes(font, 'loca')!;
  const glyf = tableBytes(font, 'glyf')!;
  const long = i16(head, 50) === 1;
  const start = long ? u32(loca, gid * 4) : u16(loca, gid * 2) * 2;
  const end = long ? u32(loca, gid * 4 + 4) : u16(loca, gid * 2 + 2) * 2;
  const data = glyf.subarray(start, end);
  if (data.length === 0) return { data, numberOfContours: 0 };
  const numberOfContours = i16(data, 0);
  if (numberOfContours >= 0) {
    return { data, numberOfContours, instructionLength: u16(data, 10 + 2 * numberOfContours) };
  }
  const components: { glyph: number; flags: number }[] = [];
  let p = 10;
  for (;;) {
    const flags = u16(data, p);
    components.push({ glyph: u16(data, p + 2), flags });
    p += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
    if (!(flags & 0x20)) break;
  }
  return { data, numberOfContours, components };
}

export function numGlyphs(font: Uint8Array): number {
  return u16(tableBytes(font, 'maxp')!, 4);
}

/** Advance width of a glyph from hhea/hmtx (glyphs past numberOfHMetrics share the last advance). */
export function hmtxAdvance(font: Uint8Array, gid: number): number {
  const hhea = tableBytes(font, 'hhea')!;
  const hmtx = tableBytes(font, 'hmtx')!;
  const n = u16(hhea, 34);
  return u16(hmtx, Math.min(gid, n - 1) * 4);
}
