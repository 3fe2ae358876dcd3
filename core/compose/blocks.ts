import type { PreparedImage } from '../images/prepare.ts';
import { formatPrice, type Price, type SheetEntry } from '../model/product.ts';
import type { Rect } from '../model/template.ts';
import type { Finding } from '../rules/finding.ts';
import { layoutText, type FontChoice, type TextLayout } from '../text/layout.ts';
import { fitImage } from './geometry.ts';
import type { PlanColor, PlanItem } from './plan.ts';

/**
 * Product blocks on a bundled-offer sheet (issue #5): each block is measured
 * at the column width (so the flow, core/compose/flow.ts, knows its height)
 * and then drawn as a card: picture, name, SKU, copy and price, in the
 * sheet's fonts and colours.
 */


export interface BlockStyle {
  regular: FontChoice;
  bold: FontChoice;
  /** Body size in points; the name is 1.3×, the price 1.15×, the SKU 0.8×. */
  size: number;
  text: PlanColor;
  muted: PlanColor;
  accent: PlanColor;
  card: PlanColor | undefined;
  radius: number;
  padding: number;
  /** Height of the picture area (0: no pictures). */
  imageHeight: number;
}

export interface MeasuredBlock {
  height: number;
  draw(rect: Rect, zoneId: string): PlanItem[];
}

const LINE = 1.25;
const SPACE = 0.5; // between parts, in body sizes

function text(s: string, fonts: FontChoice, size: number, width: number): TextLayout {
  return layoutText(s, { size, lineHeight: LINE, align: 'left', valign: 'top', letterSpacing: 0, transform: 'none', paragraphSpacing: 0 }, fonts, { width, height: 100_000 }, { multiline: true, overflow: 'refuse' });
}

/** What a sheet shows for an entry, and findings when a locked block was given other content. */
export function entryContent(entry: SheetEntry, zoneId: string, findings: Finding[]): { price: Price; copy: string } {
  const p = entry.product;
  const changed = (entry.price !== undefined && JSON.stringify(entry.price) !== JSON.stringify(p.price)) || (entry.copy !== undefined && entry.copy !== p.copy);
  if (p.locked && changed) {
    findings.push({ code: 'field-not-editable', severity: 'error', zoneId, message: `"${p.name}" is locked by its publisher: its price and copy cannot be changed`, measured: p.id, required: 'the published block' });
    return { price: p.price, copy: p.copy };
  }
  return { price: entry.price ?? p.price, copy: entry.copy ?? p.copy };
}

export function measureBlock(entry: SheetEntry, content: { price: Price; copy: string }, image: PreparedImage | undefined, width: number, s: BlockStyle): MeasuredBlock {
  const inner = Math.max(1, width - 2 * s.padding);
  const parts: { layout: TextLayout; color: PlanColor }[] = [];
  parts.push({ layout: text(entry.product.name, s.bold, s.size * 1.3, inner), color: s.text });
  if (entry.product.sku) parts.push({ layout: text(`SKU ${entry.product.sku}`, s.regular, s.size * 0.8, inner), color: s.muted });
  if (content.copy) parts.push({ layout: text(content.copy, s.regular, s.size, inner), color: s.text });
  parts.push({ layout: text(formatPrice(content.price), s.bold, s.size * 1.15, inner), color: s.accent });
  const imageBox = image && s.imageHeight > 0 ? s.imageHeight + SPACE * s.size : 0;
  const textHeight = parts.reduce((sum, p) => sum + p.layout.height, 0) + (parts.length - 1) * SPACE * s.size;
  const height = 2 * s.padding + imageBox + textHeight;
  return {
    height,
    draw(rect, zoneId) {
      const items: PlanItem[] = [];
      if (s.card) items.push({ type: 'fill', zoneId, static: false, rect, shape: 'rect', radius: s.radius, color: s.card });
      let y = rect.y + s.padding;
      if (image && s.imageHeight > 0) {
        const box = { x: rect.x + s.padding, y, w: inner, h: s.imageHeight };
        items.push({ type: 'image', zoneId, static: false, image, place: fitImage(image.info.width, image.info.height, box, 'contain', { h: 'center', v: 'middle' }), clip: undefined });
        y += imageBox;
      }
      parts.forEach((p, i) => {
        items.push({ type: 'text', zoneId, static: false, origin: { x: rect.x + s.padding, y }, layout: p.layout, color: p.color });
        y += p.layout.height + (i < parts.length - 1 ? SPACE * s.size : 0);
      });
      return items;
    },
  };
}
