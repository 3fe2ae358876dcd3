import fs from 'node:fs';
import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import { describeIssues } from '../../core/model/validate.ts';
import type { Catalogue } from '../catalogue.ts';
import { readJsonFile, resolveFileRef, type BundleAsset } from '../content/bundle.ts';
import { isAssetRef } from '../util/hash.ts';
import { writeFileAtomic } from '../util/files.ts';
import { buildDerivedPack, DistributorProfile, type DerivedManifest, type DerivedTemplate } from './derived.ts';
import { applyDerivation, DerivationSpec } from './derived-rules.ts';
import type { DistributorClaims } from './distributor.ts';
import type { SigningKey } from './keys.ts';
import { PACK_EXTENSION, verifyPack, type VerifiedPack } from './pack.ts';
import { PackStore } from './store.ts';

/**
 * The distributor's side of a derived pack: an overlay folder turned into
 * derived templates, signed and recorded (docs/decisions/0020).
 *
 * Folder layout:
 *   distributor.json           { "id", "name", "contact": {…}, "logos": [{ "id", "file": "logo.png" }] }
 *   <template-id>.derive.json  { "template", "defaults", "zones", "add", "access" } (DerivationSpec)
 *   any files they name (logos, images), relative to the folder.
 */

export interface OverlayContents {
  profile: DistributorProfile;
  templates: DerivedTemplate[];
  assets: Map<string, Uint8Array>;
}

function resolver(dir: string, vendor: VerifiedPack, assets: Map<string, BundleAsset>) {
  return (ref: string, what: string) => (isAssetRef(ref) && vendor.contents.assets.has(ref) ? ref : resolveFileRef(ref, dir, assets, what));
}

/** Reads an overlay folder against the vendor pack it derives from. */
export function overlayFromFolder(dir: string, vendor: VerifiedPack, distributorId: string, version: number): OverlayContents {
  const assets = new Map<string, BundleAsset>();
  const resolve = resolver(dir, vendor, assets);
  const rawProfile = readJsonFile(path.join(dir, 'distributor.json'), 'Distributor profile') as Record<string, unknown>;
  const parsed = DistributorProfile.safeParse({ format: 'lockup.distributor', formatVersion: 1, ...rawProfile });
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    throw new LockupError('profile-invalid', `distributor.json is invalid at ${issue.path}: ${issue.message}`);
  }
  const profile = parsed.data;
  for (const logo of profile.logos) logo.file = resolve(logo.file, `Logo "${logo.id}" in distributor.json`);
  const byId = new Map(vendor.contents.templates.map((t) => [t.id, t]));
  const templates: DerivedTemplate[] = [];
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
    templates.push({ vendorId: base.id, template: applyDerivation(base, spec.data, distributorId, version, vendor.contents.brand.access, resolve) });
  }
  if (templates.length === 0) throw new LockupError('usage', `${dir} holds no *.derive.json file; a derived pack derives at least one template`);
  return { profile, templates, assets: new Map([...assets].map(([ref, a]) => [ref, a.bytes])) };
}

export interface DeriveResult {
  file: string;
  byteLength: number;
  manifest: DerivedManifest;
  credential: DistributorClaims;
  vendor: VerifiedPack;
  templates: { id: string; from: string; version: number }[];
}

/**
 * Builds, signs and writes a derived pack; records the overlay version in
 * this catalogue so versions only go up.
 */
export function publishDerived(
  catalogue: Catalogue,
  key: SigningKey,
  input: { vendorPack: Uint8Array; credentialText: string; dir: string },
  out: string,
  options: { overlayId?: string; version?: number; created?: Date } = {},
): DeriveResult {
  if (!out.toLowerCase().endsWith(PACK_EXTENSION)) throw new LockupError('usage', `A pack file name ends in ${PACK_EXTENSION}: ${out}`);
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
  const overlay = overlayFromFolder(input.dir, vendor, key.publisher.id, version);
  const created = options.created ?? new Date();
  const built = buildDerivedPack({ vendorPack: input.vendorPack, credentialText: input.credentialText, ...overlay }, key, { id: overlayId, version, created: created.toISOString() }, created);
  const file = path.resolve(out);
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
    };
  });
}
