import bidiFactory from 'bidi-js';
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, type PDFDict, type PDFRef } from 'pdf-lib';
import { fontChoice, pickBrandLogo, type Resources } from '../compose/compile.ts';
import { placeLockup, placeLogo } from '../compose/geometry.ts';
import type { PlanColor, PlanItem, RenderPlan, TextItem } from '../compose/plan.ts';
import { LockupError, type ErrorCode } from '../errors.ts';
import { LoadedFont } from '../fonts/font.ts';
import { prepareImage, type Codec, type PreparedImage } from '../images/prepare.ts';
import type { Brand, BrandFont } from '../model/brand.ts';
import type { Rect } from '../model/template.ts';
import { digest128, toHexString } from '../pdf/hash.ts';
import { serializeContext } from '../pdf/serialize.ts';
import { PdfWriter, type WriteOptions } from '../pdf/writer.ts';
import { layoutText, type FontChoice, type GlyphRun, type ParagraphStyle, type TextLayout } from '../text/layout.ts';
import { hasRtl } from '../text/script.ts';
import { portableCodec } from '../util/codec.ts';
import { contrastRatio, parseHex, relativeLuminance, WHITE, type Rgb } from '../util/color.ts';
import { parseInline, plainText, type InlineRun, type Playbook, type PlaybookBlock, type PlayStep } from './model.ts';

/**
 * A playbook as a co-branded, multi-page PDF (issue #7): a cover with the
 * vendor's and the partner's logos, a table of contents (also as bookmarks
 * and internal links), then the sections, with every page after the cover
 * carrying the partner's footer and "Page N of M".
 *
 * The document is built as a RenderPlan and written by the same PdfWriter
 * as every export (embedded brand font subsets, PNG/JPEG/SVG/PDF logos,
 * reproducible bytes); link annotations and the outline are added to the
 * written file afterwards, since plans carry no navigation.
 *
 * Pagination is `layoutPlaybook`, pure and synchronous. Its rules:
 * - nothing is drawn outside the body box (the footer has its own band);
 * - text is laid out with core/text (the brand fonts' metrics, fallbacks,
 *   shaping, bidi); a word longer than a line breaks inside;
 * - a section starts a page;
 * - a heading (section title, block heading, play title, and a steps
 *   table's header) is never the last thing on a page: it moves on with
 *   the first two lines of what follows, or with all of it when that is a
 *   block that is kept together (an image, a template callout, a step);
 * - a step is kept on one page unless it cannot fit on one (then it splits
 *   between lines, and the steps table's header is repeated);
 * - paragraphs and list items break between lines only, never leaving one
 *   line of a paragraph alone at the bottom of a page or at the top of the
 *   next (when the paragraph has enough lines to avoid it).
 *
 * Italic text uses the brand's italic face; a brand without one gets its
 * upright regular face (and bold italic its bold face): the writer draws
 * glyph runs without a skew, and a synthesised oblique is what brand
 * guidelines usually forbid.
 */

// ---------------------------------------------------------------------------
// The brand, as documents built here draw it (shared with core/training/certificate.ts).

export type Face = 'regular' | 'bold' | 'italic' | 'boldItalic';
/** The brand's text faces, each with the brand's fallback fonts. */
export type Faces = Record<Face, FontChoice>;

/** Colours picked from the brand palette for a white page. */
export interface DocColors {
  /** Body text: the palette colour with the most contrast on white (near-black when none reaches 7:1). */
  text: PlanColor;
  /** Headings and links: the most saturated palette colour readable on white (4.5:1). */
  heading: PlanColor;
  /** Secondary text and rules: the least saturated other readable palette colour. */
  muted: PlanColor;
  /** Backgrounds of callouts and table headers: the lightest palette colour that is not white. */
  tint: PlanColor;
}

/** Everything a document needs from the brand and the assets, loaded once. */
export interface BrandKit {
  brand: Brand;
  faces: Faces;
  colors: DocColors;
  vendorLogo: PreparedImage;
  partnerLogo: PreparedImage | undefined;
  /** Prepared images by asset ref (those asked for when the kit was loaded). */
  image(ref: string): PreparedImage;
}

export type AssetLookup = (ref: string) => Uint8Array | undefined;

const fontCache = new WeakMap<Uint8Array, Map<string, LoadedFont>>();
const imageCache = new WeakMap<Uint8Array, Map<string, Promise<PreparedImage>>>();

function needAsset(asset: AssetLookup, ref: string, what: string): Uint8Array {
  const bytes = asset(ref);
  if (!bytes) throw new LockupError('asset-missing', `${what} (${ref}) is missing`, { ref });
  return bytes;
}

function loadFont(asset: AssetLookup, font: BrandFont): LoadedFont {
  const bytes = needAsset(asset, font.file, `The font "${font.family}" (${font.id})`);
  let byId = fontCache.get(bytes);
  if (!byId) fontCache.set(bytes, (byId = new Map()));
  let hit = byId.get(font.id);
  if (!hit) byId.set(font.id, (hit = new LoadedFont(font.id, bytes)));
  return hit;
}

function loadImage(asset: AssetLookup, ref: string, what: string, codec: Codec): Promise<PreparedImage> {
  const bytes = needAsset(asset, ref, what);
  let byRef = imageCache.get(bytes);
  if (!byRef) imageCache.set(bytes, (byRef = new Map()));
  let hit = byRef.get(ref);
  if (!hit) {
    hit = prepareImage(bytes, ref, ref, codec);
    byRef.set(ref, hit);
    // A failed preparation is not kept: the next call reports it again.
    hit.catch(() => byRef.delete(ref));
  }
  return hit;
}

function nearest(fonts: readonly BrandFont[], weight: number): BrandFont | undefined {
  return [...fonts].sort((a, b) => Math.abs(a.weight - weight) - Math.abs(b.weight - weight) || a.weight - b.weight)[0];
}

/** The brand fonts used for regular, bold, italic and bold italic text (see the note at the top of the file). */
export function pickFaces(brand: Brand): Record<Face, BrandFont> {
  const fallbackOnly = new Set(brand.fallbackFonts.flatMap((f) => f.fonts));
  const primary = brand.fonts.filter((f) => !fallbackOnly.has(f.id));
  const pool = primary.length > 0 ? primary : brand.fonts;
  const upright = pool.filter((f) => f.style === 'normal');
  const regular = nearest(upright, 400) ?? nearest(pool, 400)!;
  const family = pool.filter((f) => f.family === regular.family);
  const heavy = (f: BrandFont) => f.weight >= regular.weight + 200;
  const bold = nearest(family.filter((f) => f.style === 'normal' && heavy(f)), 700) ?? nearest(upright.filter(heavy), 700) ?? regular;
  const italic = nearest(family.filter((f) => f.style === 'italic' && !heavy(f)), regular.weight) ?? regular;
  const boldItalic = nearest(family.filter((f) => f.style === 'italic' && heavy(f)), 700) ?? bold;
  return { regular, bold, italic, boldItalic };
}

function paletteColor(p: Brand['palette'][number], rgb: Rgb): PlanColor {
  return { rgb, cmyk: p.cmyk, paletteId: p.id };
}

/** The document colours of a brand (see DocColors). */
export function docColors(brand: Brand): DocColors {
  const entries = brand.palette.map((p) => {
    const rgb = parseHex(p.hex)!;
    return { p, rgb, contrast: contrastRatio(rgb, WHITE), chroma: Math.max(...rgb) - Math.min(...rgb), lum: relativeLuminance(rgb) };
  });
  const readable = entries.filter((e) => e.contrast >= 4.5);
  const best = <T>(list: T[], score: (t: T) => number) => list.reduce<T | undefined>((a, b) => (a === undefined || score(b) > score(a) ? b : a), undefined);
  const darkest = best(readable, (e) => e.contrast);
  const text: PlanColor = darkest && darkest.contrast >= 7 ? paletteColor(darkest.p, darkest.rgb) : { rgb: [17, 17, 17] };
  const headingEntry = best(readable, (e) => e.chroma);
  const heading = headingEntry ? paletteColor(headingEntry.p, headingEntry.rgb) : text;
  const mutedEntry = best(
    readable.filter((e) => e.p.id !== text.paletteId && e.p.id !== heading.paletteId),
    (e) => -e.chroma,
  );
  const muted = mutedEntry ? paletteColor(mutedEntry.p, mutedEntry.rgb) : text;
  const tintEntry = best(
    entries.filter((e) => e.lum >= 0.75 && e.lum < 0.98),
    (e) => e.lum,
  );
  const tint: PlanColor = tintEntry ? paletteColor(tintEntry.p, tintEntry.rgb) : { rgb: [242, 244, 247] };
  return { text, heading, muted, tint };
}

/**
 * Loads the brand's faces, colours and logos and prepares the images a
 * document needs. Every asset comes through `asset`; a missing one is an
 * `asset-missing` error naming it.
 */
export async function loadBrandKit(brand: Brand, asset: AssetLookup, needs: { partnerLogo?: string | undefined; images?: readonly string[] }, codec: Codec = portableCodec): Promise<BrandKit> {
  const picked = pickFaces(brand);
  const fonts = new Map<string, LoadedFont>();
  const fontFor = (id: string) => {
    let f = fonts.get(id);
    if (!f) {
      const def = brand.fonts.find((b) => b.id === id);
      if (!def) throw new LockupError('brand-invalid', `The brand has no font "${id}"`);
      fonts.set(id, (f = loadFont(asset, def)));
    }
    return f;
  };
  const images = new Map<string, PreparedImage>();
  const vendorRef = pickBrandLogo(brand, 'auto', { rgb: WHITE, source: 'page' }).file;
  const vendorLogo = await loadImage(asset, vendorRef, `The ${brand.name} logo`, codec);
  const partnerLogo = needs.partnerLogo ? await loadImage(asset, needs.partnerLogo, "The partner's logo", codec) : undefined;
  for (const ref of needs.images ?? []) if (!images.has(ref)) images.set(ref, await loadImage(asset, ref, 'An image', codec));
  const resources: Resources = {
    font: fontFor,
    image(ref) {
      const hit = images.get(ref);
      if (!hit) throw new LockupError('asset-missing', `An image (${ref}) is missing`, { ref });
      return hit;
    },
  };
  const c = { brand, resources };
  const faces: Faces = {
    regular: fontChoice(c, picked.regular.id, true),
    bold: fontChoice(c, picked.bold.id, true),
    italic: fontChoice(c, picked.italic.id, true),
    boldItalic: fontChoice(c, picked.boldItalic.id, true),
  };
  return { brand, faces, colors: docColors(brand), vendorLogo, partnerLogo, image: resources.image };
}

// ---------------------------------------------------------------------------
// Text: plain boxes through layoutText, and inline-styled text (bold, italic,
// links) set word by word with each word laid out by layoutText.

const EPS = 0.01;
const BIG = 1_000_000;
const bidi = bidiFactory();

export function paragraphStyle(size: number, lineHeight: number, align: ParagraphStyle['align'] = 'left', extra: Partial<ParagraphStyle> = {}): ParagraphStyle {
  return { size, lineHeight, align, valign: 'top', letterSpacing: 0, transform: 'none', paragraphSpacing: 0, ...extra };
}

/** A line height (in ems) of at least `at` that holds the font's ascent and descent, so ink stays in its line box. */
export function leading(fonts: FontChoice, at: number): number {
  const m = fonts.primary.metrics;
  return Math.max(at, (m.ascent + m.descent) / m.unitsPerEm);
}

/** Records characters no font can draw, by where they occur (for the error message). */
export class MissingGlyphs {
  private readonly found = new Map<string, Set<number>>();

  note(where: string, layout: { missing: readonly number[] }): void {
    if (layout.missing.length === 0) return;
    let set = this.found.get(where);
    if (!set) this.found.set(where, (set = new Set()));
    for (const cp of layout.missing) set.add(cp);
  }

  /** Throws `code` naming the characters, when any were found. */
  check(code: ErrorCode, what: string): void {
    if (this.found.size === 0) return;
    const parts = [...this.found].map(([where, cps]) => `${where}: ${[...cps].map((cp) => `${String.fromCodePoint(cp)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`).join(', ')}`);
    throw new LockupError(code, `The brand fonts cannot draw characters of ${what}: ${parts.join('; ')}`, {
      missing: Object.fromEntries([...this.found].map(([k, v]) => [k, [...v].map((cp) => String.fromCodePoint(cp)).join('')])),
    });
  }
}

/** Lays text out in a box: the largest size that fits down to `minSize`, then an ellipsis at `minSize`, so it never overflows. */
export function fitText(text: string, fonts: FontChoice, style: ParagraphStyle, box: { width: number; height: number }, o: { multiline: boolean; minSize: number }): TextLayout {
  const shrunk = layoutText(text, style, fonts, box, { multiline: o.multiline, overflow: 'shrink', minSize: o.minSize });
  if (!shrunk.overflow) return shrunk;
  return layoutText(text, { ...style, size: Math.min(o.minSize, style.size) }, fonts, box, { multiline: o.multiline, overflow: 'ellipsis' });
}

/** Text laid out to its natural height in a column: wraps, breaks long words, never shrinks. */
export function columnText(text: string, fonts: FontChoice, style: ParagraphStyle, width: number): TextLayout {
  return layoutText(text, style, fonts, { width, height: BIG }, { multiline: true, overflow: 'refuse' });
}

interface Frag {
  text: string;
  face: Face;
  href: string | undefined;
  /** UTF-16 offset in the whole text (for bidi levels). */
  start: number;
}

interface Word {
  frags: Frag[];
  /** White space before the word (a break opportunity). */
  space: boolean;
  /** A line break before the word. */
  hard: boolean;
}

interface Piece {
  x: number;
  width: number;
  runs: GlyphRun[];
  href: string | undefined;
  level: number;
  text: string;
}

export interface RichLine {
  width: number;
  /** In visual order, `x` from the line's start. */
  pieces: Piece[];
  text: string;
}

/** Inline-styled text set in a column. */
export interface RichText {
  size: number;
  /** Line advance in points. */
  lineHeight: number;
  /** Baseline below a line's top (CSS line box, docs/decisions/0008). */
  baseline: number;
  lines: RichLine[];
  height: number;
  /** The paragraph runs right to left (lines are aligned right). */
  rtl: boolean;
  /** Some word was broken inside because it was longer than the column. */
  broke: boolean;
}

function faceOf(run: InlineRun): Face {
  return run.bold ? (run.italic ? 'boldItalic' : 'bold') : run.italic ? 'italic' : 'regular';
}

const BREAK = /(\r\n|\n|\r)|[ \t\u2000-\u200a\u3000]+/g;

function tokenize(runs: readonly InlineRun[]): Word[] {
  const words: Word[] = [];
  let cur: Word | undefined;
  let space = false;
  let hard = false;
  let offset = 0;
  for (const run of runs) {
    const face = faceOf(run);
    const emit = (s: string, start: number) => {
      if (s === '') return;
      let w = cur;
      if (!w) {
        w = { frags: [], space, hard };
        words.push(w);
        cur = w;
        space = false;
        hard = false;
      }
      const prev = w.frags[w.frags.length - 1];
      if (prev && prev.face === face && prev.href === run.href) prev.text += s;
      else w.frags.push({ text: s, face, href: run.href, start });
    };
    let last = 0;
    for (const m of run.text.matchAll(BREAK)) {
      emit(run.text.slice(last, m.index), offset + last);
      cur = undefined;
      if (m[1] !== undefined) {
        hard = words.length > 0;
        space = false;
      } else if (!hard) space = true;
      last = m.index + m[0].length;
    }
    emit(run.text.slice(last), offset + last);
    offset += run.text.length;
  }
  return words;
}

/** UAX #9 rule L2 at piece level: reverse every maximal sequence at or above each odd level. */
function reorder(pieces: Piece[]): Piece[] {
  const max = Math.max(0, ...pieces.map((p) => p.level));
  const minOdd = pieces.reduce((m, p) => (p.level % 2 === 1 ? Math.min(m, p.level) : m), Infinity);
  let order = pieces;
  for (let lvl = max; lvl >= minOdd && lvl > 0; lvl--) {
    const next: Piece[] = [];
    let i = 0;
    while (i < order.length) {
      if (order[i]!.level >= lvl) {
        let j = i;
        while (j < order.length && order[j]!.level >= lvl) j++;
        next.push(...order.slice(i, j).reverse());
        i = j;
      } else next.push(order[i++]!);
    }
    order = next;
  }
  return order;
}

/**
 * Sets inline-styled text (runs from parseInline) in a column: greedy
 * wrapping at white space, each word laid out by core/text in its face (so
 * shaping, fallbacks and missing glyphs are handled there), words longer
 * than the column broken by core/text's emergency break, and bidi levels of
 * the whole paragraph applied at word level. One setter per document: it
 * caches measured words.
 */
export class RichSetter {
  private readonly measured = new Map<string, { width: number; runs: GlyphRun[]; text: string }>();
  private readonly broken = new Map<string, { width: number; runs: GlyphRun[]; text: string }[]>();

  constructor(
    private readonly faces: Faces,
    private readonly missing: MissingGlyphs,
  ) {}

  private measure(text: string, face: Face, size: number, where: string) {
    const key = `${face}|${size}|${text}`;
    let hit = this.measured.get(key);
    if (!hit) {
      const laid = layoutText(text, paragraphStyle(size, 1), this.faces[face], { width: BIG, height: BIG }, { multiline: false, overflow: 'refuse' });
      this.missing.note(where, laid);
      const line = laid.lines[0];
      hit = { width: line?.width ?? 0, runs: line?.runs ?? [], text };
      this.measured.set(key, hit);
    }
    return hit;
  }

  private breakWord(text: string, face: Face, size: number, width: number) {
    const key = `${face}|${size}|${width}|${text}`;
    let hit = this.broken.get(key);
    if (!hit) {
      const laid = columnText(text, this.faces[face], paragraphStyle(size, 1), width);
      hit = laid.lines.map((l) => ({ width: l.width, runs: l.runs, text: l.text }));
      this.broken.set(key, hit);
    }
    return hit;
  }

  private space(face: Face, size: number): { width: number; runs: GlyphRun[] } {
    const font = this.faces[face].primary;
    const glyphs = font.mapSimple([0x20]);
    const width = (glyphs[0]!.advance * size) / font.metrics.unitsPerEm;
    return { width, runs: [{ font, size, x: 0, width, spacing: 0, shaped: false, rtl: false, glyphs }] };
  }

  /** Sets `runs` at `size` with a line advance of `lineHeight` × size in a column `width` wide; `where` names the text in errors. */
  set(runs: readonly InlineRun[], size: number, lineHeightEm: number, width: number, where: string): RichText {
    const lineHeight = Math.max(...Object.values(this.faces).map((f) => leading(f, lineHeightEm)));
    const words = tokenize(runs);
    const plain = runs.map((r) => r.text).join('');
    let levels: Uint8Array | undefined;
    let rtl = false;
    if (hasRtl(plain)) {
      const emb = bidi.getEmbeddingLevels(plain, 'auto');
      levels = emb.levels;
      rtl = (emb.paragraphs[0]?.level ?? 0) % 2 === 1;
    }
    const levelAt = (i: number) => levels?.[i] ?? 0;
    const lines: Piece[][] = [];
    let line: Piece[] = [];
    let lineWidth = 0;
    let broke = false;
    const flush = () => {
      lines.push(line);
      line = [];
      lineWidth = 0;
    };
    for (const w of words) {
      if (w.hard && line.length > 0) flush();
      const parts = w.frags.map((f) => ({ f, m: this.measure(f.text, f.face, size, where) }));
      const wordWidth = parts.reduce((s, p) => s + p.m.width, 0);
      const first = w.frags[0]!;
      const sp = w.space && line.length > 0 ? this.space(first.face, size) : undefined;
      if (line.length > 0 && lineWidth + (sp?.width ?? 0) + wordWidth > width + EPS) flush();
      else if (sp) {
        const prev = line[line.length - 1]!;
        line.push({ x: 0, width: sp.width, runs: sp.runs, href: prev.href === first.href ? first.href : undefined, level: Math.min(prev.level, levelAt(first.start)), text: ' ' });
        lineWidth += sp.width;
      }
      for (const { f, m } of parts) {
        const pieces = m.width > width + EPS ? this.breakWord(f.text, f.face, size, width) : [m];
        if (pieces.length > 1) broke = true;
        for (const p of pieces) {
          if (line.length > 0 && lineWidth + p.width > width + EPS) flush();
          line.push({ x: 0, width: p.width, runs: p.runs, href: f.href, level: levelAt(f.start), text: p.text });
          lineWidth += p.width;
        }
      }
    }
    if (line.length > 0 || lines.length === 0) flush();
    const font = this.faces.regular.primary.metrics;
    const baseline = ((lineHeight - (font.ascent + font.descent) / font.unitsPerEm) / 2 + font.ascent / font.unitsPerEm) * size;
    const laid: RichLine[] = lines.map((pieces) => {
      const logicalText = pieces.map((p) => p.text).join('');
      const visual = levels ? reorder(pieces) : pieces;
      let x = 0;
      const placed = visual.map((p) => {
        const q = { ...p, x };
        x += p.width;
        return q;
      });
      return { width: x, pieces: placed, text: logicalText };
    });
    const lh = lineHeight * size;
    return { size, lineHeight: lh, baseline, lines: laid, height: laid.length * lh, rtl, broke };
  }
}

export interface PageLink {
  rect: Rect;
  /** An external address (a URI action)… */
  href?: string;
  /** …or a place in the document: a 0-based page index and a y from the page top. */
  dest?: { page: number; y: number };
}

const ZONE = 'document';

export function fill(rect: Rect, color: PlanColor): PlanItem {
  return { type: 'fill', zoneId: ZONE, static: true, rect, shape: 'rect', radius: 0, color };
}

export function textItem(layout: TextLayout, x: number, y: number, color: PlanColor): TextItem {
  return { type: 'text', zoneId: ZONE, static: true, origin: { x, y }, layout, color };
}

export function imageItem(image: PreparedImage, place: Rect): PlanItem {
  return { type: 'image', zoneId: ZONE, static: true, image, place, clip: undefined };
}

/**
 * The items of one line of rich text with its top-left at (x, y) in a
 * column `width` wide: text runs in `color`, links in `link` and
 * underlined, plus the link rectangles for annotations.
 */
export function richLineItems(rt: RichText, index: number, x: number, y: number, width: number, color: PlanColor, link: PlanColor): { items: PlanItem[]; links: PageLink[] } {
  const line = rt.lines[index];
  if (!line) return { items: [], links: [] };
  const offset = rt.rtl ? width - line.width : 0;
  const items: PlanItem[] = [];
  const links: PageLink[] = [];
  const groups: { color: PlanColor; runs: GlyphRun[]; text: string }[] = [
    { color, runs: [], text: '' },
    { color: link, runs: [], text: '' },
  ];
  for (const p of line.pieces) {
    const g = groups[p.href === undefined ? 0 : 1]!;
    for (const r of p.runs) g.runs.push({ ...r, x: p.x + r.x });
    g.text += p.text;
    if (p.href !== undefined) {
      const thick = Math.max(0.5, rt.size * 0.06);
      items.push(fill({ x: x + offset + p.x, y: y + rt.baseline + rt.size * 0.14, w: p.width, h: thick }, link));
      const prev = links[links.length - 1];
      const rect = { x: x + offset + p.x, y, w: p.width, h: rt.lineHeight };
      if (prev && prev.href === p.href && Math.abs(prev.rect.x + prev.rect.w - rect.x) < EPS) prev.rect = { ...prev.rect, w: prev.rect.w + rect.w };
      else links.push({ rect, href: p.href });
    }
  }
  const texts = groups
    .filter((g) => g.runs.length > 0)
    .map((g) => {
      const layout: TextLayout = {
        size: rt.size,
        lines: [{ text: g.text, x: 0, width: line.width, baseline: rt.baseline, runs: g.runs }],
        height: rt.lineHeight,
        overflow: false,
        truncated: false,
        missing: [],
        fallbacks: [],
      };
      return textItem(layout, x + offset, y, g.color);
    });
  return { items: [...texts, ...items], links };
}

/** Moves a plan item by (dx, dy). */
export function shiftItem(item: PlanItem, dx: number, dy: number): PlanItem {
  const move = (r: Rect): Rect => ({ x: r.x + dx, y: r.y + dy, w: r.w, h: r.h });
  switch (item.type) {
    case 'text':
      return { ...item, origin: { x: item.origin.x + dx, y: item.origin.y + dy } };
    case 'fill':
      return { ...item, rect: move(item.rect) };
    case 'image':
      return { ...item, place: move(item.place), clip: item.clip ? move(item.clip) : undefined };
    case 'field':
      return { ...item, rect: move(item.rect), text: item.text ? (shiftItem(item.text, dx, dy) as TextItem) : undefined };
  }
}

/** The box a plan item marks on the page (text: its lines from ascent to descent). */
export function itemBounds(item: PlanItem): Rect | undefined {
  switch (item.type) {
    case 'fill':
    case 'field':
      return item.rect;
    case 'image':
      return item.place;
    case 'text': {
      const rects = item.layout.lines.flatMap((l) =>
        l.runs.map((r) => {
          const m = r.font.metrics;
          const asc = (m.ascent / m.unitsPerEm) * r.size;
          const desc = (m.descent / m.unitsPerEm) * r.size;
          return { x: item.origin.x + r.x, y: item.origin.y + l.baseline - asc, w: r.width, h: asc + desc };
        }),
      );
      if (rects.length === 0) return undefined;
      const x1 = Math.min(...rects.map((r) => r.x));
      const y1 = Math.min(...rects.map((r) => r.y));
      return { x: x1, y: y1, w: Math.max(...rects.map((r) => r.x + r.w)) - x1, h: Math.max(...rects.map((r) => r.y + r.h)) - y1 };
    }
  }
}

/** The vendor logo, and the partner's beside it after a rule, as large as `zone` allows (core/compose/geometry.ts placeLockup). */
export function lockupItems(kit: BrandKit, zone: Rect, align: 'left' | 'center' | 'right'): PlanItem[] {
  const logos = [kit.vendorLogo, ...(kit.partnerLogo ? [kit.partnerLogo] : [])];
  const placed = placeLockup(
    logos.map((l) => ({ width: l.info.width, height: l.info.height, relative: 1 })),
    zone,
    { gap: 0.5, clear: kit.brand.rules.logoClearSpace.fraction, ruleWidth: logos.length > 1 ? 0.75 : 0, align },
  );
  return [...logos.map((l, i) => imageItem(l, placed.places[i]!)), ...placed.separators.map((r) => fill(r, kit.colors.muted))];
}

/** Writes a plan with the shared PdfWriter: fixed date, an ID derived from `seed`, RGB. */
export async function writePlan(plan: RenderPlan, o: { date: Date; seed: string; codec: Codec; attachments?: WriteOptions['attachments'] }): Promise<Uint8Array> {
  const writer = new PdfWriter(o.codec.deflate);
  return writer.write(plan, { colorMode: 'rgb', producer: PRODUCER, fixedDate: o.date, idSeed: o.seed, ...(o.attachments ? { attachments: o.attachments } : {}) });
}

export const PRODUCER = 'Lockup';

/** A short stable digest of the parts, for file IDs. */
export function seedOf(parts: readonly (string | Uint8Array)[]): string {
  return toHexString(digest128(parts));
}

// ---------------------------------------------------------------------------
// Playbook layout.

export interface PlaybookPdfInput {
  playbook: Playbook;
  brand: Brand;
  /** Bytes of an asset by `sha256:` ref (fonts, logos, playbook images, partner logo); undefined when missing (then a LockupError 'asset-missing' naming it). */
  asset: (ref: string) => Uint8Array | undefined;
  partner: { name: string; logo?: string; contact: string[] };
  /** Names of the templates the playbook links to, by id. */
  templateNames: Readonly<Record<string, string>>;
  /** Creation date for metadata (reproducible output: same input → same bytes). */
  date: Date;
  /** Page size in PDF points; default US Letter 612×792. */
  page?: { width: number; height: number };
  /** Compression (node:zlib in the backend); pure-JS pako by default. */
  codec?: Codec;
}

export interface PlaybookLayoutOptions {
  partner: { name: string; contact: readonly string[] };
  templateNames: Readonly<Record<string, string>>;
  page?: { width: number; height: number };
}

export type RowKind =
  | 'section-title'
  | 'heading'
  | 'paragraph'
  | 'list-item'
  | 'image'
  | 'caption'
  | 'template'
  | 'play-title'
  | 'play-summary'
  | 'table-header'
  | 'step'
  | 'contents-title'
  | 'contents-entry';

export type GroupKind = Exclude<RowKind, 'caption'>;

/** A row placed on a page: the unit that is never split. */
export interface PlacedRow {
  kind: RowKind;
  /** Index into PlaybookLayout.groups; -1 for a repeated table header. */
  group: number;
  /** Flow order over the whole document. */
  seq: number;
  rect: Rect;
  items: PlanItem[];
}

export interface PlaybookPage {
  kind: 'cover' | 'contents' | 'body';
  rows: PlacedRow[];
  /** Drawn outside the rows: the cover's content, or the footer. */
  items: PlanItem[];
  links: PageLink[];
  /** The footer's text, e.g. "Harbor IT · hello@harbor.example · Page 3 of 9"; undefined on the cover. */
  footer: string | undefined;
}

/** A run of rows kept together or flowed line by line (see the rules at the top). */
export interface GroupInfo {
  kind: GroupKind;
  /** A heading: kept on the page of what follows it. */
  heading: boolean;
  /** Kept on one page when it fits. */
  together: boolean;
  /** Total height of its rows. */
  height: number;
  /** The section it belongs to (-1 on the contents pages). */
  section: number;
  /** Height of the header repeated above it after a page break (steps), else 0. */
  header: number;
  /** Space above it, unless it starts a page. */
  spaceBefore: number;
}

export interface TocEntry {
  kind: 'section' | 'play';
  id: string;
  title: string;
  /** 1-based page number where it starts, as printed in the contents. */
  page: number;
  /** y (from the page top) of its first row. */
  y: number;
  /** 0-based index of the contents page that lists it. */
  listedOn: number;
}

export interface PlaybookLayout {
  width: number;
  height: number;
  /** Where rows go on every page after the cover. */
  body: Rect;
  /** The footer band. */
  footer: Rect;
  pages: PlaybookPage[];
  groups: GroupInfo[];
  toc: TocEntry[];
}

interface Row {
  kind: RowKind;
  h: number;
  /** Relative to the row's top-left corner (x from the body's left edge). */
  items: PlanItem[];
  links: PageLink[];
}

interface Group {
  kind: GroupKind;
  rows: Row[];
  together: boolean;
  keepWithNext: boolean;
  spaceBefore: number;
  newPage: boolean;
  section: number;
  header?: Group;
  anchor?: { kind: 'section' | 'play'; id: string; title: string };
}

const LETTER = { width: 612, height: 792 };

/** Sizes in points, for a Letter or A4 page. */
const S = {
  body: 10.5,
  line: 1.4,
  paragraphGap: 8,
  itemGap: 3,
  listIndent: 26,
  sectionTitle: 22,
  heading: 14,
  headingGap: 14,
  playTitle: 15,
  playGap: 20,
  step: 9.5,
  stepPad: 6,
  tableHeader: 7.5,
  caption: 9,
  footer: 8,
  tocSection: 11.5,
  tocPlay: 10,
  tocNumber: 40,
  tocIndent: 18,
};

function pageGeometry(page: { width: number; height: number }): { body: Rect; footer: Rect; margin: number } {
  const { width, height } = page;
  if (!(Number.isFinite(width) && Number.isFinite(height)) || width < 300 || height < 400 || width > 14_400 || height > 14_400) {
    throw new LockupError('invalid-argument', `A playbook page must be at least 300 × 400 pt (and at most 14400 pt a side); ${width} × ${height} was asked for`);
  }
  const margin = Math.round(Math.min(width, height) * 0.088);
  const footerH = 30;
  const footer = { x: margin, y: height - margin * 0.55 - footerH, w: width - 2 * margin, h: footerH };
  const body = { x: margin, y: margin, w: width - 2 * margin, h: footer.y - 14 - margin };
  return { body, footer, margin };
}

class Builder {
  readonly missing = new MissingGlyphs();
  readonly setter: RichSetter;

  constructor(
    readonly kit: BrandKit,
    readonly width: number,
  ) {
    this.setter = new RichSetter(kit.faces, this.missing);
  }

  /** A plain single-style block laid out to its natural height. */
  plain(text: string, face: Face, size: number, lineHeight: number, width: number, where: string, align: ParagraphStyle['align'] = 'left', extra: Partial<ParagraphStyle> = {}): TextLayout {
    const laid = columnText(text, this.kit.faces[face], paragraphStyle(size, leading(this.kit.faces[face], lineHeight), align, extra), width);
    this.missing.note(where, laid);
    return laid;
  }

  /** Rows of rich text, one per line, `x` from the body's left edge. */
  richRows(kind: RowKind, text: string | InlineRun[], size: number, x: number, width: number, color: PlanColor, where: string): Row[] {
    const runs = typeof text === 'string' ? parseInline(text) : text;
    const rt = this.setter.set(runs, size, S.line, width, where);
    return rt.lines.map((_, i) => {
      const { items, links } = richLineItems(rt, i, x, 0, width, color, this.kit.colors.heading);
      return { kind, h: rt.lineHeight, items, links };
    });
  }

  headingRow(kind: RowKind, text: string, size: number, where: string, accent: boolean): Row {
    const laid = this.plain(text, 'bold', size, 1.2, this.width, where);
    const bar = accent ? 4 + size * 0.5 : 0;
    const items: PlanItem[] = [];
    if (accent) items.push(fill({ x: 0, y: 0, w: 36, h: 4 }, this.kit.colors.heading));
    items.push(textItem(laid, 0, bar, this.kit.colors.heading));
    const rule = kind === 'section-title' ? 10 : 0;
    if (rule) items.push(fill({ x: 0, y: bar + laid.height + 6, w: this.width, h: 0.5 }, this.kit.colors.muted));
    return { kind, h: bar + laid.height + (rule || 2), items, links: [] };
  }
}

function group(kind: GroupKind, rows: Row[], o: Partial<Omit<Group, 'kind' | 'rows'>> & { section: number }): Group {
  return { kind, rows, together: false, keepWithNext: false, spaceBefore: 0, newPage: false, ...o };
}

/** Column positions of a steps table, from the body's left edge. */
function stepColumns(width: number) {
  const num = 28;
  const timing = Math.round(width * 0.16);
  const owner = Math.round(width * 0.22);
  const gap = 10;
  const titleW = width - num - owner - timing - 2 * gap;
  return { num, title: { x: num, w: titleW }, owner: { x: num + titleW + gap, w: owner }, timing: { x: num + titleW + gap + owner + gap, w: timing }, detail: { x: num, w: width - num } };
}

function blockGroups(b: Builder, block: PlaybookBlock, section: number, where: string, templateName: (id: string) => string, bodyHeight: number): Group[] {
  const { kit, width } = b;
  const c = kit.colors;
  switch (block.kind) {
    case 'heading':
      return [group('heading', [b.headingRow('heading', block.text, S.heading, where, false)], { section, together: true, keepWithNext: true, spaceBefore: S.headingGap })];
    case 'paragraph':
      return [group('paragraph', b.richRows('paragraph', block.text, S.body, 0, width, c.text, where), { section, spaceBefore: S.paragraphGap })];
    case 'list': {
      const bullet = kit.faces.regular.primary.has(0x2022) ? '\u2022' : '-';
      const widest = block.ordered ? (b.plain(`${block.items.length}.`, 'regular', S.body, S.line, BIG, where).lines[0]?.width ?? 0) : 0;
      const indent = Math.max(S.listIndent, Math.ceil(widest) + 8);
      return block.items.map((item, i) => {
        const rows = b.richRows('list-item', item, S.body, indent, width - indent, c.text, `${where}, item ${i + 1}`);
        const marker = b.plain(block.ordered ? `${i + 1}.` : bullet, 'regular', S.body, S.line, indent - 6, where, 'right');
        rows[0]!.items.push(textItem(marker, 0, 0, block.ordered ? c.text : c.heading));
        return group('list-item', rows, { section, spaceBefore: i === 0 ? S.paragraphGap : S.itemGap });
      });
    }
    case 'image': {
      const image = kit.image(block.asset);
      const caption = block.caption ? b.plain(block.caption, 'italic', S.caption, 1.3, width, `${where} (caption)`) : undefined;
      const captionH = caption ? caption.height + 4 : 0;
      // At most 60% of the body, so that a heading or two before it can share its page.
      const maxH = Math.max(20, Math.min(bodyHeight * 0.6, bodyHeight - captionH - 2));
      const scale = Math.min(width / image.info.width, maxH / image.info.height);
      const w = image.info.width * scale;
      const h = image.info.height * scale;
      const rows: Row[] = [{ kind: 'image', h, items: [imageItem(image, { x: (width - w) / 2, y: 0, w, h })], links: [] }];
      if (caption) rows.push({ kind: 'caption', h: captionH, items: [textItem(caption, 0, 4, c.muted)], links: [] });
      return [group('image', rows, { section, together: true, spaceBefore: S.paragraphGap + 2 })];
    }
    case 'template': {
      const pad = 8;
      const inner = width - 2 * pad - 4;
      const name = b.setter.set([{ text: 'Use: ', bold: true }, { text: templateName(block.template), bold: true }], S.body, S.line, inner, where);
      const note = block.note ? b.setter.set(parseInline(block.note), S.body * 0.95, S.line, inner, where) : undefined;
      const h = pad + name.height + (note ? note.height + 2 : 0) + pad;
      const items: PlanItem[] = [fill({ x: 0, y: 0, w: width, h }, c.tint), fill({ x: 0, y: 0, w: 3, h }, c.heading)];
      const links: PageLink[] = [];
      const add = (rt: RichText, top: number, color: PlanColor) =>
        rt.lines.forEach((_, i) => {
          const r = richLineItems(rt, i, pad + 4, top + i * rt.lineHeight, inner, color, c.heading);
          items.push(...r.items);
          links.push(...r.links);
        });
      add(name, pad, c.heading);
      if (note) add(note, pad + name.height + 2, c.text);
      return [group('template', [{ kind: 'template', h, items, links }], { section, together: true, spaceBefore: S.paragraphGap + 2 })];
    }
  }
}

function tableHeader(b: Builder, section: number): Group {
  const cols = stepColumns(b.width);
  const c = b.kit.colors;
  const h = 18;
  const label = (text: string, x: number, w: number, align: ParagraphStyle['align'] = 'left') => {
    const laid = b.plain(text, 'bold', S.tableHeader, 1.2, w, 'the steps table', align, { letterSpacing: 40, transform: 'uppercase' });
    return textItem(laid, x, (h - laid.height) / 2, c.muted);
  };
  const items = [fill({ x: 0, y: 0, w: b.width, h }, c.tint), label('#', 0, cols.num - 6, 'right'), label('Step', cols.title.x, cols.title.w), label('Owner', cols.owner.x, cols.owner.w), label('Timing', cols.timing.x, cols.timing.w)];
  return group('table-header', [{ kind: 'table-header', h, items, links: [] }], { section, together: true, keepWithNext: true, spaceBefore: 8 });
}

function stepGroup(b: Builder, step: PlayStep, n: number, section: number, header: Group, where: string, templateName: (id: string) => string): Group {
  const cols = stepColumns(b.width);
  const c = b.kit.colors;
  const pad = S.stepPad;
  const sizeLh = 1.3;
  const num = b.plain(String(n), 'bold', S.step * 1.2, sizeLh, cols.num - 6, where, 'right');
  const title = b.plain(step.title, 'bold', S.step * 1.05, sizeLh, cols.title.w, where);
  const owner = b.plain(step.owner, 'regular', S.step, sizeLh, cols.owner.w, where);
  const timing = b.plain(step.timing, 'regular', S.step, sizeLh, cols.timing.w, where);
  const headH = Math.max(num.height, title.height, owner.height, timing.height);
  const rows: Row[] = [
    {
      kind: 'step',
      h: pad + headH + 3,
      items: [textItem(num, 0, pad, c.heading), textItem(title, cols.title.x, pad, c.text), textItem(owner, cols.owner.x, pad, c.text), textItem(timing, cols.timing.x, pad, c.text)],
      links: [],
    },
  ];
  if (step.detail.trim() !== '') rows.push(...b.richRows('step', step.detail, S.step, cols.detail.x, cols.detail.w, c.text, where));
  if (step.template) rows.push(...b.richRows('step', [{ text: '\u2192 Use: ', bold: true }, { text: templateName(step.template) }], S.step, cols.detail.x, cols.detail.w, c.heading, where));
  const last = rows[rows.length - 1]!;
  last.items.push(fill({ x: 0, y: last.h + pad - 0.5, w: b.width, h: 0.5 }, c.muted));
  last.h += pad;
  return group('step', rows, { section, together: true, header });
}

function contentGroups(b: Builder, pb: Playbook, bodyHeight: number, templateNames: Readonly<Record<string, string>>): Group[] {
  const templateName = (id: string) => templateNames[id] ?? id;
  const groups: Group[] = [];
  pb.sections.forEach((s, si) => {
    const where = `section "${s.title}"`;
    groups.push(group('section-title', [b.headingRow('section-title', s.title, S.sectionTitle, where, true)], { section: si, together: true, keepWithNext: true, newPage: true, anchor: { kind: 'section', id: s.id, title: s.title } }));
    s.blocks.forEach((block) => groups.push(...blockGroups(b, block, si, where, templateName, bodyHeight)));
    for (const play of s.plays) {
      const pw = `play "${play.title}"`;
      groups.push(group('play-title', [b.headingRow('play-title', play.title, S.playTitle, pw, false)], { section: si, together: true, keepWithNext: true, spaceBefore: S.playGap, anchor: { kind: 'play', id: play.id, title: play.title } }));
      if (play.summary.trim() !== '') groups.push(group('play-summary', b.richRows('play-summary', play.summary, S.body, 0, b.width, b.kit.colors.text, pw), { section: si, spaceBefore: 2 }));
      const header = tableHeader(b, si);
      groups.push(header);
      play.steps.forEach((st, i) => groups.push(stepGroup(b, st, i + 1, si, header, `${pw}, step "${st.title}"`, templateName)));
    }
  });
  return groups;
}

/** A placed row before its items are moved onto the page. */
type FlowRow = PlacedRow & { links: PageLink[] };

interface Placement {
  pages: FlowRow[][];
  /** First row of each group: page (relative to the flow's first page) and y. */
  starts: Map<number, { page: number; y: number }>;
}

const total = (g: Group) => g.rows.reduce((s, r) => s + r.h, 0);

/**
 * Flows groups into pages of the body box (the rules at the top of the
 * file). `seq` numbers rows in flow order, continuing from `seqStart`.
 */
function paginate(groups: Group[], body: Rect, groupBase: number, seqStart: number): Placement {
  const pages: FlowRow[][] = [[]];
  const starts = new Map<number, { page: number; y: number }>();
  let y = body.y;
  let seq = seqStart;
  const bottom = body.y + body.h;
  const atTop = () => pages[pages.length - 1]!.length === 0;
  const room = () => bottom - y;
  const newPage = () => {
    pages.push([]);
    y = body.y;
  };
  const place = (row: Row, gi: number) => {
    const page = pages.length - 1;
    if (gi >= 0 && !starts.has(gi)) starts.set(gi, { page, y });
    pages[page]!.push({ kind: row.kind, group: gi >= 0 ? gi + groupBase : -1, seq: seq++, rect: { x: body.x, y, w: body.w, h: row.h }, items: row.items, links: row.links });
    y += row.h;
  };
  const header = (g: Group) => {
    if (g.header && atTop()) for (const r of g.header.rows) place(r, -1);
  };
  const headerH = (g: Group) => (g.header ? total(g.header) : 0);
  const splittable = (g: Group) => !g.together || total(g) + headerH(g) > body.h + EPS;
  const lead = (g: Group, split: boolean) => (split ? g.rows.slice(0, 2).reduce((s, r) => s + r.h, 0) : total(g));

  const placeGroup = (g: Group, gi: number, forceSplit: boolean) => {
    const split = forceSplit || splittable(g);
    let sp = atTop() ? 0 : g.spaceBefore;
    if (!atTop() && sp + lead(g, split) > room() + EPS) {
      newPage();
      sp = 0;
    }
    header(g);
    y += sp;
    if (!split) {
      for (const r of g.rows) place(r, gi);
      return;
    }
    let onPage = 0;
    g.rows.forEach((r, i) => {
      const n = g.rows.length;
      const widow = i === n - 2 && onPage >= 2 && r.h <= room() + EPS && r.h + g.rows[n - 1]!.h > room() + EPS;
      if (!atTop() && (r.h > room() + EPS || widow)) {
        newPage();
        header(g);
        onPage = 0;
      }
      place(r, gi);
      onPage++;
    });
  };

  let i = 0;
  while (i < groups.length) {
    const g = groups[i]!;
    if (g.newPage && !atTop()) newPage();
    // A heading and the headings right after it travel with the start of what follows.
    let j = i;
    while (groups[j]!.keepWithNext && j + 1 < groups.length && !groups[j + 1]!.newPage) j++;
    if (j === i) {
      placeGroup(g, i, false);
      i++;
      continue;
    }
    const chain = groups.slice(i, j);
    const follower = groups[j]!;
    const chainH = (top: boolean) => chain.reduce((s, c, k) => s + (k === 0 && top ? 0 : c.spaceBefore) + total(c), 0);
    let forceSplit = false;
    const need = (split: boolean) => follower.spaceBefore + lead(follower, split);
    if (!atTop() && chainH(false) + need(splittable(follower)) > room() + EPS) newPage();
    if (chainH(atTop()) + need(splittable(follower)) > room() + EPS) forceSplit = true;
    chain.forEach((c, k) => placeGroup(c, i + k, false));
    placeGroup(follower, j, forceSplit);
    i = j + 1;
  }
  return { pages, starts };
}

/**
 * Lays a playbook out page by page without writing a PDF: the cover, the
 * contents, the sections and the footers, with every rule at the top of
 * this file applied. Text that no brand font can draw is a
 * `playbook-invalid` error (vendor text) or an `invalid-argument` error
 * (the partner's name and contact).
 */
export function layoutPlaybook(playbook: Playbook, kit: BrandKit, options: PlaybookLayoutOptions): PlaybookLayout {
  const page = options.page ?? LETTER;
  const { body, footer } = pageGeometry(page);
  const b = new Builder(kit, body.w);
  const c = kit.colors;

  // Contents first: how many pages it takes decides where the sections start.
  const entries = playbook.sections.flatMap((s) => [{ kind: 'section' as const, id: s.id, title: s.title }, ...s.plays.map((p) => ({ kind: 'play' as const, id: p.id, title: p.title }))]);
  const tocRows: Row[] = [];
  const tocGroups: Group[] = [group('contents-title', [b.headingRow('contents-title', 'Contents', S.sectionTitle, 'the contents', true)], { section: -1, together: true, keepWithNext: true })];
  for (const entry of entries) {
    const section = entry.kind === 'section';
    const indent = section ? 0 : S.tocIndent;
    const size = section ? S.tocSection : S.tocPlay;
    const laid = b.plain(entry.title, section ? 'bold' : 'regular', size, 1.3, body.w - indent - S.tocNumber, `the contents entry "${entry.title}"`);
    const row: Row = { kind: 'contents-entry', h: laid.height + 4, items: [textItem(laid, indent, 2, section ? c.text : c.muted)], links: [] };
    tocRows.push(row);
    tocGroups.push(group('contents-entry', [row], { section: -1, together: true, spaceBefore: section ? 8 : 1 }));
  }
  const toc = paginate(tocGroups, body, 0, 0);
  const firstBody = 1 + toc.pages.length;
  const content = contentGroups(b, playbook, body.h, options.templateNames);
  const flow = paginate(content, body, tocGroups.length, toc.pages.reduce((s, p) => s + p.length, 0));
  b.missing.check('playbook-invalid', `playbook "${playbook.name}"`);

  const groups: Group[] = [...tocGroups, ...content];
  const pageOfGroup = new Map<number, { page: number; y: number }>();
  for (const [gi, at] of toc.starts) pageOfGroup.set(gi, { page: 1 + at.page, y: at.y });
  for (const [gi, at] of flow.starts) pageOfGroup.set(tocGroups.length + gi, { page: firstBody + at.page, y: at.y });
  const tocEntries: TocEntry[] = [];
  content.forEach((g, gi) => {
    if (!g.anchor) return;
    const at = pageOfGroup.get(tocGroups.length + gi)!;
    tocEntries.push({ kind: g.anchor.kind, id: g.anchor.id, title: g.anchor.title, page: at.page + 1, y: at.y, listedOn: 0 });
  });
  // Page numbers of the contents, now that they are known.
  tocRows.forEach((row, k) => {
    const target = tocEntries[k]!;
    target.listedOn = pageOfGroup.get(k + 1)!.page;
    const section = target.kind === 'section';
    const laid = b.plain(String(target.page), section ? 'bold' : 'regular', section ? S.tocSection : S.tocPlay, 1.3, S.tocNumber, 'the contents', 'right');
    row.items.push(textItem(laid, body.w - S.tocNumber, 2, section ? c.text : c.muted));
  });

  const pages: PlaybookPage[] = [{ kind: 'cover', rows: [], items: coverItems(b, playbook, options.partner, page, pageGeometry(page).margin), links: [], footer: undefined }];
  b.missing.check('invalid-argument', `the partner's name or contact on the cover`);
  const toPage = (kind: PlaybookPage['kind'], rows: FlowRow[]): PlaybookPage => {
    const placed: PlacedRow[] = [];
    const links: PageLink[] = [];
    for (const r of rows) {
      placed.push({ kind: r.kind, group: r.group, seq: r.seq, rect: r.rect, items: r.items.map((it) => shiftItem(it, r.rect.x, r.rect.y)) });
      for (const l of r.links) links.push({ ...l, rect: { ...l.rect, x: l.rect.x + r.rect.x, y: l.rect.y + r.rect.y } });
    }
    return { kind, rows: placed, items: [], links, footer: undefined };
  };
  pages.push(...toc.pages.map((rows) => toPage('contents', rows)), ...flow.pages.map((rows) => toPage('body', rows)));
  // Contents entries link to where their section or play starts.
  tocRows.forEach((_, k) => {
    const at = pageOfGroup.get(k + 1)!;
    const target = tocEntries[k]!;
    const row = pages[at.page]!.rows.find((r) => r.group === k + 1)!;
    pages[at.page]!.links.push({ rect: row.rect, dest: { page: target.page - 1, y: target.y } });
  });

  const pageCount = pages.length;
  const foot = footerMaker(b, options.partner, footer);
  pages.forEach((p, i) => {
    if (i === 0) return;
    const f = foot(i + 1, pageCount);
    p.items.push(...f.items);
    p.footer = f.text;
  });
  b.missing.check('invalid-argument', `the partner's name or contact in the footer`);

  return {
    width: page.width,
    height: page.height,
    body,
    footer,
    pages,
    groups: groups.map((g) => ({ kind: g.kind, heading: g.keepWithNext, together: g.together, height: total(g), section: g.section, header: g.header ? total(g.header) : 0, spaceBefore: g.spaceBefore })),
    toc: tocEntries,
  };
}


function coverItems(b: Builder, pb: Playbook, partner: PlaybookLayoutOptions['partner'], page: { width: number; height: number }, m: number): PlanItem[] {
  const { kit } = b;
  const c = kit.colors;
  const f = kit.faces;
  const w = page.width - 2 * m;
  const items: PlanItem[] = [];
  // Full-height accent band on the left edge, then the lockup.
  items.push(fill({ x: 0, y: 0, w: 10, h: page.height }, c.heading));
  items.push(...lockupItems(kit, { x: m, y: m, w: Math.min(w, 420), h: 72 }, 'left'));
  let y = m + 72 + 0.16 * page.height;
  const eyebrow = fitText(`${kit.brand.name} partner playbook`, f.bold, paragraphStyle(10, 1.2, 'left', { letterSpacing: 100, transform: 'uppercase' }), { width: w, height: 14 }, { multiline: false, minSize: 6 });
  b.missing.note('the cover', eyebrow);
  items.push(textItem(eyebrow, m, y, c.muted));
  y += 22;
  const title = fitText(pb.name, f.bold, paragraphStyle(34, leading(f.bold, 1.15)), { width: w, height: 120 }, { multiline: true, minSize: 16 });
  b.missing.note('the playbook name', title);
  items.push(textItem(title, m, y, c.heading));
  y += title.height + 16;
  const top = page.height - m - 150;
  const summaryText = plainText(pb.summary || ' ').trim();
  const room = Math.min(150, top - 16 - y);
  if (summaryText !== '' && room >= 20) {
    const summary = fitText(summaryText, f.regular, paragraphStyle(13, 1.4), { width: Math.min(w, 460), height: room }, { multiline: true, minSize: 8 });
    b.missing.note('the playbook summary', summary);
    items.push(textItem(summary, m, y, c.text));
  }
  b.missing.check('playbook-invalid', `playbook "${pb.name}"`);
  // The partner block at the foot of the cover.
  items.push(fill({ x: m, y: top, w: 36, h: 3 }, c.heading));
  const prepared = fitText('Prepared for', f.bold, paragraphStyle(9, 1.2, 'left', { letterSpacing: 60, transform: 'uppercase' }), { width: w, height: 12 }, { multiline: false, minSize: 6 });
  items.push(textItem(prepared, m, top + 12, c.muted));
  const name = fitText(partner.name, f.bold, paragraphStyle(22, leading(f.bold, 1.15)), { width: w, height: 52 }, { multiline: true, minSize: 10 });
  b.missing.note("the partner's name", name);
  items.push(textItem(name, m, top + 30, c.text));
  const contact = partner.contact.filter((l) => l.trim() !== '').join('\n');
  if (contact !== '') {
    const laid = fitText(contact, f.regular, paragraphStyle(10.5, 1.35), { width: w, height: 150 - 30 - name.height - 8 }, { multiline: true, minSize: 6 });
    b.missing.note("the partner's contact", laid);
    items.push(textItem(laid, m, top + 30 + name.height + 8, c.muted));
  }
  return items;
}

function footerMaker(b: Builder, partner: PlaybookLayoutOptions['partner'], box: Rect) {
  const { kit } = b;
  const c = kit.colors;
  const numberW = 90;
  let textX = box.x;
  const fixed: PlanItem[] = [fill({ x: box.x, y: box.y, w: box.w, h: 0.5 }, c.muted)];
  if (kit.partnerLogo) {
    const logo = kit.partnerLogo;
    const zone = { x: box.x, y: box.y + 5, w: 72, h: box.h - 6 };
    const { place } = placeLogo(logo.info.width, logo.info.height, zone, 0, { h: 'left', v: 'middle' });
    fixed.push(imageItem(logo, place));
    textX = place.x + place.w + 10;
  }
  const textW = Math.max(20, box.x + box.w - numberW - 8 - textX);
  const name = fitText(partner.name, kit.faces.bold, paragraphStyle(S.footer, 1.2), { width: textW, height: 11 }, { multiline: false, minSize: 5 });
  b.missing.note("the partner's name (footer)", name);
  fixed.push(textItem(name, textX, box.y + 5, c.text));
  const contactText = partner.contact.filter((l) => l.trim() !== '').join('  \u00b7  ');
  if (contactText !== '') {
    const contact = fitText(contactText, kit.faces.regular, paragraphStyle(S.footer - 0.5, 1.2), { width: textW, height: 11 }, { multiline: false, minSize: 5 });
    b.missing.note("the partner's contact (footer)", contact);
    fixed.push(textItem(contact, textX, box.y + 17, c.muted));
  }
  return (n: number, total: number) => {
    const label = `Page ${n} of ${total}`;
    const laid = fitText(label, kit.faces.regular, paragraphStyle(S.footer, 1.2, 'right'), { width: numberW, height: 11 }, { multiline: false, minSize: 5 });
    return { items: [...fixed, textItem(laid, box.x + box.w - numberW, box.y + 11, c.muted)], text: [partner.name, contactText, label].filter((s) => s !== '').join(' \u00b7 ') };
  };
}

// ---------------------------------------------------------------------------
// Writing.

/** Every asset ref a playbook PDF needs besides the brand's (its images). */
function imageRefs(pb: Playbook): string[] {
  return [...new Set(pb.sections.flatMap((s) => s.blocks.flatMap((bl) => (bl.kind === 'image' ? [bl.asset] : []))))];
}

/**
 * Writes a playbook as a co-branded PDF (see the notes at the top of the
 * file). Same input, same bytes: the date is fixed and the file ID is a
 * digest of the input.
 */
export async function playbookPdf(input: PlaybookPdfInput): Promise<{ bytes: Uint8Array; pages: number; layout: PlaybookLayout }> {
  const codec = input.codec ?? portableCodec;
  const kit = await loadBrandKit(input.brand, input.asset, { partnerLogo: input.partner.logo, images: imageRefs(input.playbook) }, codec);
  const layout = layoutPlaybook(input.playbook, kit, { partner: input.partner, templateNames: input.templateNames, ...(input.page ? { page: input.page } : {}) });
  const pb = input.playbook;
  const plan: RenderPlan = {
    width: layout.width,
    height: layout.height,
    bleed: 0,
    pages: layout.pages.map((p) => ({ items: [...p.items, ...p.rows.flatMap((r) => r.items)], background: undefined })),
    meta: {
      title: `${pb.name} \u2014 ${input.partner.name}`,
      author: input.partner.name,
      subject: plainText(pb.summary || pb.name) || pb.name,
      keywords: ['lockup', `playbook:${pb.id}`, `version:${pb.version}`, `brand:${input.brand.id}`],
    },
  };
  const seed = seedOf([
    'playbook',
    JSON.stringify(pb),
    JSON.stringify(input.partner),
    JSON.stringify(Object.entries(input.templateNames).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    `${layout.width}x${layout.height}`,
    input.date.toISOString(),
  ]);
  const written = await writePlan(plan, { date: input.date, seed, codec });
  const bytes = await addNavigation(written, layout, codec);
  return { bytes, pages: layout.pages.length, layout };
}

/** Hex string of an ASCII URI (non-ASCII characters percent-encoded: a URI action holds 7-bit ASCII). */
function uriString(href: string): PDFHexString {
  const ascii = href.replace(/[^\x21-\x7e]/g, (ch) => encodeURIComponent(ch));
  let hex = '';
  for (let i = 0; i < ascii.length; i++) hex += ascii.charCodeAt(i).toString(16).padStart(2, '0');
  return PDFHexString.of(hex);
}

/** Adds link annotations, the outline (sections with their plays) and opens the outline panel. */
async function addNavigation(bytes: Uint8Array, layout: PlaybookLayout, codec: Codec): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const ctx = doc.context;
  const pageRefs = doc.getPages().map((p) => p.ref);
  const num = (v: number) => PDFNumber.of(Math.round(v * 100) / 100);
  const dest = (page: number, y: number) => {
    const arr = PDFArray.withContext(ctx);
    arr.push(pageRefs[page]!);
    arr.push(PDFName.of('XYZ'));
    arr.push(num(0));
    arr.push(num(layout.height - y + 4));
    arr.push(PDFNull);
    return arr;
  };
  layout.pages.forEach((p, i) => {
    if (p.links.length === 0) return;
    const annots = PDFArray.withContext(ctx);
    for (const l of p.links) {
      const rect = [l.rect.x, layout.height - l.rect.y - l.rect.h, l.rect.x + l.rect.w, layout.height - l.rect.y].map((v) => Math.round(v * 100) / 100);
      const annot = ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: rect, Border: [0, 0, 0], F: 4 }) as PDFDict;
      if (l.href !== undefined) annot.set(PDFName.of('A'), ctx.obj({ Type: 'Action', S: 'URI', URI: uriString(l.href) }));
      else if (l.dest) annot.set(PDFName.of('Dest'), dest(l.dest.page, l.dest.y));
      annot.set(PDFName.of('P'), pageRefs[i]!);
      annots.push(ctx.register(annot));
    }
    doc.getPage(i).node.set(PDFName.of('Annots'), annots);
  });

  // The outline: sections, each with its plays.
  const tree: { entry: TocEntry; children: TocEntry[] }[] = [];
  for (const e of layout.toc) {
    if (e.kind === 'section' || tree.length === 0) tree.push({ entry: e, children: [] });
    else tree[tree.length - 1]!.children.push(e);
  }
  if (tree.length > 0) {
    const root = ctx.nextRef();
    const build = (nodes: { entry: TocEntry; children: TocEntry[] }[], parent: PDFRef): PDFRef[] => {
      const refs = nodes.map(() => ctx.nextRef());
      nodes.forEach((n, k) => {
        const dict = ctx.obj({}) as PDFDict;
        dict.set(PDFName.of('Title'), PDFHexString.fromText(n.entry.title));
        dict.set(PDFName.of('Parent'), parent);
        if (k > 0) dict.set(PDFName.of('Prev'), refs[k - 1]!);
        if (k < nodes.length - 1) dict.set(PDFName.of('Next'), refs[k + 1]!);
        dict.set(PDFName.of('Dest'), dest(n.entry.page - 1, n.entry.y));
        if (n.children.length > 0) {
          const kids = build(
            n.children.map((ch) => ({ entry: ch, children: [] })),
            refs[k]!,
          );
          dict.set(PDFName.of('First'), kids[0]!);
          dict.set(PDFName.of('Last'), kids[kids.length - 1]!);
          dict.set(PDFName.of('Count'), PDFNumber.of(kids.length));
        }
        ctx.assign(refs[k]!, dict);
      });
      return refs;
    };
    const top = build(tree, root);
    const visible = tree.length + tree.reduce((s, n) => s + n.children.length, 0);
    ctx.assign(root, ctx.obj({ Type: 'Outlines', First: top[0]!, Last: top[top.length - 1]!, Count: visible }));
    doc.catalog.set(PDFName.of('Outlines'), root);
    doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  }
  return serializeContext(ctx, codec.deflate);
}

