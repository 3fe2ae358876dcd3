import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The folder holding Lockup's package.json (works from sources and from dist/). */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'lockup') return (cached = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('Cannot find the Lockup package folder');
    dir = up;
  }
}

/** The shipped demo brand folder. */
export function demoContentDir(): string {
  return path.join(packageRoot(), 'templates', 'nimbus');
}
