import type { AccessPolicy } from '../model/access.ts';
import type { Brand } from '../model/brand.ts';
import type { Condition } from '../model/condition.ts';
import type { Template } from '../model/template.ts';

/**
 * What in a brand kit a published template depends on. The vendor workspace
 * refuses to remove (or rename) any of these while a template uses it: the
 * template would stop compiling, or its access policy would name a tier no
 * partner can hold.
 */
export type BrandItemKind = 'tiers' | 'partnerTypes' | 'regions' | 'certifications' | 'palette' | 'fonts' | 'logos';

export const BRAND_ITEM_KINDS: readonly BrandItemKind[] = ['tiers', 'partnerTypes', 'regions', 'certifications', 'palette', 'fonts', 'logos'];

/** Singular nouns for messages ("tier", "palette colour"). */
export const BRAND_ITEM_NOUN: Record<BrandItemKind, string> = {
  tiers: 'tier',
  partnerTypes: 'partner type',
  regions: 'region',
  certifications: 'certification',
  palette: 'palette colour',
  fonts: 'font',
  logos: 'logo',
};

/** kind → item id → names of the templates that use it (each name once, in template order). */
export type BrandUsage = Record<BrandItemKind, Record<string, string[]>>;

const CONDITION_KIND: Record<string, BrandItemKind | undefined> = { tier: 'tiers', type: 'partnerTypes', region: 'regions' };
const HEX = /^#[0-9A-Fa-f]{6}$/;

function emptyUsage(): BrandUsage {
  return { tiers: {}, partnerTypes: {}, regions: {}, certifications: {}, palette: {}, fonts: {}, logos: {} };
}

/** A playbook or training module of the brand: its access policy, or the certification a pass grants (issue #7). */
export interface LearningUse {
  /** How it is named in messages, e.g. `playbook "Launch" (launch)`. */
  label: string;
  access?: AccessPolicy | undefined;
  grants?: string | undefined;
}

/** Which brand items each template (and playbook or training module) refers to: access policies, visibility conditions, colours, fonts and logos. */
export function brandUsage(templates: readonly Template[], learning: readonly LearningUse[] = []): BrandUsage {
  const usage = emptyUsage();
  for (const l of learning) {
    const add = (kind: BrandItemKind, id: string) => {
      const list = (usage[kind][id] ??= []);
      if (!list.includes(l.label)) list.push(l.label);
    };
    if (l.access?.minTier) add('tiers', l.access.minTier);
    for (const id of l.access?.partnerTypes ?? []) add('partnerTypes', id);
    for (const id of l.access?.regions ?? []) add('regions', id);
    for (const id of [...(l.access?.certifications ?? []), ...(l.access?.orCertified ?? [])]) add('certifications', id);
    if (l.grants) add('certifications', l.grants);
  }
  for (const t of templates) {
    const label = `"${t.name}" (${t.id})`;
    const use = (kind: BrandItemKind, id: string | undefined) => {
      if (id === undefined) return;
      const list = (usage[kind][id] ??= []);
      if (!list.includes(label)) list.push(label);
    };
    const color = (ref: string | undefined) => {
      // A literal "#RRGGBB" is not a palette entry (the palette-only rule flags it instead).
      if (ref !== undefined && !HEX.test(ref)) use('palette', ref);
    };
    const policy = (p: AccessPolicy | undefined) => {
      if (!p) return;
      use('tiers', p.minTier);
      for (const id of p.partnerTypes ?? []) use('partnerTypes', id);
      for (const id of p.regions ?? []) use('regions', id);
      for (const id of p.certifications ?? []) use('certifications', id);
      for (const id of p.orCertified ?? []) use('certifications', id);
    };
    const condition = (c: Condition | undefined): void => {
      if (!c) return;
      if ('equals' in c) {
        const kind = CONDITION_KIND[c.equals.attr];
        if (kind) use(kind, c.equals.value);
      } else if ('in' in c) {
        const kind = CONDITION_KIND[c.in.attr];
        if (kind) for (const v of c.in.values) use(kind, v);
      } else if ('all' in c) c.all.forEach(condition);
      else if ('any' in c) c.any.forEach(condition);
      else if ('not' in c) condition(c.not);
    };

    policy(t.access);
    for (const page of t.pages) {
      color(page.background);
      for (const z of page.zones) {
        policy(z.access);
        condition(z.visibleWhen);
        switch (z.kind) {
          case 'color-block':
            color(z.fill);
            break;
          case 'image':
            color(z.tone);
            break;
          case 'vendor-logo':
            if (z.logo !== 'auto') use('logos', z.logo);
            color(z.background);
            break;
          case 'partner-logo':
            color(z.background);
            break;
          case 'lockup':
            if (z.vendorLogo !== 'auto') use('logos', z.vendorLogo);
            color(z.separatorColor);
            color(z.background);
            break;
          case 'static-text':
            use('fonts', z.style.font);
            color(z.style.color);
            color(z.background);
            break;
          case 'partner-text':
            use('fonts', z.style.font);
            color(z.style.color);
            color(z.background);
            for (const f of z.fonts ?? []) use('fonts', f);
            for (const c of z.colors ?? []) color(c);
            break;
          case 'form-field':
            use('fonts', z.style.font);
            color(z.style.color);
            color(z.border);
            color(z.background);
            break;
          case 'block-area':
            use('fonts', z.style.font);
            use('fonts', z.style.bold);
            for (const c of [z.style.color, z.style.muted, z.style.accent, z.style.card, z.style.headingColor]) color(c);
            break;
        }
      }
    }
  }
  return usage;
}

export interface ItemInUse {
  kind: BrandItemKind;
  id: string;
  templates: string[];
}

function idsOf(brand: Pick<Brand, 'palette' | 'fonts' | 'logos' | 'access'>, kind: BrandItemKind): Set<string> {
  const list = kind === 'palette' || kind === 'fonts' || kind === 'logos' ? brand[kind] : brand.access[kind];
  return new Set(list.map((e) => e.id));
}

/** Items a template uses that `next` no longer has (removed, or renamed to another id). */
export function missingInUse(next: Pick<Brand, 'palette' | 'fonts' | 'logos' | 'access'>, usage: BrandUsage): ItemInUse[] {
  const out: ItemInUse[] = [];
  for (const kind of BRAND_ITEM_KINDS) {
    const have = idsOf(next, kind);
    for (const [id, templates] of Object.entries(usage[kind])) if (!have.has(id)) out.push({ kind, id, templates });
  }
  return out;
}

/** One sentence per item: 'The tier "gold" is used by "Case study" (case-study-gold); …'. */
export function describeInUse(items: readonly ItemInUse[]): string {
  return items.map((i) => `The ${BRAND_ITEM_NOUN[i.kind]} "${i.id}" is used by ${i.templates.join(', ')}`).join('; ');
}
