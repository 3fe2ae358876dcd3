import { describe, expect, it } from 'vitest';
import { loadBrand, loadTemplate, type BlockAreaZone, type Template } from '../model/index.ts';
import type { ProductBlockInput } from '../model/product.ts';
import { contrastRatio, parseHex } from '../util/color.ts';
import { brandUsage } from '../vendor/usage.ts';
import { brandInput, rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { addZone, changeZoneKind, deleteZone, duplicateZone, locateZone, nudgeZone, setZoneRect, updateZone, type DesignResult } from './commands.ts';
import { renderableDraft } from './renderable.ts';
import { brandIssues } from './validate.ts';
import { allowedLocks, allowedOwners, blockAreaIssues, blockColors, createZone, idList, withOffered, withRepeat, ZONE_KIND_LABELS, ZONE_KINDS, zoneIdBase, type DesignKit } from './zones.ts';

/** The designer's side of bundle areas: the tool, defaults, the model's rules kept by commands, and the inspector's helpers. */

const brand = brandInput();
const KIT: DesignKit = { fonts: brand.fonts.map((f) => ({ id: f.id, weight: f.weight ?? 400, style: f.style ?? 'normal' })), palette: brand.palette };

function ok(r: DesignResult): { template: Template; zoneId?: string } {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
}

function areaOf(t: Template, id: string): BlockAreaZone {
  const z = locateZone(t, id)!.zone;
  if (z.kind !== 'block-area') throw new Error(`${id} is a ${z.kind}`);
  return z;
}

function base(): Template {
  return loadTemplate(
    templateInput(
      [
        { id: 'band', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 600, 40), fill: 'navy' },
        { id: 'title', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(20, 50, 300, 30), text: 'Offer', style: textStyle() },
      ],
      { page: { size: { width: 600, height: 800 }, bleed: 9 } },
    ),
  );
}

const product = (id: string, over: Partial<ProductBlockInput> = {}) => ({ format: 'lockup.product' as const, formatVersion: 1 as const, id, publisher: 'acme', owner: 'vendor' as const, name: `Product ${id}`, sku: '', copy: '', locked: true, price: { kind: 'on-request' as const }, ...over });

describe('bundle areas in the designer', () => {
  it('is offered as "Bundle area" before the form field, with ids "bundle…", owned by a distributor or the vendor, always locked', () => {
    expect(ZONE_KINDS).toContain('block-area');
    expect(ZONE_KINDS.at(-1)).toBe('form-field');
    expect(ZONE_KIND_LABELS['block-area']).toBe('Bundle area');
    expect(zoneIdBase('block-area')).toBe('bundle');
    expect(allowedOwners('block-area')).toEqual(['distributor', 'vendor']);
    expect(allowedLocks('block-area')).toEqual(['locked']);
  });

  it('a new bundle area is valid: a distributor’s 2-column grid, any of the vendor’s products and its own, in the brand’s fonts, with text that reads on its cards', () => {
    const r = ok(addZone(base(), 0, 'block-area', rect(20, 100, 560, 500), KIT));
    expect(r.zoneId).toBe('bundle');
    const z = areaOf(r.template, 'bundle');
    expect(z).toMatchObject({ name: 'Bundle area', owner: 'distributor', lock: 'locked', offered: [], allowOwn: true, layout: 'grid', columns: 2, gap: 12, repeat: [], maxPages: 10, entries: [] });
    expect(z.style).toMatchObject({ font: 'lato', bold: 'lato-bold', color: 'ink', card: 'pale' });
    const hex = (id: string) => parseHex(brand.palette.find((p) => p.id === id)!.hex)!;
    for (const c of [z.style.color, z.style.muted, z.style.accent]) expect(contrastRatio(hex(c), hex(z.style.card!))).toBeGreaterThanOrEqual(4.5);
    expect(() => loadTemplate(r.template)).not.toThrow();
    expect(brandIssues(r.template, loadBrand(brand), () => true)).toEqual([]);
    expect(ok(addZone(r.template, 0, 'block-area', rect(20, 100, 200, 200), KIT)).zoneId).toBe('bundle-2');
  });

  it('muted and accent colours are picked for the card: the most neutral and the most saturated colours that read on it', () => {
    // On the pale card the brand blue reads at 3.5:1 only: navy is the most saturated colour that reads.
    expect(blockColors(KIT, 'pale')).toEqual({ text: 'ink', muted: 'navy', accent: 'navy' });
    expect(blockColors(KIT, 'white')).toEqual({ text: 'ink', muted: 'navy', accent: 'blue' });
    expect(blockColors({ fonts: [], palette: [{ id: 'black', hex: '#000000' }, { id: 'white', hex: '#FFFFFF' }] }, 'white')).toEqual({ text: 'black', muted: 'black', accent: 'black' });
  });

  it('moves and resizes like any zone, kept on the page; deleting it removes it', () => {
    const t = ok(addZone(base(), 0, 'block-area', rect(20, 100, 560, 500), KIT)).template;
    const moved = ok(setZoneRect(t, 'bundle', rect(30, 120, 560, 500), 'move')).template;
    expect(areaOf(moved, 'bundle').rect).toEqual(rect(30, 120, 560, 500));
    const resized = ok(setZoneRect(moved, 'bundle', rect(30, 120, 900, 300), 'resize')).template;
    expect(areaOf(resized, 'bundle').rect).toEqual(rect(30, 120, 579, 300));
    expect(areaOf(ok(nudgeZone(resized, 'bundle', -5, 10)).template, 'bundle').rect).toEqual(rect(25, 130, 579, 300));
    expect(locateZone(ok(deleteZone(resized, 'bundle')).template, 'bundle')).toBeUndefined();
  });

  it('commands keep it locked and never the partner’s; a kind change keeps id, name and rectangle; a duplicate on the same page is refused by the model', () => {
    const t = ok(addZone(base(), 0, 'block-area', rect(20, 100, 560, 500), KIT)).template;
    const forced = ok(updateZone(t, 'bundle', (z) => ({ ...z, owner: 'partner', lock: 'editable' }))).template;
    expect(areaOf(forced, 'bundle')).toMatchObject({ owner: 'distributor', lock: 'locked' });
    const vendor = ok(updateZone(t, 'bundle', (z) => ({ ...z, owner: 'vendor' }))).template;
    expect(areaOf(vendor, 'bundle').owner).toBe('vendor');

    const turned = ok(changeZoneKind(base(), 'title', 'block-area', KIT)).template;
    expect(areaOf(turned, 'title')).toMatchObject({ owner: 'distributor', lock: 'locked', rect: rect(20, 50, 300, 30) });
    expect(() => loadTemplate(turned)).not.toThrow();

    const d = ok(duplicateZone(t, 'bundle'));
    expect(() => loadTemplate(d.template)).toThrow(/a page holds at most one bundle area/);
  });
});

describe('the inspector’s bundle-area helpers', () => {
  const withArea = (over: Partial<BlockAreaZone> = {}) => {
    const t = ok(addZone(base(), 0, 'block-area', rect(20, 100, 560, 500), KIT)).template;
    return ok(updateZone(t, 'bundle', (z) => ({ ...z, ...over }) as BlockAreaZone)).template;
  };

  it('reads a typed list of ids', () => {
    expect(idList(' a, b  c;d\ne, a ')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(idList('')).toEqual([]);
  });

  it('sets the offered products, refusing a malformed id or one that would leave a placed product unoffered, with the model’s message', () => {
    const t = withArea({ entries: [{ product: product('vault') }] });
    const z = areaOf(t, 'bundle');
    expect(withOffered(t, z, ['vault', 'box'])).toMatchObject({ offered: ['vault', 'box'] });
    expect(withOffered(t, z, [])).toMatchObject({ offered: [] });
    expect(withOffered(t, z, ['Vault'])).toEqual({ issue: '"Vault" is not a product id: it must be lower-case letters, digits, ".", "_" or "-"' });
    expect(withOffered(t, z, ['box'])).toEqual({ issue: '"Product vault" (vault) is not one of the products this bundle area offers' });
  });

  it('sets the repeated zones, refusing one that is not another zone of the page', () => {
    const t = withArea();
    const z = areaOf(t, 'bundle');
    expect(withRepeat(t, z, ['band', 'title'])).toMatchObject({ repeat: ['band', 'title'] });
    expect(withRepeat(t, z, ['nowhere'])).toEqual({ issue: '"nowhere" is not another zone of this page' });
    expect(blockAreaIssues(t, { ...z, repeat: ['bundle'], offered: ['x', 'x'] })).toEqual(
      new Map([
        ['repeat.0', 'a bundle area does not repeat itself: it continues on its own'],
        ['offered.1', '"x" is offered twice'],
      ]),
    );
    expect(blockAreaIssues(t, z).size).toBe(0);
  });
});

describe('brand checks and usage of bundle areas', () => {
  it('name unknown fonts and colours and missing product pictures by JSON path', () => {
    const z = { ...(createZone('block-area', 'offer', rect(20, 20, 560, 300), KIT) as BlockAreaZone), entries: [{ product: product('vault', { image: 'sha256:missing' }) }] };
    const bad = { ...z, style: { ...z.style, bold: 'lato-black', headingColor: 'teal' } };
    const t = loadTemplate(templateInput([bad]));
    expect(brandIssues(t, loadBrand(brand), (ref) => ref !== 'sha256:missing').map((i) => `${i.path}: ${i.message}`)).toEqual([
      'pages[0].zones[0].style.bold: the brand has no font "lato-black"',
      'pages[0].zones[0].style.headingColor: "teal" is neither a acme palette colour nor "#RRGGBB"',
      'pages[0].zones[0].entries[0].product.image: the picture of "Product vault" (sha256:missing) is not in the catalogue',
    ]);
  });

  it('the fonts and palette colours a bundle area uses count as used by its template', () => {
    const t = loadTemplate(templateInput([createZone('block-area', 'offer', rect(20, 100, 560, 300), KIT)]));
    const usage = brandUsage([t]);
    expect(Object.keys(usage.fonts).sort()).toEqual(['lato', 'lato-bold']);
    expect(Object.keys(usage.palette).sort()).toEqual(['ink', 'navy', 'pale']);
  });
});

describe('drawing a draft with a bundle area', () => {
  it('keeps the area with the repeated zones the page keeps; a second area on the page is left out', () => {
    const t = ok(addZone(base(), 0, 'block-area', rect(20, 100, 560, 250), KIT)).template;
    const area = { ...areaOf(t, 'bundle'), repeat: ['band', 'title', 'ghost'] };
    const broken = { id: 'title', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(20, 50, 300, 30), text: 'Offer', style: { ...textStyle(), font: 'nope' } };
    const raw = { ...t, pages: [{ zones: [t.pages[0]!.zones[0]!, broken, area, { ...area, id: 'bundle-2' }] }] };
    const r = renderableDraft(raw, { ...loadBrand(brand), id: 'acme' }, () => true);
    expect(r.dropped).toEqual(['title', 'bundle-2']);
    expect(r.template?.pages[0]!.zones.map((z) => z.id)).toEqual(['band', 'bundle']);
    expect(areaOf(r.template!, 'bundle').repeat).toEqual(['band']);
  });
});
