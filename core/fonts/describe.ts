import * as fontkit from 'fontkit';
import { LockupError } from '../errors.ts';
import { BrandFont } from '../model/brand.ts';
import { LoadedFont } from './font.ts';
import { parseSfnt, type Sfnt } from './sfnt.ts';

/** What the brand kit needs to know about an uploaded font file. */
export interface FontDescription {
  /** Typographic family (name ID 16), else the legacy family (ID 1). */
  family: string;
  /** Typographic subfamily (ID 17), else ID 2: "Regular", "Bold Italic"… */
  subfamily: string;
  postscriptName: string;
  /** OS/2 usWeightClass, 100..1000. */
  weight: number;
  style: 'normal' | 'italic';
  /** Name ID 0. */
  copyright: string | null;
  /** Name ID 13, the licence description (shortened to 2000 characters). */
  licence: string | null;
  /** Name ID 14. */
  licenceUrl: string | null;
  /** A licence note for the brand kit (≤ 200 characters), empty when the file names no licence. */
  licenceNote: string;
  /** OS/2 fsType, in words: what the licence allows a PDF to carry. */
  embedding: 'installable' | 'preview-and-print' | 'editable';
  glyphCount: number;
  /** Whether the font draws every letter A–Z and a–z (a fallback font for another script may not). */
  latin: boolean;
  /** Scripts (Unicode names) whose probe letters the font draws, e.g. ["Latin", "Arabic"]. */
  scripts: string[];
}

/** A few letters per script: a font "covers" a script when it draws all of them. */
export const SCRIPT_PROBES: Readonly<Record<string, string>> = {
  Latin: 'AZaz',
  Greek: 'ΑΩαω',
  Cyrillic: 'АЯая',
  Armenian: 'ԱԲաբ',
  Hebrew: 'אבגש',
  Arabic: 'ابتش',
  Devanagari: 'कखगन',
  Bengali: 'কখগন',
  Tamil: 'கஙசந',
  Thai: 'กขคง',
  Georgian: 'აბგდ',
  Ethiopic: 'ሀለሐመ',
  Hangul: '가나다라',
  Hiragana: 'あいうえ',
  Katakana: 'アイウエ',
  Han: '的一是不',
};

/** The brand schema's limit for a font's licence note. */
export const LICENCE_NOTE_MAX = BrandFont.shape.licence.maxLength ?? 200;

function clean(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined) return null;
  // Name strings carry line breaks, tabs and stray control characters.
  // eslint-disable-next-line no-control-regex
  const s = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (s === '') return null;
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

/**
 * A short licence note from the name table: the licence's usual name when the
 * text names a well-known one, with the copyright line; otherwise the
 * licence text itself, shortened. Empty when the font says nothing: the
 * vendor must then write the note (the brand schema requires one).
 */
export function suggestLicenceNote(licence: string | null, url: string | null, copyright: string | null): string {
  const text = `${licence ?? ''} ${copyright ?? ''}`;
  let known: string | undefined;
  if (/open font licen[cs]e/i.test(text) || /scripts\.sil\.org\/ofl|openfontlicense\.org/i.test(url ?? '')) {
    known = `SIL Open Font License ${/version\s*(\d+\.\d+)/i.exec(text)?.[1] ?? '1.1'}`;
  } else if (/apache licen[cs]e/i.test(text) || /apache\.org\/licenses/i.test(url ?? '')) {
    known = 'Apache License 2.0';
  } else if (/ubuntu font licen[cs]e/i.test(text)) {
    known = 'Ubuntu Font Licence 1.0';
  }
  if (known) return clean(copyright ? `${known} — ${copyright}` : known, LICENCE_NOTE_MAX)!;
  return clean(licence, LICENCE_NOTE_MAX) ?? clean(url ? `See ${url}` : null, LICENCE_NOTE_MAX) ?? '';
}

function os2(s: Sfnt): { weight: number; fsType: number; fsSelection: number } | undefined {
  const t = s.tables.get('OS/2');
  if (!t || t.length < 64) return undefined;
  return { weight: s.view.getUint16(t.offset + 4), fsType: s.view.getUint16(t.offset + 8), fsSelection: s.view.getUint16(t.offset + 62) };
}

/**
 * Reads and vets a font file for a brand kit. The checks are the ones the
 * PDF writer will rely on: TrueType outlines (CFF, collections and WOFF are
 * refused as core/fonts does, see docs/decisions/0004), tables that parse,
 * glyphs that subset, and an OS/2 fsType that allows embedding subsets.
 * Throws `font-unsupported` or `font-invalid` naming the file.
 */
export function describeFont(bytes: Uint8Array, name: string): FontDescription {
  if (bytes.byteLength === 0) throw new LockupError('file-empty', `"${name}" is empty`);
  const sfnt = parseSfnt(bytes, name);
  let loaded: LoadedFont;
  let fk: fontkit.Font;
  try {
    loaded = new LoadedFont(name, bytes);
    // A subset of a few glyphs walks loca, glyf and composite records: what export will do.
    const gids = new Set([0, ...[...'Aa0'].map((ch) => loaded.glyphId(ch.codePointAt(0)!))]);
    loaded.subset(gids);
    fk = fontkit.create(bytes as unknown as Buffer) as fontkit.Font;
  } catch (err) {
    if (err instanceof LockupError) throw err;
    throw new LockupError('font-invalid', `Font "${name}" is damaged: ${(err as Error).message}`);
  }

  const info = os2(sfnt);
  if (info) {
    // fsType bits 1–3 are exclusive levels; "Restricted" alone forbids any embedding.
    if ((info.fsType & 0x000e) === 0x0002) {
      throw new LockupError('font-unsupported', `Font "${name}" does not allow embedding (its licence flag, OS/2 fsType, is "Restricted License"), so no PDF could carry it. Ask the foundry for a licence and a font file that allow embedding`);
    }
    if (info.fsType & 0x0200) throw new LockupError('font-unsupported', `Font "${name}" allows embedding only as bitmaps (OS/2 fsType), which PDFs for print cannot use`);
    if (info.fsType & 0x0100) throw new LockupError('font-unsupported', `Font "${name}" does not allow subsetting (OS/2 fsType); Lockup embeds subsets, so it cannot be used`);
  }

  let names: Record<'family' | 'subfamily' | 'postscriptName' | 'copyright' | 'licence' | 'licenceUrl', string | null>;
  let italicAngle = 0;
  let macItalic = false;
  try {
    const get = (key: string) => fk.getName(key, 'en');
    names = {
      family: clean(get('preferredFamily') ?? get('fontFamily'), 80),
      subfamily: clean(get('preferredSubfamily') ?? get('fontSubfamily'), 80),
      postscriptName: clean(get('postscriptName'), 80),
      copyright: clean(get('copyright'), 500),
      licence: clean(get('license'), 2000),
      licenceUrl: clean(get('licenseURL'), 500),
    };
    italicAngle = fk.italicAngle || 0;
    macItalic = Boolean((fk as unknown as { head?: { macStyle?: { italic?: boolean } } }).head?.macStyle?.italic);
  } catch (err) {
    throw new LockupError('font-invalid', `Font "${name}" has a damaged name table: ${(err as Error).message}`);
  }

  // Weight classes 1–9 are a legacy scale of hundreds; anything else is clamped to what the brand schema takes.
  const raw = info?.weight ?? 400;
  const weight = Math.min(1000, Math.max(100, raw > 0 && raw < 10 ? raw * 100 : raw || 400));
  const italic = Boolean(info && info.fsSelection & 0x0201) || macItalic || italicAngle !== 0;
  const fsType = info?.fsType ?? 0;
  const draws = (text: string) => [...text].every((ch) => loaded.has(ch.codePointAt(0)!));
  const latin = draws('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
  const scripts = Object.entries(SCRIPT_PROBES)
    .filter(([, probe]) => draws(probe))
    .map(([script]) => script);
  return {
    family: names.family ?? loaded.metrics.familyName,
    subfamily: names.subfamily ?? (italic ? 'Italic' : 'Regular'),
    postscriptName: names.postscriptName ?? loaded.metrics.postscriptName,
    weight,
    style: italic ? 'italic' : 'normal',
    copyright: names.copyright,
    licence: names.licence,
    licenceUrl: names.licenceUrl,
    licenceNote: suggestLicenceNote(names.licence, names.licenceUrl, names.copyright),
    embedding: fsType & 0x0008 ? 'editable' : fsType & 0x0004 ? 'preview-and-print' : 'installable',
    glyphCount: loaded.numGlyphs,
    latin,
    scripts,
  };
}
