/**
 * The API over IPC: one `ipcMain.handle` per operation of the typed API
 * (channel name = operation name). Each handler
 *  1. checks the sender: the main frame of our window, on app://lockup
 *     (anything else gets `forbidden` and the backend is never called);
 *  2. passes the input to the backend's `dispatch`, which validates it with
 *     zod before any handler runs;
 *  3. returns the envelope. Nothing is thrown back to the renderer.
 */
import type { IpcMain } from 'electron';
import { OP_NAMES, type Envelope, type OpName } from '../core/contracts/api.ts';
import { isAppUrl } from './security.ts';

/** The backend as the shell sees it: ApiService in process, or the utility-process client. */
export interface Dispatcher {
  dispatch(op: unknown, input: unknown): Promise<Envelope<unknown>>;
}

/** The parts of a WebFrameMain the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
  readonly detached?: boolean;
}

/** The parts of an IpcMainInvokeEvent the sender check reads. */
export interface SenderEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

/** The window's WebContents, as the sender check sees it. */
export interface TrustedContents {
  readonly id: number;
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
}

export type WireEnvelope = Envelope<unknown>;

export const FORBIDDEN: WireEnvelope = Object.freeze({
  ok: false,
  error: Object.freeze({ code: 'forbidden', message: 'Only the Lockup window may call the Lockup API' }),
}) as WireEnvelope;

function failure(code: string, message: string): WireEnvelope {
  return { ok: false, error: { code, message } };
}

/**
 * Is this IPC event from the main frame of our window, showing the app's own
 * origin? Sub-frames, other windows, navigated-away or destroyed frames and
 * any other origin are refused. Never throws (a disposed frame can throw on
 * access: that is a refusal too).
 */
export function isTrustedSender(event: SenderEvent, target: TrustedContents | undefined): boolean {
  try {
    if (!target || target.isDestroyed()) return false;
    if (event.sender.id !== target.id) return false;
    const frame = event.senderFrame;
    if (!frame || frame.detached === true) return false;
    const main = target.mainFrame;
    if (frame !== main && (frame.processId !== main.processId || frame.routingId !== main.routingId)) return false;
    if (frame.parent !== null) return false;
    return isAppUrl(frame.url);
  } catch {
    return false;
  }
}

/** An operation whose call the shell wraps (export:pdf asks where to save first). */
export type AroundHook = (input: unknown, dispatch: (op: OpName, input: unknown) => Promise<WireEnvelope>) => Promise<WireEnvelope>;

export interface IpcOptions {
  service: Dispatcher;
  /** The window whose main frame may call; undefined while there is none. */
  target: () => TrustedContents | undefined;
  around?: Partial<Record<OpName, AroundHook>>;
  /** Sees every envelope returned to the renderer (the menu tracks the last export). */
  after?: (op: OpName, envelope: WireEnvelope) => void;
  /** Told about refused senders (logging). */
  onForbidden?: (op: string, url: string) => void;
}

function isEnvelope(value: unknown): value is WireEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error === 'object' && v.error !== null && typeof v.error.code === 'string' && typeof v.error.message === 'string';
}

/** The handler for one channel. Exported for tests, which also feed it names that are not operations. */
export function createHandler(op: string, options: IpcOptions): (event: SenderEvent, ...args: unknown[]) => Promise<WireEnvelope> {
  const dispatch = async (name: OpName, input: unknown): Promise<WireEnvelope> => {
    const envelope = await options.service.dispatch(name, input);
    return isEnvelope(envelope) ? envelope : failure('internal', 'The backend returned something that is not an envelope');
  };
  return async (event, ...args) => {
    if (!isTrustedSender(event, options.target())) {
      let url = '';
      try {
        url = event.senderFrame?.url ?? '';
      } catch {
        // a disposed frame
      }
      options.onForbidden?.(op, url);
      return FORBIDDEN;
    }
    if (args.length > 1) return failure('invalid-argument', `${op} takes one input object`);
    let envelope: WireEnvelope;
    try {
      // Own properties only: an operation named "toString" must not find Object.prototype's.
      const around = options.around && Object.hasOwn(options.around, op) ? (options.around as Record<string, AroundHook>)[op] : undefined;
      envelope = around ? await around(args[0], dispatch) : await dispatch(op as OpName, args[0]);
      if (!isEnvelope(envelope)) envelope = failure('internal', 'The shell produced something that is not an envelope');
    } catch (err) {
      envelope = failure('internal', err instanceof Error ? err.message : String(err));
    }
    try {
      options.after?.(op as OpName, envelope);
    } catch {
      // An observer's failure is not the caller's.
    }
    return envelope;
  };
}

/** Registers one handler per API operation; returns a function that removes them. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, options: IpcOptions): () => void {
  for (const op of OP_NAMES) ipcMain.handle(op, createHandler(op, options));
  return () => {
    for (const op of OP_NAMES) ipcMain.removeHandler(op);
  };
}
