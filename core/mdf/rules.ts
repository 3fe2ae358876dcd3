import type { AccessLevels } from '../model/access.ts';
import { daysBetween, partnerShareOf, quarterOf, type MdfProgram, type MdfRequest } from './model.ts';

/**
 * Veto rules (issue #8). One pure function decides a request's fate from the
 * program, the request and the partner's earlier requests, so the partner's
 * Lockup (before sending) and the distributor's review queue (on import)
 * reach the same verdict from the same inputs (docs/decisions/0025).
 *
 * Every broken rule is reported, in a fixed order, with what was measured
 * and the limit. Limits are inclusive: a request exactly at a limit passes.
 */

export const RULE_IDS = ['activity-unknown', 'activity-not-allowed', 'tier-quarter-limit', 'lead-time', 'attachment-missing', 'partner-share', 'duplicate'] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface Breach {
  rule: RuleId;
  message: string;
  measured: number | string | null;
  limit: number | string | null;
}

/** What an earlier request of the same partner counts as. */
export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'vetoed' | 'changes-requested';

export interface PriorRequest {
  id: string;
  partnerId: string;
  activityType: string;
  startDate: string;
  endDate: string;
  budgetRequested: number;
  status: RequestStatus;
}

export type Verdict = 'auto-vetoed' | 'needs-review' | 'auto-approved';

export interface Evaluation {
  verdict: Verdict;
  breaches: Breach[];
  /** The quarter the request counts in, what the partner's live requests there already ask for, and the tier's limit (null: no limit set). */
  quarter: { id: string; used: number; limit: number | null };
}

/** Requests that still claim funds or an activity slot: not rejected or vetoed. */
const LIVE: ReadonlySet<RequestStatus> = new Set(['pending', 'approved', 'changes-requested']);

/** "$1,234.50" for 123450 cents in USD. */
export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);
}

/** "an agenda", "a quote": the indefinite article by the word's first letter (good enough for these names). */
const withArticle = (word: string) => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function evaluateRequest(program: MdfProgram, request: MdfRequest, prior: readonly PriorRequest[], levels?: Pick<AccessLevels, 'tiers'>): Evaluation {
  const rules = program.rules;
  const breaches: Breach[] = [];
  const money = (c: number) => formatMoney(c, program.currency);
  const tierName = (id: string | undefined) => (id === undefined ? 'no tier' : (levels?.tiers.find((t) => t.id === id)?.name ?? id));
  const typeName = (id: string) => program.activityTypes.find((t) => t.id === id)?.name ?? id;
  const tier = request.partner.tier;
  const others = prior.filter((p) => p.id !== request.id && p.partnerId === request.partner.id && LIVE.has(p.status));

  if (!program.activityTypes.some((t) => t.id === request.activityType)) {
    breaches.push({ rule: 'activity-unknown', message: `"${request.activityType}" is not an activity type of ${program.name}`, measured: request.activityType, limit: null });
  }

  const banned = tier === undefined ? undefined : rules.disallowedActivities?.[tier];
  if (banned?.includes(request.activityType)) {
    breaches.push({ rule: 'activity-not-allowed', message: `${typeName(request.activityType)} is not funded for ${tierName(tier)} partners`, measured: request.activityType, limit: null });
  }

  const quarter = quarterOf(request.startDate);
  const used = others.filter((p) => quarterOf(p.startDate) === quarter).reduce((n, p) => n + p.budgetRequested, 0);
  let limit: number | null = null;
  if (rules.maxPerQuarter) {
    limit = tier === undefined ? 0 : (rules.maxPerQuarter[tier] ?? 0);
    const total = used + request.budgetRequested;
    if (total > limit) {
      const already = used > 0 ? ` (${money(used)} already requested, ${money(request.budgetRequested)} in this request)` : '';
      breaches.push({
        rule: 'tier-quarter-limit',
        message: limit === 0 ? `${tierName(tier)} partners get no funds in ${quarter}` : `${money(total)} in ${quarter} is over the ${money(limit)} a ${tierName(tier)} partner may request per quarter${already}`,
        measured: total,
        limit,
      });
    }
  }

  if (rules.minLeadDays !== undefined) {
    const lead = daysBetween(request.submittedOn, request.startDate);
    if (lead < rules.minLeadDays) {
      breaches.push({ rule: 'lead-time', message: `The activity starts ${lead} day${Math.abs(lead) === 1 ? '' : 's'} after submission; requests need at least ${rules.minLeadDays} days' notice`, measured: lead, limit: rules.minLeadDays });
    }
  }

  const required = new Set([...(rules.requiredAttachments?.['*'] ?? []), ...(rules.requiredAttachments?.[request.activityType] ?? [])]);
  const carried = new Set(request.attachments.map((a) => a.kind));
  for (const kind of required) {
    if (!carried.has(kind)) {
      const what = kind === 'collateral' ? 'the co-branded collateral exported from Lockup' : `${withArticle(kind)} attachment`;
      breaches.push({ rule: 'attachment-missing', message: `${typeName(request.activityType)} requests need ${what}`, measured: null, limit: kind });
    }
  }

  if (rules.partnerShare) {
    const share = partnerShareOf(request);
    const { min, max } = rules.partnerShare;
    // Compared in whole basis points, so 50% of an odd number of cents is not refused for rounding.
    const bp = Math.round(share * 10_000);
    if (bp < Math.round(min * 10_000) || bp > Math.round(max * 10_000)) {
      breaches.push({
        rule: 'partner-share',
        message: `Your share of the cost is ${pct(share)}; the program needs ${min === max ? pct(min) : `${pct(min)} to ${pct(max)}`}`,
        measured: Math.round(share * 10_000) / 10_000,
        limit: `${min}..${max}`,
      });
    }
  }

  if (rules.noDuplicates) {
    const dup = others.find((p) => p.activityType === request.activityType && p.startDate <= request.endDate && request.startDate <= p.endDate);
    if (dup) {
      breaches.push({ rule: 'duplicate', message: `You already have ${withArticle(typeName(request.activityType))} request for ${dup.startDate} to ${dup.endDate} (${dup.status})`, measured: dup.id, limit: null });
    }
  }

  breaches.sort((a, b) => RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule));
  const verdict: Verdict = breaches.length > 0 ? 'auto-vetoed' : program.autoApproveUpTo !== null && request.budgetRequested <= program.autoApproveUpTo ? 'auto-approved' : 'needs-review';
  return { verdict, breaches, quarter: { id: quarter, used, limit } };
}
