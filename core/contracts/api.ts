import { z } from 'zod';
import { AccessLevels, Id } from '../model/access.ts';
import { BATCH_API } from './batch-api.ts';
import { PartnerDocument, PartnerProfile } from '../model/document.ts';
import { Template } from '../model/template.ts';
import { DESIGNER_API } from './designer-api.ts';
import { DISTRIBUTOR_API } from './distributor-api.ts';
import { AssetRefInput, Base64, Empty, FindingView, op, Role } from './op.ts';
import { INSIGHTS_API } from './insights-api.ts';
import { LEARNING_API } from './learning-api.ts';
import { LOGO_API } from './logo-api.ts';
import { MDF_API } from './mdf-api.ts';
import { PACK_API } from './pack-api.ts';
import { PRINT_API } from './print-api.ts';
import { VENDOR_API } from './vendor-api.ts';
import { VERIFY_API } from './verify-api.ts';

/**
 * The one API between the renderer and the backend. Both transports (the
 * Electron preload over IPC, and the browser host over HTTP) carry exactly
 * these operations; inputs are validated against these schemas where they
 * enter the backend, and only `{ code, message, details }` errors come back.
 * Operation names are `domain:verb`.
 */

const AssetRef = AssetRefInput;
const Output = z.enum(['screen', 'print']);

export { FindingView } from './op.ts';

export const LogoView = z.object({
  ref: AssetRef,
  name: z.string(),
  format: z.enum(['png', 'jpeg', 'pdf', 'svg']),
  width: z.number(),
  height: z.number(),
  vector: z.boolean(),
  hasAlpha: z.boolean(),
  /** SVG only: what the sanitiser removed and what is drawn differently from a browser (docs/decisions/0015). */
  svg: z.object({ removed: z.array(z.string()), warnings: z.array(z.string()) }).optional(),
  /** Raster only: effective resolution at the largest partner-logo slot of the templates the partner may use. */
  effectivePpi: z.object({ value: z.number(), slot: z.string() }).nullable().optional(),
});
export type LogoView = z.infer<typeof LogoView>;

export const TemplateCard = z.object({
  id: z.string(),
  version: z.number(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  pageSize: z.string(),
  width: z.number(),
  height: z.number(),
  available: z.boolean(),
  reasons: z.array(z.string()),
  requirements: z.array(z.string()),
  hasDraft: z.boolean(),
  /** Why a brand from a signed pack shows only open templates (no, expired or revoked credential). */
  notice: z.string().nullable(),
  /** Why the partner's draft stayed on an older template version after a pack update. */
  draftNote: z.string().nullable(),
});
export type TemplateCard = z.infer<typeof TemplateCard>;

export const BrandView = z.object({
  id: z.string(),
  name: z.string(),
  palette: z.array(z.object({ id: z.string(), name: z.string(), hex: z.string() })),
  fonts: z.array(z.object({ id: z.string(), family: z.string(), weight: z.number(), style: z.string(), asset: AssetRef })),
});
export type BrandView = z.infer<typeof BrandView>;

/** Profile fields a partner edits; logos are asset refs returned by `logo:intake`. */
export const ProfileEdit = PartnerProfile.omit({ id: true }).extend({ id: Id.optional() });
export type ProfileEdit = z.input<typeof ProfileEdit>;

const CheckResult = z.object({
  findings: z.array(FindingView),
  /** The render plan as JSON (core/contracts/plan-view.ts). */
  plan: z.unknown(),
  values: z.record(z.string(), z.string()),
  /** Time the check took in the backend, in milliseconds. */
  ms: z.number(),
});

/** The partner studio's operations (the vendor's and the packs' are merged in below). */
export const CORE_API = {
  'app:info': op(
    Empty,
    z.object({
      version: z.string(),
      dataDir: z.string(),
      transport: z.enum(['electron', 'web']),
      /** Chosen at first run (null until then); decides which workspace opens. */
      role: Role.nullable(),
      brands: z.array(z.object({ id: z.string(), name: z.string(), access: AccessLevels })),
    }),
  ),
  'app:set-role': op(z.object({ role: Role }).strict(), z.object({ role: Role })),
  'profile:get': op(Empty, PartnerProfile.nullable()),
  'profile:save': op(ProfileEdit, PartnerProfile),
  'logo:intake': op(z.object({ name: z.string().min(1).max(255), data: Base64 }).strict(), LogoView),
  'logo:describe': op(z.object({ ref: AssetRef }).strict(), LogoView),
  'asset:get': op(z.object({ ref: AssetRef }).strict(), z.object({ ref: AssetRef, mediaType: z.string(), data: Base64 })),
  'templates:list': op(Empty, z.array(TemplateCard)),
  'template:open': op(z.object({ id: z.string().min(1).max(120) }).strict(), z.object({ template: Template, brand: BrandView, document: PartnerDocument, fromDraft: z.boolean() })),
  'template:thumbnail': op(z.object({ id: z.string().min(1).max(120) }).strict(), z.object({ pdf: Base64 })),
  'document:check': op(z.object({ document: PartnerDocument, output: Output.default('screen') }).strict(), CheckResult),
  'draft:save': op(z.object({ document: PartnerDocument }).strict(), z.object({ savedAt: z.string() })),
  'export:suggest': op(z.object({ document: PartnerDocument, output: Output.default('screen') }).strict(), z.object({ fileName: z.string(), folder: z.string() })),
  'export:pdf': op(
    z.object({ document: PartnerDocument, output: Output.default('screen'), path: z.string().min(1).max(4096).nullable().default(null) }).strict(),
    z.object({ path: z.string(), fileName: z.string(), byteLength: z.number(), findings: z.array(FindingView), ms: z.number() }),
  ),
  'export:download': op(z.object({ path: z.string().min(1).max(4096) }).strict(), z.object({ fileName: z.string(), data: Base64 })),
  'file:reveal': op(z.object({ path: z.string().min(1).max(4096) }).strict(), z.object({ shown: z.boolean() })),
} as const;

export const API = { ...CORE_API, ...VENDOR_API, ...DESIGNER_API, ...PACK_API, ...LOGO_API, ...PRINT_API, ...VERIFY_API, ...BATCH_API, ...DISTRIBUTOR_API, ...LEARNING_API, ...MDF_API, ...INSIGHTS_API } as const;

export type Api = typeof API;
export type OpName = keyof Api;
export type OpInput<K extends OpName> = z.input<Api[K]['input']>;
export type OpArgs<K extends OpName> = z.output<Api[K]['input']>;
export type OpOutput<K extends OpName> = z.output<Api[K]['output']>;

/** What `window.lockup` is in the renderer, whichever transport carries it. */
export type LockupApi = { [K in OpName]: (input: OpInput<K>) => Promise<OpOutput<K>> };

export const OP_NAMES = Object.keys(API) as OpName[];

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(API, name);
}

/** The response envelope both transports use. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
