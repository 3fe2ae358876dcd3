import fs from 'node:fs';
import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import { loadBrand, loadTemplate, parseJson, type Brand, type Template } from '../../core/model/index.ts';
import type { ProductBlock } from '../../core/model/product.ts';
import { checkPlaybookTemplates, parsePlaybook, type Playbook } from '../../core/playbook/model.ts';
import { parseTrainingSource, type TrainingModuleSource } from '../../core/training/model.ts';
import { assetRef, isAssetRef } from '../util/hash.ts';
import { readInputFile, readTextFile } from '../util/files.ts';
import { readProductsFolder } from './products.ts';

export interface BundleAsset {
  ref: string;
  name: string;
  bytes: Uint8Array;
}

/** A brand, its templates, product blocks, playbooks and training read from files, with file references turned into asset refs. */
export interface ContentBundle {
  brand: Brand;
  templates: Template[];
  /** The vendor's product blocks (`products/*.product.json`), sorted by file name. */
  products: ProductBlock[];
  /** The brand's playbooks (`playbooks/*.playbook.json`), sorted by file name; images as asset refs. */
  playbooks: Playbook[];
  /** The brand's training modules as authored, answers in clear (`training/*.training.json`): protected when stored or packed. */
  trainingSources: TrainingModuleSource[];
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

/** Files of `<dir>/<folder>` ending in `suffix`, sorted (none when the folder is absent). */
function filesIn(dir: string, folder: string, suffix: string): string[] {
  const at = path.join(dir, folder);
  if (!fs.statSync(at, { throwIfNoEntry: false })?.isDirectory()) return [];
  return fs
    .readdirSync(at)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => path.join(at, f));
}

export const PLAYBOOK_FILE_SUFFIX = '.playbook.json';
export const TRAINING_FILE_SUFFIX = '.training.json';

/** Reads a playbook file: its image blocks name files relative to it, which become asset refs. */
export function readPlaybookFile(file: string, assets: Map<string, BundleAsset>): Playbook {
  const pb = parsePlaybook(readJsonFile(file, 'Playbook'));
  const expected = path.basename(file, PLAYBOOK_FILE_SUFFIX);
  if (pb.id !== expected) throw new LockupError('playbook-invalid', `${path.basename(file)} holds the playbook "${pb.id}"; name the file "${pb.id}${PLAYBOOK_FILE_SUFFIX}"`, { playbook: pb.id });
  const base = path.dirname(file);
  for (const section of pb.sections) {
    for (const block of section.blocks) {
      if (block.kind === 'image') block.asset = resolveFileRef(block.asset, base, assets, `Image "${block.alt}" in section "${section.id}" of ${path.basename(file)}`);
    }
  }
  return pb;
}

/** Reads a training module source (answers in clear); the file is named for its id. */
export function readTrainingFile(file: string): TrainingModuleSource {
  const src = parseTrainingSource(readJsonFile(file, 'Training module'));
  const expected = path.basename(file, TRAINING_FILE_SUFFIX);
  if (src.id !== expected) throw new LockupError('training-invalid', `${path.basename(file)} holds the module "${src.id}"; name the file "${src.id}${TRAINING_FILE_SUFFIX}"`, { module: src.id });
  return src;
}

/**
 * Reads a content folder: `brand.json` plus every `*.template.json` beside
 * it, the brand's product blocks in `products/*.product.json` (owner
 * "vendor", publisher the brand id, images relative to that folder), its
 * playbooks in `playbooks/*.playbook.json` (linking only to the folder's
 * templates) and its training modules in `training/*.training.json`
 * (granting one of the brand's certifications). Used to seed the demo
 * catalogue, to build packs and by the preview script.
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
  const templateIds = new Set(templates.map((t) => t.id));
  const playbooks = filesIn(dir, 'playbooks', PLAYBOOK_FILE_SUFFIX).map((f) => readPlaybookFile(f, assets));
  for (const pb of playbooks) {
    if (pb.brand !== brand.id) throw new LockupError('playbook-invalid', `Playbook "${pb.id}" names brand "${pb.brand}" but the folder holds brand "${brand.id}"`, { playbook: pb.id });
    checkPlaybookTemplates(pb, templateIds);
  }
  const certifications = new Set(brand.access.certifications.map((c) => c.id));
  const trainingSources = filesIn(dir, 'training', TRAINING_FILE_SUFFIX).map(readTrainingFile);
  for (const src of trainingSources) {
    if (!certifications.has(src.grants)) {
      throw new LockupError('training-invalid', `Training module "${src.id}" grants "${src.grants}", which is not one of the certifications in brand.json (${[...certifications].join(', ') || 'none'})`, { module: src.id, grants: src.grants });
    }
  }
  return { brand, templates, products, playbooks, trainingSources, assets };
}
