import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockupError } from '../../core/errors.ts';
import { DEMO_CONTENT, imageFixture, ROOT } from '../../test/support/paths.ts';
import { tempDir } from '../../test/support/temp.ts';
import { productAssetRefs, templateAssetRefs } from '../../core/model/refs.ts';
import { assetRef, isAssetRef } from '../util/hash.ts';
import { readContentFolder, readJsonFile, readTemplateFile, resolveFileRef, type BundleAsset } from './bundle.ts';
import { demoContentDir, packageRoot } from './package-root.ts';

async function caught(fn: () => unknown): Promise<LockupError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LockupError);
    return err as LockupError;
  }
  throw new Error('expected a LockupError');
}

/** A copy of the demo content folder with absolute asset paths, so it can live anywhere. */
function demoCopy(): string {
  const dir = tempDir('lockup-content-');
  for (const f of fs.readdirSync(DEMO_CONTENT).filter((n) => n.endsWith('.json'))) {
    const json = JSON.parse(fs.readFileSync(path.join(DEMO_CONTENT, f), 'utf8')) as Record<string, unknown>;
    const abs = (p: string) => path.resolve(DEMO_CONTENT, p);
    if (f === 'brand.json') {
      for (const font of json['fonts'] as { file: string }[]) font.file = abs(font.file);
      for (const logo of json['logos'] as { file: string }[]) logo.file = abs(logo.file);
    } else {
      for (const page of json['pages'] as { zones: { kind: string; asset?: string; entries?: { product: { image?: string } }[] }[] }[]) {
        for (const z of page.zones) {
          if (z.asset) z.asset = abs(z.asset);
          for (const e of z.entries ?? []) if (e.product.image) e.product.image = abs(e.product.image);
        }
      }
    }
    fs.writeFileSync(path.join(dir, f), JSON.stringify(json));
  }
  // Product blocks, with their pictures (relative to the products folder) made absolute.
  const products = path.join(DEMO_CONTENT, 'products');
  if (fs.existsSync(products)) {
    fs.mkdirSync(path.join(dir, 'products'));
    for (const f of fs.readdirSync(products).filter((n) => n.endsWith('.product.json'))) {
      const json = JSON.parse(fs.readFileSync(path.join(products, f), 'utf8')) as { image?: string };
      if (json.image) json.image = path.resolve(products, json.image);
      fs.writeFileSync(path.join(dir, 'products', f), JSON.stringify(json));
    }
  }
  return dir;
}

describe('package root', () => {
  it('finds the Lockup package folder and the demo content', () => {
    expect(packageRoot()).toBe(ROOT);
    expect(demoContentDir()).toBe(DEMO_CONTENT);
    expect(fs.existsSync(path.join(demoContentDir(), 'brand.json'))).toBe(true);
  });
});

describe('readContentFolder', () => {
  it('reads the brand and every template, with every file reference turned into a stored asset ref', () => {
    const bundle = readContentFolder(DEMO_CONTENT);
    expect(bundle.brand.id).toBe('nimbus');
    expect(bundle.templates.map((t) => t.id)).toEqual([...bundle.templates.map((t) => t.id)].sort());
    expect(bundle.templates).toHaveLength(10);
    const refs = [...bundle.brand.fonts.map((f) => f.file), ...bundle.brand.logos.map((l) => l.file), ...productAssetRefs(bundle.products)];
    for (const t of bundle.templates) refs.push(...templateAssetRefs(t));
    expect(bundle.products.length).toBeGreaterThan(0);
    for (const p of bundle.products) expect([p.owner, p.publisher]).toEqual(['vendor', 'nimbus']);
    for (const ref of refs) {
      expect(isAssetRef(ref), ref).toBe(true);
      const a = bundle.assets.get(ref)!;
      expect(a, ref).toBeDefined();
      expect(assetRef(a.bytes)).toBe(ref);
    }
    // Each distinct file is stored once, however many zones use it.
    expect(bundle.assets.size).toBe(new Set(refs).size);
  });

  it('gives the same result from a copy with absolute paths', () => {
    const a = readContentFolder(DEMO_CONTENT);
    const b = readContentFolder(demoCopy());
    expect(b.brand).toEqual(a.brand);
    expect(b.templates).toEqual(a.templates);
    expect(b.products).toEqual(a.products);
    expect([...b.assets.keys()].sort()).toEqual([...a.assets.keys()].sort());
  });

  it('a template naming another brand is template-invalid', async () => {
    const dir = demoCopy();
    const file = path.join(dir, 'social-post.template.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), brand: 'someone-else' }));
    const err = await caught(() => readContentFolder(dir));
    expect(err.code).toBe('template-invalid');
    expect(err.message).toContain('someone-else');
  });

  it('a missing brand.json is file-unreadable naming the file', async () => {
    const dir = tempDir();
    const err = await caught(() => readContentFolder(dir));
    expect(err.code).toBe('file-unreadable');
    expect(err.message).toContain(path.join(dir, 'brand.json'));
  });

  it('a missing image file is file-unreadable naming the zone', async () => {
    const dir = demoCopy();
    const file = path.join(dir, 'product-one-pager-letter.template.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { pages: { zones: { id: string; asset?: string }[] }[] };
    json.pages[0]!.zones.find((z) => z.id === 'hero')!.asset = 'nowhere/hero.jpg';
    fs.writeFileSync(file, JSON.stringify(json));
    const err = await caught(() => readTemplateFile(file, new Map()));
    expect(err.code).toBe('file-unreadable');
    expect(err.message).toContain('"hero"');
    expect(err.message).toContain(path.join(dir, 'nowhere/hero.jpg'));
  });
});

describe('resolveFileRef and readJsonFile', () => {
  it('resolves a path relative to the base and registers the bytes once', () => {
    const assets = new Map<string, BundleAsset>();
    const a = resolveFileRef('logo-rgba.png', path.dirname(imageFixture('logo-rgba.png')), assets, 'Logo');
    const b = resolveFileRef(imageFixture('logo-rgba.png'), '/', assets, 'Logo');
    expect(a).toBe(b);
    expect(assets.size).toBe(1);
    expect(assets.get(a)!.name).toBe('logo-rgba.png');
    expect(resolveFileRef(a, '/', assets, 'Logo')).toBe(a);
  });

  it('an asset ref that is not available is asset-missing', async () => {
    const err = await caught(() => resolveFileRef(`sha256:${'1'.repeat(64)}`, '/', new Map(), 'Logo "x"'));
    expect(err.code).toBe('asset-missing');
    expect(err.message).toContain('Logo "x"');
  });

  it('invalid JSON is json-invalid naming the file; a folder is file-unreadable', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{ "id": ');
    const err = await caught(() => readJsonFile(file, 'Template'));
    expect(err.code).toBe('json-invalid');
    expect(err.message).toContain(file);
    expect((await caught(() => readJsonFile(dir, 'Template'))).code).toBe('file-unreadable');
  });

  it('a UTF-8 byte-order mark is accepted', () => {
    const file = path.join(tempDir(), 'bom.json');
    fs.writeFileSync(file, '\uFEFF{"a": "ü"}');
    expect(readJsonFile(file, 'File')).toEqual({ a: 'ü' });
  });
});
