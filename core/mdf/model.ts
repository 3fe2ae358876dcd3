import { z } from 'zod';
import { Id } from '../model/access.ts';
import { parseOrThrow } from '../model/validate.ts';

/**
 * Market development funds (issue #8): the request form a vendor ships in
 * its pack, the veto rules the distributor (or vendor) applies to every
 * request, and a partner's request. Pure data; `rules.ts` evaluates a
 * request against the rules, the same on the partner's side before it is
 * sent and on the reviewer's side when it arrives (docs/decisions/0025).
 *
 * Money is in minor units (cents) as integers, so sums and limits are
 * exact; shares are fractions 0..1; dates are calendar dates (YYYY-MM-DD),
 * quarters are calendar quarters.
 */
export const MDF_PROGRAM_FORMAT = 'lockup.mdf-program';
export const MDF_REQUEST_FORMAT = 'lockup.mdf-request';
export const MDF_FORMAT_VERSION = 1;

/** A calendar date, YYYY-MM-DD, that exists. */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'is not a calendar date');

/** An amount in minor units (cents): a whole number, at most 10 billion currency units. */
export const Money = z.number().int('must be a whole number of cents').min(0).max(1e12);

export const Share = z.number().min(0).max(1);

/** Kinds of attachment a request carries; "collateral" is a co-branded PDF exported from Lockup (checked by its hash). */
export const ATTACHMENT_KINDS = ['collateral', 'agenda', 'quote', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const ActivityType = z.object({ id: Id, name: z.string().min(1).max(120) }).strict();
export type ActivityType = z.infer<typeof ActivityType>;

/**
 * The rules every request is checked against. Each is optional; a rule not
 * set never vetoes. Keys of per-tier maps are the brand's tier ids.
 */
export const VetoRules = z
  .object({
    /** Most a partner of a tier may request per calendar quarter (of the activity's start), this request included. A tier not listed gets none. */
    maxPerQuarter: z.record(Id, Money).optional(),
    /** Activity types a tier may not request funds for. */
    disallowedActivities: z.record(Id, z.array(Id).min(1)).optional(),
    /** Whole days between submitting and the activity's start, at least. */
    minLeadDays: z.number().int().min(0).max(3650).optional(),
    /** Attachment kinds a request must carry, per activity type ("*" for every type). */
    requiredAttachments: z.record(z.string().regex(/^(\*|[a-z0-9][a-z0-9._-]*)$/), z.array(z.enum(ATTACHMENT_KINDS)).min(1)).optional(),
    /** The partner's own share of the activity's cost (co-funding), within these bounds. */
    partnerShare: z.object({ min: Share, max: Share }).strict().refine((s) => s.min <= s.max, 'min must not be above max').optional(),
    /** Refuse a second open request of the same partner for the same activity type whose dates overlap this one's. */
    noDuplicates: z.boolean().optional(),
  })
  .strict();
export type VetoRules = z.infer<typeof VetoRules>;

/** The vendor's MDF program: the request form's choices, the veto rules and when a clean request needs no human. */
export const MdfProgram = z
  .object({
    format: z.literal(MDF_PROGRAM_FORMAT),
    formatVersion: z.literal(MDF_FORMAT_VERSION),
    id: Id,
    version: z.number().int().min(1),
    brand: Id,
    name: z.string().min(1).max(120),
    /** ISO 4217 code the amounts are in. */
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
    activityTypes: z.array(ActivityType).min(1).max(50),
    rules: VetoRules,
    /** A request that breaks no rule and asks for at most this much is approved without review; null: every clean request is reviewed. */
    autoApproveUpTo: Money.nullable(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const types = new Set<string>();
    p.activityTypes.forEach((t, i) => {
      if (types.has(t.id)) ctx.addIssue({ code: 'custom', path: ['activityTypes', i, 'id'], message: `duplicate activity type "${t.id}"` });
      types.add(t.id);
    });
    for (const [tier, list] of Object.entries(p.rules.disallowedActivities ?? {})) {
      list.forEach((id, i) => {
        if (!types.has(id)) ctx.addIssue({ code: 'custom', path: ['rules', 'disallowedActivities', tier, i], message: `"${id}" is not one of the program's activity types` });
      });
    }
    for (const key of Object.keys(p.rules.requiredAttachments ?? {})) {
      if (key !== '*' && !types.has(key)) ctx.addIssue({ code: 'custom', path: ['rules', 'requiredAttachments', key], message: `"${key}" is not one of the program's activity types` });
    }
  });
export type MdfProgram = z.infer<typeof MdfProgram>;
export type MdfProgramInput = z.input<typeof MdfProgram>;

export const RequestAttachment = z
  .object({
    name: z.string().min(1).max(255),
    kind: z.enum(ATTACHMENT_KINDS),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().min(0),
  })
  .strict();
export type RequestAttachment = z.infer<typeof RequestAttachment>;

/** A partner's request as it is filled in and sent (the signed request file wraps it). */
export const MdfRequest = z
  .object({
    format: z.literal(MDF_REQUEST_FORMAT),
    formatVersion: z.literal(MDF_FORMAT_VERSION),
    id: z.string().uuid(),
    program: z.object({ id: Id, version: z.number().int().min(1) }).strict(),
    partner: z.object({ id: Id, name: z.string().min(1).max(200), tier: Id.optional(), distributor: z.string().max(200).optional() }).strict(),
    activityType: Id,
    title: z.string().min(1).max(200),
    startDate: CalendarDate,
    endDate: CalendarDate,
    /** What the partner asks the vendor to fund. */
    budgetRequested: Money,
    /** The activity's whole cost; the partner's share is 1 − budgetRequested / totalCost. */
    totalCost: Money,
    expectedLeads: z.number().int().min(0).max(1_000_000),
    expectedPipeline: Money,
    audience: z.string().min(1).max(1000),
    description: z.string().min(1).max(10_000),
    attachments: z.array(RequestAttachment).max(20),
    /** The day it was (or would be) submitted. */
    submittedOn: CalendarDate,
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.endDate < r.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'ends before it starts' });
    if (r.totalCost === 0) ctx.addIssue({ code: 'custom', path: ['totalCost'], message: 'must be more than 0' });
    if (r.budgetRequested > r.totalCost) ctx.addIssue({ code: 'custom', path: ['budgetRequested'], message: 'is more than the activity costs' });
  });
export type MdfRequest = z.infer<typeof MdfRequest>;
export type MdfRequestInput = z.input<typeof MdfRequest>;

export function parseMdfProgram(data: unknown): MdfProgram {
  return parseOrThrow(MdfProgram, data, 'mdf-invalid', 'MDF program');
}

export function parseMdfRequest(data: unknown): MdfRequest {
  return parseOrThrow(MdfRequest, data, 'mdf-invalid', 'MDF request');
}

/** The partner's share of the activity's cost, 0..1. */
export const partnerShareOf = (r: Pick<MdfRequest, 'budgetRequested' | 'totalCost'>) => (r.totalCost === 0 ? 0 : 1 - r.budgetRequested / r.totalCost);

/** The calendar quarter of a date, e.g. "2026-Q4". */
export function quarterOf(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** Whole days from `a` to `b` (calendar dates; negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
