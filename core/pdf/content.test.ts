import { beforeAll, describe, expect, it } from 'vitest';
import type { PlanColor, PlanItem } from '../compose/plan.ts';
import type { LoadedFont, ShapedGlyph } from '../fonts/font.ts';
import type { PreparedImage } from '../images/prepare.ts';
import type { TextLayout } from '../text/layout.ts';
import { loadFont } from '../../test/core-support/fonts.ts';
import { itemOps, num, type Frame, type ResourceNames } from './content.ts';

let lato: LoadedFont;
beforeAll(() => {
  lato = loadFont('lato-regular', 'lato');
});

const names: ResourceNames = { font: (f) => `F-${f.id}`, image: (i) => `Im-${i.key}` };
const navy: PlanColor = { rgb: [11, 31, 68], cmyk: [100, 82, 0, 66], paletteId: 'navy' };
const literal: PlanColor = { rgb: [255, 0, 0] };
const frame = (over: Partial<Frame> = {}): Frame => ({ height: 400, bleed: 5, colorMode: 'rgb', ...over });

const fill = (over: Partial<Extract<PlanItem, { type: 'fill' }>> = {}): PlanItem => ({ type: 'fill', zoneId: 'z', static: true, rect: { x: 10, y: 20, w: 100, h: 50 }, shape: 'rect', radius: 0, color: navy, ...over });

const raster = (key: string, w: number, h: number): PreparedImage => ({ kind: 'raster', key, info: { format: 'png', width: w, height: h, vector: false, hasAlpha: false }, colors: 3, color: new Uint8Array(0), predictor: false, alpha: undefined });
const jpeg = (orientation: number): PreparedImage => ({
  kind: 'jpeg',
  key: `j${orientation}`,
  info: { format: 'jpeg', width: 1, height: 1, vector: false, hasAlpha: false },
  data: new Uint8Array(0),
  components: 3,
  invert: false,
  orientation,
  storedWidth: 1,
  storedHeight: 1,
});

/** The six numbers of the (single) `cm` operator in an ops string. */
function cmOf(ops: string): number[] {
  const m = /([-\d. ]+) cm/.exec(ops);
  if (!m) throw new Error(`no cm in ${ops}`);
  return m[1]!.trim().split(/\s+/).map(Number);
}

describe('num', () => {
  it('at most three decimals, no exponent, no -0', () => {
    expect(num(1.23456)).toBe('1.235');
    expect(num(-2.5)).toBe('-2.5');
    expect(num(0.0004)).toBe('0');
    expect(num(-0.0004)).toBe('0');
    expect(num(-0)).toBe('0');
    expect(num(1e-7)).toBe('0');
    expect(num(12345678.9)).toBe('12345678.9');
    expect(num(100)).toBe('100');
  });
});

describe('itemOps: fills', () => {
  it('a rectangle in PDF space (y flipped, shifted by the bleed), wrapped in q/Q', () => {
    expect(itemOps(fill(), frame(), names)).toBe('q\n0.043 0.122 0.267 rg\n15 335 100 50 re\nf\nQ\n');
  });

  it('cmyk mode uses k for palette colours and rg for literal colours', () => {
    expect(itemOps(fill(), frame({ colorMode: 'cmyk' }), names)).toContain('\n1 0.82 0 0.66 k\n');
    const lit = itemOps(fill({ color: literal }), frame({ colorMode: 'cmyk' }), names);
    expect(lit).toContain('\n1 0 0 rg\n');
    expect(lit).not.toContain(' k\n');
  });

  it('an ellipse is four Bézier curves starting at the right-hand point', () => {
    const ops = itemOps(fill({ shape: 'ellipse' }), frame(), names);
    const lines = ops.split('\n');
    // Centre (60, 45) in plan space → (65, 360) in PDF space; rx 50.
    expect(lines[2]).toBe('115 360 m');
    expect(lines.filter((l) => l.endsWith(' c'))).toHaveLength(4);
    expect(lines).toContain('h');
    // The curve through the bottom point (60, 70) → (65, 335).
    expect(lines[3]!.endsWith('65 335 c')).toBe(true);
  });

  it('a rounded rectangle has four straight edges and four corners', () => {
    const ops = itemOps(fill({ radius: 10 }), frame(), names);
    const lines = ops.split('\n');
    expect(lines[2]).toBe('25 385 m'); // (l + r, top) = (20, 20) → (25, 385)
    expect(lines.filter((l) => l.endsWith(' l'))).toHaveLength(4);
    expect(lines.filter((l) => l.endsWith(' c'))).toHaveLength(4);
    // The radius is clamped to half the shorter side.
    expect(itemOps(fill({ radius: 1000 }), frame(), names).split('\n')[2]).toBe('40 385 m');
  });
});

describe('itemOps: images', () => {
  const place = { x: 10, y: 20, w: 100, h: 50 };
  const f = frame(); // X = 15, Y = 400 + 5 - 20 - 50 = 335

  it('a raster image maps the unit square onto the placed rectangle', () => {
    const ops = itemOps({ type: 'image', zoneId: 'z', static: true, image: raster('abc', 10, 5), place, clip: undefined }, f, names);
    expect(ops).toBe('q\n100 0 0 50 15 335 cm\n/Im-abc Do\nQ\n');
  });

  it('a clip rectangle (cover fit) is set before drawing', () => {
    const ops = itemOps({ type: 'image', zoneId: 'z', static: true, image: raster('abc', 10, 5), place, clip: { x: 0, y: 0, w: 50, h: 40 } }, f, names);
    expect(ops.split('\n')[1]).toBe('5 365 50 40 re W n');
  });

  /*
   * EXIF orientations by where the stored image's first row and first column
   * must end up on the page. In image space the first row is v = 1 and the
   * first column u = 0.
   */
  const SIDES: Record<number, { row0: 'top' | 'bottom' | 'left' | 'right'; col0: 'top' | 'bottom' | 'left' | 'right' }> = {
    1: { row0: 'top', col0: 'left' },
    2: { row0: 'top', col0: 'right' },
    3: { row0: 'bottom', col0: 'right' },
    4: { row0: 'bottom', col0: 'left' },
    5: { row0: 'left', col0: 'top' },
    6: { row0: 'right', col0: 'top' },
    7: { row0: 'right', col0: 'bottom' },
    8: { row0: 'left', col0: 'bottom' },
  };
  const X = 15;
  const Y = 335;
  const side = (s: string, p: [number, number]) => (s === 'left' ? p[0] === X : s === 'right' ? p[0] === X + 100 : s === 'top' ? p[1] === Y + 50 : p[1] === Y);
  const apply = (m: number[], u: number, v: number): [number, number] => [m[0]! * u + m[2]! * v + m[4]!, m[1]! * u + m[3]! * v + m[5]!];

  for (let o = 1; o <= 8; o++) {
    it(`JPEG orientation ${o}: the first stored row lands on the ${SIDES[o]!.row0}, the first column on the ${SIDES[o]!.col0}`, () => {
      const m = cmOf(itemOps({ type: 'image', zoneId: 'z', static: true, image: jpeg(o), place, clip: undefined }, f, names));
      const corners = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)];
      // The unit square covers the placed rectangle exactly.
      expect(corners.map(([x]) => x).sort((a, b) => a - b)).toEqual([X, X, X + 100, X + 100]);
      expect(corners.map(([, y]) => y).sort((a, b) => a - b)).toEqual([Y, Y, Y + 50, Y + 50]);
      const { row0, col0 } = SIDES[o]!;
      for (const u of [0, 1]) expect(side(row0, apply(m, u, 1)), `row 0 at u=${u}`).toBe(true);
      for (const v of [0, 1]) expect(side(col0, apply(m, 0, v)), `column 0 at v=${v}`).toBe(true);
    });
  }

  it('orientation 6 gives exactly [0 -h w 0 X Y+h]', () => {
    expect(cmOf(itemOps({ type: 'image', zoneId: 'z', static: true, image: jpeg(6), place, clip: undefined }, f, names))).toEqual([0, -50, 100, 0, 15, 385]);
  });

  it('a PDF logo is scaled from its crop box, undoing the box origin', () => {
    const pdf: PreparedImage = { kind: 'pdf', key: 'v', info: { format: 'pdf', width: 200, height: 60, vector: true, hasAlpha: true }, data: new Uint8Array(0), originX: 50, originY: 20 };
    const ops = itemOps({ type: 'image', zoneId: 'z', static: true, image: pdf, place: { x: 10, y: 20, w: 100, h: 30 }, clip: undefined }, frame({ bleed: 0 }), names);
    // sx = sy = 0.5; X = 10 − 50 × 0.5; Y = 400 − 20 − 30 − 20 × 0.5.
    expect(cmOf(ops)).toEqual([0.5, 0, 0, 0.5, -15, 340]);
    expect(ops).toContain('/Im-v Do');
  });
});

describe('itemOps: text', () => {
  const layoutOf = (runs: { glyphs: ShapedGlyph[]; x?: number; spacing?: number; size?: number }[], baseline = 10): TextLayout => ({
    size: 10,
    height: 12,
    overflow: false,
    truncated: false,
    missing: [],
    fallbacks: [],
    lines: [{ text: 't', x: 0, width: 0, baseline, runs: runs.map((r) => ({ font: lato, size: r.size ?? 10, x: r.x ?? 0, width: 0, spacing: r.spacing ?? 0, shaped: false, rtl: false, glyphs: r.glyphs })) }],
  });
  const g = (ch: string, over: Partial<ShapedGlyph> = {}): ShapedGlyph => {
    const gid = lato.glyphId(ch.codePointAt(0)!);
    return { gid, advance: lato.advance(gid), dx: 0, dy: 0, cps: [ch.codePointAt(0)!], ...over };
  };
  const hex = (ch: string) => lato.glyphId(ch.codePointAt(0)!).toString(16).padStart(4, '0');
  const text = (layout: TextLayout, color: PlanColor = navy): PlanItem => ({ type: 'text', zoneId: 'z', static: false, origin: { x: 20, y: 30 }, layout, color });

  it('a run without adjustments is one Tj of 4-digit glyph ids at the baseline', () => {
    const ops = itemOps(text(layoutOf([{ glyphs: [g('H'), g('i')] }])), frame({ bleed: 0 }), names);
    expect(ops).toBe(['q', 'BT', '0.043 0.122 0.267 rg', '/F-lato 10 Tf', '1 0 0 1 20 360 Tm', `<${hex('H')}${hex('i')}> Tj`, 'ET', 'Q', ''].join('\n'));
  });

  it('advances that differ from the font’s widths become TJ adjustments in 1/1000 em', () => {
    // Lato has 2000 units per em: 100 units tighter = +50 in TJ.
    const ops = itemOps(text(layoutOf([{ glyphs: [g('A', { advance: lato.advance(lato.glyphId(0x41)) - 100 }), g('V')] }])), frame(), names);
    expect(ops).toContain(`[<${hex('A')}> 50 <${hex('V')}>] TJ`);
  });

  it('letter spacing sets Tc once; a new size sets Tf again', () => {
    const ops = itemOps(text(layoutOf([{ glyphs: [g('a')], spacing: 0.5 }, { glyphs: [g('b')], x: 30, spacing: 0.5, size: 14 }])), frame(), names);
    expect(ops.match(/ Tc/g)).toHaveLength(1);
    expect(ops).toContain('\n0.5 Tc\n');
    expect(ops).toContain('/F-lato 10 Tf');
    expect(ops).toContain('/F-lato 14 Tf');
    expect(ops).toContain('1 0 0 1 55 365 Tm'); // second run: x = 20 + 30 + bleed 5
  });

  it('glyphs with offsets (mark positioning) are placed one by one', () => {
    const upm = lato.metrics.unitsPerEm;
    const a = g('a');
    const mark = g('b', { dx: 200, dy: 400, advance: 0 });
    const ops = itemOps(text(layoutOf([{ glyphs: [a, mark] }])), frame({ bleed: 0 }), names);
    const penAfterA = 20 + (a.advance * 10) / upm;
    expect(ops).toContain(`1 0 0 1 20 360 Tm <${hex('a')}> Tj`);
    expect(ops).toContain(`1 0 0 1 ${num(penAfterA + (200 * 10) / upm)} ${num(360 + (400 * 10) / upm)} Tm <${hex('b')}> Tj`);
  });

  it('an empty layout draws nothing', () => {
    const empty: TextLayout = { size: 10, height: 0, overflow: false, truncated: false, missing: [], fallbacks: [], lines: [] };
    expect(itemOps(text(empty), frame(), names)).toBe('');
  });

  it('the text colour follows the colour mode', () => {
    expect(itemOps(text(layoutOf([{ glyphs: [g('a')] }])), frame({ colorMode: 'cmyk' }), names)).toContain('\n1 0.82 0 0.66 k\n');
  });
});
