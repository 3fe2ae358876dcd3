import type { Database } from 'better-sqlite3';
import { Dashboard, DashboardFilters, type DashboardFiltersInput, type DashboardTable } from '../../core/contracts/insights-api.ts';
import { toCsv } from '../../core/csv.ts';
import { ANY } from './rollups.ts';

/**
 * The vendor's channel dashboards, read from the pre-aggregated tables of
 * backend/insights/rollups.ts (migration 0010). Each query reads one rollup
 * table (or one covering index), so none grows with the number of events.
 *
 * Definitions (amounts are whole cents):
 * - partners: partners known (insight_partners: every partner a report described, with or without events)
 *   in the tier / region filter; the period does not apply.
 * - activePartners: of those, partners with any event in the period.
 * - trainingPassed: partners with a passing quiz result in the period; completionRate = trainingPassed / partners.
 * - events / exports: events, and collateral exports (kind "export"), in the period; attributed to the
 *   distributor, tier and region the partner had in the report that carried them.
 * - MDF: requests made in the period (by the request's month); requested = budgets asked, approvedAmount =
 *   the approving decision's budget (else the request's), pipeline = expected pipeline of all requests,
 *   approvedPipeline = of approved ones. totals.mdfRequested / mdfApproved and monthly.mdfRequested are amounts.
 * - topTemplates / topPlaybooks: the first `top` (default 20) by exports (templates) or steps done (playbooks);
 *   CSV exports carry every row.
 */

type Named = { id: string; name: string };
type Filters = DashboardFilters;

export interface DashboardOptions {
  /** How many templates and playbooks to list; default 20. */
  top?: number;
}

const DIRECT = 'direct';

export function dashboardQuery(db: Database, input: DashboardFiltersInput, opts: DashboardOptions = {}): Dashboard {
  const filters = DashboardFilters.parse(input);
  const top = opts.top ?? 20;
  const timings: Record<string, number> = {};
  const timed = <T>(name: string, fn: () => T): T => {
    const t = performance.now();
    const r = fn();
    timings[name] = Math.round((performance.now() - t) * 100) / 100;
    return r;
  };
  const from = filters.from ?? '0000-01';
  const to = filters.to ?? '9999-12';
  const dimWhere = [filters.tier !== null ? 'tier = @tier' : '', filters.region !== null ? 'region = @region' : ''].filter(Boolean);
  const and = (extra: string[]): string => (extra.length ? ' AND ' + extra.join(' AND ') : '');
  const params = { from, to, tier: filters.tier ?? '', region: filters.region ?? '', T: filters.tier ?? ANY, R: filters.region ?? ANY, fy: Number(from.slice(0, 4)), fm: Number(from.slice(5, 7)), ty: Number(to.slice(0, 4)), tm: Number(to.slice(5, 7)) };
  const pick = <K extends string>(sql: string, keys: K[]): Record<K, unknown> => Object.fromEntries(keys.filter((k) => sql.includes('@' + k)).map((k) => [k, params[k as keyof typeof params]])) as Record<K, unknown>;
  const all = <T>(sql: string): T[] => db.prepare(sql).all(pick(sql, ['from', 'to', 'tier', 'region', 'T', 'R', 'fy', 'fm', 'ty', 'tm'])) as T[];

  // Options and names: small tables.
  const names = timed('names', () => catalogueNames(db));
  const options = timed('options', () => {
    const months = all<{ month: string }>("SELECT DISTINCT month FROM insight_rollup_counts WHERE tier = '*' AND region = '*' ORDER BY month").map((r) => r.month);
    // Tiers and regions seen in activity (the monthly partner rollup is small: grains × months).
    const tiers = all<{ v: string }>("SELECT DISTINCT tier AS v FROM insight_rollup_monthly_partners WHERE region = '*' AND tier NOT IN ('*', '') ORDER BY tier").map((r) => named(r.v, names.tiers));
    const regions = all<{ v: string }>("SELECT DISTINCT region AS v FROM insight_rollup_monthly_partners WHERE tier = '*' AND region NOT IN ('*', '') ORDER BY region").map((r) => named(r.v, names.regions));
    tiers.sort((a, b) => (names.tierRank.get(a.id) ?? 1e9) - (names.tierRank.get(b.id) ?? 1e9) || a.id.localeCompare(b.id));
    return { months, tiers, regions };
  });

  // Partners known (every partner a report described, latest report wins), per distributor and tier.
  const known = timed('partners', () => all<{ d: string; t: string; n: number }>(
      // Grouped in the order of the index insight_partners_by_dims (tier, region, distributor_id), so no sort: a covering scan.
      `SELECT distributor_id AS d, coalesce(tier, '') AS t, count(*) AS n FROM insight_partners WHERE 1${and(dimWhere)} GROUP BY tier, region, distributor_id`,
    ));

  // Active / attempted / passed partners in the period, per distributor and tier: one scan of the partner-year masks.
  // The months of each year inside the period, as a 12-bit mask: only the first and last years are partial.
  // (Constants, not arithmetic per row: this scan is the dashboard's largest.)
  const bits = (lo: number, hi: number) => (1 << hi) - (1 << (lo - 1));
  const firstMask = params.fy === params.ty ? bits(params.fm, params.tm) : bits(params.fm, 12);
  const lastMask = bits(1, params.tm);
  const m = (col: string) => `(${col} & CASE year WHEN ${params.fy} THEN ${firstMask} WHEN ${params.ty} THEN ${lastMask} ELSE 4095 END) <> 0`;
  const activity = timed('activity', () =>
    all<{ d: string; t: string; a: number; q: number; p: number }>(
      filters.from === null && filters.to === null
        ? // All time: the partners' year-0 rows ("ever"), one per partner.
          `SELECT distributor_id AS d, tier AS t, sum(active <> 0) AS a, sum(attempted <> 0) AS q, sum(passed <> 0) AS p
           FROM insight_rollup_partner_years WHERE year = 0${and(dimWhere)} GROUP BY distributor_id, tier`
        : params.fy === params.ty
          ? // Within one calendar year: one row per partner, no grouping across years.
            `SELECT distributor_id AS d, tier AS t, sum((active & ${firstMask}) <> 0) AS a, sum((attempted & ${firstMask}) <> 0) AS q, sum((passed & ${firstMask}) <> 0) AS p
             FROM insight_rollup_partner_years WHERE year = ${params.fy}${and(dimWhere)} GROUP BY distributor_id, tier`
          : // Across years: a partner counts once, whichever years it was active in (year 0 is "ever", not a year).
            // Only rows active in the period take part (a quiz result is an event, so attempted or passed implies active).
            `SELECT d, t, count(*) AS a, sum(q) AS q, sum(p) AS p FROM (
               SELECT distributor_id AS d, tier AS t, max(${m('attempted')}) AS q, max(${m('passed')}) AS p
               FROM insight_rollup_partner_years WHERE year BETWEEN ${Math.max(1, params.fy)} AND @ty AND ${m('active')}${and(dimWhere)} GROUP BY partner_key
             ) GROUP BY d, t`,
    ),
  );

  // Per month: partners active and partners that passed (kept per month by the rollups).
  const monthBits = timed('monthly-partners', () => {
    const rows = all<{ month: string; active: number; passed: number }>('SELECT month, active, passed FROM insight_rollup_monthly_partners WHERE tier = @T AND region = @R AND month BETWEEN @from AND @to');
    return new Map(rows.map((r) => [r.month, { active: r.active, passed: r.passed }]));
  });

  // Event counts per month, distributor and kind.
  const counts = timed('counts', () =>
    all<{ month: string; d: string; kind: string; n: number }>('SELECT month, distributor_id AS d, kind, n FROM insight_rollup_counts WHERE tier = @T AND region = @R AND month BETWEEN @from AND @to'),
  );

  // Templates and playbooks.
  const subjects = timed('subjects', () =>
    all<{ kind: string; subject: string; n: number }>(
      "SELECT kind, subject, sum(n) AS n FROM insight_rollup_subjects WHERE tier = @T AND region = @R AND kind IN ('template-open', 'export', 'playbook-step', 'playbook-export') AND month BETWEEN @from AND @to GROUP BY kind, subject",
    ),
  );

  // MDF requests made in the period.
  const mdf = timed('mdf', () =>
    // Added up in SQL at the three grains the tables need: per distributor (and status, currency), per activity type, per month.
    all<MdfRow>(
      `WITH s AS (SELECT * FROM insight_rollup_mdf_totals WHERE tier = @T AND region = @R AND month BETWEEN @from AND @to AND n > 0)
       SELECT 'd' AS g, distributor_id AS d, '' AS act, '' AS month, status, currency, sum(n) AS n, sum(budget) AS budget, sum(pipeline) AS pipeline, sum(approved_amount) AS approved FROM s GROUP BY distributor_id, status, currency
       UNION ALL SELECT 'a', '', activity_type, '', status, '', sum(n), sum(budget), sum(pipeline), sum(approved_amount) FROM s GROUP BY activity_type, status
       UNION ALL SELECT 'm', '', '', month, '', '', sum(n), sum(budget), sum(pipeline), sum(approved_amount) FROM s GROUP BY month`,
    ),
  );

  return timed('assemble', () => assemble(filters, top, names, options, known, activity, monthBits, counts, subjects, mdf, timings));
}

interface MdfRow {
  /** Which grain: d (distributor, status, currency), a (activity type, status), m (month). */
  g: 'd' | 'a' | 'm';
  d: string;
  act: string;
  month: string;
  status: string;
  currency: string;
  n: number;
  budget: number;
  pipeline: number;
  approved: number;
}

interface Names {
  db: Database;
  templates: Map<string, string>;
  playbooks: Map<string, string>;
  tiers: Map<string, string>;
  tierRank: Map<string, number>;
  regions: Map<string, string>;
  distributors: Map<string, string>;
  activities: Map<string, string>;
  /** The MDF program's currency, for a dashboard without requests. */
  currency: string;
}

function catalogueNames(db: Database): Names {
  const map = (sql: string): Map<string, string> => new Map((db.prepare(sql).all() as { id: string; name: string }[]).map((r) => [r.id, r.name]));
  return {
    db,
    templates: map('SELECT template_id AS id, name FROM template_versions v WHERE version = (SELECT max(version) FROM template_versions w WHERE w.template_id = v.template_id)'),
    playbooks: map('SELECT id, name FROM playbooks'),
    tiers: map('SELECT id, min(name) AS name FROM access_tiers GROUP BY id'),
    tierRank: new Map((db.prepare('SELECT id, min(rank) AS rank FROM access_tiers GROUP BY id').all() as { id: string; rank: number }[]).map((r) => [r.id, r.rank])),
    regions: map('SELECT id, min(name) AS name FROM regions GROUP BY id'),
    distributors: map('SELECT id, name FROM insight_rollup_distributors'),
    // Activity types as the MDF programs in this catalogue name them.
    currency: (db.prepare("SELECT json_extract(body, '$.currency') AS c FROM mdf_programs ORDER BY brand_id LIMIT 1").get() as { c: string | null } | undefined)?.c ?? 'USD',
    activities: map("SELECT json_extract(t.value, '$.id') AS id, min(json_extract(t.value, '$.name')) AS name FROM mdf_programs p, json_each(p.body, '$.activityTypes') t GROUP BY 1"),
  };
}

function named(id: string, names: Map<string, string>, fallback?: string): Named {
  return { id, name: names.get(id) ?? fallback ?? id };
}

function distributorName(id: string, names: Names): Named {
  if (!names.distributors.has(id)) {
    // A distributor whose partners have no events yet: its name as the importer recorded it.
    const row = names.db.prepare('SELECT distributor_name AS name FROM insight_partners WHERE distributor_id = ? LIMIT 1').get(id) as { name: string } | undefined;
    names.distributors.set(id, row?.name ?? (id === DIRECT ? 'Direct' : id));
  }
  return named(id, names.distributors);
}

function tierName(id: string, names: Names): Named {
  return id === '' ? { id: '', name: 'No tier' } : named(id, names.tiers);
}

function inc<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function byName(a: { name: string; id: string }, b: { name: string; id: string }): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

function assemble(
  filters: Filters,
  top: number,
  names: Names,
  options: Dashboard['options'],
  known: { d: string; t: string; n: number }[],
  activity: { d: string; t: string; a: number; q: number; p: number }[],
  monthBits: Map<string, { active: number; passed: number }>,
  counts: { month: string; d: string; kind: string; n: number }[],
  subjects: { kind: string; subject: string; n: number }[],
  mdf: MdfRow[],
  timings: Record<string, number>,
): Dashboard {
  // Engagement per distributor and training per tier.
  const eng = new Map<string, { partners: number; active: number; exports: number; passed: number }>();
  const engRow = (d: string) => eng.get(d) ?? (eng.set(d, { partners: 0, active: 0, exports: 0, passed: 0 }), eng.get(d)!);
  const tiers = new Map<string, { partners: number; attempted: number; passed: number }>();
  const tierRow = (t: string) => tiers.get(t) ?? (tiers.set(t, { partners: 0, attempted: 0, passed: 0 }), tiers.get(t)!);
  for (const k of known) {
    engRow(k.d).partners += k.n;
    tierRow(k.t).partners += k.n;
  }
  for (const a of activity) {
    engRow(a.d).active += a.a;
    engRow(a.d).passed += a.p;
    tierRow(a.t).attempted += a.q;
    tierRow(a.t).passed += a.p;
  }
  const monthly = new Map<string, { exports: number; mdf: number }>();
  let events = 0;
  let exports = 0;
  for (const c of counts) {
    events += c.n;
    if (!monthly.has(c.month)) monthly.set(c.month, { exports: 0, mdf: 0 });
    if (c.kind === 'export') {
      exports += c.n;
      monthly.get(c.month)!.exports += c.n;
      if (c.d !== '') engRow(c.d).exports += c.n;
    }
  }
  const engagement = [...eng.entries()]
    .filter(([d]) => d !== '')
    .map(([d, r]) => ({ distributor: distributorName(d, names), partners: r.partners, activePartners: r.active, exports: r.exports, trainingPassed: r.passed, completionRate: r.partners ? r.passed / r.partners : 0 }))
    .sort((a, b) => b.activePartners - a.activePartners || b.partners - a.partners || byName(a.distributor, b.distributor));
  const trainingByTier = [...tiers.entries()]
    .map(([t, r]) => ({ tier: tierName(t, names), partners: r.partners, attempted: r.attempted, passed: r.passed, rate: r.partners ? r.passed / r.partners : 0 }))
    .sort((a, b) => (a.tier.id === '' ? 1 : 0) - (b.tier.id === '' ? 1 : 0) || (names.tierRank.get(a.tier.id) ?? 1e9) - (names.tierRank.get(b.tier.id) ?? 1e9) || a.tier.id.localeCompare(b.tier.id));

  // Templates and playbooks.
  const tpl = new Map<string, { exports: number; opens: number }>();
  const pb = new Map<string, { steps: number; exports: number }>();
  for (const s of subjects) {
    if (s.kind === 'export' || s.kind === 'template-open') {
      const r = tpl.get(s.subject) ?? (tpl.set(s.subject, { exports: 0, opens: 0 }), tpl.get(s.subject)!);
      if (s.kind === 'export') r.exports += s.n;
      else r.opens += s.n;
    } else {
      const r = pb.get(s.subject) ?? (pb.set(s.subject, { steps: 0, exports: 0 }), pb.get(s.subject)!);
      if (s.kind === 'playbook-step') r.steps += s.n;
      else r.exports += s.n;
    }
  }
  const topTemplates = [...tpl.entries()]
    .map(([id, r]) => ({ template: named(id, names.templates), exports: r.exports, opens: r.opens }))
    .sort((a, b) => b.exports - a.exports || b.opens - a.opens || a.template.id.localeCompare(b.template.id))
    .slice(0, top);
  const topPlaybooks = [...pb.entries()]
    .map(([id, r]) => ({ playbook: named(id, names.playbooks), steps: r.steps, exports: r.exports }))
    .sort((a, b) => b.steps - a.steps || b.exports - a.exports || a.playbook.id.localeCompare(b.playbook.id))
    .slice(0, top);

  // MDF. Amounts are summed as they are: a vendor runs its program in one currency; if requests came in
  // several, the dashboard is labelled with the most common one (ties: alphabetical) — the amounts are not converted.
  type MdfAgg = { requests: number; requested: number; approved: number; vetoed: number; rejected: number; pending: number; approvedAmount: number; pipeline: number; approvedPipeline: number };
  const zero = (): MdfAgg => ({ requests: 0, requested: 0, approved: 0, vetoed: 0, rejected: 0, pending: 0, approvedAmount: 0, pipeline: 0, approvedPipeline: 0 });
  const byDist = new Map<string, MdfAgg>();
  const byAct = new Map<string, MdfAgg>();
  const currencies = new Map<string, number>();
  const total = zero();
  for (const m of mdf) {
    if (m.g === 'm') {
      if (!monthly.has(m.month)) monthly.set(m.month, { exports: 0, mdf: 0 });
      monthly.get(m.month)!.mdf += m.budget;
      continue;
    }
    if (m.g === 'd' && m.currency) inc(currencies, m.currency, m.n);
    const aggs = m.g === 'd' ? [byDist.get(m.d) ?? (byDist.set(m.d, zero()), byDist.get(m.d)!), total] : [byAct.get(m.act) ?? (byAct.set(m.act, zero()), byAct.get(m.act)!)];
    for (const agg of aggs) {
      agg.requests += m.n;
      agg.requested += m.budget;
      agg.pipeline += m.pipeline;
      agg.approvedAmount += m.approved;
      if (m.status === 'approved') {
        agg.approved += m.n;
        agg.approvedPipeline += m.pipeline;
      } else if (m.status === 'vetoed') agg.vetoed += m.n;
      else if (m.status === 'rejected') agg.rejected += m.n;
      else agg.pending += m.n;
    }
  }
  const currency = [...currencies.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? names.currency;
  const mdfByDistributor = [...byDist.entries()].map(([d, a]) => ({ distributor: distributorName(d, names), ...a })).sort((a, b) => b.requested - a.requested || byName(a.distributor, b.distributor));
  const mdfByActivity = [...byAct.entries()]
    .map(([act, a]) => ({ activity: act === '' ? { id: '', name: 'Unspecified' } : named(act, names.activities), requests: a.requests, requested: a.requested, approved: a.approved, vetoed: a.vetoed, approvedAmount: a.approvedAmount, pipeline: a.pipeline }))
    .sort((a, b) => b.requested - a.requested || a.activity.id.localeCompare(b.activity.id));

  // Months with events, requests, or partners active (a partner that moved tier brings its months along).
  for (const [m, b] of monthBits) if ((b.active > 0 || b.passed > 0) && !monthly.has(m)) monthly.set(m, { exports: 0, mdf: 0 });
  const months = [...monthly.keys()].sort();
  let partners = 0;
  for (const k of known) partners += k.n;
  let activePartners = 0;
  let trainingPassed = 0;
  for (const a of activity) {
    activePartners += a.a;
    trainingPassed += a.p;
  }
  return {
    filters,
    options,
    currency,
    totals: { partners, activePartners, events, exports, trainingPassed, mdfRequested: total.requested, mdfApproved: total.approvedAmount, pipeline: total.pipeline },
    engagement,
    topTemplates,
    topPlaybooks,
    trainingByTier,
    mdfByDistributor,
    mdfByActivity,
    monthly: months.map((month) => ({ month, activePartners: monthBits.get(month)?.active ?? 0, exports: monthly.get(month)!.exports, trainingPassed: monthBits.get(month)?.passed ?? 0, mdfRequested: monthly.get(month)!.mdf })),
    timings,
  };
}

/** Whole cents as a decimal amount ("1234.50") for spreadsheets. */
function amount(c: number): string {
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

function rate(r: number): string {
  return String(Math.round(r * 10000) / 10000);
}

/** One dashboard table as CSV (every row; cells a spreadsheet would run as a formula are escaped by core/csv.ts). */
export function dashboardCsv(db: Database, table: DashboardTable, input: DashboardFiltersInput): { csv: string; rows: number } {
  const d = dashboardQuery(db, input, { top: Number.MAX_SAFE_INTEGER });
  const cur = d.currency;
  const n = String;
  let header: string[];
  let rows: string[][];
  switch (table) {
    case 'engagement':
      header = ['distributor_id', 'distributor', 'partners', 'active_partners', 'exports', 'training_passed', 'completion_rate'];
      rows = d.engagement.map((r) => [r.distributor.id, r.distributor.name, n(r.partners), n(r.activePartners), n(r.exports), n(r.trainingPassed), rate(r.completionRate)]);
      break;
    case 'top-templates':
      header = ['template_id', 'template', 'exports', 'opens'];
      rows = d.topTemplates.map((r) => [r.template.id, r.template.name, n(r.exports), n(r.opens)]);
      break;
    case 'top-playbooks':
      header = ['playbook_id', 'playbook', 'steps_done', 'exports'];
      rows = d.topPlaybooks.map((r) => [r.playbook.id, r.playbook.name, n(r.steps), n(r.exports)]);
      break;
    case 'training-by-tier':
      header = ['tier_id', 'tier', 'partners', 'attempted', 'passed', 'rate'];
      rows = d.trainingByTier.map((r) => [r.tier.id, r.tier.name, n(r.partners), n(r.attempted), n(r.passed), rate(r.rate)]);
      break;
    case 'mdf-by-distributor':
      header = ['distributor_id', 'distributor', 'requests', `requested_${cur}`, 'approved', 'vetoed', 'rejected', 'pending', `approved_amount_${cur}`, `pipeline_${cur}`, `approved_pipeline_${cur}`];
      rows = d.mdfByDistributor.map((r) => [r.distributor.id, r.distributor.name, n(r.requests), amount(r.requested), n(r.approved), n(r.vetoed), n(r.rejected), n(r.pending), amount(r.approvedAmount), amount(r.pipeline), amount(r.approvedPipeline)]);
      break;
    case 'mdf-by-activity':
      header = ['activity_type', 'activity', 'requests', `requested_${cur}`, 'approved', 'vetoed', `approved_amount_${cur}`, `pipeline_${cur}`];
      rows = d.mdfByActivity.map((r) => [r.activity.id, r.activity.name, n(r.requests), amount(r.requested), n(r.approved), n(r.vetoed), amount(r.approvedAmount), amount(r.pipeline)]);
      break;
    case 'monthly':
      header = ['month', 'active_partners', 'exports', 'training_passed', `mdf_requested_${cur}`];
      rows = d.monthly.map((r) => [r.month, n(r.activePartners), n(r.exports), n(r.trainingPassed), amount(r.mdfRequested)]);
      break;
  }
  return { csv: toCsv(header, rows), rows: rows.length };
}
