import { deflateSync, inflateSync } from 'node:zlib';
import pako from 'pako';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { imageFixture } from '../../test/core-support/files.ts';
import { findMarker, withOrientation } from '../../test/core-support/jpeg-edit.ts';
import { chunk, concatBytes, encodePng, ihdr, PNG_SIGNATURE, rawImageData, type PngSpec } from '../../test/core-support/png-encode.ts';
import { portableCodec } from '../util/codec.ts';
import { portableInflate } from '../util/inflate.ts';
import { decodePng, readPngHeader } from './png.ts';
import { identifyImage, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, prepareImage, type Codec, type PreparedImage } from './prepare.ts';
import { firstDifference } from '../../test/core-support/bytes.ts';
import { thrown } from '../../test/support/errors.ts';

async function refusal(p: Promise<unknown>): Promise<LockupError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(LockupError);
    return err as LockupError;
  }
  throw new Error('expected a refusal');
}

function identifyRefusal(bytes: Uint8Array, name: string): LockupError {
  return thrown(() => identifyImage(bytes, name));
}

/** A codec that records every inflate call's declared limit. */
function spyCodec(): Codec & { caps: number[] } {
  const caps: number[] = [];
  return {
    caps,
    deflate: portableCodec.deflate,
    inflate: (data, max) => {
      caps.push(max);
      return portableCodec.inflate(data, max);
    },
  };
}

const prep = (name: string, codec: Codec = portableCodec) => prepareImage(imageFixture(name), name, `key:${name}`, codec);
const raster = (img: PreparedImage) => {
  if (img.kind !== 'raster') throw new Error(`expected raster, got ${img.kind}`);
  return img;
};

describe('identifyImage', () => {
  it('empty → file-empty', () => {
    const e = identifyRefusal(imageFixture('empty.png'), 'empty.png');
    expect(e.code).toBe('file-empty');
    expect(e.message).toBe('"empty.png" is empty');
  });

  it('JPEG bytes named .png → image-mislabelled, with both formats', () => {
    const e = identifyRefusal(imageFixture('jpeg-named-as.png'), 'jpeg-named-as.png');
    expect(e.code).toBe('image-mislabelled');
    expect(e.details).toEqual({ claimed: 'png', actual: 'jpeg' });
    expect(e.message).toContain('named as PNG but contains JPEG');
  });

  it('SVG is identified by content; named as another format → image-mislabelled', () => {
    for (const n of ['script.svg', 'entity.svg', 'logo-clean.svg']) expect(identifyImage(imageFixture(n), n)).toBe('svg');
    expect(identifyRefusal(imageFixture('script.svg'), 'sneaky.png').code).toBe('image-mislabelled');
  });

  it('SVG: sanitised and prepared as vector; entity declarations refused (docs/decisions/0015)', async () => {
    const logo = await prepareImage(imageFixture('logo-clean.svg'), 'logo-clean.svg', 'k', portableCodec);
    expect(logo.kind).toBe('svg');
    expect(logo.info).toEqual({ format: 'svg', width: 180, height: 60, vector: true, hasAlpha: true });
    if (logo.kind !== 'svg') throw new Error('not svg');
    expect(logo.removed).toEqual([]);
    expect(new TextDecoder().decode(portableInflate(logo.content, 1 << 20))).toMatch(/^1.5 0 0 -1.5 0 60 cm\n/);
    const script = await prepareImage(imageFixture('script.svg'), 'script.svg', 'k', portableCodec);
    expect(script.kind === 'svg' && script.removed).toEqual(['script element']);
    const entity = await refusal(prepareImage(imageFixture('entity.svg'), 'entity.svg', 'k', portableCodec));
    expect(entity.code).toBe('svg-refused');
    expect(entity.message).toMatch(/"entity\.svg" was refused: it has a DOCTYPE declaration/);
  });

  it('GIF and unrecognised data → image-unsupported', () => {
    const gif = identifyRefusal(imageFixture('logo.gif'), 'logo.gif');
    expect(gif.code).toBe('image-unsupported');
    expect(gif.details).toEqual({ format: 'gif' });
    expect(gif.message).toContain('a GIF image');
    const text = identifyRefusal(imageFixture('not-an-image.png'), 'not-an-image.png');
    expect(text.code).toBe('image-unsupported');
    expect(text.message).toContain('not an image Lockup can read');
  });

  it('accepts matching and extension-less names', () => {
    expect(identifyImage(imageFixture('logo.jpg'), 'logo.jpeg')).toBe('jpeg');
    expect(identifyImage(imageFixture('logo-rgba.png'), 'upload')).toBe('png');
    expect(identifyImage(imageFixture('logo-vector.pdf'), 'logo.ai')).toBe('pdf');
  });
});

describe('prepareImage: PNG', () => {
  it('absurd dimensions → image-too-large before any decoding', async () => {
    const codec = spyCodec();
    const t0 = performance.now();
    const e = await refusal(prep('absurd-dimensions.png', codec));
    expect(e.code).toBe('image-too-large');
    expect(e.details).toEqual({ width: 100000, height: 100000 });
    expect(codec.caps).toEqual([]); // inflate never called
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('limits: a side over 20 000 px or more than 50 megapixels is too large; exactly at the limits is not', async () => {
    const header = (w: number, h: number) => concatBytes([PNG_SIGNATURE, ihdr(w, h, 8, 0), chunk('IDAT', new Uint8Array(deflateSync(new Uint8Array(0)))), chunk('IEND', new Uint8Array(0))]);
    const codec = spyCodec();
    expect((await refusal(prepareImage(header(MAX_IMAGE_SIDE + 1, 1), 'a.png', 'k', codec))).code).toBe('image-too-large');
    expect((await refusal(prepareImage(header(10_000, 5_001), 'b.png', 'k', codec))).code).toBe('image-too-large');
    expect(10_000 * 5_001).toBeGreaterThan(MAX_IMAGE_PIXELS);
    expect(codec.caps).toEqual([]);
    // 20 000 × 1 passes the size check and reaches the decoder (which then finds no data).
    const atLimit = await refusal(prepareImage(header(MAX_IMAGE_SIDE, 1), 'c.png', 'k', codec));
    expect(atLimit.code).toBe('image-truncated');
    expect(codec.caps).toEqual([1 + MAX_IMAGE_SIDE]);
  });

  it('bomb.png (10 × 10 declared, 50 MB of data) → image-corrupt, inflate capped at the declared 310 bytes', async () => {
    const codec = spyCodec();
    const e = await refusal(prep('bomb.png', codec));
    expect(e.code).toBe('image-corrupt');
    expect(e.message).toContain('larger than the image declares');
    expect(codec.caps).toEqual([10 * (1 + 10 * 3)]);
  });

  it('the portable inflate stops as soon as the cap is passed (never produces the 50 MB)', () => {
    const idat = readPngHeader(imageFixture('bomb.png'), 'bomb.png').idat[0]!;
    expect(inflateSync(idat).length).toBeGreaterThan(40_000_000); // it really is a bomb
    let produced = 0;
    const proto = pako.Inflate.prototype as unknown as Record<string, unknown>;
    const original = Object.getOwnPropertyDescriptor(proto, 'onData');
    Object.defineProperty(proto, 'onData', {
      configurable: true,
      get(this: { _spy?: (c: Uint8Array) => void }) {
        return this._spy;
      },
      set(this: { _spy?: (c: Uint8Array) => void }, fn: (c: Uint8Array) => void) {
        this._spy = (c: Uint8Array) => {
          produced += c.length;
          fn.call(this, c);
        };
      },
    });
    try {
      expect(() => portableInflate(idat, 310)).toThrow('larger than the image declares');
    } finally {
      if (original) Object.defineProperty(proto, 'onData', original);
    }
    expect(produced).toBeGreaterThan(310);
    expect(produced).toBeLessThanOrEqual(1 << 20);
  });

  it('truncated.png → image-truncated; crc-damaged.png → image-corrupt', async () => {
    expect((await refusal(prep('truncated.png'))).code).toBe('image-truncated');
    expect((await refusal(prep('crc-damaged.png'))).code).toBe('image-corrupt');
  });

  it('16-bit RGBA: decoded colour and alpha, deflated, no predictor', async () => {
    const img = raster(await prep('logo-rgba.png'));
    const ref = decodePng(readPngHeader(imageFixture('logo-rgba.png'), 'x'), 'x', portableInflate);
    expect(img.key).toBe('key:logo-rgba.png');
    expect(img.info).toEqual({ format: 'png', width: 600, height: 200, vector: false, hasAlpha: true });
    expect(img.colors).toBe(3);
    expect(img.predictor).toBe(false);
    expect(firstDifference(inflateSync(img.color), ref.color)).toBe(-1);
    expect(firstDifference(inflateSync(img.alpha!), ref.alpha!)).toBe(-1);
  });

  it('all valid PNG fixtures prepare; the 16-bit, interlaced and RGBA variants give identical pixels', async () => {
    const names = ['logo-rgba.png', 'logo-16bit.png', 'logo-interlaced.png'];
    const imgs = await Promise.all(names.map((n) => prep(n)));
    const colors = imgs.map((i) => inflateSync(raster(i).color));
    const alphas = imgs.map((i) => inflateSync(raster(i).alpha!));
    expect(colors[1]!.equals(colors[0]!)).toBe(true);
    expect(colors[2]!.equals(colors[0]!)).toBe(true);
    expect(alphas[1]!.equals(alphas[0]!)).toBe(true);
    expect(alphas[2]!.equals(alphas[0]!)).toBe(true);
    for (const n of ['logo-palette.png', 'logo-gray-alpha.png', 'gray16.png', 'logo-opaque.png', 'logo-tiny.png']) {
      const img = raster(await prep(n));
      expect(img.info.format, n).toBe('png');
    }
  });

  it('16-bit opaque RGB (logo-opaque.png) is decoded to 8 bits: no predictor, no alpha', async () => {
    const img = raster(await prep('logo-opaque.png'));
    expect(readPngHeader(imageFixture('logo-opaque.png'), 'x').bitDepth).toBe(16);
    expect(img.predictor).toBe(false);
    expect(img.alpha).toBeUndefined();
    expect(img.info.hasAlpha).toBe(false);
    expect(inflateSync(img.color).length).toBe(600 * 200 * 3);
  });

  const opaque8: PngSpec = { width: 17, height: 6, colorType: 2, bitDepth: 8, sample: (x, y) => [x * 15, y * 40, (x * y) & 255] };

  it('8-bit opaque RGB uses the predictor pass-through: the file’s own IDAT bytes, no alpha', async () => {
    const bytes = encodePng({ ...opaque8, idatChunks: 3 });
    const img = raster(await prepareImage(bytes, 'opaque.png', 'k', portableCodec));
    expect(img.predictor).toBe(true);
    expect(img.alpha).toBeUndefined();
    expect(img.colors).toBe(3);
    expect(img.info.hasAlpha).toBe(false);
    expect(img.color).toEqual(concatBytes(readPngHeader(bytes, 'x').idat));
    // …which inflate to the PNG-filtered rows (what /DecodeParms Predictor 15 expects).
    expect(new Uint8Array(inflateSync(img.color))).toEqual(rawImageData(opaque8));
  });

  it('8-bit gray also passes through; with tRNS or interlacing it does not', async () => {
    const gray = raster(await prepareImage(encodePng({ width: 4, height: 4, colorType: 0, bitDepth: 8, sample: (x) => [x * 60] }), 'g.png', 'k', portableCodec));
    expect([gray.predictor, gray.colors]).toEqual([true, 1]);
    const keyed = raster(await prepareImage(encodePng({ ...opaque8, trns: new Uint8Array([0, 0, 0, 0, 0, 0]) }), 't.png', 'k', portableCodec));
    expect(keyed.predictor).toBe(false);
    expect(keyed.alpha).toBeDefined();
    const inter = raster(await prepareImage(encodePng({ ...opaque8, interlaced: true }), 'i.png', 'k', portableCodec));
    expect(inter.predictor).toBe(false);
    const expected = new Uint8Array(17 * 6 * 3);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 17; x++) expected.set(opaque8.sample(x, y), (y * 17 + x) * 3);
    expect(new Uint8Array(inflateSync(inter.color))).toEqual(expected);
  });
});

describe('prepareImage: JPEG', () => {
  it('is passed through with its dimensions and components', async () => {
    const bytes = imageFixture('logo.jpg');
    const img = await prepareImage(bytes, 'logo.jpg', 'k', portableCodec);
    expect(img).toMatchObject({ kind: 'jpeg', components: 3, invert: false, orientation: 1, storedWidth: 600, storedHeight: 200 });
    expect(img.info).toEqual({ format: 'jpeg', width: 600, height: 200, vector: false, hasAlpha: false });
    if (img.kind === 'jpeg') expect(img.data).toBe(bytes);
  });

  it('Adobe CMYK is marked for inversion; progressive is accepted', async () => {
    expect(await prep('logo-cmyk.jpg')).toMatchObject({ kind: 'jpeg', components: 4, invert: true });
    expect(await prep('logo-progressive.jpg')).toMatchObject({ kind: 'jpeg', components: 3, invert: false, info: { width: 600, height: 200 } });
  });

  it('EXIF orientation 6 swaps the displayed width and height, keeping the stored size', async () => {
    const bytes = withOrientation(imageFixture('exif-rotated.jpg'), 6);
    const img = await prepareImage(bytes, 'exif-rotated.jpg', 'k', portableCodec);
    expect(img).toMatchObject({ kind: 'jpeg', orientation: 6, storedWidth: 200, storedHeight: 100, info: { width: 100, height: 200 } });
    // Orientations 2–4 keep the sides.
    expect((await prepareImage(withOrientation(imageFixture('exif-rotated.jpg'), 3), 'r.jpg', 'k', portableCodec)).info).toMatchObject({ width: 200, height: 100 });
  });

  it('truncated.jpg → image-truncated; absurd JPEG dimensions → image-too-large', async () => {
    expect((await refusal(prep('truncated.jpg'))).code).toBe('image-truncated');
    const big = imageFixture('logo.jpg').slice();
    const sof = findMarker(big, 0xc0);
    big[sof + 7] = 0xff; // width 0xFF58 = 65368
    expect((await refusal(prepareImage(big, 'big.jpg', 'k', portableCodec))).code).toBe('image-too-large');
  });
});

describe('prepareImage: PDF logos', () => {
  it('logo-vector.pdf is a 200 × 60 pt vector image', async () => {
    const img = await prep('logo-vector.pdf');
    expect(img.kind).toBe('pdf');
    expect(img.info).toEqual({ format: 'pdf', width: 200, height: 60, vector: true, hasAlpha: true });
    if (img.kind === 'pdf') expect([img.originX, img.originY]).toEqual([0, 0]);
  });

  it('encrypted.pdf → pdf-logo-encrypted', async () => {
    const enc = await refusal(prep('encrypted.pdf'));
    expect(enc.code).toBe('pdf-logo-encrypted');
    expect(enc.message).toContain('"encrypted.pdf"');
  });

  it('a PDF cut inside an object → pdf-logo-invalid (not readable); cut before any page → pdf-logo-invalid (no pages)', async () => {
    const v = imageFixture('logo-vector.pdf');
    const cut = await refusal(prepareImage(v.subarray(0, 300), 'cut.pdf', 'k', portableCodec));
    expect(cut.code).toBe('pdf-logo-invalid');
    expect(cut.message).toContain('is not a readable PDF');
    const early = await refusal(prepareImage(v.subarray(0, 120), 'early.pdf', 'k', portableCodec));
    expect(early.code).toBe('pdf-logo-invalid');
    expect(early.message).toContain('has no pages');
  });

  // Bug: broken.pdf parses (its catalog names a missing /Pages 9 0 R), and
  // measurePdf calls doc.getPageCount() outside its try/catch, so pdf-lib's
  // "Expected instance of PDFDict, but got instance of undefined" escapes as a
  // plain Error (→ 'internal' on the wire) instead of pdf-logo-invalid.
  it('broken.pdf → pdf-logo-invalid', async () => {
    const broken = await refusal(prep('broken.pdf'));
    expect(broken.code).toBe('pdf-logo-invalid');
    expect(broken.message).toContain('"broken.pdf"');
  });

  it('uses the crop box and its origin; refuses multi-page PDFs', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([300, 200]);
    page.setCropBox(50, 20, 120, 80);
    const one = await prepareImage(await doc.save(), 'cropped.pdf', 'k', portableCodec);
    expect(one.info).toMatchObject({ width: 120, height: 80 });
    if (one.kind === 'pdf') expect([one.originX, one.originY]).toEqual([50, 20]);
    doc.addPage([10, 10]);
    const e = await refusal(prepareImage(await doc.save(), 'two.pdf', 'k', portableCodec));
    expect(e.code).toBe('pdf-logo-invalid');
    expect(e.message).toContain('2 pages');
  });
});
