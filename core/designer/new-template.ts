import { PAGE_PRESETS, TEMPLATE_FORMAT, TEMPLATE_FORMAT_VERSION, type PagePreset, type Template } from '../model/template.ts';
import type { ArtworkPage } from './pdf-artwork.ts';

/** Page size choices for a new template: a preset, or a custom size in points. */
export type NewSize = PagePreset | { width: number; height: number };

/** Presets offered for new templates, grouped as the picker shows them. */
export const PRESET_GROUPS: readonly { label: string; presets: readonly PagePreset[] }[] = [
  { label: 'Print', presets: ['letter', 'a4', 'a5', 'legal'] },
  { label: 'Social and web', presets: ['social-square', 'social-landscape', 'web-banner'] },
];

/** Print sizes get a bleed by default (9 pt ≈ 3 mm); screen sizes none. */
export function defaultBleed(size: NewSize): number {
  return typeof size === 'string' && ['letter', 'a4', 'a5', 'legal'].includes(size) ? 9 : 0;
}

/** A template id from a name: lower-case words joined by "-", unique against `taken`. */
export function templateIdFrom(name: string, taken: (id: string) => boolean): string {
  const stem =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'template';
  if (!taken(stem)) return stem;
  for (let n = 2; ; n++) if (!taken(`${stem}-${n}`)) return `${stem}-${n}`;
}

export interface NewTemplateSpec {
  id: string;
  name: string;
  brand: string;
  size: NewSize;
  orientation?: 'portrait' | 'landscape' | undefined;
  bleed?: number | undefined;
}

/** An empty one-page template of a size: the start of a draft. Version 1 until published. */
export function blankTemplate(spec: NewTemplateSpec): Template {
  return {
    format: TEMPLATE_FORMAT,
    formatVersion: TEMPLATE_FORMAT_VERSION,
    id: spec.id,
    version: 1,
    name: spec.name,
    description: '',
    category: typeof spec.size === 'string' && PAGE_PRESETS[spec.size].width >= 700 ? 'social' : 'collateral',
    brand: spec.brand,
    page: { size: spec.size, ...(spec.orientation ? { orientation: spec.orientation } : {}), bleed: spec.bleed ?? defaultBleed(spec.size) },
    fields: [],
    pages: [{ zones: [] }],
  };
}

/**
 * A template whose pages are a vendor's PDF pages: each page holds one
 * full-bleed image zone with the page as vector artwork, owned and locked by
 * the vendor, under everything the designer adds.
 */
export function artworkTemplate(spec: Omit<NewTemplateSpec, 'size' | 'orientation' | 'bleed'>, pages: readonly (Pick<ArtworkPage, 'number' | 'width' | 'height' | 'bleed' | 'rect'> & { asset: string })[]): Template {
  const first = pages[0]!;
  return {
    format: TEMPLATE_FORMAT,
    formatVersion: TEMPLATE_FORMAT_VERSION,
    id: spec.id,
    version: 1,
    name: spec.name,
    description: '',
    category: 'collateral',
    brand: spec.brand,
    page: { size: { width: first.width, height: first.height }, bleed: first.bleed },
    fields: [],
    pages: pages.map((p) => ({
      name: `Page ${p.number}`,
      zones: [
        {
          id: pages.length === 1 ? 'artwork' : `artwork-${p.number}`,
          name: `Artwork (PDF page ${p.number})`,
          kind: 'image' as const,
          owner: 'vendor' as const,
          lock: 'locked' as const,
          rect: p.rect,
          asset: p.asset,
          fit: 'contain' as const,
          align: { h: 'center' as const, v: 'middle' as const },
        },
      ],
    })),
  };
}
