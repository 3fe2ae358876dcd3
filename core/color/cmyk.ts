/**
 * How far a palette entry's CMYK value is from its sRGB hex, so the brand kit
 * editor can warn when the two were typed from different swatches.
 *
 * CMYK → sRGB is a print estimate, not the naive device formula
 * (R = 255 · (1 − C) · (1 − K), …): that formula treats cyan ink as #00FFFF and
 * puts correct brand specifications (process cyan #00AEEF = 100/0/0/0) 27 ΔE00
 * away, so a warning built on it would fire on good data. Instead this is a
 * Yule–Nielsen-corrected Demichel (cellular Neugebauer) model: the 16
 * overprints of the four inks at 0 % and 100 % (PRIMARIES, below) are mixed by
 * their Demichel area weights in linear light raised to 1/n, with n = 2. The
 * primaries are Ghostscript 10's default CMYK profile (a US web coated, SWOP-
 * like press) converted to sRGB by Ghostscript itself; on a 5-level grid of
 * all four inks (625 patches) the model is within 2.4 ΔE00 of that conversion
 * on average and 6.0 at worst (the naive formula: 8.9 and 33). It is still an
 * estimate for one press condition, which is why the editor only warns.
 *
 * Colours are compared in CIELAB (D65) with CIEDE2000 (Sharma, Wu & Dalal
 * 2005), which follows perceived difference better than CIE76's Euclidean
 * distance, especially for blues and near-greys.
 */
import { parseHex, toHex, type Cmyk, type Rgb } from '../util/color.ts';

export type { Cmyk, Rgb };
/** CIELAB, D65 reference white: L 0..100, a and b roughly −128..127. */
export type Lab = readonly [number, number, number];

/**
 * ΔE00 above which the editor warns. Published brand specifications (hex and
 * CMYK taken from the same swatch book) land within about 11 of the estimate;
 * a typo (9 for 90), swapped fields or a CMYK from another colour land at 30
 * and beyond. 15 sits between the two.
 */
export const CMYK_WARN_DELTA_E = 15;

/** Yule–Nielsen n: the exponent that fits the reference conversion best (2.4 mean ΔE00; n = 1.5 gives 4.1, n = 2.5 gives 3.9). */
const YULE_NIELSEN_N = 2;

/**
 * The 16 overprints, indexed by a 4-bit mask C M Y K (C is bit 3), as sRGB
 * 0..255: Ghostscript 10's default CMYK profile rendered to sRGB.
 */
const PRIMARIES: readonly Rgb[] = [
  [255, 255, 255], // paper
  [35, 31, 32], // K
  [255, 242, 0], // Y
  [27, 26, 0], // YK
  [236, 0, 140], // M
  [35, 0, 0], // MK
  [237, 28, 36], // MY
  [34, 0, 0], // MYK
  [0, 174, 239], // C
  [0, 14, 35], // CK
  [0, 166, 80], // CY
  [0, 18, 0], // CYK
  [46, 48, 146], // CM
  [0, 0, 1], // CMK
  [54, 54, 57], // CMY
  [0, 0, 0], // CMYK
];

function linear(v: number): number {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

function encode(l: number): number {
  const v = l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055;
  return Math.min(255, Math.max(0, v * 255));
}

// The primaries in linear light, raised to 1/n once.
const PRIMARIES_YN = PRIMARIES.map((rgb) => rgb.map((v) => linear(v) ** (1 / YULE_NIELSEN_N)) as [number, number, number]);

/** CMYK (percent, clamped to 0..100) → sRGB (0..255, unrounded), estimated for print (see the top of this file). */
export function cmykToSrgb(cmyk: Cmyk): Rgb {
  const f = cmyk.map((v) => Math.min(100, Math.max(0, Number.isFinite(v) ? v : 0)) / 100);
  const out = [0, 0, 0];
  for (let mask = 0; mask < 16; mask++) {
    let w = 1;
    for (let ink = 0; ink < 4; ink++) w *= (mask >> (3 - ink)) & 1 ? f[ink]! : 1 - f[ink]!;
    if (w === 0) continue;
    const p = PRIMARIES_YN[mask]!;
    for (let i = 0; i < 3; i++) out[i]! += w * p[i]!;
  }
  return [encode(out[0]! ** YULE_NIELSEN_N), encode(out[1]! ** YULE_NIELSEN_N), encode(out[2]! ** YULE_NIELSEN_N)];
}

/** The CMYK estimate as "#RRGGBB", for swatches. */
export function cmykToHex(cmyk: Cmyk): string {
  return toHex(cmykToSrgb(cmyk));
}

// D65 reference white of sRGB, in the same (Y = 1) scale as the matrix below.
const WHITE_X = 0.95047;
const WHITE_Y = 1;
const WHITE_Z = 1.08883;

function labF(t: number): number {
  const d = 6 / 29;
  return t > d ** 3 ? Math.cbrt(t) : t / (3 * d * d) + 4 / 29;
}

/** sRGB (0..255) → CIELAB under D65 (IEC 61966-2-1 matrix). */
export function srgbToLab(rgb: Rgb): Lab {
  const r = linear(rgb[0]);
  const g = linear(rgb[1]);
  const b = linear(rgb[2]);
  const x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = 0.0193339 * r + 0.119192 * g + 0.9503041 * b;
  const fx = labF(x / WHITE_X);
  const fy = labF(y / WHITE_Y);
  const fz = labF(z / WHITE_Z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE76: the Euclidean distance in CIELAB. */
export function deltaE76(p: Lab, q: Lab): number {
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

const deg = (r: number) => (r * 180) / Math.PI;
const rad = (d: number) => (d * Math.PI) / 180;

/** CIEDE2000 colour difference with kL = kC = kH = 1. */
export function deltaE2000(p: Lab, q: Lab): number {
  const [L1, a1, b1] = p;
  const [L2, a2, b2] = q;
  const C1 = Math.hypot(a1, b1);
  const C2 = Math.hypot(a2, b2);
  const Cbar = (C1 + C2) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cbar ** 7 / (Cbar ** 7 + 25 ** 7)));
  const a1p = (1 + G) * a1;
  const a2p = (1 + G) * a2;
  const C1p = Math.hypot(a1p, b1);
  const C2p = Math.hypot(a2p, b2);
  const hue = (b: number, a: number) => {
    if (a === 0 && b === 0) return 0;
    const h = deg(Math.atan2(b, a));
    return h < 0 ? h + 360 : h;
  };
  const h1p = hue(b1, a1p);
  const h2p = hue(b2, a2p);

  const dLp = L2 - L1;
  const dCp = C2p - C1p;
  let dhp = 0;
  if (C1p * C2p !== 0) {
    dhp = h2p - h1p;
    if (dhp > 180) dhp -= 360;
    else if (dhp < -180) dhp += 360;
  }
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin(rad(dhp / 2));

  const Lbarp = (L1 + L2) / 2;
  const Cbarp = (C1p + C2p) / 2;
  let hbarp = h1p + h2p;
  if (C1p * C2p !== 0) {
    if (Math.abs(h1p - h2p) <= 180) hbarp = (h1p + h2p) / 2;
    else hbarp = h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
  }
  const T = 1 - 0.17 * Math.cos(rad(hbarp - 30)) + 0.24 * Math.cos(rad(2 * hbarp)) + 0.32 * Math.cos(rad(3 * hbarp + 6)) - 0.2 * Math.cos(rad(4 * hbarp - 63));
  const dTheta = 30 * Math.exp(-(((hbarp - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(Cbarp ** 7 / (Cbarp ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lbarp - 50) ** 2) / Math.sqrt(20 + (Lbarp - 50) ** 2);
  const Sc = 1 + 0.045 * Cbarp;
  const Sh = 1 + 0.015 * Cbarp * T;
  const Rt = -Math.sin(rad(2 * dTheta)) * Rc;
  const l = dLp / Sl;
  const c = dCp / Sc;
  const h = dHp / Sh;
  return Math.sqrt(l * l + c * c + h * h + Rt * c * h);
}

export interface PaletteAgreement {
  /** CIEDE2000 between the hex colour and the print estimate of the CMYK value. */
  deltaE: number;
  /** The print estimate of the CMYK value, for a swatch beside the hex one. */
  cmykHex: string;
  /** True when deltaE exceeds the threshold: the editor shows a warning. */
  far: boolean;
}

/**
 * Compares a palette entry's hex and CMYK values. Undefined when the hex is
 * not "#RRGGBB" (the editor reports that error separately).
 */
export function paletteAgreement(hex: string, cmyk: Cmyk, threshold = CMYK_WARN_DELTA_E): PaletteAgreement | undefined {
  if (!/^#[0-9A-Fa-f]{6}$/.test(hex)) return undefined;
  const printed = cmykToSrgb(cmyk);
  const deltaE = deltaE2000(srgbToLab(parseHex(hex)!), srgbToLab(printed));
  return { deltaE, cmykHex: toHex(printed), far: deltaE > threshold };
}

/**
 * A CMYK starting point for a hex colour, in whole percent: the naive
 * inversion refined by coordinate descent on ΔE00 against the print
 * estimate. What the editor proposes when asked; vendors replace it with
 * their printer's or swatch book's values. Colours outside the press gamut
 * (bright screen greens and blues) keep a visible ΔE: that is the truth.
 */
export function suggestCmyk(hex: string): [number, number, number, number] | undefined {
  if (!/^#[0-9A-Fa-f]{6}$/.test(hex)) return undefined;
  const target = srgbToLab(parseHex(hex)!);
  const [r, g, b] = parseHex(hex)!.map((v) => v / 255) as [number, number, number];
  const k0 = 1 - Math.max(r, g, b);
  const pct = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 100);
  const best: [number, number, number, number] = k0 >= 1 ? [0, 0, 0, 100] : [pct((1 - r - k0) / (1 - k0)), pct((1 - g - k0) / (1 - k0)), pct((1 - b - k0) / (1 - k0)), pct(k0)];
  let err = deltaE2000(target, srgbToLab(cmykToSrgb(best)));
  for (const step of [16, 8, 4, 2, 1]) {
    for (let improved = true, rounds = 0; improved && rounds < 40; rounds++) {
      improved = false;
      for (let ink = 0; ink < 4; ink++) {
        for (const dir of [-step, step]) {
          const next = [...best] as [number, number, number, number];
          next[ink] = Math.min(100, Math.max(0, next[ink]! + dir));
          if (next[ink] === best[ink]) continue;
          const e = deltaE2000(target, srgbToLab(cmykToSrgb(next)));
          if (e < err - 1e-9) {
            err = e;
            best[ink] = next[ink]!;
            improved = true;
          }
        }
      }
    }
  }
  return best;
}
