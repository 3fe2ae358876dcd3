import type { AccessLevels } from '../model/access.ts';
import { BRAND_FORMAT, BRAND_FORMAT_VERSION, BrandRules, type Brand, type BrandFont, type BrandLogo, type PaletteEntry } from '../model/brand.ts';
import type { ValidationIssue } from '../model/validate.ts';

/** An id (see `Id` in core/model/access.ts) derived from a name: "Nimbus Blue" → "nimbus-blue". */
export function slugId(text: string, fallback = 'item'): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || fallback;
}

/** `base`, or `base-2`, `base-3`… whichever is not taken. */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * The palette a new brand starts with: black and white, whose CMYK values
 * print as their hex (100 % K prints as #231F20 on a coated press, not
 * #000000). The vendor replaces them with the brand's own colours.
 */
export const DEFAULT_PALETTE: readonly PaletteEntry[] = [
  { id: 'black', name: 'Black', hex: '#231F20', cmyk: [0, 0, 0, 100] },
  { id: 'white', name: 'White', hex: '#FFFFFF', cmyk: [0, 0, 0, 0] },
];

/** Tiers lowest first, as most partner programmes name them; partner types the common three. */
export const DEFAULT_ACCESS: AccessLevels = {
  tiers: [
    { id: 'registered', name: 'Registered' },
    { id: 'silver', name: 'Silver' },
    { id: 'gold', name: 'Gold' },
  ],
  partnerTypes: [
    { id: 'reseller', name: 'Reseller' },
    { id: 'msp', name: 'Managed service provider' },
    { id: 'referral', name: 'Referral partner' },
  ],
  regions: [],
  certifications: [],
};

/**
 * The fonts a new brand starts with: Lato, which Lockup ships under the SIL
 * Open Font License 1.1 (assets/fonts/lato/OFL.txt), so a brand is valid
 * before the vendor uploads their own. Paths are relative to the package root.
 */
export const DEFAULT_FONTS: readonly (Omit<BrandFont, 'file'> & { path: string })[] = [
  { id: 'lato-regular', family: 'Lato', weight: 400, style: 'normal', path: 'assets/fonts/lato/Lato-Regular.ttf', licence: 'SIL Open Font License 1.1 (Lato © 2010–2014 tyPoland Lukasz Dziedzic; shipped with Lockup)' },
  { id: 'lato-bold', family: 'Lato', weight: 700, style: 'normal', path: 'assets/fonts/lato/Lato-Bold.ttf', licence: 'SIL Open Font License 1.1 (Lato © 2010–2014 tyPoland Lukasz Dziedzic; shipped with Lockup)' },
];

/** A new brand kit: the vendor's name, id and first logo, with the defaults above. */
export function newBrand(opts: { id: string; name: string; logo: BrandLogo; fonts: BrandFont[] }): Brand {
  return {
    format: BRAND_FORMAT,
    formatVersion: BRAND_FORMAT_VERSION,
    id: opts.id,
    name: opts.name,
    palette: DEFAULT_PALETTE.map((p) => ({ ...p, cmyk: [...p.cmyk] })),
    fonts: opts.fonts,
    fallbackFonts: [],
    logos: [opts.logo],
    rules: BrandRules.parse({}),
    access: {
      tiers: DEFAULT_ACCESS.tiers.map((t) => ({ ...t })),
      partnerTypes: DEFAULT_ACCESS.partnerTypes.map((t) => ({ ...t })),
      regions: [],
      certifications: [],
    },
  };
}

/**
 * What the schema cannot say about a brand kit: blank names, thresholds that
 * contradict each other, and fallback lists the catalogue cannot store (one
 * row per script and font). Paths are JSON paths as in `describeIssues`.
 */
export function brandIssues(brand: Brand): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const blank = (value: string, path: string, what: string) => {
    if (value.trim() === '') issues.push({ path, message: `${what} cannot be blank` });
  };
  blank(brand.name, 'name', 'The brand name');
  brand.palette.forEach((p, i) => blank(p.name, `palette[${i}].name`, 'A colour name'));
  brand.fonts.forEach((f, i) => {
    blank(f.family, `fonts[${i}].family`, 'A font family');
    blank(f.licence, `fonts[${i}].licence`, 'A licence note');
  });
  brand.logos.forEach((l, i) => blank(l.name, `logos[${i}].name`, 'A logo name'));
  for (const key of ['tiers', 'partnerTypes', 'regions', 'certifications'] as const) {
    brand.access[key].forEach((e, i) => blank(e.name, `access.${key}[${i}].name`, 'A name'));
  }

  const res = brand.rules.imageResolution;
  if (res.screen.warning < res.screen.error) {
    issues.push({ path: 'rules.imageResolution.screen.warning', message: `the warning threshold (${res.screen.warning} ppi) must be at least the error threshold (${res.screen.error} ppi)` });
  }
  if (res.print.warning !== undefined && res.print.warning < res.print.error) {
    issues.push({ path: 'rules.imageResolution.print.warning', message: `the warning threshold (${res.print.warning} ppi) must be at least the error threshold (${res.print.error} ppi)` });
  }
  const contrast = brand.rules.textContrast;
  if (contrast.largeTextMinRatio > contrast.minRatio) {
    issues.push({ path: 'rules.textContrast.largeTextMinRatio', message: `large text (${contrast.largeTextMinRatio}:1) cannot need more contrast than body text (${contrast.minRatio}:1)` });
  }

  const scripts = new Set<string>();
  brand.fallbackFonts.forEach((fb, i) => {
    if (scripts.has(fb.script)) issues.push({ path: `fallbackFonts[${i}].script`, message: `the script "${fb.script}" is listed twice` });
    scripts.add(fb.script);
    fb.fonts.forEach((f, j) => {
      if (fb.fonts.indexOf(f) !== j) issues.push({ path: `fallbackFonts[${i}].fonts[${j}]`, message: `the font "${f}" is listed twice` });
    });
  });
  return issues;
}
