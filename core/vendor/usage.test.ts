import { describe, expect, it } from 'vitest';
import { loadBrand, loadTemplate } from '../model/index.ts';
import { brandInput, rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { brandUsage, describeInUse, missingInUse } from './usage.ts';

const flyer = loadTemplate(
  templateInput(
    [
      { id: 'band', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 600, 40), fill: 'navy', access: { regions: ['emea'] } },
      { id: 'hex-band', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 40, 600, 40), fill: '#123456' },
      { id: 'logo', kind: 'vendor-logo', owner: 'vendor', lock: 'locked', rect: rect(0, 80, 100, 40), logo: 'on-dark', background: 'navy' },
      { id: 'title', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(0, 120, 600, 40), text: 'Hi', style: textStyle({ font: 'lato-bold', color: 'blue' }) },
      {
        id: 'name',
        kind: 'partner-text',
        owner: 'partner',
        lock: 'editable',
        rect: rect(0, 160, 600, 40),
        content: 'x',
        style: textStyle(),
        fonts: ['noto-arabic'],
        colors: ['pale', '#ABCDEF'],
        visibleWhen: { any: [{ equals: { attr: 'tier', value: 'silver' } }, { not: { in: { attr: 'type', values: ['msp'] } } }, { present: 'distributor' }, { equals: { attr: 'distributor', value: 'gold' } }] },
        access: { certifications: ['cert-b'], partnerTypes: ['reseller'] },
      },
    ],
    { access: { minTier: 'gold' } },
  ),
);

describe('brandUsage', () => {
  const caseStudy = loadTemplate(templateInput([{ id: 'logo', kind: 'vendor-logo', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 10, 10) }], { id: 'case', name: 'Case study', access: { minTier: 'gold' } }));

  it('collects access ids from policies and visibility conditions, and palette, font and logo ids', () => {
    const usage = brandUsage([flyer, caseStudy]);
    expect(usage.tiers).toEqual({ gold: ['"Flyer" (flyer)', '"Case study" (case)'], silver: ['"Flyer" (flyer)'] });
    expect(usage.partnerTypes).toEqual({ msp: ['"Flyer" (flyer)'], reseller: ['"Flyer" (flyer)'] });
    expect(usage.regions).toEqual({ emea: ['"Flyer" (flyer)'] });
    expect(usage.certifications).toEqual({ 'cert-b': ['"Flyer" (flyer)'] });
    // Literal hex colours are not palette entries; "auto" logos name no logo.
    expect(Object.keys(usage.palette).sort()).toEqual(['blue', 'ink', 'navy', 'pale']);
    expect(Object.keys(usage.fonts).sort()).toEqual(['lato', 'lato-bold', 'noto-arabic']);
    expect(usage.logos).toEqual({ 'on-dark': ['"Flyer" (flyer)'] });
  });

  it('missingInUse lists what a brand no longer has, and describeInUse names the templates', () => {
    const usage = brandUsage([flyer, caseStudy]);
    const brand = loadBrand(brandInput());
    expect(missingInUse(brand, usage)).toEqual([]);
    const fewer = { ...brand, access: { ...brand.access, tiers: brand.access.tiers.filter((t) => t.id !== 'gold') }, palette: brand.palette.filter((p) => p.id !== 'pale') };
    const missing = missingInUse(fewer, usage);
    expect(missing).toEqual([
      { kind: 'tiers', id: 'gold', templates: ['"Flyer" (flyer)', '"Case study" (case)'] },
      { kind: 'palette', id: 'pale', templates: ['"Flyer" (flyer)'] },
    ]);
    expect(describeInUse(missing)).toBe('The tier "gold" is used by "Flyer" (flyer), "Case study" (case); The palette colour "pale" is used by "Flyer" (flyer)');
  });

  it('counts the font and colours a form field uses, so the kit cannot remove them', () => {
    const claim = loadTemplate(
      templateInput(
        [{ id: 'amount', kind: 'form-field', owner: 'distributor', lock: 'locked', rect: rect(0, 0, 200, 20), fieldName: 'amount', input: 'text', label: 'Amount', style: { font: 'noto-arabic', size: 10, color: 'blue' }, border: 'pale', background: '#FFFFEE' }],
        { id: 'claim', name: 'Claim' },
      ),
    );
    const usage = brandUsage([claim]);
    expect(usage.fonts).toEqual({ 'noto-arabic': ['"Claim" (claim)'] });
    expect(Object.keys(usage.palette).sort()).toEqual(['blue', 'pale']);
    const brand = loadBrand(brandInput());
    const fewer = { ...brand, fonts: brand.fonts.filter((f) => f.id !== 'noto-arabic'), palette: brand.palette.filter((p) => p.id !== 'pale') };
    expect(missingInUse(fewer, usage).map((m) => `${m.kind}:${m.id}`)).toEqual(['palette:pale', 'fonts:noto-arabic']);
  });

  it('counts a lockup’s separator colour, background and named vendor logo, so the kit cannot remove them', () => {
    const lockup = (id: string, vendorLogo: string) => ({ id, kind: 'lockup' as const, owner: 'vendor' as const, lock: 'locked' as const, rect: rect(0, 0, 300, 60), order: ['vendor' as const, 'partner' as const], vendorLogo, separator: 'rule' as const, separatorColor: 'pale', background: 'navy' });
    const row = loadTemplate(templateInput([lockup('row', 'on-dark'), { ...lockup('auto', 'auto'), separatorColor: '#777777' }], { id: 'row', name: 'Row' }));
    const usage = brandUsage([row]);
    expect(usage.logos).toEqual({ 'on-dark': ['"Row" (row)'] });
    expect(Object.keys(usage.palette).sort()).toEqual(['navy', 'pale']);
    const brand = loadBrand(brandInput());
    const fewer = { ...brand, logos: brand.logos.filter((l) => l.id !== 'on-dark'), palette: brand.palette.filter((p) => p.id !== 'pale' && p.id !== 'navy') };
    expect(missingInUse(fewer, usage).map((m) => `${m.kind}:${m.id}`)).toEqual(['palette:pale', 'palette:navy', 'logos:on-dark']);
  });

  it('is empty for no templates', () => {
    expect(missingInUse(loadBrand(brandInput()), brandUsage([]))).toEqual([]);
  });
});
