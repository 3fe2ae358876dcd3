import fs from 'node:fs';
import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import { describeIssues } from '../../core/model/validate.ts';
import type { Catalogue } from '../catalogue.ts';
import type { ProductBlock } from '../../core/model/product.ts';
import { productAssetRefs, templateAssetRefs } from '../../core/model/refs.ts';
import type { Template } from '../../core/model/template.ts';
import { readJsonFile, resolveFileRef, type BundleAsset } from '../content/bundle.ts';
import { checkProductOwnership, loadProduct, readProductsFolder } from '../content/products.ts';
import { isAssetRef } from '../util/hash.ts';
import { writeFileAtomic } from '../util/files.ts';
import { buildDerivedPack, DistributorProfile, type DerivedManifest, type DerivedTemplate } from './derived.ts';
import { applyDerivation, DerivationSpec, derivationProducts } from './derived-rules.ts';
import type { DistributorClaims } from './distributor.ts';
import type { SigningKey } from './keys.ts';
import { PACK_EXTENSION, verifyPack, type VerifiedPack } from './pack.ts';
import { PackStore } from './store.ts';

/**
 * The distributor's side of a derived pack: an overlay (from a folder, or
 * from data the distributor workspace holds) turned into derived templates,
 * signed and recorded (docs/decisions/0020).
 *
 * Folder layout:
 *   distributor.json           { "id", "name", "contact": {…}, "logos": [{ "id", "file": "logo.png" }] }
 *   <template-id>.derive.json  { "template", "defaults", "zones", "add", "access" } (DerivationSpec);
 *                              a block area it owns: "zones": { "<id>": { "entries": [{ "product": "<id>", "price"?, "copy"? }] } }
 *   products/<id>.product.json the distributor's own product blocks (owner "distributor", publisher its id)
 *   any files they name (logos, images, product pictures), relative to the file naming them.
 */

export interface OverlayContents {
  profile: DistributorProfile;
  templates: DerivedTemplate[];
  /** The distributor's own product blocks (owner "distributor", publisher the distributor). */
  products: ProductBlock[];
  /** Assets the overlay adds, by ref (none the vendor pack already holds). */
  assets: Map<string, Uint8Array>;
}

/** What an overlay is made of, as data: every file it names is an asset ref (`sha256:…`). */
export interface OverlayInput {
  /** distributor.json as parsed (its logos by asset ref). */
  profile: DistributorProfile;
  specs: DerivationSpec[];
  /** The distributor's own blocks. */
  products: ProductBlock[];
  /** Bytes of the assets the profile, products and specs name that the vendor pack does not hold. */
  assets: Map<string, Uint8Array>;
}

/**
 * Builds an overlay from data against the vendor pack it derives from:
 * validates the profile and the own products (owner "distributor",
 * publisher `distributorId`, no id of a vendor product), applies each spec
 * (block-area entries resolve vendor products first, then own ones) and
 * checks the result by the derivation rules. Throws with the reason.
 */
export function overlayFromSpecs(vendor: VerifiedPack, distributorId: string, version: number, input: OverlayInput): OverlayContents {
  const available = (ref: string) => isAssetRef(ref) && (vendor.contents.assets.has(ref) || input.assets.has(ref));
  const resolve = (ref: string, what: string): string => {
    if (available(ref)) return ref;
    throw new LockupError('asset-missing', isAssetRef(ref) ? `${what} refers to ${ref}, which is not available` : `${what} names "${ref}"; an overlay refers to files by asset ref (sha256:…)`);
  };
  const parsed = DistributorProfile.safeParse(input.profile);
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    throw new LockupError('profile-invalid', `The distributor profile is invalid at ${issue.path}: ${issue.message}`);
  }
  const profile = parsed.data;
  for (const logo of profile.logos) resolve(logo.file, `Logo "${logo.id}" of the distributor profile`);

  const products = input.products.map((p) => loadProduct(p, `Product block "${p.id}"`));
  checkProductOwnership(products, { owner: 'distributor', publisher: distributorId }, 'Your products');
  const vendorProducts = vendor.contents.products;
  for (const p of products) {
    if (vendorProducts.some((v) => v.id === p.id)) throw new LockupError('product-invalid', `Your product "${p.id}" has the id of one of ${vendor.manifest.publisher.name}'s products; give it another id`, { product: p.id });
    if (p.image !== undefined) resolve(p.image, `Image of product "${p.id}"`);
  }
  const blocks = derivationProducts(vendorProducts, products);

  const byId = new Map(vendor.contents.templates.map((t) => [t.id, t]));
  const templates: DerivedTemplate[] = input.specs.map((raw) => {
    const spec = DerivationSpec.parse(raw);
    const base = byId.get(spec.template);
    if (!base) throw new LockupError('template-unknown', `The derivation of "${spec.template}" names a template the vendor pack does not hold (it has ${[...byId.keys()].join(', ')})`);
    return { vendorId: base.id, template: applyDerivation(base, spec, distributorId, version, vendor.contents.brand.access, resolve, blocks) };
  });
  if (templates.length === 0) throw new LockupError('usage', 'A derived pack derives at least one template');

  const assets = new Map<string, Uint8Array>();
  const refs = [...profile.logos.map((l) => l.file), ...productAssetRefs(products), ...templates.flatMap((t) => templateAssetRefs(t.template))];
  for (const ref of refs) {
    const bytes = input.assets.get(ref);
    if (bytes && !vendor.contents.assets.has(ref)) assets.set(ref, bytes);
  }
  return { profile, templates, products, assets };
}

/** Reads an overlay folder against the vendor pack it derives from (see the layout above), then builds it with `overlayFromSpecs`. */
export function overlayFromFolder(dir: string, vendor: VerifiedPack, distributorId: string, version: number): OverlayContents {
  const assets = new Map<string, BundleAsset>();
  const resolve = (ref: string, what: string) => (isAssetRef(ref) && vendor.contents.assets.has(ref) ? ref : resolveFileRef(ref, dir, assets, what));
  const rawProfile = readJsonFile(path.join(dir, 'distributor.json'), 'Distributor profile') as Record<string, unknown>;
  const parsed = DistributorProfile.safeParse({ format: 'lockup.distributor', formatVersion: 1, ...rawProfile });
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    throw new LockupError('profile-invalid', `distributor.json is invalid at ${issue.path}: ${issue.message}`);
  }
  const profile = parsed.data;
  for (const logo of profile.logos) logo.file = resolve(logo.file, `Logo "${logo.id}" in distributor.json`);
  const products = readProductsFolder(dir, assets, { owner: 'distributor', publisher: distributorId });
  const byId = new Map(vendor.contents.templates.map((t) => [t.id, t]));
  const specs: DerivationSpec[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.derive.json'))
    .sort()) {
    const spec = DerivationSpec.safeParse(readJsonFile(path.join(dir, file), 'Derivation'));
    if (!spec.success) {
      const issue = describeIssues(spec.error)[0]!;
      throw new LockupError('template-invalid', `${file} is invalid at ${issue.path}: ${issue.message}`);
    }
    const base = byId.get(spec.data.template);
    if (!base) throw new LockupError('template-unknown', `${file} derives "${spec.data.template}", which the vendor pack does not hold (it has ${[...byId.keys()].join(', ')})`);
    specs.push(resolveSpecFiles(spec.data, base, resolve));
  }
  if (specs.length === 0) throw new LockupError('usage', `${dir} holds no *.derive.json file; a derived pack derives at least one template`);
  const bytes = new Map([...assets].map(([ref, a]) => [ref, a.bytes]));
  return overlayFromSpecs(vendor, distributorId, version, { profile, specs, products, assets: bytes });
}

/** A spec with the image files it names (relative to the overlay folder) replaced by asset refs. */
function resolveSpecFiles(spec: DerivationSpec, base: Template, resolve: (file: string, what: string) => string): DerivationSpec {
  const kinds = new Map(base.pages.flatMap((p) => p.zones).map((z) => [z.id, z.kind]));
  const zones = Object.fromEntries(
    Object.entries(spec.zones).map(([id, patch]) => [id, kinds.get(id) === 'image' && typeof patch['asset'] === 'string' ? { ...patch, asset: resolve(patch['asset'], `Image of zone "${id}"`) } : patch]),
  );
  const add = spec.add.map((a) => (a.zone['kind'] === 'image' && typeof a.zone['asset'] === 'string' ? { ...a, zone: { ...a.zone, asset: resolve(a.zone['asset'], `Image of zone "${String(a.zone['id'])}"`) } } : a));
  return { ...spec, zones, add };
}

export interface DeriveResult {
  file: string;
  byteLength: number;
  manifest: DerivedManifest;
  credential: DistributorClaims;
  vendor: VerifiedPack;
  templates: { id: string; from: string; version: number }[];
  /** The distributor's own product blocks in the overlay. */
  products: { id: string; name: string }[];
}

/**
 * Builds, signs and writes a derived pack; records the overlay version in
 * this catalogue so versions only go up.
 */
export function publishDerived(
  catalogue: Catalogue,
  key: SigningKey,
  /** The overlay comes from a folder (the CLI) or is built for the version being published (the distributor workspace). */
  input: { vendorPack: Uint8Array; credentialText: string } & ({ dir: string } | { overlay: (vendor: VerifiedPack, version: number) => OverlayContents }),
  /** The file, or how to name it once the overlay id and version are known. */
  out: string | ((overlayId: string, version: number) => string),
  options: { overlayId?: string; version?: number; created?: Date } = {},
): DeriveResult {
  if (typeof out === 'string' && !out.toLowerCase().endsWith(PACK_EXTENSION)) throw new LockupError('usage', `A pack file name ends in ${PACK_EXTENSION}: ${out}`);
  const store = new PackStore(catalogue);
  let vendor: VerifiedPack;
  try {
    vendor = verifyPack(input.vendorPack);
  } catch (err) {
    if (!(err instanceof LockupError)) throw err;
    throw new LockupError('derived-vendor-pack', `The vendor pack is refused: ${err.message}`, { cause: err.code });
  }
  const overlayId = options.overlayId ?? `${key.publisher.id}.${vendor.manifest.pack.id}`;
  const last = store.latestPublished(overlayId);
  if (last && last.publisherId !== key.publisher.id) throw new LockupError('forbidden', `Pack "${overlayId}" was published from this catalogue by "${last.publisherId}", not "${key.publisher.id}"`);
  const version = options.version ?? (last?.version ?? 0) + 1;
  if (last && version <= last.version) throw new LockupError('pack-rollback', `Derived pack "${overlayId}" was already published as version ${last.version}; the next version must be above it`, { current: last.version });
  const overlay = 'dir' in input ? overlayFromFolder(input.dir, vendor, key.publisher.id, version) : input.overlay(vendor, version);
  const created = options.created ?? new Date();
  const built = buildDerivedPack({ vendorPack: input.vendorPack, credentialText: input.credentialText, ...overlay }, key, { id: overlayId, version, created: created.toISOString() }, created);
  const file = path.resolve(typeof out === 'string' ? out : out(overlayId, version));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return catalogue.transaction(() => {
    store.recordPublished(overlayId, version, key.publisher.id, built.manifestSha256, file);
    writeFileAtomic(file, built.bytes);
    return {
      file,
      byteLength: built.bytes.byteLength,
      manifest: built.manifest,
      credential: built.credential,
      vendor: built.vendor,
      templates: overlay.templates.map((t) => ({ id: t.template.id, from: t.vendorId, version: t.template.version })),
      products: overlay.products.map((p) => ({ id: p.id, name: p.name })),
    };
  });
}
