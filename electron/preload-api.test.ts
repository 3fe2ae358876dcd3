import { types } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { OP_NAMES } from '../core/contracts/api.ts';
import { FILE_MENU_COMMANDS, MENU_COMMAND_NAMES, SIMPLE_MENU_COMMANDS, parseMenuCommand, type FileMenuCommandName, type MenuCommand } from '../core/contracts/menu.ts';
import { apiError, createLockupApi, createMenuBridge, unwrapEnvelope } from './preload-api.ts';

/** Reject reason of a promise (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

/**
 * What the context bridge does to a rejection value on its way to the page: a native Error is
 * rebuilt from its message alone; any other object is copied property by property (own enumerable).
 */
function acrossBridge(value: unknown): unknown {
  if (types.isNativeError(value)) return new Error((value as Error).message);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.keys(value).map((k) => [k, structuredClone((value as Record<string, unknown>)[k])]));
  return value;
}

describe('window.lockup', () => {
  it('has exactly one function per API operation, and nothing else', () => {
    const api = createLockupApi(vi.fn());
    expect(Object.keys(api).sort()).toEqual([...OP_NAMES].sort());
    for (const op of OP_NAMES) expect(typeof api[op]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('each function invokes the IPC channel of its own name with the input as given', async () => {
    const invoke = vi.fn(async (op: string) => ({ ok: true, value: op }));
    const api = createLockupApi(invoke);
    for (const op of OP_NAMES) {
      const input = { marker: op };
      expect(await (api[op] as (i: unknown) => Promise<unknown>)(input)).toBe(op);
      expect(invoke).toHaveBeenLastCalledWith(op, input);
    }
    expect(invoke).toHaveBeenCalledTimes(OP_NAMES.length);
  });

  it('rejects error envelopes with code, message and details that survive the context bridge', async () => {
    const details = { findings: [{ code: 'text-overflow', zoneId: 'headline' }] };
    const api = createLockupApi(async () => ({ ok: false, error: { code: 'compliance-errors', message: 'Export refused: 1 compliance error', details } }));
    const err = await rejection(api['export:pdf']({ document: {} as never }));
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'LockupApiError', code: 'compliance-errors', message: 'Export refused: 1 compliance error', details });
    // Not a native Error, so the bridge copies every field instead of rebuilding it from the message.
    expect(types.isNativeError(err)).toBe(false);
    expect(acrossBridge(err)).toEqual({ name: 'LockupApiError', code: 'compliance-errors', message: 'Export refused: 1 compliance error', details });
    // What a plain `new Error()` with a code would have become: the code is gone.
    expect(acrossBridge(Object.assign(new Error('x'), { code: 'forbidden' }))).not.toHaveProperty('code');
  });

  it('treats anything that is not an envelope as an internal error', async () => {
    for (const response of [undefined, null, 'ok', 42, [], {}, { ok: true }, { ok: false }, { ok: false, error: { code: 1, message: 'x' } }, { ok: 'yes', value: 1 }]) {
      const err = await rejection(createLockupApi(async () => response)['app:info']({}));
      expect(err, JSON.stringify(response)).toMatchObject({ code: 'internal' });
    }
    expect(unwrapEnvelope({ ok: true, value: undefined })).toBeUndefined();
  });

  it('maps transport failures: an uncloneable input is invalid-argument, anything else internal', async () => {
    const cloneFail = createLockupApi(async () => Promise.reject(new Error('An object could not be cloned.')));
    expect(await rejection(cloneFail['profile:save']({ company: 'x' }))).toMatchObject({ code: 'invalid-argument' });
    const remote = createLockupApi(async () => Promise.reject(new Error("Error invoking remote method 'app:info': Error: No handler registered for 'app:info'")));
    expect(await rejection(remote['app:info']({}))).toMatchObject({ code: 'internal', message: "No handler registered for 'app:info'" });
    const sync = createLockupApi(() => {
      throw new TypeError('sync');
    });
    expect(await rejection(sync['app:info']({}))).toMatchObject({ code: 'internal', message: 'sync' });
  });

  it('apiError leaves details out when there are none', () => {
    expect(Object.keys(apiError('forbidden', 'no'))).toEqual(['name', 'code', 'message']);
  });
});

describe('window.lockupMenu', () => {
  function bridge() {
    let deliver: (raw: unknown) => void = () => undefined;
    const menu = createMenuBridge((listener) => {
      deliver = listener;
    });
    return { menu, deliver: (raw: unknown) => deliver(raw) };
  }

  it('exposes onCommand only', () => {
    expect(Object.keys(bridge().menu)).toEqual(['onCommand']);
    expect(Object.isFrozen(bridge().menu)).toBe(true);
  });

  it('delivers valid commands to every listener until it unsubscribes', () => {
    const { menu, deliver } = bridge();
    const a = vi.fn();
    const b = vi.fn();
    const offA = menu.onCommand(a);
    menu.onCommand(b);
    deliver({ name: 'export-pdf' });
    offA();
    deliver({ name: 'zoom-in' });
    expect(a.mock.calls).toEqual([[{ name: 'export-pdf' }]]);
    expect(b.mock.calls).toEqual([[{ name: 'export-pdf' }], [{ name: 'zoom-in' }]]);
  });

  it('drops anything outside the closed set of commands', () => {
    const { menu, deliver } = bridge();
    const listener = vi.fn();
    menu.onCommand(listener);
    for (const raw of [
      undefined,
      null,
      'export-pdf',
      ['export-pdf'],
      { name: 'quit' },
      { name: 'open-devtools' },
      { name: 'export-pdf', path: '/etc/passwd' },
      { name: 'import-logo' },
      { name: 'import-logo', file: { name: 'x.png' } },
      { name: 'import-logo', file: { name: '', data: 'AAAA' } },
      { name: 'import-logo', file: { name: 'x.png', data: 'not base64!' } },
      { name: 'import-logo', file: { name: 'x.png', data: 'AAAA', path: '/etc/passwd' } },
      { name: 'import-logo', file: { name: 'x'.repeat(256), data: 'AAAA' } },
      new (class Command {
        name = 'undo';
      })(),
    ]) {
      deliver(raw);
    }
    expect(listener).not.toHaveBeenCalled();
  });

  it('a listener that throws does not stop the others', () => {
    const { menu, deliver } = bridge();
    const after = vi.fn();
    menu.onCommand(() => {
      throw new Error('page bug');
    });
    menu.onCommand(after);
    deliver({ name: 'undo' });
    expect(after).toHaveBeenCalledWith({ name: 'undo' });
  });

  it('refuses a listener that is not a function', () => {
    expect(() => bridge().menu.onCommand('nope' as never)).toThrow(TypeError);
  });
});

const FILE_COMMANDS = Object.keys(FILE_MENU_COMMANDS) as FileMenuCommandName[];

describe('parseMenuCommand', () => {
  it('accepts every command of the set', () => {
    for (const name of SIMPLE_MENU_COMMANDS) expect(parseMenuCommand({ name })).toEqual({ name });
    for (const name of FILE_COMMANDS) expect(parseMenuCommand({ name, file: { name: 'a.bin', data: 'iVBORw0KGgo=' } })).toEqual({ name, file: { name: 'a.bin', data: 'iVBORw0KGgo=' } });
    expect(SIMPLE_MENU_COMMANDS).toContain('publish-pack');
    expect([...FILE_COMMANDS].sort()).toEqual(['import-credential', 'import-logo', 'open-pack']);
    expect([...MENU_COMMAND_NAMES].sort()).toEqual([...SIMPLE_MENU_COMMANDS, ...FILE_COMMANDS].sort());
  });

  it.each(FILE_COMMANDS)('bounds the %s payload at the size its open dialog reads', (name) => {
    const max = Math.ceil(FILE_MENU_COMMANDS[name] / 3) * 4;
    expect(parseMenuCommand({ name, file: { name: 'a.bin', data: 'A'.repeat(max) } })).toBeDefined();
    expect(parseMenuCommand({ name, file: { name: 'a.bin', data: 'A'.repeat(max + 4) } })).toBeUndefined();
  });

  it('a file command needs its file, and a simple one takes none', () => {
    expect(parseMenuCommand({ name: 'open-pack' })).toBeUndefined();
    expect(parseMenuCommand({ name: 'import-credential', file: { name: 'a.cred', data: '' } })).toBeUndefined();
    expect(parseMenuCommand({ name: 'publish-pack', file: { name: 'a.lockup', data: 'AAAA' } })).toBeUndefined();
  });

  it('never throws, and returns a fresh valid command or nothing', () => {
    const command = fc.oneof(
      fc.record({ name: fc.constantFrom(...MENU_COMMAND_NAMES, 'quit', '') }),
      fc.record({ name: fc.constantFrom(...FILE_COMMANDS), file: fc.record({ name: fc.string(), data: fc.base64String() }) }),
      fc.anything({ withNullPrototype: true, withMap: true }),
    );
    fc.assert(
      fc.property(command, (raw) => {
        const parsed: MenuCommand | undefined = parseMenuCommand(raw);
        if (parsed === undefined) return;
        expect(parsed).not.toBe(raw);
        expect(parseMenuCommand(parsed)).toEqual(parsed);
        expect(MENU_COMMAND_NAMES).toContain(parsed.name);
      }),
      { numRuns: 500 },
    );
  });
});
