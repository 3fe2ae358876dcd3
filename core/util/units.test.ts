import { describe, expect, it } from 'vitest';
import { effectivePpi, mmToPt, parseLength, ptToMm, round } from './units.ts';

describe('units', () => {
  it('mm ↔ pt', () => {
    expect(mmToPt(25.4)).toBe(72);
    expect(ptToMm(72)).toBe(25.4);
    expect(mmToPt(20)).toBeCloseTo(56.692913, 6);
    expect(ptToMm(mmToPt(123.4))).toBeCloseTo(123.4, 12);
  });

  it('parseLength', () => {
    expect(parseLength('72pt')).toBe(72);
    expect(parseLength('1in')).toBe(72);
    expect(parseLength('0.5in')).toBe(36);
    expect(parseLength('25.4mm')).toBe(72);
    expect(parseLength('96px')).toBe(72);
    expect(parseLength(' 10 mm ')).toBeCloseTo(28.3464567, 6);
    for (const bad of ['10', 'mm', '-5mm', '1e3pt', '5 cm', '.5in']) expect(parseLength(bad), bad).toBeUndefined();
  });

  it('effectivePpi', () => {
    expect(effectivePpi(300, 72)).toBe(300);
    expect(effectivePpi(600, 144)).toBe(300);
    expect(effectivePpi(100, 0)).toBe(Infinity);
  });

  it('round', () => {
    expect(round(1.005 * 1000, 0)).toBe(1005);
    expect(round(12.3456)).toBe(12.35);
    expect(round(12.3456, 1)).toBe(12.3);
  });
});
