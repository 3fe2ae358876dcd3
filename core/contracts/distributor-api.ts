import { z } from 'zod';
import { Id } from '../model/access.ts';
import { Price } from '../model/product.ts';
import { MAX_PACK_FILE_BYTES } from './menu.ts';
import { Base64, Empty, FindingView, op } from './op.ts';

/**
 * The distributor's workspace (issue #5) and the vendor's side of
 * authorising a distributor. Handlers in backend/api/distributor-ops.ts;
 * the chain of trust is docs/decisions/0020, the workspace docs/decisions/0021.
 *
 * A distributor's identity is this catalogue's publishing key (the one
 * `pack:key-create` makes): the vendor authorises that key, derived packs
 * are signed with it and partner credentials are issued with it.
 */

const PackData = z
  .string()
  .max(Math.ceil(MAX_PACK_FILE_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const ImageData = z
  .string()
  .max(Math.ceil((16 * 1024 * 1024) / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const CredentialText = z.string().min(1).max(64 * 1024);

export const ProductView = z.object({
  id: z.string(),
  publisher: z.string(),
  owner: z.enum(['vendor', 'distributor']),
  name: z.string(),
  sku: z.string(),
  copy: z.string(),
  price: Price,
  /** "$1,299.00 per server", "Price on request". */
  priceText: z.string(),
  section: z.string().nullable(),
  locked: z.boolean(),
  image: z.string().nullable(),
});
export type ProductView = z.infer<typeof ProductView>;

const EntryInput = z.object({ product: Id, price: Price.optional(), copy: z.string().max(600).optional() }).strict();
export type SheetEntryInput = z.infer<typeof EntryInput>;

const SheetView = z.object({
  /** Per block-area zone id: the blocks in order. */
  areas: z.record(z.string(), z.array(EntryInput)),
  texts: z.record(z.string(), z.string()),
  savedAt: z.string(),
});

const TemplateView = z.object({
  id: z.string(),
  name: z.string(),
  /** False when the vendor's authorisation does not cover this template. */
  inScope: z.boolean(),
  blockAreas: z.array(z.object({ zoneId: z.string(), name: z.string(), offered: z.array(ProductView), allowOwn: z.boolean(), layout: z.enum(['grid', 'list']), columns: z.number() })),
  /** Distributor-owned text zones the vendor left open (bundle price, terms). */
  texts: z.array(z.object({ zoneId: z.string(), name: z.string(), text: z.string(), multiline: z.boolean() })),
  /** Has a lockup or distributor logo zone, so the distributor's logo shows. */
  showsLogo: z.boolean(),
  sheet: SheetView.nullable(),
});
export type DistributorTemplateView = z.infer<typeof TemplateView>;

const SourceView = z.object({
  vendor: z.object({ id: z.string(), name: z.string(), fingerprint: z.string() }),
  pack: z.object({ id: z.string(), version: z.number() }),
  credential: z.object({
    id: z.string(),
    expiresAt: z.string(),
    scope: z.string(),
    maxTier: z.string().nullable(),
    tiers: z.array(z.object({ id: z.string(), name: z.string() })),
    status: z.enum(['valid', 'expired']),
    message: z.string().nullable(),
  }),
  templates: z.array(TemplateView),
  published: z.object({ version: z.number(), path: z.string(), fileName: z.string() }).nullable(),
});
export type SourceView = z.infer<typeof SourceView>;

const KeyView = z.object({ publisher: z.object({ id: z.string(), name: z.string() }), publicKey: z.string(), fingerprint: z.string() });

const ProfileView = z.object({
  id: z.string(),
  name: z.string(),
  contact: z.object({ phone: z.string().optional(), email: z.string().optional(), url: z.string().optional() }),
  logo: z.object({ ref: z.string(), name: z.string(), width: z.number(), height: z.number() }).nullable(),
});

export const WorkspaceView = z.object({
  key: KeyView.nullable(),
  profile: ProfileView.nullable(),
  sources: z.array(SourceView),
  ownProducts: z.array(ProductView),
});
export type WorkspaceView = z.infer<typeof WorkspaceView>;

const ProductInput = z
  .object({
    id: Id,
    name: z.string().min(1).max(80),
    sku: z.string().max(40).default(''),
    copy: z.string().max(600).default(''),
    price: Price,
    section: z.string().max(60).optional(),
    locked: z.boolean().default(true),
    /** A new picture (PNG or JPEG, base64); absent keeps the current one, null removes it. */
    image: ImageData.nullable().optional(),
  })
  .strict();

const FileOut = z.object({ fileName: z.string(), text: z.string() });

export const DISTRIBUTOR_API = {
  /** Vendor: signs a distributor credential for a distributor's public key with this catalogue's publishing key. */
  'distributor:authorise': op(
    z
      .object({
        distributorId: Id,
        distributorName: z.string().min(1).max(120),
        /** The distributor's public key as its workspace shows it (base64 ed25519). */
        publicKey: z.string().min(1).max(200),
        templates: z.union([z.literal('all'), z.array(Id).min(1).max(1000)]).default('all'),
        maxTier: Id.nullable().default(null),
        days: z.number().int().min(1).max(1825).default(365),
      })
      .strict(),
    FileOut.extend({ id: z.string(), expiresAt: z.string(), fingerprint: z.string(), scope: z.string() }),
  ),
  /** Vendor: the distributors this catalogue has authorised. */
  'distributor:authorised': op(
    Empty,
    z.array(
      z.object({
        id: z.string(),
        distributorId: z.string(),
        name: z.string(),
        fingerprint: z.string(),
        issuedAt: z.string(),
        expiresAt: z.string(),
        scope: z.string(),
        revoked: z.object({ at: z.string(), reason: z.string() }).nullable(),
      }),
    ),
  ),
  /** Vendor: revokes a distributor's authorisation. It travels in the next published pack; partner credentials issued under it stop counting. */
  'distributor:revoke': op(z.object({ id: z.string().min(1).max(120), reason: z.string().max(500).default('') }).strict(), z.object({ revokedAt: z.string() })),

  'distributor:workspace': op(Empty, WorkspaceView),
  'distributor:profile-save': op(
    z
      .object({
        name: z.string().min(1).max(120),
        contact: z.object({ phone: z.string().max(60).optional(), email: z.string().max(200).optional(), url: z.string().max(500).optional() }).strict().default({}),
        /** A new logo (PNG, JPEG or SVG, base64) with its file name; absent keeps the current one. */
        logo: z.object({ data: ImageData, fileName: z.string().min(1).max(255) }).strict().optional(),
      })
      .strict(),
    WorkspaceView,
  ),
  /** Adds (or updates) a vendor's pack with the vendor's authorisation of this distributor. Nothing is stored on any error. */
  'distributor:add-source': op(z.object({ pack: PackData, credential: CredentialText }).strict(), WorkspaceView),
  'distributor:product-save': op(ProductInput, WorkspaceView),
  'distributor:product-delete': op(z.object({ id: Id }).strict(), WorkspaceView),
  /** Saves the sheet for one vendor template: the blocks in order and the open texts. Refused with the reason when the vendor's rules do not allow it. */
  'distributor:sheet-save': op(
    z
      .object({
        vendor: Id,
        template: Id,
        areas: z.record(z.string(), z.array(EntryInput).max(500)),
        texts: z.record(z.string(), z.string().max(2000)).default({}),
      })
      .strict(),
    z.object({ workspace: WorkspaceView, pages: z.number(), findings: z.array(FindingView) }),
  ),
  /** The sheet as a partner would see it (a sample partner), as a PDF. */
  'distributor:sheet-preview': op(z.object({ vendor: Id, template: Id }).strict(), z.object({ pages: z.number(), pdf: Base64, findings: z.array(FindingView) })),
  /** Signs and writes the derived pack for one vendor's pack; returns where it was written. */
  'distributor:publish': op(
    z.object({ vendor: Id, path: z.string().min(1).max(4096).nullable().default(null) }).strict(),
    z.object({ path: z.string(), fileName: z.string(), version: z.number(), byteLength: z.number(), templates: z.array(z.object({ id: z.string(), from: z.string() })) }),
  ),
  /** Issues a partner credential for the vendor's brand within the vendor's scope. */
  'distributor:credential-issue': op(
    z
      .object({
        vendor: Id,
        company: z.string().min(1).max(120),
        partner: Id.optional(),
        tier: Id,
        type: Id.optional(),
        region: Id.optional(),
        days: z.number().int().min(1).max(1825).default(365),
      })
      .strict(),
    FileOut.extend({ id: z.string(), expires: z.string(), tier: z.string() }),
  ),
} as const;
