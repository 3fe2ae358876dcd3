import { z } from 'zod';
import { Id } from '../model/access.ts';
import { ATTACHMENT_KINDS, CalendarDate, MdfProgram, MdfRequest } from '../mdf/model.ts';
import { RULE_IDS } from '../mdf/rules.ts';
import { Base64, Empty, op } from './op.ts';

/**
 * Market development funds (issue #8, docs/decisions/0025 and 0026): the
 * partner's request form (validated as it is typed, evaluated against the
 * program's veto rules before it is sent), the request packet, and the
 * distributor's review queue with signed decisions the partner imports.
 */

const Path = z.string().min(1).max(4096).nullable().default(null);
const Written = z.object({ path: z.string(), fileName: z.string(), byteLength: z.number() });
const Uuid = z.string().uuid();

export const BreachView = z.object({
  rule: z.enum(RULE_IDS),
  message: z.string(),
  measured: z.union([z.number(), z.string()]).nullable(),
  limit: z.union([z.number(), z.string()]).nullable(),
});
export type BreachView = z.infer<typeof BreachView>;

export const EvaluationView = z.object({
  verdict: z.enum(['auto-vetoed', 'needs-review', 'auto-approved']),
  breaches: z.array(BreachView),
  quarter: z.object({ id: z.string(), used: z.number(), limit: z.number().nullable() }),
});
export type EvaluationView = z.infer<typeof EvaluationView>;

/** An attachment staged for a request (bytes kept by the backend, content-addressed). */
export const StagedAttachment = z.object({
  name: z.string().min(1).max(255),
  kind: z.enum(ATTACHMENT_KINDS),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
});
export type StagedAttachment = z.infer<typeof StagedAttachment>;

/**
 * The form as the partner is filling it in. Every field may still be empty
 * or wrong: `mdf:evaluate` says which, per field. Amounts are whole cents.
 */
export const MdfDraft = z
  .object({
    program: Id,
    activityType: z.string().max(120).default(''),
    title: z.string().max(400).default(''),
    startDate: z.string().max(20).default(''),
    endDate: z.string().max(20).default(''),
    budgetRequested: z.number().int().min(0).max(1e12).nullable().default(null),
    totalCost: z.number().int().min(0).max(1e12).nullable().default(null),
    expectedLeads: z.number().int().min(0).max(1_000_000).nullable().default(null),
    expectedPipeline: z.number().int().min(0).max(1e12).nullable().default(null),
    audience: z.string().max(2000).default(''),
    description: z.string().max(20_000).default(''),
    attachments: z.array(StagedAttachment).max(20).default([]),
  })
  .strict();
export type MdfDraft = z.infer<typeof MdfDraft>;
export type MdfDraftInput = z.input<typeof MdfDraft>;

/** A problem with one field of the draft; `field` is a key of MdfDraft. */
export const FieldProblem = z.object({ field: z.string(), message: z.string() });
export type FieldProblem = z.infer<typeof FieldProblem>;

/** A program the partner may request funds from, with what the form needs to show. */
export const ProgramView = z.object({
  program: MdfProgram,
  brandName: z.string(),
  tiers: z.array(z.object({ id: z.string(), name: z.string() })),
  /** The partner's tier (from the profile or credential) and its per-quarter limit, null when none is set. */
  partnerTier: z.string().nullable(),
  quarterLimit: z.number().nullable(),
});
export type ProgramView = z.infer<typeof ProgramView>;

export const REQUEST_STATUSES = ['submitted', 'approved', 'rejected', 'changes-requested'] as const;

/** One of the partner's own requests. */
export const PartnerRequestView = z.object({
  request: MdfRequest,
  programName: z.string(),
  currency: z.string(),
  /** The verdict the rules gave when it was sent. */
  evaluation: EvaluationView,
  status: z.enum(REQUEST_STATUSES),
  decision: z.object({ decision: z.enum(['approved', 'rejected', 'changes-requested']), reason: z.string(), decidedAt: z.string(), decidedBy: z.string() }).nullable(),
  /** The packet written when it was sent. */
  packet: z.string(),
  submittedAt: z.string(),
});
export type PartnerRequestView = z.infer<typeof PartnerRequestView>;

export const QUEUE_STATUSES = ['awaiting-review', 'auto-vetoed', 'approved', 'rejected', 'changes-requested'] as const;

/** A request in the reviewer's queue. */
export const QueueItem = z.object({
  request: MdfRequest,
  programName: z.string(),
  currency: z.string(),
  activityName: z.string(),
  /** Fingerprint of the partner install key that signed the request file. */
  signedBy: z.string(),
  /** The automatic verdict, worked out on import against this queue's earlier requests from the same partner. */
  evaluation: EvaluationView,
  status: z.enum(QUEUE_STATUSES),
  attachments: z.array(z.object({ name: z.string(), kind: z.enum(ATTACHMENT_KINDS), size: z.number(), ok: z.boolean() })),
  decision: z.object({ decision: z.enum(['approved', 'rejected', 'changes-requested']), reason: z.string(), decidedAt: z.string(), file: z.string() }).nullable(),
  importedAt: z.string(),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const MDF_API = {
  // The partner's side.
  /** The MDF programs in the partner's packs (empty when none carries one). */
  'mdf:programs': op(Empty, z.array(ProgramView)),
  /** Field problems and, once the draft is a whole request, the veto rules' verdict against the partner's earlier requests. */
  'mdf:evaluate': op(z.object({ draft: MdfDraft }).strict(), z.object({ problems: z.array(FieldProblem), evaluation: EvaluationView.nullable() })),
  /** Collateral this install exported (candidates for a "collateral" attachment). */
  'mdf:exports': op(Empty, z.array(z.object({ path: z.string(), fileName: z.string(), templateName: z.string(), sha256: z.string(), byteLength: z.number(), exportedAt: z.string() }))),
  /** Stages an attachment: a file the partner picks, or one of its Lockup exports by path (then its hash is checked against the export ledger). */
  'mdf:attach': op(
    z.union([
      z.object({ kind: z.enum(ATTACHMENT_KINDS), name: z.string().min(1).max(255), data: Base64 }).strict(),
      z.object({ kind: z.literal('collateral'), export: z.string().min(1).max(4096) }).strict(),
    ]),
    StagedAttachment,
  ),
  /**
   * Sends the request: refused (mdf-invalid) with the field problems, or (mdf-vetoed) with the broken rules.
   * Writes the request packet (`.lockup-mdf`: the signed request file, the fillable PDF form, the attachments).
   */
  'mdf:submit': op(z.object({ draft: MdfDraft, path: Path }).strict(), z.object({ request: PartnerRequestView, packet: Written })),
  'mdf:requests': op(Empty, z.array(PartnerRequestView)),
  /** Imports a signed decision file for one of this partner's requests. */
  'mdf:decision-import': op(z.object({ name: z.string().min(1).max(255), data: Base64 }).strict(), PartnerRequestView),

  // The vendor's side: the brand's program (what its packs carry).
  'vendor:mdf-program': op(z.object({ brand: Id }).strict(), MdfProgram.nullable()),
  /** Stores the brand's program from a `lockup.mdf-program` file's text (a new version when it changed); published with the brand's next pack. */
  'vendor:mdf-program-import': op(z.object({ brand: Id, source: z.string().min(2).max(1_000_000) }).strict(), z.object({ id: z.string(), version: z.number() })),

  // The reviewer's side (distributor).
  'mdf:queue': op(Empty, z.array(QueueItem)),
  /** Imports a request packet into the queue: signature, attachments and veto rules are checked on the way in. */
  'mdf:packet-import': op(z.object({ name: z.string().min(1).max(255), data: Base64 }).strict(), QueueItem),
  /** Approves, rejects (reason required) or asks for changes (reason required); writes the signed decision file. */
  'mdf:decide': op(
    z.object({ request: Uuid, decision: z.enum(['approved', 'rejected', 'changes-requested']), reason: z.string().max(4000).default(''), path: Path }).strict(),
    z.object({ item: QueueItem, file: Written }),
  ),
} as const;

export { CalendarDate };
