import { z } from 'zod';
import { LockupError } from '../../core/errors.ts';
import { Id } from '../../core/model/access.ts';
import { loadBrand, loadTemplate, type Brand, type Template } from '../../core/model/index.ts';
import { describeIssues } from '../../core/model/validate.ts';
import { canonicalJson, CanonicalJsonError, isCanonical, parseUntrustedJson } from '../../core/util/canonical-json.ts';
import type { ProductBlock } from '../../core/model/product.ts';
import { productAssetRefs, templateAssetRefs } from '../../core/model/refs.ts';
import { parsePlaybook, playbookAssetRefs, playbookTemplateRefs, type Playbook } from '../../core/playbook/model.ts';
import { parseTrainingModule, TRAINING_SOURCE_FORMAT, type TrainingModule } from '../../core/training/model.ts';
import { checkProductOwnership, loadProduct } from '../content/products.ts';
import { parseMdfProgram, type MdfProgram } from '../../core/mdf/model.ts';
import { checkProgramForBrand, PROGRAM_ENTRY } from '../mdf/program.ts';
import { sha256Hex } from '../util/hash.ts';
import { DEFAULT_LIMITS, expandEntry, packEntry, readArchiveEntries, writeArchive, type ArchiveEntry, type ArchiveLimits, type PackedEntry } from './archive.ts';
import { KEY_TYPE, fingerprint, isRawPublicKey, signBytes, verifyBytes, type SignatureDomain, type SigningKey } from './keys.ts';
import { checkEntryNames } from './names.ts';

/**
 * A signed pack (`.lockup`): one ZIP holding `manifest.json` (canonical
 * JSON: publisher and key, pack id and version, every entry with its sha256
 * and size), `manifest.sig` (Ed25519 over the manifest's bytes) and the
 * entries: `brand.json`, `templates/<id>.json`, `products/<id>.json`
 * (product blocks), `playbooks/<id>.json` and `training/<id>.json`
 * (playbooks and protected training modules, issue #7; packs made before
 * any of these have none of them), `mdf/program.json` (the brand's MDF
 * program, issue #8, when it has one), `assets/<sha256>` and `revocations.json`.
 * See docs/decisions/0011-signed-packs.md and 0022-training-answers.md.
 */

export const PACK_FORMAT = 'lockup.pack';
export const PACK_EXTENSION = '.lockup';
const MANIFEST = 'manifest.json';
const SIGNATURE = 'manifest.sig';
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case sha256');

export const Manifest = z
  .object({
    format: z.literal(PACK_FORMAT),
    formatVersion: z.literal(1),
    publisher: z
      .object({
        id: Id,
        name: z.string().min(1).max(120),
        key: z.object({ type: z.string().min(1).max(40), public: z.string().max(200) }).strict(),
      })
      .strict(),
    pack: z
      .object({
        id: Id,
        version: z.number().int().positive().max(2 ** 31 - 1),
        created: z.iso.datetime(),
      })
      .strict(),
    entries: z
      .array(
        z
          .object({
            name: z.string().min(1).max(255),
            /** The entry's content. */
            sha256: Sha256,
            size: z.number().int().min(0),
            /** The entry as stored in the archive: checked before anything is expanded. */
            packed: z.object({ method: z.union([z.literal(0), z.literal(8)]), sha256: Sha256, size: z.number().int().min(0) }).strict(),
          })
          .strict(),
      )
      .max(DEFAULT_LIMITS.maxEntries),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;

export const Revocations = z
  .object({
    format: z.literal('lockup.revocations'),
    formatVersion: z.literal(1),
    revoked: z
      .array(z.object({ id: z.string().min(1).max(120), revokedAt: z.iso.datetime(), reason: z.string().max(500).default('') }).strict())
      .max(100_000),
  })
  .strict();
export type Revocation = z.infer<typeof Revocations>['revoked'][number];

export interface PackContents {
  brand: Brand;
  templates: Template[];
  /** The brand's product blocks (owner "vendor", publisher the brand id); packs made before products have none. */
  products: ProductBlock[];
  /** The brand's playbooks (issue #7); packs made before them have none. */
  playbooks: Playbook[];
  /** The brand's training modules, protected (`lockup.training-module`): never a source with its answers. */
  training: TrainingModule[];
  /** The brand's MDF program (issue #8, docs/decisions/0026); absent or null when it has none. */
  mdfProgram?: MdfProgram | null;
  /** Every asset the brand, templates, products and playbooks refer to, by `sha256:` ref. */
  assets: Map<string, Uint8Array>;
  revocations: Revocation[];
}

export interface VerifiedPack {
  manifest: Manifest;
  /** sha256 of manifest.json: two packs with the same version and different bytes differ here. */
  manifestSha256: string;
  fingerprint: string;
  contents: PackContents;
  byteLength: number;
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new LockupError('pack-invalid', message, details);
}

/** A vendor pack's blocks are the brand's own: owner "vendor", publisher the brand id, each id once. */
function checkPackProducts(products: readonly ProductBlock[], brandId: string): void {
  checkProductOwnership(products, { owner: 'vendor', publisher: brandId }, `The pack's products`);
}

/** Every asset a pack's content refers to: fonts and logos, template images, block pictures (products and block-area entries), playbook images. */
export function assetRefsOf(brand: Brand, templates: readonly Template[], products: readonly ProductBlock[], playbooks: readonly Playbook[] = []): Set<string> {
  return new Set<string>([
    ...brand.fonts.map((f) => f.file),
    ...brand.logos.map((l) => l.file),
    ...templates.flatMap(templateAssetRefs),
    ...productAssetRefs(products),
    ...playbooks.flatMap(playbookAssetRefs),
  ]);
}

/**
 * What playbooks and modules must keep to travel in a brand's pack: a
 * playbook is the brand's and links only to templates the pack holds; a
 * module grants one of the brand's certifications. Throws pack-invalid.
 */
function checkPackLearning(brand: Brand, templates: readonly Template[], playbooks: readonly Playbook[], training: readonly TrainingModule[]): void {
  const templateIds = new Set(templates.map((t) => t.id));
  for (const pb of playbooks) {
    if (pb.brand !== brand.id) invalid(`Playbook "${pb.id}" belongs to brand "${pb.brand}", not the pack's brand "${brand.id}"`, { playbook: pb.id });
    const missing = playbookTemplateRefs(pb).filter((t) => !templateIds.has(t));
    if (missing.length > 0) invalid(`Playbook "${pb.id}" links to template${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}, which the pack does not hold`, { playbook: pb.id, missing });
  }
  const certifications = new Set(brand.access.certifications.map((c) => c.id));
  for (const m of training) {
    if (!certifications.has(m.grants)) invalid(`Training module "${m.id}" grants "${m.grants}", which is not one of the brand's certifications`, { module: m.id, grants: m.grants });
  }
}

/** The brand's MDF program as a pack carries it: the brand's own, naming only its tiers. Throws pack-invalid. */
function packProgram(program: MdfProgram, brand: Brand): MdfProgram {
  try {
    const p = parseMdfProgram(program);
    checkProgramForBrand(p, brand);
    return p;
  } catch (err) {
    if (err instanceof LockupError && err.code !== 'pack-invalid') invalid(`${PROGRAM_ENTRY} is refused: ${err.message}`, { entry: PROGRAM_ENTRY });
    throw err;
  }
}

const jsonBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');

/** Builds and signs a pack. Entries are sorted, so the same contents and time give the same bytes. */
export function buildPack(contents: PackContents, key: SigningKey, pack: { id: string; version: number; created: string }): { bytes: Uint8Array; manifest: Manifest; manifestSha256: string } {
  const playbooks = (contents.playbooks ?? []).map((p) => parsePlaybook(p));
  // Parsed as the shipped form: a source (answers in clear) is refused here, before anything is written.
  const training = (contents.training ?? []).map((m) => {
    if ((m as { format?: unknown }).format === TRAINING_SOURCE_FORMAT) {
      throw new LockupError('training-invalid', `Training module "${m.id}" is a source with its answers in clear; protect it (core/training protectModule) before it goes in a pack`, { module: m.id });
    }
    return parseTrainingModule(m);
  });
  const refs = assetRefsOf(contents.brand, contents.templates, contents.products, playbooks);
  for (const t of contents.templates) {
    if (t.brand !== contents.brand.id) invalid(`Template "${t.id}" belongs to brand "${t.brand}", not "${contents.brand.id}"`);
  }
  checkPackProducts(contents.products, contents.brand.id);
  checkPackLearning(contents.brand, contents.templates, playbooks, training);
  const mdfProgram = contents.mdfProgram ? packProgram(contents.mdfProgram, contents.brand) : null;
  const entries: ArchiveEntry[] = [{ name: 'brand.json', data: jsonBytes(contents.brand) }];
  for (const t of [...contents.templates].sort((a, b) => a.id.localeCompare(b.id))) entries.push({ name: `templates/${t.id}.json`, data: jsonBytes(t) });
  for (const p of [...contents.products].sort((a, b) => a.id.localeCompare(b.id))) entries.push({ name: `products/${p.id}.json`, data: jsonBytes(p) });
  for (const p of [...playbooks].sort((a, b) => a.id.localeCompare(b.id))) entries.push({ name: `playbooks/${p.id}.json`, data: jsonBytes(p) });
  for (const m of [...training].sort((a, b) => a.id.localeCompare(b.id))) entries.push({ name: `training/${m.id}.json`, data: jsonBytes(m) });
  if (mdfProgram) entries.push({ name: PROGRAM_ENTRY, data: jsonBytes(mdfProgram) });
  for (const ref of [...refs].sort()) {
    const bytes = contents.assets.get(ref);
    if (!bytes) throw new LockupError('asset-missing', `The pack needs asset ${ref}, which is not available`);
    entries.push({ name: `assets/${ref.slice('sha256:'.length)}`, data: bytes });
  }
  entries.push({ name: 'revocations.json', data: jsonBytes({ format: 'lockup.revocations', formatVersion: 1, revoked: contents.revocations }) });
  const packed = entries.map((e) => packEntry(e));
  const manifest: Manifest = Manifest.parse({
    format: PACK_FORMAT,
    formatVersion: 1,
    publisher: { id: key.publisher.id, name: key.publisher.name, key: { type: KEY_TYPE, public: key.publicKey } },
    pack,
    entries: manifestEntries(entries, packed),
  });
  const manifestBytes = new TextEncoder().encode(canonicalJson(manifest));
  const signature = new TextEncoder().encode(signBytes('lockup.pack.v1', manifestBytes, key) + '\n');
  // The manifest and signature are stored, never deflated: nothing unauthenticated is ever inflated.
  const bytes = writeArchive([packEntry({ name: MANIFEST, data: manifestBytes }, true), packEntry({ name: SIGNATURE, data: signature }, true), ...packed]);
  return { bytes, manifest, manifestSha256: sha256Hex(manifestBytes) };
}

export function parseEntryJson(name: string, data: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return invalid(`${name} is not UTF-8 text`, { entry: name });
  }
  try {
    return parseUntrustedJson(text);
  } catch (err) {
    return invalid(`${name} is refused: ${(err as CanonicalJsonError).message}`, { entry: name });
  }
}

/** A manifest entry: the entry's content and its stored bytes, by sha256 and size. */
export type ManifestEntry = Manifest['entries'][number];

/** How one kind of signed archive names its manifest, signature and key. */
export interface SignedArchiveSpec<M extends { entries: ManifestEntry[] }> {
  manifestName: string;
  signatureName: string;
  domain: SignatureDomain;
  schema: z.ZodType<M>;
  /** The key the manifest says signed it. */
  keyOf: (manifest: M) => { type: string; public: string };
  /** Thrown when the signature does not hold (the caller's own code and words). */
  badSignature: () => never;
}

/** A signed archive whose manifest, signature and every listed entry were checked. */
export interface SignedArchive<M> {
  manifest: M;
  manifestBytes: Uint8Array;
  /** Entry contents in manifest order, each checked against its sha256 and size. */
  entries: Map<string, Uint8Array>;
  /** The entries as stored (for entries that must be stored, not deflated). */
  packed: Map<string, PackedEntry>;
}

/**
 * The checks every signed Lockup archive passes before anything in it is
 * parsed: container and limits, entry names, a canonical manifest of the
 * given schema, key type, signature, then exactly the listed entries with
 * the signed stored bytes, expanded and hashed.
 */
export function openSignedArchive<M extends { entries: ManifestEntry[] }>(bytes: Uint8Array, limits: ArchiveLimits, spec: SignedArchiveSpec<M>): SignedArchive<M> {
  const MANIFEST = spec.manifestName;
  const SIGNATURE = spec.signatureName;
  const archive = readArchiveEntries(bytes, limits);
  checkEntryNames(archive.map((e) => e.name));
  const packedByName = new Map(archive.map((e) => [e.name, e]));
  const manifestEntry = packedByName.get(MANIFEST);
  const sigEntry = packedByName.get(SIGNATURE);
  if (!manifestEntry) invalid(`The pack has no ${MANIFEST}`);
  if (!sigEntry) throw new LockupError('pack-signature', `The pack is not signed (${SIGNATURE} is missing)`);
  if (manifestEntry.method !== 0 || sigEntry.method !== 0) invalid(`${MANIFEST} and ${SIGNATURE} must be stored uncompressed`);
  const budget = { total: 0 };
  const manifestBytes = expandEntry(manifestEntry, limits, budget);
  const sigBytes = expandEntry(sigEntry, limits, budget);
  if (manifestBytes.byteLength > MAX_MANIFEST_BYTES) throw new LockupError('pack-limit', `${MANIFEST} is ${manifestBytes.byteLength} bytes; the limit is ${MAX_MANIFEST_BYTES}`);

  const raw = parseEntryJson(MANIFEST, manifestBytes);
  const text = new TextDecoder().decode(manifestBytes);
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    invalid(`${MANIFEST} is not a Lockup pack manifest: ${issue.path}: ${issue.message}`, { issues: describeIssues(parsed.error) });
  }
  if (!isCanonical(text, raw)) invalid(`${MANIFEST} is not in canonical form (it was edited after signing, or made by another tool)`);
  const manifest = parsed.data;
  const key = spec.keyOf(manifest);
  if (key.type !== KEY_TYPE) throw new LockupError('pack-signature', `The pack is signed with an unknown key type ${JSON.stringify(key.type)}; Lockup accepts ${KEY_TYPE} only`);
  if (!isRawPublicKey(key.public)) throw new LockupError('pack-signature', 'The pack names a malformed ed25519 public key');
  const signature = new TextDecoder().decode(sigBytes).trim();
  if (!verifyBytes(spec.domain, manifestBytes, signature, key.public)) spec.badSignature();

  // The signed manifest now decides what the pack holds: exactly these entries, with these bytes.
  const listed = new Map<string, ManifestEntry>();
  for (const e of manifest.entries) {
    if (listed.has(e.name)) invalid(`${MANIFEST} lists "${e.name}" twice`);
    listed.set(e.name, e);
  }
  checkEntryNames([MANIFEST, SIGNATURE, ...listed.keys()]);
  for (const name of packedByName.keys()) {
    if (name !== MANIFEST && name !== SIGNATURE && !listed.has(name)) invalid(`The pack holds an entry the manifest does not list: "${name}"`, { entry: name });
  }
  const byName = new Map<string, Uint8Array>();
  for (const [name, e] of listed) {
    const raw = packedByName.get(name);
    if (!raw) invalid(`The manifest lists "${name}", but the pack does not hold it`, { entry: name });
    // The packed bytes must be the signed ones before they are expanded at all.
    if (raw.method !== e.packed.method || raw.packed.byteLength !== e.packed.size || sha256Hex(raw.packed) !== e.packed.sha256) {
      invalid(`"${name}" is not the entry the publisher signed (its stored bytes differ from the manifest)`, { entry: name });
    }
    const data = expandEntry(raw, limits, budget);
    if (data.byteLength !== e.size) invalid(`"${name}" is ${data.byteLength} bytes; the manifest says ${e.size}`, { entry: name });
    if (sha256Hex(data) !== e.sha256) invalid(`"${name}" does not match its sha256 in the manifest`, { entry: name });
    byName.set(name, data);
  }
  return { manifest, manifestBytes, entries: byName, packed: packedByName };
}

/** Lists entries in a manifest: content and stored bytes. */
export function manifestEntries(entries: readonly ArchiveEntry[], packed: readonly PackedEntry[]): ManifestEntry[] {
  return entries.map((e, i) => ({
    name: e.name,
    sha256: sha256Hex(e.data),
    size: e.data.byteLength,
    packed: { method: packed[i]!.method, sha256: sha256Hex(packed[i]!.packed), size: packed[i]!.packed.byteLength },
  }));
}

/**
 * Checks a pack completely before anything may use it: container and
 * limits, entry names, canonical manifest, key type, signature, that the
 * entries are exactly those the manifest lists with their sizes and hashes,
 * and that the brand, templates and assets parse and refer only to each
 * other. Content is parsed only after the signature holds. Throws
 * `pack-invalid`, `pack-limit` or `pack-signature` with the reason.
 */
export function verifyPack(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_LIMITS): VerifiedPack {
  const { manifest, manifestBytes, entries: byName } = openSignedArchive(bytes, limits, {
    manifestName: MANIFEST,
    signatureName: SIGNATURE,
    domain: 'lockup.pack.v1',
    schema: Manifest,
    keyOf: (m) => m.publisher.key,
    badSignature: () => {
      throw new LockupError('pack-signature', "The pack's signature does not match its manifest: it was changed after it was signed, or signed with another key");
    },
  });
  const key = manifest.publisher.key;

  let brand: Brand | undefined;
  const templates: Template[] = [];
  const products: ProductBlock[] = [];
  const playbooks: Playbook[] = [];
  const training: TrainingModule[] = [];
  let mdfProgram: MdfProgram | null = null;
  const assets = new Map<string, Uint8Array>();
  let revocations: Revocation[] = [];
  for (const [name, data] of byName) {
    let m: RegExpExecArray | null;
    try {
      if (name === 'brand.json') {
        brand = loadBrand(parseEntryJson(name, data));
      } else if ((m = /^templates\/([a-z0-9][a-z0-9._-]*)\.json$/.exec(name))) {
        const t = loadTemplate(parseEntryJson(name, data));
        if (t.id !== m[1]) invalid(`${name} holds template "${t.id}"`, { entry: name });
        templates.push(t);
      } else if ((m = /^products\/([a-z0-9][a-z0-9._-]*)\.json$/.exec(name))) {
        const p = loadProduct(parseEntryJson(name, data));
        if (p.id !== m[1]) invalid(`${name} holds product "${p.id}"`, { entry: name });
        products.push(p);
      } else if ((m = /^playbooks\/([a-z0-9][a-z0-9._-]*)\.json$/.exec(name))) {
        const pb = parsePlaybook(parseEntryJson(name, data));
        if (pb.id !== m[1]) invalid(`${name} holds playbook "${pb.id}"`, { entry: name });
        playbooks.push(pb);
      } else if ((m = /^training\/([a-z0-9][a-z0-9._-]*)\.json$/.exec(name))) {
        const raw = parseEntryJson(name, data);
        // Named apart from a schema error: this is the answers travelling in clear.
        if (typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === TRAINING_SOURCE_FORMAT) {
          invalid(`${name} is a training module source with its answers in clear; a pack carries only the protected module (lockup.training-module)`, { entry: name });
        }
        const t = parseTrainingModule(raw);
        if (t.id !== m[1]) invalid(`${name} holds training module "${t.id}"`, { entry: name });
        training.push(t);
      } else if (name === PROGRAM_ENTRY) {
        mdfProgram = parseMdfProgram(parseEntryJson(name, data));
      } else if ((m = /^assets\/([0-9a-f]{64})$/.exec(name))) {
        assets.set(`sha256:${m[1]}`, data);
      } else if (name === 'revocations.json') {
        const r = Revocations.safeParse(parseEntryJson(name, data));
        if (!r.success) invalid(`revocations.json is malformed: ${describeIssues(r.error)[0]!.message}`, { entry: name });
        revocations = r.data.revoked;
      } else {
        invalid(`The pack holds an entry Lockup does not know: "${name}"`, { entry: name });
      }
    } catch (err) {
      if (err instanceof LockupError && err.code !== 'pack-invalid') invalid(`${name} is refused: ${err.message}`, { entry: name });
      throw err;
    }
  }
  if (!brand) invalid('The pack has no brand.json');
  for (const [ref, data] of assets) if (`sha256:${sha256Hex(data)}` !== ref) invalid(`assets/${ref.slice(7)} is not named by its sha256`);
  const refs = assetRefsOf(brand, templates, products, playbooks);
  for (const ref of refs) if (!assets.has(ref)) invalid(`The pack refers to asset ${ref}, which it does not hold`);
  for (const ref of assets.keys()) if (!refs.has(ref)) invalid(`The pack holds asset ${ref}, which nothing in it uses`);
  for (const t of templates) if (t.brand !== brand.id) invalid(`Template "${t.id}" belongs to brand "${t.brand}", not the pack's brand "${brand.id}"`);
  checkPackLearning(brand, templates, playbooks, training);
  if (mdfProgram) packProgram(mdfProgram, brand);
  try {
    checkPackProducts(products, brand.id);
  } catch (err) {
    if (err instanceof LockupError) invalid(err.message, err.details);
    throw err;
  }
  return {
    manifest,
    manifestSha256: sha256Hex(manifestBytes),
    fingerprint: fingerprint(key.public),
    contents: { brand, templates, products, playbooks, training, mdfProgram, assets, revocations },
    byteLength: bytes.byteLength,
  };
}
