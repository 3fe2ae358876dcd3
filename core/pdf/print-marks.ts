import { mmToPt } from '../util/units.ts';
import { num } from './content.ts';

/**
 * Page geometry of a print export (docs/decisions/0014-print-output.md).
 *
 * The template page is the trim box; the bleed box is the trim grown by the
 * template's bleed; the media box is the bleed box grown by a slug that
 * holds the crop marks. Marks sit wholly outside the bleed box, so they can
 * never print on the finished piece nor be covered by bleed artwork.
 */
export interface MarkSpec {
  /** Gap between the bleed edge and the start of a mark, in points. */
  offset: number;
  /** Length of a mark, in points. */
  length: number;
  /** Stroke width, in points. */
  lineWidth: number;
}

/** 3 mm from the bleed, 5 mm long, 0.25 pt: the usual crop marks of print shops. */
export const DEFAULT_MARKS: MarkSpec = { offset: mmToPt(3), length: mmToPt(5), lineWidth: 0.25 };

/** A box as `[x, y, width, height]` in PDF space (origin bottom-left of the media box). */
export type Box = readonly [number, number, number, number];

export interface PrintGeometry {
  media: Box;
  bleed: Box;
  trim: Box;
  /** Where the plan's bleed-box origin lands in the media box (the content is shifted by it). */
  shift: number;
}

/** The three boxes of a print page for a trim size and bleed (all in points). */
export function printGeometry(width: number, height: number, bleed: number, marks: MarkSpec = DEFAULT_MARKS): PrintGeometry {
  const slug = marks.offset + marks.length;
  return {
    media: [0, 0, width + 2 * (bleed + slug), height + 2 * (bleed + slug)],
    bleed: [slug, slug, width + 2 * bleed, height + 2 * bleed],
    trim: [slug + bleed, slug + bleed, width, height],
    shift: slug,
  };
}

/** A straight mark from (x1, y1) to (x2, y2) in PDF space. */
export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * The eight crop marks: at each trim corner, one horizontal and one vertical
 * line on the extension of the trim edges, starting `offset` beyond the bleed
 * box and running `length` outwards (to the media edge).
 */
export function cropMarks(g: PrintGeometry, marks: MarkSpec = DEFAULT_MARKS): Segment[] {
  const [tx, ty, tw, th] = g.trim;
  const [bx, by, bw, bh] = g.bleed;
  const left = bx - marks.offset;
  const right = bx + bw + marks.offset;
  const bottom = by - marks.offset;
  const top = by + bh + marks.offset;
  const out: Segment[] = [];
  for (const y of [ty, ty + th]) {
    out.push({ x1: left, y1: y, x2: left - marks.length, y2: y });
    out.push({ x1: right, y1: y, x2: right + marks.length, y2: y });
  }
  for (const x of [tx, tx + tw]) {
    out.push({ x1: x, y1: bottom, x2: x, y2: bottom - marks.length });
    out.push({ x1: x, y1: top, x2: x, y2: top + marks.length });
  }
  return out;
}

/** Resource name of the registration colour space (Separation /All) in a print page's resources. */
export const REGISTRATION_CS = 'CS-Registration';

/**
 * Content-stream operators for the crop marks, stroked in registration
 * colour (the /All separation: every plate) so they show on every plate.
 */
export function cropMarkOps(g: PrintGeometry, marks: MarkSpec = DEFAULT_MARKS): string {
  const lines = cropMarks(g, marks).map((s) => `${num(s.x1)} ${num(s.y1)} m ${num(s.x2)} ${num(s.y2)} l`);
  return ['q', `/${REGISTRATION_CS} CS 1 SCN`, `${num(marks.lineWidth)} w`, '0 J', ...lines, 'S', 'Q', ''].join('\n');
}
