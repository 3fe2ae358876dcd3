import { spawnSync } from 'node:child_process';
import { createProfile, editorSettled, expect, test } from './fixtures.ts';

// Issue #6: choosing Print in the export dialog shows the print preflight
// before anything is exported, and errors block the export.

test('print export: the dialog shows the preflight, exports when it is clean, and blocks on errors', async ({ page, host }) => {
  await createProfile(page, host, { company: 'Harbor IT' });

  await page.locator('[data-template="product-one-pager-letter"]').click();
  await editorSettled(page);
  await page.getByRole('button', { name: 'Export PDF…' }).click();
  await expect(page.getByTestId('print-preflight')).toHaveCount(0);
  await page.getByRole('radio', { name: /Print/ }).check();
  const report = page.getByTestId('print-preflight');
  await expect(report).toHaveAttribute('data-ok', 'yes');
  await expect(page.getByTestId('print-preflight-summary')).toContainText('Ready for print');
  await expect(report).toContainText('Trim 215.9 mm × 279.4 mm');
  await expect(report.locator('[data-code="print-image-rgb"]')).toBeVisible();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-done')).toBeVisible();
  const file = (await page.getByTestId('export-path').textContent())!.trim();
  const info = spawnSync('pdfinfo', ['-box', file], { encoding: 'utf8' }).stdout;
  expect(info).toMatch(/TrimBox:\s+31\.68\s+31\.68\s+643\.68\s+823\.68/);
  await page.getByRole('button', { name: 'Done' }).click();

  // The social post's background is 169 ppi: fine on screen, an error in print.
  await page.getByRole('button', { name: 'Back to templates' }).click();
  await page.locator('[data-template="social-post"]').click();
  await editorSettled(page);
  await page.getByRole('button', { name: 'Export PDF…' }).click();
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toBeEnabled();
  await page.getByRole('radio', { name: /Print/ }).check();
  await expect(page.getByTestId('print-preflight')).toHaveAttribute('data-ok', 'no');
  await expect(page.getByTestId('print-preflight-summary')).toContainText('print export blocked');
  await expect(page.getByTestId('print-preflight').locator('[data-code="image-resolution-low"]')).toContainText('169 ppi');
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toBeDisabled();
  // Back to screen: allowed again.
  await page.getByRole('radio', { name: /Screen/ }).check();
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toBeEnabled();
});
