import path from 'node:path';
import type { BrandEditView, FontFileView, VENDOR_API } from '../../core/contracts/vendor-api.ts';
import { LockupError } from '../../core/errors.ts';
import { describeFont } from '../../core/fonts/describe.ts';
import { loadBrand, type Brand, type Template } from '../../core/model/index.ts';
import { brandIssues, DEFAULT_FONTS, newBrand } from '../../core/vendor/brand-kit.ts';
import { brandUsage, describeInUse, missingInUse, type LearningUse } from '../../core/vendor/usage.ts';
import { LearningStore } from '../learning/store.ts';
import { packageRoot } from '../content/package-root.ts';
import { PackStore } from '../packs/store.ts';
import { readInputFile } from '../util/files.ts';
import { assetRef } from '../util/hash.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

/**
 * The vendor workspace: brand kits and access levels. Every write is
 * validated in full before the catalogue is touched and then runs in one
 * transaction, so a refused request leaves the catalogue as it was.
 */
export function vendorHandlers(ctx: HandlerContext): HandlersFor<typeof VENDOR_API> {
  const { catalogue } = ctx;
  const packs = new PackStore(catalogue);

  /** Who published a brand that came in a signed pack, by id and name (the id when the name is unknown). */
  const publisherOf = (brandId: string): { id: string; name: string } | null => {
    const id = catalogue.brandPublisher(brandId);
    return id === null ? null : { id, name: packs.publisher(id)?.name ?? id };
  };

  /** The latest published version of each template of a brand. */
  const templatesOf = (brandId: string): Template[] =>
    catalogue
      .listTemplates()
      .filter((t) => t.brand === brandId)
      .map((t) => catalogue.getTemplate(`${t.id}@${t.version}`));

  /** The brand's playbooks (access) and training modules (the certification a pass grants). */
  const learningOf = (brandId: string): LearningUse[] => {
    const store = new LearningStore(catalogue);
    return [
      ...store.listPlaybooks(brandId).map((p) => ({ label: `playbook "${p.playbook.name}" (${p.playbook.id})`, access: p.playbook.access })),
      ...store.listModules(brandId).map((m) => ({ label: `training module "${m.module.title}" (${m.module.id})`, grants: m.module.grants })),
    ];
  };

  const usageOf = (brandId: string) => brandUsage(templatesOf(brandId), learningOf(brandId));

  const view = (id: string): BrandEditView => ({ brand: catalogue.getBrand(id), publisher: publisherOf(id), usage: usageOf(id) });

  /** Brands that arrived in a signed pack belong to their publisher. */
  const requireEditable = (id: string): void => {
    const publisher = publisherOf(id);
    if (publisher !== null) {
      throw new LockupError('read-only', `The brand "${catalogue.getBrand(id).name}" was published by ${publisher.name} in a signed pack: you can use it but not change it`, { publisher: publisher.id });
    }
  };

  /** Schema first (brand-invalid with the JSON path), then what the schema cannot say. */
  const validBrand = (input: unknown): Brand => {
    const brand = loadBrand(input);
    const issues = brandIssues(brand);
    if (issues.length > 0) {
      const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
      throw new LockupError('brand-invalid', `Brand is invalid at ${issues[0]!.path}: ${issues[0]!.message}${more}`, { issues });
    }
    return brand;
  };

  const describeStored = (ref: string): FontFileView => {
    const asset = catalogue.assetBytes(ref);
    if (!asset) throw new LockupError('asset-missing', `No asset ${ref}`);
    return { ref, fileName: asset.name, ...describeFont(asset.bytes, asset.name) };
  };

  /**
   * Assets the brand did not have before are vetted as what they are used
   * for: a font must be an embeddable TrueType font, a logo an image Lockup
   * can place (checked in the isolated image worker, as partner logos are).
   */
  const vetNewAssets = async (next: Brand, current: Brand): Promise<void> => {
    // Per role: a logo's bytes are no proof of a good font.
    const knownFonts = new Set(current.fonts.map((f) => f.file));
    const knownLogos = new Set(current.logos.map((l) => l.file));
    for (const font of next.fonts) {
      if (knownFonts.has(font.file)) continue;
      const asset = catalogue.assetBytes(font.file);
      if (!asset) throw new LockupError('asset-missing', `The font "${font.family}" (${font.id}) was not taken in; add it again`);
      describeFont(asset.bytes, asset.name);
    }
    for (const logo of next.logos) {
      if (knownLogos.has(logo.file)) continue;
      const asset = catalogue.assetBytes(logo.file);
      if (!asset) throw new LockupError('asset-missing', `The logo "${logo.name}" (${logo.id}) was not taken in; add it again`);
      await ctx.engine.resources.images.prepareUntrusted(asset.bytes, asset.name);
    }
  };

  return {
    'brand:list': () => {
      const templates = catalogue.listTemplates();
      return catalogue.brandIds().map((id) => ({
        id,
        name: catalogue.getBrand(id).name,
        publisher: publisherOf(id),
        templates: templates.filter((t) => t.brand === id).length,
      }));
    },

    'brand:get': ({ id }) => view(id),

    'brand:create': async ({ id, name, logo, logoBackground }) => {
      const existing = catalogue.brandIds().find((b) => b === id);
      if (existing !== undefined) {
        throw new LockupError('brand-exists', `There is already a brand with the id "${id}" ("${catalogue.getBrand(id).name}"); choose another id`);
      }
      const logoBytes = new Uint8Array(Buffer.from(logo.data, 'base64'));
      const image = await ctx.engine.resources.images.prepareUntrusted(logoBytes, logo.name);
      const fonts = DEFAULT_FONTS.map((f) => ({ def: f, bytes: readInputFile(path.join(packageRoot(), f.path), 'Default font') }));
      const logoName = path.parse(logo.name).name.trim() || name;
      const brand = validBrand(
        newBrand({
          id,
          // Trimmed, unless nothing is left: then brandIssues reports the blank name.
          name: name.trim() || name,
          logo: { id: logoBackground === 'dark' ? 'logo-dark' : 'logo', name: logoName, background: logoBackground, file: image.key },
          fonts: fonts.map(({ def, bytes }) => ({ id: def.id, family: def.family, weight: def.weight, style: def.style, licence: def.licence, file: assetRef(bytes) })),
        }),
      );
      catalogue.transaction(() => {
        catalogue.putAsset(logoBytes, logo.name);
        for (const { def, bytes } of fonts) catalogue.putAsset(bytes, path.basename(def.path));
        catalogue.saveBrand(brand);
      });
      return view(id);
    },

    'brand:save': async ({ brand: input }) => {
      const next = validBrand(input);
      requireEditable(next.id);
      const current = catalogue.getBrand(next.id);
      await vetNewAssets(next, current);
      const inUse = missingInUse(next, usageOf(next.id));
      if (inUse.length > 0) {
        throw new LockupError('in-use', `${describeInUse(inUse)}. Publish versions of those templates without it first.`, { items: inUse });
      }
      catalogue.saveBrand(next);
      return view(next.id);
    },

    'font:intake': ({ name, data }) => {
      const bytes = new Uint8Array(Buffer.from(data, 'base64'));
      // Vetted before anything is stored: a refused font leaves no trace.
      const description = describeFont(bytes, name);
      const ref = catalogue.putAsset(bytes, name);
      return { ref, fileName: name, ...description };
    },

    'font:describe': ({ ref }) => describeStored(ref),
  };
}
