import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../core/contracts/api.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { emptyCatalogue, seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { ROOT } from '../../test/support/paths.ts';
import { verifyDerivedPack } from '../packs/derived.ts';
import { generateSigningKey, readSigningKey } from '../packs/keys.ts';
import { forgeDerived } from '../../test/support/packs.ts';
import { sha256Hex } from '../util/hash.ts';
import { ApiService } from './service.ts';

/**
 * The distributor workspace through the API, against real catalogues: a
 * vendor (demo catalogue) authorises a distributor; the distributor (empty
 * catalogue) adds the vendor's pack, builds a sheet with two vendor blocks
 * and one of its own, publishes a derived pack and issues a partner
 * credential; a partner imports both and exports the sheet with three logos.
 */

type Svc = ReturnType<typeof serviceFor>;
function serviceFor(made: { catalogue: ReturnType<typeof emptyCatalogue>['catalogue']; dir: string }) {
  const service = new ApiService({ catalogue: made.catalogue, dataDir: made.dir, transport: 'web', version: 'test', exportDir: path.join(made.dir, 'exports') });
  return {
    ...made,
    ok: <T = unknown>(op: string, input: unknown = {}) => callOk<T>(service, op, input),
    fails: (op: string, input: unknown = {}) => callFails(service, op, input),
    /** Runs a refused call and checks the catalogue did not change. */
    refused: async (op: string, input: unknown) => {
      const before = dumpDatabase(made.catalogue.db);
      const err = await callFails(service, op, input);
      expect(dumpDatabase(made.catalogue.db)).toEqual(before);
      return err;
    },
  };
}

const b64 = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64');
const LOGO = path.join(ROOT, 'examples', 'partners', 'logos', 'northwest-regional.png');
const SHEET = 'distributor-offer-sheet';

let vendor: Svc;
let dist: Svc;
let partner: Svc;
let packBytes: Buffer;
let credText: string;
let authId: string;
let area: OpOutput<'distributor:workspace'>['sources'][number]['templates'][number]['blockAreas'][number];

beforeAll(async () => {
  vendor = serviceFor(seededCatalogue());
  dist = serviceFor(emptyCatalogue());
  partner = serviceFor(emptyCatalogue());
  await vendor.ok('pack:key-create', { publisherId: 'nimbus', publisherName: 'Nimbus Systems' });
  const published = await vendor.ok<OpOutput<'pack:publish'>>('pack:publish', { brandId: 'nimbus' });
  packBytes = fs.readFileSync(published.path);
});

describe('the vendor authorises a distributor', () => {
  it('signs a credential for the key the distributor shows, within a tier it names, and lists it', async () => {
    const key = await dist.ok<OpOutput<'pack:key-create'>>('pack:key-create', { publisherId: 'westcoast', publisherName: 'Westcoast Distribution' });
    expect((await vendor.fails('distributor:authorise', { distributorId: 'westcoast', distributorName: 'Westcoast Distribution', publicKey: key.publicKey, maxTier: 'platinum' })).code).toBe('distributor-credential-invalid');
    const r = await vendor.ok<OpOutput<'distributor:authorise'>>('distributor:authorise', { distributorId: 'westcoast', distributorName: 'Westcoast Distribution', publicKey: key.publicKey, maxTier: 'silver', days: 30 });
    expect(r.fingerprint).toBe(key.fingerprint);
    expect(r.scope).toContain('partner credentials up to silver');
    credText = r.text;
    authId = r.id;
    const listed = await vendor.ok<OpOutput<'distributor:authorised'>>('distributor:authorised');
    expect(listed).toEqual([expect.objectContaining({ id: r.id, distributorId: 'westcoast', fingerprint: key.fingerprint })]);
  });
});

describe('the distributor workspace', () => {
  it('refuses a vendor pack with an authorisation for another key, and a derived pack as a source, changing nothing', async () => {
    const other = generateSigningKey({ id: 'westcoast', name: 'Westcoast Distribution' });
    const wrong = await vendor.ok<OpOutput<'distributor:authorise'>>('distributor:authorise', { distributorId: 'westcoast', distributorName: 'Westcoast', publicKey: other.publicKey });
    const err = await dist.refused('distributor:add-source', { pack: b64(packBytes), credential: wrong.text });
    expect(err.code).toBe('distributor-key-mismatch');
    expect(err.message).toContain('send Nimbus Systems your public key');
    const edited = credText.replace('"silver"', '"gold"');
    expect((await dist.refused('distributor:add-source', { pack: b64(packBytes), credential: edited })).code).toBe('distributor-credential-signature');
    const flipped = Buffer.from(packBytes);
    const at = flipped.length - 200;
    flipped[at] = flipped[at]! ^ 0x01;
    expect((await dist.refused('distributor:add-source', { pack: b64(flipped), credential: credText })).code).toMatch(/^pack-/);
  });

  it('adds the vendor pack and shows the templates with a bundle area and the blocks the vendor offers', async () => {
    const ws = await dist.ok<OpOutput<'distributor:workspace'>>('distributor:add-source', { pack: b64(packBytes), credential: credText });
    expect(ws.sources).toHaveLength(1);
    const s = ws.sources[0]!;
    expect(s.vendor.name).toBe('Nimbus Systems');
    expect(s.credential).toMatchObject({ status: 'valid', maxTier: 'silver' });
    expect(s.credential.tiers.map((t) => t.id)).toEqual(['registered', 'silver']);
    const sheet = s.templates.find((t) => t.id === SHEET)!;
    expect(sheet.inScope).toBe(true);
    expect(sheet.showsLogo).toBe(true);
    area = sheet.blockAreas[0]!;
    expect(area.offered.length).toBeGreaterThanOrEqual(3);
    expect(area.allowOwn).toBe(true);
    expect(sheet.texts.map((t) => t.zoneId)).toEqual(expect.arrayContaining(['bundle-price', 'bundle-terms']));
  });

  it('saves a profile with a logo and an own product', async () => {
    await dist.ok('distributor:profile-save', { name: 'Westcoast IT Distribution', contact: { phone: '+1 503 555 0100', url: 'westcoast.example.com' }, logo: { data: b64(fs.readFileSync(LOGO)), fileName: 'westcoast.png' } });
    const ws = await dist.ok<OpOutput<'distributor:workspace'>>('distributor:product-save', {
      id: 'westcoast-deploy',
      name: 'Westcoast rapid deployment',
      sku: 'WC-DEPLOY',
      copy: 'Two engineers on site for a day: installed, configured and handed over.',
      price: { kind: 'list', amount: 1490, currency: 'USD', unit: 'per site' },
      section: 'Services',
    });
    expect(ws.profile).toMatchObject({ id: 'westcoast', name: 'Westcoast IT Distribution', logo: expect.objectContaining({ ref: expect.stringMatching(/^sha256:/) }) });
    expect(ws.ownProducts.map((p) => p.id)).toEqual(['westcoast-deploy']);
    expect(ws.ownProducts[0]!.priceText).toBe('$1,490.00 per site');
    // A product id of the vendor's is refused.
    expect((await dist.refused('distributor:product-save', { id: area.offered[0]!.id, name: 'Mine', price: { kind: 'on-request' } })).code).toBe('invalid-argument');
  });

  it('refuses a sheet the vendor does not allow and stores nothing', async () => {
    const locked = area.offered.find((p) => p.locked && p.price.kind === 'list')!;
    const overridden = await dist.refused('distributor:sheet-save', { vendor: 'nimbus', template: SHEET, areas: { [area.zoneId]: [{ product: locked.id, price: { kind: 'list', amount: 1, currency: 'USD' } }] } });
    expect(overridden.message).toContain(locked.id);
    const unknown = await dist.refused('distributor:sheet-save', { vendor: 'nimbus', template: SHEET, areas: { [area.zoneId]: [{ product: 'no-such-product' }] } });
    expect(unknown.message).toContain('no-such-product');
    expect((await dist.refused('distributor:sheet-save', { vendor: 'nimbus', template: SHEET, areas: {}, texts: { headline: 'Mine now' } })).code).toBe('derived-vendor-locked');
  });

  it('saves a sheet with two vendor blocks and its own, previews it and publishes a derived pack that verifies', async () => {
    const [a, b] = area.offered;
    const saved = await dist.ok<OpOutput<'distributor:sheet-save'>>('distributor:sheet-save', {
      vendor: 'nimbus',
      template: SHEET,
      areas: { [area.zoneId]: [{ product: a!.id }, { product: b!.id }, { product: 'westcoast-deploy' }] },
      texts: { 'bundle-price': 'Bundle: $4,990 for the first year' },
    });
    expect(saved.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(saved.pages).toBeGreaterThanOrEqual(1);
    const preview = await dist.ok<OpOutput<'distributor:sheet-preview'>>('distributor:sheet-preview', { vendor: 'nimbus', template: SHEET });
    const pdf = path.join(dist.dir, 'preview.pdf');
    fs.writeFileSync(pdf, Buffer.from(preview.pdf, 'base64'));
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain(a!.name);
    expect(text).toContain('Westcoast rapid deployment');
    expect(text).toContain('Bundle: $4,990 for the first year');
    // The sample partner buys through this distributor, by the name its profile gives.
    expect(text).toContain('Westcoast IT Distribution');

    const published = await dist.ok<OpOutput<'distributor:publish'>>('distributor:publish', { vendor: 'nimbus' });
    expect(published).toMatchObject({ version: 1, fileName: 'westcoast.nimbus-v1.lockup', templates: [{ id: `westcoast.${SHEET}`, from: SHEET }] });
    const v = verifyDerivedPack(new Uint8Array(fs.readFileSync(published.path)));
    expect(v.vendor.manifest.publisher.id).toBe('nimbus');
    expect(v.profile.logos).toHaveLength(1);
    const ws = await dist.ok<OpOutput<'distributor:workspace'>>('distributor:workspace');
    expect(ws.sources[0]!.published).toMatchObject({ version: 1, path: published.path });
    expect((await dist.ok<OpOutput<'distributor:publish'>>('distributor:publish', { vendor: 'nimbus' })).version).toBe(2);
  });

  it('issues partner credentials up to the tier the vendor allowed, never above', async () => {
    const over = await dist.fails('distributor:credential-issue', { vendor: 'nimbus', company: 'Harbor IT', tier: 'gold' });
    expect(over.code).toBe('credential-out-of-scope');
    const r = await dist.ok<OpOutput<'distributor:credential-issue'>>('distributor:credential-issue', { vendor: 'nimbus', company: 'Harbor IT', tier: 'silver', days: 90 });
    expect(r).toMatchObject({ tier: 'silver', fileName: 'harbor-it-nimbus.cred' });
    expect(JSON.parse(r.text).issuer.claims.distributor.id).toBe('westcoast');
  });
});

describe('the partner', () => {
  it('imports the derived pack and the credential, and exports the sheet with the vendor, distributor and partner logos', async () => {
    const file = (await dist.ok<OpOutput<'distributor:workspace'>>('distributor:workspace')).sources[0]!.published!.path;
    const plan = await partner.ok<OpOutput<'pack:import'>>('pack:import', { data: b64(fs.readFileSync(file)) });
    expect(plan.derived?.distributor.name).toBe('Westcoast Distribution');
    const cred = await dist.ok<OpOutput<'distributor:credential-issue'>>('distributor:credential-issue', { vendor: 'nimbus', company: 'Harbor IT', tier: 'silver' });
    await partner.ok('profile:save', {
      company: 'Harbor IT',
      contact: { phone: '(206) 555-0142', email: 'hello@harbor-it.example.com' },
      logo: { light: (await partner.ok<{ ref: string }>('logo:intake', { name: 'harbor.png', data: b64(fs.readFileSync(path.join(ROOT, 'examples', 'partners', 'logos', 'harbor-it-light.png'))) })).ref },
      certifications: [],
    });
    expect((await partner.ok<OpOutput<'credential:import'>>('credential:import', { text: cred.text })).status).toBe('valid');
    const opened = await partner.ok<OpOutput<'template:open'>>('template:open', { id: `westcoast.${SHEET}` });
    const check = await partner.ok<OpOutput<'document:check'>>('document:check', { document: opened.document, output: 'screen' });
    expect(check.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // The lockup draws three logos, in the vendor's order: vendor, distributor (the overlay's logo), partner.
    const drawn = check.plan as { pages: { items: { type: string; zoneId: string; asset?: string; place?: { x: number } }[] }[] };
    const lockup = drawn.pages[0]!.items.filter((i) => i.zoneId === 'lockup' && i.type === 'image').sort((a, b) => a.place!.x - b.place!.x);
    expect(lockup).toHaveLength(3);
    const distLogo = (await dist.ok<OpOutput<'distributor:workspace'>>('distributor:workspace')).profile!.logo!.ref;
    expect(lockup[1]!.asset).toBe(distLogo);
    const out = await partner.ok<OpOutput<'export:pdf'>>('export:pdf', { document: opened.document, output: 'screen', path: path.join(partner.dir, 'sheet.pdf') });
    const pdf = (out as { path: string }).path;
    expect(execFileSync('qpdf', ['--check', pdf], { encoding: 'utf8' })).toMatch(/No syntax or stream encoding errors/);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Westcoast rapid deployment');
    expect(text).toContain('Harbor IT');
    // The lockup draws three logos: vendor, distributor, partner.
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => / image /.test(l));
    expect(images.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the vendor revokes the authorisation', () => {
  it('travels in the next vendor pack: the distributor cannot add it or build on it, partners refuse a derived pack under it, and partner credentials issued under it stop counting', async () => {
    const { revokedAt } = await vendor.ok<OpOutput<'distributor:revoke'>>('distributor:revoke', { id: authId, reason: 'contract ended' });
    expect((await vendor.ok<OpOutput<'distributor:authorised'>>('distributor:authorised')).find((a) => a.id === authId)!.revoked).toEqual({ at: revokedAt, reason: 'contract ended' });
    expect((await vendor.fails('distributor:revoke', { id: 'no-such-id' })).code).toBe('invalid-argument');
    const v2 = fs.readFileSync((await vendor.ok<OpOutput<'pack:publish'>>('pack:publish', { brandId: 'nimbus' })).path);

    // The distributor: the new vendor pack says the authorisation is revoked.
    const err = await dist.refused('distributor:add-source', { pack: b64(v2), credential: credText });
    expect(err.code).toBe('credential-revoked');
    expect(err.message).toContain('contract ended');

    // A derived pack rebuilt over the new vendor pack (forged past the builder's own check) is refused by a partner, nothing imported.
    const derivedV1 = new Uint8Array(fs.readFileSync((await dist.ok<OpOutput<'distributor:workspace'>>('distributor:workspace')).sources[0]!.published!.path));
    const distKey = readSigningKey(path.join(dist.dir, 'keys', 'westcoast.key'));
    const forged = forgeDerived(derivedV1, distKey, {
      entries: (e) => e.map((x) => (x.name === 'vendor.lockup' ? { ...x, data: new Uint8Array(v2) } : x)),
      manifest: (m) => {
        m['vendorPack'] = { ...(m['vendorPack'] as Record<string, unknown>), version: 2, sha256: sha256Hex(new Uint8Array(v2)), size: v2.length };
      },
    });
    const fresh = serviceFor(emptyCatalogue());
    expect((await fresh.refused('pack:import', { data: b64(forged) })).code).toBe('credential-revoked');

    // The partner who already has the derived pack gets the revocation with the vendor's pack: its credential stops counting.
    await partner.ok('pack:import', { data: b64(v2) });
    const status = await partner.ok<OpOutput<'credential:status'>>('credential:status');
    expect(status.find((s) => s.publisher.id === 'nimbus')!.credential).toMatchObject({ status: 'revoked' });
  });
});
