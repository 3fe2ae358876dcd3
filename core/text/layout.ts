import bidiFactory from 'bidi-js';
import type { LoadedFont, ShapedGlyph } from '../fonts/font.ts';
import { breaksAnywhere, hasRtl, isNeutral, isRtlScript, isSpace, needsShaping, scriptOf } from './script.ts';

/** The fonts a text zone may draw with. */
export interface FontChoice {
  primary: LoadedFont;
  /** Fallback fonts for a script, tried in order when the primary lacks a glyph. */
  fallbacks: (script: string) => readonly LoadedFont[];
}

export interface ParagraphStyle {
  size: number;
  lineHeight: number;
  align: 'left' | 'center' | 'right';
  valign: 'top' | 'middle' | 'bottom';
  /** 1/1000 em added after every glyph of unshaped runs. */
  letterSpacing: number;
  transform: 'none' | 'uppercase';
  /** Space after each paragraph, in line heights. */
  paragraphSpacing: number;
}

export interface FitOptions {
  multiline: boolean;
  overflow: 'shrink' | 'ellipsis' | 'refuse';
  /** Smallest size shrink-to-fit may reach. */
  minSize?: number;
}

/** A run of glyphs in one font, in visual order, `x` from the left edge of the box. */
export interface GlyphRun {
  font: LoadedFont;
  size: number;
  x: number;
  width: number;
  /** Extra advance after each glyph in points (letter spacing). */
  spacing: number;
  /** Laid out by OpenType shaping (joining scripts): draw it as one string, not glyph by glyph. */
  shaped: boolean;
  /** Right-to-left: glyphs are in visual order, the text they stand for reads the other way. */
  rtl: boolean;
  glyphs: ShapedGlyph[];
}

export interface LaidLine {
  text: string;
  x: number;
  width: number;
  /** Baseline distance from the top of the box, in points. */
  baseline: number;
  runs: GlyphRun[];
}

export interface TextLayout {
  size: number;
  lines: LaidLine[];
  /** Height of the laid-out block in points. */
  height: number;
  /** The text does not fit the box even after the overflow policy. */
  overflow: boolean;
  truncated: boolean;
  /** Code points that no available font can draw. */
  missing: number[];
  /** Ids of fallback fonts that were needed. */
  fallbacks: string[];
}

const bidi = bidiFactory();
const EPS = 0.01;

interface Seg {
  font: LoadedFont;
  level: number;
  shaped: boolean;
  cps: number[];
}

interface Word {
  /** Segments of the word's content (without trailing spaces), logical order. */
  segs: Seg[];
  /** Trailing spaces, logical order. */
  space: Seg[];
  width: number;
  spaceWidth: number;
  text: string;
  hard: boolean; // a forced break follows (end of paragraph)
  paragraphEnd: boolean;
}

interface Measured {
  glyphs: ShapedGlyph[];
  width: number;
}

function measureSeg(seg: Seg, size: number, spacingPt: number): Measured {
  const glyphs = seg.shaped ? seg.font.shape(String.fromCodePoint(...seg.cps)) : seg.font.mapSimple(seg.cps);
  const scale = size / seg.font.metrics.unitsPerEm;
  let width = 0;
  for (const g of glyphs) width += g.advance * scale + (seg.shaped ? 0 : spacingPt);
  return { glyphs, width };
}

/** Assigns a font and bidi level to every code point, and records what no font can draw. */
function assignFonts(cps: number[], levels: number[], fonts: FontChoice, missing: Set<number>, used: Set<string>): Seg[] {
  const segs: Seg[] = [];
  let prev: LoadedFont | undefined;
  cps.forEach((cp, i) => {
    let font: LoadedFont | undefined;
    if (prev && isNeutral(cp) && prev.has(cp)) font = prev;
    else if (fonts.primary.has(cp)) font = fonts.primary;
    else {
      font = fonts.fallbacks(scriptOf(cp)).find((f) => f.has(cp));
      if (font) used.add(font.id);
      else if (!isSpace(cp) && cp >= 0x20) missing.add(cp);
    }
    font ??= fonts.primary;
    const level = levels[i] ?? 0;
    const script = scriptOf(cp);
    const shaped = needsShaping(script) || (font !== fonts.primary && isRtlScript(script));
    const last = segs[segs.length - 1];
    if (last && last.font === font && last.level === level && (last.shaped === shaped || isNeutral(cp))) last.cps.push(cp);
    else segs.push({ font, level, shaped, cps: [cp] });
    prev = font;
  });
  return segs;
}

function splitWords(text: string, fonts: FontChoice, missing: Set<number>, used: Set<string>): Word[] {
  const cps = [...text].map((c) => c.codePointAt(0)!);
  let levels: number[] = cps.map(() => 0);
  if (hasRtl(text)) {
    const emb = bidi.getEmbeddingLevels(text, 'auto');
    let unit = 0;
    levels = cps.map((cp) => {
      const l = emb.levels[unit] ?? 0;
      unit += cp > 0xffff ? 2 : 1;
      return l;
    });
  }
  const words: Word[] = [];
  let i = 0;
  while (i < cps.length) {
    let j = i;
    if (breaksAnywhere(cps[j]!)) j++;
    else while (j < cps.length && !isSpace(cps[j]!) && !breaksAnywhere(cps[j]!)) j++;
    let k = j;
    while (k < cps.length && isSpace(cps[k]!)) k++;
    const content = assignFonts(cps.slice(i, j), levels.slice(i, j), fonts, missing, used);
    const space = assignFonts(cps.slice(j, k), levels.slice(j, k), fonts, missing, used);
    words.push({ segs: content, space, width: 0, spaceWidth: 0, text: String.fromCodePoint(...cps.slice(i, k)), hard: false, paragraphEnd: false });
    i = k;
  }
  return words;
}

interface LineDraft {
  words: Word[];
  width: number;
  paragraphEnd: boolean;
}

function measureWords(words: Word[], size: number, spacingPt: number): void {
  for (const w of words) {
    w.width = w.segs.reduce((s, seg) => s + measureSeg(seg, size, spacingPt).width, 0);
    w.spaceWidth = w.space.reduce((s, seg) => s + measureSeg(seg, size, spacingPt).width, 0);
  }
}

/** Splits a word too wide for the box into pieces that fit (an emergency break). */
function breakWord(word: Word, maxWidth: number, size: number, spacingPt: number): Word[] {
  const pieces: Word[] = [];
  let current: Seg[] = [];
  let width = 0;
  let text = '';
  const flush = () => {
    if (current.length > 0) pieces.push({ segs: current, space: [], width, spaceWidth: 0, text, hard: false, paragraphEnd: false });
    current = [];
    width = 0;
    text = '';
  };
  for (const seg of word.segs) {
    for (const cp of seg.cps) {
      const one: Seg = { ...seg, cps: [cp] };
      const w = measureSeg(one, size, spacingPt).width;
      if (width + w > maxWidth + EPS && current.length > 0) flush();
      const last = current[current.length - 1];
      if (last && last.font === seg.font && last.level === seg.level && last.shaped === seg.shaped) last.cps.push(cp);
      else current.push(one);
      width += w;
      text += String.fromCodePoint(cp);
    }
  }
  flush();
  const tail = pieces[pieces.length - 1];
  if (tail) {
    tail.space = word.space;
    tail.spaceWidth = word.spaceWidth;
  }
  return pieces;
}

function wrap(paragraphs: Word[][], maxWidth: number, multiline: boolean, size: number, spacingPt: number): { lines: LineDraft[]; broke: boolean } {
  const lines: LineDraft[] = [];
  let broke = false;
  for (const para of paragraphs) {
    let line: LineDraft = { words: [], width: 0, paragraphEnd: false };
    let pendingSpace = 0;
    const push = () => {
      lines.push(line);
      line = { words: [], width: 0, paragraphEnd: false };
      pendingSpace = 0;
    };
    const queue = [...para];
    while (queue.length > 0) {
      const word = queue.shift()!;
      if (!multiline) {
        line.width += pendingSpace + word.width;
        line.words.push(word);
        pendingSpace = word.spaceWidth;
        continue;
      }
      if (line.words.length > 0 && line.width + pendingSpace + word.width > maxWidth + EPS) push();
      if (line.words.length === 0 && word.width > maxWidth + EPS) {
        const pieces = breakWord(word, maxWidth, size, spacingPt);
        if (pieces.length > 1) {
          broke = true;
          queue.unshift(...pieces);
          continue;
        }
      }
      line.width += pendingSpace + word.width;
      line.words.push(word);
      pendingSpace = word.spaceWidth;
    }
    line.paragraphEnd = true;
    push();
  }
  return { lines, broke };
}

/** Orders a line's runs visually (UAX #9 rule L2 at run granularity) and positions them. */
function placeLine(draft: LineDraft, size: number, spacingPt: number): { runs: GlyphRun[]; width: number; text: string } {
  const segs: Seg[] = [];
  draft.words.forEach((w, i) => {
    segs.push(...w.segs);
    if (i < draft.words.length - 1) segs.push(...w.space);
  });
  const items = segs.map((seg) => {
    const m = measureSeg(seg, size, spacingPt);
    // Shaped right-to-left runs come back in visual order; return them to logical order first.
    const glyphs = seg.shaped && seg.level % 2 === 1 ? [...m.glyphs].reverse() : m.glyphs;
    return { seg, glyphs, width: m.width, flips: 0 };
  });
  const maxLevel = Math.max(0, ...items.map((it) => it.seg.level));
  const minOdd = items.reduce((min, it) => (it.seg.level % 2 === 1 ? Math.min(min, it.seg.level) : min), Infinity);
  let order = items;
  for (let lvl = maxLevel; lvl >= minOdd && lvl > 0; lvl--) {
    const next: typeof items = [];
    let i = 0;
    while (i < order.length) {
      if (order[i]!.seg.level >= lvl) {
        let j = i;
        while (j < order.length && order[j]!.seg.level >= lvl) j++;
        const slice = order.slice(i, j).reverse();
        for (const it of slice) it.flips++;
        next.push(...slice);
        i = j;
      } else next.push(order[i++]!);
    }
    order = next;
  }
  let x = 0;
  const runs: GlyphRun[] = [];
  for (const it of order) {
    const glyphs = it.flips % 2 === 1 ? [...it.glyphs].reverse() : it.glyphs;
    const spacing = it.seg.shaped ? 0 : spacingPt;
    const rtl = it.seg.level % 2 === 1;
    const prev = runs[runs.length - 1];
    if (prev && prev.font === it.seg.font && prev.spacing === spacing && prev.shaped === it.seg.shaped && prev.rtl === rtl) {
      prev.glyphs = prev.glyphs.concat(glyphs);
      prev.width += it.width;
    } else runs.push({ font: it.seg.font, size, x, width: it.width, spacing, shaped: it.seg.shaped, rtl, glyphs });
    x += it.width;
  }
  return { runs, width: x, text: draft.words.map((w) => w.text).join('').trimEnd() };
}

interface Attempt {
  drafts: LineDraft[];
  broke: boolean;
  height: number;
  widest: number;
}

function lineAdvance(style: ParagraphStyle, size: number): number {
  return style.lineHeight * size;
}

function blockHeight(drafts: LineDraft[], style: ParagraphStyle, size: number): number {
  const lh = lineAdvance(style, size);
  let h = 0;
  drafts.forEach((d, i) => {
    h += lh;
    if (d.paragraphEnd && i < drafts.length - 1) h += style.paragraphSpacing * lh;
  });
  return h;
}

function prepare(text: string, style: ParagraphStyle, multiline: boolean, fonts: FontChoice, missing: Set<number>, used: Set<string>): Word[][] {
  let t = text.normalize('NFC').replace(/\r\n?/g, '\n');
  if (style.transform === 'uppercase') t = t.toUpperCase();
  if (!multiline) t = t.replace(/\s*\n\s*/g, ' ');
  return t.split('\n').map((p) => splitWords(p, fonts, missing, used));
}

function attempt(paragraphs: Word[][], style: ParagraphStyle, size: number, box: { width: number }, multiline: boolean): Attempt {
  const spacingPt = (style.letterSpacing / 1000) * size;
  for (const p of paragraphs) measureWords(p, size, spacingPt);
  const { lines, broke } = wrap(paragraphs, box.width, multiline, size, spacingPt);
  const widest = Math.max(0, ...lines.map((l) => l.width));
  return { drafts: lines, broke, height: blockHeight(lines, style, size), widest };
}

function fits(a: Attempt, box: { width: number; height: number }, allowBreaks: boolean): boolean {
  return a.height <= box.height + EPS && a.widest <= box.width + EPS && (allowBreaks || !a.broke);
}

/**
 * Lays out text in a box with the fonts' real metrics: greedy wrapping on
 * spaces (and between CJK characters), bidi reordering, shaping where the
 * script needs it, and the zone's overflow policy. The same function feeds
 * the PDF writer and the editor canvas, so both break lines identically.
 */
export function layoutText(text: string, style: ParagraphStyle, fonts: FontChoice, box: { width: number; height: number }, fit: FitOptions): TextLayout {
  const missing = new Set<number>();
  const used = new Set<string>();
  const paragraphs = prepare(text, style, fit.multiline, fonts, missing, used);
  let size = style.size;
  let a = attempt(paragraphs, style, size, box, fit.multiline);
  let overflow = false;
  let truncated = false;

  if (fit.overflow === 'shrink' && !fits(a, box, false)) {
    const min = Math.min(fit.minSize ?? style.size * 0.5, style.size);
    // Largest size on a 0.25 pt grid that fits without breaking words.
    let lo = Math.ceil(min * 4);
    let hi = Math.floor(style.size * 4) - 1;
    let best: { size: number; a: Attempt } | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = mid / 4;
      const trial = attempt(paragraphs, style, s, box, fit.multiline);
      if (fits(trial, box, false)) {
        best = { size: s, a: trial };
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best) {
      size = best.size;
      a = best.a;
    } else {
      size = min;
      a = attempt(paragraphs, style, size, box, fit.multiline);
      overflow = !fits(a, box, true);
    }
  } else if (!fits(a, box, true)) {
    if (fit.overflow === 'ellipsis') {
      a = ellipsize(a, style, size, box, fonts);
      truncated = true;
      overflow = !fits(a, box, true);
    } else overflow = true;
  }

  const spacingPt = (style.letterSpacing / 1000) * size;
  const lh = lineAdvance(style, size);
  const { ascent, descent, unitsPerEm } = fonts.primary.metrics;
  const baselineInBox = ((style.lineHeight - (ascent + descent) / unitsPerEm) / 2 + ascent / unitsPerEm) * size;
  const offset = style.valign === 'top' ? 0 : style.valign === 'middle' ? (box.height - a.height) / 2 : box.height - a.height;
  let top = offset;
  const lines: LaidLine[] = a.drafts.map((d) => {
    const placed = placeLine(d, size, spacingPt);
    const x = style.align === 'left' ? 0 : style.align === 'center' ? (box.width - placed.width) / 2 : box.width - placed.width;
    const line: LaidLine = { text: placed.text, x, width: placed.width, baseline: top + baselineInBox, runs: placed.runs.map((r) => ({ ...r, x: r.x + x })) };
    top += lh + (d.paragraphEnd ? style.paragraphSpacing * lh : 0);
    return line;
  });
  return { size, lines, height: a.height, overflow, truncated, missing: [...missing], fallbacks: [...used] };
}

function ellipsize(a: Attempt, style: ParagraphStyle, size: number, box: { width: number; height: number }, fonts: FontChoice): Attempt {
  const spacingPt = (style.letterSpacing / 1000) * size;
  const lh = lineAdvance(style, size);
  const maxLines = Math.max(1, Math.floor((box.height + EPS) / lh));
  const kept = a.drafts.slice(0, maxLines);
  const last = kept[kept.length - 1];
  if (!last) return a;
  const ellipsisChar = fonts.primary.has(0x2026) ? '\u2026' : '...';
  const [ellipsisWord] = splitWords(ellipsisChar, fonts, new Set(), new Set());
  measureWords([ellipsisWord!], size, spacingPt);
  // Drop whole words, then characters, until the line and the ellipsis fit.
  const words = [...last.words];
  const widthOf = (ws: Word[]) => ws.reduce((s, w, i) => s + w.width + (i < ws.length - 1 ? w.spaceWidth : 0), 0);
  while (words.length > 1 && widthOf(words) + ellipsisWord!.width > box.width + EPS) words.pop();
  const tail = words.pop();
  if (tail) {
    const room = box.width - widthOf(words) - (words.length > 0 ? words[words.length - 1]!.spaceWidth : 0) - ellipsisWord!.width;
    const trimmed = trimWord(tail, room, size, spacingPt);
    if (trimmed) words.push(trimmed);
  }
  words.push(ellipsisWord!);
  const line: LineDraft = { words, width: widthOf(words), paragraphEnd: true };
  const drafts = [...kept.slice(0, -1), line];
  return { drafts, broke: a.broke, height: blockHeight(drafts, style, size), widest: Math.max(...drafts.map((d) => d.width)) };
}

function trimWord(word: Word, room: number, size: number, spacingPt: number): Word | undefined {
  if (room <= 0) return undefined;
  const pieces = breakWord({ ...word, space: [], spaceWidth: 0 }, room, size, spacingPt);
  const first = pieces[0];
  if (!first || first.width > room + EPS) return undefined;
  return { ...first, space: [], spaceWidth: 0 };
}
