import fs from 'node:fs';
import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import { loadBrand, loadTemplate, parseJson, type Brand, type Template } from '../../core/model/index.ts';
import type { ProductBlock } from '../../core/model/product.ts';
import { assetRef, isAssetRef } from '../util/hash.ts';
import { readInputFile, readTextFile } from '../util/files.ts';
import { readProductsFolder } from './products.ts';

export interface BundleAsset {
  ref: string;
  name: string;
  bytes: Uint8Array;
}

/** A brand, its templates and its product blocks read from files, with file references turned into asset refs. */
export interface ContentBundle {
  brand: Brand;
  templates: Template[];
  /** The vendor's product blocks (`products/*.product.json`), sorted by file name. */
  products: ProductBlock[];
  assets: Map<string, BundleAsset>;
}

/** Replaces a file reference (relative to `base`) with the asset ref of its bytes. */
export function resolveFileRef(ref: string, base: string, assets: Map<string, BundleAsset>, what: string): string {
  if (isAssetRef(ref)) {
    if (!assets.has(ref)) throw new LockupError('asset-missing', `${what} refers to ${ref}, which is not available`);
    return ref;
  }
  const file = path.resolve(base, ref);
  const bytes = readInputFile(file, what);
  const key = assetRef(bytes);
  if (!assets.has(key)) assets.set(key, { ref: key, name: path.basename(file), bytes });
  return key;
}

export function readJsonFile(file: string, what: string): unknown {
  return parseJson(readTextFile(file, what), `${what} "${file}"`);
}

/** Reads a template file and resolves its image files relative to it. */
export function readTemplateFile(file: string, assets: Map<string, BundleAsset>): Template {
  const template = loadTemplate(readJsonFile(file, 'Template'));
  const base = path.dirname(file);
  for (const page of template.pages) {
    for (const zone of page.zones) {
      if (zone.kind === 'image') zone.asset = resolveFileRef(zone.asset, base, assets, `Image of zone "${zone.id}" in ${path.basename(file)}`);
      // Product blocks placed in a bundle area carry their pictures, relative to the template file like image zones.
      if (zone.kind === 'block-area') {
        for (const entry of zone.entries) {
          if (entry.product.image !== undefined) entry.product.image = resolveFileRef(entry.product.image, base, assets, `Picture of product "${entry.product.id}" in zone "${zone.id}" of ${path.basename(file)}`);
        }
      }
    }
  }
  return template;
}

export function readBrandFile(file: string, assets: Map<string, BundleAsset>): Brand {
  const brand = loadBrand(readJsonFile(file, 'Brand'));
  const base = path.dirname(file);
  for (const font of brand.fonts) font.file = resolveFileRef(font.file, base, assets, `Font "${font.id}"`);
  for (const logo of brand.logos) logo.file = resolveFileRef(logo.file, base, assets, `Logo "${logo.id}"`);
  return brand;
}

/**
 * Reads a content folder: `brand.json` plus every `*.template.json` beside
 * it, and the brand's product blocks in `products/*.product.json` (owner
 * "vendor", publisher the brand id, images relative to that folder). Used
 * to seed the demo catalogue, to build packs and by the preview script.
 */
export function readContentFolder(dir: string): ContentBundle {
  const assets = new Map<string, BundleAsset>();
  const brand = readBrandFile(path.join(dir, 'brand.json'), assets);
  const templates = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .sort()
    .map((f) => readTemplateFile(path.join(dir, f), assets));
  for (const t of templates) {
    if (t.brand !== brand.id) throw new LockupError('template-invalid', `Template "${t.id}" names brand "${t.brand}" but the folder holds brand "${brand.id}"`);
  }
  const products = readProductsFolder(dir, assets, { owner: 'vendor', publisher: brand.id });
  return { brand, templates, products, assets };
}
