import { LockupError } from '../errors.ts';
import { relativeLuminance, toHex, type Rgb } from '../util/color.ts';
import type { Inflate } from '../util/inflate.ts';
import { decodePng, readPngHeader, type Rgba8 } from './png.ts';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from './prepare.ts';
import { ppiAtLargestSlot, type SlotSize } from './resolution.ts';

/**
 * Logo preflight: what is wrong with a raster logo a partner just dropped,
 * measured on its pixels, and the fixes that make new pixels. Pure and
 * deterministic; heuristics and thresholds are in
 * docs/decisions/0016-logo-preflight.md.
 */

/** 8-bit RGBA pixels, row-major, 4 bytes a pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export type PreflightFix = 'trim' | 'remove-checkerboard' | 'remove-background';

export interface PreflightFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  fix?: PreflightFix;
}

/**
 * A partner-logo slot the logo may be placed in, in points. `print` is false
 * for templates made for screens (social posts, banners: 1 px = 1 pt), which
 * are held to the screen threshold only.
 */
export interface LogoSlot extends SlotSize {
  print: boolean;
}

/** A zone background the logo will sit on. */
export interface LogoBackground {
  rgb: Rgb;
  label: string;
}

export interface PreflightOptions {
  /** Slots from the templates the partner may use; the one giving the lowest ppi is "the largest". */
  slots: LogoSlot[];
  thresholds: { print: number; screen: number; screenWarning?: number };
  /** Backgrounds the logo will be used on (light zones for the light variant, and so on). */
  backgrounds: LogoBackground[];
}

export interface PreflightReport {
  width: number;
  height: number;
  vector: boolean;
  /** Bounds of the visible pixels when there is transparent padding to trim. */
  trim: { x: number; y: number; width: number; height: number } | null;
  background: 'transparent' | 'checkerboard' | 'solid' | 'none';
  /** The opaque background colour when `background` is "solid". */
  backgroundColor: string | null;
  /** Median relative luminance of the logo's own (opaque, non-background) pixels, 0..1. */
  luminance: number | null;
  /** Contrast of the logo against a white and a near-black background (WCAG ratio, median over its pixels). */
  contrast: { light: number; dark: number } | null;
  /** The background the logo stands out on more. */
  bestOn: 'light' | 'dark' | null;
  /** Effective resolution at the largest print slot (the largest screen slot when there is none); null for vector logos and without slots. */
  ppi: { value: number; slot: string } | null;
  findings: PreflightFinding[];
}

/** Below this WCAG-like ratio a logo is "nearly invisible" on a background. */
export const NEARLY_INVISIBLE_RATIO = 1.5;
/** Reference backgrounds for the light/dark recommendation. */
export const LIGHT_REFERENCE: Rgb = [255, 255, 255];
export const DARK_REFERENCE: Rgb = [26, 26, 26];
/** Pixels whose alpha is at or below this are invisible (padding). */
const INVISIBLE_ALPHA = 8;
/** The flood fill and the contrast histogram visit about this many pixels at most; larger images are sampled on a regular grid. */
const ANALYSIS_BUDGET = 250_000;
/** Solid background: largest per-channel difference still counted as the background colour. */
const SOLID_TOLERANCE = 24;
/** Checkerboard: tolerance around each of its two grey levels. */
const CHECKER_TOLERANCE = 12;

/** 8-bit RGBA from our PNG decoder's output. */
export function toRgba(decoded: Rgba8): RgbaImage {
  const n = decoded.width * decoded.height;
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    if (decoded.colors === 3) {
      rgba[i * 4] = decoded.color[i * 3]!;
      rgba[i * 4 + 1] = decoded.color[i * 3 + 1]!;
      rgba[i * 4 + 2] = decoded.color[i * 3 + 2]!;
    } else {
      const g = decoded.color[i]!;
      rgba[i * 4] = g;
      rgba[i * 4 + 1] = g;
      rgba[i * 4 + 2] = g;
    }
    rgba[i * 4 + 3] = decoded.alpha ? decoded.alpha[i]! : 255;
  }
  return { width: decoded.width, height: decoded.height, rgba };
}

/**
 * Decodes a PNG to RGBA under the same limits as intake (dimensions checked
 * before any pixel is inflated, inflate capped at the declared size).
 */
export function decodePngRgba(bytes: Uint8Array, name: string, inflate: Inflate): RgbaImage {
  const header = readPngHeader(bytes, name);
  if (header.width > MAX_IMAGE_SIDE || header.height > MAX_IMAGE_SIDE || header.width * header.height > MAX_IMAGE_PIXELS) {
    throw new LockupError('image-too-large', `"${name}" declares ${header.width} × ${header.height} pixels, more than Lockup accepts`);
  }
  return toRgba(decodePng(header, name, inflate));
}

// ---------------------------------------------------------------- geometry

/** The bounding box of the visible pixels, or null when every pixel is invisible. */
export function visibleBounds(img: RgbaImage): { x: number; y: number; width: number; height: number } | null {
  const { width: w, height: h, rgba } = img;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    let row = y * w * 4 + 3;
    for (let x = 0; x < w; x++, row += 4) {
      if (rgba[row]! > INVISIBLE_ALPHA) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Padding worth trimming: at least 2 px and 2 % of the side on some edge. */
function paddingWorthTrimming(img: RgbaImage, b: { x: number; y: number; width: number; height: number }): boolean {
  const edges = [
    [b.x, img.width],
    [img.width - b.x - b.width, img.width],
    [b.y, img.height],
    [img.height - b.y - b.height, img.height],
  ] as const;
  return edges.some(([pad, side]) => pad >= 2 && pad >= side * 0.02);
}

// ---------------------------------------------------------------- backgrounds

/** The outer ring of pixels (indices), every pixel of it: it is small even for huge images. */
function ring(w: number, h: number): number[] {
  const out: number[] = [];
  for (let x = 0; x < w; x++) out.push(x);
  if (h > 1) for (let x = 0; x < w; x++) out.push((h - 1) * w + x);
  for (let y = 1; y < h - 1; y++) {
    out.push(y * w);
    if (w > 1) out.push(y * w + w - 1);
  }
  return out;
}

const gray = (p: Uint8Array, i: number) => Math.round((p[i * 4]! + p[i * 4 + 1]! + p[i * 4 + 2]!) / 3);
const chroma = (p: Uint8Array, i: number) => Math.max(p[i * 4]!, p[i * 4 + 1]!, p[i * 4 + 2]!) - Math.min(p[i * 4]!, p[i * 4 + 1]!, p[i * 4 + 2]!);
const opaque = (p: Uint8Array, i: number) => p[i * 4 + 3]! >= 250;

/** A model of the background: does pixel (x, y) belong to it, and what colour would it be there. */
interface BackgroundModel {
  kind: 'checkerboard' | 'solid';
  matches(img: RgbaImage, x: number, y: number): boolean;
  expected(x: number, y: number): Rgb;
  color: Rgb | null;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Run lengths of a two-class sequence, without the first and last (partial) runs. */
function innerRuns(classes: number[]): { runs: number[]; firstEdge: number } {
  const runs: number[] = [];
  let start = 0;
  let firstEdge = -1;
  for (let i = 1; i <= classes.length; i++) {
    if (i === classes.length || classes[i] !== classes[i - 1]) {
      if (start > 0 && i < classes.length) runs.push(i - start);
      if (i < classes.length && firstEdge < 0) firstEdge = i;
      start = i;
    }
  }
  return { runs, firstEdge };
}

/** The square size of a checkerboard along one edge, with a cell edge position; undefined when the edge is not regular. */
function period(classes: number[]): { size: number; edge: number } | undefined {
  const { runs, firstEdge } = innerRuns(classes);
  if (runs.length < 2 || firstEdge < 0) return undefined;
  const size = median(runs);
  if (size < 4 || size > 32) return undefined;
  const regular = runs.filter((r) => Math.abs(r - size) <= 1).length;
  return regular >= runs.length * 0.8 ? { size, edge: firstEdge } : undefined;
}

/**
 * A fake transparency checkerboard: the whole outer ring is opaque light
 * neutral grey/white in two levels, alternating in squares of 4–32 px along
 * both the top row and the left column, and 90 % of the ring agrees with the
 * one grid both define. A pattern inside a logo never reaches the ring
 * test; a logo touching the edge only lowers the agreement a little.
 */
function detectCheckerboard(img: RgbaImage): BackgroundModel | undefined {
  const { width: w, height: h, rgba } = img;
  if (w < 16 || h < 16) return undefined;
  const edge = ring(w, h);
  const light = edge.filter((i) => opaque(rgba, i) && chroma(rgba, i) <= 10 && gray(rgba, i) >= 150);
  if (light.length < edge.length * 0.9) return undefined;
  const values = light.map((i) => gray(rgba, i));
  const lo0 = Math.min(...values);
  const hi0 = Math.max(...values);
  if (hi0 - lo0 < 6) return undefined;
  const mid = (lo0 + hi0) / 2;
  const low = values.filter((v) => v < mid);
  const high = values.filter((v) => v >= mid);
  if (low.length < light.length * 0.25 || high.length < light.length * 0.25) return undefined;
  const lo = median(low);
  const hi = median(high);
  const cls = (i: number) => (gray(rgba, i) >= mid ? 1 : 0);
  const top = period(Array.from({ length: w }, (_, x) => cls(x)));
  const left = period(Array.from({ length: h }, (_, y) => cls(y * w)));
  if (!top || !left || Math.abs(top.size - left.size) > 1) return undefined;
  const size = top.size;
  const ox = top.edge % size;
  const oy = left.edge % size;
  const cell = (x: number, y: number) => (Math.floor((x - ox + size) / size) + Math.floor((y - oy + size) / size)) & 1;
  // Which level the even cells are: decided by the majority of the ring.
  let agree = 0;
  for (const i of light) if (cls(i) === cell(i % w, Math.floor(i / w))) agree++;
  const phase = agree >= light.length / 2 ? 0 : 1;
  const matching = Math.max(agree, light.length - agree);
  if (matching < edge.length * 0.9) return undefined;
  const level = (x: number, y: number) => ((cell(x, y) ^ phase) === 1 ? hi : lo);
  const nearCellEdge = (x: number, y: number) => {
    const dx = (x - ox + size * 4) % size;
    const dy = (y - oy + size * 4) % size;
    return dx < 1 || dx >= size - 1 || dy < 1 || dy >= size - 1;
  };
  return {
    kind: 'checkerboard',
    color: null,
    expected: (x, y) => {
      const v = level(x, y);
      return [v, v, v];
    },
    matches: (im, x, y) => {
      const i = y * im.width + x;
      if (!opaque(im.rgba, i) || chroma(im.rgba, i) > 10) return false;
      const v = gray(im.rgba, i);
      if (Math.abs(v - level(x, y)) <= CHECKER_TOLERANCE) return true;
      // Squares resampled by a screenshot blur their edges: anything between the two levels there.
      return nearCellEdge(x, y) && v >= lo - CHECKER_TOLERANCE && v <= hi + CHECKER_TOLERANCE;
    },
  };
}

/** A solid background: 95 % of the outer ring is opaque and within tolerance of its median colour. */
function detectSolid(img: RgbaImage): BackgroundModel | undefined {
  const { width: w, height: h, rgba } = img;
  const edge = ring(w, h);
  const solid = edge.filter((i) => opaque(rgba, i));
  if (solid.length < edge.length * 0.95) return undefined;
  const c: Rgb = [0, 1, 2].map((k) => median(solid.map((i) => rgba[i * 4 + k]!))) as unknown as Rgb;
  const near = (p: Uint8Array, i: number) =>
    opaque(p, i) && Math.abs(p[i * 4]! - c[0]) <= SOLID_TOLERANCE && Math.abs(p[i * 4 + 1]! - c[1]) <= SOLID_TOLERANCE && Math.abs(p[i * 4 + 2]! - c[2]) <= SOLID_TOLERANCE;
  if (solid.filter((i) => near(rgba, i)).length < edge.length * 0.95) return undefined;
  return { kind: 'solid', color: c, expected: () => c, matches: (im, x, y) => near(im.rgba, y * im.width + x) };
}

/**
 * Flood fill from the outer ring over pixels the model accepts, 4-connected,
 * visiting every `step`-th pixel in each direction (step 1 for fixes, larger
 * to bound the work of analysis on big images). Returns the mask on that grid.
 */
function flood(img: RgbaImage, model: BackgroundModel, step: number): { mask: Uint8Array; gw: number; gh: number; count: number } {
  const gw = Math.ceil(img.width / step);
  const gh = Math.ceil(img.height / step);
  const mask = new Uint8Array(gw * gh);
  const stack: number[] = [];
  const seed = (gx: number, gy: number) => {
    const g = gy * gw + gx;
    if (mask[g] === 0 && model.matches(img, Math.min(gx * step, img.width - 1), Math.min(gy * step, img.height - 1))) {
      mask[g] = 1;
      stack.push(g);
    }
  };
  for (let gx = 0; gx < gw; gx++) {
    seed(gx, 0);
    seed(gx, gh - 1);
  }
  for (let gy = 0; gy < gh; gy++) {
    seed(0, gy);
    seed(gw - 1, gy);
  }
  let count = stack.length;
  while (stack.length > 0) {
    const g = stack.pop()!;
    const gx = g % gw;
    const gy = (g - gx) / gw;
    const before = stack.length;
    if (gx > 0) seed(gx - 1, gy);
    if (gx < gw - 1) seed(gx + 1, gy);
    if (gy > 0) seed(gx, gy - 1);
    if (gy < gh - 1) seed(gx, gy + 1);
    count += stack.length - before;
  }
  return { mask, gw, gh, count };
}

function detectBackground(img: RgbaImage): BackgroundModel | undefined {
  return detectCheckerboard(img) ?? detectSolid(img);
}

// ---------------------------------------------------------------- contrast

/** Median contrast of the given pixels against `bg` (one entry per pixel luminance, as a 1024-bin histogram). */
function medianContrast(hist: Float64Array, total: number, bg: Rgb): number {
  const lb = relativeLuminance(bg);
  const bins = Array.from(hist, (n, b) => {
    const l = (b + 0.5) / hist.length;
    return { n, ratio: (Math.max(l, lb) + 0.05) / (Math.min(l, lb) + 0.05) };
  })
    .filter((e) => e.n > 0)
    .sort((a, b) => a.ratio - b.ratio);
  let seen = 0;
  for (const e of bins) {
    seen += e.n;
    if (seen * 2 >= total) return e.ratio;
  }
  return 1;
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------- analysis

/**
 * Looks at a raster logo: transparent padding, a fake transparency
 * checkerboard or a solid background, its resolution at the largest slot
 * and its contrast on the backgrounds it will be used on. Work is bounded:
 * images over a quarter megapixel are sampled on a regular grid.
 */
export function preflightRaster(img: RgbaImage, options: PreflightOptions): PreflightReport {
  const findings: PreflightFinding[] = [];
  const { width: w, height: h, rgba } = img;
  const step = Math.max(1, Math.ceil(Math.sqrt((w * h) / ANALYSIS_BUDGET)));

  const bounds = visibleBounds(img);
  if (!bounds) {
    findings.push({ code: 'logo-empty', severity: 'error', message: 'Every pixel of this logo is transparent: there is nothing to show' });
    return { width: w, height: h, vector: false, trim: null, background: 'transparent', backgroundColor: null, luminance: null, contrast: null, bestOn: null, ppi: null, findings };
  }
  let trim: PreflightReport['trim'] = null;
  if (paddingWorthTrimming(img, bounds)) {
    trim = bounds;
    findings.push({
      code: 'logo-padding',
      severity: 'warning',
      message: `The logo has transparent padding (${w} × ${h} px, of which the logo is ${bounds.width} × ${bounds.height} px); it would be placed smaller than the slot allows`,
      fix: 'trim',
    });
  }

  let background: PreflightReport['background'] = bounds.width === w && bounds.height === h && !ring(w, h).some((i) => rgba[i * 4 + 3]! < 250) ? 'none' : 'transparent';
  let backgroundColor: string | null = null;
  let bgMask: { mask: Uint8Array; gw: number } | undefined;
  const model = background === 'none' ? detectBackground(img) : undefined;
  if (model) {
    const f = flood(img, model, step);
    const cells = f.gw * f.gh;
    const left = cells - f.count;
    if (left < cells * 0.002) {
      findings.push({ code: 'logo-blank', severity: 'error', message: 'This image is only a background: no logo could be found in it' });
    } else if (f.count >= cells * 0.05) {
      bgMask = f;
      background = model.kind;
      if (model.kind === 'checkerboard') {
        findings.push({
          code: 'logo-fake-transparency',
          severity: 'error',
          message: 'The grey and white squares behind this logo are part of the image, not transparency: they would print',
          fix: 'remove-checkerboard',
        });
      } else {
        backgroundColor = toHex(model.color!);
        findings.push({
          code: 'logo-solid-background',
          severity: 'warning',
          message: `The logo sits on an opaque ${backgroundColor} box, which will show on any other background; it can be made transparent`,
          fix: 'remove-background',
        });
      }
    }
  }

  // Contrast over the logo's own pixels: opaque enough, and not the background just found.
  const hist = new Float64Array(1024);
  let total = 0;
  for (let y = 0, gy = 0; y < h; y += step, gy++) {
    for (let x = 0, gx = 0; x < w; x += step, gx++) {
      const i = y * w + x;
      if (rgba[i * 4 + 3]! < 128) continue;
      if (bgMask && bgMask.mask[gy * bgMask.gw + gx]) continue;
      const l = relativeLuminance([rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!]);
      hist[Math.min(1023, Math.floor(l * 1024))]! += 1;
      total++;
    }
  }
  let luminance: number | null = null;
  let contrast: PreflightReport['contrast'] = null;
  let bestOn: PreflightReport['bestOn'] = null;
  if (total > 0) {
    let seen = 0;
    for (let b = 0; b < 1024; b++) {
      seen += hist[b]!;
      if (seen * 2 >= total) {
        luminance = round((b + 0.5) / 1024, 3);
        break;
      }
    }
    contrast = { light: round(medianContrast(hist, total, LIGHT_REFERENCE)), dark: round(medianContrast(hist, total, DARK_REFERENCE)) };
    bestOn = contrast.dark > contrast.light ? 'dark' : 'light';
    // A logo on an opaque box of its own is seen against that box wherever it goes.
    if (background !== 'none') {
      for (const bg of options.backgrounds) {
        const ratio = round(medianContrast(hist, total, bg.rgb));
        if (ratio < NEARLY_INVISIBLE_RATIO) {
          const tone = relativeLuminance(bg.rgb) < 0.4 ? 'dark' : 'light';
          findings.push({
            code: 'logo-nearly-invisible',
            severity: 'warning',
            message: `Nearly invisible on ${tone} backgrounds: contrast ${ratio}:1 against ${toHex(bg.rgb)} (${bg.label}); at least ${NEARLY_INVISIBLE_RATIO}:1 is needed to see it`,
          });
        }
      }
    }
  }

  const res = resolution(w, h, options);
  findings.push(...res.findings);
  const ppi = res.ppi;
  return { width: w, height: h, vector: false, trim, background, backgroundColor, luminance, contrast, bestOn, ppi, findings };
}

/**
 * Resolution at the largest slot (core/images/resolution.ts, the same
 * measure the logo's caption shows): an error when it is below the screen
 * threshold in any slot, a warning when it is below the print threshold in a
 * slot of a print template.
 */
export function resolution(w: number, h: number, options: Pick<PreflightOptions, 'slots' | 'thresholds'>): { ppi: { value: number; slot: string } | null; findings: PreflightFinding[] } {
  const t = options.thresholds;
  const screen = ppiAtLargestSlot(w, h, options.slots);
  const print = ppiAtLargestSlot(w, h, options.slots.filter((s) => s.print));
  const findings: PreflightFinding[] = [];
  if (screen && screen.value < t.screen) {
    findings.push({ code: 'logo-resolution-low', severity: 'error', message: `Too low resolution: ${screen.value} ppi at the largest slot (${screen.slot}); screens need ${t.screen} ppi and print ${t.print} ppi` });
  } else if (print && print.value < t.print) {
    findings.push({ code: 'logo-resolution-print', severity: 'warning', message: `${print.value} ppi at the largest print slot (${print.slot}): fine on screen, but print needs ${t.print} ppi` });
  }
  return { ppi: print ?? screen, findings };
}

/** What a vector logo (PDF) gets: nothing to check but its size. */
export function preflightVector(width: number, height: number): PreflightReport {
  return {
    width,
    height,
    vector: true,
    trim: null,
    background: 'transparent',
    backgroundColor: null,
    luminance: null,
    contrast: null,
    bestOn: null,
    ppi: null,
    findings: [{ code: 'logo-vector', severity: 'info', message: 'Vector logo: it prints sharp at any size; nothing to check' }],
  };
}

// ---------------------------------------------------------------- fixes

/** Crops to the visible pixels. */
export function trimTransparent(img: RgbaImage): RgbaImage {
  const b = visibleBounds(img);
  if (!b) throw new LockupError('not-supported', 'Every pixel of this logo is transparent: there is nothing to keep');
  if (b.width === img.width && b.height === img.height) throw new LockupError('not-supported', 'This logo has no transparent padding to trim');
  const out = new Uint8Array(b.width * b.height * 4);
  for (let y = 0; y < b.height; y++) {
    const from = ((b.y + y) * img.width + b.x) * 4;
    out.set(img.rgba.subarray(from, from + b.width * 4), y * b.width * 4);
  }
  return { width: b.width, height: b.height, rgba: out };
}

/**
 * Makes the background transparent: flood fill from the border over the
 * detected checkerboard or solid colour. Pixels of the logo that touch the
 * removed area are un-blended from the background (the colour of the
 * strongest neighbour, alpha by projection), so anti-aliased edges do not
 * keep a light fringe; pixels that are fully the logo's colour keep their
 * exact values.
 */
export function removeBackground(img: RgbaImage, kind: 'checkerboard' | 'solid'): RgbaImage {
  const model = kind === 'checkerboard' ? detectCheckerboard(img) : detectSolid(img);
  if (!model) {
    throw new LockupError('not-supported', kind === 'checkerboard' ? 'No fake transparency checkerboard was found around this logo' : 'No solid background was found around this logo');
  }
  const { width: w, height: h } = img;
  const { mask, count } = flood(img, model, 1);
  if (w * h - count < w * h * 0.002) throw new LockupError('not-supported', 'This image is only a background: removing it would leave nothing');
  const rgba = new Uint8Array(img.rgba);
  for (let i = 0; i < w * h; i++) if (mask[i]) rgba[i * 4 + 3] = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (mask[i]) continue;
      const touches = (x > 0 && mask[i - 1]) || (x < w - 1 && mask[i + 1]) || (y > 0 && mask[i - w]) || (y < h - 1 && mask[i + w]);
      if (!touches) continue;
      const b = model.expected(x, y);
      // The strongest colour around: the logo's own colour this edge pixel is a blend of.
      let f = i;
      let fd = -1;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const j = ny * w + nx;
          if (mask[j]) continue;
          const d = (img.rgba[j * 4]! - b[0]) ** 2 + (img.rgba[j * 4 + 1]! - b[1]) ** 2 + (img.rgba[j * 4 + 2]! - b[2]) ** 2;
          if (d > fd) {
            fd = d;
            f = j;
          }
        }
      }
      if (fd <= 0) continue;
      let dot = 0;
      for (let k = 0; k < 3; k++) dot += (img.rgba[i * 4 + k]! - b[k]!) * (img.rgba[f * 4 + k]! - b[k]!);
      const a = Math.max(0, Math.min(1, dot / fd));
      if (a >= 0.98) continue;
      for (let k = 0; k < 3; k++) rgba[i * 4 + k] = img.rgba[f * 4 + k]!;
      rgba[i * 4 + 3] = Math.round(img.rgba[i * 4 + 3]! * a);
    }
  }
  return { width: w, height: h, rgba };
}
