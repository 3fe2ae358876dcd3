import type { RenderPlan } from '../compose/plan.ts';
import type { Rect } from '../model/template.ts';
import { toHex } from '../util/color.ts';

/**
 * A render plan as plain JSON for the editor canvas: the same glyph
 * positions the PDF writer uses, with the text each glyph stands for, so
 * the canvas breaks lines and places glyphs exactly where the PDF does.
 */
export interface PlanView {
  width: number;
  height: number;
  bleed: number;
  /** `continuationOf`: on a bundle area's continuation page, the template page it continues (core/compose/pages.ts). */
  pages: { background: string | null; items: ItemView[]; continuationOf?: number }[];
}

export interface GlyphView {
  /** x of the glyph's origin in points from the trim box's left edge. */
  x: number;
  /** y offset (mark positioning), points, positive down. */
  dy: number;
  text: string;
}

export interface RunView {
  /** The brand font id. */
  font: string;
  size: number;
  /** Baseline in points from the top of the trim box. */
  baseline: number;
  x: number;
  width: number;
  /** Shaped (joining) text: draw `text` as one string so the browser joins it, between x and x + width. */
  shaped: boolean;
  rtl: boolean;
  /** The run's text in logical (reading) order. */
  text: string;
  glyphs: GlyphView[];
}

export type ItemView =
  | { type: 'fill'; zoneId: string; rect: Rect; shape: 'rect' | 'ellipse'; radius: number; color: string }
  | { type: 'image'; zoneId: string; asset: string; place: Rect; clip: Rect | null; orientation: number; format: 'png' | 'jpeg' | 'pdf' | 'svg' }
  | { type: 'text'; zoneId: string; color: string; size: number; runs: RunView[] }
  /** A form field's value (its box is drawn by fill items): `text` for text and choice fields, a check mark when checked. */
  | { type: 'field'; zoneId: string; rect: Rect; name: string; input: 'text' | 'checkbox' | 'choice'; label: string; checked: boolean; color: string; text: Extract<ItemView, { type: 'text' }> | null };

type TextItem = Extract<RenderPlan['pages'][number]['items'][number], { type: 'text' }>;

function textView(item: TextItem): Extract<ItemView, { type: 'text' }> {
  const runs: RunView[] = [];
  for (const line of item.layout.lines) {
    for (const run of line.runs) {
      const scale = run.size / run.font.metrics.unitsPerEm;
      let pen = item.origin.x + run.x;
      const glyphs: GlyphView[] = run.glyphs.map((g) => {
        const view = { x: pen + g.dx * scale, dy: -g.dy * scale, text: String.fromCodePoint(...g.cps) };
        pen += g.advance * scale + run.spacing;
        return view;
      });
      const visual = glyphs.map((g) => g.text);
      runs.push({
        font: run.font.id,
        size: run.size,
        baseline: item.origin.y + line.baseline,
        x: item.origin.x + run.x,
        width: run.width,
        shaped: run.shaped,
        rtl: run.rtl,
        text: (run.rtl ? visual.reverse() : visual).join(''),
        glyphs,
      });
    }
  }
  return { type: 'text', zoneId: item.zoneId, color: toHex(item.color.rgb), size: item.layout.size, runs };
}

export function planView(plan: RenderPlan): PlanView {
  return {
    width: plan.width,
    height: plan.height,
    bleed: plan.bleed,
    pages: plan.pages.map((page) => ({
      ...(page.continuationOf !== undefined ? { continuationOf: page.continuationOf } : {}),
      background: page.background ? toHex(page.background.rgb) : null,
      items: page.items.map((item): ItemView => {
        switch (item.type) {
          case 'fill':
            return { type: 'fill', zoneId: item.zoneId, rect: item.rect, shape: item.shape, radius: item.radius, color: toHex(item.color.rgb) };
          case 'image':
            return {
              type: 'image',
              zoneId: item.zoneId,
              asset: item.image.key,
              place: item.place,
              clip: item.clip ?? null,
              orientation: item.image.kind === 'jpeg' ? item.image.orientation : 1,
              format: item.image.info.format,
            };
          case 'text':
            return textView(item);
          case 'field':
            return {
              type: 'field',
              zoneId: item.zoneId,
              rect: item.rect,
              name: item.field.name,
              input: item.field.input,
              label: item.field.label,
              checked: item.checked,
              color: toHex(item.color.rgb),
              text: item.text ? textView(item.text) : null,
            };
        }
      }),
    })),
  };
}
