import type { PlanColor, PlanItem, RenderPlan } from '../compose/plan.ts';
import { LockupError } from '../errors.ts';
import type { Codec } from '../images/prepare.ts';
import type { Brand } from '../model/brand.ts';
import type { Rect } from '../model/template.ts';
import type { InlineRun } from '../playbook/model.ts';
import {
  fill,
  fitText,
  leading,
  loadBrandKit,
  lockupItems,
  MissingGlyphs,
  paragraphStyle,
  richLineItems,
  RichSetter,
  seedOf,
  textItem,
  writePlan,
  type BrandKit,
  type Face,
} from '../playbook/pdf.ts';
import { layoutText, type ParagraphStyle, type TextLayout } from '../text/layout.ts';
import { portableCodec } from '../util/codec.ts';

/**
 * A certificate of completion for a training module (issue #7): one
 * landscape Letter page, co-branded (the vendor's logo and the partner's),
 * with the person, the module, the certification it grants, the date, the
 * score and the verification code of the signed completion record, which
 * is embedded in the file as an attachment.
 *
 * Every piece of text has a fixed box and is fitted into it (largest size
 * that fits, then an ellipsis at the smallest), so no name is long enough
 * to leave the page. Drawn with the same plan, writer and brand kit as the
 * playbook PDF (core/playbook/pdf.ts).
 */
export interface CertificateInput {
  brand: Brand;
  asset: (ref: string) => Uint8Array | undefined;
  partner: { name: string; logo?: string };
  person: string;
  moduleTitle: string;
  certificationName: string;
  /** Date of completion, shown as a long date ("26 November 2026", in UTC) and used as the PDF's date. */
  date: Date;
  /** 0..1, shown as a percentage. */
  score: number;
  /** Verification code, e.g. "LKP-7F3K-92QD-XM4A". */
  code: string;
  /** The signed completion record, embedded as a PDF file attachment (core/pdf/attachments.ts). */
  attachment?: { name: string; bytes: Uint8Array; description: string };
  /** Compression (node:zlib in the backend); pure-JS pako by default. */
  codec?: Codec;
}

/** What the page says, without the brand and assets. */
export type CertificateText = Pick<CertificateInput, 'person' | 'moduleTitle' | 'certificationName' | 'date' | 'score' | 'code'> & { partner: { name: string } };

export type CertificateBoxName = 'lockup' | 'title' | 'lead' | 'person' | 'partner' | 'module' | 'certification' | 'date' | 'score' | 'code' | 'verify';

export interface CertificateBox {
  name: CertificateBoxName;
  /** The box the content was fitted into. */
  rect: Rect;
  items: PlanItem[];
}

export interface CertificateLayout {
  width: number;
  height: number;
  /** Inside the border: every box lies in it. */
  safe: Rect;
  boxes: CertificateBox[];
  /** The border and every box's items, in drawing order. */
  items: PlanItem[];
}

const PAGE = { width: 792, height: 612 };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "26 November 2026": the date in UTC, so the certificate reads the same wherever it is made. */
export function formatLongDate(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function formatScore(score: number): string {
  return `${Math.round(score * 100)}%`;
}

/**
 * Lays the certificate out: pure, no PDF. Throws `invalid-argument` for a
 * score outside 0..1 or text the brand fonts cannot draw (naming the
 * characters).
 */
export function layoutCertificate(text: CertificateText, kit: BrandKit): CertificateLayout {
  if (!(Number.isFinite(text.score) && text.score >= 0 && text.score <= 1)) throw new LockupError('invalid-argument', `A score is between 0 and 1, not ${text.score}`);
  if (Number.isNaN(text.date.getTime())) throw new LockupError('invalid-argument', 'The completion date is not a valid date');
  const { width, height } = PAGE;
  const c = kit.colors;
  const f = kit.faces;
  const missing = new MissingGlyphs();
  const setter = new RichSetter(f, missing);
  const boxes: CertificateBox[] = [];
  const lh = (face: Face, at: number) => leading(f[face], at);
  const border: PlanItem[] = [];
  const frame = (inset: number, t: number, color: PlanColor) => {
    const w = width - 2 * inset;
    const h = height - 2 * inset;
    border.push(
      fill({ x: inset, y: inset, w, h: t }, color),
      fill({ x: inset, y: inset + h - t, w, h: t }, color),
      fill({ x: inset, y: inset + t, w: t, h: h - 2 * t }, color),
      fill({ x: inset + w - t, y: inset + t, w: t, h: h - 2 * t }, color),
    );
  };
  frame(24, 3, c.heading);
  frame(33, 0.75, c.muted);
  const safe = { x: 40, y: 40, w: width - 80, h: height - 80 };
  const col = { x: 96, w: width - 192 };

  /** Plain text fitted into a box, centred. */
  const plain = (name: CertificateBoxName, s: string, face: Face, style: ParagraphStyle, rect: Rect, multiline: boolean, minSize: number, color: PlanColor): TextLayout => {
    const laid = fitText(s, f[face], style, { width: rect.w, height: rect.h }, { multiline, minSize });
    missing.note(name, laid);
    boxes.push({ name, rect, items: [textItem(laid, rect.x, rect.y, color)] });
    return laid;
  };
  /** Styled text ("has completed **Module**") fitted into a box: the largest size whose lines fit without breaking words, else plain text with an ellipsis. */
  const rich = (name: CertificateBoxName, runs: InlineRun[], size: number, minSize: number, rect: Rect, color: PlanColor) => {
    const lineHeight = lh('bold', 1.2);
    for (let s = size; s >= minSize - 1e-9; s -= 0.5) {
      const rt = setter.set(runs, s, lineHeight, rect.w, name);
      if (rt.broke || rt.height > rect.h + 0.01) continue;
      const items: PlanItem[] = [];
      const top = rect.y + (rect.h - rt.height) / 2;
      rt.lines.forEach((line, i) => {
        items.push(...richLineItems(rt, i, rect.x + (rect.w - line.width) / 2, top + i * rt.lineHeight, line.width, color, c.heading).items);
      });
      boxes.push({ name, rect, items });
      return;
    }
    plain(name, runs.map((r) => r.text).join(''), 'regular', paragraphStyle(minSize, lineHeight, 'center', { valign: 'middle' }), rect, true, minSize, color);
  };

  /** The name on one line, shrunk down to 24 pt; else on two lines down to 14 pt; else shortened with an ellipsis. */
  const person = (name: string, rect: Rect) => {
    const style = paragraphStyle(40, lh('bold', 1.15), 'center', { valign: 'middle' });
    const box = { width: rect.w, height: rect.h };
    const oneLine = layoutText(name, style, f.bold, box, { multiline: false, overflow: 'shrink', minSize: 24 });
    const laid = oneLine.overflow ? fitText(name, f.bold, style, box, { multiline: true, minSize: 14 }) : oneLine;
    missing.note('person', laid);
    boxes.push({ name: 'person', rect, items: [textItem(laid, rect.x, rect.y, c.text)] });
  };

  const lockupRect = { x: col.x, y: 58, w: col.w, h: 64 };
  boxes.push({ name: 'lockup', rect: lockupRect, items: lockupItems(kit, lockupRect, 'center') });
  plain('title', 'Certificate of completion', 'bold', paragraphStyle(22, lh('bold', 1.2), 'center', { letterSpacing: 120, transform: 'uppercase' }), { x: col.x, y: 144, w: col.w, h: 30 }, false, 10, c.heading);
  plain('lead', 'This certifies that', 'regular', paragraphStyle(12, lh('regular', 1.2), 'center'), { x: col.x, y: 184, w: col.w, h: 18 }, false, 8, c.muted);
  person(text.person, { x: col.x, y: 206, w: col.w, h: 96 });
  rich('partner', [{ text: 'of ' }, { text: text.partner.name, bold: true }], 15, 8, { x: col.x, y: 306, w: col.w, h: 40 }, c.text);
  rich('module', [{ text: 'has completed ' }, { text: text.moduleTitle, bold: true }], 16, 8, { x: col.x, y: 350, w: col.w, h: 42 }, c.text);
  rich('certification', [{ text: 'and is ' }, { text: text.certificationName, bold: true }], 15, 8, { x: col.x, y: 396, w: col.w, h: 40 }, c.text);

  const facts: [CertificateBoxName, string, string][] = [
    ['date', 'Date', formatLongDate(text.date)],
    ['score', 'Score', formatScore(text.score)],
    ['code', 'Verification code', text.code],
  ];
  const cellW = col.w / facts.length;
  facts.forEach(([name, label, value], i) => {
    const x = col.x + i * cellW + 6;
    const w = cellW - 12;
    const labelLaid = fitText(label, f.bold, paragraphStyle(8, lh('bold', 1.2), 'center', { letterSpacing: 100, transform: 'uppercase' }), { width: w, height: 12 }, { multiline: false, minSize: 5 });
    const rect = { x, y: 452, w, h: 40 };
    const valueLaid = fitText(value, f.bold, paragraphStyle(name === 'code' ? 16 : 15, lh('bold', 1.2), 'center'), { width: w, height: 22 }, { multiline: false, minSize: 6 });
    missing.note(name, valueLaid);
    boxes.push({ name, rect, items: [fill({ x: x + w / 2 - 14, y: 452, w: 28, h: 1.5 }, c.heading), textItem(labelLaid, x, 458, c.muted), textItem(valueLaid, x, 472, name === 'code' ? c.heading : c.text)] });
  });
  plain('verify', 'Verify with: lockup completion verify <file>', 'regular', paragraphStyle(9, lh('regular', 1.2), 'center'), { x: col.x, y: 512, w: col.w, h: 14 }, false, 6, c.muted);
  missing.check('invalid-argument', 'the certificate');
  return { width, height, safe, boxes, items: [...border, ...boxes.flatMap((b) => b.items)] };
}

/** The MIME type of an attachment by its file name. */
function mimeType(name: string): string {
  if (/\.json$/i.test(name)) return 'application/json';
  if (/\.(txt|asc)$/i.test(name)) return 'text/plain';
  return 'application/octet-stream';
}

/**
 * Writes the certificate as a one-page PDF with the completion record
 * attached. Same input, same bytes: the date is fixed and the file ID is a
 * digest of the input.
 */
export async function certificatePdf(input: CertificateInput): Promise<Uint8Array> {
  const codec = input.codec ?? portableCodec;
  const kit = await loadBrandKit(input.brand, input.asset, { partnerLogo: input.partner.logo }, codec);
  const layout = layoutCertificate(input, kit);
  const plan: RenderPlan = {
    width: layout.width,
    height: layout.height,
    bleed: 0,
    pages: [{ items: layout.items, background: undefined }],
    meta: {
      title: `Certificate of completion \u2014 ${input.person}`,
      author: input.brand.name,
      subject: `${input.moduleTitle}: ${input.certificationName}`,
      keywords: ['lockup', 'certificate', `brand:${input.brand.id}`, `code:${input.code}`],
    },
  };
  const a = input.attachment;
  const seed = seedOf(['certificate', input.brand.id, input.partner.name, input.partner.logo ?? '', input.person, input.moduleTitle, input.certificationName, input.date.toISOString(), String(input.score), input.code, a ? `${a.name}|${a.bytes.byteLength}|${seedOf([a.bytes])}` : '']);
  return writePlan(plan, {
    date: input.date,
    seed,
    codec,
    ...(a ? { attachments: [{ name: a.name, data: a.bytes, mimeType: mimeType(a.name), description: a.description, relationship: 'Data' as const }] } : {}),
  });
}
