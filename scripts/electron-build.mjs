// Bundles the Electron shell with esbuild, straight from the TypeScript sources:
//
//   dist/electron/main.mjs                 the main process (ES module; package.json "main")
//   dist/electron/preload.cjs              the preload: ONE CommonJS file, since a sandboxed
//                                          preload can neither load ES modules nor other files
//   dist/electron/backend/backend-host.mjs the backend utility process (catalogue, API service)
//   dist/electron/backend/*-worker.mjs     its worker threads, beside the chunks that start them
//
// `electron` stays external everywhere; better-sqlite3 stays external in the backend
// (native addon, loaded with the Electron-ABI binding) and is refused in main and preload.
//
// Usage: node scripts/electron-build.mjs [--outdir DIR]
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = path.resolve(root, values.outdir ?? 'dist/electron');

/** Fails the build when a bundle reaches a module it must not contain. */
function refuse(name, allowedBare, why) {
  return {
    name,
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:') && allowedBare.includes('node:*')) return undefined;
        if (allowedBare.includes(args.path)) return undefined;
        return { errors: [{ text: `${args.path} must not be imported here (${args.importer ? path.relative(root, args.importer) : '?'}): ${why}` }] };
      });
    },
  };
}

// CommonJS dependencies inside an ES module bundle need a require().
const requireBanner = { js: "import { createRequire as __lockupRequire } from 'node:module'; const require = __lockupRequire(import.meta.url);" };
const common = { absWorkingDir: root, bundle: true, platform: 'node', sourcemap: 'linked', logLevel: 'warning', legalComments: 'none' };

rmSync(outdir, { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    entryPoints: { main: 'electron/main.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    target: 'node22',
    external: ['electron'],
    banner: requireBanner,
    plugins: [
      {
        name: 'no-sqlite-in-main',
        setup(b) {
          b.onResolve({ filter: /^better-sqlite3$/ }, (args) => ({
            errors: [{ text: `better-sqlite3 reached the main process bundle via ${path.relative(root, args.importer)}: SQLite runs in the backend utility process only` }],
          }));
        },
      },
    ],
  }),
  build({
    ...common,
    entryPoints: { preload: 'electron/preload.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    target: 'chrome120',
    external: ['electron'],
    plugins: [refuse('preload-only-electron', ['electron'], 'the sandboxed preload may require only "electron"; import API types with `import type`')],
  }),
  build({
    ...common,
    entryPoints: {
      'backend-host': 'electron/backend-entry.ts',
      'image-worker': 'backend/assets/image-worker.ts',
      'batch-worker': 'backend/services/batch-worker.ts',
    },
    outdir: path.join(outdir, 'backend'),
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    splitting: true,
    target: 'node22',
    external: ['better-sqlite3'],
    banner: requireBanner,
    plugins: [
      {
        name: 'no-electron-in-backend',
        setup(b) {
          b.onResolve({ filter: /^electron(\/|$)/ }, (args) => ({
            errors: [{ text: `electron reached the backend bundle via ${path.relative(root, args.importer)}: the backend runs as a plain Node utility process` }],
          }));
        },
      },
    ],
  }),
]);
