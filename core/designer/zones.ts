import type { FieldDef, ProfileFieldKey, Rect, Template, Zone, ZoneKind } from '../model/template.ts';
import { allZones, placeholderKeys } from '../model/template.ts';
import { parseHex, relativeLuminance } from '../util/color.ts';

/** What the designer needs to know of a brand kit to give new zones sensible defaults. */
export interface DesignKit {
  fonts: readonly { id: string; weight: number; style: string }[];
  palette: readonly { id: string; hex: string }[];
}

/** The names the designer shows for zone kinds (toolbar, labels, inspector). */
export const ZONE_KIND_LABELS: Record<ZoneKind, string> = {
  'partner-logo': 'Partner logo',
  'partner-text': 'Partner text',
  'static-text': 'Text',
  'vendor-logo': 'Vendor logo',
  image: 'Image',
  'color-block': 'Colour block',
};

/** Kinds in the order the toolbar offers them. */
export const ZONE_KINDS: readonly ZoneKind[] = ['partner-logo', 'partner-text', 'static-text', 'vendor-logo', 'image', 'color-block'];

const ID_PREFIX: Record<ZoneKind, string> = {
  'partner-logo': 'partner-logo',
  'partner-text': 'partner-text',
  'static-text': 'text',
  'vendor-logo': 'vendor-logo',
  image: 'image',
  'color-block': 'block',
};

/** Partner-owned kinds: always editable, never owned by the vendor (the model's rule). */
export function isPartnerKind(kind: ZoneKind): kind is 'partner-logo' | 'partner-text' {
  return kind === 'partner-logo' || kind === 'partner-text';
}

/** Owners the model allows for a kind, in the order the inspector offers them. */
export function allowedOwners(kind: ZoneKind): Zone['owner'][] {
  if (kind === 'vendor-logo') return ['vendor'];
  if (isPartnerKind(kind)) return ['partner', 'distributor'];
  return ['vendor', 'distributor', 'partner'];
}

/** Locks the model allows for a kind. */
export function allowedLocks(kind: ZoneKind): Zone['lock'][] {
  return isPartnerKind(kind) ? ['editable'] : ['locked', 'editable'];
}

/** A zone id not used anywhere in the template: "partner-logo", then "partner-logo-2", … */
export function uniqueZoneId(template: Pick<Template, 'pages'>, base: string): string {
  const taken = new Set(template.pages.flatMap((p) => p.zones.map((z) => z.id)));
  const stem = base.replace(/-\d+$/, '') || 'zone';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${stem}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** Labels and limits for profile-bound field keys when the designer adds them. */
export const PROFILE_FIELD_DEFAULTS: Record<ProfileFieldKey, Omit<FieldDef, 'key'>> = {
  company: { label: 'Company name', required: true, maxChars: 60, multiline: false },
  phone: { label: 'Phone', required: false, maxChars: 32, multiline: false },
  email: { label: 'Email', required: false, maxChars: 80, multiline: false },
  url: { label: 'Website', required: false, maxChars: 80, multiline: false },
  address: { label: 'Address', required: false, maxChars: 120, multiline: true },
  distributor: { label: 'Distributor', required: false, maxChars: 80, multiline: false },
};

/** A field key not yet declared: "text", "text2", … */
export function uniqueFieldKey(template: Pick<Template, 'fields'>, base = 'text'): string {
  const taken = new Set(template.fields.map((f) => f.key));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/** The brand's everyday text font: regular weight and upright when there is one. */
export function defaultFont(kit: DesignKit): string {
  const upright = kit.fonts.filter((f) => f.style !== 'italic');
  const pool = upright.length > 0 ? upright : kit.fonts;
  const best = [...pool].sort((a, b) => Math.abs(a.weight - 400) - Math.abs(b.weight - 400))[0];
  return best?.id ?? 'font';
}

function byLuminance(kit: DesignKit): string[] {
  return [...kit.palette]
    .map((p) => ({ id: p.id, l: luminanceOf(p.hex) }))
    .sort((a, b) => a.l - b.l)
    .map((p) => p.id);
}

function luminanceOf(hex: string): number {
  const rgb = parseHex(hex);
  return rgb ? relativeLuminance(rgb) : 0.5;
}

/** The darkest palette colour (text on a light page). */
export function defaultTextColor(kit: DesignKit): string {
  return byLuminance(kit)[0] ?? '#000000';
}

/** A light palette colour that is not pure white (a visible block on a white page). */
export function defaultFill(kit: DesignKit): string {
  const sorted = byLuminance(kit);
  const light = sorted.filter((id) => luminanceOf(kit.palette.find((p) => p.id === id)!.hex) < 0.99);
  return light[light.length - 1] ?? sorted[sorted.length - 1] ?? '#EEEEEE';
}

export interface NewZoneOptions {
  /** The image asset of an image zone ("" until one is chosen: a validation issue until then). */
  asset?: string;
  /** The field a partner-text zone shows. */
  fieldKey?: string;
}

/**
 * A new zone of a kind with the model's rules already met (owner, lock) and
 * the brand's defaults (font, colours). Text sizes follow the zone height so
 * a drawn box shows readable text straight away.
 */
export function createZone(kind: ZoneKind, id: string, rect: Rect, kit: DesignKit, options: NewZoneOptions = {}): Zone {
  const base = { id, rect: { ...rect } };
  const size = Math.max(6, Math.min(48, Math.round(rect.h * 0.5)));
  const style = { font: defaultFont(kit), size, lineHeight: 1.2, color: defaultTextColor(kit), align: 'left' as const, valign: 'top' as const, letterSpacing: 0, transform: 'none' as const, paragraphSpacing: 0 };
  switch (kind) {
    case 'partner-logo':
      return { ...base, kind, name: 'Partner logo', owner: 'partner', lock: 'editable', align: { h: 'center', v: 'middle' }, required: true };
    case 'partner-text':
      return { ...base, kind, owner: 'partner', lock: 'editable', content: `{${options.fieldKey ?? 'company'}}`, style, overflow: 'shrink', minSize: Math.max(4, Math.round(size * 0.6)), multiline: false };
    case 'static-text':
      return { ...base, kind, owner: 'vendor', lock: 'locked', text: 'Text', style: { ...style, valign: 'top' } };
    case 'vendor-logo':
      return { ...base, kind, name: 'Vendor logo', owner: 'vendor', lock: 'locked', logo: 'auto', align: { h: 'center', v: 'middle' } };
    case 'image':
      return { ...base, kind, owner: 'vendor', lock: 'locked', asset: options.asset ?? '', fit: 'cover', align: { h: 'center', v: 'middle' } };
    case 'color-block':
      return { ...base, kind, owner: 'vendor', lock: 'locked', fill: defaultFill(kit), shape: 'rect', radius: 0 };
  }
}

/** The id prefix new zones of a kind get. */
export function zoneIdBase(kind: ZoneKind): string {
  return ID_PREFIX[kind];
}

/** The field keys a template's partner-text zones show, in order of first use. */
export function shownFieldKeys(template: Template): string[] {
  const out: string[] = [];
  for (const z of allZones(template)) if (z.kind === 'partner-text') for (const k of placeholderKeys(z.content)) if (!out.includes(k)) out.push(k);
  return out;
}

/** A short label for a zone: its name, else its kind. */
export function zoneLabel(zone: Pick<Zone, 'name' | 'kind' | 'id'>): string {
  return zone.name?.trim() || `${ZONE_KIND_LABELS[zone.kind]} (${zone.id})`;
}
