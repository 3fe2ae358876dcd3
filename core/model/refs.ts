import type { ProductBlock } from './product.ts';
import type { Template } from './template.ts';

/**
 * The asset refs a template draws from its own content: image zones and the
 * pictures of the product blocks placed in its block areas. (Brand logos and
 * fonts come with the brand.)
 */
export function templateAssetRefs(t: Template): string[] {
  const refs = new Set<string>();
  for (const page of t.pages) {
    for (const z of page.zones) {
      if (z.kind === 'image') refs.add(z.asset);
      else if (z.kind === 'block-area') for (const e of z.entries) if (e.product.image !== undefined) refs.add(e.product.image);
    }
  }
  return [...refs];
}

/** The asset refs of product blocks (their pictures). */
export function productAssetRefs(products: readonly ProductBlock[]): string[] {
  return [...new Set(products.flatMap((p) => (p.image === undefined ? [] : [p.image])))];
}
