import { getScript, isMark } from 'unicode-properties';

/** Scripts drawn glyph-for-character; anything else goes through OpenType shaping. */
const SIMPLE_SCRIPTS = new Set(['Latin', 'Greek', 'Cyrillic', 'Common', 'Inherited', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Armenian', 'Georgian', 'Unknown']);

/** Scripts whose text is written right to left. */
const RTL_SCRIPTS = new Set(['Arabic', 'Hebrew', 'Syriac', 'Thaana', 'Nko', 'Samaritan', 'Mandaic']);

/** Scripts that break between any two characters (no spaces between words). */
const CJK_SCRIPTS = new Set(['Han', 'Hiragana', 'Katakana']);

export function scriptOf(cp: number): string {
  return getScript(cp);
}

export function needsShaping(script: string): boolean {
  return !SIMPLE_SCRIPTS.has(script);
}

export function isRtlScript(script: string): boolean {
  return RTL_SCRIPTS.has(script);
}

export function breaksAnywhere(cp: number): boolean {
  return CJK_SCRIPTS.has(getScript(cp));
}

/** Characters with no script of their own (spaces, digits, punctuation, marks). */
export function isNeutral(cp: number): boolean {
  const s = getScript(cp);
  return s === 'Common' || s === 'Inherited' || isMark(cp);
}

export function isSpace(cp: number): boolean {
  return cp === 0x20 || cp === 0x09 || cp === 0xa0 || cp === 0x3000 || (cp >= 0x2000 && cp <= 0x200a);
}

/** True if the string holds any right-to-left character. */
export function hasRtl(text: string): boolean {
  // Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic blocks and presentation forms.
  return /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.test(text);
}
