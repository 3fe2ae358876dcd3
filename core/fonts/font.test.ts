import type * as fontkit from 'fontkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { FONT_FILES, repoBytes } from '../../test/core-support/files.ts';
import { fontkitFont } from '../../test/core-support/fonts.ts';
import { LoadedFont } from './font.ts';
import { firstDifference } from '../../test/core-support/bytes.ts';

let lato: LoadedFont;
let latoFk: fontkit.Font;
let noto: LoadedFont;
let notoFk: fontkit.Font;

beforeAll(() => {
  lato = new LoadedFont('lato', repoBytes(FONT_FILES['lato-regular']));
  latoFk = fontkitFont('lato-regular');
  noto = new LoadedFont('noto', repoBytes(FONT_FILES['noto-arabic-regular']));
  notoFk = fontkitFont('noto-arabic-regular');
});

describe('LoadedFont', () => {
  it('reads metrics as fontkit does', () => {
    const os2 = latoFk['OS/2'] as { capHeight: number };
    expect(lato.metrics).toEqual({
      unitsPerEm: 2000,
      ascent: latoFk.hhea.ascent,
      descent: Math.abs(latoFk.hhea.descent),
      capHeight: os2.capHeight,
      italicAngle: 0,
      bbox: [latoFk.bbox.minX, latoFk.bbox.minY, latoFk.bbox.maxX, latoFk.bbox.maxY],
      postscriptName: 'Lato-Regular',
      familyName: 'Lato',
      fixedPitch: false,
    });
    expect(lato.numGlyphs).toBe(latoFk.numGlyphs);
    expect(lato.id).toBe('lato');
  });

  it('maps code points to glyph ids, 0 for missing', () => {
    for (const ch of 'Aé€…') expect(lato.glyphId(ch.codePointAt(0)!)).toBe(latoFk.glyphForCodePoint(ch.codePointAt(0)!).id);
    expect(lato.glyphId(0x0634)).toBe(0);
    expect(lato.has(0x0634)).toBe(false);
    expect(noto.has(0x0634)).toBe(true);
    expect(lato.has(0x41)).toBe(true);
  });

  it('advance() is hmtx, and 0 outside the font', () => {
    for (const g of [0, 3, 204, 3025]) expect(lato.advance(g)).toBe(latoFk.getGlyph(g).advanceWidth);
    expect(lato.advance(99999)).toBe(0);
  });

  it('mapSimple maps one glyph per code point, no kerning', () => {
    const glyphs = lato.mapSimple([0x41, 0x56, 0x0634]);
    expect(glyphs).toEqual([
      { gid: latoFk.glyphForCodePoint(0x41).id, advance: latoFk.glyphForCodePoint(0x41).advanceWidth, dx: 0, dy: 0, cps: [0x41] },
      { gid: latoFk.glyphForCodePoint(0x56).id, advance: latoFk.glyphForCodePoint(0x56).advanceWidth, dx: 0, dy: 0, cps: [0x56] },
      { gid: 0, advance: latoFk.getGlyph(0).advanceWidth, dx: 0, dy: 0, cps: [0x0634] },
    ]);
  });

  it('shape() returns fontkit shaping in visual order with positions', () => {
    const word = 'بِسْمِ';
    const run = notoFk.layout(word);
    const shaped = noto.shape(word);
    expect(shaped.map((g) => g.gid)).toEqual(run.glyphs.map((g) => g.id));
    expect(shaped.map((g) => [g.advance, g.dx, g.dy])).toEqual(run.positions.map((p) => [p.xAdvance, p.xOffset, p.yOffset]));
    // Marks are positioned (non-zero offset) on a vowelled word.
    expect(shaped.some((g) => g.dx !== 0 || g.dy !== 0)).toBe(true);
    // Visual order: the first glyph drawn stands for the last letter.
    expect(shaped[0]!.cps).toContain(word.codePointAt(word.length - 1));
  });

  it('subset() caches by glyph set, whatever the order of the set', () => {
    const a = lato.subset(new Set([3, 33, 204]));
    const b = lato.subset(new Set([204, 3, 33]));
    expect(b).toBe(a);
    const c = lato.subset(new Set([3, 33]));
    expect(c).not.toBe(a);
    expect(c.byteLength).toBeLessThan(a.byteLength);
  });

  it('subset() cache is bounded: the least recently used of 33 sets is evicted, and rebuilt identically', () => {
    const f = new LoadedFont('lato2', repoBytes(FONT_FILES['lato-regular']));
    const first = f.subset(new Set([3]));
    const second = f.subset(new Set([4]));
    expect(f.subset(new Set([3]))).toBe(first); // a hit refreshes {3}: {4} is now the oldest
    for (let g = 10; g < 41; g++) f.subset(new Set([g])); // 31 more: 33 sets in total
    expect(f.subset(new Set([3]))).toBe(first);
    const secondAgain = f.subset(new Set([4]));
    expect(secondAgain).not.toBe(second);
    expect(firstDifference(secondAgain, second)).toBe(-1);
  });

  it('refuses CFF-flavoured OpenType with font-unsupported and garbage with font-invalid', () => {
    const otto = new Uint8Array(64);
    otto.set([0x4f, 0x54, 0x54, 0x4f]); // "OTTO"
    try {
      new LoadedFont('inter', otto);
      expect.unreachable();
    } catch (err) {
      expect((err as LockupError).code).toBe('font-unsupported');
    }
    try {
      new LoadedFont('junk', new TextEncoder().encode('definitely not a font, just text'));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LockupError);
      expect((err as LockupError).code).toBe('font-invalid');
    }
  });
});
