import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedFont } from '../fonts/font.ts';
import type { PreparedImage } from '../images/prepare.ts';
import { formatPrice, ProductBlock, type ProductBlockInput } from '../model/product.ts';
import type { Finding } from '../rules/finding.ts';
import { loadFont } from '../../test/core-support/fonts.ts';
import { solidImage } from '../../test/core-support/resources.ts';
import { entryContent, measureBlock, type BlockStyle } from './blocks.ts';
import { flowItems } from './flow.ts';

const product = (over: Partial<ProductBlockInput> = {}) =>
  ProductBlock.parse({
    format: 'lockup.product',
    formatVersion: 1,
    id: 'vault-business',
    publisher: 'nimbus',
    owner: 'vendor',
    name: 'NimbusVault Business',
    sku: 'NV-BUS-1',
    copy: 'Immutable backups for servers, PCs and Microsoft 365, with Instant Restore.',
    price: { kind: 'list', amount: 1299, currency: 'USD', unit: 'per year' },
    ...over,
  });

let style: BlockStyle;
let photo: PreparedImage;

beforeAll(async () => {
  const regular: LoadedFont = loadFont('lato-regular', 'lato');
  const bold: LoadedFont = loadFont('lato-bold', 'lato-bold');
  const color = (rgb: [number, number, number]) => ({ rgb });
  style = {
    regular: { primary: regular, fallbacks: () => [] },
    bold: { primary: bold, fallbacks: () => [] },
    size: 9,
    text: color([17, 17, 17]),
    muted: color([100, 100, 100]),
    accent: color([11, 95, 255]),
    card: color([238, 243, 251]),
    radius: 6,
    padding: 10,
    imageHeight: 60,
  };
  photo = await solidImage('photo', 400, 200);
});

describe('product blocks', () => {
  it('model: prices are list (two decimals, ISO currency) or on request', () => {
    expect(formatPrice(product().price)).toBe('$1,299.00 per year');
    expect(formatPrice({ kind: 'on-request' })).toBe('Price on request');
    expect(formatPrice({ kind: 'list', amount: 49.5, currency: 'EUR' })).toBe('€49.50');
    expect(() => product({ price: { kind: 'list', amount: 1.005, currency: 'USD' } })).toThrow(/two decimals/);
    expect(() => product({ price: { kind: 'list', amount: 1, currency: 'usd' } })).toThrow(/ISO 4217/);
  });

  it('a locked block keeps its published price and copy, with an error naming it; an unlocked one takes the sheet\'s', () => {
    const findings: Finding[] = [];
    const locked = entryContent({ product: product(), price: { kind: 'on-request' } }, 'offers', findings);
    expect(locked.price).toEqual(product().price);
    expect(findings.map((f) => [f.code, f.zoneId, f.measured])).toEqual([['field-not-editable', 'offers', 'vault-business']]);
    const open = entryContent({ product: product({ locked: false }), price: { kind: 'on-request' }, copy: 'Bundled with our managed service.' }, 'offers', findings);
    expect(open).toEqual({ price: { kind: 'on-request' }, copy: 'Bundled with our managed service.' });
    expect(findings).toHaveLength(1);
  });

  it('measures taller in a narrower column and draws card, picture, then the texts top to bottom inside the card', () => {
    const wide = measureBlock({ product: product() }, product(), photo, 260, style);
    const narrow = measureBlock({ product: product() }, product(), photo, 120, style);
    expect(narrow.height).toBeGreaterThan(wide.height);
    const rect = { x: 50, y: 100, w: 260, h: wide.height };
    const items = wide.draw(rect, 'offers');
    expect(items.map((i) => i.type)).toEqual(['fill', 'image', 'text', 'text', 'text', 'text']);
    let lastY = -Infinity;
    for (const it of items.slice(1)) {
      const top = it.type === 'image' ? it.place.y : it.type === 'text' ? it.origin.y : 0;
      expect(top).toBeGreaterThan(lastY);
      lastY = top;
      const bottom = it.type === 'image' ? it.place.y + it.place.h : it.type === 'text' ? it.origin.y + it.layout.height : 0;
      expect(bottom).toBeLessThanOrEqual(rect.y + rect.h + 1e-6);
    }
    const price = items.at(-1)!;
    expect(price.type === 'text' && price.layout.lines.flatMap((l) => l.runs.flatMap((r) => r.glyphs.flatMap((g) => g.cps))).map((c) => String.fromCodePoint(c)).join('')).toBe('$1,299.00 per year');
  });

  it('measured blocks flow into frames without overflow', () => {
    const blocks = Array.from({ length: 9 }, (_, i) => measureBlock({ product: product({ id: `p${i}`, copy: 'word '.repeat(5 + i * 6) }) }, { price: product().price, copy: 'word '.repeat(5 + i * 6) }, photo, 168, style));
    const r = flowItems(
      blocks.map((b) => ({ kind: 'block' as const, height: b.height })),
      { x: 36, y: 400, w: 540, h: 340 },
      { x: 36, y: 60, w: 540, h: 680 },
      { columns: 3, gap: 12, headingGap: 6, maxFrames: 10 },
    );
    expect(r.unplaced).toEqual([]);
    expect(r.frames).toBeGreaterThan(1);
    for (const p of r.placements) expect(p.rect.h).toBeGreaterThanOrEqual(blocks[p.item]!.height - 1e-6);
  });
});
