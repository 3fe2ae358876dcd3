import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import type { Composition, DistributorLayer, OutputProfile } from '../../core/compose/compose.ts';
import type { Brand, PartnerDocument, PartnerProfile, Template } from '../../core/model/index.ts';
import { hasErrors, type Finding } from '../../core/rules/finding.ts';
import type { Catalogue } from '../catalogue.ts';
import { distributorLayerOf } from '../packs/distributor-layer.ts';
import { writeFileAtomic } from '../util/files.ts';
import { sha256Hex } from '../util/hash.ts';
import { ExportEngine, inputsDigest, newDocument } from './engine.ts';
import { preflightPlan } from './print-profile.ts';
import { logoRefs, packClaim, renderVerifiable, toSecond } from './provenance.ts';

export interface CheckRequest {
  template: string;
  profile: PartnerProfile;
  fields: Record<string, string>;
  output: OutputProfile;
  /** A whole document (the editor's: fields, styles, logos); else one is made from `fields`. */
  document?: PartnerDocument;
}

export interface ExportRequest extends CheckRequest {
  out: string;
  /** Fixed dates and file ID: the same inputs give the same bytes. */
  reproducible?: boolean;
  tool: 'cli' | 'app';
}

export interface CheckResult {
  template: Template;
  brand: Brand;
  document: PartnerDocument;
  composition: Composition;
  findings: Finding[];
  ok: boolean;
}

export interface ExportResult {
  path: string;
  byteLength: number;
  sha256: string;
  pages: number;
  template: { id: string; version: number };
  findings: Finding[];
}

/** Fixed date for reproducible exports: SOURCE_DATE_EPOCH when set, else 2000-01-01. */
export function reproducibleDate(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = Number(env['SOURCE_DATE_EPOCH']);
  return Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date(Date.UTC(2000, 0, 1));
}

/** Field values named on the command line must exist in the template. */
export function checkFieldKeys(template: Template, fields: Record<string, string>): void {
  const known = new Set(template.fields.map((f) => f.key));
  for (const key of Object.keys(fields)) {
    if (!known.has(key)) {
      throw new LockupError('field-unknown', `Template "${template.id}" has no field "${key}". Its fields are: ${[...known].join(', ') || '(none)'}`, { field: key });
    }
  }
}

/**
 * The distributor layer a template composes with, its logos prepared: the
 * distributor's, for a derived template; undefined for the vendor's own.
 */
export function distributorFor(catalogue: Catalogue, engine: ExportEngine, template: Pick<Template, 'id' | 'version'>): Promise<DistributorLayer | undefined> {
  return engine.prepareDistributor(distributorLayerOf(catalogue, template));
}

export async function checkDocument(catalogue: Catalogue, engine: ExportEngine, req: CheckRequest): Promise<CheckResult> {
  const template = catalogue.getTemplate(req.template);
  checkFieldKeys(template, req.fields);
  const brand = catalogue.getBrand(template.brand);
  const compiled = await engine.compile(brand, template);
  const document = req.document ?? newDocument(template, req.fields);
  // For a brand from a signed pack, access follows the partner's credential, never what the profile says.
  const profile = catalogue.accessProfile(brand.id, req.profile, undefined, template.id).profile;
  const composition = engine.check(compiled, profile, document, req.output, await distributorFor(catalogue, engine, template));
  return { template, brand, document, composition, findings: composition.findings, ok: !hasErrors(composition.findings) };
}

/**
 * Checks and exports one document. While any error finding stands nothing
 * is written (`compliance-errors`, findings in details). The PDF appears
 * atomically and is recorded in the ledger in the same step.
 */
export async function exportDocument(catalogue: Catalogue, engine: ExportEngine, req: ExportRequest): Promise<ExportResult> {
  const checked = await checkDocument(catalogue, engine, req);
  if (!checked.ok) {
    const errors = checked.findings.filter((f) => f.severity === 'error');
    throw new LockupError('compliance-errors', `Export refused: ${errors.length} compliance error${errors.length === 1 ? '' : 's'}`, { findings: checked.findings });
  }
  // A print export also needs a clean print preflight (docs/decisions/0014-print-output.md).
  const preflight = req.output === 'print' ? preflightPlan(checked.composition.plan, checked.brand) : undefined;
  if (preflight && !preflight.ok) {
    const errors = preflight.findings.filter((f) => f.severity === 'error');
    throw new LockupError('compliance-errors', `Export refused: ${errors.length} print preflight error${errors.length === 1 ? '' : 's'}`, { findings: preflight.findings });
  }
  const { template, brand, document, composition } = checked;
  const digest = inputsDigest(template, brand, req.profile, document, req.output);
  // Every export embeds its manifest and inputs; its dates are the export time recorded there (docs/decisions/0017).
  const profile = catalogue.accessProfile(brand.id, req.profile, undefined, template.id).profile;
  const logos = new Map(logoRefs(profile, document).map((ref) => [ref, engine.logoBytes(ref) ?? catalogue.assetBytes(ref)?.bytes ?? new Uint8Array()] as const));
  const exportedAt = toSecond(req.reproducible ? reproducibleDate() : new Date());
  const { bytes } = await renderVerifiable(engine, composition, { template, brand, profile, document, output: req.output, exportedAt, pack: packClaim(catalogue, brand.id), logos });
  const out = path.resolve(req.out);
  const sha = sha256Hex(bytes);
  // The ledger row and the file land together: if the file cannot be written
  // the ledger insert is rolled back; the file itself appears atomically.
  catalogue.transaction(() => {
    catalogue.recordExports([
      {
        tool: req.tool,
        templateId: template.id,
        templateVersion: template.version,
        partnerId: req.profile.id,
        company: req.profile.company,
        outputProfile: req.output,
        outputPath: out,
        outputSha256: sha,
        byteLength: bytes.byteLength,
        inputsSha256: digest,
        warnings: checked.findings.length,
      },
    ]);
    writeFileAtomic(out, bytes);
  });
  return { path: out, byteLength: bytes.byteLength, sha256: sha, pages: composition.plan.pages.length, template: { id: template.id, version: template.version }, findings: checked.findings };
}
