import { z } from 'zod';

export const Id = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"');

/** Who may see a template or a zone. Every listed constraint must hold. */
export const AccessPolicy = z
  .object({
    minTier: Id.optional(),
    partnerTypes: z.array(Id).min(1).optional(),
    regions: z.array(Id).min(1).optional(),
    /** Any one of these certifications grants access (issue 7 fills them in). */
    certifications: z.array(Id).min(1).optional(),
    /**
     * The alternative route: holding any one of these certifications grants
     * access even when the constraints above do not hold ("Gold tier, or
     * Security Certified"). Training modules grant certifications (issue 7).
     */
    orCertified: z.array(Id).min(1).optional(),
  })
  .strict();
export type AccessPolicy = z.infer<typeof AccessPolicy>;

/** The vendor's access levels: tiers are ordered lowest first. */
export const AccessLevels = z
  .object({
    tiers: z.array(z.object({ id: Id, name: z.string().min(1) }).strict()).min(1),
    partnerTypes: z.array(z.object({ id: Id, name: z.string().min(1) }).strict()).default([]),
    regions: z.array(z.object({ id: Id, name: z.string().min(1) }).strict()).default([]),
    certifications: z.array(z.object({ id: Id, name: z.string().min(1) }).strict()).default([]),
  })
  .strict()
  .superRefine((levels, ctx) => {
    for (const key of ['tiers', 'partnerTypes', 'regions', 'certifications'] as const) {
      levels[key].forEach((e, i) => {
        if (levels[key].findIndex((o) => o.id === e.id) !== i) ctx.addIssue({ code: 'custom', path: [key, i, 'id'], message: `duplicate id "${e.id}"` });
      });
    }
  });
export type AccessLevels = z.infer<typeof AccessLevels>;

/** Partner attributes that access policies and visibility conditions read. */
export interface PartnerAttributes {
  tier?: string | undefined;
  type?: string | undefined;
  region?: string | undefined;
  distributor?: string | undefined;
  certifications?: readonly string[] | undefined;
}

export interface AccessDecision {
  allowed: boolean;
  /** Human-readable reasons, e.g. "Gold partners only". Empty when allowed. */
  reasons: string[];
}

/** Decides whether a partner meets an access policy. Unknown tiers never pass a tier requirement. */
export function evaluateAccess(
  policy: AccessPolicy | undefined,
  partner: PartnerAttributes,
  levels: AccessLevels,
): AccessDecision {
  if (!policy) return { allowed: true, reasons: [] };
  const reasons: string[] = [];
  const held = new Set(partner.certifications ?? []);
  if (policy.orCertified?.some((c) => held.has(c))) return { allowed: true, reasons: [] };
  const nameOf = (list: { id: string; name: string }[], id: string) => list.find((e) => e.id === id)?.name ?? id;
  if (policy.minTier) {
    const need = levels.tiers.findIndex((t) => t.id === policy.minTier);
    const have = partner.tier ? levels.tiers.findIndex((t) => t.id === partner.tier) : -1;
    if (have < 0 || need < 0 || have < need) {
      const name = nameOf(levels.tiers, policy.minTier);
      const last = levels.tiers.length - 1;
      reasons.push(need === last ? `${name} partners only` : `${name} tier or higher`);
    }
  }
  if (policy.partnerTypes && !(partner.type && policy.partnerTypes.includes(partner.type))) {
    reasons.push(`Partner types: ${policy.partnerTypes.map((t) => nameOf(levels.partnerTypes, t)).join(', ')}`);
  }
  if (policy.regions && !(partner.region && policy.regions.includes(partner.region))) {
    reasons.push(`Regions: ${policy.regions.map((r) => nameOf(levels.regions, r)).join(', ')}`);
  }
  if (policy.certifications) {
    if (!policy.certifications.some((c) => held.has(c))) {
      reasons.push(`Requires ${policy.certifications.map((c) => nameOf(levels.certifications, c)).join(' or ')}`);
    }
  }
  if (policy.orCertified && reasons.length > 0) {
    reasons.push(`or become ${policy.orCertified.map((c) => nameOf(levels.certifications, c)).join(' or ')}`);
  }
  return { allowed: reasons.length === 0, reasons };
}

/** Whether holding `certification` is one way (alone or with the other constraints) to meet `policy`. */
export function policyNamesCertification(policy: AccessPolicy | undefined, certification: string): boolean {
  return !!policy && (!!policy.certifications?.includes(certification) || !!policy.orCertified?.includes(certification));
}
