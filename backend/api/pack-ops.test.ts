import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../core/contracts/api.ts';
import { emptyCatalogue, seededCatalogue } from '../../test/support/catalogue.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { acmeContents, acmeKey, acmePack, forgeDerived, northwindCredential, northwindKey, northwindPack } from '../../test/support/packs.ts';
import { issueCredential } from '../packs/credential.ts';
import { generateSigningKey, readSigningKey } from '../packs/keys.ts';
import { buildPack } from '../packs/pack.ts';
import { contentsFromCatalogue } from '../packs/publish.ts';
import { ApiService } from './service.ts';

function serviceFor(catalogue: ReturnType<typeof emptyCatalogue>['catalogue'], dataDir: string) {
  const service = new ApiService({ catalogue, dataDir, transport: 'web', version: 'test', exportDir: path.join(dataDir, 'exports') });
  return { ok: <T = unknown>(op: string, input: unknown = {}) => callOk<T>(service, op, input), fails: (op: string, input: unknown = {}) => callFails(service, op, input) };
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

let vendor: ReturnType<typeof serviceFor>;
let vendorDir: string;
let vendorCat: ReturnType<typeof seededCatalogue>['catalogue'];
let packBytes: Uint8Array;
let packPath: string;

beforeAll(async () => {
  ({ catalogue: vendorCat, dir: vendorDir } = seededCatalogue());
  vendor = serviceFor(vendorCat, vendorDir);
});

describe('publishing from the app (vendor)', () => {
  it('says why publishing is blocked until a key exists, then creates an owner-only key in the data folder', async () => {
    expect(await vendor.ok('pack:key')).toBeNull();
    const info = await vendor.ok<OpOutput<'pack:publish-info'>>('pack:publish-info', { brandId: 'nimbus' });
    expect(info).toMatchObject({ key: null, packId: 'nimbus', lastVersion: null, nextVersion: 1, blocked: 'Create a publishing key first.' });
    expect(info.templates).toHaveLength(10);
    const key = await vendor.ok<OpOutput<'pack:key-create'>>('pack:key-create', { publisherId: 'nimbus', publisherName: 'Nimbus Systems' });
    expect(key.fingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    const file = path.join(vendorDir, 'keys', 'nimbus.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readSigningKey(file).publicKey).toBe(key.publicKey);
    expect((await vendor.fails('pack:key-create', { publisherId: 'other', publisherName: 'Other' })).code).toBe('forbidden');
  });

  it('publishes version 1, then 2; the pack verifies and can be downloaded, other files cannot', async () => {
    const r = await vendor.ok<OpOutput<'pack:publish'>>('pack:publish', { brandId: 'nimbus' });
    expect(r).toMatchObject({ fileName: 'nimbus-v1.lockup', version: 1, templates: 10 });
    packPath = r.path;
    packBytes = new Uint8Array(fs.readFileSync(r.path));
    expect((await vendor.ok<OpOutput<'pack:publish-info'>>('pack:publish-info', { brandId: 'nimbus' })).nextVersion).toBe(2);
    const d = await vendor.ok<{ data: string }>('pack:download', { path: packPath });
    expect(Buffer.from(d.data, 'base64').equals(Buffer.from(packBytes))).toBe(true);
    expect((await vendor.fails('pack:download', { path: path.join(vendorDir, 'catalogue.sqlite') })).code).toBe('forbidden');
    expect((await vendor.ok<OpOutput<'pack:publish'>>('pack:publish', { brandId: 'nimbus' })).version).toBe(2);
  });
});

describe('opening a pack and a credential in the app (partner)', () => {
  let partner: ReturnType<typeof serviceFor>;
  let partnerCat: ReturnType<typeof emptyCatalogue>['catalogue'];

  beforeAll(async () => {
    let dir: string;
    ({ catalogue: partnerCat, dir } = emptyCatalogue());
    partner = serviceFor(partnerCat, dir);
    await partner.ok('profile:save', { company: 'Harbor IT', tier: 'gold' });
  });

  it('inspect shows publisher, fingerprint and changes without changing anything', async () => {
    const before = dumpDatabase(partnerCat.db);
    const plan = await partner.ok<OpOutput<'pack:inspect'>>('pack:inspect', { data: b64(packBytes) });
    expect(plan).toMatchObject({ keyStatus: 'new', status: 'new', publisher: { id: 'nimbus', name: 'Nimbus Systems' }, pack: { version: 1 } });
    expect(plan.changes.added).toHaveLength(10);
    expect(plan.publisher).not.toHaveProperty('publicKey');
    expect(dumpDatabase(partnerCat.db)).toEqual(before);
  });

  it('a damaged pack is refused with a specific code and nothing changes', async () => {
    const bad = new Uint8Array(packBytes);
    bad[bad.byteLength - 30] = bad[bad.byteLength - 30]! ^ 0xff;
    const before = dumpDatabase(partnerCat.db);
    const err = await partner.fails('pack:import', { data: b64(bad) });
    expect(err.code).toMatch(/^pack-/);
    expect(dumpDatabase(partnerCat.db)).toEqual(before);
  });

  it('imports; without a credential the typed Gold tier does not open Gold templates, and the card says why', async () => {
    await partner.ok('pack:import', { data: b64(packBytes) });
    const cards = await partner.ok<OpOutput<'templates:list'>>('templates:list');
    const gold = cards.find((c) => c.id === 'case-study-gold')!;
    expect(gold.available).toBe(false);
    expect(gold.notice).toMatch(/no credential from Nimbus Systems/);
    expect((await partner.fails('template:open', { id: 'case-study-gold' })).code).toBe('template-not-entitled');
    const status = await partner.ok<OpOutput<'credential:status'>>('credential:status');
    expect(status).toEqual([{ publisher: { id: 'nimbus', name: 'Nimbus Systems', fingerprint: expect.any(String) }, packVersion: 1, credential: null, notice: expect.stringMatching(/no credential/) }]);
  });

  it('a Gold credential opens Gold templates; the status shows it', async () => {
    const key = readSigningKey(path.join(vendorDir, 'keys', 'nimbus.key'));
    const text = issueCredential({ partner: 'harbor-it', company: 'Harbor IT', tier: 'gold', expires: '2031-01-01T00:00:00.000Z' }, key).text;
    const view = await partner.ok<OpOutput<'credential:import'>>('credential:import', { text });
    expect(view).toMatchObject({ tier: 'gold', status: 'valid', publisher: { name: 'Nimbus Systems' } });
    const cards = await partner.ok<OpOutput<'templates:list'>>('templates:list');
    expect(cards.find((c) => c.id === 'case-study-gold')).toMatchObject({ available: true, notice: null });
    await partner.ok('template:open', { id: 'case-study-gold' });
    const forged = text.replace('"tier": "gold"', '"tier": "platinum"');
    expect((await partner.fails('credential:import', { text: forged })).code).toBe('credential-signature');
  });

  it('a pack signed by a different key is refused until the user trusts it', async () => {
    const impostor = generateSigningKey({ id: 'nimbus', name: 'Nimbus Systems' });
    const bytes = buildPack(contentsFromCatalogue(vendorCat, 'nimbus', 'nimbus'), impostor, { id: 'nimbus', version: 9, created: new Date().toISOString() }).bytes;
    expect((await partner.ok<OpOutput<'pack:inspect'>>('pack:inspect', { data: b64(bytes) })).keyStatus).toBe('changed');
    const before = dumpDatabase(partnerCat.db);
    const err = await partner.fails('pack:import', { data: b64(bytes) });
    expect(err.code).toBe('pack-key-changed');
    expect(dumpDatabase(partnerCat.db)).toEqual(before);
    expect((await partner.ok<OpOutput<'pack:import'>>('pack:import', { data: b64(bytes), trustNewKey: true })).keyStatus).toBe('changed');
    // The Gold credential was signed by the old key: access falls back, with a message.
    const cards = await partner.ok<OpOutput<'templates:list'>>('templates:list');
    expect(cards.find((c) => c.id === 'case-study-gold')).toMatchObject({ available: false, notice: expect.stringMatching(/no longer matches its signing key/) });
  });

});

describe('a distributor’s derived pack through the same ops (docs/decisions/0020)', () => {
  it('inspect returns the chain and writes nothing; a tampered overlay is refused with its code; import shows the derivation', async () => {
    const { catalogue, dir } = emptyCatalogue();
    const partner = serviceFor(catalogue, dir);
    const vendorKey = acmeKey();
    const dist = northwindKey();
    const vendorPack = acmePack(acmeContents(emptyCatalogue().catalogue, { distributorZone: true }), vendorKey, 1);
    const now = new Date();
    const bytes = northwindPack(vendorPack, northwindCredential(vendorKey, dist, {}, { issued: now, expires: new Date(now.getTime() + 86_400_000).toISOString() }), dist, { now });
    const before = dumpDatabase(catalogue.db);
    const plan = await partner.ok<OpOutput<'pack:inspect'>>('pack:inspect', { data: b64(bytes) });
    expect(plan.derived).toMatchObject({ distributor: { id: 'northwind', name: 'Northwind Distribution' }, keyStatus: 'new', lockedChecked: 1, credential: { scope: { templates: ['flyer-open', 'flyer-silver'], maxTier: 'silver' } } });
    expect(plan.derived!.distributor).not.toHaveProperty('publicKey');
    expect(dumpDatabase(catalogue.db)).toEqual(before);
    const resigned = forgeDerived(bytes, generateSigningKey({ id: 'northwind', name: 'Northwind Distribution' }));
    expect((await partner.fails('pack:import', { data: b64(resigned) })).code).toBe('derived-signature');
    expect(dumpDatabase(catalogue.db)).toEqual(before);
    const imported = await partner.ok<OpOutput<'pack:import'>>('pack:import', { data: b64(bytes) });
    expect(imported.derived?.changes.added.map((t) => t.id)).toEqual(['northwind.flyer-open']);
    const cards = await partner.ok<OpOutput<'templates:list'>>('templates:list');
    expect(cards.map((c) => c.id)).toContain('northwind.flyer-open');
    expect(cards.map((c) => c.id)).not.toContain('flyer-open');
  });
});

