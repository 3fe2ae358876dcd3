import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiService } from '../backend/api/service.ts';
import type { Catalogue } from '../backend/catalogue.ts';
import { OP_NAMES, type Envelope, type OpName } from '../core/contracts/api.ts';
import { seededCatalogue } from '../test/support/catalogue.ts';
import { dumpDatabase } from '../test/support/db.ts';
import { listFilesDeep, tempDir } from '../test/support/temp.ts';
import { CANCELLED, EXPORT_FLOW, PUBLISH_FLOW, withSaveDialog } from './dialogs.ts';
import { FORBIDDEN, createHandler, isTrustedSender, registerIpc, type FrameLike, type IpcOptions, type SenderEvent, type TrustedContents } from './ipc.ts';

// ---- fakes for the window and its frames

function frame(url: string, over: Partial<FrameLike> = {}): FrameLike {
  return { url, parent: null, processId: 4, routingId: 1, detached: false, ...over };
}

function windowContents(main: FrameLike = frame('app://lockup/index.html'), id = 7): TrustedContents & { destroyed: boolean } {
  return {
    id,
    mainFrame: main,
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
  };
}

function eventFrom(contents: TrustedContents, senderFrame: FrameLike | null, senderId = contents.id): SenderEvent {
  return { sender: { id: senderId }, senderFrame };
}

const okService = () => ({ dispatch: vi.fn(async (op: unknown) => ({ ok: true, value: { op } }) as Envelope<unknown>) });

describe('registerIpc', () => {
  it('registers exactly one handler per API operation, channel = operation name, and removes them all', () => {
    const handle = vi.fn();
    const removeHandler = vi.fn();
    const dispose = registerIpc({ handle, removeHandler } as never, { service: okService(), target: () => undefined });
    const channels = handle.mock.calls.map((c) => c[0] as string);
    expect([...channels].sort()).toEqual([...OP_NAMES].sort());
    expect(new Set(channels).size).toBe(channels.length);
    for (const c of handle.mock.calls) expect(typeof c[1]).toBe('function');
    dispose();
    expect(removeHandler.mock.calls.map((c) => c[0]).sort()).toEqual([...OP_NAMES].sort());
  });
});

describe('sender validation', () => {
  const contents = windowContents();
  const trusted = eventFrom(contents, contents.mainFrame);

  it('accepts the main frame of the window on app://lockup', async () => {
    expect(isTrustedSender(trusted, contents)).toBe(true);
    // The same frame seen through another wrapper object (same process and routing id).
    expect(isTrustedSender(eventFrom(contents, frame('app://lockup/index.html#/editor')), contents)).toBe(true);
    const service = okService();
    const handler = createHandler('app:info', { service, target: () => contents });
    expect(await handler(trusted, {})).toEqual({ ok: true, value: { op: 'app:info' } });
    expect(service.dispatch).toHaveBeenCalledWith('app:info', {});
  });

  const refusals: [string, SenderEvent, TrustedContents | undefined][] = [
    ['a sub-frame (iframe) of the window', eventFrom(contents, frame('app://lockup/index.html', { parent: contents.mainFrame, routingId: 9 })), contents],
    ['a sub-frame that claims the main routing id', eventFrom(contents, frame('app://lockup/index.html', { parent: contents.mainFrame })), contents],
    ['the main frame showing file://', eventFrom(contents, frame('file:///home/me/evil.html')), contents],
    ['the main frame showing https://', eventFrom(contents, frame('https://evil.example/')), contents],
    ['the main frame showing http://127.0.0.1', eventFrom(contents, frame('http://127.0.0.1:5173/')), contents],
    ['another app:// host', eventFrom(contents, frame('app://evil/index.html')), contents],
    ['a destroyed frame (senderFrame null)', eventFrom(contents, null), contents],
    ['a detached frame', eventFrom(contents, frame('app://lockup/index.html', { detached: true })), contents],
    ['another window', eventFrom(contents, contents.mainFrame, 99), contents],
    ['a frame of another renderer process', eventFrom(contents, frame('app://lockup/index.html', { processId: 5 })), contents],
    ['any frame when there is no window', trusted, undefined],
    ['any frame when the window is destroyed', trusted, { ...windowContents(), isDestroyed: () => true }],
  ];

  it.each(refusals)('refuses %s with forbidden, without calling the backend', async (_what, event, target) => {
    expect(isTrustedSender(event, target)).toBe(false);
    const service = okService();
    const onForbidden = vi.fn();
    for (const op of OP_NAMES) expect(await createHandler(op, { service, target: () => target, onForbidden })(event, {})).toEqual(FORBIDDEN);
    expect(service.dispatch).not.toHaveBeenCalled();
    expect(onForbidden).toHaveBeenCalledTimes(OP_NAMES.length);
  });

  it('refuses a frame whose properties throw on access (disposed)', async () => {
    const throwing = Object.defineProperty({ parent: null, processId: 4, routingId: 1 }, 'url', {
      get() {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    }) as FrameLike;
    const event = Object.defineProperty({ sender: { id: 7 } }, 'senderFrame', { get: () => throwing }) as SenderEvent;
    const service = okService();
    expect(await createHandler('profile:get', { service, target: () => contents })(event, {})).toEqual(FORBIDDEN);
    const event2 = Object.defineProperty({ sender: { id: 7 } }, 'senderFrame', {
      get() {
        throw new Error('disposed');
      },
    }) as SenderEvent;
    expect(await createHandler('profile:get', { service, target: () => contents })(event2, {})).toEqual(FORBIDDEN);
    expect(service.dispatch).not.toHaveBeenCalled();
  });

  it('a forbidden envelope cannot be changed by whoever receives it', () => {
    expect(Object.isFrozen(FORBIDDEN)).toBe(true);
  });
});

describe('handler behaviour', () => {
  const contents = windowContents();
  const trusted = eventFrom(contents, contents.mainFrame);

  it('refuses extra arguments', async () => {
    const service = okService();
    expect(await createHandler('app:info', { service, target: () => contents })(trusted, {}, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(service.dispatch).not.toHaveBeenCalled();
  });

  it('turns a throwing or misbehaving backend into an internal envelope', async () => {
    const throwing = { dispatch: vi.fn(async () => Promise.reject(new Error('boom'))) };
    expect(await createHandler('app:info', { service: throwing, target: () => contents })(trusted, {})).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
    const odd = { dispatch: vi.fn(async () => 'not an envelope' as unknown as Envelope<unknown>) };
    expect(await createHandler('app:info', { service: odd, target: () => contents })(trusted, {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('shows every envelope to the observer, whose failures do not reach the caller', async () => {
    const after = vi.fn(() => {
      throw new Error('observer broke');
    });
    const envelope = await createHandler('templates:list', { service: okService(), target: () => contents, after })(trusted, {});
    expect(envelope.ok).toBe(true);
    expect(after).toHaveBeenCalledWith('templates:list', envelope);
  });
});

// ---- against the real backend

let catalogue: Catalogue;
let dataDir: string;
let service: ApiService;
const revealed: string[] = [];

beforeAll(() => {
  ({ catalogue, dir: dataDir } = seededCatalogue());
  service = new ApiService({ catalogue, dataDir, transport: 'electron', version: 'test', exportDir: path.join(dataDir, 'exports'), reveal: (f) => (revealed.push(f), true) });
});
afterAll(() => catalogue.close());

/** Operations that never write to the catalogue, whatever their input. */
const READ_ONLY: readonly OpName[] = ['app:info', 'profile:get', 'logo:describe', 'asset:get', 'templates:list', 'template:open', 'template:thumbnail', 'document:check', 'export:suggest', 'export:download', 'file:reveal'];

/** Inputs the API accepts for some operations, so the fuzz reaches the handlers and not only validation. */
const SAMPLES: unknown[] = [
  {},
  { id: 'product-one-pager-letter' },
  { id: 'case-study-gold@1' },
  { id: '../../etc/passwd' },
  { ref: `sha256:${'0'.repeat(64)}` },
  { path: '/etc/passwd' },
  { path: 'C:\\Windows\\win.ini' },
  { name: 'logo.png', data: 'iVBORw0KGgo=' },
  { name: 'x'.repeat(300), data: '' },
  { company: '' },
  { document: { format: 'lockup.document', formatVersion: 1, templateId: 'product-one-pager-letter', templateVersion: 1 } },
  { document: { format: 'lockup.document', formatVersion: 1, templateId: 'product-one-pager-letter', templateVersion: 1 }, path: null },
  { document: null, output: 'print', path: null },
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
];

const opName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...OP_NAMES) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app:INFO', 'profile:get ', 'export:pdf\u0000', '', 'file:reveal/../x') },
);
const input = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SAMPLES) },
  { weight: 3, arbitrary: fc.jsonValue() },
  { weight: 2, arbitrary: fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withBigInt: true }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** What IPC does to an argument: a structured clone (undefined when it cannot be cloned). */
function overIpc(value: unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: structuredClone(value) };
  } catch {
    return { ok: false };
  }
}

const sideFiles = (dir: string) => listFilesDeep(dir).filter((f) => !/catalogue\.sqlite(-wal|-shm)?$/.test(f));

describe('fuzzing the handlers with the real backend', () => {
  const contents = windowContents();
  const trusted = eventFrom(contents, contents.mainFrame);

  it('random inputs to random operation names: an envelope every time, nothing thrown, the catalogue unchanged', async () => {
    const before = dumpDatabase(catalogue.db);
    const filesBefore = sideFiles(dataDir);
    const choose = vi.fn(async () => null);
    const options: IpcOptions = { service, target: () => contents, around: { 'export:pdf': withSaveDialog(EXPORT_FLOW, choose), 'pack:publish': withSaveDialog(PUBLISH_FLOW, choose) } };
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(opName, input, async (op, raw) => {
        const sent = overIpc(raw);
        if (!sent.ok) return;
        const envelope = await createHandler(op, options)(trusted, sent.value);
        expect(typeof envelope).toBe('object');
        outcomes.add(envelope.ok ? 'ok' : envelope.error.code);
        if (envelope.ok) {
          expect('value' in envelope).toBe(true);
        } else {
          expect(typeof envelope.error.code).toBe('string');
          expect(typeof envelope.error.message).toBe('string');
        }
        if (!envelope.ok || READ_ONLY.includes(op as OpName)) expect(dumpDatabase(catalogue.db)).toEqual(before);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    // The fuzz reached the handlers, not only validation.
    expect([...outcomes]).toEqual(expect.arrayContaining(['ok', 'invalid-argument', 'unknown-operation']));
    // Nothing written beside the catalogue (no export, no stray file), and no write at all in fact.
    expect(sideFiles(dataDir)).toEqual(filesBefore);
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('untrusted senders never reach the backend, whatever they send', async () => {
    const spy = vi.spyOn(service, 'dispatch');
    const outsider = eventFrom(contents, frame('https://evil.example/'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OP_NAMES), fc.jsonValue(), async (op, value) => {
        expect(await createHandler(op, { service, target: () => contents })(outsider, value)).toEqual(FORBIDDEN);
      }),
      { numRuns: 100 },
    );
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('export:download cannot read files Lockup did not export', async () => {
    const secret = path.join(tempDir(), 'secret.pdf');
    fs.writeFileSync(secret, '%PDF-1.7 secret');
    const envelope = await createHandler('export:download', { service, target: () => contents })(trusted, { path: secret });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('export through the save dialog (real backend)', () => {
  const contents = windowContents();
  const trusted = eventFrom(contents, contents.mainFrame);
  const logo = fs.readFileSync(path.resolve(import.meta.dirname, '..', 'examples', 'partners', 'logos', 'harbor-it-light.png'));

  async function call(op: OpName, value: unknown, options: Partial<IpcOptions> = {}): Promise<Envelope<unknown>> {
    return createHandler(op, { service, target: () => contents, ...options })(trusted, value);
  }

  async function openDocument(): Promise<unknown> {
    const taken = await call('logo:intake', { name: 'harbor-it-light.png', data: logo.toString('base64') });
    expect(taken.ok).toBe(true);
    const ref = (taken as { value: { ref: string } }).value.ref;
    expect((await call('profile:save', { company: 'Harbor IT', logo: ref, tier: 'silver', type: 'reseller', region: 'na' })).ok).toBe(true);
    const opened = await call('template:open', { id: 'product-one-pager-letter' });
    expect(opened.ok).toBe(true);
    return (opened as { value: { document: unknown } }).value.document;
  }

  const ledgerRows = () => (catalogue.db.prepare('SELECT COUNT(*) AS n FROM export_ledger').get() as { n: number }).n;

  it('path null: asks for a path with the suggested name, then writes the PDF there and records it', async () => {
    const document = await openDocument();
    const target = path.join(tempDir(), 'chosen', 'harbor.pdf');
    const choose = vi.fn(async () => target);
    const after = vi.fn();
    const rows = ledgerRows();
    const envelope = await call('export:pdf', { document, path: null }, { around: { 'export:pdf': withSaveDialog(EXPORT_FLOW, choose) }, after });
    expect(envelope).toMatchObject({ ok: true, value: { path: target, fileName: 'harbor.pdf' } });
    expect(choose).toHaveBeenCalledWith({ fileName: expect.stringMatching(/harbor-it\.pdf$/), folder: path.join(dataDir, 'exports') });
    expect(fs.readFileSync(target).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(ledgerRows()).toBe(rows + 1);
    expect(after).toHaveBeenCalledWith('export:pdf', envelope);
  });

  it('a cancelled dialog writes nothing and answers cancelled', async () => {
    const document = await openDocument();
    const rows = ledgerRows();
    const exportsBefore = listFilesDeep(path.join(dataDir, 'exports'));
    const envelope = await call('export:pdf', { document }, { around: { 'export:pdf': withSaveDialog(EXPORT_FLOW, async () => null) } });
    expect(envelope).toEqual(CANCELLED);
    expect(ledgerRows()).toBe(rows);
    expect(listFilesDeep(path.join(dataDir, 'exports'))).toEqual(exportsBefore);
  });

  it('an explicit path or an invalid input goes straight to the backend, without a dialog', async () => {
    const document = await openDocument();
    const choose = vi.fn(async () => '/never.pdf');
    const around = { 'export:pdf': withSaveDialog(EXPORT_FLOW, choose) };
    const target = path.join(tempDir(), 'direct.pdf');
    expect(await call('export:pdf', { document, path: target }, { around })).toMatchObject({ ok: true, value: { path: target } });
    expect(await call('export:pdf', { document, path: null, extra: 1 }, { around })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await call('export:pdf', 'nonsense', { around })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(choose).not.toHaveBeenCalled();
  });

  it('file:reveal hands an exported file to the shell, and refuses other paths', async () => {
    revealed.length = 0;
    const document = await openDocument();
    const target = path.join(tempDir(), 'revealed.pdf');
    expect(await call('export:pdf', { document, path: target })).toMatchObject({ ok: true });
    expect(await call('file:reveal', { path: target })).toEqual({ ok: true, value: { shown: true } });
    expect(revealed).toEqual([target]);
    expect(await call('file:reveal', { path: 'relative/file.pdf' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(revealed).toEqual([target]);
  });
});

describe('publishing a pack through the save dialog (real backend)', () => {
  const contents = windowContents();
  const trusted = eventFrom(contents, contents.mainFrame);
  const call = (op: OpName, value: unknown, options: Partial<IpcOptions> = {}): Promise<Envelope<unknown>> =>
    createHandler(op, { service, target: () => contents, ...options })(trusted, value);
  const packsIn = (dir: string) => (fs.existsSync(dir) ? listFilesDeep(dir).filter((f) => f.endsWith('.lockup')) : []);

  it('with no key yet, the backend refuses after the dialog and nothing is written', async () => {
    const target = path.join(tempDir(), 'nokey.lockup');
    const envelope = await call('pack:publish', { brandId: 'nimbus', path: null }, { around: { 'pack:publish': withSaveDialog(PUBLISH_FLOW, async () => target) } });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'key-invalid' } });
    expect(fs.existsSync(target)).toBe(false);
  });

  it('path null: asks with the name and folder from pack:publish-info, then writes the signed pack where the user chose', async () => {
    expect(await call('pack:key-create', { publisherId: 'nimbus', publisherName: 'Nimbus Systems' })).toMatchObject({ ok: true });
    const chosenDir = tempDir();
    const choose = vi.fn(async () => path.join(chosenDir, 'for-partners.lockup'));
    const envelope = await call('pack:publish', { brandId: 'nimbus', path: null }, { around: { 'pack:publish': withSaveDialog(PUBLISH_FLOW, choose) } });
    expect(choose).toHaveBeenCalledWith({ fileName: 'nimbus-v1.lockup', folder: path.join(dataDir, 'exports') });
    expect(envelope).toMatchObject({ ok: true, value: { path: path.join(chosenDir, 'for-partners.lockup'), version: 1 } });
    // A ZIP container, and the backend now proposes the next version.
    expect(fs.readFileSync(path.join(chosenDir, 'for-partners.lockup')).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(await call('pack:publish-info', { brandId: 'nimbus' })).toMatchObject({ ok: true, value: { lastVersion: 1, fileName: 'nimbus-v2.lockup' } });
    expect(packsIn(path.join(dataDir, 'exports'))).toEqual([]);
  });

  it('a cancelled dialog publishes nothing: no file, no new version', async () => {
    const before = await call('pack:publish-info', { brandId: 'nimbus' });
    const exportsBefore = packsIn(path.join(dataDir, 'exports'));
    const envelope = await call('pack:publish', { brandId: 'nimbus' }, { around: { 'pack:publish': withSaveDialog(PUBLISH_FLOW, async () => null) } });
    expect(envelope).toEqual(CANCELLED);
    expect(await call('pack:publish-info', { brandId: 'nimbus' })).toEqual(before);
    expect(packsIn(path.join(dataDir, 'exports'))).toEqual(exportsBefore);
  });
});
