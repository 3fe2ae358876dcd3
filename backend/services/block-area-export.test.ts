import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanItem } from '../../core/compose/plan.ts';
import type { BlockAreaZone, PartnerProfile, Template } from '../../core/model/index.ts';
import { emptyCatalogue, seededCatalogue } from '../../test/support/catalogue.ts';
import { pdfInfo, pdfText, qpdfCheck } from '../../test/support/pdf.ts';
import { partnerFile, ROOT } from '../../test/support/paths.ts';
import { tempDir } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { readContentFolder } from '../content/bundle.ts';
import { importBundle } from '../content/seed.ts';
import { ExportEngine, newDocument } from './engine.ts';
import { exportDocument } from './export.ts';

/**
 * A bundled-offer sheet whose blocks continue on further pages, exported
 * through the real export service and checked with the PDF tools: a sound
 * file, one PDF page per plan page, each product on the page the plan puts
 * it, and the repeated zones (lockup, footer) on every page.
 */

let catalogue: Catalogue;
let engine: ExportEngine;
let harbor: PartnerProfile;
const SHEET = 'distributor-offer-sheet';

beforeAll(async () => {
  ({ catalogue } = seededCatalogue());
  engine = new ExportEngine(catalogue);
  harbor = await engine.readProfileFile(partnerFile('harbor-it'));
});
afterAll(() => catalogue.close());

/** The demo sheet with its three example blocks placed three times each (new ids and names) in a list, under a new id. */
function longSheet(): Template {
  const demo = catalogue.getTemplate(SHEET);
  const zones = demo.pages[0]!.zones.map((z) => {
    if (z.kind !== 'block-area') return z;
    const entries = [1, 2, 3].flatMap((n) => z.entries.map((e) => ({ product: { ...e.product, id: `${e.product.id}-${n}`, name: `${e.product.name} ${n}` } })));
    // A list in a shorter continuation frame: three pages or more.
    return { ...z, offered: [], layout: 'list', continuation: { ...z.continuation!, h: 400 }, entries } satisfies BlockAreaZone;
  });
  return { ...demo, id: 'long-offer-sheet', name: 'Long offer sheet', pages: [{ ...demo.pages[0]!, zones }] };
}

const nameOf = (item: PlanItem) => (item.type === 'text' ? item.layout.lines.map((l) => l.runs.map((r) => r.glyphs.map((g) => String.fromCodePoint(...g.cps)).join('')).join('')).join(' ') : '');

describe('a multi-page bundled-offer sheet', () => {
  it('the demo sheet composes on one page with no error for Harbor IT', async () => {
    const t = catalogue.getTemplate(SHEET);
    const compiled = await engine.compile(catalogue.getBrand(t.brand), t);
    for (const output of ['screen', 'print'] as const) {
      const c = engine.check(compiled, harbor, newDocument(t), output);
      expect(c.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(c.plan.pages).toHaveLength(1);
    }
  });

  it('exports every page: qpdf finds it sound, pdfinfo counts the plan’s pages, pdftotext finds each product on its page and the footer on all', async () => {
    const t = longSheet();
    expect(catalogue.addTemplateVersion(t)).toBe('added');
    const compiled = await engine.compile(catalogue.getBrand(t.brand), catalogue.getTemplate(t.id));
    const composition = engine.check(compiled, harbor, newDocument(t), 'screen');
    expect(composition.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const plan = composition.plan;
    expect(plan.pages.length).toBeGreaterThanOrEqual(3);
    expect(plan.pages.slice(1).every((p) => p.continuationOf === 0)).toBe(true);
    const names = new Set(t.pages[0]!.zones.flatMap((z) => (z.kind === 'block-area' ? z.entries.map((e) => e.product.name) : [])));
    const expected = plan.pages.map((p) => p.items.filter((i) => i.zoneId === 'offer').map(nameOf).filter((s) => names.has(s)));
    expect(expected.flat().sort()).toEqual([...names].sort());

    const out = path.join(tempDir('lockup-sheet-'), 'long-offer.pdf');
    const r = await exportDocument(catalogue, engine, { template: t.id, profile: harbor, fields: {}, output: 'screen', out, tool: 'cli', reproducible: true });
    expect(r.pages).toBe(plan.pages.length);
    const q = qpdfCheck(out);
    expect(q.stderr).toBe('');
    expect(q.status).toBe(0);
    expect(pdfInfo(out)['Pages']).toBe(String(plan.pages.length));
    expected.forEach((onPage, i) => {
      const text = pdfText(out, i + 1).replace(/\s+/g, ' ');
      for (const name of onPage) expect(text, `page ${i + 1}`).toContain(name);
      for (const name of names) if (!onPage.includes(name)) expect(text, `page ${i + 1}`).not.toContain(`${name} `);
      // The repeated zones: the partner's footer and the legal line, on every page.
      expect(text).toContain('Harbor IT · (206) 555-0142 · harbor-it.example.com');
      expect(text).toContain('© 2025 Nimbus Systems');
      // The headline and the bundle price are on the first page only.
      expect(text.includes('Backup, recovery and the people to run it.')).toBe(i === 0);
      expect(text.includes('$24.90 per user / month')).toBe(i === 0);
    });
    const last = pdfText(out, plan.pages.length);
    expect(last).toContain('Onboarding and first restore test 3');
  });

  it('the benchmark’s offer sheet (bench/workload) is one template page that flows onto exactly three', async () => {
    const { catalogue: bench } = emptyCatalogue();
    try {
      importBundle(bench, readContentFolder(path.join(ROOT, 'bench', 'workload')));
      const t = bench.getTemplate('bench-offer-3p');
      expect(t.pages).toHaveLength(1);
      const compiled = await new ExportEngine(bench).compile(bench.getBrand(t.brand), t);
      expect(compiled.pages.map((p) => p.continuationOf)).toEqual([undefined, 0, 0]);
      expect(compiled.pages.flatMap((p) => p.zones).flatMap((z) => z.findings)).toEqual([]);
    } finally {
      bench.close();
    }
  });
});
