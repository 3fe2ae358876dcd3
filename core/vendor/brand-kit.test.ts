import { describe, expect, it } from 'vitest';
import { paletteAgreement } from '../color/cmyk.ts';
import { Brand, loadBrand } from '../model/index.ts';
import { brandInput } from '../../test/core-support/model.ts';
import { brandIssues, DEFAULT_ACCESS, DEFAULT_FONTS, DEFAULT_PALETTE, newBrand, slugId, uniqueId } from './brand-kit.ts';

describe('ids', () => {
  it('slugId makes a valid Id from any name', () => {
    expect(slugId('Nimbus Blue')).toBe('nimbus-blue');
    expect(slugId('  Équipe Crème  ')).toBe('equipe-creme');
    expect(slugId('Europe, Middle East & Africa')).toBe('europe-middle-east-africa');
    expect(slugId('日本')).toBe('item');
    expect(slugId('!!!', 'tier')).toBe('tier');
    expect(slugId('a'.repeat(100)).length).toBe(60);
    for (const s of ['Nimbus Blue', '---x', 'A-B_c.d', `${'word '.repeat(20)}`]) expect(slugId(s)).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
  });

  it('uniqueId appends the first free number', () => {
    expect(uniqueId('gold', [])).toBe('gold');
    expect(uniqueId('gold', ['gold', 'gold-2'])).toBe('gold-3');
  });
});

describe('newBrand', () => {
  it('is a valid brand with the default palette, fonts, rules and access levels', () => {
    const brand = newBrand({
      id: 'acme',
      name: 'Acme',
      logo: { id: 'logo', name: 'Acme logo', background: 'light', file: `sha256:${'a'.repeat(64)}` },
      fonts: DEFAULT_FONTS.map((f) => ({ id: f.id, family: f.family, weight: f.weight, style: f.style, licence: f.licence, file: `sha256:${'b'.repeat(64)}` })),
    });
    expect(Brand.parse(brand)).toEqual(brand);
    expect(brandIssues(brand)).toEqual([]);
    expect(brand.access.tiers.map((t) => t.id)).toEqual(['registered', 'silver', 'gold']);
    expect(brand.access).toEqual(DEFAULT_ACCESS);
    expect(brand.rules.imageResolution.screen).toEqual({ error: 96, warning: 150 });
  });

  it('starts with a palette whose CMYK agrees with its hex, and fonts with an OFL licence note', () => {
    for (const p of DEFAULT_PALETTE) expect(paletteAgreement(p.hex, p.cmyk)!.deltaE).toBeLessThan(1);
    for (const f of DEFAULT_FONTS) expect(f.licence).toMatch(/^SIL Open Font License 1\.1/);
  });
});

describe('brandIssues', () => {
  const base = () => loadBrand({ ...brandInput(), fonts: brandInput().fonts.map((f) => ({ ...f, file: `sha256:${'c'.repeat(64)}` })) });

  it('accepts the test brand', () => expect(brandIssues(base())).toEqual([]));

  it('flags blank names with their paths', () => {
    const b = base();
    b.name = '   ';
    b.palette[1]!.name = ' ';
    b.access.tiers[2]!.name = '\t';
    b.fonts[0]!.licence = ' ';
    expect(brandIssues(b).map((i) => i.path)).toEqual(['name', 'palette[1].name', 'fonts[0].licence', 'access.tiers[2].name']);
  });

  it('flags thresholds that contradict each other', () => {
    const b = base();
    b.rules.imageResolution = { screen: { error: 150, warning: 96 }, print: { error: 300, warning: 200 } };
    b.rules.textContrast = { minRatio: 3, largeTextMinRatio: 4.5, severity: 'error' };
    const issues = brandIssues(b);
    expect(issues.map((i) => i.path)).toEqual(['rules.imageResolution.screen.warning', 'rules.imageResolution.print.warning', 'rules.textContrast.largeTextMinRatio']);
    expect(issues[0]!.message).toBe('the warning threshold (96 ppi) must be at least the error threshold (150 ppi)');
  });

  it('flags fallback lists the catalogue cannot store', () => {
    const b = base();
    b.fallbackFonts = [
      { script: 'Arabic', fonts: ['noto-arabic', 'noto-arabic'] },
      { script: 'Arabic', fonts: ['lato'] },
    ];
    expect(brandIssues(b).map((i) => i.path)).toEqual(['fallbackFonts[0].fonts[1]', 'fallbackFonts[1].script']);
  });
});
