import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../core/contracts/api.ts';
import { decodePngRgba } from '../../core/images/logo-preflight.ts';
import { encodePngRgba } from '../../core/images/png-encode.ts';
import { portableCodec } from '../../core/util/codec.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { ROOT } from '../../test/support/paths.ts';
import { ApiService } from './service.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function png(width: number, height: number, paint: (x: number, y: number) => readonly [number, number, number, number]): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set(paint(x, y), (y * width + x) * 4);
  return encodePngRgba(width, height, rgba, portableCodec.deflate);
}

const NAVY = [11, 31, 68, 255] as const;
const inLogo = (x: number, y: number) => x >= 100 && x < 500 && y >= 60 && y < 180;
/** A 600 × 240 navy logo on a 10 px #FFF / #CCC checkerboard. */
const checkered = png(600, 240, (x, y) => {
  if (inLogo(x, y)) return NAVY;
  const v = ((Math.floor(x / 10) + Math.floor(y / 10)) & 1) === 0 ? 255 : 204;
  return [v, v, v, 255];
});

let catalogue: ReturnType<typeof seededCatalogue>['catalogue'];
let ok: <T = unknown>(op: string, input?: unknown) => Promise<T>;
let fails: (op: string, input?: unknown) => ReturnType<typeof callFails>;

beforeAll(() => {
  const seeded = seededCatalogue();
  catalogue = seeded.catalogue;
  const service = new ApiService({ catalogue, dataDir: seeded.dir, transport: 'web', version: 'test', exportDir: path.join(seeded.dir, 'exports') });
  ok = (op, input = {}) => callOk(service, op, input);
  fails = (op, input = {}) => callFails(service, op, input);
});

const intake = (name: string, bytes: Uint8Array) => ok<OpOutput<'logo:intake'>>('logo:intake', { name, data: b64(bytes) });

describe('logo:preflight on the demo catalogue', () => {
  it('finds the fake checkerboard and measures the logo at the largest partner slot of the demo templates', async () => {
    const logo = await intake('acme-checker.png', checkered);
    const r = await ok<OpOutput<'logo:preflight'>>('logo:preflight', { ref: logo.ref });
    expect(r).toMatchObject({ ref: logo.ref, width: 600, height: 240, vector: false, pixelsChecked: true, background: 'checkerboard' });
    expect(r.findings.find((f) => f.code === 'logo-fake-transparency')).toMatchObject({ severity: 'error', fix: 'remove-checkerboard' });
    expect(r.ppi).toMatchObject({ print: 300, screen: 96 });
    expect(r.ppi!.value).toBeGreaterThan(10);
    expect(r.ppi!.slot).toMatch(/ — /);
    expect(r.contrast!.light).toBeGreaterThan(10);
    expect(r.bestOn).toBe('light');
  });

  it('logo:fix stores a NEW transparent PNG and keeps the original; fixing that again trims it', async () => {
    const original = await intake('acme-checker.png', checkered);
    const fixed = await ok<OpOutput<'logo:fix'>>('logo:fix', { ref: original.ref, fix: 'remove-checkerboard' });
    expect(fixed.ref).not.toBe(original.ref);
    expect(fixed).toMatchObject({ name: 'acme-checker-transparent.png', format: 'png', width: 600, height: 240, hasAlpha: true });
    expect(catalogue.assetBytes(original.ref)!.bytes).toEqual(checkered);
    const pixels = decodePngRgba(catalogue.assetBytes(fixed.ref)!.bytes, 'x.png', portableCodec.inflate);
    const at = (x: number, y: number) => Array.from(pixels.rgba.subarray((y * 600 + x) * 4, (y * 600 + x) * 4 + 4));
    expect(at(0, 0)[3]).toBe(0);
    expect(at(50, 120)[3]).toBe(0);
    expect(at(300, 120)).toEqual([...NAVY]);

    const again = await ok<OpOutput<'logo:preflight'>>('logo:preflight', { ref: fixed.ref });
    expect(again.background).toBe('transparent');
    expect(again.findings.map((f) => f.fix).filter(Boolean)).toEqual(['trim']);
    const trimmed = await ok<OpOutput<'logo:fix'>>('logo:fix', { ref: fixed.ref, fix: 'trim' });
    expect(trimmed).toMatchObject({ name: 'acme-checker-transparent-trimmed.png', width: 400, height: 120 });
    // The partner chooses it by saving the profile: the fixed asset is a normal logo.
    const saved = await ok<OpOutput<'profile:save'>>('profile:save', { company: 'Acme', logo: { light: trimmed.ref } });
    expect(saved.logo).toEqual({ light: trimmed.ref });
  });

  it('a white logo meant for every background is nearly invisible on the light zones; used on dark only, it is fine', async () => {
    const white = await intake('white.png', png(400, 200, (x, y) => (x >= 20 && x < 380 && y >= 20 && y < 180 ? [255, 255, 255, 255] : [0, 0, 0, 0])));
    const both = await ok<OpOutput<'logo:preflight'>>('logo:preflight', { ref: white.ref });
    expect(both.bestOn).toBe('dark');
    expect(both.findings.filter((f) => f.code === 'logo-nearly-invisible').map((f) => f.message).join('\n')).toMatch(/light backgrounds/);
    const dark = await ok<OpOutput<'logo:preflight'>>('logo:preflight', { ref: white.ref, usedOn: ['dark'] });
    expect(dark.findings.map((f) => f.code)).not.toContain('logo-nearly-invisible');
  });

  it('the tiny sample logo is too low resolution for the largest slot', async () => {
    const tiny = await intake('bytewise-tiny.png', new Uint8Array(fs.readFileSync(path.join(ROOT, 'examples/partners/logos/bytewise-tiny.png'))));
    const r = await ok<OpOutput<'logo:preflight'>>('logo:preflight', { ref: tiny.ref });
    expect(r.findings.find((f) => f.code === 'logo-resolution-low')).toMatchObject({ severity: 'error' });
    expect(r.ppi!.value).toBeLessThan(96);
  });

  it('vector and JPEG logos: nothing to check but the size, and no fixes', async () => {
    const pdf = await intake('logo-vector.pdf', new Uint8Array(fs.readFileSync(path.join(ROOT, 'test-fixtures/images/logo-vector.pdf'))));
    const v = await ok<OpOutput<'logo:preflight'>>('logo:preflight', { ref: pdf.ref });
    expect(v).toMatchObject({ vector: true, ppi: null, findings: [{ code: 'logo-vector', severity: 'info' }] });
    const jpg = await intake('logo.jpg', new Uint8Array(fs.readFileSync(path.join(ROOT, 'test-fixtures/images/logo.jpg'))));
    const j = await ok<OpOutput<'logo:preflight'>>('logo:preflight', { ref: jpg.ref });
    expect(j).toMatchObject({ pixelsChecked: false, background: 'none' });
    expect(j.findings[0]!.code).toBe('logo-pixels-not-checked');
    expect(j.ppi).not.toBeNull();
  });
});

describe('bad input leaves the catalogue unchanged', () => {
  it.each([
    ['an unknown asset', async () => ({ ref: `sha256:${'0'.repeat(64)}`, fix: 'trim' }), 'asset-missing'],
    ['a malformed ref', async () => ({ ref: 'sha256:xyz', fix: 'trim' }), 'invalid-argument'],
    ['an unknown fix', async () => ({ ref: (await intake('acme-checker.png', checkered)).ref, fix: 'sharpen' }), 'invalid-argument'],
    ['a fix that does not apply (no checkerboard on a transparent logo)', async () => ({ ref: (await intake('clear.png', png(64, 64, (x) => (x > 10 ? NAVY : [0, 0, 0, 0])))).ref, fix: 'remove-checkerboard' }), 'not-supported'],
    ['removing the background of an image that is all background', async () => ({ ref: (await intake('full.png', png(64, 64, () => NAVY))).ref, fix: 'remove-background' }), 'not-supported'],
    ['trimming a logo without padding', async () => ({ ref: (await intake('full.png', png(64, 64, () => NAVY))).ref, fix: 'trim' }), 'not-supported'],
    ['a JPEG', async () => ({ ref: (await intake('logo.jpg', new Uint8Array(fs.readFileSync(path.join(ROOT, 'test-fixtures/images/logo.jpg'))))).ref, fix: 'remove-background' }), 'not-supported'],
    ['extra keys', async () => ({ ref: (await intake('acme-checker.png', checkered)).ref, fix: 'trim', replace: true }), 'invalid-argument'],
  ])('logo:fix with %s', async (_what, input, code) => {
    const args = await input();
    const before = dumpDatabase(catalogue.db);
    expect((await fails('logo:fix', args)).code).toBe(code);
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('logo:preflight never writes', async () => {
    const ref = (await intake('acme-checker.png', checkered)).ref;
    const before = dumpDatabase(catalogue.db);
    await ok('logo:preflight', { ref });
    expect((await fails('logo:preflight', { ref, usedOn: [] })).code).toBe('invalid-argument');
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });
});
