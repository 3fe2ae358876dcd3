import { describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { repoText } from '../../test/core-support/files.ts';
import { rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { loadTemplate } from './index.ts';
import { allZones, fillPlaceholders, PAGE_PRESETS, pageSize, placeholderKeys, Template, type TemplateInput } from './template.ts';
import { jsonPath, parseJson } from './validate.ts';
import { thrown } from '../../test/support/errors.ts';

type ZoneInput = TemplateInput['pages'][number]['zones'][number];

const block = (id: string, over: Record<string, unknown> = {}): ZoneInput =>
  ({ id, kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 100, 50), fill: 'ink', ...over }) as ZoneInput;

const partnerText = (id: string, over: Record<string, unknown> = {}): ZoneInput =>
  ({ id, kind: 'partner-text', owner: 'partner', lock: 'editable', rect: rect(0, 0, 200, 40), content: '{company}', style: textStyle(), ...over }) as ZoneInput;

const withFields = { fields: [{ key: 'company', label: 'Company' }] };

/** Runs loadTemplate and returns the LockupError it throws (fails the test if it does not throw). */
function refusal(data: unknown): LockupError {
  return thrown(() => loadTemplate(data));
}

describe('Template schema: valid input', () => {
  it('fills defaults for the template, its fields, zones and text styles', () => {
    const t = loadTemplate(
      templateInput(
        [
          block('bg'),
          { id: 'img', kind: 'image', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 10, 10), asset: 'photo.jpg' } as ZoneInput,
          { id: 'vlogo', kind: 'vendor-logo', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 10, 10) } as ZoneInput,
          { id: 'plogo', kind: 'partner-logo', owner: 'partner', lock: 'editable', rect: rect(0, 0, 10, 10) } as ZoneInput,
          partnerText('name'),
        ],
        withFields,
      ),
    );
    expect(t.description).toBe('');
    expect(t.category).toBe('collateral');
    expect(t.page.bleed).toBe(0);
    expect(t.page.orientation).toBeUndefined();
    expect(t.access).toBeUndefined();
    expect(t.fields).toEqual([{ key: 'company', label: 'Company', required: false, multiline: false }]);
    const [bg, img, vlogo, plogo, name] = t.pages[0]!.zones;
    expect(bg).toMatchObject({ shape: 'rect', radius: 0 });
    expect(img).toMatchObject({ fit: 'cover', align: { h: 'center', v: 'middle' } });
    expect(vlogo).toMatchObject({ logo: 'auto', align: { h: 'center', v: 'middle' } });
    expect(plogo).toMatchObject({ required: true, align: { h: 'center', v: 'middle' } });
    expect(name).toMatchObject({
      overflow: 'shrink',
      multiline: false,
      style: { font: 'lato', size: 12, color: 'ink', lineHeight: 1.2, align: 'left', valign: 'top', letterSpacing: 0, transform: 'none', paragraphSpacing: 0 },
    });
  });

  it('accepts every template of the Nimbus demo catalogue and the benchmark workload', () => {
    const files = [
      'templates/nimbus/bundled-offer-sheet.template.json',
      'templates/nimbus/case-study-gold.template.json',
      'templates/nimbus/distributor-offer-sheet.template.json',
      'templates/nimbus/email-banner.template.json',
      'templates/nimbus/event-invitation.template.json',
      'templates/nimbus/product-one-pager-a4.template.json',
      'templates/nimbus/product-one-pager-letter.template.json',
      'templates/nimbus/social-post.template.json',
      'bench/workload/one-pager.template.json',
      'bench/workload/offer-3-pages.template.json',
    ];
    for (const f of files) {
      const t = loadTemplate(JSON.parse(repoText(f)));
      expect(t.format, f).toBe('lockup.template');
      expect(allZones(t).length, f).toBeGreaterThan(0);
    }
  });

  it('allZones lists zones of every page in order', () => {
    const t = loadTemplate(templateInput([], { pages: [{ zones: [block('a'), block('b')] }, { zones: [block('c')] }] }));
    expect(allZones(t).map((z) => z.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('Template schema: refusals name the JSON path', () => {
  it('negative width', () => {
    const e = refusal(templateInput([block('a'), block('b', { rect: rect(0, 0, -5, 10) })]));
    expect(e.code).toBe('template-invalid');
    expect(e.message).toContain('pages[0].zones[1].rect.w');
    expect(e.message.startsWith('Template is invalid at pages[0].zones[1].rect.w:')).toBe(true);
  });

  it('zero height and non-finite x', () => {
    expect(refusal(templateInput([block('a', { rect: rect(0, 0, 5, 0) })])).message).toContain('pages[0].zones[0].rect.h');
    expect(refusal(templateInput([block('a', { rect: rect(Infinity, 0, 5, 5) })])).message).toContain('pages[0].zones[0].rect.x');
  });

  it('unknown zone kind', () => {
    const e = refusal(templateInput([block('a'), block('b'), { ...block('c'), kind: 'hologram' } as unknown as ZoneInput]));
    expect(e.code).toBe('template-invalid');
    expect(e.message).toContain('pages[0].zones[2].kind');
  });

  it('unknown key on a zone (strict objects)', () => {
    const e = refusal(templateInput([block('a', { colour: 'red' })]));
    expect(e.message).toContain('pages[0].zones[0]');
    expect(e.message).toContain('colour');
  });

  it('duplicate zone id, also across pages', () => {
    const same = refusal(templateInput([block('a'), block('a')]));
    expect(same.code).toBe('template-invalid');
    expect(same.message).toContain('pages[0].zones[1].id');
    expect(same.message).toContain('duplicate zone id "a"');
    const across = refusal(templateInput([], { pages: [{ zones: [block('a')] }, { zones: [block('b'), block('a')] }] }));
    expect(across.message).toContain('pages[1].zones[1].id');
  });

  it('placeholder naming no field', () => {
    const e = refusal(templateInput([partnerText('t', { content: 'Call {phone}' })], withFields));
    expect(e.code).toBe('template-invalid');
    expect(e.message).toContain('pages[0].zones[0].content');
    expect(e.message).toContain('{phone}');
  });

  it('vendor logo owned by a partner', () => {
    const e = refusal(templateInput([{ id: 'v', kind: 'vendor-logo', owner: 'partner', lock: 'locked', rect: rect(0, 0, 10, 10) } as ZoneInput]));
    expect(e.message).toContain('pages[0].zones[0].owner');
    expect(e.message).toContain('owned by the vendor');
  });

  it('partner text owned by the vendor', () => {
    const e = refusal(templateInput([partnerText('t', { owner: 'vendor' })], withFields));
    expect(e.message).toContain('pages[0].zones[0].owner');
  });

  it('partner text locked', () => {
    const e = refusal(templateInput([partnerText('t', { lock: 'locked' })], withFields));
    expect(e.code).toBe('template-invalid');
    expect(e.message).toContain('pages[0].zones[0].lock');
    expect(e.message).toContain('must be editable');
  });

  it('partner logo locked', () => {
    const e = refusal(templateInput([{ id: 'l', kind: 'partner-logo', owner: 'partner', lock: 'locked', rect: rect(0, 0, 10, 10) } as ZoneInput]));
    expect(e.message).toContain('pages[0].zones[0].lock');
  });

  it('minSize larger than the style size, maxSize smaller', () => {
    const min = refusal(templateInput([partnerText('t', { minSize: 13 })], withFields));
    expect(min.message).toContain('pages[0].zones[0].minSize');
    const max = refusal(templateInput([partnerText('t', { maxSize: 11 })], withFields));
    expect(max.message).toContain('pages[0].zones[0].maxSize');
    // Equal bounds are fine.
    expect(() => loadTemplate(templateInput([partnerText('t', { minSize: 12, maxSize: 12 })], withFields))).not.toThrow();
  });

  it('duplicate field key', () => {
    const e = refusal(templateInput([], { fields: [{ key: 'a', label: 'A' }, { key: 'a', label: 'A again' }], pages: [{ zones: [] }] }));
    expect(e.message).toContain('fields[1].key');
  });

  it('bad field key, bad id, empty page list', () => {
    expect(refusal(templateInput([], { fields: [{ key: 'Phone', label: 'P' }] })).message).toContain('fields[0].key');
    expect(refusal(templateInput([block('Has Space')])).message).toContain('pages[0].zones[0].id');
    expect(refusal(templateInput([], { pages: [] })).message).toContain('pages');
  });

  it('visibility condition with an unknown attribute', () => {
    const e = refusal(templateInput([block('a', { visibleWhen: { present: 'shoe-size' } })]));
    expect(e.message).toContain('pages[0].zones[0].visibleWhen.present');
  });

  it('reports how many more faults there are and lists all of them in details', () => {
    const e = refusal(templateInput([block('a', { rect: rect(0, 0, -1, -1) })]));
    expect(e.message).toContain('(and 1 more)');
    const issues = (e.details as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(issues).toEqual(['pages[0].zones[0].rect.w', 'pages[0].zones[0].rect.h']);
  });

  it('a non-object is refused at the root', () => {
    expect(refusal('hello').message).toContain('(root)');
    expect(refusal(null).code).toBe('template-invalid');
  });

  it('Template.safeParse agrees with loadTemplate on the refinement checks', () => {
    const r = Template.safeParse(templateInput([block('a'), block('a')]));
    expect(r.success).toBe(false);
  });
});

describe('pageSize', () => {
  const sized = (size: TemplateInput['page']['size'], orientation?: 'portrait' | 'landscape') => ({ page: { size, bleed: 0, ...(orientation ? { orientation } : {}) } }) as Pick<Template, 'page'>;

  it('returns presets as given without an orientation', () => {
    expect(pageSize(sized('letter'))).toEqual({ width: 612, height: 792 });
    expect(pageSize(sized('a4'))).toEqual({ width: 595.28, height: 841.89 });
    expect(pageSize(sized('web-banner'))).toEqual({ width: 728, height: 90 });
    expect(pageSize(sized('social-landscape'))).toEqual({ width: 1200, height: 628 });
  });

  it('swaps sides to match the orientation', () => {
    expect(pageSize(sized('letter', 'landscape'))).toEqual({ width: 792, height: 612 });
    expect(pageSize(sized('letter', 'portrait'))).toEqual({ width: 612, height: 792 });
    expect(pageSize(sized('web-banner', 'portrait'))).toEqual({ width: 90, height: 728 });
    expect(pageSize(sized('web-banner', 'landscape'))).toEqual({ width: 728, height: 90 });
    expect(pageSize(sized({ width: 300, height: 100 }, 'portrait'))).toEqual({ width: 100, height: 300 });
  });

  it('a square page is the same in both orientations', () => {
    expect(pageSize(sized('social-square', 'landscape'))).toEqual({ width: 1080, height: 1080 });
    expect(pageSize(sized('social-square', 'portrait'))).toEqual({ width: 1080, height: 1080 });
  });

  it('preset values are the ISO/US sizes in points', () => {
    // A4 = 210 × 297 mm, A5 = 148 × 210 mm.
    const mm = (v: number) => Math.round(((v / 25.4) * 72) * 100) / 100;
    expect(PAGE_PRESETS.a4).toMatchObject({ width: mm(210), height: mm(297) });
    expect(PAGE_PRESETS.a5).toMatchObject({ width: mm(148), height: mm(210) });
    expect(PAGE_PRESETS.legal).toMatchObject({ width: 8.5 * 72, height: 14 * 72 });
  });

  it('loadTemplate accepts presets and custom sizes and refuses unknown presets', () => {
    expect(pageSize(loadTemplate(templateInput([], { page: { size: 'a5', orientation: 'landscape' }, pages: [{ zones: [] }] })))).toEqual({ width: 595.28, height: 419.53 });
    expect(refusal(templateInput([], { page: { size: 'a3' as 'a4' } })).message).toContain('page.size');
    expect(refusal(templateInput([], { page: { size: { width: 20000, height: 10 } } })).message).toContain('page.size');
  });
});

describe('placeholders', () => {
  it('placeholderKeys lists every {key} in order, with repeats', () => {
    expect(placeholderKeys('Call {phone} or mail {email}; {phone}')).toEqual(['phone', 'email', 'phone']);
    expect(placeholderKeys('no placeholders, {not one} {}')).toEqual([]);
  });

  it('fillPlaceholders substitutes values and blanks missing ones', () => {
    const values: Record<string, string> = { phone: '555', email: 'a@b.c' };
    expect(fillPlaceholders('Call {phone} / {email} / {url}.', (k) => values[k])).toBe('Call 555 / a@b.c / .');
  });

  it('a value containing a placeholder is not expanded again', () => {
    expect(fillPlaceholders('{a}', (k) => (k === 'a' ? '{b}' : 'B'))).toBe('{b}');
  });
});

describe('jsonPath and parseJson', () => {
  it('formats zod paths', () => {
    expect(jsonPath(['pages', 0, 'zones', 12, 'rect', 'w'])).toBe('pages[0].zones[12].rect.w');
    expect(jsonPath([3, 'a'])).toBe('[3].a');
    expect(jsonPath([])).toBe('(root)');
  });

  it('parseJson reports json-invalid with the name of the file', () => {
    expect(parseJson('{"a":1}', 'x')).toEqual({ a: 1 });
    try {
      parseJson('{"a":', 'brand.json');
      expect.unreachable();
    } catch (err) {
      expect((err as LockupError).code).toBe('json-invalid');
      expect((err as LockupError).message).toContain('brand.json is not valid JSON');
    }
  });
});
