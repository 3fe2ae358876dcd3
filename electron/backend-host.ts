/**
 * The backend side of the utility process: opens the catalogue with the
 * Electron-ABI SQLite binding, seeds the demo brand, and answers API calls
 * relayed by the main process with `ApiService.dispatch` (which validates
 * every input with zod). No Electron import: the port is injected
 * (`process.parentPort` in electron/backend-entry.ts, a fake in tests).
 */
import type { Envelope } from '../core/contracts/api.ts';
import { toWireError } from '../core/errors.ts';
import { ApiService } from '../backend/api/service.ts';
import { Catalogue } from '../backend/catalogue.ts';
import { ensureDemoCatalogue } from '../backend/content/seed.ts';
import type { BackendInit, FromBackend, ToBackend } from './backend-messages.ts';
import type { Dispatcher } from './ipc.ts';

/** process.parentPort, as the host uses it. */
export interface PortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

export interface OpenedBackend {
  service: Dispatcher;
  seeded: boolean;
  close(): void;
}

/** Opens the catalogue and the API service for the Electron transport. */
export function openBackend(init: BackendInit, reveal: (file: string) => void): OpenedBackend {
  const catalogue = Catalogue.openDir(init.dataDir, init.nativeBinding ? { nativeBinding: init.nativeBinding } : {});
  let seeded = false;
  try {
    if (init.seedDemo) seeded = ensureDemoCatalogue(catalogue);
  } catch (err) {
    catalogue.close();
    throw err;
  }
  const service = new ApiService({
    catalogue,
    dataDir: init.dataDir,
    transport: 'electron',
    version: init.version,
    ...(init.exportDir ? { exportDir: init.exportDir } : {}),
    reveal: (file) => {
      reveal(file);
      return true;
    },
  });
  return { service, seeded, close: () => catalogue.close() };
}

export interface HostOptions {
  open?: (init: BackendInit, reveal: (file: string) => void) => OpenedBackend;
  exit?: (code: number) => void;
}

function isMessage(value: unknown): value is ToBackend {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; id?: unknown; init?: unknown };
  if (m.type === 'init') return typeof m.init === 'object' && m.init !== null && typeof (m.init as { dataDir?: unknown }).dataDir === 'string';
  if (m.type === 'call') return typeof m.id === 'number';
  return m.type === 'shutdown';
}

/** Serves the backend on `port` until a shutdown message arrives. */
export function serveBackend(port: PortLike, options: HostOptions = {}): void {
  const open = options.open ?? openBackend;
  let backend: OpenedBackend | undefined;
  let initError: { code: string; message: string } | undefined;
  let closing = false;
  /** Calls still running: shutdown waits for them so no export is cut off half-written. */
  const inflight = new Set<Promise<void>>();
  const post = (message: FromBackend) => port.postMessage(message);

  const answer = (id: number, envelope: unknown) => {
    try {
      post({ type: 'result', id, envelope: envelope as Envelope<unknown> });
    } catch (err) {
      // A value the port cannot copy: say so rather than leave the call hanging.
      post({ type: 'result', id, envelope: { ok: false, error: { code: 'internal', message: `The result could not be sent: ${err instanceof Error ? err.message : String(err)}` } } });
    }
  };

  port.on('message', (event) => {
    const message = event?.data;
    if (!isMessage(message)) return;
    switch (message.type) {
      case 'init': {
        if (backend || initError) return;
        try {
          backend = open(message.init, (file) => post({ type: 'reveal', path: file }));
          post({ type: 'ready', seeded: backend.seeded });
        } catch (err) {
          const wire = toWireError(err);
          initError = { code: wire.code, message: wire.message };
          post({ type: 'fatal', error: initError });
        }
        return;
      }
      case 'call': {
        const { id, op, input } = message;
        if (!backend || closing) {
          answer(id, { ok: false, error: initError ?? { code: 'internal', message: closing ? 'Lockup is closing' : 'The backend is not ready' } });
          return;
        }
        const call: Promise<void> = backend.service.dispatch(op, input).then(
          (envelope) => answer(id, envelope),
          (err: unknown) => answer(id, { ok: false, error: toWireError(err) }),
        );
        inflight.add(call);
        void call.finally(() => inflight.delete(call));
        return;
      }
      case 'shutdown': {
        if (closing) return;
        closing = true;
        void Promise.allSettled([...inflight]).then(() => {
          try {
            backend?.close();
          } finally {
            backend = undefined;
            // Results were posted before this, in order; main ends the process when "closed" arrives.
            // Exiting here at once could drop messages not yet flushed, so only a late fallback exit.
            post({ type: 'closed' });
            if (options.exit) setTimeout(() => options.exit?.(0), 2000).unref?.();
          }
        });
        return;
      }
    }
  });
}
