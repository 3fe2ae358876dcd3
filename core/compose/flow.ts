import type { Rect } from '../model/template.ts';

/**
 * Flows measured items (section headings and product blocks) into a
 * sequence of frames: the block area of the first page, then the same area
 * of as many continuation pages as needed. Pure geometry: the caller
 * measures each item at the column width first.
 *
 * Rules (what a demanding layout tool guarantees):
 * - nothing overflows a frame: a block never splits, and an item taller
 *   than a whole frame is reported instead of drawn;
 * - no orphaned headings: a heading stays with the first row of its
 *   section, moving to the next frame with it;
 * - grid rows are as tall as their tallest block; a heading or a new
 *   section starts a new row; list layout is a grid of one column.
 */

export type FlowItem = { kind: 'heading'; height: number } | { kind: 'block'; height: number };

export interface FlowOptions {
  columns: number;
  /** Space between columns and between rows, in points. */
  gap: number;
  /** Space after a heading, in points. */
  headingGap: number;
  /** Frames after the first: at most this many (a runaway guard; the document is refused beyond it). */
  maxFrames: number;
}

export interface FlowPlacement {
  /** The item's index in the input. */
  item: number;
  /** 0 for the first frame, 1 for the first continuation, … */
  frame: number;
  rect: Rect;
}

export interface FlowResult {
  placements: FlowPlacement[];
  /** How many frames hold something (at least 1). */
  frames: number;
  /** Items that cannot be placed: taller than a whole frame, or beyond maxFrames. */
  unplaced: { item: number; reason: 'too-tall' | 'too-many-pages' }[];
}

interface Row {
  items: number[];
  height: number;
  /** Headings directly before this row (kept with it). */
  headings: number[];
}

export function flowItems(items: readonly FlowItem[], first: Rect, next: Rect, o: FlowOptions): FlowResult {
  const columns = Math.max(1, Math.floor(o.columns));
  // Group into rows; headings attach to the row that follows them.
  const rows: Row[] = [];
  let pendingHeadings: number[] = [];
  let current: Row | undefined;
  items.forEach((it, i) => {
    if (it.kind === 'heading') {
      current = undefined;
      pendingHeadings.push(i);
      return;
    }
    if (!current || current.items.length === columns) {
      current = { items: [], height: 0, headings: pendingHeadings };
      pendingHeadings = [];
      rows.push(current);
    }
    current.items.push(i);
    current.height = Math.max(current.height, it.height);
  });
  // Trailing headings with no blocks after them are dropped: a heading alone says nothing.
  const placements: FlowPlacement[] = [];
  const unplaced: FlowResult['unplaced'] = [];
  let frame = 0;
  let rect = first;
  let y = rect.y;
  let used = false;
  const headingBlock = (row: Row) => row.headings.reduce((sum, h) => sum + items[h]!.height + o.headingGap, 0);
  for (const row of rows) {
    const need = headingBlock(row) + row.height;
    const gapBefore = used ? o.gap : 0;
    if (y + gapBefore + need > rect.y + rect.h + 1e-6) {
      if (need > next.h + 1e-6 && need > rect.h + 1e-6) {
        for (const i of [...row.headings, ...row.items]) unplaced.push({ item: i, reason: 'too-tall' });
        continue;
      }
      if (used || need > rect.h + 1e-6) {
        if (frame >= o.maxFrames) {
          for (const i of [...row.headings, ...row.items]) unplaced.push({ item: i, reason: 'too-many-pages' });
          continue;
        }
        frame++;
        rect = next;
        y = rect.y;
        used = false;
      }
    } else y += gapBefore;
    for (const h of row.headings) {
      placements.push({ item: h, frame, rect: { x: rect.x, y, w: rect.w, h: items[h]!.height } });
      y += items[h]!.height + o.headingGap;
    }
    const colW = (rect.w - (columns - 1) * o.gap) / columns;
    row.items.forEach((i, k) => {
      placements.push({ item: i, frame, rect: { x: rect.x + k * (colW + o.gap), y, w: colW, h: row.height } });
    });
    y += row.height;
    used = true;
  }
  return { placements, frames: frame + 1, unplaced };
}

/** The width of one column of a frame, for measuring items before they flow. */
export function columnWidth(frame: Rect, columns: number, gap: number): number {
  const n = Math.max(1, Math.floor(columns));
  return (frame.w - (n - 1) * gap) / n;
}
