import type { ItemView, PlanView } from '../../../core/contracts/plan-view.ts';
import type { Drawable } from './assets.ts';

/** Everything drawPlan needs, resolved beforehand (drawing is synchronous). */
export interface DrawResources {
  family(fontId: string): string;
  image(item: Extract<ItemView, { type: 'image' }>): Drawable | undefined;
}

const KAPPA = 0.5522847498;

function path(ctx: CanvasRenderingContext2D, item: Extract<ItemView, { type: 'fill' }>): void {
  const { x, y, w, h } = item.rect;
  ctx.beginPath();
  if (item.shape === 'ellipse') {
    ctx.ellipse(x + w / 2, y + h / 2, w / 2, h / 2, 0, 0, Math.PI * 2);
  } else if (item.radius > 0) {
    // The same cubic corners the PDF writer uses, so edges match pixel for pixel.
    const r = Math.min(item.radius, w / 2, h / 2);
    const k = r * (1 - KAPPA);
    ctx.moveTo(x + r, y);
    ctx.lineTo(x + w - r, y);
    ctx.bezierCurveTo(x + w - k, y, x + w, y + k, x + w, y + r);
    ctx.lineTo(x + w, y + h - r);
    ctx.bezierCurveTo(x + w, y + h - k, x + w - k, y + h, x + w - r, y + h);
    ctx.lineTo(x + r, y + h);
    ctx.bezierCurveTo(x + k, y + h, x, y + h - k, x, y + h - r);
    ctx.lineTo(x, y + r);
    ctx.bezierCurveTo(x, y + k, x + k, y, x + r, y);
  } else ctx.rect(x, y, w, h);
  ctx.closePath();
}

/**
 * Where the stored image's unit square goes for each EXIF orientation, as
 * canvas transforms (y down): display = (a·u + c·v + e, b·u + d·v + f) in
 * units of the placed box. Matches the PDF writer's matrices (content.ts).
 */
const ORIENT: Record<number, [number, number, number, number, number, number]> = {
  1: [1, 0, 0, 1, 0, 0],
  2: [-1, 0, 0, 1, 1, 0],
  3: [-1, 0, 0, -1, 1, 1],
  4: [1, 0, 0, -1, 0, 1],
  5: [0, 1, 1, 0, 0, 0],
  6: [0, 1, -1, 0, 1, 0],
  7: [0, -1, -1, 0, 1, 1],
  8: [0, -1, 1, 0, 0, 1],
};

function drawImage(ctx: CanvasRenderingContext2D, item: Extract<ItemView, { type: 'image' }>, image: Drawable): void {
  ctx.save();
  if (item.clip) {
    ctx.beginPath();
    ctx.rect(item.clip.x, item.clip.y, item.clip.w, item.clip.h);
    ctx.clip();
  }
  const { x, y, w, h } = item.place;
  const [a, b, c, d, e, f] = ORIENT[item.orientation] ?? ORIENT[1]!;
  ctx.transform(a * w, b * h, c * w, d * h, x + e * w, y + f * h);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, 1, 1);
  ctx.restore();
}

function drawText(ctx: CanvasRenderingContext2D, item: Extract<ItemView, { type: 'text' }>, res: DrawResources): void {
  ctx.save();
  ctx.fillStyle = item.color;
  ctx.textBaseline = 'alphabetic';
  ctx.fontKerning = 'none';
  for (const run of item.runs) {
    ctx.font = `${run.size}px "${res.family(run.font)}"`;
    if (run.shaped) {
      // Joining scripts are drawn as one string so the browser shapes them, between the same edges.
      ctx.direction = run.rtl ? 'rtl' : 'ltr';
      ctx.textAlign = run.rtl ? 'right' : 'left';
      ctx.fillText(run.text, run.rtl ? run.x + run.width : run.x, run.baseline);
      ctx.direction = 'ltr';
      ctx.textAlign = 'left';
    } else {
      // Every glyph at the position the layout gave it: the same place as in the PDF.
      for (const g of run.glyphs) ctx.fillText(g.text, g.x, run.baseline + g.dy);
    }
  }
  ctx.restore();
}

/** Draws a plan page in page units (points; the caller scales the context). */
export function drawPlan(ctx: CanvasRenderingContext2D, plan: PlanView, page: number, res: DrawResources): void {
  const p = plan.pages[page];
  if (!p) return;
  ctx.save();
  ctx.fillStyle = p.background ?? '#FFFFFF';
  ctx.fillRect(0, 0, plan.width, plan.height);
  for (const item of p.items) {
    if (item.type === 'fill') {
      ctx.fillStyle = item.color;
      path(ctx, item);
      ctx.fill();
    } else if (item.type === 'image') {
      const image = res.image(item);
      if (image) drawImage(ctx, item, image);
    } else if (item.type === 'field') {
      if (item.text) drawText(ctx, item.text, res);
      if (item.checked) drawCheck(ctx, item);
    } else drawText(ctx, item, res);
  }
  ctx.restore();
}

/** The check mark of a checked checkbox: the same path the PDF strokes (core/pdf/content.ts). */
function drawCheck(ctx: CanvasRenderingContext2D, item: Extract<ItemView, { type: 'field' }>): void {
  const r = item.rect;
  const s = Math.min(r.w, r.h) * 0.7;
  const ox = r.x + (r.w - s) / 2;
  const oy = r.y + (r.h - s) / 2;
  ctx.save();
  ctx.strokeStyle = item.color;
  ctx.lineWidth = Math.max(0.5, s * 0.12);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  ctx.moveTo(ox + 0.15 * s, oy + 0.55 * s);
  ctx.lineTo(ox + 0.4 * s, oy + 0.8 * s);
  ctx.lineTo(ox + 0.85 * s, oy + 0.2 * s);
  ctx.stroke();
  ctx.restore();
}

/** Resolves every font and image a plan needs, so drawPlan can run synchronously. */
export function planNeeds(plan: PlanView): { fonts: Set<string>; images: Extract<ItemView, { type: 'image' }>[] } {
  const fonts = new Set<string>();
  const images: Extract<ItemView, { type: 'image' }>[] = [];
  for (const page of plan.pages) {
    for (const item of page.items) {
      if (item.type === 'text') for (const r of item.runs) fonts.add(r.font);
      else if (item.type === 'field') for (const r of item.text?.runs ?? []) fonts.add(r.font);
      else if (item.type === 'image') images.push(item);
    }
  }
  return { fonts, images };
}
