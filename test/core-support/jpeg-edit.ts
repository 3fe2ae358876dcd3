/** Test helpers that edit JPEG marker segments (the pixels are left untouched). */

/** An APP1 "Exif" segment whose IFD0 holds one Orientation entry. */
export function exifSegment(orientation: number, littleEndian: boolean): Uint8Array {
  const tiff = new Uint8Array(8 + 2 + 12 + 4);
  const v = new DataView(tiff.buffer);
  tiff[0] = tiff[1] = littleEndian ? 0x49 : 0x4d;
  v.setUint16(2, 42, littleEndian);
  v.setUint32(4, 8, littleEndian); // IFD0 right after the header
  v.setUint16(8, 1, littleEndian); // one entry
  v.setUint16(10, 0x0112, littleEndian); // Orientation
  v.setUint16(12, 3, littleEndian); // SHORT
  v.setUint32(14, 1, littleEndian); // count
  v.setUint16(18, orientation, littleEndian); // value, left-justified in the 4-byte field
  v.setUint32(22, 0, littleEndian); // no next IFD
  const payload = new Uint8Array(6 + tiff.length);
  payload.set([0x45, 0x78, 0x69, 0x66, 0, 0], 0); // "Exif\0\0"
  payload.set(tiff, 6);
  const seg = new Uint8Array(4 + payload.length);
  seg[0] = 0xff;
  seg[1] = 0xe1;
  seg[2] = ((payload.length + 2) >> 8) & 255;
  seg[3] = (payload.length + 2) & 255;
  seg.set(payload, 4);
  return seg;
}

/** Inserts a marker segment right after SOI. */
export function insertAfterSoi(jpeg: Uint8Array, segment: Uint8Array): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const out = new Uint8Array(jpeg.length + segment.length);
  out.set(jpeg.subarray(0, 2), 0);
  out.set(segment, 2);
  out.set(jpeg.subarray(2), 2 + segment.length);
  return out;
}

export function withOrientation(jpeg: Uint8Array, orientation: number, littleEndian = false): Uint8Array {
  return insertAfterSoi(jpeg, exifSegment(orientation, littleEndian));
}

/** Offset of the first marker with this code (e.g. 0xc0 for SOF0), walking segments from SOI. */
export function findMarker(jpeg: Uint8Array, marker: number): number {
  let p = 2;
  while (p + 4 <= jpeg.length) {
    if (jpeg[p] !== 0xff) return -1;
    const m = jpeg[p + 1]!;
    if (m === marker) return p;
    if (m === 0xda) return -1;
    p += 2 + ((jpeg[p + 2]! << 8) | jpeg[p + 3]!);
  }
  return -1;
}
