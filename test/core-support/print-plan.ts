import { compileTemplate } from '../../core/compose/compile.ts';
import { compose } from '../../core/compose/compose.ts';
import type { RenderPlan } from '../../core/compose/plan.ts';
import type { PreparedImage } from '../../core/images/prepare.ts';
import { loadBrand, loadDocument, loadProfile, loadTemplate, type TemplateInput } from '../../core/model/index.ts';
import { loadFont } from './fonts.ts';
import { brandInput, documentInput, profileInput, rect, templateInput, textStyle } from './model.ts';
import { makeResources, prepareFixture, solidImage } from './resources.ts';

type ZoneInput = TemplateInput['pages'][number]['zones'][number];

/**
 * A small print document for the print writer and preflight tests: a navy
 * band that stops at the trim, a full-bleed pale block, a non-palette red
 * square, white text on the band, an alpha PNG logo, a low-resolution
 * photo and an opaque one.
 */
export async function printTestPlan(options: { bleed?: number; width?: number; height?: number } = {}): Promise<RenderPlan> {
  const bleed = options.bleed ?? 9;
  const width = options.width ?? 600;
  const height = options.height ?? 400;
  const images: Record<string, PreparedImage> = {
    rgba: await prepareFixture('logo-rgba.png', 'rgba'),
    // 100 × 50 px over 100 × 50 pt: 72 ppi.
    lowres: await solidImage('lowres', 100, 50, [200, 40, 40]),
    // 1000 × 500 px over 100 × 50 pt: 720 ppi.
    sharp: await solidImage('sharp', 1000, 500, [40, 200, 40]),
  };
  const brand = loadBrand(brandInput());
  const resources = makeResources({ lato: loadFont('lato-regular', 'lato'), 'lato-bold': loadFont('lato-bold', 'lato-bold'), 'noto-arabic': loadFont('noto-arabic-regular', 'noto-arabic') }, images);
  const zones = [
    { id: 'full-bleed', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(-bleed, height - 40, width + 2 * bleed, 40 + bleed), fill: 'pale' },
    { id: 'band', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 0, width, 80), fill: 'navy' },
    { id: 'alert', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(300, 200, 20, 20), fill: '#FF0000' },
    { id: 'title', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(20, 20, 400, 40), text: 'Hello Lockup', style: textStyle({ color: 'white', size: 20 }) },
    { id: 'photo', kind: 'image', owner: 'vendor', lock: 'locked', rect: rect(20, 200, 100, 50), asset: 'lowres', fit: 'contain', tone: 'white' },
    { id: 'sharp', kind: 'image', owner: 'vendor', lock: 'locked', rect: rect(150, 200, 100, 50), asset: 'sharp', fit: 'contain', tone: 'white' },
    { id: 'company', kind: 'partner-text', owner: 'partner', lock: 'editable', rect: rect(20, 100, 260, 30), content: '{company}', style: textStyle({ size: 14 }) },
    { id: 'plogo', kind: 'partner-logo', owner: 'partner', lock: 'editable', rect: rect(20, 270, 240, 80) },
  ] as ZoneInput[];
  const template = loadTemplate(templateInput(zones, { name: 'Print test', page: { size: { width, height }, bleed }, fields: [{ key: 'company', label: 'Company' }] }));
  return compose(compileTemplate(template, brand, resources), {
    profile: loadProfile(profileInput({ company: 'Zephyr Widgets', logo: 'rgba' })),
    document: loadDocument(documentInput()),
    output: 'print',
  }).plan;
}
