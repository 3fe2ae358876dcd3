// Builds better-sqlite3 for Electron's ABI into .electron-sqlite/<electron version>/better_sqlite3.node,
// which the Electron backend loads through better-sqlite3's `nativeBinding` option.
//
// node_modules/better-sqlite3/build is Node's build, used by the CLI and the tests: this script never
// writes there. It copies the package's sources to a temporary folder and builds there, then copies the
// one .node file out:
//   1. a prebuilt binary for this Electron version (prebuild-install --runtime electron), unless
//      --no-prebuilt; then
//   2. a source build, node-gyp rebuild --target=<electron version> --dist-url=https://electronjs.org/headers,
//      with npm's config variables removed from the environment (npm_config_nodedir=/usr, as on the
//      project's build machines, would compile against Node's own headers and yield a binary that only
//      claims to be Electron's).
// The result must register itself for Electron's NODE_MODULE_VERSION (node_modules/electron/abi_version),
// or it is refused. Both steps download (the binary, or Electron's headers): offline, the script says so
// and exits with status 2. Run by `npm start` and `npm run package`; never from postinstall.
//
// Usage: node scripts/electron-rebuild-sqlite.mjs [--force] [--no-prebuilt] [--arch ARCH] [--electron VERSION]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUILD_INFO_FILE, SQLITE_FILE, binaryAbis, cleanBuildEnv, electronPackage, sqliteBindingDir, sqliteBindingStatus } from '../electron/launcher.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const { values } = parseArgs({
  options: {
    force: { type: 'boolean', default: false },
    'no-prebuilt': { type: 'boolean', default: false },
    arch: { type: 'string', default: process.arch },
    electron: { type: 'string' },
    'dist-url': { type: 'string', default: process.env.ELECTRON_HEADERS_URL ?? 'https://electronjs.org/headers' },
  },
});

const say = (text) => process.stderr.write(`${text}\n`);
function die(status, text) {
  say(text);
  process.exit(status);
}

const electron = electronPackage(root);
if (!electron) die(1, 'electron-rebuild-sqlite: the electron package is not installed (run "npm install").');
const electronVersion = values.electron ?? electron.version;
const abi = electron.abi;
if (!abi) die(1, 'electron-rebuild-sqlite: node_modules/electron/abi_version is missing; cannot tell which ABI to build for.');

const sqliteDir = path.join(root, 'node_modules', 'better-sqlite3');
let sqliteVersion;
try {
  sqliteVersion = JSON.parse(fs.readFileSync(path.join(sqliteDir, 'package.json'), 'utf8')).version;
} catch {
  die(1, 'electron-rebuild-sqlite: better-sqlite3 is not installed (run "npm install").');
}

const outDir = sqliteBindingDir(root, electronVersion);
const status = sqliteBindingStatus(root, electronVersion, process.platform, values.arch);
if (status.ok && !values.force) {
  say(`electron-rebuild-sqlite: ${path.relative(root, status.file)} is up to date (better-sqlite3 ${sqliteVersion}, Electron ${electronVersion}).`);
  process.exit(0);
}

/** Runs a command; its output goes to the log file (compilers are chatty), the tail is shown on failure. */
function runLogged(command, args, cwd, env, log) {
  return new Promise((resolve) => {
    fs.appendFileSync(log, `\n$ ${[command, ...args].join(' ')}\n`);
    const out = fs.openSync(log, 'a');
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out], windowsHide: true });
    child.on('error', (err) => {
      fs.appendFileSync(log, `${err.message}\n`);
      resolve(1);
    });
    child.on('close', (code) => {
      fs.closeSync(out);
      resolve(code ?? 1);
    });
  });
}

/** The lines of the log that say what the network did (the request, the error), without gyp's stack. */
function networkLines(log) {
  try {
    return fs
      .readFileSync(log, 'utf8')
      .split(/\r?\n/)
      .filter((l) => /\b(GET|ENOTFOUND|EAI_AGAIN|ECONN\w+|ETIMEDOUT|fetch failed|network connectivity|proxy)\b/i.test(l) && !/\bat\s/.test(l))
      .slice(0, 5)
      .map((l) => `    ${l.trim()}`)
      .join('\n');
  } catch {
    return '';
  }
}

function tail(log, lines = 12) {
  try {
    return fs
      .readFileSync(log, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .slice(-lines)
      .map((l) => `    ${l}`)
      .join('\n');
  } catch {
    return '';
  }
}

// "install got an error" is node-gyp failing to fetch (install) the headers, whatever the network said.
const NETWORK = /install got an error|network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|fetch failed|socket hang up|tarball|headers.*(download|fetch|request)|(download|fetch|request).*headers|status(Code)? (403|404|5\d\d)/i;

function resolveBin(specifier, fallbacks = []) {
  try {
    return require.resolve(specifier);
  } catch {
    return fallbacks.find((f) => f && fs.existsSync(f));
  }
}

const nodeGyp = resolveBin('node-gyp/bin/node-gyp.js', [
  process.env.npm_config_node_gyp,
  path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
]);
const prebuildInstall = resolveBin('prebuild-install/bin.js');

/** Size and modification time of Node's own build, to prove afterwards that it was not touched. */
function nodeBuildFingerprint() {
  try {
    const st = fs.statSync(path.join(sqliteDir, 'build', 'Release', SQLITE_FILE));
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'absent';
  }
}
const fingerprint = nodeBuildFingerprint();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-electron-sqlite-'));
const log = path.join(work, 'build.log');
let exitCode = 0;
try {
  // A private copy of the package sources: nothing below node_modules/better-sqlite3 is written to.
  // The package may be a symbolic link (npm link, workspaces, pnpm): copy what it points to, never the
  // link itself, or node-gyp would "rebuild" (clean, then build) in the real package.
  const source = fs.realpathSync(sqliteDir);
  const pkgCopy = path.join(work, 'better-sqlite3');
  fs.cpSync(source, pkgCopy, {
    recursive: true,
    dereference: true,
    filter: (src) => {
      const rel = path.relative(source, src);
      return rel !== 'build' && !rel.startsWith(`build${path.sep}`) && rel !== 'node_modules' && !rel.startsWith(`node_modules${path.sep}`);
    },
  });
  const copyStat = fs.lstatSync(pkgCopy);
  if (copyStat.isSymbolicLink() || !copyStat.isDirectory() || !fs.realpathSync(pkgCopy).startsWith(fs.realpathSync(work) + path.sep)) {
    exitCode = 1;
    say(`electron-rebuild-sqlite: the copy of better-sqlite3 is not a plain folder in ${work}; refusing to build (it could write into node_modules).`);
    throw new Error('unsafe copy');
  }
  const env = { ...cleanBuildEnv(process.env), npm_config_runtime: 'electron', npm_config_target: electronVersion, npm_config_arch: values.arch, npm_config_disturl: values['dist-url'] };
  const built = path.join(pkgCopy, 'build', 'Release', SQLITE_FILE);
  fs.writeFileSync(log, `better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (ABI ${abi}), ${process.platform}-${values.arch}\n`);

  let how;
  if (!values['no-prebuilt'] && prebuildInstall) {
    say(`electron-rebuild-sqlite: looking for a prebuilt better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}...`);
    const code = await runLogged(process.execPath, [prebuildInstall, '--runtime', 'electron', '--target', electronVersion, '--arch', values.arch, '--platform', process.platform], pkgCopy, env, log);
    if (code === 0 && fs.existsSync(built)) how = 'prebuilt';
  }
  if (!how) {
    if (!nodeGyp) die(1, 'electron-rebuild-sqlite: node-gyp was not found (it comes with npm and with electron-builder).');
    say(`electron-rebuild-sqlite: compiling better-sqlite3 ${sqliteVersion} against Electron ${electronVersion}'s headers (about a minute)...`);
    fs.rmSync(path.join(pkgCopy, 'build'), { recursive: true, force: true });
    const gypStart = fs.statSync(log).size;
    const code = await runLogged(
      process.execPath,
      [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${values.arch}`, `--dist-url=${values['dist-url']}`, '--jobs=max'],
      pkgCopy,
      // Only what node-gyp needs: no npm_config_* at all (nodedir in particular).
      cleanBuildEnv(process.env),
      log,
    );
    if (code !== 0 || !fs.existsSync(built)) {
      // Only node-gyp's part of the log decides: prebuild-install's own network failure is expected offline.
      const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(gypStart) : '';
      const kept = path.join(root, '.electron-sqlite', 'last-failure.log');
      fs.mkdirSync(path.dirname(kept), { recursive: true });
      fs.copyFileSync(log, kept);
      if (NETWORK.test(text)) {
        exitCode = 2;
        say(
          `electron-rebuild-sqlite: could not download Electron ${electronVersion}'s headers from ${values['dist-url']} ` +
            `(offline or blocked network), so better-sqlite3 cannot be built for Electron here. Nothing was changed in ` +
            `node_modules; the CLI, the tests and "npm run web" keep working. Log: ${path.relative(root, kept)}\n${networkLines(log)}`,
        );
      } else {
        exitCode = 1;
        say(`electron-rebuild-sqlite: node-gyp failed (log: ${path.relative(root, kept)}):\n${tail(log)}`);
      }
      throw new Error('build failed');
    }
    how = 'compiled';
  }

  const bytes = fs.readFileSync(built);
  const abis = binaryAbis(bytes);
  if (abis.length !== 1 || abis[0] !== abi) {
    exitCode = 1;
    say(
      `electron-rebuild-sqlite: the ${how} binary registers for ABI ${abis.join(', ') || '(none found)'}, not Electron ${electronVersion}'s ABI ${abi}. ` +
        `It was not installed. (A nodedir setting pointing at Node's headers causes this.)`,
    );
    throw new Error('wrong ABI');
  }

  fs.mkdirSync(outDir, { recursive: true });
  const tmp = path.join(outDir, `.${SQLITE_FILE}.${process.pid}.tmp`);
  fs.copyFileSync(built, tmp);
  fs.renameSync(tmp, path.join(outDir, SQLITE_FILE));
  fs.writeFileSync(
    path.join(outDir, BUILD_INFO_FILE),
    `${JSON.stringify({ betterSqlite3: sqliteVersion, electron: electronVersion, abi, platform: process.platform, arch: values.arch, how, builtAt: new Date().toISOString() }, null, 2)}\n`,
  );
  say(`electron-rebuild-sqlite: ${path.relative(root, path.join(outDir, SQLITE_FILE))} (${how}, ABI ${abi}).`);
} catch (err) {
  if (exitCode === 0) {
    exitCode = 1;
    say(`electron-rebuild-sqlite: ${err instanceof Error ? err.message : String(err)}`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
if (nodeBuildFingerprint() !== fingerprint) {
  // Should be impossible (the build runs in a private copy); say it loudly if it ever happens.
  exitCode = 1;
  say('electron-rebuild-sqlite: node_modules/better-sqlite3/build changed during this run! Restore it with "npm rebuild better-sqlite3".');
}
process.exit(exitCode);
