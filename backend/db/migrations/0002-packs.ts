import type { Migration } from '../migrate.ts';

/**
 * Signed packs and partner credentials (docs/decisions/0011): pinned
 * publisher keys, the history of imported and published packs, withdrawn
 * templates, revocations, the partner's credential per publisher, and a
 * review note on drafts a pack could not carry forward.
 */
export const migration: Migration = {
  version: 2,
  name: '0002-packs',
  up(db) {
    db.exec(`
      -- One row per publisher whose pack was imported; the key is pinned on first import.
      CREATE TABLE publishers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_type TEXT NOT NULL CHECK (key_type = 'ed25519'),
        public_key TEXT NOT NULL,
        pinned_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- Every pack imported, in order. The newest row per (publisher, pack) is the current one.
      CREATE TABLE imported_packs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        publisher_id TEXT NOT NULL REFERENCES publishers(id),
        pack_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        manifest_sha256 TEXT NOT NULL,
        templates TEXT NOT NULL CHECK (json_valid(templates)),
        imported_at TEXT NOT NULL,
        UNIQUE (publisher_id, pack_id, version)
      );

      -- Packs this catalogue published (the vendor side): versions only go up.
      CREATE TABLE published_packs (
        pack_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        publisher_id TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        file TEXT NOT NULL,
        published_at TEXT NOT NULL,
        PRIMARY KEY (pack_id, version)
      );

      -- Credentials this catalogue issued as a publisher, and the ones it revoked (revocations travel in its packs).
      CREATE TABLE issued_credentials (
        id TEXT PRIMARY KEY,
        publisher_id TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        company TEXT NOT NULL,
        tier TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        issued_at TEXT NOT NULL
      );
      CREATE INDEX issued_credentials_by_partner ON issued_credentials(publisher_id, partner_id);

      CREATE TABLE issued_revocations (
        publisher_id TEXT NOT NULL,
        credential_id TEXT NOT NULL,
        revoked_at TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (publisher_id, credential_id)
      );

      -- Brands that arrived in a pack belong to its publisher and are read-only here.
      ALTER TABLE brands ADD COLUMN publisher_id TEXT REFERENCES publishers(id);

      -- A template the publisher's newer pack no longer carries: hidden from the gallery, kept for the ledger.
      ALTER TABLE templates ADD COLUMN withdrawn_at TEXT;

      -- Why a draft could not follow its template to a newer version (null when it did, or had no need).
      ALTER TABLE drafts ADD COLUMN review_note TEXT;

      CREATE TABLE revocations (
        publisher_id TEXT NOT NULL REFERENCES publishers(id),
        credential_id TEXT NOT NULL,
        revoked_at TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (publisher_id, credential_id)
      );

      -- The partner's credential from each publisher (one current credential per publisher).
      CREATE TABLE credentials (
        publisher_id TEXT PRIMARY KEY REFERENCES publishers(id),
        credential_id TEXT NOT NULL,
        claims TEXT NOT NULL CHECK (json_valid(claims)),
        raw TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        imported_at TEXT NOT NULL
      );
    `);
  },
};
