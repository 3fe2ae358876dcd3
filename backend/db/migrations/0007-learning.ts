import type { Migration } from '../migrate.ts';

/**
 * Playbooks and training (issue #7, docs/decisions/0022). Playbooks and
 * modules are keyed by a catalogue-wide id owned by one brand, as templates
 * are: the partner opens them by id alone. Only the latest version of each
 * is kept (progress is kept by step id, attempts as scores), so a newer pack
 * simply replaces them. Attempts and completions are the partner's record:
 * they stay when a module leaves the catalogue, a submitted attempt never
 * changes, and a completion is never removed and, once its record is
 * signed, never changed.
 */
export const migration: Migration = {
  version: 7,
  name: '0007-learning',
  up(db) {
    db.exec(`
      CREATE TABLE playbooks (
        id TEXT PRIMARY KEY,
        brand_id TEXT NOT NULL REFERENCES brands(id),
        name TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        -- The playbook as canonical JSON (images by asset ref).
        body TEXT NOT NULL CHECK (json_valid(body)),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        updated_at TEXT NOT NULL
      );
      CREATE INDEX playbooks_by_brand ON playbooks(brand_id);

      CREATE TABLE training_modules (
        id TEXT PRIMARY KEY,
        brand_id TEXT NOT NULL REFERENCES brands(id),
        version INTEGER NOT NULL CHECK (version > 0),
        title TEXT NOT NULL,
        -- The certification a pass grants (one of the brand's).
        grants TEXT NOT NULL,
        -- The protected module (lockup.training-module): what packs carry and grading reads.
        body TEXT NOT NULL CHECK (json_valid(body)),
        -- The vendor's source with its answers (lockup.training-source); null for a module that came in a pack.
        source TEXT CHECK (source IS NULL OR json_valid(source)),
        updated_at TEXT NOT NULL
      );
      CREATE INDEX training_modules_by_brand ON training_modules(brand_id);

      -- Every attempt started; graded ones carry the answers given and the score. Kept when the module goes.
      CREATE TABLE training_attempts (
        id TEXT PRIMARY KEY,
        brand_id TEXT NOT NULL,
        module_id TEXT NOT NULL,
        module_version INTEGER NOT NULL CHECK (module_version > 0),
        partner_id TEXT NOT NULL,
        person TEXT NOT NULL,
        -- Question ids drawn, in the order asked.
        drawn TEXT NOT NULL CHECK (json_valid(drawn)),
        started_at TEXT NOT NULL,
        submitted_at TEXT,
        answers TEXT CHECK (answers IS NULL OR json_valid(answers)),
        score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
        passed INTEGER CHECK (passed IS NULL OR passed IN (0, 1)),
        CHECK ((submitted_at IS NULL AND answers IS NULL AND score IS NULL AND passed IS NULL)
            OR (submitted_at IS NOT NULL AND answers IS NOT NULL AND score IS NOT NULL AND passed IS NOT NULL))
      );
      CREATE INDEX training_attempts_by_partner ON training_attempts(partner_id, module_id, started_at);

      CREATE TRIGGER training_attempts_graded_once BEFORE UPDATE ON training_attempts WHEN OLD.submitted_at IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a graded attempt is never changed'); END;

      -- A pass: the certification it granted, and the signed completion record (null until signed) with its verification code.
      CREATE TABLE training_completions (
        id TEXT PRIMARY KEY,
        attempt_id TEXT NOT NULL UNIQUE REFERENCES training_attempts(id),
        brand_id TEXT NOT NULL,
        module_id TEXT NOT NULL,
        module_version INTEGER NOT NULL CHECK (module_version > 0),
        certification TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        person TEXT NOT NULL,
        score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
        completed_at TEXT NOT NULL,
        record BLOB,
        code TEXT NOT NULL
      );
      CREATE INDEX training_completions_by_partner ON training_completions(partner_id, brand_id);

      CREATE TRIGGER training_completions_kept BEFORE DELETE ON training_completions
      BEGIN SELECT RAISE(ABORT, 'completions are kept (certificates refer to them)'); END;
      CREATE TRIGGER training_completions_signed_once BEFORE UPDATE ON training_completions WHEN OLD.record IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a signed completion is never changed'); END;

      -- Steps of a playbook's plays a partner ticked off (kept by step id across playbook versions).
      CREATE TABLE playbook_progress (
        partner_id TEXT NOT NULL,
        playbook_id TEXT NOT NULL,
        step_id TEXT NOT NULL,
        done_at TEXT NOT NULL,
        PRIMARY KEY (partner_id, playbook_id, step_id)
      );

      -- Files written by playbook, certificate and completion exports (append only): only these, and
      -- the export ledger's, may be downloaded or shown in the file manager from the renderer.
      CREATE TABLE learning_exports (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('playbook', 'certificate', 'completion')),
        -- The playbook id, or the completion id.
        subject TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        byte_length INTEGER NOT NULL CHECK (byte_length >= 0),
        exported_at TEXT NOT NULL
      );
      CREATE INDEX learning_exports_by_path ON learning_exports(path);
      CREATE TRIGGER learning_exports_no_update BEFORE UPDATE ON learning_exports BEGIN SELECT RAISE(ABORT, 'learning_exports is append-only'); END;
      CREATE TRIGGER learning_exports_no_delete BEFORE DELETE ON learning_exports BEGIN SELECT RAISE(ABORT, 'learning_exports is append-only'); END;
    `);
  },
};
