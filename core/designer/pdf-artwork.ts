import { EncryptedPDFError, PDFDocument, PDFName } from 'pdf-lib';
import { LockupError } from '../errors.ts';
import type { Rect } from '../model/template.ts';

/** One page of a vendor's PDF, cut out as a single-page PDF to be a template page's locked artwork. */
export interface ArtworkPage {
  /** 1-based page number in the source file. */
  number: number;
  /** A one-page PDF: the page's content, its box cut to the trim plus bleed, no annotations. */
  bytes: Uint8Array;
  /** Trim size in points (the template's page size). */
  width: number;
  height: number;
  /** Bleed in points on every side (the smallest margin between trim and crop box, at most 72). */
  bleed: number;
  /** Where the artwork goes on the template page: the trim box plus the bleed. */
  rect: Rect;
}

/** Largest page side the template model accepts, in points (200 in). */
const MAX_SIDE = 14400;
const MAX_BLEED = 72;
/** Pages differing by less than this are the same size (rounding in the producing tool). */
const SAME_SIZE = 0.5;

const round2 = (v: number) => Math.round(v * 100) / 100;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function inside(inner: Box, outer: Box): boolean {
  const e = 0.01;
  return inner.x >= outer.x - e && inner.y >= outer.y - e && inner.x + inner.width <= outer.x + outer.width + e && inner.y + inner.height <= outer.y + outer.height + e;
}

async function load(bytes: Uint8Array, name: string): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (err) {
    if (err instanceof EncryptedPDFError || /encrypt/i.test((err as Error).message)) {
      throw new LockupError('pdf-logo-encrypted', `"${name}" is an encrypted (password-protected) PDF; save a copy without protection and try again`);
    }
    throw new LockupError('pdf-logo-invalid', `"${name}" is not a readable PDF: ${(err as Error).message}`);
  }
}

/**
 * Cuts pages out of a vendor's PDF as template artwork: each becomes a
 * one-page PDF (embedded later as a vector form, like a PDF logo) whose box
 * is the trim box plus the bleed, so the canvas (pdf.js draws the crop box)
 * and the export (the form's box) show exactly the same area.
 *
 * `pages` picks 1-based page numbers; "all" takes every page, which must then
 * share one trim size (a template has one page size). Rotated pages are
 * refused: the PDF writer embeds pages unrotated, and a preview that differs
 * from the export is worse than a clear refusal.
 *
 * Parse untrusted files in a killable worker first (backend/); this function
 * assumes the file is known to load.
 */
export async function splitPdfArtwork(bytes: Uint8Array, name: string, pages: 'all' | number): Promise<{ pageCount: number; pages: ArtworkPage[] }> {
  const src = await load(bytes, name);
  try {
    return await split(src, name, pages);
  } catch (err) {
    if (err instanceof LockupError) throw err;
    // pdf-lib loads lazily in places: a damaged page tree or page object surfaces here, not in load().
    throw new LockupError('pdf-logo-invalid', `"${name}" is not a readable PDF: ${(err as Error).message}`);
  }
}

async function split(src: PDFDocument, name: string, pages: 'all' | number): Promise<{ pageCount: number; pages: ArtworkPage[] }> {
  const pageCount = src.getPageCount();
  if (pageCount < 1) throw new LockupError('pdf-logo-invalid', `"${name}" has no pages`);
  if (pageCount > 200) throw new LockupError('pdf-logo-invalid', `"${name}" has ${pageCount} pages; a template has at most 200 — choose one page`);
  if (pages !== 'all' && (!Number.isInteger(pages) || pages < 1 || pages > pageCount)) {
    throw new LockupError('invalid-argument', `"${name}" has ${pageCount} page${pageCount === 1 ? '' : 's'}; there is no page ${pages}`);
  }
  const numbers = pages === 'all' ? Array.from({ length: pageCount }, (_, i) => i + 1) : [pages];

  // First measure every page: sizes must agree, and the template gets the smallest bleed any page allows.
  const measured = numbers.map((number) => {
    const page = src.getPage(number - 1);
    const angle = ((page.getRotation().angle % 360) + 360) % 360;
    if (angle !== 0) throw new LockupError('pdf-logo-invalid', `Page ${number} of "${name}" is rotated by ${angle}°; save it upright (without page rotation) and try again`);
    const crop = page.getCropBox();
    const declaredTrim = page.getTrimBox();
    const trim = inside(declaredTrim, crop) && declaredTrim.width > 0 && declaredTrim.height > 0 ? declaredTrim : crop;
    if (!(trim.width > 0 && trim.height > 0)) throw new LockupError('pdf-logo-invalid', `Page ${number} of "${name}" is empty (its page box has no area)`);
    if (trim.width > MAX_SIDE || trim.height > MAX_SIDE) {
      throw new LockupError('pdf-logo-invalid', `Page ${number} of "${name}" is ${round2(trim.width)} × ${round2(trim.height)} pt; templates are at most ${MAX_SIDE} pt (200 in) a side`);
    }
    const margin = Math.min(trim.x - crop.x, crop.x + crop.width - (trim.x + trim.width), trim.y - crop.y, crop.y + crop.height - (trim.y + trim.height));
    return { number, trim, bleed: round2(Math.max(0, Math.min(MAX_BLEED, margin))) };
  });
  const first = measured[0]!;
  const odd = measured.find((p) => Math.abs(p.trim.width - first.trim.width) > SAME_SIZE || Math.abs(p.trim.height - first.trim.height) > SAME_SIZE);
  if (odd) {
    const size = (b: Box) => `${round2(b.width)} × ${round2(b.height)} pt`;
    throw new LockupError(
      'pdf-logo-invalid',
      `The pages of "${name}" differ in size (page ${first.number} is ${size(first.trim)}, page ${odd.number} is ${size(odd.trim)}); a template has one page size — choose one page`,
      { pageCount },
    );
  }
  const bleed = Math.min(...measured.map((p) => p.bleed));

  const out: ArtworkPage[] = [];
  for (const { number, trim } of measured) {
    const visible = { x: trim.x - bleed, y: trim.y - bleed, width: trim.width + 2 * bleed, height: trim.height + 2 * bleed };
    const doc = await PDFDocument.create({ updateMetadata: false });
    const [copy] = await doc.copyPages(src, [number - 1]);
    // Annotations (links, form widgets, comments) are not artwork: pdf.js would draw some and the writer none.
    copy!.node.delete(PDFName.of('Annots'));
    for (const box of ['TrimBox', 'BleedBox', 'ArtBox']) copy!.node.delete(PDFName.of(box));
    copy!.setMediaBox(visible.x, visible.y, visible.width, visible.height);
    copy!.setCropBox(visible.x, visible.y, visible.width, visible.height);
    doc.addPage(copy!);
    doc.setProducer('Lockup');
    const data = await doc.save({ useObjectStreams: true });
    out.push({
      number,
      bytes: data,
      width: round2(trim.width),
      height: round2(trim.height),
      bleed,
      rect: { x: 0 - bleed, y: 0 - bleed, w: round2(visible.width), h: round2(visible.height) },
    });
  }
  return { pageCount, pages: out };
}
