/**
 * Development tool: renders a template from a content folder without a
 * catalogue, and prints its findings. Used while designing shipped templates.
 *
 *   npx tsx scripts/preview.ts --content templates/nimbus --template ID \
 *     --partner examples/partners/harbor.json [--field key=value]… \
 *     --out /tmp/x.pdf [--print] [--png]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { readContentFolder } from '../backend/content/bundle.ts';
import { ExportEngine, inputsDigest, newDocument } from '../backend/services/engine.ts';

const { values } = parseArgs({
  options: {
    content: { type: 'string', default: 'templates/nimbus' },
    template: { type: 'string' },
    partner: { type: 'string' },
    field: { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: '/tmp/preview.pdf' },
    print: { type: 'boolean', default: false },
    png: { type: 'boolean', default: false },
  },
});
const bundle = readContentFolder(values.content!);
const engine = new ExportEngine({ assetBytes: (ref) => bundle.assets.get(ref) });
const ids = values.template ? [values.template] : bundle.templates.map((t) => t.id);
for (const id of ids) {
  const template = bundle.templates.find((t) => t.id === id);
  if (!template) throw new Error(`no template ${id}; have ${bundle.templates.map((t) => t.id).join(', ')}`);
  const profile = values.partner ? await engine.readProfileFile(values.partner) : { id: 'sample', company: 'Sample Partner Ltd', contact: {}, certifications: [] };
  const fields = Object.fromEntries(values.field!.map((f) => f.split(/=(.*)/s).slice(0, 2) as [string, string]));
  const doc = newDocument(template, fields);
  const compiled = await engine.compile(bundle.brand, template);
  const output = values.print ? 'print' : 'screen';
  const c = engine.check(compiled, profile, doc, output);
  const out = ids.length > 1 ? values.out!.replace(/\.pdf$/, `-${id}.pdf`) : values.out!;
  fs.writeFileSync(out, await engine.render(c, { output }, inputsDigest(template, bundle.brand, profile, doc, output)));
  console.log(`${id}: ${out}`);
  for (const f of c.findings) console.log(`  ${f.severity} ${f.code} [${f.zoneId ?? '-'}] ${f.message}`);
  if (values.png) {
    execFileSync('pdftoppm', ['-r', '72', '-png', '-singlefile', out, out.replace(/\.pdf$/, '')]);
    console.log(`  ${out.replace(/\.pdf$/, '.png')}`);
  }
}
