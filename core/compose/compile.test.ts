import { beforeAll, describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { loadBrand, loadTemplate, type Brand, type TemplateInput } from '../model/index.ts';
import { loadFont } from '../../test/core-support/fonts.ts';
import { brandInput, rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { makeResources, solidImage } from '../../test/core-support/resources.ts';
import { compileTemplate, fontChoice, paletteOf, pickBrandLogo, resolveColor, textLayoutStyle, type Resources } from './compile.ts';

type ZoneInput = TemplateInput['pages'][number]['zones'][number];

let brand: Brand;
let resources: Resources;

beforeAll(async () => {
  const input = brandInput();
  input.fonts = [
    ...input.fonts,
    { id: 'noto-arabic-bold', family: 'Noto Sans Arabic', weight: 700, file: 'NotoSansArabic-Bold.ttf', licence: 'OFL' },
  ];
  input.fallbackFonts = [{ script: 'Arabic', fonts: ['noto-arabic', 'noto-arabic-bold'] }];
  brand = loadBrand(input);
  resources = makeResources(
    {
      lato: loadFont('lato-regular', 'lato'),
      'lato-bold': loadFont('lato-bold', 'lato-bold'),
      'noto-arabic': loadFont('noto-arabic-regular', 'noto-arabic'),
      'noto-arabic-bold': loadFont('noto-arabic-bold', 'noto-arabic-bold'),
    },
    {
      'vendor-light': await solidImage('vendor-light', 60, 20),
      'vendor-dark': await solidImage('vendor-dark', 60, 20),
      photo: await solidImage('photo', 40, 40),
    },
  );
});

const compileZones = (zones: ZoneInput[], over: Partial<TemplateInput> = {}) => compileTemplate(loadTemplate(templateInput(zones, over)), brand, resources);
const block = (id: string, fill: string, zr: ReturnType<typeof rect>, over: Record<string, unknown> = {}): ZoneInput =>
  ({ id, kind: 'color-block', owner: 'vendor', lock: 'locked', rect: zr, fill, ...over }) as ZoneInput;
const text = (id: string, zr: ReturnType<typeof rect>, over: Record<string, unknown> = {}): ZoneInput =>
  ({ id, kind: 'static-text', owner: 'vendor', lock: 'locked', rect: zr, text: 'Hi', style: textStyle(), ...over }) as ZoneInput;

describe('colours', () => {
  it('paletteOf maps ids to rgb, cmyk and the palette id', () => {
    expect(paletteOf(brand).get('navy')).toEqual({ rgb: [11, 31, 68], cmyk: [100, 82, 0, 66], paletteId: 'navy' });
  });

  it('resolveColor: palette ids, literal #RRGGBB, and refusals naming the path', () => {
    const palette = paletteOf(brand);
    expect(resolveColor('white', palette, [])).toMatchObject({ paletteId: 'white' });
    expect(resolveColor('#00ff80', palette, [])).toEqual({ rgb: [0, 255, 128] });
    for (const bad of ['00ff80', '#GG0000', 'teal', '#12345']) {
      try {
        resolveColor(bad, palette, ['pages', 0, 'zones', 3, 'fill']);
        expect.unreachable();
      } catch (err) {
        expect((err as LockupError).code).toBe('template-invalid');
        expect((err as LockupError).message).toContain('pages[0].zones[3].fill');
      }
    }
  });
});

describe('backdrops', () => {
  it('the topmost visible block under the zone centre, else the page background, else white', () => {
    const c = compileZones([block('a', 'navy', rect(0, 0, 100, 100)), block('b', 'blue', rect(50, 0, 100, 100)), text('t1', rect(60, 10, 20, 20)), text('t2', rect(10, 10, 20, 20)), text('t3', rect(300, 300, 20, 20))]);
    const z = c.pages[0]!.zones;
    expect(z[2]!.backdrop).toEqual({ rgb: [0x0b, 0x5f, 0xff], source: 'b' });
    expect(z[3]!.backdrop).toEqual({ rgb: [0x0b, 0x1f, 0x44], source: 'a' });
    expect(z[4]!.backdrop).toEqual({ rgb: [255, 255, 255], source: 'page' });
    const bg = compileZones([], { pages: [{ background: 'navy', zones: [text('t', rect(0, 0, 10, 10))] }] });
    expect(bg.pages[0]!.zones[0]!.backdrop).toEqual({ rgb: [0x0b, 0x1f, 0x44], source: 'page' });
  });

  it('an ellipse only counts inside the ellipse', () => {
    const c = compileZones([block('dot', 'navy', rect(0, 0, 100, 100), { shape: 'ellipse' }), text('corner', rect(0, 0, 20, 20)), text('middle', rect(40, 40, 20, 20))]);
    expect(c.pages[0]!.zones[1]!.backdrop.source).toBe('page');
    expect(c.pages[0]!.zones[2]!.backdrop.source).toBe('dot');
  });

  it('an image counts with its declared tone, or as unknown without one', () => {
    const c = compileZones([
      { id: 'toned', kind: 'image', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 100, 100), asset: 'photo', tone: 'navy' } as ZoneInput,
      text('a', rect(10, 10, 20, 20)),
      { id: 'raw', kind: 'image', owner: 'vendor', lock: 'locked', rect: rect(200, 0, 100, 100), asset: 'photo' } as ZoneInput,
      text('b', rect(210, 10, 20, 20)),
    ]);
    expect(c.pages[0]!.zones[1]!.backdrop).toEqual({ rgb: [0x0b, 0x1f, 0x44], source: 'toned' });
    expect(c.pages[0]!.zones[3]!.backdrop).toEqual({ rgb: undefined, source: 'raw' });
  });
});

describe('compiled zones', () => {
  it('an image zone is placed by its fit and clipped when it covers', () => {
    const c = compileZones([{ id: 'p', kind: 'image', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 100, 50), asset: 'photo', fit: 'cover' } as ZoneInput]);
    const item = c.pages[0]!.zones[0]!.items[0]!;
    expect(item).toMatchObject({ type: 'image', static: true, place: { x: 0, y: -25, w: 100, h: 100 }, clip: { x: 0, y: 0, w: 100, h: 50 } });
  });

  it('static text is laid out once, with the zone origin and no fallbacks', () => {
    const c = compileZones([text('t', rect(5, 6, 200, 40), { text: 'Hello' })]);
    const item = c.pages[0]!.zones[0]!.items[0]!;
    expect(item.type).toBe('text');
    if (item.type === 'text') {
      expect(item.origin).toEqual({ x: 5, y: 6 });
      expect(item.layout.lines[0]!.text).toBe('Hello');
      expect(item.static).toBe(true);
    }
  });

  it('fields are indexed by key', () => {
    const c = compileZones([], { fields: [{ key: 'phone', label: 'Phone' }], pages: [{ zones: [] }] });
    expect(c.fields.get('phone')).toMatchObject({ label: 'Phone', required: false });
  });

  it('partner-text zones are validated against the brand at compile time', () => {
    const pt = (over: Record<string, unknown>) =>
      ({ id: 'p', kind: 'partner-text', owner: 'partner', lock: 'editable', rect: rect(0, 0, 10, 10), content: 'x', style: textStyle(), ...over }) as ZoneInput;
    expect(() => compileZones([pt({ fonts: ['lato-bold', 'papyrus'] })])).toThrow(/pages\[0\]\.zones\[0\]\.fonts\[1\]: the brand has no font "papyrus"/);
    expect(() => compileZones([pt({ style: textStyle({ color: 'nope' }) })])).toThrow(/pages\[0\]\.zones\[0\]\.style\.color/);
  });
});

describe('pickBrandLogo', () => {
  it('auto chooses by backdrop darkness; explicit ids are looked up', () => {
    expect(pickBrandLogo(brand, 'auto', { rgb: [255, 255, 255], source: 'page' }).id).toBe('on-light');
    expect(pickBrandLogo(brand, 'auto', { rgb: [0, 0, 0], source: 'x' }).id).toBe('on-dark');
    expect(pickBrandLogo(brand, 'auto', { rgb: undefined, source: 'img' }).id).toBe('on-light');
    expect(pickBrandLogo(brand, 'on-dark', { rgb: [255, 255, 255], source: 'page' }).id).toBe('on-dark');
    expect(() => pickBrandLogo(brand, 'nope', { rgb: undefined, source: '' })).toThrow(LockupError);
  });

  it('falls back to the first logo when no variant suits the backdrop', () => {
    const lightOnly = loadBrand(brandInput({ logos: [{ id: 'only', name: 'Only', file: 'x', background: 'light' }] }));
    expect(pickBrandLogo(lightOnly, 'auto', { rgb: [0, 0, 0], source: '' }).id).toBe('only');
  });
});

describe('fontChoice', () => {
  it('without fallbacks there are none', () => {
    expect(fontChoice({ brand, resources }, 'lato', false).fallbacks('Arabic')).toEqual([]);
  });

  it('fallbacks for a script are ordered by closeness of weight to the primary font', () => {
    const regular = fontChoice({ brand, resources }, 'lato', true);
    expect(regular.primary.id).toBe('lato');
    expect(regular.fallbacks('Arabic').map((f) => f.id)).toEqual(['noto-arabic', 'noto-arabic-bold']);
    const bold = fontChoice({ brand, resources }, 'lato-bold', true);
    expect(bold.fallbacks('Arabic').map((f) => f.id)).toEqual(['noto-arabic-bold', 'noto-arabic']);
    expect(bold.fallbacks('Hebrew')).toEqual([]);
    // Cached per script.
    expect(bold.fallbacks('Arabic')).toBe(bold.fallbacks('Arabic'));
  });

  it('textLayoutStyle copies the layout-relevant style fields', () => {
    const t = loadTemplate(templateInput([text('t', rect(0, 0, 10, 10), { style: textStyle({ letterSpacing: 50, transform: 'uppercase' }) })]));
    const z = t.pages[0]!.zones[0]!;
    if (z.kind !== 'static-text') throw new Error('static text expected');
    expect(textLayoutStyle(z.style)).toEqual({ size: 12, lineHeight: 1.2, align: 'left', valign: 'top', letterSpacing: 50, transform: 'uppercase', paragraphSpacing: 0 });
  });
});
