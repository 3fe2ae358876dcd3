import type { PartnerDocument, ZoneStyleChoice } from '../model/document.ts';
import { placeholderKeys, type Template, type Zone } from '../model/template.ts';

/**
 * Editing commands on a partner document. Every edit the editor makes goes
 * through these: they refuse what the template locks, so a locked zone stays
 * as the vendor made it whatever the canvas or keyboard tries. The canvas
 * derives its lock flags from `zoneLock` below.
 */
export type CommandResult = { ok: true; document: PartnerDocument } | { ok: false; code: 'field-not-editable' | 'field-unknown' | 'zone-unknown'; message: string };

export type Actor = 'partner' | 'distributor';

export interface ZoneLock {
  /** The actor may change this zone's content (text, style, logo). */
  editable: boolean;
  /** Zones never move or resize in a partner's hands: layout belongs to the vendor. */
  movable: false;
  /** Who locked it, for the lock badge's tooltip. */
  lockedBy: string | null;
}

function findZone(template: Template, zoneId: string): Zone | undefined {
  for (const page of template.pages) for (const z of page.zones) if (z.id === zoneId) return z;
  return undefined;
}

const OWNER_NAMES: Record<Zone['owner'], string> = { vendor: 'the vendor', distributor: 'the distributor', partner: 'the partner' };

/** What an actor may do with a zone. */
export function zoneLock(zone: Zone, actor: Actor = 'partner', brandName = 'the vendor'): ZoneLock {
  const editable = zone.lock === 'editable' && zone.owner === actor && (zone.kind === 'partner-text' || zone.kind === 'partner-logo');
  const lockedBy = editable ? null : zone.owner === 'vendor' ? brandName : OWNER_NAMES[zone.owner];
  return { editable, movable: false, lockedBy };
}

/** The field keys an actor may fill (those shown by zones it may edit, and declared fields with no zone). */
export function editableFields(template: Template, actor: Actor = 'partner'): Set<string> {
  const shown = new Map<string, boolean>();
  for (const page of template.pages) {
    for (const z of page.zones) {
      if (z.kind !== 'partner-text') continue;
      const ok = zoneLock(z, actor).editable;
      for (const key of placeholderKeys(z.content)) shown.set(key, (shown.get(key) ?? false) || ok);
    }
  }
  return new Set(template.fields.filter((f) => shown.get(f.key) ?? true).map((f) => f.key));
}

export function setField(doc: PartnerDocument, template: Template, key: string, value: string, actor: Actor = 'partner'): CommandResult {
  if (!template.fields.some((f) => f.key === key)) return { ok: false, code: 'field-unknown', message: `This template has no field "${key}"` };
  if (!editableFields(template, actor).has(key)) return { ok: false, code: 'field-not-editable', message: `"${key}" is locked` };
  return { ok: true, document: { ...doc, fields: { ...doc.fields, [key]: value } } };
}

/** Clears a field so it falls back to the profile or the template default. */
export function resetField(doc: PartnerDocument, template: Template, key: string, actor: Actor = 'partner'): CommandResult {
  const check = setField(doc, template, key, '', actor);
  if (!check.ok) return check;
  const fields = { ...doc.fields };
  delete fields[key];
  return { ok: true, document: { ...doc, fields } };
}

function editableZone(template: Template, zoneId: string, kind: Zone['kind'], actor: Actor): { ok: true; zone: Zone } | Extract<CommandResult, { ok: false }> {
  const zone = findZone(template, zoneId);
  if (!zone) return { ok: false, code: 'zone-unknown', message: `No zone "${zoneId}"` };
  if (zone.kind !== kind || !zoneLock(zone, actor).editable) return { ok: false, code: 'field-not-editable', message: `"${zone.name ?? zoneId}" is locked` };
  return { ok: true, zone };
}

export function setStyle(doc: PartnerDocument, template: Template, zoneId: string, choice: ZoneStyleChoice, actor: Actor = 'partner'): CommandResult {
  const z = editableZone(template, zoneId, 'partner-text', actor);
  if (!z.ok) return z;
  return { ok: true, document: { ...doc, styles: { ...doc.styles, [zoneId]: { ...doc.styles[zoneId], ...choice } } } };
}

export function setLogo(doc: PartnerDocument, template: Template, zoneId: string, ref: string | null, actor: Actor = 'partner'): CommandResult {
  const z = editableZone(template, zoneId, 'partner-logo', actor);
  if (!z.ok) return z;
  const logos = { ...doc.logos };
  if (ref === null) delete logos[zoneId];
  else logos[zoneId] = ref;
  return { ok: true, document: { ...doc, logos } };
}

/** Moving or resizing a zone: always refused for partners (the vendor owns the layout). */
export function moveZone(_doc: PartnerDocument, template: Template, zoneId: string): CommandResult {
  const zone = findZone(template, zoneId);
  if (!zone) return { ok: false, code: 'zone-unknown', message: `No zone "${zoneId}"` };
  return { ok: false, code: 'field-not-editable', message: `"${zone.name ?? zoneId}" cannot be moved: the layout is locked by the vendor` };
}

/** Undo/redo over immutable documents. */
export class History<T> {
  private past: T[] = [];
  private future: T[] = [];

  constructor(
    public present: T,
    private readonly limit = 200,
  ) {}

  push(next: T): void {
    if (next === this.present) return;
    this.past.push(this.present);
    if (this.past.length > this.limit) this.past.shift();
    this.present = next;
    this.future = [];
  }

  undo(): T | undefined {
    const prev = this.past.pop();
    if (prev === undefined) return undefined;
    this.future.push(this.present);
    this.present = prev;
    return prev;
  }

  redo(): T | undefined {
    const next = this.future.pop();
    if (next === undefined) return undefined;
    this.past.push(this.present);
    this.present = next;
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
