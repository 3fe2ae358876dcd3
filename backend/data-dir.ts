import os from 'node:os';
import path from 'node:path';

export const CATALOGUE_FILE = 'catalogue.sqlite';

/**
 * The per-user data folder, the same one Electron's `app.getPath('userData')`
 * uses for an app named "Lockup", so the CLI and the desktop app share one
 * catalogue: ~/.config/Lockup (Linux, honouring XDG_CONFIG_HOME),
 * ~/Library/Application Support/Lockup (macOS), %APPDATA%\Lockup (Windows).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (platform === 'win32') {
    const appData = env['APPDATA'] && path.win32.isAbsolute(env['APPDATA']) ? env['APPDATA'] : path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Lockup');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Lockup');
  const config = env['XDG_CONFIG_HOME'] && path.isAbsolute(env['XDG_CONFIG_HOME']) ? env['XDG_CONFIG_HOME'] : path.join(home, '.config');
  return path.join(config, 'Lockup');
}

/** `--data-dir`, else `LOCKUP_DATA_DIR`, else the OS's per-user folder. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env['LOCKUP_DATA_DIR']) return path.resolve(env['LOCKUP_DATA_DIR']);
  return defaultDataDir(env);
}
