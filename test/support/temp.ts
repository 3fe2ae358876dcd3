import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/**
 * A fresh folder under the OS temp folder. Folders made in a test file are
 * removed when the test file that imported this module is done.
 */
const made: string[] = [];
// Registered when a test file imports this module (during collection).
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'lockup-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Every file below `dir` (relative paths, sorted); [] when the folder does not exist. */
export function listFilesDeep(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

/** Leftover temporary files of writeFileAtomic (".<name>.<pid>.<thread>.<n>.tmp"). */
export function tempLeftovers(dir: string): string[] {
  return listFilesDeep(dir).filter((f) => /(^|\/)\..*\.tmp$/.test(f));
}
