import { Worker, type WorkerOptions } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Starts a worker from a module next to the caller. Under the TypeScript
 * sources (tests, tsx) the worker needs the tsx loader; the built JavaScript
 * in dist/ runs as is.
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  const file = fileURLToPath(url);
  if (file.endsWith('.ts')) {
    const bootstrap = new URL('./ts-worker.mjs', import.meta.url);
    const data = (options.workerData ?? {}) as Record<string, unknown>;
    return new Worker(bootstrap, { ...options, workerData: { ...data, __lockupTsEntry: pathToFileURL(file).href } });
  }
  return new Worker(file, options);
}

/**
 * The URL of a worker module next to the caller, with the extension this
 * build uses: .ts in sources, .js in dist/, .mjs in the bundle (where every
 * worker is a top-level file beside the chunk that starts it).
 */
export function siblingModule(base: string, name: string): URL {
  const ext = base.endsWith('.ts') ? '.ts' : base.endsWith('.mjs') ? '.mjs' : '.js';
  return new URL(`./${name}${ext}`, base);
}
