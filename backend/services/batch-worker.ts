/**
 * Batch worker thread: opens the catalogue read-only, compiles the template
 * once, then exports the rows it is sent. The runner watches it and
 * terminates it if a row hangs (a hostile image), so images are decoded
 * in-thread here.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { LockupError, toWireError } from '../../core/errors.ts';
import { loadProfile, type Brand, type PartnerProfile, type Template } from '../../core/model/index.ts';
import { hasErrors } from '../../core/rules/finding.ts';
import { Catalogue } from '../catalogue.ts';
import { writeFileAtomic } from '../util/files.ts';
import { sha256Hex } from '../util/hash.ts';
import type { RowJob } from './batch-rows.ts';
import { ExportEngine, inputsDigest, newDocument } from './engine.ts';
import { distributorFor, reproducibleDate } from './export.ts';
import { logoRefs, packClaim, renderVerifiable, toSecond } from './provenance.ts';
import { preflightPlan } from './print-profile.ts';
import type { WorkerInit, WorkerMessage, WorkerResult } from './batch-protocol.ts';

const init = workerData as WorkerInit;
const port = parentPort!;

async function main(): Promise<void> {
  const catalogue = Catalogue.openFile(init.catalogueFile, { readonly: true });
  const engine = new ExportEngine(catalogue, false);
  const brand: Brand = init.brand;
  const template: Template = init.template;
  let compiled;
  try {
    compiled = await engine.compile(brand, template);
  } catch (err) {
    port.postMessage({ type: 'fatal', error: toWireError(err) } satisfies WorkerMessage);
    return;
  }
  const fixedDate = init.reproducible ? reproducibleDate() : undefined;
  const pack = packClaim(catalogue, brand.id);
  // A distributor's derived template shows the distributor's logos in its lockups.
  const distributor = await distributorFor(catalogue, engine, template);
  port.on('message', async (msg: { type: 'rows'; jobs: RowJob[] } | { type: 'stop' }) => {
    if (msg.type === 'stop') {
      catalogue.close();
      port.close();
      return;
    }
    for (const job of msg.jobs) {
      let result: WorkerResult;
      try {
        let profile: PartnerProfile = loadProfile(job.profile);
        if (job.logo) profile = { ...profile, logo: await engine.intakeLogo(job.logo) };
        // A profile from the catalogue names its logos as assets: prepare them for composing.
        else for (const ref of typeof profile.logo === 'string' ? [profile.logo] : Object.values(profile.logo ?? {})) if (ref) await engine.resources.imageByRef(ref);
        const document = newDocument(template, job.fields);
        const composition = engine.check(compiled, profile, document, init.output, distributor);
        const warnings = composition.findings.filter((f) => f.severity === 'warning').length;
        if (hasErrors(composition.findings)) {
          const errors = composition.findings.filter((f) => f.severity === 'error');
          throw new LockupError('compliance-errors', errors.map((f) => f.message).join('; '), { findings: errors });
        }
        // Print rows also need a clean print preflight (docs/decisions/0014-print-output.md).
        const preflightErrors = init.output === 'print' ? preflightPlan(composition.plan, brand).findings.filter((f) => f.severity === 'error') : [];
        if (preflightErrors.length > 0) throw new LockupError('compliance-errors', preflightErrors.map((f) => f.message).join('; '), { findings: preflightErrors });
        const digest = inputsDigest(template, brand, profile, document, init.output);
        // Like every export, batch files embed their manifest and inputs (docs/decisions/0017).
        const logos = new Map(logoRefs(profile, document).map((ref) => [ref, engine.logoBytes(ref) ?? catalogue.assetBytes(ref)?.bytes ?? new Uint8Array()] as const));
        const exportedAt = toSecond(fixedDate ?? new Date());
        const { bytes } = await renderVerifiable(engine, composition, { template, brand, profile, document, output: init.output, exportedAt, pack, logos });
        const file = path.join(init.outDir, job.outName);
        writeFileAtomic(file, bytes, { fsync: false });
        result = { type: 'result', line: job.line, ok: true, id: job.id, company: profile.company, file, byteLength: bytes.byteLength, sha256: sha256Hex(bytes), inputsSha256: digest, warnings };
      } catch (err) {
        result = { type: 'result', line: job.line, ok: false, id: job.id, error: toWireError(err) };
      }
      port.postMessage(result satisfies WorkerMessage);
    }
  });
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
}

void main();
