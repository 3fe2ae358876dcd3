#!/usr/bin/env node
// `npm start`: the desktop studio in its Electron window.
//   1. find the Electron runtime, downloading it on first use (no window without it:
//      then one paragraph explains, points at `npm run web`, and the exit code is 1);
//   2. build what is stale (`npm run build`, then the shell bundle, scripts/electron-build.mjs);
//   3. build better-sqlite3 for Electron's ABI into .electron-sqlite/ (scripts/electron-rebuild-sqlite.mjs),
//      never touching node_modules/better-sqlite3/build, which the CLI and the tests use;
//   4. run `electron .` (package.json "main" is dist/electron/main.mjs).
// The decisions are in electron/launcher.mjs, tested by electron/launcher.test.ts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlan, launchElectron, obtainElectron, oldestOutput, RENDERER_OUTPUTS, ELECTRON_OUTPUTS, runStart, sqliteBindingStatus } from '../electron/launcher.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && command === npm });
  return r.status === 0;
}

const code = await runStart({
  obtainElectron: () =>
    obtainElectron(root, {
      onSlow: () => process.stderr.write('Fetching the Electron runtime (first start only, about 100 MB)...\n'),
    }),

  async ensureBuilt() {
    const plan = buildPlan(root);
    if (plan.project && !run(npm, ['run', 'build'])) return { ok: false, message: 'lockup: "npm run build" failed (see above).' };
    if (buildPlan(root).electron && !run(process.execPath, [path.join(root, 'scripts', 'electron-build.mjs')])) {
      return { ok: false, message: 'lockup: building the Electron shell failed (see above).' };
    }
    const missing = [...RENDERER_OUTPUTS, ...ELECTRON_OUTPUTS].filter((f) => oldestOutput(root, [f]) < 0);
    if (missing.length > 0) return { ok: false, message: `lockup: the build did not produce ${missing.join(', ')}; run "npm run build" and check its output.` };
    return { ok: true };
  },

  async ensureSqlite(electronVersion) {
    if (process.env.LOCKUP_SQLITE_BINDING) return { ok: true };
    const status = sqliteBindingStatus(root, electronVersion);
    if (status.ok) return { ok: true };
    process.stderr.write(`Building SQLite for Electron ${electronVersion} (${status.why})...\n`);
    if (run(process.execPath, [path.join(root, 'scripts', 'electron-rebuild-sqlite.mjs')])) return { ok: true };
    return {
      ok: false,
      message: `lockup: the SQLite module for Electron could not be built (see above), so the desktop window cannot open its catalogue. "npm run web" runs the same studio in your browser.`,
    };
  },

  launch: (binary) => launchElectron(binary, root),
  stderr: (text) => process.stderr.write(text),
});
process.exit(code);
