/**
 * Generates the artwork of the built-in Nimbus demo catalogue: the Nimbus
 * logo, hero images, feature icons and the logos of the sample partners.
 * Everything is drawn from code, so the files can be rebuilt exactly:
 *
 *   npx tsx scripts/make-demo-assets.ts
 *
 * How each file is made
 * ---------------------
 * 1. Every piece of artwork is drawn as vector paths into a one-page PDF with
 *    pdf-lib (`Art` below writes the content stream itself, so it can use
 *    axial/radial shadings, even-odd fills, clipping and blend modes, which
 *    pdf-lib's high-level drawing API lacks). Lettering is never set as text:
 *    glyph outlines are taken from the brand's own fonts with fontkit
 *    (`font.layout(text)` → `glyph.path.commands`) and drawn as paths, so the
 *    logo PDFs contain no fonts.
 * 2. Vector deliverables (the Nimbus logos) are written as those PDFs, with
 *    the page box tight around the artwork.
 * 3. Raster deliverables are rasterised from the PDFs with poppler's
 *    pdftocairo (no other tool is needed):
 *      PNG logos:  pdftocairo -png -transp -r <dpi> -singlefile in.pdf out
 *      JPEG art:   pdftocairo -jpeg -jpegopt quality=<q>,optimize=y -r <dpi> -singlefile in.pdf out
 *    Raster artwork is laid out in pixel units (1 pt = 1 px at 72 dpi) and
 *    rasterised at the dpi that gives the pixel size noted in main(). The deliberately bad partner logo is
 *    rasterised with `-scale-to-x 48 -scale-to-y 16`.
 * Intermediate PDFs of raster artwork go to a temporary folder and are
 * deleted. No randomness is used (a fixed-seed generator where needed), so
 * the output depends only on the fonts and the poppler version.
 *
 * Outputs
 *   assets/nimbus/logos/nimbus-logo-{light,dark}-bg.{pdf,png}
 *   assets/nimbus/images/*.jpg, assets/nimbus/images/icon-*.png
 *   examples/partners/logos/*.png
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import { PDFDocument, PDFName, type PDFContext } from 'pdf-lib';

/** pdf-lib's literal dictionary type (not exported by name). */
type LiteralObject = NonNullable<Parameters<PDFContext['stream']>[1]>;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOGOS = path.join(ROOT, 'assets/nimbus/logos');
const IMAGES = path.join(ROOT, 'assets/nimbus/images');
const PARTNER_LOGOS = path.join(ROOT, 'examples/partners/logos');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-demo-assets-'));

// ---------------------------------------------------------------- colours

/** Brand palette (kept in step with templates/nimbus/brand.json). */
const C = {
  blue: '#0B5FFF',
  deepBlue: '#0847C2',
  midnight: '#0B1F44',
  abyss: '#061330',
  sky: '#7CC4FF',
  mist: '#EEF3FB',
  slate: '#4A5568',
  cloud: '#D5DEEB',
  amber: '#FFB547',
  white: '#FFFFFF',
};

type RGB = [number, number, number];
function rgb(hex: string): RGB {
  const n = parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}
function mix(a: string, b: string, t: number): string {
  const x = rgb(a);
  const y = rgb(b);
  const v = x.map((c, i) => Math.round((c + (y[i]! - c) * t) * 255));
  return '#' + v.map((c) => c.toString(16).padStart(2, '0')).join('');
}

// ---------------------------------------------------------------- fonts

function loadFont(rel: string): fontkit.Font {
  const f = fontkit.create(fs.readFileSync(path.join(ROOT, rel)));
  if (!('layout' in f)) throw new Error(`${rel} is a collection`);
  return f as fontkit.Font;
}
const FONTS = {
  black: loadFont('assets/fonts/lato/Lato-Black.ttf'),
  bold: loadFont('assets/fonts/lato/Lato-Bold.ttf'),
  regular: loadFont('assets/fonts/lato/Lato-Regular.ttf'),
  light: loadFont('assets/fonts/lato/Lato-Light.ttf'),
  arabicBold: loadFont('assets/fonts/noto-sans-arabic/NotoSansArabic-Bold.ttf'),
};

// ---------------------------------------------------------------- vector canvas

const n = (v: number) => (Math.abs(v) < 1e-9 ? '0' : String(Math.round(v * 1000) / 1000));

/** Bounding box of drawn lettering, y down. */
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * A page of vector artwork. Coordinates are y-down from the top-left corner
 * (like the template model) and flipped when written.
 */
class Art {
  readonly ops: string[] = [];
  readonly shadings = new Map<string, Record<string, unknown>>();
  readonly states = new Map<string, Record<string, unknown>>();
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  private Y(y: number) {
    return this.height - y;
  }
  raw(op: string) {
    this.ops.push(op);
    return this;
  }
  save() {
    return this.raw('q');
  }
  restore() {
    return this.raw('Q');
  }
  fillColor(hex: string) {
    const [r, g, b] = rgb(hex);
    return this.raw(`${n(r)} ${n(g)} ${n(b)} rg`);
  }
  strokeColor(hex: string) {
    const [r, g, b] = rgb(hex);
    return this.raw(`${n(r)} ${n(g)} ${n(b)} RG`);
  }
  lineWidth(w: number) {
    return this.raw(`${n(w)} w 1 J 1 j`);
  }
  moveTo(x: number, y: number) {
    return this.raw(`${n(x)} ${n(this.Y(y))} m`);
  }
  lineTo(x: number, y: number) {
    return this.raw(`${n(x)} ${n(this.Y(y))} l`);
  }
  curveTo(x1: number, y1: number, x2: number, y2: number, x: number, y: number) {
    return this.raw(`${n(x1)} ${n(this.Y(y1))} ${n(x2)} ${n(this.Y(y2))} ${n(x)} ${n(this.Y(y))} c`);
  }
  close() {
    return this.raw('h');
  }
  rect(x: number, y: number, w: number, h: number) {
    return this.raw(`${n(x)} ${n(this.Y(y + h))} ${n(w)} ${n(h)} re`);
  }
  roundRect(x: number, y: number, w: number, h: number, r: number) {
    const k = 0.5523 * r;
    this.moveTo(x + r, y).lineTo(x + w - r, y).curveTo(x + w - r + k, y, x + w, y + r - k, x + w, y + r);
    this.lineTo(x + w, y + h - r).curveTo(x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h);
    this.lineTo(x + r, y + h).curveTo(x + r - k, y + h, x, y + h - r + k, x, y + h - r);
    this.lineTo(x, y + r).curveTo(x, y + r - k, x + r - k, y, x + r, y);
    return this.close();
  }
  ellipse(cx: number, cy: number, rx: number, ry = rx) {
    const kx = 0.5523 * rx;
    const ky = 0.5523 * ry;
    this.moveTo(cx + rx, cy).curveTo(cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry);
    this.curveTo(cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy).curveTo(cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry);
    this.curveTo(cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy);
    return this.close();
  }
  /** Circular arc from angle a0 to a1 (radians, y-down so positive is clockwise on the page). */
  arc(cx: number, cy: number, r: number, a0: number, a1: number, move = false) {
    const segs = Math.max(1, Math.ceil(Math.abs(a1 - a0) / (Math.PI / 2)));
    const d = (a1 - a0) / segs;
    const k = (4 / 3) * Math.tan(d / 4);
    if (move) this.moveTo(cx + r * Math.cos(a0), cy + r * Math.sin(a0));
    for (let i = 0; i < segs; i++) {
      const s = a0 + i * d;
      const e = s + d;
      const [c0, s0, c1, s1] = [Math.cos(s), Math.sin(s), Math.cos(e), Math.sin(e)];
      this.curveTo(cx + r * (c0 - k * s0), cy + r * (s0 + k * c0), cx + r * (c1 + k * s1), cy + r * (s1 - k * c1), cx + r * c1, cy + r * s1);
    }
    return this;
  }
  poly(points: [number, number][]) {
    points.forEach(([x, y], i) => (i === 0 ? this.moveTo(x, y) : this.lineTo(x, y)));
    return this.close();
  }
  fill(evenOdd = false) {
    return this.raw(evenOdd ? 'f*' : 'f');
  }
  stroke() {
    return this.raw('S');
  }
  clip(evenOdd = false) {
    return this.raw(evenOdd ? 'W* n' : 'W n');
  }
  /** Scales what follows by s around the page point (x, y) (inside save/restore). */
  scaleAround(x: number, y: number, s: number) {
    return this.raw(`${n(s)} 0 0 ${n(s)} ${n(x * (1 - s))} ${n(this.Y(y) * (1 - s))} cm`);
  }
  /** Sets fill/stroke opacity and blend mode for what follows (inside save/restore). */
  state(opts: { alpha?: number; blend?: 'Normal' | 'Screen' | 'Multiply' | 'Overlay' | 'SoftLight' }) {
    const name = `GS${this.states.size}`;
    const dict: Record<string, unknown> = { Type: 'ExtGState' };
    if (opts.alpha !== undefined) Object.assign(dict, { ca: opts.alpha, CA: opts.alpha });
    if (opts.blend) dict.BM = opts.blend;
    this.states.set(name, dict);
    return this.raw(`/${name} gs`);
  }
  private fn(stops: [number, string][]): Record<string, unknown> {
    const parts = stops.slice(1).map(([, hex], i) => ({ FunctionType: 2, Domain: [0, 1], C0: rgb(stops[i]![1]), C1: rgb(hex), N: 1 }));
    if (parts.length === 1) return parts[0]!;
    return {
      FunctionType: 3,
      Domain: [0, 1],
      Functions: parts,
      Bounds: stops.slice(1, -1).map(([t]) => t),
      Encode: parts.flatMap(() => [0, 1]),
    };
  }
  /** Paints an axial gradient through the current clip. */
  linear(x0: number, y0: number, x1: number, y1: number, stops: [number, string][]) {
    const name = `Sh${this.shadings.size}`;
    this.shadings.set(name, {
      ShadingType: 2,
      ColorSpace: 'DeviceRGB',
      Coords: [x0, this.Y(y0), x1, this.Y(y1)],
      Function: this.fn(stops),
      Extend: [true, true],
    });
    return this.raw(`/${name} sh`);
  }
  /** Paints a radial gradient (centre to radius r) through the current clip. */
  radial(cx: number, cy: number, r: number, stops: [number, string][], extend = true) {
    const name = `Sh${this.shadings.size}`;
    this.shadings.set(name, {
      ShadingType: 3,
      ColorSpace: 'DeviceRGB',
      Coords: [cx, this.Y(cy), 0, cx, this.Y(cy), r],
      Function: this.fn(stops),
      Extend: [extend, extend],
    });
    return this.raw(`/${name} sh`);
  }
  /** A soft light: a radial falloff to black, screened onto what is below. */
  glow(cx: number, cy: number, r: number, hex: string, strength = 1) {
    this.save().state({ blend: 'Screen' });
    this.radial(cx, cy, r, [[0, mix('#000000', hex, strength)], [0.45, mix('#000000', hex, strength * 0.45)], [1, '#000000']], false);
    return this.restore();
  }

  /**
   * Appends glyph outlines of `text` set in `font` at `size`, left edge `x`,
   * baseline `y`; `tracking` in 1/1000 em. Returns the ink box. Call fill() after.
   */
  text(font: fontkit.Font, text: string, x: number, y: number, size: number, tracking = 0): Box {
    const run = font.layout(text);
    const scale = size / font.unitsPerEm;
    let pen = x;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    run.glyphs.forEach((g, i) => {
      const pos = run.positions[i]!;
      const ox = pen + pos.xOffset * scale;
      const oy = y - pos.yOffset * scale;
      const P = (px: number, py: number): [number, number] => [ox + px * scale, oy - py * scale];
      let cur: [number, number] = [0, 0];
      let start: [number, number] = [0, 0];
      for (const cmd of g.path.commands) {
        const a = cmd.args;
        if (cmd.command === 'moveTo') {
          cur = start = P(a[0]!, a[1]!);
          this.moveTo(...cur);
        } else if (cmd.command === 'lineTo') {
          cur = P(a[0]!, a[1]!);
          this.lineTo(...cur);
        } else if (cmd.command === 'quadraticCurveTo') {
          const q = P(a[0]!, a[1]!);
          const e = P(a[2]!, a[3]!);
          this.curveTo(cur[0] + (2 / 3) * (q[0] - cur[0]), cur[1] + (2 / 3) * (q[1] - cur[1]), e[0] + (2 / 3) * (q[0] - e[0]), e[1] + (2 / 3) * (q[1] - e[1]), e[0], e[1]);
          cur = e;
        } else if (cmd.command === 'bezierCurveTo') {
          const c1 = P(a[0]!, a[1]!);
          const c2 = P(a[2]!, a[3]!);
          cur = P(a[4]!, a[5]!);
          this.curveTo(...c1, ...c2, ...cur);
        } else if (cmd.command === 'closePath') {
          this.close();
          cur = start;
        }
      }
      const bb = g.bbox;
      if (g.path.commands.length > 0) {
        x0 = Math.min(x0, ox + bb.minX * scale);
        x1 = Math.max(x1, ox + bb.maxX * scale);
        y0 = Math.min(y0, oy - bb.maxY * scale);
        y1 = Math.max(y1, oy - bb.minY * scale);
      }
      pen += pos.xAdvance * scale + (i < run.glyphs.length - 1 ? (tracking / 1000) * size : 0);
    });
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }
  /** Measures lettering without drawing it. */
  static measure(font: fontkit.Font, text: string, size: number, tracking = 0): Box & { advance: number } {
    const probe = new Art(0, 0);
    const box = probe.text(font, text, 0, 0, size, tracking);
    const run = font.layout(text);
    const advance = (run.advanceWidth / font.unitsPerEm) * size + (tracking / 1000) * size * (run.glyphs.length - 1);
    return { ...box, advance };
  }

  async pdf(title: string): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    const epoch = new Date('2025-01-01T00:00:00Z');
    doc.setTitle(title);
    doc.setAuthor('Nimbus Systems (demo content)');
    doc.setCreator('scripts/make-demo-assets.ts');
    doc.setProducer('pdf-lib');
    doc.setCreationDate(epoch);
    doc.setModificationDate(epoch);
    const page = doc.addPage([this.width, this.height]);
    const ctx = doc.context;
    const resources: Record<string, unknown> = {};
    if (this.shadings.size) resources.Shading = Object.fromEntries(this.shadings);
    if (this.states.size) resources.ExtGState = Object.fromEntries(this.states);
    page.node.set(PDFName.of('Resources'), ctx.obj(resources as LiteralObject));
    page.node.set(PDFName.of('Contents'), ctx.register(ctx.flateStream(this.ops.join('\n'))));
    return doc.save({ useObjectStreams: false });
  }
}

// ---------------------------------------------------------------- output helpers

const written: string[] = [];

function note(file: string) {
  const size = fs.statSync(file).size;
  written.push(`${path.relative(ROOT, file)}  (${(size / 1024).toFixed(0)} KB)`);
}

async function writeVector(art: Art, file: string, title: string) {
  fs.writeFileSync(file, await art.pdf(title));
  note(file);
}

/** Rasterises artwork with pdftocairo. */
async function writeRaster(art: Art, file: string, opts: { dpi?: number; quality?: number; scaleTo?: [number, number] } = {}) {
  const tmpPdf = path.join(TMP, path.basename(file) + '.pdf');
  fs.writeFileSync(tmpPdf, await art.pdf(path.basename(file)));
  const base = file.replace(/\.(png|jpg)$/, '');
  const args: string[] = [];
  if (file.endsWith('.png')) args.push('-png', '-transp');
  else args.push('-jpeg', '-jpegopt', `quality=${opts.quality ?? 86},optimize=y`);
  if (opts.scaleTo) args.push('-scale-to-x', String(opts.scaleTo[0]), '-scale-to-y', String(opts.scaleTo[1]));
  else args.push('-r', String(opts.dpi ?? 72));
  execFileSync('pdftocairo', [...args, '-singlefile', tmpPdf, base]);
  note(file);
}

/** Deterministic pseudo-random numbers (mulberry32). */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------- the Nimbus mark

/**
 * The Nimbus mark: a shield whose body carries a cloud cut out of it (even-odd
 * fill, so the background shows through). `h` is the mark height; its width is
 * 0.84 × h. Optional facet: the right half in a second colour.
 */
function nimbusMark(art: Art, x: number, y: number, h: number, color: string, facet?: string) {
  const W = 0.84;
  const shape = () => {
    const P = (px: number, py: number): [number, number] => [x + px * h, y + py * h];
    const r = 0.13;
    const k = 0.5523 * r;
    art.moveTo(...P(0, r));
    art.curveTo(...P(0, r - k), ...P(r - k, 0), ...P(r, 0));
    // the top edge dips gently towards the centre
    art.curveTo(...P(0.3, 0), ...P(0.36, 0.045), ...P(W / 2, 0.045));
    art.curveTo(...P(W - 0.36, 0.045), ...P(W - 0.3, 0), ...P(W - r, 0));
    art.curveTo(...P(W - r + k, 0), ...P(W, r - k), ...P(W, r));
    art.lineTo(...P(W, 0.5));
    art.curveTo(...P(W, 0.76), ...P(W * 0.74, 0.92), ...P(W / 2, 1));
    art.curveTo(...P(W * 0.26, 0.92), ...P(0, 0.76), ...P(0, 0.5));
    art.close();
    // cloud knockout: three circles resting on a flat base, traced as one outline
    const base = 0.66;
    const cx = W / 2 - 0.005;
    const circles = [
      { x: cx - 0.19, r: 0.095 },
      { x: cx - 0.02, r: 0.175 },
      { x: cx + 0.165, r: 0.12 },
    ].map((c) => ({ x: c.x, y: base - c.r, r: c.r }));
    const meet = (a: (typeof circles)[number], b: (typeof circles)[number]) => {
      // upper intersection of two circles
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d = Math.hypot(dx, dy);
      const l = (a.r * a.r - b.r * b.r + d * d) / (2 * d);
      const hh = Math.sqrt(a.r * a.r - l * l);
      const mx = a.x + (l * dx) / d;
      const my = a.y + (l * dy) / d;
      const p1 = { x: mx + (hh * dy) / d, y: my - (hh * dx) / d };
      const p2 = { x: mx - (hh * dy) / d, y: my + (hh * dx) / d };
      return p1.y < p2.y ? p1 : p2;
    };
    const ang = (c: (typeof circles)[number], p: { x: number; y: number }) => Math.atan2(p.y - c.y, p.x - c.x);
    const [L, M, R] = circles as [(typeof circles)[number], (typeof circles)[number], (typeof circles)[number]];
    const lm = meet(L, M);
    const mr = meet(M, R);
    const S = (c: (typeof circles)[number]) => ({ cx: x + c.x * h, cy: y + c.y * h, r: c.r * h });
    const sl = S(L);
    const sm = S(M);
    const sr = S(R);
    // left circle: from its bottom (90°) clockwise round the left side up to the meeting point
    art.arc(sl.cx, sl.cy, sl.r, Math.PI / 2, ang(L, lm) + 2 * Math.PI, true);
    let a0 = ang(M, lm);
    let a1 = ang(M, mr);
    if (a1 < a0) a1 += 2 * Math.PI;
    art.arc(sm.cx, sm.cy, sm.r, a0, a1);
    a0 = ang(R, mr);
    a1 = Math.PI / 2;
    if (a1 < a0) a1 += 2 * Math.PI;
    art.arc(sr.cx, sr.cy, sr.r, a0, a1);
    art.close();
  };
  art.fillColor(color);
  shape();
  art.fill(true);
  if (facet) {
    art.save();
    art.rect(x + (W / 2) * h, y - 1, W * h, h + 2).clip();
    art.fillColor(facet);
    shape();
    art.fill(true);
    art.restore();
  }
  return { w: W * h, h };
}

/** The full logo: mark + "Nimbus" wordmark from Lato Black outlines, page tight around it. */
function nimbusLogo(variant: 'light-bg' | 'dark-bg'): Art {
  const H = 60; // mark height in points
  const size = 44; // wordmark size
  const tracking = -8;
  const word = Art.measure(FONTS.black, 'Nimbus', size, tracking);
  const gap = 0.26 * H;
  const markW = 0.84 * H;
  const width = markW + gap + word.w;
  const art = new Art(width, H);
  const ink = variant === 'light-bg' ? C.midnight : C.white;
  nimbusMark(art, 0, 0, H, variant === 'light-bg' ? C.blue : C.white, variant === 'light-bg' ? C.deepBlue : undefined);
  // Centre the wordmark's x-height band slightly above the mark's middle (optical centre).
  const capH = (FONTS.black.capHeight / FONTS.black.unitsPerEm) * size;
  const baseline = H * 0.5 + capH * 0.5 - H * 0.04;
  art.fillColor(ink);
  art.text(FONTS.black, 'Nimbus', markW + gap - word.x, baseline, size, tracking);
  art.fill();
  return art;
}

// ---------------------------------------------------------------- hero images

/** Isometric helpers for the illustrations (y down). */
function isoBox(art: Art, cx: number, top: number, w: number, d: number, h: number, colors: { top: string; left: string; right: string }) {
  // A box whose top face is a rhombus centred at (cx, top + d/2): half-width w, half-depth d/2.
  const tx = cx;
  const ty = top;
  art.fillColor(colors.top).poly([[tx, ty], [tx + w, ty + d / 2], [tx, ty + d], [tx - w, ty + d / 2]]).fill();
  art.fillColor(colors.left).poly([[tx - w, ty + d / 2], [tx, ty + d], [tx, ty + d + h], [tx - w, ty + d / 2 + h]]).fill();
  art.fillColor(colors.right).poly([[tx + w, ty + d / 2], [tx, ty + d], [tx, ty + d + h], [tx + w, ty + d / 2 + h]]).fill();
}

/** Cloud silhouette (union of circles on a rounded base), filled with the current colour. */
function cloud(art: Art, x: number, y: number, w: number) {
  const u = w / 100;
  art.roundRect(x, y + 30 * u, 100 * u, 30 * u, 15 * u);
  art.ellipse(x + 30 * u, y + 32 * u, 20 * u);
  art.ellipse(x + 55 * u, y + 24 * u, 26 * u);
  art.ellipse(x + 78 * u, y + 36 * u, 17 * u);
}

/**
 * hero-vault.jpg: deep midnight-to-blue field, soft light, fine grid, and on
 * the right an isometric server stack under a glowing shield-and-cloud.
 * The left 55 % stays dark and calm for type (tone: midnight).
 */
function heroVault(): Art {
  const W = 2560;
  const H = 1340;
  const art = new Art(W, H);
  art.save().rect(0, 0, W, H).clip();
  art.linear(0, 0, W, H, [[0, C.abyss], [0.5, C.midnight], [1, '#0D3A8C']]);
  art.restore();
  art.glow(W * 0.78, H * 0.46, 900, C.blue, 0.55);
  art.glow(W * 0.95, H * 0.05, 600, C.sky, 0.18);
  // faint perspective grid on the right
  art.save().state({ alpha: 0.1 }).strokeColor(C.sky).lineWidth(2);
  for (let i = -12; i <= 12; i++) art.moveTo(W * 0.74, H * 0.62).lineTo(W * 0.74 + i * 260, H + 40);
  art.stroke();
  for (let j = 0; j < 7; j++) {
    const yy = H * 0.62 + Math.pow(j / 6, 1.8) * (H * 0.4);
    art.moveTo(W * 0.36, yy).lineTo(W + 10, yy);
  }
  art.stroke().restore();
  // server stack
  const cx = W * 0.745;
  const unitH = 70;
  const w = 330;
  const d = 330;
  // the illustration is drawn at 80 % around its centre, leaving headroom for crops
  art.save().scaleAround(cx, H * 0.52, 0.8);
  // soft shadow under the stack
  art.save().state({ alpha: 0.35, blend: 'Multiply' });
  art.radial(cx, H * 0.5 + 3 * (unitH + 16) + d + unitH, 520, [[0, '#000000'], [1, '#FFFFFF']], false);
  art.restore();
  // bottom unit first, so each unit above covers the one below
  for (let i = 3; i >= 0; i--) {
    const top = H * 0.5 + i * (unitH + 16);
    isoBox(art, cx, top, w, d, unitH, { top: mix(C.deepBlue, C.sky, 0.25), left: '#0A2E73', right: '#0C3D99' });
    // status lights along the front-left face
    for (let k = 0; k < 3; k++) {
      const t = 0.1 + k * 0.07;
      art.fillColor(k === 0 ? C.amber : C.sky).ellipse(cx - w + t * w, top + d / 2 + (t * d) / 2 + unitH / 2, 7).fill();
    }
    // vent slots on the front-right face
    art.save().state({ alpha: 0.4 }).strokeColor(C.sky).lineWidth(3);
    for (let k = 0; k < 6; k++) {
      const t = 0.35 + k * 0.09;
      const y0 = top + d - (t * d) / 2;
      art.moveTo(cx + t * w, y0 + 18).lineTo(cx + t * w, y0 + unitH - 18);
    }
    art.stroke().restore();
  }
  // cloud above, in translucent light blue
  art.save().state({ alpha: 0.9 });
  art.fillColor(mix(C.sky, C.white, 0.35));
  cloud(art, cx - 300, H * 0.08, 600);
  art.fill().restore();
  art.glow(cx, H * 0.38, 420, C.sky, 0.35);
  // shield over the cloud
  nimbusMark(art, cx - 0.42 * 330, H * 0.1, 330, C.blue, C.deepBlue);
  // data links from cloud to stack
  art.save().state({ alpha: 0.6 }).strokeColor(C.sky).lineWidth(4);
  art.raw('[6 18] 0 d');
  for (const dx of [-240, 0, 240]) art.moveTo(cx + dx, H * 0.36).lineTo(cx + dx, H * 0.5 + 60);
  art.stroke().restore();
  for (const dx of [-240, 0, 240]) art.fillColor(C.white).ellipse(cx + dx, H * 0.36, 9).fill();
  art.restore();
  // scattered particles
  const rnd = prng(7);
  for (let i = 0; i < 70; i++) {
    const px = W * (0.45 + rnd() * 0.55);
    const py = H * rnd();
    art.save().state({ alpha: 0.15 + rnd() * 0.35 }).fillColor(C.sky).ellipse(px, py, 2 + rnd() * 4).fill().restore();
  }
  return art;
}

/**
 * hero-dawn.jpg (event invitation): early-morning field — midnight top
 * fading into a warm amber horizon glow, with overlapping translucent circles.
 * Upper two thirds dark (tone: midnight).
 */
function heroDawn(): Art {
  const W = 1400;
  const H = 900;
  const art = new Art(W, H);
  art.save().rect(0, 0, W, H).clip();
  art.linear(0, 0, 0, H, [[0, C.abyss], [0.55, C.midnight], [1, '#123C86']]);
  art.restore();
  art.glow(W * 0.72, H * 1.02, 760, C.amber, 0.85);
  art.glow(W * 0.72, H * 1.05, 360, '#FFE2A8', 0.6);
  const rings: [number, number, number, string, number][] = [
    [0.78, 0.62, 300, C.blue, 0.35],
    [0.92, 0.4, 210, C.sky, 0.18],
    [0.6, 0.35, 150, C.blue, 0.22],
    [0.98, 0.85, 180, C.amber, 0.2],
  ];
  for (const [fx, fy, r, col, a] of rings) {
    art.save().state({ alpha: a, blend: 'Screen' }).fillColor(col).ellipse(W * fx, H * fy, r).fill().restore();
  }
  art.save().state({ alpha: 0.4 }).strokeColor(C.sky).lineWidth(2);
  art.ellipse(W * 0.78, H * 0.62, 380).stroke();
  art.ellipse(W * 0.78, H * 0.62, 460).stroke();
  art.restore();
  const rnd = prng(11);
  for (let i = 0; i < 40; i++) {
    art.save().state({ alpha: 0.2 + rnd() * 0.4 }).fillColor(C.white).ellipse(W * (0.4 + rnd() * 0.6), H * rnd() * 0.7, 1.5 + rnd() * 2.5).fill().restore();
  }
  return art;
}

/**
 * clinics.jpg (case study): light isometric scene — a row of small clinic
 * buildings linked to a cloud vault, on a mist background.
 */
function clinics(): Art {
  const W = 1200;
  const H = 860;
  const art = new Art(W, H);
  art.save().rect(0, 0, W, H).clip();
  art.linear(0, 0, W, H, [[0, C.mist], [1, '#DCE7F7']]);
  art.restore();
  art.glow(W * 0.5, H * 0.2, 520, C.white, 0.6);
  // ground rhombus
  art.fillColor('#E3ECF8').poly([[W * 0.5, H * 0.36], [W * 0.97, H * 0.62], [W * 0.5, H * 0.9], [W * 0.03, H * 0.62]]).fill();
  // buildings
  const bld = (cx: number, top: number, w: number, hgt: number, accent: string) => {
    isoBox(art, cx, top, w, w, hgt, { top: C.white, left: '#C9D7EE', right: '#AFC3E6' });
    // windows on right face
    for (let r = 0; r < Math.floor(hgt / 46); r++) {
      for (let c = 0; c < 3; c++) {
        const x0 = cx + 14 + c * (w - 20) / 3;
        const yTop = top + w - ((x0 - cx) / w) * (w / 2) + 18 + r * 46;
        art.fillColor('#7FA2DA').poly([[x0, yTop], [x0 + (w - 40) / 3 - 6, yTop - ((w - 40) / 3 - 6) / 2], [x0 + (w - 40) / 3 - 6, yTop - ((w - 40) / 3 - 6) / 2 + 22], [x0, yTop + 22]]).fill();
      }
    }
    // cross sign on left face
    const sx = cx - w / 2;
    const sy = top + w / 2 + w / 4 + 28;
    art.fillColor(accent).roundRect(sx - 16, sy - 5, 32, 10, 3).fill().roundRect(sx - 5, sy - 16, 10, 32, 3).fill();
  };
  bld(W * 0.22, H * 0.42, 110, 150, C.blue);
  bld(W * 0.5, H * 0.52, 130, 190, C.blue);
  bld(W * 0.78, H * 0.42, 110, 150, C.blue);
  // links up to the cloud
  art.save().strokeColor(C.blue).lineWidth(4).raw('[2 14] 0 d');
  for (const fx of [0.22, 0.5, 0.78]) art.moveTo(W * fx, H * (fx === 0.5 ? 0.5 : 0.4)).lineTo(W * 0.5, H * 0.26);
  art.stroke().restore();
  art.fillColor(C.white);
  cloud(art, W * 0.5 - 150, H * 0.03, 300);
  art.fill();
  nimbusMark(art, W * 0.5 - 0.42 * 120, H * 0.07, 120, C.blue, C.deepBlue);
  for (const fx of [0.22, 0.78]) art.fillColor(C.blue).ellipse(W * fx, H * 0.4, 8).fill();
  return art;
}

/**
 * bands.jpg (offer sheet header): wide midnight-to-blue field with sweeping
 * translucent ribbons on the right. Dark throughout (tone: midnight).
 */
function bands(): Art {
  const W = 2000;
  const H = 760;
  const art = new Art(W, H);
  art.save().rect(0, 0, W, H).clip();
  art.linear(0, 0, W, 0, [[0, C.abyss], [0.55, C.midnight], [1, '#0A3A9A']]);
  art.restore();
  art.glow(W * 0.85, H * 0.2, 700, C.blue, 0.6);
  for (let i = 0; i < 7; i++) {
    const off = i * 46;
    art.save().state({ alpha: 0.12 + i * 0.04, blend: 'Screen' }).fillColor(i % 2 ? C.sky : C.blue);
    art.moveTo(W * 0.45 + off, H + 10);
    art.curveTo(W * 0.65 + off, H * 0.6, W * 0.78 + off, H * 0.1 - off * 0.3, W + 40, -20 + off * 0.2);
    art.lineTo(W + 40, 40 + off * 0.2);
    art.curveTo(W * 0.82 + off, H * 0.25 - off * 0.2, W * 0.7 + off, H * 0.75, W * 0.55 + off, H + 10);
    art.close().fill().restore();
  }
  return art;
}

// ---------------------------------------------------------------- icons (vector)

type IconDraw = (art: Art) => void;

/** 64 × 64 pt line icons in Nimbus Blue, 4 pt strokes. */
function icon(draw: IconDraw, color = C.blue): Art {
  const art = new Art(64, 64);
  art.strokeColor(color).fillColor(color).lineWidth(4);
  draw(art);
  return art;
}

const ICONS: Record<string, IconDraw> = {
  // immutable backups: padlock
  lock: (a) => {
    a.roundRect(14, 28, 36, 28, 5).stroke();
    a.moveTo(21, 28).lineTo(21, 20).arc(32, 20, 11, Math.PI, 2 * Math.PI).lineTo(43, 28).stroke();
    a.ellipse(32, 40, 3.5).fill();
    a.moveTo(32, 42).lineTo(32, 48).stroke();
  },
  // instant recovery: circular arrow round a bolt
  restore: (a) => {
    a.arc(32, 32, 21, -Math.PI * 0.15, Math.PI * 1.45, true).stroke();
    a.poly([[49, 10], [52, 24], [39, 21]]).fill();
    a.poly([[35, 18], [24, 35], [32, 35], [29, 46], [40, 29], [32, 29]]).fill();
  },
  // 24/7 monitoring: screen with pulse line
  monitor: (a) => {
    a.roundRect(8, 12, 48, 32, 4).stroke();
    a.moveTo(24, 54).lineTo(40, 54).stroke();
    a.moveTo(32, 44).lineTo(32, 54).stroke();
    a.moveTo(14, 30).lineTo(22, 30).lineTo(27, 21).lineTo(34, 38).lineTo(39, 28).lineTo(50, 28).stroke();
  },
  // compliance: shield with check
  shield: (a) => {
    a.moveTo(32, 7).lineTo(52, 14).lineTo(52, 30).curveTo(52, 44, 43, 52, 32, 57).curveTo(21, 52, 12, 44, 12, 30).lineTo(12, 14).close().stroke();
    a.moveTo(23, 32).lineTo(30, 39).lineTo(42, 25).stroke();
  },
  // cloud copy
  cloud: (a) => {
    a.moveTo(18, 46).arc(18, 37, 9, Math.PI / 2, Math.PI * 1.5).arc(30, 26, 13, Math.PI * 1.05, Math.PI * 1.9).arc(46, 35, 11, -Math.PI * 0.55, Math.PI / 2).close().stroke();
    a.moveTo(32, 30).lineTo(32, 42).stroke();
    a.poly([[26, 36], [38, 36], [32, 29]]).fill();
  },
};

// ---------------------------------------------------------------- partner logos

function harborLogo(dark: boolean): Art {
  const navy = dark ? C.white : '#17324D';
  const teal = dark ? '#6FD6DC' : '#0E7C86';
  const H = 120;
  const word = Art.measure(FONTS.black, 'HARBOR', 86, 20);
  const it = Art.measure(FONTS.light, 'IT', 86, 20);
  const tag = Art.measure(FONTS.bold, 'TECHNOLOGY PARTNERS', 20, 320);
  const markW = H;
  const textX = markW + 28;
  const width = textX + Math.max(word.w + 22 + it.w, tag.w) + 2;
  const art = new Art(width, H);
  art.fillColor(teal).ellipse(H / 2, H / 2, H / 2).fill();
  // lighthouse on a wave, knocked out of the disc
  const ink = dark ? '#17324D' : C.white;
  art.fillColor(ink).poly([[51, 40], [69, 40], [73, 88], [47, 88]]).fill();
  art.poly([[46, 40], [60, 24], [74, 40]]).fill();
  art.fillColor(teal).rect(53, 44, 14, 9).fill();
  art.poly([[50.2, 62], [69.8, 62], [70.3, 69], [49.7, 69]]).fill();
  art.save().ellipse(H / 2, H / 2, H / 2 - 0.5).clip();
  art.strokeColor(ink).lineWidth(7);
  art.moveTo(4, 96);
  for (let k = 0; k < 5; k++) {
    const x0 = 4 + k * 24;
    art.curveTo(x0 + 8, 86, x0 + 16, 86, x0 + 24, 96);
  }
  art.stroke().restore();
  art.fillColor(navy);
  const b = art.text(FONTS.black, 'HARBOR', textX - word.x, 74, 86, 20);
  art.fill();
  art.fillColor(teal);
  art.text(FONTS.light, 'IT', b.x + b.w + 22 - it.x, 74, 86, 20);
  art.fill();
  art.fillColor(navy);
  art.text(FONTS.bold, 'TECHNOLOGY PARTNERS', textX - tag.x, 108, 20, 320);
  art.fill();
  return art;
}

function summitLogo(): Art {
  const H = 130;
  const word = Art.measure(FONTS.black, 'Summit', 92, -10);
  const tag = Art.measure(FONTS.bold, 'MANAGED SERVICES', 21, 300);
  const markW = 150;
  const textX = markW + 24;
  const width = textX + Math.max(word.w, tag.w) + 2;
  const art = new Art(width, H);
  art.fillColor('#3FA373').poly([[0, 122], [58, 30], [116, 122]]).fill();
  art.fillColor('#1F6F50').poly([[44, 122], [98, 8], [150, 122]]).fill();
  art.fillColor('#E8F3EC').poly([[98, 8], [113.6, 42.2], [105, 36], [97, 46], [90, 37], [81.8, 42.2]]).fill();
  art.fillColor('#14392C');
  art.text(FONTS.black, 'Summit', textX - word.x, 80, 92, -10);
  art.fill();
  art.fillColor('#1F6F50');
  art.text(FONTS.bold, 'MANAGED SERVICES', textX - tag.x, 118, 21, 300);
  art.fill();
  return art;
}

function star(art: Art, cx: number, cy: number, r: number, inner: number, points: number) {
  const pts: [number, number][] = [];
  for (let i = 0; i < points * 2; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / points;
    const rr = i % 2 === 0 ? r : inner;
    pts.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
  }
  art.poly(pts);
}

function alNoorLogo(): Art {
  const H = 150;
  const ar = Art.measure(FONTS.arabicBold, 'النور', 96);
  const lat = Art.measure(FONTS.bold, 'AL NOOR IT', 22, 360);
  const markW = 130;
  const textX = markW + 26;
  const width = textX + Math.max(ar.w, lat.w) + 2;
  const art = new Art(width, H);
  art.fillColor('#C8962E');
  star(art, 65, 75, 65, 46, 8);
  art.fill();
  art.fillColor(C.white).ellipse(65, 75, 30).fill();
  art.fillColor('#C8962E').ellipse(65, 75, 17).fill();
  art.fillColor('#0F5C4A');
  art.text(FONTS.arabicBold, 'النور', textX - ar.x, 92, 96);
  art.fill();
  art.fillColor('#C8962E');
  art.text(FONTS.bold, 'AL NOOR IT', textX - lat.x, 136, 22, 360);
  art.fill();
  return art;
}

function northwestLogo(): Art {
  const H = 110;
  const l1 = Art.measure(FONTS.black, 'NORTHWEST REGIONAL', 40, 40);
  const l2 = Art.measure(FONTS.regular, 'Business Technology Solutions', 33, 0);
  const textX = 124;
  const width = textX + Math.max(l1.w, l2.w) + 2;
  const art = new Art(width, H);
  const hex: [number, number][] = [];
  for (let i = 0; i < 6; i++) hex.push([55 + 52 * Math.cos(Math.PI / 6 + (i * Math.PI) / 3), 55 + 52 * Math.sin(Math.PI / 6 + (i * Math.PI) / 3)]);
  art.fillColor('#5B2A86').poly(hex).fill();
  art.fillColor(C.white);
  const nw = Art.measure(FONTS.black, 'NW', 42);
  art.text(FONTS.black, 'NW', 55 - nw.w / 2 - nw.x, 70, 42);
  art.fill();
  art.fillColor('#5B2A86');
  art.text(FONTS.black, 'NORTHWEST REGIONAL', textX - l1.x, 50, 40, 40);
  art.fill();
  art.fillColor('#3B3B4F');
  art.text(FONTS.regular, 'Business Technology Solutions', textX - l2.x, 92, 33);
  art.fill();
  return art;
}

function aozoraLogo(): Art {
  const H = 110;
  const l1 = Art.measure(FONTS.black, 'AOZORA', 70, 60);
  const l2 = Art.measure(FONTS.bold, 'SYSTEMS', 24, 560);
  const textX = 128;
  const width = textX + Math.max(l1.w, l2.w) + 2;
  const art = new Art(width, H);
  art.save().roundRect(0, 0, 110, 110, 24).clip();
  art.linear(0, 0, 0, 110, [[0, '#1D8FE1'], [1, '#69C3FF']]);
  art.restore();
  art.fillColor(C.white);
  cloud(art, 18, 26, 74);
  art.fill();
  art.fillColor('#0F3D6E');
  art.text(FONTS.black, 'AOZORA', textX - l1.x, 64, 70, 60);
  art.fill();
  art.fillColor('#1D8FE1');
  art.text(FONTS.bold, 'SYSTEMS', textX - l2.x, 102, 24, 560);
  art.fill();
  return art;
}

function bytewiseLogo(): Art {
  const art = new Art(240, 80);
  art.fillColor('#D9480F').roundRect(0, 8, 64, 64, 12).fill();
  art.fillColor(C.white);
  art.text(FONTS.black, 'b', 16, 60, 52);
  art.fill();
  art.fillColor('#343A40');
  art.text(FONTS.black, 'bytewise', 76, 56, 44, -10);
  art.fill();
  return art;
}

// ---------------------------------------------------------------- main

async function main() {
  for (const dir of [LOGOS, IMAGES, PARTNER_LOGOS]) fs.mkdirSync(dir, { recursive: true });

  // Nimbus logo: vector PDFs (the brand's logo files) plus 600 dpi PNG exports.
  for (const variant of ['light-bg', 'dark-bg'] as const) {
    const art = nimbusLogo(variant);
    const file = path.join(LOGOS, `nimbus-logo-${variant}.pdf`);
    await writeVector(art, file, `Nimbus logo (${variant === 'light-bg' ? 'for light backgrounds' : 'for dark backgrounds'})`);
    await writeRaster(art, file.replace(/\.pdf$/, '.png'), { dpi: 600 });
  }

  // Feature icons: 64 pt line artwork rasterised at 216 dpi → 192 × 192 px transparent PNGs
  // (≥ 150 ppi up to 92 pt wide).
  for (const [name, draw] of Object.entries(ICONS)) {
    await writeRaster(icon(draw), path.join(IMAGES, `icon-${name}.png`), { dpi: 216 });
    await writeRaster(icon(draw, C.white), path.join(IMAGES, `icon-${name}-white.png`), { dpi: 216 });
  }

  // Hero and illustration images, JPEG. Artwork is laid out in px at 72 dpi; the
  // rasterising dpi scales it so each image reaches 300 ppi (print) at the size the
  // print templates place it (hero-vault and bands: 630 pt wide incl. bleed → ≥ 2625 px;
  // hero-dawn: 437.5 pt → ≥ 1823 px; clinics: 250 pt → ≥ 1042 px).
  await writeRaster(heroVault(), path.join(IMAGES, 'hero-vault.jpg'), { dpi: 79, quality: 84 }); // 2809 × 1470
  await writeRaster(heroDawn(), path.join(IMAGES, 'hero-dawn.jpg'), { dpi: 104, quality: 86 }); // 2022 × 1300
  await writeRaster(clinics(), path.join(IMAGES, 'clinics.jpg'), { dpi: 72, quality: 88 }); // 1200 × 860
  await writeRaster(bands(), path.join(IMAGES, 'bands.jpg'), { dpi: 101, quality: 86 }); // 2806 × 1066

  // Partner logos: transparent PNGs. Widths in px = points × dpi / 72.
  await writeRaster(harborLogo(false), path.join(PARTNER_LOGOS, 'harbor-it-light.png'), { dpi: 150 });
  await writeRaster(harborLogo(true), path.join(PARTNER_LOGOS, 'harbor-it-dark.png'), { dpi: 150 });
  await writeRaster(summitLogo(), path.join(PARTNER_LOGOS, 'summit-msp.png'), { dpi: 150 });
  await writeRaster(alNoorLogo(), path.join(PARTNER_LOGOS, 'al-noor.png'), { dpi: 150 });
  await writeRaster(northwestLogo(), path.join(PARTNER_LOGOS, 'northwest-regional.png'), { dpi: 150 });
  await writeRaster(aozoraLogo(), path.join(PARTNER_LOGOS, 'aozora.png'), { dpi: 150 });
  // Deliberately unusable: a 48 × 16 px thumbnail, far below any resolution threshold.
  await writeRaster(bytewiseLogo(), path.join(PARTNER_LOGOS, 'bytewise-tiny.png'), { scaleTo: [48, 16] });

  fs.rmSync(TMP, { recursive: true, force: true });
  console.log(written.join('\n'));
}

await main();
