import type { LockupApi, OpInput, OpName, OpOutput, Envelope } from '../../../core/contracts/api.ts';
import { OP_NAMES } from '../../../core/contracts/api.ts';
import type { LockupMenuBridge } from '../../../core/contracts/menu.ts';

/** An API error as the renderer sees it: a code and the backend's message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host. */
    lockup?: LockupApi;
    /** Menu commands from the Electron main process (Export PDF…, Undo, Import logo…). */
    lockupMenu?: LockupMenuBridge;
  }
}

/** The browser host's transport: the same operations over HTTP with the per-launch token. */
function httpApi(token: string): LockupApi {
  const call = async (op: OpName, input: unknown): Promise<unknown> => {
    const res = await fetch(`./api/${encodeURIComponent(op)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Lockup-Token': token },
      body: JSON.stringify(input ?? {}),
    });
    const envelope = (await res.json()) as Envelope<unknown>;
    if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message, envelope.error.details);
    return envelope.value;
  };
  return Object.fromEntries(OP_NAMES.map((op) => [op, (input: unknown) => call(op, input)])) as LockupApi;
}

/** Wraps the preload's functions so errors arrive as ApiError too. */
function electronApi(bridge: LockupApi): LockupApi {
  return Object.fromEntries(
    OP_NAMES.map((op) => [
      op,
      async (input: unknown) => {
        try {
          return await (bridge[op] as (i: unknown) => Promise<unknown>)(input);
        } catch (err) {
          const e = err as Error & { code?: string; details?: Record<string, unknown> };
          throw new ApiError(e.code ?? 'internal', e.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, ''), e.details);
        }
      },
    ]),
  ) as LockupApi;
}

export type Transport = 'electron' | 'web';

export function connect(): { api: LockupApi; transport: Transport } {
  if (window.lockup) return { api: electronApi(window.lockup), transport: 'electron' };
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? sessionStorage.getItem('lockup-token');
  if (!token) throw new ApiError('forbidden', 'Open Lockup with the address `npm run web` printed (it carries the access token).');
  sessionStorage.setItem('lockup-token', token);
  return { api: httpApi(token), transport: 'web' };
}

/** Calls one operation with its typed input and output. */
export function call<K extends OpName>(api: LockupApi, op: K, input: OpInput<K>): Promise<OpOutput<K>> {
  return (api[op] as (i: OpInput<K>) => Promise<OpOutput<K>>)(input);
}
