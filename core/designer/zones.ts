import type { BlockAreaZone, FieldDef, FormFieldZone, LockupParty, LockupZone, ProfileFieldKey, Rect, Template, Zone, ZoneKind } from '../model/template.ts';
import { Id } from '../model/access.ts';
import { allZones, FormFieldName, LOCKUP_PARTIES, placeholderKeys, Template as TemplateSchema, TEMPLATE_FORMAT, TEMPLATE_FORMAT_VERSION } from '../model/template.ts';
import { contrastRatio, parseHex, relativeLuminance } from '../util/color.ts';

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
  lockup: 'Logo lockup',
  image: 'Image',
  'color-block': 'Colour block',
  'form-field': 'Form field',
  'block-area': 'Bundle area',
};

/** Kinds in the order the toolbar offers them. */
export const ZONE_KINDS: readonly ZoneKind[] = ['partner-logo', 'partner-text', 'static-text', 'vendor-logo', 'lockup', 'image', 'color-block', 'block-area', 'form-field'];

const ID_PREFIX: Record<ZoneKind, string> = {
  'partner-logo': 'partner-logo',
  'partner-text': 'partner-text',
  'static-text': 'text',
  'vendor-logo': 'vendor-logo',
  lockup: 'lockup',
  image: 'image',
  'color-block': 'block',
  'form-field': 'field',
  'block-area': 'bundle',
};

/** Partner-owned kinds: always editable, never owned by the vendor (the model's rule). */
export function isPartnerKind(kind: ZoneKind): kind is 'partner-logo' | 'partner-text' {
  return kind === 'partner-logo' || kind === 'partner-text';
}

/** Owners the model allows for a kind, in the order the inspector offers them. */
export function allowedOwners(kind: ZoneKind): Zone['owner'][] {
  // The vendor's artwork: a lockup arranges partners' logos but is the vendor's to design.
  if (kind === 'vendor-logo' || kind === 'lockup') return ['vendor'];
  // Filled by whoever receives the PDF, so never the partner's to design.
  if (kind === 'form-field') return ['vendor', 'distributor'];
  // Filled with product blocks by the vendor or, usually, a distributor; the same for every partner.
  if (kind === 'block-area') return ['distributor', 'vendor'];
  if (isPartnerKind(kind)) return ['partner', 'distributor'];
  return ['vendor', 'distributor', 'partner'];
}

/** Locks the model allows for a kind. */
export function allowedLocks(kind: ZoneKind): Zone['lock'][] {
  if (kind === 'form-field' || kind === 'lockup' || kind === 'block-area') return ['locked'];
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

/** The form field names a template uses, lower-cased (PDF readers match them case-insensitively, and so does the model). */
function formFieldNames(template: Pick<Template, 'pages'>, exceptZoneId?: string): Set<string> {
  const out = new Set<string>();
  for (const p of template.pages) for (const z of p.zones) if (z.kind === 'form-field' && z.id !== exceptZoneId) out.add(z.fieldName.toLowerCase());
  return out;
}

/**
 * A form field name no other form field of the template uses, derived from
 * a zone id: "field" gives "field_1", "field-3" gives "field_3", then the
 * next free number.
 */
export function uniqueFormFieldName(template: Pick<Template, 'pages'>, zoneId: string): string {
  const taken = formFieldNames(template);
  const m = /^(.*?)-(\d+)$/.exec(zoneId);
  let stem = (m ? m[1]! : zoneId).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 50);
  if (!/^[A-Za-z]/.test(stem)) stem = `field${stem ? `_${stem}` : ''}`.slice(0, 50);
  const first = m ? Number(m[2]) : 1;
  for (let n = first; ; n++) if (!taken.has(`${stem}_${n}`.toLowerCase())) return `${stem}_${n}`;
}

/**
 * What is wrong with a form field name for a zone, in the model's words
 * (core/model/template.ts: FormFieldName and the template's duplicate check),
 * or undefined when the name is fine. The inspector checks a name with this
 * before it changes the template.
 */
export function formFieldNameIssue(template: Pick<Template, 'pages'>, zoneId: string, name: string): string | undefined {
  const parsed = FormFieldName.safeParse(name);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'not a valid field name';
  if (formFieldNames(template, zoneId).has(name.toLowerCase())) return `duplicate form field name "${name}"`;
  return undefined;
}

/**
 * Changes a form field's input type and leaves it meeting the model's rules
 * for the new type: options only on a choice (seeded with two when it had
 * none), lines and a character limit only on text, and an initial value the
 * new type accepts.
 */
export function withFormInput(zone: FormFieldZone, input: FormFieldZone['input']): FormFieldZone {
  if (zone.input === input) return zone;
  const { maxChars: _maxChars, ...rest } = zone;
  if (input === 'text') return { ...rest, input, options: [], value: '' };
  if (input === 'checkbox') return { ...rest, input, options: [], multiline: false, value: '' };
  const options = zone.options.length > 0 ? zone.options : ['Option 1', 'Option 2'];
  return { ...rest, input, multiline: false, options, value: options.includes(zone.value) ? zone.value : '' };
}

/**
 * Sets a choice field's options, keeping its initial value only when it is
 * still one of them. Returns the model's message instead when the list breaks
 * its rules (none, repeated, too long).
 */
export function withFormOptions(zone: FormFieldZone, options: readonly string[]): FormFieldZone | { issue: string } {
  if (options.length === 0) return { issue: 'a choice field needs at least one option' };
  if (new Set(options).size !== options.length) return { issue: 'options must be different' };
  if (options.length > 200) return { issue: 'at most 200 options' };
  const long = options.find((o) => [...o].length > 120);
  if (long !== undefined) return { issue: `"${long.slice(0, 20)}…" is longer than 120 characters` };
  return { ...zone, options: [...options], value: options.includes(zone.value) ? zone.value : '' };
}

/** How the designer names the parties of a lockup. */
export const LOCKUP_PARTY_LABELS: Record<LockupParty, string> = { vendor: 'Vendor', distributor: 'Distributor', partner: 'Partner' };

/**
 * The model's messages about a lockup zone, first one per property
 * ("order", "separatorColor", …). The zone is checked as the only zone of a
 * template, so the messages are the ones publishing would give; the
 * inspector shows them instead of putting a zone the model refuses into the
 * draft.
 */
export function lockupIssues(zone: LockupZone): Map<string, string> {
  const shell = { format: TEMPLATE_FORMAT, formatVersion: TEMPLATE_FORMAT_VERSION, id: 'lockup-check', version: 1, name: 'Check', brand: 'check', page: { size: 'letter' }, pages: [{ zones: [zone] }] };
  const r = TemplateSchema.safeParse(shell);
  const out = new Map<string, string>();
  if (r.success) return out;
  for (const i of r.error.issues) {
    const [pages, , zones, , prop] = i.path;
    if (pages !== 'pages' || zones !== 'zones') continue;
    const key = typeof prop === 'string' ? prop : '';
    if (!out.has(key)) out.set(key, i.message);
  }
  return out;
}

/** The parties as the inspector lists them: the lockup's order, then the one it leaves out (at most one: a lockup shows two logos or more). */
export function lockupRows(zone: Pick<LockupZone, 'order'>): { party: LockupParty; included: boolean }[] {
  return [...zone.order.map((party) => ({ party, included: true })), ...LOCKUP_PARTIES.filter((p) => !zone.order.includes(p)).map((party) => ({ party, included: false }))];
}

/** Moves a shown party one place earlier (-1) or later (+1); past either end, or for a party not shown, the zone is returned as it is. */
export function moveLockupParty(zone: LockupZone, party: LockupParty, step: -1 | 1): LockupZone {
  const i = zone.order.indexOf(party);
  const j = i + step;
  if (i < 0 || j < 0 || j >= zone.order.length) return zone;
  const order = [...zone.order];
  [order[i], order[j]] = [order[j]!, order[i]!];
  return { ...zone, order };
}

/**
 * Shows a party (at the end of the row) or leaves it out. When the order
 * that gives breaks the model's rules (the vendor left out, fewer than two
 * logos), the model's message is returned instead.
 */
export function withLockupParty(zone: LockupZone, party: LockupParty, included: boolean): LockupZone | { issue: string } {
  if (zone.order.includes(party) === included) return zone;
  const next: LockupZone = { ...zone, order: included ? [...zone.order, party] : zone.order.filter((p) => p !== party) };
  const issue = lockupIssues(next).get('order');
  return issue === undefined ? next : { issue };
}

/**
 * Switches a lockup's separator. A rule keeps the colour the zone has, or
 * takes the kit's mid-grey (the model requires one); "none" drops the
 * colour, so the template stops using a palette colour it no longer draws.
 */
export function withLockupSeparator(zone: LockupZone, separator: LockupZone['separator'], kit: DesignKit): LockupZone {
  if (separator === 'rule') return { ...zone, separator, separatorColor: zone.separatorColor ?? defaultRuleColor(kit) };
  const { separatorColor: _color, ...rest } = zone;
  return { ...rest, separator };
}

/**
 * The model's messages about a bundle area, first one per property path
 * below the zone ("offered", "repeat", "entries.0.product.id", …), checked
 * on the template it belongs to (repeat names zones of its page; entries
 * must be the template brand's products). The inspector shows them instead
 * of putting a list the model refuses into the draft.
 */
export function blockAreaIssues(template: Pick<Template, 'pages' | 'brand' | 'page'>, zone: BlockAreaZone): Map<string, string> {
  const page = template.pages.find((p) => p.zones.some((z) => z.id === zone.id));
  const zones = (page?.zones ?? [zone]).map((z) => (z.id === zone.id ? zone : z));
  const shell = { format: TEMPLATE_FORMAT, formatVersion: TEMPLATE_FORMAT_VERSION, id: 'bundle-check', version: 1, name: 'Check', brand: template.brand, page: template.page, pages: [{ zones }] };
  const r = TemplateSchema.safeParse(shell);
  const out = new Map<string, string>();
  if (r.success) return out;
  const index = zones.indexOf(zone);
  for (const i of r.error.issues) {
    const [pages, , list, z, ...rest] = i.path;
    if (pages !== 'pages' || list !== 'zones' || z !== index) continue;
    const key = rest.join('.');
    if (!out.has(key)) out.set(key, i.message);
  }
  return out;
}

/** A list of ids typed with commas, spaces or new lines: "a, b c" gives ["a", "b", "c"], without repeats. */
export function idList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter((s) => s !== ''))];
}

/**
 * Sets the product ids a bundle area offers (empty: any of the vendor's).
 * Returns the model's message instead when an id is malformed or when an
 * entry already placed would no longer be offered.
 */
export function withOffered(template: Pick<Template, 'pages' | 'brand' | 'page'>, zone: BlockAreaZone, offered: readonly string[]): BlockAreaZone | { issue: string } {
  const bad = offered.find((id) => !Id.safeParse(id).success);
  if (bad !== undefined) return { issue: `"${bad}" is not a product id: it ${Id.safeParse(bad).error?.issues[0]?.message ?? 'is malformed'}` };
  const next: BlockAreaZone = { ...zone, offered: [...offered] };
  const issues = blockAreaIssues(template, next);
  const issue = [...issues].find(([key]) => key.startsWith('offered') || key.startsWith('entries'))?.[1];
  return issue === undefined ? next : { issue };
}

/** Sets the zones a bundle area repeats on its continuation pages; the model's message instead when one is not another zone of the page (or is a form field). */
export function withRepeat(template: Pick<Template, 'pages' | 'brand' | 'page'>, zone: BlockAreaZone, repeat: readonly string[]): BlockAreaZone | { issue: string } {
  const next: BlockAreaZone = { ...zone, repeat: [...repeat] };
  const issue = [...blockAreaIssues(template, next)].find(([key]) => key.startsWith('repeat'))?.[1];
  return issue === undefined ? next : { issue };
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

/** A mid-dark palette colour for outlines (a form field's border): visible on white without the weight of the text colour. */
export function defaultBorder(kit: DesignKit): string {
  const scored = kit.palette.map((p) => ({ id: p.id, l: luminanceOf(p.hex) })).filter((p) => p.l < 0.9);
  scored.sort((a, b) => Math.abs(a.l - 0.3) - Math.abs(b.l - 0.3));
  return scored[0]?.id ?? defaultTextColor(kit);
}

/**
 * A mid-grey palette colour for rules (a lockup's separator): the most
 * neutral of the middle tones, so a rule between logos reads as structure
 * rather than as a brand accent. Near-black and near-white are passed over;
 * a palette with no middle tone falls back to the border colour.
 */
export function defaultRuleColor(kit: DesignKit): string {
  const scored = kit.palette
    .map((p) => ({ id: p.id, l: luminanceOf(p.hex), c: chromaOf(p.hex) }))
    .filter((p) => p.l > 0.02 && p.l < 0.9)
    .map((p) => ({ id: p.id, score: Math.abs(p.l - 0.2) + p.c }));
  scored.sort((a, b) => a.score - b.score);
  return scored[0]?.id ?? defaultBorder(kit);
}

/** How far a colour is from grey, 0 to 1. */
function chromaOf(hex: string): number {
  const rgb = parseHex(hex);
  return rgb ? (Math.max(...rgb) - Math.min(...rgb)) / 255 : 0;
}

/** The brand's bold text font: upright, the weight nearest 700 (headings and names on product blocks). */
export function defaultBoldFont(kit: DesignKit): string {
  const upright = kit.fonts.filter((f) => f.style !== 'italic');
  const pool = upright.length > 0 ? upright : kit.fonts;
  const best = [...pool].sort((a, b) => Math.abs(a.weight - 700) - Math.abs(b.weight - 700))[0];
  return best?.id ?? defaultFont(kit);
}

/**
 * Colours for product blocks on cards of `card`: text that reads on the card
 * (4.5:1), a muted tone for SKUs (the most neutral colour that still reads)
 * and an accent for prices (the most saturated one that reads). Falls back
 * to the text colour when the palette has nothing better.
 */
export function blockColors(kit: DesignKit, card: string): { text: string; muted: string; accent: string } {
  const bg = parseHex(kit.palette.find((p) => p.id === card)?.hex ?? card) ?? [255, 255, 255];
  const readable = kit.palette.filter((p) => contrastRatio(parseHex(p.hex) ?? [0, 0, 0], bg) >= 4.5).map((p) => ({ id: p.id, l: luminanceOf(p.hex), c: chromaOf(p.hex) }));
  const text = defaultTextColor(kit);
  const muted = [...readable].sort((a, b) => a.c - b.c || b.l - a.l).find((p) => p.id !== text)?.id ?? text;
  const accent = [...readable].sort((a, b) => b.c - a.c)[0]?.id ?? text;
  return { text, muted, accent };
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
  /** A form field's PDF name (unique in the template: addZone picks one); derived from the id otherwise. */
  fieldName?: string;
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
    case 'lockup':
      return { ...base, kind, name: 'Logo lockup', owner: 'vendor', lock: 'locked', order: ['vendor', 'distributor', 'partner'], vendorLogo: 'auto', relativeSize: 1, separator: 'rule', separatorColor: defaultRuleColor(kit), gap: 0.5, align: 'left', partnerRequired: true };
    case 'image':
      return { ...base, kind, owner: 'vendor', lock: 'locked', asset: options.asset ?? '', fit: 'cover', align: { h: 'center', v: 'middle' } };
    case 'color-block':
      return { ...base, kind, owner: 'vendor', lock: 'locked', fill: defaultFill(kit), shape: 'rect', radius: 0 };
    case 'block-area': {
      const card = defaultFill(kit);
      const colors = blockColors(kit, card);
      return {
        ...base,
        kind,
        name: 'Bundle area',
        owner: 'distributor',
        lock: 'locked',
        offered: [],
        allowOwn: true,
        layout: 'grid',
        columns: 2,
        gap: 12,
        repeat: [],
        maxPages: 10,
        style: { font: defaultFont(kit), bold: defaultBoldFont(kit), size: 9, color: colors.text, muted: colors.muted, accent: colors.accent, card, radius: 4, padding: 8, imageHeight: 60, headingSize: 13, headingColor: colors.text },
        entries: [],
      };
    }
    case 'form-field':
      return {
        ...base,
        kind,
        owner: 'vendor',
        lock: 'locked',
        fieldName: options.fieldName ?? uniqueFormFieldName({ pages: [] }, id),
        input: 'text',
        label: 'Form field',
        required: false,
        multiline: false,
        options: [],
        value: '',
        style: { font: defaultFont(kit), size: 10, color: defaultTextColor(kit) },
        border: defaultBorder(kit),
      };
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
