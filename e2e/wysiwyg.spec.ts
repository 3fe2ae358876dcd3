import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createProfile, editorSettled, expect, test } from './fixtures.ts';
import { crop, decodePngFile, differingShare } from './pixels.ts';

const TEMPLATES = ['product-one-pager-letter', 'product-one-pager-a4', 'event-invitation', 'social-post', 'bundled-offer-sheet', 'case-study-gold', 'email-banner', 'distributor-offer-sheet'];

/** Pixels per point: 2 (144 dpi) keeps anti-aliased edges a small share of each glyph. */
const ZOOM = 2;

test.use({ viewport: { width: 3000, height: 1800 } });

// The canvas and the exported PDF must agree: same line breaks, same places.
// The page is drawn at 2 px per point, the PDF rendered by poppler at 144 dpi,
// and fewer than 1 % of pixels may differ beyond anti-aliasing.
test('the editor canvas and the exported PDF agree (WYSIWYG)', async ({ page, host }, testInfo) => {
  test.setTimeout(300_000);
  await createProfile(page, host, { company: 'Summit Managed Services', tier: 'gold' });
  const results: Record<string, number> = {};
  for (const id of TEMPLATES) {
    await page.locator(`[data-template="${id}"]`).click();
    await editorSettled(page);
    await page.evaluate((z) => {
      window.lockupEditor!.setOverlays(false);
      window.lockupEditor!.setZoom(z);
    }, ZOOM);
    await editorSettled(page);
    // The canvas's own pixels (a screenshot of the element would resample them
    // whenever layout places the canvas at a fractional position).
    const dataUrl = await page.locator('.page-shadow canvas').first().evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));
    const shot = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
    const canvas = decodePngFile(new Uint8Array(shot));

    const out = path.join(testInfo.outputPath(), `${id}.pdf`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const exported = await page.evaluate(async (file) => {
      const token = sessionStorage.getItem('lockup-token')!;
      const res = await fetch('./api/export:pdf', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Lockup-Token': token },
        body: JSON.stringify({ document: window.lockupEditor!.document(), output: 'screen', path: file }),
      });
      return res.json();
    }, out);
    expect(exported.ok, JSON.stringify(exported)).toBe(true);
    const prefix = out.replace(/\.pdf$/, '');
    execFileSync('pdftoppm', ['-r', String(72 * ZOOM), '-png', '-singlefile', '-aa', 'yes', '-aaVector', 'yes', out, prefix]);
    const rendered = decodePngFile(new Uint8Array(fs.readFileSync(`${prefix}.png`)));
    // The PDF page includes the bleed; the canvas shows the trim box.
    const bleed = Math.round((rendered.width - canvas.width) / 2);
    const trimmed = crop(rendered, bleed, Math.round((rendered.height - canvas.height) / 2), canvas.width, canvas.height);
    const diff = differingShare(canvas, trimmed);
    results[id] = Math.round(diff.share * 10000) / 100;
    fs.writeFileSync(`${prefix}-canvas.png`, shot);
    expect(diff.share, `${id}: ${diff.differing} of ${diff.total} pixels differ`).toBeLessThan(0.01);
    await page.getByRole('button', { name: 'Back to templates' }).click();
    await expect(page.getByRole('heading', { name: 'Templates' })).toBeVisible();
  }
  console.log(`WYSIWYG: share of pixels differing beyond anti-aliasing, per template (%): ${JSON.stringify(results)}`);
  await testInfo.attach('wysiwyg.json', { body: JSON.stringify(results, null, 2), contentType: 'application/json' });
});
