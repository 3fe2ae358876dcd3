/** sRGB colour helpers (WCAG 2.x relative luminance and contrast). */
export type Rgb = readonly [number, number, number]; // 0..255
export type Cmyk = readonly [number, number, number, number]; // 0..100

export function parseHex(hex: string): Rgb | undefined {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex.trim());
  if (!m) return undefined;
  let h = m[1]!;
  if (h.length === 3) h = h.split('').map((c) => c + c).join('');
  const n = parseInt(h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function toHex(rgb: Rgb): string {
  return '#' + rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('').toUpperCase();
}

function channel(v: number): number {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance(rgb: Rgb): number {
  return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

/** WCAG contrast ratio between two colours, 1..21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  const [hi, lo] = la > lb ? [la, lb] : [lb, la];
  return (hi + 0.05) / (lo + 0.05);
}

export function isDark(rgb: Rgb): boolean {
  return relativeLuminance(rgb) < 0.4;
}

/** Naive CMYK→sRGB, used only to warn when a palette entry's two values disagree. */
export function cmykToRgb(cmyk: Cmyk): Rgb {
  const [c, m, y, k] = cmyk.map((v) => v / 100) as [number, number, number, number];
  return [255 * (1 - c) * (1 - k), 255 * (1 - m) * (1 - k), 255 * (1 - y) * (1 - k)];
}

export const WHITE: Rgb = [255, 255, 255];
