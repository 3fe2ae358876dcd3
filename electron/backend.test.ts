import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LockupError } from '../core/errors.ts';
import { Catalogue } from '../backend/catalogue.ts';
import { tempDir } from '../test/support/temp.ts';
import { BackendClient, type ChildLike } from './backend-client.ts';
import { openBackend, serveBackend, type OpenedBackend, type PortLike } from './backend-host.ts';
import type { BackendInit, ToBackend } from './backend-messages.ts';

/**
 * A utility process in memory: the client's child and the host's parentPort joined back to back.
 * Messages are structured-cloned and delivered asynchronously, as between real processes.
 */
class FakeProcess {
  readonly opened: OpenedBackend[] = [];
  private toHost: ((e: { data: unknown }) => void)[] = [];
  private toMain: ((m: unknown) => void)[] = [];
  private exitListeners: ((code: number) => void)[] = [];
  exited = false;
  /** Calls the host will never answer (simulates a hang before a crash). */
  swallowCalls = false;

  constructor(open?: (init: BackendInit, reveal: (f: string) => void) => OpenedBackend) {
    const port: PortLike = {
      on: (_event, listener) => this.toHost.push(listener),
      postMessage: (message) => {
        const copy = structuredClone(message);
        setImmediate(() => {
          if (!this.exited) for (const l of this.toMain) l(copy);
        });
      },
    };
    serveBackend(port, {
      open: (init, reveal) => {
        const b = (open ?? openBackend)(init, reveal);
        this.opened.push(b);
        return b;
      },
      exit: (code) => this.exit(code),
    });
  }

  readonly child: ChildLike = {
    postMessage: (message: ToBackend) => {
      if (this.exited) throw new Error('the process is gone');
      const copy = structuredClone(message); // throws DataCloneError for functions, as the real port does
      if (this.swallowCalls && copy.type === 'call') return;
      setImmediate(() => {
        if (!this.exited) for (const l of this.toHost) l({ data: copy });
      });
    },
    onMessage: (listener) => this.toMain.push(listener),
    onExit: (listener) => this.exitListeners.push(listener),
    kill: () => this.exit(137),
  };

  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    setImmediate(() => {
      for (const l of this.exitListeners) l(code);
    });
  }
}

const clients: BackendClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
});

function client(options: { open?: (init: BackendInit, reveal: (f: string) => void) => OpenedBackend; onReveal?: (f: string) => void } = {}) {
  const dataDir = tempDir('lockup-electron-backend-');
  const processes: FakeProcess[] = [];
  const c = new BackendClient({
    spawn: () => {
      const p = new FakeProcess(options.open);
      processes.push(p);
      return p.child;
    },
    init: { dataDir, version: '9.9.9', exportDir: path.join(dataDir, 'exports'), seedDemo: true },
    onReveal: options.onReveal ?? vi.fn(),
    stopTimeoutMs: 2000,
  });
  clients.push(c);
  return { client: c, processes, dataDir };
}

describe('the backend in its own process (relayed)', () => {
  it('opens and seeds the catalogue, then answers API calls', async () => {
    const { client: c, processes, dataDir } = client();
    expect(await c.start()).toEqual({ ok: true });
    expect(processes[0]!.opened[0]!.seeded).toBe(true);
    expect(await c.dispatch('app:info', {})).toMatchObject({ ok: true, value: { transport: 'electron', version: '9.9.9', dataDir } });
    const list = await c.dispatch('templates:list', {});
    expect(list.ok && (list.value as unknown[]).length).toBe(10);
    expect(await c.dispatch('no:such-op', {})).toMatchObject({ ok: false, error: { code: 'unknown-operation' } });
    expect(await c.dispatch('template:open', { id: 42 })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(processes).toHaveLength(1);
  });

  it('answers concurrent calls each with its own result', async () => {
    const { client: c } = client();
    const results = await Promise.all([c.dispatch('app:info', {}), c.dispatch('profile:get', {}), c.dispatch('templates:list', {}), c.dispatch('nope', {})]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[1]).toEqual({ ok: true, value: null });
  });

  it('file:reveal in the backend asks the main process to show a file Lockup exported, and nothing else', async () => {
    const onReveal = vi.fn();
    const { client: c, dataDir } = client({ onReveal });
    expect(await c.start()).toEqual({ ok: true });
    expect(await c.dispatch('file:reveal', { path: '/tmp/some.pdf' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(onReveal).not.toHaveBeenCalled();
    // An export of this catalogue, as the ledger records it.
    const ledger = Catalogue.openDir(dataDir);
    ledger.recordExports([{ tool: 'app', templateId: 'social-post', templateVersion: 1, partnerId: 'p', company: 'P', outputProfile: 'screen', outputPath: path.resolve('/tmp/some.pdf'), outputSha256: '0'.repeat(64), byteLength: 1, inputsSha256: '0'.repeat(64), warnings: 0 }]);
    ledger.close();
    expect(await c.dispatch('file:reveal', { path: '/tmp/some.pdf' })).toEqual({ ok: true, value: { shown: true } });
    await vi.waitFor(() => expect(onReveal).toHaveBeenCalledWith(path.resolve('/tmp/some.pdf')));
  });

  it('an input that cannot be copied to the process is refused, not thrown', async () => {
    const { client: c } = client();
    expect(await c.dispatch('profile:save', { company: () => 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('a crash fails the calls in flight with an envelope, and the next call starts a new process', async () => {
    const { client: c, processes } = client();
    await c.start();
    processes[0]!.swallowCalls = true;
    const pending = c.dispatch('templates:list', {});
    await new Promise((r) => setImmediate(r));
    processes[0]!.exit(1);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('stopped unexpectedly') } });
    expect(await c.dispatch('app:info', {})).toMatchObject({ ok: true });
    expect(processes).toHaveLength(2);
  });

  it('gives up after too many restarts in a minute', async () => {
    let now = 0;
    const c = new BackendClient({
      spawn: () => {
        const p = new FakeProcess();
        p.exit(1); // dies at once
        return p.child;
      },
      init: { dataDir: tempDir(), version: 'x', seedDemo: false },
      onReveal: vi.fn(),
      maxRestarts: 2,
      now: () => now,
    });
    const spawned: unknown[] = [];
    for (let i = 0; i < 5; i++) spawned.push(await c.dispatch('app:info', {}));
    expect(spawned.at(-1)).toMatchObject({ ok: false, error: { message: expect.stringContaining('keeps stopping') } });
    now += 10 * 60_000;
    // Still failed: once it has given up, it stays down until Lockup restarts.
    expect(await c.dispatch('app:info', {})).toMatchObject({ ok: false, error: { message: expect.stringContaining('keeps stopping') } });
  });

  it('a catalogue that cannot be opened is a final error, with its code, and no restart loop', async () => {
    const open = vi.fn(() => {
      throw new LockupError('catalogue-newer', 'The catalogue was written by a newer Lockup');
    });
    const { client: c, processes } = client({ open });
    expect(await c.start()).toEqual({ ok: false, error: { code: 'catalogue-newer', message: 'The catalogue was written by a newer Lockup' } });
    expect(await c.dispatch('app:info', {})).toMatchObject({ ok: false, error: { code: 'catalogue-newer' } });
    expect(processes).toHaveLength(1);
    expect(open).toHaveBeenCalledOnce();
  });

  it('stop() lets a running call finish, then closes the catalogue and the process', async () => {
    let release: () => void = () => undefined;
    const close = vi.fn();
    const open = () => ({
      seeded: false,
      close,
      service: {
        dispatch: vi.fn(async () => {
          await new Promise<void>((r) => (release = r));
          return { ok: true as const, value: 'done' };
        }),
      },
    });
    const { client: c, processes } = client({ open });
    await c.start();
    const running = c.dispatch('export:pdf', {});
    await new Promise((r) => setTimeout(r, 10));
    const stopping = c.stop();
    await new Promise((r) => setTimeout(r, 10));
    expect(close).not.toHaveBeenCalled();
    release();
    expect(await running).toEqual({ ok: true, value: 'done' });
    await stopping;
    expect(close).toHaveBeenCalledOnce();
    expect(processes[0]!.exited).toBe(true);
    expect(await c.dispatch('app:info', {})).toMatchObject({ ok: false, error: { message: 'Lockup is closing' } });
  });
});
