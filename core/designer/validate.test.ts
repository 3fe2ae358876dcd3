import { describe, expect, it } from 'vitest';
import { loadBrand, loadTemplate, type Template } from '../model/index.ts';
import { brandInput, rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { renderableDraft, showEverything } from './renderable.ts';
import { sampleFields, sampleProfile } from './samples.ts';
import { brandIssues, checkDraft, zoneIdAt } from './validate.ts';

const ASSET = 'sha256:' + 'b'.repeat(64);
const brand = loadBrand({
  ...brandInput(),
  fonts: brandInput().fonts.map((f) => ({ ...f, file: ASSET })),
  logos: brandInput().logos.map((l) => ({ ...l, file: ASSET })),
});
const known = (ref: string) => ref === ASSET;

function good(): Template {
  return loadTemplate(
    templateInput(
      [
        { id: 'bg', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 600, 100), fill: 'navy' },
        { id: 'name', kind: 'partner-text', owner: 'partner', lock: 'editable', rect: rect(20, 120, 300, 30), content: '{company}', style: textStyle() },
        { id: 'pic', kind: 'image', owner: 'vendor', lock: 'locked', rect: rect(320, 120, 200, 200), asset: ASSET },
      ],
      { fields: [{ key: 'company', label: 'Company', maxChars: 30 }] },
    ),
  );
}

describe('brandIssues', () => {
  it('a good template has none', () => {
    expect(brandIssues(good(), brand, known)).toEqual([]);
  });

  it('names unknown fonts, colours, logos, access levels, images and condition fields by JSON path', () => {
    const t = good();
    const z = t.pages[0]!.zones;
    z[0] = { ...z[0]!, kind: 'color-block', fill: 'purple', shape: 'rect', radius: 0 } as (typeof z)[number];
    z[1] = { ...(z[1] as Extract<(typeof z)[number], { kind: 'partner-text' }>), style: { ...(z[1] as Extract<(typeof z)[number], { kind: 'partner-text' }>).style, font: 'comic' }, visibleWhen: { present: 'field:nope' }, access: { minTier: 'platinum', regions: ['mars'] } };
    z[2] = { ...(z[2] as Extract<(typeof z)[number], { kind: 'image' }>), asset: 'sha256:' + 'c'.repeat(64) };
    t.access = { partnerTypes: ['wizard'] };
    t.pages[0]!.zones.push({ id: 'vl', kind: 'vendor-logo', owner: 'vendor', lock: 'locked', rect: rect(0, 300, 100, 50), logo: 'missing', align: { h: 'center', v: 'middle' } });
    const issues = brandIssues(t, brand, known).map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual([
      'access.partnerTypes[0]: the brand has no partner type "wizard"',
      'pages[0].zones[0].fill: "purple" is neither a acme palette colour nor "#RRGGBB"',
      'pages[0].zones[1].access.minTier: the brand has no tier "platinum"',
      'pages[0].zones[1].access.regions[0]: the brand has no region "mars"',
      'pages[0].zones[1].visibleWhen.present: the condition reads field "nope", which the template does not declare',
      'pages[0].zones[1].style.font: the brand has no font "comic"',
      `pages[0].zones[2].asset: the image sha256:${'c'.repeat(64)} is not in the catalogue`,
      'pages[0].zones[3].logo: the brand has no logo "missing"',
    ]);
  });

  it('a zone beyond the bleed, or off the page, is an issue', () => {
    const t = good();
    t.pages[0]!.zones[0] = { ...t.pages[0]!.zones[0]!, rect: rect(-20, 0, 100, 100) };
    t.pages[0]!.zones[2] = { ...t.pages[0]!.zones[2]!, rect: rect(700, 0, 100, 100) };
    expect(brandIssues(t, brand, known).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'pages[0].zones[0].rect: the zone extends beyond the bleed',
      'pages[0].zones[2].rect: the zone lies entirely outside the page and its bleed',
    ]);
  });
});

describe('checkDraft', () => {
  it('reports schema issues with their path and zone', () => {
    const t = good() as unknown as Record<string, unknown>;
    const raw = JSON.parse(JSON.stringify(t));
    raw.pages[0].zones[1].content = 'Hi {missing}';
    raw.name = '';
    const { template, issues } = checkDraft(raw, brand, known);
    expect(template).toBeUndefined();
    expect(issues).toContainEqual(expect.objectContaining({ path: 'name' , zoneId: null }));
    expect(issues).toContainEqual({ path: 'pages[0].zones[1].content', message: 'placeholder {missing} names no field in "fields"', zoneId: 'name' });
  });

  it('zoneIdAt reads the id at a path, or null', () => {
    expect(zoneIdAt(good(), 'pages[0].zones[2].rect.w')).toBe('pic');
    expect(zoneIdAt(good(), 'fields[0].key')).toBeNull();
    expect(zoneIdAt(42, 'pages[0].zones[0]')).toBeNull();
  });
});

describe('renderableDraft', () => {
  it('a valid draft is drawn as it is', () => {
    const r = renderableDraft(good(), brand, known);
    expect(r.dropped).toEqual([]);
    expect(r.template?.pages[0]!.zones).toHaveLength(3);
  });

  it('leaves out invalid zones and keeps the rest, even with template-level faults', () => {
    const raw = JSON.parse(JSON.stringify(good()));
    raw.name = '';
    raw.pages[0].zones[1].content = '{missing}';
    raw.pages[0].zones[2].asset = '';
    raw.pages[0].zones.push({ id: 'bg', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: { x: 0, y: 0, w: 5, h: 5 }, fill: 'navy' });
    const r = renderableDraft(raw, brand, known);
    expect(r.dropped).toEqual(['name', 'pic', 'bg']);
    expect(r.template?.pages[0]!.zones.map((z) => z.id)).toEqual(['bg']);
  });

  it('showEverything drops visibility conditions and access policies', () => {
    const t = good();
    t.access = { minTier: 'gold' };
    t.pages[0]!.zones[0] = { ...t.pages[0]!.zones[0]!, visibleWhen: { present: 'distributor' }, access: { minTier: 'gold' } };
    const all = showEverything(t);
    expect(all.access).toBeUndefined();
    expect(all.pages[0]!.zones[0]!.visibleWhen).toBeUndefined();
    expect(all.pages[0]!.zones[0]!.access).toBeUndefined();
    expect(t.pages[0]!.zones[0]!.visibleWhen).toBeDefined();
  });
});

describe('samples', () => {
  const t = loadTemplate(
    templateInput([], {
      fields: [
        { key: 'company', label: 'Company', maxChars: 40 },
        { key: 'headline', label: 'Headline', maxChars: 25 },
        { key: 'body', label: 'Body', multiline: true },
        { key: 'distributor', label: 'Distributor' },
      ],
    }),
  );

  it('cut every value to its field’s limit (the longest a partner can type)', () => {
    const v = sampleFields(t, 'long-name', {});
    expect([...v['company']!].length).toBeLessThanOrEqual(40);
    expect([...v['headline']!].length).toBeLessThanOrEqual(25);
    expect([...v['headline']!].length).toBeGreaterThan(20);
    expect([...v['body']!].length).toBeGreaterThanOrEqual(400);
    expect(v['distributor']).toBeUndefined();
    expect(sampleFields(t, 'long-name', { distributor: true })['distributor']).toBeDefined();
  });

  it('the non-Latin sample writes Arabic', () => {
    const v = sampleFields(t, 'non-latin', {});
    expect(v['company']).toMatch(/[\u0600-\u06FF]/);
    expect(v['headline']).toMatch(/[\u0600-\u06FF]/);
    expect(sampleProfile('non-latin', { tier: 'silver' })).toMatchObject({ tier: 'silver', company: expect.stringMatching(/[\u0600-\u06FF]/) });
  });

  it('typical values use defaults and placeholders', () => {
    const withDefault = loadTemplate(templateInput([], { fields: [{ key: 'offer', label: 'Offer', default: '20% off' }, { key: 'cta', label: 'Call to action', placeholder: 'Book a demo' }] }));
    expect(sampleFields(withDefault, 'typical', {})).toEqual({ offer: '20% off', cta: 'Book a demo' });
  });
});
