import { z } from 'zod';
import { Base64, Empty, op } from './op.ts';

/**
 * The activity ledger and channel insights (issue #8, docs/decisions/0027):
 * a partner's signed activity report, a distributor's signed aggregate of
 * its partners' reports, the vendor's import of those aggregates, and the
 * dashboards over what was imported. Amounts are whole cents.
 */

const Path = z.string().min(1).max(4096).nullable().default(null);
const Written = z.object({ path: z.string(), fileName: z.string(), byteLength: z.number() });
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM');

/** What the app records in the append-only activity ledger. */
export const EVENT_KINDS = ['template-open', 'export', 'playbook-step', 'playbook-export', 'quiz-result', 'mdf-request', 'mdf-decision'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const DashboardFilters = z
  .object({
    /** First and last month included (calendar months, UTC); null: open-ended. */
    from: Month.nullable().default(null),
    to: Month.nullable().default(null),
    tier: z.string().max(120).nullable().default(null),
    region: z.string().max(120).nullable().default(null),
  })
  .strict();
export type DashboardFilters = z.infer<typeof DashboardFilters>;
export type DashboardFiltersInput = z.input<typeof DashboardFilters>;

const Named = z.object({ id: z.string(), name: z.string() });

export const DASHBOARD_TABLES = ['engagement', 'top-templates', 'top-playbooks', 'training-by-tier', 'mdf-by-distributor', 'mdf-by-activity', 'monthly'] as const;
export type DashboardTable = (typeof DASHBOARD_TABLES)[number];

export const Dashboard = z.object({
  filters: DashboardFilters,
  /** What the filters can be set to: months with data, tiers and regions seen. */
  options: z.object({ months: z.array(z.string()), tiers: z.array(Named), regions: z.array(Named) }),
  currency: z.string(),
  totals: z.object({ partners: z.number(), activePartners: z.number(), events: z.number(), exports: z.number(), trainingPassed: z.number(), mdfRequested: z.number(), mdfApproved: z.number(), pipeline: z.number() }),
  /** Per distributor ("direct" for partners reporting straight to the vendor). */
  engagement: z.array(z.object({ distributor: Named, partners: z.number(), activePartners: z.number(), exports: z.number(), trainingPassed: z.number(), completionRate: z.number() })),
  topTemplates: z.array(z.object({ template: Named, exports: z.number(), opens: z.number() })),
  topPlaybooks: z.array(z.object({ playbook: Named, steps: z.number(), exports: z.number() })),
  /** Partners of each tier that passed at least one module, of those in the tier. */
  trainingByTier: z.array(z.object({ tier: Named, partners: z.number(), attempted: z.number(), passed: z.number(), rate: z.number() })),
  mdfByDistributor: z.array(z.object({ distributor: Named, requests: z.number(), requested: z.number(), approved: z.number(), vetoed: z.number(), rejected: z.number(), pending: z.number(), approvedAmount: z.number(), pipeline: z.number(), approvedPipeline: z.number() })),
  mdfByActivity: z.array(z.object({ activity: Named, requests: z.number(), requested: z.number(), approved: z.number(), vetoed: z.number(), approvedAmount: z.number(), pipeline: z.number() })),
  monthly: z.array(z.object({ month: z.string(), activePartners: z.number(), exports: z.number(), trainingPassed: z.number(), mdfRequested: z.number() })),
  /** How long each query took in the backend, ms. */
  timings: z.record(z.string(), z.number()),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const ImportSummary = z.object({
  kind: z.enum(['partner', 'distributor']),
  issuer: z.object({ id: z.string(), name: z.string(), fingerprint: z.string() }),
  /** Lines of events in the report, and how many were new here (the rest were already imported). */
  events: z.number(),
  added: z.number(),
  duplicates: z.number(),
  partners: z.number(),
  /** The same report (by sha256) was imported before: nothing changed. */
  alreadyImported: z.boolean(),
  ms: z.number(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const INSIGHTS_API = {
  /** The partner's own ledger: counts by kind and the latest events, as the report will carry them. */
  'insights:activity': op(
    Empty,
    z.object({
      counts: z.record(z.string(), z.number()),
      total: z.number(),
      latest: z.array(z.object({ seq: z.number(), at: z.string(), kind: z.enum(EVENT_KINDS), subject: z.string(), summary: z.string() })),
    }),
  ),
  /** The partner's signed activity report (`.lockup-activity`, line-delimited; docs/activity-report-format.md). */
  'insights:report-export': op(z.object({ path: Path }).strict(), Written.extend({ events: z.number() })),
  /** A distributor imports its partners' reports; a vendor imports distributors' aggregates (or partners' reports). */
  'insights:import': op(z.object({ name: z.string().min(1).max(255), data: Base64 }).strict(), ImportSummary),
  'insights:imports': op(Empty, z.array(z.object({ sha256: z.string(), kind: z.enum(['partner', 'distributor']), issuer: z.string(), events: z.number(), added: z.number(), importedAt: z.string() }))),
  /** The distributor's signed aggregate of every partner report it imported, plus its own MDF decisions. */
  'insights:aggregate-export': op(z.object({ path: Path }).strict(), Written.extend({ events: z.number(), partners: z.number() })),
  'insights:dashboard': op(z.object({ filters: DashboardFilters }).strict(), Dashboard),
  /** One dashboard table as CSV (cells that a spreadsheet would run as a formula are escaped). */
  'insights:csv': op(z.object({ table: z.enum(DASHBOARD_TABLES), filters: DashboardFilters, path: Path }).strict(), Written.extend({ rows: z.number() })),
} as const;
