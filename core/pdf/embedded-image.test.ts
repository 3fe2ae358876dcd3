import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderPlan } from '../compose/plan.ts';
import { prepareImage, type PreparedImage } from '../images/prepare.ts';
import { imageFixture } from '../../test/core-support/files.ts';
import { encodePng } from '../../test/core-support/png-encode.ts';
import { portableCodec } from '../util/codec.ts';
import { portableDeflate } from '../util/deflate.ts';
import { portableInflate } from '../util/inflate.ts';
import { embeddedImageContent, EmbeddedImageError, readEmbeddedImage } from './embedded-image.ts';
import { imageResourceName, PdfWriter } from './writer.ts';

/** A distinct sha256-shaped key per image (the writer names XObjects after its first 16 hex digits). */
const key = (n: number) => `sha256:${n.toString(16).padStart(2, '0').repeat(32)}`;

const sources: [string, () => Uint8Array][] = [
  ['RGBA PNG (alpha as an SMask)', () => imageFixture('logo-rgba.png')],
  ['16-bit opaque RGB PNG (samples re-deflated)', () => imageFixture('logo-opaque.png')],
  ['gray + alpha PNG', () => imageFixture('logo-gray-alpha.png')],
  ['palette PNG', () => imageFixture('logo-palette.png')],
  ['interlaced PNG', () => imageFixture('logo-interlaced.png')],
  // 8-bit RGB without transparency: the file's own filtered rows, every filter type, with Predictor 15.
  ['8-bit opaque RGB PNG (passed through with a predictor)', () => encodePng({ width: 37, height: 11, colorType: 2, bitDepth: 8, sample: (x, y) => [x * 7, y * 23, (x * y) & 255], filter: (row) => row % 5 })],
  ['8-bit gray PNG (passed through)', () => encodePng({ width: 9, height: 5, colorType: 0, bitDepth: 8, sample: (x, y) => [x * 20 + y], filter: () => 4 })],
];

const prepared: PreparedImage[] = [];
let jpeg: PreparedImage;
let doc: PDFDocument;

async function writePlan(images: PreparedImage[]): Promise<PDFDocument> {
  const plan: RenderPlan = {
    width: 400,
    height: 400,
    bleed: 0,
    pages: [{ background: undefined, items: images.map((image, i) => ({ type: 'image' as const, zoneId: `z${i}`, static: false, image, place: { x: 10 + i * 40, y: 10, w: 30, h: 30 }, clip: undefined })) }],
    meta: { title: 't', author: 'a', subject: 's', keywords: [] },
  };
  const bytes = await new PdfWriter(portableDeflate).write(plan, { colorMode: 'rgb', producer: 'test', fixedDate: new Date(Date.UTC(2000, 0, 1)) });
  return PDFDocument.load(bytes, { updateMetadata: false });
}

beforeAll(async () => {
  for (const [i, [name, bytes]] of sources.entries()) prepared.push(await prepareImage(bytes(), `${name}.png`, key(i + 1), portableCodec));
  jpeg = await prepareImage(imageFixture('logo.jpg'), 'logo.jpg', key(99), portableCodec);
  doc = await writePlan([...prepared, jpeg]);
});

/** Byte arrays as digests: comparing 100 000-element arrays element by element is slow. */
const digest = (parts: Uint8Array | Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of Array.isArray(parts) ? parts : [parts]) h.update(p).update('|');
  return h.digest('hex');
};
const comparable = (image: PreparedImage) =>
  Object.fromEntries(Object.entries(image).map(([k, v]) => [k, v instanceof Uint8Array ? `${v.byteLength} bytes, ${digest(v)}` : v]));

const read = (d: PDFDocument, k: string) => readEmbeddedImage(d, k, portableInflate, 64 * 1024 * 1024);

/** The XObject the writer made for `k`, to damage in a copy of the document. */
async function damaged(k: string, edit: (stream: PDFRawStream, d: PDFDocument) => PDFRawStream): Promise<PDFDocument> {
  const copy = await PDFDocument.load(await doc.save({ useObjectStreams: false }), { updateMetadata: false });
  const xobjects = copy.getPage(0).node.Resources()!.lookup(PDFName.of('XObject')) as PDFDict;
  const ref = xobjects.get(PDFName.of(imageResourceName(k))) as PDFRef;
  copy.context.assign(ref, edit(copy.context.lookup(ref) as PDFRawStream, copy));
  return copy;
}

const withData = (s: PDFRawStream, data: Uint8Array, d: PDFDocument) => PDFRawStream.of(s.dict.clone(d.context), data);

/** The same stream with one dictionary entry replaced. */
const withEntry = (key: string, value: unknown) => (s: PDFRawStream, d: PDFDocument) => {
  const dict = s.dict.clone(d.context);
  dict.set(PDFName.of(key), d.context.obj(value as Parameters<typeof d.context.obj>[0]));
  return PDFRawStream.of(dict, s.contents);
};

describe('readEmbeddedImage', () => {
  it.each(sources.map(([name], i) => [name, i] as const))('rebuilds %s exactly as prepareImage made it, with the same content', (_name, i) => {
    const image = prepared[i]!;
    const found = read(doc, image.key);
    expect(found).toMatchObject({ page: 1, kind: 'raster', name: imageResourceName(image.key) });
    if (found?.kind !== 'raster') throw new Error('not raster');
    expect(comparable(found.image)).toEqual(comparable(image));
    expect(digest(embeddedImageContent(found.image, portableInflate))).toBe(digest(embeddedImageContent(image, portableInflate)));
  });

  it('covers both routes: predictor rows passed through, and deflated samples with and without alpha', () => {
    expect(prepared.map((p) => (p.kind === 'raster' ? [p.predictor, p.alpha !== undefined] : undefined))).toEqual([
      [false, true],
      [false, false],
      [false, true],
      [false, true],
      [false, true],
      [true, false],
      [true, false],
    ]);
  });

  it('a JPEG comes back as the file itself', () => {
    expect(read(doc, jpeg.key)).toEqual({ page: 1, name: imageResourceName(jpeg.key), kind: 'jpeg', data: imageFixture('logo.jpg') });
  });

  it('an image no page names is undefined', () => {
    expect(read(doc, key(200))).toBeUndefined();
  });

  it('the content differs as soon as one sample does, and not when only the compression does', () => {
    const image = prepared[0]!;
    if (image.kind !== 'raster') throw new Error('not raster');
    const samples = portableInflate(image.color, 1 << 24);
    samples[100] = samples[100]! ^ 1;
    const changed = { ...image, color: portableDeflate(samples) };
    expect(digest(embeddedImageContent(changed, portableInflate))).not.toBe(digest(embeddedImageContent(image, portableInflate)));
    samples[100] = samples[100]! ^ 1;
    const recompressed = { ...image, color: new Uint8Array(zlib.deflateSync(samples, { level: 1 })) };
    expect(digest(embeddedImageContent(recompressed, portableInflate))).toBe(digest(embeddedImageContent(image, portableInflate)));
  });

  describe('refuses damaged or unexpected data with a reason, never crashing', () => {
    const rgba = () => prepared[0]!;
    const passthrough = () => prepared[5]!;
    const cases: [string, () => PreparedImage, (s: PDFRawStream, d: PDFDocument) => PDFRawStream, RegExp][] = [
      ['truncated colour data', rgba, (s, d) => withData(s, s.contents.subarray(0, s.contents.length >> 1), d), /colour data cannot be decompressed/],
      ['garbage instead of zlib', rgba, (s, d) => withData(s, new Uint8Array(s.contents.length).fill(7), d), /colour data cannot be decompressed/],
      ['too few samples', rgba, (s, d) => withData(s, new Uint8Array(zlib.deflateSync(Buffer.alloc(10))), d), /holds 10 bytes where 360000 are needed/],
      ['more samples than declared (a bomb)', rgba, (s, d) => withData(s, new Uint8Array(zlib.deflateSync(Buffer.alloc(4 * 1024 * 1024))), d), /colour data cannot be decompressed/],
      [
        'an unknown PNG row filter',
        passthrough,
        (s, d) => {
          const rows = portableInflate(s.contents, 1 << 20);
          rows[(1 + 37 * 3) * 3] = 9;
          return withData(s, portableDeflate(rows), d);
        },
        /row 4 of its colour data has the unknown PNG filter 9/,
      ],
      ['an absurd size', rgba, withEntry('Width', 30000), /declares a size Lockup never writes/],
      ['a size that disagrees with the data', rgba, withEntry('Height', 201), /holds 360000 bytes where 361800 are needed/],
      ['another colour space', rgba, withEntry('ColorSpace', 'DeviceCMYK'), /not 8-bit RGB or gray/],
      ['another filter', rgba, withEntry('Filter', 'LZWDecode'), /not compressed the way Lockup writes images/],
      ['other decoding parameters', passthrough, withEntry('DecodeParms', { Predictor: 2, Colors: 3, BitsPerComponent: 8, Columns: 37 }), /decoding parameters/],
      ['a soft mask of another size', rgba, (s, d) => {
        const mask = s.dict.lookup(PDFName.of('SMask')) as PDFRawStream;
        mask.dict.set(PDFName.of('Width'), d.context.obj(599));
        return s;
      }, /soft mask/],
      ['a damaged soft mask', rgba, (s, d) => {
        const ref = s.dict.get(PDFName.of('SMask')) as PDFRef;
        const mask = d.context.lookup(ref) as PDFRawStream;
        d.context.assign(ref, withData(mask, mask.contents.subarray(0, 20), d));
        return s;
      }, /alpha channel cannot be decompressed/],
      ['not an image at all', rgba, (s, d) => PDFRawStream.of(d.context.obj({ Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 1, 1] }) as PDFDict, new Uint8Array(0)), /is not an image/],
    ];
    it.each(cases)('%s', async (_name, image, edit, message) => {
      const d = await damaged(image().key, edit);
      let error: unknown;
      try {
        read(d, image().key);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(EmbeddedImageError);
      expect((error as Error).message).toMatch(message);
    });
  });
});
