import { z } from 'zod';
import { AssetRefInput, op } from './op.ts';

/**
 * Logo preflight at intake (issue #6): what is wrong with a logo the partner
 * just dropped, and one-click fixes that make a NEW asset (the original
 * stays; nothing replaces the profile's logo until the partner saves).
 * Handlers in backend/api/logo-ops.ts; heuristics in
 * docs/decisions/0016-logo-preflight.md.
 */

export const LogoFix = z.enum(['trim', 'remove-checkerboard', 'remove-background']);
export type LogoFix = z.infer<typeof LogoFix>;

const Variant = z.enum(['light', 'dark']);

export const PreflightFindingView = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  fix: LogoFix.optional(),
});
export type PreflightFindingView = z.infer<typeof PreflightFindingView>;

export const PreflightView = z.object({
  ref: AssetRefInput,
  width: z.number(),
  height: z.number(),
  vector: z.boolean(),
  /** False for JPEG: Lockup has no JPEG pixel decoder, so only the size is checked. */
  pixelsChecked: z.boolean(),
  background: z.enum(['transparent', 'checkerboard', 'solid', 'none']),
  trim: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).nullable(),
  /** WCAG-like ratio of the logo's own pixels against white and near-black. */
  contrast: z.object({ light: z.number(), dark: z.number() }).nullable(),
  /** The background the logo stands out on more: the profile slot it suits. */
  bestOn: Variant.nullable(),
  /** Effective resolution at the largest partner-logo slot of the templates the partner may use. */
  ppi: z.object({ value: z.number(), slot: z.string(), print: z.number(), screen: z.number() }).nullable(),
  findings: z.array(PreflightFindingView),
});
export type PreflightView = z.infer<typeof PreflightView>;

const LogoResult = z.object({
  ref: AssetRefInput,
  name: z.string(),
  /** A fixed logo is always a PNG with an alpha channel. */
  format: z.literal('png'),
  width: z.number(),
  height: z.number(),
  vector: z.boolean(),
  hasAlpha: z.boolean(),
  /** As in LogoView: the effective resolution at the largest slot, for the preview's caption. */
  effectivePpi: z.object({ value: z.number(), slot: z.string() }).nullable().optional(),
});

export const LOGO_API = {
  /**
   * Preflight of a logo already taken in by `logo:intake`. `usedOn`: the
   * zone backgrounds it will sit on (the light slot's logo also goes on dark
   * zones when there is no dark logo).
   */
  'logo:preflight': op(z.object({ ref: AssetRefInput, usedOn: z.array(Variant).min(1).max(2).default(['light', 'dark']) }).strict(), PreflightView),
  /** Applies one fix and stores the result as a new PNG asset; answers as `logo:intake` does. */
  'logo:fix': op(z.object({ ref: AssetRefInput, fix: LogoFix }).strict(), LogoResult),
} as const;
