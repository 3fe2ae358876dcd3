import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { LockupError } from '../../core/errors.ts';
import type { Template } from '../../core/model/template.ts';

/** A template draft as stored: the body is structurally a template and may be invalid mid-edit. */
export interface DraftRow {
  id: string;
  brandId: string;
  templateId: string;
  baseVersion: number | null;
  template: Template;
  createdAt: string;
  updatedAt: string;
}

export interface VersionRow {
  version: number;
  name: string;
  category: string;
  sha256: string;
  createdAt: string;
}

const now = () => new Date().toISOString();

/** Draft ids are random, so they say nothing about the template and never collide across catalogues. */
export function newDraftId(): string {
  return `draft-${randomBytes(8).toString('hex')}`;
}

interface Row {
  id: string;
  brand_id: string;
  template_id: string;
  base_version: number | null;
  body: string;
  created_at: string;
  updated_at: string;
}

function fromRow(r: Row): DraftRow {
  return { id: r.id, brandId: r.brand_id, templateId: r.template_id, baseVersion: r.base_version, template: JSON.parse(r.body) as Template, createdAt: r.created_at, updatedAt: r.updated_at };
}

/**
 * The designer's drafts (table template_drafts, migration 0003), over the
 * catalogue's database. Published versions stay with the Catalogue; this
 * class only reads them for the designer's lists.
 */
export class DraftStore {
  constructor(private readonly db: Database.Database) {}

  /** The brand's publisher when it arrived in a signed pack (then its templates are read-only here). */
  brandPublisher(brandId: string): { exists: boolean; publisher: string | null } {
    const row = this.db.prepare('SELECT publisher_id FROM brands WHERE id = ?').get(brandId) as { publisher_id: string | null } | undefined;
    return { exists: row !== undefined, publisher: row?.publisher_id ?? null };
  }

  /** Whether a template id is used, published or drafted, by any brand. */
  idTaken(templateId: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM templates WHERE id = ?').get(templateId) !== undefined ||
      this.db.prepare('SELECT 1 FROM template_drafts WHERE template_id = ?').get(templateId) !== undefined
    );
  }

  create(draft: { id: string; brandId: string; templateId: string; baseVersion: number | null; template: Template }): DraftRow {
    const ts = now();
    this.db
      .prepare('INSERT INTO template_drafts (id, brand_id, template_id, base_version, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(draft.id, draft.brandId, draft.templateId, draft.baseVersion, JSON.stringify(draft.template), ts, ts);
    return this.get(draft.id);
  }

  find(id: string): DraftRow | undefined {
    const r = this.db.prepare('SELECT * FROM template_drafts WHERE id = ?').get(id) as Row | undefined;
    return r && fromRow(r);
  }

  get(id: string): DraftRow {
    const d = this.find(id);
    if (!d) throw new LockupError('draft-unknown', `There is no template draft "${id}"; it may have been published or deleted`);
    return d;
  }

  forTemplate(templateId: string): DraftRow | undefined {
    const r = this.db.prepare('SELECT * FROM template_drafts WHERE template_id = ?').get(templateId) as Row | undefined;
    return r && fromRow(r);
  }

  listForBrand(brandId: string): DraftRow[] {
    return (this.db.prepare('SELECT * FROM template_drafts WHERE brand_id = ? ORDER BY updated_at DESC, id').all(brandId) as Row[]).map(fromRow);
  }

  save(id: string, template: Template): string {
    const ts = now();
    const r = this.db.prepare('UPDATE template_drafts SET body = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(template), ts, id);
    if (r.changes === 0) throw new LockupError('draft-unknown', `There is no template draft "${id}"; it may have been published or deleted`);
    return ts;
  }

  delete(id: string): void {
    const r = this.db.prepare('DELETE FROM template_drafts WHERE id = ?').run(id);
    if (r.changes === 0) throw new LockupError('draft-unknown', `There is no template draft "${id}"; it may have been published or deleted`);
  }

  /** Published templates of a brand (withdrawn ones included, flagged), newest version first per template. */
  publishedForBrand(brandId: string): { id: string; latest: number; versions: number; name: string; category: string; updatedAt: string; withdrawn: boolean }[] {
    const rows = this.db
      .prepare(
        `SELECT t.id, t.withdrawn_at, COUNT(v.version) AS versions, MAX(v.version) AS latest, MAX(v.created_at) AS updated_at
         FROM templates t JOIN template_versions v ON v.template_id = t.id
         WHERE t.brand_id = ? GROUP BY t.id ORDER BY t.id`,
      )
      .all(brandId) as { id: string; withdrawn_at: string | null; versions: number; latest: number; updated_at: string }[];
    const head = this.db.prepare('SELECT name, category FROM template_versions WHERE template_id = ? AND version = ?');
    return rows.map((r) => {
      const h = head.get(r.id, r.latest) as { name: string; category: string };
      return { id: r.id, latest: r.latest, versions: r.versions, name: h.name, category: h.category, updatedAt: r.updated_at, withdrawn: r.withdrawn_at !== null };
    });
  }

  /** Every published version of a template, newest first. */
  versions(templateId: string): VersionRow[] {
    return (
      this.db.prepare('SELECT version, name, category, sha256, created_at FROM template_versions WHERE template_id = ? ORDER BY version DESC').all(templateId) as {
        version: number;
        name: string;
        category: string;
        sha256: string;
        created_at: string;
      }[]
    ).map((r) => ({ version: r.version, name: r.name, category: r.category, sha256: r.sha256, createdAt: r.created_at }));
  }

  /** The brand a published template belongs to, if it is published. */
  templateBrand(templateId: string): string | undefined {
    return (this.db.prepare('SELECT brand_id FROM templates WHERE id = ?').get(templateId) as { brand_id: string } | undefined)?.brand_id;
  }
}
