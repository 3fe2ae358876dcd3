import { describe, expect, it } from 'vitest';
import { snapRect, snapTargets } from './snap.ts';

const PAGE = { width: 600, height: 400 };
const r = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });

describe('snapTargets', () => {
  it('has the page edges and centre, and every other zone’s edges and centres', () => {
    const t = snapTargets(PAGE, [r(100, 50, 200, 100)]);
    const xs = t.filter((l) => l.axis === 'x').map((l) => `${l.kind}:${l.pos}`);
    const ys = t.filter((l) => l.axis === 'y').map((l) => `${l.kind}:${l.pos}`);
    expect(xs).toEqual(['page-edge:0', 'page-edge:600', 'page-center:300', 'zone-edge:100', 'zone-edge:300', 'zone-center:200']);
    expect(ys).toEqual(['page-edge:0', 'page-edge:400', 'page-center:200', 'zone-edge:50', 'zone-edge:150', 'zone-center:100']);
  });
});

describe('snapRect while moving', () => {
  const targets = snapTargets(PAGE, [r(100, 50, 200, 100)]);

  it('snaps the nearest edge within the threshold and keeps the size', () => {
    const { rect, guides } = snapRect(r(103, 203, 50, 40), targets, { threshold: 5 });
    expect(rect).toEqual(r(100, 200, 50, 40));
    // Left edge on the other zone's left edge; top edge on the page's horizontal centre.
    expect(guides.map((g) => `${g.axis}:${g.pos}:${g.kind}`).sort()).toEqual(['x:100:zone-edge', 'y:200:page-center']);
  });

  it('centres snap too (a box centred on the page)', () => {
    const { rect, guides } = snapRect(r(248, 10.5, 100, 30), targets, { threshold: 5 });
    expect(rect.x).toBe(250);
    expect(guides.some((g) => g.axis === 'x' && g.pos === 300 && g.kind === 'page-center')).toBe(true);
  });

  it('does not snap beyond the threshold, and returns no guides then', () => {
    const { rect, guides } = snapRect(r(420, 260, 50, 40), targets, { threshold: 5 });
    expect(rect).toEqual(r(420, 260, 50, 40));
    expect(guides).toEqual([]);
  });

  it('picks the nearest of several candidates', () => {
    // Right edge 2 from the zone's right (300); left edge 4 from the zone's centre (200).
    const { rect } = snapRect(r(196, 300, 102, 20), targets, { threshold: 5 });
    expect(rect.x).toBe(198);
  });

  it('a guide spans the target and the snapped rectangle', () => {
    const { guides } = snapRect(r(101, 300, 40, 40), targets, { threshold: 5 });
    const g = guides.find((x) => x.axis === 'x' && x.pos === 100)!;
    expect(g.from).toBe(50);
    expect(g.to).toBe(340);
  });

  it('falls back to the grid when no line is near, and prefers lines over the grid', () => {
    expect(snapRect(r(423, 263, 50, 40), targets, { threshold: 5, grid: 10 }).rect).toEqual(r(420, 260, 50, 40));
    // 298 is 2 from the zone edge at 300 and 2 from the grid line at 300 too; 101 is 1 from 100 (zone) — the line wins.
    expect(snapRect(r(101, 263, 50, 40), targets, { threshold: 5, grid: 7 }).rect.x).toBe(100);
    expect(snapRect(r(423, 263, 50, 40), targets, { threshold: 5, grid: 10 }).guides).toEqual([]);
  });
});

describe('snapRect while resizing', () => {
  const targets = snapTargets(PAGE, [r(100, 50, 200, 100)]);

  it('moves only the dragged edge', () => {
    const { rect } = snapRect(r(20, 20, 277, 60), targets, { threshold: 5, resize: { x: 'end' } });
    expect(rect).toEqual(r(20, 20, 280, 60));
    const left = snapRect(r(97, 20, 100, 60), targets, { threshold: 5, resize: { x: 'start' } }).rect;
    expect(left).toEqual(r(100, 20, 97, 60));
  });

  it('a corner snaps both axes; the other edges stay', () => {
    const { rect, guides } = snapRect(r(20, 20, 282, 128), targets, { threshold: 5, resize: { x: 'end', y: 'end' } });
    expect(rect).toEqual(r(20, 20, 280, 130));
    expect(guides.map((g) => `${g.axis}:${g.pos}`).sort()).toEqual(['x:300', 'y:150']);
  });

  it('never makes the rectangle smaller than the minimum size', () => {
    const t = snapTargets(PAGE, [r(30, 0, 10, 10)]);
    const { rect } = snapRect(r(28, 100, 4, 20), t, { threshold: 5, resize: { x: 'end' }, minSize: 2 });
    expect(rect.w).toBeGreaterThanOrEqual(2);
  });

  it('an axis that is not resized does not snap', () => {
    const { rect } = snapRect(r(20, 48, 277, 60), targets, { threshold: 5, resize: { x: 'end' } });
    expect(rect.y).toBe(48);
  });
});
