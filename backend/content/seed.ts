import type { Catalogue } from '../catalogue.ts';
import { readContentFolder, type ContentBundle } from './bundle.ts';
import { demoContentDir } from './package-root.ts';

/** Stores a content bundle (assets, brand, template versions) in one transaction. */
export function importBundle(catalogue: Catalogue, bundle: ContentBundle): { added: number; unchanged: number } {
  return catalogue.transaction(() => {
    for (const asset of bundle.assets.values()) catalogue.putAsset(asset.bytes, asset.name);
    catalogue.saveBrand(bundle.brand);
    let added = 0;
    let unchanged = 0;
    for (const t of bundle.templates) {
      if (catalogue.addTemplateVersion(t) === 'added') added++;
      else unchanged++;
    }
    return { added, unchanged };
  });
}

/**
 * Seeds the built-in demo catalogue (templates/nimbus) into a catalogue that
 * holds no brand yet, so `npm start` and the CLI work with no set-up. A
 * catalogue with any brand is left alone.
 */
export function ensureDemoCatalogue(catalogue: Catalogue, dir = demoContentDir()): boolean {
  if (catalogue.brandIds().length > 0) return false;
  importBundle(catalogue, readContentFolder(dir));
  catalogue.setSetting('demo-seeded-at', new Date().toISOString());
  return true;
}
