import { describe, expect, it } from 'vitest';
import { containsPoint, fitImage, inset, intersects, placeLogo, union } from './geometry.ts';

const R = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });
const center = { h: 'center', v: 'middle' } as const;

describe('rect helpers', () => {
  it('intersects: overlapping boxes; touching edges do not intersect', () => {
    expect(intersects(R(0, 0, 10, 10), R(5, 5, 10, 10))).toBe(true);
    expect(intersects(R(0, 0, 10, 10), R(2, 2, 1, 1))).toBe(true);
    expect(intersects(R(0, 0, 10, 10), R(10, 0, 5, 5))).toBe(false);
    expect(intersects(R(0, 0, 10, 10), R(0, 10, 5, 5))).toBe(false);
    expect(intersects(R(0, 0, 10, 10), R(-5, -5, 4, 20))).toBe(false);
  });

  it('containsPoint includes the edges', () => {
    expect(containsPoint(R(0, 0, 10, 10), 10, 10)).toBe(true);
    expect(containsPoint(R(0, 0, 10, 10), 0, 5)).toBe(true);
    expect(containsPoint(R(0, 0, 10, 10), 10.01, 5)).toBe(false);
  });

  it('inset shrinks on every side and never goes negative', () => {
    expect(inset(R(10, 20, 100, 50), 5)).toEqual(R(15, 25, 90, 40));
    expect(inset(R(0, 0, 8, 100), 5)).toEqual(R(5, 5, 0, 90));
  });

  it('union', () => {
    expect(union([])).toBeUndefined();
    expect(union([R(0, 0, 10, 10), R(20, -5, 5, 5)])).toEqual(R(0, -5, 25, 15));
  });
});

describe('fitImage', () => {
  it('contain fits inside and centres', () => {
    // 400 × 100 image in 200 × 200: scale 0.5 → 200 × 50, centred vertically.
    expect(fitImage(400, 100, R(0, 0, 200, 200), 'contain', center)).toEqual(R(0, 75, 200, 50));
  });

  it('cover fills and overflows', () => {
    // scale max(0.5, 2) = 2 → 800 × 200, centred horizontally.
    expect(fitImage(400, 100, R(0, 0, 200, 200), 'cover', center)).toEqual(R(-300, 0, 800, 200));
  });

  it('alignment', () => {
    expect(fitImage(400, 100, R(10, 10, 200, 200), 'contain', { h: 'left', v: 'top' })).toEqual(R(10, 10, 200, 50));
    expect(fitImage(400, 100, R(10, 10, 200, 200), 'contain', { h: 'right', v: 'bottom' })).toEqual(R(10, 160, 200, 50));
    expect(fitImage(400, 100, R(0, 0, 200, 200), 'cover', { h: 'right', v: 'top' })).toEqual(R(-600, 0, 800, 200));
  });
});

describe('placeLogo', () => {
  it('fits the logo and its clear space (fraction × drawn height on every side) inside the zone', () => {
    // 300 × 100 logo, zone 200 × 200, fraction 0.5:
    // width limit 200 / (300 + 100) = 0.5, height limit 200 / (100 × 2) = 1 → s = 0.5, logo 150 × 50, margin 25.
    const { place, clear } = placeLogo(300, 100, R(0, 0, 200, 200), 0.5, center);
    expect(place).toEqual(R(25, 75, 150, 50));
    expect(clear).toEqual(R(0, 50, 200, 100));
  });

  it('height-limited case', () => {
    // 100 × 100 logo in 300 × 60, fraction 0.25: s = min(300 / 150, 60 / 150) = 0.4 → 40 × 40, margin 10.
    const { place, clear } = placeLogo(100, 100, R(0, 0, 300, 60), 0.25, { h: 'left', v: 'middle' });
    expect(place).toEqual(R(10, 10, 40, 40));
    expect(clear).toEqual(R(0, 0, 60, 60));
  });

  it('fraction 0 fills the zone like contain', () => {
    const { place, clear } = placeLogo(400, 100, R(0, 0, 200, 200), 0, center);
    expect(place).toEqual(R(0, 75, 200, 50));
    expect(clear).toEqual(place);
  });
});
