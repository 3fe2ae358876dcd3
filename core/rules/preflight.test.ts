import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderPlan } from '../compose/plan.ts';
import { printTestPlan } from '../../test/core-support/print-plan.ts';
import { printGeometry } from '../pdf/print-marks.ts';
import { mmToPt } from '../util/units.ts';
import { preflight, type PreflightFinding } from './preflight.ts';

let plan: RenderPlan;
beforeAll(async () => {
  plan = await printTestPlan();
});

const byCode = (fs: PreflightFinding[], code: string) => fs.filter((f) => f.code === code);

describe('preflight', () => {
  it('reports every print problem of the test document with its zone, and is not ok while errors stand', () => {
    const r = preflight(plan, { ppiError: 300 });
    expect(r.ok).toBe(false);
    const codes = r.findings.map((f) => `${f.severity} ${f.code} ${f.zoneId}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'error print-image-resolution photo',
        'error print-color-not-cmyk alert',
        'warning print-transparency plogo',
        'warning print-bleed-short band',
        'warning print-image-rgb null',
      ]),
    );
    // Errors first.
    const firstWarning = r.findings.findIndex((f) => f.severity === 'warning');
    expect(r.findings.slice(firstWarning).every((f) => f.severity === 'warning')).toBe(true);
  });

  it('measures resolution at the placed size like the compose rule: 72 ppi is an error, 720 ppi passes', () => {
    const r = preflight(plan, { ppiError: 300 });
    const res = byCode(r.findings, 'print-image-resolution');
    expect(res.map((f) => f.zoneId)).toEqual(['photo', 'plogo']);
    expect(res.map((f) => f.zoneId)).not.toContain('sharp');
    expect(res[0]).toMatchObject({ measured: 72, required: 300, unit: 'ppi', severity: 'error' });
  });

  it('warns below 300 ppi when the brand errs only lower down', () => {
    const r = preflight(plan, { ppiError: 50 });
    expect(byCode(r.findings, 'print-image-resolution').find((f) => f.zoneId === 'photo')).toMatchObject({ severity: 'warning', required: 300 });
  });

  it('names the RGB images once and explains that the output intent governs their conversion', () => {
    const [rgb] = byCode(preflight(plan, { ppiError: 300 }).findings, 'print-image-rgb');
    expect(rgb!.measured).toBe(3);
    expect(rgb!.message).toMatch(/photo, sharp, plogo|plogo/);
    expect(rgb!.message).toMatch(/output intent/);
  });

  it('flags a colour with no CMYK value (text, fill or background) as an error; palette colours pass', () => {
    const r = preflight(plan, { ppiError: 1 });
    expect(byCode(r.findings, 'print-color-not-cmyk').map((f) => f.zoneId)).toEqual(['alert']);
    const bg: RenderPlan = { ...plan, pages: [{ ...plan.pages[0]!, background: { rgb: [1, 2, 3] } }] };
    expect(byCode(preflight(bg, { ppiError: 1 }).findings, 'print-color-not-cmyk').map((f) => f.zoneId)).toEqual([null, 'alert']);
  });

  it('does not flag full-bleed artwork, and flags artwork touching the trim when the template has no bleed', async () => {
    const r = preflight(plan, { ppiError: 1 });
    expect(byCode(r.findings, 'print-bleed-short').map((f) => f.zoneId)).toEqual(['band']);
    expect(r.findings.some((f) => f.zoneId === 'full-bleed')).toBe(false);
    const noBleed = await printTestPlan({ bleed: 0 });
    const nb = preflight(noBleed, { ppiError: 1 });
    expect(byCode(nb.findings, 'print-bleed-missing').map((f) => f.zoneId).sort()).toEqual(['band', 'full-bleed']);
    expect(byCode(nb.findings, 'print-bleed-short')).toEqual([]);
  });

  it('warns about a bleed under 3 mm', async () => {
    const small = await printTestPlan({ bleed: 4 });
    expect(byCode(preflight(small, { ppiError: 1 }).findings, 'print-bleed-small')).toHaveLength(1);
    expect(byCode(preflight(plan, { ppiError: 1 }).findings, 'print-bleed-small')).toHaveLength(0);
  });

  it('asserts that every glyph drawn can be embedded (a glyph outside the font is an error)', () => {
    const page = plan.pages[0]!;
    const text = page.items.find((i) => i.type === 'text' && i.zoneId === 'company');
    if (text?.type !== 'text') throw new Error('no company text');
    const run = text.layout.lines[0]!.runs[0]!;
    const bad = { ...text, layout: { ...text.layout, lines: [{ ...text.layout.lines[0]!, runs: [{ ...run, glyphs: [...run.glyphs, { ...run.glyphs[0]!, gid: run.font.numGlyphs + 5 }] }] }] } };
    const patched: RenderPlan = { ...plan, pages: [{ ...page, items: page.items.map((i) => (i === text ? bad : i)) }] };
    expect(byCode(preflight(plan, { ppiError: 1 }).findings, 'print-font-not-embedded')).toEqual([]);
    expect(byCode(preflight(patched, { ppiError: 1 }).findings, 'print-font-not-embedded')).toMatchObject([{ severity: 'error', zoneId: 'company', measured: 1 }]);
  });

  it('returns the boxes of the print PDF and refuses marks that would reach into the bleed', () => {
    const r = preflight(plan, { ppiError: 1 });
    expect(r.boxes).toEqual({ media: printGeometry(600, 400, 9).media, bleed: printGeometry(600, 400, 9).bleed, trim: printGeometry(600, 400, 9).trim });
    expect(byCode(r.findings, 'print-marks-in-bleed')).toEqual([]);
    const bad = preflight(plan, { ppiError: 1, marks: { offset: -mmToPt(5), length: mmToPt(5), lineWidth: 0.25 } });
    expect(byCode(bad.findings, 'print-marks-in-bleed')[0]).toMatchObject({ severity: 'error', measured: 8 });
    expect(bad.ok).toBe(false);
  });
});
