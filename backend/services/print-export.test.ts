import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockupError } from '../../core/errors.ts';
import { pageSize, type PartnerProfile } from '../../core/model/index.ts';
import { DEFAULT_MARKS } from '../../core/pdf/print-marks.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { pdfFonts, pdfInfo, qpdfCheck } from '../../test/support/pdf.ts';
import { ghostscriptCheck, parseBox, pdfImages } from '../../test/support/print.ts';
import { partnerFile } from '../../test/support/paths.ts';
import { tempDir } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { ExportEngine } from './engine.ts';
import { exportDocument } from './export.ts';
import { preflightDocument } from './preflight.ts';

/**
 * Issue #6: every print export passes qpdf --check (stderr empty) and
 * Ghostscript with -dPDFSTOPONERROR; pdfinfo -box shows the template's trim,
 * trim + bleed, and bleed + crop-mark slug; pdfimages lists colour spaces and
 * resolution; pdffonts says every font is embedded.
 */

let catalogue: Catalogue;
let engine: ExportEngine;
const profiles = new Map<string, PartnerProfile>();
const dir = tempDir('lockup-print-');

beforeAll(async () => {
  ({ catalogue } = seededCatalogue());
  engine = new ExportEngine(catalogue);
  for (const name of ['harbor-it', 'summit-msp']) profiles.set(name, await engine.readProfileFile(partnerFile(name)));
});
afterAll(() => catalogue.close());

/** The demo templates that print (the Gold case study needs a Gold partner). */
const PRINTABLE: [template: string, partner: string][] = [
  ['product-one-pager-letter', 'harbor-it'],
  ['product-one-pager-a4', 'harbor-it'],
  ['bundled-offer-sheet', 'harbor-it'],
  ['event-invitation', 'harbor-it'],
  ['case-study-gold', 'summit-msp'],
  ['email-banner', 'harbor-it'],
];

const slug = DEFAULT_MARKS.offset + DEFAULT_MARKS.length;
const close = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(4);
  // pdfinfo prints two decimals.
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `${actual.join(' ')} vs ${expected.map((e) => e.toFixed(2)).join(' ')}`).toBeLessThan(0.006));
};

describe('print export of the demo templates', () => {
  for (const [id, partner] of PRINTABLE) {
    it(`${id}: passes qpdf, Ghostscript, pdfinfo -box, pdfimages and pdffonts`, async () => {
      const out = path.join(dir, `${id}-print.pdf`);
      await exportDocument(catalogue, engine, { template: id, profile: profiles.get(partner)!, fields: {}, output: 'print', out, tool: 'cli', reproducible: true });

      const q = qpdfCheck(out);
      expect(q.stderr).toBe('');
      expect(q.status).toBe(0);
      const gs = ghostscriptCheck(out);
      expect(gs.stderr).toBe('');
      expect(gs.status).toBe(0);

      const template = catalogue.getTemplate(id);
      const { width, height } = pageSize(template);
      const bleed = template.page.bleed;
      const info = pdfInfo(out);
      const trim = parseBox(info['TrimBox']);
      const bleedBox = parseBox(info['BleedBox']);
      const media = parseBox(info['MediaBox']);
      // trim = the template page, bleed = trim + bleed, media = bleed + marks.
      close([trim[2]! - trim[0]!, trim[3]! - trim[1]!, trim[0]!, trim[1]!], [width, height, slug + bleed, slug + bleed]);
      close(bleedBox, [slug, slug, slug + width + 2 * bleed, slug + height + 2 * bleed]);
      close(media, [0, 0, width + 2 * (bleed + slug), height + 2 * (bleed + slug)]);

      const images = pdfImages(out);
      expect(images.stderr).toBe('');
      expect(images.rows.length).toBeGreaterThan(0);
      for (const row of images.rows) {
        expect(['rgb', 'gray', 'cmyk']).toContain(row.color);
        // The print rule refuses anything under 300 ppi, so whatever was exported meets it.
        expect(Math.min(row.xPpi, row.yPpi), `${row.type} ${row.width}×${row.height}`).toBeGreaterThanOrEqual(300);
      }

      const fonts = pdfFonts(out);
      expect(fonts.length).toBeGreaterThan(0);
      for (const f of fonts) expect(f, `font ${f.name} must be embedded`).toMatchObject({ embedded: true });
    });
  }

  it('social-post: its background is 169 ppi, so the print export is refused and nothing is written', async () => {
    const out = path.join(dir, 'social-post-print.pdf');
    const err = await exportDocument(catalogue, engine, { template: 'social-post', profile: profiles.get('harbor-it')!, fields: {}, output: 'print', out, tool: 'cli' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LockupError);
    expect((err as LockupError).code).toBe('compliance-errors');
  });

  it('the preflight report of a print export names its boxes, output intent and findings', async () => {
    const r = await preflightDocument(catalogue, engine, { template: 'email-banner', profile: profiles.get('harbor-it')!, fields: {} });
    expect(r.ok).toBe(true);
    expect(r.outputIntent.identifier).toBe('Custom');
    expect(r.preflight.boxes.trim.slice(2)).toEqual([600, 200]);
    // A banner with no bleed whose background touches the trim.
    expect(r.preflight.findings.map((f) => `${f.code} ${f.zoneId}`)).toContain('print-bleed-missing background');
    const social = await preflightDocument(catalogue, engine, { template: 'social-post', profile: profiles.get('harbor-it')!, fields: {} });
    expect(social.ok).toBe(false);
    // Reported once, by the compliance rule, not again by preflight.
    expect(social.compliance.filter((f) => f.code === 'image-resolution-low')).toHaveLength(1);
    expect(social.preflight.findings.filter((f) => f.code === 'print-image-resolution')).toHaveLength(0);
  });

  it('refuses a print export on a preflight error the brand rules allow (a colour with no CMYK value), and writes nothing', async () => {
    const { catalogue: cat } = seededCatalogue();
    try {
      const brand = cat.getBrand('nimbus');
      cat.saveBrand({ ...brand, rules: { ...brand.rules, paletteOnly: { ...brand.rules.paletteOnly, enabled: false } } });
      const banner = cat.getTemplate('email-banner');
      const zones = banner.pages[0]!.zones.map((z) => (z.id === 'cta-pill' && z.kind === 'color-block' ? { ...z, fill: '#FFB020' } : z));
      cat.addTemplateVersion({ ...banner, version: banner.version + 1, pages: [{ ...banner.pages[0]!, zones }] });
      const eng = new ExportEngine(cat);
      const req = { template: 'email-banner', profile: await eng.readProfileFile(partnerFile('harbor-it')), fields: {}, tool: 'cli' as const };
      await exportDocument(cat, eng, { ...req, output: 'screen', out: path.join(dir, 'red-screen.pdf') });
      const out = path.join(dir, 'red-print.pdf');
      const err = await exportDocument(cat, eng, { ...req, output: 'print', out }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LockupError);
      expect((err as LockupError).code).toBe('compliance-errors');
      expect((err as LockupError).message).toMatch(/print preflight error/);
      expect(((err as LockupError).details?.['findings'] as { code: string; zoneId: string }[]).map((f) => `${f.code} ${f.zoneId}`)).toContain('print-color-not-cmyk cta-pill');
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      cat.close();
    }
  });

  it('the crop marks print on every plate (registration) and only in the slug: Ghostscript separations', () => {
    const pdf = path.join(dir, 'product-one-pager-letter-print.pdf');
    expect(fs.existsSync(pdf)).toBe(true);
    const raw = path.join(dir, 'letter.cmyk');
    // 8-bit CMYK raster at 72 dpi (one pixel per point), no anti-aliasing.
    const r = spawnSync('gs', ['-q', '-dBATCH', '-dNOPAUSE', '-dSAFER', '-r72', '-sDEVICE=bitcmyk', '-dGrayValues=256', '-dGraphicsAlphaBits=1', '-dTextAlphaBits=1', `-sOutputFile=${raw}`, pdf], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const data = fs.readFileSync(raw);
    const width = 675; // 675.35 pt media box
    expect(data.length % (width * 4)).toBe(0);
    const at = (x: number, y: number) => [...data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];
    // The top-left horizontal mark: on the trim line (31.68 pt below the top), from the media edge to 3 mm off the bleed.
    const markPixels = [];
    for (let y = 29; y <= 34; y++) for (let x = 0; x < 14; x++) markPixels.push(at(x, y));
    expect(markPixels.some((p) => p.every((v) => v >= 250)), 'a pixel of the mark has full C, M, Y and K').toBe(true);
    // Between the mark's end and the bleed box (x 15–22 pt) there is no ink, nor in the corner of the slug.
    for (let y = 29; y <= 34; y++) for (let x = 16; x < 22; x++) expect(at(x, y)).toEqual([0, 0, 0, 0]);
    for (let y = 0; y < 12; y++) for (let x = 0; x < 12; x++) expect(at(x, y)).toEqual([0, 0, 0, 0]);
  });
});
