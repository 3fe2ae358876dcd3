import fs from 'node:fs';
import path from 'node:path';
import type { RenderPlan } from '../../core/compose/plan.ts';
import type { Brand } from '../../core/model/index.ts';
import type { PrintOutput } from '../../core/pdf/print-output.ts';
import { preflight, type PreflightReport } from '../../core/rules/preflight.ts';
import { packageRoot } from '../content/package-root.ts';

/** The shipped CMYK output profile (assets/icc/README.md, docs/decisions/0014-print-output.md). */
export const PRINT_ICC_FILE = path.join('assets', 'icc', 'artifex-cmyk-swop.icc');

/**
 * The output intent of every print export. The profile is Ghostscript's
 * default CMYK profile, a SWOP (US web coated) approximation; it is not a
 * registered characterisation, so the identifier is "Custom" and the
 * profile itself is embedded.
 */
export const PRINT_OUTPUT_CONDITION = {
  identifier: 'Custom',
  condition: 'US web coated (SWOP) approximation: Artifex CMYK SWOP Profile',
  info: 'Artifex CMYK SWOP Profile (Ghostscript default_cmyk.icc, AGPL-3.0-or-later)',
} as const;

let cached: PrintOutput | undefined;

/** What the PDF writer needs for a print export; the ICC profile is read once per process. */
export function printOutput(): PrintOutput {
  if (!cached) {
    const profile = new Uint8Array(fs.readFileSync(path.join(packageRoot(), PRINT_ICC_FILE)));
    cached = { outputIntent: { ...PRINT_OUTPUT_CONDITION, profile } };
  }
  return cached;
}

/** Print preflight of a plan with the brand's print resolution rule. */
export function preflightPlan(plan: RenderPlan, brand: Brand): PreflightReport {
  const rule = brand.rules.imageResolution.print;
  return preflight(plan, { ppiError: rule.error, ...(rule.warning !== undefined ? { ppiWarning: rule.warning } : {}) });
}
