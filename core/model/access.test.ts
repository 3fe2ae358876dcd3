import { describe, expect, it } from 'vitest';
import { brandInput } from '../../test/core-support/model.ts';
import { AccessLevels, evaluateAccess, policyNamesCertification, type PartnerAttributes } from './access.ts';

const levels = AccessLevels.parse(brandInput().access);

const ok = { allowed: true, reasons: [] };
const tier = (t: string | undefined): PartnerAttributes => ({ tier: t });

describe('evaluateAccess: tiers', () => {
  it('no policy allows everyone', () => {
    expect(evaluateAccess(undefined, {}, levels)).toEqual(ok);
    expect(evaluateAccess({}, {}, levels)).toEqual(ok);
  });

  it('orders Registered < Silver < Gold', () => {
    const silverPlus = { minTier: 'silver' };
    expect(evaluateAccess(silverPlus, tier('registered'), levels)).toEqual({ allowed: false, reasons: ['Silver tier or higher'] });
    expect(evaluateAccess(silverPlus, tier('silver'), levels)).toEqual(ok);
    expect(evaluateAccess(silverPlus, tier('gold'), levels)).toEqual(ok);
  });

  it('the top tier reads "<name> partners only"', () => {
    expect(evaluateAccess({ minTier: 'gold' }, tier('silver'), levels)).toEqual({ allowed: false, reasons: ['Gold partners only'] });
    expect(evaluateAccess({ minTier: 'gold' }, tier('gold'), levels)).toEqual(ok);
  });

  it('the lowest tier admits every known tier but not a partner without one', () => {
    for (const t of ['registered', 'silver', 'gold']) expect(evaluateAccess({ minTier: 'registered' }, tier(t), levels).allowed).toBe(true);
    expect(evaluateAccess({ minTier: 'registered' }, tier(undefined), levels)).toEqual({ allowed: false, reasons: ['Registered tier or higher'] });
  });

  it('an unknown partner tier never passes', () => {
    expect(evaluateAccess({ minTier: 'registered' }, tier('platinum'), levels).allowed).toBe(false);
  });

  it('a policy naming an unknown tier admits nobody and names the id', () => {
    const d = evaluateAccess({ minTier: 'diamond' }, tier('gold'), levels);
    expect(d).toEqual({ allowed: false, reasons: ['diamond tier or higher'] });
  });
});

describe('evaluateAccess: types, regions, certifications', () => {
  it('partner types', () => {
    const p = { partnerTypes: ['reseller', 'msp'] };
    expect(evaluateAccess(p, { type: 'msp' }, levels)).toEqual(ok);
    expect(evaluateAccess(p, { type: 'referral' }, levels)).toEqual({ allowed: false, reasons: ['Partner types: Reseller, Managed service provider'] });
    expect(evaluateAccess(p, {}, levels).allowed).toBe(false);
  });

  it('regions, with unknown ids shown as given', () => {
    const p = { regions: ['emea', 'mars'] };
    expect(evaluateAccess(p, { region: 'emea' }, levels)).toEqual(ok);
    expect(evaluateAccess(p, { region: 'na' }, levels)).toEqual({ allowed: false, reasons: ['Regions: EMEA, mars'] });
  });

  it('certifications: any one of them grants access', () => {
    const p = { certifications: ['cert-a', 'cert-b'] };
    expect(evaluateAccess(p, { certifications: ['cert-b'] }, levels)).toEqual(ok);
    expect(evaluateAccess(p, { certifications: ['other', 'cert-a'] }, levels)).toEqual(ok);
    expect(evaluateAccess(p, { certifications: [] }, levels)).toEqual({ allowed: false, reasons: ['Requires Certified A or Certified B'] });
    expect(evaluateAccess(p, {}, levels).allowed).toBe(false);
  });

  it('every failed constraint contributes a reason, in order', () => {
    const d = evaluateAccess({ minTier: 'gold', partnerTypes: ['reseller'], regions: ['na'], certifications: ['cert-a'] }, { tier: 'silver', type: 'msp', region: 'emea' }, levels);
    expect(d).toEqual({
      allowed: false,
      reasons: ['Gold partners only', 'Partner types: Reseller', 'Regions: North America', 'Requires Certified A'],
    });
  });

  it('all constraints must hold together', () => {
    const policy = { minTier: 'silver', regions: ['emea'] };
    expect(evaluateAccess(policy, { tier: 'gold', region: 'emea' }, levels)).toEqual(ok);
    expect(evaluateAccess(policy, { tier: 'gold', region: 'na' }, levels).reasons).toEqual(['Regions: EMEA']);
  });
});

describe('evaluateAccess: the alternative certification ("Gold tier, or Certified A")', () => {
  const policy = { minTier: 'gold', orCertified: ['cert-a'] };
  it('either route lets the partner in', () => {
    expect(evaluateAccess(policy, { tier: 'gold' }, levels)).toEqual(ok);
    expect(evaluateAccess(policy, { tier: 'silver', certifications: ['cert-a'] }, levels)).toEqual(ok);
    expect(evaluateAccess(policy, { certifications: ['cert-a'] }, levels)).toEqual(ok);
  });
  it('neither route: the reasons say both', () => {
    expect(evaluateAccess(policy, { tier: 'silver', certifications: ['cert-b'] }, levels)).toEqual({ allowed: false, reasons: ['Gold partners only', 'or become Certified A'] });
  });
  it('the alternative waives every other constraint, certifications included', () => {
    const p = { regions: ['na'], certifications: ['cert-b'], orCertified: ['cert-a'] };
    expect(evaluateAccess(p, { region: 'emea', certifications: ['cert-a'] }, levels)).toEqual(ok);
    expect(evaluateAccess(p, { region: 'na', certifications: ['cert-b'] }, levels)).toEqual(ok);
    expect(evaluateAccess(p, { region: 'na' }, levels).reasons).toEqual(['Requires Certified B', 'or become Certified A']);
  });
  it('policyNamesCertification sees both lists', () => {
    expect(policyNamesCertification(policy, 'cert-a')).toBe(true);
    expect(policyNamesCertification({ certifications: ['cert-b'] }, 'cert-b')).toBe(true);
    expect(policyNamesCertification(policy, 'cert-b')).toBe(false);
    expect(policyNamesCertification(undefined, 'cert-a')).toBe(false);
  });
});
