import fs from 'node:fs';
import path from 'node:path';
import { Catalogue } from '../../backend/catalogue.ts';
import { ensureDemoCatalogue } from '../../backend/content/seed.ts';
import { tempDir } from './temp.ts';

/** A new catalogue file in a temporary folder, seeded with the demo brand and templates. */
export function seededCatalogue(): { catalogue: Catalogue; dir: string } {
  const dir = tempDir('lockup-cat-');
  const catalogue = Catalogue.openDir(dir);
  ensureDemoCatalogue(catalogue);
  return { catalogue, dir };
}

/** An empty (migrated, unseeded) catalogue in a temporary folder. */
export function emptyCatalogue(): { catalogue: Catalogue; dir: string } {
  const dir = tempDir('lockup-cat-');
  return { catalogue: Catalogue.openDir(dir), dir };
}

/** Copies files into a folder and returns the copies' paths. */
export function copyInto(dir: string, files: string[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return files.map((f) => {
    const to = path.join(dir, path.basename(f));
    fs.copyFileSync(f, to);
    return to;
  });
}
