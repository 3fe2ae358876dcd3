import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * scripts/electron-rebuild-sqlite.mjs in a stand-in project: its own copy of the script and
 * launcher, node-gyp from this checkout, and a fake better-sqlite3 that is a symbolic link (as with
 * npm link or pnpm) holding a "Node build". Electron's headers come from an address that refuses
 * connections, as on an offline machine.
 */
function standIn(): { root: string; pkg: string; nodeBuild: string } {
  const root = tempDir('lockup-rebuild-');
  fs.mkdirSync(path.join(root, 'scripts'));
  fs.mkdirSync(path.join(root, 'electron'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'electron-rebuild-sqlite.mjs'), path.join(root, 'scripts', 'electron-rebuild-sqlite.mjs'));
  fs.copyFileSync(path.join(ROOT, 'electron', 'launcher.mjs'), path.join(root, 'electron', 'launcher.mjs'));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'stand-in', version: '0.0.0' }));
  const modules = path.join(root, 'node_modules');
  fs.mkdirSync(path.join(modules, 'electron'), { recursive: true });
  fs.writeFileSync(path.join(modules, 'electron', 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
  fs.writeFileSync(path.join(modules, 'electron', 'abi_version'), '150');
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'node-gyp'), path.join(modules, 'node-gyp'));
  // The real package lives elsewhere; node_modules/better-sqlite3 only links to it.
  const pkg = path.join(tempDir('lockup-fake-bs3-'), 'better-sqlite3');
  fs.mkdirSync(path.join(pkg, 'build', 'Release'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }));
  fs.writeFileSync(path.join(pkg, 'binding.gyp'), "{ 'targets': [ { 'target_name': 'better_sqlite3', 'sources': [] } ] }");
  const nodeBuild = path.join(pkg, 'build', 'Release', 'better_sqlite3.node');
  fs.writeFileSync(nodeBuild, 'node_register_module_v115 (the Node build the CLI and tests use)');
  fs.symlinkSync(pkg, path.join(modules, 'better-sqlite3'));
  return { root, pkg, nodeBuild };
}

describe('scripts/electron-rebuild-sqlite.mjs', () => {
  it('offline: says the headers could not be downloaded, exits 2, and leaves the Node build alone (even through a symlink)', async () => {
    // A port nothing listens on: the connection is refused at once.
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const distUrl = `http://127.0.0.1:${closedPort}`;
    const { root, pkg, nodeBuild } = standIn();
    const before = fs.readFileSync(nodeBuild);
    const listing = fs.readdirSync(pkg, { recursive: true }).sort();
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'electron-rebuild-sqlite.mjs'), '--no-prebuilt', `--dist-url=${distUrl}`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      // npm's nodedir (as on the project's machines) must not be used: it would build against Node's headers.
      env: { ...process.env, npm_config_nodedir: '/usr', XDG_CACHE_HOME: tempDir('lockup-gyp-cache-') },
    });
    expect(r.stderr).toContain(`could not download Electron 45.5.0's headers from ${distUrl} (offline or blocked network)`);
    expect(r.stderr).toContain('Nothing was changed in node_modules');
    expect(r.stderr).not.toMatch(/^\s*at\s/m);
    expect(r.status).toBe(2);
    expect(fs.readFileSync(nodeBuild)).toEqual(before);
    expect(fs.readdirSync(pkg, { recursive: true }).sort()).toEqual(listing);
    expect(fs.existsSync(path.join(root, '.electron-sqlite', '45.5.0'))).toBe(false);
  });
});
