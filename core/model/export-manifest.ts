import { z } from 'zod';
import { Id } from './access.ts';
import { PartnerDocument, PartnerProfile } from './document.ts';

/**
 * The manifest every export embeds (`lockup-manifest.json`, canonical JSON,
 * and its key facts in XMP): what a vendor needs to re-render the PDF from
 * its own catalogue and compare (docs/decisions/0017).
 *
 * Fields are of two kinds. *Inputs* are carried over as they are when the
 * file is re-rendered: the export time, the output profile, the template id
 * and version, the partner's document and profile (and the logo files,
 * attached beside the manifest), and the pack claim. Everything else is
 * *derived* from them (hashes, names, the compliance result) and recomputed,
 * so editing a derived field alone makes the file differ from its re-render.
 */
export const EXPORT_MANIFEST_FORMAT = 'lockup.export-manifest';
export const EXPORT_MANIFEST_VERSION = 1;
export const MANIFEST_ATTACHMENT = 'lockup-manifest.json';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex');
const Sha256Ref = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be a sha256 asset reference');

export const ManifestLogo = z
  .object({
    ref: Sha256Ref,
    /** The attachment that holds the file. */
    attachment: z.string().regex(/^logo-[0-9a-f]{16}\.(png|jpg|pdf|svg)$/),
    size: z.number().int().positive(),
  })
  .strict();

export const ExportManifest = z
  .object({
    format: z.literal(EXPORT_MANIFEST_FORMAT),
    formatVersion: z.literal(EXPORT_MANIFEST_VERSION),
    producer: z.string().max(200),
    /** The export time, to the second, in UTC: also the PDF's dates. */
    exportedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'must be an ISO 8601 UTC time to the second'),
    output: z.enum(['screen', 'print']),
    template: z.object({ id: Id, version: z.number().int().positive(), name: z.string().max(300), sha256: Hex64 }).strict(),
    brand: z.object({ id: Id, sha256: Hex64 }).strict(),
    /** The signed pack the brand came in, as the exporting catalogue knew it; null for a local brand. */
    pack: z
      .object({
        publisher: z.object({ id: Id, name: z.string().max(300), fingerprint: z.string().max(100).nullable() }).strict(),
        id: z.string().max(200).nullable(),
        version: z.number().int().positive().nullable(),
      })
      .strict()
      .nullable(),
    inputs: z.object({ document: PartnerDocument, profile: PartnerProfile }).strict(),
    hashes: z.object({ document: Hex64, profile: Hex64, logos: z.array(ManifestLogo).max(16) }).strict(),
    compliance: z
      .object({
        ok: z.boolean(),
        errors: z.number().int().nonnegative(),
        warnings: z.number().int().nonnegative(),
        findings: z.array(z.object({ code: z.string().max(100), severity: z.enum(['error', 'warning']), zoneId: z.string().max(200).nullable() }).strict()).max(500),
      })
      .strict(),
  })
  .strict();
export type ExportManifest = z.infer<typeof ExportManifest>;
export type ManifestPack = ExportManifest['pack'];
