import {
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFObject,
  PDFStream,
  PDFString,
  type PDFRef,
  type PDFEmbeddedPage,
  type PDFContext,
} from 'pdf-lib';
import { textItemsOf, type FieldItem, type PlanItem, type RenderPlan } from '../compose/plan.ts';
import type { LoadedFont } from '../fonts/font.ts';
import type { PreparedImage } from '../images/prepare.ts';
import { shadingDict } from '../images/svg/render.ts';
import type { Deflate } from '../util/deflate.ts';
import { embedExtras, type Attachment } from './attachments.ts';
import { addFormFields, type PageFields } from './form-fields.ts';
import { itemOps, num, type ColorMode, type Frame, type ResourceNames } from './content.ts';
import { addOutputIntent, addPrintResources, setPrintBoxes, wrapPrintContent, type PrintOutput } from './print-output.ts';
import { digest128, toHexString } from './hash.ts';
import { serializeContext } from './serialize.ts';

export interface WriteOptions {
  colorMode: ColorMode;
  producer: string;
  /** Fixed creation/modification date for byte-reproducible output; "now" otherwise. */
  fixedDate?: Date;
  /** Extra identifying data mixed into the file ID (e.g. hashes of the inputs). */
  idSeed?: string;
  /** Embedded files (the export manifest, the partner's logos): core/pdf/attachments.ts. */
  attachments?: readonly Attachment[];
  /** `lockup:` properties; when given, the catalog gets an XMP packet (core/pdf/attachments.ts). */
  xmp?: Readonly<Record<string, string>>;
  /** Print export: crop marks, media/bleed/trim boxes, output intent (core/pdf/print-output.ts). */
  print?: PrintOutput;
}

/** pdf-lib's literal dictionary type (not exported by name). */
type LiteralObject = NonNullable<Parameters<PDFContext['stream']>[1]>;

interface FontProgram {
  fontFile: Uint8Array;
  length1: number;
  /** The serialised /W array: `[first [w w …] first [w …] …]`. */
  widths: Uint8Array;
  toUnicode: Uint8Array;
  tag: string;
}

const STREAM_OPEN = new Uint8Array([0x0a, 0x73, 0x74, 0x72, 0x65, 0x61, 0x6d, 0x0a]); // "\nstream\n"
const STREAM_CLOSE = new Uint8Array([0x0a, 0x65, 0x6e, 0x64, 0x73, 0x74, 0x72, 0x65, 0x61, 0x6d]); // "\nendstream"

/**
 * A stream of ready bytes. pdf-lib's own streams copy their contents into
 * the output one byte at a time in a JavaScript loop; this one uses a block
 * copy, which matters when every document carries a 200 KB photo.
 */
class BytesStream extends PDFStream {
  constructor(
    dict: PDFDict,
    private readonly contents: Uint8Array,
  ) {
    super(dict);
  }

  override getContents(): Uint8Array {
    return this.contents;
  }

  override getContentsSize(): number {
    return this.contents.byteLength;
  }

  override getContentsString(): string {
    let s = '';
    for (const b of this.contents) s += String.fromCharCode(b);
    return s;
  }

  override clone(context?: PDFContext): BytesStream {
    return new BytesStream(this.dict.clone(context), this.contents);
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    this.updateDict();
    const start = offset;
    offset += this.dict.copyBytesInto(buffer, offset);
    buffer.set(STREAM_OPEN, offset);
    offset += STREAM_OPEN.length;
    buffer.set(this.contents, offset);
    offset += this.contents.byteLength;
    buffer.set(STREAM_CLOSE, offset);
    offset += STREAM_CLOSE.length;
    return offset - start;
  }
}

/** An object serialised once and reused verbatim (a font's /W array): it holds no references. */
class RawObject extends PDFObject {
  constructor(private readonly bytes: Uint8Array) {
    super();
  }

  override clone(): RawObject {
    return new RawObject(this.bytes);
  }

  override toString(): string {
    let s = '';
    for (const b of this.bytes) s += String.fromCharCode(b);
    return s;
  }

  override sizeInBytes(): number {
    return this.bytes.byteLength;
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    buffer.set(this.bytes, offset);
    return this.bytes.byteLength;
  }
}

const latin1 = (s: string) => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
};

function pdfName(prefix: string, id: string): string {
  return prefix + id.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * The resource name of an image: `Im-` and the first 16 hex digits of its
 * key (the asset's sha256). Verification finds a partner's raster logo on
 * the page by this name (core/pdf/embedded-image.ts), so it is stable.
 */
export function imageResourceName(key: string): string {
  return pdfName('Im-', key.replace(/^sha256:/, '').slice(0, 16));
}

/** The /W array, consecutive glyph ids grouped: `[start [w w w] start [w] …]`. */
function widthsArray(font: LoadedFont, gids: number[]): string {
  const upm = font.metrics.unitsPerEm;
  const parts: string[] = [];
  let i = 0;
  while (i < gids.length) {
    const start = gids[i]!;
    const ws: string[] = [];
    while (i < gids.length && gids[i] === start + ws.length) {
      ws.push(num((font.advance(gids[i]!) * 1000) / upm));
      i++;
    }
    parts.push(`${start} [${ws.join(' ')}]`);
  }
  return `[${parts.join(' ')}]`;
}

function utf16Hex(cps: readonly number[]): string {
  let s = '';
  for (const cp of cps) {
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      s += (0xd800 + (v >> 10)).toString(16).padStart(4, '0') + (0xdc00 + (v & 0x3ff)).toString(16).padStart(4, '0');
    } else s += cp.toString(16).padStart(4, '0');
  }
  return s.toUpperCase();
}

function toUnicodeCMap(map: Map<number, readonly number[]>): string {
  const entries = [...map].sort((a, b) => a[0] - b[0]);
  const chunks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const part = entries.slice(i, i + 100);
    chunks.push(`${part.length} beginbfchar\n${part.map(([g, cps]) => `<${g.toString(16).padStart(4, '0').toUpperCase()}> <${utf16Hex(cps)}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange',
    ...chunks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

/**
 * Unicode blocks that partner text draws from most. When partner (non-static)
 * text uses a character of one of these blocks, the whole block goes into the
 * font subset, so documents for different partners share one subset (built
 * and compressed once) instead of one per distinct set of letters. The rule
 * depends only on the document, so output stays deterministic.
 */
const ROUND_UP_BLOCKS: readonly [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0xff],
  [0x100, 0x17f],
];

function subsetTag(key: string): string {
  const d = digest128([key]);
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (d[i]! % 26));
  return tag;
}

/**
 * Writes render plans as PDF with pdf-lib's object model and serializer.
 * Everything that is the same across documents is prepared once and reused:
 * font subsets (keyed by glyph set), image payloads (already compressed by
 * prepareImage), and the compressed content of runs of static items. One
 * writer serves a whole batch; it is not safe to share across threads.
 */
export class PdfWriter {
  private readonly deflate: Deflate;
  private readonly programs = new WeakMap<LoadedFont, Map<string, FontProgram>>();
  private readonly chunks = new WeakMap<PlanItem, { items: PlanItem[]; colorMode: ColorMode; bytes: Uint8Array }>();
  private readonly pdfSources = new WeakMap<PreparedImage, Promise<PDFDocument>>();
  private readonly blocks = new WeakMap<LoadedFont, Map<number, [number, number][]>>();
  private readonly itemUsage = new WeakMap<PlanItem, Map<LoadedFont, Map<number, readonly number[]>>>();

  /** Glyphs a text item uses, per font. Static items are the same every time, so theirs are kept. */
  private usageOf(item: Extract<PlanItem, { type: 'text' }>): Map<LoadedFont, Map<number, readonly number[]>> {
    const hit = this.itemUsage.get(item);
    if (hit) return hit;
    const out = new Map<LoadedFont, Map<number, readonly number[]>>();
    for (const line of item.layout.lines) {
      for (const run of line.runs) {
        let m = out.get(run.font);
        if (!m) out.set(run.font, (m = new Map()));
        for (const g of run.glyphs) if (!m.has(g.gid)) m.set(g.gid, g.cps);
      }
    }
    if (item.static) this.itemUsage.set(item, out);
    return out;
  }

  /** [glyph id, code point] for every character of a block the font can draw. */
  private blockGlyphs(font: LoadedFont, block: readonly [number, number]): [number, number][] {
    let perFont = this.blocks.get(font);
    if (!perFont) this.blocks.set(font, (perFont = new Map()));
    let hit = perFont.get(block[0]);
    if (!hit) {
      hit = [];
      for (let cp = block[0]; cp <= block[1]; cp++) {
        const gid = font.glyphId(cp);
        if (gid !== 0) hit.push([gid, cp]);
      }
      perFont.set(block[0], hit);
    }
    return hit;
  }

  constructor(deflate: Deflate) {
    this.deflate = deflate;
  }

  private fontProgram(font: LoadedFont, usage: Map<number, readonly number[]>): FontProgram {
    const gids = [...usage.keys()].sort((a, b) => a - b);
    const key = gids.map((g) => `${g}:${usage.get(g)!.join('.')}`).join(',');
    let cache = this.programs.get(font);
    if (!cache) this.programs.set(font, (cache = new Map()));
    let hit = cache.get(key);
    if (!hit) {
      const program = font.subset(new Set(gids));
      hit = {
        fontFile: this.deflate(program, true),
        length1: program.byteLength,
        widths: latin1(widthsArray(font, gids)),
        toUnicode: this.deflate(latin1(toUnicodeCMap(usage)), true),
        tag: subsetTag(`${font.id}|${key}`),
      };
      cache.set(key, hit);
      if (cache.size > 64) cache.delete(cache.keys().next().value!);
    }
    return hit;
  }

  /** Compressed content for a run of static items, reused across documents. */
  private staticChunk(items: PlanItem[], frame: Frame, names: ResourceNames): Uint8Array {
    const first = items[0]!;
    const hit = this.chunks.get(first);
    if (hit && hit.colorMode === frame.colorMode && hit.items.length === items.length && hit.items.every((it, i) => it === items[i])) return hit.bytes;
    const bytes = this.deflate(latin1(items.map((it) => itemOps(it, frame, names)).join('')), true);
    this.chunks.set(first, { items, colorMode: frame.colorMode, bytes });
    return bytes;
  }

  async write(plan: RenderPlan, options: WriteOptions): Promise<Uint8Array> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const ctx = doc.context;
    const fontNames = new Map<LoadedFont, string>();
    const imageNames = new Map<PreparedImage, string>();
    const names: ResourceNames = {
      font: (f) => {
        let n = fontNames.get(f);
        if (!n) fontNames.set(f, (n = pdfName('F-', f.id)));
        return n;
      },
      image: (img) => {
        let n = imageNames.get(img);
        if (!n) imageNames.set(img, (n = imageResourceName(img.key)));
        return n;
      },
    };
    const frame: Frame = { height: plan.height, bleed: plan.bleed, colorMode: options.colorMode };
    const mediaW = plan.width + 2 * plan.bleed;
    const mediaH = plan.height + 2 * plan.bleed;
    const idParts: (string | Uint8Array)[] = [options.idSeed ?? '', plan.meta.title, plan.meta.keywords.join(' ')];

    // Per-font glyph usage across the document (glyph id → the text it stands for).
    const usage = new Map<LoadedFont, Map<number, readonly number[]>>();
    const roundUp = new Map<LoadedFont, Set<readonly [number, number]>>();
    for (const page of plan.pages) {
      for (const item of page.items.flatMap(textItemsOf)) {
        for (const [font, glyphs] of this.usageOf(item)) {
          let m = usage.get(font);
          if (!m) usage.set(font, (m = new Map()));
          for (const [gid, cps] of glyphs) {
            if (!m.has(gid)) m.set(gid, cps);
            if (item.static) continue;
            const cp = cps[0];
            const block = cp === undefined ? undefined : ROUND_UP_BLOCKS.find(([a, b]) => cp >= a && cp <= b);
            if (block) {
              let set = roundUp.get(font);
              if (!set) roundUp.set(font, (set = new Set()));
              set.add(block);
            }
          }
        }
      }
    }
    for (const [font, blocks] of roundUp) {
      const m = usage.get(font)!;
      for (const block of [...blocks].sort((a, b) => a[0] - b[0])) for (const [gid, cp] of this.blockGlyphs(font, block)) if (!m.has(gid)) m.set(gid, [cp]);
    }
    const fontRefs = new Map<LoadedFont, PDFRef>();
    // Code-unit order, not localeCompare: the collation (and so object numbers) must not depend on the machine's locale.
    for (const [font, map] of [...usage].sort((a, b) => (a[0].id < b[0].id ? -1 : a[0].id > b[0].id ? 1 : 0))) {
      fontRefs.set(font, this.embedFont(ctx, font, this.fontProgram(font, map)));
    }

    const imageRefs = new Map<PreparedImage, PDFRef>();
    const embedded = new Map<PreparedImage, PDFEmbeddedPage>();
    for (const page of plan.pages) {
      for (const item of page.items) {
        if (item.type !== 'image' || imageRefs.has(item.image) || embedded.has(item.image)) continue;
        if (item.image.kind === 'pdf') embedded.set(item.image, await this.embedPdfLogo(doc, item.image));
        else if (item.image.kind === 'svg') imageRefs.set(item.image, this.embedSvgLogo(ctx, item.image));
        else imageRefs.set(item.image, this.embedImage(ctx, item.image));
        idParts.push(item.image.key);
      }
    }

    // Form fields stay fillable on screen (widgets, below); print draws their values into the page.
    const fillable = !options.print;
    const pageFields: PageFields[] = [];
    for (const page of plan.pages) {
      const pdfPage = doc.addPage([mediaW, mediaH]);
      const drawn = fillable ? page.items.filter((it) => it.type !== 'field') : page.items;
      if (fillable) pageFields.push({ page: pdfPage, fields: page.items.filter((it): it is FieldItem => it.type === 'field') });
      const printBoxes = options.print ? setPrintBoxes(pdfPage, plan.width, plan.height, plan.bleed, options.print.marks) : undefined;
      if (printBoxes) {
        // Boxes set by setPrintBoxes.
      } else if (plan.bleed > 0) {
        pdfPage.setTrimBox(plan.bleed, plan.bleed, plan.width, plan.height);
        pdfPage.setBleedBox(0, 0, mediaW, mediaH);
      } else pdfPage.setTrimBox(0, 0, plan.width, plan.height);

      const streams: PDFRef[] = [];
      if (page.background) {
        const bg = itemOps({ type: 'fill', zoneId: '', static: true, rect: { x: -plan.bleed, y: -plan.bleed, w: mediaW, h: mediaH }, shape: 'rect', radius: 0, color: page.background }, frame, names);
        streams.push(ctx.register(this.stream(ctx, this.deflate(latin1(bg)))));
      }
      let i = 0;
      while (i < drawn.length) {
        let j = i;
        const isStatic = drawn[i]!.static;
        while (j < drawn.length && drawn[j]!.static === isStatic) j++;
        const group = drawn.slice(i, j);
        let bytes: Uint8Array;
        if (isStatic) bytes = this.staticChunk(group, frame, names);
        else {
          const ops = group.map((it) => itemOps(it, frame, names)).join('');
          idParts.push(ops);
          bytes = this.deflate(latin1(ops));
        }
        streams.push(ctx.register(this.stream(ctx, bytes)));
        i = j;
      }
      pdfPage.node.set(PDFName.of('Contents'), ctx.obj(printBoxes ? wrapPrintContent(ctx, streams, printBoxes, this.deflate, options.print?.marks) : streams));

      const fontDict = ctx.obj({}) as PDFDict;
      const xobjDict = ctx.obj({}) as PDFDict;
      for (const item of drawn) {
        if (item.type === 'text' || item.type === 'field') {
          for (const text of textItemsOf(item)) for (const line of text.layout.lines) for (const run of line.runs) fontDict.set(PDFName.of(names.font(run.font)), fontRefs.get(run.font)!);
        } else if (item.type === 'image') {
          const ref = imageRefs.get(item.image) ?? embedded.get(item.image)!.ref;
          xobjDict.set(PDFName.of(names.image(item.image)), ref);
        }
      }
      const resources = ctx.obj({ ProcSet: ['PDF', 'Text', 'ImageB', 'ImageC'] }) as PDFDict;
      if (fontDict.keys().length > 0) resources.set(PDFName.of('Font'), fontDict);
      if (xobjDict.keys().length > 0) resources.set(PDFName.of('XObject'), xobjDict);
      if (options.print) addPrintResources(ctx, pdfPage, resources, page);
      pdfPage.node.set(PDFName.of('Resources'), resources);
    }

    addFormFields(
      ctx,
      doc.catalog,
      pageFields,
      frame,
      (item) => {
        const fonts = new Map<string, PDFRef>();
        for (const text of textItemsOf(item)) for (const line of text.layout.lines) for (const run of line.runs) fonts.set(names.font(run.font), fontRefs.get(run.font)!);
        const ops = itemOps(item, frame, names);
        idParts.push(ops);
        return { ops, fonts };
      },
      (ops, dict) => this.stream(ctx, this.deflate(latin1(ops)), dict as LiteralObject),
    );

    const date = options.fixedDate ?? new Date();
    doc.setTitle(plan.meta.title, { showInWindowTitleBar: true });
    doc.setAuthor(plan.meta.author);
    doc.setSubject(plan.meta.subject);
    doc.setKeywords(plan.meta.keywords);
    doc.setProducer(options.producer);
    doc.setCreator('Lockup');
    doc.setCreationDate(date);
    doc.setModificationDate(date);
    doc.setLanguage('en');
    if (!options.fixedDate) idParts.push(date.toISOString());
    const id = PDFHexString.of(toHexString(digest128(idParts)));
    ctx.trailerInfo.ID = ctx.obj([id, id]);
    if (options.print) addOutputIntent(doc, options.print.outputIntent, this.deflate);
    if (options.attachments || options.xmp) {
      const facts = { ...plan.meta, producer: options.producer, creator: 'Lockup', date };
      embedExtras(doc, this.deflate, { ...(options.attachments ? { attachments: options.attachments } : {}), ...(options.xmp ? { xmp: options.xmp } : {}), facts });
    }

    await doc.flush();
    return serializeContext(ctx, this.deflate);
  }

  private stream(ctx: PDFContext, bytes: Uint8Array, extra: LiteralObject = {}): PDFStream {
    const dict = ctx.obj({ ...extra, Filter: 'FlateDecode', Length: bytes.byteLength }) as PDFDict;
    return new BytesStream(dict, bytes);
  }

  private embedFont(ctx: PDFContext, font: LoadedFont, program: FontProgram): PDFRef {
    const m = font.metrics;
    const scale = 1000 / m.unitsPerEm;
    const baseName = `${program.tag}+${m.postscriptName}`;
    const fontFile = ctx.register(this.stream(ctx, program.fontFile, { Length1: program.length1 }));
    const descriptor = ctx.register(
      ctx.obj({
        Type: 'FontDescriptor',
        FontName: baseName,
        Flags: 4 | (m.fixedPitch ? 1 : 0) | (m.italicAngle !== 0 ? 64 : 0),
        FontBBox: m.bbox.map((v) => Math.round(v * scale)),
        ItalicAngle: m.italicAngle,
        Ascent: Math.round(m.ascent * scale),
        Descent: -Math.round(m.descent * scale),
        CapHeight: Math.round(m.capHeight * scale),
        StemV: 80,
        FontFile2: fontFile,
      }),
    );
    const cidFont = ctx.register(
      ctx.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: baseName,
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptor,
        DW: 0,
        W: ctx.register(new RawObject(program.widths)),
        CIDToGIDMap: 'Identity',
      }),
    );
    const toUnicode = ctx.register(this.stream(ctx, program.toUnicode));
    return ctx.register(
      ctx.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: baseName, Encoding: 'Identity-H', DescendantFonts: [cidFont], ToUnicode: toUnicode }),
    );
  }

  private embedImage(ctx: PDFContext, image: Exclude<PreparedImage, { kind: 'pdf' | 'svg' }>): PDFRef {
    if (image.kind === 'jpeg') {
      const dict: LiteralObject = {
        Type: 'XObject',
        Subtype: 'Image',
        Width: image.storedWidth,
        Height: image.storedHeight,
        BitsPerComponent: 8,
        ColorSpace: image.components === 1 ? 'DeviceGray' : image.components === 4 ? 'DeviceCMYK' : 'DeviceRGB',
        Filter: 'DCTDecode',
        Length: image.data.byteLength,
      };
      if (image.invert) dict['Decode'] = [1, 0, 1, 0, 1, 0, 1, 0];
      return ctx.register(new BytesStream(ctx.obj(dict) as PDFDict, image.data));
    }
    const { width, height } = image.info;
    const base = { Type: 'XObject', Subtype: 'Image', Width: width, Height: height, BitsPerComponent: 8 };
    let smask: PDFRef | undefined;
    if (image.alpha) smask = ctx.register(this.stream(ctx, image.alpha, { ...base, ColorSpace: 'DeviceGray' }));
    const extra: LiteralObject = { ...base, ColorSpace: image.colors === 1 ? 'DeviceGray' : 'DeviceRGB' };
    if (image.predictor) extra['DecodeParms'] = { Predictor: 15, Colors: image.colors, BitsPerComponent: 8, Columns: width };
    if (smask) extra['SMask'] = smask;
    return ctx.register(this.stream(ctx, image.color, extra));
  }

  private async embedPdfLogo(doc: PDFDocument, image: Extract<PreparedImage, { kind: 'pdf' }>): Promise<PDFEmbeddedPage> {
    let source = this.pdfSources.get(image);
    if (!source) {
      source = PDFDocument.load(image.data, { updateMetadata: false });
      this.pdfSources.set(image, source);
    }
    const src = await source;
    return doc.embedPage(src.getPage(0));
  }

  /** A sanitised SVG logo: its vector operators as a form XObject, drawn like a PDF logo (content.ts formMatrix). */
  private embedSvgLogo(ctx: PDFContext, image: Extract<PreparedImage, { kind: 'svg' }>): PDFRef {
    const resources: LiteralObject = {};
    if (image.gstates.length > 0) {
      resources['ExtGState'] = Object.fromEntries(image.gstates.map((g) => [g.name, { Type: 'ExtGState', ca: g.ca, CA: g.CA }]));
    }
    if (image.shadings.length > 0) resources['Shading'] = Object.fromEntries(image.shadings.map((s) => [s.name, shadingDict(s) as LiteralObject]));
    return ctx.register(this.stream(ctx, image.content, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, image.info.width, image.info.height], Resources: resources }));
  }
}
