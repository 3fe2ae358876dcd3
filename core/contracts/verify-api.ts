import { z } from 'zod';
import { Base64, op } from './op.ts';

/**
 * Verifying an exported PDF in the app (the Verify screen; docs/decisions/0017).
 * Handlers in backend/api/verify-ops.ts. The PDF travels as base64, read by
 * the renderer from a dropped or picked file.
 */

export const VerifyDifference = z.object({
  where: z.string(),
  page: z.number().nullable(),
  zoneIds: z.array(z.string()),
  kind: z.enum(['content', 'image', 'font', 'manifest', 'attachment', 'logo', 'metadata', 'structure']),
});

export const VerifyView = z.object({
  verdict: z.enum(['authentic', 'modified', 'unknown-template', 'not-lockup']),
  summary: z.string(),
  byteIdentical: z.boolean(),
  differences: z.array(VerifyDifference),
  notes: z.array(z.string()),
  /** What the file claims, once its manifest parsed; null for a PDF without one. */
  claims: z
    .object({
      template: z.object({ id: z.string(), version: z.number(), name: z.string(), sha256: z.string() }),
      brand: z.object({ id: z.string(), sha256: z.string() }),
      pack: z.object({ publisher: z.object({ id: z.string(), name: z.string(), fingerprint: z.string().nullable() }), id: z.string().nullable(), version: z.number().nullable() }).nullable(),
      partner: z.object({ id: z.string(), company: z.string() }),
      output: z.enum(['screen', 'print']),
      exportedAt: z.string(),
      compliance: z.object({ ok: z.boolean(), errors: z.number(), warnings: z.number() }),
      hashes: z.object({ document: z.string(), profile: z.string(), logos: z.array(z.string()) }),
    })
    .nullable(),
});
export type VerifyView = z.infer<typeof VerifyView>;

export const VERIFY_API = {
  'export:verify': op(z.object({ data: Base64.min(1) }).strict(), VerifyView),
} as const;
