import { z } from 'zod';
import { LockupError } from '../../core/errors.ts';
import { Id } from '../../core/model/access.ts';
import { Price, ProductBlock } from '../../core/model/product.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import type { Catalogue } from '../catalogue.ts';
import { sha256Hex } from '../util/hash.ts';

/**
 * The distributor workspace's rows (migration 0006, docs/decisions/0021).
 * Plain storage: what is allowed is decided by the derivation rules
 * (backend/packs/derived-rules.ts) before anything is written here.
 */

export const Sheet = z
  .object({
    /** Per block-area zone id: the blocks in order. */
    areas: z.record(z.string(), z.array(z.object({ product: Id, price: Price.optional(), copy: z.string().max(600).optional() }).strict()).max(500)),
    texts: z.record(z.string(), z.string().max(2000)),
  })
  .strict();
export type Sheet = z.infer<typeof Sheet>;

export const DistributorSettings = z
  .object({
    name: z.string().min(1).max(120),
    contact: z.object({ phone: z.string().max(60).optional(), email: z.string().max(200).optional(), url: z.string().max(500).optional() }).strict(),
    logo: z.object({ ref: z.string(), name: z.string(), width: z.number(), height: z.number() }).strict().nullable(),
  })
  .strict();
export type DistributorSettings = z.infer<typeof DistributorSettings>;

export interface SourceRow {
  vendorId: string;
  vendorName: string;
  vendorKey: string;
  packId: string;
  packVersion: number;
  pack: Uint8Array;
  packSha256: string;
  credential: string;
  addedAt: string;
}

const SETTINGS_KEY = 'distributor-profile';
const now = () => new Date().toISOString();

export class DistributorWorkspace {
  constructor(private readonly catalogue: Catalogue) {}

  private get db() {
    return this.catalogue.db;
  }

  settings(): DistributorSettings | undefined {
    const raw = this.catalogue.getSetting(SETTINGS_KEY);
    return raw === undefined ? undefined : DistributorSettings.parse(JSON.parse(raw));
  }

  saveSettings(s: DistributorSettings): void {
    this.catalogue.setSetting(SETTINGS_KEY, JSON.stringify(DistributorSettings.parse(s)));
  }

  sources(): SourceRow[] {
    return (this.db.prepare('SELECT * FROM distributor_sources ORDER BY vendor_name, vendor_id').all() as Record<string, unknown>[]).map(sourceRow);
  }

  source(vendorId: string): SourceRow {
    const r = this.db.prepare('SELECT * FROM distributor_sources WHERE vendor_id = ?').get(vendorId) as Record<string, unknown> | undefined;
    if (!r) throw new LockupError('publisher-unknown', `No pack from "${vendorId}" in this workspace; add the vendor's pack first`);
    return sourceRow(r);
  }

  hasSource(vendorId: string): SourceRow | undefined {
    const r = this.db.prepare('SELECT * FROM distributor_sources WHERE vendor_id = ?').get(vendorId) as Record<string, unknown> | undefined;
    return r ? sourceRow(r) : undefined;
  }

  putSource(s: Omit<SourceRow, 'addedAt' | 'packSha256'>): void {
    this.db
      .prepare(
        `INSERT INTO distributor_sources (vendor_id, vendor_name, vendor_key, pack_id, pack_version, pack, pack_sha256, credential, added_at)
         VALUES (@vendorId, @vendorName, @vendorKey, @packId, @packVersion, @pack, @packSha256, @credential, @addedAt)
         ON CONFLICT(vendor_id) DO UPDATE SET vendor_name = excluded.vendor_name, vendor_key = excluded.vendor_key, pack_id = excluded.pack_id,
           pack_version = excluded.pack_version, pack = excluded.pack, pack_sha256 = excluded.pack_sha256, credential = excluded.credential, added_at = excluded.added_at`,
      )
      .run({ ...s, pack: Buffer.from(s.pack), packSha256: sha256Hex(s.pack), addedAt: now() });
  }

  products(): ProductBlock[] {
    return (this.db.prepare('SELECT product FROM distributor_products ORDER BY id').all() as { product: string }[]).map((r) => ProductBlock.parse(JSON.parse(r.product)));
  }

  product(id: string): ProductBlock | undefined {
    const r = this.db.prepare('SELECT product FROM distributor_products WHERE id = ?').get(id) as { product: string } | undefined;
    return r ? ProductBlock.parse(JSON.parse(r.product)) : undefined;
  }

  putProduct(p: ProductBlock): void {
    this.db
      .prepare('INSERT INTO distributor_products (id, product, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET product = excluded.product, updated_at = excluded.updated_at')
      .run(p.id, canonicalJson(ProductBlock.parse(p)), now());
  }

  deleteProduct(id: string): boolean {
    return this.db.prepare('DELETE FROM distributor_products WHERE id = ?').run(id).changes > 0;
  }

  sheets(vendorId: string): Map<string, { sheet: Sheet; revision: number; savedAt: string }> {
    const rows = this.db.prepare('SELECT template_id, sheet, revision, saved_at FROM distributor_sheets WHERE vendor_id = ?').all(vendorId) as { template_id: string; sheet: string; revision: number; saved_at: string }[];
    return new Map(rows.map((r) => [r.template_id, { sheet: Sheet.parse(JSON.parse(r.sheet)), revision: r.revision, savedAt: r.saved_at }]));
  }

  /** Saves a sheet; returns its new revision (revisions only go up, so previews never reuse a compiled template). */
  putSheet(vendorId: string, templateId: string, sheet: Sheet): number {
    const last = this.db.prepare('SELECT revision FROM distributor_sheets WHERE vendor_id = ? AND template_id = ?').get(vendorId, templateId) as { revision: number } | undefined;
    const revision = (last?.revision ?? 0) + 1;
    this.db
      .prepare(
        `INSERT INTO distributor_sheets (vendor_id, template_id, sheet, revision, saved_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(vendor_id, template_id) DO UPDATE SET sheet = excluded.sheet, revision = excluded.revision, saved_at = excluded.saved_at`,
      )
      .run(vendorId, templateId, canonicalJson(Sheet.parse(sheet)), revision, now());
    return revision;
  }

  recordAuthorisation(a: { id: string; distributorId: string; name: string; fingerprint: string; issuedAt: string; expiresAt: string; scope: unknown }): void {
    this.db
      .prepare('INSERT INTO distributor_authorisations (id, distributor_id, name, fingerprint, issued_at, expires_at, scope) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(a.id, a.distributorId, a.name, a.fingerprint, a.issuedAt, a.expiresAt, JSON.stringify(a.scope));
  }

  authorisations(): { id: string; distributorId: string; name: string; fingerprint: string; issuedAt: string; expiresAt: string; scope: unknown }[] {
    const rows = this.db.prepare('SELECT * FROM distributor_authorisations ORDER BY issued_at DESC, id').all() as Record<string, string>[];
    return rows.map((r) => ({ id: r['id']!, distributorId: r['distributor_id']!, name: r['name']!, fingerprint: r['fingerprint']!, issuedAt: r['issued_at']!, expiresAt: r['expires_at']!, scope: JSON.parse(r['scope']!) as unknown }));
  }
}

function sourceRow(r: Record<string, unknown>): SourceRow {
  const pack = r['pack'] as Buffer;
  return {
    vendorId: r['vendor_id'] as string,
    vendorName: r['vendor_name'] as string,
    vendorKey: r['vendor_key'] as string,
    packId: r['pack_id'] as string,
    packVersion: r['pack_version'] as number,
    pack: new Uint8Array(pack.buffer, pack.byteOffset, pack.byteLength),
    packSha256: r['pack_sha256'] as string,
    credential: r['credential'] as string,
    addedAt: r['added_at'] as string,
  };
}
