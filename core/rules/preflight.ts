import type { PlanColor, PlanItem, RenderPlan } from '../compose/plan.ts';
import type { PreparedImage } from '../images/prepare.ts';
import type { Rect } from '../model/template.ts';
import { cropMarks, DEFAULT_MARKS, printGeometry, type Box, type MarkSpec } from '../pdf/print-marks.ts';
import { imageTransparency } from '../pdf/print-output.ts';
import { effectivePpi, mmToPt, ptToMm, round } from '../util/units.ts';
import type { Finding } from './finding.ts';

/**
 * Print preflight: what a print shop would check in the PDF, checked on the
 * render plan before anything is written (docs/decisions/0014-print-output.md).
 * Pure; the backend adds the brand's compliance findings beside these.
 */

export const PREFLIGHT_CODES = [
  'print-image-resolution',
  'print-image-rgb',
  'print-color-not-cmyk',
  'print-font-not-embedded',
  'print-transparency',
  'print-bleed-missing',
  'print-bleed-short',
  'print-bleed-small',
  'print-marks-in-bleed',
] as const;
export type PreflightCode = (typeof PREFLIGHT_CODES)[number];

/** A preflight result: the same shape as a compliance finding, with its own codes. */
export type PreflightFinding = Omit<Finding, 'code'> & { code: PreflightCode };

export interface PreflightOptions {
  /** Below this effective resolution an image is an error (the brand's print rule). */
  ppiError: number;
  /** Below this it is a warning; at least 300 ppi is what offset print needs. */
  ppiWarning?: number;
  marks?: MarkSpec;
}

export interface PreflightReport {
  ok: boolean;
  findings: PreflightFinding[];
  /** The boxes the print PDF will have, in points from the media box's lower-left corner. */
  boxes: { media: Box; bleed: Box; trim: Box };
  marks: MarkSpec;
}

/** 300 ppi at the placed size: the usual minimum for offset print. */
export const PRINT_MIN_PPI = 300;
/** Bleed under 3 mm is tight for most print shops. */
export const MIN_BLEED = mmToPt(3);
const EPS = 0.01;

/** Effective resolution of an image at its placed size: the lower of the two axes (as the compose rule measures it). */
export function placedPpi(image: PreparedImage, place: Rect): number {
  return Math.min(effectivePpi(image.info.width, place.w), effectivePpi(image.info.height, place.h));
}

/** The colour space a raster image is written in, or undefined for vector logos. */
export function imageColorSpace(image: PreparedImage): 'DeviceGray' | 'DeviceRGB' | 'DeviceCMYK' | undefined {
  if (image.kind === 'jpeg') return image.components === 1 ? 'DeviceGray' : image.components === 4 ? 'DeviceCMYK' : 'DeviceRGB';
  if (image.kind === 'raster') return image.colors === 1 ? 'DeviceGray' : 'DeviceRGB';
  return undefined;
}

function itemExtent(item: PlanItem): Rect | undefined {
  if (item.type === 'fill') return item.rect;
  if (item.type === 'image') return item.clip ?? item.place;
  return undefined;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Checks a render plan for print. `ok` is false when any finding is an error. */
export function preflight(plan: RenderPlan, options: PreflightOptions): PreflightReport {
  const marks = options.marks ?? DEFAULT_MARKS;
  const warnBelow = Math.max(options.ppiWarning ?? PRINT_MIN_PPI, options.ppiError);
  const out: PreflightFinding[] = [];
  const seen = new Set<string>();
  const add = (f: PreflightFinding) => {
    const key = `${f.code}|${f.zoneId}|${f.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(f);
    }
  };
  const rgbImages = new Set<string>();

  const colour = (zoneId: string | null, what: string, c: PlanColor) => {
    if (c.cmyk) return;
    add({
      code: 'print-color-not-cmyk',
      severity: 'error',
      zoneId,
      message: `${what} is rgb(${c.rgb.join(', ')}), which has no CMYK value in the brand palette; print exports write brand colours as DeviceCMYK only`,
      measured: `rgb(${c.rgb.join(', ')})`,
      required: 'a palette colour with CMYK',
    });
  };

  const edges = { left: 0, top: 0, right: plan.width, bottom: plan.height };
  for (const [pageIndex, page] of plan.pages.entries()) {
    if (page.background) colour(null, `The background of page ${pageIndex + 1}`, page.background);
    for (const item of page.items) {
      const zone = item.zoneId || null;
      if (item.type === 'fill') colour(zone, `The fill of "${item.zoneId}"`, item.color);
      if (item.type === 'text') {
        colour(zone, `The text of "${item.zoneId}"`, item.color);
        // The writer embeds every font it draws with (a TrueType subset); a
        // glyph the font does not have could not be embedded. Should never fire.
        for (const line of item.layout.lines) {
          for (const run of line.runs) {
            const bad = run.font.bytes.byteLength === 0 ? run.glyphs.length : run.glyphs.filter((g) => g.gid <= 0 || g.gid >= run.font.numGlyphs).length;
            if (bad > 0) {
              add({
                code: 'print-font-not-embedded',
                severity: 'error',
                zoneId: zone,
                message: `"${item.zoneId}" would draw ${plural(bad, 'glyph')} that font "${run.font.id}" cannot embed`,
                measured: bad,
                required: 0,
                unit: 'glyphs',
              });
            }
          }
        }
      }
      if (item.type === 'image') {
        const image = item.image;
        if (!image.info.vector) {
          const ppi = placedPpi(image, item.place);
          if (ppi < warnBelow) {
            const error = ppi < options.ppiError;
            add({
              code: 'print-image-resolution',
              severity: error ? 'error' : 'warning',
              zoneId: zone,
              message: `"${item.zoneId}" is ${round(ppi, 0)} ppi at its placed size (${image.info.width} × ${image.info.height} px over ${round(ptToMm(item.place.w), 1)} × ${round(ptToMm(item.place.h), 1)} mm); print needs ${error ? 'at least' : 'ideally'} ${error ? options.ppiError : warnBelow} ppi`,
              measured: round(ppi, 0),
              required: error ? options.ppiError : warnBelow,
              unit: 'ppi',
            });
          }
        }
        if (imageColorSpace(image) === 'DeviceRGB') rgbImages.add(item.zoneId);
        const transparency = imageTransparency(image);
        if (transparency) {
          add({
            code: 'print-transparency',
            severity: 'warning',
            zoneId: zone,
            message:
              transparency === 'soft-mask'
                ? `"${item.zoneId}" has an alpha channel: it is kept as live transparency (a soft mask) in a page group that blends in DeviceCMYK; the printer's RIP flattens it`
                : `"${item.zoneId}" (an SVG logo) uses partial opacity: it is kept as live transparency in a page group that blends in DeviceCMYK; the printer's RIP flattens it`,
            measured: transparency,
            required: null,
          });
        }
      }
      // Artwork that reaches the trim edge must run on into the bleed, or a slight trim shift shows paper.
      const r = itemExtent(item);
      if (!r) continue;
      // Without bleed every edge-touching item is a problem; with bleed, those that stop before its edge.
      const short = (reach: number) => plan.bleed === 0 || reach < plan.bleed - EPS;
      const touching = [
        r.x <= edges.left + EPS && short(edges.left - r.x) ? 'left' : '',
        r.y <= edges.top + EPS && short(edges.top - r.y) ? 'top' : '',
        r.x + r.w >= edges.right - EPS && short(r.x + r.w - edges.right) ? 'right' : '',
        r.y + r.h >= edges.bottom - EPS && short(r.y + r.h - edges.bottom) ? 'bottom' : '',
      ].filter(Boolean);
      if (touching.length > 0) {
        add(
          plan.bleed > 0
            ? {
                code: 'print-bleed-short',
                severity: 'warning',
                zoneId: zone,
                message: `"${item.zoneId}" reaches the trim edge (${touching.join(', ')}) but stops short of the ${round(ptToMm(plan.bleed), 1)} mm bleed`,
                measured: touching.join(', '),
                required: `${round(ptToMm(plan.bleed), 1)} mm beyond the trim`,
              }
            : {
                code: 'print-bleed-missing',
                severity: 'warning',
                zoneId: zone,
                message: `"${item.zoneId}" touches the trim edge (${touching.join(', ')}) but the template has no bleed: a slight trim shift will show a paper edge`,
                measured: 0,
                required: round(ptToMm(MIN_BLEED), 1),
                unit: 'mm',
              },
        );
      }
    }
  }

  if (rgbImages.size > 0) {
    add({
      code: 'print-image-rgb',
      severity: 'warning',
      zoneId: null,
      message: `${plural(rgbImages.size, 'image')} (${[...rgbImages].join(', ')}) ${rgbImages.size === 1 ? 'is' : 'are'} RGB: kept as DeviceRGB and converted to CMYK for the output intent's printing condition by the printer's RIP`,
      measured: rgbImages.size,
      required: null,
      unit: 'images',
    });
  }
  if (plan.bleed > 0 && plan.bleed < MIN_BLEED - EPS) {
    add({
      code: 'print-bleed-small',
      severity: 'warning',
      zoneId: null,
      message: `The template's bleed is ${round(ptToMm(plan.bleed), 1)} mm; print shops usually ask for 3 mm`,
      measured: round(ptToMm(plan.bleed), 1),
      required: 3,
      unit: 'mm',
    });
  }

  const g = printGeometry(plan.width, plan.height, plan.bleed, marks);
  const [bx, by, bw, bh] = g.bleed;
  const inBleed = cropMarks(g, marks).filter((s) => Math.max(s.x1, s.x2) > bx - EPS && Math.min(s.x1, s.x2) < bx + bw + EPS && Math.max(s.y1, s.y2) > by - EPS && Math.min(s.y1, s.y2) < by + bh + EPS);
  if (inBleed.length > 0) {
    add({ code: 'print-marks-in-bleed', severity: 'error', zoneId: null, message: `${plural(inBleed.length, 'crop mark')} would print inside the bleed box`, measured: inBleed.length, required: 0 });
  }

  const rank = (f: PreflightFinding) => (f.severity === 'error' ? 0 : 1);
  const findings = out.sort((a, b) => rank(a) - rank(b) || (a.zoneId ?? '').localeCompare(b.zoneId ?? '') || a.code.localeCompare(b.code));
  return { ok: !findings.some((f) => f.severity === 'error'), findings, boxes: { media: g.media, bleed: g.bleed, trim: g.trim }, marks };
}
