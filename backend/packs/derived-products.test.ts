import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadProfile, type BlockAreaZone, type Template } from '../../core/model/index.ts';
import type { ProductBlock } from '../../core/model/product.ts';
import { emptyCatalogue } from '../../test/support/catalogue.ts';
import { acmeContents, acmeKey, acmePack, DERIVED_NOW, forgeDerived, northwindCredential, northwindKey, northwindProduct, northwindProfile, northwindSpec } from '../../test/support/packs.ts';
import { imageFixture } from '../../test/support/paths.ts';
import { refusal, refusedUnchanged } from '../../test/support/refusal.ts';
import { tempDir } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { loadProduct } from '../content/products.ts';
import { ExportEngine } from '../services/engine.ts';
import { checkDocument, exportDocument } from '../services/export.ts';
import { verifyPdf } from '../services/verify.ts';
import { assetRef } from '../util/hash.ts';
import { packEntry, readArchive, writeArchive, type ArchiveEntry } from './archive.ts';
import { overlayFromSpecs, publishDerived, type OverlayContents, type OverlayInput } from './derive.ts';
import { buildDerivedPack, verifyDerivedPack } from './derived.ts';
import { DerivationSpec } from './derived-rules.ts';
import { distributorLayerOf } from './distributor-layer.ts';
import { importPack } from './import.ts';
import type { SigningKey } from './keys.ts';
import { verifyPack, type VerifiedPack } from './pack.ts';

/**
 * Block areas in distributors' derived packs (issue #5): the distributor
 * fills the vendor's block areas with the vendor's blocks and its own, and
 * its lockups show its logo. Every refusal leaves the catalogue unchanged.
 */

const NOW = DERIVED_NOW;
const opts = { now: NOW };

let vendor: SigningKey;
let dist: SigningKey;
let vendorPack: Uint8Array;
let verified: VerifiedPack;
let cred: string;
let partner: Catalogue;

const logoBytes = new Uint8Array(fs.readFileSync(imageFixture('logo-opaque.png')));
const picBytes = new Uint8Array(fs.readFileSync(imageFixture('logo-palette.png')));
const logoRef = assetRef(logoBytes);
const picRef = assetRef(picBytes);
const own = (): ProductBlock => loadProduct(northwindProduct({ image: picRef }));

beforeEach(() => {
  vendor = acmeKey();
  dist = northwindKey();
  vendorPack = acmePack(acmeContents(emptyCatalogue().catalogue, { distributorZone: true, products: true, offerSheet: true, lockup: true }), vendor, 1);
  verified = verifyPack(vendorPack);
  cred = northwindCredential(vendor, dist, { templates: ['flyer-open', 'offer-sheet'] });
  ({ catalogue: partner } = emptyCatalogue());
});

const offerSpec = (entries: unknown[], zone = 'offer'): DerivationSpec => DerivationSpec.parse({ template: 'offer-sheet', zones: { [zone]: { entries } } });
/** Two vendor blocks (the unlocked one with the distributor's price and copy) and one own block. */
const OFFER = [{ product: 'acme-router' }, { product: 'acme-support', price: { kind: 'list', amount: 89, currency: 'USD', unit: 'per year' }, copy: 'Northwind care plan.' }, { product: 'nw-install' }];

const input = (over: Partial<OverlayInput> = {}): OverlayInput => ({
  profile: { ...northwindProfile(), logos: [{ id: 'logo', file: logoRef }] },
  specs: [northwindSpec(), offerSpec(OFFER)],
  products: [own()],
  assets: new Map([
    [logoRef, logoBytes],
    [picRef, picBytes],
  ]),
  ...over,
});
const overlay = (over: Partial<OverlayInput> = {}) => overlayFromSpecs(verified, 'northwind', 1, input(over));
const build = (o: OverlayContents) => buildDerivedPack({ vendorPack, credentialText: cred, ...o }, dist, { id: 'northwind.acme', version: 1, created: '2026-11-25T12:00:00.000Z' }, NOW).bytes;

const areaOf = (t: Template, id: string) => t.pages.flatMap((p) => p.zones).find((z): z is BlockAreaZone => z.kind === 'block-area' && z.id === id)!;
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
const entryText = (bytes: Uint8Array, name: string) => new TextDecoder().decode(readArchive(bytes).find((e) => e.name === name)!.data);
/** The derived pack with its offer sheet edited, re-signed by the distributor (what a dishonest distributor could ship). */
const withSheet = (bytes: Uint8Array, edit: (t: { pages: { zones: Record<string, unknown>[] }[] }) => void) => {
  const t = JSON.parse(entryText(bytes, 'templates/offer-sheet.json')) as { pages: { zones: Record<string, unknown>[] }[] };
  edit(t);
  return forgeDerived(bytes, dist, { entries: (e) => e.map((x) => (x.name === 'templates/offer-sheet.json' ? { name: x.name, data: json(t) } : x)) });
};
type Entry = { product: Record<string, unknown>; price?: unknown };
const zoneEntries = (t: { pages: { zones: Record<string, unknown>[] }[] }, id: string) => t.pages.flatMap((p) => p.zones).find((z) => z['id'] === id)!['entries'] as Entry[];

describe('a derived pack with block areas', () => {
  it('two vendor blocks and an own block: built, verified and imported; the blocks are embedded whole', () => {
    const o = overlay();
    expect(o.products).toEqual([own()]);
    expect([...o.assets.keys()].sort()).toEqual([logoRef, picRef].sort());
    const bytes = build(o);
    const names = readArchive(bytes).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['products/nw-install.json', `assets/${picRef.slice(7)}`, `assets/${logoRef.slice(7)}`, 'templates/offer-sheet.json']));

    const v = verifyDerivedPack(bytes, undefined, NOW);
    expect(v.products).toEqual([own()]);
    const sheet = v.templates.find((t) => t.vendorId === 'offer-sheet')!.template;
    const area = areaOf(sheet, 'offer');
    expect(area.entries.map((e) => e.product.id)).toEqual(['acme-router', 'acme-support', 'nw-install']);
    expect(area.entries[0]!.product).toEqual(verified.contents.products.find((p) => p.id === 'acme-router'));
    expect(area.entries[1]).toMatchObject({ price: { amount: 89 }, copy: 'Northwind care plan.' });
    expect(area.entries[2]!.product).toEqual(own());

    const plan = importPack(partner, bytes, opts);
    expect(plan.derived?.changes.added.map((t) => t.id).sort()).toEqual(['northwind.flyer-open', 'northwind.offer-sheet']);
    expect(areaOf(partner.getTemplate('northwind.offer-sheet'), 'offer').entries).toHaveLength(3);
    expect(partner.getProduct('northwind', 'nw-install')).toEqual(own());
    expect(partner.listProducts('acme').map((p) => p.id).sort()).toEqual(['acme-cable', 'acme-router', 'acme-support', 'acme-switch']);
    expect(partner.hasAsset(picRef) && partner.hasAsset(logoRef)).toBe(true);
    // The overlay row keeps the profile it carried (the distributor layer of these template versions).
    const row = partner.db.prepare('SELECT profile FROM imported_overlays').get() as { profile: string };
    expect(JSON.parse(row.profile)).toMatchObject({ id: 'northwind', logos: [{ id: 'logo', file: logoRef }] });
  });

  it('pack derive from a folder reads products/*.product.json with their pictures', () => {
    const dir = tempDir('lockup-overlay-');
    fs.writeFileSync(path.join(dir, 'logo.png'), logoBytes);
    fs.writeFileSync(path.join(dir, 'distributor.json'), JSON.stringify({ id: 'northwind', name: 'Northwind Distribution', logos: [{ id: 'logo', file: 'logo.png' }] }));
    fs.writeFileSync(path.join(dir, 'offer-sheet.derive.json'), JSON.stringify(offerSpec(OFFER)));
    fs.mkdirSync(path.join(dir, 'products'));
    fs.writeFileSync(path.join(dir, 'products', 'install.png'), picBytes);
    fs.writeFileSync(path.join(dir, 'products', 'nw-install.product.json'), JSON.stringify(northwindProduct({ image: 'install.png' })));
    const out = path.join(tempDir(), 'northwind.lockup');
    const r = publishDerived(emptyCatalogue().catalogue, dist, { vendorPack, credentialText: cred, dir }, out, { created: NOW });
    expect(r.products).toEqual([{ id: 'nw-install', name: 'Northwind installation' }]);
    const v = verifyDerivedPack(new Uint8Array(fs.readFileSync(out)), undefined, NOW);
    expect(v.products).toEqual([own()]);
    expect(v.profile.logos[0]!.file).toBe(logoRef);
  });

  it('refused when built: a block not offered, an own block where only the vendor’s go, a new price for a locked block, an own id of a vendor’s', () => {
    const derive = (entries: unknown[], zone?: string) => () => overlay({ specs: [offerSpec(entries, zone)] });
    const notOffered = refusal(derive([{ product: 'acme-cable' }]));
    expect([notOffered.code, notOffered.message]).toEqual(['derived-vendor-locked', expect.stringMatching(/"Acme Cable" \(acme-cable\) is not offered there/)]);
    expect(notOffered.details).toMatchObject({ template: 'offer-sheet', zone: 'offer', product: 'acme-cable' });
    expect(refusal(derive([{ product: 'nw-install' }], 'picks')).message).toMatch(/in the block area "picks", the distributor's own product .* allows only its own products/);
    expect(refusal(derive([{ product: 'acme-router', price: { kind: 'on-request' } }])).message).toMatch(/the locked product "Acme Router 500" \(acme-router\) is given its own price/);
    expect(refusal(derive([{ product: 'acme-router', copy: 'Cheaper here' }])).code).toBe('derived-vendor-locked');
    expect(refusal(derive([{ product: 'nowhere' }])).code).toBe('template-invalid');
    expect(refusal(() => overlay({ products: [loadProduct(northwindProduct({ id: 'acme-switch' }))] })).code).toBe('product-invalid');
    expect(refusal(() => overlay({ products: [loadProduct(northwindProduct({ publisher: 'westcoast' }))] })).message).toMatch(/names the publisher "westcoast", not "northwind"/);
    expect(refusal(() => overlay({ specs: [DerivationSpec.parse({ template: 'offer-sheet', zones: { offer: { entries: [], columns: 3 } } })] })).message).toMatch(/block area "offer" changes its columns/);
  });
});

describe('refusals of a derived pack’s blocks: nothing is imported', () => {
  let bytes: Uint8Array;
  beforeEach(() => {
    bytes = build(overlay());
  });

  it('a vendor block whose price was changed inside an entry', () => {
    const bad = withSheet(bytes, (t) => void ((zoneEntries(t, 'offer')[0]!.product['price'] as { amount: number }).amount = 999));
    const err = refusedUnchanged(partner, () => importPack(partner, bad, opts), 'derived-vendor-locked');
    expect(err.message).toMatch(/"Acme Router 500" \(acme-router\) differs from the block the vendor published/);
    expect(err.details).toMatchObject({ template: 'offer-sheet', zone: 'offer', product: 'acme-router' });
  });

  it('a vendor block the area does not offer', () => {
    const cable = verified.contents.products.find((p) => p.id === 'acme-cable')!;
    const bad = withSheet(bytes, (t) => void zoneEntries(t, 'offer').push({ product: JSON.parse(JSON.stringify(cable)) as Record<string, unknown> }));
    const err = refusedUnchanged(partner, () => importPack(partner, bad, opts), 'derived-vendor-locked');
    expect(err.message).toMatch(/block area "offer" does not allow: "Acme Cable" \(acme-cable\) is not one of the products this bundle area offers/);
    expect(err.details).toEqual({ template: 'offer-sheet', zone: 'offer', product: 'acme-cable' });
  });

  it('an own block in an area that allows only the vendor’s', () => {
    const bad = withSheet(bytes, (t) => void zoneEntries(t, 'picks').push({ product: JSON.parse(JSON.stringify(own())) as Record<string, unknown> }));
    expect(refusedUnchanged(partner, () => importPack(partner, bad, opts), 'derived-vendor-locked').details).toMatchObject({ zone: 'picks', product: 'nw-install' });
  });

  it('a price of its own on a locked vendor block', () => {
    const bad = withSheet(bytes, (t) => void (zoneEntries(t, 'offer')[0]!.price = { kind: 'list', amount: 999, currency: 'USD' }));
    expect(refusedUnchanged(partner, () => importPack(partner, bad, opts), 'derived-vendor-locked').message).toMatch(/locked product "Acme Router 500" \(acme-router\) is given its own price/);
  });

  it('an own block flipped by one byte (pack-invalid), or changed and re-signed so the sheet no longer matches it', () => {
    const entries = readArchive(bytes);
    const at = entries.findIndex((e) => e.name === 'products/nw-install.json');
    const flipped = new Uint8Array(entries[at]!.data);
    const i = Buffer.from(flipped).indexOf('349');
    flipped[i] = flipped[i]! ^ 0x01;
    entries[at] = { name: entries[at]!.name, data: flipped };
    const rebuilt = writeArchive(entries.map((e: ArchiveEntry) => packEntry(e, e.name.startsWith('derived.') || e.name === 'vendor.lockup')));
    expect(refusedUnchanged(partner, () => importPack(partner, rebuilt, opts), 'pack-invalid').message).toMatch(/"products\/nw-install.json" is not the entry the publisher signed/);

    const changed = forgeDerived(bytes, dist, { entries: (e) => e.map((x) => (x.name === 'products/nw-install.json' ? { name: x.name, data: json({ ...own(), name: 'Free installation' }) } : x)) });
    expect(refusedUnchanged(partner, () => importPack(partner, changed, opts), 'derived-vendor-locked').message).toMatch(/\(nw-install\) differs from the block the overlay carries/);
  });
});

describe('the distributor layer in compose', () => {
  const pdfImages = (file: string) =>
    spawnSync('pdfimages', ['-list', file], { encoding: 'utf8' })
      .stdout.split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '');

  it('a derived template’s lockup draws vendor, distributor and partner logos; the vendor’s own template has no distributor', async () => {
    importPack(partner, build(overlay()), opts);
    expect(distributorLayerOf(partner, partner.getTemplate('northwind.flyer-open'))).toEqual({ id: 'northwind', name: 'Northwind Distribution', logos: { light: logoRef, dark: logoRef } });
    expect(distributorLayerOf(partner, partner.getTemplate('flyer-open'))).toBeUndefined();

    const engine = new ExportEngine(partner);
    const profile = loadProfile({ id: 'harbor-it', company: 'Harbor IT', logo: await engine.intakeLogo(imageFixture('logo-rgba.png')), certifications: [] });
    const lockupLogos = async (template: string) => {
      const r = await checkDocument(partner, engine, { template, profile, fields: {}, output: 'screen' });
      expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
      return r.composition.plan.pages[0]!.items.filter((i) => i.zoneId === 'co-brand' && i.type === 'image').map((i) => (i.type === 'image' ? i.image.key : ''));
    };
    const derived = await lockupLogos('northwind.flyer-open');
    expect(derived).toHaveLength(3);
    expect(derived[1]).toBe(logoRef);
    expect(await lockupLogos('flyer-open')).toHaveLength(2);

    // The exported PDF draws the two raster logos (the vendor's is vector) and verifies as authentic.
    const out = path.join(tempDir(), 'harbor.pdf');
    await exportDocument(partner, engine, { template: 'northwind.flyer-open', profile, fields: {}, output: 'screen', out, tool: 'cli', reproducible: true });
    expect(pdfImages(out).length).toBeGreaterThanOrEqual(2);
    const vendorOnly = path.join(tempDir(), 'harbor-vendor.pdf');
    await exportDocument(partner, engine, { template: 'flyer-open', profile, fields: {}, output: 'screen', out: vendorOnly, tool: 'cli', reproducible: true });
    expect(pdfImages(out).length - pdfImages(vendorOnly).length).toBe(1);
    expect((await verifyPdf(partner, new Uint8Array(fs.readFileSync(out)))).verdict).toBe('authentic');
  });
});
