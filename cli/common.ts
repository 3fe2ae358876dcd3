import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LockupError } from '../core/errors.ts';
import { Catalogue } from '../backend/catalogue.ts';
import { declineDemo, ensureDemoCatalogue } from '../backend/content/seed.ts';
import { resolveDataDir } from '../backend/data-dir.ts';

/** What every CLI command shares: I/O, option parsing, usage errors, opening the catalogue. */

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTty: boolean;
  env: NodeJS.ProcessEnv;
}

export const COMMON = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export class Usage extends LockupError {
  constructor(message: string) {
    super('usage', message);
  }
}

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = 0) {
  try {
    const r = parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: positionals > 0, strict: true });
    if (r.positionals.length > positionals) throw new Usage(`Unexpected argument "${r.positionals[positionals]}"`);
    return r;
  } catch (err) {
    if (err instanceof LockupError) throw err;
    throw new Usage((err as Error).message.replace(/^.*?: /, '').replace(/\. To specify a positional argument.*$/s, ''));
  }
}

export function need(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new Usage(`--${flag} is required`);
  return value;
}

/**
 * Opens the catalogue. A new data folder gets the demo brand unless
 * LOCKUP_NO_DEMO=1 (or `seed: false`, for commands that fill a catalogue from
 * a pack or a key and must not mix the demo in).
 */
export function openCatalogue(dataDir: string | undefined, env: NodeJS.ProcessEnv, options: { seed?: boolean } = {}): Catalogue {
  const catalogue = Catalogue.openDir(resolveDataDir(dataDir, env));
  try {
    if (env['LOCKUP_NO_DEMO'] === '1' || options.seed === false) declineDemo(catalogue);
    else ensureDemoCatalogue(catalogue);
  } catch (err) {
    catalogue.close();
    throw err;
  }
  return catalogue;
}

export type Outcome = { exit: number; json: Record<string, unknown>; text: string[] };

/** Opens the catalogue for one command and always closes it. */
export async function withCatalogue<T>(dataDir: string | undefined, io: Io, run: (catalogue: Catalogue) => Promise<T>, options: { seed?: boolean } = {}): Promise<T> {
  const catalogue = openCatalogue(dataDir, io.env, options);
  try {
    return await run(catalogue);
  } finally {
    catalogue.close();
  }
}

/** `--version N`: a whole number above 0, or undefined when not given. */
export function parseVersion(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1) throw new Usage('--version must be a whole number above 0');
  return version;
}
