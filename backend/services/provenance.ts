import { createHash } from 'node:crypto';
import type { Composition, OutputProfile } from '../../core/compose/compose.ts';
import { LockupError } from '../../core/errors.ts';
import type { PreparedImage } from '../../core/images/prepare.ts';
import { sniffFormat } from '../../core/images/sniff.ts';
import { EXPORT_MANIFEST_FORMAT, EXPORT_MANIFEST_VERSION, MANIFEST_ATTACHMENT, type ExportManifest, type ManifestLogo, type ManifestPack, type ManifestVersion } from '../../core/model/export-manifest.ts';
import { profileLogos, type Brand, type PartnerDocument, type PartnerProfile, type Template } from '../../core/model/index.ts';
import type { Attachment } from '../../core/pdf/attachments.ts';
import { embeddedImageContent } from '../../core/pdf/embedded-image.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { nodeInflate } from '../assets/image-store.ts';
import type { Catalogue } from '../catalogue.ts';
import { fingerprint } from '../packs/keys.ts';
import { PackStore } from '../packs/store.ts';
import { sha256Hex } from '../util/hash.ts';
import { PRODUCER, type ExportEngine } from './engine.ts';

/**
 * What makes an export verifiable (docs/decisions/0017, 0018): the manifest
 * and the partner's logos travel inside the PDF (raster logos as the image
 * the page draws, vector logos as attached files), and the PDF's dates and
 * file ID derive from them, so re-rendering the embedded inputs with the
 * same template version gives the same file.
 */

/** What an export depends on beyond the catalogue. */
export interface ProvenanceInputs {
  template: Template;
  brand: Brand;
  /** The profile composed with (for a brand from a pack: with the credential's claims). */
  profile: PartnerProfile;
  document: PartnerDocument;
  output: OutputProfile;
  /** Truncated to the second. */
  exportedAt: Date;
  pack: ManifestPack;
  /** Logo files by asset ref: those that travel as attachments must be here (all of them for a version 1 manifest). */
  logos: ReadonlyMap<string, Uint8Array>;
}

/** A time truncated to whole seconds (PDF dates carry seconds). */
export function toSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

export function isoSecond(d: Date): string {
  return toSecond(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const templateSha256 = (t: Template) => sha256Hex(canonicalJson(t));
export const brandSha256 = (b: Brand) => sha256Hex(canonicalJson(b));

/** Every logo asset ref the document and profile name (in a stable order). */
export function logoRefs(profile: PartnerProfile, document: PartnerDocument): string[] {
  const refs = new Set<string>(Object.values(document.logos));
  const p = profileLogos(profile);
  for (const r of [p.light, p.dark]) if (r) refs.add(r);
  return [...refs].sort();
}

const LOGO_TYPES = { png: ['png', 'image/png'], jpeg: ['jpg', 'image/jpeg'], pdf: ['pdf', 'application/pdf'], svg: ['svg', 'image/svg+xml'] } as const;

function logoType(bytes: Uint8Array): (typeof LOGO_TYPES)[keyof typeof LOGO_TYPES] {
  const f = sniffFormat(bytes);
  if (f === 'png' || f === 'jpeg' || f === 'pdf' || f === 'svg') return LOGO_TYPES[f];
  throw new LockupError('image-unsupported', `A partner logo is ${f === 'unknown' ? 'not an image Lockup embeds' : `a ${f} file`}; it cannot travel in the PDF`);
}

export function logoAttachmentName(ref: string, bytes: Uint8Array): string {
  return `logo-${ref.slice('sha256:'.length, 'sha256:'.length + 16)}.${logoType(bytes)[0]}`;
}

/** The pack claim for a brand, as this catalogue knows it: imported from a publisher, or published here. */
export function packClaim(catalogue: Catalogue, brandId: string): ManifestPack {
  const store = new PackStore(catalogue);
  const publisherId = store.brandPublisher(brandId);
  if (publisherId) {
    const pub = store.publisher(publisherId);
    const imported = store.latestImportOf(publisherId);
    return { publisher: { id: publisherId, name: pub?.name ?? publisherId, fingerprint: pub ? fingerprint(pub.publicKey) : null }, id: imported?.packId ?? null, version: imported?.version ?? null };
  }
  const published = store.latestPublished(brandId);
  if (published) {
    const pub = store.publisher(published.publisherId);
    return { publisher: { id: published.publisherId, name: pub?.name ?? published.publisherId, fingerprint: pub ? fingerprint(pub.publicKey) : null }, id: brandId, version: published.version };
  }
  return null;
}

const contentHashes = new WeakMap<PreparedImage, string>();

/**
 * The sha256 of a raster or JPEG image's content as the PDF carries it
 * (core/pdf/embedded-image.ts `embeddedImageContent`). Cached per prepared
 * image: an export computes it once per logo, not once per document.
 */
export function embeddedImageSha256(image: PreparedImage): string {
  let hit = contentHashes.get(image);
  if (!hit) {
    const hash = createHash('sha256');
    for (const part of embeddedImageContent(image, nodeInflate)) hash.update(part);
    contentHashes.set(image, (hit = hash.digest('hex')));
  }
  return hit;
}

function logoFile(inputs: ProvenanceInputs, ref: string): Uint8Array {
  const bytes = inputs.logos.get(ref);
  if (!bytes) throw new LockupError('asset-missing', `The logo ${ref} is not available to embed`);
  return bytes;
}

/**
 * How each logo travels (manifest version 2): a PNG or JPEG the page draws
 * as the page's own image, an SVG or PDF the page draws as an attached
 * file, a logo the page does not draw not at all.
 */
function logoEntries(inputs: ProvenanceInputs, composition: Composition): ManifestLogo[] {
  const drawn = new Map<string, PreparedImage>();
  for (const page of composition.plan.pages) for (const item of page.items) if (item.type === 'image') drawn.set(item.image.key, item.image);
  return logoRefs(inputs.profile, inputs.document).map((ref): ManifestLogo => {
    const image = drawn.get(ref);
    if (!image) return { ref, travels: 'not-drawn' };
    if (image.kind === 'raster' || image.kind === 'jpeg') return { ref, travels: 'page-image', format: image.info.format === 'jpeg' ? 'jpeg' : 'png', sha256: embeddedImageSha256(image) };
    const bytes = logoFile(inputs, ref);
    const attachment = logoAttachmentName(ref, bytes);
    if (!attachment.endsWith('.svg') && !attachment.endsWith('.pdf')) throw new LockupError('internal', `The logo ${ref} is drawn as vector but its file is not SVG or PDF`);
    return { ref, travels: 'attachment', attachment, size: bytes.byteLength };
  });
}

/**
 * The manifest for an export: inputs as given, everything else derived from
 * them. `version` 1 is only for re-rendering version 1 files in verification.
 */
export function buildManifest(inputs: ProvenanceInputs, composition: Composition, version: ManifestVersion = EXPORT_MANIFEST_VERSION): ExportManifest {
  const { template, brand, profile, document } = inputs;
  const errors = composition.findings.filter((f) => f.severity === 'error').length;
  const common: Omit<ExportManifest, 'formatVersion' | 'hashes'> = {
    format: EXPORT_MANIFEST_FORMAT,
    producer: PRODUCER,
    exportedAt: isoSecond(inputs.exportedAt),
    output: inputs.output,
    template: { id: template.id, version: template.version, name: template.name, sha256: templateSha256(template) },
    brand: { id: brand.id, sha256: brandSha256(brand) },
    pack: inputs.pack,
    inputs: { document, profile },
    compliance: {
      ok: errors === 0,
      errors,
      warnings: composition.findings.length - errors,
      findings: composition.findings.map((f) => ({ code: f.code, severity: f.severity, zoneId: f.zoneId })),
    },
  };
  const hashes = { document: sha256Hex(canonicalJson(document)), profile: sha256Hex(canonicalJson(profile)) };
  if (version === 1) {
    const logos = logoRefs(profile, document).map((ref) => {
      const bytes = logoFile(inputs, ref);
      return { ref, attachment: logoAttachmentName(ref, bytes), size: bytes.byteLength };
    });
    return { ...common, formatVersion: 1, hashes: { ...hashes, logos } };
  }
  return { ...common, formatVersion: version, hashes: { ...hashes, logos: logoEntries(inputs, composition) } };
}

/** The logo files a manifest says are attached, with their attachment names. */
function attachedLogos(m: ExportManifest): { ref: string; attachment: string }[] {
  return m.formatVersion === 1 ? m.hashes.logos : m.hashes.logos.flatMap((l) => (l.travels === 'attachment' ? [l] : []));
}

/** The manifest file's bytes: canonical JSON, so any edit is visible. */
export function manifestBytes(manifest: ExportManifest): Uint8Array {
  return new TextEncoder().encode(canonicalJson(manifest));
}

/** The key facts for the XMP packet's `lockup:` namespace. */
function xmpFacts(m: ExportManifest, manifestSha: string): Record<string, string> {
  return {
    manifest: MANIFEST_ATTACHMENT,
    manifestSha256: manifestSha,
    templateId: m.template.id,
    templateVersion: String(m.template.version),
    templateSha256: m.template.sha256,
    brandId: m.brand.id,
    brandSha256: m.brand.sha256,
    packPublisher: m.pack ? `${m.pack.publisher.name} (${m.pack.publisher.id})` : '',
    packVersion: m.pack?.version ? `${m.pack.id ?? ''}@${m.pack.version}` : '',
    documentSha256: m.hashes.document,
    profileSha256: m.hashes.profile,
    logoSha256: m.hashes.logos.map((l) => l.ref.slice(7)).join(' '),
    compliance: m.compliance.ok ? `ok (${m.compliance.warnings} warnings)` : `${m.compliance.errors} errors`,
    exportedAt: m.exportedAt,
    output: m.output,
  };
}

/**
 * Renders a composition with its manifest, logo files and XMP. The file's
 * dates are the manifest's export time and its ID derives from the manifest,
 * so the same inputs give the same bytes on any machine (with the same
 * deflate; see docs/decisions/0017 for why verification does not rely on that).
 * Exports write the current manifest version; verification re-renders a
 * file in the version it was written in.
 */
export async function renderVerifiable(
  engine: ExportEngine,
  composition: Composition,
  inputs: ProvenanceInputs,
  version: ManifestVersion = EXPORT_MANIFEST_VERSION,
): Promise<{ bytes: Uint8Array; manifest: ExportManifest }> {
  const manifest = buildManifest(inputs, composition, version);
  const json = manifestBytes(manifest);
  const sha = sha256Hex(json);
  const attachments: Attachment[] = [
    { name: MANIFEST_ATTACHMENT, data: json, mimeType: 'application/json', description: 'Lockup export manifest: template, inputs and their hashes, compliance result', relationship: 'Data' },
    ...attachedLogos(manifest).map((l) => ({
      name: l.attachment,
      data: inputs.logos.get(l.ref)!,
      mimeType: logoType(inputs.logos.get(l.ref)!)[1],
      description: `Partner logo ${l.ref}`,
      relationship: 'Source' as const,
    })),
  ];
  const bytes = await engine.render(composition, { output: inputs.output, fixedDate: new Date(Date.parse(manifest.exportedAt)), attachments, xmp: xmpFacts(manifest, sha) }, `manifest:${sha}`);
  return { bytes, manifest };
}
