import type { Migration } from '../migrate.ts';

/**
 * Distributors' derived packs (docs/decisions/0020): the distributor key
 * pinned per vendor and distributor, the overlays imported, and which
 * templates are a distributor's derivation of a vendor template (the
 * gallery shows the derivation in the vendor template's place).
 */
export const migration: Migration = {
  version: 4,
  name: '0004-derived-packs',
  up(db) {
    db.exec(`
      -- A distributor whose derived pack was imported; its key is pinned on first import, per vendor.
      CREATE TABLE distributors (
        publisher_id TEXT NOT NULL REFERENCES publishers(id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        key_type TEXT NOT NULL CHECK (key_type = 'ed25519'),
        public_key TEXT NOT NULL,
        -- distributor.json as the overlay carried it (contact, logos by asset ref).
        profile TEXT NOT NULL CHECK (json_valid(profile)),
        -- The vendor's credential for the distributor, as received (checked again on use).
        credential TEXT NOT NULL,
        pinned_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (publisher_id, id)
      );

      -- Every overlay imported, in order. The newest row per (vendor, distributor, overlay) is the current one.
      CREATE TABLE imported_overlays (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        publisher_id TEXT NOT NULL,
        distributor_id TEXT NOT NULL,
        overlay_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        manifest_sha256 TEXT NOT NULL,
        vendor_pack_id TEXT NOT NULL,
        vendor_pack_version INTEGER NOT NULL,
        templates TEXT NOT NULL CHECK (json_valid(templates)),
        imported_at TEXT NOT NULL,
        UNIQUE (publisher_id, distributor_id, overlay_id, version),
        FOREIGN KEY (publisher_id, distributor_id) REFERENCES distributors(publisher_id, id)
      );

      -- A derived template: the vendor template it derives from and the distributor who derived it.
      ALTER TABLE templates ADD COLUMN derived_from TEXT;
      ALTER TABLE templates ADD COLUMN distributor_id TEXT;
      CREATE INDEX templates_by_derived_from ON templates(derived_from);
    `);
  },
};
