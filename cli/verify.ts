import path from 'node:path';
import { readInputFile } from '../backend/util/files.ts';
import { parse, Usage, withCatalogue, type Io, type Outcome } from './common.ts';
import { EXIT } from './exit-codes.ts';

export const VERIFY_USAGE = `  verify FILE.pdf                                 re-render from this catalogue and compare: exit 0 authentic,
                                                  3 modified, 4 unknown template or not from Lockup
`;

/** Exit code per verdict: 0 authentic, 3 modified (like a failed check), 4 cannot be checked here. */
export const VERDICT_EXIT = { authentic: EXIT.ok, modified: EXIT.compliance, 'unknown-template': EXIT.badInput, 'not-lockup': EXIT.badInput } as const;

async function cmdVerify(args: string[], io: Io): Promise<Outcome> {
  const { values, positionals } = parse(args, {}, 1);
  const file = positionals[0];
  if (!file) throw new Usage('lockup verify needs a FILE.pdf');
  const bytes = readInputFile(path.resolve(file), 'PDF');
  const { verifyPdf } = await import('../backend/services/verify.ts');
  return withCatalogue(values['data-dir'], io, async (catalogue) => {
    const r = await verifyPdf(catalogue, bytes);
    const m = r.manifest;
    const text = [
      `${file}: ${r.verdict.toUpperCase()}`,
      `  ${r.summary}`,
      ...(m
        ? [
            `  template ${m.template.id}@${m.template.version} (sha256 ${m.template.sha256.slice(0, 16)}…), brand ${m.brand.id}${m.pack ? `, pack ${m.pack.id ?? '?'} v${m.pack.version ?? '?'} by ${m.pack.publisher.name}${m.pack.publisher.fingerprint ? ` (${m.pack.publisher.fingerprint})` : ''}` : ''}`,
            `  partner ${m.inputs.profile.company} (${m.inputs.profile.id}), ${m.output} output, exported ${m.exportedAt}, compliance ${m.compliance.ok ? 'ok' : 'errors'} (${m.compliance.warnings} warning${m.compliance.warnings === 1 ? '' : 's'})`,
          ]
        : []),
      ...r.differences.map((d) => `  - ${d.where}`),
      ...r.notes.map((n) => `  note: ${n}`),
    ];
    return {
      exit: VERDICT_EXIT[r.verdict],
      json: { verdict: r.verdict, summary: r.summary, byteIdentical: r.byteIdentical, differences: r.differences, notes: r.notes, manifest: m },
      text,
    };
  });
}

export const VERIFY_COMMANDS: Record<string, (args: string[], io: Io) => Promise<Outcome>> = { verify: cmdVerify };
