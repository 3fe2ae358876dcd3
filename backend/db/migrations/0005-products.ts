import type { Migration } from '../migrate.ts';

/**
 * Product blocks (issue #5): the vendor's blocks from its content folder or
 * pack, and the blocks distributors add in their derived packs, keyed by
 * publisher (a brand id or a distributor id) and block id. The body is the
 * block's canonical JSON, so a block placed on a sheet can be compared byte
 * for byte with the published one. Each overlay row also keeps the
 * distributor profile it carried: the distributor layer of a derived
 * template version (its logos in lockups) is the one shipped with it.
 */
export const migration: Migration = {
  version: 5,
  name: '0005-products',
  up(db) {
    db.exec(`
      CREATE TABLE products (
        publisher TEXT NOT NULL,
        id TEXT NOT NULL,
        owner TEXT NOT NULL CHECK (owner IN ('vendor', 'distributor')),
        name TEXT NOT NULL,
        -- The block as canonical JSON (image by asset ref).
        body TEXT NOT NULL CHECK (json_valid(body)),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        image_sha256 TEXT REFERENCES assets(sha256),
        -- The order the publisher listed its blocks in.
        position INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (publisher, id)
      );

      -- distributor.json as this overlay carried it; null for overlays imported before this migration.
      ALTER TABLE imported_overlays ADD COLUMN profile TEXT CHECK (profile IS NULL OR json_valid(profile));
    `);
  },
};
