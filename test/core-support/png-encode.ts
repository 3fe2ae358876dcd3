/**
 * A small, independent PNG encoder for tests: every colour type, bit depth,
 * row filter and Adam7 interlacing, so the decoder can be checked against
 * pixels we chose ourselves.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface PngSpec {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  /** Samples of pixel (x, y) at full bit depth, one per channel (palette: the index). */
  sample: (x: number, y: number) => number[];
  interlaced?: boolean;
  /** Filter type for row r (of each pass); default cycles 0..4. */
  filter?: (row: number) => number;
  palette?: [number, number, number][];
  trns?: Uint8Array;
  /** Split the zlib stream over this many IDAT chunks. */
  idatChunks?: number;
  /** Extra chunks inserted before IDAT. */
  extraChunks?: Uint8Array[];
}

function packRow(spec: PngSpec, xs: number[], y: number): Uint8Array {
  const ch = CHANNELS[spec.colorType]!;
  const bits = ch * spec.bitDepth;
  const out = new Uint8Array(Math.ceil((xs.length * bits) / 8));
  let bit = 0;
  for (const x of xs) {
    const s = spec.sample(x, y);
    if (s.length !== ch) throw new Error(`sample must have ${ch} channels`);
    for (const v of s) {
      if (spec.bitDepth === 16) {
        out[bit >> 3] = (v >> 8) & 255;
        out[(bit >> 3) + 1] = v & 255;
      } else if (spec.bitDepth === 8) out[bit >> 3] = v;
      else out[bit >> 3]! |= v << (8 - spec.bitDepth - (bit & 7));
      bit += spec.bitDepth;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Applies a PNG filter to a row given the previous (unfiltered) row. */
function filterRow(type: number, row: Uint8Array, prev: Uint8Array | undefined, bpp: number): Uint8Array {
  const out = new Uint8Array(row.length + 1);
  out[0] = type;
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp]! : 0;
    const b = prev ? prev[i]! : 0;
    const c = prev && i >= bpp ? prev[i - bpp]! : 0;
    const pred = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
    out[i + 1] = (row[i]! - pred) & 255;
  }
  return out;
}

const ADAM7: [number, number, number, number][] = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** The filtered, uncompressed image data (what IDAT inflates to). */
export function rawImageData(spec: PngSpec): Uint8Array {
  const ch = CHANNELS[spec.colorType]!;
  const bpp = Math.max(1, (ch * spec.bitDepth) >> 3);
  const filter = spec.filter ?? ((r: number) => r % 5);
  const passes = spec.interlaced ? ADAM7 : [[0, 0, 1, 1] as [number, number, number, number]];
  const rows: Uint8Array[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    const xs: number[] = [];
    for (let x = x0; x < spec.width; x += dx) xs.push(x);
    if (xs.length === 0) continue;
    let prev: Uint8Array | undefined;
    let r = 0;
    for (let y = y0; y < spec.height; y += dy) {
      const row = packRow(spec, xs, y);
      rows.push(filterRow(filter(r++), row, prev, bpp));
      prev = row;
    }
  }
  return concatBytes(rows);
}

export function ihdr(width: number, height: number, bitDepth: number, colorType: number, interlace = 0): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  d[8] = bitDepth;
  d[9] = colorType;
  d[12] = interlace;
  return chunk('IHDR', d);
}

export function encodePng(spec: PngSpec): Uint8Array {
  const parts: Uint8Array[] = [PNG_SIGNATURE, ihdr(spec.width, spec.height, spec.bitDepth, spec.colorType, spec.interlaced ? 1 : 0)];
  if (spec.palette) parts.push(chunk('PLTE', new Uint8Array(spec.palette.flat())));
  if (spec.trns) parts.push(chunk('tRNS', spec.trns));
  parts.push(...(spec.extraChunks ?? []));
  const z = new Uint8Array(deflateSync(rawImageData(spec)));
  const n = Math.max(1, spec.idatChunks ?? 1);
  const step = Math.ceil(z.length / n);
  for (let i = 0; i < n; i++) parts.push(chunk('IDAT', z.subarray(i * step, Math.min(z.length, (i + 1) * step))));
  parts.push(chunk('IEND', new Uint8Array(0)));
  return concatBytes(parts);
}
