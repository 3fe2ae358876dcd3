import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_FILE, defaultDataDir, resolveDataDir } from './data-dir.ts';

describe('defaultDataDir', () => {
  it('Linux: ~/.config/Lockup', () => {
    expect(defaultDataDir({}, 'linux', '/home/ana')).toBe('/home/ana/.config/Lockup');
  });

  it('Linux: honours an absolute XDG_CONFIG_HOME', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/srv/conf' }, 'linux', '/home/ana')).toBe('/srv/conf/Lockup');
  });

  it('Linux: ignores a relative or empty XDG_CONFIG_HOME (as the XDG spec says)', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative/conf' }, 'linux', '/home/ana')).toBe('/home/ana/.config/Lockup');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '' }, 'linux', '/home/ana')).toBe('/home/ana/.config/Lockup');
  });

  it('other Unix-likes use the Linux rule', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'freebsd', '/home/b')).toBe('/x/Lockup');
    expect(defaultDataDir({}, 'freebsd', '/home/b')).toBe('/home/b/.config/Lockup');
  });

  it('macOS: ~/Library/Application Support/Lockup, whatever XDG_CONFIG_HOME says', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/ana')).toBe('/Users/ana/Library/Application Support/Lockup');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/srv/conf' }, 'darwin', '/Users/ana')).toBe('/Users/ana/Library/Application Support/Lockup');
  });

  it('Windows: %APPDATA%\\Lockup', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\Ana\\AppData\\Roaming' }, 'win32', 'C:\\Users\\Ana')).toBe('C:\\Users\\Ana\\AppData\\Roaming\\Lockup');
  });

  it('Windows without APPDATA: <home>\\AppData\\Roaming\\Lockup', () => {
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\Ana')).toBe('C:\\Users\\Ana\\AppData\\Roaming\\Lockup');
  });

  it('defaults to the running process environment, platform and home', () => {
    const expected = defaultDataDir(process.env, process.platform, os.homedir());
    expect(defaultDataDir()).toBe(expected);
    expect(path.isAbsolute(expected)).toBe(true);
    expect(path.basename(expected)).toBe('Lockup');
  });
});

describe('resolveDataDir: --data-dir > LOCKUP_DATA_DIR > OS default', () => {
  const env = { LOCKUP_DATA_DIR: '/from/env', XDG_CONFIG_HOME: '/xdg' };

  it('the flag wins over the environment', () => {
    expect(resolveDataDir('/from/flag', env)).toBe('/from/flag');
  });

  it('LOCKUP_DATA_DIR is used when there is no flag (or an empty one)', () => {
    expect(resolveDataDir(undefined, env)).toBe('/from/env');
    expect(resolveDataDir('', env)).toBe('/from/env');
  });

  it('the OS default is used when neither is given', () => {
    expect(resolveDataDir(undefined, { XDG_CONFIG_HOME: '/xdg' })).toBe(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }));
    expect(resolveDataDir(undefined, { LOCKUP_DATA_DIR: '' })).toBe(defaultDataDir({ LOCKUP_DATA_DIR: '' }));
  });

  it('relative flag and environment values resolve against the working folder', () => {
    expect(resolveDataDir('rel/flag', {})).toBe(path.resolve('rel/flag'));
    expect(resolveDataDir(undefined, { LOCKUP_DATA_DIR: 'rel/env' })).toBe(path.resolve('rel/env'));
  });

  it('the catalogue file name is stable (the desktop app shares it)', () => {
    expect(CATALOGUE_FILE).toBe('catalogue.sqlite');
  });
});
