import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONTENT } from '../test/support/paths.ts';
import { readContentFolder, type ContentBundle } from './content/bundle.ts';
import { ResourceCache, type AssetSource } from './resources.ts';
import { thrown as caught } from '../test/support/errors.ts';

let bundle: ContentBundle;
beforeAll(() => {
  bundle = readContentFolder(DEMO_CONTENT);
});

/** An asset source over the bundle that counts lookups and can hide some refs. */
function source(hidden: string[] = []): AssetSource & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    assetBytes(ref) {
      lookups.push(ref);
      if (hidden.includes(ref)) return undefined;
      const a = bundle.assets.get(ref);
      return a && { bytes: a.bytes, name: a.name };
    },
  };
}

describe('ResourceCache', () => {
  it('loads a font once and serves it from the cache after that', () => {
    const src = source();
    const cache = new ResourceCache(src);
    const f = bundle.brand.fonts[0]!;
    const a = cache.fontByRef(f.file, f.id);
    expect(cache.fontByRef(f.file, f.id)).toBe(a);
    expect(src.lookups.filter((r) => r === f.file)).toHaveLength(1);
    const resources = cache.resourcesFor(bundle.brand);
    expect(resources.font(f.id)).toBe(a);
  });

  it('a font missing from the catalogue, or not in the brand, is asset-missing', () => {
    const f = bundle.brand.fonts[1]!;
    const cache = new ResourceCache(source([f.file]));
    const err = caught(() => cache.fontByRef(f.file, f.id));
    expect(err.code).toBe('asset-missing');
    expect(err.message).toContain(f.id);
    expect(caught(() => cache.resourcesFor(bundle.brand).font('comic-sans')).message).toContain('comic-sans');
  });

  it('preload prepares the brand logos and every image of the template', async () => {
    const cache = new ResourceCache(source());
    const letter = bundle.templates.find((t) => t.id === 'product-one-pager-letter')!;
    await cache.preload(bundle.brand, letter);
    const refs = [...bundle.brand.logos.map((l) => l.file)];
    for (const p of letter.pages) for (const z of p.zones) if (z.kind === 'image') refs.push(z.asset);
    expect(refs.length).toBeGreaterThan(2);
    const resources = cache.resourcesFor(bundle.brand);
    for (const ref of refs) expect(resources.image(ref).key).toBe(ref);
  });

  it('an image that was not preloaded, or is missing from the catalogue, is asset-missing', async () => {
    const logo = bundle.brand.logos[0]!.file;
    const cache = new ResourceCache(source([logo]));
    expect(caught(() => cache.resourcesFor(bundle.brand).image(logo)).code).toBe('asset-missing');
    await expect(cache.imageByRef(logo)).rejects.toMatchObject({ code: 'asset-missing' });
    const letter = bundle.templates.find((t) => t.id === 'product-one-pager-letter')!;
    await expect(cache.preload(bundle.brand, letter)).rejects.toMatchObject({ code: 'asset-missing' });
  });
});
