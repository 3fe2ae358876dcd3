import { describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { imageFixture } from '../../test/core-support/files.ts';
import { exifSegment, findMarker, insertAfterSoi, withOrientation } from '../../test/core-support/jpeg-edit.ts';
import { readJpegInfo } from './jpeg.ts';
import { thrown } from '../../test/support/errors.ts';

function refusal(bytes: Uint8Array, name = 'x.jpg'): LockupError {
  return thrown(() => readJpegInfo(bytes, name));
}

/** A copy of logo.jpg with bytes of its SOF0 segment changed (offsets from the marker). */
function editSof(edit: (b: Uint8Array, sof: number) => void): Uint8Array {
  const b = imageFixture('logo.jpg').slice();
  const sof = findMarker(b, 0xc0);
  expect(sof).toBeGreaterThan(0);
  edit(b, sof);
  return b;
}

describe('readJpegInfo on the fixtures', () => {
  it('baseline RGB', () => {
    expect(readJpegInfo(imageFixture('logo.jpg'), 'logo.jpg')).toEqual({ width: 600, height: 200, components: 3, progressive: false, adobe: false, orientation: 1 });
  });

  it('Adobe CMYK: four components and the Adobe marker', () => {
    expect(readJpegInfo(imageFixture('logo-cmyk.jpg'), 'c.jpg')).toMatchObject({ width: 600, height: 200, components: 4, adobe: true });
  });

  it('progressive', () => {
    expect(readJpegInfo(imageFixture('logo-progressive.jpg'), 'p.jpg')).toMatchObject({ width: 600, height: 200, components: 3, progressive: true });
  });

  it('exif-rotated.jpg is 200 × 100 as stored (note: the committed fixture carries no EXIF block, so orientation reads 1)', () => {
    const bytes = imageFixture('exif-rotated.jpg');
    expect(findMarker(bytes, 0xe1)).toBe(-1);
    expect(readJpegInfo(bytes, 'exif-rotated.jpg')).toMatchObject({ width: 200, height: 100, orientation: 1 });
  });

  it('truncated.jpg → image-truncated', () => {
    const e = refusal(imageFixture('truncated.jpg'), 'truncated.jpg');
    expect(e.code).toBe('image-truncated');
    expect(e.message).toContain('"truncated.jpg"');
  });
});

describe('EXIF orientation', () => {
  it('reads orientation 6 from big- and little-endian EXIF', () => {
    for (const little of [false, true]) {
      const bytes = withOrientation(imageFixture('exif-rotated.jpg'), 6, little);
      expect(readJpegInfo(bytes, 'r.jpg')).toMatchObject({ width: 200, height: 100, orientation: 6 });
    }
  });

  it('reads every valid orientation and ignores out-of-range values', () => {
    for (let o = 1; o <= 8; o++) expect(readJpegInfo(withOrientation(imageFixture('logo.jpg'), o), 'r.jpg').orientation).toBe(o);
    expect(readJpegInfo(withOrientation(imageFixture('logo.jpg'), 9), 'r.jpg').orientation).toBe(1);
    expect(readJpegInfo(withOrientation(imageFixture('logo.jpg'), 0), 'r.jpg').orientation).toBe(1);
  });

  const xmpText = new TextEncoder().encode('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>');
  const xmp = new Uint8Array([0xff, 0xe1, 0, xmpText.length + 2, ...xmpText]);

  it('ignores an APP1 segment that is not EXIF (e.g. XMP)', () => {
    expect(readJpegInfo(insertAfterSoi(imageFixture('logo.jpg'), xmp), 'x.jpg').orientation).toBe(1);
    // XMP first, then EXIF: the EXIF orientation is read.
    const xmpThenExif = insertAfterSoi(insertAfterSoi(imageFixture('logo.jpg'), exifSegment(6, false)), xmp);
    expect(readJpegInfo(xmpThenExif, 'x.jpg').orientation).toBe(6);
  });

  // Bug: every APP1 segment overwrites `orientation`, and a non-EXIF APP1
  // (XMP) yields 1. Photos edited in Adobe tools carry APP1 Exif followed by
  // APP1 XMP, so their rotation is lost and they are drawn sideways.
  it('keeps the EXIF orientation when an XMP APP1 segment follows it', () => {
    const exifThenXmp = insertAfterSoi(insertAfterSoi(imageFixture('logo.jpg'), xmp), exifSegment(6, false));
    expect(readJpegInfo(exifThenXmp, 'x.jpg').orientation).toBe(6);
  });
});

describe('readJpegInfo refusals', () => {
  it('no end marker → image-truncated', () => {
    const b = imageFixture('logo.jpg');
    const e = refusal(b.subarray(0, b.length - 2));
    expect(e.code).toBe('image-truncated');
    expect(e.message).toContain('end marker');
  });

  it('cut inside the marker segments → image-truncated', () => {
    const b = imageFixture('logo.jpg');
    const sof = findMarker(b, 0xc0);
    expect(refusal(b.subarray(0, sof + 6)).message).toContain('cut short');
    // Cut right after the frame header: there is no scan.
    const sofEnd = sof + 2 + ((b[sof + 2]! << 8) | b[sof + 3]!);
    const noScan = new Uint8Array([...b.subarray(0, sofEnd), 0xff, 0xd9]);
    expect(refusal(noScan).message).toContain('no image data');
    expect(refusal(new Uint8Array([0xff, 0xd8, 0xff, 0xd9])).message).toContain('no frame header');
  });

  it('trailing data after EOI is accepted', () => {
    const b = imageFixture('logo.jpg');
    const padded = new Uint8Array([...b, ...new Uint8Array(1000).fill(0x20)]);
    expect(readJpegInfo(padded, 'x.jpg').width).toBe(600);
  });

  it('a bad marker byte → image-corrupt', () => {
    const b = imageFixture('logo.jpg').slice();
    b[2] = 0x00;
    const e = refusal(b);
    expect(e.code).toBe('image-corrupt');
    expect(e.message).toContain('bad marker at byte 2');
  });

  it('lossless and arithmetic codings → image-unsupported', () => {
    for (const m of [0xc3, 0xc9, 0xcb]) {
      const b = editSof((x, at) => (x[at + 1] = m));
      const e = refusal(b);
      expect(e.code, m.toString(16)).toBe('image-unsupported');
      expect(e.message).toContain('lossless or arithmetic');
    }
  });

  it('12-bit precision → image-unsupported', () => {
    const e = refusal(editSof((b, at) => (b[at + 4] = 12)));
    expect(e.code).toBe('image-unsupported');
    expect(e.message).toContain('12-bit');
  });

  it('two colour components → image-unsupported', () => {
    const e = refusal(editSof((b, at) => (b[at + 9] = 2)));
    expect(e.code).toBe('image-unsupported');
    expect(e.message).toContain('2 colour components');
  });

  it('zero width → image-corrupt', () => {
    expect(refusal(editSof((b, at) => (b[at + 7] = 0, b[at + 8] = 0))).code).toBe('image-corrupt');
  });

  it('reads dimensions from the frame header', () => {
    // height at +5..+6, width at +7..+8
    const b = editSof((x, at) => {
      x[at + 5] = 0x01;
      x[at + 6] = 0x2c; // 300
      x[at + 7] = 0x03;
      x[at + 8] = 0xe8; // 1000
    });
    expect(readJpegInfo(b, 'x.jpg')).toMatchObject({ width: 1000, height: 300 });
  });
});
