import { z } from 'zod';
import { Id } from '../model/access.ts';
import { MAX_PACK_FILE_BYTES } from './menu.ts';
import { Base64, Empty, op } from './op.ts';

/**
 * Signed packs and partner credentials in the app (File → Publish pack…,
 * Open pack…, Import credential…). Handlers in backend/api/pack-ops.ts.
 * Pack and credential files travel as base64 (the renderer reads them with a
 * file input, or the Electron menu's open dialog does).
 */

const Fingerprint = z.string();

const TemplateChange = z.object({ id: z.string(), name: z.string(), from: z.number().optional(), to: z.number().optional() });

export const ImportPlanView = z.object({
  publisher: z.object({ id: z.string(), name: z.string(), fingerprint: Fingerprint }),
  pack: z.object({ id: z.string(), version: z.number(), created: z.string() }),
  keyStatus: z.enum(['new', 'pinned', 'changed']),
  pinnedFingerprint: Fingerprint.optional(),
  previousVersion: z.number().nullable(),
  status: z.enum(['new', 'update', 'same']),
  brand: z.object({ id: z.string(), name: z.string(), replacesLocal: z.boolean() }),
  changes: z.object({ added: z.array(TemplateChange), changed: z.array(TemplateChange), withdrawn: z.array(TemplateChange), unchanged: z.array(TemplateChange) }),
  drafts: z.array(z.object({ draftId: z.string(), templateId: z.string(), status: z.enum(['migrated', 'flagged']), fromVersion: z.number(), toVersion: z.number().optional(), note: z.string() })),
  revocations: z.number(),
  /** Playbooks and training modules in the pack: each replaces the brand's whole list (issue #7). */
  playbooks: z.number(),
  training: z.number(),
  /** A distributor's derived pack: the chain of trust and the overlay (docs/decisions/0020). */
  derived: z
    .object({
      distributor: z.object({ id: z.string(), name: z.string(), fingerprint: Fingerprint }),
      keyStatus: z.enum(['new', 'pinned', 'changed']),
      pinnedFingerprint: Fingerprint.optional(),
      credential: z.object({
        id: z.string(),
        issuedAt: z.string(),
        expiresAt: z.string(),
        scope: z.object({ templates: z.union([z.literal('all'), z.array(z.string())]), maxTier: z.string().optional(), partnerTypes: z.array(z.string()).optional(), regions: z.array(z.string()).optional() }),
      }),
      overlay: z.object({ id: z.string(), version: z.number(), created: z.string() }),
      previousVersion: z.number().nullable(),
      status: z.enum(['new', 'update', 'same']),
      vendorPack: z.object({ publisher: z.string(), pack: z.string(), version: z.number(), sha256: z.string() }),
      lockedChecked: z.number(),
      changes: z.object({ added: z.array(TemplateChange), changed: z.array(TemplateChange), withdrawn: z.array(TemplateChange), unchanged: z.array(TemplateChange) }),
      drafts: z.array(z.object({ draftId: z.string(), templateId: z.string(), status: z.enum(['migrated', 'flagged']), fromVersion: z.number(), toVersion: z.number().optional(), note: z.string() })),
    })
    .optional(),
});
export type ImportPlanView = z.infer<typeof ImportPlanView>;

const KeyView = z.object({ publisher: z.object({ id: z.string(), name: z.string() }), publicKey: z.string(), fingerprint: Fingerprint });

const CredentialView = z.object({
  publisher: z.object({ id: z.string(), name: z.string() }),
  company: z.string(),
  partner: z.string(),
  tier: z.string(),
  type: z.string().nullable(),
  region: z.string().nullable(),
  certifications: z.array(z.string()),
  expires: z.string(),
  status: z.enum(['valid', 'expired', 'revoked', 'invalid']),
  message: z.string().nullable(),
});
export type CredentialView = z.infer<typeof CredentialView>;

/** A pack through the API: base64 of at most MAX_PACK_FILE_BYTES (96 MB). */
const PackData = z
  .string()
  .max(Math.ceil(MAX_PACK_FILE_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const CredentialText = z.string().min(1).max(64 * 1024);

export const PACK_API = {
  /** The catalogue's publishing key (in the data folder), if one was made. */
  'pack:key': op(Empty, KeyView.nullable()),
  'pack:key-create': op(z.object({ publisherId: Id, publisherName: z.string().min(1).max(120) }).strict(), KeyView),
  /** What publishing this brand would produce: key, next version, templates, revocations. */
  'pack:publish-info': op(
    z.object({ brandId: Id }).strict(),
    z.object({
      key: KeyView.nullable(),
      packId: z.string(),
      lastVersion: z.number().nullable(),
      nextVersion: z.number(),
      templates: z.array(z.object({ id: z.string(), version: z.number(), name: z.string() })),
      revocations: z.number(),
      fileName: z.string(),
      folder: z.string(),
      /** Why publishing is not possible now (no key, no templates, a brand from someone else's pack). */
      blocked: z.string().nullable(),
    }),
  ),
  'pack:publish': op(
    z.object({ brandId: Id, path: z.string().min(1).max(4096).nullable().default(null) }).strict(),
    z.object({ path: z.string(), fileName: z.string(), version: z.number(), byteLength: z.number(), fingerprint: Fingerprint, templates: z.number() }),
  ),
  /** The bytes of a pack this catalogue published (the browser host downloads it). */
  'pack:download': op(z.object({ path: z.string().min(1).max(4096) }).strict(), z.object({ fileName: z.string(), data: Base64 })),
  /** Verifies a pack and says what importing it would change, without changing anything. */
  'pack:inspect': op(z.object({ data: PackData }).strict(), ImportPlanView),
  'pack:import': op(z.object({ data: PackData, trustNewKey: z.boolean().default(false) }).strict(), ImportPlanView),
  'credential:import': op(z.object({ text: CredentialText }).strict(), CredentialView),
  /** The partner's credential per publisher whose pack is here (with why access is reduced, if it is). */
  'credential:status': op(Empty, z.array(z.object({ publisher: z.object({ id: z.string(), name: z.string(), fingerprint: Fingerprint }), packVersion: z.number().nullable(), credential: CredentialView.nullable(), notice: z.string().nullable() }))),
} as const;
