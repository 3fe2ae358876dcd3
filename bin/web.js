#!/usr/bin/env node
// `npm run web`: Lockup's UI in a browser (see cli/web.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bundle/web.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('lockup web: not built yet; run "npm run build" first.\n');
  process.exit(1);
}
await import(entry.href);
