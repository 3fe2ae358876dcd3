import * as pdfjs from 'pdfjs-dist';
import type { LockupApi } from '../../../core/contracts/api.ts';
import type { BrandView } from '../../../core/contracts/api.ts';
import { call } from '../api/client.ts';
import { asPrinted, sanitiseSvg, serialiseSvg, svgToPdf } from '../../../core/images/svg/index.ts';

pdfjs.GlobalWorkerOptions.workerSrc = new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url).toString();

export type Drawable = ImageBitmap | HTMLCanvasElement;

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Renders page 1 of a PDF into a canvas `pixelWidth` wide. */
export async function renderPdfPage(bytes: Uint8Array, pixelWidth: number, background = 'rgba(0,0,0,0)'): Promise<HTMLCanvasElement> {
  // pdf.js takes ownership of (and detaches) the buffer it is given: hand it a copy, so cached bytes survive.
  const doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false }).promise;
  try {
    const page = await doc.getPage(1);
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: pixelWidth / base.width });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    // An alpha-capable context: logos keep their transparency over the page.
    const canvasContext = canvas.getContext('2d', { alpha: true })!;
    await page.render({ canvas, canvasContext, viewport, background }).promise;
    return canvas;
  } finally {
    await doc.destroy();
  }
}

/**
 * Draws an SVG logo `pixelWidth` wide. The browser is given the sanitised
 * model written back as SVG (core/images/svg), never the file's own bytes;
 * an <img> of a Blob also runs no script and fetches nothing.
 */
export async function renderSvg(bytes: Uint8Array, pixelWidth: number): Promise<HTMLCanvasElement> {
  // As printed: gradients in the solid colour the PDF uses (docs/decisions/0015), so canvas and PDF agree.
  const svg = asPrinted(sanitiseSvg(bytes, 'logo.svg'));
  const { width, height } = svgToPdf(svg, 'logo.svg');
  const w = Math.max(1, Math.round(pixelWidth));
  const h = Math.max(1, Math.round((pixelWidth * height) / width));
  const sized = { ...svg, root: { ...svg.root, attrs: { ...svg.root.attrs, width: String(w), height: String(h) } } };
  const url = URL.createObjectURL(new Blob([serialiseSvg(sized)], { type: 'image/svg+xml' }));
  try {
    const img = new Image(w, h);
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.getContext('2d', { alpha: true })!.drawImage(img, 0, 0, w, h);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Fonts and images the canvas draws, fetched once through the API. Fonts are
 * registered as FontFaces with kerning and ligatures off, because the
 * layout (and so the PDF) positions every glyph by its plain advance.
 */
export class AssetCache {
  private readonly bytes = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  private readonly images = new Map<string, Promise<Drawable>>();
  private readonly fonts = new Map<string, Promise<string>>();

  constructor(private readonly api: LockupApi) {}

  data(ref: string): Promise<Uint8Array<ArrayBuffer>> {
    let hit = this.bytes.get(ref);
    if (!hit) {
      hit = call(this.api, 'asset:get', { ref }).then((a) => base64ToBytes(a.data));
      this.bytes.set(ref, hit);
    }
    return hit;
  }

  /** The CSS family name of a brand font, loaded into document.fonts. */
  font(font: BrandView['fonts'][number]): Promise<string> {
    let hit = this.fonts.get(font.id);
    if (!hit) {
      const family = `lk-${font.id}`;
      hit = this.data(font.asset).then(async (bytes) => {
        const face = new FontFace(family, bytes, { featureSettings: '"kern" 0, "liga" 0, "clig" 0, "calt" 0' });
        await face.load();
        document.fonts.add(face);
        return family;
      });
      this.fonts.set(font.id, hit);
    }
    return hit;
  }

  /** A raster image as stored (EXIF orientation is applied when drawing), or a PDF or SVG logo rasterised. */
  image(ref: string, format: 'png' | 'jpeg' | 'pdf' | 'svg', pixelWidth: number): Promise<Drawable> {
    const key = format === 'pdf' || format === 'svg' ? `${ref}@${Math.ceil(pixelWidth / 256) * 256}` : ref;
    let hit = this.images.get(key);
    if (!hit) {
      hit = this.data(ref).then((bytes): Promise<Drawable> =>
        format === 'pdf'
          ? renderPdfPage(bytes, Math.max(64, Math.ceil(pixelWidth / 256) * 256))
          : format === 'svg'
            ? renderSvg(bytes, Math.max(64, Math.ceil(pixelWidth / 256) * 256))
            : createImageBitmap(new Blob([bytes], { type: format === 'png' ? 'image/png' : 'image/jpeg' }), { imageOrientation: 'none' }),
      );
      this.images.set(key, hit);
    }
    return hit;
  }

  async blobUrl(ref: string, type: string): Promise<string> {
    return URL.createObjectURL(new Blob([await this.data(ref)], { type }));
  }
}

export { base64ToBytes };
