import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.ts';
import { tempDir } from './temp.ts';

export const BIN = path.join(ROOT, 'bin', 'lockup.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON object `--json` prints. */
  json: () => Record<string, unknown>;
}

export interface CliOptions {
  /** Passed as --data-dir unless null (then only LOCKUP_DATA_DIR / the sandboxed home apply). */
  dataDir: string | null;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

let sandbox: string | undefined;

/**
 * Runs the built `lockup` binary. HOME, XDG_CONFIG_HOME and APPDATA point
 * into a temporary folder and LOCKUP_DATA_DIR is unset (unless given), so
 * no run can touch the real per-user catalogue.
 */
export function runCli(args: string[], options: CliOptions): Promise<CliRun> {
  sandbox ??= tempDir('lockup-home-');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'LOCKUP_DATA_DIR' && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
  Object.assign(env, { HOME: sandbox, XDG_CONFIG_HOME: path.join(sandbox, '.config'), APPDATA: path.join(sandbox, 'AppData') });
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const argv = [BIN, ...args, ...(options.dataDir === null ? [] : ['--data-dir', options.dataDir])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`lockup ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout,
        stderr,
        json: () => {
          try {
            return JSON.parse(stdout) as Record<string, unknown>;
          } catch {
            throw new Error(`stdout is not one JSON object:\n${stdout}\nstderr: ${stderr}`);
          }
        },
      });
    });
  });
}

/** The home folder runCli gives the child (for checking that nothing was created there). */
export function sandboxHome(): string {
  sandbox ??= tempDir('lockup-home-');
  return sandbox;
}

/** Fails early with a clear message when dist/ has not been built. */
export function assertBuilt(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'bundle', 'cli.mjs'))) throw new Error('dist/bundle/cli.mjs is missing: run "npm run build" before the CLI tests');
}
