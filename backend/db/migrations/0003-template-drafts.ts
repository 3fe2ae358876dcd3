import type { Migration } from '../migrate.ts';

/**
 * Template drafts of the designer (docs/decisions/0013): the vendor's work in
 * progress, private to this catalogue. A draft is never listed to partners and
 * never goes into a pack; publishing turns it into an immutable row of
 * template_versions and removes it. One draft per template id at a time.
 */
export const migration: Migration = {
  version: 3,
  name: '0003-template-drafts',
  up(db) {
    db.exec(`
      CREATE TABLE template_drafts (
        id TEXT PRIMARY KEY,
        brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
        template_id TEXT NOT NULL UNIQUE,
        -- The published version the draft started from; null for a template never published.
        base_version INTEGER CHECK (base_version IS NULL OR base_version > 0),
        -- The template JSON as last saved: structurally a template, possibly invalid mid-edit.
        body TEXT NOT NULL CHECK (json_valid(body)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        FOREIGN KEY (template_id, base_version) REFERENCES template_versions(template_id, version)
      );
      CREATE INDEX template_drafts_by_brand ON template_drafts(brand_id, updated_at);
    `);
  },
};
