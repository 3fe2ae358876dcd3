import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { daysBetween, parseMdfProgram, parseMdfRequest, partnerShareOf, quarterOf, type MdfProgram, type MdfProgramInput, type MdfRequest, type MdfRequestInput } from './model.ts';
import { evaluateRequest, formatMoney, RULE_IDS, type PriorRequest } from './rules.ts';
import { mdfRequestInput } from './test-support/fixtures.ts';

const levels = { tiers: [{ id: 'registered', name: 'Registered' }, { id: 'silver', name: 'Silver' }, { id: 'gold', name: 'Gold' }] };

const programInput = (rules: MdfProgramInput['rules'] = {}, autoApproveUpTo: number | null = null): MdfProgramInput => ({
  format: 'lockup.mdf-program',
  formatVersion: 1,
  id: 'nimbus-mdf',
  version: 1,
  brand: 'nimbus',
  name: 'Nimbus MDF 2027',
  currency: 'USD',
  activityTypes: [
    { id: 'event', name: 'Event' },
    { id: 'webinar', name: 'Webinar' },
    { id: 'paid-media', name: 'Paid media' },
  ],
  rules,
  autoApproveUpTo,
});
const program = (rules: MdfProgramInput['rules'] = {}, autoApproveUpTo: number | null = null): MdfProgram => parseMdfProgram(programInput(rules, autoApproveUpTo));

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const requestInput = (patch: Partial<MdfRequestInput> = {}): MdfRequestInput => mdfRequestInput({ id: uuid(), ...patch });
const request = (patch: Partial<MdfRequestInput> = {}): MdfRequest => parseMdfRequest(requestInput(patch));
const prior = (r: MdfRequest, status: PriorRequest['status'] = 'approved'): PriorRequest => ({ id: r.id, partnerId: r.partner.id, activityType: r.activityType, startDate: r.startDate, endDate: r.endDate, budgetRequested: r.budgetRequested, status });
const rules = (e: ReturnType<typeof evaluateRequest>) => e.breaches.map((b) => b.rule);

describe('the program and request models', () => {
  it('a program naming an unknown activity type in its rules is refused with the path', () => {
    expect(() => parseMdfProgram(programInput({ disallowedActivities: { registered: ['golf'] } }))).toThrow(/rules\.disallowedActivities\.registered\[0\]: "golf" is not one of the program's activity types/);
    expect(() => parseMdfProgram(programInput({ requiredAttachments: { golf: ['agenda'] } }))).toThrow(/"golf" is not one of/);
    expect(() => parseMdfProgram(programInput({ partnerShare: { min: 0.6, max: 0.4 } }))).toThrow(/min must not be above max/);
    try {
      parseMdfProgram({ ...programInput(), currency: 'usd' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LockupError);
      expect((err as LockupError).code).toBe('mdf-invalid');
    }
  });

  it('a request must be internally consistent: dates, amounts in whole cents, budget within the cost', () => {
    expect(() => request({ endDate: '2027-02-14' })).toThrow(/endDate: ends before it starts/);
    expect(() => request({ startDate: '2027-02-30', endDate: '2027-03-01' })).toThrow(/startDate: is not a calendar date/);
    expect(() => request({ budgetRequested: 100.5 })).toThrow(/whole number of cents/);
    expect(() => request({ budgetRequested: 600_000 })).toThrow(/budgetRequested: is more than the activity costs/);
    expect(() => request({ totalCost: 0, budgetRequested: 0 })).toThrow(/totalCost: must be more than 0/);
  });

  it('quarters, days and shares', () => {
    expect(['2027-01-01', '2027-03-31', '2027-04-01', '2027-12-31'].map(quarterOf)).toEqual(['2027-Q1', '2027-Q1', '2027-Q2', '2027-Q4']);
    expect(daysBetween('2027-01-10', '2027-02-15')).toBe(36);
    expect(daysBetween('2027-03-27', '2027-03-29')).toBe(2);
    expect(daysBetween('2027-02-15', '2027-02-10')).toBe(-5);
    expect(partnerShareOf({ budgetRequested: 250_000, totalCost: 500_000 })).toBe(0.5);
    expect(formatMoney(123_450, 'USD')).toBe('$1,234.50');
  });
});

describe('each rule on its own, at its boundary', () => {
  it('no rules: a request needs review, or is approved up to the threshold', () => {
    expect(evaluateRequest(program(), request(), [])).toMatchObject({ verdict: 'needs-review', breaches: [] });
    expect(evaluateRequest(program({}, 250_000), request(), []).verdict).toBe('auto-approved');
    expect(evaluateRequest(program({}, 249_999), request(), []).verdict).toBe('needs-review');
  });

  it('maximum per tier per quarter: exactly the limit passes, one cent over is vetoed, earlier live requests in the quarter count', () => {
    const p = program({ maxPerQuarter: { silver: 500_000, gold: 2_000_000 } });
    const first = request({ budgetRequested: 250_000 });
    expect(evaluateRequest(p, request({ budgetRequested: 500_000, totalCost: 1_000_000 }), [], levels).breaches).toEqual([]);
    const over = evaluateRequest(p, request({ budgetRequested: 500_001, totalCost: 1_000_002 }), [], levels);
    expect(over.breaches).toEqual([{ rule: 'tier-quarter-limit', message: '$5,000.01 in 2027-Q1 is over the $5,000.00 a Silver partner may request per quarter', measured: 500_001, limit: 500_000 }]);
    // 2500 already approved in Q1: 2500 more is exactly the limit, 2500.01 is over.
    expect(evaluateRequest(p, request({ budgetRequested: 250_000 }), [prior(first)], levels).breaches).toEqual([]);
    const second = evaluateRequest(p, request({ budgetRequested: 250_001, totalCost: 500_002 }), [prior(first)], levels);
    expect(second.quarter).toEqual({ id: '2027-Q1', used: 250_000, limit: 500_000 });
    expect(second.breaches[0]!.message).toContain('($2,500.00 already requested, $2,500.01 in this request)');
  });

  it('maximum per quarter: rejected and vetoed requests, other quarters and other partners do not count; the request itself is not counted twice', () => {
    const p = program({ maxPerQuarter: { silver: 500_000 } });
    const big = request({ budgetRequested: 400_000, totalCost: 800_000 });
    const r = request({ budgetRequested: 400_000, totalCost: 800_000 });
    expect(rules(evaluateRequest(p, r, [prior(big, 'rejected'), prior(big, 'vetoed')]))).toEqual([]);
    expect(rules(evaluateRequest(p, r, [prior(request({ startDate: '2027-04-01', endDate: '2027-04-01', budgetRequested: 400_000, totalCost: 800_000 }))]))).toEqual([]);
    expect(rules(evaluateRequest(p, r, [{ ...prior(big), partnerId: 'summit-msp' }]))).toEqual([]);
    expect(rules(evaluateRequest(p, r, [prior(r, 'pending')]))).toEqual([]);
    expect(rules(evaluateRequest(p, r, [prior(big, 'pending')]))).toEqual(['tier-quarter-limit']);
    expect(rules(evaluateRequest(p, r, [prior(big, 'changes-requested')]))).toEqual(['tier-quarter-limit']);
  });

  it('a tier the limits do not list, or a partner with no tier, gets no funds', () => {
    const p = program({ maxPerQuarter: { gold: 2_000_000 } });
    expect(evaluateRequest(p, request(), [], levels).breaches[0]).toMatchObject({ rule: 'tier-quarter-limit', message: 'Silver partners get no funds in 2027-Q1', limit: 0 });
    expect(evaluateRequest(p, request({ partner: { id: 'x', name: 'X' } }), [], levels).breaches[0]!.message).toBe('no tier partners get no funds in 2027-Q1');
  });

  it('activity types not allowed for a tier', () => {
    const p = program({ disallowedActivities: { registered: ['paid-media', 'event'] } });
    expect(evaluateRequest(p, request({ partner: { id: 'r', name: 'R', tier: 'registered' } }), [], levels).breaches).toEqual([{ rule: 'activity-not-allowed', message: 'Event is not funded for Registered partners', measured: 'event', limit: null }]);
    expect(rules(evaluateRequest(p, request({ partner: { id: 'r', name: 'R', tier: 'registered' }, activityType: 'webinar' }), []))).toEqual([]);
    expect(rules(evaluateRequest(p, request(), []))).toEqual([]);
  });

  it('an activity type the program does not have', () => {
    expect(evaluateRequest(program(), request({ activityType: 'golf' }), []).breaches).toEqual([{ rule: 'activity-unknown', message: '"golf" is not an activity type of Nimbus MDF 2027', measured: 'golf', limit: null }]);
  });

  it('minimum lead time: exactly the days passes, one day less is vetoed; an activity in the past is negative lead', () => {
    const p = program({ minLeadDays: 30 });
    expect(rules(evaluateRequest(p, request({ submittedOn: '2027-01-16' }), []))).toEqual([]);
    expect(evaluateRequest(p, request({ submittedOn: '2027-01-17' }), []).breaches).toEqual([{ rule: 'lead-time', message: "The activity starts 29 days after submission; requests need at least 30 days' notice", measured: 29, limit: 30 }]);
    expect(evaluateRequest(p, request({ submittedOn: '2027-02-16' }), []).breaches[0]).toMatchObject({ measured: -1, message: expect.stringMatching(/starts -1 day after/) });
  });

  it('required attachments, for every type ("*") and per type; each missing kind is a breach', () => {
    const p = program({ requiredAttachments: { '*': ['collateral'], event: ['agenda'] } });
    expect(rules(evaluateRequest(p, request({ attachments: [] }), []))).toEqual(['attachment-missing', 'attachment-missing']);
    expect(evaluateRequest(p, request(), []).breaches).toEqual([{ rule: 'attachment-missing', message: 'Event requests need an agenda attachment', measured: null, limit: 'agenda' }]);
    expect(rules(evaluateRequest(p, request({ activityType: 'webinar' }), []))).toEqual([]);
    expect(evaluateRequest(p, request({ activityType: 'webinar', attachments: [] }), []).breaches[0]!.message).toBe('Webinar requests need the co-branded collateral exported from Lockup');
  });

  it('co-funding share: inclusive bounds, compared in basis points', () => {
    const p = program({ partnerShare: { min: 0.5, max: 0.75 } });
    expect(rules(evaluateRequest(p, request({ budgetRequested: 250_000, totalCost: 500_000 }), []))).toEqual([]);
    expect(rules(evaluateRequest(p, request({ budgetRequested: 125_000, totalCost: 500_000 }), []))).toEqual([]);
    // 50% of an odd number of cents: 1 − 250001/500001 is a hair under 0.5 and still passes.
    expect(rules(evaluateRequest(p, request({ budgetRequested: 250_001, totalCost: 500_001 }), []))).toEqual([]);
    expect(evaluateRequest(p, request({ budgetRequested: 300_000, totalCost: 500_000 }), []).breaches).toEqual([{ rule: 'partner-share', message: 'Your share of the cost is 40%; the program needs 50% to 75%', measured: 0.4, limit: '0.5..0.75' }]);
    expect(rules(evaluateRequest(p, request({ budgetRequested: 100_000, totalCost: 500_000 }), []))).toEqual(['partner-share']);
  });

  it('duplicates: a live request of the same partner and type with overlapping dates', () => {
    const p = program({ noDuplicates: true });
    const earlier = request({ startDate: '2027-02-10', endDate: '2027-02-15' });
    expect(evaluateRequest(p, request(), [prior(earlier, 'pending')]).breaches).toEqual([
      { rule: 'duplicate', message: `You already have an Event request for 2027-02-10 to 2027-02-15 (pending)`, measured: earlier.id, limit: null },
    ]);
    expect(rules(evaluateRequest(p, request({ startDate: '2027-02-16', endDate: '2027-02-16' }), [prior(earlier)]))).toEqual([]);
    expect(rules(evaluateRequest(p, request({ activityType: 'webinar' }), [prior(earlier)]))).toEqual([]);
    expect(rules(evaluateRequest(p, request(), [prior(earlier, 'rejected')]))).toEqual([]);
    // Re-evaluating a request against a history that holds itself is not a duplicate of itself.
    const self = request();
    expect(rules(evaluateRequest(p, self, [prior(self, 'pending')]))).toEqual([]);
  });
});

describe('combinations', () => {
  const all = program(
    { maxPerQuarter: { silver: 500_000, gold: 2_000_000 }, disallowedActivities: { silver: ['paid-media'] }, minLeadDays: 30, requiredAttachments: { '*': ['collateral'] }, partnerShare: { min: 0.5, max: 1 }, noDuplicates: true },
    300_000,
  );

  it('every broken rule is reported, in the fixed order, and any breach vetoes', () => {
    const earlier = request({ activityType: 'paid-media', budgetRequested: 300_000, totalCost: 600_000 });
    const r = request({ activityType: 'paid-media', budgetRequested: 400_000, totalCost: 500_000, attachments: [], submittedOn: '2027-02-01' });
    const e = evaluateRequest(all, r, [prior(earlier, 'pending')], levels);
    expect(e.verdict).toBe('auto-vetoed');
    expect(rules(e)).toEqual(['activity-not-allowed', 'tier-quarter-limit', 'lead-time', 'attachment-missing', 'partner-share', 'duplicate']);
  });

  it('a clean request under the threshold is approved; over it, reviewed; the Gold limit differs from the Silver one', () => {
    expect(evaluateRequest(all, request(), [], levels).verdict).toBe('auto-approved');
    expect(evaluateRequest(all, request({ budgetRequested: 400_000, totalCost: 800_000 }), [], levels).verdict).toBe('needs-review');
    expect(evaluateRequest(all, request({ budgetRequested: 600_000, totalCost: 1_200_000 }), [], levels).verdict).toBe('auto-vetoed');
    expect(evaluateRequest(all, request({ partner: { id: 'summit-msp', name: 'Summit', tier: 'gold' }, budgetRequested: 600_000, totalCost: 1_200_000 }), [], levels).verdict).toBe('needs-review');
  });

  it('property: the verdict is vetoed exactly when there is a breach; breaches are in rule order, each rule at most once except attachments; the order of the history does not matter', () => {
    const statuses = ['pending', 'approved', 'rejected', 'vetoed', 'changes-requested'] as const;
    const day = fc.integer({ min: 0, max: 400 }).map((d) => new Date(Date.UTC(2027, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    const req = fc.record({ type: fc.constantFrom('event', 'webinar', 'paid-media', 'golf'), tier: fc.constantFrom('registered', 'silver', 'gold', undefined), start: day, len: fc.integer({ min: 0, max: 5 }), budget: fc.integer({ min: 0, max: 800_000 }), extra: fc.integer({ min: 0, max: 800_000 }), submitted: day, attach: fc.boolean() });
    type Gen = { type: string; tier: string | undefined; start: string; len: number; budget: number; extra: number; submitted: string; attach: boolean };
    const build = (x: Gen) => {
      const end = new Date(Date.parse(`${x.start}T00:00:00Z`) + x.len * 86_400_000).toISOString().slice(0, 10);
      return request({ activityType: x.type, partner: { id: 'harbor-it', name: 'Harbor IT', ...(x.tier ? { tier: x.tier } : {}) }, startDate: x.start, endDate: end, budgetRequested: x.budget, totalCost: Math.max(1, x.budget + x.extra), submittedOn: x.submitted, attachments: x.attach ? requestInput().attachments! : [] });
    };
    fc.assert(
      fc.property(req, fc.array(fc.tuple(req, fc.constantFrom(...statuses)), { maxLength: 6 }), (x, history) => {
        const r = build(x);
        const hist = history.map(([h, s]) => prior(build(h), s));
        const e = evaluateRequest(all, r, hist, levels);
        expect(e.verdict === 'auto-vetoed').toBe(e.breaches.length > 0);
        const order = e.breaches.map((b) => RULE_IDS.indexOf(b.rule));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        for (const id of RULE_IDS) if (id !== 'attachment-missing') expect(e.breaches.filter((b) => b.rule === id).length).toBeLessThanOrEqual(1);
        expect(evaluateRequest(all, r, [...hist].reverse(), levels).breaches.map((b) => b.rule)).toEqual(e.breaches.map((b) => b.rule));
      }),
      { numRuns: 300 },
    );
  });
});
