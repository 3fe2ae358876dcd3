import fs from 'node:fs';
import path from 'node:path';
import type { Catalogue } from '../../backend/catalogue.ts';
import { generateSigningKey, type SigningKey } from '../../backend/packs/keys.ts';
import { contentsFromFolder } from '../../backend/packs/publish.ts';
import { buildPack, manifestEntries, verifyPack, type PackContents } from '../../backend/packs/pack.ts';
import { buildDerivedPack, type DerivedTemplate, type DistributorProfile } from '../../backend/packs/derived.ts';
import { applyDerivation, type DerivationSpec } from '../../backend/packs/derived-rules.ts';
import { issueDistributorCredential, type DistributorScope } from '../../backend/packs/distributor.ts';
import { packEntry, readArchive, writeArchive, type ArchiveEntry } from '../../backend/packs/archive.ts';
import { signBytes } from '../../backend/packs/keys.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import type { TemplateInput } from '../../core/model/index.ts';
import type { ProductBlockInput } from '../../core/model/product.ts';
import { ROOT } from './paths.ts';
import { tempDir } from './temp.ts';

/**
 * A small vendor content folder for pack tests: brand "acme" (one font, one
 * vector logo, tiers registered < silver < gold) and three one-page flyers,
 * open to all, Silver and up, and Gold only.
 */
export function writeAcmeFolder(
  options: { tagline?: number; omit?: string[]; bump?: string[]; extraTemplate?: boolean; distributorZone?: boolean; products?: boolean; offerSheet?: boolean; lockup?: boolean } = {},
): string {
  const dir = tempDir('lockup-acme-');
  fs.copyFileSync(path.join(ROOT, 'assets/fonts/lato/Lato-Regular.ttf'), path.join(dir, 'lato.ttf'));
  fs.copyFileSync(path.join(ROOT, 'test-fixtures/images/logo-vector.pdf'), path.join(dir, 'logo.pdf'));
  const brand = {
    format: 'lockup.brand',
    formatVersion: 1,
    id: 'acme',
    name: 'Acme Networks',
    palette: [
      { id: 'ink', name: 'Ink', hex: '#111111', cmyk: [0, 0, 0, 93] },
      { id: 'paper', name: 'Paper', hex: '#FFFFFF', cmyk: [0, 0, 0, 0] },
    ],
    fonts: [{ id: 'lato', family: 'Lato', weight: 400, file: 'lato.ttf', licence: 'SIL Open Font License 1.1' }],
    logos: [{ id: 'acme-logo', name: 'Acme', file: 'logo.pdf', background: 'light' }],
    access: {
      tiers: [
        { id: 'registered', name: 'Registered' },
        { id: 'silver', name: 'Silver' },
        { id: 'gold', name: 'Gold' },
      ],
      partnerTypes: [{ id: 'reseller', name: 'Reseller' }],
      regions: [{ id: 'emea', name: 'EMEA' }],
    },
  };
  fs.writeFileSync(path.join(dir, 'brand.json'), JSON.stringify(brand));
  const flyer = (id: string, name: string, minTier?: string): TemplateInput => ({
    format: 'lockup.template',
    formatVersion: 1,
    id,
    version: options.bump?.includes(id) ? 2 : 1,
    name,
    brand: 'acme',
    page: { size: 'a5' },
    ...(minTier ? { access: { minTier } } : {}),
    fields: [
      { key: 'company', label: 'Company name', required: true, maxChars: 80 },
      { key: 'tagline', label: 'Tagline', maxChars: options.bump?.includes(id) && options.tagline ? options.tagline : 40 },
      ...(options.distributorZone ? [{ key: 'distributor', label: 'Distributor', maxChars: 60 }] : []),
    ],
    pages: [
      {
        zones: [
          { id: 'band', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: { x: 0, y: 0, w: 419, h: 80 }, fill: 'ink' },
          { id: 'vendor-logo', kind: 'vendor-logo', owner: 'vendor', lock: 'locked', rect: { x: 20, y: 100, w: 160, h: 60 } },
          { id: 'partner-logo', kind: 'partner-logo', owner: 'partner', lock: 'editable', rect: { x: 230, y: 100, w: 160, h: 60 }, required: false },
          {
            id: 'tagline',
            kind: 'partner-text',
            owner: 'partner',
            lock: 'editable',
            rect: { x: 20, y: 200, w: 380, h: 60 },
            content: '{company}: {tagline}',
            style: { font: 'lato', size: 14, color: 'ink' },
          },
          // Vendor, distributor and partner logos in one row (a derived template shows the distributor's).
          ...(options.lockup
            ? [{ id: 'co-brand', kind: 'lockup' as const, owner: 'vendor' as const, lock: 'locked' as const, rect: { x: 20, y: 420, w: 380, h: 60 }, order: ['vendor' as const, 'distributor' as const, 'partner' as const], separator: 'none' as const, partnerRequired: false }]
            : []),
          // A line the vendor leaves to the distributor (derived packs, docs/decisions/0020).
          ...(options.distributorZone
            ? [
                {
                  id: 'dist-line',
                  kind: 'partner-text' as const,
                  owner: 'distributor' as const,
                  lock: 'editable' as const,
                  rect: { x: 20, y: 280, w: 380, h: 20 },
                  content: 'Available through {distributor}',
                  style: { font: 'lato', size: 10, color: 'ink' },
                },
              ]
            : []),
        ],
      },
    ],
  });
  const templates = [flyer('flyer-open', 'Open flyer'), flyer('flyer-silver', 'Silver flyer', 'silver'), flyer('flyer-gold', 'Gold flyer', 'gold')];
  if (options.extraTemplate) templates.push(flyer('flyer-new', 'New flyer'));
  if (options.offerSheet) templates.push(offerSheet());
  for (const t of templates) if (!options.omit?.includes(t.id)) fs.writeFileSync(path.join(dir, `${t.id}.template.json`), JSON.stringify(t));
  if (options.products) {
    fs.mkdirSync(path.join(dir, 'products'));
    fs.copyFileSync(path.join(ROOT, 'test-fixtures/images/logo-rgba.png'), path.join(dir, 'products', 'router.png'));
    for (const p of ACME_PRODUCTS) fs.writeFileSync(path.join(dir, 'products', `${p.id}.product.json`), JSON.stringify(p));
  }
  return dir;
}

/** Acme's product blocks (with `products: true`): three offered on the offer sheet, one not; the support plan is unlocked. */
export const ACME_PRODUCTS: ProductBlockInput[] = [
  { format: 'lockup.product', formatVersion: 1, id: 'acme-router', publisher: 'acme', owner: 'vendor', name: 'Acme Router 500', sku: 'AR-500', image: 'router.png', copy: 'Branch routing.', price: { kind: 'list', amount: 1299, currency: 'USD', unit: 'per unit' }, section: 'Hardware' },
  { format: 'lockup.product', formatVersion: 1, id: 'acme-switch', publisher: 'acme', owner: 'vendor', name: 'Acme Switch 24', sku: 'AS-24', copy: '24 ports.', price: { kind: 'list', amount: 499, currency: 'USD' }, section: 'Hardware' },
  { format: 'lockup.product', formatVersion: 1, id: 'acme-support', publisher: 'acme', owner: 'vendor', name: 'Acme Care', copy: 'Next-day replacement.', price: { kind: 'on-request' }, section: 'Services', locked: false },
  { format: 'lockup.product', formatVersion: 1, id: 'acme-cable', publisher: 'acme', owner: 'vendor', name: 'Acme Cable', price: { kind: 'list', amount: 9.5, currency: 'USD' } },
];

/**
 * A two-page offer sheet with a block area the distributor fills on each:
 * "offer" (three Acme blocks offered, own blocks allowed) and "picks" (any
 * Acme block, no own blocks).
 */
function offerSheet(): TemplateInput {
  const style = { font: 'lato', bold: 'lato', color: 'ink', muted: 'ink', accent: 'ink', headingColor: 'ink' };
  const area = (id: string, y: number, over: Record<string, unknown>) => ({ id, kind: 'block-area' as const, owner: 'distributor' as const, lock: 'locked' as const, rect: { x: 20, y, w: 380, h: 200 }, style, ...over });
  return {
    format: 'lockup.template',
    formatVersion: 1,
    id: 'offer-sheet',
    version: 1,
    name: 'Offer sheet',
    brand: 'acme',
    page: { size: 'a5' },
    fields: [{ key: 'company', label: 'Company name', required: true, maxChars: 80 }],
    pages: [
      {
        zones: [
          { id: 'vendor-logo', kind: 'vendor-logo', owner: 'vendor', lock: 'locked', rect: { x: 20, y: 20, w: 160, h: 60 } },
          area('offer', 100, { offered: ['acme-router', 'acme-switch', 'acme-support'], allowOwn: true }),
        ],
      },
      { zones: [area('picks', 100, { allowOwn: false })] },
    ],
  } as TemplateInput;
}

/** Northwind's own product block (for derived packs with products). */
export const northwindProduct = (over: Partial<ProductBlockInput> = {}): ProductBlockInput => ({
  format: 'lockup.product',
  formatVersion: 1,
  id: 'nw-install',
  publisher: 'northwind',
  owner: 'distributor',
  name: 'Northwind installation',
  copy: 'On-site set-up by Northwind engineers.',
  price: { kind: 'list', amount: 349, currency: 'USD', unit: 'per site' },
  section: 'Services',
  ...over,
});

export const acmeKey = (): SigningKey => generateSigningKey({ id: 'acme', name: 'Acme Networks' });

export function acmeContents(catalogue: Catalogue, options: Parameters<typeof writeAcmeFolder>[0] = {}): PackContents {
  return contentsFromFolder(writeAcmeFolder(options), catalogue, 'acme');
}

/** A signed pack of `contents`, without recording anything anywhere. */
export function acmePack(contents: PackContents, key: SigningKey, version = 1): Uint8Array {
  return buildPack(contents, key, { id: 'acme', version, created: '2026-11-25T12:00:00.000Z' }).bytes;
}

/** A pack's entries (manifest and signature first) as written, for re-assembling variants. */
export function packEntries(bytes: Uint8Array): ArchiveEntry[] {
  return readArchive(bytes);
}

/** Re-assembles entries as the builder would (manifest and signature stored, not deflated). */
export function rebuildPack(entries: ArchiveEntry[]): Uint8Array {
  return writeArchive(entries.map((e) => packEntry(e, e.name.startsWith('manifest.'))));
}

/**
 * Edits a pack's manifest and signs it again with `key`, so a test reaches
 * the checks behind the signature. `raw` writes the manifest text itself.
 */
export function resignManifest(bytes: Uint8Array, key: SigningKey, edit: (m: Record<string, unknown>) => unknown, raw?: (m: unknown) => string): Uint8Array {
  const entries = packEntries(bytes);
  const manifest = JSON.parse(new TextDecoder().decode(entries[0]!.data)) as Record<string, unknown>;
  const edited = edit(manifest) ?? manifest;
  const data = new TextEncoder().encode(raw ? raw(edited) : canonicalJson(edited));
  const sig = new TextEncoder().encode(signBytes('lockup.pack.v1', data, key) + '\n');
  return rebuildPack([{ name: 'manifest.json', data }, { name: 'manifest.sig', data: sig }, ...entries.slice(2)]);
}

// ---- distributors' derived packs (docs/decisions/0020)

export const northwindKey = (): SigningKey => generateSigningKey({ id: 'northwind', name: 'Northwind Distribution' });

/** When derived-pack fixtures are made and checked: inside every credential's window. */
export const DERIVED_NOW = new Date('2026-11-25T12:00:00.000Z');

export function northwindCredential(vendor: SigningKey, distributor: SigningKey, scope: Partial<DistributorScope> = {}, options: { expires?: string; issued?: Date } = {}): string {
  return issueDistributorCredential(
    {
      distributor: { id: distributor.publisher.id, name: distributor.publisher.name, publicKey: distributor.publicKey },
      expires: options.expires ?? '2028-01-01T00:00:00.000Z',
      scope: { templates: ['flyer-open', 'flyer-silver'], maxTier: 'silver', ...scope },
    },
    vendor,
    options.issued ?? new Date('2026-11-01T00:00:00.000Z'),
  ).text;
}

export const northwindProfile = (): DistributorProfile => ({
  format: 'lockup.distributor',
  formatVersion: 1,
  id: 'northwind',
  name: 'Northwind Distribution',
  contact: { phone: '+1 555 0100', email: 'partners@northwind.example' },
  logos: [],
});

/** The derivation of "flyer-open" the tests use: the distributor line filled and a contact box added. */
export const northwindSpec = (over: Partial<DerivationSpec> = {}): DerivationSpec => ({
  template: 'flyer-open',
  defaults: { distributor: 'Northwind Distribution' },
  zones: { 'dist-line': { style: { font: 'lato', size: 11, color: 'ink' } } },
  add: [{ page: 1, zone: { id: 'nw-contact', kind: 'static-text', text: 'Northwind: +1 555 0100', style: { font: 'lato', size: 9, color: 'ink' }, rect: { x: 20, y: 520, w: 380, h: 30 } } }],
  ...over,
});

/** A signed derived pack over `vendorPack`, deriving each spec's template. */
export function northwindPack(
  vendorPack: Uint8Array,
  credentialText: string,
  key: SigningKey,
  options: { specs?: DerivationSpec[]; version?: number; now?: Date; templates?: DerivedTemplate[] } = {},
): Uint8Array {
  const vendor = verifyPack(vendorPack);
  const templates =
    options.templates ??
    (options.specs ?? [northwindSpec()]).map((spec) => ({
      vendorId: spec.template,
      template: applyDerivation(vendor.contents.templates.find((t) => t.id === spec.template)!, spec, 'northwind', options.version ?? 1, vendor.contents.brand.access, (f) => f),
    }));
  return buildDerivedPack({ vendorPack, credentialText, profile: northwindProfile(), templates, assets: new Map() }, key, { id: 'northwind.acme', version: options.version ?? 1, created: '2026-11-25T12:00:00.000Z' }, options.now ?? DERIVED_NOW).bytes;
}

/**
 * Re-assembles a derived pack with edited entries and manifest, signed by
 * `signer`: what a dishonest distributor (or someone holding a key) could
 * make, so a test reaches the checks behind the overlay signature.
 */
export function forgeDerived(bytes: Uint8Array, signer: SigningKey, edit: { entries?: (e: ArchiveEntry[]) => ArchiveEntry[]; manifest?: (m: Record<string, unknown>) => void } = {}): Uint8Array {
  const all = readArchive(bytes);
  const body = (edit.entries ?? ((e) => e))(all.slice(2));
  const manifest = JSON.parse(new TextDecoder().decode(all[0]!.data)) as Record<string, unknown>;
  const packed = body.map((e) => packEntry(e, e.name === 'vendor.lockup'));
  manifest['entries'] = manifestEntries(body, packed);
  edit.manifest?.(manifest);
  const data = new TextEncoder().encode(canonicalJson(manifest));
  const sig = new TextEncoder().encode(signBytes('lockup.derived-pack.v1', data, signer) + '\n');
  return writeArchive([packEntry({ name: 'derived.json', data }, true), packEntry({ name: 'derived.sig', data: sig }, true), ...packed]);
}
