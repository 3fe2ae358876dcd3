#!/usr/bin/env node
// The `lockup` command: runs the compiled CLI from dist/ (built by `npm install` via the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bundle/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('lockup: the compiled CLI is missing; run "npm run build" in the Lockup folder first.\n');
  process.exit(1);
}
await import(entry.href);
