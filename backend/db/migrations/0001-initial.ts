import type { Migration } from '../migrate.ts';

/** The first catalogue schema: brand kits, rules, access levels, templates, partners, drafts, assets, ledger. */
export const migration: Migration = {
  version: 1,
  name: '0001-initial',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      -- Content-addressed blobs: logos, images, fonts. Never updated in place.
      CREATE TABLE assets (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        media_type TEXT NOT NULL,
        name TEXT NOT NULL,
        byte_length INTEGER NOT NULL CHECK (byte_length > 0),
        data BLOB NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE brands (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        format_version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE brand_colors (
        brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        hex TEXT NOT NULL CHECK (hex GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]'),
        c REAL NOT NULL, m REAL NOT NULL, y REAL NOT NULL, k REAL NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (brand_id, id)
      );

      CREATE TABLE brand_fonts (
        brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        family TEXT NOT NULL,
        weight INTEGER NOT NULL,
        style TEXT NOT NULL CHECK (style IN ('normal', 'italic')),
        asset_sha256 TEXT NOT NULL REFERENCES assets(sha256),
        licence TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (brand_id, id)
      );

      CREATE TABLE brand_font_fallbacks (
        brand_id TEXT NOT NULL,
        script TEXT NOT NULL,
        font_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (brand_id, script, font_id),
        FOREIGN KEY (brand_id, font_id) REFERENCES brand_fonts(brand_id, id) ON DELETE CASCADE
      );

      CREATE TABLE brand_logos (
        brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        background TEXT NOT NULL CHECK (background IN ('light', 'dark')),
        asset_sha256 TEXT NOT NULL REFERENCES assets(sha256),
        position INTEGER NOT NULL,
        PRIMARY KEY (brand_id, id)
      );

      -- One row per rule; params is the rule's JSON (thresholds, severity).
      CREATE TABLE brand_rules (
        brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        params TEXT NOT NULL CHECK (json_valid(params)),
        PRIMARY KEY (brand_id, code)
      );

      CREATE TABLE access_tiers (
        brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        rank INTEGER NOT NULL,
        PRIMARY KEY (brand_id, id),
        UNIQUE (brand_id, rank)
      );

      CREATE TABLE partner_types (
        brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (brand_id, id)
      );

      CREATE TABLE regions (
        brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (brand_id, id)
      );

      CREATE TABLE certifications (
        brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (brand_id, id)
      );

      CREATE TABLE templates (
        id TEXT PRIMARY KEY,
        brand_id TEXT NOT NULL REFERENCES brands(id),
        created_at TEXT NOT NULL
      );

      -- Published versions are immutable (see the trigger below).
      CREATE TABLE template_versions (
        template_id TEXT NOT NULL REFERENCES templates(id),
        version INTEGER NOT NULL CHECK (version > 0),
        format_version INTEGER NOT NULL,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        body TEXT NOT NULL CHECK (json_valid(body)),
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (template_id, version)
      );

      CREATE TRIGGER template_versions_immutable BEFORE UPDATE ON template_versions
      BEGIN SELECT RAISE(ABORT, 'template versions are immutable'); END;
      CREATE TRIGGER template_versions_kept BEFORE DELETE ON template_versions
      BEGIN SELECT RAISE(ABORT, 'published template versions are kept (exports refer to them)'); END;

      CREATE TABLE template_assets (
        template_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        asset_sha256 TEXT NOT NULL REFERENCES assets(sha256),
        PRIMARY KEY (template_id, version, asset_sha256),
        FOREIGN KEY (template_id, version) REFERENCES template_versions(template_id, version)
      );

      CREATE TABLE partner_profiles (
        id TEXT PRIMARY KEY,
        company TEXT NOT NULL,
        contact TEXT NOT NULL CHECK (json_valid(contact)),
        tier TEXT,
        type TEXT,
        region TEXT,
        distributor TEXT,
        certifications TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(certifications)),
        logo_light_sha256 TEXT REFERENCES assets(sha256),
        logo_dark_sha256 TEXT REFERENCES assets(sha256),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        partner_id TEXT NOT NULL REFERENCES partner_profiles(id) ON DELETE CASCADE,
        template_id TEXT NOT NULL,
        template_version INTEGER NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document)),
        updated_at TEXT NOT NULL,
        FOREIGN KEY (template_id, template_version) REFERENCES template_versions(template_id, version)
      );
      CREATE INDEX drafts_by_partner ON drafts(partner_id, updated_at);

      -- Every export, in order. Rows are never changed or removed.
      CREATE TABLE export_ledger (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        exported_at TEXT NOT NULL,
        tool TEXT NOT NULL,
        batch_id TEXT,
        template_id TEXT NOT NULL,
        template_version INTEGER NOT NULL,
        partner_id TEXT NOT NULL,
        company TEXT NOT NULL,
        output_profile TEXT NOT NULL CHECK (output_profile IN ('screen', 'print')),
        output_path TEXT NOT NULL,
        output_sha256 TEXT NOT NULL,
        byte_length INTEGER NOT NULL,
        inputs_sha256 TEXT NOT NULL,
        warnings INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX export_ledger_by_batch ON export_ledger(batch_id);

      CREATE TRIGGER export_ledger_no_update BEFORE UPDATE ON export_ledger
      BEGIN SELECT RAISE(ABORT, 'the export ledger is append-only'); END;
      CREATE TRIGGER export_ledger_no_delete BEFORE DELETE ON export_ledger
      BEGIN SELECT RAISE(ABORT, 'the export ledger is append-only'); END;
    `);
  },
};
