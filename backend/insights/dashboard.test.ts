import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dashboard, DashboardFiltersInput, EventKind } from '../../core/contracts/insights-api.ts';
import { escapeCsvCell, parseCsv, toCsv } from '../../core/csv.ts';
import type { Catalogue } from '../catalogue.ts';
import { emptyCatalogue, seededCatalogue } from '../../test/support/catalogue.ts';
import { dashboardCsv, dashboardQuery } from './dashboard.ts';
import { isTrue, openRollups } from './rollups.ts';
import type { ImportedEvent, PartnerDim } from './types.ts';

// ---- the hand-made fixture: 3 distributors, 8 partners, two months

const dist = { north: 'North Distribution', south: 'Southern Channel', direct: 'Direct' } as const;
function partner(key: number, tier: string | null, region: string | null, d: keyof typeof dist): PartnerDim {
  return { key, partnerId: `p${key}`, name: `Partner ${key}`, tier, region, distributorId: d, distributorName: dist[d] };
}
const P = {
  p1: partner(1, 'gold', 'emea', 'north'),
  p2: partner(2, 'gold', 'na', 'north'),
  p3: partner(3, 'silver', 'emea', 'north'),
  p4: partner(4, 'silver', 'apac', 'south'),
  p5: partner(5, 'gold', 'apac', 'south'),
  p6: partner(6, 'silver', 'na', 'direct'),
  p7: partner(7, null, 'emea', 'direct'),
  p8: partner(8, 'gold', 'emea', 'south'),
};
const T1 = 'product-one-pager-a4';
const T2 = 'email-banner';
const T3 = 'unknown-tpl';
const PB = 'nimbus-launch-playbook';
const PB2 = 'old-playbook';

let seq = 0;
function ev(p: PartnerDim | null, day: string, kind: EventKind, subject: string, data: ImportedEvent['data'] = {}): ImportedEvent {
  seq++;
  return { source: p ? p.key : 100, seq, partner: p, at: `${day}T10:00:${String(seq % 60).padStart(2, '0')}Z`, month: day.slice(0, 7), kind, subject, brand: 'nimbus', data };
}
const req = (activityType: string, budget: number, pipeline: number, verdict: string, currency: string) => ({ program: 'mdf', activityType, budget, totalCost: budget * 2, pipeline, leads: 10, verdict, currency, tier: 'x', distributor: 'x' });
const M1 = '2026-01-15';
const M2 = '2026-02-15';

// Decisions first (imported from the distributor's ledger before the partners' reports).
const decisions = [
  ev(null, '2026-02-03', 'mdf-decision', 'R2', { decision: 'approved', budget: 800000, activityType: 'event', pipeline: 20000000, currency: 'USD' }),
  ev(null, '2026-02-20', 'mdf-decision', 'R4', { decision: 'rejected', activityType: 'event', currency: 'EUR' }),
  ev(null, '2026-02-10', 'mdf-decision', 'R4', { decision: 'changes-requested', activityType: 'event', currency: 'EUR' }),
  ev(null, '2026-02-11', 'mdf-decision', 'R5', { decision: 'approved', budget: 999, activityType: 'event', currency: 'USD' }),
];
const partnerEvents = [
  ev(P.p1, M1, 'template-open', T1),
  ev(P.p1, M1, 'export', T1),
  ev(P.p1, M1, 'export', T1),
  ev(P.p1, M2, 'quiz-result', 'm1', { score: 0.9, passed: true }),
  ev(P.p1, M2, 'playbook-step', PB, { step: 's1', done: true }),
  ev(P.p2, M1, 'template-open', T2),
  ev(P.p2, M1, 'quiz-result', 'm1', { score: 0.2, passed: false }),
  ev(P.p2, M2, 'quiz-result', 'm1', { score: 0.8, passed: true }),
  ev(P.p2, M2, 'export', T2),
  ev(P.p3, M2, 'template-open', T1),
  ev(P.p3, M2, 'playbook-step', PB, { step: 's1', done: false }),
  ev(P.p3, M2, 'playbook-export', PB),
  ev(P.p4, M1, 'export', T3),
  ev(P.p4, M1, 'quiz-result', 'm2', { score: 0.1, passed: false }),
  ev(P.p4, M1, 'mdf-request', 'R1', req('webinar', 500000, 5000000, 'auto-vetoed', 'USD')),
  ev(P.p5, M1, 'mdf-request', 'R2', req('event', 1000000, 20000000, 'needs-review', 'USD')),
  ev(P.p5, M2, 'export', T1),
  ev(P.p5, M2, 'quiz-result', 'm2', { score: 1, passed: true }),
  ev(P.p6, M2, 'mdf-request', 'R3', req('webinar', 200000, 1000000, 'auto-approved', 'USD')),
  ev(P.p6, M2, 'template-open', T2),
  ev(P.p7, M1, 'export', T2),
  ev(P.p7, M1, 'playbook-step', PB2, { step: 's9', done: true }),
  ev(P.p8, M2, 'mdf-request', 'R4', req('event', 300000, 3000000, 'needs-review', 'EUR')),
];

/** The importer's partner dimension (insight_partners), as reports that described these partners would leave it. */
function registerPartners(db: Catalogue['db'], partners: PartnerDim[]): void {
  const source = db.prepare("INSERT INTO insight_sources (id, fingerprint, first_seen) VALUES (?, ?, '2026-01-01T00:00:00Z')");
  const add = db.prepare("INSERT INTO insight_partners (id, partner_id, source, name, tier, region, distributor_id, distributor_name, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2026-03-01T00:00:00Z')");
  for (const p of partners) {
    source.run(p.key, `fp-${p.key}`);
    add.run(p.key, p.partnerId, p.key, p.name, p.tier, p.region, p.distributorId, p.distributorName);
  }
}

function fixtureCatalogue() {
  const { catalogue } = seededCatalogue();
  registerPartners(catalogue.db, Object.values(P));
  // Two imports: the distributor's decisions and half the partners' events, then the rest.
  catalogue.transaction(() => {
    const r = openRollups(catalogue.db);
    for (const e of [...decisions, ...partnerEvents.slice(0, 12)]) r.add(e);
    r.flush();
  });
  catalogue.transaction(() => {
    const r = openRollups(catalogue.db);
    for (const e of partnerEvents.slice(12).reverse()) r.add(e);
    r.flush();
  });
  return catalogue;
}

const N = (id: string, name: string) => ({ id, name });
const north = N('north', dist.north);
const south = N('south', dist.south);
const direct = N('direct', 'Direct');
const t1 = N(T1, 'NimbusVault product one-pager (A4)');
const t2 = N(T2, 'NimbusVault email banner (600 × 200)');
const pb = N(PB, 'NimbusVault ransomware-readiness campaign');
const silver = N('silver', 'Silver');
const gold = N('gold', 'Gold');

function withoutTimings(d: Dashboard): Omit<Dashboard, 'timings'> {
  const { timings, ...rest } = d;
  expect(Object.keys(timings).length).toBeGreaterThan(0);
  return rest;
}

describe('dashboard over the hand-made fixture', () => {
  const catalogue = fixtureCatalogue();

  it('computes every table with no filter', () => {
    const d = withoutTimings(dashboardQuery(catalogue.db, {}));
    expect(d).toEqual({
      filters: { from: null, to: null, tier: null, region: null },
      options: {
        months: ['2026-01', '2026-02'],
        tiers: [silver, gold],
        regions: [N('apac', 'Asia Pacific'), N('emea', 'Europe, Middle East and Africa'), N('na', 'North America')],
      },
      currency: 'USD',
      totals: { partners: 8, activePartners: 8, events: 27, exports: 6, trainingPassed: 3, mdfRequested: 2000000, mdfApproved: 1000000, pipeline: 29000000 },
      engagement: [
        { distributor: north, partners: 3, activePartners: 3, exports: 3, trainingPassed: 2, completionRate: 2 / 3 },
        { distributor: south, partners: 3, activePartners: 3, exports: 2, trainingPassed: 1, completionRate: 1 / 3 },
        { distributor: direct, partners: 2, activePartners: 2, exports: 1, trainingPassed: 0, completionRate: 0 },
      ],
      topTemplates: [
        { template: t1, exports: 3, opens: 2 },
        { template: t2, exports: 2, opens: 2 },
        { template: N(T3, T3), exports: 1, opens: 0 },
      ],
      topPlaybooks: [
        { playbook: pb, steps: 1, exports: 1 },
        { playbook: N(PB2, PB2), steps: 1, exports: 0 },
      ],
      trainingByTier: [
        { tier: silver, partners: 3, attempted: 1, passed: 0, rate: 0 },
        { tier: gold, partners: 4, attempted: 3, passed: 3, rate: 0.75 },
        { tier: N('', 'No tier'), partners: 1, attempted: 0, passed: 0, rate: 0 },
      ],
      mdfByDistributor: [
        { distributor: south, requests: 3, requested: 1800000, approved: 1, vetoed: 1, rejected: 1, pending: 0, approvedAmount: 800000, pipeline: 28000000, approvedPipeline: 20000000 },
        { distributor: direct, requests: 1, requested: 200000, approved: 1, vetoed: 0, rejected: 0, pending: 0, approvedAmount: 200000, pipeline: 1000000, approvedPipeline: 1000000 },
      ],
      mdfByActivity: [
        { activity: N('event', 'event'), requests: 2, requested: 1300000, approved: 1, vetoed: 0, approvedAmount: 800000, pipeline: 23000000 },
        { activity: N('webinar', 'Webinar'), requests: 2, requested: 700000, approved: 1, vetoed: 1, approvedAmount: 200000, pipeline: 6000000 },
      ],
      monthly: [
        { month: '2026-01', activePartners: 5, exports: 4, trainingPassed: 0, mdfRequested: 1500000 },
        { month: '2026-02', activePartners: 6, exports: 2, trainingPassed: 3, mdfRequested: 500000 },
      ],
    });
  });

  it('filters by tier', () => {
    const d = dashboardQuery(catalogue.db, { tier: 'gold' });
    expect(d.totals).toEqual({ partners: 4, activePartners: 4, events: 13, exports: 4, trainingPassed: 3, mdfRequested: 1300000, mdfApproved: 800000, pipeline: 23000000 });
    expect(d.currency).toBe('EUR'); // one USD and one EUR request: a tie goes to the first alphabetically
    expect(d.engagement).toEqual([
      { distributor: north, partners: 2, activePartners: 2, exports: 3, trainingPassed: 2, completionRate: 1 },
      { distributor: south, partners: 2, activePartners: 2, exports: 1, trainingPassed: 1, completionRate: 0.5 },
    ]);
    expect(d.topTemplates).toEqual([
      { template: t1, exports: 3, opens: 1 },
      { template: t2, exports: 1, opens: 1 },
    ]);
    expect(d.topPlaybooks).toEqual([{ playbook: pb, steps: 1, exports: 0 }]);
    expect(d.trainingByTier).toEqual([{ tier: gold, partners: 4, attempted: 3, passed: 3, rate: 0.75 }]);
    expect(d.mdfByDistributor).toEqual([{ distributor: south, requests: 2, requested: 1300000, approved: 1, vetoed: 0, rejected: 1, pending: 0, approvedAmount: 800000, pipeline: 23000000, approvedPipeline: 20000000 }]);
    expect(d.mdfByActivity).toEqual([{ activity: N('event', 'event'), requests: 2, requested: 1300000, approved: 1, vetoed: 0, approvedAmount: 800000, pipeline: 23000000 }]);
    expect(d.monthly).toEqual([
      { month: '2026-01', activePartners: 3, exports: 2, trainingPassed: 0, mdfRequested: 1000000 },
      { month: '2026-02', activePartners: 4, exports: 2, trainingPassed: 3, mdfRequested: 300000 },
    ]);
    // The options do not depend on the filters.
    expect(d.options.tiers).toEqual([silver, gold]);
  });

  it('filters by region and period together', () => {
    const d = dashboardQuery(catalogue.db, { region: 'emea', from: '2026-02', to: '2026-02' });
    expect(d.totals).toEqual({ partners: 4, activePartners: 3, events: 6, exports: 0, trainingPassed: 1, mdfRequested: 300000, mdfApproved: 0, pipeline: 3000000 });
    expect(d.currency).toBe('EUR');
    expect(d.engagement).toEqual([
      { distributor: north, partners: 2, activePartners: 2, exports: 0, trainingPassed: 1, completionRate: 0.5 },
      { distributor: south, partners: 1, activePartners: 1, exports: 0, trainingPassed: 0, completionRate: 0 },
      { distributor: direct, partners: 1, activePartners: 0, exports: 0, trainingPassed: 0, completionRate: 0 },
    ]);
    expect(d.topTemplates).toEqual([{ template: t1, exports: 0, opens: 1 }]);
    expect(d.topPlaybooks).toEqual([{ playbook: pb, steps: 1, exports: 1 }]);
    expect(d.trainingByTier).toEqual([
      { tier: silver, partners: 1, attempted: 0, passed: 0, rate: 0 },
      { tier: gold, partners: 2, attempted: 1, passed: 1, rate: 0.5 },
      { tier: N('', 'No tier'), partners: 1, attempted: 0, passed: 0, rate: 0 },
    ]);
    expect(d.mdfByDistributor).toEqual([{ distributor: south, requests: 1, requested: 300000, approved: 0, vetoed: 0, rejected: 1, pending: 0, approvedAmount: 0, pipeline: 3000000, approvedPipeline: 0 }]);
    expect(d.mdfByActivity).toEqual([{ activity: N('event', 'event'), requests: 1, requested: 300000, approved: 0, vetoed: 0, approvedAmount: 0, pipeline: 3000000 }]);
    expect(d.monthly).toEqual([{ month: '2026-02', activePartners: 3, exports: 0, trainingPassed: 1, mdfRequested: 300000 }]);
  });

  it('filters by period alone (a request approved in a later month counts in its own month)', () => {
    const d = dashboardQuery(catalogue.db, { to: '2026-01' });
    expect(d.totals).toEqual({ partners: 8, activePartners: 5, events: 11, exports: 4, trainingPassed: 0, mdfRequested: 1500000, mdfApproved: 800000, pipeline: 25000000 });
    expect(d.mdfByDistributor.map((r) => [r.distributor.id, r.approved, r.vetoed, r.pending])).toEqual([['south', 1, 1, 0]]);
    expect(d.monthly.map((m) => m.month)).toEqual(['2026-01']);
  });

  it('limits the top lists and gives every row in CSV', () => {
    expect(dashboardQuery(catalogue.db, {}, { top: 1 }).topTemplates).toEqual([{ template: t1, exports: 3, opens: 2 }]);
    const { csv, rows } = dashboardCsv(catalogue.db, 'top-templates', {});
    expect(rows).toBe(3);
    expect(parseCsv(csv).records.map((r) => r.cells)).toEqual([
      [T1, t1.name, '3', '2'],
      [T2, t2.name, '2', '2'],
      [T3, T3, '1', '0'],
    ]);
  });

  it('writes every table as CSV, amounts in currency units', () => {
    const tables = { engagement: 3, 'top-templates': 3, 'top-playbooks': 2, 'training-by-tier': 3, 'mdf-by-distributor': 2, 'mdf-by-activity': 2, monthly: 2 } as const;
    for (const [table, n] of Object.entries(tables)) {
      const { csv, rows } = dashboardCsv(catalogue.db, table as keyof typeof tables, {});
      const parsed = parseCsv(csv);
      expect(rows, table).toBe(n);
      expect(parsed.records.length, table).toBe(n);
      expect(csv.endsWith('\r\n')).toBe(true);
    }
    const mdf = parseCsv(dashboardCsv(catalogue.db, 'mdf-by-distributor', {}).csv);
    expect(mdf.header).toEqual(['distributor_id', 'distributor', 'requests', 'requested_USD', 'approved', 'vetoed', 'rejected', 'pending', 'approved_amount_USD', 'pipeline_USD', 'approved_pipeline_USD']);
    expect(mdf.records[0]!.cells).toEqual(['south', dist.south, '3', '18000.00', '1', '1', '1', '0', '8000.00', '280000.00', '200000.00']);
    const eng = parseCsv(dashboardCsv(catalogue.db, 'engagement', { tier: 'gold' }).csv);
    expect(eng.records.map((r) => r.cells)).toEqual([
      ['north', dist.north, '2', '2', '3', '2', '1'],
      ['south', dist.south, '2', '2', '1', '1', '0.5'],
    ]);
  });
});

describe('CSV escaping', () => {
  it('neutralises cells a spreadsheet would run as a formula', () => {
    expect(escapeCsvCell('=1+1')).toBe("'=1+1");
    expect(escapeCsvCell('+1')).toBe("'+1");
    expect(escapeCsvCell('-2')).toBe("'-2");
    expect(escapeCsvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(escapeCsvCell('\t=cmd')).toBe('"\'\t=cmd"');
    expect(escapeCsvCell('\r=cmd')).toBe('"\'\r=cmd"');
    expect(escapeCsvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(escapeCsvCell('Plain, with comma')).toBe('"Plain, with comma"');
    expect(escapeCsvCell('ok')).toBe('ok');
    expect(toCsv(['a'], [['=x']])).toBe("a\r\n'=x\r\n");
  });

  it('escapes names that came from reports in dashboard CSV', () => {
    const { catalogue } = emptyCatalogue();
    const evil: PartnerDim = { key: 1, partnerId: 'p1', name: 'P', tier: '=cmd|"/c calc"!A1', region: '@region', distributorId: '+evil', distributorName: '=HYPERLINK("http://x")' };
    registerPartners(catalogue.db, [evil]);
    catalogue.transaction(() => {
      const r = openRollups(catalogue.db);
      r.add({ source: 1, seq: 1, partner: evil, at: '2026-03-01T00:00:00Z', month: '2026-03', kind: 'export', subject: '-2+3', brand: null, data: {} });
      r.add({ source: 1, seq: 2, partner: evil, at: '2026-03-01T00:00:01Z', month: '2026-03', kind: 'mdf-request', subject: 'R', brand: null, data: { activityType: '@act', budget: 100, pipeline: 5, verdict: 'auto-approved', currency: 'USD' } });
      r.flush();
    });
    const check = (table: Parameters<typeof dashboardCsv>[1]) => {
      const { csv } = dashboardCsv(catalogue.db, table, {});
      for (const rec of parseCsv(csv).records) for (const cell of rec.cells) expect(cell, `${table}: ${cell}`).not.toMatch(/^[=+\-@\t\r]/);
      return csv;
    };
    expect(check('engagement')).toContain(`'+evil,"'=HYPERLINK(""http://x"")"`);
    expect(check('top-templates')).toContain("'-2+3");
    expect(check('training-by-tier')).toContain('\'=cmd|""/c calc""!A1');
    expect(check('mdf-by-activity')).toContain("'@act");
    check('mdf-by-distributor');
  });
});

// ---- property: the rollups agree with a naive recomputation from the raw events

const PARTNERS: PartnerDim[] = [
  partner(1, 'gold', 'emea', 'north'),
  partner(2, 'gold', 'na', 'north'),
  partner(3, 'silver', 'emea', 'south'),
  partner(4, null, 'na', 'south'),
  partner(5, 'silver', null, 'direct'),
  partner(6, 'gold', 'emea', 'direct'),
];
const MONTHS = ['2025-11', '2025-12', '2026-01', '2026-02'];

function naive(events: ImportedEvent[], f: { from: string | null; to: string | null; tier: string | null; region: string | null }) {
  const inPeriod = (m: string) => (f.from === null || m >= f.from) && (f.to === null || m <= f.to);
  const dimOk = (tier: string, region: string) => (f.tier === null || tier === f.tier) && (f.region === null || region === f.region);
  const pDimOk = (p: PartnerDim) => dimOk(p.tier ?? '', p.region ?? '');
  // Every partner is known (registered), with or without events.
  const partners = PARTNERS.filter(pDimOk);
  const periodEvents = events.filter((e) => inPeriod(e.month) && dimOk(e.partner?.tier ?? '', e.partner?.region ?? ''));
  const active = new Set(periodEvents.filter((e) => e.partner).map((e) => e.partner!.key));
  const passedEv = periodEvents.filter((e) => e.partner && e.kind === 'quiz-result' && isTrue(e.data['passed']));
  const passed = new Set(passedEv.map((e) => e.partner!.key));
  const attempted = new Set(periodEvents.filter((e) => e.partner && e.kind === 'quiz-result').map((e) => e.partner!.key));
  const exportsEv = periodEvents.filter((e) => e.kind === 'export');
  const dists = new Set([...partners.map((p) => p.distributorId), ...periodEvents.filter((e) => e.partner).map((e) => e.partner!.distributorId)]);
  const engagement = [...dists].sort().map((d) => {
    const ps = partners.filter((p) => p.distributorId === d);
    const n = ps.filter((p) => passed.has(p.key)).length;
    return { id: d, partners: ps.length, activePartners: ps.filter((p) => active.has(p.key)).length, exports: exportsEv.filter((e) => e.partner?.distributorId === d).length, trainingPassed: n, completionRate: ps.length ? n / ps.length : 0 };
  });
  const tiers = [...new Set(partners.map((p) => p.tier ?? ''))].sort().map((t) => {
    const ps = partners.filter((p) => (p.tier ?? '') === t);
    const n = ps.filter((p) => passed.has(p.key)).length;
    return { id: t, partners: ps.length, attempted: ps.filter((p) => attempted.has(p.key)).length, passed: n, rate: ps.length ? n / ps.length : 0 };
  });
  const count = (kind: string, subject: string, done = false) => periodEvents.filter((e) => e.kind === kind && e.subject === subject && (!done || isTrue(e.data['done']))).length;
  const tplIds = [...new Set(periodEvents.filter((e) => e.kind === 'export' || e.kind === 'template-open').map((e) => e.subject))].sort();
  const pbIds = [...new Set(periodEvents.filter((e) => (e.kind === 'playbook-step' && isTrue(e.data['done'])) || e.kind === 'playbook-export').map((e) => e.subject))].sort();
  // MDF: latest request and latest decision per id, by (at, source, seq).
  const later = (a: ImportedEvent, b: ImportedEvent) => a.at > b.at || (a.at === b.at && (a.source > b.source || (a.source === b.source && a.seq > b.seq)));
  const reqs = new Map<string, ImportedEvent>();
  const decs = new Map<string, ImportedEvent>();
  for (const e of events) {
    const m = e.kind === 'mdf-request' ? reqs : e.kind === 'mdf-decision' ? decs : null;
    if (m && (!m.has(e.subject) || later(e, m.get(e.subject)!))) m.set(e.subject, e);
  }
  const facts = [...reqs.entries()]
    .map(([id, r]) => {
      const dec = decs.get(id);
      const decision = dec ? String(dec.data['decision']) : null;
      const status = decision === 'approved' ? 'approved' : decision === 'rejected' ? 'rejected' : decision ? 'pending' : r.data['verdict'] === 'auto-vetoed' ? 'vetoed' : r.data['verdict'] === 'auto-approved' ? 'approved' : 'pending';
      const budget = Number(r.data['budget']);
      const approvedAmount = status !== 'approved' ? 0 : decision === 'approved' && typeof dec!.data['budget'] === 'number' ? (dec!.data['budget'] as number) : budget;
      return { month: r.month, d: r.partner!.distributorId, tier: r.partner!.tier ?? '', region: r.partner!.region ?? '', act: String(r.data['activityType']), status, budget, pipeline: Number(r.data['pipeline']), approvedAmount };
    })
    .filter((x) => inPeriod(x.month) && dimOk(x.tier, x.region));
  const mdfAgg = (xs: typeof facts) => ({
    requests: xs.length,
    requested: xs.reduce((s, x) => s + x.budget, 0),
    approved: xs.filter((x) => x.status === 'approved').length,
    vetoed: xs.filter((x) => x.status === 'vetoed').length,
    rejected: xs.filter((x) => x.status === 'rejected').length,
    pending: xs.filter((x) => x.status === 'pending').length,
    approvedAmount: xs.reduce((s, x) => s + x.approvedAmount, 0),
    pipeline: xs.reduce((s, x) => s + x.pipeline, 0),
    approvedPipeline: xs.filter((x) => x.status === 'approved').reduce((s, x) => s + x.pipeline, 0),
  });
  const months = [...new Set([...periodEvents.map((e) => e.month), ...facts.map((x) => x.month)])].sort();
  return {
    totals: {
      partners: partners.length,
      activePartners: partners.filter((p) => active.has(p.key)).length,
      events: periodEvents.length,
      exports: exportsEv.length,
      trainingPassed: partners.filter((p) => passed.has(p.key)).length,
      mdfRequested: mdfAgg(facts).requested,
      mdfApproved: mdfAgg(facts).approvedAmount,
      pipeline: mdfAgg(facts).pipeline,
    },
    engagement,
    tiers,
    templates: tplIds.map((id) => ({ id, exports: count('export', id), opens: count('template-open', id) })),
    playbooks: pbIds.map((id) => ({ id, steps: count('playbook-step', id, true), exports: count('playbook-export', id) })),
    mdfByDistributor: [...new Set(facts.map((x) => x.d))].sort().map((d) => ({ id: d, ...mdfAgg(facts.filter((x) => x.d === d)) })),
    mdfByActivity: [...new Set(facts.map((x) => x.act))].sort().map((a) => {
      const { rejected: _r, pending: _p, approvedPipeline: _ap, ...rest } = mdfAgg(facts.filter((x) => x.act === a));
      return { id: a, ...rest };
    }),
    monthly: months.map((m) => ({
      month: m,
      activePartners: partners.filter((p) => periodEvents.some((e) => e.month === m && e.partner?.key === p.key)).length,
      exports: exportsEv.filter((e) => e.month === m).length,
      trainingPassed: partners.filter((p) => passedEv.some((e) => e.month === m && e.partner!.key === p.key)).length,
      mdfRequested: facts.filter((x) => x.month === m).reduce((s, x) => s + x.budget, 0),
    })),
  };
}

function fromDashboard(d: Dashboard): ReturnType<typeof naive> {
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
  return {
    totals: d.totals,
    engagement: byId(d.engagement.map(({ distributor, ...r }) => ({ id: distributor.id, ...r }))),
    tiers: byId(d.trainingByTier.map(({ tier, ...r }) => ({ id: tier.id, ...r }))),
    templates: byId(d.topTemplates.map(({ template, ...r }) => ({ id: template.id, ...r }))),
    playbooks: byId(d.topPlaybooks.map(({ playbook, ...r }) => ({ id: playbook.id, ...r }))),
    mdfByDistributor: byId(d.mdfByDistributor.map(({ distributor, ...r }) => ({ id: distributor.id, ...r }))),
    mdfByActivity: byId(d.mdfByActivity.map(({ activity, ...r }) => ({ id: activity.id, ...r }))),
    monthly: d.monthly,
  };
}

const arbEvent = fc.record({
  partner: fc.option(fc.constantFrom(...PARTNERS), { freq: 8 }),
  month: fc.constantFrom(...MONTHS),
  day: fc.integer({ min: 1, max: 3 }),
  kind: fc.constantFrom<EventKind>('template-open', 'export', 'playbook-step', 'playbook-export', 'quiz-result', 'mdf-request', 'mdf-decision'),
  subject: fc.constantFrom('a', 'b', 'c'),
  flag: fc.boolean(),
  verdict: fc.constantFrom('auto-vetoed', 'needs-review', 'auto-approved'),
  decision: fc.constantFrom('approved', 'rejected', 'changes-requested'),
  activity: fc.constantFrom('webinar', 'event'),
  budget: fc.integer({ min: 0, max: 100000 }),
  withBudget: fc.boolean(),
});

describe('rollups against a naive recomputation', () => {
  it('agree for random event sets, split across imports, for any filter', () => {
    fc.assert(
      fc.property(
        fc.array(arbEvent, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 3 }),
        fc.record({ from: fc.option(fc.constantFrom(...MONTHS)), to: fc.option(fc.constantFrom(...MONTHS)), tier: fc.option(fc.constantFrom('gold', 'silver', 'none')), region: fc.option(fc.constantFrom('emea', 'na')) }),
        (raw, cuts, filters) => {
          const events: ImportedEvent[] = raw.map((r, i) => {
            // Requests come from partners; decisions mostly from the distributor (no partner).
            const p = r.kind === 'mdf-request' ? (r.partner ?? PARTNERS[0]!) : r.kind === 'mdf-decision' ? null : r.partner;
            const data: ImportedEvent['data'] =
              r.kind === 'quiz-result'
                ? { score: r.flag ? 1 : 0, passed: r.flag }
                : r.kind === 'playbook-step'
                  ? { step: 's', done: r.flag }
                  : r.kind === 'mdf-request'
                    ? { activityType: r.activity, budget: r.budget, pipeline: r.budget * 3, verdict: r.verdict, currency: 'USD' }
                    : r.kind === 'mdf-decision'
                      ? { decision: r.decision, ...(r.withBudget ? { budget: r.budget } : {}), currency: 'USD' }
                      : {};
            return { source: p ? p.key : 99, seq: i + 1, partner: p, at: `${r.month}-0${r.day}T00:00:00Z`, month: r.month, kind: r.kind, subject: r.subject, brand: null, data };
          });
          const { catalogue } = emptyCatalogue();
          registerPartners(catalogue.db, PARTNERS);
          try {
            const bounds = [0, ...cuts.map((c) => Math.min(c, events.length)).sort((a, b) => a - b), events.length];
            for (let i = 0; i + 1 < bounds.length; i++) {
              catalogue.transaction(() => {
                const r = openRollups(catalogue.db);
                for (const e of events.slice(bounds[i], bounds[i + 1])) r.add(e);
                r.flush();
              });
            }
            const f = { from: filters.from, to: filters.to, tier: filters.tier, region: filters.region };
            expect(fromDashboard(dashboardQuery(catalogue.db, f as DashboardFiltersInput, { top: 1000 }))).toEqual(naive(events, f));
          } finally {
            catalogue.close();
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('a partner that moves to another tier', () => {
  it('keeps events where they were counted and moves its partner counts to the new tier', () => {
    const { catalogue } = emptyCatalogue();
    const before = partner(1, 'silver', 'na', 'north');
    const after = partner(1, 'gold', 'na', 'south');
    registerPartners(catalogue.db, [after]); // the importer's dimension: the latest report wins
    const e = (p: PartnerDim, seq: number, month: string, kind: EventKind, data: ImportedEvent['data'] = {}): ImportedEvent => ({ source: 1, seq, partner: p, at: `${month}-05T00:00:00Z`, month, kind, subject: 'm', brand: null, data });
    catalogue.transaction(() => {
      const r = openRollups(catalogue.db);
      r.add(e(before, 1, '2026-01', 'export'));
      r.add(e(before, 2, '2026-02', 'quiz-result', { passed: true }));
      r.flush();
    });
    catalogue.transaction(() => {
      const r = openRollups(catalogue.db);
      r.add(e(after, 3, '2026-03', 'template-open'));
      r.flush();
    });
    const gold = dashboardQuery(catalogue.db, { tier: 'gold' });
    expect(gold.totals).toMatchObject({ partners: 1, activePartners: 1, events: 1, exports: 0, trainingPassed: 1 });
    expect(gold.engagement.map((r) => [r.distributor.id, r.activePartners, r.trainingPassed])).toEqual([['south', 1, 1]]);
    expect(gold.monthly).toEqual([
      { month: '2026-01', activePartners: 1, exports: 0, trainingPassed: 0, mdfRequested: 0 },
      { month: '2026-02', activePartners: 1, exports: 0, trainingPassed: 1, mdfRequested: 0 },
      { month: '2026-03', activePartners: 1, exports: 0, trainingPassed: 0, mdfRequested: 0 },
    ]);
    const silver = dashboardQuery(catalogue.db, { tier: 'silver' });
    expect(silver.totals).toMatchObject({ partners: 0, activePartners: 0, events: 2, exports: 1, trainingPassed: 0 });
    expect(silver.monthly).toEqual([
      { month: '2026-01', activePartners: 0, exports: 1, trainingPassed: 0, mdfRequested: 0 },
      { month: '2026-02', activePartners: 0, exports: 0, trainingPassed: 0, mdfRequested: 0 },
    ]);
    // Per month, by the partner's latest tier (gold), whatever month the filter lists.
    const all = dashboardQuery(catalogue.db, {});
    expect(all.monthly.map((m) => [m.month, m.activePartners, m.trainingPassed])).toEqual([
      ['2026-01', 1, 0],
      ['2026-02', 1, 1],
      ['2026-03', 1, 0],
    ]);
    const goldRows = catalogue.db.prepare("SELECT month, active, passed FROM insight_rollup_monthly_partners WHERE tier = 'gold' AND region = '*' ORDER BY month").all();
    expect(goldRows).toEqual([
      { month: '2026-01', active: 1, passed: 0 },
      { month: '2026-02', active: 1, passed: 1 },
      { month: '2026-03', active: 1, passed: 0 },
    ]);
    expect(catalogue.db.prepare("SELECT sum(active) AS a, sum(passed) AS p FROM insight_rollup_monthly_partners WHERE tier = 'silver'").get()).toEqual({ a: 0, p: 0 });
    catalogue.close();
  });
});
