import { beforeAll, describe, expect, it } from 'vitest';
import { loadBrand, loadDocument, loadProfile, loadTemplate, type Brand, type TemplateInput } from '../model/index.ts';
import type { ProductBlockInput } from '../model/product.ts';
import type { Rect } from '../model/template.ts';
import { loadFont } from '../../test/core-support/fonts.ts';
import { brandInput, documentInput, profileInput, rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { makeResources, solidImage } from '../../test/core-support/resources.ts';
import { sectionsOf } from './block-area.ts';
import { compileTemplate, type CompiledTemplate, type Resources } from './compile.ts';
import { compose } from './compose.ts';
import { planPageOf, templatePageOf, zonesOnPlanPage } from './pages.ts';
import type { PlanItem } from './plan.ts';

type ZoneInput = TemplateInput['pages'][number]['zones'][number];

let brand: Brand;
let resources: Resources;

beforeAll(async () => {
  brand = loadBrand(brandInput());
  resources = makeResources(
    { lato: loadFont('lato-regular', 'lato'), 'lato-bold': loadFont('lato-bold', 'lato-bold'), 'noto-arabic': loadFont('noto-arabic-regular', 'noto-arabic') },
    {
      'vendor-light': await solidImage('vendor-light', 600, 200, [20, 60, 160]),
      'vendor-dark': await solidImage('vendor-dark', 600, 200, [250, 250, 250]),
      pic: await solidImage('pic', 400, 200, [120, 120, 120]),
    },
  );
});

const product = (id: string, over: Partial<ProductBlockInput> = {}): ProductBlockInput => ({
  format: 'lockup.product',
  formatVersion: 1,
  id,
  publisher: 'acme',
  owner: 'vendor',
  name: `Product ${id}`,
  sku: id.toUpperCase(),
  copy: 'Immutable backups for servers and PCs, restored in minutes.',
  price: { kind: 'list', amount: 10, currency: 'USD', unit: 'per user / month' },
  image: 'pic',
  ...over,
});

const AREA = rect(40, 120, 520, 220);
const NEXT = rect(40, 60, 520, 300);

/** A 600 × 400 page: a band and a footer (repeated), a title (not), and the bundle area. */
function sheet(entries: { product: ProductBlockInput; price?: unknown; copy?: string }[], over: Record<string, unknown> = {}, pages: TemplateInput['pages'] = []): CompiledTemplate {
  const zones: ZoneInput[] = [
    { id: 'band', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 600, 50), fill: 'navy' },
    { id: 'title', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(40, 70, 400, 30), text: 'Our bundle', style: textStyle({ size: 20 }) },
    {
      id: 'offer',
      name: 'Offer',
      kind: 'block-area',
      owner: 'distributor',
      lock: 'locked',
      rect: AREA,
      continuation: NEXT,
      repeat: ['band', 'footer'],
      columns: 2,
      style: { font: 'lato', bold: 'lato-bold', color: 'ink', muted: 'navy', accent: 'blue', card: 'white', headingColor: 'ink', imageHeight: 30 },
      entries,
      ...over,
    } as ZoneInput,
    { id: 'footer', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(40, 370, 520, 20), text: 'Prices exclude tax.', style: textStyle({ size: 9 }) },
  ];
  const t = templateInput(zones, { pages: [{ zones }, ...pages] });
  return compileTemplate(loadTemplate(t), brand, resources);
}

function run(c: CompiledTemplate, profile = {}) {
  return compose(c, { profile: loadProfile(profileInput(profile)), document: loadDocument(documentInput({ templateId: c.template.id, templateVersion: c.template.version })), output: 'screen' });
}

const textOf = (item: PlanItem) => (item.type === 'text' ? item.layout.lines.map((l) => l.runs.map((r) => r.glyphs.map((g) => String.fromCodePoint(...g.cps)).join('')).join('')).join(' ') : '');
const cards = (items: PlanItem[]) => items.filter((i): i is Extract<PlanItem, { type: 'fill' }> => i.type === 'fill' && i.zoneId === 'offer');
const inside = (r: Rect, frame: Rect) => r.x >= frame.x - 1e-6 && r.y >= frame.y - 1e-6 && r.x + r.w <= frame.x + frame.w + 1e-6 && r.y + r.h <= frame.y + frame.h + 1e-6;
const many = (n: number, section?: (i: number) => string | undefined) => Array.from({ length: n }, (_, i) => ({ product: product(`p${i}`, { section: section?.(i) }) }));

describe('bundle areas at compile time', () => {
  it('groups entries by section in first-appearance order, entries without a section first and without a heading', () => {
    const entries = [
      { product: product('a', { section: 'Services' }) },
      { product: product('b') },
      { product: product('c', { section: 'Backup' }) },
      { product: product('d', { section: 'Services' }) },
      { product: product('e', { section: '  ' }) },
    ];
    const zone = loadTemplate(templateInput([{ id: 'x', kind: 'block-area', owner: 'vendor', lock: 'locked', rect: AREA, style: { font: 'lato', bold: 'lato-bold', color: 'ink', muted: 'navy', accent: 'blue', headingColor: 'ink' }, entries } as ZoneInput])).pages[0]!.zones[0]!;
    if (zone.kind !== 'block-area') throw new Error('not a bundle area');
    expect(sectionsOf(zone.entries).map((s) => [s.title, s.entries.map((e) => e.product.id)])).toEqual([
      [undefined, ['b', 'e']],
      ['Services', ['a', 'd']],
      ['Backup', ['c']],
    ]);
    const c = sheet(entries);
    const headings = c.pages.flatMap((p) => p.zones.flatMap((z) => z.items)).filter((i) => i.type === 'text' && i.zoneId === 'offer' && i.layout.size === 13);
    expect(headings.map(textOf)).toEqual(['Services', 'Backup']);
  });

  it('one frame: no continuation page, blocks inside the zone, the same item objects for every partner', () => {
    const c = sheet(many(2));
    expect(c.pages).toHaveLength(1);
    const a = run(c);
    const b = run(c, { company: 'Someone Else' });
    const area = (items: PlanItem[]) => items.filter((i) => i.zoneId === 'offer');
    expect(area(a.plan.pages[0]!.items).length).toBeGreaterThan(0);
    area(a.plan.pages[0]!.items).forEach((item, i) => expect(item).toBe(area(b.plan.pages[0]!.items)[i]));
    for (const card of cards(a.plan.pages[0]!.items)) expect(inside(card.rect, AREA)).toBe(true);
    expect(area(a.plan.pages[0]!.items).every((i) => i.static)).toBe(true);
  });

  it('continues on pages inserted after the zone’s page, each with the page background and the repeated zones (the same compiled objects), in page order', () => {
    const c = sheet(many(14, (i) => (i < 9 ? 'Backup' : 'Services')), {}, [{ background: 'pale', zones: [{ id: 'back', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(40, 40, 300, 30), text: 'Back page', style: textStyle() }] }]);
    const conts = c.pages.filter((p) => p.continuationOf !== undefined);
    expect(conts.length).toBeGreaterThanOrEqual(2);
    // Page 0, its continuations, then template page 1.
    expect(c.pages.map((p) => p.continuationOf)).toEqual([undefined, ...conts.map(() => 0), undefined]);
    expect(c.pages.at(-1)!.zones.map((z) => z.zone.id)).toEqual(['back']);
    const [band, , area, footer] = c.pages[0]!.zones;
    for (const p of conts) {
      expect(p.background).toBe(c.pages[0]!.background);
      expect(p.zones.map((z) => z.zone.id)).toEqual(['band', 'offer', 'footer']);
      expect(p.zones[0]).toBe(band);
      expect(p.zones[2]).toBe(footer);
      expect(p.zones[1]!.zone).toBe(area!.zone);
      expect(p.zones[1]!.findings).toEqual([]);
    }

    const r = run(c);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.plan.pages).toHaveLength(c.pages.length);
    expect(r.plan.pages.map((p) => p.continuationOf)).toEqual(c.pages.map((p) => p.continuationOf));
    const names = r.plan.pages.flatMap((p) => p.items.filter((i) => i.zoneId === 'offer').map(textOf)).filter((t) => t.startsWith('Product '));
    expect(names).toEqual(Array.from({ length: 14 }, (_, i) => `Product p${i}`));
    r.plan.pages.forEach((page, i) => {
      if (i === r.plan.pages.length - 1) return; // the back page
      const frame = page.continuationOf === undefined ? AREA : NEXT;
      expect(cards(page.items).length).toBeGreaterThan(0);
      for (const card of cards(page.items)) expect(inside(card.rect, frame), `page ${i + 1}`).toBe(true);
      for (const item of page.items.filter((x) => x.zoneId === 'offer' && x.type === 'text')) {
        if (item.type === 'text') expect(item.origin.y + item.layout.height).toBeLessThanOrEqual(frame.y + frame.h + 1e-6);
      }
      // The repeated zones are drawn on every page of the area.
      expect(new Set(page.items.map((x) => x.zoneId))).toEqual(new Set(i === 0 ? ['band', 'title', 'offer', 'footer'] : ['band', 'offer', 'footer']));
    });
  });

  it('never leaves a heading alone at the bottom of a frame: a heading always has a block below it on its page', () => {
    for (const n of [5, 7, 9, 11, 13]) {
      const c = sheet(many(n, (i) => `Section ${Math.floor(i / 3)}`));
      const r = run(c);
      for (const page of r.plan.pages) {
        const headings = page.items.filter((i) => i.type === 'text' && i.zoneId === 'offer' && i.layout.size === 13);
        for (const h of headings) {
          if (h.type !== 'text') continue;
          expect(cards(page.items).some((card) => card.rect.y > h.origin.y), `n=${n} "${textOf(h)}"`).toBe(true);
        }
      }
    }
  });

  it('list layout: one full-width column; grid: the columns, evenly spaced', () => {
    const list = run(sheet(many(4), { layout: 'list', columns: 3 }));
    const listCards = list.plan.pages.flatMap((p) => cards(p.items));
    expect(new Set(listCards.map((c) => c.rect.x))).toEqual(new Set([AREA.x]));
    expect(listCards.every((c) => c.rect.w === AREA.w)).toBe(true);
    const grid = run(sheet(many(4), { layout: 'grid', columns: 2, gap: 10 }));
    const first = cards(grid.plan.pages[0]!.items);
    const w = (AREA.w - 10) / 2;
    expect([...new Set(first.map((c) => c.rect.x))].sort((a, b) => a - b)).toEqual([AREA.x, AREA.x + w + 10]);
    expect(first.every((c) => Math.abs(c.rect.w - w) < 1e-9)).toBe(true);
    // A list takes more pages than a grid for the same blocks.
    expect(list.plan.pages.length).toBeGreaterThan(grid.plan.pages.length);
  });

  it('a locked block given another price keeps its published one, with one error naming the product, however many pages', () => {
    const entries = [...many(10), { product: product('locked-one', { name: 'Vault Box' }), price: { kind: 'on-request' } }];
    const r = run(sheet(entries));
    expect(r.plan.pages.length).toBeGreaterThan(1);
    const locked = r.findings.filter((f) => f.code === 'field-not-editable');
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({ severity: 'error', zoneId: 'offer', measured: 'locked-one' });
    expect(locked[0]!.message).toContain('"Vault Box" is locked by its publisher');
    const texts = r.plan.pages.flatMap((p) => p.items.map(textOf));
    expect(texts).toContain('$10.00 per user / month');
    expect(texts).not.toContain('Price on request');
    // An unlocked block takes the sheet's price.
    const open = run(sheet([{ product: product('open', { locked: false }), price: { kind: 'on-request' } }]));
    expect(open.findings.filter((f) => f.code === 'field-not-editable')).toEqual([]);
    expect(open.plan.pages.flatMap((p) => p.items.map(textOf))).toContain('Price on request');
  });

  it('a block taller than any frame is not drawn: an error names it and the height it needs', () => {
    const long = product('essay', { name: 'Very long product', copy: 'word '.repeat(119).trim() });
    const r = run(sheet([{ product: product('short') }, { product: long }], { columns: 4, continuation: rect(40, 60, 520, 200) }));
    const tall = r.findings.filter((f) => f.code === 'block-too-tall');
    expect(tall).toHaveLength(1);
    expect(tall[0]).toMatchObject({ severity: 'error', zoneId: 'offer', unit: 'pt', required: 220 });
    expect(tall[0]!.message).toMatch(/^"Very long product" needs [\d.]+ pt of height, more than a page of the bundle area "Offer" holds \(220 pt\)/);
    expect(Number(tall[0]!.measured)).toBeGreaterThan(220);
    const texts = r.plan.pages.flatMap((p) => p.items.map(textOf));
    expect(texts).not.toContain('Very long product');
    // Its neighbour in the row still flows.
    expect(texts).toContain('Product short');
    expect(r.plan.pages).toHaveLength(1);
  });

  it('blocks beyond maxPages are reported by name, not drawn', () => {
    const r = run(sheet(many(30), { maxPages: 1 }));
    expect(r.plan.pages).toHaveLength(2);
    const over = r.findings.filter((f) => f.code === 'block-area-overflow');
    expect(over.length).toBeGreaterThan(0);
    expect(over[0]!.message).toMatch(/^"Product p\d+" does not fit: the bundle area "Offer" continues on at most 1 page$/);
    const drawn = r.plan.pages.flatMap((p) => p.items.map(textOf)).filter((t) => t.startsWith('Product ')).length;
    expect(drawn + over.length).toBe(30);
  });

  it('a bundle area hidden from a partner takes its continuation pages with it', () => {
    const c = sheet(many(14), { visibleWhen: { equals: { attr: 'tier', value: 'gold' } } });
    expect(run(c, { tier: 'gold' }).plan.pages.length).toBeGreaterThan(1);
    const hidden = run(c, { tier: 'silver' });
    expect(hidden.plan.pages).toHaveLength(1);
    expect(hidden.plan.pages[0]!.items.some((i) => i.zoneId === 'offer')).toBe(false);
  });

  it('clear space is checked within a page: blocks on a continuation page do not intrude on a logo of the first page', () => {
    const c = sheet(many(14), { continuation: rect(40, 10, 520, 350), repeat: ['footer'] }, []);
    const withLogo = compileTemplate(
      loadTemplate(
        templateInput([], {
          pages: [{ zones: [{ id: 'logo', kind: 'vendor-logo', owner: 'vendor', lock: 'locked', rect: rect(40, 10, 150, 50) } as ZoneInput, ...c.template.pages[0]!.zones.filter((z) => z.id !== 'band')] }],
        }),
      ),
      brand,
      resources,
    );
    const r = run(withLogo);
    expect(r.plan.pages.length).toBeGreaterThan(1);
    expect(r.findings.filter((f) => f.code === 'logo-clear-space')).toEqual([]);
  });

  it('refuses styles naming fonts or colours the brand does not have, with the JSON path', () => {
    expect(() => sheet(many(1), { style: { font: 'nope', bold: 'lato-bold', color: 'ink', muted: 'navy', accent: 'blue', headingColor: 'ink' } })).toThrow(/pages\[0\]\.zones\[2\]\.style\.font/);
    expect(() => sheet(many(1), { style: { font: 'lato', bold: 'lato-bold', color: 'ink', muted: 'hot-pink', accent: 'blue', headingColor: 'ink' } })).toThrow(/pages\[0\]\.zones\[2\]\.style\.muted/);
  });

  it('flags text that does not read on the cards', () => {
    const r = run(sheet(many(1), { style: { font: 'lato', bold: 'lato-bold', color: 'pale', muted: 'navy', accent: 'blue', card: 'white', headingColor: 'ink' } }));
    expect(r.findings.filter((f) => f.code === 'text-contrast-low').map((f) => f.message)).toEqual([expect.stringMatching(/^Product text in "Offer" \(#CCCCCC on #FFFFFF\)/)]);
  });
});

describe('plan pages and template pages', () => {
  const pages = [{}, { continuationOf: 0 }, { continuationOf: 0 }, {}, { continuationOf: 3 as number | undefined }];
  it('maps plan pages to the template page they show, and back', () => {
    expect([0, 1, 2, 3, 4].map((i) => templatePageOf(pages, i))).toEqual([
      { page: 0, continuation: false },
      { page: 0, continuation: true },
      { page: 0, continuation: true },
      { page: 1, continuation: false },
      { page: 3, continuation: true },
    ]);
    expect([0, 1].map((p) => planPageOf(pages, p))).toEqual([0, 3]);
    expect(planPageOf([{}], 0)).toBe(0);
  });

  it('a continuation page shows the bundle area and the zones it repeats, nothing else', () => {
    const c = sheet(many(14));
    const plan = run(c).plan;
    expect(zonesOnPlanPage(c.template, plan.pages, 0).map((z) => z.id)).toEqual(['band', 'title', 'offer', 'footer']);
    expect(zonesOnPlanPage(c.template, plan.pages, 1).map((z) => z.id)).toEqual(['band', 'offer', 'footer']);
  });
});
