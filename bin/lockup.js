#!/usr/bin/env node
// The `lockup` command: runs the compiled CLI from dist/ (built by `npm install` via the prepare script).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22+ can cache compiled code between runs; Node 20 has no such API.
module.enableCompileCache?.();

const entry = new URL('../dist/bundle/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('lockup: the compiled CLI is missing; run "npm run build" in the Lockup folder first.\n');
  process.exit(1);
}
await import(entry.href);
