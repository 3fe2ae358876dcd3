import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import type { AccessLevels, Template } from '../../core/model/index.ts';
import type { Catalogue } from '../catalogue.ts';
import { readContentFolder } from '../content/bundle.ts';
import { protectSource } from '../learning/protect.ts';
import { LearningStore } from '../learning/store.ts';
import { readProgramFolder } from '../mdf/program.ts';
import { MdfStore } from '../mdf/store.ts';
import { writeFileAtomic } from '../util/files.ts';
import type { SigningKey } from './keys.ts';
import { assetRefsOf, buildPack, PACK_EXTENSION, type Manifest, type PackContents } from './pack.ts';
import { PackStore } from './store.ts';

/**
 * Publishing: a brand's kit, the latest published version of each of its
 * templates (drafts stay private) and its product blocks, signed, with the
 * publisher's revocation list. Pack versions only go up: the catalogue remembers what it published.
 */

export interface PublishOptions {
  /** Pack id; defaults to the brand id. */
  packId?: string;
  /** Must be above every version published before; defaults to the next one. */
  version?: number;
  /** Creation time written in the manifest (tests and reproducible builds). */
  created?: Date;
}

export interface PublishResult {
  file: string;
  byteLength: number;
  manifest: Manifest;
  manifestSha256: string;
  templates: { id: string; version: number; name: string }[];
}

/** The brand, its current templates, product blocks, playbooks and (protected) training modules from the catalogue. */
export function contentsFromCatalogue(catalogue: Catalogue, brandId: string, publisherId: string): PackContents {
  const store = new PackStore(catalogue);
  const brand = catalogue.getBrand(brandId);
  if (store.brandPublisher(brandId)) {
    throw new LockupError('read-only', `The brand "${brandId}" came in a pack from "${store.brandPublisher(brandId)}"; only its publisher can publish it`);
  }
  const templates: Template[] = store.activeTemplateIds(brandId).map((id) => catalogue.getTemplate(id));
  const products = catalogue.listProducts(brandId);
  const learning = new LearningStore(catalogue);
  const playbooks = learning.listPlaybooks(brandId).map((p) => p.playbook);
  // The protection stored with each module version: republishing does not re-protect it.
  const training = learning.listModules(brandId).map((m) => m.module);
  const assets = new Map<string, Uint8Array>();
  for (const ref of assetRefsOf(brand, templates, products, playbooks)) {
    const a = catalogue.assetBytes(ref);
    if (!a) throw new LockupError('asset-missing', `Brand "${brandId}" refers to ${ref}, which is not in the catalogue`);
    assets.set(ref, a.bytes);
  }
  // The brand's MDF program (issue #8), when it has one.
  const mdfProgram = new MdfStore(catalogue).program(brandId)?.program ?? null;
  return { brand, templates, products, playbooks, training, mdfProgram, assets, revocations: store.issuedRevocations(publisherId) };
}

/**
 * A content folder (brand.json, *.template.json beside it,
 * products/*.product.json, playbooks/*.playbook.json,
 * training/*.training.json) as pack contents. Training sources are
 * protected here, with a fresh salt for every build.
 */
export function contentsFromFolder(dir: string, catalogue: Catalogue, publisherId: string): PackContents {
  const bundle = readContentFolder(dir);
  const assets = new Map<string, Uint8Array>();
  for (const [ref, a] of bundle.assets) assets.set(ref, a.bytes);
  return {
    brand: bundle.brand,
    templates: bundle.templates,
    products: bundle.products,
    playbooks: bundle.playbooks,
    training: bundle.trainingSources.map((s) => protectSource(s)),
    mdfProgram: readProgramFolder(dir, bundle.brand),
    assets,
    revocations: new PackStore(catalogue).issuedRevocations(publisherId),
  };
}

/** Signs `contents` and writes the pack atomically to `out`; records the version in the catalogue. */
export function publishPack(catalogue: Catalogue, contents: PackContents, key: SigningKey, out: string, options: PublishOptions = {}): PublishResult {
  const store = new PackStore(catalogue);
  const packId = options.packId ?? contents.brand.id;
  if (store.publisher(key.publisher.id)) {
    throw new LockupError('forbidden', `This catalogue imported packs from "${key.publisher.id}"; a publisher signs from its own catalogue`);
  }
  if (!out.toLowerCase().endsWith(PACK_EXTENSION)) throw new LockupError('usage', `A pack file name ends in ${PACK_EXTENSION}: ${out}`);
  const last = store.latestPublished(packId);
  if (last && last.publisherId !== key.publisher.id) {
    throw new LockupError('forbidden', `Pack "${packId}" was published from this catalogue by "${last.publisherId}", not "${key.publisher.id}"`);
  }
  const version = options.version ?? (last?.version ?? 0) + 1;
  if (last && version <= last.version) {
    throw new LockupError('pack-rollback', `Pack "${packId}" was already published as version ${last.version}; the next version must be above it`, { current: last.version });
  }
  if (contents.templates.length === 0) throw new LockupError('usage', `Brand "${contents.brand.id}" has no published templates; publish at least one template first`);
  const created = (options.created ?? new Date()).toISOString();
  const built = buildPack(contents, key, { id: packId, version, created });
  const file = path.resolve(out);
  return catalogue.transaction(() => {
    store.recordPublished(packId, version, key.publisher.id, built.manifestSha256, file);
    // Written inside the transaction: if the write fails the version is not used up.
    writeFileAtomic(file, built.bytes);
    return {
      file,
      byteLength: built.bytes.byteLength,
      manifest: built.manifest,
      manifestSha256: built.manifestSha256,
      templates: contents.templates.map((t) => ({ id: t.id, version: t.version, name: t.name })),
    };
  });
}

/** The access levels of the vendor's own brand here (not one from someone's pack): tier, type and region names a vendor's credentials may use. */
export function accessLevelsFor(catalogue: Catalogue, publisherId: string): AccessLevels | undefined {
  const brands = catalogue.brandIds().filter((id) => new PackStore(catalogue).brandPublisher(id) === null);
  const id = brands.includes(publisherId) ? publisherId : brands.length === 1 ? brands[0] : undefined;
  return id ? catalogue.getBrand(id).access : undefined;
}
