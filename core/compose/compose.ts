import { LockupError } from '../errors.ts';
import type { PreparedImage } from '../images/prepare.ts';
import { evaluateAccess, type PartnerAttributes } from '../model/access.ts';
import { evaluateCondition } from '../model/condition.ts';
import { profileLogos, profileValue, type PartnerDocument, type PartnerProfile } from '../model/document.ts';
import { fillPlaceholders, placeholderKeys, type FormFieldZone, type LockupParty, type LockupZone, type PartnerLogoZone, type PartnerTextZone, type Rect } from '../model/template.ts';
import { sortFindings, type Finding } from '../rules/finding.ts';
import { layoutText } from '../text/layout.ts';
import { isDark } from '../util/color.ts';
import { effectivePpi, parseLength, ptToMm, round } from '../util/units.ts';
import { fontChoice, paletteFinding, resolveColor, textLayoutStyle, type CompiledTemplate, type CompiledZone } from './compile.ts';
import { intersects, placeLockup, placeLogo, union } from './geometry.ts';
import type { PlanItem, PlanPage, RenderPlan } from './plan.ts';
import { textFindings } from './text-findings.ts';

export type OutputProfile = 'screen' | 'print';

/** The distributor a partner buys through, as the catalogue knows it (from a derived pack). */
export interface DistributorLayer {
  id: string;
  name: string;
  logos: { light?: string; dark?: string };
}

export interface PartnerInput {
  profile: PartnerProfile;
  document: PartnerDocument;
  output: OutputProfile;
  /** The partner's distributor, for lockups; absent when the partner buys direct. */
  distributor?: DistributorLayer;
}

export interface Composition {
  plan: RenderPlan;
  findings: Finding[];
  /** The field values used, after profile defaults. */
  values: Record<string, string>;
}

interface Obstacle {
  zoneId: string;
  rect: Rect;
  /** The plan page it is drawn on: clear space is checked within a page. */
  page: number;
}

function attributes(p: PartnerProfile): PartnerAttributes {
  return { tier: p.tier, type: p.type, region: p.region, distributor: p.distributor, certifications: p.certifications };
}

/** The value of every template field for this partner: document, then profile, then default. */
export function fieldValues(c: CompiledTemplate, input: Pick<PartnerInput, 'profile' | 'document'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, def] of c.fields) {
    out[key] = input.document.fields[key] ?? profileValue(input.profile, key) ?? def.default ?? '';
  }
  return out;
}

/**
 * Builds a partner's document from a compiled template: visibility and
 * access per zone, partner text laid out with fallbacks, partner logos fitted
 * with clear space, and every brand rule checked. Pure and synchronous: the
 * same inputs always give the same plan and findings.
 */
export function compose(c: CompiledTemplate, input: PartnerInput): Composition {
  const { profile, document } = input;
  if (document.templateId !== c.template.id || document.templateVersion !== c.template.version) {
    throw new LockupError('document-invalid', `The document is for ${document.templateId} v${document.templateVersion}, not ${c.template.id} v${c.template.version}`);
  }
  const findings: Finding[] = [];
  const attrs = attributes(profile);
  const access = evaluateAccess(c.template.access, attrs, c.brand.access);
  if (!access.allowed) {
    findings.push({
      code: 'access-denied',
      severity: 'error',
      zoneId: null,
      message: `"${c.template.name}" is not available to ${profile.company}: ${access.reasons.join('; ')}`,
      measured: profile.tier ?? null,
      required: access.reasons.join('; '),
    });
  }
  const values = fieldValues(c, input);
  const read = (attr: string) => (attr.startsWith('field:') ? values[attr.slice(6)] : (attrs[attr as keyof PartnerAttributes] as string | undefined));

  for (const key of Object.keys(document.fields)) {
    if (!c.fields.has(key)) {
      findings.push({ code: 'field-not-editable', severity: 'error', zoneId: null, message: `This template has no field "${key}"`, measured: key, required: null });
    }
  }
  const zoneShowing = new Map<string, string>();
  const pages: PlanPage[] = [];
  const logos: { zoneId: string; clear: Rect; page: number }[] = [];
  const obstacles: Obstacle[] = [];
  const shows = (zone: CompiledZone['zone']) => !(zone.visibleWhen && !evaluateCondition(zone.visibleWhen, read)) && !(zone.access && !evaluateAccess(zone.access, attrs, c.brand.access).allowed);

  for (const page of c.pages) {
    // A continuation page exists for its bundle area: when the area is hidden from this partner, so is the page.
    if (page.continuationOf !== undefined && !page.zones.some((cz) => cz.zone.kind === 'block-area' && shows(cz.zone))) continue;
    const at = pages.length;
    const items: PlanItem[] = [];
    for (const cz of page.zones) {
      const zone = cz.zone;
      if (!shows(zone)) continue;
      let zoneItems: PlanItem[];
      if (zone.kind === 'partner-text') {
        for (const key of placeholderKeys(zone.content)) if (!zoneShowing.has(key)) zoneShowing.set(key, zone.id);
        zoneItems = partnerText(c, cz, zone, input, values, findings);
      } else if (zone.kind === 'partner-logo') {
        const placed = partnerLogo(c, cz, zone, input, findings);
        zoneItems = placed ? [placed.item] : [];
        if (placed) logos.push({ zoneId: zone.id, clear: placed.clear, page: at });
      } else if (zone.kind === 'lockup') {
        const placed = lockup(c, cz, zone, input, findings);
        zoneItems = placed.items;
        if (placed.clear) logos.push({ zoneId: zone.id, clear: placed.clear, page: at });
      } else if (zone.kind === 'form-field') {
        if (zone.input === 'text') for (const key of placeholderKeys(zone.value)) if (!zoneShowing.has(key)) zoneShowing.set(key, zone.id);
        zoneItems = [...cz.items, formField(c, zone, values, findings)];
        findings.push(...cz.findings);
      } else {
        // Vendor content (a bundle area's blocks too): laid out once at compile time, shared by every document.
        zoneItems = cz.items;
        findings.push(...cz.findings);
        if (zone.kind === 'vendor-logo' && cz.clear) logos.push({ zoneId: zone.id, clear: cz.clear, page: at });
      }
      const isLogo = zone.kind === 'vendor-logo' || zone.kind === 'partner-logo' || zone.kind === 'lockup';
      for (const item of zoneItems) {
        if (item.type === 'text') {
          const ink = textInk(item);
          if (ink) obstacles.push({ zoneId: zone.id, rect: ink, page: at });
        } else if (item.type === 'field') {
          obstacles.push({ zoneId: zone.id, rect: item.rect, page: at });
        } else if (item.type === 'image') {
          if (isLogo) obstacles.push({ zoneId: zone.id, rect: item.place, page: at });
          if (zone.kind === 'vendor-logo') findings.push(...logoSizeFindings(c, zone.id, zone.name ?? 'Vendor logo', item.place, undefined, undefined));
          findings.push(...resolutionFindings(c, zone.id, zone.name ?? zone.id, item.image, item.place, input.output));
        }
      }
      items.push(...zoneItems);
    }
    pages.push({ items, background: page.background, ...(page.continuationOf !== undefined ? { continuationOf: page.continuationOf } : {}) });
  }

  for (const def of c.fields.values()) {
    if (def.required && (values[def.key] ?? '').trim() === '') {
      findings.push({ code: 'field-required', severity: 'error', zoneId: zoneShowing.get(def.key) ?? null, message: `${def.label} is required`, measured: '', required: 'a value' });
    }
    const value = values[def.key] ?? '';
    const length = [...value].length;
    if (def.maxChars !== undefined && length > def.maxChars) {
      findings.push({
        code: 'text-too-long',
        severity: 'error',
        zoneId: zoneShowing.get(def.key) ?? null,
        message: `${def.label} has ${length} characters; at most ${def.maxChars} are allowed`,
        measured: length,
        required: def.maxChars,
        unit: 'characters',
      });
    }
  }

  // Clear space: nothing else may intrude into a logo's clear-space box.
  const clearRule = c.brand.rules.logoClearSpace;
  for (const logo of logos) {
    for (const ob of obstacles) {
      if (ob.page !== logo.page || ob.zoneId === logo.zoneId || !intersects(logo.clear, ob.rect)) continue;
      findings.push({
        code: 'logo-clear-space',
        severity: clearRule.severity,
        zoneId: logo.zoneId,
        message: `"${ob.zoneId}" intrudes into the clear space around the logo in "${logo.zoneId}"`,
        measured: ob.zoneId,
        required: `clear space of ${clearRule.fraction} × logo height`,
      });
    }
  }

  const company = profile.company;
  const plan: RenderPlan = {
    width: c.width,
    height: c.height,
    bleed: c.template.page.bleed,
    pages,
    meta: {
      title: `${c.template.name} — ${company}`,
      author: company,
      subject: c.template.description || c.template.name,
      keywords: ['lockup', `template:${c.template.id}`, `version:${c.template.version}`, `brand:${c.brand.id}`],
    },
  };
  return { plan, findings: sortFindings(dedupe(findings)), values };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.zoneId}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function textInk(item: Extract<PlanItem, { type: 'text' }>): Rect | undefined {
  return union(
    item.layout.lines.map((l) => {
      const run = l.runs[0];
      const m = run?.font.metrics;
      const asc = m ? (m.ascent / m.unitsPerEm) * item.layout.size : item.layout.size;
      const desc = m ? (m.descent / m.unitsPerEm) * item.layout.size : 0;
      return { x: item.origin.x + l.x, y: item.origin.y + l.baseline - asc, w: l.width, h: asc + desc };
    }),
  );
}

/** Width of a lockup's separator rule, in points. */
const LOCKUP_RULE = 0.75;

/** A logo the partner or distributor supplied, loaded and checked against the brand's formats; undefined with a finding when unusable. */
function suppliedLogo(c: CompiledTemplate, zoneId: string, label: string, ref: string, findings: Finding[]): PreparedImage | undefined {
  let image: PreparedImage;
  try {
    image = c.resources.image(ref);
  } catch (err) {
    if (err instanceof LockupError && err.code === 'asset-missing') {
      findings.push({ code: 'asset-missing', severity: 'error', zoneId, message: `${label} file is missing from the catalogue`, measured: ref, required: null });
      return undefined;
    }
    throw err;
  }
  const allowed = c.brand.rules.logoFormats.allowed;
  if (!allowed.includes(image.info.format)) {
    findings.push({
      code: 'logo-format-not-allowed',
      severity: 'error',
      zoneId,
      message: `${label} is ${image.info.format.toUpperCase()}; allowed formats are ${allowed.map((f) => f.toUpperCase()).join(', ')}`,
      measured: image.info.format,
      required: allowed.join(', '),
    });
  }
  return image;
}

function lockup(c: CompiledTemplate, cz: CompiledZone, zone: LockupZone, input: PartnerInput, findings: Finding[]): { items: PlanItem[]; clear: Rect | undefined } {
  const dark = cz.backdrop.rgb ? isDark(cz.backdrop.rgb) : false;
  const parts: { party: LockupParty; image: PreparedImage; label: string }[] = [];
  for (const party of zone.order) {
    if (party === 'vendor') {
      parts.push({ party, image: cz.vendorImage!, label: `${c.brand.name} logo` });
      continue;
    }
    const variants = party === 'partner' ? profileLogos(input.profile) : (input.distributor?.logos ?? {});
    const label = party === 'partner' ? 'Partner logo' : `${input.distributor?.name ?? 'Distributor'} logo`;
    const ref = dark ? variants.dark : variants.light;
    if (!ref) {
      if (party === 'partner' && zone.partnerRequired) {
        findings.push({ code: 'logo-missing', severity: 'error', zoneId: zone.id, message: `The lockup "${zone.name ?? zone.id}" needs the partner's logo`, measured: null, required: 'a logo' });
      }
      continue;
    }
    const image = suppliedLogo(c, zone.id, label, ref, findings);
    if (image) parts.push({ party, image, label });
  }
  const clearFraction = zone.clearSpace ?? c.brand.rules.logoClearSpace.fraction;
  const placement = placeLockup(
    parts.map((p) => ({ width: p.image.info.width, height: p.image.info.height, relative: p.party === 'vendor' ? 1 : zone.relativeSize })),
    zone.rect,
    { gap: zone.gap, clear: clearFraction, ruleWidth: zone.separator === 'rule' && parts.length > 1 ? LOCKUP_RULE : 0, align: zone.align },
  );
  const items: PlanItem[] = [];
  const separatorColor = zone.separatorColor === undefined ? undefined : resolveColor(zone.separatorColor, c.palette, ['lockup', zone.id]);
  parts.forEach((p, i) => {
    const place = placement.places[i]!;
    items.push({ type: 'image', zoneId: zone.id, static: false, image: p.image, place, clip: undefined });
    // The brand's minimum size applies to the vendor logo; co-brand logos must be at least as legible.
    findings.push(...logoSizeFindings(c, zone.id, p.label, place, undefined, undefined));
    const sep = placement.separators[i];
    if (sep && separatorColor) items.push({ type: 'fill', zoneId: zone.id, static: false, rect: sep, shape: 'rect', radius: 0, color: separatorColor });
  });
  return { items, clear: parts.length > 0 ? placement.clear : undefined };
}

/** Inner padding of a form field's value, in points. */
const FIELD_PADDING = 2;

function formField(c: CompiledTemplate, zone: FormFieldZone, values: Record<string, string>, findings: Finding[]): PlanItem {
  const path = ['form-field', zone.id];
  const color = resolveColor(zone.style.color, c.palette, path);
  const border = zone.border === undefined ? undefined : resolveColor(zone.border, c.palette, path);
  const background = zone.background === undefined ? undefined : resolveColor(zone.background, c.palette, path);
  const value = zone.input === 'text' ? fillPlaceholders(zone.value, (k) => values[k]) : zone.input === 'checkbox' ? (zone.value === 'on' ? 'on' : 'off') : zone.value;
  const label = zone.name ?? zone.label;
  if (zone.input === 'text' && zone.maxChars !== undefined && [...value].length > zone.maxChars) {
    findings.push({
      code: 'text-too-long',
      severity: 'error',
      zoneId: zone.id,
      message: `The form field "${label}" starts with ${[...value].length} characters; it takes at most ${zone.maxChars}`,
      measured: [...value].length,
      required: zone.maxChars,
      unit: 'characters',
    });
  }
  let text: Extract<PlanItem, { type: 'text' }> | undefined;
  if (zone.input !== 'checkbox' && value !== '') {
    const pad = Math.min(FIELD_PADDING, zone.rect.w / 4, zone.rect.h / 4);
    const box = { width: zone.rect.w - 2 * pad, height: zone.rect.h - 2 * pad };
    const multiline = zone.input === 'text' && zone.multiline;
    const style = { size: zone.style.size, lineHeight: 1.15, align: 'left' as const, valign: multiline ? ('top' as const) : ('middle' as const), letterSpacing: 0, transform: 'none' as const, paragraphSpacing: 0 };
    const layout = layoutText(value, style, fontChoice(c, zone.style.font, true), box, { multiline, overflow: 'shrink', minSize: 4 });
    text = { type: 'text', zoneId: zone.id, static: false, origin: { x: zone.rect.x + pad, y: zone.rect.y + pad }, layout, color };
    if (layout.overflow) {
      findings.push({ code: 'text-overflow', severity: 'warning', zoneId: zone.id, message: `The initial value of the form field "${label}" does not fit its box`, measured: value, required: null });
    }
  }
  return {
    type: 'field',
    zoneId: zone.id,
    static: false,
    rect: zone.rect,
    field: {
      name: zone.fieldName,
      input: zone.input,
      label: zone.label,
      required: zone.required,
      multiline: zone.input === 'text' && zone.multiline,
      maxChars: zone.input === 'text' ? zone.maxChars : undefined,
      options: zone.options,
      size: zone.style.size,
      border,
      background,
    },
    value,
    text,
    checked: value === 'on',
    color,
  };
}

function partnerText(c: CompiledTemplate, cz: CompiledZone, zone: PartnerTextZone, input: PartnerInput, values: Record<string, string>, findings: Finding[]): PlanItem[] {
  const keys = placeholderKeys(zone.content);
  if (keys.length > 0 && keys.every((k) => (values[k] ?? '').trim() === '')) return [];
  const text = fillPlaceholders(zone.content, (k) => values[k]);
  const choice = input.document.styles[zone.id] ?? {};
  const style = { ...zone.style };
  const label = zone.name ?? zone.id;
  if (choice.font !== undefined) {
    const allowed = [zone.style.font, ...(zone.fonts ?? [])];
    if (allowed.includes(choice.font)) style.font = choice.font;
    else findings.push({ code: 'font-not-allowed', severity: 'error', zoneId: zone.id, message: `Font "${choice.font}" is not allowed in "${label}"`, measured: choice.font, required: allowed.join(', ') });
  }
  if (choice.size !== undefined) {
    const min = zone.minSize ?? zone.style.size;
    const max = zone.maxSize ?? zone.style.size;
    if (choice.size >= min && choice.size <= max) style.size = choice.size;
    else {
      findings.push({
        code: 'font-size-out-of-range',
        severity: 'error',
        zoneId: zone.id,
        message: `Font size ${choice.size} pt is outside ${min}–${max} pt in "${label}"`,
        measured: choice.size,
        required: `${min}–${max}`,
        unit: 'pt',
      });
    }
  }
  if (choice.color !== undefined) {
    const allowed = [zone.style.color, ...(zone.colors ?? [])];
    if (allowed.includes(choice.color)) style.color = choice.color;
    else findings.push({ code: 'color-not-allowed', severity: 'error', zoneId: zone.id, message: `Colour "${choice.color}" is not allowed in "${label}"`, measured: choice.color, required: allowed.join(', ') });
  }
  const color = resolveColor(style.color, c.palette, [...cz.path, 'style', 'color']);
  if (!color.paletteId && c.brand.rules.paletteOnly.enabled) findings.push(paletteFinding(c, zone.id, style.color));
  const fonts = fontChoice(c, style.font, true);
  const layout = layoutText(text, textLayoutStyle(style), fonts, { width: zone.rect.w, height: zone.rect.h }, {
    multiline: zone.multiline,
    overflow: zone.overflow,
    ...(zone.minSize !== undefined ? { minSize: zone.minSize } : {}),
  });
  findings.push(...textFindings(c, zone, layout, color, cz.backdrop, style));
  return [{ type: 'text', zoneId: zone.id, static: false, origin: { x: zone.rect.x, y: zone.rect.y }, layout, color }];
}

function partnerLogo(c: CompiledTemplate, cz: CompiledZone, zone: PartnerLogoZone, input: PartnerInput, findings: Finding[]): { item: PlanItem; clear: Rect } | undefined {
  const label = zone.name ?? (zone.owner === 'distributor' ? 'Distributor logo' : 'Partner logo');
  // A distributor's slot is filled only with a logo given for that zone: the
  // partner's own logo never stands in for the distributor's.
  const variants = zone.owner === 'partner' ? profileLogos(input.profile) : {};
  const dark = cz.backdrop.rgb ? isDark(cz.backdrop.rgb) : false;
  const ref = input.document.logos[zone.id] ?? (dark ? variants.dark : variants.light);
  if (!ref) {
    if (zone.required) {
      findings.push({ code: 'logo-missing', severity: 'error', zoneId: zone.id, message: `${label} is required`, measured: null, required: 'a logo' });
    }
    return undefined;
  }
  const image = suppliedLogo(c, zone.id, label, ref, findings);
  if (!image) return undefined;
  const fraction = zone.clearSpace ?? c.brand.rules.logoClearSpace.fraction;
  const { place, clear } = placeLogo(image.info.width, image.info.height, zone.rect, fraction, zone.align);
  findings.push(...logoSizeFindings(c, zone.id, label, place, zone.minWidth, zone.minHeight));
  return { item: { type: 'image', zoneId: zone.id, static: false, image, place, clip: undefined }, clear };
}

function logoSizeFindings(c: CompiledTemplate, zoneId: string, label: string, place: Rect, minWidth: string | undefined, minHeight: string | undefined): Finding[] {
  const rule = c.brand.rules.logoMinSize;
  const out: Finding[] = [];
  const check = (dim: 'width' | 'height', drawn: number, spec: string | undefined) => {
    if (!spec) return;
    const need = parseLength(spec);
    if (need === undefined || drawn + 1e-6 >= need) return;
    out.push({
      code: 'logo-too-small',
      severity: rule.severity,
      zoneId,
      message: `${label} is drawn ${round(ptToMm(drawn), 1)} mm ${dim === 'width' ? 'wide' : 'high'}; the minimum is ${round(ptToMm(need), 1)} mm`,
      measured: round(ptToMm(drawn), 1),
      required: round(ptToMm(need), 1),
      unit: 'mm',
    });
  };
  check('width', place.w, minWidth ?? rule.minWidth);
  check('height', place.h, minHeight ?? rule.minHeight);
  return out;
}

function resolutionFindings(c: CompiledTemplate, zoneId: string, label: string, image: PreparedImage, place: Rect, output: OutputProfile): Finding[] {
  if (image.info.vector) return [];
  const ppi = Math.min(effectivePpi(image.info.width, place.w), effectivePpi(image.info.height, place.h));
  const rule = c.brand.rules.imageResolution[output];
  const measured = round(ppi, 0);
  const what = `"${label}" is ${measured} ppi at its placed size (${image.info.width} × ${image.info.height} px over ${round(ptToMm(place.w), 1)} × ${round(ptToMm(place.h), 1)} mm)`;
  if (ppi < rule.error) {
    return [{ code: 'image-resolution-low', severity: 'error', zoneId, message: `${what}; ${output} output needs at least ${rule.error} ppi`, measured, required: rule.error, unit: 'ppi' }];
  }
  if (rule.warning !== undefined && ppi < rule.warning) {
    return [{ code: 'image-resolution-low', severity: 'warning', zoneId, message: `${what}; ${rule.warning} ppi or more is recommended for ${output} output`, measured, required: rule.warning, unit: 'ppi' }];
  }
  return [];
}
