import { describe, expect, it } from 'vitest';
import { breaksAnywhere, hasRtl, isNeutral, isRtlScript, isSpace, needsShaping, scriptOf } from './script.ts';

const cp = (c: string) => c.codePointAt(0)!;

describe('script helpers', () => {
  it('scriptOf', () => {
    expect(scriptOf(cp('A'))).toBe('Latin');
    expect(scriptOf(cp('ش'))).toBe('Arabic');
    expect(scriptOf(cp('א'))).toBe('Hebrew');
    expect(scriptOf(cp('日'))).toBe('Han');
    expect(scriptOf(cp(' '))).toBe('Common');
  });

  it('needsShaping: Latin, Greek, Cyrillic and CJK are drawn glyph for character; Arabic and Devanagari are shaped', () => {
    for (const s of ['Latin', 'Greek', 'Cyrillic', 'Common', 'Han', 'Hiragana', 'Hangul']) expect(needsShaping(s), s).toBe(false);
    for (const s of ['Arabic', 'Hebrew', 'Devanagari', 'Thai']) expect(needsShaping(s), s).toBe(true);
  });

  it('isRtlScript', () => {
    expect(isRtlScript('Arabic')).toBe(true);
    expect(isRtlScript('Hebrew')).toBe(true);
    expect(isRtlScript('Latin')).toBe(false);
    expect(isRtlScript('Common')).toBe(false);
  });

  it('breaksAnywhere for Han and kana only', () => {
    expect(breaksAnywhere(cp('日'))).toBe(true);
    expect(breaksAnywhere(cp('か'))).toBe(true);
    expect(breaksAnywhere(cp('カ'))).toBe(true);
    expect(breaksAnywhere(cp('한'))).toBe(false);
    expect(breaksAnywhere(cp('a'))).toBe(false);
  });

  it('isNeutral for spaces, digits, punctuation and combining marks', () => {
    for (const c of [' ', '1', '.', '\u0301', '\u064B']) expect(isNeutral(cp(c)), c).toBe(true);
    for (const c of ['a', 'ش']) expect(isNeutral(cp(c)), c).toBe(false);
  });

  it('isSpace', () => {
    for (const v of [0x20, 0x09, 0xa0, 0x3000, 0x2000, 0x2009, 0x200a]) expect(isSpace(v)).toBe(true);
    for (const v of [0x200b, 0x0a, 0x41, 0x2028]) expect(isSpace(v)).toBe(false);
  });

  it('hasRtl', () => {
    expect(hasRtl('Al Noor شركة')).toBe(true);
    expect(hasRtl('שלום')).toBe(true);
    expect(hasRtl('\uFEFC')).toBe(true); // Arabic presentation form
    expect(hasRtl('Hello, world — 日本')).toBe(false);
  });
});
