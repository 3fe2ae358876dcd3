import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flipContentStreamByte } from '../test/support/tamper.ts';
import { createProfile, editorSettled, expect, test } from './fixtures.ts';

/**
 * Issue #6: a partner exports, and the Verify screen (reachable from the
 * header) says the file is authentic; a copy with one changed byte in a page
 * content stream (re-encoded, so it is still a valid PDF) is modified, and
 * the screen says where.
 */

/** Flips one byte of page 1's first content stream, decoded and re-encoded. */
async function tampered(file: string): Promise<string> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-verify-')), 'tampered.pdf');
  fs.writeFileSync(out, await flipContentStreamByte(fs.readFileSync(file)));
  return out;
}

test('export as a partner, then verify the file (authentic) and a tampered copy (modified) in the Verify screen', async ({ page, host }) => {
  await createProfile(page, host, { company: 'Harbor IT' });
  await page.locator('[data-template="product-one-pager-letter"]').click();
  await editorSettled(page);
  await expect(page.getByTestId('error-count')).toHaveText('All good');
  await page.getByRole('button', { name: 'Export PDF…' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-done')).toBeVisible();
  const file = (await page.getByTestId('export-path').textContent())!.trim();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: 'Back to templates' }).click();

  // The header's "Verify a PDF…".
  await page.getByRole('button', { name: 'Verify a PDF…' }).click();
  await expect(page.getByRole('heading', { name: 'Verify a PDF' })).toBeVisible();
  const verdict = page.getByRole('region', { name: 'Verdict' });

  let chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose a PDF…' }).click();
  await (await chooser).setFiles(file);
  await expect(verdict).toHaveAttribute('data-verdict', 'authentic', { timeout: 30_000 });
  await expect(verdict.getByRole('heading', { level: 2 })).toContainText('Authentic');
  await expect(verdict).toContainText('product-one-pager-letter@1');
  await expect(verdict).toContainText('Harbor IT');

  const copy = await tampered(file);
  chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose a PDF…' }).click();
  await (await chooser).setFiles(copy);
  await expect(verdict).toHaveAttribute('data-verdict', 'modified', { timeout: 30_000 });
  await expect(verdict.getByRole('heading', { level: 2 })).toContainText('Modified');
  await expect(verdict.getByRole('list', { name: 'Differences' })).toContainText('page 1 content stream 1 differs');

  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByRole('heading', { name: 'Templates' })).toBeVisible();
});
