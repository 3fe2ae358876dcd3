// The logic behind `npm start` (bin/start.js), in plain JavaScript so it runs on
// Node 20 before anything is built. Every step that touches the outside world
// is injected into runStart(), so tests can drive the "Electron missing" path
// with a failing probe. Types: electron/launcher.d.mts.
//
// How the electron package (>= 42) gets its binary: it has no install script.
// node_modules/electron/index.js reads path.txt and, when the binary under
// dist/ is missing, runs install.js (which downloads the zip from GitHub via
// @electron/get, or ELECTRON_MIRROR) on the first require('electron').
// findElectronBinary() looks without downloading; obtainElectron() runs
// install.js itself, in a child process with a timeout and its output captured,
// so a failure can be explained in one paragraph instead of a stack trace.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 300_000;
export const SQLITE_FOLDER = '.electron-sqlite';
export const SQLITE_FILE = 'better_sqlite3.node';
export const BUILD_INFO_FILE = 'build-info.json';

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The installed electron npm package: its folder, version and ABI, or undefined. */
export function electronPackage(root) {
  const dir = path.join(root, 'node_modules', 'electron');
  const pkg = readText(path.join(dir, 'package.json'));
  if (pkg === undefined) return undefined;
  let version;
  try {
    version = JSON.parse(pkg).version;
  } catch {
    return undefined;
  }
  if (typeof version !== 'string') return undefined;
  const abi = (readText(path.join(dir, 'abi_version')) ?? '').trim();
  return { dir, version, abi: /^\d+$/.test(abi) ? abi : undefined };
}

/** The executable's path inside the electron package's dist/ for this platform (what install.js writes to path.txt). */
export function platformExecutable(platform = process.platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * The Electron executable if it is already on disk, without downloading
 * anything: ELECTRON_OVERRIDE_DIST_PATH, else node_modules/electron/dist as
 * recorded in path.txt (and dist/version matching the package version).
 */
export function findElectronBinary(root, env = process.env, platform = process.platform) {
  const pkg = electronPackage(root);
  if (!pkg) return undefined;
  const recorded = readText(path.join(pkg.dir, 'path.txt'));
  const exe = recorded?.trim() || platformExecutable(platform);
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const file = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, exe);
    return fs.existsSync(file) ? { path: file, version: pkg.version } : undefined;
  }
  if (recorded === undefined) return undefined;
  const file = path.join(pkg.dir, 'dist', exe);
  const distVersion = (readText(path.join(pkg.dir, 'dist', 'version')) ?? '').trim().replace(/^v/, '');
  if (!fs.existsSync(file) || (distVersion !== '' && distVersion !== pkg.version)) return undefined;
  return { path: file, version: pkg.version };
}

/** Runs a command with a timeout, capturing its output. Never rejects. */
export function runCaptured(command, args, options = {}) {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (err) {
      resolve({ status: null, output: String(err?.message ?? err), timedOut: false });
      return;
    }
    const keep = (chunk) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    }, options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS);
    child.on('error', (err) => keep(`${err.message}\n`));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output, timedOut });
    });
  });
}

const NETWORK_HINTS = /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|certificate|self[- ]signed|HTTPError|Response code \d+|status code \d+|404|403/i;

/** One short line saying why a download failed: the most telling error line of its output, never a stack frame. */
export function summariseFailure(output, timedOut = false) {
  if (timedOut) return 'the download did not finish in time';
  const lines = String(output ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^at\s/.test(l) && !/^(node:internal|file:\/\/)/.test(l) && !/^Downloading Electron/.test(l));
  const telling = lines.find((l) => NETWORK_HINTS.test(l)) ?? lines.find((l) => /error/i.test(l)) ?? lines[0];
  if (!telling) return 'the download failed';
  const cause = /fetch failed/i.test(telling) ? 'fetch failed' : telling.replace(/^(\w*Error):\s*/, '');
  return cause.length > 160 ? `${cause.slice(0, 157)}...` : cause;
}

/**
 * The Electron executable, downloading it first if needed (install.js of the
 * electron package, in a child process, output captured, with a timeout).
 * LOCKUP_NO_ELECTRON_DOWNLOAD=1 skips the download attempt.
 */
export async function obtainElectron(root, options = {}) {
  const env = options.env ?? process.env;
  const found = findElectronBinary(root, env);
  if (found) return { ok: true, ...found };
  const pkg = electronPackage(root);
  if (!pkg) return { ok: false, version: undefined, reason: 'the electron package is not installed (run "npm install")' };
  if (env.LOCKUP_NO_ELECTRON_DOWNLOAD) return { ok: false, version: pkg.version, reason: 'downloading was turned off (LOCKUP_NO_ELECTRON_DOWNLOAD)' };
  const run = options.run ?? runCaptured;
  const timeoutMs = Number(env.LOCKUP_ELECTRON_DOWNLOAD_TIMEOUT_MS) > 0 ? Number(env.LOCKUP_ELECTRON_DOWNLOAD_TIMEOUT_MS) : DEFAULT_DOWNLOAD_TIMEOUT_MS;
  // A note only when the download takes a while, so an immediate failure prints just the one paragraph.
  const note = options.onSlow ? setTimeout(options.onSlow, 1500) : undefined;
  const result = await run(process.execPath, [path.join(pkg.dir, 'install.js')], { cwd: root, env, timeoutMs });
  clearTimeout(note);
  const after = findElectronBinary(root, env);
  if (after) return { ok: true, ...after };
  return { ok: false, version: pkg.version, reason: result.status === 0 ? 'the download finished but no executable appeared' : summariseFailure(result.output, result.timedOut) };
}

/** The one paragraph `npm start` prints when there is no Electron runtime. */
export function electronMissingMessage(failure) {
  const version = failure.version ? ` ${failure.version}` : '';
  return (
    `Lockup could not open its desktop window: the Electron runtime${version} (the program that draws the window, ` +
    `about 100 MB) is not on this machine and could not be downloaded (${failure.reason}). The network is probably ` +
    `offline or blocks github.com, where the electron package fetches it on first use. Nothing else in Lockup ` +
    `needs it: "npm run web" runs the same studio in your browser, and "npx lockup" works from the command line. ` +
    `For the desktop window, run "npm start" again where github.com (or your ELECTRON_MIRROR) is reachable, or set ` +
    `ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron${version} build.\n`
  );
}

// ---- build freshness

const SOURCE_EXT = /\.(ts|tsx|mts|js|mjs|css|html|json)$/;

/** Newest modification time (ms) of source files below the given folders; 0 when there are none. */
export function newestSource(root, folders) {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (SOURCE_EXT.test(e.name) && !/\.test\.tsx?$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const f of folders) walk(path.join(root, f));
  return newest;
}

/** Oldest modification time of the given outputs; -1 when any is missing. */
export function oldestOutput(root, files) {
  let oldest = Infinity;
  for (const f of files) {
    try {
      oldest = Math.min(oldest, fs.statSync(path.join(root, f)).mtimeMs);
    } catch {
      return -1;
    }
  }
  return oldest;
}

export const RENDERER_OUTPUTS = ['dist/renderer/index.html'];
export const ELECTRON_OUTPUTS = ['dist/electron/main.mjs', 'dist/electron/preload.cjs', 'dist/electron/backend/backend-host.mjs'];

/** What `npm start` must build before launching: the whole project (renderer included) and/or the shell bundle. */
export function buildPlan(root) {
  const renderer = oldestOutput(root, RENDERER_OUTPUTS);
  const shell = oldestOutput(root, ELECTRON_OUTPUTS);
  return {
    project: renderer < 0 || newestSource(root, ['renderer', 'core']) > renderer,
    electron: shell < 0 || newestSource(root, ['electron', 'core', 'backend']) > shell,
  };
}

// ---- SQLite for Electron

/** The NODE_MODULE_VERSIONs a native module registers itself for (read from its `node_register_module_v<N>` symbol). */
export function binaryAbis(bytes) {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return [...new Set([...text.matchAll(/node_register_module_v(\d+)/g)].map((m) => m[1]))];
}

/** True when a native module was built for this ABI and no other. */
export function binaryHasAbi(bytes, abi) {
  const abis = binaryAbis(bytes);
  return abis.length === 1 && abis[0] === String(abi);
}

export function sqliteBindingDir(root, electronVersion) {
  return path.join(root, SQLITE_FOLDER, electronVersion);
}

/**
 * Is .electron-sqlite/<electron version>/better_sqlite3.node there and built
 * from the installed better-sqlite3, for this platform and architecture?
 */
export function sqliteBindingStatus(root, electronVersion, platform = process.platform, arch = process.arch) {
  const dir = sqliteBindingDir(root, electronVersion);
  const file = path.join(dir, SQLITE_FILE);
  if (!fs.existsSync(file)) return { ok: false, file, why: 'not built yet' };
  let info;
  try {
    info = JSON.parse(fs.readFileSync(path.join(dir, BUILD_INFO_FILE), 'utf8'));
  } catch {
    return { ok: false, file, why: 'its build record is missing' };
  }
  let installed;
  try {
    installed = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')).version;
  } catch {
    return { ok: false, file, why: 'better-sqlite3 is not installed' };
  }
  if (info.betterSqlite3 !== installed) return { ok: false, file, why: `built from better-sqlite3 ${info.betterSqlite3}, ${installed} is installed` };
  if (info.electron !== electronVersion || info.platform !== platform || info.arch !== arch) return { ok: false, file, why: `built for Electron ${info.electron} on ${info.platform}-${info.arch}` };
  return { ok: true, file };
}

/** The environment for node-gyp: without npm's config variables (npm_config_nodedir=/usr would build against Node's headers and label the result as Electron's). */
export function cleanBuildEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_config_/i.test(k) && !/^npm_package_/i.test(k)));
}

// ---- launching

/** Starts Electron on the app folder and resolves with its exit code; Ctrl+C and SIGTERM are passed on. */
export function launchElectron(binary, root, env = process.env) {
  const childEnv = { ...env };
  // With this set the binary runs as plain Node and ignores the app.
  delete childEnv.ELECTRON_RUN_AS_NODE;
  return new Promise((resolve) => {
    const child = spawn(binary, ['.'], { cwd: root, env: childEnv, stdio: 'inherit', windowsHide: false });
    const forward = (signal) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('error', (err) => {
      process.stderr.write(`lockup: could not start Electron (${err.message})\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/**
 * `npm start`: obtain Electron, build what is stale, prepare the Electron-ABI
 * SQLite binding, launch. Resolves with the process exit code. The Electron
 * check comes first because it is the step that fails on offline machines,
 * and it fails in a second there rather than after a full build.
 */
export async function runStart(deps) {
  const electron = await deps.obtainElectron();
  if (!electron.ok) {
    deps.stderr(electronMissingMessage(electron));
    return 1;
  }
  const built = await deps.ensureBuilt();
  if (!built.ok) {
    deps.stderr(`${built.message}\n`);
    return 1;
  }
  const sqlite = await deps.ensureSqlite(electron.version);
  if (!sqlite.ok) {
    deps.stderr(`${sqlite.message}\n`);
    return 1;
  }
  return deps.launch(electron.path);
}
