import { LockupError } from '../../errors.ts';
import { apply, IDENTITY, multiply, parseNumberList, parsePath, parseTransform, type Matrix, type Segment } from './geometry.ts';
import type { SanitisedSvg, SvgNode } from './sanitise.ts';

/** Shapes drawn, counting every `<use>` expansion (a few `<use>` can otherwise multiply without bound). */
export const MAX_DRAWN_SHAPES = 20_000;
const MAX_USE_DEPTH = 16;

/** An SVG logo as PDF drawing operators for one form XObject whose box is [0 0 width height]. */
export interface SvgDrawing {
  /** Intrinsic size in points (CSS px × 0.75). */
  width: number;
  height: number;
  /** Content-stream operators, already in the form's coordinates. */
  ops: string;
  /** Graphics states the operators name (`/GS0 gs`…): fill (`ca`) and stroke (`CA`) alpha. */
  gstates: { name: string; ca: number; CA: number }[];
  /** Gradient fills the operators paint with `/Sh0 sh` (see `shadingDict`). */
  shadings: SvgShading[];
  /** What is drawn differently from a browser (gradients as solid colour…), for the UI. */
  warnings: string[];
}

type Rgb = [number, number, number];
type Paint = { kind: 'none' } | { kind: 'color'; rgb: Rgb; alpha: number } | { kind: 'current' } | { kind: 'url'; id: string; fallback: Paint | undefined };

interface Style {
  fill: Paint;
  fillOpacity: number;
  fillRule: 'nonzero' | 'evenodd';
  stroke: Paint;
  strokeWidth: number;
  strokeOpacity: number;
  linecap: number;
  linejoin: number;
  miterlimit: number;
  dash: number[];
  dashOffset: number;
  color: Rgb;
  visible: boolean;
  clipRule: 'nonzero' | 'evenodd';
}

const INITIAL: Style = {
  fill: { kind: 'color', rgb: [0, 0, 0], alpha: 1 },
  fillOpacity: 1,
  fillRule: 'nonzero',
  stroke: { kind: 'none' },
  strokeWidth: 1,
  strokeOpacity: 1,
  linecap: 0,
  linejoin: 0,
  miterlimit: 4,
  dash: [],
  dashOffset: 0,
  color: [0, 0, 0],
  visible: true,
  clipRule: 'nonzero',
};

/** The CSS basic colour keywords plus a few common extended ones; others fall back to black with a warning. */
const NAMED: Record<string, Rgb> = {
  black: [0, 0, 0], silver: [192, 192, 192], gray: [128, 128, 128], grey: [128, 128, 128], white: [255, 255, 255],
  maroon: [128, 0, 0], red: [255, 0, 0], purple: [128, 0, 128], fuchsia: [255, 0, 255], magenta: [255, 0, 255],
  green: [0, 128, 0], lime: [0, 255, 0], olive: [128, 128, 0], yellow: [255, 255, 0], navy: [0, 0, 128],
  blue: [0, 0, 255], teal: [0, 128, 128], aqua: [0, 255, 255], cyan: [0, 255, 255], orange: [255, 165, 0],
  darkgray: [169, 169, 169], darkgrey: [169, 169, 169], lightgray: [211, 211, 211], lightgrey: [211, 211, 211],
  darkblue: [0, 0, 139], darkred: [139, 0, 0], darkgreen: [0, 100, 0], gold: [255, 215, 0], pink: [255, 192, 203],
  brown: [165, 42, 42], indigo: [75, 0, 130], violet: [238, 130, 238], crimson: [220, 20, 60], tomato: [255, 99, 71],
  skyblue: [135, 206, 235], steelblue: [70, 130, 180], royalblue: [65, 105, 225], dimgray: [105, 105, 105],
  dimgrey: [105, 105, 105], whitesmoke: [245, 245, 245], gainsboro: [220, 220, 220],
};

/** Parses a CSS colour: hex (3, 4, 6, 8 digits), rgb()/rgba() with numbers or percentages, named colours. */
export function parseColor(text: string): { rgb: Rgb; alpha: number } | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'transparent') return { rgb: [0, 0, 0], alpha: 0 };
  const hex = /^#([0-9a-f]{3,8})$/.exec(s)?.[1];
  if (hex) {
    if (hex.length === 3 || hex.length === 4) {
      const v = [...hex].map((c) => parseInt(c + c, 16));
      return { rgb: [v[0]!, v[1]!, v[2]!], alpha: hex.length === 4 ? v[3]! / 255 : 1 };
    }
    if (hex.length === 6 || hex.length === 8) {
      const v = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return { rgb: [v[0]!, v[1]!, v[2]!], alpha: hex.length === 8 ? v[3]! / 255 : 1 };
    }
    return undefined;
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(s)?.[1];
  if (fn !== undefined) {
    const parts = fn.split(/[\s,/]+/).filter(Boolean);
    if (parts.length !== 3 && parts.length !== 4) return undefined;
    const ch = parts.slice(0, 3).map((p) => (p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p)));
    if (ch.some((v) => !Number.isFinite(v))) return undefined;
    const a = parts[3] === undefined ? 1 : parts[3].endsWith('%') ? parseFloat(parts[3]) / 100 : parseFloat(parts[3]);
    if (!Number.isFinite(a)) return undefined;
    const c = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
    return { rgb: [c(ch[0]!), c(ch[1]!), c(ch[2]!)], alpha: Math.max(0, Math.min(1, a)) };
  }
  const named = NAMED[s];
  return named ? { rgb: named, alpha: 1 } : undefined;
}

const CSS_PX: Record<string, number> = { '': 1, px: 1, pt: 4 / 3, pc: 16, mm: 96 / 25.4, cm: 96 / 2.54, in: 96, em: 16, ex: 8 };

/** A length in CSS px; percentages are of `ref`. */
function parseLength(text: string | undefined, ref: number): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*$/i.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  return unit === '%' ? (v * ref) / 100 : v * CSS_PX[unit]!;
}

const clamp01 = (v: number) => (Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 1);
const opacityOf = (text: string | undefined) => (text === undefined ? undefined : text.trim().endsWith('%') ? clamp01(parseFloat(text) / 100) : clamp01(parseFloat(text)));

/** Numbers in the form's operators: 4 decimals, no exponent, no "-0". */
function n(v: number): string {
  if (!Number.isFinite(v)) return '0';
  // Clamped so that String() never writes an exponent (PDF numbers have none).
  const r = Math.round(Math.max(-1e9, Math.min(1e9, v)) * 10000) / 10000;
  return r === 0 || Object.is(r, -0) ? '0' : String(r);
}

function segmentsOps(segments: Segment[], m?: Matrix): string {
  const P = (x: number, y: number) => {
    const [a, b] = m ? apply(m, x, y) : [x, y];
    return `${n(a)} ${n(b)}`;
  };
  const out: string[] = [];
  for (const s of segments) {
    if (s.op === 'M') out.push(`${P(s.x, s.y)} m`);
    else if (s.op === 'L') out.push(`${P(s.x, s.y)} l`);
    else if (s.op === 'C') out.push(`${P(s.x1, s.y1)} ${P(s.x2, s.y2)} ${P(s.x, s.y)} c`);
    else out.push('h');
  }
  return out.join('\n');
}

/** Reads the root's intrinsic size and the viewBox transform. */
function viewport(root: SvgNode, name: string): { width: number; height: number; matrix: Matrix; clip: boolean } {
  const vb = root.attrs['viewBox'] !== undefined ? parseNumberList(root.attrs['viewBox']) : undefined;
  const box = vb && vb.length === 4 && vb[2]! > 0 && vb[3]! > 0 ? (vb as [number, number, number, number]) : undefined;
  let w = parseLength(root.attrs['width'], box?.[2] ?? 0);
  let h = parseLength(root.attrs['height'], box?.[3] ?? 0);
  if (root.attrs['width']?.trim().endsWith('%')) w = undefined;
  if (root.attrs['height']?.trim().endsWith('%')) h = undefined;
  if (box) {
    if (w === undefined && h === undefined) [w, h] = [box[2], box[3]];
    else if (w === undefined) w = (h! * box[2]) / box[3];
    else if (h === undefined) h = (w * box[3]) / box[2];
  }
  if (!(w! > 0 && h! > 0) || !Number.isFinite(w!) || !Number.isFinite(h!)) {
    throw new LockupError('svg-refused', `"${name}" was refused: it has no size (give the <svg> element a viewBox or a width and height)`, { reason: 'no size' });
  }
  let matrix: Matrix = IDENTITY;
  let clip = false;
  if (box) {
    const par = (root.attrs['preserveAspectRatio'] ?? 'xMidYMid meet').trim().split(/\s+/);
    const align = par[0] ?? 'xMidYMid';
    let sx = w! / box[2];
    let sy = h! / box[3];
    let tx = -box[0] * sx;
    let ty = -box[1] * sy;
    if (align !== 'none') {
      const slice = par[1] === 'slice';
      const s = slice ? Math.max(sx, sy) : Math.min(sx, sy);
      clip = slice;
      const ax = align.includes('xMid') ? 0.5 : align.includes('xMax') ? 1 : 0;
      const ay = align.includes('YMid') ? 0.5 : align.includes('YMax') ? 1 : 0;
      sx = sy = s;
      tx = -box[0] * s + (w! - box[2] * s) * ax;
      ty = -box[1] * s + (h! - box[3] * s) * ay;
    }
    matrix = [sx, 0, 0, sy, tx, ty];
  }
  return { width: w!, height: h!, matrix, clip };
}

const GRADIENT_WARNING = 'gradients with transparent stops are drawn as a solid colour (the average of their stops)';

/** An axial (2) or radial (3) shading in the gradient's own space; the operators set its matrix with `cm`. */
export interface SvgShading {
  name: string;
  type: 2 | 3;
  /** Axial: x1 y1 x2 y2. Radial: fx fy 0 cx cy r. */
  coords: number[];
  /** Increasing offsets from 0 to 1, sRGB colours 0..255. */
  stops: { offset: number; rgb: [number, number, number] }[];
}

/** The PDF shading dictionary for an SVG gradient (pad spread: both ends extended). */
export function shadingDict(s: SvgShading): Record<string, unknown> {
  const c = (rgb: readonly number[]) => rgb.map((v) => Math.round((v / 255) * 10000) / 10000);
  const pieces = s.stops.slice(1).map((st, i) => ({ FunctionType: 2, Domain: [0, 1], C0: c(s.stops[i]!.rgb), C1: c(st.rgb), N: 1 }));
  const fn =
    pieces.length === 1
      ? pieces[0]!
      : { FunctionType: 3, Domain: [0, 1], Functions: pieces, Bounds: s.stops.slice(1, -1).map((st) => st.offset), Encode: pieces.flatMap(() => [0, 1]) };
  return { ShadingType: s.type, ColorSpace: 'DeviceRGB', Coords: s.coords, Extend: [true, true], Function: fn };
}

/** The gradient's attribute, looked up along its `href` chain. */
function gradientAttr(target: SvgNode, byId: Map<string, SvgNode>, key: string): string | undefined {
  for (let hop = 0, g: SvgNode | undefined = target; g && hop < 8; hop++) {
    if (g.attrs[key] !== undefined) return g.attrs[key];
    g = g.attrs['href'] ? byId.get(g.attrs['href'].slice(1)) : undefined;
  }
  return undefined;
}

/** A gradient's stops, following `href` when it has none of its own. */
function gradientStops(target: SvgNode, byId: Map<string, SvgNode>): SvgNode[] {
  let stops = target.children.filter((c) => c.tag === 'stop');
  for (let hop = 0, g = target; stops.length === 0 && hop < 8; hop++) {
    const next = g.attrs['href'] ? byId.get(g.attrs['href'].slice(1)) : undefined;
    if (!next) break;
    g = next;
    stops = g.children.filter((c) => c.tag === 'stop');
  }
  return stops;
}

/** True when svgToPdf draws this gradient as a shading (every stop opaque, at least two stops). */
function vectorGradient(target: SvgNode, byId: Map<string, SvgNode>): boolean {
  const stops = gradientStops(target, byId);
  return stops.length >= 2 && stops.every((st) => (opacityOf(st.attrs['stop-opacity']) ?? 1) >= 1 && (parseColor(st.attrs['stop-color'] ?? 'black')?.alpha ?? 1) >= 1);
}

/** The average colour and opacity of a gradient's stops (following `href` to inherited stops). */
function gradientAverage(target: SvgNode, byId: Map<string, SvgNode>, current: Rgb): { rgb: Rgb; alpha: number } | undefined {
  const stops = gradientStops(target, byId);
  if (stops.length === 0) return undefined;
  const colours = stops.map((st) => ({
    rgb: (st.attrs['stop-color']?.trim().toLowerCase() === 'currentcolor' ? current : parseColor(st.attrs['stop-color'] ?? 'black')?.rgb) ?? [0, 0, 0],
    alpha: opacityOf(st.attrs['stop-opacity']) ?? 1,
  }));
  const avg = (i: number) => Math.round(colours.reduce((t, c) => t + c.rgb[i]!, 0) / colours.length);
  return { rgb: [avg(0), avg(1), avg(2)], alpha: colours.reduce((t, c) => t + c.alpha, 0) / colours.length };
}

/**
 * The sanitised SVG as the PDF draws it, for the canvas (WYSIWYG): the
 * gradients svgToPdf draws solid (strokes, transparent stops) are replaced
 * by the same colour.
 */
export function asPrinted(svg: SanitisedSvg): SanitisedSvg {
  const byId = new Map<string, SvgNode>();
  const index = (node: SvgNode) => {
    const id = node.attrs['id'];
    if (id !== undefined && !byId.has(id)) byId.set(id, node);
    node.children.forEach(index);
  };
  index(svg.root);
  const walk = (node: SvgNode): SvgNode => {
    const attrs = { ...node.attrs };
    for (const prop of ['fill', 'stroke'] as const) {
      const id = /^url\(\s*["']?#([^"')\s]+)["']?\s*\)/.exec(attrs[prop]?.trim() ?? '')?.[1];
      const target = id === undefined ? undefined : byId.get(id);
      if (!target || (target.tag !== 'linearGradient' && target.tag !== 'radialGradient')) continue;
      if (prop === 'fill' && vectorGradient(target, byId)) continue;
      const avg = gradientAverage(target, byId, parseColor(attrs['color'] ?? 'black')?.rgb ?? [0, 0, 0]);
      if (!avg) continue;
      attrs[prop] = `rgb(${avg.rgb.join(', ')})`;
      if (avg.alpha < 1) attrs[`${prop}-opacity`] = String((opacityOf(attrs[`${prop}-opacity`]) ?? 1) * avg.alpha);
    }
    return { ...node, attrs, children: node.children.map(walk) };
  };
  return { ...svg, root: walk(svg.root) };
}

/**
 * Converts a sanitised SVG into PDF operators. Drawn as vector: paths,
 * basic shapes, nested transforms, viewBox with preserveAspectRatio, fill
 * and stroke with their opacities (ExtGState), fill-rule, dashes, local
 * `<use>` and `<clipPath>`, linear and radial gradient fills as shadings.
 * Gradient strokes and gradients with transparent stops are drawn in the
 * average of their stop colours and reported in `warnings`; group opacity is multiplied into each
 * shape's own (overlaps inside a translucent group differ from a browser).
 */
export function svgToPdf(svg: SanitisedSvg, name = 'logo.svg'): SvgDrawing {
  const root = svg.root;
  const vp = viewport(root, name);
  const warnings = new Set<string>();
  const gstates = new Map<string, { name: string; ca: number; CA: number }>();
  const shadings: SvgShading[] = [];
  const byId = new Map<string, SvgNode>();
  const index = (node: SvgNode) => {
    const id = node.attrs['id'];
    if (id !== undefined && !byId.has(id)) byId.set(id, node);
    node.children.forEach(index);
  };
  index(root);
  const vbW = root.attrs['viewBox'] ? (parseNumberList(root.attrs['viewBox']) ?? [])[2] ?? vp.width : vp.width;
  const vbH = root.attrs['viewBox'] ? (parseNumberList(root.attrs['viewBox']) ?? [])[3] ?? vp.height : vp.height;
  const diag = Math.hypot(vbW, vbH) / Math.SQRT2;
  let drawn = 0;
  const out: string[] = [];

  const paintOf = (text: string | undefined, inherited: Paint): Paint => {
    if (text === undefined || text.trim() === 'inherit') return inherited;
    const t = text.trim();
    if (t === 'none') return { kind: 'none' };
    if (t.toLowerCase() === 'currentcolor') return { kind: 'current' };
    const url = /^url\(\s*["']?#([^"')\s]+)["']?\s*\)\s*(.*)$/.exec(t);
    if (url) return { kind: 'url', id: url[1]!, fallback: url[2] ? paintOf(url[2], inherited) : undefined };
    const c = parseColor(t);
    if (!c) {
      warnings.add(`colour "${t.slice(0, 40)}" is not understood and is drawn black`);
      return { kind: 'color', rgb: [0, 0, 0], alpha: 1 };
    }
    return { kind: 'color', ...c };
  };

  const styleOf = (node: SvgNode, parent: Style): Style => {
    const a = node.attrs;
    const s: Style = { ...parent };
    if (a['color']) s.color = parseColor(a['color'])?.rgb ?? parent.color;
    s.fill = paintOf(a['fill'], parent.fill);
    s.stroke = paintOf(a['stroke'], parent.stroke);
    s.fillOpacity = opacityOf(a['fill-opacity']) ?? parent.fillOpacity;
    s.strokeOpacity = opacityOf(a['stroke-opacity']) ?? parent.strokeOpacity;
    if (a['fill-rule'] === 'evenodd' || a['fill-rule'] === 'nonzero') s.fillRule = a['fill-rule'];
    if (a['clip-rule'] === 'evenodd' || a['clip-rule'] === 'nonzero') s.clipRule = a['clip-rule'];
    const sw = parseLength(a['stroke-width'], diag);
    if (sw !== undefined && sw >= 0) s.strokeWidth = sw;
    const cap = { butt: 0, round: 1, square: 2 }[a['stroke-linecap']?.trim() ?? ''];
    if (cap !== undefined) s.linecap = cap;
    const join = { miter: 0, round: 1, bevel: 2 }[a['stroke-linejoin']?.trim() ?? ''];
    if (join !== undefined) s.linejoin = join;
    const ml = Number(a['stroke-miterlimit']);
    if (a['stroke-miterlimit'] !== undefined && ml >= 1) s.miterlimit = ml;
    if (a['stroke-dasharray'] !== undefined) {
      const list = a['stroke-dasharray'].trim() === 'none' ? [] : (a['stroke-dasharray'].split(/[\s,]+/).filter(Boolean).map((v) => parseLength(v, diag)) ?? []);
      if (list.every((v) => v !== undefined && v >= 0)) {
        const d = list as number[];
        s.dash = d.some((v) => v > 0) ? (d.length % 2 ? [...d, ...d] : d) : [];
      }
    }
    const off = parseLength(a['stroke-dashoffset'], diag);
    if (off !== undefined) s.dashOffset = off;
    if (a['visibility'] !== undefined) s.visible = a['visibility'].trim() === 'visible';
    return s;
  };

  /** A paint as an RGB colour and alpha; gradients become the average of their stops. */
  const resolve = (paint: Paint, style: Style): { rgb: Rgb; alpha: number } | undefined => {
    if (paint.kind === 'none') return undefined;
    if (paint.kind === 'current') return { rgb: style.color, alpha: 1 };
    if (paint.kind === 'color') return paint;
    const target = byId.get(paint.id);
    if (!target || (target.tag !== 'linearGradient' && target.tag !== 'radialGradient')) return paint.fallback ? resolve(paint.fallback, style) : undefined;
    const avg = gradientAverage(target, byId, style.color);
    if (avg) warnings.add(vectorGradient(target, byId) ? 'gradient strokes are drawn as a solid colour (the average of their stops)' : GRADIENT_WARNING);
    return avg;
  };

  const num = (node: SvgNode, key: string, ref: number): number => parseLength(node.attrs[key], ref) ?? 0;

  /** The outline of a basic shape or path, in its own user space; `closed` says whether stroke joins at the start. */
  const outline = (node: SvgNode): Segment[] => {
    switch (node.tag) {
      case 'path': {
        const p = parsePath(node.attrs['d'] ?? '');
        if (p.error) warnings.add(`path data has an error (${p.error}); drawn up to it`);
        return p.segments;
      }
      case 'rect': {
        const x = num(node, 'x', vbW);
        const y = num(node, 'y', vbH);
        const w = num(node, 'width', vbW);
        const h = num(node, 'height', vbH);
        if (!(w > 0 && h > 0)) return [];
        let rx = parseLength(node.attrs['rx'], vbW);
        let ry = parseLength(node.attrs['ry'], vbH);
        if (rx === undefined || rx < 0) rx = ry !== undefined && ry >= 0 ? ry : 0;
        if (ry === undefined || ry < 0) ry = rx;
        rx = Math.min(rx, w / 2);
        ry = Math.min(ry, h / 2);
        if (rx === 0 || ry === 0) return [{ op: 'M', x, y }, { op: 'L', x: x + w, y }, { op: 'L', x: x + w, y: y + h }, { op: 'L', x, y: y + h }, { op: 'Z' }];
        const k = 0.5522847498;
        return [
          { op: 'M', x: x + rx, y },
          { op: 'L', x: x + w - rx, y },
          { op: 'C', x1: x + w - rx + k * rx, y1: y, x2: x + w, y2: y + ry - k * ry, x: x + w, y: y + ry },
          { op: 'L', x: x + w, y: y + h - ry },
          { op: 'C', x1: x + w, y1: y + h - ry + k * ry, x2: x + w - rx + k * rx, y2: y + h, x: x + w - rx, y: y + h },
          { op: 'L', x: x + rx, y: y + h },
          { op: 'C', x1: x + rx - k * rx, y1: y + h, x2: x, y2: y + h - ry + k * ry, x, y: y + h - ry },
          { op: 'L', x, y: y + ry },
          { op: 'C', x1: x, y1: y + ry - k * ry, x2: x + rx - k * rx, y2: y, x: x + rx, y },
          { op: 'Z' },
        ];
      }
      case 'circle':
      case 'ellipse': {
        const cx = num(node, 'cx', vbW);
        const cy = num(node, 'cy', vbH);
        const rx = node.tag === 'circle' ? num(node, 'r', diag) : num(node, 'rx', vbW);
        const ry = node.tag === 'circle' ? rx : num(node, 'ry', vbH);
        if (!(rx > 0 && ry > 0)) return [];
        const k = 0.5522847498;
        const ox = rx * k;
        const oy = ry * k;
        return [
          { op: 'M', x: cx + rx, y: cy },
          { op: 'C', x1: cx + rx, y1: cy + oy, x2: cx + ox, y2: cy + ry, x: cx, y: cy + ry },
          { op: 'C', x1: cx - ox, y1: cy + ry, x2: cx - rx, y2: cy + oy, x: cx - rx, y: cy },
          { op: 'C', x1: cx - rx, y1: cy - oy, x2: cx - ox, y2: cy - ry, x: cx, y: cy - ry },
          { op: 'C', x1: cx + ox, y1: cy - ry, x2: cx + rx, y2: cy - oy, x: cx + rx, y: cy },
          { op: 'Z' },
        ];
      }
      case 'line':
        return [
          { op: 'M', x: num(node, 'x1', vbW), y: num(node, 'y1', vbH) },
          { op: 'L', x: num(node, 'x2', vbW), y: num(node, 'y2', vbH) },
        ];
      case 'polyline':
      case 'polygon': {
        const pts = parseNumberList(node.attrs['points'] ?? '') ?? [];
        const segs: Segment[] = [];
        for (let i = 0; i + 1 < pts.length; i += 2) segs.push({ op: i === 0 ? 'M' : 'L', x: pts[i]!, y: pts[i + 1]! });
        if (node.tag === 'polygon' && segs.length > 0) segs.push({ op: 'Z' });
        return segs;
      }
      default:
        return [];
    }
  };

  /**
   * A vector gradient fill for `segs`: the shading's name and the matrix from
   * its space to user space, or undefined when the paint is not such a gradient.
   */
  const gradientFill = (paint: Paint, segs: Segment[]): { name: string; matrix: Matrix } | undefined => {
    if (paint.kind !== 'url') return undefined;
    const target = byId.get(paint.id);
    if (!target || (target.tag !== 'linearGradient' && target.tag !== 'radialGradient') || !vectorGradient(target, byId)) return undefined;
    const attr = (key: string) => gradientAttr(target, byId, key);
    const bbox = attr('gradientUnits') !== 'userSpaceOnUse';
    // Fractions for bounding-box units; user-space lengths (percentages of the viewBox) otherwise.
    const len = (key: string, fallback: string, ref: number) => {
      const v = attr(key) ?? fallback;
      if (bbox) return v.trim().endsWith('%') ? parseFloat(v) / 100 : Number(v);
      return parseLength(v, ref) ?? 0;
    };
    let matrix: Matrix = IDENTITY;
    if (bbox) {
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const s of segs) {
        const pts = s.op === 'C' ? [s.x1, s.y1, s.x2, s.y2, s.x, s.y] : s.op === 'Z' ? [] : [s.x, s.y];
        for (let i = 0; i < pts.length; i += 2) {
          x0 = Math.min(x0, pts[i]!);
          x1 = Math.max(x1, pts[i]!);
          y0 = Math.min(y0, pts[i + 1]!);
          y1 = Math.max(y1, pts[i + 1]!);
        }
      }
      if (!(x1 > x0 && y1 > y0)) return undefined;
      matrix = [x1 - x0, 0, 0, y1 - y0, x0, y0];
    }
    const gt = attr('gradientTransform');
    if (gt) matrix = multiply(matrix, parseTransform(gt) ?? IDENTITY);
    if ((attr('spreadMethod') ?? 'pad') !== 'pad') warnings.add('gradient spreadMethod reflect/repeat is drawn as pad');
    const stops: SvgShading['stops'] = [];
    for (const st of gradientStops(target, byId)) {
      const o = st.attrs['offset']?.trim() ?? '0';
      const offset = Math.max(stops.at(-1)?.offset ?? 0, clamp01(o.endsWith('%') ? parseFloat(o) / 100 : Number(o)));
      const rgb = st.attrs['stop-color']?.trim().toLowerCase() === 'currentcolor' ? [0, 0, 0] as Rgb : (parseColor(st.attrs['stop-color'] ?? 'black')?.rgb ?? [0, 0, 0]);
      stops.push({ offset: Number.isFinite(offset) ? offset : 0, rgb });
    }
    // Colours before the first and after the last stop are theirs.
    if (stops[0]!.offset > 0) stops.unshift({ offset: 0, rgb: stops[0]!.rgb });
    if (stops.at(-1)!.offset < 1) stops.push({ offset: 1, rgb: stops.at(-1)!.rgb });
    const name = `Sh${shadings.length}`;
    if (target.tag === 'linearGradient') {
      shadings.push({ name, type: 2, coords: [len('x1', '0%', vbW), len('y1', '0%', vbH), len('x2', '100%', vbW), len('y2', '0%', vbH)], stops });
    } else {
      const cx = len('cx', '50%', vbW);
      const cy = len('cy', '50%', vbH);
      const r = len('r', '50%', diag);
      if (!(r > 0)) return undefined;
      shadings.push({ name, type: 3, coords: [attr('fx') !== undefined ? len('fx', '50%', vbW) : cx, attr('fy') !== undefined ? len('fy', '50%', vbH) : cy, 0, cx, cy, r], stops });
    }
    shadings.at(-1)!.coords = shadings.at(-1)!.coords.map((v) => (Number.isFinite(v) ? Number(n(v)) : 0));
    return { name, matrix };
  };

  const gstate = (ca: number, CA: number): string => {
    const key = `${n(ca)}|${n(CA)}`;
    let g = gstates.get(key);
    if (!g) gstates.set(key, (g = { name: `GS${gstates.size}`, ca: Number(n(ca)), CA: Number(n(CA)) }));
    return g.name;
  };

  /** `q … W n` for a clip-path reference, or '' when there is none (or it cannot be used). */
  const clipOps = (node: SvgNode, style: Style): string => {
    const ref = /^url\(\s*["']?#([^"')\s]+)["']?\s*\)$/.exec(node.attrs['clip-path']?.trim() ?? '')?.[1];
    if (!ref) return '';
    const clip = byId.get(ref);
    if (!clip || clip.tag !== 'clipPath') return '';
    if (clip.attrs['clipPathUnits'] === 'objectBoundingBox') {
      warnings.add('clip paths in objectBoundingBox units are ignored');
      return '';
    }
    const base = clip.attrs['transform'] ? (parseTransform(clip.attrs['transform']) ?? IDENTITY) : IDENTITY;
    const parts: string[] = [];
    let rule = style.clipRule;
    for (const c of clip.children) {
      if (c.attrs['display']?.trim() === 'none') continue;
      const m = c.attrs['transform'] ? multiply(base, parseTransform(c.attrs['transform']) ?? IDENTITY) : base;
      const segs = outline(c);
      if (segs.length) parts.push(segmentsOps(segs, m));
      if (c.attrs['clip-rule'] === 'evenodd') rule = 'evenodd';
    }
    // An empty clip path hides the element: clip to nothing.
    if (parts.length === 0) return '0 0 m h W n\n';
    return `${parts.join('\n')}\n${rule === 'evenodd' ? 'W*' : 'W'} n\n`;
  };

  const draw = (node: SvgNode, parent: Style, opacity: number, useDepth: number, using: Set<SvgNode>): void => {
    if (node.attrs['display']?.trim() === 'none') return;
    if (['defs', 'linearGradient', 'radialGradient', 'stop', 'clipPath', 'title', 'desc', 'symbol'].includes(node.tag) && useDepth === 0) return;
    if (++drawn > MAX_DRAWN_SHAPES) {
      throw new LockupError('svg-refused', `"${name}" was refused: it draws more than ${MAX_DRAWN_SHAPES} shapes (counting every <use>)`, { reason: 'too many shapes' });
    }
    const style = styleOf(node, parent);
    const own = opacityOf(node.attrs['opacity']) ?? 1;
    const alpha = opacity * own;
    if (alpha === 0) return;
    let m = node.attrs['transform'] ? parseTransform(node.attrs['transform']) : IDENTITY;
    if (m === undefined) {
      warnings.add('a transform is not understood and is ignored');
      m = IDENTITY;
    }
    if (node.tag === 'use') {
      const target = node.attrs['href'] ? byId.get(node.attrs['href'].slice(1)) : undefined;
      if (!target) return;
      if (using.has(target) || useDepth >= MAX_USE_DEPTH) {
        throw new LockupError('svg-refused', `"${name}" was refused: its <use> references refer back to themselves or nest too deeply`, { reason: 'use cycle' });
      }
      m = multiply(m, [1, 0, 0, 1, num(node, 'x', vbW), num(node, 'y', vbH)]);
      out.push('q');
      if (m !== IDENTITY) out.push(`${m.map(n).join(' ')} cm`);
      out.push(clipOps(node, style));
      using.add(target);
      if (target.tag === 'symbol') for (const c of target.children) draw(c, styleOf(target, style), alpha, useDepth + 1, using);
      else draw(target, style, alpha, useDepth + 1, using);
      using.delete(target);
      out.push('Q');
      return;
    }
    const isGroup = node.tag === 'g' || node.tag === 'svg' || node.tag === 'symbol';
    const segs = isGroup ? [] : outline(node);
    if (!isGroup && segs.length === 0) return;
    out.push('q');
    if (node.tag === 'svg' && node !== root) {
      const x = num(node, 'x', vbW);
      const y = num(node, 'y', vbH);
      m = multiply(m, [1, 0, 0, 1, x, y]);
      if (node.attrs['viewBox']) warnings.add('nested <svg> viewBoxes are ignored');
    }
    if (m !== IDENTITY && m.some((v, i) => v !== IDENTITY[i])) out.push(`${m.map(n).join(' ')} cm`);
    const clip = clipOps(node, style);
    if (clip) out.push(clip.trimEnd());
    if (isGroup) {
      for (const c of node.children) draw(c, style, alpha, useDepth, using);
      out.push('Q');
      return;
    }
    if (!style.visible) {
      out.push('Q');
      return;
    }
    const even = style.fillRule === 'evenodd';
    const shade = node.tag === 'line' ? undefined : gradientFill(style.fill, segs);
    if (shade) {
      // The gradient fill: clip to the shape, paint the shading; the stroke (if any) follows below.
      const fa = style.fillOpacity * alpha;
      if (fa > 0) {
        out.push('q');
        if (fa < 1) out.push(`/${gstate(fa, 1)} gs`);
        out.push(segmentsOps(segs), even ? 'W* n' : 'W n', `${shade.matrix.map(n).join(' ')} cm`, `/${shade.name} sh`, 'Q');
      }
    }
    const fill = shade || node.tag === 'line' ? undefined : resolve(style.fill, style);
    const stroke = style.strokeWidth > 0 ? resolve(style.stroke, style) : undefined;
    const fa = fill ? fill.alpha * style.fillOpacity * alpha : 0;
    const sa = stroke ? stroke.alpha * style.strokeOpacity * alpha : 0;
    const doFill = fill !== undefined && fa > 0;
    const doStroke = stroke !== undefined && sa > 0;
    if (!doFill && !doStroke) {
      out.push('Q');
      return;
    }
    if ((doFill && fa < 1) || (doStroke && sa < 1)) out.push(`/${gstate(doFill ? fa : 1, doStroke ? sa : 1)} gs`);
    if (doFill) out.push(`${fill.rgb.map((v) => n(v / 255)).join(' ')} rg`);
    if (doStroke) {
      out.push(`${stroke.rgb.map((v) => n(v / 255)).join(' ')} RG`, `${n(style.strokeWidth)} w`);
      if (style.linecap) out.push(`${style.linecap} J`);
      if (style.linejoin) out.push(`${style.linejoin} j`);
      if (style.miterlimit !== 10) out.push(`${n(style.miterlimit)} M`);
      if (style.dash.length) out.push(`[${style.dash.map(n).join(' ')}] ${n(style.dashOffset)} d`);
    }
    out.push(segmentsOps(segs));
    out.push(doFill && doStroke ? (even ? 'B*' : 'B') : doFill ? (even ? 'f*' : 'f') : 'S');
    out.push('Q');
  };

  // Form space: PDF points, y up. SVG user space: CSS px, y down.
  const k = 0.75;
  const base = multiply([k, 0, 0, -k, 0, vp.height * k], vp.matrix);
  out.push(`${base.map(n).join(' ')} cm`);
  // preserveAspectRatio "slice" needs no clip of its own: the form's BBox clips.
  draw(root, INITIAL, 1, 0, new Set());
  return { width: vp.width * k, height: vp.height * k, ops: out.join('\n') + '\n', gstates: [...gstates.values()], shadings, warnings: [...warnings] };
}
