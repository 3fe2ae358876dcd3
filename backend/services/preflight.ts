import type { PreflightReport } from '../../core/rules/preflight.ts';
import type { Finding } from '../../core/rules/finding.ts';
import type { Catalogue } from '../catalogue.ts';
import type { ExportEngine } from './engine.ts';
import { checkDocument, type CheckRequest, type CheckResult } from './export.ts';
import { PRINT_OUTPUT_CONDITION, preflightPlan } from './print-profile.ts';

export interface PreflightResult {
  check: CheckResult;
  /** The brand's compliance findings for the print profile. */
  compliance: Finding[];
  preflight: PreflightReport;
  /** The output intent every print export carries. */
  outputIntent: { identifier: string; condition: string; info: string };
  /** No error in either list: a print export would be written. */
  ok: boolean;
}

/**
 * The report shown before a print export: compliance for the print profile
 * and the print preflight of the same composition. An image the compliance
 * rule already refuses is not reported twice.
 */
export async function preflightDocument(catalogue: Catalogue, engine: ExportEngine, req: Omit<CheckRequest, 'output'>): Promise<PreflightResult> {
  const check = await checkDocument(catalogue, engine, { ...req, output: 'print' });
  const report = preflightPlan(check.composition.plan, check.brand);
  const lowRes = new Set(check.findings.filter((f) => f.code === 'image-resolution-low' && f.severity === 'error').map((f) => f.zoneId));
  const findings = report.findings.filter((f) => !(f.code === 'print-image-resolution' && lowRes.has(f.zoneId)));
  const { identifier, condition, info } = PRINT_OUTPUT_CONDITION;
  return {
    check,
    compliance: check.findings,
    preflight: { ...report, findings, ok: !findings.some((f) => f.severity === 'error') },
    outputIntent: { identifier, condition, info },
    ok: check.ok && report.ok,
  };
}
