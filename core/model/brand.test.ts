import { describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { repoText } from '../../test/core-support/files.ts';
import { brandInput } from '../../test/core-support/model.ts';
import { Brand, BrandRules } from './brand.ts';
import { loadBrand } from './index.ts';
import { thrown } from '../../test/support/errors.ts';

function refusal(data: unknown): LockupError {
  return thrown(() => loadBrand(data));
}

describe('Brand schema', () => {
  it('fills the default rules and optional lists', () => {
    const input = brandInput();
    delete input.fallbackFonts;
    const b = loadBrand({ ...input, access: { tiers: [{ id: 'registered', name: 'Registered' }] } });
    expect(b.fallbackFonts).toEqual([]);
    expect(b.access.partnerTypes).toEqual([]);
    expect(b.access.regions).toEqual([]);
    expect(b.access.certifications).toEqual([]);
    expect(b.rules).toEqual({
      logoMinSize: { minWidth: '20mm', severity: 'error' },
      logoClearSpace: { fraction: 0.25, severity: 'error' },
      imageResolution: { screen: { error: 96, warning: 150 }, print: { error: 300 } },
      textContrast: { minRatio: 4.5, largeTextMinRatio: 3, severity: 'error' },
      paletteOnly: { enabled: true, severity: 'error' },
      logoFormats: { allowed: ['png', 'jpeg', 'pdf', 'svg'] },
    });
    expect(b.fonts[0]).toMatchObject({ weight: 400, style: 'normal' });
  });

  it('fills defaults inside partially given rules', () => {
    const b = loadBrand(brandInput({ rules: { logoClearSpace: { fraction: 0.5 } } as never }));
    expect(b.rules.logoClearSpace).toEqual({ fraction: 0.5, severity: 'error' });
    expect(b.rules.textContrast.minRatio).toBe(4.5);
    expect(BrandRules.parse({}).imageResolution.print.warning).toBeUndefined();
  });

  it('accepts the Nimbus demo brand and the benchmark brand', () => {
    expect(loadBrand(JSON.parse(repoText('templates/nimbus/brand.json'))).id).toBe('nimbus');
    expect(loadBrand(JSON.parse(repoText('bench/workload/brand.json'))).rules.logoClearSpace.severity).toBe('warning');
  });

  it('refuses a duplicate palette id at the path of the second entry', () => {
    const input = brandInput();
    input.palette = [...input.palette, { id: 'ink', name: 'Ink again', hex: '#000000', cmyk: [0, 0, 0, 100] }];
    const e = refusal(input);
    expect(e.code).toBe('brand-invalid');
    expect(e.message).toContain(`palette[${input.palette.length - 1}].id`);
    expect(e.message).toContain('duplicate id "ink"');
  });

  it('refuses duplicate font and logo ids', () => {
    const input = brandInput();
    input.fonts = [...input.fonts, { ...input.fonts[0]! }];
    expect(refusal(input).message).toContain('fonts[3].id');
    const logos = brandInput();
    logos.logos = [logos.logos[0]!, logos.logos[0]!];
    expect(refusal(logos).message).toContain('logos[1].id');
  });

  it('refuses a fallback font naming no brand font', () => {
    const e = refusal(brandInput({ fallbackFonts: [{ script: 'Arabic', fonts: ['noto-arabic', 'noto-hebrew'] }] }));
    expect(e.code).toBe('brand-invalid');
    expect(e.message).toContain('fallbackFonts[0].fonts[1]');
    expect(e.message).toContain('no brand font "noto-hebrew"');
  });

  it('refuses malformed palette values', () => {
    const bad = (entry: Record<string, unknown>) => {
      const input = brandInput();
      input.palette = [{ ...input.palette[0]!, ...entry } as never];
      return refusal(input).message;
    };
    expect(bad({ hex: '#12345' })).toContain('palette[0].hex');
    expect(bad({ hex: 'red' })).toContain('palette[0].hex');
    expect(bad({ cmyk: [0, 0, 0, 101] })).toContain('palette[0].cmyk[3]');
    expect(bad({ cmyk: [0, 0, 0] })).toContain('palette[0].cmyk');
  });

  it('refuses empty lists, bad lengths and a newer format version', () => {
    expect(refusal(brandInput({ palette: [] })).message).toContain('palette');
    expect(refusal(brandInput({ logos: [] })).message).toContain('logos');
    expect(refusal(brandInput({ rules: { logoMinSize: { minWidth: '20 furlongs' } } as never })).message).toContain('rules.logoMinSize.minWidth');
    expect(refusal(brandInput({ access: { tiers: [] } as never })).message).toContain('access.tiers');
    const newer = refusal({ ...brandInput(), formatVersion: 3 });
    expect(newer.code).toBe('brand-invalid');
    expect(newer.message).toContain('format version 3');
  });

  it('Brand.safeParse reports the same refinement issues', () => {
    const input = brandInput();
    input.logos = [input.logos[0]!, input.logos[0]!];
    const r = Brand.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['logos', 1, 'id']);
  });
});
