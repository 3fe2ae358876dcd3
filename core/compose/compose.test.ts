import { beforeAll, describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import type { PreparedImage } from '../images/prepare.ts';
import { loadBrand, loadDocument, loadProfile, loadTemplate, type Brand, type PartnerProfileInput, type TemplateInput } from '../model/index.ts';
import type { Finding } from '../rules/finding.ts';
import { loadFont } from '../../test/core-support/fonts.ts';
import { brandInput, documentInput, profileInput, rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { makeResources, prepareFixture, solidImage } from '../../test/core-support/resources.ts';
import { compileTemplate, type CompiledTemplate, type Resources } from './compile.ts';
import { compose, fieldValues, type OutputProfile } from './compose.ts';
import type { PlanItem } from './plan.ts';

type ZoneInput = TemplateInput['pages'][number]['zones'][number];

let brand: Brand;
let resources: Resources;
const images: Record<string, PreparedImage> = {};

/* WCAG 2.x relative luminance and contrast, written out here from the spec. */
const lin = (c8: number) => {
  const c = c8 / 255;
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
};
const lum = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
};
const wcag = (a: string, b: string) => {
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};
const r2 = (v: number) => Math.round(v * 100) / 100;
const ptToMm1 = (pt: number) => Math.round(((pt / 72) * 25.4) * 10) / 10;

beforeAll(async () => {
  const input = brandInput();
  input.palette = [...input.palette, { id: 'mid', name: 'Mid grey', hex: '#888888', cmyk: [0, 0, 0, 55] }];
  brand = loadBrand(input);
  images['vendor-light'] = await solidImage('vendor-light', 600, 200, [20, 60, 160]);
  images['vendor-dark'] = await solidImage('vendor-dark', 600, 200, [250, 250, 250]);
  images['plogo-light'] = await solidImage('plogo-light', 300, 100, [200, 30, 30]);
  images['plogo-dark'] = await solidImage('plogo-dark', 300, 100, [255, 255, 255]);
  images['dist-logo'] = await solidImage('dist-logo', 300, 100, [0, 120, 0]);
  images['photo'] = await solidImage('photo', 300, 200, [120, 120, 120]);
  images['vector'] = await prepareFixture('logo-vector.pdf', 'vector');
  resources = makeResources(
    { lato: loadFont('lato-regular', 'lato'), 'lato-bold': loadFont('lato-bold', 'lato-bold'), 'noto-arabic': loadFont('noto-arabic-regular', 'noto-arabic') },
    images,
  );
});

function compileZones(zones: ZoneInput[], over: Partial<TemplateInput> = {}, b: Brand = brand): CompiledTemplate {
  return compileTemplate(loadTemplate(templateInput(zones, over)), b, resources);
}

function run(c: CompiledTemplate, opts: { profile?: Partial<PartnerProfileInput>; doc?: Record<string, unknown>; output?: OutputProfile } = {}) {
  return compose(c, {
    profile: loadProfile(profileInput(opts.profile)),
    document: loadDocument(documentInput({ templateId: c.template.id, templateVersion: c.template.version, ...opts.doc })),
    output: opts.output ?? 'screen',
  });
}

const codes = (fs: Finding[]) => fs.map((f) => f.code);
const only = (fs: Finding[], code: Finding['code']) => fs.filter((f) => f.code === code);
const itemsOf = (r: { plan: { pages: { items: PlanItem[] }[] } }, page = 0) => r.plan.pages[page]!.items;
const zoneIds = (r: { plan: { pages: { items: PlanItem[] }[] } }) => itemsOf(r).map((i) => i.zoneId);

const partnerLogo = (id: string, zr: ReturnType<typeof rect>, over: Record<string, unknown> = {}): ZoneInput =>
  ({ id, kind: 'partner-logo', owner: 'partner', lock: 'editable', rect: zr, ...over }) as ZoneInput;
const staticText = (id: string, text: string, zr: ReturnType<typeof rect>, style: Record<string, unknown> = {}, over: Record<string, unknown> = {}): ZoneInput =>
  ({ id, kind: 'static-text', owner: 'vendor', lock: 'locked', rect: zr, text, style: textStyle(style), ...over }) as ZoneInput;
const partnerText = (id: string, content: string, zr: ReturnType<typeof rect>, over: Record<string, unknown> = {}): ZoneInput =>
  ({ id, kind: 'partner-text', owner: 'partner', lock: 'editable', rect: zr, content, style: textStyle(), ...over }) as ZoneInput;
const block = (id: string, fill: string, zr: ReturnType<typeof rect>, over: Record<string, unknown> = {}): ZoneInput =>
  ({ id, kind: 'color-block', owner: 'vendor', lock: 'locked', rect: zr, fill, ...over }) as ZoneInput;
const imageZone = (id: string, asset: string, zr: ReturnType<typeof rect>, over: Record<string, unknown> = {}): ZoneInput =>
  ({ id, kind: 'image', owner: 'vendor', lock: 'locked', rect: zr, asset, fit: 'contain', tone: 'white', ...over }) as ZoneInput;
const vendorLogo = (id: string, zr: ReturnType<typeof rect>, over: Record<string, unknown> = {}): ZoneInput =>
  ({ id, kind: 'vendor-logo', owner: 'vendor', lock: 'locked', rect: zr, ...over }) as ZoneInput;

const withLogo = { logo: { light: 'plogo-light', dark: 'plogo-dark' } };

describe('logo size', () => {
  it('logo-too-small reports the drawn and required width in mm', () => {
    // 300 × 100 px logo in a 40 × 20 pt slot with clear space 0.25 × logo height on each side.
    const c = compileZones([partnerLogo('plogo', rect(10, 10, 40, 20))]);
    const r = run(c, { profile: withLogo });
    const scale = Math.min(40 / (300 + 2 * 0.25 * 100), 20 / (100 * 1.5));
    const drawnW = 300 * scale;
    const f = only(r.findings, 'logo-too-small');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', zoneId: 'plogo', measured: ptToMm1(drawnW), required: 20, unit: 'mm' });
    expect(f[0]!.message).toBe(`Partner logo is drawn ${ptToMm1(drawnW)} mm wide; the minimum is 20 mm`);
    // The placed logo in the plan has that size.
    const item = itemsOf(r).find((i) => i.zoneId === 'plogo')!;
    expect(item.type === 'image' && item.place.w).toBeCloseTo(drawnW, 9);
  });

  it('a big enough slot passes; zone overrides (minHeight) apply', () => {
    const big = compileZones([partnerLogo('plogo', rect(0, 0, 300, 150))]);
    expect(only(run(big, { profile: withLogo }).findings, 'logo-too-small')).toEqual([]);
    const strict = compileZones([partnerLogo('plogo', rect(0, 0, 300, 150), { minHeight: '1in' })]);
    // Drawn height: 300 / (300 + 50) × 100 = 85.7 pt ≥ 72 pt, so it passes…
    expect(only(run(strict, { profile: withLogo }).findings, 'logo-too-small')).toEqual([]);
    const stricter = compileZones([partnerLogo('plogo', rect(0, 0, 300, 150), { minHeight: '40mm', name: 'Reseller logo' })]);
    const f = only(run(stricter, { profile: withLogo }).findings, 'logo-too-small');
    const h = (100 * 300) / 350;
    expect(f).toEqual([
      { code: 'logo-too-small', severity: 'error', zoneId: 'plogo', message: `Reseller logo is drawn ${ptToMm1(h)} mm high; the minimum is 40 mm`, measured: ptToMm1(h), required: 40, unit: 'mm' },
    ]);
  });

  it('vendor logos are checked too, with the brand rule severity', () => {
    const input = brandInput({ rules: { logoMinSize: { minWidth: '50mm', severity: 'warning' } } as never });
    const b = loadBrand(input);
    const c = compileZones([vendorLogo('vlogo', rect(0, 0, 120, 60))], {}, b);
    const f = only(run(c).findings, 'logo-too-small');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', zoneId: 'vlogo', required: 50 });
    expect(f[0]!.message).toContain('Vendor logo is drawn');
  });
});

describe('image resolution', () => {
  // A 300 × 200 px image placed (contain) in zones of the same aspect ratio: ppi = 300 / (w / 72).
  const cases: [number, OutputProfile, Partial<Finding> | undefined][] = [
    [300, 'screen', { severity: 'error', measured: 72, required: 96 }],
    [225, 'screen', { severity: 'warning', measured: 96, required: 150 }], // exactly 96: not an error, still below 150
    [150, 'screen', { severity: 'warning', measured: 144, required: 150 }],
    [144, 'screen', undefined], // 150 ppi
    [120, 'print', { severity: 'error', measured: 180, required: 300 }],
    [72, 'print', undefined], // exactly 300 ppi
  ];
  for (const [w, output, expected] of cases) {
    it(`${w} pt wide, ${output}: ${expected ? `${expected.severity} at ${expected.measured} ppi` : 'no finding'}`, () => {
      const c = compileZones([imageZone('photo', 'photo', rect(0, 0, w, (w * 2) / 3))]);
      const f = only(run(c, { output }).findings, 'image-resolution-low');
      if (!expected) expect(f).toEqual([]);
      else {
        expect(f).toHaveLength(1);
        expect(f[0]).toMatchObject({ ...expected, zoneId: 'photo', unit: 'ppi' });
        expect(f[0]!.message).toContain(`is ${expected.measured} ppi at its placed size (300 × 200 px`);
      }
    });
  }

  it('uses the lower of the horizontal and vertical resolution of the placed image (cover overscales)', () => {
    // Cover in a 150 × 50 box: scale max(150/300, 50/200) = 0.5 → placed 150 × 100 pt → 144 ppi.
    const c = compileZones([imageZone('photo', 'photo', rect(0, 0, 150, 50), { fit: 'cover' })]);
    expect(only(run(c).findings, 'image-resolution-low')[0]).toMatchObject({ measured: 144, severity: 'warning' });
  });

  it('vector images are never flagged', () => {
    const c = compileZones([imageZone('v', 'vector', rect(0, 0, 2000, 600))]);
    expect(only(run(c, { output: 'print' }).findings, 'image-resolution-low')).toEqual([]);
  });

  it('partner logos are checked on the output profile', () => {
    const c = compileZones([partnerLogo('plogo', rect(0, 0, 300, 150))]);
    const f = only(run(c, { profile: withLogo, output: 'print' }).findings, 'image-resolution-low');
    // Drawn 257.1 × 85.7 pt from 300 × 100 px → 84 ppi.
    expect(f[0]).toMatchObject({ zoneId: 'plogo', severity: 'error', measured: Math.round(300 / (((300 * 300) / 350) / 72)) });
  });
});

describe('logo clear space', () => {
  // Vendor logo 600 × 200 px in a 200 × 100 zone with fraction 0.25:
  // scale = min(200 / 700, 100 / 300) → logo 171.43 × 57.14, margin 14.29; clear box y ∈ [7.14, 92.86].
  it('a text zone whose ink reaches into the clear box is reported', () => {
    const c = compileZones([vendorLogo('vlogo', rect(0, 0, 200, 100)), staticText('tagline', 'Backup made simple', rect(10, 85, 180, 30))]);
    const f = only(run(c).findings, 'logo-clear-space');
    expect(f).toEqual([
      {
        code: 'logo-clear-space',
        severity: 'error',
        zoneId: 'vlogo',
        message: '"tagline" intrudes into the clear space around the logo in "vlogo"',
        measured: 'tagline',
        required: 'clear space of 0.25 × logo height',
      },
    ]);
    expect(c.pages[0]!.zones[0]!.clear!.y + c.pages[0]!.zones[0]!.clear!.h).toBeCloseTo(7.142857 + 85.714286, 5);
  });

  it('text below the clear box, or a text zone whose box overlaps but whose ink does not, is fine', () => {
    const below = compileZones([vendorLogo('vlogo', rect(0, 0, 200, 100)), staticText('tagline', 'Backup made simple', rect(10, 95, 180, 30))]);
    expect(only(run(below).findings, 'logo-clear-space')).toEqual([]);
    // The zone box starts at y = 60 (inside the clear box) but the text sits at its bottom.
    const bottom = compileZones([vendorLogo('vlogo', rect(0, 0, 200, 100)), staticText('tagline', 'Backup', rect(10, 60, 180, 60), { valign: 'bottom' })]);
    expect(only(run(bottom).findings, 'logo-clear-space')).toEqual([]);
  });

  it('partner text and partner logos intrude too; the logo never intrudes on itself', () => {
    // Partner logo 300 × 100 px in (180, 0, 150, 100): scale 150 / 350 → drawn at x 190.7–319.3, y 28.6–71.4,
    // clear box x 180–330; the vendor logo is drawn at x 14.3–185.7 with its clear box reaching x = 200.
    // The partner text starts at x = 150, y = 40, inside both clear boxes.
    const c = compileZones(
      [vendorLogo('vlogo', rect(0, 0, 200, 100)), partnerText('name', '{company}', rect(150, 40, 200, 30)), partnerLogo('plogo', rect(180, 0, 150, 100))],
      { fields: [{ key: 'company', label: 'Company' }] },
    );
    const f = only(run(c, { profile: withLogo }).findings, 'logo-clear-space');
    expect(f.map((x) => `${x.zoneId}<-${x.measured}`).sort()).toEqual(['plogo<-name', 'plogo<-vlogo', 'vlogo<-name', 'vlogo<-plogo'].sort());
  });

  it('uses the brand rule severity', () => {
    const b = loadBrand(brandInput({ rules: { logoClearSpace: { fraction: 0.25, severity: 'warning' } } as never }));
    const c = compileZones([vendorLogo('vlogo', rect(0, 0, 200, 100)), staticText('tagline', 'Backup made simple', rect(10, 85, 180, 30))], {}, b);
    expect(only(run(c).findings, 'logo-clear-space')[0]!.severity).toBe('warning');
  });
});

describe('text contrast', () => {
  it('light grey on white: text-contrast-low with the WCAG ratio', () => {
    const c = compileZones([staticText('t', 'Hello', rect(0, 0, 200, 40), { color: 'pale' })]);
    const f = only(run(c).findings, 'text-contrast-low');
    const ratio = wcag('#CCCCCC', '#FFFFFF');
    expect(ratio).toBeGreaterThan(1.6);
    expect(ratio).toBeLessThan(1.62);
    expect(f).toEqual([
      {
        code: 'text-contrast-low',
        severity: 'error',
        zoneId: 't',
        message: `Text in "t" (#CCCCCC on #FFFFFF) has a contrast ratio of ${r2(ratio)}:1; at least 4.5:1 is required`,
        measured: r2(ratio),
        required: 4.5,
        unit: ':1',
      },
    ]);
  });

  it('large text (18 pt, or 14 pt bold) needs only 3:1', () => {
    const ratio = wcag('#888888', '#FFFFFF');
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(4.5);
    const at = (size: number, font = 'lato') => only(run(compileZones([staticText('t', 'Hi', rect(0, 0, 300, 80), { color: 'mid', size, font })])).findings, 'text-contrast-low');
    expect(at(18)).toEqual([]);
    expect(at(17.5)).toHaveLength(1);
    expect(at(17.5)[0]).toMatchObject({ required: 4.5, measured: r2(ratio) });
    expect(at(14, 'lato-bold')).toEqual([]);
    expect(at(13.5, 'lato-bold')).toHaveLength(1);
  });

  it('contrast is measured against the colour block under the zone centre', () => {
    // White text on navy is fine; navy text on navy is not (ratio 1).
    const ok = compileZones([block('band', 'navy', rect(0, 0, 600, 100)), staticText('t', 'Hello', rect(10, 10, 200, 40), { color: 'white' })]);
    expect(only(run(ok).findings, 'text-contrast-low')).toEqual([]);
    const bad = compileZones([block('band', 'navy', rect(0, 0, 600, 100)), staticText('t', 'Hello', rect(10, 10, 200, 40), { color: 'navy' })]);
    expect(only(run(bad).findings, 'text-contrast-low')[0]).toMatchObject({ measured: 1, required: 4.5 });
    expect(bad.pages[0]!.zones[1]!.backdrop).toEqual({ rgb: [0x0b, 0x1f, 0x44], source: 'band' });
  });

  it('text over an image without a declared tone cannot be checked', () => {
    const c = compileZones([imageZone('photo', 'photo', rect(0, 0, 600, 400), { tone: undefined }), staticText('t', 'Hello', rect(10, 10, 200, 40))]);
    const f = only(run(c).findings, 'text-contrast-unverified');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', zoneId: 't', required: 4.5 });
  });
});

describe('palette', () => {
  it('a literal hex fill is color-not-in-palette; palette ids are not', () => {
    const c = compileZones([block('a', '#FF0000', rect(0, 0, 10, 10)), block('b', 'navy', rect(0, 0, 10, 10))]);
    expect(only(run(c).findings, 'color-not-in-palette')).toEqual([
      { code: 'color-not-in-palette', severity: 'error', zoneId: 'a', message: 'Colour #FF0000 is not in the Acme palette', measured: '#FF0000', required: 'a palette colour' },
    ]);
    const item = itemsOf(run(c))[0]!;
    expect(item.type === 'fill' && item.color).toEqual({ rgb: [255, 0, 0] });
  });

  it('is not reported when the rule is disabled', () => {
    const b = loadBrand(brandInput({ rules: { paletteOnly: { enabled: false } } as never }));
    const c = compileZones([block('a', '#FF0000', rect(0, 0, 10, 10))], {}, b);
    expect(only(run(c).findings, 'color-not-in-palette')).toEqual([]);
  });

  it('an unknown palette id is template-invalid at compile, naming the JSON path', () => {
    const attempt = (zones: ZoneInput[], over: Partial<TemplateInput> = {}) => {
      try {
        compileZones(zones, over);
      } catch (err) {
        expect(err).toBeInstanceOf(LockupError);
        expect((err as LockupError).code).toBe('template-invalid');
        return (err as LockupError).message;
      }
      throw new Error('expected compile to throw');
    };
    expect(attempt([block('a', 'navy', rect(0, 0, 1, 1)), block('b', 'purple', rect(0, 0, 1, 1))])).toBe(
      'Template is invalid at pages[0].zones[1].fill: "purple" is neither a palette colour of the brand nor "#RRGGBB"',
    );
    expect(attempt([staticText('t', 'x', rect(0, 0, 10, 10), { color: 'nope' })])).toContain('pages[0].zones[0].style.color');
    expect(attempt([staticText('t', 'x', rect(0, 0, 10, 10), { font: 'comic' })])).toContain('pages[0].zones[0].style.font');
    expect(attempt([], { pages: [{ zones: [] }, { background: 'FFF', zones: [] }] })).toContain('pages[1].background');
    expect(attempt([partnerText('p', 'x', rect(0, 0, 10, 10), { colors: ['navy', 'teal'] })])).toContain('pages[0].zones[0].colors[1]');
  });

  it('a template for another brand is refused', () => {
    expect(() => compileZones([], { brand: 'other', pages: [{ zones: [] }] })).toThrow(/belongs to brand "other"/);
  });
});

describe('fields', () => {
  const fields = [
    { key: 'company', label: 'Company' },
    { key: 'headline', label: 'Headline', required: true },
    { key: 'tagline', label: 'Tagline', maxChars: 5, default: 'Hi' },
  ];
  const zones = () => [partnerText('head', '{headline}', rect(0, 0, 300, 40)), partnerText('tag', '{tagline}', rect(0, 50, 300, 40))];

  it('a required field without a value is field-required on the zone that shows it', () => {
    const r = run(compileZones(zones(), { fields }));
    expect(only(r.findings, 'field-required')).toEqual([
      { code: 'field-required', severity: 'error', zoneId: 'head', message: 'Headline is required', measured: '', required: 'a value' },
    ]);
    // The empty zone draws nothing.
    expect(zoneIds(r)).toEqual(['tag']);
    expect(only(run(compileZones(zones(), { fields }), { doc: { fields: { headline: '   ' } } }).findings, 'field-required')).toHaveLength(1);
    expect(only(run(compileZones(zones(), { fields }), { doc: { fields: { headline: 'Go' } } }).findings, 'field-required')).toEqual([]);
  });

  it('text-too-long counts code points, not UTF-16 units', () => {
    const c = compileZones(zones(), { fields });
    const long = only(run(c, { doc: { fields: { headline: 'x', tagline: 'héllo!' } } }).findings, 'text-too-long');
    expect(long).toEqual([
      { code: 'text-too-long', severity: 'error', zoneId: 'tag', message: 'Tagline has 6 characters; at most 5 are allowed', measured: 6, required: 5, unit: 'characters' },
    ]);
    expect('😀😀😀😀😀'.length).toBe(10);
    expect(only(run(c, { doc: { fields: { headline: 'x', tagline: '😀😀😀😀😀' } } }).findings, 'text-too-long')).toEqual([]);
  });

  it('values come from the document, then the profile, then the field default', () => {
    const c = compileZones(zones(), { fields });
    const profile = loadProfile(profileInput({ company: 'Profile Co' }));
    const doc = (f: Record<string, string>) => loadDocument(documentInput({ fields: f }));
    expect(fieldValues(c, { profile, document: doc({}) })).toEqual({ company: 'Profile Co', headline: '', tagline: 'Hi' });
    expect(fieldValues(c, { profile, document: doc({ company: 'Doc Co', tagline: '' }) })).toEqual({ company: 'Doc Co', headline: '', tagline: '' });
    expect(run(c, { doc: { fields: { headline: 'H' } } }).values).toEqual({ company: 'Partner Co', headline: 'H', tagline: 'Hi' });
  });

  it('a document field the template does not have is field-not-editable', () => {
    const f = only(run(compileZones(zones(), { fields }), { doc: { fields: { headline: 'H', price: '9' } } }).findings, 'field-not-editable');
    expect(f).toEqual([{ code: 'field-not-editable', severity: 'error', zoneId: null, message: 'This template has no field "price"', measured: 'price', required: null }]);
  });

  it('partner text fills placeholders and lays out with the zone style', () => {
    const c = compileZones([partnerText('contact', 'Call {phone} today', rect(0, 0, 300, 40))], { fields: [{ key: 'phone', label: 'Phone' }] });
    const r = run(c, { profile: { contact: { phone: '555-0100' } } });
    const item = itemsOf(r)[0]!;
    expect(item.type).toBe('text');
    if (item.type === 'text') {
      expect(item.layout.lines.map((l) => l.text)).toEqual(['Call 555-0100 today']);
      expect(item.origin).toEqual({ x: 0, y: 0 });
      expect(item.static).toBe(false);
      expect(item.color.paletteId).toBe('ink');
    }
  });
});

describe('partner style choices', () => {
  const zone = () =>
    partnerText('head', '{headline}', rect(0, 0, 400, 60), { minSize: 10, maxSize: 14, fonts: ['lato-bold'], colors: ['navy'] });
  const fields = [{ key: 'headline', label: 'Headline' }];
  const styled = (style: Record<string, unknown>) => run(compileZones([zone()], { fields }), { doc: { fields: { headline: 'Hello' }, styles: { head: style } } });
  const textItem = (r: ReturnType<typeof styled>) => {
    const i = itemsOf(r)[0]!;
    if (i.type !== 'text') throw new Error('expected text');
    return i;
  };

  it('allowed choices are applied', () => {
    const r = styled({ font: 'lato-bold', size: 13, color: 'navy' });
    expect(codes(r.findings).filter((c) => c.endsWith('allowed') || c.includes('range'))).toEqual([]);
    const t = textItem(r);
    expect(t.layout.size).toBe(13);
    expect(t.layout.lines[0]!.runs[0]!.font.id).toBe('lato-bold');
    expect(t.color.paletteId).toBe('navy');
  });

  it('a font outside the zone’s list is font-not-allowed and the style font is kept', () => {
    const r = styled({ font: 'noto-arabic' });
    expect(only(r.findings, 'font-not-allowed')).toEqual([
      { code: 'font-not-allowed', severity: 'error', zoneId: 'head', message: 'Font "noto-arabic" is not allowed in "head"', measured: 'noto-arabic', required: 'lato, lato-bold' },
    ]);
    expect(textItem(r).layout.lines[0]!.runs[0]!.font.id).toBe('lato');
  });

  it('a size outside minSize–maxSize is font-size-out-of-range', () => {
    const r = styled({ size: 20 });
    expect(only(r.findings, 'font-size-out-of-range')).toEqual([
      { code: 'font-size-out-of-range', severity: 'error', zoneId: 'head', message: 'Font size 20 pt is outside 10–14 pt in "head"', measured: 20, required: '10–14', unit: 'pt' },
    ]);
    expect(textItem(r).layout.size).toBe(12);
    expect(only(styled({ size: 9.5 }).findings, 'font-size-out-of-range')).toHaveLength(1);
    expect(textItem(styled({ size: 10 })).layout.size).toBe(10);
  });

  it('a colour outside the zone’s list is color-not-allowed', () => {
    const r = styled({ color: 'blue' });
    expect(only(r.findings, 'color-not-allowed')[0]).toMatchObject({ zoneId: 'head', measured: 'blue', required: 'ink, navy' });
    expect(textItem(r).color.paletteId).toBe('ink');
  });

  it('without minSize / maxSize the size is fixed to the style size', () => {
    const c = compileZones([partnerText('head', '{headline}', rect(0, 0, 400, 60))], { fields });
    const r = run(c, { doc: { fields: { headline: 'x' }, styles: { head: { size: 12.5 } } } });
    expect(only(r.findings, 'font-size-out-of-range')[0]).toMatchObject({ required: '12–12' });
  });
});

describe('text findings from layout', () => {
  const fields = [{ key: 'headline', label: 'Headline' }];

  it('text that does not fit a refuse zone is text-overflow', () => {
    const c = compileZones([partnerText('head', '{headline}', rect(0, 0, 50, 20), { overflow: 'refuse' })], { fields });
    const f = only(run(c, { doc: { fields: { headline: 'A much longer headline' } } }).findings, 'text-overflow');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ zoneId: 'head', severity: 'error', required: 50, unit: 'pt' });
    expect(f[0]!.message).toContain('pt wide but the zone is 50 pt wide');
  });

  it('an ellipsised zone is text-truncated (a warning)', () => {
    const c = compileZones([partnerText('head', '{headline}', rect(0, 0, 80, 20), { overflow: 'ellipsis' })], { fields });
    const r = run(c, { doc: { fields: { headline: 'A much longer headline' } } });
    expect(only(r.findings, 'text-truncated')).toEqual([
      { code: 'text-truncated', severity: 'warning', zoneId: 'head', message: 'Text in "head" was shortened with an ellipsis to fit', measured: null, required: null },
    ]);
    expect(only(r.findings, 'text-overflow')).toEqual([]);
  });

  it('characters no brand font can draw are missing-glyphs; Arabic uses the brand fallback', () => {
    const c = compileZones([partnerText('head', '{headline}', rect(0, 0, 400, 30))], { fields });
    const jp = only(run(c, { doc: { fields: { headline: 'Tokyo 東京' } } }).findings, 'missing-glyphs');
    expect(jp).toHaveLength(1);
    expect(jp[0]).toMatchObject({ zoneId: 'head', measured: '東京' });
    expect(jp[0]!.message).toContain('東 (U+6771), 京 (U+4EAC)');
    const ar = run(c, { doc: { fields: { headline: 'Al Noor شركة' } } });
    expect(only(ar.findings, 'missing-glyphs')).toEqual([]);
    const item = itemsOf(ar)[0]!;
    expect(item.type === 'text' && item.layout.fallbacks).toEqual(['noto-arabic']);
  });

  it('a long list of missing characters is cut after twelve', () => {
    const c = compileZones([partnerText('head', '{headline}', rect(0, 0, 400, 30), { overflow: 'refuse' })], { fields });
    const chars = '一二三四五六七八九十百千万';
    const f = only(run(c, { doc: { fields: { headline: chars } } }).findings, 'missing-glyphs')[0]!;
    expect(f.measured).toBe(chars);
    expect(f.message.endsWith('百 (U+767E), 千 (U+5343), and 1 more')).toBe(true);
  });

  it('static text is never given fallbacks', () => {
    const c = compileZones([staticText('s', 'شركة', rect(0, 0, 200, 30))]);
    expect(only(run(c).findings, 'missing-glyphs')).toHaveLength(1);
  });
});

describe('access and visibility', () => {
  it('a template above the partner’s tier gives access-denied at template level', () => {
    const c = compileZones([block('a', 'navy', rect(0, 0, 10, 10))], { access: { minTier: 'gold' }, name: 'Gold kit' });
    const f = only(run(c, { profile: { tier: 'silver', company: 'Silver Co' } }).findings, 'access-denied');
    expect(f).toEqual([
      { code: 'access-denied', severity: 'error', zoneId: null, message: '"Gold kit" is not available to Silver Co: Gold partners only', measured: 'silver', required: 'Gold partners only' },
    ]);
    expect(only(run(c, { profile: { tier: 'gold' } }).findings, 'access-denied')).toEqual([]);
    expect(only(run(c, { profile: { tier: undefined } }).findings, 'access-denied')[0]!.measured).toBeNull();
  });

  it('zone-level access hides the zone without a finding', () => {
    const c = compileZones([block('always', 'navy', rect(0, 0, 10, 10)), block('certified', 'blue', rect(0, 0, 10, 10), { access: { certifications: ['cert-a'] } })]);
    const without = run(c, { profile: { certifications: [] } });
    expect(zoneIds(without)).toEqual(['always']);
    expect(only(without.findings, 'access-denied')).toEqual([]);
    expect(zoneIds(run(c, { profile: { certifications: ['cert-a'] } }))).toEqual(['always', 'certified']);
  });

  it('visibleWhen {present: distributor} shows the distributor zone only for partners with a distributor', () => {
    const c = compileZones([partnerText('dist', 'Supplied by {distributor}', rect(0, 0, 300, 30), { owner: 'distributor', visibleWhen: { present: 'distributor' } })], {
      fields: [{ key: 'distributor', label: 'Distributor' }],
    });
    expect(zoneIds(run(c, { profile: { distributor: 'Big Dist' } }))).toEqual(['dist']);
    expect(zoneIds(run(c, { profile: {} }))).toEqual([]);
    expect(zoneIds(run(c, { profile: { distributor: '  ' } }))).toEqual([]);
    const item = itemsOf(run(c, { profile: { distributor: 'Big Dist' } }))[0]!;
    expect(item.type === 'text' && item.layout.lines[0]!.text).toBe('Supplied by Big Dist');
  });

  it('visibleWhen can read a field value', () => {
    const c = compileZones([block('badge', 'navy', rect(0, 0, 10, 10), { visibleWhen: { equals: { attr: 'field:offer', value: 'yes' } } })], {
      fields: [{ key: 'offer', label: 'Offer' }],
    });
    expect(zoneIds(run(c, { doc: { fields: { offer: 'yes' } } }))).toEqual(['badge']);
    expect(zoneIds(run(c, { doc: { fields: { offer: 'no' } } }))).toEqual([]);
  });

  it('a hidden zone’s required field is still required but names no zone', () => {
    const c = compileZones([partnerText('dist', '{distributor}', rect(0, 0, 300, 30), { owner: 'distributor', visibleWhen: { present: 'tier' } })], {
      fields: [{ key: 'distributor', label: 'Distributor', required: true }],
    });
    expect(only(run(c, { profile: { tier: undefined } }).findings, 'field-required')[0]!.zoneId).toBeNull();
  });
});

describe('logos', () => {
  it('the partner’s light or dark variant is chosen by the backdrop under the slot', () => {
    const light = compileZones([partnerLogo('plogo', rect(0, 0, 300, 150))]);
    const dark = compileZones([block('band', 'navy', rect(0, 0, 600, 200)), partnerLogo('plogo', rect(0, 0, 300, 150))]);
    const logoOf = (c: CompiledTemplate, profile: Partial<PartnerProfileInput>) => {
      const i = itemsOf(run(c, { profile })).find((x) => x.zoneId === 'plogo');
      return i && i.type === 'image' ? i.image.key : undefined;
    };
    expect(logoOf(light, withLogo)).toBe('plogo-light');
    expect(logoOf(dark, withLogo)).toBe('plogo-dark');
    // A single logo serves both.
    expect(logoOf(dark, { logo: 'plogo-light' })).toBe('plogo-light');
    // A declared background wins over what is drawn below.
    const declared = compileZones([block('band', 'navy', rect(0, 0, 600, 200)), partnerLogo('plogo', rect(0, 0, 300, 150), { background: 'white' })]);
    expect(logoOf(declared, withLogo)).toBe('plogo-light');
    // A block that may be hidden does not count as the backdrop.
    const conditional = compileZones([block('band', 'navy', rect(0, 0, 600, 200), { visibleWhen: { present: 'tier' } }), partnerLogo('plogo', rect(0, 0, 300, 150))]);
    expect(logoOf(conditional, withLogo)).toBe('plogo-light');
  });

  it('the document’s logo for the zone overrides the profile', () => {
    const c = compileZones([partnerLogo('plogo', rect(0, 0, 300, 150))]);
    const i = itemsOf(run(c, { profile: withLogo, doc: { logos: { plogo: 'dist-logo' } } }))[0]!;
    expect(i.type === 'image' && i.image.key).toBe('dist-logo');
  });

  it('a distributor-owned slot never shows the partner’s logo', () => {
    const c = compileZones([partnerLogo('dlogo', rect(0, 0, 300, 150), { owner: 'distributor' })]);
    const r = run(c, { profile: withLogo });
    expect(zoneIds(r)).toEqual([]);
    expect(only(r.findings, 'logo-missing')).toEqual([
      { code: 'logo-missing', severity: 'error', zoneId: 'dlogo', message: 'Distributor logo is required', measured: null, required: 'a logo' },
    ]);
    const given = run(c, { profile: withLogo, doc: { logos: { dlogo: 'dist-logo' } } });
    const i = itemsOf(given)[0]!;
    expect(i.type === 'image' && i.image.key).toBe('dist-logo');
    const optional = compileZones([partnerLogo('dlogo', rect(0, 0, 300, 150), { owner: 'distributor', required: false })]);
    expect(only(run(optional, { profile: withLogo }).findings, 'logo-missing')).toEqual([]);
  });

  it('a logo missing from the catalogue is asset-missing; a disallowed format is logo-format-not-allowed', () => {
    const c = compileZones([partnerLogo('plogo', rect(0, 0, 300, 150))]);
    const missing = run(c, { profile: { logo: 'sha256:gone' } });
    expect(only(missing.findings, 'asset-missing')[0]).toMatchObject({ zoneId: 'plogo', measured: 'sha256:gone' });
    const b = loadBrand(brandInput({ rules: { logoFormats: { allowed: ['png'] } } as never }));
    const pdfOnly = compileTemplate(loadTemplate(templateInput([partnerLogo('plogo', rect(0, 0, 300, 150))])), b, resources);
    const f = only(run(pdfOnly, { profile: { logo: 'vector' } }).findings, 'logo-format-not-allowed');
    expect(f[0]).toMatchObject({ zoneId: 'plogo', measured: 'pdf', required: 'png' });
    expect(f[0]!.message).toBe('Partner logo is PDF; allowed formats are PNG');
  });

  it('the vendor logo "auto" picks the brand variant for the backdrop', () => {
    const onLight = compileZones([vendorLogo('vlogo', rect(0, 0, 200, 100))]);
    const onDark = compileZones([block('band', 'navy', rect(0, 0, 600, 200)), vendorLogo('vlogo', rect(0, 0, 200, 100))]);
    const keyOf = (c: CompiledTemplate) => {
      const i = c.pages[0]!.zones.at(-1)!.items[0]!;
      return i.type === 'image' ? i.image.key : undefined;
    };
    expect(keyOf(onLight)).toBe('vendor-light');
    expect(keyOf(onDark)).toBe('vendor-dark');
    expect(keyOf(compileZones([vendorLogo('vlogo', rect(0, 0, 200, 100), { logo: 'on-dark' })]))).toBe('vendor-dark');
    expect(() => compileZones([vendorLogo('vlogo', rect(0, 0, 200, 100), { logo: 'ghost' })])).toThrow(/no logo "ghost"/);
  });
});

describe('compose as a whole', () => {
  it('refuses a document for another template or version', () => {
    const c = compileZones([block('a', 'navy', rect(0, 0, 10, 10))], { version: 3 });
    for (const doc of [{ templateVersion: 2 }, { templateId: 'other' }]) {
      try {
        run(c, { doc });
        expect.unreachable();
      } catch (err) {
        expect((err as LockupError).code).toBe('document-invalid');
        expect((err as LockupError).message).toMatch(/^The document is for .* v\d, not flyer v3$/);
      }
    }
  });

  it('fills the plan: size, bleed, page backgrounds, meta', () => {
    const c = compileZones([], { name: 'Spring flyer', description: 'For spring', pages: [{ background: 'navy', zones: [block('a', 'white', rect(0, 0, 10, 10))] }, { zones: [] }], page: { size: 'a4', orientation: 'landscape', bleed: 9 } });
    const r = run(c, { profile: { company: 'Acme Partners' } });
    expect(r.plan).toMatchObject({ width: 841.89, height: 595.28, bleed: 9 });
    expect(r.plan.pages).toHaveLength(2);
    expect(r.plan.pages[0]!.background).toMatchObject({ paletteId: 'navy', cmyk: [100, 82, 0, 66] });
    expect(r.plan.pages[1]!.background).toBeUndefined();
    expect(r.plan.meta).toEqual({ title: 'Spring flyer — Acme Partners', author: 'Acme Partners', subject: 'For spring', keywords: ['lockup', 'template:flyer', 'version:1', 'brand:acme'] });
  });

  it('static items are shared objects from the compiled template; the same inputs give the same plan and findings', () => {
    const c = compileZones([block('a', '#FF0000', rect(0, 0, 10, 10)), staticText('t', 'Hello', rect(0, 20, 100, 30), { color: 'pale' })]);
    const a = run(c);
    const b = run(c);
    expect(itemsOf(a)[0]).toBe(itemsOf(b)[0]);
    expect(itemsOf(a)[0]!.static).toBe(true);
    expect(a.findings).toEqual(b.findings);
  });

  it('findings are sorted errors first, then by zone, then by code', () => {
    const b = loadBrand(brandInput({ rules: { paletteOnly: { enabled: true, severity: 'warning' } } as never }));
    const c = compileZones([block('z', '#FF0000', rect(0, 0, 10, 10)), staticText('a', 'Hi', rect(0, 20, 100, 30), { color: 'pale' }), imageZone('m', 'photo', rect(0, 100, 300, 200))], {}, b);
    const f = run(c).findings;
    expect(f.map((x) => `${x.severity}:${x.zoneId}:${x.code}`)).toEqual(['error:a:text-contrast-low', 'error:m:image-resolution-low', 'warning:z:color-not-in-palette']);
  });
});
