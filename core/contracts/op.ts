import { z } from 'zod';

/** One API operation: what goes in and what comes out (see api.ts). */
export function op<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const Base64 = z.string().max(96 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
export const AssetRefInput = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be a sha256 asset reference');
export const Empty = z.object({}).strict();
export const Role = z.enum(['partner', 'distributor', 'vendor']);
export type Role = z.infer<typeof Role>;

/** A compliance or preflight finding as it crosses the API (core/rules/finding.ts). */
export const FindingView = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  zoneId: z.string().nullable(),
  message: z.string(),
  measured: z.union([z.number(), z.string()]).nullable(),
  required: z.union([z.number(), z.string()]).nullable(),
  unit: z.string().optional(),
});
export type FindingView = z.infer<typeof FindingView>;
