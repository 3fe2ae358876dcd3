import type { Finding } from '../core/rules/finding.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function measuredText(f: Finding): string {
  if (f.measured === null && f.required === null) return '';
  const unit = f.unit === undefined ? '' : f.unit === ':1' ? ':1' : ` ${f.unit}`;
  const parts: string[] = [];
  if (f.measured !== null && f.measured !== '') parts.push(`measured ${f.measured}${typeof f.measured === 'number' ? unit : ''}`);
  if (f.required !== null) parts.push(`required ${typeof f.required === 'number' ? (f.code === 'text-too-long' ? '≤ ' : '≥ ') : ''}${f.required}${typeof f.required === 'number' ? unit : ''}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** Findings as aligned lines for a terminal. */
export function formatFindings(findings: readonly Finding[]): string[] {
  return findings.map((f) => {
    const sev = f.severity === 'error' ? 'error  ' : 'warning';
    const zone = f.zoneId ? `[${f.zoneId}] ` : '';
    return `  ${sev}  ${f.code.padEnd(24)} ${zone}${f.message}${measuredText(f)}`;
  });
}

export function summarizeFindings(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (findings.length === 0) return 'No findings: compliant.';
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${errors > 0 ? ': export refused until the errors are fixed.' : ': export allowed.'}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return s < 90 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
