import type { Migration } from '../migrate.ts';

/**
 * The dashboards' pre-aggregated tables (issue #8, backend/insights/rollups.ts).
 * Raw events stay in insight_events (0009); these tables are written by the
 * importer's `Rollups` in the same transaction, so they always agree with
 * the events stored. Text dimensions use '' for "none" (they are part of
 * primary keys). Amounts are whole cents.
 *
 * Event counts are attributed to the distributor, tier and region the
 * partner had in the report that carried the event; partner counts (active,
 * trained) use the partner's latest dimensions as its events brought them.
 */
export const migration: Migration = {
  version: 10,
  name: '0010-insight-rollups',
  up(db) {
    db.exec(`
      -- The partner dimension is the importer's insight_partners (0009): every partner a report described, with or without events.
      CREATE INDEX insight_partners_by_dims ON insight_partners(tier, region, distributor_id);
      CREATE INDEX insight_partners_by_region ON insight_partners(region, distributor_id);

      CREATE TABLE insight_rollup_distributors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL
      ) WITHOUT ROWID;

      -- Per partner and calendar year: bit m-1 set when the partner had any event / a quiz result / a passing quiz result in month m.
      -- The partner's latest dimensions are copied here so "active in period" is one scan without a join.
      -- Year 0 is "ever": bit 0 set when the partner had any event / quiz result / pass at all, so all-time figures
      -- read one row per partner; with the index by year, so does a period inside one calendar year.
      CREATE TABLE insight_rollup_partner_years (
        partner_key INTEGER NOT NULL,
        year INTEGER NOT NULL,
        distributor_id TEXT NOT NULL,
        tier TEXT NOT NULL,
        region TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 0,
        attempted INTEGER NOT NULL DEFAULT 0,
        passed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (partner_key, year)
      ) WITHOUT ROWID;
      CREATE INDEX insight_rollup_partner_years_by_year ON insight_rollup_partner_years(year, distributor_id, tier, region, active, attempted, passed);

      -- The tables below are kept at four grains so that any tier / region filter reads one slice: the real
      -- (tier, region), (tier, '*'), ('*', region) and ('*', '*'), where '*' stands for "any".

      -- Event counts per month, distributor and kind.
      CREATE TABLE insight_rollup_counts (
        tier TEXT NOT NULL,
        region TEXT NOT NULL,
        month TEXT NOT NULL,
        distributor_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (tier, region, month, distributor_id, kind)
      ) WITHOUT ROWID;

      -- Template opens and exports, playbook steps done and playbook exports, per subject and month.
      CREATE TABLE insight_rollup_subjects (
        tier TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        month TEXT NOT NULL,
        subject TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (tier, region, kind, month, subject)
      ) WITHOUT ROWID;

      -- Partners active (any event) and partners with a passing quiz result, per month (by the partner's latest dimensions).
      CREATE TABLE insight_rollup_monthly_partners (
        tier TEXT NOT NULL,
        region TEXT NOT NULL,
        month TEXT NOT NULL,
        active INTEGER NOT NULL,
        passed INTEGER NOT NULL,
        PRIMARY KEY (tier, region, month)
      ) WITHOUT ROWID;

      -- MDF requests per month of request, distributor, activity type, status and currency (kept in step with insight_rollup_mdf).
      CREATE TABLE insight_rollup_mdf_totals (
        tier TEXT NOT NULL,
        region TEXT NOT NULL,
        month TEXT NOT NULL,
        distributor_id TEXT NOT NULL,
        activity_type TEXT NOT NULL,
        status TEXT NOT NULL,
        currency TEXT NOT NULL,
        n INTEGER NOT NULL,
        budget INTEGER NOT NULL,
        pipeline INTEGER NOT NULL,
        approved_amount INTEGER NOT NULL,
        PRIMARY KEY (tier, region, month, distributor_id, activity_type, status, currency)
      ) WITHOUT ROWID;

      -- One row per MDF request id. has_request = 0 while only decisions about it have arrived (not counted yet).
      -- Request fields come from the latest request event, the decision from the latest decision event (by time, then source and seq).
      CREATE TABLE insight_rollup_mdf (
        request_id TEXT PRIMARY KEY,
        has_request INTEGER NOT NULL DEFAULT 0,
        request_order TEXT NOT NULL DEFAULT '',
        month TEXT NOT NULL DEFAULT '',
        partner_key INTEGER,
        distributor_id TEXT NOT NULL DEFAULT '',
        tier TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        activity_type TEXT NOT NULL DEFAULT '',
        verdict TEXT NOT NULL DEFAULT '',
        budget INTEGER NOT NULL DEFAULT 0,
        pipeline INTEGER NOT NULL DEFAULT 0,
        currency TEXT NOT NULL DEFAULT '',
        decision TEXT,
        decision_order TEXT NOT NULL DEFAULT '',
        decision_budget INTEGER,
        -- Derived from the two above: approved | vetoed | rejected | pending, and the amount approved (the decision's budget, else the request's).
        status TEXT NOT NULL DEFAULT 'pending',
        approved_amount INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
    `);
  },
};
