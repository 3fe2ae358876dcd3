import { describe, expect, it } from 'vitest';
import { cmykToRgb, contrastRatio, isDark, parseHex, relativeLuminance, toHex, WHITE } from './color.ts';

describe('colour helpers', () => {
  it('parseHex: #RRGGBB, #RGB, without #, trimmed; rejects junk', () => {
    expect(parseHex('#0B5FFF')).toEqual([11, 95, 255]);
    expect(parseHex('0b5fff')).toEqual([11, 95, 255]);
    expect(parseHex(' #abc ')).toEqual([0xaa, 0xbb, 0xcc]);
    for (const bad of ['#12345', '#GGGGGG', 'red', '', '#1234567']) expect(parseHex(bad), bad).toBeUndefined();
  });

  it('toHex rounds and upper-cases', () => {
    expect(toHex([11, 95, 255])).toBe('#0B5FFF');
    expect(toHex([0.4, 254.6, 16])).toBe('#00FF10');
  });

  it('relative luminance per WCAG 2.x (linear segment below 0.04045)', () => {
    expect(relativeLuminance([0, 0, 0])).toBe(0);
    expect(relativeLuminance(WHITE)).toBeCloseTo(1, 12);
    expect(relativeLuminance([10, 10, 10])).toBeCloseTo(10 / 255 / 12.92, 12);
    expect(relativeLuminance([255, 0, 0])).toBeCloseTo(0.2126, 12);
    expect(relativeLuminance([0, 255, 0])).toBeCloseTo(0.7152, 12);
    expect(relativeLuminance([128, 128, 128])).toBeCloseTo(Math.pow((128 / 255 + 0.055) / 1.055, 2.4), 12);
  });

  it('contrast ratio: 21 for black on white, symmetric, 1 for equal colours', () => {
    expect(contrastRatio([0, 0, 0], WHITE)).toBeCloseTo(21, 10);
    expect(contrastRatio(WHITE, [0, 0, 0])).toBeCloseTo(21, 10);
    expect(contrastRatio([50, 100, 150], [50, 100, 150])).toBe(1);
    // #767676 on white is the classic 4.54:1 grey.
    expect(contrastRatio([0x76, 0x76, 0x76], WHITE)).toBeCloseTo(4.54, 2);
  });

  it('isDark below luminance 0.4', () => {
    expect(isDark([0x0b, 0x1f, 0x44])).toBe(true);
    expect(isDark(WHITE)).toBe(false);
    expect(isDark([0xcc, 0xcc, 0xcc])).toBe(false);
  });

  it('cmykToRgb (naive)', () => {
    expect(cmykToRgb([0, 0, 0, 0])).toEqual([255, 255, 255]);
    expect(cmykToRgb([0, 0, 0, 100])).toEqual([0, 0, 0]);
    expect(cmykToRgb([100, 0, 50, 20])).toEqual([0, 204, 102]);
  });
});
