import type { Migration } from '../migrate.ts';

/**
 * Market development funds (issue #8, docs/decisions/0025 and 0026).
 *
 * - `mdf_programs`: the latest program of each brand (what its packs carry);
 *   a newer version or pack replaces it.
 * - `mdf_requests`: the partner's own requests, with the verdict the rules
 *   gave when it was sent, and the reviewer's decision once imported (set
 *   once, never changed).
 * - `mdf_attachments`: staged attachment bytes, content-addressed (a staged
 *   file the partner never sends costs one row; it is never read by anyone else).
 * - `mdf_queue`: the reviewer's queue: each imported request file (by its
 *   sha256, one per request id), the automatic verdict at import, the
 *   attachment check, and the decision (set once, never changed).
 * - `mdf_files`: decision and packet files written here (append only), so the
 *   renderer may download or reveal them.
 */
export const migration: Migration = {
  version: 8,
  name: '0008-mdf',
  up(db) {
    db.exec(`
      CREATE TABLE mdf_programs (
        brand_id TEXT PRIMARY KEY,
        id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        body TEXT NOT NULL CHECK (json_valid(body)),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        updated_at TEXT NOT NULL
      );

      CREATE TABLE mdf_attachments (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        bytes BLOB NOT NULL,
        staged_at TEXT NOT NULL
      );

      CREATE TABLE mdf_requests (
        id TEXT PRIMARY KEY,
        brand_id TEXT NOT NULL,
        program_id TEXT NOT NULL,
        -- The program's name and currency when it was sent (the program may change or go later).
        program_name TEXT NOT NULL,
        currency TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        request TEXT NOT NULL CHECK (json_valid(request)),
        evaluation TEXT NOT NULL CHECK (json_valid(evaluation)),
        status TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'changes-requested')),
        decision TEXT CHECK (decision IS NULL OR json_valid(decision)),
        reviewer_key TEXT,
        packet_path TEXT NOT NULL,
        request_sha256 TEXT NOT NULL CHECK (length(request_sha256) = 64),
        submitted_at TEXT NOT NULL,
        CHECK ((decision IS NULL) = (status = 'submitted'))
      );
      CREATE INDEX mdf_requests_by_partner ON mdf_requests(partner_id, submitted_at);
      CREATE TRIGGER mdf_requests_kept BEFORE DELETE ON mdf_requests
      BEGIN SELECT RAISE(ABORT, 'MDF requests are kept'); END;
      CREATE TRIGGER mdf_requests_decided_once BEFORE UPDATE ON mdf_requests
        WHEN OLD.decision IS NOT NULL OR NEW.request IS NOT OLD.request OR NEW.request_sha256 IS NOT OLD.request_sha256 OR NEW.evaluation IS NOT OLD.evaluation
      BEGIN SELECT RAISE(ABORT, 'a sent MDF request never changes, and its decision is set once'); END;

      CREATE TABLE mdf_queue (
        id TEXT PRIMARY KEY,
        program_id TEXT NOT NULL,
        -- The program's name, currency and the activity type's name at import.
        program_name TEXT NOT NULL,
        currency TEXT NOT NULL,
        activity_name TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        request TEXT NOT NULL CHECK (json_valid(request)),
        request_sha256 TEXT NOT NULL UNIQUE CHECK (length(request_sha256) = 64),
        request_file BLOB NOT NULL,
        signed_by TEXT NOT NULL,
        evaluation TEXT NOT NULL CHECK (json_valid(evaluation)),
        attachments TEXT NOT NULL CHECK (json_valid(attachments)),
        status TEXT NOT NULL CHECK (status IN ('awaiting-review', 'auto-vetoed', 'approved', 'rejected', 'changes-requested')),
        decision TEXT CHECK (decision IS NULL OR json_valid(decision)),
        decision_path TEXT,
        imported_at TEXT NOT NULL,
        CHECK ((decision IS NULL) = (status = 'awaiting-review'))
      );
      CREATE INDEX mdf_queue_by_partner ON mdf_queue(partner_id, imported_at);
      CREATE TRIGGER mdf_queue_kept BEFORE DELETE ON mdf_queue
      BEGIN SELECT RAISE(ABORT, 'the MDF review queue keeps every request'); END;
      CREATE TRIGGER mdf_queue_decided_once BEFORE UPDATE ON mdf_queue
        WHEN OLD.decision IS NOT NULL OR NEW.request IS NOT OLD.request OR NEW.request_sha256 IS NOT OLD.request_sha256 OR NEW.request_file IS NOT OLD.request_file OR NEW.evaluation IS NOT OLD.evaluation
      BEGIN SELECT RAISE(ABORT, 'a queued MDF request never changes, and its decision is set once'); END;

      CREATE TABLE mdf_files (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('packet', 'decision')),
        request_id TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        byte_length INTEGER NOT NULL CHECK (byte_length >= 0),
        written_at TEXT NOT NULL
      );
      CREATE INDEX mdf_files_by_path ON mdf_files(path);
      CREATE TRIGGER mdf_files_no_update BEFORE UPDATE ON mdf_files BEGIN SELECT RAISE(ABORT, 'mdf_files is append-only'); END;
      CREATE TRIGGER mdf_files_no_delete BEFORE DELETE ON mdf_files BEGIN SELECT RAISE(ABORT, 'mdf_files is append-only'); END;
    `);
  },
};
