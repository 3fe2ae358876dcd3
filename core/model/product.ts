import { z } from 'zod';
import { Id } from './access.ts';


/**
 * A product block (issue #5): a vendor's (or a distributor's own) product as
 * it appears on a bundled-offer sheet: name, SKU, picture, short copy and a
 * price. A vendor publishes its blocks in its pack; a distributor adds its
 * own. A *locked* block is placed as published; an unlocked one lets the
 * distributor set its own price and copy on a sheet (core/compose/blocks.ts).
 */
export const PRODUCT_FORMAT = 'lockup.product';
export const PRODUCT_FORMAT_VERSION = 1;

/** "sha256:<hex>" once in the catalogue; a path relative to the source file while authoring. */
export const AssetRef = z.string().min(1).max(500);

export const Price = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('list'),
      /** In the currency's main unit (dollars, euros), at most two decimals. */
      amount: z.number().finite().nonnegative().max(1e9).refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'at most two decimals'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "USD"'),
      /** "per user / month", "per server", … */
      unit: z.string().max(40).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('on-request') }).strict(),
]);
export type Price = z.infer<typeof Price>;

export const ProductBlock = z
  .object({
    format: z.literal(PRODUCT_FORMAT),
    formatVersion: z.literal(PRODUCT_FORMAT_VERSION),
    id: Id,
    /** Who publishes it: the vendor's brand id, or the distributor's id. */
    publisher: Id,
    owner: z.enum(['vendor', 'distributor']),
    name: z.string().min(1).max(80),
    sku: z.string().max(40).default(''),
    image: AssetRef.optional(),
    copy: z.string().max(600).default(''),
    price: Price,
    /** The heading a sheet groups it under ("Backup", "Services"). */
    section: z.string().max(60).optional(),
    locked: z.boolean().default(true),
  })
  .strict();
export type ProductBlock = z.infer<typeof ProductBlock>;
export type ProductBlockInput = z.input<typeof ProductBlock>;

/** How a price reads on a sheet: "$1,299.00 per server", "Price on request". */
export function formatPrice(price: Price, locale = 'en-US'): string {
  if (price.kind === 'on-request') return 'Price on request';
  const amount = new Intl.NumberFormat(locale, { style: 'currency', currency: price.currency, minimumFractionDigits: 2 }).format(price.amount);
  return price.unit ? `${amount} ${price.unit}` : amount;
}

/**
 * A block as placed on a sheet (a block-area zone's entry): the published
 * block itself, byte for byte, plus the sheet's own price and copy when the
 * block is not locked. A locked block given other content is refused by
 * the derivation rules and flagged by compose.
 */
export const SheetEntry = z
  .object({
    product: ProductBlock,
    price: Price.optional(),
    copy: z.string().max(600).optional(),
  })
  .strict();
export type SheetEntry = z.infer<typeof SheetEntry>;
