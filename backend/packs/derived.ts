import { z } from 'zod';
import { LockupError } from '../../core/errors.ts';
import { Id } from '../../core/model/access.ts';
import { loadTemplate, type Template } from '../../core/model/index.ts';
import { describeIssues } from '../../core/model/validate.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { sha256Hex } from '../util/hash.ts';
import { DEFAULT_LIMITS, packEntry, readArchiveEntries, writeArchive, type ArchiveEntry, type ArchiveLimits } from './archive.ts';
import type { ProductBlock } from '../../core/model/product.ts';
import { productAssetRefs, templateAssetRefs } from '../../core/model/refs.ts';
import { checkProductOwnership, loadProduct } from '../content/products.ts';
import { checkDerivedTemplate, derivationProducts, derivedTemplateId } from './derived-rules.ts';
import { checkDistributorWindow, readDistributorCredential, templateInScope, type DistributorClaims } from './distributor.ts';
import { KEY_TYPE, fingerprint, signBytes, type SigningKey } from './keys.ts';
import { Manifest, manifestEntries, openSignedArchive, parseEntryJson, verifyPack, type VerifiedPack } from './pack.ts';

/**
 * A distributor's derived pack (`.lockup`, docs/decisions/0020): the same
 * strict ZIP as a vendor pack, holding
 *
 * - `derived.json` (canonical JSON: the distributor and its key, the overlay
 *   id and version, the vendor pack it binds by publisher, pack id, version
 *   and sha256, and every entry with its hashes) and `derived.sig` (Ed25519
 *   by the distributor's key);
 * - `vendor.lockup`: the vendor's signed pack, byte for byte, stored;
 * - `distributor.cred`: the vendor's signed authorisation of the key;
 * - `distributor.json`, `templates/<vendor-template-id>.json` (derived
 *   templates, id `<distributor>.<vendor-template-id>`), `products/<id>.json`
 *   (the distributor's own product blocks; none in overlays made before
 *   them) and `assets/<sha256>`.
 *
 * The vendor pack is verified on its own first; the overlay is then trusted
 * only as far as the vendor's credential for the distributor's key reaches.
 */

export const DERIVED_FORMAT = 'lockup.derived-pack';
const MANIFEST = 'derived.json';
const SIGNATURE = 'derived.sig';
const VENDOR_PACK = 'vendor.lockup';
const CREDENTIAL = 'distributor.cred';
const PROFILE = 'distributor.json';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case sha256');

export const DerivedManifest = z
  .object({
    format: z.literal(DERIVED_FORMAT),
    formatVersion: z.literal(1),
    distributor: z
      .object({ id: Id, name: z.string().min(1).max(120), key: z.object({ type: z.string().min(1).max(40), public: z.string().max(200) }).strict() })
      .strict(),
    overlay: z.object({ id: Id, version: z.number().int().positive().max(2 ** 31 - 1), created: z.iso.datetime() }).strict(),
    vendorPack: z
      .object({ publisher: Id, pack: Id, version: z.number().int().positive().max(2 ** 31 - 1), sha256: Sha256, size: z.number().int().min(0) })
      .strict(),
    entries: Manifest.shape.entries,
  })
  .strict();
export type DerivedManifest = z.infer<typeof DerivedManifest>;

export const DistributorProfile = z
  .object({
    format: z.literal('lockup.distributor'),
    formatVersion: z.literal(1),
    id: Id,
    name: z.string().min(1).max(120),
    contact: z
      .object({ phone: z.string().max(60).optional(), email: z.string().max(200).optional(), url: z.string().max(500).optional(), address: z.string().max(500).optional() })
      .strict()
      .default({}),
    logos: z
      .array(z.object({ id: Id, file: z.string().min(1).max(500), background: z.enum(['light', 'dark']).optional() }).strict())
      .max(20)
      .default([]),
  })
  .strict();
export type DistributorProfile = z.infer<typeof DistributorProfile>;

export interface DerivedTemplate {
  /** The vendor template it derives from (in the carried pack). */
  vendorId: string;
  template: Template;
}

export interface DerivedContents {
  vendorPack: Uint8Array;
  credentialText: string;
  profile: DistributorProfile;
  templates: DerivedTemplate[];
  /** The distributor's own product blocks (owner "distributor", publisher the distributor). */
  products?: ProductBlock[];
  /** Assets the overlay adds (those the vendor pack already holds are not repeated). */
  assets: Map<string, Uint8Array>;
}

export interface VerifiedDerivedPack {
  manifest: DerivedManifest;
  manifestSha256: string;
  /** The distributor key's fingerprint. */
  fingerprint: string;
  vendor: VerifiedPack;
  vendorPackSha256: string;
  credential: DistributorClaims;
  credentialText: string;
  profile: DistributorProfile;
  templates: DerivedTemplate[];
  /** The distributor's own product blocks. */
  products: ProductBlock[];
  assets: Map<string, Uint8Array>;
  byteLength: number;
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new LockupError('pack-invalid', message, details);
}

const jsonBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');

/** True when the bytes are a derived pack (a ZIP with derived.json); anything else goes to `verifyPack`. */
export function isDerivedPack(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_LIMITS): boolean {
  try {
    return readArchiveEntries(bytes, limits).some((e) => e.name === MANIFEST);
  } catch {
    return false;
  }
}

/** The checks shared by building and verifying: what the credential allows, and what the vendor locked. */
function checkOverlay(vendor: VerifiedPack, credential: DistributorClaims, profile: DistributorProfile, templates: readonly DerivedTemplate[], products: readonly ProductBlock[]): void {
  if (profile.id !== credential.distributor.id) invalid(`distributor.json is for "${profile.id}", but the credential authorises "${credential.distributor.id}"`);
  try {
    checkProductOwnership(products, { owner: 'distributor', publisher: credential.distributor.id }, "The overlay's products");
  } catch (err) {
    if (err instanceof LockupError) invalid(err.message, err.details);
    throw err;
  }
  for (const p of products) {
    if (vendor.contents.products.some((v) => v.id === p.id)) invalid(`The overlay's product "${p.id}" has the id of a vendor product`, { product: p.id });
  }
  const blocks = derivationProducts(vendor.contents.products, products);
  const vendorTemplates = new Map(vendor.contents.templates.map((t) => [t.id, t]));
  const seen = new Set<string>();
  for (const { vendorId, template } of templates) {
    if (seen.has(vendorId)) invalid(`The derived pack derives "${vendorId}" twice`);
    seen.add(vendorId);
    if (!templateInScope(credential.scope, vendorId)) {
      throw new LockupError(
        'derived-out-of-scope',
        `${credential.vendor.name} did not authorise ${credential.distributor.name} to derive "${vendorId}" (allowed: ${credential.scope.templates === 'all' ? 'all' : credential.scope.templates.join(', ')})`,
        { template: vendorId },
      );
    }
    const base = vendorTemplates.get(vendorId);
    if (!base) throw new LockupError('derived-out-of-scope', `The derived template "${template.id}" derives "${vendorId}", which the carried vendor pack does not hold`, { template: vendorId });
    checkDerivedTemplate(base, template, credential.distributor.id, vendor.contents.brand.access, blocks);
  }
}

function overlayRefs(profile: DistributorProfile, templates: readonly DerivedTemplate[], products: readonly ProductBlock[]): Set<string> {
  return new Set([...profile.logos.map((l) => l.file), ...templates.flatMap((t) => templateAssetRefs(t.template)), ...productAssetRefs(products)]);
}

/**
 * Builds and signs a derived pack. Checks everything `verifyDerivedPack`
 * checks first, so a distributor never ships a pack its partners refuse.
 */
export function buildDerivedPack(
  contents: DerivedContents,
  key: SigningKey,
  overlay: { id: string; version: number; created: string },
  now = new Date(),
): { bytes: Uint8Array; manifest: DerivedManifest; manifestSha256: string; credential: DistributorClaims; vendor: VerifiedPack } {
  const vendor = verifyCarried(contents.vendorPack);
  const credential = readDistributorCredential(contents.credentialText, vendorKeyOf(vendor));
  if (credential.distributor.key.public !== key.publicKey || credential.distributor.id !== key.publisher.id) {
    throw new LockupError(
      'distributor-key-mismatch',
      `The credential authorises ${credential.distributor.name} ("${credential.distributor.id}", key ${credential.distributor.fingerprint}), not the key you sign with ("${key.publisher.id}", ${fingerprint(key.publicKey)})`,
    );
  }
  checkDistributorWindow(credential, now);
  const revoked = vendor.contents.revocations.find((r) => r.id === credential.id);
  if (revoked) throw new LockupError('credential-revoked', `${vendor.manifest.publisher.name} revoked its authorisation of ${credential.distributor.name} on ${revoked.revokedAt.slice(0, 10)}; a derived pack cannot be built under it`, { credential: credential.id });
  const products = contents.products ?? [];
  checkOverlay(vendor, credential, contents.profile, contents.templates, products);
  const vendorAssets = vendor.contents.assets;
  const refs = [...overlayRefs(contents.profile, contents.templates, products)].filter((r) => !vendorAssets.has(r)).sort();

  const entries: ArchiveEntry[] = [
    { name: VENDOR_PACK, data: contents.vendorPack },
    { name: CREDENTIAL, data: new TextEncoder().encode(contents.credentialText) },
    { name: PROFILE, data: jsonBytes(contents.profile) },
  ];
  for (const t of [...contents.templates].sort((a, b) => a.vendorId.localeCompare(b.vendorId))) entries.push({ name: `templates/${t.vendorId}.json`, data: jsonBytes(t.template) });
  for (const p of [...products].sort((a, b) => a.id.localeCompare(b.id))) entries.push({ name: `products/${p.id}.json`, data: jsonBytes(p) });
  for (const ref of refs) {
    const bytes = contents.assets.get(ref);
    if (!bytes) throw new LockupError('asset-missing', `The derived pack needs asset ${ref}, which is not available`);
    entries.push({ name: `assets/${ref.slice('sha256:'.length)}`, data: bytes });
  }
  // The vendor's pack is stored as it is: its bytes are what the vendor signed.
  const packed = entries.map((e) => packEntry(e, e.name === VENDOR_PACK));
  const manifest = DerivedManifest.parse({
    format: DERIVED_FORMAT,
    formatVersion: 1,
    distributor: { id: credential.distributor.id, name: credential.distributor.name, key: { type: KEY_TYPE, public: key.publicKey } },
    overlay,
    vendorPack: {
      publisher: vendor.manifest.publisher.id,
      pack: vendor.manifest.pack.id,
      version: vendor.manifest.pack.version,
      sha256: sha256Hex(contents.vendorPack),
      size: contents.vendorPack.byteLength,
    },
    entries: manifestEntries(entries, packed),
  });
  const manifestBytes = new TextEncoder().encode(canonicalJson(manifest));
  const signature = new TextEncoder().encode(signBytes('lockup.derived-pack.v1', manifestBytes, key) + '\n');
  const bytes = writeArchive([packEntry({ name: MANIFEST, data: manifestBytes }, true), packEntry({ name: SIGNATURE, data: signature }, true), ...packed]);
  return { bytes, manifest, manifestSha256: sha256Hex(manifestBytes), credential, vendor };
}

function verifyCarried(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_LIMITS): VerifiedPack {
  try {
    return verifyPack(bytes, limits);
  } catch (err) {
    if (!(err instanceof LockupError)) throw err;
    throw new LockupError('derived-vendor-pack', `The vendor's pack inside this derived pack is refused: ${err.message}`, { cause: err.code, ...(err.details ?? {}) });
  }
}

function vendorKeyOf(vendor: VerifiedPack) {
  return { publisherId: vendor.manifest.publisher.id, name: vendor.manifest.publisher.name, publicKey: vendor.manifest.publisher.key.public };
}

/**
 * Checks a derived pack completely: the overlay's own container, manifest
 * and signature; the carried vendor pack on its own; that the overlay binds
 * exactly those bytes; that the vendor's key signed the distributor
 * credential, which names the key that signed the overlay and is valid now;
 * that every derived template is in the credential's scope and keeps every
 * vendor-locked element byte-identical. Throws with a specific code.
 */
export function verifyDerivedPack(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_LIMITS, now = new Date()): VerifiedDerivedPack {
  const { manifest, manifestBytes, entries, packed } = openSignedArchive(bytes, limits, {
    manifestName: MANIFEST,
    signatureName: SIGNATURE,
    domain: 'lockup.derived-pack.v1',
    schema: DerivedManifest,
    keyOf: (m) => m.distributor.key,
    badSignature: () => {
      throw new LockupError('derived-signature', "The distributor's signature does not match the derived pack's manifest: it was changed after it was signed, or signed with another key");
    },
  });
  for (const name of [VENDOR_PACK, CREDENTIAL, PROFILE]) if (!entries.has(name)) invalid(`The derived pack has no ${name}`);
  if (packed.get(VENDOR_PACK)!.method !== 0) invalid(`${VENDOR_PACK} must be stored as the vendor signed it, not deflated`);

  const vendorBytes = entries.get(VENDOR_PACK)!;
  const vendor = verifyCarried(vendorBytes, limits);
  const bound = manifest.vendorPack;
  const vm = vendor.manifest;
  const vendorPackSha256 = sha256Hex(vendorBytes);
  if (bound.sha256 !== vendorPackSha256 || bound.size !== vendorBytes.byteLength || bound.publisher !== vm.publisher.id || bound.pack !== vm.pack.id || bound.version !== vm.pack.version) {
    throw new LockupError(
      'derived-binding',
      `The distributor signed this overlay for ${bound.publisher}'s pack "${bound.pack}" version ${bound.version} (sha256 ${bound.sha256.slice(0, 12)}…), but it carries "${vm.pack.id}" version ${vm.pack.version} (sha256 ${vendorPackSha256.slice(0, 12)}…): the vendor pack was swapped`,
      { bound: { pack: bound.pack, version: bound.version }, carried: { pack: vm.pack.id, version: vm.pack.version } },
    );
  }

  const credentialText = decodeText(CREDENTIAL, entries.get(CREDENTIAL)!);
  const credential = readDistributorCredential(credentialText, vendorKeyOf(vendor));
  if (credential.distributor.key.public !== manifest.distributor.key.public || credential.distributor.id !== manifest.distributor.id) {
    throw new LockupError(
      'distributor-key-mismatch',
      `The overlay is signed by "${manifest.distributor.id}" with key ${fingerprint(manifest.distributor.key.public)}, but ${vm.publisher.name} authorised "${credential.distributor.id}" with key ${credential.distributor.fingerprint}`,
      { distributor: manifest.distributor.id },
    );
  }
  checkDistributorWindow(credential, now);

  const profileParsed = DistributorProfile.safeParse(parseEntryJson(PROFILE, entries.get(PROFILE)!));
  if (!profileParsed.success) invalid(`distributor.json is malformed: ${describeIssues(profileParsed.error)[0]!.path}: ${describeIssues(profileParsed.error)[0]!.message}`);
  const profile = profileParsed.data;

  const templates: DerivedTemplate[] = [];
  const products: ProductBlock[] = [];
  const assets = new Map<string, Uint8Array>();
  for (const [name, data] of entries) {
    let m: RegExpExecArray | null;
    if (name === VENDOR_PACK || name === CREDENTIAL || name === PROFILE) continue;
    if ((m = /^templates\/([a-z0-9][a-z0-9._-]*)\.json$/.exec(name))) {
      let template: Template;
      const raw = parseEntryJson(name, data);
      try {
        template = loadTemplate(raw);
      } catch (err) {
        if (err instanceof LockupError && err.code === 'template-invalid') blockRuleBroken(raw, m[1]!, err);
        if (err instanceof LockupError && err.code !== 'pack-invalid') invalid(`${name} is refused: ${err.message}`, { entry: name });
        throw err;
      }
      if (template.id !== derivedTemplateId(manifest.distributor.id, m[1]!)) invalid(`${name} holds template "${template.id}", not "${derivedTemplateId(manifest.distributor.id, m[1]!)}"`, { entry: name });
      templates.push({ vendorId: m[1]!, template });
    } else if ((m = /^products\/([a-z0-9][a-z0-9._-]*)\.json$/.exec(name))) {
      let product: ProductBlock;
      try {
        product = loadProduct(parseEntryJson(name, data));
      } catch (err) {
        if (err instanceof LockupError && err.code !== 'pack-invalid') invalid(`${name} is refused: ${err.message}`, { entry: name });
        throw err;
      }
      if (product.id !== m[1]) invalid(`${name} holds product "${product.id}"`, { entry: name });
      products.push(product);
    } else if ((m = /^assets\/([0-9a-f]{64})$/.exec(name))) {
      if (sha256Hex(data) !== m[1]) invalid(`${name} is not named by its sha256`);
      assets.set(`sha256:${m[1]}`, data);
    } else {
      invalid(`The derived pack holds an entry Lockup does not know: "${name}"`, { entry: name });
    }
  }
  checkOverlay(vendor, credential, profile, templates, products);
  const refs = overlayRefs(profile, templates, products);
  for (const ref of refs) if (!assets.has(ref) && !vendor.contents.assets.has(ref)) invalid(`The derived pack refers to asset ${ref}, which neither it nor the vendor pack holds`);
  for (const ref of assets.keys()) if (!refs.has(ref)) invalid(`The derived pack holds asset ${ref}, which nothing in its overlay uses`);
  return {
    manifest,
    manifestSha256: sha256Hex(manifestBytes),
    fingerprint: fingerprint(manifest.distributor.key.public),
    vendor,
    vendorPackSha256,
    credential,
    credentialText,
    profile,
    templates,
    products,
    assets,
    byteLength: bytes.byteLength,
  };
}

function decodeText(name: string, data: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return invalid(`${name} is not UTF-8 text`, { entry: name });
  }
}

/**
 * A derived template the model refuses because of a block placed in a block
 * area (not offered there, a distributor's own where the vendor allows only
 * its own, another publisher's) breaks what the vendor set for that area:
 * refused as `derived-vendor-locked` naming template, zone and product, as
 * when the pack is built. Other faults stay `pack-invalid`.
 */
function blockRuleBroken(raw: unknown, vendorId: string, err: LockupError): void {
  const issues = (err.details?.['issues'] ?? []) as { path: string; message: string }[];
  for (const issue of issues) {
    const m = /^pages\[(\d+)\]\.zones\[(\d+)\]\.entries\[(\d+)\]/.exec(issue.path);
    if (!m) continue;
    const zone = (raw as { pages?: { zones?: { id?: unknown; entries?: { product?: { id?: unknown } }[] }[] }[] }).pages?.[Number(m[1])]?.zones?.[Number(m[2])];
    const product = zone?.entries?.[Number(m[3])]?.product?.id;
    if (typeof zone?.id !== 'string' || typeof product !== 'string') continue;
    throw new LockupError('derived-vendor-locked', `The derived template for "${vendorId}" places a block the vendor's block area "${zone.id}" does not allow: ${issue.message}`, { template: vendorId, zone: zone.id, product });
  }
}
