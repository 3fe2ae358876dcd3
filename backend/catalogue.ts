import path from 'node:path';
import type Database from 'better-sqlite3';
import { LockupError } from '../core/errors.ts';
import { sniffFormat } from '../core/images/sniff.ts';
import {
  BRAND_FORMAT,
  BRAND_FORMAT_VERSION,
  BrandRules,
  evaluateAccess,
  loadBrand,
  loadDocument,
  loadTemplate,
  profileLogos,
  type AccessDecision,
  type Brand,
  type PartnerDocument,
  type PartnerProfile,
  type Template,
} from '../core/model/index.ts';
import type { ProductBlock } from '../core/model/product.ts';
import { templateAssetRefs } from '../core/model/refs.ts';
import { canonicalJson } from '../core/util/canonical-json.ts';
import { loadProduct } from './content/products.ts';
import { CATALOGUE_FILE } from './data-dir.ts';
import { openDatabase, type OpenOptions } from './db/open.ts';
import { accessProfile, profileForTemplate, type AccessSource } from './packs/access.ts';
import { recordExportActivity } from './insights/ledger.ts';
import type { AssetSource } from './resources.ts';
import { isAssetRef, sha256Hex } from './util/hash.ts';

export interface TemplateSummary {
  id: string;
  version: number;
  name: string;
  description: string;
  category: string;
  brand: string;
  pageSize: string;
  access: Template['access'];
}

export interface LedgerEntry {
  tool: 'cli' | 'app' | 'batch';
  batchId?: string | undefined;
  templateId: string;
  templateVersion: number;
  partnerId: string;
  company: string;
  outputProfile: 'screen' | 'print';
  outputPath: string;
  outputSha256: string;
  byteLength: number;
  inputsSha256: string;
  warnings: number;
}

export interface LedgerRow extends LedgerEntry {
  seq: number;
  exportedAt: string;
}

const now = () => new Date().toISOString();

function mediaTypeOf(bytes: Uint8Array): string {
  const f = sniffFormat(bytes);
  if (f === 'png') return 'image/png';
  if (f === 'jpeg') return 'image/jpeg';
  if (f === 'pdf') return 'application/pdf';
  if (f === 'svg') return 'image/svg+xml';
  const tag = String.fromCharCode(...bytes.subarray(0, 4));
  if (tag === '\u0000\u0001\u0000\u0000' || tag === 'true') return 'font/ttf';
  if (tag === 'OTTO') return 'font/otf';
  return 'application/octet-stream';
}

function refToSha(ref: string): string {
  if (!isAssetRef(ref)) throw new LockupError('asset-missing', `"${ref}" is not a catalogue asset reference`);
  return ref.slice('sha256:'.length);
}

/**
 * The catalogue: one SQLite file owned by the main process (or the CLI).
 * Every write that spans rows runs in one transaction; a failed write
 * leaves the file as it was.
 */
export class Catalogue implements AssetSource {
  readonly db: Database.Database;
  readonly file: string;
  /** Parsed template versions (immutable, so never stale) and brands (dropped on save). */
  private readonly templateCache = new Map<string, Template>();
  private readonly brandCache = new Map<string, Brand>();

  private constructor(db: Database.Database, file: string) {
    this.db = db;
    this.file = file;
  }

  static openDir(dataDir: string, options: OpenOptions = {}): Catalogue {
    const file = path.join(dataDir, CATALOGUE_FILE);
    return new Catalogue(openDatabase(file, options), file);
  }

  static openFile(file: string, options: OpenOptions = {}): Catalogue {
    return new Catalogue(openDatabase(file, options), file);
  }

  close(): void {
    this.db.close();
  }

  /** Runs `fn` in one transaction; on failure the file and the in-memory caches are as before. */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      this.brandCache.clear();
      this.templateCache.clear();
      throw err;
    }
  }

  // ---- settings

  getSetting(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  // ---- assets

  /** Stores bytes by their sha256 (idempotent) and returns the asset ref. */
  putAsset(bytes: Uint8Array, name: string): string {
    if (bytes.byteLength === 0) throw new LockupError('file-empty', `Asset "${name}" is empty`);
    const sha = sha256Hex(bytes);
    this.db
      .prepare('INSERT OR IGNORE INTO assets (sha256, media_type, name, byte_length, data, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(sha, mediaTypeOf(bytes), name, bytes.byteLength, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), now());
    return `sha256:${sha}`;
  }

  assetBytes(ref: string): { bytes: Uint8Array; name: string; mediaType: string } | undefined {
    if (!isAssetRef(ref)) return undefined;
    const row = this.db.prepare('SELECT name, media_type, data FROM assets WHERE sha256 = ?').get(refToSha(ref)) as { name: string; media_type: string; data: Buffer } | undefined;
    if (!row) return undefined;
    return { bytes: new Uint8Array(row.data.buffer.slice(row.data.byteOffset, row.data.byteOffset + row.data.byteLength)), name: row.name, mediaType: row.media_type };
  }

  hasAsset(ref: string): boolean {
    return isAssetRef(ref) && this.db.prepare('SELECT 1 FROM assets WHERE sha256 = ?').get(refToSha(ref)) !== undefined;
  }

  // ---- brands

  brandIds(): string[] {
    return (this.db.prepare('SELECT id FROM brands ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  }

  /** The publisher a brand arrived from in a signed pack (read-only here), or null for a brand authored here. */
  brandPublisher(id: string): string | null {
    const row = this.db.prepare('SELECT publisher_id FROM brands WHERE id = ?').get(id) as { publisher_id: string | null } | undefined;
    if (!row) throw new LockupError('brand-unknown', `The catalogue has no brand "${id}"`);
    return row.publisher_id;
  }

  /** Saves (or replaces) a brand kit with its rules and access levels. Assets must already be stored. */
  saveBrand(brand: Brand): void {
    const b = loadBrand(brand);
    this.brandCache.delete(b.id);
    this.transaction(() => {
      for (const ref of [...b.fonts.map((f) => f.file), ...b.logos.map((l) => l.file)]) {
        if (!this.hasAsset(ref)) throw new LockupError('asset-missing', `Brand "${b.id}" refers to ${ref}, which is not in the catalogue`);
      }
      const existing = this.db.prepare('SELECT created_at FROM brands WHERE id = ?').get(b.id) as { created_at: string } | undefined;
      const ts = now();
      this.db
        .prepare('INSERT INTO brands (id, name, format_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, format_version = excluded.format_version, updated_at = excluded.updated_at')
        .run(b.id, b.name, BRAND_FORMAT_VERSION, existing?.created_at ?? ts, ts);
      for (const table of ['brand_font_fallbacks', 'brand_colors', 'brand_logos', 'brand_rules', 'access_tiers', 'partner_types', 'regions', 'certifications']) {
        this.db.prepare(`DELETE FROM ${table} WHERE brand_id = ?`).run(b.id);
      }
      this.db.prepare('DELETE FROM brand_fonts WHERE brand_id = ?').run(b.id);
      const color = this.db.prepare('INSERT INTO brand_colors (brand_id, id, name, hex, c, m, y, k, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      b.palette.forEach((p, i) => color.run(b.id, p.id, p.name, p.hex, ...p.cmyk, i));
      const font = this.db.prepare('INSERT INTO brand_fonts (brand_id, id, family, weight, style, asset_sha256, licence, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      b.fonts.forEach((f, i) => font.run(b.id, f.id, f.family, f.weight, f.style, refToSha(f.file), f.licence, i));
      const fallback = this.db.prepare('INSERT INTO brand_font_fallbacks (brand_id, script, font_id, position) VALUES (?, ?, ?, ?)');
      for (const fb of b.fallbackFonts) fb.fonts.forEach((f, i) => fallback.run(b.id, fb.script, f, i));
      const logo = this.db.prepare('INSERT INTO brand_logos (brand_id, id, name, background, asset_sha256, position) VALUES (?, ?, ?, ?, ?, ?)');
      b.logos.forEach((l, i) => logo.run(b.id, l.id, l.name, l.background, refToSha(l.file), i));
      const rule = this.db.prepare('INSERT INTO brand_rules (brand_id, code, params) VALUES (?, ?, ?)');
      for (const [code, params] of Object.entries(b.rules)) rule.run(b.id, code, JSON.stringify(params));
      const tier = this.db.prepare('INSERT INTO access_tiers (brand_id, id, name, rank) VALUES (?, ?, ?, ?)');
      b.access.tiers.forEach((t, i) => tier.run(b.id, t.id, t.name, i));
      for (const [table, list] of [['partner_types', b.access.partnerTypes], ['regions', b.access.regions], ['certifications', b.access.certifications]] as const) {
        const st = this.db.prepare(`INSERT INTO ${table} (brand_id, id, name, position) VALUES (?, ?, ?, ?)`);
        list.forEach((e, i) => st.run(b.id, e.id, e.name, i));
      }
    });
  }

  getBrand(id: string): Brand {
    const hit = this.brandCache.get(id);
    if (hit) return hit;
    const brand = this.readBrand(id);
    this.brandCache.set(id, brand);
    return brand;
  }

  private readBrand(id: string): Brand {
    const row = this.db.prepare('SELECT id, name FROM brands WHERE id = ?').get(id) as { id: string; name: string } | undefined;
    if (!row) throw new LockupError('brand-unknown', `The catalogue has no brand "${id}"`);
    const all = <T>(sql: string) => this.db.prepare(sql).all(id) as T[];
    const fallbacks = new Map<string, string[]>();
    for (const f of all<{ script: string; font_id: string }>('SELECT script, font_id FROM brand_font_fallbacks WHERE brand_id = ? ORDER BY script, position')) {
      fallbacks.set(f.script, [...(fallbacks.get(f.script) ?? []), f.font_id]);
    }
    const rules: Record<string, unknown> = {};
    for (const r of all<{ code: string; params: string }>('SELECT code, params FROM brand_rules WHERE brand_id = ?')) rules[r.code] = JSON.parse(r.params);
    const named = (table: string) => all<{ id: string; name: string }>(`SELECT id, name FROM ${table} WHERE brand_id = ? ORDER BY position`);
    return loadBrand({
      format: BRAND_FORMAT,
      formatVersion: BRAND_FORMAT_VERSION,
      id: row.id,
      name: row.name,
      palette: all<{ id: string; name: string; hex: string; c: number; m: number; y: number; k: number }>('SELECT * FROM brand_colors WHERE brand_id = ? ORDER BY position').map((p) => ({
        id: p.id,
        name: p.name,
        hex: p.hex,
        cmyk: [p.c, p.m, p.y, p.k],
      })),
      fonts: all<{ id: string; family: string; weight: number; style: string; asset_sha256: string; licence: string }>('SELECT * FROM brand_fonts WHERE brand_id = ? ORDER BY position').map((f) => ({
        id: f.id,
        family: f.family,
        weight: f.weight,
        style: f.style,
        file: `sha256:${f.asset_sha256}`,
        licence: f.licence,
      })),
      fallbackFonts: [...fallbacks].map(([script, fonts]) => ({ script, fonts })),
      logos: all<{ id: string; name: string; background: string; asset_sha256: string }>('SELECT * FROM brand_logos WHERE brand_id = ? ORDER BY position').map((l) => ({
        id: l.id,
        name: l.name,
        background: l.background,
        file: `sha256:${l.asset_sha256}`,
      })),
      rules: BrandRules.parse(rules),
      access: {
        tiers: all<{ id: string; name: string }>('SELECT id, name FROM access_tiers WHERE brand_id = ? ORDER BY rank'),
        partnerTypes: named('partner_types'),
        regions: named('regions'),
        certifications: named('certifications'),
      },
    });
  }

  // ---- templates

  /**
   * Adds a published template version. Its image assets must be stored and
   * its brand must exist. Re-adding an identical version is a no-op; a
   * different body under an existing version is refused (versions are immutable).
   */
  addTemplateVersion(template: Template): 'added' | 'unchanged' {
    const t = loadTemplate(template);
    const body = JSON.stringify(t);
    const sha = sha256Hex(body);
    return this.transaction(() => {
      if (!this.db.prepare('SELECT 1 FROM brands WHERE id = ?').get(t.brand)) throw new LockupError('brand-unknown', `Template "${t.id}" names brand "${t.brand}", which is not in the catalogue`);
      const owner = this.db.prepare('SELECT brand_id FROM templates WHERE id = ?').get(t.id) as { brand_id: string } | undefined;
      if (owner && owner.brand_id !== t.brand) throw new LockupError('template-version-conflict', `Template id "${t.id}" already belongs to brand "${owner.brand_id}"`);
      const existing = this.db.prepare('SELECT sha256 FROM template_versions WHERE template_id = ? AND version = ?').get(t.id, t.version) as { sha256: string } | undefined;
      if (existing) {
        if (existing.sha256 === sha) return 'unchanged' as const;
        throw new LockupError('template-version-conflict', `Template "${t.id}" version ${t.version} is already published with different content; publish it as version ${this.latestVersion(t.id) + 1}`);
      }
      const refs = new Set(templateAssetRefs(t));
      for (const ref of refs) if (!this.hasAsset(ref)) throw new LockupError('asset-missing', `Template "${t.id}" refers to ${ref}, which is not in the catalogue`);
      if (!owner) this.db.prepare('INSERT INTO templates (id, brand_id, created_at) VALUES (?, ?, ?)').run(t.id, t.brand, now());
      this.db
        .prepare('INSERT INTO template_versions (template_id, version, format_version, name, category, body, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(t.id, t.version, t.formatVersion, t.name, t.category, body, sha, now());
      const link = this.db.prepare('INSERT INTO template_assets (template_id, version, asset_sha256) VALUES (?, ?, ?)');
      for (const ref of refs) link.run(t.id, t.version, refToSha(ref));
      return 'added' as const;
    });
  }

  latestVersion(id: string): number {
    return (this.db.prepare('SELECT MAX(version) AS v FROM template_versions WHERE template_id = ?').get(id) as { v: number | null }).v ?? 0;
  }

  /** A template by "id" (latest version) or "id@version". */
  getTemplate(ref: string): Template {
    const m = /^([^@]+)(?:@(\d+))?$/.exec(ref.trim());
    if (!m) throw new LockupError('template-unknown', `"${ref}" is not a template id`);
    const id = m[1]!;
    const version = m[2] ? Number(m[2]) : this.latestVersion(id);
    const cached = this.templateCache.get(`${id}@${version}`);
    if (cached) return cached;
    const row = this.db.prepare('SELECT body FROM template_versions WHERE template_id = ? AND version = ?').get(id, version) as { body: string } | undefined;
    if (!row) {
      const known = this.listTemplates().map((t) => t.id);
      const hint = known.length > 0 ? ` Known templates: ${known.join(', ')}.` : '';
      throw new LockupError('template-unknown', m[2] ? `The catalogue has no version ${version} of template "${id}".` : `The catalogue has no template "${id}".${hint}`, { id });
    }
    const template = loadTemplate(JSON.parse(row.body));
    this.templateCache.set(`${id}@${version}`, template);
    return template;
  }

  listTemplates(): TemplateSummary[] {
    const rows = this.db
      .prepare(
        `SELECT v.body FROM template_versions v
         JOIN (SELECT template_id, MAX(version) AS version FROM template_versions GROUP BY template_id) latest
           ON latest.template_id = v.template_id AND latest.version = v.version
         JOIN templates t ON t.id = v.template_id
         WHERE t.withdrawn_at IS NULL
           -- A distributor's derivation stands in for the vendor template it derives (docs/decisions/0020).
           AND NOT EXISTS (SELECT 1 FROM templates d WHERE d.derived_from = t.id AND d.brand_id = t.brand_id AND d.withdrawn_at IS NULL)
           -- …and leaves with it when the vendor withdraws that template.
           AND NOT EXISTS (SELECT 1 FROM templates b WHERE b.id = t.derived_from AND b.brand_id = t.brand_id AND b.withdrawn_at IS NOT NULL)
         ORDER BY v.category, v.name`,
      )
      .all() as { body: string }[];
    return rows.map((r) => {
      const t = loadTemplate(JSON.parse(r.body));
      const size = typeof t.page.size === 'string' ? t.page.size : `${t.page.size.width}×${t.page.size.height} pt`;
      return { id: t.id, version: t.version, name: t.name, description: t.description, category: t.category, brand: t.brand, pageSize: size, access: t.access };
    });
  }

  /**
   * Templates with the access decision for a partner (all of them, locked
   * ones with reasons). For a brand from a signed pack the decision follows
   * the partner's credential (backend/packs/access.ts), with or without a
   * profile; for a brand authored here it follows the profile, if given.
   */
  templatesFor(profile: PartnerProfile | undefined, now = new Date()): (TemplateSummary & { decision: AccessDecision; requirements: string[]; notice?: string })[] {
    const brands = new Map<string, { brand: Brand; access: AccessSource | undefined }>();
    const anyone: PartnerProfile = { id: 'anyone', company: 'This partner', contact: {}, certifications: [] };
    return this.listTemplates().map((t) => {
      let b = brands.get(t.brand);
      if (!b) {
        const access = accessProfile(this, t.brand, profile ?? anyone, now);
        b = { brand: this.getBrand(t.brand), access: access.source === 'profile' && !profile ? undefined : access };
        brands.set(t.brand, b);
      }
      const p = b.access && profileForTemplate(this, b.access, t.id);
      const decision = p
        ? evaluateAccess(t.access, { tier: p.tier, type: p.type, region: p.region, distributor: p.distributor, certifications: p.certifications }, b.brand.access)
        : { allowed: true, reasons: [] };
      // What the template asks of any partner, in words ("Gold partners only").
      const requirements = evaluateAccess(t.access, {}, b.brand.access).reasons;
      return { ...t, decision, requirements, ...(b.access?.notice ? { notice: b.access.notice } : {}) };
    });
  }

  /**
   * The profile as access policies must see it for this brand (credential
   * claims for pack brands); with `templateId`, narrowed to what a
   * distributor-issued credential covers for that template.
   */
  accessProfile(brandId: string, profile: PartnerProfile, now = new Date(), templateId?: string): AccessSource {
    const source = accessProfile(this, brandId, profile, now);
    return templateId === undefined ? source : { ...source, profile: profileForTemplate(this, source, templateId) };
  }

  // ---- product blocks (migration 0005)

  /**
   * Saves (or replaces) one product block under its publisher (a brand id or
   * a distributor id). Its image must already be stored. A new block goes
   * after the publisher's others; a replaced one keeps its place.
   */
  saveProduct(product: ProductBlock): void {
    const p = loadProduct(product);
    this.transaction(() => {
      const at = this.db.prepare('SELECT position FROM products WHERE publisher = ? AND id = ?').get(p.publisher, p.id) as { position: number } | undefined;
      const next = (this.db.prepare('SELECT MAX(position) AS m FROM products WHERE publisher = ?').get(p.publisher) as { m: number | null }).m;
      this.writeProduct(p, at?.position ?? (next ?? -1) + 1);
    });
  }

  /**
   * Replaces every product block of `publisher` with `products`, in this
   * order, in one transaction (a re-imported folder or pack is the whole
   * list). Every block must name that publisher; images must be stored.
   */
  replaceProducts(publisher: string, products: readonly ProductBlock[]): void {
    const list = products.map((p) => loadProduct(p));
    this.transaction(() => {
      const ids = new Set<string>();
      for (const p of list) {
        if (p.publisher !== publisher) throw new LockupError('product-invalid', `The product "${p.id}" names the publisher "${p.publisher}", not "${publisher}"`, { product: p.id });
        if (ids.has(p.id)) throw new LockupError('product-invalid', `The product id "${p.id}" appears twice`, { product: p.id });
        ids.add(p.id);
      }
      this.db.prepare('DELETE FROM products WHERE publisher = ?').run(publisher);
      list.forEach((p, i) => this.writeProduct(p, i));
    });
  }

  private writeProduct(p: ProductBlock, position: number): void {
    if (p.image !== undefined && !this.hasAsset(p.image)) throw new LockupError('asset-missing', `The product "${p.id}" refers to ${p.image}, which is not in the catalogue`, { product: p.id });
    const body = canonicalJson(p);
    this.db
      .prepare(
        `INSERT INTO products (publisher, id, owner, name, body, sha256, image_sha256, position, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(publisher, id) DO UPDATE SET owner = excluded.owner, name = excluded.name, body = excluded.body, sha256 = excluded.sha256,
           image_sha256 = excluded.image_sha256, position = excluded.position, updated_at = excluded.updated_at`,
      )
      .run(p.publisher, p.id, p.owner, p.name, body, sha256Hex(body), p.image === undefined ? null : refToSha(p.image), position, now());
  }

  /** A publisher's product blocks, in its order. */
  listProducts(publisher: string): ProductBlock[] {
    const rows = this.db.prepare('SELECT body FROM products WHERE publisher = ? ORDER BY position, id').all(publisher) as { body: string }[];
    return rows.map((r) => loadProduct(JSON.parse(r.body)));
  }

  getProduct(publisher: string, id: string): ProductBlock | undefined {
    const row = this.db.prepare('SELECT body FROM products WHERE publisher = ? AND id = ?').get(publisher, id) as { body: string } | undefined;
    return row && loadProduct(JSON.parse(row.body));
  }

  // ---- partner profiles

  saveProfile(profile: PartnerProfile): void {
    const logos = profileLogos(profile);
    for (const ref of [logos.light, logos.dark]) {
      if (ref && !this.hasAsset(ref)) throw new LockupError('asset-missing', `Partner "${profile.id}" logo ${ref} is not in the catalogue`);
    }
    const ts = now();
    this.db
      .prepare(
        `INSERT INTO partner_profiles (id, company, contact, tier, type, region, distributor, certifications, logo_light_sha256, logo_dark_sha256, created_at, updated_at)
         VALUES (@id, @company, @contact, @tier, @type, @region, @distributor, @certifications, @light, @dark, @ts, @ts)
         ON CONFLICT(id) DO UPDATE SET company = excluded.company, contact = excluded.contact, tier = excluded.tier, type = excluded.type,
           region = excluded.region, distributor = excluded.distributor, certifications = excluded.certifications,
           logo_light_sha256 = excluded.logo_light_sha256, logo_dark_sha256 = excluded.logo_dark_sha256, updated_at = excluded.updated_at`,
      )
      .run({
        id: profile.id,
        company: profile.company,
        contact: JSON.stringify(profile.contact),
        tier: profile.tier ?? null,
        type: profile.type ?? null,
        region: profile.region ?? null,
        distributor: profile.distributor ?? null,
        certifications: JSON.stringify(profile.certifications),
        light: logos.light ? refToSha(logos.light) : null,
        dark: logos.dark ? refToSha(logos.dark) : null,
        ts,
      });
  }

  getProfile(id: string): PartnerProfile | undefined {
    const r = this.db.prepare('SELECT * FROM partner_profiles WHERE id = ?').get(id) as Record<string, string | null> | undefined;
    if (!r) return undefined;
    const light = r['logo_light_sha256'] ? `sha256:${r['logo_light_sha256']}` : undefined;
    const dark = r['logo_dark_sha256'] ? `sha256:${r['logo_dark_sha256']}` : undefined;
    const profile: PartnerProfile = {
      id: r['id']!,
      company: r['company']!,
      contact: JSON.parse(r['contact']!),
      certifications: JSON.parse(r['certifications']!),
    };
    if (light || dark) profile.logo = { ...(light ? { light } : {}), ...(dark ? { dark } : {}) };
    for (const k of ['tier', 'type', 'region', 'distributor'] as const) if (r[k]) profile[k] = r[k]!;
    return profile;
  }

  listProfiles(): PartnerProfile[] {
    return (this.db.prepare('SELECT id FROM partner_profiles ORDER BY company').all() as { id: string }[]).map((r) => this.getProfile(r.id)!);
  }

  // ---- drafts

  saveDraft(id: string, partnerId: string, document: PartnerDocument): void {
    const doc = loadDocument(document);
    this.db
      .prepare(
        `INSERT INTO drafts (id, partner_id, template_id, template_version, document, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET document = excluded.document, template_id = excluded.template_id, template_version = excluded.template_version, updated_at = excluded.updated_at`,
      )
      .run(id, partnerId, doc.templateId, doc.templateVersion, JSON.stringify(doc), now());
  }

  getDraft(id: string): { id: string; partnerId: string; document: PartnerDocument; updatedAt: string } | undefined {
    const r = this.db.prepare('SELECT * FROM drafts WHERE id = ?').get(id) as { id: string; partner_id: string; document: string; updated_at: string } | undefined;
    return r && { id: r.id, partnerId: r.partner_id, document: loadDocument(JSON.parse(r.document)), updatedAt: r.updated_at };
  }

  // ---- export ledger

  recordExports(entries: readonly LedgerEntry[]): void {
    if (entries.length === 0) return;
    const st = this.db.prepare(
      `INSERT INTO export_ledger (exported_at, tool, batch_id, template_id, template_version, partner_id, company, output_profile, output_path, output_sha256, byte_length, inputs_sha256, warnings)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.transaction(() => {
      for (const e of entries) {
        st.run(now(), e.tool, e.batchId ?? null, e.templateId, e.templateVersion, e.partnerId, e.company, e.outputProfile, e.outputPath, e.outputSha256, e.byteLength, e.inputsSha256, e.warnings);
      }
      recordExportActivity(this, entries);
    });
  }

  /** Whether the ledger records an export written to this (absolute) path. */
  isExported(file: string): boolean {
    return this.db.prepare('SELECT 1 FROM export_ledger WHERE output_path = ? LIMIT 1').get(file) !== undefined;
  }

  /** Output paths the ledger records for one batch (a resumed batch adds only what is missing). */
  exportedPathsOfBatch(batchId: string): Set<string> {
    const rows = this.db.prepare('SELECT output_path FROM export_ledger WHERE batch_id = ?').all(batchId) as { output_path: string }[];
    return new Set(rows.map((r) => r.output_path));
  }

  listExports(limit = 100): LedgerRow[] {
    const rows = this.db.prepare('SELECT * FROM export_ledger ORDER BY seq DESC LIMIT ?').all(limit) as Record<string, string | number | null>[];
    return rows.map((r) => ({
      seq: r['seq'] as number,
      exportedAt: r['exported_at'] as string,
      tool: r['tool'] as LedgerEntry['tool'],
      batchId: (r['batch_id'] as string | null) ?? undefined,
      templateId: r['template_id'] as string,
      templateVersion: r['template_version'] as number,
      partnerId: r['partner_id'] as string,
      company: r['company'] as string,
      outputProfile: r['output_profile'] as 'screen' | 'print',
      outputPath: r['output_path'] as string,
      outputSha256: r['output_sha256'] as string,
      byteLength: r['byte_length'] as number,
      inputsSha256: r['inputs_sha256'] as string,
      warnings: r['warnings'] as number,
    }));
  }
}
