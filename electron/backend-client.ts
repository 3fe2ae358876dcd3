/**
 * The main-process side of the backend utility process: a Dispatcher that
 * relays each API call as a message and resolves with the envelope that
 * comes back. It never throws and never leaves a call hanging: when the
 * process stops, pending calls get an `internal` error envelope and the next
 * call starts a new process (at most `maxRestarts` times a minute). An error
 * while opening the catalogue (a newer schema, an unusable folder) is final.
 *
 * The child is injected (`utilityProcess.fork` in electron/main.ts, fakes in tests).
 */
import type { Envelope } from '../core/contracts/api.ts';
import type { BackendInit, FromBackend, ToBackend, WireError } from './backend-messages.ts';
import type { Dispatcher } from './ipc.ts';

export interface ChildLike {
  postMessage(message: ToBackend): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export interface BackendClientOptions {
  spawn: () => ChildLike;
  init: BackendInit;
  /** file:reveal in the backend asks main to show a file. */
  onReveal: (file: string) => void;
  log?: (message: string) => void;
  maxRestarts?: number;
  restartWindowMs?: number;
  /** How long stop() waits for running calls before it kills the process. */
  stopTimeoutMs?: number;
  now?: () => number;
}

type Started = { ok: true } | { ok: false; error: WireError };

interface Running {
  child: ChildLike;
  ready: Promise<Started>;
  exited: Promise<number>;
  alive: boolean;
}

export class BackendClient implements Dispatcher {
  private running: Running | undefined;
  private failure: WireError | undefined;
  private stopping = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (envelope: Envelope<unknown>) => void; child: ChildLike }>();
  private readonly starts: number[] = [];

  constructor(private readonly options: BackendClientOptions) {}

  /** Starts the process (if needed) and waits until the catalogue is open. */
  start(): Promise<Started> {
    if (this.failure) return Promise.resolve({ ok: false, error: this.failure });
    if (this.stopping) return Promise.resolve({ ok: false, error: { code: 'internal', message: 'Lockup is closing' } });
    if (this.running?.alive) return this.running.ready;
    const now = (this.options.now ?? Date.now)();
    const window = this.options.restartWindowMs ?? 60_000;
    while (this.starts.length > 0 && now - this.starts[0]! > window) this.starts.shift();
    // The first start plus maxRestarts restarts per window.
    if (this.starts.length > (this.options.maxRestarts ?? 3)) {
      this.failure = { code: 'internal', message: 'The Lockup backend keeps stopping; quit and reopen Lockup' };
      return Promise.resolve({ ok: false, error: this.failure });
    }
    this.starts.push(now);

    let child: ChildLike;
    try {
      child = this.options.spawn();
    } catch (err) {
      return Promise.resolve({ ok: false, error: { code: 'internal', message: `The Lockup backend could not start: ${err instanceof Error ? err.message : String(err)}` } });
    }
    let settleReady: (started: Started) => void = () => undefined;
    let settleExit: (code: number) => void = () => undefined;
    const running: Running = {
      child,
      alive: true,
      ready: new Promise<Started>((resolve) => (settleReady = resolve)),
      exited: new Promise<number>((resolve) => (settleExit = resolve)),
    };
    this.running = running;

    child.onMessage((raw) => {
      const message = raw as FromBackend;
      if (typeof message !== 'object' || message === null) return;
      switch (message.type) {
        case 'ready':
          settleReady({ ok: true });
          return;
        case 'fatal':
          // Opening the catalogue failed: retrying will not help.
          this.failure = message.error;
          settleReady({ ok: false, error: message.error });
          child.kill();
          return;
        case 'result': {
          const call = this.pending.get(message.id);
          if (!call) return;
          this.pending.delete(message.id);
          call.resolve(message.envelope);
          return;
        }
        case 'reveal':
          if (typeof message.path === 'string') this.options.onReveal(message.path);
          return;
        case 'closed':
          // Every result came before this message: the process can go.
          child.kill();
          return;
        default:
          return;
      }
    });
    child.onExit((code) => {
      running.alive = false;
      if (this.running === running) this.running = undefined;
      const error: WireError = { code: 'internal', message: `The Lockup backend stopped unexpectedly (exit code ${code}); try again` };
      settleReady({ ok: false, error: this.failure ?? error });
      for (const [id, call] of this.pending) {
        if (call.child !== child) continue;
        this.pending.delete(id);
        call.resolve({ ok: false, error });
      }
      if (!this.stopping) this.options.log?.(`backend exited with code ${code}`);
      settleExit(code);
    });
    try {
      child.postMessage({ type: 'init', init: this.options.init });
    } catch (err) {
      // The process is already gone; its exit (if it ever comes) finds nothing to do.
      running.alive = false;
      if (this.running === running) this.running = undefined;
      settleReady({ ok: false, error: { code: 'internal', message: `The Lockup backend could not start: ${err instanceof Error ? err.message : String(err)}` } });
      child.kill();
    }
    return running.ready;
  }

  async dispatch(op: unknown, input: unknown): Promise<Envelope<unknown>> {
    const started = await this.start();
    if (!started.ok) return { ok: false, error: started.error };
    const running = this.running;
    if (!running?.alive) return { ok: false, error: { code: 'internal', message: 'The Lockup backend stopped; try again' } };
    const id = this.nextId++;
    return new Promise<Envelope<unknown>>((resolve) => {
      this.pending.set(id, { resolve, child: running.child });
      try {
        running.child.postMessage({ type: 'call', id, op, input });
      } catch (err) {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'invalid-argument', message: `The input cannot be sent to the backend: ${err instanceof Error ? err.message : String(err)}` } });
      }
    });
  }

  /** Asks the process to finish running calls and close the catalogue; kills it after the timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    const running = this.running;
    if (!running?.alive) return;
    try {
      running.child.postMessage({ type: 'shutdown' });
    } catch {
      running.child.kill();
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.options.stopTimeoutMs ?? 5000)));
    const outcome = await Promise.race([running.exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      running.child.kill();
      await Promise.race([running.exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    }
  }
}
