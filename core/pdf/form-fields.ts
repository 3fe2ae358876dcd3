import { PDFDict, PDFHexString, PDFName, PDFString, type PDFContext, type PDFPage, type PDFRef, type PDFStream } from 'pdf-lib';
import type { FieldItem, PlanColor } from '../compose/plan.ts';
import { num, pdfBox, type Frame } from './content.ts';

/**
 * AcroForm fields for the screen profile (docs/decisions/0019). Each form
 * field zone becomes one merged field/widget annotation on its page. Its
 * normal appearance draws the initial value in the brand font, laid out by
 * the same engine as all text (so the PDF looks the same in every viewer
 * until someone types); the default appearance (/DA), which viewers use for
 * what is typed, names Helvetica from the form's resources. The field's box
 * is page content, so it prints and renders even where forms are not
 * supported.
 */

/** Field flags (PDF 32000-1 §12.7.3.1, §12.7.4). */
const FF_REQUIRED = 1 << 1;
const FF_MULTILINE = 1 << 12;
const FF_COMBO = 1 << 17;
/** Annotation flag: print. */
const F_PRINT = 4;

/** The bytes of an appearance stream and the font resources it names. */
export interface Appearance {
  ops: string;
  fonts: ReadonlyMap<string, PDFRef>;
}

export interface PageFields {
  page: PDFPage;
  fields: readonly FieldItem[];
}

/** A PDF text string: plain ASCII as a literal, anything else UTF-16BE (hex). */
function textString(s: string): PDFString | PDFHexString {
  return /^[\x20-\x7e]*$/.test(s) ? PDFString.of(s.replace(/[\\()]/g, (c) => `\\${c}`)) : PDFHexString.fromText(s);
}

function rgbArray(c: PlanColor | undefined): number[] | undefined {
  return c ? c.rgb.map((v) => Number(num(v / 255))) : undefined;
}

/** The default appearance: the font and colour viewers type in. */
function defaultAppearance(item: FieldItem, font: string): string {
  const [r, g, b] = item.color.rgb.map((v) => num(v / 255));
  return `/${font} ${num(item.field.input === 'checkbox' ? 0 : item.field.size)} Tf ${r} ${g} ${b} rg`;
}

/**
 * Adds the widgets of every page's fields and the document's /AcroForm.
 * `appearance` gives an item's value as content operators in page space,
 * with the fonts it uses; `stream` makes a compressed stream. Does nothing
 * when there are no fields.
 */
export function addFormFields(
  ctx: PDFContext,
  catalog: PDFDict,
  pages: readonly PageFields[],
  frame: Frame,
  appearance: (item: FieldItem) => Appearance,
  stream: (ops: string, dict: Record<string, unknown>) => PDFStream,
): void {
  if (pages.every((p) => p.fields.length === 0)) return;
  const helv = ctx.register(ctx.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' }));
  let zadb: PDFRef | undefined;
  const fields: PDFRef[] = [];
  for (const { page, fields: items } of pages) {
    const annots: PDFRef[] = [];
    for (const item of items) {
      const box = pdfBox(frame, item.rect);
      const form = (ops: string, fonts: ReadonlyMap<string, PDFRef>) => {
        const resources: Record<string, unknown> = {};
        if (fonts.size > 0) resources['Font'] = Object.fromEntries(fonts);
        // BBox in page space with the identity matrix: the operators draw where they would on the page.
        return ctx.register(stream(ops, { Type: 'XObject', Subtype: 'Form', BBox: box, Resources: resources }));
      };
      const mk: Record<string, unknown> = {};
      const bc = rgbArray(item.field.border);
      const bg = rgbArray(item.field.background);
      if (bc) mk['BC'] = bc;
      if (bg) mk['BG'] = bg;
      const dict: Record<string, unknown> = {
        Type: 'Annot',
        Subtype: 'Widget',
        Rect: box,
        F: F_PRINT,
        P: page.ref,
        T: PDFString.of(item.field.name),
        TU: textString(item.field.label),
        BS: { W: item.field.border ? 1 : 0, S: 'S' },
      };
      let flags = item.field.required ? FF_REQUIRED : 0;
      if (item.field.input === 'checkbox') {
        zadb ??= ctx.register(ctx.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'ZapfDingbats' }));
        const state = item.checked ? 'Yes' : 'Off';
        const on = form(appearance({ ...item, checked: true }).ops, new Map());
        const off = form('', new Map());
        Object.assign(dict, { FT: 'Btn', V: state, AS: state, DA: PDFString.of(defaultAppearance(item, 'ZaDb')), AP: { N: { Yes: on, Off: off } } });
        mk['CA'] = PDFString.of('4');
      } else {
        const ap = appearance(item);
        dict['AP'] = { N: form(ap.ops, ap.fonts) };
        dict['DA'] = PDFString.of(defaultAppearance(item, 'Helv'));
        dict['Q'] = 0;
        if (item.value !== '') dict['V'] = textString(item.value);
        if (item.field.input === 'text') {
          dict['FT'] = 'Tx';
          if (item.field.multiline) flags |= FF_MULTILINE;
          if (item.field.maxChars !== undefined) dict['MaxLen'] = item.field.maxChars;
        } else {
          dict['FT'] = 'Ch';
          flags |= FF_COMBO;
          dict['Opt'] = item.field.options.map(textString);
        }
      }
      if (flags !== 0) dict['Ff'] = flags;
      if (Object.keys(mk).length > 0) dict['MK'] = mk;
      const ref = ctx.register(ctx.obj(dict as never));
      annots.push(ref);
      fields.push(ref);
    }
    // In the order the template lists the fields: viewers tab through them in this order.
    if (annots.length > 0) page.node.set(PDFName.of('Annots'), ctx.obj(annots));
  }
  const fonts: Record<string, PDFRef> = { Helv: helv };
  if (zadb) fonts['ZaDb'] = zadb;
  catalog.set(PDFName.of('AcroForm'), ctx.register(ctx.obj({ Fields: fields, DA: PDFString.of('/Helv 0 Tf 0 g'), DR: { Font: fonts } })));
}
