import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import type { CsvRecord, CsvTable } from '../../core/csv.ts';
import type { Brand, PartnerProfile, PartnerProfileInput, Template } from '../../core/model/index.ts';

/** One CSV row turned into an export job. */
export interface RowJob {
  /** 1-based line of the row in the CSV file (the header is line 1). */
  line: number;
  id: string;
  profile: PartnerProfileInput;
  /** Absolute path of the row's logo file, if any. */
  logo: string | undefined;
  fields: Record<string, string>;
  outName: string;
}

export interface RowProblem {
  line: number;
  id: string | undefined;
  code: string;
  message: string;
}

export interface Shard {
  k: number;
  n: number;
}

/** Parses "K/N" (1 ≤ K ≤ N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || k < 1 || k > n) throw new LockupError('usage', `--shard must be K/N with 1 ≤ K ≤ N (for example 2/8), not "${text}"`);
  return { k, n };
}

const PROFILE_COLUMNS = ['id', 'company', 'name', 'phone', 'email', 'url', 'address', 'logo', 'tier', 'type', 'region', 'distributor'] as const;

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
}

/**
 * Maps CSV rows to export jobs. Header problems (no company/name column,
 * duplicate columns) fail the whole file; row problems (wrong number of
 * cells, empty company, unknown tier…) are reported per row and the other
 * rows go on. Only rows of the requested shard are returned.
 */
export function rowsToJobs(table: CsvTable, template: Template, brand: Brand, csvDir: string, shard: Shard = { k: 1, n: 1 }): { jobs: RowJob[]; problems: RowProblem[]; ignoredColumns: string[]; total: number } {
  const header = table.header.map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  lower.forEach((h, i) => {
    if (h === '') throw new LockupError('csv-invalid', `CSV header column ${i + 1} is empty`);
    if (lower.indexOf(h) !== i) throw new LockupError('csv-invalid', `CSV header names the column "${header[i]}" twice`);
  });
  if (!lower.includes('company') && !lower.includes('name')) {
    throw new LockupError('csv-invalid', `The CSV header needs a "company" (or "name") column; it has: ${header.join(', ')}`);
  }
  const fieldKeys = new Map(template.fields.map((f) => [f.key.toLowerCase(), f.key]));
  const ignoredColumns = header.filter((h, i) => !(PROFILE_COLUMNS as readonly string[]).includes(lower[i]!) && !fieldKeys.has(lower[i]!));
  const tiers = new Set(brand.access.tiers.map((t) => t.id));
  const types = new Set(brand.access.partnerTypes.map((t) => t.id));
  const regions = new Set(brand.access.regions.map((t) => t.id));

  // File names are decided over the whole file, so that every shard names a
  // row's PDF the same way the unsharded run would (no clashes between shards).
  const outNames = new Map<CsvRecord, { id: string; outName: string }>();
  const usedNames = new Set<string>();
  const companyAt = lower.indexOf('company') >= 0 ? lower.indexOf('company') : lower.indexOf('name');
  const idAt = lower.indexOf('id');
  for (const rec of table.records) {
    const rawId = idAt >= 0 ? (rec.cells[idAt] ?? '').trim() : '';
    const company = (rec.cells[companyAt] ?? '').trim();
    let id = slug(rawId) || slug(company) || `row-${rec.line}`;
    if (!/^[a-z0-9]/.test(id)) id = `p-${id}`;
    let outName = `${id}.pdf`;
    if (usedNames.has(outName)) outName = `${id}-row${rec.line}.pdf`;
    usedNames.add(outName);
    outNames.set(rec, { id, outName });
  }

  const jobs: RowJob[] = [];
  const problems: RowProblem[] = [];
  table.records.forEach((rec, index) => {
    if (index % shard.n !== shard.k - 1) return;
    const cell = (name: string) => {
      const i = lower.indexOf(name);
      return i >= 0 ? (rec.cells[i] ?? '').trim() : '';
    };
    const rawId = cell('id');
    const problem = (code: string, message: string) => problems.push({ line: rec.line, id: rawId || undefined, code, message });
    if (rec.cells.length !== header.length) {
      problem('csv-invalid', `row has ${rec.cells.length} value${rec.cells.length === 1 ? '' : 's'} but the header has ${header.length} columns`);
      return;
    }
    const company = cell('company') || cell('name');
    if (!company) {
      problem('profile-invalid', 'the company name is empty');
      return;
    }
    const check = (value: string, known: Set<string>, what: string) => {
      if (value && known.size > 0 && !known.has(value.toLowerCase())) {
        problem('profile-invalid', `${what} "${value}" is not one of ${[...known].join(', ')}`);
        return false;
      }
      return true;
    };
    const tier = cell('tier');
    const type = cell('type');
    const region = cell('region');
    if (!check(tier, tiers, 'tier') || !check(type, types, 'partner type') || !check(region, regions, 'region')) return;

    const { id, outName } = outNames.get(rec)!;

    const contact: Record<string, string> = {};
    for (const key of ['phone', 'email', 'url', 'address'] as const) if (cell(key)) contact[key] = cell(key);
    const profile: PartnerProfileInput = { id, company, contact };
    if (tier) profile.tier = tier.toLowerCase();
    if (type) profile.type = type.toLowerCase();
    if (region) profile.region = region.toLowerCase();
    if (cell('distributor')) profile.distributor = cell('distributor');
    const fields: Record<string, string> = {};
    header.forEach((h, i) => {
      const key = fieldKeys.get(lower[i]!);
      if (key && !(PROFILE_COLUMNS as readonly string[]).includes(lower[i]!)) fields[key] = (rec.cells[i] ?? '').trim();
    });
    const logo = cell('logo');
    jobs.push({ line: rec.line, id, profile, logo: logo ? path.resolve(csvDir, logo) : undefined, fields, outName });
  });
  return { jobs, problems, ignoredColumns, total: table.records.length };
}

/**
 * The catalogue's partner profiles as export jobs (`--partners catalogue`):
 * each profile is used as it is (its logos are catalogue assets). Ordered by
 * id so that every shard and every resume sees the same list; `line` is the
 * 1-based position in that list. `distributor` keeps only the partners of
 * one distributor (case-insensitively).
 */
export function profilesToJobs(profiles: readonly PartnerProfile[], shard: Shard = { k: 1, n: 1 }, distributor?: string): { jobs: RowJob[]; total: number; profiles: PartnerProfile[] } {
  const wanted = distributor?.trim().toLowerCase();
  const list = profiles.filter((p) => !wanted || p.distributor?.toLowerCase() === wanted).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const used = new Set<string>();
  const jobs: RowJob[] = [];
  list.forEach((profile, index) => {
    let id = slug(profile.id) || `partner-${index + 1}`;
    if (!/^[a-z0-9]/.test(id)) id = `p-${id}`;
    let outName = `${id}.pdf`;
    if (used.has(outName)) outName = `${id}-${index + 1}.pdf`;
    used.add(outName);
    if (index % shard.n !== shard.k - 1) return;
    jobs.push({ line: index + 1, id: profile.id, profile, logo: undefined, fields: {}, outName });
  });
  return { jobs, total: list.length, profiles: list };
}
