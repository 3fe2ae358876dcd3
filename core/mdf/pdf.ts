import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import type { MdfProgram, MdfRequest } from './model.ts';
import { partnerShareOf } from './model.ts';
import { formatMoney, type Evaluation } from './rules.ts';

/**
 * The fillable PDF of an MDF request (issue #8, docs/decisions/0026): what
 * the request packet carries beside the signed request file, for people and
 * tools that work with forms. Two Letter pages headed with the brand and
 * program name; every value of the request is an AcroForm text field,
 * pre-filled and left fillable (not flattened). The labels are page text;
 * the values live only in the fields. The signed request file, not this
 * form, is what a reviewer's Lockup reads: editing the form changes nothing.
 *
 * Drawn with the standard Helvetica faces (WinAnsi), so characters outside
 * that set are shown as "?" in the form; the request file keeps them.
 */
export interface MdfFormInput {
  program: MdfProgram;
  brandName: string;
  request: MdfRequest;
  /** The activity type's name in the program. */
  activityName: string;
  /** The verdict of the veto rules when it was sent. */
  evaluation: Pick<Evaluation, 'verdict' | 'breaches' | 'quarter'>;
  /** The brand's heading colour, 0..255 per channel (the header band); navy when absent. */
  accent?: readonly [number, number, number];
  /** Written as the PDF's creation date (reproducible output). */
  date: Date;
}

/** Field names of the form, in the order they are laid out. */
export const MDF_FORM_FIELDS = [
  'partner',
  'request-id',
  'submitted-on',
  'activity',
  'title',
  'start-date',
  'end-date',
  'budget-requested',
  'total-cost',
  'partner-share',
  'expected-leads',
  'expected-pipeline',
  'audience',
  'description',
  'attachments',
  'evaluation',
] as const;
export type MdfFormField = (typeof MDF_FORM_FIELDS)[number];

const PAGE = { width: 612, height: 792 };
const MARGIN = 48;
const INK = rgb(0.12, 0.14, 0.18);
const MUTED = rgb(0.4, 0.43, 0.48);
const LINE = rgb(0.75, 0.78, 0.82);

const VERDICT_WORDS: Record<Evaluation['verdict'], string> = {
  'auto-vetoed': 'Would be vetoed automatically',
  'needs-review': 'Needs review',
  'auto-approved': 'Within the automatic approval limit',
};

function accentColor(c: MdfFormInput['accent']): RGB {
  return c ? rgb(c[0] / 255, c[1] / 255, c[2] / 255) : rgb(0.08, 0.16, 0.33);
}

/** Text the standard fonts can encode: anything else becomes "?", control characters but line breaks become spaces. */
function encodable(font: PDFFont, text: string, multiline: boolean): string {
  const set = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n') out += multiline ? '\n' : ' ';
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) out += ' ';
    else out += set.has(cp) ? ch : '?';
  }
  return out;
}

/** The values the form's fields are filled with. */
export function mdfFormValues(input: MdfFormInput): Record<MdfFormField, string> {
  const r = input.request;
  const money = (c: number) => formatMoney(c, input.program.currency);
  const share = partnerShareOf(r);
  const ev = input.evaluation;
  const evaluation = [
    `${VERDICT_WORDS[ev.verdict]}.`,
    `Quarter ${ev.quarter.id}: ${money(ev.quarter.used)} already requested${ev.quarter.limit === null ? '' : `, limit ${money(ev.quarter.limit)}`}.`,
    ...ev.breaches.map((b) => `- ${b.message}`),
  ].join('\n');
  return {
    partner: `${r.partner.name}${r.partner.tier ? ` (${r.partner.tier})` : ''}${r.partner.distributor ? `, via ${r.partner.distributor}` : ''}`,
    'request-id': r.id,
    'submitted-on': r.submittedOn,
    activity: input.activityName,
    title: r.title,
    'start-date': r.startDate,
    'end-date': r.endDate,
    'budget-requested': money(r.budgetRequested),
    'total-cost': money(r.totalCost),
    'partner-share': `${Math.round(share * 1000) / 10}%`,
    'expected-leads': String(r.expectedLeads),
    'expected-pipeline': money(r.expectedPipeline),
    audience: r.audience,
    description: r.description,
    attachments: r.attachments.length === 0 ? 'None' : r.attachments.map((a) => `${a.name} (${a.kind}, ${a.size} bytes)\nSHA-256 ${a.sha256}`).join('\n'),
    evaluation,
  };
}

const MULTILINE: ReadonlySet<MdfFormField> = new Set(['audience', 'description', 'attachments', 'evaluation']);

const LABELS: Record<MdfFormField, string> = {
  partner: 'Partner',
  'request-id': 'Request ID',
  'submitted-on': 'Submitted on',
  activity: 'Activity type',
  title: 'Activity title',
  'start-date': 'Start date',
  'end-date': 'End date',
  'budget-requested': 'Budget requested',
  'total-cost': 'Total cost of the activity',
  'partner-share': 'Partner share (co-funding)',
  'expected-leads': 'Expected leads',
  'expected-pipeline': 'Expected pipeline',
  audience: 'Target audience',
  description: 'Description',
  attachments: 'Attachments',
  evaluation: 'Veto rules when submitted',
};

/** Where each field goes: page, column (0 full width, 1 left half, 2 right half), height in points. */
const LAYOUT: Record<MdfFormField, { page: 0 | 1; col: 0 | 1 | 2; h: number }> = {
  partner: { page: 0, col: 0, h: 22 },
  'request-id': { page: 0, col: 1, h: 22 },
  'submitted-on': { page: 0, col: 2, h: 22 },
  activity: { page: 0, col: 1, h: 22 },
  title: { page: 0, col: 2, h: 22 },
  'start-date': { page: 0, col: 1, h: 22 },
  'end-date': { page: 0, col: 2, h: 22 },
  'budget-requested': { page: 0, col: 1, h: 22 },
  'total-cost': { page: 0, col: 2, h: 22 },
  'partner-share': { page: 0, col: 1, h: 22 },
  'expected-leads': { page: 0, col: 2, h: 22 },
  'expected-pipeline': { page: 0, col: 1, h: 22 },
  audience: { page: 0, col: 0, h: 96 },
  description: { page: 1, col: 0, h: 250 },
  attachments: { page: 1, col: 0, h: 120 },
  evaluation: { page: 1, col: 0, h: 130 },
};

function header(page: PDFPage, bold: PDFFont, regular: PDFFont, input: MdfFormInput, accent: RGB, pageNo: number): void {
  page.drawRectangle({ x: 0, y: PAGE.height - 96, width: PAGE.width, height: 96, color: accent });
  page.drawText(encodable(bold, input.brandName, false), { x: MARGIN, y: PAGE.height - 40, size: 12, font: bold, color: rgb(1, 1, 1) });
  page.drawText('MDF request', { x: MARGIN, y: PAGE.height - 70, size: 24, font: bold, color: rgb(1, 1, 1) });
  const program = encodable(regular, input.program.name, false);
  const w = regular.widthOfTextAtSize(program, 11);
  page.drawText(program, { x: Math.max(MARGIN + 200, PAGE.width - MARGIN - w), y: PAGE.height - 40, size: 11, font: regular, color: rgb(1, 1, 1) });
  page.drawText(`Page ${pageNo} of 2`, { x: PAGE.width - MARGIN - 50, y: 28, size: 8, font: regular, color: MUTED });
  page.drawText(`Currency: ${input.program.currency}. The signed request file in the packet is the request of record; this form is a copy for reading and filing.`, {
    x: MARGIN,
    y: 28,
    size: 7,
    font: regular,
    color: MUTED,
  });
}

/** Builds the form: two pages, one text field per value, filled and fillable. */
export async function mdfRequestPdf(input: MdfFormInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`MDF request: ${input.request.title}`, { showInWindowTitleBar: false });
  doc.setSubject(`${input.program.name} (${input.brandName})`);
  doc.setAuthor(input.request.partner.name);
  doc.setProducer('Lockup');
  doc.setCreator('Lockup');
  doc.setCreationDate(input.date);
  doc.setModificationDate(input.date);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const accent = accentColor(input.accent);
  const pages = [doc.addPage([PAGE.width, PAGE.height]), doc.addPage([PAGE.width, PAGE.height])];
  pages.forEach((p, i) => header(p, bold, regular, input, accent, i + 1));
  pages[1]!.drawText(encodable(bold, input.request.title, false).slice(0, 90), { x: MARGIN, y: PAGE.height - 124, size: 13, font: bold, color: INK });

  const form = doc.getForm();
  const values = mdfFormValues(input);
  // Per page: the bottom of the last row, and the label line of the current row (a right-hand field shares it).
  const cursor = [PAGE.height - 128, PAGE.height - 150];
  const rowLabel = [0, 0];
  const half = (PAGE.width - 2 * MARGIN - 16) / 2;
  for (const name of MDF_FORM_FIELDS) {
    const at = LAYOUT[name];
    const page = pages[at.page]!;
    const x = at.col === 2 ? MARGIN + half + 16 : MARGIN;
    const width = at.col === 0 ? PAGE.width - 2 * MARGIN : half;
    if (at.col !== 2) rowLabel[at.page] = cursor[at.page]! - 14;
    const labelY = rowLabel[at.page]!;
    page.drawText(LABELS[name], { x, y: labelY, size: 8.5, font: bold, color: MUTED });
    const y = labelY - 4 - at.h;
    const field = form.createTextField(name);
    if (MULTILINE.has(name)) field.enableMultiline();
    field.setText(encodable(regular, values[name], MULTILINE.has(name)));
    field.addToPage(page, { x, y, width, height: at.h, font: regular, textColor: INK, borderColor: LINE, borderWidth: 0.75, backgroundColor: rgb(0.97, 0.98, 0.99) });
    field.setFontSize(MULTILINE.has(name) ? 9 : 10);
    cursor[at.page] = y - 10;
  }
  form.updateFieldAppearances(regular);
  return doc.save({ useObjectStreams: false });
}
