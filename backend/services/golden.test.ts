import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartnerProfile } from '../../core/model/index.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { ROOT, partnerFile } from '../../test/support/paths.ts';
import { diffPixels, readPng, renderPng } from '../../test/support/print.ts';
import { tempDir } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import type { OutputProfile } from '../../core/compose/compose.ts';
import { ExportEngine } from './engine.ts';
import { exportDocument } from './export.ts';

/**
 * Golden renders (test-fixtures/golden/README.md): each demo template is
 * exported, rendered with pdftoppm at 24 dpi and compared with the stored
 * PNG. A pixel differs when any channel is off by more than 48 (of 255);
 * at most 0.5 % of the pixels may differ, which absorbs anti-aliasing
 * changes between poppler versions but not a moved, missing or recoloured
 * zone. `UPDATE_GOLDEN=1 npx vitest run backend/services/golden.test.ts`
 * rewrites the snapshots (review them before committing).
 */

const GOLDEN = path.join(ROOT, 'test-fixtures', 'golden');
const DPI = 24;
const CHANNEL_THRESHOLD = 48;
const MAX_DIFF_FRACTION = 0.005;
const update = process.env['UPDATE_GOLDEN'] === '1';

const CASES: [template: string, partner: string, output: OutputProfile][] = [
  ['product-one-pager-letter', 'harbor-it', 'screen'],
  ['product-one-pager-a4', 'harbor-it', 'screen'],
  ['bundled-offer-sheet', 'summit-msp', 'screen'],
  ['event-invitation', 'harbor-it', 'screen'],
  ['case-study-gold', 'summit-msp', 'screen'],
  // Opens to Gold partners, or to those certified by the training module (summit-msp is both).
  ['advanced-security-one-pager', 'summit-msp', 'screen'],
  ['email-banner', 'harbor-it', 'screen'],
  ['social-post', 'al-noor', 'screen'],
  // Fillable form fields: widgets drawn from their appearance streams on screen, flattened into the page for print.
  ['co-marketing-request', 'harbor-it', 'screen'],
  ['co-marketing-request', 'harbor-it', 'print'],
  // Product blocks in a bundle area, under the vendor–partner lockup.
  ['distributor-offer-sheet', 'harbor-it', 'screen'],
  // One print export: crop marks, slug and CMYK colours as poppler draws them.
  ['product-one-pager-letter', 'harbor-it', 'print'],
];

let catalogue: Catalogue;
let engine: ExportEngine;
const profiles = new Map<string, PartnerProfile>();
const dir = tempDir('lockup-golden-');

beforeAll(async () => {
  ({ catalogue } = seededCatalogue());
  engine = new ExportEngine(catalogue);
  for (const name of new Set(CASES.map((c) => c[1]))) profiles.set(name, await engine.readProfileFile(partnerFile(name)));
});
afterAll(() => catalogue.close());

describe('golden renders of the demo templates', () => {
  for (const [template, partner, output] of CASES) {
    const name = `${template}-${output}`;
    it(`${name} matches test-fixtures/golden/${name}.png`, async () => {
      const pdf = path.join(dir, `${name}.pdf`);
      await exportDocument(catalogue, engine, { template, profile: profiles.get(partner)!, fields: {}, output, out: pdf, tool: 'cli', reproducible: true });
      const golden = path.join(GOLDEN, `${name}.png`);
      if (update || !fs.existsSync(golden)) {
        if (!update) throw new Error(`No golden render ${golden}: run UPDATE_GOLDEN=1 npx vitest run backend/services/golden.test.ts`);
        renderPng(pdf, golden, DPI);
        return;
      }
      const actualFile = path.join(dir, `${name}.png`);
      renderPng(pdf, actualFile, DPI);
      const expected = readPng(golden);
      const actual = readPng(actualFile);
      expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
      const differing = diffPixels(expected, actual, CHANNEL_THRESHOLD);
      expect(differing / (actual.width * actual.height), `${differing} of ${actual.width * actual.height} pixels differ; the render is ${actualFile}`).toBeLessThanOrEqual(MAX_DIFF_FRACTION);
    });
  }

  it('would notice a real change: a render of another template differs far beyond the tolerance', () => {
    const a = readPng(path.join(GOLDEN, 'product-one-pager-letter-screen.png'));
    const b = readPng(path.join(GOLDEN, 'bundled-offer-sheet-screen.png'));
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    expect(diffPixels(a, b, CHANNEL_THRESHOLD) / (a.width * a.height)).toBeGreaterThan(MAX_DIFF_FRACTION * 10);
  });
});
