import type { Catalogue } from '../catalogue.ts';
import { readContentFolder, type ContentBundle } from './bundle.ts';
import { demoContentDir } from './package-root.ts';

/** Stores a content bundle (assets, brand, template versions, the brand's product blocks) in one transaction. */
export function importBundle(catalogue: Catalogue, bundle: ContentBundle): { added: number; unchanged: number } {
  return catalogue.transaction(() => {
    for (const asset of bundle.assets.values()) catalogue.putAsset(asset.bytes, asset.name);
    catalogue.saveBrand(bundle.brand);
    // The folder holds the whole list: blocks removed from it leave the catalogue.
    catalogue.replaceProducts(bundle.brand.id, bundle.products);
    let added = 0;
    let unchanged = 0;
    for (const t of bundle.templates) {
      if (catalogue.addTemplateVersion(t) === 'added') added++;
      else unchanged++;
    }
    return { added, unchanged };
  });
}

const DEMO_SETTING = 'demo';

/**
 * Marks a still-empty catalogue as one that must stay without the demo (a
 * vendor's own, or a partner's that will be filled from a pack), so a later
 * `npm start` or CLI command does not seed it after all.
 */
export function declineDemo(catalogue: Catalogue): void {
  if (catalogue.brandIds().length === 0 && catalogue.getSetting('demo-seeded-at') === undefined) catalogue.setSetting(DEMO_SETTING, 'off');
}

/**
 * Seeds the built-in demo catalogue (templates/nimbus) into a catalogue that
 * holds no brand yet, so `npm start` and the CLI work with no set-up. A
 * catalogue with any brand is left alone.
 */
export function ensureDemoCatalogue(catalogue: Catalogue, dir = demoContentDir()): boolean {
  if (catalogue.brandIds().length > 0 || catalogue.getSetting(DEMO_SETTING) === 'off') return false;
  importBundle(catalogue, readContentFolder(dir));
  catalogue.setSetting('demo-seeded-at', new Date().toISOString());
  return true;
}
