import type { Condition } from '../model/condition.ts';
import { pageSize, PROFILE_FIELD_KEYS, placeholderKeys, type FieldDef, type Page, type ProfileFieldKey, type Rect, type Template, type Zone, type ZoneKind } from '../model/template.ts';
import { allowedLocks, allowedOwners, createZone, PROFILE_FIELD_DEFAULTS, shownFieldKeys, uniqueFieldKey, uniqueFormFieldName, uniqueZoneId, zoneIdBase, type DesignKit, type NewZoneOptions } from './zones.ts';

/**
 * Editing commands on a template draft. Each returns a new template (the
 * input is never changed), so the designer's undo history is a list of
 * values. Commands keep what the model requires of a zone's owner and lock,
 * and keep rectangles on the page: inside the trim box plus the bleed.
 *
 * A draft may be invalid while it is being edited (an empty name, a
 * placeholder naming no field); commands do not refuse that, publishing does.
 */
export type DesignResult = { ok: true; template: Template; zoneId?: string } | { ok: false; code: 'zone-unknown' | 'field-unknown' | 'field-in-use' | 'field-key-taken' | 'invalid'; message: string };

export interface PageBounds {
  width: number;
  height: number;
  bleed: number;
}

/** The page size and bleed zones must stay within. */
export function pageBounds(t: Pick<Template, 'page'>): PageBounds {
  const { width, height } = pageSize(t);
  return { width, height, bleed: t.page.bleed };
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Keeps a rectangle on the page (bleed allowed). A moved rectangle keeps its
 * size and is pushed back inside; a resized one is cut at the bounds. Sizes
 * stay at least `minSize` points. Values are rounded to 1/100 pt, so drag
 * noise does not end up in the template.
 */
export function clampRect(rect: Rect, bounds: PageBounds, mode: 'move' | 'resize' = 'move', minSize = 1): Rect {
  const x0 = -bounds.bleed;
  const y0 = -bounds.bleed;
  const x1 = bounds.width + bounds.bleed;
  const y1 = bounds.height + bounds.bleed;
  const maxW = x1 - x0;
  const maxH = y1 - y0;
  if (mode === 'move') {
    const w = Math.min(Math.max(rect.w, minSize), maxW);
    const h = Math.min(Math.max(rect.h, minSize), maxH);
    const x = Math.min(Math.max(rect.x, x0), x1 - w);
    const y = Math.min(Math.max(rect.y, y0), y1 - h);
    return { x: round2(x), y: round2(y), w: round2(w), h: round2(h) };
  }
  let left = Math.max(rect.x, x0);
  let top = Math.max(rect.y, y0);
  let right = Math.min(rect.x + Math.max(rect.w, minSize), x1);
  let bottom = Math.min(rect.y + Math.max(rect.h, minSize), y1);
  if (right - left < minSize) [left, right] = right >= x1 ? [x1 - minSize, x1] : [left, left + minSize];
  if (bottom - top < minSize) [top, bottom] = bottom >= y1 ? [y1 - minSize, y1] : [top, top + minSize];
  return { x: round2(left), y: round2(top), w: round2(right - left), h: round2(bottom - top) };
}

/** Where a zone is: its page and its index in the page's stacking order. */
export function locateZone(t: Template, zoneId: string): { page: number; index: number; zone: Zone } | undefined {
  for (let p = 0; p < t.pages.length; p++) {
    const index = t.pages[p]!.zones.findIndex((z) => z.id === zoneId);
    if (index >= 0) return { page: p, index, zone: t.pages[p]!.zones[index]! };
  }
  return undefined;
}

function withPage(t: Template, page: number, zones: (zones: Zone[]) => Zone[]): Template {
  return { ...t, pages: t.pages.map((pg, i) => (i === page ? { ...pg, zones: zones(pg.zones) } : pg)) };
}

const unknownZone = (zoneId: string): DesignResult => ({ ok: false, code: 'zone-unknown', message: `There is no zone "${zoneId}"` });

/** Makes a zone meet the model's owner and lock rules for its kind. */
export function enforceZoneRules(zone: Zone): Zone {
  const owners = allowedOwners(zone.kind);
  const locks = allowedLocks(zone.kind);
  const owner = owners.includes(zone.owner) ? zone.owner : owners[0]!;
  const lock = locks.includes(zone.lock) ? zone.lock : locks[0]!;
  return owner === zone.owner && lock === zone.lock ? zone : { ...zone, owner, lock };
}

/** Adds a field for a profile key (company, phone…) when the template does not declare it yet. */
export function ensureField(t: Template, key: string): Template {
  if (t.fields.some((f) => f.key === key)) return t;
  const profile = (PROFILE_FIELD_KEYS as readonly string[]).includes(key) ? PROFILE_FIELD_DEFAULTS[key as ProfileFieldKey] : undefined;
  const def: FieldDef = profile ? { key, ...profile } : { key, label: key, required: false, multiline: false };
  return { ...t, fields: [...t.fields, def] };
}

/**
 * Adds a zone of a kind on a page, on top of the others, with the brand's
 * defaults. A partner-text zone shows the partner's company name when no zone
 * does yet, otherwise a new field of its own, which is declared too.
 */
export function addZone(t: Template, page: number, kind: ZoneKind, rect: Rect, kit: DesignKit, options: NewZoneOptions = {}): DesignResult {
  if (!t.pages[page]) return { ok: false, code: 'invalid', message: `The template has no page ${page + 1}` };
  const id = uniqueZoneId(t, zoneIdBase(kind));
  let next = t;
  let opts = options;
  if (kind === 'partner-text' && !options.fieldKey) {
    const key = shownFieldKeys(t).includes('company') ? uniqueFieldKey(t, 'text') : 'company';
    opts = { ...options, fieldKey: key };
    next = key === 'company' ? ensureField(next, key) : { ...next, fields: [...next.fields, { key, label: 'Text', required: false, multiline: false }] };
  } else if (kind === 'partner-text' && options.fieldKey) next = ensureField(next, options.fieldKey);
  if (kind === 'form-field' && !opts.fieldName) opts = { ...opts, fieldName: uniqueFormFieldName(t, id) };
  const zone = createZone(kind, id, clampRect(rect, pageBounds(t), 'resize'), kit, opts);
  return { ok: true, template: withPage(next, page, (zones) => [...zones, zone]), zoneId: id };
}

/** Moves or resizes a zone (kept on the page). */
export function setZoneRect(t: Template, zoneId: string, rect: Rect, mode: 'move' | 'resize' = 'resize'): DesignResult {
  const at = locateZone(t, zoneId);
  if (!at) return unknownZone(zoneId);
  const next = clampRect(rect, pageBounds(t), mode);
  const r = at.zone.rect;
  if (next.x === r.x && next.y === r.y && next.w === r.w && next.h === r.h) return { ok: true, template: t, zoneId };
  return { ok: true, template: withPage(t, at.page, (zones) => zones.map((z) => (z.id === zoneId ? { ...z, rect: next } : z))), zoneId };
}

/** Moves a zone by dx, dy points (arrow keys). */
export function nudgeZone(t: Template, zoneId: string, dx: number, dy: number): DesignResult {
  const at = locateZone(t, zoneId);
  if (!at) return unknownZone(zoneId);
  const r = at.zone.rect;
  return setZoneRect(t, zoneId, { ...r, x: r.x + dx, y: r.y + dy }, 'move');
}

export function deleteZone(t: Template, zoneId: string): DesignResult {
  const at = locateZone(t, zoneId);
  if (!at) return unknownZone(zoneId);
  return { ok: true, template: withPage(t, at.page, (zones) => zones.filter((z) => z.id !== zoneId)) };
}

/** A copy of a zone just above it in the stack, offset down and right, with a new id (and a form field with a new field name: PDF names are unique). */
export function duplicateZone(t: Template, zoneId: string, offset = 12): DesignResult {
  const at = locateZone(t, zoneId);
  if (!at) return unknownZone(zoneId);
  const id = uniqueZoneId(t, at.zone.id);
  const r = at.zone.rect;
  const rect = clampRect({ ...r, x: r.x + offset, y: r.y + offset }, pageBounds(t), 'move');
  let copy: Zone = { ...structuredClone(at.zone), id, rect, ...(at.zone.name ? { name: `${at.zone.name} copy` } : {}) };
  if (copy.kind === 'form-field') copy = { ...copy, fieldName: uniqueFormFieldName(t, id) };
  return { ok: true, template: withPage(t, at.page, (zones) => [...zones.slice(0, at.index + 1), copy, ...zones.slice(at.index + 1)]), zoneId: id };
}

/** Changes the stacking order: later zones are drawn on top. */
export function reorderZone(t: Template, zoneId: string, to: 'forward' | 'backward' | 'front' | 'back'): DesignResult {
  const at = locateZone(t, zoneId);
  if (!at) return unknownZone(zoneId);
  const zones = [...t.pages[at.page]!.zones];
  const [zone] = zones.splice(at.index, 1);
  const target = to === 'front' ? zones.length : to === 'back' ? 0 : to === 'forward' ? Math.min(zones.length, at.index + 1) : Math.max(0, at.index - 1);
  zones.splice(target, 0, zone!);
  return { ok: true, template: withPage(t, at.page, () => zones), zoneId };
}

/**
 * Changes a zone's properties (the inspector). The updater may not change
 * the zone's id or kind; owner and lock are brought back within the model's
 * rules, and the rectangle is kept on the page.
 */
export function updateZone(t: Template, zoneId: string, update: (zone: Zone) => Zone): DesignResult {
  const at = locateZone(t, zoneId);
  if (!at) return unknownZone(zoneId);
  const changed = update(at.zone);
  if (changed.id !== zoneId || changed.kind !== at.zone.kind) return { ok: false, code: 'invalid', message: 'A zone keeps its id and kind; use changeZoneKind to change the kind' };
  if (changed === at.zone) return { ok: true, template: t, zoneId };
  const zone = enforceZoneRules({ ...changed, rect: clampRect(changed.rect, pageBounds(t), 'resize') });
  let next = withPage(t, at.page, (zones) => zones.map((z) => (z.id === zoneId ? zone : z)));
  // A profile key typed as a placeholder ({phone}) declares its field, so it is filled from the profile.
  for (const key of fieldKeysOf(zone)) if ((PROFILE_FIELD_KEYS as readonly string[]).includes(key)) next = ensureField(next, key);
  return { ok: true, template: next, zoneId };
}

/**
 * Turns a zone into another kind: the new kind's defaults, keeping the id,
 * name, rectangle, visibility condition and access policy.
 */
export function changeZoneKind(t: Template, zoneId: string, kind: ZoneKind, kit: DesignKit): DesignResult {
  const at = locateZone(t, zoneId);
  if (!at) return unknownZone(zoneId);
  if (at.zone.kind === kind) return { ok: true, template: t, zoneId };
  let next = t;
  let options: NewZoneOptions = {};
  if (kind === 'partner-text') {
    const key = shownFieldKeys(t).includes('company') ? uniqueFieldKey(t, 'text') : 'company';
    next = key === 'company' ? ensureField(next, key) : { ...next, fields: [...next.fields, { key, label: 'Text', required: false, multiline: false }] };
    options = { fieldKey: key };
  }
  if (kind === 'form-field') options = { fieldName: uniqueFormFieldName(t, zoneId) };
  const fresh = createZone(kind, zoneId, at.zone.rect, kit, options);
  const keep = { ...(at.zone.name ? { name: at.zone.name } : {}), ...(at.zone.visibleWhen ? { visibleWhen: at.zone.visibleWhen } : {}), ...(at.zone.access ? { access: at.zone.access } : {}) };
  const zone = { ...fresh, ...keep } as Zone;
  return { ok: true, template: withPage(next, at.page, (zones) => zones.map((z) => (z.id === zoneId ? zone : z))), zoneId };
}

// ---- fields

/** Declares a new custom field and returns its key as `zoneId` is not meaningful here. */
export function addField(t: Template, def: Partial<FieldDef> = {}): { template: Template; key: string } {
  const key = def.key && !t.fields.some((f) => f.key === def.key) ? def.key : uniqueFieldKey(t, def.key ?? 'text');
  const field: FieldDef = { key, label: def.label ?? 'Text', required: def.required ?? false, multiline: def.multiline ?? false, ...(def.maxChars !== undefined ? { maxChars: def.maxChars } : {}), ...(def.placeholder !== undefined ? { placeholder: def.placeholder } : {}), ...(def.default !== undefined ? { default: def.default } : {}) };
  return { template: { ...t, fields: [...t.fields, field] }, key };
}

function renameInCondition(c: Condition, from: string, to: string): Condition {
  const attr = (a: string) => (a === `field:${from}` ? `field:${to}` : a);
  if ('present' in c) return { present: attr(c.present) };
  if ('absent' in c) return { absent: attr(c.absent) };
  if ('equals' in c) return { equals: { ...c.equals, attr: attr(c.equals.attr) } };
  if ('in' in c) return { in: { ...c.in, attr: attr(c.in.attr) } };
  if ('all' in c) return { all: c.all.map((x) => renameInCondition(x, from, to)) };
  if ('any' in c) return { any: c.any.map((x) => renameInCondition(x, from, to)) };
  return { not: renameInCondition(c.not, from, to) };
}

/**
 * Changes a field. A new key is carried into every `{key}` placeholder and
 * every `field:key` visibility condition, so renaming never breaks a zone.
 */
export function updateField(t: Template, key: string, patch: Partial<FieldDef>): DesignResult {
  const i = t.fields.findIndex((f) => f.key === key);
  if (i < 0) return { ok: false, code: 'field-unknown', message: `There is no field "${key}"` };
  const newKey = patch.key ?? key;
  if (newKey !== key && t.fields.some((f) => f.key === newKey)) return { ok: false, code: 'field-key-taken', message: `A field "${newKey}" already exists` };
  const merged: FieldDef = { ...t.fields[i]!, ...patch, key: newKey };
  // Optional numbers cleared in the inspector arrive as undefined: drop them rather than store undefined.
  for (const k of ['maxChars', 'placeholder', 'default'] as const) if (merged[k] === undefined) delete merged[k];
  let next: Template = { ...t, fields: t.fields.map((f, j) => (j === i ? merged : f)) };
  if (newKey !== key) {
    const token = new RegExp(`\\{${key}\\}`, 'g');
    next = {
      ...next,
      pages: next.pages.map((p) => ({
        ...p,
        zones: p.zones.map((z) => {
          let out: Zone = z;
          if (out.kind === 'partner-text' && out.content.includes(`{${key}}`)) out = { ...out, content: out.content.replace(token, `{${newKey}}`) };
          if (out.kind === 'form-field' && out.input === 'text' && out.value.includes(`{${key}}`)) out = { ...out, value: out.value.replace(token, `{${newKey}}`) };
          if (out.visibleWhen) out = { ...out, visibleWhen: renameInCondition(out.visibleWhen, key, newKey) };
          return out;
        }),
      })),
    };
  }
  return { ok: true, template: next };
}

/** The field keys a zone's text uses: a partner text's content, a text form field's initial value. */
export function fieldKeysOf(zone: Zone): string[] {
  if (zone.kind === 'partner-text') return placeholderKeys(zone.content);
  if (zone.kind === 'form-field' && zone.input === 'text') return placeholderKeys(zone.value);
  return [];
}

/** Removes a field no zone shows; a field in use is refused with the zones that use it. */
export function removeField(t: Template, key: string): DesignResult {
  if (!t.fields.some((f) => f.key === key)) return { ok: false, code: 'field-unknown', message: `There is no field "${key}"` };
  const users = t.pages.flatMap((p) => p.zones).filter((z) => fieldKeysOf(z).includes(key) || JSON.stringify(z.visibleWhen ?? null).includes(`"field:${key}"`));
  if (users.length > 0) {
    return { ok: false, code: 'field-in-use', message: `"${key}" is used by ${users.map((z) => z.name ?? z.id).join(', ')}; change those zones first` };
  }
  return { ok: true, template: { ...t, fields: t.fields.filter((f) => f.key !== key) } };
}

// ---- template and pages

export type TemplatePatch = Partial<Pick<Template, 'name' | 'description' | 'category' | 'access' | 'page'>>;

/**
 * Changes template properties. A new page size or bleed keeps every zone on
 * the page (moved in, then cut to fit, as little as possible).
 */
export function updateTemplate(t: Template, patch: TemplatePatch): Template {
  const next: Template = { ...t, ...patch };
  if (patch.access === undefined && 'access' in patch) delete next.access;
  if (!patch.page) return next;
  const bounds = pageBounds(next);
  return { ...next, pages: next.pages.map((p) => ({ ...p, zones: p.zones.map((z) => ({ ...z, rect: clampRect(clampRect(z.rect, bounds, 'move'), bounds, 'resize') })) })) };
}

export function addPage(t: Template, after: number = t.pages.length - 1): { template: Template; page: number } {
  const page: Page = { zones: [] };
  const at = Math.min(Math.max(after + 1, 0), t.pages.length);
  return { template: { ...t, pages: [...t.pages.slice(0, at), page, ...t.pages.slice(at)] }, page: at };
}

/** Removes a page (a template keeps at least one). */
export function removePage(t: Template, index: number): DesignResult {
  if (t.pages.length <= 1) return { ok: false, code: 'invalid', message: 'A template has at least one page' };
  if (!t.pages[index]) return { ok: false, code: 'invalid', message: `The template has no page ${index + 1}` };
  return { ok: true, template: { ...t, pages: t.pages.filter((_, i) => i !== index) } };
}

export function updatePage(t: Template, index: number, patch: Partial<Omit<Page, 'zones'>>): Template {
  return {
    ...t,
    pages: t.pages.map((p, i) => {
      if (i !== index) return p;
      const next: Page = { ...p, ...patch };
      for (const k of ['name', 'background'] as const) if (next[k] === undefined || next[k] === '') delete next[k];
      return next;
    }),
  };
}
