#!/usr/bin/env node
// `npm start`: the desktop shell (Electron + React + Fabric) is issue #3 and
// is not built yet. Until it lands, say so plainly and show what works now.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./lockup.js', import.meta.url));
process.stdout.write(`Lockup ${'\u2014'} the desktop studio (Electron window, template gallery and editor) arrives with the next issue (#3).

Everything it will drive already works headlessly through the \`lockup\` command on the built-in demo catalogue:

  npx lockup templates
  npx lockup check  --template product-one-pager-letter --partner examples/partners/harbor-it.json
  npx lockup export --template product-one-pager-letter --partner examples/partners/harbor-it.json --out harbor.pdf

Templates in the demo catalogue:
`);
if (!existsSync(fileURLToPath(new URL('../dist/bundle/cli.mjs', import.meta.url)))) {
  process.stdout.write('  (not built yet: run "npm install" or "npm run build" first)\n');
  process.exit(1);
}
const r = spawnSync(process.execPath, [cli, 'templates'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
