import { describe, expect, it } from 'vitest';
import { apply, arcToCubics, cubicAt, multiply, parsePath, parseTransform, type Matrix, type Segment } from './geometry.ts';
import { parseColor, shadingDict, svgToPdf } from './render.ts';
import { sanitiseSvg } from './sanitise.ts';

type Cubic = Extract<Segment, { op: 'C' }>;
const close = (a: number, b: number, eps = 1e-6) => expect(Math.abs(a - b)).toBeLessThan(eps);
const closeM = (m: Matrix | undefined, want: number[]) => {
  expect(m).toBeDefined();
  m!.forEach((v, i) => close(v, want[i]!));
};

/** Samples every cubic of an arc and returns the points. */
function sample(x0: number, y0: number, segs: Segment[], steps = 16): [number, number][] {
  const pts: [number, number][] = [];
  let [x, y] = [x0, y0];
  for (const s of segs) {
    expect(s.op).toBe('C');
    const c = s as Cubic;
    for (let i = 0; i <= steps; i++) pts.push(cubicAt(x, y, c, i / steps));
    [x, y] = [c.x, c.y];
  }
  return pts;
}

describe('arcs become cubic Béziers', () => {
  it('a half circle with sweep=1 goes through (1,-1) in y-down space; sweep=0 through (1,1)', () => {
    const cw = arcToCubics(0, 0, 1, 1, 0, false, true, 2, 0);
    expect(cw).toHaveLength(2);
    const mid = cw[0] as Cubic;
    close(mid.x, 1);
    close(mid.y, -1);
    for (const [x, y] of sample(0, 0, cw)) close(Math.hypot(x - 1, y), 1, 3e-4);
    const ccw = arcToCubics(0, 0, 1, 1, 0, false, false, 2, 0);
    close((ccw[0] as Cubic).y, 1);
  });

  it('the large-arc flag picks the 270° arc, ending exactly at the end point', () => {
    // From (1,0) to (0,1) on the unit circle around the origin: small arc is 90°, large is 270°.
    const small = arcToCubics(1, 0, 1, 1, 0, false, true, 0, 1);
    const large = arcToCubics(1, 0, 1, 1, 0, true, false, 0, 1);
    expect(small).toHaveLength(1);
    expect(large).toHaveLength(3);
    const end = large[2] as Cubic;
    expect([end.x, end.y]).toEqual([0, 1]);
    // The large arc passes through (-1, 0) and (0, -1), staying on the circle of radius 1 around (0, 0).
    const pts = sample(1, 0, large);
    for (const [x, y] of pts) close(Math.hypot(x, y), 1, 3e-4);
    expect(pts.some(([x, y]) => Math.abs(x + 1) < 1e-6 && Math.abs(y) < 1e-6)).toBe(true);
  });

  it('radii too small are scaled up (SVG F.6.6); zero radius is a line; same end point draws nothing', () => {
    const arc = arcToCubics(0, 0, 0.5, 0.5, 0, false, true, 4, 0);
    for (const [x, y] of sample(0, 0, arc)) close(Math.hypot(x - 2, y), 2, 1e-3);
    expect(arcToCubics(0, 0, 0, 5, 0, false, true, 4, 0)).toEqual([{ op: 'L', x: 4, y: 0 }]);
    expect(arcToCubics(3, 3, 5, 5, 0, false, true, 3, 3)).toEqual([]);
  });

  it('a rotated ellipse: points satisfy the rotated ellipse equation', () => {
    // Ellipse rx=4, ry=2 rotated 30°, centred at the origin; from its +x vertex to its −x vertex.
    const phi = Math.PI / 6;
    const [sx, sy] = [4 * Math.cos(phi), 4 * Math.sin(phi)];
    const arc = arcToCubics(sx, sy, 4, 2, 30, false, true, -sx, -sy);
    for (const [x, y] of sample(sx, sy, arc)) {
      const u = x * Math.cos(phi) + y * Math.sin(phi);
      const v = -x * Math.sin(phi) + y * Math.cos(phi);
      close((u * u) / 16 + (v * v) / 4, 1, 1e-3);
    }
  });
});

describe('path data', () => {
  it('relative and shorthand commands resolve to absolute segments', () => {
    const p = parsePath('m10 10 h5 v5 l-5 0 z M0 0 q 10 0 10 10 t 10 10 C 1 2 3 4 5 6 s 1 1 2 2');
    expect(p.error).toBeUndefined();
    expect(p.segments.slice(0, 5)).toEqual([
      { op: 'M', x: 10, y: 10 },
      { op: 'L', x: 15, y: 10 },
      { op: 'L', x: 15, y: 15 },
      { op: 'L', x: 10, y: 15 },
      { op: 'Z' },
    ]);
    // Quadratic (0,0)→ctrl(10,0)→(10,10) as a cubic: controls at 2/3.
    const q = p.segments[6] as Cubic;
    expect([q.x1, q.y1, q.x2, q.y2, q.x, q.y].map((v) => Math.round(v * 1000) / 1000)).toEqual([6.667, 0, 10, 3.333, 10, 10]);
    // T reflects the control point (10,0) about (10,10) → (10,20); end (20,20).
    const t = p.segments[7] as Cubic;
    close(t.x1, 10);
    close(t.y1, 10 + (2 / 3) * 10);
    // S reflects (3,4) about (5,6) → (7,8).
    const s = p.segments[9] as Cubic;
    expect([s.x1, s.y1, s.x, s.y]).toEqual([7, 8, 7, 8]);
  });

  it('implicit repeats, packed numbers and arc flags without separators', () => {
    expect(parsePath('M0,0 10,0 10-10').segments).toEqual([
      { op: 'M', x: 0, y: 0 },
      { op: 'L', x: 10, y: 0 },
      { op: 'L', x: 10, y: -10 },
    ]);
    expect(parsePath('M.5.5L1e1-.5').segments).toEqual([
      { op: 'M', x: 0.5, y: 0.5 },
      { op: 'L', x: 10, y: -0.5 },
    ]);
    const arc = parsePath('M0 0a1 1 0 012 0');
    expect(arc.error).toBeUndefined();
    expect(arc.segments.at(-1)).toMatchObject({ x: 2, y: 0 });
  });

  it('an error keeps what came before it', () => {
    const p = parsePath('M0 0 L10 10 L20 x 30 30');
    expect(p.segments).toHaveLength(2);
    expect(p.error).toMatch(/missing numbers/);
    expect(parsePath('L10 10').error).toMatch(/start with a move/);
  });
});

describe('transforms', () => {
  it('each function, and lists compose left to right', () => {
    closeM(parseTransform('translate(10)'), [1, 0, 0, 1, 10, 0]);
    closeM(parseTransform('scale(2, 3)'), [2, 0, 0, 3, 0, 0]);
    closeM(parseTransform('rotate(90)'), [0, 1, -1, 0, 0, 0]);
    closeM(parseTransform('skewX(45)'), [1, 0, 1, 1, 0, 0]);
    closeM(parseTransform('skewY(45)'), [1, 1, 0, 1, 0, 0]);
    closeM(parseTransform('matrix(1 2 3 4 5 6)'), [1, 2, 3, 4, 5, 6]);
    // translate then scale: a point is scaled first, then moved.
    const m = parseTransform('translate(10,20) scale(2)')!;
    expect(apply(m, 1, 1)).toEqual([12, 22]);
    // rotate about a point keeps the point fixed.
    const r = parseTransform('rotate(90 5 5)')!;
    const [x, y] = apply(r, 5, 5);
    close(x, 5);
    close(y, 5);
    const [x2, y2] = apply(r, 6, 5);
    close(x2, 5);
    close(y2, 6);
  });

  it('malformed lists are undefined (the element is drawn untransformed)', () => {
    for (const bad of ['translate(1,2,3)', 'rotate(1,2)', 'scale()', 'frobnicate(1)', 'translate(1) junk', 'matrix(1 2 3)']) expect(parseTransform(bad), bad).toBeUndefined();
  });

  it('nesting multiplies parent × child', () => {
    const parent: Matrix = [2, 0, 0, 2, 0, 0];
    const child: Matrix = [1, 0, 0, 1, 5, 0];
    expect(apply(multiply(parent, child), 0, 0)).toEqual([10, 0]);
  });
});

describe('drawing a sanitised SVG', () => {
  const draw = (s: string) => svgToPdf(sanitiseSvg(new TextEncoder().encode(s), 'logo.svg'));

  it('size from width/height in units, or from the viewBox; px are 0.75 pt', () => {
    expect(draw('<svg width="40mm" height="1in" viewBox="0 0 10 10"/>')).toMatchObject({ width: (40 / 25.4) * 72, height: 72 });
    expect(draw('<svg viewBox="0 0 200 100"/>')).toMatchObject({ width: 150, height: 75 });
    expect(draw('<svg width="200" viewBox="0 0 100 25"/>')).toMatchObject({ width: 150, height: 37.5 });
  });

  it('viewBox with preserveAspectRatio: meet centres, none stretches, xMin aligns', () => {
    const first = (s: string) => draw(s).ops.split('\n')[0];
    // 100×50 viewport, 10×10 viewBox: meet scales by 5, centres horizontally (25 px), then ×0.75 and flips y.
    expect(first('<svg width="100" height="50" viewBox="0 0 10 10"/>')).toBe('3.75 0 0 -3.75 18.75 37.5 cm');
    expect(first('<svg width="100" height="50" viewBox="0 0 10 10" preserveAspectRatio="none"/>')).toBe('7.5 0 0 -3.75 0 37.5 cm');
    expect(first('<svg width="100" height="50" viewBox="0 0 10 10" preserveAspectRatio="xMinYMin meet"/>')).toBe('3.75 0 0 -3.75 0 37.5 cm');
  });

  it('refuses an SVG with no size', () => {
    expect(() => draw('<svg/>')).toThrow(/no size/);
  });

  it('fill, stroke, opacity, fill-rule and currentColor become PDF operators', () => {
    const d = draw('<svg width="10" height="10" color="#00ff00"><rect width="4" height="4" fill="currentColor" stroke="red" stroke-width="2" opacity="0.5" fill-rule="evenodd" stroke-linejoin="round" stroke-dasharray="1 2"/></svg>');
    expect(d.ops).toContain('/GS0 gs\n0 1 0 rg\n1 0 0 RG\n2 w\n1 j\n4 M\n[1 2] 0 d');
    expect(d.ops).toContain('B*');
    expect(d.gstates).toEqual([{ name: 'GS0', ca: 0.5, CA: 0.5 }]);
  });

  it('opaque linear and radial gradients become shadings in the bounding box of the shape', () => {
    const d = draw(
      '<svg width="10" height="10"><linearGradient id="g" x2="0" y2="100%"><stop offset="20%" stop-color="#000"/><stop offset=".5" stop-color="red"/><stop offset="1" stop-color="#fff"/></linearGradient>' +
        '<radialGradient id="r" href="#g" gradientUnits="userSpaceOnUse" cx="5" cy="5" r="2"/><rect x="2" y="1" width="4" height="8" fill="url(#g)" stroke="blue"/><circle cx="5" cy="5" r="2" fill="url(#r)"/></svg>',
    );
    expect(d.warnings).toEqual([]);
    expect(d.ops).toContain('2 1 m\n6 1 l\n6 9 l\n2 9 l\nh\nW n\n4 0 0 8 2 1 cm\n/Sh0 sh\nQ');
    // The stroke is still drawn, on its own.
    expect(d.ops).toMatch(/0 0 1 RG\n1 w\n4 M\n2 1 m[\s\S]*?\nS\n/);
    expect(d.shadings[0]).toEqual({
      name: 'Sh0',
      type: 2,
      coords: [0, 0, 0, 1],
      stops: [{ offset: 0, rgb: [0, 0, 0] }, { offset: 0.2, rgb: [0, 0, 0] }, { offset: 0.5, rgb: [255, 0, 0] }, { offset: 1, rgb: [255, 255, 255] }],
    });
    // The radial one inherits the stops through href, in user space (no bounding-box matrix).
    expect(d.shadings[1]).toMatchObject({ name: 'Sh1', type: 3, coords: [5, 5, 0, 5, 5, 2] });
    expect(d.ops).toContain('W n\n1 0 0 1 0 0 cm\n/Sh1 sh');
    expect(shadingDict(d.shadings[0]!)).toMatchObject({ ShadingType: 2, ColorSpace: 'DeviceRGB', Extend: [true, true], Function: { FunctionType: 3, Bounds: [0.2, 0.5], Encode: [0, 1, 0, 1, 0, 1] } });
  });

  it('gradients with transparent stops, and gradient strokes, fall back to the average of their stops, with a warning', () => {
    const d = draw('<svg width="10" height="10"><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#fff" stop-opacity="0.5"/></linearGradient><rect width="4" height="4" fill="url(#g)"/></svg>');
    expect(d.ops).toContain('0.502 0.502 0.502 rg');
    expect(d.shadings).toEqual([]);
    expect(d.warnings).toEqual(['gradients with transparent stops are drawn as a solid colour (the average of their stops)']);
    const s = draw('<svg width="10" height="10"><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#fff"/></linearGradient><rect width="4" height="4" fill="none" stroke="url(#g)"/></svg>');
    expect(s.warnings).toEqual(['gradient strokes are drawn as a solid colour (the average of their stops)']);
  });

  it('<use> draws its target with x/y; clip paths clip', () => {
    const d = draw('<svg width="10" height="10"><defs><rect id="r" width="1" height="1"/><clipPath id="c"><circle r="3"/></clipPath></defs><use href="#r" x="5" y="6" clip-path="url(#c)"/></svg>');
    expect(d.ops).toContain('1 0 0 1 5 6 cm');
    expect(d.ops).toMatch(/c\nh\nW n/);
  });

  it('colours: hex, rgb(), percentages, names; unknown is undefined', () => {
    expect(parseColor('#abc')).toEqual({ rgb: [0xaa, 0xbb, 0xcc], alpha: 1 });
    expect(parseColor('#11223380')?.alpha).toBeCloseTo(128 / 255);
    expect(parseColor('rgb(10, 20, 30)')).toEqual({ rgb: [10, 20, 30], alpha: 1 });
    expect(parseColor('rgba(100%, 0%, 50%, 0.25)')).toEqual({ rgb: [255, 0, 128], alpha: 0.25 });
    expect(parseColor('Navy')).toEqual({ rgb: [0, 0, 128], alpha: 1 });
    expect(parseColor('hsl(0, 50%, 50%)')).toBeUndefined();
  });
});

describe('asPrinted (what the canvas draws)', () => {
  it('replaces gradient paints with the colour the PDF uses, and leaves the rest', async () => {
    const { asPrinted } = await import('./render.ts');
    const { serialiseSvg } = await import('./sanitise.ts');
    const svg = sanitiseSvg(new TextEncoder().encode('<svg width="10" height="10"><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></linearGradient><rect width="4" height="4" fill="url(#g)"/><rect width="1" height="1" fill="red"/></svg>'), 'logo.svg');
    const out = serialiseSvg(asPrinted(svg));
    expect(out).toContain('<rect width="4" height="4" fill="rgb(128, 128, 128)" fill-opacity="0.5"/>');
    expect(out).toContain('<rect width="1" height="1" fill="red"/>');
  });
});
