import { describe, expect, it } from 'vitest';
import { FONT_FILES, repoBytes } from '../../test/core-support/files.ts';
import { thrown } from '../../test/support/errors.ts';
import { describeFont, LICENCE_NOTE_MAX, suggestLicenceNote } from './describe.ts';

/** A copy of a font with one OS/2 uint16 field replaced (checksums are not verified by readers). */
function withOs2Field(bytes: Uint8Array, fieldOffset: number, value: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  const n = view.getUint16(4);
  for (let i = 0; i < n; i++) {
    const at = 12 + i * 16;
    if (String.fromCharCode(...out.subarray(at, at + 4)) === 'OS/2') {
      view.setUint16(view.getUint32(at + 8) + fieldOffset, value);
      return out;
    }
  }
  throw new Error('no OS/2 table');
}

describe('describeFont', () => {
  it('reads family, subfamily, weight, style and the licence from the name table', () => {
    const d = describeFont(repoBytes(FONT_FILES['lato-regular']), 'Lato-Regular.ttf');
    expect(d).toMatchObject({ family: 'Lato', subfamily: 'Regular', postscriptName: 'Lato-Regular', weight: 400, style: 'normal', embedding: 'installable', latin: true });
    expect(d.licenceUrl).toBe('http://scripts.sil.org/OFL');
    expect(d.licence).toMatch(/SIL Open Font License, Version 1\.1/);
    expect(d.copyright).toMatch(/^Copyright \(c\) 2010-2014 by tyPoland Lukasz Dziedzic/);
    expect(d.licenceNote).toMatch(/^SIL Open Font License 1\.1 — Copyright \(c\) 2010-2014/);
    expect(d.licenceNote.length).toBeLessThanOrEqual(LICENCE_NOTE_MAX);
    expect(d.glyphCount).toBeGreaterThan(1000);
  });

  it('knows bold and italic faces', () => {
    expect(describeFont(repoBytes('assets/fonts/lato/Lato-Italic.ttf'), 'Lato-Italic.ttf')).toMatchObject({ style: 'italic', weight: 400, subfamily: 'Italic' });
    expect(describeFont(repoBytes(FONT_FILES['liberation-bold']), 'LiberationSans-Bold.ttf')).toMatchObject({ family: 'Liberation Sans', weight: 700, style: 'normal' });
    expect(describeFont(repoBytes(FONT_FILES['noto-arabic-bold']), 'NotoSansArabic-Bold.ttf')).toMatchObject({ family: 'Noto Sans Arabic', weight: 700 });
  });

  it('reports the scripts a font draws, so a fallback font is recognised', () => {
    expect(describeFont(repoBytes(FONT_FILES['noto-arabic-regular']), 'NotoSansArabic-Regular.ttf')).toMatchObject({ latin: false, scripts: ['Arabic'] });
    const lato = describeFont(repoBytes(FONT_FILES['lato-regular']), 'Lato-Regular.ttf');
    expect(lato.latin).toBe(true);
    expect(lato.scripts).toContain('Latin');
    expect(lato.scripts).not.toContain('Arabic');
  });

  it('maps the legacy 1–9 weight scale to hundreds and reports the embedding level', () => {
    const lato = repoBytes(FONT_FILES['lato-regular']);
    expect(describeFont(withOs2Field(lato, 4, 6), 'x.ttf').weight).toBe(600);
    expect(describeFont(withOs2Field(lato, 8, 0x0004), 'x.ttf').embedding).toBe('preview-and-print');
    expect(describeFont(withOs2Field(lato, 8, 0x0008), 'x.ttf').embedding).toBe('editable');
    // Several level bits: the least restrictive applies.
    expect(describeFont(withOs2Field(lato, 8, 0x000a), 'x.ttf').embedding).toBe('editable');
  });

  it('refuses fonts whose licence flags forbid embedding, bitmap-only embedding or subsetting', () => {
    const lato = repoBytes(FONT_FILES['lato-regular']);
    for (const [fsType, words] of [
      [0x0002, /Restricted License/],
      [0x0200, /only as bitmaps/],
      [0x0104, /subsetting/],
    ] as const) {
      const err = thrown(() => describeFont(withOs2Field(lato, 8, fsType), 'Locked.ttf'));
      expect(err.code).toBe('font-unsupported');
      expect(err.message).toMatch(words);
      expect(err.message).toContain('Locked.ttf');
    }
  });

  it('refuses CFF outlines, collections and web fonts with font-unsupported, naming the file', () => {
    for (const [tag, words] of [
      ['OTTO', /PostScript \(CFF\)/],
      ['ttcf', /collection/],
      ['wOFF', /web font/],
    ] as const) {
      const bytes = new Uint8Array(256);
      bytes.set([...tag].map((c) => c.charCodeAt(0)));
      const err = thrown(() => describeFont(bytes, 'Brand-Sans.otf'));
      expect(err.code).toBe('font-unsupported');
      expect(err.message).toMatch(words);
      expect(err.message).toContain('Brand-Sans.otf');
    }
  });

  it('refuses empty, garbage and truncated files', () => {
    expect(thrown(() => describeFont(new Uint8Array(0), 'empty.ttf')).code).toBe('file-empty');
    expect(thrown(() => describeFont(new TextEncoder().encode('this is not a font file at all'), 'notes.ttf')).code).toBe('font-invalid');
    const lato = repoBytes(FONT_FILES['lato-regular']);
    const err = thrown(() => describeFont(lato.subarray(0, lato.byteLength >> 1), 'half.ttf'));
    expect(err.code).toBe('font-invalid');
    expect(err.message).toMatch(/half\.ttf.*truncated/);
  });
});

describe('suggestLicenceNote', () => {
  it('names well-known licences with the copyright, shortened to the schema limit', () => {
    expect(suggestLicenceNote('Licensed under the Apache License, Version 2.0', null, null)).toBe('Apache License 2.0');
    expect(suggestLicenceNote(null, 'https://openfontlicense.org', 'Copyright 2020 The Inter Project Authors')).toBe('SIL Open Font License 1.1 — Copyright 2020 The Inter Project Authors');
    const long = suggestLicenceNote('This Font Software is licensed under the SIL Open Font License, Version 1.1.', null, `Copyright ${'x'.repeat(400)}`);
    expect(long.length).toBe(LICENCE_NOTE_MAX);
    expect(long.endsWith('…')).toBe(true);
  });

  it('falls back to the licence text or its address, and is empty when the font says nothing', () => {
    expect(suggestLicenceNote('Commercial desktop licence, 5 seats.\r\nNo web use.', null, null)).toBe('Commercial desktop licence, 5 seats. No web use.');
    expect(suggestLicenceNote(null, 'https://foundry.example/eula', null)).toBe('See https://foundry.example/eula');
    expect(suggestLicenceNote(null, null, 'Copyright 2024 Foundry')).toBe('');
  });
});
