import type { Composition, OutputProfile } from '../../core/compose/compose.ts';
import { LockupError } from '../../core/errors.ts';
import { sniffFormat } from '../../core/images/sniff.ts';
import { EXPORT_MANIFEST_FORMAT, EXPORT_MANIFEST_VERSION, MANIFEST_ATTACHMENT, type ExportManifest, type ManifestPack } from '../../core/model/export-manifest.ts';
import { profileLogos, type Brand, type PartnerDocument, type PartnerProfile, type Template } from '../../core/model/index.ts';
import type { Attachment } from '../../core/pdf/attachments.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import type { Catalogue } from '../catalogue.ts';
import { fingerprint } from '../packs/keys.ts';
import { PackStore } from '../packs/store.ts';
import { sha256Hex } from '../util/hash.ts';
import { PRODUCER, type ExportEngine } from './engine.ts';

/**
 * What makes an export verifiable (docs/decisions/0017): the manifest and the
 * partner's logo files travel inside the PDF, and the PDF's dates and file ID
 * derive from them, so re-rendering the embedded inputs with the same
 * template version gives the same file.
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
  /** Logo files by asset ref. */
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

/** The manifest for an export: inputs as given, everything else derived from them. */
export function buildManifest(inputs: ProvenanceInputs, composition: Composition): ExportManifest {
  const { template, brand, profile, document } = inputs;
  const logos = logoRefs(profile, document).map((ref) => {
    const bytes = inputs.logos.get(ref);
    if (!bytes) throw new LockupError('asset-missing', `The logo ${ref} is not available to embed`);
    return { ref, attachment: logoAttachmentName(ref, bytes), size: bytes.byteLength };
  });
  const errors = composition.findings.filter((f) => f.severity === 'error').length;
  return {
    format: EXPORT_MANIFEST_FORMAT,
    formatVersion: EXPORT_MANIFEST_VERSION,
    producer: PRODUCER,
    exportedAt: isoSecond(inputs.exportedAt),
    output: inputs.output,
    template: { id: template.id, version: template.version, name: template.name, sha256: templateSha256(template) },
    brand: { id: brand.id, sha256: brandSha256(brand) },
    pack: inputs.pack,
    inputs: { document, profile },
    hashes: { document: sha256Hex(canonicalJson(document)), profile: sha256Hex(canonicalJson(profile)), logos },
    compliance: {
      ok: errors === 0,
      errors,
      warnings: composition.findings.length - errors,
      findings: composition.findings.map((f) => ({ code: f.code, severity: f.severity, zoneId: f.zoneId })),
    },
  };
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
 */
export async function renderVerifiable(engine: ExportEngine, composition: Composition, inputs: ProvenanceInputs): Promise<{ bytes: Uint8Array; manifest: ExportManifest }> {
  const manifest = buildManifest(inputs, composition);
  const json = manifestBytes(manifest);
  const sha = sha256Hex(json);
  const attachments: Attachment[] = [
    { name: MANIFEST_ATTACHMENT, data: json, mimeType: 'application/json', description: 'Lockup export manifest: template, inputs and their hashes, compliance result', relationship: 'Data' },
    ...manifest.hashes.logos.map((l) => ({
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
