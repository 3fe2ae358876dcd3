import { beforeAll, describe, expect, it } from 'vitest';
import type { PreparedImage } from '../images/prepare.ts';
import { loadBrand, loadDocument, loadProfile, loadTemplate, type Brand, type TemplateInput } from '../model/index.ts';
import { Template } from '../model/template.ts';
import { loadFont } from '../../test/core-support/fonts.ts';
import { brandInput, documentInput, profileInput, rect, templateInput } from '../../test/core-support/model.ts';
import { makeResources, solidImage } from '../../test/core-support/resources.ts';
import { compileTemplate, type Resources } from './compile.ts';
import { compose, type DistributorLayer } from './compose.ts';
import { placeLockup } from './geometry.ts';

type ZoneInput = TemplateInput['pages'][number]['zones'][number];

describe('placeLockup', () => {
  const zone = { x: 10, y: 20, w: 500, h: 60 };
  const o = { gap: 0.5, clear: 0.25, ruleWidth: 1, align: 'left' as const };

  it('sizes every part from the vendor logo height and never leaves the zone', () => {
    // Vendor 3:1, distributor 2:1, partner 1:1, all at the vendor's height.
    const r = placeLockup([{ width: 300, height: 100, relative: 1 }, { width: 200, height: 100, relative: 1 }, { width: 100, height: 100, relative: 1 }], zone, o);
    // Height-bound: H = 60 / (1 + 2 × 0.25) = 40; width needed 40 × (3 + 2 + 1 + 2 × 2 × 0.5 + 0.5) + 2 = 382 ≤ 500.
    expect(r.unit).toBeCloseTo(40, 6);
    expect(r.places.map((p) => [p.w, p.h])).toEqual([[120, 40], [80, 40], [40, 40]]);
    expect(r.separators).toHaveLength(2);
    // Separator sits gap × H after the logo before it, and the next logo gap × H after it.
    expect(r.separators[0]!.x - (r.places[0]!.x + r.places[0]!.w)).toBeCloseTo(20, 6);
    expect(r.places[1]!.x - (r.separators[0]!.x + 1)).toBeCloseTo(20, 6);
    // Left-aligned: the clear space starts at the zone edge.
    expect(r.clear.x).toBeCloseTo(zone.x, 6);
    for (const p of [...r.places, r.clear]) {
      expect(p.x).toBeGreaterThanOrEqual(zone.x - 1e-9);
      expect(p.x + p.w).toBeLessThanOrEqual(zone.x + zone.w + 1e-9);
      expect(p.y).toBeGreaterThanOrEqual(zone.y - 1e-9);
      expect(p.y + p.h).toBeLessThanOrEqual(zone.y + zone.h + 1e-9);
    }
  });

  it('shrinks to the width when the logos are wide, and centres smaller co-brand logos on the row', () => {
    const r = placeLockup([{ width: 600, height: 100, relative: 1 }, { width: 600, height: 100, relative: 0.5 }], { x: 0, y: 0, w: 200, h: 100 }, { ...o, align: 'center' });
    // Width-bound: H × (6 + 6 × 0.5 + 1 + 0.5) + 1 = 200.
    expect(r.unit).toBeCloseTo(199 / 10.5, 6);
    expect(r.places[1]!.h).toBeCloseTo(r.unit / 2, 6);
    expect(r.places[1]!.y + r.places[1]!.h / 2).toBeCloseTo(r.places[0]!.y + r.places[0]!.h / 2, 6);
    expect(r.clear.x + r.clear.w / 2).toBeCloseTo(100, 6);
  });

  it('without separators leaves one gap between neighbours', () => {
    const r = placeLockup([{ width: 100, height: 100, relative: 1 }, { width: 100, height: 100, relative: 1 }], zone, { ...o, ruleWidth: 0 });
    expect(r.separators).toEqual([]);
    expect(r.places[1]!.x - (r.places[0]!.x + r.places[0]!.w)).toBeCloseTo(0.5 * r.unit, 6);
  });
});

describe('lockup zones in composition', () => {
  let brand: Brand;
  let resources: Resources;
  const images: Record<string, PreparedImage> = {};
  const LOCKUP: ZoneInput = {
    id: 'lockup',
    kind: 'lockup',
    owner: 'vendor',
    lock: 'locked',
    rect: rect(20, 300, 570, 90),
    order: ['vendor', 'distributor', 'partner'],
    separator: 'rule',
    separatorColor: 'pale',
  } as ZoneInput;
  const DIST: DistributorLayer = { id: 'dist', name: 'Westcoast Distribution', logos: { light: 'dist-logo' } };

  beforeAll(async () => {
    brand = loadBrand(brandInput());
    images['vendor-light'] = await solidImage('vendor-light', 600, 200, [20, 60, 160]);
    images['vendor-dark'] = await solidImage('vendor-dark', 600, 200, [250, 250, 250]);
    images['plogo'] = await solidImage('plogo', 300, 300, [200, 30, 30]);
    images['dist-logo'] = await solidImage('dist-logo', 200, 100, [0, 120, 0]);
    resources = makeResources({ lato: loadFont('lato-regular', 'lato') }, images);
  });

  const run = (zones: ZoneInput[], opts: { partnerLogo?: string; distributor?: DistributorLayer } = {}) => {
    const c = compileTemplate(loadTemplate(templateInput(zones)), brand, resources);
    return compose(c, {
      profile: loadProfile(profileInput(opts.partnerLogo ? { logo: opts.partnerLogo } : {})),
      document: loadDocument(documentInput()),
      output: 'screen',
      ...(opts.distributor ? { distributor: opts.distributor } : {}),
    });
  };

  it('draws vendor | distributor | partner in order with two rules, all at the vendor logo height', () => {
    const r = run([LOCKUP], { partnerLogo: 'plogo', distributor: DIST });
    const items = r.plan.pages[0]!.items;
    const logos = items.filter((i) => i.type === 'image');
    expect(logos.map((i) => i.type === 'image' && i.image.key)).toEqual(['vendor-light', 'dist-logo', 'plogo']);
    const heights = logos.map((i) => (i.type === 'image' ? Math.round(i.place.h * 1000) / 1000 : 0));
    expect(new Set(heights).size).toBe(1);
    const xs = logos.map((i) => (i.type === 'image' ? i.place.x : 0));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(items.filter((i) => i.type === 'fill')).toHaveLength(2);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('closes up without a distributor, and needs the partner logo when the zone says so', () => {
    const direct = run([LOCKUP], { partnerLogo: 'plogo' });
    expect(direct.plan.pages[0]!.items.filter((i) => i.type === 'image').map((i) => i.type === 'image' && i.image.key)).toEqual(['vendor-light', 'plogo']);
    expect(direct.plan.pages[0]!.items.filter((i) => i.type === 'fill')).toHaveLength(1);
    const missing = run([LOCKUP], { distributor: DIST });
    expect(missing.findings.map((f) => [f.code, f.zoneId])).toContainEqual(['logo-missing', 'lockup']);
  });

  it('follows the vendor order and relative size', () => {
    const r = run([{ ...(LOCKUP as object), order: ['partner', 'vendor'], relativeSize: 0.5 } as ZoneInput], { partnerLogo: 'plogo' });
    const logos = r.plan.pages[0]!.items.filter((i) => i.type === 'image');
    expect(logos.map((i) => i.type === 'image' && i.image.key)).toEqual(['plogo', 'vendor-light']);
    const [p, v] = logos.map((i) => (i.type === 'image' ? i.place : undefined));
    expect(p!.h).toBeCloseTo(v!.h / 2, 6);
    expect(p!.x).toBeLessThan(v!.x);
  });

  it('flags a lockup too small for the brand minimum logo size', () => {
    const r = run([{ ...(LOCKUP as object), rect: rect(40, 300, 60, 12) } as ZoneInput], { partnerLogo: 'plogo' });
    expect(r.findings.map((f) => f.code)).toContain('logo-too-small');
  });

  it('uses the dark variants on a dark backdrop', () => {
    const r = run([{ ...(LOCKUP as object), background: 'navy' } as ZoneInput], { partnerLogo: 'plogo' });
    expect(r.plan.pages[0]!.items.find((i) => i.type === 'image' && i.image.key.startsWith('vendor'))).toMatchObject({ image: { key: 'vendor-dark' } });
  });

  it('model: vendor-owned and locked, each party once, the vendor included, a rule needs a colour', () => {
    const issues = (z: Record<string, unknown>) => {
      const r = Template.safeParse(templateInput([{ ...(LOCKUP as object), ...z } as ZoneInput]));
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(issues({})).toEqual([]);
    expect(issues({ order: ['partner', 'partner'] })).toContain('each party appears once in a lockup');
    expect(issues({ order: ['partner', 'distributor'] })).toContain('a lockup shows the vendor logo');
    expect(issues({ owner: 'distributor' })).toContain('a lockup zone is vendor content: owned by the vendor and locked');
    expect(issues({ separatorColor: undefined })).toContain('a rule separator needs a colour');
  });
});
