import { z } from 'zod';
import { Id } from './access.ts';
import { PartnerDocument, PartnerProfile } from './document.ts';

/**
 * The manifest every export embeds (`lockup-manifest.json`, canonical JSON,
 * and its key facts in XMP): what a vendor needs to re-render the PDF from
 * its own catalogue and compare (docs/decisions/0017, 0018).
 *
 * Fields are of two kinds. *Inputs* are carried over as they are when the
 * file is re-rendered: the export time, the output profile, the template id
 * and version, the partner's document and profile (and the logos, drawn on
 * the page or attached beside the manifest), and the pack claim. Everything
 * else is *derived* from them (hashes, names, how each logo travels, the
 * compliance result) and recomputed, so editing a derived field alone makes
 * the file differ from its re-render.
 *
 * Version 2 (docs/decisions/0018) stopped attaching raster logos the page
 * draws; version 1 files are still read and re-rendered as version 1.
 */
export const EXPORT_MANIFEST_FORMAT = 'lockup.export-manifest';
export const EXPORT_MANIFEST_VERSION = 2;
export const MANIFEST_ATTACHMENT = 'lockup-manifest.json';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex');
const Sha256Ref = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be a sha256 asset reference');

/** Version 1: every logo file attached. */
export const ManifestLogoV1 = z
  .object({
    ref: Sha256Ref,
    /** The attachment that holds the file. */
    attachment: z.string().regex(/^logo-[0-9a-f]{16}\.(png|jpg|pdf|svg)$/),
    size: z.number().int().positive(),
  })
  .strict();

/**
 * Version 2: how each logo the inputs name travels in the file.
 * - `page-image`: a PNG or JPEG logo the page draws. The file holds no copy
 *   of it; verification rebuilds it from the image XObject the writer named
 *   after its ref (`Im-<first 16 hex>`). `sha256` is that image's content
 *   (core/pdf/embedded-image.ts `embeddedImageContent`).
 * - `attachment`: an SVG or PDF logo the page draws, attached as before (the
 *   page holds vector operators the file cannot be rebuilt from).
 * - `not-drawn`: named by the profile (e.g. the dark variant on a light
 *   template) but not drawn; it does not affect the file, so it is not carried.
 */
export const ManifestLogo = z.discriminatedUnion('travels', [
  z.object({ ref: Sha256Ref, travels: z.literal('page-image'), format: z.enum(['png', 'jpeg']), sha256: Hex64 }).strict(),
  z
    .object({
      ref: Sha256Ref,
      travels: z.literal('attachment'),
      attachment: z.string().regex(/^logo-[0-9a-f]{16}\.(pdf|svg)$/),
      size: z.number().int().positive(),
    })
    .strict(),
  z.object({ ref: Sha256Ref, travels: z.literal('not-drawn') }).strict(),
]);
export type ManifestLogo = z.infer<typeof ManifestLogo>;

const manifestFields = {
  format: z.literal(EXPORT_MANIFEST_FORMAT),
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
  compliance: z
    .object({
      ok: z.boolean(),
      errors: z.number().int().nonnegative(),
      warnings: z.number().int().nonnegative(),
      findings: z.array(z.object({ code: z.string().max(100), severity: z.enum(['error', 'warning']), zoneId: z.string().max(200).nullable() }).strict()).max(500),
    })
    .strict(),
};

export const ExportManifest = z.discriminatedUnion('formatVersion', [
  z
    .object({
      ...manifestFields,
      formatVersion: z.literal(1),
      hashes: z.object({ document: Hex64, profile: Hex64, logos: z.array(ManifestLogoV1).max(16) }).strict(),
    })
    .strict(),
  z
    .object({
      ...manifestFields,
      formatVersion: z.literal(EXPORT_MANIFEST_VERSION),
      hashes: z.object({ document: Hex64, profile: Hex64, logos: z.array(ManifestLogo).max(16) }).strict(),
    })
    .strict(),
]);
export type ExportManifest = z.infer<typeof ExportManifest>;
export type ManifestVersion = ExportManifest['formatVersion'];
export type ManifestPack = ExportManifest['pack'];
