import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../test/support/temp.ts';
import {
  BUILD_INFO_FILE,
  binaryAbis,
  binaryHasAbi,
  buildPlan,
  cleanBuildEnv,
  electronMissingMessage,
  findElectronBinary,
  obtainElectron,
  platformExecutable,
  runStart,
  sqliteBindingStatus,
  summariseFailure,
  type StartDeps,
} from './launcher.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');

/** What `npx electron` printed on this project's offline machines. */
const OFFLINE_OUTPUT = `TypeError: fetch failed
    at node:internal/deps/undici/undici:14976:13
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
    at async FetchDownloader.download (file:///work/main/node_modules/@electron/get/dist/FetchDownloader.js:46:30)
    at async downloadArtifact (file:///work/main/node_modules/@electron/get/dist/index.js:154:12)
`;

/** A project folder with a fake electron package whose install.js runs `script`. */
function fakeProject(script: string | undefined, version = '45.5.0'): string {
  const root = tempDir('lockup-launcher-');
  const dir = path.join(root, 'node_modules', 'electron');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'electron', version }));
  fs.writeFileSync(path.join(dir, 'abi_version'), '150');
  if (script !== undefined) fs.writeFileSync(path.join(dir, 'install.js'), script);
  return root;
}

/** An install.js that does what electron's does when the download works. */
const INSTALLS = `
const fs = require('fs'); const path = require('path');
const exe = ${JSON.stringify(platformExecutable())};
fs.mkdirSync(path.join(__dirname, 'dist', path.dirname(exe)), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'dist', exe), '');
fs.writeFileSync(path.join(__dirname, 'dist', 'version'), 'v45.5.0');
fs.writeFileSync(path.join(__dirname, 'path.txt'), exe);
`;

/** An install.js that fails the way it does offline. */
const FAILS = `process.stderr.write(${JSON.stringify(OFFLINE_OUTPUT)}); process.exit(1);`;

function deps(over: Partial<StartDeps> = {}): StartDeps & { out: string[] } {
  const out: string[] = [];
  return {
    obtainElectron: vi.fn(async () => ({ ok: true as const, path: '/x/electron', version: '45.5.0' })),
    ensureBuilt: vi.fn(async () => ({ ok: true as const })),
    ensureSqlite: vi.fn(async () => ({ ok: true as const })),
    launch: vi.fn(async () => 0),
    stderr: (t: string) => out.push(t),
    out,
    ...over,
  };
}

describe('npm start: when there is no Electron runtime', () => {
  it('prints one paragraph naming the cause and `npm run web`, exits 1, and builds or launches nothing', async () => {
    const d = deps({ obtainElectron: vi.fn(async () => ({ ok: false as const, version: '45.5.0', reason: 'fetch failed' })) });
    expect(await runStart(d)).toBe(1);
    expect(d.out).toHaveLength(1);
    const text = d.out[0]!;
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd()).not.toContain('\n'); // one paragraph
    expect(text).toMatch(/Electron runtime 45\.5\.0/);
    expect(text).toContain('(fetch failed)');
    expect(text).toContain('"npm run web"');
    expect(text).not.toMatch(/\bat\s+\S+\s+\(|node:internal|TypeError/); // no stack trace
    expect(d.ensureBuilt).not.toHaveBeenCalled();
    expect(d.ensureSqlite).not.toHaveBeenCalled();
    expect(d.launch).not.toHaveBeenCalled();
  });

  it('runs the steps in order when everything is there, and returns Electron’s exit code', async () => {
    const order: string[] = [];
    const d = deps({
      obtainElectron: async () => (order.push('electron'), { ok: true, path: '/bin/electron', version: '45.5.0' }),
      ensureBuilt: async () => (order.push('build'), { ok: true }),
      ensureSqlite: async (v) => (order.push(`sqlite ${v}`), { ok: true }),
      launch: async (p) => (order.push(`launch ${p}`), 3),
    });
    expect(await runStart(d)).toBe(3);
    expect(order).toEqual(['electron', 'build', 'sqlite 45.5.0', 'launch /bin/electron']);
  });

  it('stops at a failed build, and at a failed SQLite build, with their message', async () => {
    const a = deps({ ensureBuilt: async () => ({ ok: false, message: 'build broke' }) });
    expect(await runStart(a)).toBe(1);
    expect(a.out).toEqual(['build broke\n']);
    expect(a.ensureSqlite).not.toHaveBeenCalled();
    const b = deps({ ensureSqlite: async () => ({ ok: false, message: 'no headers' }) });
    expect(await runStart(b)).toBe(1);
    expect(b.launch).not.toHaveBeenCalled();
  });
});

describe('obtainElectron (a real child process runs the package’s install.js)', () => {
  it('reports an offline download as one short reason, without the stack', async () => {
    const result = await obtainElectron(fakeProject(FAILS), { env: {} });
    expect(result).toEqual({ ok: false, version: '45.5.0', reason: 'fetch failed' });
  });

  it('finds the executable the download put in place', async () => {
    const root = fakeProject(INSTALLS);
    expect(findElectronBinary(root, {})).toBeUndefined();
    const result = await obtainElectron(root, { env: {} });
    expect(result).toEqual({ ok: true, path: path.join(root, 'node_modules', 'electron', 'dist', platformExecutable()), version: '45.5.0' });
    expect(findElectronBinary(root, {})).toMatchObject({ version: '45.5.0' });
  });

  it('does not try to download when the binary is there, or when told not to', async () => {
    const run = vi.fn();
    const root = fakeProject(INSTALLS);
    await obtainElectron(root, { env: {} });
    expect(await obtainElectron(root, { env: {}, run })).toMatchObject({ ok: true });
    expect(await obtainElectron(fakeProject(FAILS), { env: { LOCKUP_NO_ELECTRON_DOWNLOAD: '1' }, run })).toMatchObject({ ok: false, reason: expect.stringContaining('LOCKUP_NO_ELECTRON_DOWNLOAD') });
    expect(run).not.toHaveBeenCalled();
  });

  it('says so when the download times out, or when there is no electron package', async () => {
    const run = vi.fn(async () => ({ status: null, output: '', timedOut: true }));
    expect(await obtainElectron(fakeProject(FAILS), { env: {}, run })).toMatchObject({ ok: false, reason: 'the download did not finish in time' });
    expect(await obtainElectron(tempDir(), { env: {} })).toMatchObject({ ok: false, reason: expect.stringContaining('npm install') });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH, and ignores a binary of another version', () => {
    const root = fakeProject(undefined);
    const dist = tempDir();
    fs.mkdirSync(path.join(dist, path.dirname(platformExecutable())), { recursive: true });
    fs.writeFileSync(path.join(dist, platformExecutable()), '');
    expect(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: dist })).toEqual({ path: path.join(dist, platformExecutable()), version: '45.5.0' });
    const pkg = path.join(root, 'node_modules', 'electron');
    fs.mkdirSync(path.join(pkg, 'dist', path.dirname(platformExecutable())), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'dist', platformExecutable()), '');
    fs.writeFileSync(path.join(pkg, 'path.txt'), platformExecutable());
    fs.writeFileSync(path.join(pkg, 'dist', 'version'), 'v44.0.0');
    expect(findElectronBinary(root, {})).toBeUndefined();
  });

  it('summariseFailure keeps the telling line', () => {
    expect(summariseFailure(OFFLINE_OUTPUT)).toBe('fetch failed');
    expect(summariseFailure('Downloading Electron binary...\nRequestError: getaddrinfo ENOTFOUND github.com\n    at x (y.js:1:1)')).toBe('getaddrinfo ENOTFOUND github.com');
    expect(summariseFailure('HTTPError: Response code 404 (Not Found) for https://github.com/electron/...')).toContain('404');
    expect(summariseFailure('')).toBe('the download failed');
    expect(summariseFailure('x'.repeat(500)).length).toBeLessThanOrEqual(160);
  });
});

describe('bin/start.js on a machine without the Electron binary', () => {
  it.skipIf(findElectronBinary(ROOT) !== undefined)('prints the paragraph and exits 1 (download attempt turned off)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'start.js')], { env: { ...process.env, LOCKUP_NO_ELECTRON_DOWNLOAD: '1' }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(electronMissingMessage({ version: JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')).version, reason: 'downloading was turned off (LOCKUP_NO_ELECTRON_DOWNLOAD)' }));
  });
});

describe('build freshness', () => {
  function project() {
    const root = tempDir('lockup-plan-');
    for (const f of ['renderer/src/main.tsx', 'core/a.ts', 'backend/b.ts', 'electron/main.ts']) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), '//');
    }
    return root;
  }
  const touch = (root: string, f: string, when: number) => {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    if (!fs.existsSync(path.join(root, f))) fs.writeFileSync(path.join(root, f), '');
    fs.utimesSync(path.join(root, f), when, when);
  };

  it('builds what is missing or older than its sources, and nothing else', () => {
    const root = project();
    expect(buildPlan(root)).toEqual({ project: true, electron: true });
    const later = Date.now() / 1000 + 60;
    for (const f of ['dist/renderer/index.html', 'dist/electron/main.mjs', 'dist/electron/preload.cjs', 'dist/electron/backend/backend-host.mjs']) touch(root, f, later);
    expect(buildPlan(root)).toEqual({ project: false, electron: false });
    touch(root, 'backend/b.ts', later + 60);
    expect(buildPlan(root)).toEqual({ project: false, electron: true });
    touch(root, 'renderer/src/main.tsx', later + 60);
    expect(buildPlan(root)).toEqual({ project: true, electron: true });
  });

  it('ignores test files', () => {
    const root = project();
    const later = Date.now() / 1000 + 60;
    for (const f of ['dist/renderer/index.html', 'dist/electron/main.mjs', 'dist/electron/preload.cjs', 'dist/electron/backend/backend-host.mjs']) touch(root, f, later);
    touch(root, 'electron/ipc.test.ts', later + 60);
    expect(buildPlan(root).electron).toBe(false);
  });
});

describe('SQLite for Electron', () => {
  it('reads the ABI a native module registers for: Node’s build in node_modules is not Electron’s', () => {
    const node = fs.readFileSync(path.join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
    expect(binaryAbis(node)).toEqual([process.versions.modules]);
    expect(binaryHasAbi(node, process.versions.modules)).toBe(true);
    expect(binaryHasAbi(node, '150')).toBe(false);
    expect(binaryAbis(Buffer.from('..node_register_module_v150\0..'))).toEqual(['150']);
    expect(binaryHasAbi(Buffer.from('node_register_module_v150 node_register_module_v115'), '150')).toBe(false);
  });

  it('removes npm’s config variables (nodedir above all) from the build environment', () => {
    expect(cleanBuildEnv({ PATH: '/bin', npm_config_nodedir: '/usr', NPM_CONFIG_TARGET: '20', npm_package_name: 'lockup', HOME: '/h' })).toEqual({ PATH: '/bin', HOME: '/h' });
  });

  it('knows when .electron-sqlite needs a (re)build', () => {
    const root = tempDir('lockup-sqlite-');
    fs.mkdirSync(path.join(root, 'node_modules', 'better-sqlite3'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'package.json'), JSON.stringify({ version: '12.11.1' }));
    const dir = path.join(root, '.electron-sqlite', '45.5.0');
    expect(sqliteBindingStatus(root, '45.5.0', 'linux', 'x64')).toMatchObject({ ok: false, why: 'not built yet' });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'better_sqlite3.node'), '');
    expect(sqliteBindingStatus(root, '45.5.0', 'linux', 'x64')).toMatchObject({ ok: false, why: 'its build record is missing' });
    const info = { betterSqlite3: '12.11.1', electron: '45.5.0', platform: 'linux', arch: 'x64' };
    fs.writeFileSync(path.join(dir, BUILD_INFO_FILE), JSON.stringify(info));
    expect(sqliteBindingStatus(root, '45.5.0', 'linux', 'x64')).toEqual({ ok: true, file: path.join(dir, 'better_sqlite3.node') });
    expect(sqliteBindingStatus(root, '45.5.0', 'linux', 'arm64')).toMatchObject({ ok: false });
    fs.writeFileSync(path.join(dir, BUILD_INFO_FILE), JSON.stringify({ ...info, betterSqlite3: '12.10.0' }));
    expect(sqliteBindingStatus(root, '45.5.0', 'linux', 'x64')).toMatchObject({ ok: false, why: expect.stringContaining('12.11.1 is installed') });
  });
});
