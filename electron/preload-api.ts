/**
 * What the preload exposes, built from an injected `invoke` and `subscribe`
 * so it can be tested without Electron. electron/preload.ts wires these to
 * ipcRenderer. Type-only imports from the API contract: the sandboxed
 * preload is bundled into one CommonJS file and must not pull in zod.
 */
import type { Envelope, LockupApi, OpName, OpOutput } from '../core/contracts/api.ts';
import { parseMenuCommand, type LockupMenuBridge, type MenuCommand } from '../core/contracts/menu.ts';

/** ipcRenderer.invoke, narrowed to what the API needs. */
export type Invoke = (channel: OpName, input: unknown) => Promise<unknown>;

/**
 * The rejection value of a failed call: `instanceof Error` in the preload,
 * with `code`, `message` and `details` as own enumerable properties.
 *
 * Why not `new Error()`: the context bridge rebuilds a real Error in the page
 * from its message alone, so `code` and `details` would be lost. An object
 * that merely inherits from Error.prototype crosses the bridge as a plain
 * object and keeps every field; the renderer (renderer/src/api/client.ts)
 * reads `code`, `message` and `details` from it and throws its own ApiError.
 */
export interface LockupApiError extends Error {
  name: 'LockupApiError';
  code: string;
  details?: Record<string, unknown>;
}

export function apiError(code: string, message: string, details?: Record<string, unknown>): LockupApiError {
  const err = Object.create(Error.prototype) as LockupApiError;
  Object.assign(err, details === undefined ? { name: 'LockupApiError', code, message } : { name: 'LockupApiError', code, message, details });
  return err;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of an envelope, or throws its error; anything that is not an envelope is an internal error. */
export function unwrapEnvelope<T>(response: unknown): T {
  if (isRecord(response)) {
    const env = response as Envelope<T>;
    if (env.ok === true && 'value' in env) return env.value;
    if (env.ok === false && isRecord(env.error) && typeof env.error.code === 'string' && typeof env.error.message === 'string') {
      throw apiError(env.error.code, env.error.message, isRecord(env.error.details) ? env.error.details : undefined);
    }
  }
  throw apiError('internal', 'Lockup received a malformed response from its backend');
}

/** Failures of the transport itself (not envelopes): an input that cannot be cloned, a closed window. */
function transportError(err: unknown): LockupApiError {
  const message = err instanceof Error ? err.message : String(err);
  if (/could not be cloned/i.test(message)) return apiError('invalid-argument', 'The input cannot be sent to the backend (it holds functions, DOM objects or other values that cannot be copied)');
  return apiError('internal', message.replace(/^Error invoking remote method '[^']+': (Error: )?/, ''));
}

/** The `window.lockup` object: exactly one function per operation, each invoking the IPC channel of that name. */
export function createLockupApi(invoke: Invoke): LockupApi {
  const call =
    <K extends OpName>(op: K) =>
    async (input: unknown): Promise<OpOutput<K>> => {
      let response: unknown;
      try {
        response = await invoke(op, input);
      } catch (err) {
        throw transportError(err);
      }
      return unwrapEnvelope<OpOutput<K>>(response);
    };
  return Object.freeze({
    'app:info': call('app:info'),
    'app:set-role': call('app:set-role'),
    'profile:get': call('profile:get'),
    'profile:save': call('profile:save'),
    'logo:intake': call('logo:intake'),
    'logo:describe': call('logo:describe'),
    'logo:preflight': call('logo:preflight'),
    'logo:fix': call('logo:fix'),
    'document:preflight': call('document:preflight'),
    'asset:get': call('asset:get'),
    'templates:list': call('templates:list'),
    'template:open': call('template:open'),
    'template:thumbnail': call('template:thumbnail'),
    'document:check': call('document:check'),
    'draft:save': call('draft:save'),
    'export:suggest': call('export:suggest'),
    'export:pdf': call('export:pdf'),
    'export:download': call('export:download'),
    'file:reveal': call('file:reveal'),
    'export:verify': call('export:verify'),
    'pack:key': call('pack:key'),
    'pack:key-create': call('pack:key-create'),
    'pack:publish-info': call('pack:publish-info'),
    'pack:publish': call('pack:publish'),
    'pack:download': call('pack:download'),
    'pack:inspect': call('pack:inspect'),
    'pack:import': call('pack:import'),
    'credential:import': call('credential:import'),
    'credential:status': call('credential:status'),
    'designer:list': call('designer:list'),
    'designer:new': call('designer:new'),
    'designer:from-pdf': call('designer:from-pdf'),
    'designer:edit': call('designer:edit'),
    'designer:get': call('designer:get'),
    'designer:save': call('designer:save'),
    'designer:preview': call('designer:preview'),
    'designer:sample-logos': call('designer:sample-logos'),
    'designer:add-image': call('designer:add-image'),
    'designer:publish': call('designer:publish'),
    'designer:delete': call('designer:delete'),
    'designer:versions': call('designer:versions'),
    'brand:list': call('brand:list'),
    'brand:get': call('brand:get'),
    'brand:create': call('brand:create'),
    'brand:save': call('brand:save'),
    'font:intake': call('font:intake'),
    'font:describe': call('font:describe'),
    'batch:start': call('batch:start'),
    'batch:status': call('batch:status'),
    'batch:cancel': call('batch:cancel'),
    'batch:unfinished': call('batch:unfinished'),
    'batch:resume': call('batch:resume'),
    'distributor:authorise': call('distributor:authorise'),
    'distributor:authorised': call('distributor:authorised'),
    'distributor:revoke': call('distributor:revoke'),
    'distributor:workspace': call('distributor:workspace'),
    'distributor:profile-save': call('distributor:profile-save'),
    'distributor:add-source': call('distributor:add-source'),
    'distributor:product-save': call('distributor:product-save'),
    'distributor:product-delete': call('distributor:product-delete'),
    'distributor:sheet-save': call('distributor:sheet-save'),
    'distributor:sheet-preview': call('distributor:sheet-preview'),
    'distributor:publish': call('distributor:publish'),
    'distributor:credential-issue': call('distributor:credential-issue'),
    'learning:overview': call('learning:overview'),
    'playbook:open': call('playbook:open'),
    'playbook:step': call('playbook:step'),
    'playbook:export': call('playbook:export'),
    'training:open': call('training:open'),
    'training:start': call('training:start'),
    'training:submit': call('training:submit'),
    'certificate:export': call('certificate:export'),
    'completion:export': call('completion:export'),
    'vendor:playbooks': call('vendor:playbooks'),
    'vendor:playbook-get': call('vendor:playbook-get'),
    'vendor:playbook-save': call('vendor:playbook-save'),
    'vendor:playbook-delete': call('vendor:playbook-delete'),
    'vendor:playbook-image': call('vendor:playbook-image'),
    'vendor:training': call('vendor:training'),
    'vendor:training-import': call('vendor:training-import'),
    'mdf:programs': call('mdf:programs'),
    'vendor:mdf-program': call('vendor:mdf-program'),
    'vendor:mdf-program-import': call('vendor:mdf-program-import'),
    'mdf:evaluate': call('mdf:evaluate'),
    'mdf:exports': call('mdf:exports'),
    'mdf:attach': call('mdf:attach'),
    'mdf:submit': call('mdf:submit'),
    'mdf:requests': call('mdf:requests'),
    'mdf:decision-import': call('mdf:decision-import'),
    'mdf:queue': call('mdf:queue'),
    'mdf:packet-import': call('mdf:packet-import'),
    'mdf:decide': call('mdf:decide'),
    'insights:activity': call('insights:activity'),
    'insights:report-export': call('insights:report-export'),
    'insights:import': call('insights:import'),
    'insights:imports': call('insights:imports'),
    'insights:aggregate-export': call('insights:aggregate-export'),
    'insights:dashboard': call('insights:dashboard'),
    'insights:csv': call('insights:csv'),
  } satisfies LockupApi);
}

/**
 * The `window.lockupMenu` object. `subscribe` registers one listener for raw
 * messages on the menu channel (the IPC event object is never passed on);
 * only messages that parse as a menu command reach the page.
 */
export function createMenuBridge(subscribe: (listener: (raw: unknown) => void) => void): LockupMenuBridge {
  const listeners = new Set<(command: MenuCommand) => void>();
  subscribe((raw) => {
    const command = parseMenuCommand(raw);
    if (!command) return;
    for (const listener of [...listeners]) {
      try {
        listener(command);
      } catch {
        // A failing page listener must not stop the others.
      }
    }
  });
  return Object.freeze({
    onCommand(listener: (command: MenuCommand) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('lockupMenu.onCommand expects a function');
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  });
}
