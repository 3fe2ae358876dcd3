import type { Migration } from '../migrate.ts';

/**
 * The activity ledger and imported activity reports (issue #8,
 * docs/decisions/0027, docs/activity-report-format.md).
 *
 * Source side: `activity_ledger`, this install's own append-only record of
 * what was done in the app (template opens, exports, playbook steps, quiz
 * results, MDF requests and decisions). Its `seq` is, with the install key's
 * fingerprint, the event's identity everywhere it travels.
 *
 * Import side (a distributor's or vendor's catalogue): one `insight_sources`
 * row per install key seen (signing a report, or named as an event's source
 * in an aggregate); the issuer of a signed report is pinned to its key on
 * first import. `insight_partners` is the partner dimension (latest report
 * wins); `insight_events` the raw events, deduplicated by (source, seq);
 * `insight_imports` one row per report imported (by its sha256), so the same
 * report twice changes nothing. `insight_exports` lists the reports this
 * catalogue wrote, so the app may download or reveal them.
 */
export const migration: Migration = {
  version: 9,
  name: '0009-insights',
  up(db) {
    db.exec(`
      CREATE TABLE activity_ledger (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        brand_id TEXT,
        partner_id TEXT,
        data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data))
      );
      CREATE TRIGGER activity_ledger_no_update BEFORE UPDATE ON activity_ledger
      BEGIN SELECT RAISE(ABORT, 'the activity ledger is append-only'); END;
      CREATE TRIGGER activity_ledger_no_delete BEFORE DELETE ON activity_ledger
      BEGIN SELECT RAISE(ABORT, 'the activity ledger is append-only'); END;

      -- One per install key seen. kind/issuer are set when the key signed a report (the pin: one key per issuer).
      CREATE TABLE insight_sources (
        id INTEGER PRIMARY KEY,
        fingerprint TEXT NOT NULL UNIQUE,
        public_key TEXT,
        kind TEXT CHECK (kind IS NULL OR kind IN ('partner', 'distributor')),
        issuer_id TEXT,
        issuer_name TEXT,
        first_seen TEXT NOT NULL,
        CHECK ((kind IS NULL) = (issuer_id IS NULL))
      );
      CREATE UNIQUE INDEX insight_sources_by_issuer ON insight_sources(kind, issuer_id) WHERE kind IS NOT NULL;

      -- A partner as (its id, the install that speaks for it); the latest report (by createdAt) describes it.
      CREATE TABLE insight_partners (
        id INTEGER PRIMARY KEY,
        partner_id TEXT NOT NULL,
        source INTEGER NOT NULL REFERENCES insight_sources(id),
        name TEXT NOT NULL,
        tier TEXT,
        region TEXT,
        distributor_id TEXT NOT NULL,
        distributor_name TEXT NOT NULL,
        reported_at TEXT NOT NULL,
        UNIQUE (partner_id, source)
      );

      CREATE TABLE insight_events (
        source INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        partner INTEGER,
        at TEXT NOT NULL,
        month TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        brand TEXT,
        data TEXT NOT NULL,
        PRIMARY KEY (source, seq)
      ) WITHOUT ROWID;

      CREATE TABLE insight_imports (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('partner', 'distributor')),
        issuer_id TEXT NOT NULL,
        issuer_name TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        events INTEGER NOT NULL,
        partners INTEGER NOT NULL,
        added INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        imported_at TEXT NOT NULL
      );

      -- Reports, aggregates and dashboard CSVs this catalogue wrote (export:download / file:reveal accept these paths).
      CREATE TABLE insight_exports (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        -- a partner report, a distributor aggregate, or a dashboard table as CSV
        kind TEXT NOT NULL CHECK (kind IN ('partner', 'distributor', 'csv')),
        sha256 TEXT NOT NULL,
        events INTEGER NOT NULL,
        byte_length INTEGER NOT NULL,
        exported_at TEXT NOT NULL
      );
      CREATE INDEX insight_exports_by_path ON insight_exports(path);
    `);
  },
};
