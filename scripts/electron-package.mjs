// `npm run package`: installers for the desktop studio (electron-builder.yml: AppImage, deb, dmg, nsis).
//   1. build everything (npm run build, then the shell bundle if the build does not include it);
//   2. build better-sqlite3 for Electron (scripts/electron-rebuild-sqlite.mjs) and stage it in
//      .electron-sqlite/package/, where electron-builder.yml picks it up as an extra resource;
//   3. run electron-builder, passing on any arguments (npm run package -- --linux deb).
// Steps 2 and 3 download (Electron's headers or a prebuilt binding; the Electron zip), so this
// cannot run offline. Build each OS's installers on that OS: the SQLite binding is native code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_OUTPUTS, RENDERER_OUTPUTS, SQLITE_FILE, electronPackage, oldestOutput, sqliteBindingStatus } from '../electron/launcher.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && command === npm });
  return r.status ?? 1;
}
function die(status, text) {
  process.stderr.write(`electron-package: ${text}\n`);
  process.exit(status);
}

const electron = electronPackage(root);
if (!electron) die(1, 'the electron package is not installed (run "npm install").');

if (run(npm, ['run', 'build']) !== 0) die(1, '"npm run build" failed.');
if (run(process.execPath, [path.join(root, 'scripts', 'electron-build.mjs')]) !== 0) die(1, 'bundling the Electron shell failed.');
const missing = [...RENDERER_OUTPUTS, ...ELECTRON_OUTPUTS].filter((f) => oldestOutput(root, [f]) < 0);
if (missing.length > 0) die(1, `the build did not produce ${missing.join(', ')}.`);

const sqlite = run(process.execPath, [path.join(root, 'scripts', 'electron-rebuild-sqlite.mjs')]);
if (sqlite !== 0) die(sqlite, 'better-sqlite3 could not be built for Electron (see above); no installer was made.');
const status = sqliteBindingStatus(root, electron.version);
if (!status.ok) die(1, `the SQLite binding is not usable: ${status.why}.`);
const staged = path.join(root, '.electron-sqlite', 'package');
fs.rmSync(staged, { recursive: true, force: true });
fs.mkdirSync(staged, { recursive: true });
fs.copyFileSync(status.file, path.join(staged, SQLITE_FILE));

const builder = require.resolve('electron-builder/cli.js');
const code = run(process.execPath, [builder, '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)]);
if (code !== 0) {
  die(
    code,
    'electron-builder failed (see above). It downloads the Electron zip for each target (and, for some targets, ' +
      'packaging tools) from GitHub: without network access it cannot run. "npm start" and "npm run web" need no packaging.',
  );
}
