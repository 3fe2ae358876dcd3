import fs from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { toWireError, type WireError } from '../core/errors.ts';
import { loadProfile } from '../core/model/index.ts';
import type { Finding } from '../core/rules/finding.ts';
import { readJsonFile, readTemplateFile, type BundleAsset } from '../backend/content/bundle.ts';
import { parseShard } from '../backend/services/batch-rows.ts';
import { packageRoot } from '../backend/content/package-root.ts';
import type { BatchFailure } from '../backend/services/batch.ts';
import type { CheckRequest } from '../backend/services/export.ts';
import type { Catalogue } from '../backend/catalogue.ts';
import { need, parse, Usage, withCatalogue, type Io, type Outcome } from './common.ts';
import { PACK_COMMANDS, PACK_USAGE } from './packs.ts';
import { VERIFY_COMMANDS, VERIFY_USAGE } from './verify.ts';
import { COMPLETION_COMMANDS, COMPLETION_USAGE } from './completion.ts';
import { PREFLIGHT_COMMANDS, PREFLIGHT_USAGE } from './preflight.ts';
import { INSIGHTS_COMMANDS, INSIGHTS_USAGE } from './insights.ts';

export type { Io } from './common.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { formatDuration, formatFindings, summarizeFindings } from './format.ts';

const USAGE = `Usage: lockup <command> [options]

Commands:
  templates [--partner FILE]                      list templates (and what a partner may use)
  check --template ID --partner FILE [--field KEY=VALUE]... [--print]
                                                  check brand compliance; exit 3 on errors
  export --template ID --partner FILE [--field KEY=VALUE]... --out FILE.pdf
         [--print] [--reproducible]               write a compliant PDF (nothing on errors)
  batch --template ID (--csv FILE | --partners catalogue [--distributor NAME]) --out-dir DIR
        [--shard K/N] [--workers N] [--print] [--restart]
                                                  one PDF per partner; a re-run resumes
${PREFLIGHT_USAGE}  template validate FILE.json                     validate a template file
  template add FILE.json                          publish a template version into the catalogue
  ledger [--limit N]                              recent exports
${PACK_USAGE}${VERIFY_USAGE}${COMPLETION_USAGE}${INSIGHTS_USAGE}
Options for every command:
  --data-dir DIR   catalogue folder (default: $LOCKUP_DATA_DIR, else the per-user app folder)
  --json           print one JSON object: { ok: true, ... } or { ok: false, error: { code, message, details } }
  (a new data folder starts with the demo brand; set LOCKUP_NO_DEMO=1 to start it empty)

Exit codes: 0 success, 1 internal error, 2 usage error, 3 compliance errors, 4 bad input,
  5 a genuine completion record that is not the one asked for (completion verify --code/--key).
Template ids may name a version: product-one-pager-letter@1.
`;

// The export pipeline (pdf-lib, fontkit) is loaded only by the commands that
// need it: `batch` renders in worker threads, so its main thread stays small.
const pipeline = () => Promise.all([import('../backend/services/engine.ts'), import('../backend/services/export.ts')]);

function parseFields(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Usage(`--field takes KEY=VALUE, not "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

async function cmdTemplates(args: string[], io: Io): Promise<Outcome> {
  const { values } = parse(args, { partner: { type: 'string' } });
  const profile = values.partner ? loadProfile(readJsonFile(values.partner, 'Partner profile')) : undefined;
  return withCatalogue(values['data-dir'], io, async (catalogue) => {
    const list = catalogue.templatesFor(profile);
    const visible = profile ? list.filter((t) => t.decision.allowed) : list;
    const text = list.map((t) => {
      const lock = t.decision.allowed ? '' : `  (locked: ${t.decision.reasons.join('; ')})`;
      const req = !profile && t.decision.allowed && t.requirements.length > 0 ? `  [${t.requirements.join('; ')}]` : '';
      return `${t.decision.allowed ? ' ' : '×'} ${`${t.id}@${t.version}`.padEnd(32)} ${t.name} · ${t.pageSize}${req}${lock}`;
    });
    if (profile) text.push('', `${visible.length} of ${list.length} templates available to ${profile.company}${profile.tier ? ` (${profile.tier})` : ''}.`);
    // Why access is reduced for brands from signed packs (no, expired or revoked credential).
    const notices = [...new Set(list.flatMap((t) => (t.notice ? [t.notice] : [])))];
    if (notices.length > 0) text.push('', ...notices);
    return {
      exit: EXIT.ok,
      json: {
        templates: list.map((t) => ({ id: t.id, version: t.version, name: t.name, description: t.description, category: t.category, pageSize: t.pageSize, access: t.access ?? null, requirements: t.requirements, available: t.decision.allowed, reasons: t.decision.reasons, notice: t.notice ?? null })),
      },
      text,
    };
  });
}

const FIELD_OPTIONS = {
  template: { type: 'string' },
  partner: { type: 'string' },
  field: { type: 'string', multiple: true },
  print: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

function findingsText(findings: Finding[]): string[] {
  return [...formatFindings(findings), summarizeFindings(findings)];
}

type FieldValues = ReturnType<typeof parse<typeof FIELD_OPTIONS>>['values'];
type Engine = InstanceType<Awaited<ReturnType<typeof pipeline>>[0]['ExportEngine']>;

/** What check and export share: the template, the partner profile (logos taken in) and the fields. */
async function withPartner(values: FieldValues, io: Io, run: (catalogue: Catalogue, engine: Engine, request: CheckRequest) => Promise<Outcome>): Promise<Outcome> {
  const template = need(values.template, 'template');
  const partnerFile = need(values.partner, 'partner');
  const fields = parseFields(values.field);
  const [{ ExportEngine }] = await pipeline();
  return withCatalogue(values['data-dir'], io, async (catalogue) => {
    const engine = new ExportEngine(catalogue);
    const profile = await engine.readProfileFile(partnerFile);
    return run(catalogue, engine, { template, profile, fields, output: values.print ? 'print' : 'screen' });
  });
}

async function cmdCheck(args: string[], io: Io): Promise<Outcome> {
  const { values } = parse(args, FIELD_OPTIONS);
  const [, { checkDocument }] = await pipeline();
  return withPartner(values, io, async (catalogue, engine, request) => {
    const r = await checkDocument(catalogue, engine, request);
    return {
      exit: r.ok ? EXIT.ok : EXIT.compliance,
      json: { compliant: r.ok, template: { id: r.template.id, version: r.template.version }, partner: request.profile.id, output: request.output, findings: r.findings },
      text: [`${r.template.name} (${r.template.id}@${r.template.version}) for ${request.profile.company}:`, ...findingsText(r.findings)],
    };
  });
}

async function cmdExport(args: string[], io: Io): Promise<Outcome> {
  const { values } = parse(args, { ...FIELD_OPTIONS, out: { type: 'string' }, reproducible: { type: 'boolean', default: false } });
  const out = need(values.out, 'out');
  const [, { exportDocument }] = await pipeline();
  return withPartner(values, io, async (catalogue, engine, request) => {
    const r = await exportDocument(catalogue, engine, { ...request, out, reproducible: values.reproducible, tool: 'cli' });
    return {
      exit: EXIT.ok,
      json: { path: r.path, bytes: r.byteLength, sha256: r.sha256, pages: r.pages, template: r.template, findings: r.findings },
      text: [`Wrote ${r.path} (${(r.byteLength / 1024).toFixed(1)} KB, ${r.pages} page${r.pages === 1 ? '' : 's'}).`, ...(r.findings.length > 0 ? formatFindings(r.findings) : [])],
    };
  });
}

const BAD_INPUT = new Set(['csv-invalid', 'profile-invalid', 'file-unreadable', 'file-empty', 'file-too-large', 'image-unsupported', 'image-mislabelled', 'image-truncated', 'image-corrupt', 'image-too-large', 'image-decode-timeout', 'svg-refused', 'pdf-logo-encrypted', 'pdf-logo-invalid']);

/** 0 when every row was exported; 4 when any row had bad input; else 3 (compliance) or 1. */
export function batchExitCode(failures: readonly BatchFailure[]): number {
  if (failures.length === 0) return EXIT.ok;
  if (failures.some((f) => BAD_INPUT.has(f.code))) return EXIT.badInput;
  if (failures.every((f) => f.code === 'compliance-errors')) return EXIT.compliance;
  return failures.some((f) => f.code === 'internal') ? EXIT.internal : EXIT.compliance;
}

async function cmdBatch(args: string[], io: Io): Promise<Outcome> {
  const { values } = parse(args, {
    template: { type: 'string' },
    csv: { type: 'string' },
    partners: { type: 'string' },
    distributor: { type: 'string' },
    restart: { type: 'boolean', default: false },
    'out-dir': { type: 'string' },
    shard: { type: 'string' },
    workers: { type: 'string' },
    print: { type: 'boolean', default: false },
    reproducible: { type: 'boolean', default: false },
  });
  const template = need(values.template, 'template');
  if (values.partners !== undefined && values.partners !== 'catalogue') throw new Usage(`--partners takes "catalogue", not "${values.partners}"`);
  if ((values.csv === undefined) === (values.partners === undefined)) throw new Usage('batch needs exactly one of --csv FILE and --partners catalogue');
  if (values.distributor !== undefined && values.partners === undefined) throw new Usage('--distributor goes with --partners catalogue');
  const outDir = need(values['out-dir'], 'out-dir');
  const shard = values.shard ? parseShard(values.shard) : undefined;
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new Usage('--workers must be a whole number from 1 to 64');
  const { runBatch } = await import('../backend/services/batch.ts');
  const showProgress = io.stderrIsTty && !values.json;
  // Ctrl-C or a scheduler's SIGTERM stops the workers and leaves a state the next run resumes.
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return withCatalogue(values['data-dir'], io, async (catalogue) => {
    let last = 0;
    const summary = await runBatch(catalogue, {
      template,
      ...(values.csv !== undefined ? { csv: values.csv } : { catalogue: { distributor: values.distributor } }),
      outDir,
      restart: values.restart,
      signal: abort.signal,
      output: values.print ? 'print' : 'screen',
      reproducible: values.reproducible,
      ...(shard ? { shard } : {}),
      ...(workers ? { workers } : {}),
      onProgress: showProgress
        ? (p) => {
            const t = performance.now();
            if (t - last < 100 && p.done < p.total) return;
            last = t;
            const width = 24;
            const filled = p.total > 0 ? Math.round((p.done / p.total) * width) : width;
            const eta = p.etaMs === undefined ? '' : ` · ${formatDuration(p.etaMs)} left`;
            io.stderr(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${p.done}/${p.total} rows · ${p.failed} failed${eta}   ${p.done === p.total ? '\n' : ''}`);
          }
        : undefined,
    });
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    const text = [
      ...(summary.resumed > 0 ? [`Resumed the batch in ${summary.outDir}: ${summary.resumed} file${summary.resumed === 1 ? '' : 's'} already done were kept (--restart starts over).`] : []),
      ...(summary.cancelled ? [`Stopped: ${summary.notDone} row${summary.notDone === 1 ? '' : 's'} not done. Run the same command again to resume.`] : []),
      `Exported ${summary.succeeded} of ${summary.rowsInShard} rows${summary.shard !== '1/1' ? ` (shard ${summary.shard} of ${summary.rowsInFile} rows)` : ''} to ${summary.outDir} in ${summary.seconds.toFixed(2)} s (${summary.docsPerSecond} documents/s).`,
      ...(summary.warnings > 0 ? [`${summary.warnings} warnings across the exported files.`] : []),
      ...(summary.ignoredColumns.length > 0 ? [`Ignored columns (not fields of this template): ${summary.ignoredColumns.join(', ')}.`] : []),
      ...(summary.failed > 0 ? [`${summary.failed} row${summary.failed === 1 ? '' : 's'} failed:`, ...summary.failures.map((f) => `  line ${f.line}${f.id ? ` (${f.id})` : ''}: ${f.code}: ${f.message}`), `Failures are listed in ${summary.failuresCsv}.`] : []),
      `Report: ${summary.report}`,
    ];
    return { exit: summary.cancelled ? EXIT.cancelled : batchExitCode(summary.failures), json: { ...summary }, text };
  });
}

async function cmdTemplate(args: string[], io: Io): Promise<Outcome> {
  const [sub, ...rest] = args;
  if (sub !== 'validate' && sub !== 'add') throw new Usage('Use "lockup template validate FILE.json" or "lockup template add FILE.json"');
  const { values, positionals } = parse(rest, {}, 1);
  const file = positionals[0];
  if (!file) throw new Usage(`lockup template ${sub} needs a FILE.json`);
  const assets = new Map<string, BundleAsset>();
  const template = readTemplateFile(path.resolve(file), assets);
  const [{ ExportEngine }] = await pipeline();
  return withCatalogue(values['data-dir'], io, async (catalogue) => {
    // Validate against the brand too: palette ids, fonts, logos (compile resolves them all).
    const brand = catalogue.getBrand(template.brand);
    const engine = new ExportEngine({ assetBytes: (ref) => assets.get(ref) ?? catalogue.assetBytes(ref) });
    await engine.compile(brand, template);
    if (sub === 'validate') {
      return { exit: EXIT.ok, json: { valid: true, id: template.id, version: template.version }, text: [`${file}: valid (${template.id}@${template.version}, ${template.pages.length} page${template.pages.length === 1 ? '' : 's'}).`] };
    }
    const result = catalogue.transaction(() => {
      for (const a of assets.values()) catalogue.putAsset(a.bytes, a.name);
      return catalogue.addTemplateVersion(template);
    });
    return {
      exit: EXIT.ok,
      json: { id: template.id, version: template.version, result },
      text: [result === 'added' ? `Published ${template.id}@${template.version}.` : `${template.id}@${template.version} is already published with the same content.`],
    };
  });
}

async function cmdLedger(args: string[], io: Io): Promise<Outcome> {
  const { values } = parse(args, { limit: { type: 'string', default: '20' } });
  const limit = Number(values.limit);
  if (!(Number.isInteger(limit) && limit > 0)) throw new Usage('--limit must be a positive whole number');
  return withCatalogue(values['data-dir'], io, async (catalogue) => {
    const rows = catalogue.listExports(limit);
    return {
      exit: EXIT.ok,
      json: { exports: rows },
      text: rows.length === 0 ? ['No exports yet.'] : rows.map((r) => `${String(r.seq).padStart(5)}  ${r.exportedAt}  ${r.tool.padEnd(5)}  ${r.templateId}@${r.templateVersion}  ${r.company}  ${r.outputPath}`),
    };
  });
}

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<Outcome>> = {
  templates: cmdTemplates,
  check: cmdCheck,
  export: cmdExport,
  batch: cmdBatch,
  template: cmdTemplate,
  ledger: cmdLedger,
  ...PACK_COMMANDS,
  ...VERIFY_COMMANDS,
  ...COMPLETION_COMMANDS,
  ...PREFLIGHT_COMMANDS,
  ...INSIGHTS_COMMANDS,
};

/** Runs the CLI and returns its exit code. Output goes through `io` so tests can capture it. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  const json = args.includes('--json');
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === '--version' || command === 'version') {
    io.stdout(`lockup ${version()}\n`);
    return EXIT.ok;
  }
  const handler = COMMANDS[command];
  try {
    if (!handler) throw new Usage(`Unknown command "${command}"`);
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    const outcome = await handler(args, io);
    if (json) io.stdout(JSON.stringify({ ok: outcome.exit === EXIT.ok, ...outcome.json }) + '\n');
    else io.stdout(outcome.text.join('\n') + '\n');
    return outcome.exit;
  } catch (err) {
    const wire: WireError = toWireError(err);
    const exit = exitCodeFor(wire.code);
    if (json) io.stdout(JSON.stringify({ ok: false, error: { code: wire.code, message: wire.message, details: wire.details ?? null } }) + '\n');
    else {
      io.stderr(`lockup: ${wire.message}\n`);
      const findings = (wire.details?.['findings'] as Finding[] | undefined) ?? [];
      if (findings.length > 0) io.stderr(findingsText(findings).join('\n') + '\n');
      if (exit === EXIT.usage) io.stderr('Run "lockup --help" for usage.\n');
      if (exit === EXIT.internal && err instanceof Error && io.env['LOCKUP_DEBUG']) io.stderr(`${err.stack}\n`);
    }
    return exit;
  }
}
