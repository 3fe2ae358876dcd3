import type { BreachView, EvaluationView, PartnerRequestView, QueueItem } from '../../../core/contracts/mdf-api.ts';
import { formatMoney } from '../../../core/mdf/rules.ts';

export { formatMoney };

/**
 * Money as typed into a form, to whole cents, with no floating point on the
 * way: "1,250.50" → 125050, "1250" → 125000, "0.5" → 50. Blank → null; text
 * that is not an amount (or has more than two decimals) → an error to show.
 */
export function parseMoney(text: string): { cents: number | null; error?: string } {
  const t = text.trim().replace(/^[A-Z]{3}\s*/i, '').replace(/^[$€£¥]\s*/, '').replace(/\s/g, '');
  if (t === '') return { cents: null };
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{0,2}))?$/.exec(t);
  if (!m || (m[1] === undefined && (m[2] === undefined || m[2] === ''))) {
    if (/^[\d,]*\.\d{3,}$/.test(t)) return { cents: null, error: 'must have at most two decimals (cents)' };
    return { cents: null, error: 'must be an amount such as 1,250.50' };
  }
  const whole = (m[1] ?? '0').replace(/,/g, '');
  const fraction = (m[2] ?? '').padEnd(2, '0');
  if (whole.length > 10) return { cents: null, error: 'is far too large' };
  return { cents: Number(whole) * 100 + Number(fraction) };
}

/** A whole number typed into a form (expected leads). */
export function parseCount(text: string): { value: number | null; error?: string } {
  const t = text.trim().replace(/[,\s]/g, '');
  if (t === '') return { value: null };
  if (!/^\d{1,7}$/.test(t)) return { value: null, error: 'must be a whole number' };
  return { value: Number(t) };
}

/** The partner's share (1 − requested / total) as a percentage with one decimal, or undefined when it cannot be worked out. */
export function shareText(budget: number | null, total: number | null): string | undefined {
  if (budget === null || total === null || total <= 0) return undefined;
  const share = 1 - budget / total;
  return `${Math.round(share * 1000) / 10}%`;
}

export const pct = (fraction: number) => `${Math.round(fraction * 1000) / 10}%`;

export const VERDICT_TEXT: Record<EvaluationView['verdict'], string> = {
  'auto-vetoed': 'Would be vetoed',
  'needs-review': 'Will need review',
  'auto-approved': 'Would be approved automatically',
};

/** What an imported request's automatic verdict was, said by the reviewer's side. */
export const VERDICT_DONE: Record<EvaluationView['verdict'], string> = {
  'auto-vetoed': 'Auto-vetoed',
  'needs-review': 'Needs review',
  'auto-approved': 'Auto-approved',
};

export const REQUEST_STATUS_TEXT: Record<PartnerRequestView['status'], string> = {
  submitted: 'Submitted',
  approved: 'Approved',
  rejected: 'Rejected',
  'changes-requested': 'Changes requested',
};

export const QUEUE_STATUS_TEXT: Record<QueueItem['status'], string> = {
  'awaiting-review': 'Needs review',
  'auto-vetoed': 'Auto-vetoed',
  approved: 'Approved',
  rejected: 'Rejected',
  'changes-requested': 'Changes requested',
};

export const RULE_NAMES: Record<BreachView['rule'], string> = {
  'activity-unknown': 'Activity type',
  'activity-not-allowed': 'Activity not allowed for the tier',
  'tier-quarter-limit': 'Quarter limit',
  'lead-time': 'Lead time',
  'attachment-missing': 'Required attachment',
  'partner-share': 'Co-funding share',
  duplicate: 'Duplicate request',
};

const days = (n: number) => `${n} day${Math.abs(n) === 1 ? '' : 's'}`;

/** A share limit "0.2..0.5" as "20% to 50%". */
function shareRange(limit: string): string {
  const [min, max] = limit.split('..').map(Number);
  if (min === undefined || max === undefined || Number.isNaN(min) || Number.isNaN(max)) return limit;
  return min === max ? pct(min) : `${pct(min)} to ${pct(max)}`;
}

/** A breach's measured value and limit in words ("Measured 12 days · limit 30 days"); undefined when the rule has neither. */
export function breachFigures(b: BreachView, currency: string): { measured?: string; limit?: string } {
  const out: { measured?: string; limit?: string } = {};
  switch (b.rule) {
    case 'tier-quarter-limit':
      if (typeof b.measured === 'number') out.measured = formatMoney(b.measured, currency);
      if (typeof b.limit === 'number') out.limit = formatMoney(b.limit, currency);
      break;
    case 'lead-time':
      if (typeof b.measured === 'number') out.measured = days(b.measured);
      if (typeof b.limit === 'number') out.limit = `at least ${days(b.limit)}`;
      break;
    case 'partner-share':
      // Measured in basis points (what the rule compares), so to two decimals of a percent.
      if (typeof b.measured === 'number') out.measured = `${Math.round(b.measured * 10_000) / 100}%`;
      if (typeof b.limit === 'string') out.limit = shareRange(b.limit);
      break;
    case 'attachment-missing':
      out.measured = 'none';
      if (b.limit !== null) out.limit = `${String(b.limit)} attachment`;
      break;
    default:
      break;
  }
  return out;
}

/** "15 Feb 2027" from a calendar date, read as a date (no time zone shift). */
export function dateText(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function dateRange(start: string, end: string): string {
  return start === end ? dateText(start) : `${dateText(start)} – ${dateText(end)}`;
}

export const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const sizeText = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

export const KIND_TEXT: Record<'collateral' | 'agenda' | 'quote' | 'other', string> = {
  collateral: 'Collateral',
  agenda: 'Agenda',
  quote: 'Quote',
  other: 'Other',
};
