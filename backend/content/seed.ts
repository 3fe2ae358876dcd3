import { canonicalJson } from '../../core/util/canonical-json.ts';
import type { Catalogue } from '../catalogue.ts';
import { protectForSeed } from '../learning/protect.ts';
import { LearningStore } from '../learning/store.ts';
import { seedProgramFromFolder } from '../mdf/program.ts';
import { readContentFolder, type ContentBundle } from './bundle.ts';
import { demoContentDir } from './package-root.ts';

/**
 * Stores a content bundle (assets, brand, template versions, the brand's
 * product blocks, playbooks and training modules) in one transaction. The
 * folder holds the whole list of blocks, playbooks and modules. A module
 * whose source is unchanged keeps its stored protection; a new or changed
 * one is protected here (backend/learning/protect.ts protectForSeed).
 */
export function importBundle(catalogue: Catalogue, bundle: ContentBundle): { added: number; unchanged: number } {
  return catalogue.transaction(() => {
    for (const asset of bundle.assets.values()) catalogue.putAsset(asset.bytes, asset.name);
    catalogue.saveBrand(bundle.brand);
    // The folder holds the whole list: blocks removed from it leave the catalogue.
    catalogue.replaceProducts(bundle.brand.id, bundle.products);
    const learning = new LearningStore(catalogue);
    learning.replacePlaybooks(bundle.brand.id, bundle.playbooks);
    learning.replaceAuthoredModules(
      bundle.brand.id,
      bundle.trainingSources.map((source) => {
        const stored = learning.getModule(source.id);
        const same = stored?.brand === bundle.brand.id && stored.source !== null && canonicalJson(stored.source) === canonicalJson(source);
        return { source, module: same ? stored.module : protectForSeed(source) };
      }),
    );
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
  catalogue.transaction(() => {
    const bundle = readContentFolder(dir);
    importBundle(catalogue, bundle);
    // The brand's MDF program (mdf/program.json), when the folder ships one (issue #8).
    seedProgramFromFolder(catalogue, dir, bundle.brand);
  });
  catalogue.setSetting('demo-seeded-at', new Date().toISOString());
  return true;
}
