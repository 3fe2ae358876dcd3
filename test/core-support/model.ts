/** Small inline brands, templates, profiles and documents for tests. */
import type { BrandInput } from '../../core/model/brand.ts';
import type { PartnerProfileInput } from '../../core/model/document.ts';
import type { TemplateInput } from '../../core/model/template.ts';

type ZoneInput = TemplateInput['pages'][number]['zones'][number];

export function brandInput(over: Partial<BrandInput> = {}): BrandInput {
  return {
    format: 'lockup.brand',
    formatVersion: 1,
    id: 'acme',
    name: 'Acme',
    palette: [
      { id: 'ink', name: 'Ink', hex: '#111111', cmyk: [0, 0, 0, 93] },
      { id: 'white', name: 'White', hex: '#FFFFFF', cmyk: [0, 0, 0, 0] },
      { id: 'navy', name: 'Navy', hex: '#0B1F44', cmyk: [100, 82, 0, 66] },
      { id: 'pale', name: 'Pale grey', hex: '#CCCCCC', cmyk: [0, 0, 0, 20] },
      { id: 'blue', name: 'Blue', hex: '#0B5FFF', cmyk: [96, 63, 0, 0] },
    ],
    fonts: [
      { id: 'lato', family: 'Lato', weight: 400, file: 'Lato-Regular.ttf', licence: 'OFL' },
      { id: 'lato-bold', family: 'Lato', weight: 700, file: 'Lato-Bold.ttf', licence: 'OFL' },
      { id: 'noto-arabic', family: 'Noto Sans Arabic', weight: 400, file: 'NotoSansArabic-Regular.ttf', licence: 'OFL' },
    ],
    fallbackFonts: [{ script: 'Arabic', fonts: ['noto-arabic'] }],
    logos: [
      { id: 'on-light', name: 'Logo for light', file: 'vendor-light', background: 'light' },
      { id: 'on-dark', name: 'Logo for dark', file: 'vendor-dark', background: 'dark' },
    ],
    access: {
      tiers: [
        { id: 'registered', name: 'Registered' },
        { id: 'silver', name: 'Silver' },
        { id: 'gold', name: 'Gold' },
      ],
      partnerTypes: [
        { id: 'reseller', name: 'Reseller' },
        { id: 'msp', name: 'Managed service provider' },
      ],
      regions: [
        { id: 'emea', name: 'EMEA' },
        { id: 'na', name: 'North America' },
      ],
      certifications: [
        { id: 'cert-a', name: 'Certified A' },
        { id: 'cert-b', name: 'Certified B' },
      ],
    },
    ...over,
  };
}

export function templateInput(zones: ZoneInput[], over: Partial<TemplateInput> = {}): TemplateInput {
  return {
    format: 'lockup.template',
    formatVersion: 1,
    id: 'flyer',
    version: 1,
    name: 'Flyer',
    brand: 'acme',
    page: { size: { width: 600, height: 400 } },
    fields: [],
    pages: [{ zones }],
    ...over,
  };
}

export const rect = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });

export function textStyle(over: Record<string, unknown> = {}) {
  return { font: 'lato', size: 12, color: 'ink', ...over } as { font: string; size: number; color: string } & Record<string, unknown>;
}

export function profileInput(over: Partial<PartnerProfileInput> = {}): PartnerProfileInput {
  return { id: 'p1', company: 'Partner Co', tier: 'gold', ...over };
}

export function documentInput(over: Record<string, unknown> = {}) {
  return { format: 'lockup.document', formatVersion: 1, templateId: 'flyer', templateVersion: 1, ...over };
}
