import type { Rect } from '../model/template.ts';

/**
 * Snapping for the template designer. Pure geometry in page points (origin at
 * the trim box's top-left, y down) so the canvas, the keyboard and the tests
 * all snap the same way.
 *
 * A target is a line the moving rectangle may align to: a page edge or the
 * page centre, another zone's edge or centre. The rule: on each axis the
 * nearest target within `threshold` wins (object and page lines before grid
 * lines); every target the snapped rectangle then lines up with is returned
 * as a guide to draw.
 */

export type GuideKind = 'page-edge' | 'page-center' | 'zone-edge' | 'zone-center' | 'grid';

/** A line to snap to: vertical lines have axis "x" (they fix an x), horizontal ones "y". */
export interface SnapTarget {
  axis: 'x' | 'y';
  pos: number;
  kind: GuideKind;
  /** Extent of the line along the other axis (for drawing the guide). */
  from: number;
  to: number;
}

/** A guide to draw: the target line, stretched to reach the snapped rectangle. */
export interface Guide {
  axis: 'x' | 'y';
  pos: number;
  kind: GuideKind;
  from: number;
  to: number;
}

/** Which edge moves on each axis while resizing; absent axes do not change. */
export interface ResizeEdges {
  x?: 'start' | 'end';
  y?: 'start' | 'end';
}

export interface SnapOptions {
  /** Largest distance, in points, at which a rectangle jumps to a line. */
  threshold: number;
  /** Grid spacing in points; grid lines count only when no other line is near. */
  grid?: number | undefined;
  /** Resize with these edges; a move when absent. */
  resize?: ResizeEdges | undefined;
  /** Smallest width and height a resize may produce (default 1 pt). */
  minSize?: number | undefined;
}

export interface SnapResult {
  rect: Rect;
  guides: Guide[];
}

const EPS = 1e-6;

/** Lines of the page (edges and centre) and of every other zone (edges and centres). */
export function snapTargets(page: { width: number; height: number }, others: readonly Rect[]): SnapTarget[] {
  const out: SnapTarget[] = [];
  const { width: W, height: H } = page;
  out.push(
    { axis: 'x', pos: 0, kind: 'page-edge', from: 0, to: H },
    { axis: 'x', pos: W, kind: 'page-edge', from: 0, to: H },
    { axis: 'x', pos: W / 2, kind: 'page-center', from: 0, to: H },
    { axis: 'y', pos: 0, kind: 'page-edge', from: 0, to: W },
    { axis: 'y', pos: H, kind: 'page-edge', from: 0, to: W },
    { axis: 'y', pos: H / 2, kind: 'page-center', from: 0, to: W },
  );
  for (const r of others) {
    for (const [pos, kind] of [
      [r.x, 'zone-edge'],
      [r.x + r.w, 'zone-edge'],
      [r.x + r.w / 2, 'zone-center'],
    ] as const) {
      out.push({ axis: 'x', pos, kind, from: r.y, to: r.y + r.h });
    }
    for (const [pos, kind] of [
      [r.y, 'zone-edge'],
      [r.y + r.h, 'zone-edge'],
      [r.y + r.h / 2, 'zone-center'],
    ] as const) {
      out.push({ axis: 'y', pos, kind, from: r.x, to: r.x + r.w });
    }
  }
  return out;
}

interface AxisSpan {
  start: number;
  size: number;
}

/** Positions on one axis that may snap: start, centre and end when moving; the moving edge when resizing. */
function probes(span: AxisSpan, edge: 'start' | 'end' | 'move'): number[] {
  if (edge === 'start') return [span.start];
  if (edge === 'end') return [span.start + span.size];
  return [span.start, span.start + span.size / 2, span.start + span.size];
}

/** The shift that brings the nearest probe onto the nearest target, if within the threshold. */
function bestShift(points: number[], lines: SnapTarget[], threshold: number, grid: number | undefined, gridProbes: number[]): number | undefined {
  let best: number | undefined;
  for (const p of points) {
    for (const l of lines) {
      const d = l.pos - p;
      if (Math.abs(d) <= threshold + EPS && (best === undefined || Math.abs(d) < Math.abs(best) - EPS)) best = d;
    }
  }
  if (best !== undefined || !grid || grid <= 0) return best;
  for (const p of gridProbes) {
    const d = Math.round(p / grid) * grid - p;
    if (Math.abs(d) <= threshold + EPS && (best === undefined || Math.abs(d) < Math.abs(best) - EPS)) best = d;
  }
  return best;
}

function applyAxis(span: AxisSpan, edge: 'start' | 'end' | 'move', shift: number, minSize: number): AxisSpan {
  if (edge === 'move') return { start: span.start + shift, size: span.size };
  if (edge === 'start') {
    const end = span.start + span.size;
    const start = Math.min(span.start + shift, end - minSize);
    return { start, size: end - start };
  }
  return { start: span.start, size: Math.max(minSize, span.size + shift) };
}

/**
 * Snaps a rectangle being moved (or resized, with `options.resize`) to the
 * targets. Returns the snapped rectangle and the guides it lines up with.
 */
export function snapRect(rect: Rect, targets: readonly SnapTarget[], options: SnapOptions): SnapResult {
  const minSize = options.minSize ?? 1;
  const xEdge = options.resize ? options.resize.x : 'move';
  const yEdge = options.resize ? options.resize.y : 'move';
  let xs: AxisSpan = { start: rect.x, size: rect.w };
  let ys: AxisSpan = { start: rect.y, size: rect.h };
  const xLines = targets.filter((t) => t.axis === 'x');
  const yLines = targets.filter((t) => t.axis === 'y');
  // Grid lines snap the leading edge when moving (so a box keeps its size on the grid), the moving edge when resizing.
  const gridProbe = (span: AxisSpan, edge: 'start' | 'end' | 'move') => (edge === 'end' ? [span.start + span.size] : [span.start]);
  if (xEdge) {
    const shift = bestShift(probes(xs, xEdge), xLines, options.threshold, options.grid, gridProbe(xs, xEdge));
    if (shift !== undefined) xs = applyAxis(xs, xEdge, shift, minSize);
  }
  if (yEdge) {
    const shift = bestShift(probes(ys, yEdge), yLines, options.threshold, options.grid, gridProbe(ys, yEdge));
    if (shift !== undefined) ys = applyAxis(ys, yEdge, shift, minSize);
  }
  const snapped: Rect = { x: xs.start, y: ys.start, w: xs.size, h: ys.size };
  return { rect: snapped, guides: guidesFor(snapped, targets, xEdge, yEdge) };
}

/** Every target line the rectangle's snappable positions sit on, stretched to cover the rectangle. */
function guidesFor(r: Rect, targets: readonly SnapTarget[], xEdge: 'start' | 'end' | 'move' | undefined, yEdge: 'start' | 'end' | 'move' | undefined): Guide[] {
  const out: Guide[] = [];
  // One guide per line: targets on the same line (a page centre and a zone edge) merge their extents.
  const add = (t: SnapTarget, from: number, to: number) => {
    const i = out.findIndex((g) => g.axis === t.axis && Math.abs(g.pos - t.pos) < 0.01);
    if (i < 0) out.push({ axis: t.axis, pos: t.pos, kind: t.kind, from, to });
    else out[i] = { ...out[i]!, from: Math.min(out[i]!.from, from), to: Math.max(out[i]!.to, to) };
  };
  const xs = xEdge ? probes({ start: r.x, size: r.w }, xEdge) : [];
  const ys = yEdge ? probes({ start: r.y, size: r.h }, yEdge) : [];
  for (const t of targets) {
    if (t.kind === 'grid') continue;
    if (t.axis === 'x' && xs.some((p) => Math.abs(p - t.pos) < 0.01)) add(t, Math.min(t.from, r.y), Math.max(t.to, r.y + r.h));
    if (t.axis === 'y' && ys.some((p) => Math.abs(p - t.pos) < 0.01)) add(t, Math.min(t.from, r.x), Math.max(t.to, r.x + r.w));
  }
  return out;
}
