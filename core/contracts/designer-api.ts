/**
 * Template designer operations: drafts, preview, publish.
 * Merged into API (api.ts); handlers in backend/api/designer-ops.ts.
 * Why drafts and versions are kept apart: docs/decisions/0013.
 */
import { z } from 'zod';
import { AccessLevels, Id } from '../model/access.ts';
import { PAGE_PRESETS, Zone, type PagePreset, type Template, type ZoneKind } from '../model/template.ts';
import { AssetRefInput, Base64, FindingView, op } from './op.ts';

const BrandId = Id;
const TemplateId = Id;
const DraftId = z.string().regex(/^draft-[0-9a-f]{16}$/, 'must be a draft id');
const Preset = z.enum(Object.keys(PAGE_PRESETS) as [PagePreset, ...PagePreset[]]);
const Size = z.union([Preset, z.object({ width: z.number().positive().max(14400), height: z.number().positive().max(14400) }).strict()]);
const Finite = z.number().finite();
/** Every zone kind the model knows, read from the model so a new kind is accepted here as soon as it exists. */
const ZoneKindEnum = z.enum(Zone.options.map((o) => o.shape.kind.value) as [ZoneKind, ...ZoneKind[]]);

/**
 * The shape a draft must have to be stored: a template's skeleton (pages of
 * zones with ids, kinds and rectangles, fields with keys), with any values.
 * Drafts are saved while invalid (an empty name, a placeholder naming no
 * field yet); anything that is not even shaped like a template is refused.
 * Typed as a Template for the renderer: its values may still break the
 * model's rules, which `issues` then lists.
 */
export const DraftTemplate = z
  .looseObject({
    format: z.literal('lockup.template'),
    formatVersion: z.literal(1),
    id: z.string().max(200),
    version: z.number().int(),
    name: z.string().max(2000),
    brand: z.string().max(200),
    page: z.looseObject({ size: z.union([z.string().max(40), z.looseObject({ width: Finite, height: Finite })]), bleed: Finite.optional() }),
    fields: z.array(z.looseObject({ key: z.string().max(200), label: z.string().max(2000) })).max(500),
    pages: z
      .array(
        z.looseObject({
          zones: z
            .array(
              z.looseObject({
                id: z.string().max(200),
                kind: ZoneKindEnum,
                owner: z.string().max(40),
                lock: z.string().max(40),
                rect: z.object({ x: Finite, y: Finite, w: Finite, h: Finite }).strict(),
              }),
            )
            .max(2000),
        }),
      )
      .min(1)
      .max(200),
  })
  .transform((t) => t as unknown as Template);

/** A validation issue of a draft: JSON path, message, and the zone it is about. */
export const DraftIssue = z.object({ path: z.string(), message: z.string(), zoneId: z.string().nullable() });
export type DraftIssue = z.infer<typeof DraftIssue>;

/** The brand as the designer needs it: palette, fonts, logos and access levels. */
export const DesignerBrand = z.object({
  id: z.string(),
  name: z.string(),
  palette: z.array(z.object({ id: z.string(), name: z.string(), hex: z.string() })),
  fonts: z.array(z.object({ id: z.string(), family: z.string(), weight: z.number(), style: z.string(), asset: AssetRefInput })),
  logos: z.array(z.object({ id: z.string(), name: z.string(), background: z.enum(['light', 'dark']) })),
  access: AccessLevels,
  /** Set when the brand arrived in a signed pack: its templates are read-only here. */
  publisher: z.string().nullable(),
});
export type DesignerBrand = z.infer<typeof DesignerBrand>;

export const DraftView = z.object({
  draftId: z.string(),
  templateId: z.string(),
  brandId: z.string(),
  /** The published version the draft started from, or null for a new template. */
  baseVersion: z.number().nullable(),
  /** The version publishing will create. */
  nextVersion: z.number(),
  updatedAt: z.string(),
  template: DraftTemplate,
  issues: z.array(DraftIssue),
  brand: DesignerBrand,
});
export type DraftView = z.infer<typeof DraftView>;

const SampleKind = z.enum(['typical', 'long-name', 'non-latin']);

/** Who the preview runs as. Ids are the brand's access levels. */
export const PreviewPartner = z
  .object({
    tier: Id.optional(),
    type: Id.optional(),
    region: Id.optional(),
    certifications: z.array(Id).max(50).default([]),
    /** The sample partner buys through a distributor. */
    distributor: z.boolean().default(false),
  })
  .strict();

const PreviewSource = z.union([
  z.object({ draftId: DraftId }).strict(),
  z.object({ template: DraftTemplate }).strict(),
  /** A published version, "id@version" or "id" for the latest. */
  z.object({ templateRef: z.string().min(1).max(120) }).strict(),
]);

const FindingOut = FindingView;

export const DESIGNER_API = {
  /** The brand's published templates (with their versions) and its drafts. */
  'designer:list': op(
    z.object({ brandId: BrandId }).strict(),
    z.object({
      brand: z.object({ id: z.string(), name: z.string(), publisher: z.string().nullable() }),
      templates: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          category: z.string(),
          latestVersion: z.number(),
          versions: z.number(),
          publishedAt: z.string(),
          withdrawn: z.boolean(),
          draftId: z.string().nullable(),
        }),
      ),
      drafts: z.array(
        z.object({
          draftId: z.string(),
          templateId: z.string(),
          name: z.string(),
          baseVersion: z.number().nullable(),
          updatedAt: z.string(),
          issueCount: z.number(),
        }),
      ),
    }),
  ),
  'designer:new': op(
    z
      .object({
        brandId: BrandId,
        name: z.string().trim().min(1).max(120),
        /** The template id; derived from the name (and made unique) when absent. */
        id: TemplateId.optional(),
        size: Size,
        orientation: z.enum(['portrait', 'landscape']).optional(),
        bleed: z.number().min(0).max(72).optional(),
      })
      .strict(),
    DraftView,
  ),
  /**
   * A draft whose pages are a PDF's pages as locked vendor artwork. Without
   * `page`, one template page per PDF page (the pages must share one size);
   * with `page`, that page alone.
   */
  'designer:from-pdf': op(
    z
      .object({
        brandId: BrandId,
        name: z.string().trim().min(1).max(120),
        id: TemplateId.optional(),
        fileName: z.string().min(1).max(255),
        data: Base64,
        page: z.number().int().min(1).max(10000).optional(),
      })
      .strict(),
    DraftView,
  ),
  /** The draft of a published template: the one in progress, or a new one from the latest version. */
  'designer:edit': op(z.object({ templateId: TemplateId }).strict(), DraftView),
  'designer:get': op(z.object({ draftId: DraftId }).strict(), DraftView),
  /** Saves a draft as it is, valid or not, and returns what would stop it from being published. */
  'designer:save': op(z.object({ draftId: DraftId, template: DraftTemplate }).strict(), z.object({ updatedAt: z.string(), issues: z.array(DraftIssue) })),
  /**
   * The page as a partner would get it, from the real engine, with sample
   * partner data. "design" shows every zone whoever the partner (conditions
   * and access policies off); "partner" applies them.
   */
  'designer:preview': op(
    z
      .object({
        source: PreviewSource,
        mode: z.enum(['design', 'partner']).default('partner'),
        partner: PreviewPartner.default({ certifications: [], distributor: false }),
        sample: SampleKind.default('typical'),
        output: z.enum(['screen', 'print']).default('screen'),
      })
      .strict(),
    z.object({
      /** The render plan as JSON (core/contracts/plan-view.ts), or null when nothing can be drawn. */
      plan: z.unknown(),
      findings: z.array(FindingOut),
      /** Zones the page leaves out: hidden for this partner, or invalid (then also in `issues`). */
      hidden: z.array(z.object({ zoneId: z.string(), reason: z.string() })),
      issues: z.array(DraftIssue),
      values: z.record(z.string(), z.string()),
      ms: z.number(),
    }),
  ),
  /** The sample partner's logos the previews use (the canvas draws them; they are not in the catalogue). */
  /** The sample partner's logos, and the sample distributor's (lockups in "Preview as partner" with a distributor). */
  'designer:sample-logos': op(
    z.object({}).strict(),
    z.object({
      light: z.object({ ref: z.string(), data: Base64 }),
      dark: z.object({ ref: z.string(), data: Base64 }),
      distributor: z.object({ light: z.object({ ref: z.string(), data: Base64 }), dark: z.object({ ref: z.string(), data: Base64 }) }),
    }),
  ),
  /** An image for an image zone, validated like a partner's logo and stored by sha256. */
  'designer:add-image': op(
    z.object({ brandId: BrandId, fileName: z.string().min(1).max(255), data: Base64 }).strict(),
    z.object({ ref: AssetRefInput, format: z.enum(['png', 'jpeg', 'pdf', 'svg']), width: z.number(), height: z.number(), vector: z.boolean() }),
  ),
  /** Publishes a draft as the next immutable version; refused with every issue while it has any. */
  'designer:publish': op(z.object({ draftId: DraftId }).strict(), z.object({ templateId: z.string(), version: z.number(), publishedAt: z.string() })),
  'designer:delete': op(z.object({ draftId: DraftId }).strict(), z.object({ deleted: z.literal(true) })),
  'designer:versions': op(
    z.object({ templateId: TemplateId }).strict(),
    z.array(z.object({ version: z.number(), name: z.string(), category: z.string(), sha256: z.string(), createdAt: z.string() })),
  ),
} as const;
