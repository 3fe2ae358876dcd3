import type * as fontkit from 'fontkit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedFont } from '../fonts/font.ts';
import { repoText } from '../../test/core-support/files.ts';
import { fontkitFont, loadFont, simpleWidth } from '../../test/core-support/fonts.ts';
import { layoutText, type FitOptions, type FontChoice, type ParagraphStyle, type TextLayout } from './layout.ts';

let lato: LoadedFont;
let latoFk: fontkit.Font;
let noto: LoadedFont;
let notoFk: fontkit.Font;
let liberation: LoadedFont;
let liberationFk: fontkit.Font;

beforeAll(() => {
  lato = loadFont('lato-regular', 'lato');
  latoFk = fontkitFont('lato-regular');
  noto = loadFont('noto-arabic-regular', 'noto-arabic');
  notoFk = fontkitFont('noto-arabic-regular');
  liberation = loadFont('liberation-regular', 'liberation');
  liberationFk = fontkitFont('liberation-regular');
});

const style = (over: Partial<ParagraphStyle> = {}): ParagraphStyle => ({
  size: 12,
  lineHeight: 1.2,
  align: 'left',
  valign: 'top',
  letterSpacing: 0,
  transform: 'none',
  paragraphSpacing: 0,
  ...over,
});

const only = (primary: LoadedFont): FontChoice => ({ primary, fallbacks: () => [] });
const withArabic = (): FontChoice => ({ primary: lato, fallbacks: (s) => (s === 'Arabic' ? [noto] : []) });
const multi = (overflow: FitOptions['overflow'] = 'refuse', minSize?: number): FitOptions => ({ multiline: true, overflow, ...(minSize !== undefined ? { minSize } : {}) });
const single = (overflow: FitOptions['overflow'] = 'refuse', minSize?: number): FitOptions => ({ multiline: false, overflow, ...(minSize !== undefined ? { minSize } : {}) });

/** The CSS line-box baseline offset inside a line, from fontkit's hhea values. */
function baselineInLine(fk: fontkit.Font, size: number, lineHeight: number): number {
  const ascent = fk.hhea.ascent;
  const descent = Math.abs(fk.hhea.descent);
  return ((lineHeight - (ascent + descent) / fk.unitsPerEm) / 2 + ascent / fk.unitsPerEm) * size;
}

/** [font id, glyph id] of every glyph in visual order (runs sorted by x). */
function visualGlyphs(layout: TextLayout, line = 0): [string, number][] {
  const runs = [...layout.lines[line]!.runs].sort((a, b) => a.x - b.x);
  return runs.flatMap((r) => r.glyphs.map((g) => [r.font.id, g.gid] as [string, number]));
}

const simpleGids = (fk: fontkit.Font, text: string) => [...text].map((c) => fk.glyphForCodePoint(c.codePointAt(0)!).id);

describe('greedy wrapping of the benchmark body (Liberation Sans 11 pt, 540 pt)', () => {
  const workload = JSON.parse(repoText('bench/workload.json')) as { body: { paragraphs: string[]; size: number; lineHeight: number; width: number }; text: { lineBox: string } };
  const body = workload.body;
  let layout: TextLayout;

  beforeAll(() => {
    layout = layoutText(body.paragraphs.join('\n'), style({ size: body.size, lineHeight: body.lineHeight, paragraphSpacing: 1 }), only(liberation), { width: body.width, height: 5000 }, multi());
  });

  it('fits without overflow at the given size', () => {
    expect(body.size).toBe(11);
    expect(body.width).toBe(540);
    expect(layout.size).toBe(11);
    expect(layout.overflow).toBe(false);
    expect(layout.truncated).toBe(false);
    expect(layout.missing).toEqual([]);
    expect(layout.lines.length).toBeGreaterThan(12);
  });

  it('keeps every word, in order, per paragraph', () => {
    const words = body.paragraphs.join(' ').split(' ');
    expect(layout.lines.flatMap((l) => l.text.split(' '))).toEqual(words);
  });

  it('each line is no wider than 540 pt, and adding the next word would exceed 540 pt (widths from fontkit)', () => {
    const w = (t: string) => simpleWidth(liberationFk, t, 11);
    // Lines per paragraph, in order.
    let li = 0;
    for (const para of body.paragraphs) {
      const paraLines: string[] = [];
      let words = 0;
      const total = para.split(' ').length;
      while (words < total) {
        const text = layout.lines[li++]!.text;
        paraLines.push(text);
        words += text.split(' ').length;
      }
      expect(paraLines.join(' ')).toBe(para);
      paraLines.forEach((text, i) => {
        expect(w(text)).toBeLessThanOrEqual(540);
        const next = paraLines[i + 1]?.split(' ')[0];
        if (next !== undefined) expect(w(`${text} ${next}`)).toBeGreaterThan(540);
      });
    }
    expect(li).toBe(layout.lines.length);
  });

  it('reports each line width as the sum of its glyph advances', () => {
    for (const line of layout.lines) {
      expect(line.width).toBeCloseTo(simpleWidth(liberationFk, line.text, 11), 6);
      expect(line.x).toBe(0);
    }
  });

  it('places baselines on the CSS line-box model with one empty line box between paragraphs', () => {
    // "CSS model: baseline = top + ((lineHeight - (ascent+descent))/2 + ascent) * size, hhea ascent 1854/2048, descent 434/2048"
    const m = /ascent (\d+)\/(\d+), descent (\d+)\/(\d+)/.exec(workload.text.lineBox)!;
    const [ascent, upm, descent] = [Number(m[1]) / Number(m[2]), Number(m[2]), Number(m[3]) / Number(m[4])];
    expect(upm).toBe(2048);
    const lh = 1.2 * 11;
    const first = ((1.2 - (ascent + descent)) / 2 + ascent) * 11;
    expect(baselineInLine(liberationFk, 11, 1.2)).toBeCloseTo(first, 10); // fontkit agrees with the workload's numbers
    let top = 0;
    let li = 0;
    for (const para of body.paragraphs) {
      let words = 0;
      const total = para.split(' ').length;
      while (words < total) {
        const line = layout.lines[li++]!;
        expect(line.baseline).toBeCloseTo(top + first, 6);
        words += line.text.split(' ').length;
        top += lh;
      }
      top += lh; // paragraphSpacing 1
    }
    expect(layout.height).toBeCloseTo(top - lh, 6);
  });

  it('is deterministic', () => {
    const again = layoutText(body.paragraphs.join('\n'), style({ size: 11, paragraphSpacing: 1 }), only(liberation), { width: 540, height: 5000 }, multi());
    expect(again.lines.map((l) => [l.text, l.baseline])).toEqual(layout.lines.map((l) => [l.text, l.baseline]));
  });
});

describe('paragraphs and line breaks', () => {
  it('hard line breaks start paragraphs; paragraphSpacing adds line heights after each but the last', () => {
    const l = layoutText('One\r\nTwo\rThree', style({ size: 10, lineHeight: 1.5, paragraphSpacing: 0.5 }), only(lato), { width: 300, height: 300 }, multi());
    expect(l.lines.map((x) => x.text)).toEqual(['One', 'Two', 'Three']);
    const lh = 15;
    const b0 = baselineInLine(latoFk, 10, 1.5);
    expect(l.lines.map((x) => x.baseline)).toEqual([b0, b0 + lh * 1.5, b0 + lh * 3].map((v) => expect.closeTo(v, 9)));
    expect(l.height).toBeCloseTo(3 * lh + 2 * 0.5 * lh, 9);
  });

  it('single-line mode joins lines with a space and never wraps', () => {
    const l = layoutText('Call us\n  today for a quote', style(), only(lato), { width: 40, height: 100 }, single());
    expect(l.lines).toHaveLength(1);
    expect(l.lines[0]!.text).toBe('Call us today for a quote');
    expect(l.overflow).toBe(true); // wider than 40 pt, refuse policy
  });

  it('empty text lays out one empty line', () => {
    const l = layoutText('', style(), only(lato), { width: 100, height: 100 }, multi());
    expect(l.lines).toHaveLength(1);
    expect(l.lines[0]!.width).toBe(0);
    expect(l.overflow).toBe(false);
  });

  it('multiple spaces between words are kept inside a line and dropped at the line end', () => {
    const l = layoutText('a  b   ', style(), only(lato), { width: 300, height: 100 }, multi());
    expect(l.lines[0]!.text).toBe('a  b');
    expect(l.lines[0]!.width).toBeCloseTo(simpleWidth(latoFk, 'a  b', 12), 9);
  });
});

describe('alignment', () => {
  const text = 'Short line\nA somewhat longer line';
  const box = { width: 300, height: 200 };

  it('center and right offset each line by the free space', () => {
    for (const align of ['center', 'right'] as const) {
      const l = layoutText(text, style({ align }), only(lato), box, multi());
      for (const line of l.lines) {
        const w = simpleWidth(latoFk, line.text, 12);
        const expected = align === 'center' ? (300 - w) / 2 : 300 - w;
        expect(line.x).toBeCloseTo(expected, 9);
        expect(line.runs[0]!.x).toBeCloseTo(expected, 9);
      }
    }
  });

  it('valign middle and bottom move the block down by half / all of the free height', () => {
    const lh = 1.2 * 12;
    const b0 = baselineInLine(latoFk, 12, 1.2);
    const top = layoutText(text, style(), only(lato), box, multi());
    const mid = layoutText(text, style({ valign: 'middle' }), only(lato), box, multi());
    const bottom = layoutText(text, style({ valign: 'bottom' }), only(lato), box, multi());
    expect(top.height).toBeCloseTo(2 * lh, 9);
    expect(top.lines[0]!.baseline).toBeCloseTo(b0, 9);
    expect(mid.lines[0]!.baseline).toBeCloseTo((200 - 2 * lh) / 2 + b0, 9);
    expect(bottom.lines[0]!.baseline).toBeCloseTo(200 - 2 * lh + b0, 9);
    expect(bottom.lines[1]!.baseline).toBeCloseTo(200 - lh + b0, 9);
  });
});

describe('overflow policies', () => {
  const longText = 'Protect every laptop and server your team relies on';

  it('shrink (single line) finds the largest 0.25 pt size that fits, and size + 0.25 does not', () => {
    const box = { width: 320, height: 40 };
    const l = layoutText(longText, style({ size: 24 }), only(lato), box, single('shrink'));
    const unitsWide = simpleWidth(latoFk, longText, latoFk.unitsPerEm);
    // Independent answer: width scales linearly with size; height is 1.2 × size.
    const expected = Math.floor(Math.min((320 * latoFk.unitsPerEm) / unitsWide, 40 / 1.2) * 4) / 4;
    expect(expected).toBeGreaterThan(12); // above the default minimum (half of 24)
    expect(expected).toBeLessThan(24);
    expect(l.size).toBe(expected);
    expect(l.size * 4).toBe(Math.round(l.size * 4));
    expect(l.overflow).toBe(false);
    expect(simpleWidth(latoFk, longText, l.size)).toBeLessThanOrEqual(320);
    expect(simpleWidth(latoFk, longText, l.size + 0.25)).toBeGreaterThan(320);
    expect(l.lines[0]!.width).toBeCloseTo(simpleWidth(latoFk, longText, l.size), 9);
  });

  it('shrink (multiline) picks a size that fits while size + 0.25 overflows', () => {
    const box = { width: 150, height: 60 };
    const st = style({ size: 20 });
    const l = layoutText(longText, st, only(lato), box, multi('shrink'));
    expect(l.size).toBeLessThan(20);
    expect(l.overflow).toBe(false);
    expect(l.height).toBeLessThanOrEqual(60);
    for (const line of l.lines) expect(simpleWidth(latoFk, line.text, l.size)).toBeLessThanOrEqual(150);
    const bigger = layoutText(longText, { ...st, size: l.size + 0.25 }, only(lato), box, multi('refuse'));
    expect(bigger.overflow || bigger.lines.some((x) => !x.text.includes(' ') && simpleWidth(latoFk, x.text, l.size + 0.25) > 150)).toBe(true);
    expect(bigger.height).toBeGreaterThan(60);
  });

  it('shrink keeps the size when the text fits', () => {
    const l = layoutText('Hi', style({ size: 24 }), only(lato), { width: 200, height: 40 }, single('shrink'));
    expect(l.size).toBe(24);
  });

  it('shrink stops at minSize and reports overflow when even that does not fit', () => {
    const l = layoutText(longText, style({ size: 24 }), only(lato), { width: 60, height: 20 }, single('shrink', 10));
    expect(l.size).toBe(10);
    expect(l.overflow).toBe(true);
    // Default minimum: half the style size.
    const d = layoutText(longText, style({ size: 24 }), only(lato), { width: 60, height: 20 }, single('shrink'));
    expect(d.size).toBe(12);
    expect(d.overflow).toBe(true);
  });

  it('ellipsis shortens the line so that it ends with … and fits', () => {
    const box = { width: 120, height: 20 };
    const l = layoutText(longText, style(), only(lato), box, single('ellipsis'));
    expect(l.truncated).toBe(true);
    expect(l.overflow).toBe(false);
    expect(l.size).toBe(12);
    expect(l.lines).toHaveLength(1);
    const line = l.lines[0]!;
    expect(line.text.endsWith('\u2026')).toBe(true);
    expect(line.width).toBeLessThanOrEqual(120 + 1e-9);
    expect(line.width).toBeCloseTo(simpleWidth(latoFk, line.text, 12), 9);
    expect(longText.startsWith(line.text.slice(0, -1).trimEnd())).toBe(true);
    // Whole words are kept greedily: the next word would not have fitted before the ellipsis.
    const kept = line.text.slice(0, -1);
    const words = longText.split(' ');
    const n = kept.split(' ').length;
    expect(kept).toBe(words.slice(0, n).join(' '));
    expect(simpleWidth(latoFk, `${kept} ${words[n]}\u2026`, 12)).toBeGreaterThan(120);
    // The last glyph drawn is the font's ellipsis.
    const glyphs = line.runs.flatMap((r) => r.glyphs);
    expect(glyphs[glyphs.length - 1]!.gid).toBe(latoFk.glyphForCodePoint(0x2026).id);
  });

  it('ellipsis cuts inside a single word that is too wide on its own', () => {
    const l = layoutText('Extraordinarily', style(), only(lato), { width: 40, height: 20 }, single('ellipsis'));
    const text = l.lines[0]!.text;
    expect(l.truncated).toBe(true);
    expect(l.overflow).toBe(false);
    expect(text.endsWith('\u2026')).toBe(true);
    expect(text.length).toBeGreaterThan(1);
    expect('Extraordinarily'.startsWith(text.slice(0, -1))).toBe(true);
    expect(simpleWidth(latoFk, text, 12)).toBeLessThanOrEqual(40);
    // One more letter would not fit.
    expect(simpleWidth(latoFk, 'Extraordinarily'.slice(0, text.length) + '\u2026', 12)).toBeGreaterThan(40);
  });

  it('ellipsis in a multiline box keeps the lines that fit and ends the last with …', () => {
    const box = { width: 100, height: 30 }; // room for two lines of 14.4 pt
    expect(layoutText(longText, style(), only(lato), { width: 100, height: 1000 }, multi()).lines.length).toBeGreaterThan(2);
    const l = layoutText(longText, style(), only(lato), box, multi('ellipsis'));
    expect(l.truncated).toBe(true);
    expect(l.overflow).toBe(false);
    expect(l.lines).toHaveLength(2);
    expect(l.lines[1]!.text.endsWith('\u2026')).toBe(true);
    expect(l.height).toBeLessThanOrEqual(30);
    for (const line of l.lines) expect(line.width).toBeLessThanOrEqual(100 + 1e-9);
    const full = layoutText(longText, style(), only(lato), { width: 100, height: 1000 }, multi());
    expect(l.lines[0]!.text).toBe(full.lines[0]!.text);
  });

  it('refuse keeps the size and sets overflow', () => {
    const l = layoutText(longText, style({ size: 24 }), only(lato), { width: 100, height: 30 }, multi('refuse'));
    expect(l.size).toBe(24);
    expect(l.overflow).toBe(true);
    expect(l.truncated).toBe(false);
    expect(l.lines.map((x) => x.text).join(' ')).toBe(longText);
  });

  it('a long URL in a narrow box is broken inside the word (emergency break)', () => {
    const url = 'https://www.example.com/products/backup/enterprise-edition?ref=partner';
    const box = { width: 80, height: 500 };
    const l = layoutText(url, style({ size: 10 }), only(lato), box, multi('refuse'));
    expect(l.overflow).toBe(false);
    expect(l.lines.length).toBeGreaterThan(2);
    expect(l.lines.map((x) => x.text).join('')).toBe(url);
    l.lines.forEach((line, i) => {
      const w = simpleWidth(latoFk, line.text, 10);
      expect(w).toBeLessThanOrEqual(80 + 0.01);
      const next = l.lines[i + 1];
      if (next) expect(simpleWidth(latoFk, line.text + next.text[0], 10)).toBeGreaterThan(80);
    });
  });
});

describe('letter spacing and transforms', () => {
  it('uppercase transform draws upper-case glyphs', () => {
    const l = layoutText('hello world', style({ transform: 'uppercase' }), only(lato), { width: 300, height: 50 }, single());
    expect(l.lines[0]!.text).toBe('HELLO WORLD');
    expect(visualGlyphs(l).map(([, g]) => g)).toEqual(simpleGids(latoFk, 'HELLO WORLD'));
  });

  it('letterSpacing widens a line by (glyphs × spacing) and is recorded on the run', () => {
    const text = 'AB CD';
    const plain = layoutText(text, style({ size: 20 }), only(lato), { width: 500, height: 50 }, single());
    const spaced = layoutText(text, style({ size: 20, letterSpacing: 100 }), only(lato), { width: 500, height: 50 }, single());
    const spacingPt = (100 / 1000) * 20;
    expect(spaced.lines[0]!.width - plain.lines[0]!.width).toBeCloseTo(5 * spacingPt, 9);
    expect(spaced.lines[0]!.width).toBeCloseTo(simpleWidth(latoFk, text, 20, spacingPt), 9);
    expect(spaced.lines[0]!.runs.every((r) => r.spacing === spacingPt)).toBe(true);
    expect(plain.lines[0]!.runs.every((r) => r.spacing === 0)).toBe(true);
  });

  it('negative letterSpacing narrows the line', () => {
    const l = layoutText('WWW', style({ size: 10, letterSpacing: -50 }), only(lato), { width: 500, height: 50 }, single());
    expect(l.lines[0]!.width).toBeCloseTo(simpleWidth(latoFk, 'WWW', 10, -0.5), 9);
  });
});

describe('missing glyphs, fallbacks and bidi', () => {
  it('reports code points no font can draw (Japanese with Lato), but not spaces', () => {
    const l = layoutText('日本 語', style(), only(lato), { width: 300, height: 50 }, single());
    expect(l.missing.sort()).toEqual([0x65e5, 0x672c, 0x8a9e].sort());
    expect(l.fallbacks).toEqual([]);
  });

  it('CJK text breaks between any two characters (no spaces needed)', () => {
    const text = '東京都渋谷区神南一丁目';
    const notdef = simpleWidth(latoFk, '東', 12); // every character draws as .notdef with Lato
    const l = layoutText(text, style(), only(lato), { width: notdef * 3.5, height: 500 }, multi());
    expect(l.lines.map((x) => x.text)).toEqual(['東京都', '渋谷区', '神南一', '丁目']);
    expect(new Set(l.missing).size).toBe(new Set(text).size);
  });

  it('Arabic without a fallback is missing; with Noto Sans Arabic nothing is missing and the fallback is reported', () => {
    const text = 'مرحبا بالعالم';
    const without = layoutText(text, style(), only(lato), { width: 300, height: 50 }, single());
    const letters = new Set([...text.replace(/ /g, '')].map((c) => c.codePointAt(0)!));
    expect(new Set(without.missing)).toEqual(letters);
    const withFb = layoutText(text, style(), withArabic(), { width: 300, height: 50 }, single());
    expect(withFb.missing).toEqual([]);
    expect(withFb.fallbacks).toEqual(['noto-arabic']);
  });

  it('an RTL paragraph is drawn in visual order: the leftmost run is the last word, each word shaped as fontkit shapes it', () => {
    const [w1, w2] = ['مرحبا', 'بالعالم'];
    const l = layoutText(`${w1} ${w2}`, style(), withArabic(), { width: 300, height: 50 }, single());
    const runs = [...l.lines[0]!.runs].sort((a, b) => a.x - b.x);
    expect(runs.map((r) => r.font.id)).toEqual(['noto-arabic', 'lato', 'noto-arabic']);
    const shaped = (w: string) => notoFk.layout(w).glyphs.map((g) => g.id);
    expect(runs[0]!.glyphs.map((g) => g.gid)).toEqual(shaped(w2));
    expect(runs[1]!.glyphs.map((g) => g.gid)).toEqual([latoFk.glyphForCodePoint(0x20).id]);
    expect(runs[2]!.glyphs.map((g) => g.gid)).toEqual(shaped(w1));
    // Runs abut, and their widths are fontkit's shaped advances.
    const adv = (w: string) => notoFk.layout(w).positions.reduce((s, p) => s + p.xAdvance, 0) * (12 / notoFk.unitsPerEm);
    expect(runs[0]!.x).toBe(0);
    expect(runs[0]!.width).toBeCloseTo(adv(w2), 9);
    expect(runs[1]!.x).toBeCloseTo(adv(w2), 9);
    expect(runs[2]!.x).toBeCloseTo(adv(w2) + simpleWidth(latoFk, ' ', 12), 9);
    expect(l.lines[0]!.width).toBeCloseTo(adv(w1) + adv(w2) + simpleWidth(latoFk, ' ', 12), 9);
  });

  it('mixed "Al Noor شركة" (LTR paragraph): Latin first, then the Arabic word shaped in visual order', () => {
    const l = layoutText('Al Noor شركة', style(), withArabic(), { width: 300, height: 50 }, single());
    const expected: [string, number][] = [
      ...simpleGids(latoFk, 'Al Noor ').map((g) => ['lato', g] as [string, number]),
      ...notoFk.layout('شركة').glyphs.map((g) => ['noto-arabic', g.id] as [string, number]),
    ];
    expect(visualGlyphs(l)).toEqual(expected);
    expect(l.missing).toEqual([]);
  });

  it('mixed "شركة Al Noor" (RTL paragraph): "Al Noor" stays left-to-right, to the left of the Arabic word', () => {
    const l = layoutText('شركة Al Noor', style(), withArabic(), { width: 300, height: 50 }, single());
    const expected: [string, number][] = [
      ...simpleGids(latoFk, 'Al Noor ').map((g) => ['lato', g] as [string, number]),
      ...notoFk.layout('شركة').glyphs.map((g) => ['noto-arabic', g.id] as [string, number]),
    ];
    expect(visualGlyphs(l)).toEqual(expected);
  });

  it('wraps an Arabic paragraph on spaces with each line in visual order', () => {
    const words = ['مرحبا', 'بالعالم', 'شركة', 'النور'];
    const box = { width: 70, height: 200 };
    const l = layoutText(words.join(' '), style(), withArabic(), box, multi());
    expect(l.lines.length).toBeGreaterThan(1);
    expect(l.lines.map((x) => x.text).join(' ')).toBe(words.join(' '));
    for (const line of l.lines) {
      expect(line.width).toBeLessThanOrEqual(70 + 0.01);
      // The leftmost glyphs are those of the logically last word on the line.
      const lastWord = line.text.split(' ').pop()!;
      const shaped = notoFk.layout(lastWord).glyphs.map((g) => g.id);
      expect(visualGlyphs(l, l.lines.indexOf(line)).slice(0, shaped.length).map(([, g]) => g)).toEqual(shaped);
    }
  });
});
