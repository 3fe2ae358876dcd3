import { PDFDocument, PDFName, StandardFonts, degrees, rgb } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { imageFixture } from '../../test/core-support/files.ts';
import { loadTemplate } from '../model/index.ts';
import { LockupError } from '../errors.ts';
import { artworkTemplate, blankTemplate, templateIdFrom } from './new-template.ts';
import { splitPdfArtwork } from './pdf-artwork.ts';

async function rejected(p: Promise<unknown>): Promise<LockupError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(LockupError);
    return err as LockupError;
  }
  throw new Error('expected a rejection');
}

/** A PDF with `pages` pages of `w` × `h` pt, each saying "Page N", optionally with a trim box inset by `bleed`. */
async function makePdf(opts: { pages?: number; w?: number; h?: number; bleed?: number; rotate?: number; sizes?: [number, number][]; annots?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const n = opts.sizes?.length ?? opts.pages ?? 1;
  for (let i = 0; i < n; i++) {
    const [w, h] = opts.sizes?.[i] ?? [opts.w ?? 612, opts.h ?? 792];
    const b = opts.bleed ?? 0;
    const page = doc.addPage([w + 2 * b, h + 2 * b]);
    if (b > 0) page.setTrimBox(b, b, w, h);
    page.drawRectangle({ x: 0, y: 0, width: w + 2 * b, height: h + 2 * b, color: rgb(0.9, 0.95, 1) });
    page.drawText(`Page ${i + 1}`, { x: b + 40, y: b + h - 60, size: 24, font });
    if (opts.rotate) page.setRotation(degrees(opts.rotate));
    if (opts.annots) page.node.set(PDFName.of('Annots'), doc.context.obj([]));
  }
  return doc.save();
}

describe('splitPdfArtwork', () => {
  it('a one-page PDF gives one page of its size with no bleed', async () => {
    const r = await splitPdfArtwork(await makePdf(), 'flyer.pdf', 'all');
    expect(r.pageCount).toBe(1);
    expect(r.pages).toHaveLength(1);
    expect(r.pages[0]).toMatchObject({ number: 1, width: 612, height: 792, bleed: 0, rect: { x: 0, y: 0, w: 612, h: 792 } });
    const one = await PDFDocument.load(r.pages[0]!.bytes);
    expect(one.getPageCount()).toBe(1);
    expect(one.getPage(0).getCropBox()).toEqual({ x: 0, y: 0, width: 612, height: 792 });
  });

  it('a trim box gives the page size, and the margin around it the bleed (at most 72 pt)', async () => {
    const r = await splitPdfArtwork(await makePdf({ w: 595.28, h: 841.89, bleed: 8.5 }), 'a4.pdf', 'all');
    expect(r.pages[0]).toMatchObject({ width: 595.28, height: 841.89, bleed: 8.5, rect: { x: -8.5, y: -8.5, w: 612.28, h: 858.89 } });
    const big = await splitPdfArtwork(await makePdf({ w: 300, h: 300, bleed: 100 }), 'marks.pdf', 'all');
    expect(big.pages[0]!.bleed).toBe(72);
    // The cut page shows the trim plus the bleed only (printer's marks beyond it are left out).
    const cut = await PDFDocument.load(big.pages[0]!.bytes);
    expect(cut.getPage(0).getCropBox()).toEqual({ x: 28, y: 28, width: 444, height: 444 });
  });

  it('every page of a multi-page PDF, or one chosen page', async () => {
    const pdf = await makePdf({ pages: 3 });
    const all = await splitPdfArtwork(pdf, 'brochure.pdf', 'all');
    expect(all.pages.map((p) => p.number)).toEqual([1, 2, 3]);
    const two = await splitPdfArtwork(pdf, 'brochure.pdf', 2);
    expect(two.pages.map((p) => p.number)).toEqual([2]);
    expect((await rejected(splitPdfArtwork(pdf, 'brochure.pdf', 4))).message).toBe('"brochure.pdf" has 3 pages; there is no page 4');
  });

  it('pages of different sizes must be taken one at a time', async () => {
    const pdf = await makePdf({ sizes: [[612, 792], [792, 612]] });
    const e = await rejected(splitPdfArtwork(pdf, 'mixed.pdf', 'all'));
    expect(e.code).toBe('pdf-logo-invalid');
    expect(e.message).toContain('page 1 is 612 × 792 pt, page 2 is 792 × 612 pt');
    expect((await splitPdfArtwork(pdf, 'mixed.pdf', 2)).pages[0]).toMatchObject({ width: 792, height: 612 });
  });

  it('refuses rotated pages, encrypted and broken files with specific messages', async () => {
    expect((await rejected(splitPdfArtwork(await makePdf({ rotate: 90 }), 'turned.pdf', 'all'))).message).toMatch(/Page 1 of "turned.pdf" is rotated by 90°/);
    const enc = await rejected(splitPdfArtwork(imageFixture('encrypted.pdf'), 'secret.pdf', 'all'));
    expect(enc.code).toBe('pdf-logo-encrypted');
    expect(enc.message).toMatch(/password-protected/);
    const broken = await rejected(splitPdfArtwork(imageFixture('broken.pdf'), 'broken.pdf', 'all'));
    expect(broken.code).toBe('pdf-logo-invalid');
    expect(broken.message).toMatch(/^"broken.pdf" is not a readable PDF/);
  });

  it('drops annotations from the artwork', async () => {
    const r = await splitPdfArtwork(await makePdf({ annots: true }), 'links.pdf', 'all');
    const page = (await PDFDocument.load(r.pages[0]!.bytes)).getPage(0);
    expect(page.node.get(PDFName.of('Annots'))).toBeUndefined();
  });
});

describe('new templates', () => {
  it('ids come from the name and stay unique', () => {
    const taken = new Set(['spring-flyer', 'spring-flyer-2']);
    expect(templateIdFrom('Spring flyer', (id) => taken.has(id))).toBe('spring-flyer-3');
    expect(templateIdFrom('Café Déjà-vu!', () => false)).toBe('cafe-deja-vu');
    expect(templateIdFrom('شركة', () => false)).toBe('template');
  });

  it('a blank template is valid for the model and print presets get a bleed', () => {
    const t = loadTemplate(blankTemplate({ id: 'x', name: 'X', brand: 'acme', size: 'a5', orientation: 'landscape' }));
    expect(t.page).toEqual({ size: 'a5', orientation: 'landscape', bleed: 9 });
    expect(blankTemplate({ id: 'y', name: 'Y', brand: 'acme', size: 'social-square' }).page.bleed).toBe(0);
  });

  it('an artwork template has one locked vendor image zone per page, under everything', async () => {
    const r = await splitPdfArtwork(await makePdf({ pages: 2, bleed: 9 }), 'b.pdf', 'all');
    const t = loadTemplate(artworkTemplate({ id: 'b', name: 'B', brand: 'acme' }, r.pages.map((p, i) => ({ ...p, asset: `sha256:${String(i).repeat(64)}` }))));
    expect(t.page).toEqual({ size: { width: 612, height: 792 }, bleed: 9 });
    expect(t.pages.map((p) => p.zones.map((z) => [z.id, z.kind, z.owner, z.lock]))).toEqual([[['artwork-1', 'image', 'vendor', 'locked']], [['artwork-2', 'image', 'vendor', 'locked']]]);
    expect(t.pages[0]!.zones[0]!.rect).toEqual({ x: -9, y: -9, w: 630, h: 810 });
  });
});
