/**
 * The insights benchmark (issue #8 "Scale"; bench/INSIGHTS.md): a vendor
 * catalogue with 100,000 partners and 10,000,000 imported events over 24
 * months, every dashboard query timed (cold and warm), and the import of a
 * 1,000,000-event signed report as its own process (wall time, peak RSS).
 *
 * The catalogue is built with bulk inserts straight into the importer's
 * tables (insight_sources, insight_partners, insight_events) and fed through
 * the real rollups (backend/insights/rollups.ts), then cached under
 * os.tmpdir() keyed by a hash of the schema, the rollups and this generator,
 * so re-runs skip the build.
 *
 * Run from bench/run.ts: `npm run bench -- --insights` (with the export
 * benchmark) or `npm run bench -- --insights-only`. `--insights-small`
 * builds 10,000 partners / 1,000,000 events instead (a quick check).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalogue } from '../backend/catalogue.ts';
import { CATALOGUE_FILE } from '../backend/data-dir.ts';
import { dashboardQuery } from '../backend/insights/dashboard.ts';
import { rng, writeSyntheticReport } from '../backend/insights/generate.ts';
import { openRollups } from '../backend/insights/rollups.ts';
import type { ImportedEvent, PartnerDim } from '../backend/insights/types.ts';
import type { DashboardFiltersInput, EventKind } from '../core/contracts/insights-api.ts';
import { runMeasured } from './measure.ts';

const root = path.resolve(import.meta.dirname, '..');
/** Bump when the generated data changes shape. */
const GENERATOR_VERSION = 1;

export interface InsightsBenchOptions {
  partners: number;
  events: number;
  importEvents: number;
}

export const FULL: InsightsBenchOptions = { partners: 100_000, events: 10_000_000, importEvents: 1_000_000 };
export const SMALL: InsightsBenchOptions = { partners: 10_000, events: 1_000_000, importEvents: 200_000 };

const MONTHS = Array.from({ length: 24 }, (_, i) => {
  const d = new Date(Date.UTC(2024, 11 + i, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
});
const TIERS: [string, number][] = [
  ['registered', 0.5],
  ['silver', 0.3],
  ['gold', 0.15],
  ['platinum', 0.05],
];
const REGIONS = ['na', 'latam', 'emea-north', 'emea-south', 'apac', 'anz'];
const DISTRIBUTORS = 40;
const TEMPLATES = Array.from({ length: 300 }, (_, i) => `template-${String(i + 1).padStart(3, '0')}`);
const PLAYBOOKS = Array.from({ length: 40 }, (_, i) => `playbook-${String(i + 1).padStart(2, '0')}`);
const MODULES = Array.from({ length: 30 }, (_, i) => `module-${String(i + 1).padStart(2, '0')}`);
const ACTIVITIES = ['events', 'webinar', 'digital-campaign', 'trade-show', 'print-collateral', 'telemarketing', 'sponsorship', 'training'];
const KINDS: [EventKind, number][] = [
  ['template-open', 40],
  ['export', 25],
  ['playbook-step', 15],
  ['playbook-export', 4],
  ['quiz-result', 12],
  ['mdf-request', 2],
];


function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function round(v: number, d = 1): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}


function cacheKey(opts: InsightsBenchOptions): string {
  const h = crypto.createHash('sha256');
  for (const f of ['backend/db/migrations/index.ts', 'backend/db/migrations/0009-insights.ts', 'backend/db/migrations/0010-insight-rollups.ts', 'backend/insights/rollups.ts']) h.update(fs.readFileSync(path.join(root, f)));
  h.update(JSON.stringify({ GENERATOR_VERSION, partners: opts.partners, events: opts.events }));
  return h.digest('hex').slice(0, 16);
}

/** Builds (or finds in the cache) the vendor catalogue; returns its data folder and how long building took. */
export function buildCatalogue(opts: InsightsBenchOptions, log: (s: string) => void): { dataDir: string; cached: boolean; buildSeconds: number; dbMb: number } {
  const parent = path.join(os.tmpdir(), 'lockup-insights-bench');
  const key = cacheKey(opts);
  const dir = path.join(parent, `${opts.partners}-${opts.events}-${key}`);
  const marker = path.join(dir, 'built.json');
  if (fs.existsSync(marker)) {
    const m = JSON.parse(fs.readFileSync(marker, 'utf8')) as { buildSeconds: number };
    return { dataDir: path.join(dir, 'data'), cached: true, buildSeconds: m.buildSeconds, dbMb: fs.statSync(path.join(dir, 'data', CATALOGUE_FILE)).size / 1048576 };
  }
  // Other builds of the same size are stale (schema or generator changed): make room.
  if (fs.existsSync(parent)) for (const d of fs.readdirSync(parent)) if (d.startsWith(`${opts.partners}-${opts.events}-`)) fs.rmSync(path.join(parent, d), { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const dataDir = path.join(dir, 'data');
  const catalogue = Catalogue.openDir(dataDir);
  const db = catalogue.db;
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  const r = rng(42);
  const now = '2026-11-26T00:00:00.000Z';

  // Sources: one per partner install, one per distributor (its decisions), one for the vendor (direct partners' decisions).
  const fp = (n: number) => crypto.createHash('sha256').update(`bench-${n}`).digest('hex').slice(0, 32).match(/.{4}/g)!.join(' ');
  const addSource = db.prepare('INSERT INTO insight_sources (id, fingerprint, first_seen) VALUES (?, ?, ?)');
  const addPartner = db.prepare('INSERT INTO insight_partners (id, partner_id, source, name, tier, region, distributor_id, distributor_name, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const partners: PartnerDim[] = [];
  // Distributor sizes are skewed: a few large ones, many small; 15% of partners report directly.
  const distWeights = Array.from({ length: DISTRIBUTORS }, (_, i) => 1 / (i + 1) ** 0.8);
  const distTotal = distWeights.reduce((a, b) => a + b, 0);
  const pickDist = (): number => {
    if (r() < 0.15) return -1;
    let x = r() * distTotal;
    for (let i = 0; i < DISTRIBUTORS; i++) if ((x -= distWeights[i]!) <= 0) return i;
    return DISTRIBUTORS - 1;
  };
  db.transaction(() => {
    for (let i = 0; i < opts.partners; i++) {
      const d = pickDist();
      let x = r();
      let tier = 'registered';
      for (const [t, w] of TIERS) if ((x -= w) <= 0) {
        tier = t;
        break;
      }
      const p: PartnerDim = {
        key: i + 1,
        partnerId: `partner-${i + 1}`,
        name: `Partner ${i + 1}`,
        tier,
        region: REGIONS[Math.floor(r() * REGIONS.length)]!,
        distributorId: d < 0 ? 'direct' : `distributor-${String(d + 1).padStart(2, '0')}`,
        distributorName: d < 0 ? 'Direct' : `Distributor ${d + 1}`,
      };
      partners.push(p);
      addSource.run(i + 1, fp(i + 1), now);
      addPartner.run(p.key, p.partnerId, p.key, p.name, p.tier, p.region, p.distributorId, p.distributorName, now);
    }
    for (let d = 0; d <= DISTRIBUTORS; d++) addSource.run(opts.partners + 1 + d, fp(opts.partners + 1 + d), now);
  })();

  // Events per partner: exponential activity, 10% of partners dormant; exactly opts.events in all.
  const partnerEvents = Math.round(opts.events * 0.988); // the rest are distributors' MDF decisions
  const w = partners.map(() => (r() < 0.1 ? 0 : -Math.log(1 - r())));
  const wSum = w.reduce((a, b) => a + b, 0);
  const counts = w.map((x) => Math.floor((x / wSum) * partnerEvents));
  let missing = partnerEvents - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; missing > 0; i = (i + 1) % counts.length) {
    if (w[i]! > 0) {
      counts[i]!++;
      missing--;
    }
  }

  const kindTable: EventKind[] = KINDS.flatMap(([k, n]) => Array<EventKind>(n).fill(k));
  const zipf = (list: readonly string[]) => list[Math.floor(r() ** 2.5 * list.length)]!;
  const variants = <T extends Record<string, string | number | boolean>>(o: T) => ({ obj: o, str: JSON.stringify(o) });
  const EMPTY = variants({});
  const exportsV = ['screen', 'print'].map((p) => variants({ profile: p }));
  const stepsV = Array.from({ length: 16 }, (_, i) => variants({ step: `step-${(i >> 1) + 1}`, done: (i & 1) === 0 }));
  const quizV = Array.from({ length: 101 }, (_, s) => variants({ score: s / 100, passed: s >= 70 }));
  const start = Date.UTC(2024, 11, 1);
  const span = Date.UTC(2026, 11, 1) - start;
  const monthOf = (t: number) => {
    const d = new Date(t);
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };

  const ROWS = 50;
  const cols = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const insertMany = db.prepare(`INSERT INTO insight_events (source, seq, partner, at, month, kind, subject, brand, data) VALUES ${Array(ROWS).fill(cols).join(', ')}`);
  const insertOne = db.prepare(`INSERT INTO insight_events (source, seq, partner, at, month, kind, subject, brand, data) VALUES ${cols}`);
  const pending: unknown[] = [];
  const push = (source: number, seq: number, partner: number | null, at: string, month: string, kind: string, subject: string, data: string) => {
    pending.push(source, seq, partner, at, month, kind, subject, 'nimbus', data);
    if (pending.length === ROWS * 9) {
      insertMany.run(pending);
      pending.length = 0;
    }
  };
  const drain = () => {
    for (let i = 0; i < pending.length; i += 9) insertOne.run(pending.slice(i, i + 9));
    pending.length = 0;
  };

  let rollups = openRollups(db);
  let inTx = 0;
  db.exec('BEGIN');
  const step = () => {
    if (++inTx >= 1_000_000) {
      drain();
      rollups.flush();
      db.exec('COMMIT');
      db.exec('BEGIN');
      rollups = openRollups(db);
      inTx = 0;
    }
  };
  type Decision = { request: string; t: number; budget: number; activity: string; pipeline: number; dist: number; partner: PartnerDim };
  const decisions: Decision[] = [];
  let done = 0;
  let nextLog = 1_000_000;
  for (const p of partners) {
    const n = counts[p.key - 1]!;
    const dist = p.distributorId === 'direct' ? DISTRIBUTORS : Number(p.distributorId.slice(12)) - 1;
    for (let k = 0; k < n; k++) {
      const t = start + Math.floor(((k + r()) / n) * span);
      const at = new Date(t).toISOString();
      const month = monthOf(t);
      const kind = kindTable[Math.floor(r() * kindTable.length)]!;
      let subject: string;
      let v: { obj: Record<string, string | number | boolean>; str: string };
      switch (kind) {
        case 'template-open':
          subject = zipf(TEMPLATES);
          v = EMPTY;
          break;
        case 'export':
          subject = zipf(TEMPLATES);
          v = exportsV[r() < 0.8 ? 0 : 1]!;
          break;
        case 'playbook-step':
          subject = zipf(PLAYBOOKS);
          v = stepsV[Math.floor(r() * 16)]!;
          break;
        case 'playbook-export':
          subject = zipf(PLAYBOOKS);
          v = EMPTY;
          break;
        case 'quiz-result':
          subject = zipf(MODULES);
          v = quizV[Math.floor(r() ** 0.7 * 101) % 101]!;
          break;
        default: {
          subject = crypto.randomUUID();
          const budget = (5 + Math.floor(r() * 400)) * 10000;
          const activity = ACTIVITIES[Math.floor(r() * ACTIVITIES.length)]!;
          const pipeline = budget * (3 + Math.floor(r() * 10));
          const verdict = r() < 0.15 ? 'auto-vetoed' : budget <= 100000 ? 'auto-approved' : 'needs-review';
          v = variants({ program: 'nimbus-mdf', activityType: activity, budget, totalCost: budget * 2, pipeline, leads: 10 + Math.floor(r() * 200), verdict, currency: 'USD', tier: p.tier!, distributor: p.distributorId });
          if (verdict === 'needs-review' || r() < 0.2) decisions.push({ request: subject, t: t + Math.floor(r() * 14 * 86400000), budget, activity, pipeline, dist, partner: p });
        }
      }
      push(p.key, k + 1, p.key, at, month, kind, subject, v.str);
      rollups.add({ source: p.key, seq: k + 1, partner: p, at, month, kind, subject, brand: 'nimbus', data: v.obj } satisfies ImportedEvent);
      step();
      if (++done >= nextLog) {
        log(`    built ${(done / 1e6).toFixed(0)}M events (${round((performance.now() - t0) / 1000)} s)`);
        nextLog += 1_000_000;
      }
    }
  }
  // Decisions from each distributor's own ledger (the vendor's for direct partners), in the order they were made;
  // then top up to exactly opts.events with more decisions about the same requests.
  decisions.sort((a, b) => a.t - b.t);
  const seqs = new Array<number>(DISTRIBUTORS + 1).fill(0);
  const total = () => done;
  for (let i = 0; total() < opts.events; i = (i + 1) % Math.max(1, decisions.length)) {
    const d = decisions[i];
    if (!d) break;
    const x = r();
    const decision = x < 0.7 ? 'approved' : x < 0.9 ? 'rejected' : 'changes-requested';
    const t = Math.min(d.t, start + span - 1);
    const at = new Date(t).toISOString();
    const month = monthOf(t);
    const v = variants({ decision, partner: d.partner.partnerId, budget: d.budget, activityType: d.activity, pipeline: d.pipeline, currency: 'USD' });
    const source = opts.partners + 1 + d.dist;
    const seq = ++seqs[d.dist]!;
    push(source, seq, null, at, month, 'mdf-decision', d.request, v.str);
    rollups.add({ source, seq, partner: null, at, month, kind: 'mdf-decision', subject: d.request, brand: 'nimbus', data: v.obj });
    step();
    done++;
  }
  drain();
  rollups.flush();
  db.exec('COMMIT');
  db.exec('ANALYZE');
  db.pragma('journal_mode = WAL');
  catalogue.close();
  const buildSeconds = (performance.now() - t0) / 1000;
  fs.writeFileSync(marker, JSON.stringify({ buildSeconds, events: done, partners: opts.partners, builtAt: new Date().toISOString() }) + '\n');
  return { dataDir, cached: false, buildSeconds, dbMb: fs.statSync(path.join(dataDir, CATALOGUE_FILE)).size / 1048576 };
}

export interface QueryTiming {
  name: string;
  filters: DashboardFiltersInput;
  coldMs: number;
  warmP50Ms: number;
  warmP95Ms: number;
  /** The slowest single query inside the dashboard (warm p95 of that query). */
  slowestQuery: { name: string; p95Ms: number };
  /** Per query, warm p50 ms. */
  queries: Record<string, number>;
}

export function timeQueries(dataDir: string): { scenarios: QueryTiming[]; events: number; partners: number } {
  const scenarios: [string, DashboardFiltersInput][] = [
    ['no filter', {}],
    ['3 months', { from: MONTHS[21]!, to: MONTHS[23]! }],
    // Across a year boundary: the one case that groups partner-year rows per partner.
    ['12 months across two years', { from: MONTHS[12]!, to: MONTHS[23]! }],
    ['tier', { tier: 'gold' }],
    ['region', { region: 'emea-north' }],
    ['tier + region + 6 months', { tier: 'silver', region: 'na', from: MONTHS[12]!, to: MONTHS[17]! }],
  ];
  const out: QueryTiming[] = [];
  let events = 0;
  let partners = 0;
  for (const [name, filters] of scenarios) {
    // A fresh connection: the first query reads the pages it needs (the OS file cache may still hold them).
    const catalogue = Catalogue.openDir(dataDir);
    try {
      let t = performance.now();
      const first = dashboardQuery(catalogue.db, filters);
      const coldMs = performance.now() - t;
      if (name === 'no filter') {
        events = first.totals.events;
        partners = first.totals.partners;
      }
      const totals: number[] = [];
      const per = new Map<string, number[]>();
      for (let i = 0; i < 10; i++) {
        t = performance.now();
        const d = dashboardQuery(catalogue.db, filters);
        totals.push(performance.now() - t);
        for (const [k, v] of Object.entries(d.timings)) per.set(k, [...(per.get(k) ?? []), v]);
      }
      totals.sort((a, b) => a - b);
      const queries: Record<string, number> = {};
      let slowest = { name: '', p95Ms: -1 };
      for (const [k, v] of per) {
        v.sort((a, b) => a - b);
        queries[k] = round(quantile(v, 0.5), 2);
        if (quantile(v, 0.95) > slowest.p95Ms) slowest = { name: k, p95Ms: round(quantile(v, 0.95), 2) };
      }
      out.push({ name, filters, coldMs: round(coldMs), warmP50Ms: round(quantile(totals, 0.5)), warmP95Ms: round(quantile(totals, 0.95)), slowestQuery: slowest, queries });
    } finally {
      catalogue.close();
    }
  }
  return { scenarios: out, events, partners };
}

/** Generates a signed distributor report of `events` events and imports it into a copy of the catalogue, in a child process. */
export async function timeImport(dataDir: string, events: number, log: (s: string) => void): Promise<{ events: number; added: number; wallSeconds: number; importMs: number; peakMemoryMb: number; reportMb: number; generateSeconds: number; eventsAfter: number }> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-insights-import-'));
  try {
    const file = path.join(work, 'aggregate.lockup-activity');
    const t = performance.now();
    writeSyntheticReport(file, { kind: 'distributor', partners: Math.max(1, Math.round(events / 100)), events, seed: 7, partnerPrefix: 'bench-import-', from: MONTHS[0]!, months: 24, issuer: { id: 'distributor-import', name: 'Import Distributor' } });
    const generateSeconds = (performance.now() - t) / 1000;
    const reportMb = fs.statSync(file).size / 1048576;
    log(`    report: ${round(reportMb)} MB written in ${round(generateSeconds)} s; copying the catalogue`);
    const copy = path.join(work, 'data');
    fs.mkdirSync(copy);
    fs.copyFileSync(path.join(dataDir, CATALOGUE_FILE), path.join(copy, CATALOGUE_FILE));
    const { code, stdout, stderr, seconds: wallSeconds, peakKb } = await runMeasured(['--import', 'tsx', path.join(root, 'bench', 'insights-import.ts'), copy, file], root);
    if (code !== 0) throw new Error(`import failed (exit ${code}): ${stderr}${stdout}`);
    const res = JSON.parse(stdout.trim().split('\n').at(-1)!) as { added: number; events: number; ms: number; peakKb: number; eventsAfter: number };
    return { events: res.events, added: res.added, wallSeconds: round(wallSeconds, 2), importMs: Math.round(res.ms), peakMemoryMb: round(Math.max(peakKb, res.peakKb) / 1024), reportMb: round(reportMb), generateSeconds: round(generateSeconds), eventsAfter: res.eventsAfter };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export interface InsightsResult {
  measuredAt: string;
  machine: { cpus: number; node: string };
  catalogue: { partners: number; events: number; months: number; distributors: number; cached: boolean; buildSeconds: number; dbMb: number };
  queries: QueryTiming[];
  import: Awaited<ReturnType<typeof timeImport>> | null;
  targets: { queryMs: number; importSeconds: number };
}

export async function runInsightsBench(opts: InsightsBenchOptions, log: (s: string) => void = console.log): Promise<InsightsResult> {
  log(`Insights benchmark: ${opts.partners.toLocaleString('en')} partners, ${opts.events.toLocaleString('en')} events`);
  const built = buildCatalogue(opts, log);
  log(`  catalogue: ${built.cached ? 'cached' : 'built'} (building took ${round(built.buildSeconds)} s), ${round(built.dbMb)} MB`);
  const q = timeQueries(built.dataDir);
  for (const s of q.scenarios) log(`  dashboard, ${s.name}: cold ${s.coldMs} ms, warm p50 ${s.warmP50Ms} ms / p95 ${s.warmP95Ms} ms; slowest query ${s.slowestQuery.name} p95 ${s.slowestQuery.p95Ms} ms  (target ≤ 200 ms)`);
  const imp = await timeImport(built.dataDir, opts.importEvents, log);
  log(`  import of a ${opts.importEvents.toLocaleString('en')}-event signed report (own process, into a copy): ${imp.wallSeconds} s wall (import ${round(imp.importMs / 1000, 2)} s), peak RSS ${imp.peakMemoryMb} MB, ${imp.added.toLocaleString('en')} added  (target ≤ 30 s)`);
  return {
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.availableParallelism(), node: process.version },
    catalogue: { partners: q.partners, events: q.events, months: MONTHS.length, distributors: DISTRIBUTORS, cached: built.cached, buildSeconds: round(built.buildSeconds), dbMb: round(built.dbMb) },
    queries: q.scenarios,
    import: imp,
    targets: { queryMs: 200, importSeconds: 30 },
  };
}
