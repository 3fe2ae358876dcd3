import { fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../test/support/temp.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const ELECTRON_DIR = path.join(ROOT, 'electron');
/** The only modules that may load Electron at run time (each bundled as its own entry point). */
const ENTRY_POINTS = ['main.ts', 'preload.ts'];
const ELECTRON = ['elec', 'tron'].join(''); // spelt in two, so no grep mistakes this test for an import

// If any module below loads Electron at run time, importing it here fails.
vi.mock('electron', () => {
  throw new Error('electron must not be loaded outside main.ts and preload.ts');
});

const sources = fs
  .readdirSync(ELECTRON_DIR)
  .filter((f) => /\.(ts|mts|mjs)$/.test(f) && !/\.test\.ts$/.test(f) && !f.endsWith('.d.mts') && f !== 'vitest.config.ts');

/** Import statements of a source file that load a module at run time (not `import type`); comments are ignored. */
function runtimeImports(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*import\s+(?!type\s)([^;]*?)\s+from\s+['"]([^'"]+)['"]/gms)) found.push(m[2]!);
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push(m[1]!);
  for (const m of text.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

describe('where Electron may be loaded', () => {
  it('only electron/main.ts and electron/preload.ts import it at run time', () => {
    const importers = sources.filter((f) => runtimeImports(fs.readFileSync(path.join(ELECTRON_DIR, f), 'utf8')).some((m) => m === ELECTRON || m.startsWith(`${ELECTRON}/`)));
    expect(importers.sort()).toEqual(ENTRY_POINTS);
  });

  it('type imports of it are `import type` (an inline `{ type X }` would still load the module)', () => {
    for (const f of sources) {
      const text = fs.readFileSync(path.join(ELECTRON_DIR, f), 'utf8');
      for (const m of text.matchAll(new RegExp(`^\\s*import\\s+(?!type\\s)\\{([^}]*)\\}\\s+from\\s+['"]${ELECTRON}['"]`, 'gm'))) {
        const names = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
        expect(names.every((n) => n.startsWith('type ')), `${f}: ${m[0]}`).toBe(false);
      }
    }
  });

  it.each(sources.filter((f) => !ENTRY_POINTS.includes(f) && f !== 'backend-entry.ts'))('%s loads without Electron', async (file) => {
    await expect(import(`./${file}`)).resolves.toBeDefined();
  });

  it('nothing outside electron/ imports it', () => {
    const offenders: string[] = [];
    for (const dir of ['core', 'backend', 'cli', 'renderer', 'scripts', 'bin']) {
      const base = path.join(ROOT, dir);
      if (!fs.existsSync(base)) continue;
      for (const f of fs.readdirSync(base, { recursive: true }) as string[]) {
        if (!/\.(ts|tsx|mjs|js)$/.test(f) || f.includes('node_modules')) continue;
        const text = fs.readFileSync(path.join(base, f), 'utf8');
        if (runtimeImports(text).some((m) => m === ELECTRON || m.startsWith(`${ELECTRON}/`))) offenders.push(path.join(dir, f));
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('the bundles scripts/electron-build.mjs makes', () => {
  // Inside the repository (ignored by git) so the backend bundle resolves better-sqlite3 and finds package.json.
  const out = path.join(ROOT, '.scratch', `electron-build-test-${process.pid}`);

  beforeAll(() => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'electron-build.mjs'), '--outdir', out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('the preload is one CommonJS file that requires nothing but Electron, and carries no zod', () => {
    const text = fs.readFileSync(path.join(out, 'preload.cjs'), 'utf8');
    const required = [...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual([ELECTRON]);
    expect(text).not.toMatch(/^\s*(import|export)\s/m);
    expect(text).toMatch(/exposeInMainWorld\)?\(\s*"lockup",/);
    expect(text).toMatch(/exposeInMainWorld\)?\(\s*"lockupMenu",/);
    expect(text).not.toMatch(/\bzod\b|ZodError/);
    expect(text.length).toBeLessThan(20_000);
  });

  it('the main process bundle loads Electron but never SQLite; the backend bundle the reverse', () => {
    const main = fs.readFileSync(path.join(out, 'main.mjs'), 'utf8');
    expect(main).toMatch(new RegExp(`from ["']${ELECTRON}["']`));
    expect(main).not.toMatch(/from ["']better-sqlite3["']|require\(["']better-sqlite3["']\)/);
    const backend = fs
      .readdirSync(path.join(out, 'backend'))
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => fs.readFileSync(path.join(out, 'backend', f), 'utf8'))
      .join('\n');
    expect(backend).not.toMatch(new RegExp(`from ["']${ELECTRON}["']|require\\(["']${ELECTRON}["']\\)`));
    expect(backend).toMatch(/require\(["']better-sqlite3["']\)|from ["']better-sqlite3["']/);
  });

  it('the bundled backend runs as a utility process would: opens the catalogue, takes in a logo on its worker thread, closes', async () => {
    // A Node child with a stand-in for Electron's process.parentPort, fed over Node's IPC channel.
    const shim = path.join(tempDir('lockup-shim-'), 'utility-shim.mjs');
    fs.writeFileSync(
      shim,
      `import { EventEmitter } from 'node:events';
       import { pathToFileURL } from 'node:url';
       // Like Electron's parentPort, messages wait until a handler is registered.
       const port = new EventEmitter();
       const queued = [];
       port.on('newListener', (event) => { if (event === 'message') setImmediate(() => { for (const m of queued.splice(0)) port.emit('message', { data: m }); }); });
       port.postMessage = (m) => process.send(m);
       process.on('message', (m) => (port.listenerCount('message') > 0 ? port.emit('message', { data: m }) : queued.push(m)));
       process.parentPort = port;
       await import(pathToFileURL(process.argv[2]).href);`,
    );
    const child = fork(shim, [path.join(out, 'backend', 'backend-host.mjs')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const messages: { type: string; id?: number; envelope?: { ok: boolean; value?: unknown; error?: unknown } }[] = [];
    child.on('message', (m) => messages.push(m as (typeof messages)[number]));
    const next = async (type: string, id?: number) => {
      await vi.waitFor(() => expect(messages.find((m) => m.type === type && (id === undefined || m.id === id))).toBeDefined(), { timeout: 30_000 });
      return messages.find((m) => m.type === type && (id === undefined || m.id === id))!;
    };
    try {
      const dataDir = tempDir('lockup-bundle-data-');
      child.send({ type: 'init', init: { dataDir, version: 'bundle', seedDemo: true } });
      await next('ready');
      const logo = fs.readFileSync(path.join(ROOT, 'examples', 'partners', 'logos', 'harbor-it-light.png')).toString('base64');
      child.send({ type: 'call', id: 1, op: 'logo:intake', input: { name: 'harbor.png', data: logo } });
      child.send({ type: 'call', id: 2, op: 'templates:list', input: {} });
      expect((await next('result', 1)).envelope).toMatchObject({ ok: true, value: { format: 'png' } });
      const list = (await next('result', 2)).envelope!;
      expect(list.ok && (list.value as unknown[]).length).toBe(10);
      child.send({ type: 'shutdown' });
      await next('closed');
    } finally {
      child.kill();
    }
  }, 60_000);
});
