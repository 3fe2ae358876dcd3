import fs from 'node:fs';
import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import { parseOrThrow } from '../../core/model/index.ts';
import { ProductBlock } from '../../core/model/product.ts';
import { readJsonFile, resolveFileRef, type BundleAsset } from './bundle.ts';

/** Products live in a `products/` folder beside the brand (or overlay), one `<id>.product.json` each. */
export const PRODUCTS_FOLDER = 'products';
export const PRODUCT_FILE_SUFFIX = '.product.json';

/** Validates a product block; errors carry the JSON path of the fault. */
export function loadProduct(data: unknown, what = 'Product block'): ProductBlock {
  return parseOrThrow(ProductBlock, data, 'product-invalid', what);
}

/** Who must publish the blocks of a folder: the brand's own (vendor) or a distributor's. */
export interface ProductPublisher {
  owner: ProductBlock['owner'];
  publisher: string;
}

/** Refuses a block that is not the given publisher's, or a list with an id twice. */
export function checkProductOwnership(products: readonly ProductBlock[], expected: ProductPublisher, where: string): void {
  const seen = new Set<string>();
  for (const p of products) {
    if (p.owner !== expected.owner) throw new LockupError('product-invalid', `${where}: the product "${p.id}" is owned by the ${p.owner}; here products are the ${expected.owner}'s`, { product: p.id });
    if (p.publisher !== expected.publisher) throw new LockupError('product-invalid', `${where}: the product "${p.id}" names the publisher "${p.publisher}", not "${expected.publisher}"`, { product: p.id });
    if (seen.has(p.id)) throw new LockupError('product-invalid', `${where}: the product id "${p.id}" appears twice`, { product: p.id });
    seen.add(p.id);
  }
}

/** Reads one product file; its `image` (a path relative to the file) becomes an asset ref. */
export function readProductFile(file: string, assets: Map<string, BundleAsset>): ProductBlock {
  const product = loadProduct(readJsonFile(file, 'Product block'), `Product block "${path.basename(file)}"`);
  const expected = path.basename(file, PRODUCT_FILE_SUFFIX);
  if (product.id !== expected) throw new LockupError('product-invalid', `${path.basename(file)} holds the product "${product.id}"; name the file "${product.id}${PRODUCT_FILE_SUFFIX}"`, { product: product.id });
  if (product.image !== undefined) product.image = resolveFileRef(product.image, path.dirname(file), assets, `Image of product "${product.id}"`);
  return product;
}

/**
 * Reads `<dir>/products/*.product.json` (none when the folder is absent),
 * sorted by file name, and checks every block is the given publisher's.
 */
export function readProductsFolder(dir: string, assets: Map<string, BundleAsset>, expected: ProductPublisher): ProductBlock[] {
  const folder = path.join(dir, PRODUCTS_FOLDER);
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return [];
  const products = fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(PRODUCT_FILE_SUFFIX))
    .sort()
    .map((f) => readProductFile(path.join(folder, f), assets));
  checkProductOwnership(products, expected, folder);
  return products;
}
