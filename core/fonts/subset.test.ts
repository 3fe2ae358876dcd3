import type * as fontkit from 'fontkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { FONT_FILES, repoBytes } from '../../test/core-support/files.ts';
import { fontkitFont, fontkitOf } from '../../test/core-support/fonts.ts';
import { directory, glyphRecord, hmtxAdvance, i16, numGlyphs, tableBytes, tableChecksum, u16, u32 } from '../../test/core-support/sfnt-read.ts';
import { parseSfnt } from './sfnt.ts';
import { closeOverComponents, readLoca, subsetTrueType } from './subset.ts';
import { firstDifference } from '../../test/core-support/bytes.ts';

let lato: Uint8Array;
let latoFk: fontkit.Font;
let subset: Uint8Array;
let subsetFk: fontkit.Font;
/** Glyphs asked for: "Hé" plus a hinted simple glyph; é (gid 204) is composite. */
let asked: number[];
let eacute: number;

const gid = (fk: fontkit.Font, ch: string) => fk.glyphForCodePoint(ch.codePointAt(0)!).id;
const pathOf = (fk: fontkit.Font, g: number) => JSON.stringify(fk.getGlyph(g).path.commands);

beforeAll(() => {
  lato = repoBytes(FONT_FILES['lato-regular']);
  latoFk = fontkitFont('lato-regular');
  eacute = gid(latoFk, 'é');
  asked = [gid(latoFk, 'H'), eacute, gid(latoFk, 'g')];
  const s = parseSfnt(lato, 'lato');
  subset = subsetTrueType(s, readLoca(s), asked);
  subsetFk = fontkitOf(subset);
});

describe('the Lato fixture (preconditions)', () => {
  it('é is a composite glyph with hinting instructions and components 3025, e, acute', () => {
    const rec = glyphRecord(lato, eacute);
    expect(rec.numberOfContours).toBe(-1);
    expect(rec.components!.map((c) => c.glyph)).toEqual([3025, gid(latoFk, 'e'), 69]);
    expect(rec.components!.at(-1)!.flags & 0x100).toBe(0x100);
    expect(glyphRecord(lato, gid(latoFk, 'H')).instructionLength).toBeGreaterThan(0);
    expect(directory(lato).map((d) => d.tag)).toEqual(expect.arrayContaining(['fpgm', 'prep', 'cvt ']));
  });
});

describe('subsetTrueType', () => {
  it('keeps every glyph id: same glyph count, and kept glyphs draw exactly as before', () => {
    expect(subsetFk.numGlyphs).toBe(latoFk.numGlyphs);
    expect(numGlyphs(subset)).toBe(numGlyphs(lato));
    for (const g of [0, ...asked]) expect(pathOf(subsetFk, g), `glyph ${g}`).toBe(pathOf(latoFk, g));
    // The composite's path comes from its components, which must be there.
    expect(subsetFk.getGlyph(eacute).path.commands.length).toBeGreaterThan(0);
  });

  it('includes the components of composite glyphs', () => {
    const comps = glyphRecord(lato, eacute).components!.map((c) => c.glyph);
    for (const c of comps) {
      expect(glyphRecord(subset, c).data.length, `component ${c}`).toBeGreaterThan(0);
      expect(pathOf(subsetFk, c)).toBe(pathOf(latoFk, c));
    }
    const s = parseSfnt(lato, 'lato');
    const set = new Set([eacute]);
    closeOverComponents(s, readLoca(s), set);
    expect([...set].sort((a, b) => a - b)).toEqual([eacute, ...comps].sort((a, b) => a - b));
  });

  it('drops the outlines of every other glyph', () => {
    const kept = new Set([0, ...asked, ...glyphRecord(lato, eacute).components!.map((c) => c.glyph)]);
    for (const ch of 'AaBbZz019!') {
      const g = gid(latoFk, ch);
      if (kept.has(g)) continue;
      expect(glyphRecord(subset, g).data.length).toBe(0);
      expect(subsetFk.getGlyph(g).path.commands).toEqual([]);
    }
    let outlines = 0;
    for (let g = 0; g < numGlyphs(subset); g++) if (glyphRecord(subset, g).data.length > 0) outlines++;
    expect(outlines).toBe(kept.size);
  });

  it('always keeps .notdef and ignores out-of-range ids', () => {
    const s = parseSfnt(lato, 'lato');
    const only = subsetTrueType(s, readLoca(s), [-1, 99999]);
    expect(pathOf(fontkitOf(only), 0)).toBe(pathOf(latoFk, 0));
    let outlines = 0;
    for (let g = 0; g < numGlyphs(only); g++) if (glyphRecord(only, g).data.length > 0) outlines++;
    expect(outlines).toBe(1);
  });

  it('keeps only glyf, head, hhea, hmtx, loca and maxp (no hinting tables)', () => {
    expect(directory(subset).map((d) => d.tag)).toEqual(['glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp']);
  });

  it('strips hinting instructions from simple and composite glyphs', () => {
    for (const g of [0, gid(latoFk, 'H'), gid(latoFk, 'g'), 3025, gid(latoFk, 'e'), 69]) {
      const rec = glyphRecord(subset, g);
      expect(rec.numberOfContours, `glyph ${g}`).toBeGreaterThanOrEqual(0);
      expect(rec.instructionLength, `glyph ${g}`).toBe(0);
      // The glyph shrank by exactly its instructions (glyphs are padded to 4 bytes in the subset).
      const orig = glyphRecord(lato, g);
      const unpadded = orig.data.length - orig.instructionLength!;
      expect(rec.data.length).toBeGreaterThanOrEqual(unpadded);
      expect(rec.data.length).toBeLessThan(unpadded + 4 + 2); // original glyphs may carry up to 1 byte of padding too
      expect(rec.data.subarray(0, 10 + 2 * orig.numberOfContours)).toEqual(orig.data.subarray(0, 10 + 2 * orig.numberOfContours));
    }
    const comp = glyphRecord(subset, eacute);
    expect(comp.components!.every((c) => (c.flags & 0x100) === 0)).toBe(true);
    expect(comp.components!.map((c) => c.glyph)).toEqual(glyphRecord(lato, eacute).components!.map((c) => c.glyph));
  });

  it('writes long loca offsets and a valid table directory', () => {
    const head = tableBytes(subset, 'head')!;
    expect(i16(head, 50)).toBe(1);
    expect(u32(subset, 0)).toBe(0x00010000);
    const n = u16(subset, 4);
    expect(n).toBe(6);
    expect([u16(subset, 6), u16(subset, 8), u16(subset, 10)]).toEqual([64, 2, 32]); // searchRange, entrySelector, rangeShift for 6 tables
    for (const d of directory(subset)) {
      expect(d.offset % 4, d.tag).toBe(0);
      expect(d.offset + d.length).toBeLessThanOrEqual(subset.length);
    }
    // maxp and hhea are copied unchanged.
    expect(tableBytes(subset, 'maxp')).toEqual(tableBytes(lato, 'maxp'));
    expect(tableBytes(subset, 'hhea')).toEqual(tableBytes(lato, 'hhea'));
  });

  it('has valid table checksums and head.checkSumAdjustment', () => {
    for (const d of directory(subset)) {
      let data = subset.slice(d.offset, d.offset + d.length);
      if (d.tag === 'head') data.set([0, 0, 0, 0], 8); // computed with checkSumAdjustment = 0
      expect(d.checksum, d.tag).toBe(tableChecksum(data));
      data = new Uint8Array(0);
    }
    // The whole file (with the adjustment in place) sums to 0xB1B0AFBA.
    expect(tableChecksum(subset)).toBe(0xb1b0afba);
    const adj = u32(tableBytes(subset, 'head')!, 8);
    const zeroed = subset.slice();
    const headAt = directory(subset).find((d) => d.tag === 'head')!.offset;
    zeroed.set([0, 0, 0, 0], headAt + 8);
    expect(adj).toBe((0xb1b0afba - tableChecksum(zeroed) + 0x100000000) % 0x100000000);
  });

  it('keeps the advance widths of the glyphs it keeps (below numberOfHMetrics)', () => {
    for (const g of [0, ...asked, gid(latoFk, 'e'), 69]) expect(hmtxAdvance(subset, g), `glyph ${g}`).toBe(hmtxAdvance(lato, g));
  });

  // Bug: hmtx zeroing of dropped glyphs also zeroes the last long metric, which
  // glyphs past numberOfHMetrics share. Lato has numberOfHMetrics 3025 and 3026
  // glyphs; glyph 3025 (a component of é) is kept but glyph 3024 is dropped, so
  // the subset reports advance 0 for 3025 instead of 553.
  it('keeps the advance width of a kept glyph past numberOfHMetrics', () => {
    expect(u16(tableBytes(lato, 'hhea')!, 34)).toBe(3025);
    expect(hmtxAdvance(lato, 3025)).toBe(553);
    expect(hmtxAdvance(subset, 3025)).toBe(553);
  });

  it('is deterministic', () => {
    const s = parseSfnt(lato, 'lato');
    expect(firstDifference(subsetTrueType(s, readLoca(s), [...asked].reverse()), subset)).toBe(-1);
  });

  it('works for another font (Liberation Sans) with many composite glyphs', () => {
    const lib = repoBytes(FONT_FILES['liberation-regular']);
    const fk = fontkitFont('liberation-regular');
    const s = parseSfnt(lib, 'lib');
    const text = 'Ångström ÉÑ ü';
    const gids = [...text].map((c) => gid(fk, c));
    const sub = subsetTrueType(s, readLoca(s), gids);
    const sfk = fontkitOf(sub);
    for (const g of gids) expect(pathOf(sfk, g)).toBe(pathOf(fk, g));
    expect(tableChecksum(sub)).toBe(0xb1b0afba);
  });
});
