import type { EventKind } from '../../core/contracts/insights-api.ts';
import type { ReportKind } from '../../core/insights/report.ts';
import { fingerprint, generateSigningKey, type SigningKey } from '../packs/keys.ts';
import { ReportWriter, reportHeader, type WrittenReport } from './report.ts';

/**
 * Synthetic activity reports for the benchmark and tests: correctly signed,
 * in the documented format, written streaming, with plausible kinds,
 * subjects, dates, tiers, regions and MDF amounts. Deterministic for a
 * seed (except the signing key, which is made fresh unless one is given).
 */

export interface SyntheticOptions {
  kind: ReportKind;
  /** Partners whose events the report carries (1 for a partner report). */
  partners: number;
  events: number;
  seed?: number;
  /** The signer; a fresh key by default. */
  key?: SigningKey;
  /** Who signs (default: "partner-<n>" or "distributor-<seed>"). */
  issuer?: { id: string; name: string };
  /** Partner ids are `${partnerPrefix}${n}` (default "p<seed>-"), so reports with other prefixes describe other partners. */
  partnerPrefix?: string;
  /** First month "YYYY-MM" and how many months the events spread over (default 2025-01, 24). */
  from?: string;
  months?: number;
  tiers?: readonly string[];
  regions?: readonly string[];
  brand?: string;
  templates?: readonly string[];
  playbooks?: readonly string[];
  modules?: readonly string[];
  /** Events per partner start at this seq (default 1): a later report of the same partners starting lower overlaps an earlier one. */
  firstSeq?: number;
  createdAt?: Date;
}

export interface SyntheticReport extends WrittenReport {
  key: SigningKey;
  fingerprint: string;
}

const TIERS = ['registered', 'silver', 'gold', 'platinum'];
const REGIONS = ['na', 'latam', 'emea-north', 'emea-south', 'apac', 'anz'];
const TEMPLATES = ['product-one-pager-letter', 'event-invite-a4', 'social-square', 'email-banner', 'datasheet-a4', 'webinar-promo', 'case-study-letter', 'trade-show-banner', 'price-list-a4', 'holiday-promo'];
const PLAYBOOKS = ['launch-nimbus-cloud', 'win-back-campaign', 'security-awareness-month', 'partner-onboarding'];
const MODULES = ['nimbus-sales-basics', 'nimbus-technical-101', 'nimbus-security-advanced'];
const ACTIVITIES = ['events', 'webinar', 'digital-campaign', 'trade-show', 'print-collateral'];
const PROFILES = ['screen', 'print'];
/** Kinds by weight: opens and exports dominate, MDF is rare. */
const KIND_WEIGHTS: readonly [EventKind, number][] = [
  ['template-open', 34],
  ['export', 26],
  ['playbook-step', 14],
  ['playbook-export', 4],
  ['quiz-result', 12],
  ['mdf-request', 6],
  ['mdf-decision', 4],
];

/** mulberry32: small, fast, good enough for test data (the insights benchmark uses it too). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function writeSyntheticReport(file: string, options: SyntheticOptions): SyntheticReport {
  const seed = options.seed ?? 1;
  const r = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(r() * 16).toString(16);
    return s;
  };
  const fp = () => hex(32).match(/.{4}/g)!.join(' ');
  const kindTable: EventKind[] = KIND_WEIGHTS.flatMap(([k, w]) => Array<EventKind>(w).fill(k));
  const tiers = options.tiers ?? TIERS;
  const regions = options.regions ?? REGIONS;
  const templates = options.templates ?? TEMPLATES;
  const playbooks = options.playbooks ?? PLAYBOOKS;
  const modules = options.modules ?? MODULES;
  const brand = JSON.stringify(options.brand ?? 'nimbus');
  const [fy, fm] = (options.from ?? '2025-01').split('-').map(Number) as [number, number];
  const start = Date.UTC(fy, fm - 1, 1);
  const end = Date.UTC(fy, fm - 1 + (options.months ?? 24), 1);
  const span = end - start;
  const key = options.key ?? generateSigningKey({ id: 'synthetic', name: 'Synthetic data' });
  const keyFp = fingerprint(key.publicKey);
  const prefix = options.partnerPrefix ?? `p${seed}-`;
  const count = options.kind === 'partner' ? 1 : Math.max(1, options.partners);

  const partners = Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    source: options.kind === 'partner' ? keyFp : fp(),
    name: `Partner ${prefix}${i + 1}`,
    tier: pick(tiers),
    region: pick(regions),
    seq: options.firstSeq ?? 1,
  }));
  const issuer =
    options.issuer ?? (options.kind === 'partner' ? { id: partners[0]!.id, name: partners[0]!.name } : { id: `distributor-${seed}`, name: `Distributor ${seed}` });
  const header = reportHeader(
    options.kind,
    options.kind === 'partner' ? { ...issuer, tier: partners[0]!.tier, region: partners[0]!.region } : issuer,
    key,
    options.createdAt ?? new Date(end),
  );
  if (options.kind === 'partner') partners[0]!.id = issuer.id;
  const w = new ReportWriter(file, header);
  try {
    if (options.kind === 'distributor') {
      for (const p of partners) w.partner(JSON.stringify({ t: 'partner', id: p.id, source: p.source, name: p.name, tier: p.tier, region: p.region }));
    }
    const src = partners.map((p) => JSON.stringify(p.source));
    const pid = partners.map((p) => JSON.stringify(p.id));
    const openRequests: { id: string; budget: number; activity: string; pipeline: number }[] = [];
    // Each partner's share of the events, then the events partner by partner in seq order (as an aggregate
    // lists them, backend/insights/report.ts), each partner's times rising through the period.
    const shares = new Uint32Array(count);
    for (let i = 0; i < options.events; i++) shares[Math.floor(r() * count)]!++;
    for (let n = 0; n < count; n++) {
      const p = partners[n]!;
      const m = shares[n]!;
      openRequests.length = 0; // a partner's decisions are about its own requests
      for (let k = 0; k < m; k++) {
        const kind = kindTable[Math.floor(r() * kindTable.length)]!;
        const at = new Date(start + Math.floor(((k + r()) / m) * span)).toISOString();
        let subject: string;
        let data: string;
        switch (kind) {
          case 'template-open':
            subject = pick(templates);
            data = '{}';
            break;
          case 'export':
            subject = pick(templates);
            data = `{"profile":"${pick(PROFILES)}"}`;
            break;
          case 'playbook-step':
            subject = pick(playbooks);
            data = `{"step":"step-${1 + Math.floor(r() * 8)}","done":${r() < 0.9}}`;
            break;
          case 'playbook-export':
            subject = pick(playbooks);
            data = '{}';
            break;
          case 'quiz-result': {
            const score = Math.round(r() * 100) / 100;
            subject = pick(modules);
            data = `{"score":${score},"passed":${score >= 0.7}}`;
            break;
          }
          case 'mdf-request': {
            const id = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
            const budget = (5 + Math.floor(r() * 400)) * 10000;
            const activity = pick(ACTIVITIES);
            const pipeline = budget * (3 + Math.floor(r() * 10));
            const verdict = r() < 0.15 ? 'auto-vetoed' : budget <= 100000 ? 'auto-approved' : 'needs-review';
            openRequests.push({ id, budget, activity, pipeline });
            if (openRequests.length > 64) openRequests.shift();
            subject = id;
            data = `{"program":"nimbus-mdf","activityType":"${activity}","budget":${budget},"totalCost":${budget * 2},"pipeline":${pipeline},"leads":${10 + Math.floor(r() * 200)},"verdict":"${verdict}","currency":"USD","tier":"${p.tier}","distributor":${JSON.stringify(issuer.name)}}`;
            break;
          }
          case 'mdf-decision': {
            const req = openRequests.length > 0 ? openRequests[Math.floor(r() * openRequests.length)]! : { id: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`, budget: 250000, activity: 'webinar', pipeline: 1000000 };
            const x = r();
            subject = req.id;
            data = `{"decision":"${x < 0.7 ? 'approved' : x < 0.9 ? 'rejected' : 'changes-requested'}","partner":${pid[n]},"budget":${req.budget},"activityType":"${req.activity}","pipeline":${req.pipeline},"currency":"USD"}`;
            break;
          }
        }
        w.event(`{"t":"event","source":${src[n]},"seq":${p.seq++},"partner":${pid[n]},"at":"${at}","kind":"${kind}","subject":${JSON.stringify(subject)},"brand":${brand},"data":${data}}`);
      }
    }
  } catch (err) {
    w.abort();
    throw err;
  }
  return { ...w.finish(key), key, fingerprint: keyFp };
}
