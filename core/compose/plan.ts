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

export type TextItem = ItemBase & { type: 'text'; origin: { x: number; y: number }; layout: TextLayout; color: PlanColor };

/** What a PDF form field is, beyond its look (core/pdf/form-fields.ts). */
export interface FieldSpec {
  name: string;
  input: 'text' | 'checkbox' | 'choice';
  label: string;
  required: boolean;
  multiline: boolean;
  maxChars: number | undefined;
  options: readonly string[];
  /** The size viewers type in (the style's size). */
  size: number;
  border: PlanColor | undefined;
  background: PlanColor | undefined;
}

/**
 * A form field: its box is drawn by fill items before it; this item is the
 * value (text, or a check mark). The screen profile writes it as an
 * AcroForm widget whose appearance draws the value; the print profile
 * draws the value into the page (flattened).
 */
export type FieldItem = ItemBase & {
  type: 'field';
  rect: Rect;
  field: FieldSpec;
  /** The initial value: text for text and choice fields, "on"/"off" for a checkbox. */
  value: string;
  /** The value laid out in the brand font (text and choice fields with a value). */
  text: TextItem | undefined;
  checked: boolean;
  color: PlanColor;
};

export type PlanItem =
  | (ItemBase & { type: 'fill'; rect: Rect; shape: 'rect' | 'ellipse'; radius: number; color: PlanColor })
  | (ItemBase & { type: 'image'; image: PreparedImage; place: Rect; clip: Rect | undefined })
  | TextItem
  | FieldItem;

/** The text items of a plan item: itself, or a field's value. */
export function textItemsOf(item: PlanItem): TextItem[] {
  if (item.type === 'text') return [item];
  if (item.type === 'field' && item.text) return [item.text];
  return [];
}

export interface PlanPage {
  items: PlanItem[];
  background: PlanColor | undefined;
  /** Set on a bundle area's continuation page: the template page it continues (core/compose/pages.ts). */
  continuationOf?: number;
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
    for (const item of page.items.flatMap(textItemsOf)) {
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
