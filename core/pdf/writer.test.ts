import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pako from 'pako';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTemplate } from '../compose/compile.ts';
import { compose } from '../compose/compose.ts';
import type { RenderPlan } from '../compose/plan.ts';
import type { LoadedFont } from '../fonts/font.ts';
import type { PreparedImage } from '../images/prepare.ts';
import { loadBrand, loadDocument, loadProfile, loadTemplate, type TemplateInput } from '../model/index.ts';
import { imageFixture } from '../../test/core-support/files.ts';
import { loadFont } from '../../test/core-support/fonts.ts';
import { withOrientation } from '../../test/core-support/jpeg-edit.ts';
import { brandInput, documentInput, profileInput, rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { makeResources, prepareFixture, solidImage } from '../../test/core-support/resources.ts';
import { portableCodec } from '../util/codec.ts';
import { portableDeflate } from '../util/deflate.ts';
import { PdfWriter, type WriteOptions } from './writer.ts';
import { prepareImage } from '../images/prepare.ts';

type ZoneInput = TemplateInput['pages'][number]['zones'][number];

const W = 600;
const H = 400;
const BLEED = 9;
const FIXED = new Date('2024-05-01T12:00:00Z');

let lato: LoadedFont;
let plan: RenderPlan;
let pdf: Uint8Array;
let doc: PDFDocument;
let tmp: string;
const images: Record<string, PreparedImage> = {};

function has(cmd: string): boolean {
  return spawnSync(cmd, ['-v'], { encoding: 'utf8' }).error === undefined;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'lockup-writer-'));
  lato = loadFont('lato-regular', 'lato');
  images['vendor-light'] = await prepareFixture('logo-vector.pdf', 'vendor-light');
  images['vendor-dark'] = images['vendor-light'];
  images['rotated'] = await prepareImage(withOrientation(imageFixture('exif-rotated.jpg'), 6), 'rotated.jpg', 'rotated', portableCodec);
  images['cmyk'] = await prepareFixture('logo-cmyk.jpg', 'cmyk');
  images['rgba'] = await prepareFixture('logo-rgba.png', 'rgba');
  images['opaque'] = await solidImage('opaque', 30, 20, [10, 200, 30]);
  const brand = loadBrand(brandInput());
  const resources = makeResources({ lato, 'lato-bold': loadFont('lato-bold', 'lato-bold'), 'noto-arabic': loadFont('noto-arabic-regular', 'noto-arabic') }, images);
  const zones = [
    { id: 'band', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 600, 80), fill: 'navy' },
    { id: 'alert', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 380, 20, 20), fill: '#FF0000' },
    { id: 'title', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(20, 20, 400, 40), text: 'Hello Lockup', style: textStyle({ color: 'white', size: 20 }) },
    { id: 'vlogo', kind: 'vendor-logo', owner: 'vendor', lock: 'locked', rect: rect(440, 100, 140, 60), background: 'white' },
    // 100 × 200 pt zone for a 200 × 100 px JPEG shown rotated (orientation 6) as 100 × 200.
    { id: 'photo', kind: 'image', owner: 'vendor', lock: 'locked', rect: rect(300, 100, 100, 200), asset: 'rotated', fit: 'contain', tone: 'white' },
    { id: 'cmyk', kind: 'image', owner: 'vendor', lock: 'locked', rect: rect(420, 200, 150, 50), asset: 'cmyk', fit: 'contain', tone: 'white' },
    { id: 'swatch', kind: 'image', owner: 'vendor', lock: 'locked', rect: rect(420, 260, 30, 20), asset: 'opaque', fit: 'contain', tone: 'white' },
    { id: 'company', kind: 'partner-text', owner: 'partner', lock: 'editable', rect: rect(20, 100, 260, 30), content: '{company}', style: textStyle({ size: 14 }) },
    { id: 'arabic', kind: 'partner-text', owner: 'partner', lock: 'editable', rect: rect(20, 140, 260, 30), content: '{tagline}', style: textStyle({ size: 14 }) },
    { id: 'plogo', kind: 'partner-logo', owner: 'partner', lock: 'editable', rect: rect(20, 300, 240, 80) },
  ] as ZoneInput[];
  const template = loadTemplate(
    templateInput(zones, {
      name: 'Writer test',
      page: { size: { width: W, height: H }, bleed: BLEED },
      fields: [
        { key: 'company', label: 'Company' },
        { key: 'tagline', label: 'Tagline' },
      ],
    }),
  );
  const compiled = compileTemplate(template, brand, resources);
  plan = compose(compiled, {
    profile: loadProfile(profileInput({ company: 'Zephyr Widgets', logo: 'rgba' })),
    document: loadDocument(documentInput({ fields: { tagline: 'Al Noor شركة' } })),
    output: 'screen',
  }).plan;
  pdf = await new PdfWriter(portableDeflate).write(plan, { colorMode: 'cmyk', producer: 'Lockup test', fixedDate: FIXED });
  doc = await PDFDocument.load(pdf, { updateMetadata: false });
  writeFileSync(join(tmp, 'out.pdf'), pdf);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const lookup = <T extends PDFObject>(obj: PDFObject | undefined, type: Function & { prototype: T }): T => {
  const v = obj instanceof PDFRef ? doc.context.lookup(obj) : obj;
  if (!(v instanceof type)) throw new Error(`expected ${type.name}, got ${v?.constructor.name}`);
  return v as T;
};
const dictGet = (d: PDFDict, key: string) => d.get(PDFName.of(key));
const latin1 = (b: Uint8Array) => Array.from(b, (c) => String.fromCharCode(c)).join('');

/** The page's content streams, inflated and joined. */
function pageContent(pageIndex = 0): string {
  const page = doc.getPage(pageIndex);
  const contents = lookup(dictGet(page.node, 'Contents'), PDFArray);
  return contents
    .asArray()
    .map((ref) => latin1(pako.inflate(lookup(ref, PDFRawStream).contents)))
    .join('');
}

function fontDicts(): PDFDict[] {
  const res = lookup(dictGet(doc.getPage(0).node, 'Resources'), PDFDict);
  const fonts = lookup(dictGet(res, 'Font'), PDFDict);
  return fonts.values().map((v) => lookup(v, PDFDict));
}

function xobjects(): Map<string, PDFRawStream> {
  const res = lookup(dictGet(doc.getPage(0).node, 'Resources'), PDFDict);
  const x = lookup(dictGet(res, 'XObject'), PDFDict);
  return new Map(x.entries().map(([k, v]) => [k.asString().slice(1), lookup(v, PDFRawStream)]));
}

const nameOf = (o: PDFObject | undefined) => (o instanceof PDFName ? o.asString() : undefined);
const numbers = (o: PDFObject | undefined) => lookup(o, PDFArray).asArray().map((n) => (n as PDFNumber).asNumber());

describe('PdfWriter: document structure (re-parsed with pdf-lib)', () => {
  it('one page with MediaBox, TrimBox and BleedBox for the bleed', () => {
    expect(doc.getPageCount()).toBe(1);
    const page = doc.getPage(0);
    expect(page.getMediaBox()).toEqual({ x: 0, y: 0, width: W + 2 * BLEED, height: H + 2 * BLEED });
    expect(page.getTrimBox()).toEqual({ x: BLEED, y: BLEED, width: W, height: H });
    expect(page.getBleedBox()).toEqual({ x: 0, y: 0, width: W + 2 * BLEED, height: H + 2 * BLEED });
  });

  it('without bleed the trim box is the media box and there is no BleedBox entry', async () => {
    const flat = await new PdfWriter(portableDeflate).write({ ...plan, bleed: 0 }, { colorMode: 'rgb', producer: 'p', fixedDate: FIXED });
    const d = await PDFDocument.load(flat, { updateMetadata: false });
    expect(d.getPage(0).getMediaBox()).toEqual({ x: 0, y: 0, width: W, height: H });
    expect(d.getPage(0).getTrimBox()).toEqual({ x: 0, y: 0, width: W, height: H });
    expect(d.getPage(0).node.get(PDFName.of('BleedBox'))).toBeUndefined();
  });

  it('Info: title, author, subject, keywords, producer, creator and the fixed dates', () => {
    expect(doc.getTitle()).toBe('Writer test — Zephyr Widgets');
    expect(doc.getAuthor()).toBe('Zephyr Widgets');
    expect(doc.getSubject()).toBe('Writer test');
    expect(doc.getKeywords()).toBe('lockup template:flyer version:1 brand:acme');
    expect(doc.getProducer()).toBe('Lockup test');
    expect(doc.getCreator()).toBe('Lockup');
    expect(doc.getCreationDate()?.toISOString()).toBe(FIXED.toISOString());
    expect(doc.getModificationDate()?.toISOString()).toBe(FIXED.toISOString());
  });

  it('a file ID of two equal 16-byte strings', () => {
    const id = lookup(doc.context.trailerInfo.ID as PDFObject, PDFArray).asArray();
    expect(id).toHaveLength(2);
    const hex = id.map((x) => x.toString());
    expect(hex[0]).toMatch(/^<[0-9A-F]{32}>$/);
    expect(hex[1]).toBe(hex[0]);
  });

  it('fonts are Type0 / Identity-H over CIDFontType2 with FontFile2 and ToUnicode', () => {
    const fonts = fontDicts();
    expect(fonts).toHaveLength(2); // Lato and the Arabic fallback
    for (const f of fonts) {
      expect(nameOf(dictGet(f, 'Subtype'))).toBe('/Type0');
      expect(nameOf(dictGet(f, 'Encoding'))).toBe('/Identity-H');
      const toUnicode = lookup(dictGet(f, 'ToUnicode'), PDFRawStream);
      expect(latin1(pako.inflate(toUnicode.contents))).toContain('begincmap');
      const cid = lookup(lookup(dictGet(f, 'DescendantFonts'), PDFArray).get(0), PDFDict);
      expect(nameOf(dictGet(cid, 'Subtype'))).toBe('/CIDFontType2');
      expect(nameOf(dictGet(cid, 'CIDToGIDMap'))).toBe('/Identity');
      const descriptor = lookup(dictGet(cid, 'FontDescriptor'), PDFDict);
      const file = lookup(dictGet(descriptor, 'FontFile2'), PDFRawStream);
      const program = pako.inflate(file.contents);
      expect((dictGet(file.dict, 'Length1') as PDFNumber).asNumber()).toBe(program.length);
      expect([...program.subarray(0, 4)]).toEqual([0, 1, 0, 0]);
      // The subset tag: six upper-case letters and "+".
      const base = nameOf(dictGet(f, 'BaseFont'))!;
      expect(base).toMatch(/^\/[A-Z]{6}\+(Lato-Regular|NotoSansArabic-Regular)$/);
      expect(nameOf(dictGet(cid, 'BaseFont'))).toBe(base);
      expect(nameOf(dictGet(descriptor, 'FontName'))).toBe(base);
    }
  });

  it('/W gives each used glyph its advance in 1/1000 em, and ToUnicode maps it back to its text', () => {
    const f = fontDicts().find((d) => nameOf(dictGet(d, 'BaseFont'))!.endsWith('Lato-Regular'))!;
    const cid = lookup(lookup(dictGet(f, 'DescendantFonts'), PDFArray).get(0), PDFDict);
    const w = lookup(dictGet(cid, 'W'), PDFArray).asArray();
    const widths = new Map<number, number>();
    for (let i = 0; i < w.length; i += 2) {
      const start = (w[i] as PDFNumber).asNumber();
      numbers(w[i + 1]).forEach((v, k) => widths.set(start + k, v));
    }
    const cmap = latin1(pako.inflate(lookup(dictGet(f, 'ToUnicode'), PDFRawStream).contents));
    for (const ch of 'HelloZphyr') {
      const gid = lato.glyphId(ch.codePointAt(0)!);
      expect(widths.get(gid), ch).toBeCloseTo((lato.advance(gid) * 1000) / 2000, 3);
      const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
      expect(cmap).toContain(`<${hex(gid)}> <${hex(ch.codePointAt(0)!)}>`);
    }
  });

  it('image XObjects: rotated JPEG keeps its stored size; CMYK JPEG is inverted; PNG alpha is an SMask; opaque PNG uses Predictor 15', () => {
    const x = xobjects();
    const byKey = (k: string) => x.get(`Im-${k}`)!;
    const rotated = byKey('rotated');
    expect(nameOf(dictGet(rotated.dict, 'Filter'))).toBe('/DCTDecode');
    expect([(dictGet(rotated.dict, 'Width') as PDFNumber).asNumber(), (dictGet(rotated.dict, 'Height') as PDFNumber).asNumber()]).toEqual([200, 100]);
    const cmyk = byKey('cmyk');
    expect(nameOf(dictGet(cmyk.dict, 'ColorSpace'))).toBe('/DeviceCMYK');
    expect(numbers(dictGet(cmyk.dict, 'Decode'))).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    const rgba = byKey('rgba');
    expect(nameOf(dictGet(rgba.dict, 'ColorSpace'))).toBe('/DeviceRGB');
    const smask = lookup(dictGet(rgba.dict, 'SMask'), PDFRawStream);
    expect(nameOf(dictGet(smask.dict, 'ColorSpace'))).toBe('/DeviceGray');
    expect(pako.inflate(smask.contents).length).toBe(600 * 200);
    expect(pako.inflate(rgba.contents).length).toBe(600 * 200 * 3);
    const opaque = byKey('opaque');
    const parms = lookup(dictGet(opaque.dict, 'DecodeParms'), PDFDict);
    expect((dictGet(parms, 'Predictor') as PDFNumber).asNumber()).toBe(15);
    expect((dictGet(parms, 'Columns') as PDFNumber).asNumber()).toBe(30);
    expect((dictGet(parms, 'Colors') as PDFNumber).asNumber()).toBe(3);
    expect(dictGet(opaque.dict, 'SMask')).toBeUndefined();
    // The vendor logo PDF is a form XObject.
    const form = byKey('vendor-light');
    expect(nameOf(dictGet(form.dict, 'Subtype'))).toBe('/Form');
  });
});

describe('PdfWriter: content streams', () => {
  it('cmyk mode draws palette colours with k and literal colours with rg', () => {
    const content = pageContent();
    expect(content).toContain('\n1 0.82 0 0.66 k\n'); // navy band
    expect(content).toContain('\n0 0 0 0 k\n'); // white title
    expect(content).toContain('\n1 0 0 rg\n'); // #FF0000 is not a palette colour
    expect(content).not.toMatch(/0\.043 0\.122 0\.267 rg/);
  });

  it('rgb mode draws palette colours with rg', async () => {
    const rgb = await new PdfWriter(portableDeflate).write(plan, { colorMode: 'rgb', producer: 'p', fixedDate: FIXED });
    const d = await PDFDocument.load(rgb, { updateMetadata: false });
    const contents = d.context.lookup(d.getPage(0).node.get(PDFName.of('Contents')), PDFArray);
    const text = contents.asArray().map((r) => latin1(pako.inflate((d.context.lookup(r) as PDFRawStream).contents))).join('');
    expect(text).toContain('\n0.043 0.122 0.267 rg\n');
    expect(text).not.toMatch(/ k\n/);
  });

  it('the JPEG with EXIF orientation 6 is drawn with the rotating matrix [0 -h w 0 X Y+h]', () => {
    // Zone (300, 100, 100, 200) in plan space; the image fills it (100 × 200 after rotation).
    const X = 300 + BLEED;
    const Y = H + BLEED - 100 - 200;
    expect(pageContent()).toContain(`0 -200 100 0 ${X} ${Y + 200} cm\n/Im-rotated Do`);
  });

  it('the page background and bleed: the band starts at the trim box, shifted by the bleed', () => {
    // Band (0, 0, 600, 80): x = 0 + 9, y = 400 + 9 − 80.
    expect(pageContent()).toContain(`${BLEED} ${H + BLEED - 80} 600 80 re`);
  });
});

describe('PdfWriter: reproducibility', () => {
  const opts: WriteOptions = { colorMode: 'cmyk', producer: 'Lockup test', fixedDate: FIXED };

  it('with fixedDate, two writers give byte-identical output; so does one writer twice', async () => {
    const a = await new PdfWriter(portableDeflate).write(plan, opts);
    const b = await new PdfWriter(portableDeflate).write(plan, opts);
    expect(Buffer.from(a).equals(Buffer.from(pdf))).toBe(true);
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    const writer = new PdfWriter(portableDeflate);
    const c1 = await writer.write(plan, opts);
    const c2 = await writer.write(plan, opts);
    expect(Buffer.from(c2).equals(Buffer.from(c1))).toBe(true);
  });

  it('the idSeed changes the file ID only', async () => {
    const a = await new PdfWriter(portableDeflate).write(plan, { ...opts, idSeed: 'one' });
    const b = await new PdfWriter(portableDeflate).write(plan, { ...opts, idSeed: 'two' });
    expect(a.length).toBe(b.length);
    const diff = [...a].filter((v, i) => v !== b[i]).length;
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThanOrEqual(64);
  });

  it('without fixedDate the creation date is now', async () => {
    const before = Date.now();
    const out = await new PdfWriter(portableDeflate).write(plan, { colorMode: 'rgb', producer: 'p' });
    const d = await PDFDocument.load(out, { updateMetadata: false });
    const created = d.getCreationDate()!.getTime();
    // PDF dates have one-second resolution.
    expect(created).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(created).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('the subset tag is the same for the same glyphs and differs for other glyphs', async () => {
    const tagOf = async (p: RenderPlan) => {
      const d = await PDFDocument.load(await new PdfWriter(portableDeflate).write(p, opts), { updateMetadata: false });
      const res = d.context.lookup(d.getPage(0).node.get(PDFName.of('Resources')), PDFDict);
      const fonts = d.context.lookup(res.get(PDFName.of('Font')), PDFDict);
      return fonts
        .values()
        .map((v) => (d.context.lookup(v, PDFDict).get(PDFName.of('BaseFont')) as PDFName).asString())
        .sort();
    };
    const first = await tagOf(plan);
    expect(await tagOf(plan)).toEqual(first);
    const onlyBand: RenderPlan = { ...plan, pages: [{ ...plan.pages[0]!, items: plan.pages[0]!.items.filter((i) => i.zoneId === 'title') }] };
    const other = await tagOf(onlyBand);
    expect(other).toHaveLength(1);
    expect(first).not.toContain(other[0]);
  });
});

describe('PdfWriter output checked by external tools', () => {
  it('qpdf --check passes with empty stderr', () => {
    if (!has('qpdf')) return expect.soft(has('qpdf'), 'qpdf is not installed').toBe(true);
    const r = spawnSync('qpdf', ['--check', join(tmp, 'out.pdf')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No syntax or stream encoding errors found');
  });

  it('pdftotext finds the text', () => {
    if (!has('pdftotext')) return expect.soft(has('pdftotext'), 'pdftotext is not installed').toBe(true);
    const r = spawnSync('pdftotext', ['-layout', join(tmp, 'out.pdf'), '-'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Hello Lockup');
    expect(r.stdout).toContain('Zephyr Widgets');
    expect(r.stdout).toContain('Al Noor');
  });

  it('pdffonts lists both fonts as embedded subsets with a ToUnicode map', () => {
    if (!has('pdffonts')) return expect.soft(has('pdffonts'), 'pdffonts is not installed').toBe(true);
    const r = spawnSync('pdffonts', [join(tmp, 'out.pdf')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n').slice(2);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatch(/^[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s/);
    }
  });
});

describe('PdfWriter output rendered with pdftoppm', () => {
  /** The page rendered at 72 dpi (1 px per pt, media box incl. bleed) as RGB pixels. */
  function render(): { width: number; height: number; px: (x: number, y: number) => [number, number, number] } {
    const r = spawnSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', '-singlefile', join(tmp, 'out.pdf'), join(tmp, 'page')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const ppm = readFileSync(join(tmp, 'page.ppm'));
    const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 32).toString('latin1'))!;
    const [width, height, offset] = [Number(m[1]), Number(m[2]), m[0].length];
    return { width, height, px: (x, y) => [...ppm.subarray(offset + (y * width + x) * 3, offset + (y * width + x) * 3 + 3)] as [number, number, number] };
  }

  it('shows the EXIF-6 JPEG upright and the Adobe CMYK JPEG in its true colours', () => {
    if (!has('pdftoppm')) return expect.soft(has('pdftoppm'), 'pdftoppm is not installed').toBe(true);
    const img = render();
    expect([img.width, img.height]).toEqual([W + 2 * BLEED, H + 2 * BLEED]);
    // exif-rotated.jpg is stored 200 × 100: left half blue, right half red. Turned 90° clockwise,
    // the blue half is on top and the red half below, in the zone (300, 100, 100, 200).
    const [top, bottom] = [img.px(BLEED + 350, BLEED + 140), img.px(BLEED + 350, BLEED + 260)];
    expect(top[2]).toBeGreaterThan(200);
    expect(top[0]).toBeLessThan(60);
    expect(bottom[0]).toBeGreaterThan(200);
    expect(bottom[2]).toBeLessThan(60);
    // logo-cmyk.jpg: a green disc on white, drawn in (420, 200, 150, 50). Without /Decode [1 0 …] the white would print black.
    const white = img.px(BLEED + 560, BLEED + 225);
    expect(Math.min(...white)).toBeGreaterThan(235);
    const disc = img.px(BLEED + 445, BLEED + 225);
    // (Inverted data would come out pinkish, red above green.)
    expect(disc[1]).toBeGreaterThan(disc[0] + 40);
    expect(disc[1]).toBeGreaterThan(disc[2]);
    expect(disc[0]).toBeLessThan(100);
    // The navy band starts at the trim box; the bleed margin above it stays white.
    expect(Math.min(...img.px(BLEED + 300, 3))).toBeGreaterThan(250);
    const band = img.px(BLEED + 300, BLEED + 5);
    expect(band[2]).toBeGreaterThan(band[0]);
    expect(Math.max(...band)).toBeLessThan(100);
  });
});

describe('PdfWriter: fonts with nothing but static text', () => {
  it('static-only text does not round up the subset to whole Unicode blocks', async () => {
    const onlyTitle: RenderPlan = { ...plan, pages: [{ background: undefined, items: plan.pages[0]!.items.filter((i) => i.zoneId === 'title') }] };
    const staticPdf = await PDFDocument.load(await new PdfWriter(portableDeflate).write(onlyTitle, { colorMode: 'rgb', producer: 'p', fixedDate: FIXED }));
    const partner: RenderPlan = { ...plan, pages: [{ background: undefined, items: plan.pages[0]!.items.filter((i) => i.zoneId === 'company') }] };
    const partnerPdf = await PDFDocument.load(await new PdfWriter(portableDeflate).write(partner, { colorMode: 'rgb', producer: 'p', fixedDate: FIXED }));
    const widthCount = (d: PDFDocument) => {
      const res = d.context.lookup(d.getPage(0).node.get(PDFName.of('Resources')), PDFDict);
      const f = d.context.lookup(d.context.lookup(res.get(PDFName.of('Font')), PDFDict).values()[0], PDFDict);
      const cid = d.context.lookup(d.context.lookup(f.get(PDFName.of('DescendantFonts')), PDFArray).get(0), PDFDict);
      const w = d.context.lookup(cid.get(PDFName.of('W')), PDFArray).asArray();
      let n = 0;
      for (let i = 1; i < w.length; i += 2) n += d.context.lookup(w[i], PDFArray).size();
      return n;
    };
    // "Hello Lockup" uses 8 distinct glyphs; partner text pulls in all of Basic Latin (95 printable characters).
    expect(widthCount(staticPdf)).toBe(new Set('Hello Lockup').size);
    expect(widthCount(partnerPdf)).toBeGreaterThanOrEqual(95);
  });

  it('the Title is shown in the window title bar (ViewerPreferences DisplayDocTitle)', () => {
    const prefs = doc.catalog.lookup(PDFName.of('ViewerPreferences'), PDFDict);
    expect(prefs.get(PDFName.of('DisplayDocTitle'))?.toString()).toBe('true');
    expect((doc.catalog.lookup(PDFName.of('Lang')) as PDFString).decodeText()).toBe('en');
  });
});
