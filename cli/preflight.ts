import type { Finding } from '../core/rules/finding.ts';
import type { Box } from '../core/pdf/print-marks.ts';
import { ptToMm, round } from '../core/util/units.ts';
import { need, parse, Usage, withCatalogue, type Io, type Outcome } from './common.ts';
import { EXIT } from './exit-codes.ts';
import { formatFindings, summarizeFindings } from './format.ts';

/** `lockup preflight`: the print profile's compliance and print preflight, before a print export. */

export const PREFLIGHT_USAGE = `  preflight --template ID --partner FILE [--field KEY=VALUE]...
                                                  print preflight (boxes, colours, images, fonts,
                                                  transparency, bleed) and print compliance; exit 3 on errors
`;

const mm = (pt: number) => round(ptToMm(pt), 1);
const size = (b: Box) => `${mm(b[2])} × ${mm(b[3])} mm`;

async function cmdPreflight(args: string[], io: Io): Promise<Outcome> {
  const { values } = parse(args, { template: { type: 'string' }, partner: { type: 'string' }, field: { type: 'string', multiple: true } });
  const template = need(values.template, 'template');
  const partnerFile = need(values.partner, 'partner');
  const fields: Record<string, string> = {};
  for (const item of values.field ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Usage(`--field takes KEY=VALUE, not "${item}"`);
    fields[item.slice(0, eq)] = item.slice(eq + 1);
  }
  const [{ ExportEngine }, { preflightDocument }] = await Promise.all([import('../backend/services/engine.ts'), import('../backend/services/preflight.ts')]);
  return withCatalogue(values['data-dir'], io, async (catalogue) => {
    const engine = new ExportEngine(catalogue);
    const profile = await engine.readProfileFile(partnerFile);
    const r = await preflightDocument(catalogue, engine, { template, profile, fields });
    const t = r.check.template;
    const { boxes, marks } = r.preflight;
    const bleed = mm((boxes.bleed[2] - boxes.trim[2]) / 2);
    // Preflight findings have the shape of compliance findings, with their own codes.
    const pre = r.preflight.findings as unknown as Finding[];
    const all = [...r.compliance, ...pre];
    return {
      exit: r.ok ? EXIT.ok : EXIT.compliance,
      json: {
        compliant: r.ok,
        template: { id: t.id, version: t.version },
        partner: profile.id,
        output: 'print',
        findings: r.compliance,
        preflight: r.preflight,
        outputIntent: r.outputIntent,
      },
      text: [
        `Print preflight of ${t.name} (${t.id}@${t.version}) for ${profile.company}:`,
        `  boxes       trim ${size(boxes.trim)} · bleed ${bleed} mm a side → ${size(boxes.bleed)} · media ${size(boxes.media)} (crop marks ${mm(marks.offset)} mm off the bleed, ${mm(marks.length)} mm long, ${marks.lineWidth} pt)`,
        `  colour      brand colours as DeviceCMYK; output intent "${r.outputIntent.identifier}": ${r.outputIntent.info}`,
        'Compliance (print profile):',
        ...(r.compliance.length > 0 ? formatFindings(r.compliance) : ['  none']),
        'Print preflight:',
        ...(pre.length > 0 ? formatFindings(pre) : ['  none']),
        summarizeFindings(all).replace('export refused', 'print export refused'),
      ],
    };
  });
}

export const PREFLIGHT_COMMANDS: Record<string, (args: string[], io: Io) => Promise<Outcome>> = { preflight: cmdPreflight };
