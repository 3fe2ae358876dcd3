import { describe, expect, it } from 'vitest';
import { mmToPt } from '../util/units.ts';
import { cropMarkOps, cropMarks, DEFAULT_MARKS, printGeometry, REGISTRATION_CS, type Box, type Segment } from './print-marks.ts';

const LETTER = { w: 612, h: 792 };
const BLEED = 9;

const inside = (s: Segment, b: Box) => {
  const [x, y, w, h] = b;
  const xs = [s.x1, s.x2];
  const ys = [s.y1, s.y2];
  return Math.max(...xs) > x && Math.min(...xs) < x + w && Math.max(...ys) > y && Math.min(...ys) < y + h;
};
const within = (s: Segment, b: Box) => {
  const [x, y, w, h] = b;
  return [s.x1, s.x2].every((v) => v >= x - 1e-9 && v <= x + w + 1e-9) && [s.y1, s.y2].every((v) => v >= y - 1e-9 && v <= y + h + 1e-9);
};

describe('printGeometry', () => {
  it('nests the boxes: trim = the template page, bleed = trim + bleed, media = bleed + 3 mm + 5 mm of slug', () => {
    const g = printGeometry(LETTER.w, LETTER.h, BLEED);
    const slug = mmToPt(3) + mmToPt(5);
    expect(g.trim).toEqual([slug + BLEED, slug + BLEED, 612, 792]);
    expect(g.bleed).toEqual([slug, slug, 630, 810]);
    expect(g.media[0]).toBe(0);
    expect(g.media[1]).toBe(0);
    expect(g.media[2]).toBeCloseTo(630 + 2 * slug, 9);
    expect(g.media[3]).toBeCloseTo(810 + 2 * slug, 9);
    expect(g.media[2]).toBeCloseTo(675.354, 3);
    expect(g.shift).toBe(slug);
  });

  it('keeps the slug without bleed: the bleed box equals the trim box', () => {
    const g = printGeometry(600, 200, 0);
    expect(g.bleed).toEqual(g.trim);
    expect(g.media[2]).toBeCloseTo(600 + 2 * (mmToPt(8)), 9);
  });
});

describe('cropMarks', () => {
  for (const bleed of [0, 4, BLEED, 36]) {
    it(`draws 8 marks on the trim lines, wholly outside the bleed and inside the media (bleed ${bleed} pt)`, () => {
      const g = printGeometry(LETTER.w, LETTER.h, bleed);
      const marks = cropMarks(g);
      expect(marks).toHaveLength(8);
      const [tx, ty, tw, th] = g.trim;
      for (const s of marks) {
        expect(inside(s, g.bleed), JSON.stringify(s)).toBe(false);
        expect(within(s, g.media), JSON.stringify(s)).toBe(true);
        const horizontal = s.y1 === s.y2;
        expect(horizontal || s.x1 === s.x2).toBe(true);
        // On the extension of a trim edge, 5 mm long.
        if (horizontal) expect([ty, ty + th]).toContain(s.y1);
        else expect([tx, tx + tw]).toContain(s.x1);
        expect(Math.hypot(s.x2 - s.x1, s.y2 - s.y1)).toBeCloseTo(DEFAULT_MARKS.length, 9);
        // Starting 3 mm beyond the bleed edge.
        const gap = horizontal ? Math.min(Math.abs(s.x1 - g.bleed[0]), Math.abs(s.x1 - (g.bleed[0] + g.bleed[2]))) : Math.min(Math.abs(s.y1 - g.bleed[1]), Math.abs(s.y1 - (g.bleed[1] + g.bleed[3])));
        expect(gap).toBeCloseTo(DEFAULT_MARKS.offset, 9);
      }
    });
  }

  it('strokes them at 0.25 pt in registration colour', () => {
    const ops = cropMarkOps(printGeometry(LETTER.w, LETTER.h, BLEED));
    expect(ops).toContain(`/${REGISTRATION_CS} CS 1 SCN`);
    expect(ops).toContain('0.25 w');
    expect(ops.match(/ m /g)).toHaveLength(8);
    expect(ops.trim().startsWith('q')).toBe(true);
    expect(ops.trim().endsWith('Q')).toBe(true);
  });
});
