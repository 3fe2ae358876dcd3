import type { Align, Rect } from '../model/template.ts';

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function containsPoint(r: Rect, x: number, y: number): boolean {
  return x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h;
}

export function inset(r: Rect, d: number): Rect {
  return { x: r.x + d, y: r.y + d, w: Math.max(0, r.w - 2 * d), h: Math.max(0, r.h - 2 * d) };
}

export function union(rects: Rect[]): Rect | undefined {
  if (rects.length === 0) return undefined;
  const x1 = Math.min(...rects.map((r) => r.x));
  const y1 = Math.min(...rects.map((r) => r.y));
  const x2 = Math.max(...rects.map((r) => r.x + r.w));
  const y2 = Math.max(...rects.map((r) => r.y + r.h));
  return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}

function alignIn(box: Rect, w: number, h: number, align: Align): Rect {
  const x = align.h === 'left' ? box.x : align.h === 'right' ? box.x + box.w - w : box.x + (box.w - w) / 2;
  const y = align.v === 'top' ? box.y : align.v === 'bottom' ? box.y + box.h - h : box.y + (box.h - h) / 2;
  return { x, y, w, h };
}

/** Places an image of intrinsic size w × h in a box ("contain" fits inside, "cover" fills and is clipped). */
export function fitImage(w: number, h: number, box: Rect, fit: 'contain' | 'cover', align: Align): Rect {
  const s = fit === 'contain' ? Math.min(box.w / w, box.h / h) : Math.max(box.w / w, box.h / h);
  return alignIn(box, w * s, h * s, align);
}

/**
 * Fits a logo inside a zone so that its clear space (a fraction of the drawn
 * logo's height, on every side) also stays inside the zone.
 */
export function placeLogo(w: number, h: number, zone: Rect, clearFraction: number, align: Align): { place: Rect; clear: Rect } {
  const s = Math.min(zone.w / (w + 2 * clearFraction * h), zone.h / (h * (1 + 2 * clearFraction)));
  const lw = w * s;
  const lh = h * s;
  const margin = clearFraction * lh;
  const place = alignIn(inset(zone, margin), lw, lh, align);
  return { place, clear: { x: place.x - margin, y: place.y - margin, w: lw + 2 * margin, h: lh + 2 * margin } };
}

/** One logo of a lockup row: its intrinsic size and its height relative to the vendor logo's. */
export interface LockupPart {
  width: number;
  height: number;
  relative: number;
}

export interface LockupPlacement {
  /** Where each part is drawn, in the order given. */
  places: Rect[];
  /** Separators between neighbours (n - 1 of them, or none). */
  separators: Rect[];
  /** The drawn vendor logo height: the unit of the gaps and the clear space. */
  unit: number;
  /** The row with its clear space. */
  clear: Rect;
}

/**
 * Lays out a lockup row. Every size is proportional to the vendor logo's
 * drawn height H: each part is drawn at `relative × H` high; a separator of
 * width `ruleWidth` sits in a gap of `gap × H` on each side; the clear space
 * (`clear × H`) surrounds the row. H is the largest that fits the zone in
 * both directions, so the lockup is as large as the zone allows and never
 * overflows it; parts are centred vertically on the row.
 */
export function placeLockup(parts: readonly LockupPart[], zone: Rect, o: { gap: number; clear: number; ruleWidth: number; align: 'left' | 'center' | 'right' }): LockupPlacement {
  const n = parts.length;
  const seps = o.ruleWidth > 0 ? n - 1 : 0;
  const k = Math.max(...parts.map((p) => p.relative));
  // Width per unit of H: logos at their aspect ratio, gaps around each separator (or one gap when none), clear space.
  const perUnit = parts.reduce((sum, p) => sum + (p.width / p.height) * p.relative, 0) + (n - 1) * (seps > 0 ? 2 * o.gap : o.gap) + 2 * o.clear;
  const fixed = seps * o.ruleWidth;
  const H = Math.max(0, Math.min(zone.h / (k + 2 * o.clear), (zone.w - fixed) / perUnit));
  const rowH = k * H;
  const rowW = perUnit * H + fixed - 2 * o.clear * H;
  const x0 = o.align === 'left' ? zone.x + o.clear * H : o.align === 'right' ? zone.x + zone.w - o.clear * H - rowW : zone.x + (zone.w - rowW) / 2;
  const y0 = zone.y + (zone.h - rowH) / 2;
  const places: Rect[] = [];
  const separators: Rect[] = [];
  let x = x0;
  parts.forEach((p, i) => {
    const h = p.relative * H;
    const w = (p.width / p.height) * h;
    places.push({ x, y: y0 + (rowH - h) / 2, w, h });
    x += w;
    if (i < n - 1) {
      if (seps > 0) {
        x += o.gap * H;
        separators.push({ x, y: y0, w: o.ruleWidth, h: rowH });
        x += o.ruleWidth + o.gap * H;
      } else x += o.gap * H;
    }
  });
  const m = o.clear * H;
  return { places, separators, unit: H, clear: { x: x0 - m, y: y0 - m, w: rowW + 2 * m, h: rowH + 2 * m } };
}
