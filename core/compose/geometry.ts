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
