import { AccessPolicy } from '../model/access.ts';
import { FieldDef, Template, Zone, type Page } from '../model/template.ts';
import { checkDraft, type BrandFacts } from './validate.ts';

/**
 * The drawable part of a draft. A draft being edited is often invalid (a
 * placeholder naming no field yet, an image zone with no image); the designer
 * still draws the page from the real engine, leaving out what cannot be drawn
 * and listing it. Template-level faults (an empty name) do not stop drawing.
 */
export interface Renderable {
  /** A valid template, or undefined when not even the page can be drawn. */
  template: Template | undefined;
  /** Zones left out because they are invalid, by id. */
  dropped: string[];
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/**
 * Removes what makes a draft invalid, zone by zone: each zone is kept only
 * when a template made of it and the valid fields passes every check.
 */
export function renderableDraft(raw: unknown, brand: BrandFacts, hasAsset: (ref: string) => boolean): Renderable {
  const whole = checkDraft(raw, brand, hasAsset);
  if (whole.template && whole.issues.length === 0) return { template: whole.template, dropped: [] };

  const src = record(raw);
  const page = Template.shape.page.safeParse(src['page']);
  const fields: FieldDef[] = [];
  for (const f of list(src['fields'])) {
    const r = FieldDef.safeParse(f);
    if (r.success && !fields.some((g) => g.key === r.data.key)) fields.push(r.data);
  }
  const access = AccessPolicy.safeParse(src['access']);
  const shell = {
    format: 'lockup.template' as const,
    formatVersion: 1 as const,
    id: typeof src['id'] === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(src['id']) && src['id'].length <= 80 ? src['id'] : 'draft',
    version: 1,
    name: 'Draft',
    description: '',
    category: 'draft',
    brand: brand.id,
    page: page.success ? page.data : { size: 'letter' as const, bleed: 0 },
    ...(access.success && src['access'] !== undefined ? { access: access.data } : {}),
    fields,
  };
  const dropped: string[] = [];
  const seen = new Set<string>();
  const pages: Page[] = list(src['pages']).map((p) => {
    const pr = record(p);
    const zones: Zone[] = [];
    for (const z of list(pr['zones'])) {
      const id = typeof record(z)['id'] === 'string' ? (record(z)['id'] as string) : '?';
      const parsed = Zone.safeParse(z);
      // A bundle area's repeated zones are other zones of its page: checked alone, it repeats none (they are matched below).
      const own = parsed.success && parsed.data.kind === 'block-area' ? { ...parsed.data, repeat: [] } : parsed.data;
      const alone = parsed.success && !seen.has(parsed.data.id) ? checkDraft({ ...shell, pages: [{ zones: [own] }] }, brand, hasAsset) : undefined;
      // A page holds one bundle area: a second one is left out.
      const second = parsed.success && parsed.data.kind === 'block-area' && zones.some((k) => k.kind === 'block-area');
      if (parsed.success && alone?.template && alone.issues.length === 0 && !second) {
        zones.push(parsed.data);
        seen.add(parsed.data.id);
      } else dropped.push(id);
    }
    // Repeat only zones the page keeps (and may repeat), each once.
    for (const [i, zone] of zones.entries()) {
      if (zone.kind !== 'block-area') continue;
      const repeatable = new Set(zones.filter((k) => k.id !== zone.id && k.kind !== 'form-field').map((k) => k.id));
      zones[i] = { ...zone, repeat: [...new Set(zone.repeat)].filter((r) => repeatable.has(r)) };
    }
    const bg = typeof pr['background'] === 'string' ? pr['background'] : undefined;
    const keepBg = bg !== undefined && checkDraft({ ...shell, pages: [{ background: bg, zones: [] }] }, brand, hasAsset).issues.length === 0;
    return { ...(keepBg ? { background: bg } : {}), zones };
  });
  const candidate = checkDraft({ ...shell, pages: pages.length > 0 ? pages.slice(0, 200) : [{ zones: [] }] }, brand, hasAsset);
  return { template: candidate.issues.length === 0 ? candidate.template : undefined, dropped };
}

/** The template as the designer shows it while designing: every zone visible, whoever the partner. */
export function showEverything(t: Template): Template {
  const next: Template = { ...t, pages: t.pages.map((p) => ({ ...p, zones: p.zones.map(({ visibleWhen: _v, access: _a, ...z }) => z as Zone) })) };
  delete next.access;
  return next;
}
