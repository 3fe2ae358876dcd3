import type { LoadedFont } from '../fonts/font.ts';
import type { PreparedImage } from '../images/prepare.ts';
import type { TextLayout } from '../text/layout.ts';
import type { Cmyk, Rgb } from '../util/color.ts';
import type { Rect } from '../model/template.ts';

/** A colour as drawn: sRGB always, CMYK when it comes from the palette. */
export interface PlanColor {
  rgb: Rgb;
  cmyk?: Cmyk;
  paletteId?: string;
}

interface ItemBase {
  zoneId: string;
  /**
   * True when the item is the same for every partner. The PDF writer caches
   * static items' content-stream bytes by object identity, so a compiled
   * template hands out the same object every time.
   */
  static: boolean;
}

export type PlanItem =
  | (ItemBase & { type: 'fill'; rect: Rect; shape: 'rect' | 'ellipse'; radius: number; color: PlanColor })
  | (ItemBase & { type: 'image'; image: PreparedImage; place: Rect; clip: Rect | undefined })
  | (ItemBase & { type: 'text'; origin: { x: number; y: number }; layout: TextLayout; color: PlanColor });

export interface PlanPage {
  items: PlanItem[];
  background: PlanColor | undefined;
}

/** Everything the PDF writer (and the editor canvas) needs to draw a document. */
export interface RenderPlan {
  width: number;
  height: number;
  bleed: number;
  pages: PlanPage[];
  meta: {
    title: string;
    author: string;
    subject: string;
    keywords: string[];
  };
}

/** Glyphs used per font across a plan, for subsetting. */
export function glyphsByFont(plan: RenderPlan): Map<LoadedFont, Set<number>> {
  const out = new Map<LoadedFont, Set<number>>();
  for (const page of plan.pages) {
    for (const item of page.items) {
      if (item.type !== 'text') continue;
      for (const line of item.layout.lines) {
        for (const run of line.runs) {
          let set = out.get(run.font);
          if (!set) out.set(run.font, (set = new Set()));
          for (const g of run.glyphs) set.add(g.gid);
        }
      }
    }
  }
  return out;
}
