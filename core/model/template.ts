import { z } from 'zod';
import { AccessPolicy, Id } from './access.ts';
import { Condition } from './condition.ts';
import { AssetRef, SheetEntry } from './product.ts';

export const TEMPLATE_FORMAT = 'lockup.template';
/** The template format version this build writes. Older versions are migrated on load. */
export const TEMPLATE_FORMAT_VERSION = 1;

/** Page presets in PDF points (portrait). Social and banner sizes use 1 px = 1 pt. */
export const PAGE_PRESETS = {
  letter: { width: 612, height: 792, label: 'US Letter' },
  legal: { width: 612, height: 1008, label: 'US Legal' },
  a4: { width: 595.28, height: 841.89, label: 'A4' },
  a5: { width: 419.53, height: 595.28, label: 'A5' },
  'social-landscape': { width: 1200, height: 628, label: 'Social post 1200 × 628 px' },
  'social-square': { width: 1080, height: 1080, label: 'Social post 1080 × 1080 px' },
  'web-banner': { width: 728, height: 90, label: 'Leaderboard banner 728 × 90 px' },
} as const;
export type PagePreset = keyof typeof PAGE_PRESETS;

const PresetName = z.enum(Object.keys(PAGE_PRESETS) as [PagePreset, ...PagePreset[]]);

/** A rectangle in points, origin at the top-left corner of the trim box, y downwards. */
export const Rect = z
  .object({
    x: z.number().finite(),
    y: z.number().finite(),
    w: z.number().finite().positive(),
    h: z.number().finite().positive(),
  })
  .strict();
export type Rect = z.infer<typeof Rect>;

/** A palette entry id of the brand, or a literal "#RRGGBB" (flagged by the palette-only rule). */
export const ColorRef = z.string().min(1).max(40);

export { AssetRef };

export const Length = z
  .string()
  .regex(/^\d+(\.\d+)?(pt|mm|in|px)$/, 'must be a length such as "25mm", "72pt" or "1in"');

export const Align = z
  .object({
    h: z.enum(['left', 'center', 'right']).default('center'),
    v: z.enum(['top', 'middle', 'bottom']).default('middle'),
  })
  .strict();
export type Align = z.infer<typeof Align>;

export const TextStyle = z
  .object({
    font: Id,
    size: z.number().positive().max(1000),
    /** Line height as a multiple of the font size (CSS model). */
    lineHeight: z.number().positive().max(5).default(1.2),
    color: ColorRef,
    align: z.enum(['left', 'center', 'right']).default('left'),
    valign: z.enum(['top', 'middle', 'bottom']).default('top'),
    /** Extra space between letters in 1/1000 em. */
    letterSpacing: z.number().min(-200).max(1000).default(0),
    transform: z.enum(['none', 'uppercase']).default('none'),
    /** Extra space after each paragraph, in line heights. */
    paragraphSpacing: z.number().min(0).max(10).default(0),
  })
  .strict();
export type TextStyle = z.infer<typeof TextStyle>;

export const OverflowPolicy = z.enum(['shrink', 'ellipsis', 'refuse']);
export type OverflowPolicy = z.infer<typeof OverflowPolicy>;

const ZoneBase = {
  id: Id,
  name: z.string().max(120).optional(),
  rect: Rect,
  owner: z.enum(['vendor', 'distributor', 'partner']),
  lock: z.enum(['locked', 'editable']),
  visibleWhen: Condition.optional(),
  access: AccessPolicy.optional(),
};

export const ColorBlockZone = z
  .object({
    ...ZoneBase,
    kind: z.literal('color-block'),
    fill: ColorRef,
    shape: z.enum(['rect', 'ellipse']).default('rect'),
    radius: z.number().min(0).default(0),
  })
  .strict();

export const ImageZone = z
  .object({
    ...ZoneBase,
    kind: z.literal('image'),
    asset: AssetRef,
    fit: z.enum(['contain', 'cover']).default('cover'),
    align: Align.default({ h: 'center', v: 'middle' }),
    /** A representative colour of the image, used for contrast checks of text placed over it. */
    tone: ColorRef.optional(),
  })
  .strict();

export const VendorLogoZone = z
  .object({
    ...ZoneBase,
    kind: z.literal('vendor-logo'),
    /** A brand logo id, or "auto" to pick the variant that suits the background. */
    logo: z.union([z.literal('auto'), Id]).default('auto'),
    align: Align.default({ h: 'center', v: 'middle' }),
    /** Clear space as a fraction of the logo height; defaults to the brand rule. */
    clearSpace: z.number().min(0).max(2).optional(),
    background: ColorRef.optional(),
  })
  .strict();

export const PartnerLogoZone = z
  .object({
    ...ZoneBase,
    kind: z.literal('partner-logo'),
    align: Align.default({ h: 'center', v: 'middle' }),
    clearSpace: z.number().min(0).max(2).optional(),
    background: ColorRef.optional(),
    /** Overrides of the brand's minimum logo size for this slot. */
    minWidth: Length.optional(),
    minHeight: Length.optional(),
    required: z.boolean().default(true),
  })
  .strict();

export const StaticTextZone = z
  .object({
    ...ZoneBase,
    kind: z.literal('static-text'),
    text: z.string().max(20000),
    style: TextStyle,
    background: ColorRef.optional(),
  })
  .strict();

export const PartnerTextZone = z
  .object({
    ...ZoneBase,
    kind: z.literal('partner-text'),
    /** Text with {fieldKey} placeholders, e.g. "Call {phone}". */
    content: z.string().min(1).max(2000),
    style: TextStyle,
    overflow: OverflowPolicy.default('shrink'),
    /** Smallest size shrink-to-fit may use, and the range a partner may choose from. */
    minSize: z.number().positive().optional(),
    maxSize: z.number().positive().optional(),
    /** Fonts and palette colours the partner may switch to; the style's own are always allowed. */
    fonts: z.array(Id).optional(),
    colors: z.array(ColorRef).optional(),
    multiline: z.boolean().default(false),
    background: ColorRef.optional(),
  })
  .strict();

/** The name a PDF form field gets (its /T): no dots, which would make it a hierarchy. */
export const FormFieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must start with a letter; letters, digits, _ and - only (at most 64)');

export const FORM_FIELD_INPUTS = ['text', 'checkbox', 'choice'] as const;

/**
 * A field that stays fillable in the exported PDF (an AcroForm widget):
 * designed by the vendor or distributor, placed and locked like vendor
 * content, filled by whoever receives the PDF. A text field may be
 * prefilled from the template's fields (`{company}`); the print profile
 * flattens fields into printed boxes (docs/decisions/0019).
 */
export const FormFieldZone = z
  .object({
    ...ZoneBase,
    kind: z.literal('form-field'),
    fieldName: FormFieldName,
    input: z.enum(FORM_FIELD_INPUTS),
    /** Shown as the field's tooltip and read by screen readers (/TU). */
    label: z.string().min(1).max(120),
    required: z.boolean().default(false),
    /** Text fields only. */
    multiline: z.boolean().default(false),
    maxChars: z.number().int().positive().max(10000).optional(),
    /** Choice fields: the options, in order. */
    options: z.array(z.string().min(1).max(120)).max(200).default([]),
    /** Initial value: text with {field} placeholders; an option; "on" or "off" for a checkbox. */
    value: z.string().max(2000).default(''),
    style: z.object({ font: Id, size: z.number().min(4).max(72).default(10), color: ColorRef }).strict(),
    border: ColorRef.optional(),
    background: ColorRef.optional(),
  })
  .strict();

export const LOCKUP_PARTIES = ['vendor', 'distributor', 'partner'] as const;
export type LockupParty = (typeof LOCKUP_PARTIES)[number];

/**
 * A multi-tier lockup: the vendor's, the distributor's and the partner's
 * logos in one row, in the vendor's order, at sizes relative to the vendor
 * logo, with separators and the brand's clear space. A party without a
 * logo (a partner that buys direct has no distributor) is left out and the
 * row closes up. Vendor content: locked, and unchanged in derived packs.
 */
export const LockupZone = z
  .object({
    ...ZoneBase,
    kind: z.literal('lockup'),
    order: z.array(z.enum(LOCKUP_PARTIES)).min(2, 'a lockup shows at least two logos').max(3, 'a lockup shows at most three logos'),
    /** The vendor logo: a brand logo id, or "auto" for the variant that suits the background. */
    vendorLogo: z.union([z.literal('auto'), Id]).default('auto'),
    /** Height of the distributor's and partner's logos as a fraction of the vendor logo's height. */
    relativeSize: z.number().min(0.25).max(1.5).default(1),
    separator: z.enum(['none', 'rule']).default('rule'),
    separatorColor: ColorRef.optional(),
    /** Space on each side of a separator, as a fraction of the vendor logo's height. */
    gap: z.number().min(0).max(3).default(0.5),
    align: z.enum(['left', 'center', 'right']).default('left'),
    clearSpace: z.number().min(0).max(2).optional(),
    background: ColorRef.optional(),
    /** The partner's logo must be present (the distributor's is shown when the partner has one). */
    partnerRequired: z.boolean().default(true),
  })
  .strict();

/**
 * A bundle area (issue #5): product blocks flowed in a grid or list, page
 * after page. The vendor places it, styles it and says which of its
 * product blocks may go in it and whether the owner (a distributor, usually)
 * may add its own; the owner fills `entries`. When the entries do not fit,
 * continuation pages follow the zone's page, each showing the `repeat`
 * zones of that page and the area at `continuation`. Content is the same
 * for every partner, so it is laid out once when the template compiles.
 */
export const BlockAreaZone = z
  .object({
    ...ZoneBase,
    kind: z.literal('block-area'),
    /** The vendor's product block ids that may be placed here; empty: any of the vendor's. */
    offered: z.array(Id).max(500).default([]),
    /** Whether the owner may add products of its own. */
    allowOwn: z.boolean().default(true),
    layout: z.enum(['grid', 'list']).default('grid'),
    /** Columns of the grid (a list has one). */
    columns: z.number().int().min(1).max(6).default(2),
    /** Space between columns and rows, in points. */
    gap: z.number().min(0).max(72).default(12),
    /** The area on continuation pages; the zone's own rectangle when absent. */
    continuation: Rect.optional(),
    /** Zones of this page drawn again on every continuation page (header, lockup, footer). */
    repeat: z.array(Id).max(50).default([]),
    /** At most this many continuation pages. */
    maxPages: z.number().int().min(0).max(50).default(10),
    style: z
      .object({
        font: Id,
        bold: Id,
        /** Body size in points. */
        size: z.number().min(5).max(24).default(9),
        color: ColorRef,
        muted: ColorRef,
        accent: ColorRef,
        card: ColorRef.optional(),
        radius: z.number().min(0).max(24).default(4),
        padding: z.number().min(0).max(36).default(8),
        /** Height of each block's picture; 0 shows none. */
        imageHeight: z.number().min(0).max(300).default(60),
        /** Section headings: size and colour. */
        headingSize: z.number().min(6).max(36).default(13),
        headingColor: ColorRef,
      })
      .strict(),
    entries: z.array(SheetEntry).max(500).default([]),
  })
  .strict();

export const Zone = z.discriminatedUnion('kind', [
  ColorBlockZone,
  ImageZone,
  VendorLogoZone,
  PartnerLogoZone,
  StaticTextZone,
  PartnerTextZone,
  FormFieldZone,
  LockupZone,
  BlockAreaZone,
]);
export type Zone = z.infer<typeof Zone>;
export type ZoneKind = Zone['kind'];
export type TextZone = z.infer<typeof StaticTextZone> | z.infer<typeof PartnerTextZone>;
export type PartnerTextZone = z.infer<typeof PartnerTextZone>;
export type PartnerLogoZone = z.infer<typeof PartnerLogoZone>;
export type VendorLogoZone = z.infer<typeof VendorLogoZone>;
export type ImageZone = z.infer<typeof ImageZone>;
export type ColorBlockZone = z.infer<typeof ColorBlockZone>;
export type FormFieldZone = z.infer<typeof FormFieldZone>;
export type LockupZone = z.infer<typeof LockupZone>;
export type BlockAreaZone = z.infer<typeof BlockAreaZone>;

/** Keys filled from the partner profile unless the partner overrides them. */
export const PROFILE_FIELD_KEYS = ['company', 'phone', 'email', 'url', 'address', 'distributor'] as const;
export type ProfileFieldKey = (typeof PROFILE_FIELD_KEYS)[number];

export const FieldDef = z
  .object({
    key: z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, 'must start with a lower-case letter; letters, digits and _ only'),
    label: z.string().min(1).max(80),
    required: z.boolean().default(false),
    maxChars: z.number().int().positive().max(2000).optional(),
    multiline: z.boolean().default(false),
    default: z.string().max(2000).optional(),
    placeholder: z.string().max(200).optional(),
  })
  .strict();
export type FieldDef = z.infer<typeof FieldDef>;

export const Page = z
  .object({
    name: z.string().max(80).optional(),
    background: ColorRef.optional(),
    zones: z.array(Zone),
  })
  .strict();
export type Page = z.infer<typeof Page>;

const PLACEHOLDER = /\{([a-zA-Z0-9_]+)\}/g;

/** The keys referenced by `{key}` placeholders in a partner-text zone's content. */
export function placeholderKeys(content: string): string[] {
  return [...content.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Replaces `{key}` placeholders with values; missing values become empty strings. */
export function fillPlaceholders(content: string, values: (key: string) => string | undefined): string {
  return content.replace(PLACEHOLDER, (_, key: string) => values(key) ?? '');
}

export const Template = z
  .object({
    format: z.literal(TEMPLATE_FORMAT),
    formatVersion: z.literal(TEMPLATE_FORMAT_VERSION),
    id: Id,
    version: z.number().int().positive(),
    name: z.string().min(1).max(120),
    description: z.string().max(1000).default(''),
    category: z.string().max(60).default('collateral'),
    brand: Id,
    page: z
      .object({
        size: z.union([PresetName, z.object({ width: z.number().positive().max(14400), height: z.number().positive().max(14400) }).strict()]),
        /** When set, swaps the preset's sides to match; presets are used as given otherwise. */
        orientation: z.enum(['portrait', 'landscape']).optional(),
        /** Bleed in points on every side of the trim box. */
        bleed: z.number().min(0).max(72).default(0),
      })
      .strict(),
    access: AccessPolicy.optional(),
    fields: z.array(FieldDef).default([]),
    pages: z.array(Page).min(1).max(200),
  })
  .strict()
  .superRefine((t, ctx) => {
    const ids = new Map<string, number>();
    const formNames = new Set<string>();
    const fieldKeys = new Set(t.fields.map((f) => f.key));
    t.fields.forEach((f, i) => {
      if (t.fields.findIndex((g) => g.key === f.key) !== i) {
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'key'], message: `duplicate field key "${f.key}"` });
      }
    });
    t.pages.forEach((page, p) =>
      page.zones.forEach((zone, z) => {
        const path = ['pages', p, 'zones', z];
        if (ids.has(zone.id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate zone id "${zone.id}"` });
        ids.set(zone.id, p);
        if (zone.kind === 'vendor-logo' && zone.owner !== 'vendor') {
          ctx.addIssue({ code: 'custom', path: [...path, 'owner'], message: 'a vendor logo zone must be owned by the vendor' });
        }
        if ((zone.kind === 'partner-text' || zone.kind === 'partner-logo') && zone.owner === 'vendor') {
          ctx.addIssue({ code: 'custom', path: [...path, 'owner'], message: `a ${zone.kind} zone is owned by a partner or distributor` });
        }
        if ((zone.kind === 'partner-text' || zone.kind === 'partner-logo') && zone.lock !== 'editable') {
          ctx.addIssue({ code: 'custom', path: [...path, 'lock'], message: `a ${zone.kind} zone must be editable` });
        }
        if (zone.kind === 'lockup') {
          if (new Set(zone.order).size !== zone.order.length) ctx.addIssue({ code: 'custom', path: [...path, 'order'], message: 'each party appears once in a lockup' });
          if (!zone.order.includes('vendor')) ctx.addIssue({ code: 'custom', path: [...path, 'order'], message: 'a lockup shows the vendor logo' });
          if (zone.owner !== 'vendor' || zone.lock !== 'locked') ctx.addIssue({ code: 'custom', path: [...path, 'owner'], message: 'a lockup zone is vendor content: owned by the vendor and locked' });
          if (zone.separator === 'rule' && zone.separatorColor === undefined) ctx.addIssue({ code: 'custom', path: [...path, 'separatorColor'], message: 'a rule separator needs a colour' });
        }
        if (zone.kind === 'form-field') formFieldIssues(zone, fieldKeys, formNames).forEach(([at, message]) => ctx.addIssue({ code: 'custom', path: [...path, at], message }));
        if (zone.kind === 'block-area') {
          if (page.zones.findIndex((other) => other.kind === 'block-area') !== z) ctx.addIssue({ code: 'custom', path: [...path, 'kind'], message: 'a page holds at most one bundle area' });
          blockAreaIssues(zone, page, t.brand, pageSize(t)).forEach(([at, message]) => ctx.addIssue({ code: 'custom', path: [...path, ...at], message }));
        }
        if (zone.kind === 'partner-text') {
          for (const key of placeholderKeys(zone.content)) {
            if (!fieldKeys.has(key)) {
              ctx.addIssue({ code: 'custom', path: [...path, 'content'], message: `placeholder {${key}} names no field in "fields"` });
            }
          }
          if (zone.minSize !== undefined && zone.minSize > zone.style.size) {
            ctx.addIssue({ code: 'custom', path: [...path, 'minSize'], message: 'minSize is larger than the style size' });
          }
          if (zone.maxSize !== undefined && zone.maxSize < zone.style.size) {
            ctx.addIssue({ code: 'custom', path: [...path, 'maxSize'], message: 'maxSize is smaller than the style size' });
          }
        }
      }),
    );
  });
/**
 * The model's rules for a bundle area, as [path, message] pairs: who owns it,
 * what its continuation pages repeat and where they flow, and which product
 * blocks it may hold (the vendor's own, offered ones; a distributor's own
 * only in a distributor's area that allows them; each product once).
 */
function blockAreaIssues(zone: BlockAreaZone, page: Page, brand: string, size: { width: number; height: number }): [(string | number)[], string][] {
  const out: [(string | number)[], string][] = [];
  if (zone.owner === 'partner' || zone.lock !== 'locked') out.push([[zone.owner === 'partner' ? 'owner' : 'lock'], 'a bundle area is locked and owned by the vendor or a distributor']);
  const others = new Map(page.zones.filter((o) => o.id !== zone.id).map((o) => [o.id, o]));
  zone.repeat.forEach((id, i) => {
    const other = others.get(id);
    if (id === zone.id) out.push([['repeat', i], 'a bundle area does not repeat itself: it continues on its own']);
    else if (!other) out.push([['repeat', i], `"${id}" is not another zone of this page`]);
    else if (other.kind === 'form-field') out.push([['repeat', i], `"${id}" is a form field: its name must be unique in the PDF, so it cannot repeat on continuation pages`]);
    if (zone.repeat.indexOf(id) !== i) out.push([['repeat', i], `"${id}" is repeated twice`]);
  });
  const c = zone.continuation;
  if (c && (c.x < -0.5 || c.y < -0.5 || c.x + c.w > size.width + 0.5 || c.y + c.h > size.height + 0.5)) out.push([['continuation'], 'the continuation area must lie within the page (its trim box)']);
  zone.offered.forEach((id, i) => {
    if (zone.offered.indexOf(id) !== i) out.push([['offered', i], `"${id}" is offered twice`]);
  });
  const placed = new Set<string>();
  zone.entries.forEach((entry, i) => {
    const p = entry.product;
    const at = ['entries', i, 'product'];
    const name = `"${p.name}" (${p.id})`;
    if (placed.has(p.id)) out.push([[...at, 'id'], `${name} is placed twice in this bundle area`]);
    placed.add(p.id);
    if (p.owner === 'vendor') {
      if (p.publisher !== brand) out.push([[...at, 'publisher'], `${name} is published by "${p.publisher}", not by ${brand}: a bundle area holds only the template brand's product blocks and the owner's own`]);
      else if (zone.offered.length > 0 && !zone.offered.includes(p.id)) out.push([[...at, 'id'], `${name} is not one of the products this bundle area offers`]);
    } else if (zone.owner !== 'distributor') out.push([[...at, 'owner'], `${name} is a distributor's own product: only a distributor's bundle area holds it`]);
    else if (!zone.allowOwn) out.push([[...at, 'owner'], `${name} is a distributor's own product, and this bundle area does not allow the distributor's own products`]);
  });
  return out;
}

/** The model's rules for a form field, as [property, message] pairs. */
function formFieldIssues(zone: FormFieldZone, fieldKeys: ReadonlySet<string>, names: Set<string>): [string, string][] {
  const out: [string, string][] = [];
  if (names.has(zone.fieldName.toLowerCase())) out.push(['fieldName', `duplicate form field name "${zone.fieldName}"`]);
  names.add(zone.fieldName.toLowerCase());
  if (zone.owner === 'partner') out.push(['owner', 'a form field is designed by the vendor or a distributor and filled by whoever receives the PDF']);
  if (zone.lock !== 'locked') out.push(['lock', 'a form field zone is locked; its value is filled in the PDF']);
  if (zone.input === 'text') {
    for (const key of placeholderKeys(zone.value)) if (!fieldKeys.has(key)) out.push(['value', `placeholder {${key}} names no field in "fields"`]);
    if (zone.options.length > 0) out.push(['options', 'only a choice field has options']);
  } else if (zone.input === 'choice') {
    if (zone.options.length === 0) out.push(['options', 'a choice field needs at least one option']);
    if (new Set(zone.options).size !== zone.options.length) out.push(['options', 'options must be different']);
    if (zone.value !== '' && !zone.options.includes(zone.value)) out.push(['value', `"${zone.value}" is not one of the options`]);
  } else {
    if (!['', 'on', 'off'].includes(zone.value)) out.push(['value', 'a checkbox starts "on" or "off"']);
    if (zone.options.length > 0) out.push(['options', 'only a choice field has options']);
  }
  if (zone.input !== 'text' && (zone.multiline || zone.maxChars !== undefined)) out.push([zone.multiline ? 'multiline' : 'maxChars', 'only a text field has lines and a character limit']);
  return out;
}

export type Template = z.infer<typeof Template>;
export type TemplateInput = z.input<typeof Template>;

/** Trim size of a template's pages in points, after orientation. */
export function pageSize(t: Pick<Template, 'page'>): { width: number; height: number } {
  const base = typeof t.page.size === 'string' ? PAGE_PRESETS[t.page.size] : t.page.size;
  const { width, height } = base;
  const o = t.page.orientation;
  if (o === undefined || (o === 'landscape') === width > height) return { width, height };
  return { width: height, height: width };
}

export function allZones(t: Template): Zone[] {
  return t.pages.flatMap((p) => p.zones);
}

