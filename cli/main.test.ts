// Pure pieces of the CLI (exit codes, formatting); the commands themselves are
// tested by spawning the built binary (cli*.test.ts).
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../core/errors.ts';
import type { Finding } from '../core/rules/finding.ts';
import type { BatchFailure } from '../backend/services/batch.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { formatDuration, formatFindings, summarizeFindings } from './format.ts';
import { batchExitCode } from './main.ts';

describe('exitCodeFor', () => {
  it('maps every error code to a documented exit code', () => {
    for (const code of ERROR_CODES) expect([EXIT.internal, EXIT.usage, EXIT.compliance, EXIT.badInput]).toContain(exitCodeFor(code));
  });

  it.each([
    ['usage', 2],
    ['field-unknown', 2],
    ['compliance-errors', 3],
    ['internal', 1],
    ['catalogue-migration-order', 1],
    ['template-unknown', 4],
    ['profile-invalid', 4],
    ['image-truncated', 4],
    ['catalogue-newer', 4],
    ['output-unwritable', 4],
    ['something-new', 4],
  ])('%s → %d', (code, exit) => {
    expect(exitCodeFor(code)).toBe(exit);
  });
});

describe('batchExitCode', () => {
  const f = (code: string): BatchFailure => ({ line: 2, id: 'x', code, message: 'm' });

  it('0 when every row was exported', () => {
    expect(batchExitCode([])).toBe(0);
  });

  it('4 when any row had bad input, whatever else failed', () => {
    for (const code of ['csv-invalid', 'profile-invalid', 'file-unreadable', 'image-truncated', 'image-decode-timeout', 'svg-refused', 'pdf-logo-invalid']) {
      expect(batchExitCode([f('compliance-errors'), f(code), f('internal')]), code).toBe(4);
    }
  });

  it('3 when only compliance errors', () => {
    expect(batchExitCode([f('compliance-errors'), f('compliance-errors')])).toBe(3);
  });

  it('1 when a worker failed and nothing was bad input', () => {
    expect(batchExitCode([f('compliance-errors'), f('internal')])).toBe(1);
    expect(batchExitCode([f('internal')])).toBe(1);
  });

  it('3 for other failures (neither bad input nor internal)', () => {
    expect(batchExitCode([f('output-unwritable')])).toBe(3);
  });
});

describe('format', () => {
  const finding = (over: Partial<Finding>): Finding => ({ code: 'image-resolution-low', severity: 'error', zoneId: 'partner-logo', message: 'Low', measured: 23, required: 96, unit: 'ppi', ...over });

  it('formats measured and required with units and the comparison', () => {
    expect(formatFindings([finding({})])).toEqual(['  error    image-resolution-low     [partner-logo] Low (measured 23 ppi, required ≥ 96 ppi)']);
    expect(formatFindings([finding({ code: 'text-too-long', severity: 'warning', zoneId: null, measured: 90, required: 80, unit: 'characters' })])).toEqual(['  warning  text-too-long            Low (measured 90 characters, required ≤ 80 characters)']);
    expect(formatFindings([finding({ code: 'text-contrast-low', measured: 2.1, required: 4.5, unit: ':1' })])[0]).toMatch(/\(measured 2\.1:1, required ≥ 4\.5:1\)$/);
    expect(formatFindings([finding({ measured: null, required: null })])[0]).toMatch(/Low$/);
    expect(formatFindings([finding({ code: 'access-denied', zoneId: null, measured: 'silver', required: 'Gold partners only', unit: undefined })])[0]).toMatch(/Low \(measured silver, required Gold partners only\)$/);
  });

  it('summarizes', () => {
    expect(summarizeFindings([])).toBe('No findings: compliant.');
    expect(summarizeFindings([finding({})])).toBe('1 error, 0 warnings: export refused until the errors are fixed.');
    expect(summarizeFindings([finding({ severity: 'warning' }), finding({ severity: 'warning' })])).toBe('0 errors, 2 warnings: export allowed.');
  });

  it('formats durations', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(150_000)).toBe('2 min 30 s');
  });
});
