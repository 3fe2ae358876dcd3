// The shell's unit tests: `npx vitest run --config electron/vitest.config.ts`. They run without the
// Electron binary: no test (and no module they load) imports 'electron' at run time.
// (Once the root vitest.config.ts includes 'electron/**/*.test.ts', `npx vitest run electron` runs them too.)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'),
  test: {
    include: ['electron/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
