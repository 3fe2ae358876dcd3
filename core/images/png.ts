import { LockupError } from '../errors.ts';
import type { Inflate } from '../util/inflate.ts';

const SIGNATURE_LENGTH = 8;

let crcTable: Uint32Array | undefined;
/** CRC-32 of data[start, end) as PNG chunks use it. */
export function crc32(data: Uint8Array, start = 0, end = data.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  /** IDAT payloads (one zlib stream split across chunks). */
  idat: Uint8Array[];
  palette: Uint8Array | undefined;
  trns: Uint8Array | undefined;
}

/**
 * Walks every chunk and checks lengths, CRCs and the header's values, so a
 * truncated, damaged or nonsensical file is refused before any pixel is
 * decoded.
 */
export function readPngHeader(bytes: Uint8Array, name: string): PngHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = SIGNATURE_LENGTH;
  let header: Pick<PngHeader, 'width' | 'height' | 'bitDepth' | 'colorType' | 'interlaced'> | undefined;
  const idat: Uint8Array[] = [];
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  let sawEnd = false;
  while (p < bytes.byteLength) {
    if (p + 8 > bytes.byteLength) throw new LockupError('image-truncated', `"${name}" is a truncated PNG (cut inside a chunk header)`);
    const length = view.getUint32(p);
    const type = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!, bytes[p + 6]!, bytes[p + 7]!);
    const end = p + 12 + length;
    if (length > 0x7fffffff || end > bytes.byteLength) throw new LockupError('image-truncated', `"${name}" is a truncated PNG (the ${type} chunk is cut short)`);
    if (crc32(bytes, p + 4, p + 8 + length) !== view.getUint32(p + 8 + length)) {
      throw new LockupError('image-corrupt', `"${name}" is a damaged PNG (checksum error in the ${type} chunk)`);
    }
    const data = bytes.subarray(p + 8, p + 8 + length);
    if (type === 'IHDR') {
      if (length < 13) throw new LockupError('image-corrupt', `"${name}" has a malformed PNG header`);
      header = { width: view.getUint32(p + 8), height: view.getUint32(p + 12), bitDepth: data[8]!, colorType: data[9]!, interlaced: data[12] === 1 };
      if (data[10] !== 0 || data[11] !== 0 || data[12]! > 1) throw new LockupError('image-corrupt', `"${name}" uses an unknown PNG compression, filter or interlace method`);
      const depths = DEPTHS[header.colorType];
      if (!depths || !depths.includes(header.bitDepth)) {
        throw new LockupError('image-corrupt', `"${name}" declares an invalid PNG format (colour type ${header.colorType}, ${header.bitDepth}-bit)`);
      }
    } else if (!header) {
      throw new LockupError('image-corrupt', `"${name}" is not a valid PNG (IHDR is not the first chunk)`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    p = end;
  }
  if (!header) throw new LockupError('image-truncated', `"${name}" is a truncated PNG (no header)`);
  if (idat.length === 0) throw new LockupError('image-truncated', `"${name}" is a truncated PNG (no image data)`);
  if (!sawEnd) throw new LockupError('image-truncated', `"${name}" is a truncated PNG (the end marker is missing)`);
  if (header.width === 0 || header.height === 0) throw new LockupError('image-corrupt', `"${name}" declares an empty image (${header.width} × ${header.height})`);
  if (header.colorType === 3 && !palette) throw new LockupError('image-corrupt', `"${name}" is a palette PNG without a palette`);
  return { ...header, idat, palette, trns };
}

export interface Rgba8 {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB) colour channels. */
  colors: 1 | 3;
  color: Uint8Array;
  /** Present only when some pixel is not fully opaque. */
  alpha: Uint8Array | undefined;
}

const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function passes(h: PngHeader): { x0: number; y0: number; dx: number; dy: number; w: number; rows: number }[] {
  if (!h.interlaced) return [{ x0: 0, y0: 0, dx: 1, dy: 1, w: h.width, rows: h.height }];
  return ADAM7.map(([x0, y0, dx, dy]) => ({ x0, y0, dx, dy, w: Math.ceil((h.width - x0) / dx), rows: Math.ceil((h.height - y0) / dy) })).filter((p) => p.w > 0 && p.rows > 0);
}

/** Reverses PNG row filters in place; `bpp` is bytes per complete pixel (at least 1). */
function unfilter(raw: Uint8Array, at: number, rows: number, stride: number, bpp: number, name: string): void {
  let prev = -1;
  for (let y = 0; y < rows; y++) {
    const f = raw[at]!;
    const row = at + 1;
    const end = row + stride;
    if (f === 1) {
      for (let i = row + bpp; i < end; i++) raw[i] = (raw[i]! + raw[i - bpp]!) & 255;
    } else if (f === 2) {
      if (prev >= 0) for (let i = row, j = prev; i < end; i++, j++) raw[i] = (raw[i]! + raw[j]!) & 255;
    } else if (f === 3) {
      for (let i = row, j = prev; i < end; i++, j++) {
        const left = i - row >= bpp ? raw[i - bpp]! : 0;
        const up = prev >= 0 ? raw[j]! : 0;
        raw[i] = (raw[i]! + ((left + up) >> 1)) & 255;
      }
    } else if (f === 4) {
      if (prev < 0) {
        // First row: Paeth reduces to "left".
        for (let i = row + bpp; i < end; i++) raw[i] = (raw[i]! + raw[i - bpp]!) & 255;
      } else {
        for (let i = row, j = prev; i < row + bpp; i++, j++) raw[i] = (raw[i]! + raw[j]!) & 255;
        for (let i = row + bpp, j = prev + bpp; i < end; i++, j++) {
          const a = raw[i - bpp]!;
          const b = raw[j]!;
          const c = raw[j - bpp]!;
          let pa = b - c;
          let pb = a - c;
          let pc = pa + pb;
          if (pa < 0) pa = -pa;
          if (pb < 0) pb = -pb;
          if (pc < 0) pc = -pc;
          raw[i] = (raw[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
        }
      }
    } else if (f !== 0) {
      throw new LockupError('image-corrupt', `"${name}" is a damaged PNG (unknown row filter ${f})`);
    }
    prev = row;
    at += stride + 1;
  }
}

/**
 * Decodes a validated PNG (any colour type, bit depth or interlacing) to
 * 8-bit colour plus an alpha channel when some pixel is not opaque. The
 * decompressed size is known from the header, so inflate is capped there.
 */
export function decodePng(h: PngHeader, name: string, inflate: Inflate): Rgba8 {
  const channels = CHANNELS[h.colorType]!;
  const bitsPerPixel = channels * h.bitDepth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const layout = passes(h);
  const expected = layout.reduce((s, p) => s + p.rows * (1 + Math.ceil((p.w * bitsPerPixel) / 8)), 0);
  const total = h.idat.reduce((s, d) => s + d.byteLength, 0);
  const joined = new Uint8Array(total);
  let off = 0;
  for (const d of h.idat) {
    joined.set(d, off);
    off += d.byteLength;
  }
  let raw: Uint8Array;
  try {
    raw = inflate(joined, expected);
  } catch (err) {
    throw new LockupError('image-corrupt', `"${name}" could not be decoded as PNG: ${(err as Error).message}`);
  }
  if (raw.byteLength < expected) throw new LockupError('image-truncated', `"${name}" is a truncated PNG (image data ends early)`);

  const n = h.width * h.height;
  const colors: 1 | 3 = h.colorType === 2 || h.colorType === 3 || h.colorType === 6 ? 3 : 1;
  const color = new Uint8Array(n * colors);
  const alpha = new Uint8Array(n).fill(255);
  let translucent = false;
  const maxSample = (1 << h.bitDepth) - 1;
  const trns = h.trns;
  const key16 = (i: number) => (trns && trns.length >= i * 2 + 2 ? (trns[i * 2]! << 8) | trns[i * 2 + 1]! : -1);
  const keyGray = h.colorType === 0 ? key16(0) : -1;
  const keyRgb = h.colorType === 2 ? [key16(0), key16(1), key16(2)] : undefined;

  if (!h.interlaced && h.bitDepth === 8 && h.colorType !== 3 && !trns) {
    // Fast path for the common 8-bit gray / gray+alpha / RGB / RGBA files.
    const stride = h.width * channels;
    unfilter(raw, 0, h.height, stride, bpp, name);
    const hasA = h.colorType === 4 || h.colorType === 6;
    for (let y = 0; y < h.height; y++) {
      let src = y * (stride + 1) + 1;
      let px = y * h.width;
      for (let x = 0; x < h.width; x++, px++) {
        if (colors === 3) {
          color[px * 3] = raw[src]!;
          color[px * 3 + 1] = raw[src + 1]!;
          color[px * 3 + 2] = raw[src + 2]!;
        } else color[px] = raw[src]!;
        if (hasA) {
          const a = raw[src + channels - 1]!;
          if (a !== 255) {
            alpha[px] = a;
            translucent = true;
          }
        }
        src += channels;
      }
    }
    return { width: h.width, height: h.height, colors, color, alpha: translucent ? alpha : undefined };
  }

  let at = 0;
  for (const pass of layout) {
    const stride = Math.ceil((pass.w * bitsPerPixel) / 8);
    unfilter(raw, at, pass.rows, stride, bpp, name);
    for (let r = 0; r < pass.rows; r++) {
      const row = at + 1 + r * (stride + 1);
      const y = pass.y0 + r * pass.dy;
      for (let c = 0; c < pass.w; c++) {
        const x = pass.x0 + c * pass.dx;
        const px = y * h.width + x;
        // Samples of this pixel, full precision.
        const sample = (k: number): number => {
          if (h.bitDepth === 8) return raw[row + c * channels + k]!;
          if (h.bitDepth === 16) {
            const o = row + (c * channels + k) * 2;
            return (raw[o]! << 8) | raw[o + 1]!;
          }
          const bit = (c * channels + k) * h.bitDepth;
          return (raw[row + (bit >> 3)]! >> (8 - h.bitDepth - (bit & 7))) & maxSample;
        };
        const to8 = (v: number) => (h.bitDepth === 16 ? v >> 8 : h.bitDepth === 8 ? v : Math.round((v * 255) / maxSample));
        let a = 255;
        if (h.colorType === 3) {
          const idx = sample(0);
          const pal = h.palette!;
          if (idx * 3 + 2 < pal.length) {
            color[px * 3] = pal[idx * 3]!;
            color[px * 3 + 1] = pal[idx * 3 + 1]!;
            color[px * 3 + 2] = pal[idx * 3 + 2]!;
          }
          if (trns && idx < trns.length) a = trns[idx]!;
        } else if (colors === 1) {
          const g = sample(0);
          color[px] = to8(g);
          if (h.colorType === 4) a = to8(sample(1));
          else if (g === keyGray) a = 0;
        } else {
          const rr = sample(0);
          const gg = sample(1);
          const bb = sample(2);
          color[px * 3] = to8(rr);
          color[px * 3 + 1] = to8(gg);
          color[px * 3 + 2] = to8(bb);
          if (h.colorType === 6) a = to8(sample(3));
          else if (keyRgb && rr === keyRgb[0] && gg === keyRgb[1] && bb === keyRgb[2]) a = 0;
        }
        if (a !== 255) {
          alpha[px] = a;
          translucent = true;
        }
      }
    }
    at += pass.rows * (stride + 1);
  }
  return { width: h.width, height: h.height, colors, color, alpha: translucent ? alpha : undefined };
}
