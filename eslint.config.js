// Lint: typescript-eslint's recommended rules plus the import boundaries
// that keep the layers honest (docs/decisions/0001-layers-and-boundaries.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Bare Node module names are matched exactly (a relative "../util/x.ts" is not Node's "util").
const NODE_NAMES = ['fs', 'fs/promises', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'zlib', 'url', 'util', 'stream', 'http', 'https', 'net', 'events', 'buffer', 'module', 'process'];
const nodePaths = (message) => NODE_NAMES.map((name) => ({ name, message }));
const NODE_PATTERN = ['node:*'];

/** core/ is pure: no Node, Electron, React, Fabric or SQLite, and no imports from outer layers. */
const coreBoundary = {
  paths: nodePaths('core/ is pure TypeScript: no Node built-ins (inject what you need from backend/).'),
  patterns: [
    { group: NODE_PATTERN, message: 'core/ is pure TypeScript: no Node built-ins (inject what you need from backend/).' },
    { group: ['electron', 'electron/*'], message: 'core/ must not import Electron.' },
    { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'core/ must not import React.' },
    { group: ['fabric', 'fabric/*'], message: 'core/ must not import Fabric; only renderer/src/canvas may.' },
    { group: ['better-sqlite3'], message: 'core/ must not touch SQLite; the catalogue lives in backend/.' },
    { group: ['**/backend/**', '**/cli/**', '**/electron/**', '**/renderer/**'], message: 'Dependencies point inward: core/ imports nothing from outer layers.' },
  ],
};

const noElectron = { group: ['electron', 'electron/*'], message: 'Only electron/ may import Electron (it cannot load on machines without the binary).' };
const noFabric = { group: ['fabric', 'fabric/*'], message: 'Only renderer/src/canvas may import Fabric.' };
const rendererApiOnly = 'The renderer talks to the backend only through the typed API.';
const noReact = { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'React belongs to renderer/.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', '.scratch/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { console: 'readonly', process: 'readonly', performance: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: ['core/**/*.ts'], ignores: ['core/**/*.test.ts'], rules: { 'no-restricted-imports': ['error', coreBoundary] } },
  {
    files: ['backend/**/*.ts', 'cli/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noElectron, noFabric, noReact, { group: ['**/renderer/**', '**/electron/**'], message: 'backend/ and cli/ must not depend on the desktop shell or the renderer.' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/canvas/**'],
    rules: { 'no-restricted-imports': ['error', { paths: nodePaths(rendererApiOnly), patterns: [noElectron, noFabric, { group: ['**/backend/**', 'better-sqlite3', ...NODE_PATTERN], message: rendererApiOnly }] }] },
  },
  {
    files: ['renderer/src/canvas/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { paths: nodePaths(rendererApiOnly), patterns: [noElectron, { group: ['**/backend/**', 'better-sqlite3', ...NODE_PATTERN], message: rendererApiOnly }] }] },
  },
);
