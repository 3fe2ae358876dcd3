import { decode } from 'fast-png';
import { LockupError } from '../errors.ts';

const SIGNATURE_LENGTH = 8;

let crcTable: Uint32Array | undefined;
function crc32(data: Uint8Array, start: number, end: number): number {
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

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  /** Concatenated IDAT payload (zlib stream). */
  idat: Uint8Array[];
  hasTrns: boolean;
}

/**
 * Walks every chunk and checks lengths and CRCs, so a truncated or damaged
 * file is refused before any pixel is decoded.
 */
export function readPngHeader(bytes: Uint8Array, name: string): PngHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = SIGNATURE_LENGTH;
  let header: Omit<PngHeader, 'idat' | 'hasTrns'> | undefined;
  const idat: Uint8Array[] = [];
  let hasTrns = false;
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
    if (type === 'IHDR') {
      if (length < 13) throw new LockupError('image-corrupt', `"${name}" has a malformed PNG header`);
      header = {
        width: view.getUint32(p + 8),
        height: view.getUint32(p + 12),
        bitDepth: bytes[p + 16]!,
        colorType: bytes[p + 17]!,
        interlaced: bytes[p + 20] === 1,
      };
    } else if (!header) {
      throw new LockupError('image-corrupt', `"${name}" is not a valid PNG (IHDR is not the first chunk)`);
    } else if (type === 'IDAT') idat.push(bytes.subarray(p + 8, p + 8 + length));
    else if (type === 'tRNS') hasTrns = true;
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
  return { ...header, idat, hasTrns };
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

/** Decodes a PNG (any bit depth, colour type or interlacing) to 8-bit colour + optional alpha. */
export function decodePng(bytes: Uint8Array, name: string): Rgba8 {
  let png;
  try {
    png = decode(bytes, { checkCrc: true });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    const truncated = /EOF|end of|out of bounds|offset/i.test(cause);
    throw new LockupError(truncated ? 'image-truncated' : 'image-corrupt', `"${name}" could not be decoded as PNG: ${cause}`);
  }
  const { width, height, depth, channels } = png;
  const n = width * height;
  const src = png.data;
  const at = depth === 16 ? (i: number) => (src[i]! >> 8) & 0xff : (i: number) => src[i]!;
  const scaleLow = depth < 8 && !png.palette ? 255 / ((1 << depth) - 1) : 1;
  const expected = png.palette ? n : n * channels;
  if (src.length < expected) throw new LockupError('image-truncated', `"${name}" is a truncated PNG (image data ends early)`);

  if (png.palette) {
    const color = new Uint8Array(n * 3);
    const alpha = new Uint8Array(n);
    let translucent = false;
    const pal = png.palette;
    const trns = png.transparency;
    for (let i = 0; i < n; i++) {
      const idx = src[i]!;
      const entry = pal[idx] ?? [0, 0, 0];
      color[i * 3] = entry[0]!;
      color[i * 3 + 1] = entry[1]!;
      color[i * 3 + 2] = entry[2]!;
      const a = entry.length > 3 ? entry[3]! : trns && idx < trns.length ? trns[idx]! : 255;
      alpha[i] = a;
      if (a !== 255) translucent = true;
    }
    return { width, height, colors: 3, color, alpha: translucent ? alpha : undefined };
  }

  const colors: 1 | 3 = channels >= 3 ? 3 : 1;
  const hasAlphaChannel = channels === 2 || channels === 4;
  const color = new Uint8Array(n * colors);
  const alpha = new Uint8Array(n);
  let translucent = false;
  const key = png.transparency; // colour-key transparency for gray / RGB
  for (let i = 0; i < n; i++) {
    const base = i * channels;
    for (let c = 0; c < colors; c++) color[i * colors + c] = Math.round(at(base + c) * scaleLow);
    let a = hasAlphaChannel ? at(base + channels - 1) : 255;
    if (key && !hasAlphaChannel) {
      const matches = colors === 1 ? src[base] === key[0] : src[base] === key[0] && src[base + 1] === key[1] && src[base + 2] === key[2];
      if (matches) a = 0;
    }
    alpha[i] = a;
    if (a !== 255) translucent = true;
  }
  return { width, height, colors, color, alpha: translucent ? alpha : undefined };
}
