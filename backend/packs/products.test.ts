import { beforeEach, describe, expect, it } from 'vitest';
import type { ProductBlock } from '../../core/model/product.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { emptyCatalogue } from '../../test/support/catalogue.ts';
import { ACME_PRODUCTS, acmeContents, acmeKey, acmePack, packEntries, rebuildPack, resignManifest, writeAcmeFolder } from '../../test/support/packs.ts';
import { refusal, refusedUnchanged } from '../../test/support/refusal.ts';
import type { Catalogue } from '../catalogue.ts';
import { loadProduct } from '../content/products.ts';
import { readContentFolder } from '../content/bundle.ts';
import { importBundle } from '../content/seed.ts';
import { manifestEntries } from './pack.ts';
import { packEntry } from './archive.ts';
import { importPack } from './import.ts';
import type { SigningKey } from './keys.ts';
import { verifyPack, type PackContents } from './pack.ts';
import { contentsFromCatalogue } from './publish.ts';

/** Product blocks in the catalogue and in vendor packs (issue #5). */

let key: SigningKey;
let contents: PackContents;
let partner: Catalogue;

beforeEach(() => {
  key = acmeKey();
  contents = acmeContents(emptyCatalogue().catalogue, { products: true });
  ({ catalogue: partner } = emptyCatalogue());
});

const ids = (list: readonly ProductBlock[]) => list.map((p) => p.id);
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');

describe('products in a content folder and the catalogue', () => {
  it('reads products/*.product.json as the brand’s blocks, pictures as asset refs', () => {
    const bundle = readContentFolder(writeAcmeFolder({ products: true }));
    expect(ids(bundle.products)).toEqual(['acme-cable', 'acme-router', 'acme-support', 'acme-switch']);
    const router = bundle.products.find((p) => p.id === 'acme-router')!;
    expect(router.image).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(bundle.assets.has(router.image!)).toBe(true);
    expect(router).toMatchObject({ owner: 'vendor', publisher: 'acme', locked: true, sku: 'AR-500' });
  });

  it('refuses a block another publisher owns, a distributor’s block, and a file named for another id (product-invalid)', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const write = (file: string, over: Record<string, unknown>) => {
      const dir = writeAcmeFolder({ products: true });
      fs.writeFileSync(path.join(dir, 'products', file), JSON.stringify({ ...ACME_PRODUCTS[1], ...over }));
      return dir;
    };
    expect(refusal(() => readContentFolder(write('acme-switch.product.json', { publisher: 'other' }))).message).toMatch(/names the publisher "other", not "acme"/);
    expect(refusal(() => readContentFolder(write('acme-switch.product.json', { owner: 'distributor' }))).code).toBe('product-invalid');
    expect(refusal(() => readContentFolder(write('switch.product.json', {}))).message).toMatch(/holds the product "acme-switch"/);
    expect(refusal(() => readContentFolder(write('acme-switch.product.json', { price: { kind: 'list', amount: 1.234, currency: 'USD' } }))).code).toBe('product-invalid');
  });

  it('importBundle stores them; a re-import replaces the list in one transaction; get and list read them back', () => {
    const { catalogue } = emptyCatalogue();
    const bundle = readContentFolder(writeAcmeFolder({ products: true }));
    importBundle(catalogue, bundle);
    expect(ids(catalogue.listProducts('acme'))).toEqual(ids(bundle.products));
    expect(catalogue.getProduct('acme', 'acme-router')).toEqual(bundle.products.find((p) => p.id === 'acme-router'));
    expect(catalogue.getProduct('acme', 'nope')).toBeUndefined();
    const body = (catalogue.db.prepare("SELECT body FROM products WHERE publisher = 'acme' AND id = 'acme-switch'").get() as { body: string }).body;
    expect(body).toBe(canonicalJson(bundle.products.find((p) => p.id === 'acme-switch')));

    importBundle(catalogue, { ...bundle, products: bundle.products.filter((p) => p.id !== 'acme-cable') });
    expect(ids(catalogue.listProducts('acme'))).not.toContain('acme-cable');
    // A list that fails half-way (a picture not stored) changes nothing.
    const broken = [...bundle.products, loadProduct({ ...ACME_PRODUCTS[1], id: 'acme-new', image: `sha256:${'1'.repeat(64)}` })];
    refusedUnchanged(catalogue, () => catalogue.replaceProducts('acme', broken), 'asset-missing');
    refusedUnchanged(catalogue, () => catalogue.replaceProducts('other', bundle.products), 'product-invalid');
    // One block saved on its own keeps its place; a new one goes last.
    catalogue.saveProduct({ ...catalogue.listProducts('acme')[0]!, name: 'Renamed' });
    catalogue.saveProduct(bundle.products.find((p) => p.id === 'acme-cable')!);
    expect(catalogue.listProducts('acme').map((p) => [p.id, p.name])[0]).toEqual(['acme-router', 'Renamed']);
    expect(ids(catalogue.listProducts('acme')).at(-1)).toBe('acme-cable');
  });
});

describe('products in vendor packs', () => {
  it('round trip: products/<id>.json entries, sorted, with their pictures as assets', () => {
    const bytes = acmePack(contents, key);
    const names = packEntries(bytes).map((e) => e.name);
    expect(names.filter((n) => n.startsWith('products/'))).toEqual(['products/acme-cable.json', 'products/acme-router.json', 'products/acme-support.json', 'products/acme-switch.json']);
    const v = verifyPack(bytes);
    expect(v.contents.products).toEqual([...contents.products].sort((a, b) => a.id.localeCompare(b.id)));
    const image = contents.products.find((p) => p.id === 'acme-router')!.image!;
    expect(names).toContain(`assets/${image.slice(7)}`);
  });

  it('a pack made before products (none) still verifies and imports with no blocks', () => {
    const old = acmeContents(emptyCatalogue().catalogue);
    const v = verifyPack(acmePack(old, key));
    expect(v.contents.products).toEqual([]);
    expect(importPack(partner, acmePack(old, key)).products).toBe(0);
    expect(partner.listProducts('acme')).toEqual([]);
  });

  it('importing stores the blocks with the brand; a newer pack replaces the list', () => {
    const plan = importPack(partner, acmePack(contents, key, 1));
    expect(plan.products).toBe(4);
    expect(ids(partner.listProducts('acme')).sort()).toEqual(ids(contents.products).sort());
    const router = partner.getProduct('acme', 'acme-router')!;
    expect(partner.hasAsset(router.image!)).toBe(true);
    importPack(partner, acmePack({ ...contents, products: contents.products.filter((p) => p.id !== 'acme-cable') }, key, 2));
    expect(ids(partner.listProducts('acme'))).not.toContain('acme-cable');
  });

  it('pack build from the catalogue includes the brand’s blocks and their pictures', () => {
    const { catalogue: vendorCat } = emptyCatalogue();
    importBundle(vendorCat, readContentFolder(writeAcmeFolder({ products: true })));
    const fromCat = contentsFromCatalogue(vendorCat, 'acme', 'acme');
    expect(ids(fromCat.products)).toEqual(ids(contents.products));
    const v = verifyPack(acmePack(fromCat, key));
    expect(ids(v.contents.products).sort()).toEqual(ids(contents.products).sort());
  });

  it('a tampered product entry is refused and nothing is imported', () => {
    const bytes = acmePack(contents, key);
    // A flipped byte in the stored entry: the signed manifest no longer matches.
    const entries = packEntries(bytes);
    const at = entries.findIndex((e) => e.name === 'products/acme-switch.json');
    const text = new TextDecoder().decode(entries[at]!.data).replace('"amount": 499', '"amount": 199');
    expect(text).toContain('199');
    entries[at] = { name: entries[at]!.name, data: new TextEncoder().encode(text) };
    const err = refusedUnchanged(partner, () => importPack(partner, rebuildPack(entries)), 'pack-invalid');
    expect(err.message).toMatch(/products\/acme-switch\.json/);
  });

  it('a product that is not the brand’s, even signed, is refused (pack-invalid) and nothing is imported', () => {
    const bytes = acmePack(contents, key);
    const body = packEntries(bytes).slice(2);
    const at = body.findIndex((e) => e.name === 'products/acme-switch.json');
    body[at] = { name: body[at]!.name, data: json({ ...contents.products.find((p) => p.id === 'acme-switch'), publisher: 'someone-else' }) };
    const packed = body.map((e) => packEntry(e));
    const forged = resignManifest(rebuildPack([...packEntries(bytes).slice(0, 2), ...body]), key, (m) => void (m['entries'] = manifestEntries(body, packed)));
    const err = refusedUnchanged(partner, () => importPack(partner, forged), 'pack-invalid');
    expect(err.message).toMatch(/acme-switch.*names the publisher "someone-else"/);
  });
});
