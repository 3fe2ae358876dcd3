import type { AccessLevels, AccessPolicy } from '../model/access.ts';
import type { Condition } from '../model/condition.ts';
import { pageSize, Template, type Zone } from '../model/template.ts';
import { describeIssues, jsonPath, type ValidationIssue } from '../model/validate.ts';

/** A validation issue of a draft, with the zone it is about when there is one. */
export interface DraftIssue extends ValidationIssue {
  zoneId: string | null;
}

/**
 * The brand facts a template is checked against: ids only, so the renderer
 * can run the same checks on its view of the brand as the backend on Brand.
 */
export interface BrandFacts {
  id: string;
  palette: readonly { id: string }[];
  fonts: readonly { id: string }[];
  logos: readonly { id: string }[];
  access: AccessLevels;
}

const HEX = /^#[0-9A-Fa-f]{6}$/;

/**
 * What the template schema cannot know: that fonts, colours, logos, access
 * levels and image assets exist in this brand and catalogue, that visibility
 * conditions name declared fields, and that every zone touches the page.
 * Runs on a template that already passed the schema.
 */
export function brandIssues(t: Template, brand: BrandFacts, hasAsset: (ref: string) => boolean): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const add = (path: (string | number)[], message: string) => out.push({ path: jsonPath(path), message });
  const fonts = new Set(brand.fonts.map((f) => f.id));
  const palette = new Set(brand.palette.map((p) => p.id));
  const logos = new Set(brand.logos.map((l) => l.id));
  const fields = new Set(t.fields.map((f) => f.key));
  const color = (path: (string | number)[], ref: string | undefined) => {
    if (ref !== undefined && !palette.has(ref) && !HEX.test(ref)) add(path, `"${ref}" is neither a ${brand.id} palette colour nor "#RRGGBB"`);
  };
  const font = (path: (string | number)[], id: string) => {
    if (!fonts.has(id)) add(path, `the brand has no font "${id}"`);
  };

  if (t.brand !== brand.id) add(['brand'], `the template belongs to brand "${t.brand}", not "${brand.id}"`);
  accessIssues(t.access, brand.access, ['access'], add);

  const { width, height } = pageSize(t);
  const bleed = t.page.bleed;
  t.pages.forEach((page, p) => {
    color(['pages', p, 'background'], page.background);
    page.zones.forEach((zone, z) => {
      const path = ['pages', p, 'zones', z];
      const r = zone.rect;
      // Half a point of slack: rounding of dragged values must not make a zone on the edge invalid.
      if (r.x + r.w <= -bleed || r.y + r.h <= -bleed || r.x >= width + bleed || r.y >= height + bleed) add([...path, 'rect'], 'the zone lies entirely outside the page and its bleed');
      else if (r.x < -bleed - 0.5 || r.y < -bleed - 0.5 || r.x + r.w > width + bleed + 0.5 || r.y + r.h > height + bleed + 0.5) add([...path, 'rect'], 'the zone extends beyond the bleed');
      accessIssues(zone.access, brand.access, [...path, 'access'], add);
      if (zone.visibleWhen) conditionIssues(zone.visibleWhen, brand.access, fields, [...path, 'visibleWhen'], add);
      zoneIssues(zone, path, { color, font, add, logos, hasAsset });
    });
  });
  return out;
}

interface ZoneCheck {
  color: (path: (string | number)[], ref: string | undefined) => void;
  font: (path: (string | number)[], id: string) => void;
  add: (path: (string | number)[], message: string) => void;
  logos: Set<string>;
  hasAsset: (ref: string) => boolean;
}

function zoneIssues(zone: Zone, path: (string | number)[], c: ZoneCheck): void {
  switch (zone.kind) {
    case 'color-block':
      c.color([...path, 'fill'], zone.fill);
      return;
    case 'image':
      c.color([...path, 'tone'], zone.tone);
      if (zone.asset.trim() === '') c.add([...path, 'asset'], 'choose an image for this zone');
      else if (!c.hasAsset(zone.asset)) c.add([...path, 'asset'], `the image ${zone.asset} is not in the catalogue`);
      return;
    case 'vendor-logo':
      c.color([...path, 'background'], zone.background);
      if (zone.logo !== 'auto' && !c.logos.has(zone.logo)) c.add([...path, 'logo'], `the brand has no logo "${zone.logo}"`);
      return;
    case 'partner-logo':
      c.color([...path, 'background'], zone.background);
      return;
    case 'lockup':
      c.color([...path, 'separatorColor'], zone.separatorColor);
      c.color([...path, 'background'], zone.background);
      if (zone.vendorLogo !== 'auto' && !c.logos.has(zone.vendorLogo)) c.add([...path, 'vendorLogo'], `the brand has no logo "${zone.vendorLogo}"`);
      return;
    case 'static-text':
      c.font([...path, 'style', 'font'], zone.style.font);
      c.color([...path, 'style', 'color'], zone.style.color);
      c.color([...path, 'background'], zone.background);
      return;
    case 'partner-text':
      c.font([...path, 'style', 'font'], zone.style.font);
      c.color([...path, 'style', 'color'], zone.style.color);
      c.color([...path, 'background'], zone.background);
      zone.fonts?.forEach((f, i) => c.font([...path, 'fonts', i], f));
      zone.colors?.forEach((col, i) => c.color([...path, 'colors', i], col));
      if (zone.minSize !== undefined && zone.maxSize !== undefined && zone.minSize > zone.maxSize) c.add([...path, 'minSize'], 'the smallest size is larger than the largest');
      return;
    case 'form-field':
      c.font([...path, 'style', 'font'], zone.style.font);
      c.color([...path, 'style', 'color'], zone.style.color);
      c.color([...path, 'border'], zone.border);
      c.color([...path, 'background'], zone.background);
      return;
    case 'block-area':
      c.font([...path, 'style', 'font'], zone.style.font);
      c.font([...path, 'style', 'bold'], zone.style.bold);
      for (const key of ['color', 'muted', 'accent', 'card', 'headingColor'] as const) c.color([...path, 'style', key], zone.style[key]);
      zone.entries.forEach((e, i) => {
        if (e.product.image !== undefined && !c.hasAsset(e.product.image)) c.add([...path, 'entries', i, 'product', 'image'], `the picture of "${e.product.name}" (${e.product.image}) is not in the catalogue`);
      });
      return;
  }
}

function accessIssues(policy: AccessPolicy | undefined, levels: AccessLevels, path: (string | number)[], add: (path: (string | number)[], message: string) => void): void {
  if (!policy) return;
  if (policy.minTier && !levels.tiers.some((t) => t.id === policy.minTier)) add([...path, 'minTier'], `the brand has no tier "${policy.minTier}"`);
  const check = (key: 'partnerTypes' | 'regions' | 'certifications' | 'orCertified', list: { id: string }[], what: string) =>
    policy[key]?.forEach((id, i) => {
      if (!list.some((e) => e.id === id)) add([...path, key, i], `the brand has no ${what} "${id}"`);
    });
  check('partnerTypes', levels.partnerTypes, 'partner type');
  check('regions', levels.regions, 'region');
  check('certifications', levels.certifications, 'certification');
  check('orCertified', levels.certifications, 'certification');
}

function conditionIssues(c: Condition, levels: AccessLevels, fields: Set<string>, path: (string | number)[], add: (path: (string | number)[], message: string) => void): void {
  const attr = (a: string, p: (string | number)[]) => {
    if (a.startsWith('field:') && !fields.has(a.slice(6))) add(p, `the condition reads field "${a.slice(6)}", which the template does not declare`);
  };
  const values = (a: string, vs: string[], p: (string | number)[]) => {
    const list = a === 'tier' ? levels.tiers : a === 'type' ? levels.partnerTypes : a === 'region' ? levels.regions : undefined;
    if (!list) return;
    vs.forEach((v, i) => {
      if (!list.some((e) => e.id === v)) add([...p, i], `the brand has no ${a} "${v}"`);
    });
  };
  if ('present' in c) attr(c.present, [...path, 'present']);
  else if ('absent' in c) attr(c.absent, [...path, 'absent']);
  else if ('equals' in c) {
    attr(c.equals.attr, [...path, 'equals', 'attr']);
    values(c.equals.attr, [c.equals.value], [...path, 'equals', 'value']);
  } else if ('in' in c) {
    attr(c.in.attr, [...path, 'in', 'attr']);
    values(c.in.attr, c.in.values, [...path, 'in', 'values']);
  } else if ('all' in c) c.all.forEach((x, i) => conditionIssues(x, levels, fields, [...path, 'all', i], add));
  else if ('any' in c) c.any.forEach((x, i) => conditionIssues(x, levels, fields, [...path, 'any', i], add));
  else conditionIssues(c.not, levels, fields, [...path, 'not'], add);
}

/** The zone a JSON path points into (`pages[0].zones[3]…`), if any. */
export function zoneIdAt(raw: unknown, path: string): string | null {
  const m = /^pages\[(\d+)\]\.zones\[(\d+)\]/.exec(path);
  if (!m || typeof raw !== 'object' || raw === null) return null;
  const pages = (raw as { pages?: unknown }).pages;
  if (!Array.isArray(pages)) return null;
  const zones = (pages[Number(m[1])] as { zones?: unknown } | undefined)?.zones;
  if (!Array.isArray(zones)) return null;
  const id = (zones[Number(m[2])] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : null;
}

/**
 * Every issue that would stop a draft from being published: the schema's
 * (with JSON paths) and then the brand's. `template` is set when the draft
 * passes the schema. Drafts are written by this build, so no format
 * migration applies.
 */
export function checkDraft(raw: unknown, brand: BrandFacts, hasAsset: (ref: string) => boolean): { template: Template | undefined; issues: DraftIssue[] } {
  const parsed = Template.safeParse(raw);
  const issues: ValidationIssue[] = parsed.success ? brandIssues(parsed.data, brand, hasAsset) : describeIssues(parsed.error);
  return { template: parsed.success ? parsed.data : undefined, issues: issues.map((i) => ({ ...i, zoneId: zoneIdAt(raw, i.path) })) };
}
