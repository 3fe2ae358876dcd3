import type * as fontkit from 'fontkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { FONT_FILES, repoBytes } from '../../test/core-support/files.ts';
import { fontkitFont } from '../../test/core-support/fonts.ts';
import { directory, u16 } from '../../test/core-support/sfnt-read.ts';
import { parseSfnt, readAdvances, table } from './sfnt.ts';
import { thrown } from '../../test/support/errors.ts';

let lato: Uint8Array;
let latoFk: fontkit.Font;

beforeAll(() => {
  lato = repoBytes(FONT_FILES['lato-regular']);
  latoFk = fontkitFont('lato-regular');
});

function refusal(bytes: Uint8Array, name = 'f'): LockupError {
  return thrown(() => parseSfnt(bytes, name));
}

const withTag = (tag: string, rest = 64) => {
  const b = new Uint8Array(rest);
  for (let i = 0; i < 4; i++) b[i] = tag.charCodeAt(i);
  return b;
};

describe('parseSfnt', () => {
  it('reads the table directory of a TrueType font', () => {
    const s = parseSfnt(lato, 'lato');
    const dir = directory(lato);
    expect([...s.tables.keys()].sort()).toEqual(dir.map((d) => d.tag).sort());
    for (const d of dir) expect(s.tables.get(d.tag)).toEqual({ offset: d.offset, length: d.length });
    const head = table(s, 'head');
    expect(head.byteLength).toBe(54);
    expect(u16(head, 18)).toBe(latoFk.unitsPerEm);
    expect(table(s, 'nope').byteLength).toBe(0);
  });

  it('refuses CFF-flavoured OpenType (an "OTTO" sfnt, e.g. Inter .otf) as font-unsupported', () => {
    const bytes = withTag('OTTO');
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('OTTO');
    const e = refusal(bytes, 'Inter');
    expect(e.code).toBe('font-unsupported');
    expect(e.message).toContain('Inter');
    expect(e.message).toContain('CFF');
    expect(e.message).toContain('.ttf');
  });

  it('refuses collections and web fonts as font-unsupported', () => {
    expect(refusal(withTag('ttcf')).message).toContain('collection');
    for (const t of ['wOFF', 'wOF2']) {
      const e = refusal(withTag(t));
      expect(e.code).toBe('font-unsupported');
      expect(e.message).toContain('WOFF');
    }
  });

  it('refuses garbage, short files and truncated fonts as font-invalid', () => {
    const garbage = refusal(new TextEncoder().encode('this is not a font file at all'));
    expect(garbage.code).toBe('font-invalid');
    expect(garbage.message).toContain('not a TrueType font');
    expect(refusal(new Uint8Array(11)).message).toContain('too short');
    const dirCut = refusal(lato.slice(0, 40));
    expect(dirCut.code).toBe('font-invalid');
    expect(dirCut.message).toContain('truncated table directory');
    const half = refusal(lato.slice(0, lato.length >> 1));
    expect(half.code).toBe('font-invalid');
    expect(half.message).toMatch(/truncated \(table .{4}\)/);
  });

  it('refuses a font that lacks a required table, naming it', () => {
    const copy = lato.slice();
    const glyf = directory(copy).findIndex((d) => d.tag === 'glyf');
    copy[12 + glyf * 16 + 3] = 'x'.charCodeAt(0); // "glyf" → "glyx"
    const e = refusal(copy);
    expect(e.code).toBe('font-invalid');
    expect(e.message).toContain('lacks its "glyf" table');
  });

  it("accepts Apple's 'true' sfnt version", () => {
    const copy = lato.slice();
    copy.set([0x74, 0x72, 0x75, 0x65], 0);
    expect(parseSfnt(copy, 'apple').tables.has('glyf')).toBe(true);
  });

  it('works on a subarray view with a byte offset', () => {
    const padded = new Uint8Array(lato.length + 7);
    padded.set(lato, 7);
    const s = parseSfnt(padded.subarray(7), 'offset');
    expect(table(s, 'head')).toEqual(lato.subarray(s.tables.get('head')!.offset, s.tables.get('head')!.offset + 54));
  });
});

describe('readAdvances', () => {
  it('matches fontkit for every glyph, including those past numberOfHMetrics', () => {
    for (const key of ['lato-regular', 'noto-arabic-regular'] as const) {
      const fk = fontkitFont(key);
      const s = parseSfnt(repoBytes(FONT_FILES[key]), key);
      const adv = readAdvances(s, fk.numGlyphs);
      expect(adv.length).toBe(fk.numGlyphs);
      for (let g = 0; g < fk.numGlyphs; g++) {
        if (adv[g] !== fk.getGlyph(g).advanceWidth) expect.fail(`${key} glyph ${g}: ${adv[g]} ≠ ${fk.getGlyph(g).advanceWidth}`);
      }
    }
  });
});
