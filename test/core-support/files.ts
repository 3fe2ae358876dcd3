/**
 * Test-only helpers for reading repository fixtures. Core source must not
 * import Node modules; tests and these helpers may.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root, with a trailing slash. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function repoPath(rel: string): string {
  return REPO_ROOT + rel;
}

/** A repository file as a fresh, unshared Uint8Array (never a pooled Buffer slice). */
export function repoBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(repoPath(rel)));
}

export function repoText(rel: string): string {
  return readFileSync(repoPath(rel), 'utf8');
}

export function imageFixture(name: string): Uint8Array {
  return repoBytes(`test-fixtures/images/${name}`);
}

export const FONT_FILES = {
  'lato-regular': 'assets/fonts/lato/Lato-Regular.ttf',
  'lato-bold': 'assets/fonts/lato/Lato-Bold.ttf',
  'lato-light': 'assets/fonts/lato/Lato-Light.ttf',
  'noto-arabic-regular': 'assets/fonts/noto-sans-arabic/NotoSansArabic-Regular.ttf',
  'noto-arabic-bold': 'assets/fonts/noto-sans-arabic/NotoSansArabic-Bold.ttf',
  'liberation-regular': 'bench/fixtures/LiberationSans-Regular.ttf',
  'liberation-bold': 'bench/fixtures/LiberationSans-Bold.ttf',
} as const;
export type FontKey = keyof typeof FONT_FILES;

