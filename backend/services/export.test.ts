import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockupError } from '../../core/errors.ts';
import type { PartnerProfile } from '../../core/model/index.ts';
import type { Finding } from '../../core/rules/finding.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { countPixels, pdfFonts, pdfInfo, pdfText, qpdfCheck, renderRegion } from '../../test/support/pdf.ts';
import { partnerFile } from '../../test/support/paths.ts';
import { listFilesDeep, tempDir, tempLeftovers } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { ExportEngine, inputsDigest, newDocument } from './engine.ts';
import { checkDocument, checkFieldKeys, exportDocument, reproducibleDate, type ExportRequest } from './export.ts';

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let catalogue: Catalogue;
let engine: ExportEngine;
const profiles = new Map<string, PartnerProfile>();

beforeAll(async () => {
  ({ catalogue } = seededCatalogue());
  engine = new ExportEngine(catalogue);
  for (const name of ['harbor-it', 'al-noor', 'summit-msp', 'lowres-logo', 'tokyo']) profiles.set(name, await engine.readProfileFile(partnerFile(name)));
});
afterAll(() => catalogue.close());

const ledgerCount = () => (catalogue.db.prepare('SELECT COUNT(*) AS n FROM export_ledger').get() as { n: number }).n;

function request(partner: string, out: string, overrides: Partial<ExportRequest> = {}): ExportRequest {
  return { template: 'product-one-pager-letter', profile: profiles.get(partner)!, fields: {}, output: 'screen', out, tool: 'cli', ...overrides };
}

async function refused(p: Promise<unknown>): Promise<LockupError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(LockupError);
    return err as LockupError;
  }
  throw new Error('expected the export to be refused');
}

/** The external checks every delivered PDF must pass. */
function expectSoundPdf(file: string): string {
  const q = qpdfCheck(file);
  expect(q.stderr).toBe('');
  expect(q.status).toBe(0);
  const fonts = pdfFonts(file);
  expect(fonts.length).toBeGreaterThan(0);
  for (const f of fonts) expect(f, `font ${f.name} must be embedded`).toMatchObject({ embedded: true });
  return pdfText(file);
}

describe('exportDocument', () => {
  it('writes a sound PDF for harbor-it with the partner text and logo, and records one ledger row with its sha256', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'harbor.pdf');
    const before = ledgerCount();
    const r = await exportDocument(catalogue, engine, request('harbor-it', out));
    expect(r.path).toBe(out);
    expect(r.pages).toBe(1);
    expect(r.template).toEqual({ id: 'product-one-pager-letter', version: 1 });
    expect(r.findings).toEqual([]);
    expect(r.byteLength).toBe(fs.statSync(out).size);
    expect(r.sha256).toBe(sha(out));

    const text = expectSoundPdf(out);
    expect(text).toContain('Harbor IT');
    expect(text).toContain('(206) 555-0142');
    expect(text).toContain('hello@harbor-it.example.com');
    expect(text).toContain('Ransomware happens.');

    const info = pdfInfo(out);
    expect(info['Pages']).toBe('1');
    expect(info['Author']).toBe('Harbor IT');
    // US Letter plus 9 pt bleed on each side.
    expect(info['Page size']).toMatch(/^630 x 810 pts/);

    // The partner logo zone (x 64, y 612, 175.44 × 100 pt from the trim box) shows the
    // logo's navy and teal, not just the light grey card behind it.
    const region = renderRegion(out, { x: 64 + 9, y: 612 + 9, w: 175, h: 100 });
    const navy = countPixels(region, (r_, g, b) => r_ < 80 && g < 90 && b < 120);
    const teal = countPixels(region, (r_, g, b) => g > r_ + 50 && b > r_ + 50);
    expect(navy).toBeGreaterThan(150);
    expect(teal).toBeGreaterThan(150);
    // …and the logo stays inside its zone: the card to its right (before the divider) is plain.
    const gap = renderRegion(out, { x: 64 + 9 + 178, y: 612 + 9 + 10, w: 10, h: 80 });
    expect(countPixels(gap, (r_, g, b) => r_ < 200 || g < 200 || b < 200)).toBe(0);

    expect(ledgerCount()).toBe(before + 1);
    const [row] = catalogue.listExports(1);
    expect(row).toMatchObject({
      tool: 'cli',
      templateId: 'product-one-pager-letter',
      templateVersion: 1,
      partnerId: 'harbor-it',
      company: 'Harbor IT',
      outputProfile: 'screen',
      outputPath: out,
      outputSha256: sha(out),
      byteLength: fs.statSync(out).size,
      warnings: 0,
    });
    expect(row!.batchId).toBeUndefined();
    const template = catalogue.getTemplate('product-one-pager-letter');
    expect(row!.inputsSha256).toBe(inputsDigest(template, catalogue.getBrand(template.brand), profiles.get('harbor-it')!, newDocument(template), 'screen'));
    expect(listFilesDeep(dir)).toEqual(['harbor.pdf']);
  });

  it('al-noor: the Arabic company name is extractable text, drawn with the embedded Noto Sans Arabic fallback', async () => {
    const out = path.join(tempDir(), 'al-noor.pdf');
    await exportDocument(catalogue, engine, request('al-noor', out));
    const text = expectSoundPdf(out);
    expect(text).toContain('شركة النور لتقنية المعلومات');
    expect(pdfFonts(out).some((f) => /NotoSansArabic/.test(f.name))).toBe(true);
  });

  it('summit-msp on the offer sheet: field defaults, the distributor credit and a field given explicitly', async () => {
    const out = path.join(tempDir(), 'offer.pdf');
    await exportDocument(catalogue, engine, request('summit-msp', out, { template: 'bundled-offer-sheet', fields: { bundlePrice: '$55 per server / month' } }));
    const text = expectSoundPdf(out);
    expect(text).toContain('Summit Managed Services');
    expect(text).toContain('Ingram Cloud Distribution');
    expect(text).toContain('$55 per server / month');
    expect(text).not.toContain('$49 per server / month');
  });

  it('print output is sound too and is recorded as print', async () => {
    const out = path.join(tempDir(), 'print.pdf');
    await exportDocument(catalogue, engine, request('harbor-it', out, { output: 'print', tool: 'app', template: 'product-one-pager-letter@1' }));
    expect(expectSoundPdf(out)).toContain('Harbor IT');
    expect(catalogue.listExports(1)[0]).toMatchObject({ outputProfile: 'print', tool: 'app', outputSha256: sha(out) });
  });

  it.each([
    ['lowres-logo', 'product-one-pager-letter', 'image-resolution-low'],
    ['harbor-it', 'case-study-gold', 'access-denied'],
    ['tokyo', 'product-one-pager-letter', 'missing-glyphs'],
  ])('%s on %s: compliance-errors with the findings (%s) in details; no file, no ledger row', async (partner, template, code) => {
    const dir = tempDir();
    const out = path.join(dir, 'refused.pdf');
    const before = ledgerCount();
    const err = await refused(exportDocument(catalogue, engine, request(partner, out, { template })));
    expect(err.code).toBe('compliance-errors');
    expect(err.message).toMatch(/compliance error/);
    const findings = err.details?.['findings'] as Finding[];
    expect(findings.some((f) => f.code === code && f.severity === 'error')).toBe(true);
    expect(listFilesDeep(dir)).toEqual([]);
    expect(ledgerCount()).toBe(before);
  });

  it('a refused export leaves an existing file at the target untouched', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'keep.pdf');
    fs.writeFileSync(out, 'previous export');
    await refused(exportDocument(catalogue, engine, request('lowres-logo', out)));
    expect(fs.readFileSync(out, 'utf8')).toBe('previous export');
    expect(listFilesDeep(dir)).toEqual(['keep.pdf']);
  });

  it('a field the template does not have is field-unknown, naming the known fields; nothing written', async () => {
    const dir = tempDir();
    const before = ledgerCount();
    const err = await refused(exportDocument(catalogue, engine, request('harbor-it', path.join(dir, 'x.pdf'), { fields: { nokey: '1' } })));
    expect(err.code).toBe('field-unknown');
    expect(err.message).toContain('"nokey"');
    expect(err.message).toContain('company, phone, email, url, address');
    expect(err.details).toEqual({ field: 'nokey' });
    expect(listFilesDeep(dir)).toEqual([]);
    expect(ledgerCount()).toBe(before);
  });

  it('an unknown template is template-unknown', async () => {
    const err = await refused(exportDocument(catalogue, engine, request('harbor-it', path.join(tempDir(), 'x.pdf'), { template: 'nope' })));
    expect(err.code).toBe('template-unknown');
  });

  it('into a folder that does not exist: output-unwritable, no ledger row, no temporary files anywhere', async () => {
    const root = tempDir();
    const out = path.join(root, 'no', 'such', 'folder', 'x.pdf');
    const before = ledgerCount();
    const err = await refused(exportDocument(catalogue, engine, request('harbor-it', out)));
    expect(err.code).toBe('output-unwritable');
    expect(err.message).toContain(out);
    expect(ledgerCount()).toBe(before);
    expect(listFilesDeep(root)).toEqual([]);
    expect(fs.existsSync(path.join(root, 'no'))).toBe(false);
    expect(tempLeftovers(path.dirname(catalogue.file))).toEqual([]);
  });

  it('overwriting an existing file replaces it atomically (new inode; an open reader keeps the old bytes)', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'same.pdf');
    fs.writeFileSync(out, 'old bytes');
    const inode = fs.statSync(out).ino;
    const fd = fs.openSync(out, 'r');
    try {
      const r = await exportDocument(catalogue, engine, request('harbor-it', out));
      expect(fs.statSync(out).ino).not.toBe(inode);
      expect(sha(out)).toBe(r.sha256);
      const buf = Buffer.alloc(32);
      const n = fs.readSync(fd, buf, 0, 32, 0);
      expect(buf.subarray(0, n).toString()).toBe('old bytes');
    } finally {
      fs.closeSync(fd);
    }
    expectSoundPdf(out);
    expect(listFilesDeep(dir)).toEqual(['same.pdf']);
  });

  it('reproducible: the same inputs give byte-identical files (even from a fresh engine); a different phone gives a different file', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.pdf');
    const b = path.join(dir, 'b.pdf');
    const c = path.join(dir, 'c.pdf');
    const ra = await exportDocument(catalogue, engine, request('harbor-it', a, { reproducible: true }));
    const fresh = new ExportEngine(catalogue);
    const harbor = await fresh.readProfileFile(partnerFile('harbor-it'));
    const rb = await exportDocument(catalogue, fresh, { ...request('harbor-it', b, { reproducible: true }), profile: harbor });
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
    expect(rb.sha256).toBe(ra.sha256);
    const otherPhone = { ...harbor, contact: { ...harbor.contact, phone: '(206) 555-0199' } };
    const rc = await exportDocument(catalogue, fresh, { ...request('harbor-it', c, { reproducible: true }), profile: otherPhone });
    expect(rc.sha256).not.toBe(ra.sha256);
    expect(pdfText(c)).toContain('(206) 555-0199');
    expect(pdfInfo(a)['CreationDate']).toMatch(/2000/);
    const rows = catalogue.listExports(3);
    expect(rows.map((r) => r.outputSha256)).toEqual([rc.sha256, rb.sha256, ra.sha256]);
    expect(rows[1]!.inputsSha256).toBe(rows[2]!.inputsSha256);
    expect(rows[0]!.inputsSha256).not.toBe(rows[1]!.inputsSha256);
  });
});

describe('checkDocument', () => {
  it('reports ok with no findings for a compliant document and the findings otherwise', async () => {
    const good = await checkDocument(catalogue, engine, { template: 'product-one-pager-letter', profile: profiles.get('harbor-it')!, fields: {}, output: 'screen' });
    expect(good.ok).toBe(true);
    expect(good.findings).toEqual([]);
    expect(good.template.id).toBe('product-one-pager-letter');
    const bad = await checkDocument(catalogue, engine, { template: 'product-one-pager-letter', profile: profiles.get('lowres-logo')!, fields: {}, output: 'screen' });
    expect(bad.ok).toBe(false);
    expect(bad.findings).toEqual([expect.objectContaining({ code: 'image-resolution-low', zoneId: 'partner-logo', unit: 'ppi', required: 96 })]);
    expect(bad.findings[0]!.measured as number).toBeLessThan(96);
  });

  it('checkFieldKeys accepts known keys and refuses others', () => {
    const t = catalogue.getTemplate('product-one-pager-letter');
    expect(() => checkFieldKeys(t, { company: 'x', phone: 'y' })).not.toThrow();
    expect(() => checkFieldKeys(t, { Company: 'x' })).toThrow(expect.objectContaining({ code: 'field-unknown' }));
  });
});

describe('reproducibleDate and inputsDigest', () => {
  it('uses SOURCE_DATE_EPOCH when set to a positive number, else 2000-01-01', () => {
    expect(reproducibleDate({ SOURCE_DATE_EPOCH: '1700000000' }).toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(reproducibleDate({}).toISOString()).toBe('2000-01-01T00:00:00.000Z');
    expect(reproducibleDate({ SOURCE_DATE_EPOCH: 'yesterday' }).toISOString()).toBe('2000-01-01T00:00:00.000Z');
    expect(reproducibleDate({ SOURCE_DATE_EPOCH: '0' }).toISOString()).toBe('2000-01-01T00:00:00.000Z');
  });

  it('the inputs digest is stable and changes with the template version, brand, profile, fields or output profile', () => {
    const t = catalogue.getTemplate('product-one-pager-letter');
    const b = catalogue.getBrand(t.brand);
    const p = profiles.get('harbor-it')!;
    const d = newDocument(t);
    const base = inputsDigest(t, b, p, d, 'screen');
    expect(inputsDigest(structuredClone(t), structuredClone(b), structuredClone(p), structuredClone(d), 'screen')).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(inputsDigest({ ...t, version: 2 }, b, p, d, 'screen')).not.toBe(base);
    expect(inputsDigest(t, { ...b, name: 'Renamed' }, p, d, 'screen')).not.toBe(base);
    expect(inputsDigest(t, b, { ...p, company: 'Other' }, d, 'screen')).not.toBe(base);
    expect(inputsDigest(t, b, p, newDocument(t, { phone: '1' }), 'screen')).not.toBe(base);
    expect(inputsDigest(t, b, p, d, 'print')).not.toBe(base);
  });
});
