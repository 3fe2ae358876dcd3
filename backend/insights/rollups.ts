import type { Database, Statement } from 'better-sqlite3';
import type { ImportedEvent, PartnerDim, Rollups } from './types.ts';

/**
 * The dashboards' pre-aggregated tables (migration 0010-insight-rollups).
 * The importer calls `add` once per newly stored event and `flush` at the
 * end, inside its transaction. Counts are buffered in memory and written
 * as upserts when FLUSH_KEYS distinct keys are buffered (or FLUSH_EVERY
 * events), so memory stays bounded whatever the size of the import, while
 * keys that repeat (most do) are written once per flush.
 * They are buffered at the finest grain and added up at the four grains
 * (see migration 0010) only when flushed.
 *
 * Attribution: event counts go to the distributor, tier and region the
 * partner had in the report that carried the event; partner counts (active,
 * trained) use the partner's latest dimensions. An event without a partner
 * counts under no distributor, tier or region ('').
 *
 * MDF: one fact per request id. Its request fields come from the latest
 * mdf-request event about it and its decision from the latest mdf-decision
 * (by time, then source and seq), whichever arrives first, so the result
 * does not depend on import order. Status: the latest decision's
 * (approved / rejected; changes-requested is pending); without a decision,
 * auto-vetoed → vetoed, auto-approved → approved, else pending. A request
 * whose request event has not arrived yet (only a decision) is not counted.
 */

/** Write the buffers out after this many events, or sooner when they hold this many keys (bounded memory, ~50 MB). */
export const FLUSH_EVERY = 1_000_000;
export const FLUSH_KEYS = 200_000;

/** Kinds whose subjects are ranked (top templates / playbooks); playbook steps count only when done. */
const SUBJECT_KINDS = new Set(['template-open', 'export', 'playbook-step', 'playbook-export']);

const SEP = '\u0000';

export function isTrue(v: unknown): boolean {
  return v === true || v === 1 || v === 'true';
}

export function cents(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : 0;
  return Number.isFinite(n) ? Math.round(n) : 0;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** A sortable key: the event's time, then its source and seq (so two events never tie). */
export function eventOrder(e: Pick<ImportedEvent, 'at' | 'source' | 'seq'>): string {
  return `${e.at}|${String(e.source).padStart(12, '0')}|${String(e.seq).padStart(15, '0')}`;
}

export interface MdfRequestPart {
  order: string;
  month: string;
  partnerKey: number | null;
  distributorId: string;
  tier: string;
  region: string;
  activityType: string;
  verdict: string;
  budget: number;
  pipeline: number;
  currency: string;
}
export interface MdfDecisionPart {
  order: string;
  decision: string;
  budget: number | null;
}

/** A request's status and approved amount from its verdict and latest decision. */
export function mdfStatus(verdict: string, decision: string | null, budget: number, decisionBudget: number | null): { status: 'approved' | 'vetoed' | 'rejected' | 'pending'; approvedAmount: number } {
  let status: 'approved' | 'vetoed' | 'rejected' | 'pending';
  if (decision === 'approved') status = 'approved';
  else if (decision === 'rejected') status = 'rejected';
  else if (decision) status = 'pending';
  else if (verdict === 'auto-vetoed') status = 'vetoed';
  else if (verdict === 'auto-approved') status = 'approved';
  else status = 'pending';
  return { status, approvedAmount: status === 'approved' ? (decision === 'approved' && decisionBudget !== null ? decisionBudget : budget) : 0 };
}

export function mdfRequestPart(e: ImportedEvent): MdfRequestPart {
  const p = e.partner;
  return {
    order: eventOrder(e),
    month: e.month,
    partnerKey: p?.key ?? null,
    distributorId: p?.distributorId ?? (text(e.data['distributor']) || 'direct'),
    tier: p ? (p.tier ?? '') : text(e.data['tier']),
    region: p?.region ?? '',
    activityType: text(e.data['activityType']),
    verdict: text(e.data['verdict']),
    budget: cents(e.data['budget']),
    pipeline: cents(e.data['pipeline']),
    currency: text(e.data['currency']),
  };
}

export function mdfDecisionPart(e: ImportedEvent): MdfDecisionPart {
  const b = e.data['budget'];
  return { order: eventOrder(e), decision: text(e.data['decision']), budget: b === undefined || b === null || b === '' ? null : cents(b) };
}

interface YearMasks {
  key: number;
  year: number;
  active: number;
  attempted: number;
  passed: number;
}

/** The four grains every dimensioned rollup is kept at ('*': any). */
function grains(tier: string, region: string): [string, string][] {
  return [
    [tier, region],
    [tier, ANY],
    [ANY, region],
    [ANY, ANY],
  ];
}

/** Stands for "any tier" / "any region" in the rollup tables. */
export const ANY = '*';

function monthKey(year: number, bit: number): string {
  return `${year}-${String(bit + 1).padStart(2, '0')}`;
}

interface MdfTotals {
  n: number;
  budget: number;
  pipeline: number;
  approved: number;
}

class SqliteRollups implements Rollups {
  private pending = 0;
  private readonly partners = new Map<number, PartnerDim>();
  private readonly distributors = new Map<string, string>();
  private readonly years = new Map<string, YearMasks>();
  private readonly counts = new Map<string, number>();
  private readonly subjects = new Map<string, number>();
  private readonly mdf = new Map<string, { request?: MdfRequestPart; decision?: MdfDecisionPart }>();
  private readonly st: Record<string, Statement>;

  constructor(db: Database) {
    this.st = {
      partnerYears: db.prepare('SELECT year, distributor_id AS d, tier AS t, region AS r, active, passed FROM insight_rollup_partner_years WHERE partner_key = ? AND year > 0'),
      partnerYearsDims: db.prepare('UPDATE insight_rollup_partner_years SET distributor_id = @d, tier = @t, region = @r WHERE partner_key = @k'),
      distributor: db.prepare('INSERT INTO insight_rollup_distributors (id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name'),
      year: db.prepare(
        `INSERT INTO insight_rollup_partner_years (partner_key, year, distributor_id, tier, region, active, attempted, passed)
         VALUES (@key, @year, @distributorId, @tier, @region, @active, @attempted, @passed)
         ON CONFLICT(partner_key, year) DO UPDATE SET distributor_id = excluded.distributor_id, tier = excluded.tier, region = excluded.region, active = active | excluded.active, attempted = attempted | excluded.attempted, passed = passed | excluded.passed`,
      ),
      monthly: db.prepare(
        'INSERT INTO insight_rollup_monthly_partners (tier, region, month, active, passed) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET active = active + excluded.active, passed = passed + excluded.passed',
      ),
      count: db.prepare('INSERT INTO insight_rollup_counts (tier, region, month, distributor_id, kind, n) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n'),
      subject: db.prepare('INSERT INTO insight_rollup_subjects (tier, region, kind, month, subject, n) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n'),
      mdfTotals: db.prepare(
        `INSERT INTO insight_rollup_mdf_totals (tier, region, month, distributor_id, activity_type, status, currency, n, budget, pipeline, approved_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET n = n + excluded.n, budget = budget + excluded.budget, pipeline = pipeline + excluded.pipeline, approved_amount = approved_amount + excluded.approved_amount`,
      ),
      mdfGet: db.prepare('SELECT * FROM insight_rollup_mdf WHERE request_id = ?'),
      mdfPut: db.prepare(
        `INSERT OR REPLACE INTO insight_rollup_mdf (request_id, has_request, request_order, month, partner_key, distributor_id, tier, region, activity_type, verdict, budget, pipeline, currency, decision, decision_order, decision_budget, status, approved_amount)
         VALUES (@requestId, @hasRequest, @requestOrder, @month, @partnerKey, @distributorId, @tier, @region, @activityType, @verdict, @budget, @pipeline, @currency, @decision, @decisionOrder, @decisionBudget, @status, @approvedAmount)`,
      ),
    };
  }

  add(e: ImportedEvent): void {
    const p = e.partner;
    const dist = p?.distributorId ?? '';
    const tier = p?.tier ?? '';
    const region = p?.region ?? '';
    if (p) {
      this.partners.set(p.key, p);
      this.distributors.set(p.distributorId, p.distributorName);
      const year = Number(e.month.slice(0, 4));
      const bit = 2 ** (Number(e.month.slice(5, 7)) - 1);
      const yk = `${p.key}:${year}`;
      let y = this.years.get(yk);
      if (!y) this.years.set(yk, (y = { key: p.key, year, active: 0, attempted: 0, passed: 0 }));
      y.active |= bit;
      if (e.kind === 'quiz-result') {
        y.attempted |= bit;
        if (isTrue(e.data['passed'])) y.passed |= bit;
      }
    }
    // Buffered at the finest grain only; flush() adds them up at the four grains.
    bump(this.counts, `${tier}${SEP}${region}${SEP}${e.month}${SEP}${dist}${SEP}${e.kind}`);
    if (SUBJECT_KINDS.has(e.kind) && (e.kind !== 'playbook-step' || isTrue(e.data['done']))) bump(this.subjects, `${tier}${SEP}${region}${SEP}${e.kind}${SEP}${e.month}${SEP}${e.subject}`);
    if (e.kind === 'mdf-request' || e.kind === 'mdf-decision') {
      let f = this.mdf.get(e.subject);
      if (!f) this.mdf.set(e.subject, (f = {}));
      if (e.kind === 'mdf-request') {
        const r = mdfRequestPart(e);
        if (!f.request || r.order > f.request.order) f.request = r;
      } else {
        const d = mdfDecisionPart(e);
        if (!f.decision || d.order > f.decision.order) f.decision = d;
      }
    }
    if (++this.pending >= FLUSH_EVERY || this.counts.size + this.subjects.size + this.years.size + this.mdf.size >= FLUSH_KEYS) this.flush();
  }

  flush(): void {
    const st = this.st;
    for (const [id, name] of this.distributors) st['distributor']!.run(id, name);
    this.flushPartners();
    for (const [k, n] of atGrains(this.counts)) st['count']!.run(...k.split(SEP), n);
    for (const [k, n] of atGrains(this.subjects)) st['subject']!.run(...k.split(SEP), n);
    const totals = new Map<string, MdfTotals>();
    for (const [id, f] of this.mdf) this.writeMdf(id, f, totals);
    for (const [k, v] of totals) if (v.n !== 0 || v.budget !== 0 || v.pipeline !== 0 || v.approved !== 0) st['mdfTotals']!.run(...k.split(SEP), v.n, v.budget, v.pipeline, v.approved);
    this.partners.clear();
    this.distributors.clear();
    this.years.clear();
    this.counts.clear();
    this.subjects.clear();
    this.mdf.clear();
    this.pending = 0;
  }

  /**
   * Partner-year masks and the monthly partner counts derived from them: a month counts a partner once, the first
   * time it has an event (or a pass) then; a partner whose tier or region changed moves its months to the new ones.
   */
  private flushPartners(): void {
    const st = this.st;
    const monthly = new Map<string, [number, number]>();
    const move = (tier: string, region: string, year: number, active: number, passed: number, sign: number) => {
      for (let b = 0; b < 12; b++) {
        const a = (active >> b) & 1;
        const p = (passed >> b) & 1;
        if (!a && !p) continue;
        for (const [t, r] of grains(tier, region)) {
          const k = [t, r, monthKey(year, b)].join(SEP);
          const v = monthly.get(k) ?? [0, 0];
          v[0] += sign * a;
          v[1] += sign * p;
          monthly.set(k, v);
        }
      }
    };
    const stored = new Map<string, { active: number; passed: number }>();
    for (const p of this.partners.values()) {
      const t = p.tier ?? '';
      const r = p.region ?? '';
      const rows = st['partnerYears']!.all(p.key) as { year: number; d: string; t: string; r: string; active: number; passed: number }[];
      let changed = false;
      for (const row of rows) {
        stored.set(`${p.key}:${row.year}`, row);
        if (row.t !== t || row.r !== r) {
          move(row.t, row.r, row.year, row.active, row.passed, -1);
          move(t, r, row.year, row.active, row.passed, +1);
        }
        if (row.t !== t || row.r !== r || row.d !== p.distributorId) changed = true;
      }
      if (changed) st['partnerYearsDims']!.run({ d: p.distributorId, t, r, k: p.key });
    }
    for (const [k, y] of this.years) {
      const p = this.partners.get(y.key)!;
      const old = stored.get(k) ?? { active: 0, passed: 0 };
      move(p.tier ?? '', p.region ?? '', y.year, y.active & ~old.active, y.passed & ~old.passed, +1);
      st['year']!.run({ ...y, distributorId: p.distributorId, tier: p.tier ?? '', region: p.region ?? '' });
      // Year 0 holds "ever" (bit 0) for the dashboard's all-time figures: one row per partner, no grouping across years.
      st['year']!.run({ key: y.key, year: 0, active: y.active ? 1 : 0, attempted: y.attempted ? 1 : 0, passed: y.passed ? 1 : 0, distributorId: p.distributorId, tier: p.tier ?? '', region: p.region ?? '' });
    }
    for (const [k, [a, p]] of monthly) if (a !== 0 || p !== 0) st['monthly']!.run(...k.split(SEP), a, p);
  }

  private writeMdf(requestId: string, f: { request?: MdfRequestPart; decision?: MdfDecisionPart }, totals: Map<string, MdfTotals>): void {
    const old = this.st['mdfGet']!.get(requestId) as MdfRow | undefined;
    let req: MdfRequestPart | null = old && old.has_request ? fromRow(old) : null;
    if (f.request && (!req || f.request.order > req.order)) req = f.request;
    let dec: MdfDecisionPart | null = old && old.decision !== null ? { order: old.decision_order, decision: old.decision, budget: old.decision_budget } : null;
    if (f.decision && (!dec || f.decision.order > dec.order)) dec = f.decision;
    const { status, approvedAmount } = mdfStatus(req?.verdict ?? '', dec?.decision ?? null, req?.budget ?? 0, dec?.budget ?? null);
    const count = (tier: string, region: string, month: string, d: string, act: string, st: string, cur: string, sign: number, budget: number, pipeline: number, approved: number) => {
      for (const [t, r] of grains(tier, region)) {
        const k = [t, r, month, d, act, st, cur].join(SEP);
        const v = totals.get(k) ?? { n: 0, budget: 0, pipeline: 0, approved: 0 };
        v.n += sign;
        v.budget += sign * budget;
        v.pipeline += sign * pipeline;
        v.approved += sign * approved;
        totals.set(k, v);
      }
    };
    if (old && old.has_request) count(old.tier, old.region, old.month, old.distributor_id, old.activity_type, old.status, old.currency, -1, old.budget, old.pipeline, old.approved_amount);
    if (req) count(req.tier, req.region, req.month, req.distributorId, req.activityType, status, req.currency, +1, req.budget, req.pipeline, approvedAmount);
    this.st['mdfPut']!.run({
      requestId,
      hasRequest: req ? 1 : 0,
      requestOrder: req?.order ?? '',
      month: req?.month ?? '',
      partnerKey: req?.partnerKey ?? null,
      distributorId: req?.distributorId ?? '',
      tier: req?.tier ?? '',
      region: req?.region ?? '',
      activityType: req?.activityType ?? '',
      verdict: req?.verdict ?? '',
      budget: req?.budget ?? 0,
      pipeline: req?.pipeline ?? 0,
      currency: req?.currency ?? '',
      decision: dec?.decision ?? null,
      decisionOrder: dec?.order ?? '',
      decisionBudget: dec?.budget ?? null,
      status,
      approvedAmount,
    });
  }
}

interface MdfRow {
  request_id: string;
  has_request: number;
  request_order: string;
  month: string;
  partner_key: number | null;
  distributor_id: string;
  tier: string;
  region: string;
  activity_type: string;
  verdict: string;
  budget: number;
  pipeline: number;
  currency: string;
  decision: string | null;
  decision_order: string;
  decision_budget: number | null;
  status: string;
  approved_amount: number;
}

function fromRow(r: MdfRow): MdfRequestPart {
  return {
    order: r.request_order,
    month: r.month,
    partnerKey: r.partner_key,
    distributorId: r.distributor_id,
    tier: r.tier,
    region: r.region,
    activityType: r.activity_type,
    verdict: r.verdict,
    budget: r.budget,
    pipeline: r.pipeline,
    currency: r.currency,
  };
}

/** Counts keyed "tier SEP region SEP rest", added up at the four grains. */
function atGrains(m: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, n] of m) {
    const a = k.indexOf(SEP);
    const b = k.indexOf(SEP, a + 1);
    const tier = k.slice(0, a);
    const region = k.slice(a + 1, b);
    const rest = k.slice(b);
    for (const [t, r] of grains(tier, region)) {
      const g = `${t}${SEP}${r}${rest}`;
      out.set(g, (out.get(g) ?? 0) + n);
    }
  }
  return out;
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** The rollups writer for one import (see the module comment). */
export function openRollups(db: Database): Rollups {
  return new SqliteRollups(db);
}
