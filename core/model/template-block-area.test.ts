import { describe, expect, it } from 'vitest';
import { rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import type { ProductBlockInput } from './product.ts';
import { Template, type TemplateInput } from './template.ts';

/** The model's rules for bundle areas (Template's superRefine), with the messages and paths a designer sees. */

type ZoneInput = TemplateInput['pages'][number]['zones'][number];

const product = (id: string, over: Partial<ProductBlockInput> = {}): ProductBlockInput => ({
  format: 'lockup.product',
  formatVersion: 1,
  id,
  publisher: 'acme',
  owner: 'vendor',
  name: `Product ${id}`,
  price: { kind: 'on-request' },
  ...over,
});

const area = (over: Record<string, unknown> = {}): ZoneInput =>
  ({
    id: 'offer',
    kind: 'block-area',
    owner: 'distributor',
    lock: 'locked',
    rect: rect(40, 100, 520, 250),
    style: { font: 'lato', bold: 'lato-bold', color: 'ink', muted: 'navy', accent: 'blue', headingColor: 'ink' },
    ...over,
  }) as ZoneInput;

const others: ZoneInput[] = [
  { id: 'band', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 600, 40), fill: 'navy' },
  { id: 'form', kind: 'form-field', owner: 'vendor', lock: 'locked', rect: rect(40, 360, 200, 20), fieldName: 'note', input: 'text', label: 'Note', style: { font: 'lato', size: 10, color: 'ink' } },
];

/** [path, message] of every issue of a one-page template with these zones (and a second page with `away`). */
function issues(zones: ZoneInput[]): [string, string][] {
  const t = templateInput(zones, { pages: [{ zones }, { zones: [{ id: 'away', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 100, 20), text: 'x', style: textStyle() }] }] });
  const r = Template.safeParse(t);
  return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
}

describe('bundle area rules', () => {
  it('a well-formed area passes', () => {
    expect(issues([...others, area({ repeat: ['band'], offered: ['a', 'b'], entries: [{ product: product('a') }, { product: product('own', { owner: 'distributor', publisher: 'westcoast' }) }] })])).toEqual([]);
  });

  it('is locked and owned by the vendor or a distributor', () => {
    const message = 'a bundle area is locked and owned by the vendor or a distributor';
    expect(issues([area({ owner: 'partner' })])).toEqual([['pages.0.zones.0.owner', message]]);
    expect(issues([area({ lock: 'editable' })])).toEqual([['pages.0.zones.0.lock', message]]);
    expect(issues([area({ owner: 'vendor' })])).toEqual([]);
  });

  it('at most one per page (another page may have its own)', () => {
    expect(issues([area(), area({ id: 'offer-2' })])).toEqual([['pages.0.zones.1.kind', 'a page holds at most one bundle area']]);
  });

  it('repeats other zones of its own page, never a form field, each once', () => {
    expect(issues([...others, area({ repeat: ['away', 'offer', 'form', 'band', 'band', 'ghost'] })])).toEqual([
      ['pages.0.zones.2.repeat.0', '"away" is not another zone of this page'],
      ['pages.0.zones.2.repeat.1', 'a bundle area does not repeat itself: it continues on its own'],
      ['pages.0.zones.2.repeat.2', '"form" is a form field: its name must be unique in the PDF, so it cannot repeat on continuation pages'],
      ['pages.0.zones.2.repeat.4', '"band" is repeated twice'],
      ['pages.0.zones.2.repeat.5', '"ghost" is not another zone of this page'],
    ]);
  });

  it('continues within the page', () => {
    const message = 'the continuation area must lie within the page (its trim box)';
    expect(issues([area({ continuation: rect(40, 40, 520, 340) })])).toEqual([]);
    expect(issues([area({ continuation: rect(40, 40, 520, 380) })])).toEqual([['pages.0.zones.0.continuation', message]]);
    expect(issues([area({ continuation: rect(-9, 40, 100, 100) })])).toEqual([['pages.0.zones.0.continuation', message]]);
  });

  it('offers each product once', () => {
    expect(issues([area({ offered: ['a', 'b', 'a'] })])).toEqual([['pages.0.zones.0.offered.2', '"a" is offered twice']]);
  });

  it('places each product once, and only offered products of the template brand', () => {
    const entries = [{ product: product('a') }, { product: product('c') }, { product: product('x', { publisher: 'globex', name: 'Globex Box' }) }, { product: product('a') }];
    expect(issues([area({ offered: ['a', 'b'], entries })])).toEqual([
      ['pages.0.zones.0.entries.1.product.id', '"Product c" (c) is not one of the products this bundle area offers'],
      ['pages.0.zones.0.entries.2.product.publisher', '"Globex Box" (x) is published by "globex", not by acme: a bundle area holds only the template brand\'s product blocks and the owner\'s own'],
      ['pages.0.zones.0.entries.3.product.id', '"Product a" (a) is placed twice in this bundle area'],
    ]);
    // With nothing offered, any of the vendor's products may go in.
    expect(issues([area({ entries: [{ product: product('c') }] })])).toEqual([]);
  });

  it('a distributor’s own products only in a distributor’s area that allows them', () => {
    const own = { product: product('mine', { owner: 'distributor', publisher: 'westcoast', name: 'Rapid deployment' }) };
    expect(issues([area({ owner: 'vendor', entries: [own] })])).toEqual([['pages.0.zones.0.entries.0.product.owner', '"Rapid deployment" (mine) is a distributor\'s own product: only a distributor\'s bundle area holds it']]);
    expect(issues([area({ allowOwn: false, entries: [own] })])).toEqual([['pages.0.zones.0.entries.0.product.owner', '"Rapid deployment" (mine) is a distributor\'s own product, and this bundle area does not allow the distributor\'s own products']]);
    expect(issues([area({ offered: ['a'], entries: [own] })])).toEqual([]);
  });
});
