import fs from 'node:fs';
import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import type { Brand } from '../../core/model/index.ts';
import { parseMdfProgram, type MdfProgram } from '../../core/mdf/model.ts';
import { CanonicalJsonError, parseUntrustedJson } from '../../core/util/canonical-json.ts';
import type { Catalogue } from '../catalogue.ts';
import { readTextFile } from '../util/files.ts';
import { MdfStore } from './store.ts';

/**
 * The brand's MDF program as content: `mdf/program.json` in a content
 * folder (the demo brand ships one), and the checks a program must pass
 * against its brand before it is stored or packed (docs/decisions/0026).
 */

export const PROGRAM_FILE = path.join('mdf', 'program.json');
/** The program's entry in a pack. */
export const PROGRAM_ENTRY = 'mdf/program.json';

/** Parses a program's JSON text (prototype keys refused), as mdf-invalid / json-invalid. */
export function parseProgramText(text: string): MdfProgram {
  let data: unknown;
  try {
    data = parseUntrustedJson(text);
  } catch (err) {
    throw new LockupError('json-invalid', `The MDF program file is not valid JSON: ${(err as CanonicalJsonError).message}`);
  }
  return parseMdfProgram(data);
}

/** The brand's program must be the brand's, and name only the brand's tiers. Throws mdf-invalid. */
export function checkProgramForBrand(program: MdfProgram, brand: Brand): void {
  if (program.brand !== brand.id) throw new LockupError('mdf-invalid', `The MDF program "${program.id}" is for brand "${program.brand}", not "${brand.id}"`, { program: program.id, brand: program.brand });
  const tiers = new Set(brand.access.tiers.map((t) => t.id));
  const named = [...Object.keys(program.rules.maxPerQuarter ?? {}), ...Object.keys(program.rules.disallowedActivities ?? {})];
  const unknown = [...new Set(named.filter((t) => !tiers.has(t)))];
  if (unknown.length > 0) {
    throw new LockupError('mdf-invalid', `The MDF program's rules name tier${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}, which ${brand.name} does not have (${[...tiers].join(', ') || 'no tiers'})`, {
      program: program.id,
      tiers: unknown,
    });
  }
}

/** A content folder's program (`mdf/program.json`), checked against its brand; null when the folder has none. */
export function readProgramFolder(dir: string, brand: Brand): MdfProgram | null {
  const file = path.join(dir, PROGRAM_FILE);
  if (!fs.existsSync(file)) return null;
  const program = parseProgramText(readTextFile(file, 'MDF program'));
  checkProgramForBrand(program, brand);
  return program;
}

/** Stores a content folder's program for its brand, or removes the brand's program when the folder has none. */
export function seedProgramFromFolder(catalogue: Catalogue, dir: string, brand: Brand): void {
  new MdfStore(catalogue).saveProgram(brand.id, readProgramFolder(dir, brand));
}
