/** 2-D affine matrix [a b c d e f]: x' = a x + c y + e, y' = b x + d y + f (SVG and PDF order). */
export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `m` then `n`: the matrix that applies `n` first and then `m` (SVG's nesting order: parent × child). */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;

/** Parses an SVG `transform` list; `undefined` when it is malformed (the element is then drawn untransformed, as browsers do). */
export function parseTransform(text: string): Matrix | undefined {
  let m: Matrix = IDENTITY;
  const re = /\s*,?\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)\s*/y;
  let at = 0;
  const s = text.trim();
  while (at < s.length) {
    re.lastIndex = at;
    const hit = re.exec(s);
    if (!hit) return undefined;
    at = re.lastIndex;
    const args = parseNumberList(hit[2]!);
    if (!args) return undefined;
    const [a = 0, b, c] = args;
    let t: Matrix;
    switch (hit[1]) {
      case 'matrix':
        if (args.length !== 6) return undefined;
        t = args as Matrix;
        break;
      case 'translate':
        if (args.length < 1 || args.length > 2) return undefined;
        t = [1, 0, 0, 1, a, b ?? 0];
        break;
      case 'scale':
        if (args.length < 1 || args.length > 2) return undefined;
        t = [a, 0, 0, b ?? a, 0, 0];
        break;
      case 'rotate': {
        if (args.length !== 1 && args.length !== 3) return undefined;
        const r = (a * Math.PI) / 180;
        const [cos, sin] = [Math.cos(r), Math.sin(r)];
        t = [cos, sin, -sin, cos, 0, 0];
        if (args.length === 3) t = multiply(multiply([1, 0, 0, 1, b!, c!], t), [1, 0, 0, 1, -b!, -c!]);
        break;
      }
      case 'skewX':
        if (args.length !== 1) return undefined;
        t = [1, 0, Math.tan((a * Math.PI) / 180), 1, 0, 0];
        break;
      default:
        if (args.length !== 1) return undefined;
        t = [1, Math.tan((a * Math.PI) / 180), 0, 1, 0, 0];
    }
    m = multiply(m, t);
  }
  return m.every(Number.isFinite) ? m : undefined;
}

/** Numbers separated by whitespace and/or commas; `undefined` on anything else. */
export function parseNumberList(text: string): number[] | undefined {
  const out: number[] = [];
  let i = 0;
  const s = text;
  for (;;) {
    while (i < s.length && /[\s,]/.test(s[i]!)) i++;
    if (i >= s.length) return out;
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(s);
    if (!m) return undefined;
    out.push(Number(m[0]));
    i = NUMBER.lastIndex;
  }
}

/** Absolute path segments: everything is a move, a line, a cubic Bézier or a close. */
export type Segment = { op: 'M'; x: number; y: number } | { op: 'L'; x: number; y: number } | { op: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number } | { op: 'Z' };

export interface ParsedPath {
  segments: Segment[];
  /** Set when the data had an error: per SVG, the path is drawn up to it. */
  error?: string;
}

const ARGS: Record<string, number> = { M: 2, L: 2, H: 1, V: 1, C: 6, S: 4, Q: 4, T: 2, A: 7, Z: 0 };

/** Parses SVG path data (every command, arcs and quadratics become cubics). */
export function parsePath(d: string): ParsedPath {
  const segments: Segment[] = [];
  let i = 0;
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  // Reflection points for S and T.
  let lastC: [number, number] | undefined;
  let lastQ: [number, number] | undefined;
  let cmd = '';
  const skip = () => {
    while (i < d.length && /[\s,]/.test(d[i]!)) i++;
  };
  const readFlag = (): number | undefined => {
    skip();
    const ch = d[i];
    if (ch === '0' || ch === '1') {
      i++;
      return ch === '1' ? 1 : 0;
    }
    return undefined;
  };
  const readNumber = (): number | undefined => {
    skip();
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(d);
    if (!m) return undefined;
    i = NUMBER.lastIndex;
    const v = Number(m[0]);
    return Number.isFinite(v) ? v : undefined;
  };
  for (;;) {
    skip();
    if (i >= d.length) return { segments };
    const ch = d[i]!;
    if (/[MmLlHhVvCcSsQqTtAaZz]/.test(ch)) {
      cmd = ch;
      i++;
    } else if (!cmd || cmd === 'Z' || cmd === 'z') return { segments, error: `unexpected "${ch}" at ${i}` };
    else if (cmd === 'M') cmd = 'L';
    else if (cmd === 'm') cmd = 'l';
    if (segments.length === 0 && cmd !== 'M' && cmd !== 'm') return { segments, error: 'path data must start with a move' };
    const upper = cmd.toUpperCase();
    const rel = cmd !== upper;
    if (upper === 'Z') {
      segments.push({ op: 'Z' });
      cx = sx;
      cy = sy;
      lastC = lastQ = undefined;
      continue;
    }
    const args: number[] = [];
    for (let k = 0; k < ARGS[upper]!; k++) {
      const v = upper === 'A' && (k === 3 || k === 4) ? readFlag() : readNumber();
      if (v === undefined) return { segments, error: `command ${cmd} at ${i} is missing numbers` };
      args.push(v);
    }
    const ox = rel ? cx : 0;
    const oy = rel ? cy : 0;
    let nextC: [number, number] | undefined;
    let nextQ: [number, number] | undefined;
    switch (upper) {
      case 'M':
        cx = sx = args[0]! + ox;
        cy = sy = args[1]! + oy;
        segments.push({ op: 'M', x: cx, y: cy });
        break;
      case 'L':
      case 'H':
      case 'V': {
        const x = upper === 'V' ? cx : args[0]! + ox;
        const y = upper === 'H' ? cy : upper === 'V' ? args[0]! + oy : args[1]! + oy;
        segments.push({ op: 'L', x, y });
        cx = x;
        cy = y;
        break;
      }
      case 'C':
      case 'S': {
        let x1: number;
        let y1: number;
        let rest: number[];
        if (upper === 'C') {
          x1 = args[0]! + ox;
          y1 = args[1]! + oy;
          rest = args.slice(2);
        } else {
          [x1, y1] = lastC ? [2 * cx - lastC[0], 2 * cy - lastC[1]] : [cx, cy];
          rest = args;
        }
        const x2 = rest[0]! + ox;
        const y2 = rest[1]! + oy;
        const x = rest[2]! + ox;
        const y = rest[3]! + oy;
        segments.push({ op: 'C', x1, y1, x2, y2, x, y });
        nextC = [x2, y2];
        cx = x;
        cy = y;
        break;
      }
      case 'Q':
      case 'T': {
        const [qx, qy] = upper === 'Q' ? [args[0]! + ox, args[1]! + oy] : lastQ ? [2 * cx - lastQ[0], 2 * cy - lastQ[1]] : [cx, cy];
        const x = (upper === 'Q' ? args[2]! : args[0]!) + ox;
        const y = (upper === 'Q' ? args[3]! : args[1]!) + oy;
        segments.push({ op: 'C', x1: cx + (2 / 3) * (qx - cx), y1: cy + (2 / 3) * (qy - cy), x2: x + (2 / 3) * (qx - x), y2: y + (2 / 3) * (qy - y), x, y });
        nextQ = [qx, qy];
        cx = x;
        cy = y;
        break;
      }
      case 'A': {
        const x = args[5]! + ox;
        const y = args[6]! + oy;
        segments.push(...arcToCubics(cx, cy, args[0]!, args[1]!, args[2]!, args[3] === 1, args[4] === 1, x, y));
        cx = x;
        cy = y;
        break;
      }
    }
    lastC = nextC;
    lastQ = nextQ;
  }
}

/**
 * An elliptical arc (SVG endpoint parameterisation) as cubic Béziers, at
 * most 90° each (error below 0.03% of the radius). Out-of-range radii are
 * scaled up as SVG 1.1 F.6.6 requires; zero radii make a straight line.
 */
export function arcToCubics(x1: number, y1: number, rxIn: number, ryIn: number, angleDeg: number, largeArc: boolean, sweep: boolean, x2: number, y2: number): Segment[] {
  if (x1 === x2 && y1 === y2) return [];
  let rx = Math.abs(rxIn);
  let ry = Math.abs(ryIn);
  if (rx === 0 || ry === 0) return [{ op: 'L', x: x2, y: y2 }];
  const phi = ((angleDeg % 360) * Math.PI) / 180;
  const cos = Math.cos(phi);
  const sin = Math.sin(phi);
  // F.6.5: centre parameterisation.
  const dx = (x1 - x2) / 2;
  const dy = (y1 - y2) / 2;
  const x1p = cos * dx + sin * dy;
  const y1p = -sin * dx + cos * dy;
  const lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
  if (lambda > 1) {
    rx *= Math.sqrt(lambda);
    ry *= Math.sqrt(lambda);
  }
  const num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
  const den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
  let coef = Math.sqrt(Math.max(0, num / den));
  if (largeArc === sweep) coef = -coef;
  const cxp = (coef * rx * y1p) / ry;
  const cyp = (-coef * ry * x1p) / rx;
  const cx = cos * cxp - sin * cyp + (x1 + x2) / 2;
  const cy = sin * cxp + cos * cyp + (y1 + y2) / 2;
  const angle = (ux: number, uy: number, vx: number, vy: number) => {
    const a = Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
    return a;
  };
  const theta1 = angle(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry);
  let delta = angle((x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry);
  if (!sweep && delta > 0) delta -= 2 * Math.PI;
  if (sweep && delta < 0) delta += 2 * Math.PI;
  const parts = Math.max(1, Math.ceil(Math.abs(delta) / (Math.PI / 2) - 1e-9));
  const step = delta / parts;
  const k = (4 / 3) * Math.tan(step / 4);
  const point = (t: number): [number, number] => {
    const ex = rx * Math.cos(t);
    const ey = ry * Math.sin(t);
    return [cos * ex - sin * ey + cx, sin * ex + cos * ey + cy];
  };
  const deriv = (t: number): [number, number] => {
    const ex = -rx * Math.sin(t);
    const ey = ry * Math.cos(t);
    return [cos * ex - sin * ey, sin * ex + cos * ey];
  };
  const out: Segment[] = [];
  for (let p = 0; p < parts; p++) {
    const t0 = theta1 + p * step;
    const t1 = t0 + step;
    const [ax, ay] = point(t0);
    const [bx, by] = p === parts - 1 ? [x2, y2] : point(t1);
    const [d0x, d0y] = deriv(t0);
    const [d1x, d1y] = deriv(t1);
    out.push({ op: 'C', x1: ax + k * d0x, y1: ay + k * d0y, x2: bx - k * d1x, y2: by - k * d1y, x: bx, y: by });
  }
  return out;
}

/** A point on a cubic segment at parameter t, for tests and bounds. */
export function cubicAt(x0: number, y0: number, s: Extract<Segment, { op: 'C' }>, t: number): [number, number] {
  const u = 1 - t;
  return [
    u * u * u * x0 + 3 * u * u * t * s.x1 + 3 * u * t * t * s.x2 + t * t * t * s.x,
    u * u * u * y0 + 3 * u * u * t * s.y1 + 3 * u * t * t * s.y2 + t * t * t * s.y,
  ];
}
