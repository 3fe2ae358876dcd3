import { LockupError } from '../errors.ts';
import type { LoadedFont } from '../fonts/font.ts';
import type { PreparedImage } from '../images/prepare.ts';
import type { Brand, BrandLogo } from '../model/brand.ts';
import type { BlockAreaZone, FieldDef, Rect, Template, TextStyle, Zone } from '../model/template.ts';
import { pageSize } from '../model/template.ts';
import { jsonPath } from '../model/validate.ts';
import type { Finding } from '../rules/finding.ts';
import { layoutText, type FontChoice, type TextLayout } from '../text/layout.ts';
import { isDark, parseHex, WHITE, type Rgb } from '../util/color.ts';
import { layoutBlockArea } from './block-area.ts';
import { containsPoint, fitImage, placeLogo } from './geometry.ts';
import type { PlanColor, PlanItem } from './plan.ts';
import { textFindings } from './text-findings.ts';

/** Loads brand fonts and prepared images by reference; throws `asset-missing` when absent. */
export interface Resources {
  font(id: string): LoadedFont;
  image(ref: string): PreparedImage;
}

/** What lies under a zone: a known colour, or unknown (an image without a declared tone). */
export interface Backdrop {
  rgb: Rgb | undefined;
  source: string;
}

export interface CompiledZone {
  zone: Zone;
  path: (string | number)[];
  backdrop: Backdrop;
  /** Items of vendor content, built once and shared by every document. */
  items: PlanItem[];
  /** Findings about the vendor content itself, shared by every document that shows the zone. */
  findings: Finding[];
  /** Clear-space box of a vendor logo. */
  clear?: Rect;
  /** A lockup's vendor logo (the variant for the backdrop). */
  vendorImage?: PreparedImage;
}

export interface CompiledPage {
  background: PlanColor | undefined;
  /** In drawing order. On a continuation page: the repeated zones of its page (the same objects) and the bundle area's frame. */
  zones: CompiledZone[];
  /**
   * Set on a continuation page: the index of the template page whose bundle
   * area flows onto it. Continuation pages follow their page directly, so
   * compiled pages can outnumber template pages.
   */
  continuationOf?: number;
}

export interface CompiledTemplate {
  template: Template;
  brand: Brand;
  width: number;
  height: number;
  pages: CompiledPage[];
  fields: Map<string, FieldDef>;
  resources: Resources;
  palette: Map<string, PlanColor>;
}

export function paletteOf(brand: Brand): Map<string, PlanColor> {
  return new Map(brand.palette.map((p) => [p.id, { rgb: parseHex(p.hex)!, cmyk: p.cmyk, paletteId: p.id }]));
}

/** Resolves a colour reference; unknown palette ids are template errors (with the JSON path). */
export function resolveColor(ref: string, palette: Map<string, PlanColor>, path: (string | number)[]): PlanColor {
  const hit = palette.get(ref);
  if (hit) return hit;
  if (/^#[0-9A-Fa-f]{6}$/.test(ref)) return { rgb: parseHex(ref)! };
  throw new LockupError('template-invalid', `Template is invalid at ${jsonPath(path)}: "${ref}" is neither a palette colour of the brand nor "#RRGGBB"`);
}

export function fontChoice(c: { brand: Brand; resources: Resources }, fontId: string, withFallbacks: boolean): FontChoice {
  const primary = c.resources.font(fontId);
  if (!withFallbacks) return { primary, fallbacks: () => [] };
  const weight = c.brand.fonts.find((f) => f.id === fontId)?.weight ?? 400;
  const cache = new Map<string, LoadedFont[]>();
  return {
    primary,
    fallbacks: (script) => {
      let hit = cache.get(script);
      if (!hit) {
        const entry = c.brand.fallbackFonts.find((f) => f.script === script);
        const ids = entry ? [...entry.fonts] : [];
        const w = (id: string) => Math.abs((c.brand.fonts.find((f) => f.id === id)?.weight ?? 400) - weight);
        hit = ids.sort((a, b) => w(a) - w(b)).map((id) => c.resources.font(id));
        cache.set(script, hit);
      }
      return hit;
    },
  };
}

export function checkFont(brand: Brand, id: string, path: (string | number)[]): void {
  if (!brand.fonts.some((f) => f.id === id)) {
    throw new LockupError('template-invalid', `Template is invalid at ${jsonPath(path)}: the brand has no font "${id}"`);
  }
}

export function textLayoutStyle(style: TextStyle) {
  return {
    size: style.size,
    lineHeight: style.lineHeight,
    align: style.align,
    valign: style.valign,
    letterSpacing: style.letterSpacing,
    transform: style.transform,
    paragraphSpacing: style.paragraphSpacing,
  };
}

/** The colour under a zone, from the zones drawn before it (topmost first) or the page. */
function backdropFor(zone: Zone, below: CompiledZone[], pageBg: PlanColor | undefined, palette: Map<string, PlanColor>, path: (string | number)[]): Backdrop {
  if ('background' in zone && zone.background) return { rgb: resolveColor(zone.background, palette, [...path, 'background']).rgb, source: 'declared' };
  const cx = zone.rect.x + zone.rect.w / 2;
  const cy = zone.rect.y + zone.rect.h / 2;
  for (let i = below.length - 1; i >= 0; i--) {
    const b = below[i]!;
    if (b.zone.visibleWhen || b.zone.access) continue; // may be hidden for some partners
    if (!containsPoint(b.zone.rect, cx, cy)) continue;
    if (b.zone.kind === 'color-block') {
      if (b.zone.shape === 'ellipse') {
        const r = b.zone.rect;
        const dx = (cx - (r.x + r.w / 2)) / (r.w / 2);
        const dy = (cy - (r.y + r.h / 2)) / (r.h / 2);
        if (dx * dx + dy * dy > 1) continue;
      }
      return { rgb: resolveColor(b.zone.fill, palette, [...b.path, 'fill']).rgb, source: b.zone.id };
    }
    if (b.zone.kind === 'image') {
      return b.zone.tone ? { rgb: resolveColor(b.zone.tone, palette, [...b.path, 'tone']).rgb, source: b.zone.id } : { rgb: undefined, source: b.zone.id };
    }
  }
  return { rgb: pageBg?.rgb ?? WHITE, source: 'page' };
}

/** Picks the brand logo variant designed for the backdrop. */
export function pickBrandLogo(brand: Brand, requested: string, backdrop: Backdrop): BrandLogo {
  if (requested !== 'auto') {
    const hit = brand.logos.find((l) => l.id === requested);
    if (!hit) throw new LockupError('template-invalid', `The brand has no logo "${requested}"`);
    return hit;
  }
  const want = backdrop.rgb && isDark(backdrop.rgb) ? 'dark' : 'light';
  return brand.logos.find((l) => l.background === want) ?? brand.logos[0]!;
}

/**
 * Resolves everything in a template that is the same for every partner:
 * colours, backdrops, vendor images and logos, and the layout of static
 * text. Done once per template version; `compose` then only adds partner
 * content.
 */
export function compileTemplate(template: Template, brand: Brand, resources: Resources): CompiledTemplate {
  if (template.brand !== brand.id) {
    throw new LockupError('template-invalid', `Template "${template.id}" belongs to brand "${template.brand}", not "${brand.id}"`);
  }
  const palette = paletteOf(brand);
  const { width, height } = pageSize(template);
  const compiled: CompiledTemplate = { template, brand, width, height, pages: [], fields: new Map(template.fields.map((f) => [f.key, f])), resources, palette };
  template.pages.forEach((page, p) => {
    const pageBg = page.background ? resolveColor(page.background, palette, ['pages', p, 'background']) : undefined;
    const zones: CompiledZone[] = [];
    let area: { cz: CompiledZone; zone: BlockAreaZone; frames: PlanItem[][] } | undefined;
    page.zones.forEach((zone, z) => {
      const path = ['pages', p, 'zones', z];
      const backdrop = backdropFor(zone, zones, pageBg, palette, path);
      const cz: CompiledZone = { zone, path, backdrop, items: [], findings: [] };
      if (zone.kind === 'block-area') {
        const laid = layoutBlockArea(compiled, zone, path, backdrop);
        cz.items = laid.frames[0] ?? [];
        cz.findings = laid.findings;
        area = { cz, zone, frames: laid.frames };
      } else compileZone(compiled, cz);
      zones.push(cz);
    });
    compiled.pages.push({ background: pageBg, zones });
    if (area) compiled.pages.push(...continuationPages(zones, pageBg, p, area));
  });
  return compiled;
}

/**
 * The pages a bundle area continues on: the page's background, the zones
 * the area repeats (the same compiled objects, so their items stay shared)
 * and the area's frame, in the page's drawing order. The area's findings
 * stay with the zone's own page, so they are reported once.
 */
function continuationPages(zones: CompiledZone[], background: PlanColor | undefined, page: number, area: { cz: CompiledZone; zone: BlockAreaZone; frames: PlanItem[][] }): CompiledPage[] {
  const repeat = new Set(area.zone.repeat);
  return area.frames.slice(1).map((items) => ({
    background,
    zones: zones.filter((cz) => cz === area.cz || repeat.has(cz.zone.id)).map((cz) => (cz === area.cz ? { ...cz, items, findings: [] } : cz)),
    continuationOf: page,
  }));
}

function compileZone(c: CompiledTemplate, cz: CompiledZone): void {
  const { zone, path } = cz;
  switch (zone.kind) {
    case 'color-block': {
      const color = resolveColor(zone.fill, c.palette, [...path, 'fill']);
      cz.items.push({ type: 'fill', zoneId: zone.id, static: true, rect: zone.rect, shape: zone.shape, radius: zone.radius, color });
      if (!color.paletteId && c.brand.rules.paletteOnly.enabled) cz.findings.push(paletteFinding(c, zone.id, zone.fill));
      return;
    }
    case 'image': {
      if (zone.tone) resolveColor(zone.tone, c.palette, [...path, 'tone']);
      const image = c.resources.image(zone.asset);
      const place = fitImage(image.info.width, image.info.height, zone.rect, zone.fit, zone.align);
      const clip = zone.fit === 'cover' ? zone.rect : undefined;
      cz.items.push({ type: 'image', zoneId: zone.id, static: true, image, place, clip });
      return;
    }
    case 'vendor-logo': {
      const logo = pickBrandLogo(c.brand, zone.logo, cz.backdrop);
      const image = c.resources.image(logo.file);
      const fraction = zone.clearSpace ?? c.brand.rules.logoClearSpace.fraction;
      const { place, clear } = placeLogo(image.info.width, image.info.height, zone.rect, fraction, zone.align);
      cz.items.push({ type: 'image', zoneId: zone.id, static: true, image, place, clip: undefined });
      cz.clear = clear;
      return;
    }
    case 'static-text': {
      checkFont(c.brand, zone.style.font, [...path, 'style', 'font']);
      const color = resolveColor(zone.style.color, c.palette, [...path, 'style', 'color']);
      const fonts = fontChoice(c, zone.style.font, false);
      const layout = layoutText(zone.text, textLayoutStyle(zone.style), fonts, { width: zone.rect.w, height: zone.rect.h }, { multiline: true, overflow: 'refuse' });
      cz.items.push({ type: 'text', zoneId: zone.id, static: true, origin: { x: zone.rect.x, y: zone.rect.y }, layout, color });
      cz.findings.push(...textFindings(c, zone, layout, color, cz.backdrop, zone.style));
      return;
    }
    case 'partner-text': {
      checkFont(c.brand, zone.style.font, [...path, 'style', 'font']);
      resolveColor(zone.style.color, c.palette, [...path, 'style', 'color']);
      zone.fonts?.forEach((f, i) => checkFont(c.brand, f, [...path, 'fonts', i]));
      zone.colors?.forEach((col, i) => resolveColor(col, c.palette, [...path, 'colors', i]));
      return;
    }
    case 'partner-logo':
      return;
    case 'lockup': {
      if (zone.separatorColor !== undefined) {
        const color = resolveColor(zone.separatorColor, c.palette, [...path, 'separatorColor']);
        if (!color.paletteId && c.brand.rules.paletteOnly.enabled) cz.findings.push(paletteFinding(c, zone.id, zone.separatorColor));
      }
      if (zone.background !== undefined) resolveColor(zone.background, c.palette, [...path, 'background']);
      cz.vendorImage = c.resources.image(pickBrandLogo(c.brand, zone.vendorLogo, cz.backdrop).file);
      return;
    }
    case 'block-area':
      // Laid out by compileTemplate with its continuation pages (core/compose/block-area.ts).
      return;
    case 'form-field': {
      checkFont(c.brand, zone.style.font, [...path, 'style', 'font']);
      resolveColor(zone.style.color, c.palette, [...path, 'style', 'color']);
      const border = zone.border === undefined ? undefined : resolveColor(zone.border, c.palette, [...path, 'border']);
      const background = zone.background === undefined ? undefined : resolveColor(zone.background, c.palette, [...path, 'background']);
      cz.items.push(...fieldBox(zone.id, zone.rect, border, background));
      for (const ref of [zone.style.color, zone.border, zone.background]) {
        if (ref !== undefined && !c.palette.has(ref) && c.brand.rules.paletteOnly.enabled) cz.findings.push(paletteFinding(c, zone.id, ref));
      }
      return;
    }
  }
}

/** Width of a form field's border, in points. */
export const FIELD_BORDER = 1;

/**
 * The printed box of a form field, as fill items drawn in the page in every
 * profile: the border (a frame of four bars, or the whole box under an inner
 * background) and the background.
 */
export function fieldBox(zoneId: string, r: Rect, border: PlanColor | undefined, background: PlanColor | undefined): PlanItem[] {
  const fill = (rect: Rect, color: PlanColor): PlanItem => ({ type: 'fill', zoneId, static: true, rect, shape: 'rect', radius: 0, color });
  const b = Math.min(FIELD_BORDER, r.w / 4, r.h / 4);
  const inner = { x: r.x + b, y: r.y + b, w: r.w - 2 * b, h: r.h - 2 * b };
  if (border && background) return [fill(r, border), fill(inner, background)];
  if (background) return [fill(r, background)];
  if (!border) return [];
  return [
    fill({ x: r.x, y: r.y, w: r.w, h: b }, border),
    fill({ x: r.x, y: r.y + r.h - b, w: r.w, h: b }, border),
    fill({ x: r.x, y: r.y + b, w: b, h: r.h - 2 * b }, border),
    fill({ x: r.x + r.w - b, y: r.y + b, w: b, h: r.h - 2 * b }, border),
  ];
}

export function paletteFinding(c: Pick<CompiledTemplate, 'brand'>, zoneId: string, ref: string): Finding {
  return {
    code: 'color-not-in-palette',
    severity: c.brand.rules.paletteOnly.severity,
    zoneId,
    message: `Colour ${ref} is not in the ${c.brand.name} palette`,
    measured: ref,
    required: 'a palette colour',
  };
}

export type { TextLayout };
