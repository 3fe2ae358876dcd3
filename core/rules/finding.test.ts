import { describe, expect, it } from 'vitest';
import { FINDING_CODES, hasErrors, sortFindings, type Finding } from './finding.ts';

const f = (severity: Finding['severity'], zoneId: string | null, code: Finding['code']): Finding => ({ code, severity, zoneId, message: '', measured: null, required: null });

describe('findings', () => {
  it('hasErrors', () => {
    expect(hasErrors([])).toBe(false);
    expect(hasErrors([f('warning', 'a', 'text-truncated')])).toBe(false);
    expect(hasErrors([f('warning', 'a', 'text-truncated'), f('error', null, 'access-denied')])).toBe(true);
  });

  it('sortFindings: errors first, then zone (global findings first), then code', () => {
    const sorted = sortFindings([
      f('warning', 'a', 'text-truncated'),
      f('error', 'b', 'logo-too-small'),
      f('error', 'b', 'image-resolution-low'),
      f('error', null, 'access-denied'),
      f('error', 'a', 'text-overflow'),
      f('warning', null, 'text-contrast-unverified'),
    ]);
    expect(sorted.map((x) => `${x.severity}:${x.zoneId}:${x.code}`)).toEqual([
      'error:null:access-denied',
      'error:a:text-overflow',
      'error:b:image-resolution-low',
      'error:b:logo-too-small',
      'warning:null:text-contrast-unverified',
      'warning:a:text-truncated',
    ]);
  });

  it('codes are unique kebab-case identifiers', () => {
    expect(new Set(FINDING_CODES).size).toBe(FINDING_CODES.length);
    for (const c of FINDING_CODES) expect(c).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
