import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstDifference } from '../../test/core-support/bytes.ts';
import { imageFixture, repoBytes, repoText } from '../../test/core-support/files.ts';
import { pdfInfo, pdfText, qpdfCheck } from '../../test/support/pdf.ts';
import { tempDir } from '../../test/support/temp.ts';
import type { Rect } from '../model/template.ts';
import { loadBrand } from '../model/index.ts';
import type { Brand } from '../model/brand.ts';
import { readAttachments } from '../pdf/attachments.ts';
import { itemBounds, loadBrandKit, type BrandKit } from '../playbook/pdf.ts';
import { portableInflate } from '../util/inflate.ts';
import { certificatePdf, formatLongDate, layoutCertificate, type CertificateInput, type CertificateLayout } from './certificate.ts';

const RECORD = new TextEncoder().encode(JSON.stringify({ format: 'lockup.completion', code: 'LKP-7F3K-92QD-XM4A', signature: 'c2lnbmVk' }));

const bytes = new Map<string, Uint8Array>();
function asset(ref: string): Uint8Array | undefined {
  let b = bytes.get(ref);
  if (!b) {
    if (ref === 'sha256:partner-svg') b = imageFixture('logo-clean.svg');
    else if (ref.startsWith('sha256:')) return undefined;
    else b = repoBytes(`templates/nimbus/${ref}`);
    bytes.set(ref, b);
  }
  return b;
}

let brand: Brand;
let kit: BrandKit;

beforeAll(async () => {
  brand = loadBrand(JSON.parse(repoText('templates/nimbus/brand.json')));
  kit = await loadBrandKit(brand, asset, { partnerLogo: 'sha256:partner-svg' });
});

const input = (over: Partial<CertificateInput> = {}): CertificateInput => ({
  brand,
  asset,
  partner: { name: 'Harbor IT Solutions', logo: 'sha256:partner-svg' },
  person: 'Alexandra Okonkwo-Whitfield',
  moduleTitle: 'Backup basics',
  certificationName: 'Nimbus Certified Engineer',
  date: new Date('2026-11-26T23:30:00Z'),
  score: 0.916,
  code: 'LKP-7F3K-92QD-XM4A',
  attachment: { name: 'completion.json', bytes: RECORD, description: 'Signed completion record' },
  ...over,
});

const inside = (r: Rect, box: Rect) => r.x >= box.x - 0.01 && r.y >= box.y - 0.01 && r.x + r.w <= box.x + box.w + 0.01 && r.y + r.h <= box.y + box.h + 0.01;

/** Every box lies in the safe area inside the border, every item in its box, and no two boxes overlap. */
function checkContained(layout: CertificateLayout): void {
  for (const box of layout.boxes) {
    expect(inside(box.rect, layout.safe), `${box.name} box leaves the page`).toBe(true);
    for (const item of box.items) {
      const b = itemBounds(item);
      if (b) expect(inside(b, box.rect), `${box.name}: ${item.type} at ${JSON.stringify(b)} leaves ${JSON.stringify(box.rect)}`).toBe(true);
    }
    for (const other of layout.boxes) {
      if (other === box) continue;
      const a = box.rect;
      const o = other.rect;
      expect(a.x < o.x + o.w && o.x < a.x + a.w && a.y < o.y + o.h && o.y < a.y + a.h, `${box.name} overlaps ${other.name}`).toBe(false);
    }
  }
}

describe('certificatePdf', () => {
  let pdf: Uint8Array;
  let file: string;

  beforeAll(async () => {
    pdf = await certificatePdf(input());
    file = join(tempDir('lockup-certificate-'), 'certificate.pdf');
    writeFileSync(file, pdf);
  });

  it('is one clean landscape Letter page (qpdf --check)', () => {
    const check = qpdfCheck(file);
    expect(check.status).toBe(0);
    expect(check.stderr).toBe('');
    expect(check.stdout).toContain('No syntax or stream encoding errors found');
    const info = pdfInfo(file);
    expect(info['Pages']).toBe('1');
    expect(info['Page size']).toMatch(/^792 x 612 pts/);
    expect(info['Title']).toBe('Certificate of completion \u2014 Alexandra Okonkwo-Whitfield');
  });

  it('says who, of which partner, what, when, how well, and how to verify it', () => {
    const text = pdfText(file).replace(/\s+/g, ' ');
    for (const s of ['CERTIFICATE OF COMPLETION', 'Alexandra Okonkwo-Whitfield', 'of Harbor IT Solutions', 'has completed Backup basics', 'and is Nimbus Certified Engineer', '26 November 2026', '92%', 'LKP-7F3K-92QD-XM4A', 'Verify with: lockup completion verify <file>']) {
      expect(text).toContain(s);
    }
  });

  it('carries the completion record as an attachment that qpdf and pdf-lib can extract', async () => {
    const listed = spawnSync('qpdf', ['--list-attachments', file], { encoding: 'utf8' });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^completion\.json -> /m);
    const shown = spawnSync('qpdf', ['--show-attachment=completion.json', file], { encoding: 'buffer' });
    expect(firstDifference(new Uint8Array(shown.stdout), RECORD)).toBe(-1);
    const read = readAttachments(await PDFDocument.load(pdf, { updateMetadata: false }), portableInflate);
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({ name: 'completion.json', mimeType: 'application/json', relationship: 'Data' });
    expect(firstDifference(read[0]!.data, RECORD)).toBe(-1);
  });

  it('is reproducible: the same input gives the same bytes; another code gives other bytes', async () => {
    expect(firstDifference(await certificatePdf(input()), pdf)).toBe(-1);
    expect(firstDifference(await certificatePdf(input({ code: 'LKP-0000-0000-0000' })), pdf)).not.toBe(-1);
  });

  it('works without a partner logo or an attachment', async () => {
    const plain = await certificatePdf(input({ partner: { name: 'Solo' }, attachment: undefined }));
    const doc = await PDFDocument.load(plain, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    expect(readAttachments(doc, portableInflate)).toEqual([]);
  });
});

describe('layoutCertificate', () => {
  const text = (over: Partial<CertificateInput> = {}) => {
    const { person, moduleTitle, certificationName, date, score, code, partner } = input(over);
    return { person, moduleTitle, certificationName, date, score, code, partner };
  };

  it('keeps a very long name (and long everything) inside its box and the page', () => {
    const long = 'Maximilian Alexander Bartholomew Konstantinos Papadopoulos-Worthington '.repeat(12);
    const layout = layoutCertificate(text({ person: long, partner: { name: `Harbor ${'Information Technology '.repeat(20)}` }, moduleTitle: 'M'.repeat(300), certificationName: 'Certified '.repeat(40) }), kit);
    checkContained(layout);
    const person = layout.boxes.find((b) => b.name === 'person')!;
    const laid = person.items[0]!;
    expect(laid.type === 'text' && laid.layout.size).toBeGreaterThanOrEqual(14);
    expect(laid.type === 'text' && laid.layout.truncated).toBe(true);
  });

  it('shrinks a longer name on one line (down to 24 pt) before it wraps, and wraps before it truncates', () => {
    const person = (name: string) => {
      const item = layoutCertificate(text({ person: name }), kit).boxes.find((b) => b.name === 'person')!.items[0]!;
      if (item.type !== 'text') throw new Error('the name is text');
      return item.layout;
    };
    expect(person('Alexandra Okonkwo-Whitfield')).toMatchObject({ size: 40, truncated: false });
    const medium = person('Alexandra Okonkwo-Whitfield-Berenguer');
    expect(medium.lines).toHaveLength(1);
    expect(medium.size).toBeLessThan(40);
    expect(medium.size).toBeGreaterThanOrEqual(24);
    const long = person('Alexandra Okonkwo-Whitfield de la Fontaine-Berenguer');
    expect(long.lines).toHaveLength(2);
    expect(long.truncated).toBe(false);
  });

  it('never leaves its boxes, whatever the text (property)', () => {
    const words = fc.array(fc.oneof(fc.constantFrom('Anna', 'de', 'la', 'Okonkwo-Whitfield', 'Ng'), fc.string({ minLength: 1, maxLength: 60 }).map((s) => s.replace(/[^A-Za-z]/g, 'x') || 'x')), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(words, words, words, (person, partner, module) => {
        checkContained(layoutCertificate(text({ person: person.join(' '), partner: { name: partner.join(' ') }, moduleTitle: module.join(' ') }), kit));
      }),
      { numRuns: 25, seed: 2026 },
    );
  });

  it('refuses a score outside 0..1 and characters no brand font has', () => {
    expect(() => layoutCertificate(text({ score: 1.2 }), kit)).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => layoutCertificate(text({ person: '\u5F20\u4F1F' }), kit)).toThrow(/U\+5F20/);
  });

  it('shows the date in UTC, as a long date', () => {
    expect(formatLongDate(new Date('2026-11-26T23:30:00Z'))).toBe('26 November 2026');
    expect(formatLongDate(new Date('2027-01-01T00:00:00Z'))).toBe('1 January 2027');
  });
});
