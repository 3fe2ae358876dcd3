import type { Migration } from '../migrate.ts';

/**
 * The distributor's workspace (docs/decisions/0021): the vendors' packs it
 * works from (carried unchanged into its derived packs), its own products,
 * the sheets it built per vendor template, and, on a vendor's side, the
 * distributors it authorised.
 */
export const migration: Migration = {
  version: 6,
  name: '0006-distributor-workspace',
  up(db) {
    db.exec(`
      -- A vendor's signed pack and the vendor's credential for this distributor. One per vendor: a newer pack replaces it.
      CREATE TABLE distributor_sources (
        vendor_id TEXT PRIMARY KEY,
        vendor_name TEXT NOT NULL,
        vendor_key TEXT NOT NULL,
        pack_id TEXT NOT NULL,
        pack_version INTEGER NOT NULL CHECK (pack_version > 0),
        pack BLOB NOT NULL,
        pack_sha256 TEXT NOT NULL,
        credential TEXT NOT NULL,
        added_at TEXT NOT NULL
      );

      -- The distributor's own product blocks (core/model/product.ts, canonical JSON).
      CREATE TABLE distributor_products (
        id TEXT PRIMARY KEY,
        product TEXT NOT NULL CHECK (json_valid(product)),
        updated_at TEXT NOT NULL
      );

      -- A sheet: what the distributor put in one vendor template (blocks in order, open texts).
      CREATE TABLE distributor_sheets (
        vendor_id TEXT NOT NULL REFERENCES distributor_sources(vendor_id) ON DELETE CASCADE,
        template_id TEXT NOT NULL,
        sheet TEXT NOT NULL CHECK (json_valid(sheet)),
        revision INTEGER NOT NULL CHECK (revision > 0),
        saved_at TEXT NOT NULL,
        PRIMARY KEY (vendor_id, template_id)
      );

      -- Vendor side: every distributor credential this catalogue signed.
      CREATE TABLE distributor_authorisations (
        id TEXT PRIMARY KEY,
        distributor_id TEXT NOT NULL,
        name TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (json_valid(scope))
      );
    `);
  },
};
