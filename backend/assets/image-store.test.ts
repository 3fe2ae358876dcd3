import fs from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LockupError } from '../../core/errors.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { imageFixture, supportModule } from '../../test/support/paths.ts';
import { tempDir } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { ExportEngine } from '../services/engine.ts';
import { assetRef } from '../util/hash.ts';
import { ImageStore, prepareIsolated } from './image-store.ts';

/** Every worker thread started through backend/util/worker.ts, with how it ended. */
const started = vi.hoisted(() => [] as { worker: Worker; exited: Promise<number> }[]);

vi.mock('../util/worker.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../util/worker.ts')>();
  return {
    ...real,
    startWorker: (...args: Parameters<typeof real.startWorker>) => {
      const worker = real.startWorker(...args);
      started.push({ worker, exited: new Promise<number>((resolve) => worker.once('exit', resolve)) });
      return worker;
    },
  };
});

beforeEach(() => {
  started.length = 0;
});

const bytesOf = (name: string) => new Uint8Array(fs.readFileSync(imageFixture(name)));

async function rejection(p: Promise<unknown>): Promise<LockupError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(LockupError);
    return err as LockupError;
  }
  throw new Error('expected the promise to reject with a LockupError');
}

/** Resolves when every started worker has exited; fails if one is still running after `ms`. */
async function allExited(ms = 2000): Promise<number[]> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a worker thread is still running')), ms));
  return Promise.race([Promise.all(started.map((s) => s.exited)), timeout]);
}

describe('prepareIsolated', () => {
  it.each(['silent-image-worker.mjs', 'busy-image-worker.mjs'])('a worker that never answers (%s) is abandoned with image-decode-timeout and terminated', async (module) => {
    const t0 = performance.now();
    const err = await rejection(prepareIsolated(bytesOf('logo-rgba.png'), 'stuck.png', 'k', 300, supportModule(module)));
    const elapsed = performance.now() - t0;
    expect(err.code).toBe('image-decode-timeout');
    expect(err.message).toContain('stuck.png');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(5000);
    expect(started).toHaveLength(1);
    await allExited();
  });

  it('a worker that crashes is image-corrupt with the cause, and is gone', async () => {
    const err = await rejection(prepareIsolated(bytesOf('logo-rgba.png'), 'crashy.png', 'k', 10_000, supportModule('throwing-image-worker.mjs')));
    expect(err.code).toBe('image-corrupt');
    expect(err.message).toContain('crashy.png');
    expect(err.message).toContain('decoder blew up');
    await allExited();
  });

  it('the real worker prepares a good image under the given key and then exits', async () => {
    const image = await prepareIsolated(bytesOf('logo-rgba.png'), 'logo-rgba.png', 'sha256:test-key');
    expect(image.key).toBe('sha256:test-key');
    expect(image.info.width).toBeGreaterThan(0);
    expect(image.info.height).toBeGreaterThan(0);
    expect(image.info.hasAlpha).toBe(true);
    await allExited();
  });

  it('the real worker passes the decoder error code through (truncated PNG → image-truncated)', async () => {
    const err = await rejection(prepareIsolated(bytesOf('truncated.png'), 'truncated.png', 'k'));
    expect(err.code).toBe('image-truncated');
    await allExited();
  });
});

describe('ImageStore.prepareUntrusted', () => {
  it('concurrent requests for the same bytes share one worker; later ones hit the cache', async () => {
    const store = new ImageStore();
    const bytes = bytesOf('logo-rgba.png');
    const [a, b, c] = await Promise.all([store.prepareUntrusted(bytes, 'a.png'), store.prepareUntrusted(bytes.slice(), 'b.png'), store.prepareUntrusted(bytes, 'c.png')]);
    expect(started).toHaveLength(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(a.key).toBe(assetRef(bytes));
    expect(store.get(assetRef(bytes))).toBe(a);
    await store.prepareUntrusted(bytes, 'again.png');
    expect(started).toHaveLength(1);
  });

  it('files refused by their signature never start a worker', async () => {
    const store = new ImageStore();
    for (const name of ['logo.gif', 'jpeg-named-as.png', 'not-an-image.png']) await expect(store.prepareUntrusted(bytesOf(name), name)).rejects.toBeInstanceOf(LockupError);
    expect(started).toHaveLength(0);
  });

  it('a failed file is not cached: asking again tries again', async () => {
    const store = new ImageStore();
    await expect(store.prepareUntrusted(bytesOf('truncated.jpg'), 'truncated.jpg')).rejects.toMatchObject({ code: 'image-truncated' });
    await expect(store.prepareUntrusted(bytesOf('truncated.jpg'), 'truncated.jpg')).rejects.toMatchObject({ code: 'image-truncated' });
    expect(started).toHaveLength(2);
  });
});

describe('ExportEngine.intakeLogo', () => {
  let catalogue: Catalogue;
  let dump: ReturnType<typeof dumpDatabase>;
  beforeAll(() => {
    ({ catalogue } = seededCatalogue());
    dump = dumpDatabase(catalogue.db);
  });
  afterAll(() => catalogue.close());

  const BAD: [string, string][] = [
    ['empty.png', 'file-empty'],
    ['not-an-image.png', 'image-unsupported'],
    ['jpeg-named-as.png', 'image-mislabelled'],
    ['truncated.png', 'image-truncated'],
    ['crc-damaged.png', 'image-corrupt'],
    ['absurd-dimensions.png', 'image-too-large'],
    ['bomb.png', 'image-corrupt'],
    // SVG: entity declarations are refused in the worker; scripts are stripped (docs/decisions/0015).
    ['entity.svg', 'svg-refused'],
    ['logo.gif', 'image-unsupported'],
    ['encrypted.pdf', 'pdf-logo-encrypted'],
    ['truncated.jpg', 'image-truncated'],
    ['does-not-exist.png', 'file-unreadable'],
  ];

  it.each(BAD)('%s → %s, naming the file, with the catalogue unchanged', async (name, code) => {
    const engine = new ExportEngine(catalogue);
    const file = imageFixture(name);
    const err = await rejection(engine.intakeLogo(file));
    expect(err.code).toBe(code);
    expect(err.message).toContain(name);
    expect(err.details?.['path']).toBe(file);
    expect(dumpDatabase(catalogue.db)).toEqual(dump);
    await allExited(5000);
  });

  // BUG: core/images/prepare.ts measurePdf only guards PDFDocument.load; the page
  // tree of broken.pdf ("/Pages 9 0 R" points nowhere) fails later in getPageCount/
  // getPage, outside the try, so the error escapes as 'internal' ("Unexpected
  // failure: Expected instance of PDFDict…") instead of pdf-logo-invalid.
  it('broken.pdf → pdf-logo-invalid', async () => {
    const engine = new ExportEngine(catalogue);
    const err = await rejection(engine.intakeLogo(imageFixture('broken.pdf')));
    expect(err.code).toBe('pdf-logo-invalid');
    expect(dumpDatabase(catalogue.db)).toEqual(dump);
  });

  it('a folder instead of a file is file-unreadable', async () => {
    const err = await rejection(new ExportEngine(catalogue).intakeLogo(tempDir()));
    expect(err.code).toBe('file-unreadable');
    expect(err.message).toMatch(/folder/);
  });

  it.each(['logo-rgba.png', 'logo-vector.pdf', 'logo-tiny.png', 'logo.jpg', 'exif-rotated.jpg', 'logo-cmyk.jpg', 'logo-clean.svg', 'script.svg'])('good logo %s is taken in: its asset ref, prepared and cached, catalogue unchanged', async (name) => {
    const engine = new ExportEngine(catalogue);
    const ref = await engine.intakeLogo(imageFixture(name));
    expect(ref).toBe(assetRef(bytesOf(name)));
    const image = engine.resources.images.get(ref);
    expect(image).toBeDefined();
    expect(image!.info.width).toBeGreaterThan(0);
    expect(started).toHaveLength(1);
    expect(dumpDatabase(catalogue.db)).toEqual(dump);
  });

  it('the same unchanged file is taken in once; a changed file is read again', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'logo.png');
    fs.copyFileSync(imageFixture('logo-rgba.png'), file);
    const engine = new ExportEngine(catalogue);
    const first = await engine.intakeLogo(file);
    expect(await engine.intakeLogo(file)).toBe(first);
    expect(started).toHaveLength(1);
    fs.copyFileSync(imageFixture('logo-tiny.png'), file);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const second = await engine.intakeLogo(file);
    expect(second).toBe(assetRef(bytesOf('logo-tiny.png')));
    expect(second).not.toBe(first);
    fs.copyFileSync(imageFixture('truncated.png'), file);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    await expect(engine.intakeLogo(file)).rejects.toMatchObject({ code: 'image-truncated' });
  });

  it('without isolation (batch workers) the same files give the same codes in-thread', async () => {
    const engine = new ExportEngine(catalogue, false);
    await expect(engine.intakeLogo(imageFixture('truncated.png'))).rejects.toMatchObject({ code: 'image-truncated' });
    await expect(engine.intakeLogo(imageFixture('crc-damaged.png'))).rejects.toMatchObject({ code: 'image-corrupt' });
    expect(await engine.intakeLogo(imageFixture('logo-rgba.png'))).toBe(assetRef(bytesOf('logo-rgba.png')));
    expect(started).toHaveLength(0);
  });
});
