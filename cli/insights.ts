import path from 'node:path';
import { LockupError, toWireError } from '../core/errors.ts';
import { need, parse, Usage, withCatalogue, type Io, type Outcome } from './common.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';

export const INSIGHTS_USAGE = `  insights report --out FILE.lockup-activity      this partner's signed activity report (the current profile)
  insights import FILE... [--verify-only]         import activity reports or aggregates (dedupes; the same
                                                  report twice changes nothing); --verify-only checks them
                                                  and stores nothing: exit 3 signature fails, 4 not a valid
                                                  report, 5 signed by another key than the one pinned
  insights aggregate --out FILE.lockup-activity   a distributor's signed aggregate of the reports it imported
`;

/** `lockup insights import` outcomes: like `lockup verify`, 3 for a signature that fails, 4 for a malformed report, 5 for a key that is not the pinned one. */
export const INSIGHTS_EXIT: Record<string, number> = { 'report-signature': EXIT.compliance, 'report-invalid': EXIT.badInput, 'report-key-mismatch': EXIT.mismatch };

const exitFor = (code: string) => INSIGHTS_EXIT[code] ?? exitCodeFor(code);
const out = (file: string | undefined) => {
  const f = path.resolve(need(file, 'out'));
  if (!f.endsWith('.lockup-activity')) throw new Usage('--out must name a .lockup-activity file');
  return f;
};

async function cmdReport(args: string[], io: Io): Promise<Outcome> {
  const { values } = parse(args, { out: { type: 'string' } });
  const file = out(values.out);
  return withCatalogue(values['data-dir'], io, async (catalogue) => {
    const { exportPartnerReport } = await import('../backend/insights/report.ts');
    const id = catalogue.getSetting('current-profile');
    const profile = id ? catalogue.getProfile(id) : undefined;
    if (!profile) throw new LockupError('profile-invalid', 'Set up the partner profile in the app first: the report is signed for it');
    const w = exportPartnerReport(catalogue, profile, file);
    return { exit: EXIT.ok, json: { report: { path: w.path, events: w.events, byteLength: w.byteLength, sha256: w.sha256 } }, text: [`Wrote ${w.path}: ${w.events} event${w.events === 1 ? '' : 's'} of ${profile.company}, signed.`] };
  });
}

async function cmdAggregate(args: string[], io: Io): Promise<Outcome> {
  const { values } = parse(args, { out: { type: 'string' } });
  const file = out(values.out);
  return withCatalogue(values['data-dir'], io, async (catalogue) => {
    const { exportAggregate } = await import('../backend/insights/report.ts');
    const w = exportAggregate(catalogue, file);
    return {
      exit: EXIT.ok,
      json: { report: { path: w.path, events: w.events, partners: w.partners, byteLength: w.byteLength, sha256: w.sha256 } },
      text: [`Wrote ${w.path}: ${w.events} event${w.events === 1 ? '' : 's'} of ${w.partners} partner${w.partners === 1 ? '' : 's'}, signed.`],
    };
  });
}

type FileResult = { file: string; ok: true; [k: string]: unknown } | { file: string; ok: false; error: { code: string; message: string; details: Record<string, unknown> | null } };

async function cmdImport(args: string[], io: Io): Promise<Outcome> {
  const { values, positionals } = parse(args, { 'verify-only': { type: 'boolean', default: false } }, Number.MAX_SAFE_INTEGER);
  if (positionals.length === 0) throw new Usage('lockup insights import needs at least one FILE (.lockup-activity)');
  const verifyOnly = values['verify-only'];
  const results: FileResult[] = [];
  const text: string[] = [];
  const each = async (fn: (file: string) => Promise<{ json: Record<string, unknown>; line: string }>) => {
    for (const f of positionals) {
      const file = path.resolve(f);
      try {
        const r = await fn(file);
        results.push({ file: f, ok: true, ...r.json });
        text.push(r.line);
      } catch (err) {
        const wire = toWireError(err);
        if (wire.code === 'internal') throw err;
        results.push({ file: f, ok: false, error: { code: wire.code, message: wire.message, details: wire.details ?? null } });
        text.push(`REFUSED ${f}: ${wire.message}`);
      }
    }
  };
  if (verifyOnly) {
    const { verifyReportFile } = await import('../backend/insights/import.ts');
    await each(async (file) => {
      const r = verifyReportFile(file);
      const h = r.header;
      return {
        json: { verdict: 'valid', kind: h.kind, issuer: { id: h.issuer.id, name: h.issuer.name, fingerprint: h.key.fingerprint }, events: r.events, partners: r.partners, sha256: r.sha256 },
        line: `VALID ${path.basename(file)}: ${h.kind} report of ${h.issuer.name} (${h.issuer.id}), key ${h.key.fingerprint}, ${r.events} events, sha256 ${r.sha256}`,
      };
    });
  } else {
    await withCatalogue(values['data-dir'], io, async (catalogue) => {
      const { importReportFile } = await import('../backend/insights/import.ts');
      await each(async (file) => {
        const s = importReportFile(catalogue, file);
        return {
          json: { ...s },
          line: s.alreadyImported
            ? `${path.basename(file)}: already imported (${s.events} events of ${s.issuer.name}); nothing changed`
            : `${path.basename(file)}: ${s.kind} report of ${s.issuer.name} (key ${s.issuer.fingerprint}): ${s.added} added, ${s.duplicates} duplicate${s.duplicates === 1 ? '' : 's'}, ${s.partners} partner${s.partners === 1 ? '' : 's'} (${Math.round(s.ms)} ms)`,
        };
      });
    });
  }
  const failed = results.find((r): r is Extract<FileResult, { ok: false }> => !r.ok);
  return { exit: failed ? exitFor(failed.error.code) : EXIT.ok, json: { results, ...(failed ? { error: failed.error } : {}) }, text };
}

async function cmdInsights(args: string[], io: Io): Promise<Outcome> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'report':
      return cmdReport(rest, io);
    case 'import':
      return cmdImport(rest, io);
    case 'aggregate':
      return cmdAggregate(rest, io);
    default:
      throw new Usage('Use "lockup insights report --out FILE", "lockup insights import FILE..." or "lockup insights aggregate --out FILE"');
  }
}

export const INSIGHTS_COMMANDS: Record<string, (args: string[], io: Io) => Promise<Outcome>> = { insights: cmdInsights };
