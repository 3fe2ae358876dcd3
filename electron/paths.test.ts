import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../backend/data-dir.ts';
import { appLayout, chooseDataDir, sqliteBindingPath } from './paths.ts';

describe('appLayout', () => {
  it('finds the preload, the renderer and the backend entry from the bundled main module', () => {
    const root = path.resolve('/opt/Lockup/resources/app');
    expect(appLayout(pathToFileURL(path.join(root, 'dist', 'electron', 'main.mjs')).href)).toEqual({
      root,
      preload: path.join(root, 'dist', 'electron', 'preload.cjs'),
      rendererDir: path.join(root, 'dist', 'renderer'),
      backendEntry: path.join(root, 'dist', 'electron', 'backend', 'backend-host.mjs'),
    });
  });
});

describe('chooseDataDir', () => {
  it('uses LOCKUP_DATA_DIR when set, else the per-user folder', () => {
    expect(chooseDataDir({ LOCKUP_DATA_DIR: 'rel/dir' }, '/home/u/.config/Lockup')).toBe(path.resolve('rel/dir'));
    expect(chooseDataDir({}, '/home/u/.config/Lockup')).toBe('/home/u/.config/Lockup');
    expect(chooseDataDir({ LOCKUP_DATA_DIR: '' }, '/home/u/.config/Lockup')).toBe('/home/u/.config/Lockup');
  });

  it('the per-user folder main.ts passes (appData + "Lockup") is the one the CLI uses', () => {
    // main.ts: path.join(app.getPath('appData'), 'Lockup'); Electron's appData on Linux is $XDG_CONFIG_HOME or ~/.config.
    expect(path.join('/home/u/.config', 'Lockup')).toBe(defaultDataDir({}, 'linux', '/home/u'));
    expect(path.join('/xdg', 'Lockup')).toBe(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/u'));
  });
});

describe('sqliteBindingPath', () => {
  const base = { env: {}, packaged: false, resourcesPath: '/opt/Lockup/resources', root: '/src/lockup', electronVersion: '45.5.0' };

  it('in development: .electron-sqlite/<electron version>/, never node_modules', () => {
    const p = sqliteBindingPath(base);
    expect(p).toBe(path.join('/src/lockup', '.electron-sqlite', '45.5.0', 'better_sqlite3.node'));
    expect(p).not.toContain('node_modules');
  });

  it('packaged: resources/better-sqlite3/ (electron-builder.yml extraResources)', () => {
    expect(sqliteBindingPath({ ...base, packaged: true })).toBe(path.join('/opt/Lockup/resources', 'better-sqlite3', 'better_sqlite3.node'));
  });

  it('LOCKUP_SQLITE_BINDING overrides both', () => {
    expect(sqliteBindingPath({ ...base, env: { LOCKUP_SQLITE_BINDING: '/cache/b.node' }, packaged: true })).toBe(path.resolve('/cache/b.node'));
  });
});
