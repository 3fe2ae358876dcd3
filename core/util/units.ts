/** Length conversions. All geometry in Lockup is in PDF points (1/72 inch). */
export const PT_PER_INCH = 72;
export const MM_PER_INCH = 25.4;

export type LengthUnit = 'pt' | 'mm' | 'in' | 'px';

export function mmToPt(mm: number): number {
  return (mm / MM_PER_INCH) * PT_PER_INCH;
}

export function ptToMm(pt: number): number {
  return (pt / PT_PER_INCH) * MM_PER_INCH;
}

/** Parses "25mm", "0.5in", "72pt" or "96px" (CSS px = 0.75 pt) into points. */
export function parseLength(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(pt|mm|in|px)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  switch (m[2] as LengthUnit) {
    case 'pt':
      return value;
    case 'mm':
      return mmToPt(value);
    case 'in':
      return value * PT_PER_INCH;
    case 'px':
      return value * 0.75;
  }
}

/** Effective resolution in pixels per inch of `pixels` drawn across `points`. */
export function effectivePpi(pixels: number, points: number): number {
  return points <= 0 ? Infinity : pixels / (points / PT_PER_INCH);
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
