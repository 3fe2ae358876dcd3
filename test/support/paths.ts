import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json lives). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_CONTENT = path.join(ROOT, 'templates', 'nimbus');
export const PARTNERS = path.join(ROOT, 'examples', 'partners');
export const IMAGE_FIXTURES = path.join(ROOT, 'test-fixtures', 'images');
export const BENCH_FIXTURES = path.join(ROOT, 'bench', 'fixtures');
export const SUPPORT = path.join(ROOT, 'test', 'support');

export const partnerFile = (name: string) => path.join(PARTNERS, `${name}.json`);
export const imageFixture = (name: string) => path.join(IMAGE_FIXTURES, name);
export const benchLogo = (i: number) => path.join(BENCH_FIXTURES, `partner-logo-${String(i).padStart(2, '0')}.png`);
/** A test-only worker module in test/support/, as the URL the worker APIs take. */
export const supportModule = (name: string) => new URL(`./${name}`, import.meta.url);
