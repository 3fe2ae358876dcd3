import type { PlanColor, PlanItem } from '../compose/plan.ts';
import type { LoadedFont } from '../fonts/font.ts';
import type { PreparedImage } from '../images/prepare.ts';
import type { Rect } from '../model/template.ts';

/** Numbers in content streams: at most 3 decimals, no exponent, no "-0". */
export function num(v: number): string {
  const r = Math.round(v * 1000) / 1000;
  if (Object.is(r, -0) || r === 0) return '0';
  return String(r);
}

export type ColorMode = 'rgb' | 'cmyk';

export interface Frame {
  /** Trim size and bleed: plan coordinates are top-left of the trim box, y down. */
  height: number;
  bleed: number;
  colorMode: ColorMode;
}

export interface ResourceNames {
  font(font: LoadedFont): string;
  image(image: PreparedImage): string;
}

function fillColor(c: PlanColor, mode: ColorMode): string {
  if (mode === 'cmyk' && c.cmyk) return `${c.cmyk.map((v) => num(v / 100)).join(' ')} k`;
  return `${c.rgb.map((v) => num(v / 255)).join(' ')} rg`;
}

function strokeColor(c: PlanColor, mode: ColorMode): string {
  if (mode === 'cmyk' && c.cmyk) return `${c.cmyk.map((v) => num(v / 100)).join(' ')} K`;
  return `${c.rgb.map((v) => num(v / 255)).join(' ')} RG`;
}

/** A check mark in the middle of a checkbox's box: one stroked path, no font. */
function checkMark(f: Frame, r: Rect, color: PlanColor): string {
  const s = Math.min(r.w, r.h) * 0.7;
  const ox = r.x + (r.w - s) / 2;
  const oy = r.y + (r.h - s) / 2;
  const P = (px: number, py: number) => `${x(f, ox + px * s)} ${y(f, oy + py * s)}`;
  return `q\n${strokeColor(color, f.colorMode)}\n${num(Math.max(0.5, s * 0.12))} w 1 J 1 j\n${P(0.15, 0.55)} m\n${P(0.4, 0.8)} l\n${P(0.85, 0.2)} l\nS\nQ\n`;
}

const x = (f: Frame, v: number) => num(v + f.bleed);
const y = (f: Frame, v: number) => num(f.height + f.bleed - v);

/** A plan rectangle as a PDF rectangle [llx lly urx ury] (annotation /Rect, form /BBox). */
export function pdfBox(f: Frame, r: Rect): [number, number, number, number] {
  const n = (v: number) => Number(num(v));
  return [n(r.x + f.bleed), n(f.height + f.bleed - r.y - r.h), n(r.x + r.w + f.bleed), n(f.height + f.bleed - r.y)];
}

/** A rectangle in PDF space given a plan rectangle. */
function pdfRect(f: Frame, r: Rect): string {
  return `${x(f, r.x)} ${y(f, r.y + r.h)} ${num(r.w)} ${num(r.h)}`;
}

const KAPPA = 0.5522847498;

function ellipsePath(f: Frame, r: Rect): string {
  const cx = r.x + r.w / 2;
  const cy = r.y + r.h / 2;
  const rx = r.w / 2;
  const ry = r.h / 2;
  const ox = rx * KAPPA;
  const oy = ry * KAPPA;
  const P = (px: number, py: number) => `${x(f, px)} ${y(f, py)}`;
  return [
    `${P(cx + rx, cy)} m`,
    `${P(cx + rx, cy + oy)} ${P(cx + ox, cy + ry)} ${P(cx, cy + ry)} c`,
    `${P(cx - ox, cy + ry)} ${P(cx - rx, cy + oy)} ${P(cx - rx, cy)} c`,
    `${P(cx - rx, cy - oy)} ${P(cx - ox, cy - ry)} ${P(cx, cy - ry)} c`,
    `${P(cx + ox, cy - ry)} ${P(cx + rx, cy - oy)} ${P(cx + rx, cy)} c`,
    'h',
  ].join('\n');
}

function roundedRectPath(f: Frame, r: Rect, radius: number): string {
  const rad = Math.min(radius, r.w / 2, r.h / 2);
  const k = rad * (1 - KAPPA);
  const P = (px: number, py: number) => `${x(f, px)} ${y(f, py)}`;
  const [l, t, rt, b] = [r.x, r.y, r.x + r.w, r.y + r.h];
  return [
    `${P(l + rad, t)} m`,
    `${P(rt - rad, t)} l`,
    `${P(rt - k, t)} ${P(rt, t + k)} ${P(rt, t + rad)} c`,
    `${P(rt, b - rad)} l`,
    `${P(rt, b - k)} ${P(rt - k, b)} ${P(rt - rad, b)} c`,
    `${P(l + rad, b)} l`,
    `${P(l + k, b)} ${P(l, b - k)} ${P(l, b - rad)} c`,
    `${P(l, t + rad)} l`,
    `${P(l, t + k)} ${P(l + k, t)} ${P(l + rad, t)} c`,
    'h',
  ].join('\n');
}

/**
 * A PDF logo is embedded as a form XObject in its page's own coordinates
 * (points, origin at the crop box corner), not as a unit square: scale the
 * page box onto `place`.
 */
function formMatrix(f: Frame, place: Rect, image: Extract<PreparedImage, { kind: 'pdf' | 'svg' }>): string {
  const sx = place.w / image.info.width;
  const sy = place.h / image.info.height;
  const X = place.x + f.bleed - image.originX * sx;
  const Y = f.height + f.bleed - place.y - place.h - image.originY * sy;
  return `${num(sx)} 0 0 ${num(sy)} ${num(X)} ${num(Y)} cm`;
}

/**
 * The matrix that maps an image XObject's unit square onto `place`, undoing
 * an EXIF orientation (1..8) so the picture shows upright.
 */
function imageMatrix(f: Frame, place: Rect, orientation: number): string {
  const X = place.x + f.bleed;
  const Y = f.height + f.bleed - place.y - place.h;
  const w = place.w;
  const h = place.h;
  const m: [number, number, number, number, number, number] = (() => {
    switch (orientation) {
      case 2: return [-w, 0, 0, h, X + w, Y];
      case 3: return [-w, 0, 0, -h, X + w, Y + h];
      case 4: return [w, 0, 0, -h, X, Y + h];
      case 5: return [0, -h, -w, 0, X + w, Y + h];
      case 6: return [0, -h, w, 0, X, Y + h];
      case 7: return [0, h, w, 0, X, Y];
      case 8: return [0, h, -w, 0, X + w, Y];
      default: return [w, 0, 0, h, X, Y];
    }
  })();
  return `${m.map(num).join(' ')} cm`;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** Content-stream operators that draw one plan item. Every item is wrapped in q/Q. */
export function itemOps(item: PlanItem, f: Frame, names: ResourceNames): string {
  switch (item.type) {
    case 'fill': {
      const path = item.shape === 'ellipse' ? ellipsePath(f, item.rect) : item.radius > 0 ? roundedRectPath(f, item.rect, item.radius) : `${pdfRect(f, item.rect)} re`;
      return `q\n${fillColor(item.color, f.colorMode)}\n${path}\nf\nQ\n`;
    }
    case 'image': {
      const clip = item.clip ? `${pdfRect(f, item.clip)} re W n\n` : '';
      const matrix = item.image.kind === 'pdf' || item.image.kind === 'svg' ? formMatrix(f, item.place, item.image) : imageMatrix(f, item.place, item.image.kind === 'jpeg' ? item.image.orientation : 1);
      return `q\n${clip}${matrix}\n/${names.image(item.image)} Do\nQ\n`;
    }
    case 'field':
      // The value only: the box is drawn by the fill items before it.
      return (item.text ? itemOps(item.text, f, names) : '') + (item.checked ? checkMark(f, item.rect, item.color) : '');
    case 'text': {
      if (item.layout.lines.length === 0) return '';
      const out: string[] = ['q', 'BT', fillColor(item.color, f.colorMode)];
      let currentFont = '';
      let currentSpacing = 0;
      for (const line of item.layout.lines) {
        const baseY = item.origin.y + line.baseline;
        for (const run of line.runs) {
          const upm = run.font.metrics.unitsPerEm;
          const name = names.font(run.font);
          const fontKey = `${name}@${run.size}`;
          if (fontKey !== currentFont) {
            out.push(`/${name} ${num(run.size)} Tf`);
            currentFont = fontKey;
          }
          if (run.spacing !== currentSpacing) {
            out.push(`${num(run.spacing)} Tc`);
            currentSpacing = run.spacing;
          }
          const positioned = run.glyphs.some((g) => g.dx !== 0 || g.dy !== 0);
          if (positioned) {
            let pen = item.origin.x + run.x;
            for (const g of run.glyphs) {
              const gx = pen + (g.dx * run.size) / upm;
              const gy = baseY - (g.dy * run.size) / upm;
              out.push(`1 0 0 1 ${x(f, gx)} ${y(f, gy)} Tm <${hex4(g.gid)}> Tj`);
              pen += (g.advance * run.size) / upm + run.spacing;
            }
            continue;
          }
          out.push(`1 0 0 1 ${x(f, item.origin.x + run.x)} ${y(f, baseY)} Tm`);
          // TJ with adjustments where shaping changed an advance from the font's default width.
          let tj = '';
          let hex = '';
          for (const g of run.glyphs) {
            hex += hex4(g.gid);
            const adjust = ((run.font.advance(g.gid) - g.advance) * 1000) / upm;
            if (Math.abs(adjust) > 0.0005) {
              tj += `<${hex}> ${num(adjust)} `;
              hex = '';
            }
          }
          if (hex) tj += `<${hex}>`;
          out.push(tj.includes(' ') ? `[${tj.trim()}] TJ` : `${tj} Tj`);
        }
      }
      out.push('ET', 'Q', '');
      return out.join('\n');
    }
  }
}
