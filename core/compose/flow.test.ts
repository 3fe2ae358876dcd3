import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowItems, type FlowItem } from './flow.ts';

const first = { x: 36, y: 300, w: 540, h: 400 };
const next = { x: 36, y: 60, w: 540, h: 680 };
const opts = { columns: 3, gap: 12, headingGap: 6, maxFrames: 20 };
const block = (height: number): FlowItem => ({ kind: 'block', height });
const heading = (height = 20): FlowItem => ({ kind: 'heading', height });

describe('flowItems', () => {
  it('fills rows of three, rows as tall as their tallest block, columns evenly spaced', () => {
    const r = flowItems([block(100), block(140), block(120), block(90)], first, next, opts);
    expect(r.frames).toBe(1);
    const colW = (540 - 24) / 3;
    expect(r.placements.map((p) => [p.rect.x, p.rect.y, p.rect.w, p.rect.h])).toEqual([
      [36, 300, colW, 140],
      [36 + colW + 12, 300, colW, 140],
      [36 + 2 * (colW + 12), 300, colW, 140],
      [36, 452, colW, 90],
    ]);
  });

  it('moves a row that does not fit to the next frame, and a heading goes with its first row', () => {
    // Frame 1 holds 400 pt: row 1 (150) + gap + heading (20 + 6) + row 2 (200) = 388 fits; a second heading + row does not.
    const items = [block(150), heading(), block(200), heading(), block(100)];
    const r = flowItems(items, first, next, { ...opts, columns: 2 });
    const at = (i: number) => r.placements.find((p) => p.item === i)!;
    expect(at(1).frame).toBe(0);
    expect(at(2).frame).toBe(0);
    expect(at(3).frame).toBe(1);
    expect(at(4).frame).toBe(1);
    expect(at(3).rect.y).toBe(next.y);
    expect(at(4).rect.y).toBe(next.y + 26);
    expect(r.frames).toBe(2);
  });

  it('reports an item taller than any frame instead of drawing it, and stops at maxFrames', () => {
    const tall = flowItems([block(100), block(900), block(100)], first, next, { ...opts, columns: 1 });
    expect(tall.unplaced).toEqual([{ item: 1, reason: 'too-tall' }]);
    expect(tall.placements.map((p) => p.item)).toEqual([0, 2]);
    const many = flowItems(Array.from({ length: 50 }, () => block(300)), first, next, { ...opts, columns: 1, maxFrames: 2 });
    expect(many.frames).toBe(3);
    expect(many.unplaced.every((u) => u.reason === 'too-many-pages')).toBe(true);
    expect(many.placements.length + many.unplaced.length).toBe(50);
  });

  it('property: every item is placed once or reported; nothing overflows its frame or overlaps; headings sit above their section in the same frame', () => {
    const item = fc.oneof(fc.record({ kind: fc.constant('heading' as const), height: fc.integer({ min: 10, max: 40 }) }), fc.record({ kind: fc.constant('block' as const), height: fc.integer({ min: 20, max: 760 }) }));
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), (items, columns) => {
        const r = flowItems(items, first, next, { ...opts, columns });
        const seen = new Set<number>();
        for (const p of r.placements) {
          expect(seen.has(p.item)).toBe(false);
          seen.add(p.item);
          const f = p.frame === 0 ? first : next;
          expect(p.rect.y).toBeGreaterThanOrEqual(f.y - 1e-6);
          expect(p.rect.y + p.rect.h).toBeLessThanOrEqual(f.y + f.h + 1e-6);
          expect(p.rect.x + p.rect.w).toBeLessThanOrEqual(f.x + f.w + 1e-6);
        }
        for (const u of r.unplaced) expect(seen.has(u.item)).toBe(false);
        // Blocks: placed or reported. Headings: placed only with a following block.
        items.forEach((it, i) => {
          if (it.kind === 'block') expect(seen.has(i) || r.unplaced.some((u) => u.item === i)).toBe(true);
        });
        const byFrame = new Map<number, typeof r.placements>();
        for (const p of r.placements) byFrame.set(p.frame, [...(byFrame.get(p.frame) ?? []), p]);
        for (const list of byFrame.values()) {
          for (let a = 0; a < list.length; a++) {
            for (let b = a + 1; b < list.length; b++) {
              const x = list[a]!.rect;
              const y = list[b]!.rect;
              const overlap = x.x < y.x + y.w - 1e-6 && y.x < x.x + x.w - 1e-6 && x.y < y.y + y.h - 1e-6 && y.y < x.y + x.h - 1e-6;
              expect(overlap).toBe(false);
            }
          }
        }
        // No orphaned heading: the next placed item after a heading is in the same frame and below it.
        r.placements.forEach((p) => {
          if (items[p.item]!.kind !== 'heading') return;
          const after = r.placements.filter((q) => q.item > p.item && items[q.item]!.kind === 'block').sort((a, b) => a.item - b.item)[0];
          expect(after).toBeDefined();
          expect(after!.frame).toBe(p.frame);
          expect(after!.rect.y).toBeGreaterThan(p.rect.y);
        });
      }),
      { numRuns: 300 },
    );
  });
});
