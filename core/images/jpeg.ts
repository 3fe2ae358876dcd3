import { LockupError } from '../errors.ts';

export interface JpegInfo {
  width: number;
  height: number;
  components: 1 | 3 | 4;
  progressive: boolean;
  /** An Adobe APP14 marker is present (CMYK data is then stored inverted). */
  adobe: boolean;
  /** EXIF orientation 1..8 (1 = as stored). */
  orientation: number;
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The orientation in an APP1 EXIF segment; undefined for other APP1 segments (XMP). */
function readExifOrientation(bytes: Uint8Array, start: number, end: number): number | undefined {
  // "Exif\0\0" then a TIFF header.
  if (end - start < 14 || String.fromCharCode(...bytes.subarray(start, start + 4)) !== 'Exif') return undefined;
  const tiff = start + 6;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[tiff] === 0x49;
  const u16 = (o: number) => view.getUint16(o, little);
  const u32 = (o: number) => view.getUint32(o, little);
  if (tiff + 8 > end) return 1;
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return 1;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) break;
    if (u16(entry) === 0x0112) {
      const v = u16(entry + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

/**
 * Reads a JPEG's frame header, Adobe and EXIF markers, and checks that the
 * file holds scan data and ends with an EOI marker (truncation check).
 */
export function readJpegInfo(bytes: Uint8Array, name: string): JpegInfo {
  let p = 2;
  let frame: { width: number; height: number; components: number; progressive: boolean; precision: number; marker: number } | undefined;
  let adobe = false;
  let orientation = 1;
  let sawScan = false;
  while (p < bytes.byteLength) {
    if (bytes[p] !== 0xff) throw new LockupError('image-corrupt', `"${name}" is a damaged JPEG (bad marker at byte ${p})`);
    const marker = bytes[p + 1];
    if (marker === undefined) break;
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    if (marker === 0xd9) break;
    if (p + 4 > bytes.byteLength) break;
    const length = (bytes[p + 2]! << 8) | bytes[p + 3]!;
    const segStart = p + 4;
    const segEnd = p + 2 + length;
    if (length < 2 || segEnd > bytes.byteLength) throw new LockupError('image-truncated', `"${name}" is a truncated JPEG (a marker segment is cut short)`);
    if (SOF_MARKERS.has(marker)) {
      frame = {
        precision: bytes[segStart]!,
        height: (bytes[segStart + 1]! << 8) | bytes[segStart + 2]!,
        width: (bytes[segStart + 3]! << 8) | bytes[segStart + 4]!,
        components: bytes[segStart + 5]!,
        progressive: marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce,
        marker,
      };
    } else if (marker === 0xee && String.fromCharCode(...bytes.subarray(segStart, segStart + 5)) === 'Adobe') adobe = true;
    else if (marker === 0xe1) orientation = readExifOrientation(bytes, segStart, segEnd) ?? orientation;
    else if (marker === 0xda) {
      sawScan = true;
      break;
    }
    p = segEnd;
  }
  if (!frame) throw new LockupError('image-truncated', `"${name}" is not a complete JPEG (no frame header)`);
  if (!sawScan) throw new LockupError('image-truncated', `"${name}" is a truncated JPEG (no image data)`);
  // The last EOI may be followed by padding or trailing metadata; look near the end.
  let eoi = false;
  for (let i = bytes.byteLength - 2; i >= Math.max(p, bytes.byteLength - 65536); i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) {
      eoi = true;
      break;
    }
  }
  if (!eoi) throw new LockupError('image-truncated', `"${name}" is a truncated JPEG (the end marker is missing)`);
  if (frame.marker >= 0xc9 || frame.marker === 0xc3 || frame.marker === 0xc7 || frame.marker === 0xcb || frame.marker === 0xcf) {
    throw new LockupError('image-unsupported', `"${name}" uses a JPEG coding (lossless or arithmetic) that PDF viewers do not support; save it as a baseline JPEG or PNG`);
  }
  if (frame.precision !== 8) throw new LockupError('image-unsupported', `"${name}" is a ${frame.precision}-bit JPEG; save it as an 8-bit JPEG or PNG`);
  if (frame.components !== 1 && frame.components !== 3 && frame.components !== 4) {
    throw new LockupError('image-unsupported', `"${name}" has ${frame.components} colour components; use a grayscale, RGB or CMYK JPEG`);
  }
  if (frame.width === 0 || frame.height === 0) throw new LockupError('image-corrupt', `"${name}" declares an empty image`);
  return { width: frame.width, height: frame.height, components: frame.components, progressive: frame.progressive, adobe, orientation };
}
