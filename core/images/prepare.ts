import { PDFDocument, EncryptedPDFError } from 'pdf-lib';
import { LockupError } from '../errors.ts';
import type { Deflate } from '../util/deflate.ts';
import type { Inflate } from '../util/inflate.ts';
import { decodePng, readPngHeader } from './png.ts';
import { readJpegInfo } from './jpeg.ts';
import { FORMAT_NAMES, formatFromName, sniffFormat, type SniffedFormat } from './sniff.ts';
import { sanitiseSvg } from './svg/sanitise.ts';
import { svgToPdf, type SvgShading } from './svg/render.ts';

/** Images larger than this are refused before decoding (decompression bombs, absurd headers). */
export const MAX_IMAGE_PIXELS = 50_000_000;
export const MAX_IMAGE_SIDE = 20_000;

export type ImageFormat = 'png' | 'jpeg' | 'pdf' | 'svg';

export interface ImageInfo {
  format: ImageFormat;
  /** Displayed size in pixels (EXIF rotation applied); for PDF and SVG, the size in points. */
  width: number;
  height: number;
  vector: boolean;
  hasAlpha: boolean;
}

interface PreparedBase {
  /** Cache key chosen by the caller (the asset's sha256 in Lockup). */
  key: string;
  info: ImageInfo;
}

/** An image in the form the PDF writer embeds, computed once and reused across documents. */
export type PreparedImage =
  | (PreparedBase & { kind: 'jpeg'; data: Uint8Array; components: 1 | 3 | 4; invert: boolean; orientation: number; storedWidth: number; storedHeight: number })
  | (PreparedBase & {
      kind: 'raster';
      colors: 1 | 3;
      /** Deflated colour samples; with `predictor`, PNG-filtered rows straight from the file. */
      color: Uint8Array;
      predictor: boolean;
      alpha: Uint8Array | undefined;
    })
  | (PreparedBase & {
      kind: 'pdf';
      data: Uint8Array;
      /** Lower-left corner of the page's crop box: the embedded form keeps the page's coordinates. */
      originX: number;
      originY: number;
    })
  | (PreparedBase & {
      kind: 'svg';
      /** Deflated PDF operators of the sanitised drawing, for a form XObject with BBox [0 0 width height]. */
      content: Uint8Array;
      /** Alpha graphics states the operators name. */
      gstates: { name: string; ca: number; CA: number }[];
      /** Gradient fills the operators paint (`/Sh0 sh`). */
      shadings: SvgShading[];
      /** Always 0: the form is drawn like a PDF logo whose box starts at the origin. */
      originX: 0;
      originY: 0;
      /** What the sanitiser removed and what is drawn differently from a browser (docs/decisions/0015). */
      removed: string[];
      warnings: string[];
    });

function checkDimensions(width: number, height: number, name: string): void {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new LockupError(
      'image-too-large',
      `"${name}" declares ${width} × ${height} pixels; Lockup accepts up to ${MAX_IMAGE_SIDE} pixels a side and ${MAX_IMAGE_PIXELS / 1e6} megapixels`,
      { width, height },
    );
  }
}

/** Identifies the format from the content and refuses empty, unsupported or mislabelled files. */
export function identifyImage(bytes: Uint8Array, name: string): ImageFormat {
  if (bytes.byteLength === 0) throw new LockupError('file-empty', `"${name}" is empty`);
  const actual: SniffedFormat = sniffFormat(bytes);
  const claimed = formatFromName(name);
  if (actual !== 'png' && actual !== 'jpeg' && actual !== 'pdf' && actual !== 'svg') {
    const what = actual === 'unknown' ? 'not an image Lockup can read' : `a ${FORMAT_NAMES[actual]} image`;
    throw new LockupError('image-unsupported', `"${name}" is ${what}; use PNG, JPEG, PDF or SVG`, { format: actual });
  }
  if (claimed !== undefined && claimed !== actual) {
    throw new LockupError(
      'image-mislabelled',
      `"${name}" is named as ${FORMAT_NAMES[claimed]} but contains ${FORMAT_NAMES[actual]} data; rename it with the right extension`,
      { claimed, actual },
    );
  }
  return actual;
}

/**
 * Validates an image completely and converts it to its embeddable form.
 * PNG is decoded in full (so truncation and corruption are caught here, not
 * in the PDF writer); JPEG is passed through after its markers are checked;
 * PDF is parsed and its first page measured.
 */
/** Compression functions: node:zlib in the backend, pako elsewhere. */
export interface Codec {
  deflate: Deflate;
  inflate: Inflate;
}

export async function prepareImage(bytes: Uint8Array, name: string, key: string, codec: Codec): Promise<PreparedImage> {
  const { deflate } = codec;
  const format = identifyImage(bytes, name);
  if (format === 'png') {
    const header = readPngHeader(bytes, name);
    checkDimensions(header.width, header.height, name);
    const decoded = decodePng(header, name, codec.inflate);
    const info: ImageInfo = { format, width: decoded.width, height: decoded.height, vector: false, hasAlpha: decoded.alpha !== undefined };
    // 8-bit gray/RGB without transparency: embed the file's own filtered rows (PDF's PNG predictors).
    const passthrough = !header.interlaced && header.bitDepth === 8 && (header.colorType === 0 || header.colorType === 2) && !header.trns;
    const color = passthrough ? concat(header.idat) : deflate(decoded.color);
    return {
      kind: 'raster',
      key,
      info,
      colors: decoded.colors,
      color,
      predictor: passthrough,
      alpha: decoded.alpha ? deflate(decoded.alpha) : undefined,
    };
  }
  if (format === 'jpeg') {
    const j = readJpegInfo(bytes, name);
    checkDimensions(j.width, j.height, name);
    const rotated = j.orientation >= 5;
    return {
      kind: 'jpeg',
      key,
      info: { format, width: rotated ? j.height : j.width, height: rotated ? j.width : j.height, vector: false, hasAlpha: false },
      data: bytes,
      components: j.components,
      invert: j.components === 4 && j.adobe,
      orientation: j.orientation,
      storedWidth: j.width,
      storedHeight: j.height,
    };
  }
  if (format === 'svg') {
    // Sanitised, then converted to vector operators; the original bytes are never drawn.
    const svg = sanitiseSvg(bytes, name);
    const drawing = svgToPdf(svg, name);
    return {
      kind: 'svg',
      key,
      info: { format, width: drawing.width, height: drawing.height, vector: true, hasAlpha: true },
      content: deflate(new TextEncoder().encode(drawing.ops)),
      gstates: drawing.gstates,
      shadings: drawing.shadings,
      originX: 0,
      originY: 0,
      removed: svg.removed,
      warnings: drawing.warnings,
    };
  }
  const box = await measurePdf(bytes, name);
  return { kind: 'pdf', key, info: { format, width: box.width, height: box.height, vector: true, hasAlpha: true }, data: bytes, originX: box.x, originY: box.y };
}

async function measurePdf(bytes: Uint8Array, name: string): Promise<{ x: number; y: number; width: number; height: number }> {
  let box: { x: number; y: number; width: number; height: number };
  let pages: number;
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
    pages = doc.getPageCount();
    box = pages > 0 ? doc.getPage(0).getCropBox() : { x: 0, y: 0, width: 0, height: 0 };
  } catch (err) {
    if (err instanceof EncryptedPDFError || /encrypt/i.test((err as Error).message)) {
      throw new LockupError('pdf-logo-encrypted', `"${name}" is an encrypted PDF; save an unprotected copy of the logo`);
    }
    // Anything pdf-lib cannot walk (broken xref, missing page tree…) is a damaged file, not our failure.
    throw new LockupError('pdf-logo-invalid', `"${name}" is not a readable PDF: ${(err as Error).message}`);
  }
  if (pages < 1) throw new LockupError('pdf-logo-invalid', `"${name}" has no pages`);
  if (pages > 1) throw new LockupError('pdf-logo-invalid', `"${name}" has ${pages} pages; a logo PDF must have exactly one`, { pages });
  if (!(box.width > 0 && box.height > 0)) throw new LockupError('pdf-logo-invalid', `"${name}" has an empty page`);
  return { x: box.x, y: box.y, width: box.width, height: box.height };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
