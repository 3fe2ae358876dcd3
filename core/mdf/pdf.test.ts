import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFTextField } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfText, qpdfCheck } from '../../test/support/pdf.ts';
import { tempDir } from '../../test/support/temp.ts';
import { parseMdfProgram, parseMdfRequest, type MdfProgram, type MdfRequest } from './model.ts';
import { MDF_FORM_FIELDS, mdfFormValues, mdfRequestPdf, type MdfFormInput } from './pdf.ts';
import { evaluateRequest } from './rules.ts';
import { mdfRequestInput } from './test-support/fixtures.ts';

const program: MdfProgram = parseMdfProgram({
  format: 'lockup.mdf-program',
  formatVersion: 1,
  id: 'nimbus-mdf',
  version: 1,
  brand: 'nimbus',
  name: 'Nimbus Market Development Fund',
  currency: 'USD',
  activityTypes: [
    { id: 'event', name: 'Customer event' },
    { id: 'webinar', name: 'Webinar' },
  ],
  rules: { maxPerQuarter: { silver: 500_000 }, minLeadDays: 14, partnerShare: { min: 0.25, max: 0.75 } },
  autoApproveUpTo: 100_000,
});

const request: MdfRequest = parseMdfRequest(
  mdfRequestInput({
    description: 'A breakfast seminar with a live restore demo.\nSecond line: café, naïve — and 日本 (not in WinAnsi).',
    attachments: [
      { name: 'invitation.pdf', kind: 'collateral', sha256: 'a'.repeat(64), size: 120_000 },
      { name: 'agenda.pdf', kind: 'agenda', sha256: 'b'.repeat(64), size: 2_048 },
    ],
  }),
);

const input = (over: Partial<MdfFormInput> = {}): MdfFormInput => ({
  program,
  brandName: 'Nimbus Systems',
  request,
  activityName: 'Customer event',
  evaluation: evaluateRequest(program, request, []),
  accent: [20, 60, 120],
  date: new Date('2027-01-10T09:00:00.000Z'),
  ...over,
});

let dir: string;
let file: string;
let bytes: Uint8Array;

beforeAll(async () => {
  dir = tempDir('lockup-mdf-pdf-');
  bytes = await mdfRequestPdf(input());
  file = path.join(dir, 'request.pdf');
  fs.writeFileSync(file, bytes);
});

describe('the MDF request form', () => {
  it('is a sound PDF of two pages (qpdf --check)', async () => {
    const r = qpdfCheck(file);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(2);
  });

  it('shows the title, program, brand and every label as page text', () => {
    const text = pdfText(file);
    for (const s of ['MDF request', 'Nimbus Market Development Fund', 'Nimbus Systems', 'Budget requested', 'Total cost of the activity', 'Partner share (co-funding)', 'Expected pipeline', 'Target audience', 'Description', 'Attachments', 'Veto rules when submitted']) {
      expect(text).toContain(s);
    }
  });

  it('has one fillable text field per value, pre-filled with the request (read back with pdf-lib)', async () => {
    const form = (await PDFDocument.load(bytes)).getForm();
    const fields = form.getFields();
    expect(fields.map((f) => f.getName()).sort()).toEqual([...MDF_FORM_FIELDS].sort());
    const text = (name: string) => form.getTextField(name).getText();
    expect(fields.every((f) => f instanceof PDFTextField && !f.isReadOnly())).toBe(true);
    expect(text('budget-requested')).toBe('$2,500.00');
    expect(text('total-cost')).toBe('$5,000.00');
    expect(text('expected-pipeline')).toBe('$120,000.00');
    expect(text('partner-share')).toBe('50%');
    expect(text('expected-leads')).toBe('40');
    expect(text('start-date')).toBe('2027-02-15');
    expect(text('activity')).toBe('Customer event');
    expect(text('partner')).toBe('Harbor IT (silver)');
    expect(text('request-id')).toBe(request.id);
    expect(text('attachments')).toContain(`invitation.pdf (collateral, 120000 bytes)\nSHA-256 ${'a'.repeat(64)}`);
    expect(text('attachments')).toContain(`SHA-256 ${'b'.repeat(64)}`);
    // Latin-1 letters stay; what the standard fonts cannot show becomes "?" (the signed request file keeps it).
    expect(text('description')).toBe('A breakfast seminar with a live restore demo.\nSecond line: café, naïve — and ?? (not in WinAnsi).');
    expect(form.getTextField('description').isMultiline()).toBe(true);
    expect(text('evaluation')).toMatch(/^Needs review\.\nQuarter 2027-Q1: \$0\.00 already requested, limit \$5,000\.00\.$/);
  });

  it('lists the broken rules of a vetoed request in the evaluation field', async () => {
    const vetoed = parseMdfRequest(mdfRequestInput({ budgetRequested: 450_000 }));
    const evaluation = evaluateRequest(program, vetoed, []);
    expect(evaluation.verdict).toBe('auto-vetoed');
    const values = mdfFormValues(input({ request: vetoed, evaluation }));
    expect(values.evaluation.split('\n')[0]).toBe('Would be vetoed automatically.');
    expect(values.evaluation).toContain(`- ${evaluation.breaches[0]!.message}`);
  });

  it('is the same bytes for the same input', async () => {
    expect(Buffer.from(await mdfRequestPdf(input())).equals(Buffer.from(bytes))).toBe(true);
  });
});
