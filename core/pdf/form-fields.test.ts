import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTemplate, type CompiledTemplate, type Resources } from '../compose/compile.ts';
import { compose } from '../compose/compose.ts';
import { loadBrand, loadDocument, loadProfile, loadTemplate, type Brand, type TemplateInput } from '../model/index.ts';
import { Template } from '../model/template.ts';
import { portableDeflate } from '../util/deflate.ts';
import { loadFont } from '../../test/core-support/fonts.ts';
import { brandInput, documentInput, profileInput, rect, templateInput } from '../../test/core-support/model.ts';
import { makeResources } from '../../test/core-support/resources.ts';
import { countPixels, pdfFonts, pdfInfo, pdfText, qpdfCheck, renderRegion } from '../../test/support/pdf.ts';
import { tempDir } from '../../test/support/temp.ts';
import { repoBytes } from '../../test/core-support/files.ts';
import { PdfWriter } from './writer.ts';

type ZoneInput = TemplateInput['pages'][number]['zones'][number];

const style = { font: 'lato', size: 11, color: 'ink' };
const ZONES: ZoneInput[] = [
  { id: 'f-company', kind: 'form-field', owner: 'vendor', lock: 'locked', rect: rect(40, 40, 260, 24), fieldName: 'company', input: 'text', label: 'Company name', required: true, value: '{company}', style, border: 'navy' },
  { id: 'f-notes', kind: 'form-field', owner: 'vendor', lock: 'locked', rect: rect(40, 80, 260, 80), fieldName: 'notes', input: 'text', label: 'Notes', multiline: true, maxChars: 500, style, border: 'navy', background: 'white' },
  { id: 'f-agree', kind: 'form-field', owner: 'vendor', lock: 'locked', rect: rect(40, 180, 40, 40), fieldName: 'agree', input: 'checkbox', label: 'I agree', value: 'on', style, border: 'ink' },
  { id: 'f-type', kind: 'form-field', owner: 'distributor', lock: 'locked', rect: rect(320, 40, 200, 24), fieldName: 'activity', input: 'choice', label: 'Activity', options: ['Event', 'Webinar', 'Café (print)'], value: 'Webinar', style, background: 'pale' },
];
const FIELDS = [{ key: 'company', label: 'Company' }];

let brand: Brand;
let resources: Resources;
let compiled: CompiledTemplate;
let dir: string;
const FIXED = new Date('2026-01-02T03:04:05Z');
const PRINT = { outputIntent: { profile: repoBytes('assets/icc/artifex-cmyk-swop.icc'), identifier: 'Custom', condition: 'Test', info: 'Test' } };

beforeAll(() => {
  brand = loadBrand(brandInput());
  resources = makeResources({ lato: loadFont('lato-regular', 'lato'), 'noto-arabic': loadFont('noto-arabic-regular', 'noto-arabic') }, {});
  compiled = compileTemplate(loadTemplate(templateInput(ZONES, { fields: FIELDS })), brand, resources);
  dir = tempDir('lockup-forms-');
});

async function exportTo(name: string, output: 'screen' | 'print', company = 'Northwind (Ltd) \\ Co'): Promise<string> {
  const c = compose(compiled, { profile: loadProfile(profileInput({ company })), document: loadDocument(documentInput()), output });
  const bytes = await new PdfWriter(portableDeflate).write(c.plan, { colorMode: output === 'print' ? 'cmyk' : 'rgb', producer: 'test', fixedDate: FIXED, ...(output === 'print' ? { print: PRINT } : {}) });
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  if (process.env.KEEP_FORMS) fs.copyFileSync(file, path.join(process.env.KEEP_FORMS, name));
  return file;
}

interface QpdfField {
  fullname: string;
  fieldtype: string;
  value: unknown;
  alternativename: string;
  ischeckbox: boolean;
  ischoice: boolean;
  istext: boolean;
  choices: string[];
  fieldflags: number;
  pageposfrom1: number;
}

function acroform(file: string): { hasacroform: boolean; needappearances: boolean; fields: QpdfField[] } {
  const r = spawnSync('qpdf', ['--json=2', '--json-key=acroform', file], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as { acroform: { hasacroform: boolean; needappearances: boolean; fields: QpdfField[] } }).acroform;
}

describe('form fields in the screen profile', () => {
  it('are AcroForm fields with names, types, flags, options and initial values (qpdf reads them back)', async () => {
    const file = await exportTo('form.pdf', 'screen');
    const check = qpdfCheck(file);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const form = acroform(file);
    expect(form.hasacroform).toBe(true);
    expect(form.needappearances).toBe(false);
    const byName = new Map(form.fields.map((f) => [f.fullname, f]));
    expect([...byName.keys()]).toEqual(['company', 'notes', 'agree', 'activity']);
    const company = byName.get('company')!;
    expect(company.istext).toBe(true);
    expect(company.value).toBe('u:Northwind (Ltd) \\ Co');
    expect(company.alternativename).toBe('Company name');
    expect(company.fieldflags & 2).toBe(2); // Required
    const notes = byName.get('notes')!;
    expect(notes.fieldflags & 4096).toBe(4096); // Multiline
    const agree = byName.get('agree')!;
    expect(agree.ischeckbox).toBe(true);
    expect(agree.value).toBe('/Yes');
    const activity = byName.get('activity')!;
    expect(activity.ischoice).toBe(true);
    expect(activity.choices).toEqual(['Event', 'Webinar', 'Café (print)']);
    expect(activity.value).toBe('u:Webinar');
    expect(activity.fieldflags & (1 << 17)).toBe(1 << 17); // Combo
    expect(form.fields.every((f) => f.pageposfrom1 === 1)).toBe(true);
    expect(pdfInfo(file)['Form']).toBe('AcroForm');
  });

  it('draws the initial values from their appearance streams, not from the page (a renderer shows them; typing replaces them)', async () => {
    const file = await exportTo('form-look.pdf', 'screen');
    // Poppler renders widget appearances: ink inside the company field and a check mark in the checkbox.
    const ink = (r: number, g: number, b: number) => r + g + b < 200;
    expect(countPixels(renderRegion(file, { x: 43, y: 43, w: 120, h: 18 }, { dpi: 144 }), ink)).toBeGreaterThan(40);
    expect(countPixels(renderRegion(file, { x: 45, y: 185, w: 30, h: 30 }, { dpi: 144 }), ink)).toBeGreaterThan(40);
    // The text is extractable (ToUnicode in the appearance's font) …
    expect(pdfText(file)).toContain('Northwind (Ltd) \\ Co');
    // … and lives in the widgets' appearances: the page itself has no font to draw text with.
    const doc = await PDFDocument.load(fs.readFileSync(file), { updateMetadata: false });
    expect(doc.getPage(0).node.Resources()?.lookup(PDFName.of('Font'))).toBeUndefined();
    expect(doc.getPage(0).node.Annots()?.size()).toBe(4);
    // The appearance fonts are the brand's, embedded and subset.
    const fonts = pdfFonts(file);
    expect(fonts.filter((f) => f.name.includes('Lato')).every((f) => f.embedded && f.subset)).toBe(true);
  });

  it('passes Ghostscript with PDFSTOPONERROR', async () => {
    const file = await exportTo('form-gs.pdf', 'screen');
    const r = spawnSync('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-dPDFSTOPONERROR', '-sDEVICE=nullpage', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('writes the same bytes for the same inputs', async () => {
    const a = fs.readFileSync(await exportTo('a.pdf', 'screen'));
    const b = fs.readFileSync(await exportTo('b.pdf', 'screen'));
    expect(Buffer.compare(a, b)).toBe(0);
    const c = fs.readFileSync(await exportTo('c.pdf', 'screen', 'Other Co'));
    expect(Buffer.compare(a, c)).not.toBe(0);
  });
});

describe('form fields in the print profile', () => {
  it('are flattened: no AcroForm, values printed in the page with embedded fonts, boxes kept', async () => {
    const file = await exportTo('form-print.pdf', 'print');
    expect(qpdfCheck(file).stderr).toBe('');
    expect(acroform(file).hasacroform).toBe(false);
    const text = pdfText(file);
    expect(text).toContain('Northwind (Ltd) \\ Co');
    expect(text).toContain('Webinar');
    expect(pdfFonts(file).every((f) => f.embedded)).toBe(true);
  });
});

describe('the form-field model', () => {
  const base = ZONES[0] as Extract<ZoneInput, { kind: 'form-field' }>;
  const issues = (zones: ZoneInput[], fields = FIELDS) => {
    const r = Template.safeParse(templateInput(zones, { fields }));
    return r.success ? [] : r.error.issues.map((i) => `${String(i.path.slice(-1)[0])}: ${i.message}`);
  };

  it('accepts the zones above', () => {
    expect(issues(ZONES)).toEqual([]);
  });

  it('refuses duplicate names (case-insensitive), partner ownership, editable locks and dotted names', () => {
    expect(issues([base, { ...base, id: 'other', fieldName: 'Company' }])).toContain('fieldName: duplicate form field name "Company"');
    expect(issues([{ ...base, owner: 'partner' }])[0]).toMatch(/^owner: a form field is designed by the vendor/);
    expect(issues([{ ...base, lock: 'editable' }])[0]).toMatch(/^lock: /);
    expect(issues([{ ...base, fieldName: 'a.b' }])[0]).toMatch(/^fieldName: must start with a letter/);
  });

  it('checks values against the input type', () => {
    expect(issues([{ ...base, value: '{nope}' }])).toEqual(['value: placeholder {nope} names no field in "fields"']);
    expect(issues([{ ...base, input: 'choice', value: '' }])).toContain('options: a choice field needs at least one option');
    expect(issues([{ ...base, input: 'choice', options: ['A', 'A'], value: 'B' }])).toEqual(['options: options must be different', 'value: "B" is not one of the options']);
    expect(issues([{ ...base, input: 'checkbox', value: 'yes' }])).toEqual(['value: a checkbox starts "on" or "off"']);
    expect(issues([{ ...base, input: 'checkbox', value: 'on', multiline: true }])).toEqual(['multiline: only a text field has lines and a character limit']);
  });
});

describe('form fields in composition', () => {
  it('flags an initial value longer than the limit, and lays the value out in the brand font with fallbacks', () => {
    const zones: ZoneInput[] = [{ ...(ZONES[0] as object), maxChars: 5 } as ZoneInput];
    const c = compileTemplate(loadTemplate(templateInput(zones, { fields: FIELDS })), brand, resources);
    const r = compose(c, { profile: loadProfile(profileInput({ company: 'شركة الشرق' })), document: loadDocument(documentInput()), output: 'screen' });
    expect(r.findings.map((f) => [f.code, f.zoneId, f.measured, f.required])).toContainEqual(['text-too-long', 'f-company', 10, 5]);
    const field = r.plan.pages[0]!.items.find((i) => i.type === 'field');
    expect(field?.type === 'field' && field.text?.layout.lines[0]?.runs.map((run) => run.font.id)).toContain('noto-arabic');
  });

  it('draws the box (border, background) as page fills in every profile', () => {
    const c = compose(compiled, { profile: loadProfile(profileInput()), document: loadDocument(documentInput()), output: 'screen' });
    const fills = c.plan.pages[0]!.items.filter((i) => i.type === 'fill' && i.zoneId === 'f-company');
    expect(fills).toHaveLength(4); // a border frame without a background
    const notes = c.plan.pages[0]!.items.filter((i) => i.type === 'fill' && i.zoneId === 'f-notes');
    expect(notes).toHaveLength(2); // border under an inset background
  });
});
