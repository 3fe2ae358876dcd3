import { PDFDict, PDFName, PDFNumber, PDFRawStream, type PDFDocument, type PDFObject } from 'pdf-lib';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, type PreparedImage } from '../images/prepare.ts';
import type { Inflate } from '../util/inflate.ts';
import { imageResourceName } from './writer.ts';

/**
 * A partner's raster logo, rebuilt from the image XObject the writer made
 * of it (docs/decisions/0018). Exports no longer attach PNG and JPEG logo
 * files: what the page draws is enough to re-render the file, because the
 * writer embeds a prepared image's payload as it is (core/pdf/writer.ts
 * `embedImage`):
 *
 * - `jpeg`: the JPEG file itself, `/DCTDecode`.
 * - `raster` (from PNG): the colour samples as one `/FlateDecode` stream
 *   (with `/DecodeParms << /Predictor 15 … >>` when they are the PNG's own
 *   filtered rows) and the alpha channel, when some pixel is not opaque, as
 *   a `/DeviceGray` `/SMask` stream.
 *
 * Reading refuses anything the writer does not produce, and inflates with
 * the exact size the dictionary implies, so a damaged or hostile stream is
 * an error, never a crash or an unbounded allocation.
 */

/** The image on the page is not one Lockup writes, or its data is damaged; the message says how. */
export class EmbeddedImageError extends Error {
  constructor(
    message: string,
    /** The page (1-based) that draws the image, once known. */
    readonly page: number | null = null,
  ) {
    super(message);
  }
}

export type EmbeddedImage =
  /** The JPEG file as embedded: validate it like any new logo before use (prepareImage). */
  | { page: number; name: string; kind: 'jpeg'; data: Uint8Array }
  | { page: number; name: string; kind: 'raster'; image: Extract<PreparedImage, { kind: 'raster' }> };

const name = (dict: PDFDict, key: string): string | undefined => {
  const v = dict.lookup(PDFName.of(key));
  return v instanceof PDFName ? v.decodeText() : undefined;
};

const int = (dict: PDFDict, key: string): number | undefined => {
  const v = dict.lookup(PDFName.of(key));
  return v instanceof PDFNumber && Number.isInteger(v.asNumber()) ? v.asNumber() : undefined;
};

/** The first page (1-based) whose resources name `resource`, and the object it names. */
function findXObject(doc: PDFDocument, resource: string): { page: number; obj: PDFObject | undefined } | undefined {
  const pages = doc.getPages();
  for (let i = 0; i < pages.length; i++) {
    const xobjects = pages[i]!.node.Resources()?.lookup(PDFName.of('XObject'));
    if (!(xobjects instanceof PDFDict) || !xobjects.has(PDFName.of(resource))) continue;
    return { page: i + 1, obj: xobjects.lookup(PDFName.of(resource)) };
  }
  return undefined;
}

/** Inflates exactly `size` bytes; less, more or undecodable data is damage. */
function inflateExact(data: Uint8Array, size: number, inflate: Inflate, what: string): Uint8Array {
  let out: Uint8Array;
  try {
    out = inflate(data, size);
  } catch (err) {
    throw new EmbeddedImageError(`its ${what} cannot be decompressed (${(err as Error).message})`);
  }
  if (out.byteLength !== size) throw new EmbeddedImageError(`its ${what} holds ${out.byteLength} bytes where ${size} are needed`);
  return out;
}

/** Size of the decompressed colour stream of a raster image. */
function colorBytes(width: number, height: number, colors: number, predictor: boolean): number {
  return (predictor ? 1 + width * colors : width * colors) * height;
}

/** PNG row filters are 0–4; anything else is not data a PNG (or Lockup) produces. */
function checkRowFilters(rows: Uint8Array, width: number, height: number, colors: number): void {
  const stride = 1 + width * colors;
  for (let y = 0; y < height; y++) {
    const f = rows[y * stride]!;
    if (f > 4) throw new EmbeddedImageError(`row ${y + 1} of its colour data has the unknown PNG filter ${f}`);
  }
}

/**
 * Finds the image the writer embedded for the asset `key` (resource
 * `Im-<first 16 hex>` on any page) and rebuilds it. Returns undefined when
 * no page names that resource; throws EmbeddedImageError when it is not an
 * image Lockup writes or its data is damaged. `maxBytes` bounds every
 * decompressed stream.
 */
export function readEmbeddedImage(doc: PDFDocument, key: string, inflate: Inflate, maxBytes: number): EmbeddedImage | undefined {
  const resource = imageResourceName(key);
  const found = findXObject(doc, resource);
  if (!found) return undefined;
  try {
    return readImage(found.obj, found.page, resource, key, inflate, maxBytes);
  } catch (err) {
    if (err instanceof EmbeddedImageError) throw new EmbeddedImageError(err.message, found.page);
    throw err;
  }
}

function readImage(obj: PDFObject | undefined, page: number, resource: string, key: string, inflate: Inflate, maxBytes: number): EmbeddedImage {
  if (!(obj instanceof PDFRawStream) || name(obj.dict, 'Subtype') !== 'Image') throw new EmbeddedImageError(`/${resource} is not an image`);
  const dict = obj.dict;
  const filter = name(dict, 'Filter');
  if (filter === 'DCTDecode') return { page, name: resource, kind: 'jpeg', data: obj.contents };
  if (filter !== 'FlateDecode') throw new EmbeddedImageError(`/${resource} is not compressed the way Lockup writes images`);

  const width = int(dict, 'Width');
  const height = int(dict, 'Height');
  if (width === undefined || height === undefined || width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new EmbeddedImageError(`/${resource} declares a size Lockup never writes`);
  }
  const space = name(dict, 'ColorSpace');
  const colors = space === 'DeviceRGB' ? 3 : space === 'DeviceGray' ? 1 : undefined;
  if (colors === undefined || int(dict, 'BitsPerComponent') !== 8) throw new EmbeddedImageError(`/${resource} is not 8-bit RGB or gray`);
  const parms = dict.lookup(PDFName.of('DecodeParms'));
  let predictor = false;
  if (parms !== undefined) {
    if (!(parms instanceof PDFDict) || int(parms, 'Predictor') !== 15 || int(parms, 'Colors') !== colors || int(parms, 'BitsPerComponent') !== 8 || int(parms, 'Columns') !== width) {
      throw new EmbeddedImageError(`/${resource} has decoding parameters Lockup never writes`);
    }
    predictor = true;
  }
  const size = colorBytes(width, height, colors, predictor);
  if (size > maxBytes) throw new EmbeddedImageError(`/${resource} is larger than verification reads`);
  const samples = inflateExact(obj.contents, size, inflate, 'colour data');
  if (predictor) checkRowFilters(samples, width, height, colors);

  let alpha: Uint8Array | undefined;
  const smask = dict.lookup(PDFName.of('SMask'));
  if (smask !== undefined) {
    if (
      !(smask instanceof PDFRawStream) ||
      name(smask.dict, 'Subtype') !== 'Image' ||
      name(smask.dict, 'Filter') !== 'FlateDecode' ||
      name(smask.dict, 'ColorSpace') !== 'DeviceGray' ||
      int(smask.dict, 'BitsPerComponent') !== 8 ||
      int(smask.dict, 'Width') !== width ||
      int(smask.dict, 'Height') !== height ||
      smask.dict.has(PDFName.of('DecodeParms'))
    ) {
      throw new EmbeddedImageError(`the soft mask of /${resource} is not one Lockup writes`);
    }
    inflateExact(smask.contents, width * height, inflate, 'alpha channel');
    alpha = smask.contents;
  }
  // The compressed bytes are kept as they are: re-rendering writes them back unchanged.
  const image: Extract<PreparedImage, { kind: 'raster' }> = {
    kind: 'raster',
    key,
    info: { format: 'png', width, height, vector: false, hasAlpha: alpha !== undefined },
    colors,
    color: obj.contents,
    predictor,
    alpha,
  };
  return { page, name: resource, kind: 'raster', image };
}

/**
 * The content of a raster or JPEG image as the PDF carries it, in one
 * canonical form whatever the compressed bytes: a header naming the kind,
 * size and layout, then the decompressed colour stream (PNG-filtered rows
 * when `predictor`) and alpha for raster images, or the JPEG file. Its
 * sha256 is the manifest's `page-image` hash (docs/decisions/0018), the
 * same whether computed at export from the prepared logo or at verification
 * from the image rebuilt by `readEmbeddedImage`.
 */
export function embeddedImageContent(image: PreparedImage, inflate: Inflate): Uint8Array[] {
  const header = (s: string) => new TextEncoder().encode(`lockup.embedded-image/1 ${s}\n`);
  if (image.kind === 'jpeg') return [header(`jpeg ${image.storedWidth}x${image.storedHeight} components=${image.components}`), image.data];
  if (image.kind !== 'raster') throw new EmbeddedImageError(`a ${image.kind} image is drawn from vector operators, not rebuilt from the page`);
  const { width, height } = image.info;
  const parts = [
    header(`raster ${width}x${height} colors=${image.colors} predictor=${image.predictor ? 15 : 'none'} alpha=${image.alpha ? 'smask' : 'none'}`),
    inflateExact(image.color, colorBytes(width, height, image.colors, image.predictor), inflate, 'colour data'),
  ];
  if (image.alpha) parts.push(inflateExact(image.alpha, width * height, inflate, 'alpha channel'));
  return parts;
}
