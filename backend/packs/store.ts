import type { Catalogue } from '../catalogue.ts';
import type { CredentialClaims } from './credential.ts';
import type { Revocation } from './pack.ts';

/** The catalogue's tables for packs and credentials (migrations 0002 and 0004). SQL lives here and in catalogue.ts only. */

export interface PublisherRow {
  id: string;
  name: string;
  publicKey: string;
  pinnedAt: string;
  updatedAt: string;
}

export interface ImportedPackRow {
  publisherId: string;
  packId: string;
  version: number;
  manifestSha256: string;
  templates: string[];
  importedAt: string;
}

export interface DistributorRow {
  publisherId: string;
  id: string;
  name: string;
  publicKey: string;
  profile: unknown;
  credential: string;
  pinnedAt: string;
}

export interface StoredCredential {
  publisherId: string;
  claims: CredentialClaims;
  raw: string;
  importedAt: string;
}

const now = () => new Date().toISOString();

export class PackStore {
  constructor(private readonly catalogue: Catalogue) {}

  private get db() {
    return this.catalogue.db;
  }

  publisher(id: string): PublisherRow | undefined {
    const r = this.db.prepare('SELECT * FROM publishers WHERE id = ?').get(id) as Record<string, string> | undefined;
    return r && { id: r['id']!, name: r['name']!, publicKey: r['public_key']!, pinnedAt: r['pinned_at']!, updatedAt: r['updated_at']! };
  }

  publishers(): PublisherRow[] {
    return (this.db.prepare('SELECT id FROM publishers ORDER BY name').all() as { id: string }[]).map((r) => this.publisher(r.id)!);
  }

  /** Pins a publisher's key on first import; `replaceKey` re-pins after the user chose to trust a new key. */
  savePublisher(id: string, name: string, publicKey: string, replaceKey: boolean): void {
    const ts = now();
    const existing = this.publisher(id);
    if (!existing) {
      this.db.prepare("INSERT INTO publishers (id, name, key_type, public_key, pinned_at, updated_at) VALUES (?, ?, 'ed25519', ?, ?, ?)").run(id, name, publicKey, ts, ts);
    } else if (replaceKey) {
      this.db.prepare('UPDATE publishers SET name = ?, public_key = ?, pinned_at = ?, updated_at = ? WHERE id = ?').run(name, publicKey, ts, ts, id);
    } else {
      this.db.prepare('UPDATE publishers SET name = ?, updated_at = ? WHERE id = ?').run(name, ts, id);
    }
  }

  latestImport(publisherId: string, packId: string): ImportedPackRow | undefined {
    const r = this.db
      .prepare('SELECT * FROM imported_packs WHERE publisher_id = ? AND pack_id = ? ORDER BY version DESC LIMIT 1')
      .get(publisherId, packId) as Record<string, string | number> | undefined;
    return (
      r && {
        publisherId: r['publisher_id'] as string,
        packId: r['pack_id'] as string,
        version: r['version'] as number,
        manifestSha256: r['manifest_sha256'] as string,
        templates: JSON.parse(r['templates'] as string) as string[],
        importedAt: r['imported_at'] as string,
      }
    );
  }

  /** The newest pack imported from a publisher, whatever its pack id. */
  latestImportOf(publisherId: string): { packId: string; version: number } | undefined {
    const r = this.db.prepare('SELECT pack_id, version FROM imported_packs WHERE publisher_id = ? ORDER BY seq DESC LIMIT 1').get(publisherId) as { pack_id: string; version: number } | undefined;
    return r && { packId: r.pack_id, version: r.version };
  }

  isPublishedFile(file: string): boolean {
    return this.db.prepare('SELECT 1 FROM published_packs WHERE file = ? LIMIT 1').get(file) !== undefined;
  }

  recordImport(row: Omit<ImportedPackRow, 'importedAt'>): void {
    this.db
      .prepare('INSERT INTO imported_packs (publisher_id, pack_id, version, manifest_sha256, templates, imported_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.publisherId, row.packId, row.version, row.manifestSha256, JSON.stringify(row.templates), now());
  }

  brandPublisher(brandId: string): string | null {
    return (this.db.prepare('SELECT publisher_id FROM brands WHERE id = ?').get(brandId) as { publisher_id: string | null } | undefined)?.publisher_id ?? null;
  }

  setBrandPublisher(brandId: string, publisherId: string): void {
    this.db.prepare('UPDATE brands SET publisher_id = ? WHERE id = ?').run(publisherId, brandId);
  }

  /** The brand's own template ids that are not withdrawn (distributors' derivations are not the brand's). */
  activeTemplateIds(brandId: string): string[] {
    return (this.db.prepare('SELECT id FROM templates WHERE brand_id = ? AND withdrawn_at IS NULL AND distributor_id IS NULL ORDER BY id').all(brandId) as { id: string }[]).map((r) => r.id);
  }

  // ---- distributors' derived packs (migration 0004)

  /** Derived template ids of one distributor for a brand that are not withdrawn. */
  activeDerivedIds(brandId: string, distributorId: string): string[] {
    return (
      this.db.prepare('SELECT id FROM templates WHERE brand_id = ? AND distributor_id = ? AND withdrawn_at IS NULL ORDER BY id').all(brandId, distributorId) as { id: string }[]
    ).map((r) => r.id);
  }

  /** Who derived a template (null for a vendor's own), and from which vendor template. */
  derivation(templateId: string): { distributorId: string; derivedFrom: string } | null {
    const r = this.db.prepare('SELECT distributor_id, derived_from FROM templates WHERE id = ?').get(templateId) as { distributor_id: string | null; derived_from: string | null } | undefined;
    return r?.distributor_id ? { distributorId: r.distributor_id, derivedFrom: r.derived_from! } : null;
  }

  setDerivation(templateId: string, distributorId: string, derivedFrom: string): void {
    this.db.prepare('UPDATE templates SET distributor_id = ?, derived_from = ? WHERE id = ?').run(distributorId, derivedFrom, templateId);
  }

  distributor(publisherId: string, id: string): DistributorRow | undefined {
    const r = this.db.prepare('SELECT * FROM distributors WHERE publisher_id = ? AND id = ?').get(publisherId, id) as Record<string, string> | undefined;
    return r && { publisherId: r['publisher_id']!, id: r['id']!, name: r['name']!, publicKey: r['public_key']!, profile: JSON.parse(r['profile']!) as unknown, credential: r['credential']!, pinnedAt: r['pinned_at']! };
  }

  distributors(): DistributorRow[] {
    return (this.db.prepare('SELECT publisher_id, id FROM distributors ORDER BY name').all() as { publisher_id: string; id: string }[]).map((r) => this.distributor(r.publisher_id, r.id)!);
  }

  /** Pins a distributor's key on first import; `replaceKey` re-pins after the user chose to trust a new key. */
  saveDistributor(row: Omit<DistributorRow, 'pinnedAt'>, replaceKey: boolean): void {
    const ts = now();
    const existing = this.distributor(row.publisherId, row.id);
    const profile = JSON.stringify(row.profile);
    if (!existing) {
      this.db
        .prepare("INSERT INTO distributors (publisher_id, id, name, key_type, public_key, profile, credential, pinned_at, updated_at) VALUES (?, ?, ?, 'ed25519', ?, ?, ?, ?, ?)")
        .run(row.publisherId, row.id, row.name, row.publicKey, profile, row.credential, ts, ts);
    } else {
      const key = replaceKey ? row.publicKey : existing.publicKey;
      this.db
        .prepare('UPDATE distributors SET name = ?, public_key = ?, profile = ?, credential = ?, pinned_at = ?, updated_at = ? WHERE publisher_id = ? AND id = ?')
        .run(row.name, key, profile, row.credential, replaceKey ? ts : existing.pinnedAt, ts, row.publisherId, row.id);
    }
  }

  latestOverlay(publisherId: string, distributorId: string, overlayId: string): { version: number; manifestSha256: string } | undefined {
    const r = this.db
      .prepare('SELECT version, manifest_sha256 FROM imported_overlays WHERE publisher_id = ? AND distributor_id = ? AND overlay_id = ? ORDER BY version DESC LIMIT 1')
      .get(publisherId, distributorId, overlayId) as { version: number; manifest_sha256: string } | undefined;
    return r && { version: r.version, manifestSha256: r.manifest_sha256 };
  }

  /** Records an imported overlay with the distributor profile it carried (migration 0005). */
  recordOverlay(row: { publisherId: string; distributorId: string; overlayId: string; version: number; manifestSha256: string; vendorPackId: string; vendorPackVersion: number; templates: string[]; profile: unknown }): void {
    this.db
      .prepare(
        'INSERT INTO imported_overlays (publisher_id, distributor_id, overlay_id, version, manifest_sha256, vendor_pack_id, vendor_pack_version, templates, profile, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(row.publisherId, row.distributorId, row.overlayId, row.version, row.manifestSha256, row.vendorPackId, row.vendorPackVersion, JSON.stringify(row.templates), JSON.stringify(row.profile), now());
  }

  /**
   * The distributor profile that came with a derived template's version: the
   * newest overlay of that distributor listing the template at that version
   * (derived templates take their overlay's version), else the profile as
   * last imported. Undefined for a template no distributor derived.
   */
  derivedProfile(templateId: string, version: number): { publisherId: string; distributorId: string; profile: unknown } | undefined {
    const d = this.derivation(templateId);
    if (!d) return undefined;
    const publisherId = this.brandPublisher(this.templateOwner(templateId) ?? '');
    if (!publisherId) return undefined;
    const r = this.db
      .prepare(
        `SELECT profile FROM imported_overlays
         WHERE publisher_id = ? AND distributor_id = ? AND version = ? AND profile IS NOT NULL
           AND EXISTS (SELECT 1 FROM json_each(imported_overlays.templates) WHERE value = ?)
         ORDER BY seq DESC LIMIT 1`,
      )
      .get(publisherId, d.distributorId, version, templateId) as { profile: string } | undefined;
    const profile = r ? (JSON.parse(r.profile) as unknown) : this.distributor(publisherId, d.distributorId)?.profile;
    return profile === undefined ? undefined : { publisherId, distributorId: d.distributorId, profile };
  }

  templateOwner(templateId: string): string | undefined {
    return (this.db.prepare('SELECT brand_id FROM templates WHERE id = ?').get(templateId) as { brand_id: string } | undefined)?.brand_id;
  }

  setWithdrawn(templateId: string, withdrawn: boolean): void {
    this.db.prepare('UPDATE templates SET withdrawn_at = ? WHERE id = ?').run(withdrawn ? now() : null, templateId);
  }

  replaceRevocations(publisherId: string, list: readonly Revocation[]): void {
    this.db.prepare('DELETE FROM revocations WHERE publisher_id = ?').run(publisherId);
    const st = this.db.prepare('INSERT OR REPLACE INTO revocations (publisher_id, credential_id, revoked_at, reason) VALUES (?, ?, ?, ?)');
    for (const r of list) st.run(publisherId, r.id, r.revokedAt, r.reason);
  }

  revocation(publisherId: string, credentialId: string): { revokedAt: string; reason: string } | undefined {
    const r = this.db.prepare('SELECT revoked_at, reason FROM revocations WHERE publisher_id = ? AND credential_id = ?').get(publisherId, credentialId) as
      | { revoked_at: string; reason: string }
      | undefined;
    return r && { revokedAt: r.revoked_at, reason: r.reason };
  }

  credential(publisherId: string): StoredCredential | undefined {
    const r = this.db.prepare('SELECT * FROM credentials WHERE publisher_id = ?').get(publisherId) as Record<string, string> | undefined;
    return r && { publisherId: r['publisher_id']!, claims: JSON.parse(r['claims']!) as CredentialClaims, raw: r['raw']!, importedAt: r['imported_at']! };
  }

  credentials(): StoredCredential[] {
    return (this.db.prepare('SELECT publisher_id FROM credentials ORDER BY publisher_id').all() as { publisher_id: string }[]).map((r) => this.credential(r.publisher_id)!);
  }

  saveCredential(claims: CredentialClaims, raw: string): void {
    this.db
      .prepare(
        `INSERT INTO credentials (publisher_id, credential_id, claims, raw, expires_at, imported_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(publisher_id) DO UPDATE SET credential_id = excluded.credential_id, claims = excluded.claims, raw = excluded.raw,
           expires_at = excluded.expires_at, imported_at = excluded.imported_at`,
      )
      .run(claims.publisher, claims.id, JSON.stringify(claims), raw, claims.expires, now());
  }

  /** Drafts of a template, with the version they are on. */
  draftsOf(templateId: string): { id: string; version: number; document: string }[] {
    return this.db.prepare('SELECT id, template_version AS version, document FROM drafts WHERE template_id = ? ORDER BY id').all(templateId) as { id: string; version: number; document: string }[];
  }

  moveDraft(id: string, version: number, document: string): void {
    this.db.prepare('UPDATE drafts SET template_version = ?, document = ?, review_note = NULL WHERE id = ?').run(version, document, id);
  }

  flagDraft(id: string, note: string): void {
    this.db.prepare('UPDATE drafts SET review_note = ? WHERE id = ?').run(note, id);
  }

  draftNote(id: string): string | null {
    return (this.db.prepare('SELECT review_note FROM drafts WHERE id = ?').get(id) as { review_note: string | null } | undefined)?.review_note ?? null;
  }

  latestPublished(packId: string): { version: number; publisherId: string } | undefined {
    const r = this.db.prepare('SELECT version, publisher_id FROM published_packs WHERE pack_id = ? ORDER BY version DESC LIMIT 1').get(packId) as
      | { version: number; publisher_id: string }
      | undefined;
    return r && { version: r.version, publisherId: r.publisher_id };
  }

  hasPublishedAs(publisherId: string): boolean {
    return this.db.prepare('SELECT 1 FROM published_packs WHERE publisher_id = ? LIMIT 1').get(publisherId) !== undefined;
  }

  /** Where a published pack version was written. */
  publishedFile(packId: string, version: number): string | undefined {
    return (this.db.prepare('SELECT file FROM published_packs WHERE pack_id = ? AND version = ?').get(packId, version) as { file: string } | undefined)?.file;
  }

  recordPublished(packId: string, version: number, publisherId: string, manifestSha256: string, file: string): void {
    this.db
      .prepare('INSERT INTO published_packs (pack_id, version, publisher_id, manifest_sha256, file, published_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(packId, version, publisherId, manifestSha256, file, now());
  }

  // ---- the publisher's side: credentials issued and revoked

  recordIssued(claims: CredentialClaims): void {
    this.db
      .prepare('INSERT INTO issued_credentials (id, publisher_id, partner_id, company, tier, expires_at, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(claims.id, claims.publisher, claims.partner, claims.company, claims.tier, claims.expires, claims.issued);
  }

  /** Credentials issued from this catalogue (by one publisher id, or all). */
  issued(publisherId?: string): { id: string; publisherId: string; partnerId: string; company: string; tier: string; expiresAt: string; issuedAt: string }[] {
    const rows = (
      publisherId === undefined
        ? this.db.prepare('SELECT * FROM issued_credentials ORDER BY issued_at, id').all()
        : this.db.prepare('SELECT * FROM issued_credentials WHERE publisher_id = ? ORDER BY issued_at, id').all(publisherId)
    ) as Record<string, string>[];
    return rows.map((r) => ({
      id: r['id']!,
      publisherId: r['publisher_id']!,
      partnerId: r['partner_id']!,
      company: r['company']!,
      tier: r['tier']!,
      expiresAt: r['expires_at']!,
      issuedAt: r['issued_at']!,
    }));
  }

  revokeIssued(publisherId: string, credentialId: string, reason: string): void {
    this.db
      .prepare('INSERT OR REPLACE INTO issued_revocations (publisher_id, credential_id, revoked_at, reason) VALUES (?, ?, ?, ?)')
      .run(publisherId, credentialId, now(), reason);
  }

  issuedRevocations(publisherId: string): Revocation[] {
    return (this.db.prepare('SELECT credential_id, revoked_at, reason FROM issued_revocations WHERE publisher_id = ? ORDER BY credential_id').all(publisherId) as Record<string, string>[]).map((r) => ({
      id: r['credential_id']!,
      revokedAt: r['revoked_at']!,
      reason: r['reason']!,
    }));
  }
}
