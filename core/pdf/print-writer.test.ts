import pako from 'pako';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderPlan } from '../compose/plan.ts';
import { repoBytes } from '../../test/core-support/files.ts';
import { printTestPlan } from '../../test/core-support/print-plan.ts';
import { portableDeflate } from '../util/deflate.ts';
import { printGeometry } from './print-marks.ts';
import type { PrintOutput } from './print-output.ts';
import { PdfWriter } from './writer.ts';

const FIXED = new Date('2024-05-01T12:00:00Z');
const PROFILE = repoBytes('assets/icc/artifex-cmyk-swop.icc');
const PRINT: PrintOutput = { outputIntent: { profile: PROFILE, identifier: 'Custom', condition: 'Test condition', info: 'Test profile' } };

let plan: RenderPlan;
let writer: PdfWriter;
let print: PDFDocument;
let screen: PDFDocument;

beforeAll(async () => {
  plan = await printTestPlan();
  writer = new PdfWriter(portableDeflate);
  screen = await PDFDocument.load(await writer.write(plan, { colorMode: 'rgb', producer: 'test', fixedDate: FIXED }), { updateMetadata: false });
  print = await PDFDocument.load(await writer.write(plan, { colorMode: 'cmyk', producer: 'test', fixedDate: FIXED, print: PRINT }), { updateMetadata: false });
});

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const lookup = <T extends PDFObject>(doc: PDFDocument, obj: PDFObject | undefined, type: Function & { prototype: T }): T => {
  const v = obj instanceof PDFRef ? doc.context.lookup(obj) : obj;
  if (!(v instanceof type)) throw new Error(`expected ${type.name}, got ${v?.constructor.name}`);
  return v as T;
};
const latin1 = (b: Uint8Array) => Array.from(b, (c) => String.fromCharCode(c)).join('');
const box = (doc: PDFDocument, name: string) =>
  doc.getPage(0).node.get(PDFName.of(name)) === undefined
    ? undefined
    : lookup(doc, doc.getPage(0).node.get(PDFName.of(name)), PDFArray)
        .asArray()
        .map((n) => Math.round((n as PDFNumber).asNumber() * 1000) / 1000);
const asBox = (b: readonly number[]) => [b[0]!, b[1]!, b[0]! + b[2]!, b[1]! + b[3]!].map((n) => Math.round(n * 1000) / 1000);

function content(doc: PDFDocument): string[] {
  return lookup(doc, doc.getPage(0).node.get(PDFName.of('Contents')), PDFArray)
    .asArray()
    .map((ref) => latin1(pako.inflate(lookup(doc, ref, PDFRawStream).contents)));
}

describe('PdfWriter print output', () => {
  it('sets MediaBox = bleed + crop-mark slug, BleedBox = trim + bleed, TrimBox = the template page', () => {
    const g = printGeometry(600, 400, 9);
    expect(box(print, 'MediaBox')).toEqual(asBox(g.media));
    expect(box(print, 'BleedBox')).toEqual(asBox(g.bleed));
    expect(box(print, 'TrimBox')).toEqual(asBox(g.trim));
    expect(box(print, 'TrimBox')!.slice(2).map((v, i) => v - box(print, 'TrimBox')![i]!)).toEqual([600, 400]);
  });

  it('leaves screen output as it was: media = bleed box, no marks, no output intent, no Trapped', () => {
    expect(box(screen, 'MediaBox')).toEqual([0, 0, 618, 418]);
    expect(box(screen, 'TrimBox')).toEqual([9, 9, 609, 409]);
    expect(content(screen).join('')).not.toContain('CS-Registration');
    expect(screen.catalog.get(PDFName.of('OutputIntents'))).toBeUndefined();
    expect(screen.getPage(0).node.get(PDFName.of('Group'))).toBeUndefined();
    const info = lookup(screen, screen.context.trailerInfo.Info, PDFDict);
    expect(info.get(PDFName.of('Trapped'))).toBeUndefined();
  });

  it('shifts the drawing into the slug with one cm around the same content streams as the screen page', () => {
    const streams = content(print);
    expect(streams[0]).toMatch(/^q\n1 0 0 1 22\.677 22\.677 cm\n$/);
    expect(streams.at(-1)).toMatch(/^Q\n/);
    // Two wrapper streams around the page content: the shift and, after it, the crop marks.
    expect(streams.length).toBe(content(screen).length + 2);
  });

  it('draws 8 crop marks in registration colour (Separation /All) after the page content', () => {
    const marks = content(print).at(-1)!;
    expect(marks.match(/ m /g)).toHaveLength(8);
    expect(marks).toContain('/CS-Registration CS 1 SCN');
    const resources = lookup(print, print.getPage(0).node.get(PDFName.of('Resources')), PDFDict);
    const cs = lookup(print, lookup(print, resources.get(PDFName.of('ColorSpace')), PDFDict).get(PDFName.of('CS-Registration')), PDFArray);
    expect(cs.asArray().slice(0, 3).map(String)).toEqual(['/Separation', '/All', '/DeviceCMYK']);
  });

  it('writes palette colours as DeviceCMYK for fills and text; only the non-palette colour stays RGB', () => {
    const body = content(print).slice(1, -1).join('');
    // navy fill 100 82 0 66, pale 0 0 0 20, white text 0 0 0 0.
    expect(body).toContain('1 0.82 0 0.66 k');
    expect(body).toContain('0 0 0 0.2 k');
    expect(body).toMatch(/BT\n0 0 0 0 k/);
    const rg = body.match(/[\d.]+ [\d.]+ [\d.]+ rg/g) ?? [];
    expect(rg).toEqual(['1 0 0 rg']);
    // Screen: everything RGB.
    expect(content(screen).join('')).not.toMatch(/ k\n/);
  });

  it('adds a GTS_PDFX output intent with the ICC profile (N 4) and /Trapped /False', () => {
    const intents = lookup(print, print.catalog.get(PDFName.of('OutputIntents')), PDFArray);
    expect(intents.size()).toBe(1);
    const intent = lookup(print, intents.get(0), PDFDict);
    expect(String(intent.get(PDFName.of('S')))).toBe('/GTS_PDFX');
    expect(String(intent.get(PDFName.of('Type')))).toBe('/OutputIntent');
    expect((intent.get(PDFName.of('OutputConditionIdentifier')) as PDFString).decodeText()).toBe('Custom');
    expect((intent.get(PDFName.of('Info')) as PDFString).decodeText()).toBe('Test profile');
    const icc = lookup(print, intent.get(PDFName.of('DestOutputProfile')), PDFRawStream);
    expect((icc.dict.get(PDFName.of('N')) as PDFNumber).asNumber()).toBe(4);
    const bytes = pako.inflate(icc.contents);
    expect(bytes).toEqual(PROFILE);
    expect(latin1(bytes.subarray(12, 20))).toBe('prtrCMYK');
    const info = lookup(print, print.context.trailerInfo.Info, PDFDict);
    expect(String(info.get(PDFName.of('Trapped')))).toBe('/False');
  });

  it('blends pages with transparency in DeviceCMYK (page group)', () => {
    const group = lookup(print, print.getPage(0).node.get(PDFName.of('Group')), PDFDict);
    expect(String(group.get(PDFName.of('S')))).toBe('/Transparency');
    expect(String(group.get(PDFName.of('CS')))).toBe('/DeviceCMYK');
  });
});
