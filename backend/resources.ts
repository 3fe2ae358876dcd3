import { LockupError } from '../core/errors.ts';
import type { Resources } from '../core/compose/compile.ts';
import { LoadedFont } from '../core/fonts/font.ts';
import type { PreparedImage } from '../core/images/prepare.ts';
import type { Brand } from '../core/model/brand.ts';
import { templateAssetRefs } from '../core/model/refs.ts';
import type { Template } from '../core/model/template.ts';
import { ImageStore } from './assets/image-store.ts';

/** Where asset bytes come from (the catalogue, or a content folder). */
export interface AssetSource {
  assetBytes(ref: string): { bytes: Uint8Array; name: string } | undefined;
}

/**
 * Loaded fonts and prepared images for one process, shared by every export.
 * core's `Resources` is synchronous, so `preload` fetches what a template
 * needs before it is compiled.
 */
export class ResourceCache {
  readonly images = new ImageStore();
  private readonly fonts = new Map<string, LoadedFont>();

  constructor(private readonly source: AssetSource) {}

  fontByRef(ref: string, id: string): LoadedFont {
    const key = `${id}|${ref}`;
    let font = this.fonts.get(key);
    if (!font) {
      const asset = this.source.assetBytes(ref);
      if (!asset) throw new LockupError('asset-missing', `Font "${id}" (${ref}) is missing from the catalogue`);
      font = new LoadedFont(id, asset.bytes);
      this.fonts.set(key, font);
    }
    return font;
  }

  async imageByRef(ref: string): Promise<PreparedImage> {
    const hit = this.images.get(ref);
    if (hit) return hit;
    const asset = this.source.assetBytes(ref);
    if (!asset) throw new LockupError('asset-missing', `Image ${ref} is missing from the catalogue`);
    return this.images.prepareTrusted(asset.bytes, asset.name, ref);
  }

  /**
   * Prepares every image the template may draw (its own, the pictures of
   * the product blocks in its block areas, and the brand's logos). Fonts
   * need no preloading: they load synchronously on first use.
   */
  async preload(brand: Brand, template: Template): Promise<void> {
    const refs = new Set<string>([...brand.logos.map((l) => l.file), ...templateAssetRefs(template)]);
    for (const ref of refs) await this.imageByRef(ref);
  }

  /** The synchronous view core's compile/compose use. */
  resourcesFor(brand: Brand): Resources {
    return {
      font: (id) => {
        const def = brand.fonts.find((f) => f.id === id);
        if (!def) throw new LockupError('asset-missing', `Brand "${brand.id}" has no font "${id}"`);
        return this.fontByRef(def.file, def.id);
      },
      image: (ref) => {
        const img = this.images.get(ref);
        if (!img) throw new LockupError('asset-missing', `Image ${ref} was not loaded`);
        return img;
      },
    };
  }
}
