/**
 * The brand kit as the vendor workspace edits it: the saved Brand plus a
 * stable key per list row (ids are editable, so they cannot be React keys)
 * and whether a row's id still follows its name. Validation runs the same
 * schema and checks the backend runs (core/model/brand.ts,
 * core/vendor/brand-kit.ts), so Save is disabled exactly when the backend
 * would refuse, and each problem is shown at its field.
 */
import { Brand, type BrandFont, type BrandInput, type BrandLogo, type BrandRules, type PaletteEntry } from '../../../core/model/brand.ts';
import { describeIssues } from '../../../core/model/validate.ts';
import { brandIssues, slugId, uniqueId } from '../../../core/vendor/brand-kit.ts';
import type { BrandItemKind, BrandUsage } from '../../../core/vendor/usage.ts';

export interface Named {
  id: string;
  name: string;
}

export interface Row<T> {
  key: string;
  value: T;
  /** The id is derived from the name until the vendor edits the id (new rows only). */
  autoId: boolean;
  /** The id this row had when the brand was loaded (undefined for new rows). */
  origId?: string | undefined;
}

export type AccessKey = 'tiers' | 'partnerTypes' | 'regions' | 'certifications';
export const ACCESS_KEYS: readonly AccessKey[] = ['tiers', 'partnerTypes', 'regions', 'certifications'];

export interface Draft {
  id: string;
  name: string;
  palette: Row<PaletteEntry>[];
  fonts: Row<BrandFont>[];
  logos: Row<BrandLogo>[];
  fallbackFonts: Brand['fallbackFonts'];
  rules: BrandRules;
  access: Record<AccessKey, Row<Named>[]>;
}

let counter = 0;
export const newKey = () => `k${++counter}`;

const rows = <T extends { id: string }>(list: readonly T[]): Row<T>[] => list.map((value) => ({ key: newKey(), value: structuredClone(value), autoId: false, origId: value.id }));

export function fromBrand(brand: Brand): Draft {
  return {
    id: brand.id,
    name: brand.name,
    palette: rows(brand.palette),
    fonts: rows(brand.fonts),
    logos: rows(brand.logos),
    fallbackFonts: structuredClone(brand.fallbackFonts),
    rules: structuredClone(brand.rules),
    access: {
      tiers: rows(brand.access.tiers),
      partnerTypes: rows(brand.access.partnerTypes),
      regions: rows(brand.access.regions),
      certifications: rows(brand.access.certifications),
    },
  };
}

const rebaseRows = <T extends { id: string }>(list: Row<T>[]): Row<T>[] => list.map((r) => ({ ...r, autoId: false, origId: r.value.id }));

/** After a save the saved ids become the rows' original ids, and new rows stop following their names (keys stay, so focus stays). */
export function rebase(d: Draft): Draft {
  return {
    ...d,
    palette: rebaseRows(d.palette),
    fonts: rebaseRows(d.fonts),
    logos: rebaseRows(d.logos),
    access: { tiers: rebaseRows(d.access.tiers), partnerTypes: rebaseRows(d.access.partnerTypes), regions: rebaseRows(d.access.regions), certifications: rebaseRows(d.access.certifications) },
  };
}

export function toBrand(d: Draft): BrandInput {
  const values = <T>(list: Row<T>[]) => list.map((r) => r.value);
  return {
    format: 'lockup.brand',
    formatVersion: 1,
    id: d.id,
    name: d.name,
    palette: values(d.palette),
    fonts: values(d.fonts),
    fallbackFonts: d.fallbackFonts,
    logos: values(d.logos),
    rules: d.rules,
    access: {
      tiers: values(d.access.tiers),
      partnerTypes: values(d.access.partnerTypes),
      regions: values(d.access.regions),
      certifications: values(d.access.certifications),
    },
  };
}

/** JSON with object keys sorted, so two brands compare by content whatever order their keys were built in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** zod's generic wording, in the words of a form. */
export function friendly(message: string): string {
  if (/received NaN|expected number, received/.test(message)) return 'Enter a number';
  if (/expected string to have >=1 characters/.test(message)) return 'Required';
  let m = /expected (?:number|string) to (?:be|have) <=\s*([\d.]+)( characters)?/.exec(message);
  if (m) return m[2] ? `At most ${m[1]} characters` : `At most ${m[1]}`;
  m = /expected (?:number|string) to (?:be|have) >=?\s*([\d.]+)/.exec(message);
  if (m) return /expected number to be >0/.test(message) ? 'Must be more than 0' : `At least ${m[1]}`;
  if (/expected array to have >=1 items/.test(message)) return 'Add at least one';
  if (/^must be lower-case letters/.test(message)) return 'Use lower-case letters, digits, ".", "_" or "-" (no spaces)';
  if (/^must be a length/.test(message)) return 'Enter a size';
  return message.charAt(0).toUpperCase() + message.slice(1);
}

const LIST_PATH: Record<BrandItemKind, string> = {
  tiers: 'access.tiers',
  partnerTypes: 'access.partnerTypes',
  regions: 'access.regions',
  certifications: 'access.certifications',
  palette: 'palette',
  fonts: 'fonts',
  logos: 'logos',
};

function listOf(d: Draft, kind: BrandItemKind): Row<{ id: string }>[] {
  return kind === 'palette' || kind === 'fonts' || kind === 'logos' ? d[kind] : d.access[kind];
}

/**
 * Problems by JSON path ("palette[2].hex"), in the order the schema reports
 * them, then items templates use whose id was changed or removed (the
 * backend refuses those saves with `in-use`).
 */
export function validate(d: Draft, usage?: BrandUsage): Map<string, string> {
  const out = new Map<string, string>();
  const parsed = Brand.safeParse(toBrand(d));
  if (!parsed.success) {
    for (const issue of describeIssues(parsed.error)) if (!out.has(issue.path)) out.set(issue.path, friendly(issue.message));
  } else {
    for (const issue of brandIssues(parsed.data)) if (!out.has(issue.path)) out.set(issue.path, friendly(issue.message));
  }
  // The schema flags the second of two equal ids; the vendor may have just typed the first, so flag both.
  for (const kind of Object.keys(LIST_PATH) as BrandItemKind[]) {
    const list = listOf(d, kind);
    list.forEach((row, i) => {
      const path = `${LIST_PATH[kind]}[${i}].id`;
      if (!out.has(path) && row.value.id !== '' && list.some((other, j) => j !== i && other.value.id === row.value.id)) out.set(path, `Duplicate id "${row.value.id}"`);
    });
  }
  if (usage) {
    for (const kind of Object.keys(LIST_PATH) as BrandItemKind[]) {
      const list = listOf(d, kind);
      list.forEach((row, i) => {
        const templates = row.origId !== undefined && row.value.id !== row.origId ? usedBy(usage, kind, row.origId) : [];
        const path = `${LIST_PATH[kind]}[${i}].id`;
        if (templates.length > 0 && !out.has(path)) out.set(path, `Keep the id "${row.origId}": ${templates.join(', ')} ${templates.length === 1 ? 'uses' : 'use'} it`);
      });
      const present = new Set(list.map((r) => r.value.id));
      for (const [id, templates] of Object.entries(usage[kind])) {
        const renamed = list.some((r) => r.origId === id);
        if (!present.has(id) && !renamed && !out.has(LIST_PATH[kind])) out.set(LIST_PATH[kind], `"${id}" is used by ${templates.join(', ')}`);
      }
    }
  }
  return out;
}

/** A DOM id for the input that edits `path`, so a problem can move focus to its field. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}`;
}

/** The first id derived from `name` that no other row of the list uses. */
export function deriveId<T extends { id: string }>(name: string, list: Row<T>[], key: string, fallback: string): string {
  return uniqueId(slugId(name, fallback), list.filter((r) => r.key !== key).map((r) => r.value.id));
}

/** Templates that use an item, or an empty list. */
export function usedBy(usage: BrandUsage | undefined, kind: BrandItemKind, id: string): string[] {
  return usage?.[kind][id] ?? [];
}

/** Moves row `index` by `delta` (−1 up, +1 down); out-of-range moves change nothing. */
export function move<T>(list: T[], index: number, delta: number): void {
  const to = index + delta;
  if (to < 0 || to >= list.length) return;
  const [row] = list.splice(index, 1);
  list.splice(to, 0, row!);
}
