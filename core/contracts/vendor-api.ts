import { z } from 'zod';
import { Id } from '../model/access.ts';
import { Brand, type BrandInput } from '../model/brand.ts';
import { AssetRefInput, Base64, Empty, op } from './op.ts';

/**
 * Vendor workspace operations: brand kit and access levels.
 * Merged into API (api.ts); handlers in backend/api/vendor-ops.ts.
 */

const ITEM_KINDS = z.enum(['tiers', 'partnerTypes', 'regions', 'certifications', 'palette', 'fonts', 'logos']);

/** kind → item id → the templates (by name and id) that use it; see core/vendor/usage.ts. */
export const BrandUsageView = z.record(ITEM_KINDS, z.record(z.string(), z.array(z.string())));

/** The publisher of a brand that arrived in a signed pack (read-only here); null for brands authored here. */
const Publisher = z.object({ id: z.string(), name: z.string() }).nullable();

/** A brand kit as the vendor workspace edits it. */
export const BrandEditView = z.object({
  brand: Brand,
  publisher: Publisher,
  /** What the brand's published templates use: those items cannot be removed. */
  usage: BrandUsageView,
});
export type BrandEditView = z.infer<typeof BrandEditView>;

/** What a TrueType file says about itself (core/fonts/describe.ts), once stored. */
export const FontFileView = z.object({
  ref: AssetRefInput,
  fileName: z.string(),
  family: z.string(),
  subfamily: z.string(),
  postscriptName: z.string(),
  weight: z.number(),
  style: z.enum(['normal', 'italic']),
  copyright: z.string().nullable(),
  licence: z.string().nullable(),
  licenceUrl: z.string().nullable(),
  /** A proposed licence note for the brand kit (≤ 200 characters); empty when the file names no licence. */
  licenceNote: z.string(),
  embedding: z.enum(['installable', 'preview-and-print', 'editable']),
  glyphCount: z.number(),
  latin: z.boolean(),
  scripts: z.array(z.string()),
});
export type FontFileView = z.infer<typeof FontFileView>;

const BrandObject = z.custom<BrandInput>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be a brand object');

export const VENDOR_API = {
  /** Brands in the catalogue, for the workspace's brand picker. */
  'brand:list': op(Empty, z.array(z.object({ id: z.string(), name: z.string(), publisher: Publisher, templates: z.number() }))),
  'brand:get': op(z.object({ id: Id }).strict(), BrandEditView),
  /**
   * A new brand from its name, id and first logo, with a starting palette,
   * fonts (Lato, shipped under the OFL), rules and access levels the vendor
   * then edits (core/vendor/brand-kit.ts). All or nothing.
   */
  'brand:create': op(
    z
      .object({
        id: Id,
        name: z.string().min(1).max(120),
        logo: z.object({ name: z.string().min(1).max(255), data: Base64 }).strict(),
        logoBackground: z.enum(['light', 'dark']).default('light'),
      })
      .strict(),
    BrandEditView,
  ),
  /**
   * Replaces a brand kit (palette, fonts, logos, rules, access levels) in one
   * transaction. The brand is validated here (brand-invalid names the JSON
   * path at fault), not at dispatch, so the editor can place the error.
   */
  'brand:save': op(z.object({ brand: BrandObject }).strict(), BrandEditView),
  /** Vets a TrueType font (refusing CFF, damaged files and fonts that forbid embedding) and stores it. */
  'font:intake': op(z.object({ name: z.string().min(1).max(255), data: Base64 }).strict(), FontFileView),
  'font:describe': op(z.object({ ref: AssetRefInput }).strict(), FontFileView),
} as const;
