import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../core/rules/finding.ts';
import type { PartnerProfile } from '../../core/model/index.ts';
import { emptyCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { DEMO_CONTENT, partnerFile } from '../../test/support/paths.ts';
import type { Catalogue } from '../catalogue.ts';
import { ExportEngine } from '../services/engine.ts';
import { checkDocument } from '../services/export.ts';
import { readContentFolder } from './bundle.ts';
import { demoContentDir } from './package-root.ts';
import { ensureDemoCatalogue, importBundle } from './seed.ts';

const DEMO_TEMPLATES = ['advanced-security-one-pager', 'bundled-offer-sheet', 'case-study-gold', 'co-marketing-request', 'distributor-offer-sheet', 'email-banner', 'event-invitation', 'product-one-pager-a4', 'product-one-pager-letter', 'social-post'];

describe('ensureDemoCatalogue', () => {
  it('seeds an empty catalogue once: true, then false with nothing changed', () => {
    const { catalogue } = emptyCatalogue();
    expect(ensureDemoCatalogue(catalogue)).toBe(true);
    expect(catalogue.brandIds()).toEqual(['nimbus']);
    expect(catalogue.listTemplates().map((t) => t.id).sort()).toEqual(DEMO_TEMPLATES);
    expect(Number.isNaN(Date.parse(catalogue.getSetting('demo-seeded-at') ?? ''))).toBe(false);
    const dump = dumpDatabase(catalogue.db);
    expect(ensureDemoCatalogue(catalogue)).toBe(false);
    expect(dumpDatabase(catalogue.db)).toEqual(dump);
    catalogue.close();
  });

  it('leaves a catalogue that already holds another brand alone', () => {
    const { catalogue } = emptyCatalogue();
    const bundle = readContentFolder(DEMO_CONTENT);
    bundle.brand.id = 'acme';
    importBundle(catalogue, { ...bundle, templates: [], products: [], playbooks: [], trainingSources: [] });
    const dump = dumpDatabase(catalogue.db);
    expect(ensureDemoCatalogue(catalogue)).toBe(false);
    expect(dumpDatabase(catalogue.db)).toEqual(dump);
    expect(catalogue.brandIds()).toEqual(['acme']);
    catalogue.close();
  });

  it('importBundle reports added and unchanged template versions', () => {
    const { catalogue } = emptyCatalogue();
    const bundle = readContentFolder(demoContentDir());
    expect(importBundle(catalogue, bundle)).toEqual({ added: 10, unchanged: 0 });
    expect(importBundle(catalogue, readContentFolder(demoContentDir()))).toEqual({ added: 0, unchanged: 10 });
    catalogue.close();
  });
});

describe('the demo catalogue with the example partners', () => {
  let catalogue: Catalogue;
  let engine: ExportEngine;
  const profiles = new Map<string, PartnerProfile>();

  beforeAll(async () => {
    ({ catalogue } = emptyCatalogue());
    ensureDemoCatalogue(catalogue);
    // Images are decoded in-thread here; isolation has its own tests (image-store.test.ts).
    engine = new ExportEngine(catalogue, false);
    for (const name of ['harbor-it', 'summit-msp', 'al-noor', 'tokyo', 'lowres-logo', 'long-name']) profiles.set(name, await engine.readProfileFile(partnerFile(name)));
  });
  afterAll(() => catalogue.close());

  const check = async (partner: string, template: string, output: 'screen' | 'print' = 'screen') =>
    (await checkDocument(catalogue, engine, { template, profile: profiles.get(partner)!, fields: {}, output })).findings;
  const errors = (findings: Finding[]) => findings.filter((f) => f.severity === 'error');

  it.each(DEMO_TEMPLATES)('template %s compiles against the demo brand', async (id) => {
    const template = catalogue.getTemplate(id);
    const compiled = await engine.compile(catalogue.getBrand('nimbus'), template);
    expect(compiled.template.id).toBe(id);
    // A bundle area that overflows adds continuation pages after its page; every template page is there once.
    expect(compiled.pages.filter((p) => p.continuationOf === undefined)).toHaveLength(template.pages.length);
    expect(compiled.width).toBeGreaterThan(0);
    expect(compiled.height).toBeGreaterThan(0);
    expect(compiled.pages.reduce((n, p) => n + p.zones.length, 0)).toBeGreaterThan(0);
  });

  it.each(['harbor-it', 'summit-msp', 'al-noor'])('%s: every template is compliant on screen, except the Gold ones for Silver harbor-it', async (partner) => {
    for (const id of DEMO_TEMPLATES) {
      const found = errors(await check(partner, id));
      if (partner === 'harbor-it' && id === 'case-study-gold') {
        expect(found, id).toEqual([expect.objectContaining({ code: 'access-denied', severity: 'error', measured: 'silver', required: 'Gold partners only' })]);
      } else if (partner === 'harbor-it' && id === 'advanced-security-one-pager') {
        // Gold, or the certification the security module grants (harbor-it holds neither).
        expect(found, id).toEqual([expect.objectContaining({ code: 'access-denied', severity: 'error', measured: 'silver', required: 'Gold partners only; or become Nimbus Security Specialist' })]);
      } else {
        expect(found, `${partner} × ${id}`).toEqual([]);
      }
    }
  });

  it('summit-msp (a distributor partner) gets its distributor credit on the offer sheet', async () => {
    const r = await checkDocument(catalogue, engine, { template: 'bundled-offer-sheet', profile: profiles.get('summit-msp')!, fields: {}, output: 'screen' });
    expect(Object.values(r.composition.values).join('\n')).toContain('Ingram Cloud Distribution');
  });

  it('tokyo: every template reports missing glyphs for the Japanese company name', async () => {
    for (const id of DEMO_TEMPLATES) {
      const glyphs = (await check('tokyo', id)).filter((f) => f.code === 'missing-glyphs');
      expect(glyphs.length, id).toBeGreaterThan(0);
      expect(glyphs.every((f) => f.severity === 'error')).toBe(true);
      expect(glyphs.map((f) => f.message).join(' ')).toMatch(/株/);
    }
  });

  it.each([
    ['screen', 96],
    ['print', 300],
  ] as const)('lowres-logo: an image-resolution-low error on the partner logo in every template (%s, needs %d ppi)', async (output, required) => {
    for (const id of DEMO_TEMPLATES) {
      const low = (await check('lowres-logo', id, output)).filter((f) => f.code === 'image-resolution-low' && f.zoneId !== null && /logo/.test(f.zoneId));
      expect(low, id).toHaveLength(1);
      const f = low[0]!;
      expect(f.severity).toBe('error');
      expect(f.unit).toBe('ppi');
      expect(f.required).toBe(required);
      expect(typeof f.measured).toBe('number');
      expect(f.measured as number).toBeLessThan(96);
      expect(f.measured as number).toBeGreaterThan(0);
    }
  });

  it('long-name: long texts shrink or truncate with warnings but never block (except the Gold-only template)', async () => {
    for (const id of DEMO_TEMPLATES) {
      const found = errors(await check('long-name', id));
      expect(found.map((f) => f.code), id).toEqual(id === 'case-study-gold' || id === 'advanced-security-one-pager' ? ['access-denied'] : []);
    }
  });
});
