/** Compliance finding codes. Stable identifiers; wording lives in `message`. */
export const FINDING_CODES = [
  'access-denied',
  'logo-too-small',
  'logo-clear-space',
  'logo-missing',
  'logo-format-not-allowed',
  'image-resolution-low',
  'text-contrast-low',
  'text-contrast-unverified',
  'text-overflow',
  'text-truncated',
  'text-too-long',
  'missing-glyphs',
  'field-required',
  'field-not-editable',
  'color-not-in-palette',
  'color-not-allowed',
  'font-not-allowed',
  'font-size-out-of-range',
  'asset-missing',
  'block-too-tall',
  'block-area-overflow',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = 'error' | 'warning';

/**
 * One result of a compliance check. `measured` and `required` are numbers in
 * `unit` where the rule measures something, so tools can compare them.
 */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  zoneId: string | null;
  message: string;
  measured: number | string | null;
  required: number | string | null;
  unit?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Errors first, then by zone, then by code, so reports are stable. */
export function sortFindings(findings: Finding[]): Finding[] {
  const rank = (f: Finding) => (f.severity === 'error' ? 0 : 1);
  return findings.sort((a, b) => rank(a) - rank(b) || (a.zoneId ?? '').localeCompare(b.zoneId ?? '') || a.code.localeCompare(b.code));
}
