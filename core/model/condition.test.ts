import { describe, expect, it } from 'vitest';
import { Condition, evaluateCondition } from './condition.ts';

const attrs: Record<string, string> = { tier: 'gold', region: 'emea', distributor: '', 'field:phone': '555', 'field:blank': '   ' };
const read = (a: string) => attrs[a];
const ev = (c: Condition) => evaluateCondition(c, read);

describe('evaluateCondition', () => {
  it('present / absent', () => {
    expect(ev({ present: 'tier' })).toBe(true);
    expect(ev({ absent: 'tier' })).toBe(false);
    expect(ev({ present: 'type' })).toBe(false);
    expect(ev({ absent: 'type' })).toBe(true);
  });

  it('empty and whitespace-only strings count as absent', () => {
    expect(ev({ present: 'distributor' })).toBe(false);
    expect(ev({ absent: 'distributor' })).toBe(true);
    expect(ev({ present: 'field:blank' })).toBe(false);
    expect(ev({ equals: { attr: 'distributor', value: '' } })).toBe(false);
  });

  it('equals / in', () => {
    expect(ev({ equals: { attr: 'tier', value: 'gold' } })).toBe(true);
    expect(ev({ equals: { attr: 'tier', value: 'Gold' } })).toBe(false);
    expect(ev({ in: { attr: 'region', values: ['na', 'emea'] } })).toBe(true);
    expect(ev({ in: { attr: 'region', values: ['na'] } })).toBe(false);
    expect(ev({ in: { attr: 'type', values: ['x'] } })).toBe(false);
  });

  it('field:<key> reads field values', () => {
    expect(ev({ present: 'field:phone' })).toBe(true);
    expect(ev({ equals: { attr: 'field:phone', value: '555' } })).toBe(true);
    expect(ev({ present: 'field:email' })).toBe(false);
  });

  it('all / any / not, nested', () => {
    expect(ev({ all: [{ present: 'tier' }, { present: 'region' }] })).toBe(true);
    expect(ev({ all: [{ present: 'tier' }, { present: 'distributor' }] })).toBe(false);
    expect(ev({ any: [{ present: 'distributor' }, { equals: { attr: 'region', value: 'emea' } }] })).toBe(true);
    expect(ev({ any: [{ present: 'distributor' }, { present: 'type' }] })).toBe(false);
    expect(ev({ not: { present: 'distributor' } })).toBe(true);
    expect(ev({ not: { not: { present: 'tier' } } })).toBe(true);
    expect(ev({ all: [{ not: { absent: 'tier' } }, { any: [{ in: { attr: 'tier', values: ['silver', 'gold'] } }] }] })).toBe(true);
  });
});

describe('Condition schema', () => {
  it('accepts partner attributes and field:<key>', () => {
    for (const c of [{ present: 'tier' }, { absent: 'distributor' }, { equals: { attr: 'field:headline', value: 'x' } }, { not: { any: [{ present: 'region' }] } }]) {
      expect(Condition.safeParse(c).success).toBe(true);
    }
  });

  it('refuses unknown attributes, empty lists and extra keys', () => {
    for (const c of [{ present: 'shoe' }, { present: 'field:Bad' }, { all: [] }, { in: { attr: 'tier', values: [] } }, { present: 'tier', absent: 'tier' }, { maybe: 'tier' }]) {
      expect(Condition.safeParse(c).success, JSON.stringify(c)).toBe(false);
    }
  });
});
