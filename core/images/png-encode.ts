import type { Deflate } from '../util/deflate.ts';
import { crc32 } from './png.ts';

/** One PNG chunk: length, type, data and CRC. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes 8-bit RGBA pixels (row-major, 4 bytes a pixel) as a PNG (colour
 * type 6, no interlacing, the Sub filter on every row: logos are mostly flat
 * runs, which Sub turns into zeros). The output is read back by our own
 * decoder in the tests.
 */
export function encodePngRgba(width: number, height: number, rgba: Uint8Array, deflate: Deflate): Uint8Array {
  if (rgba.length !== width * height * 4) throw new RangeError(`RGBA buffer is ${rgba.length} bytes; ${width} × ${height} needs ${width * height * 4}`);
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    const s = y * stride;
    raw[o] = 1;
    for (let i = 0; i < stride; i++) raw[o + 1 + i] = (rgba[s + i]! - (i >= 4 ? rgba[s + i - 4]! : 0)) & 255;
  }
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflate(raw, true)), pngChunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
