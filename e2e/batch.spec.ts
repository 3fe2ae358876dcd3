import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readState } from '../backend/services/batch-state.ts';
import { createProfile, expect, ROOT, test } from './fixtures.ts';

/**
 * Issue #5 (parts 5 and 6): the Batch screen (the header's "Batch…") runs a
 * CSV batch with one bad row (progress, the failed row with its reason, the
 * files), then a batch that is cancelled and resumed from "Unfinished batches".
 */

const LOGO = (i: number) => path.join(ROOT, 'bench', 'fixtures', `partner-logo-0${i % 6}.png`);

function csvFile(rows: string[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-batch-')), 'partners.csv');
  fs.writeFileSync(file, ['company,phone,tier,logo', ...rows].join('\n') + '\n');
  return file;
}

async function openBatch(page: import('@playwright/test').Page, file: string): Promise<void> {
  await page.getByRole('button', { name: 'Batch…' }).click();
  await expect(page.getByRole('heading', { name: 'Batch', exact: true })).toBeVisible();
  await page.getByLabel('Template').selectOption('product-one-pager-letter');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose CSV…' }).click();
  await (await chooser).setFiles(file);
  await expect(page.getByTestId('batch-csv-name')).toHaveText('partners.csv');
}

test('a CSV batch with one bad row: progress, the failed row with its reason, and the files', async ({ page, host }) => {
  await createProfile(page, host);
  const rows = Array.from({ length: 6 }, (_, i) => `E2E Partner ${i},555 010${i},${i === 3 ? 'platinum' : 'silver'},${LOGO(i)}`);
  await openBatch(page, csvFile(rows));
  await page.getByRole('button', { name: 'Start batch' }).click();

  const job = page.getByRole('region', { name: 'Batch progress' });
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(job.getByRole('progressbar', { name: 'Rows done' })).toHaveAttribute('value', '6');
  await expect(page.getByTestId('batch-counts')).toHaveText('6 / 6 done · 1 failed');
  await expect(page.getByTestId('batch-result')).toContainText('5 PDFs in the folder, 1 failed.');
  const failed = page.getByRole('table', { name: 'Failed rows' });
  await expect(failed.getByRole('row')).toHaveCount(2);
  await expect(failed).toContainText('profile-invalid');
  await expect(failed).toContainText('tier "platinum" is not one of');

  const folder = (await page.getByTestId('batch-folder').textContent())!.trim();
  expect(path.dirname(folder)).toBe(path.join(host.exportDir, 'batches'));
  const pdfs = fs.readdirSync(folder).filter((f) => f.endsWith('.pdf')).sort();
  expect(pdfs).toEqual(['e2e-partner-0.pdf', 'e2e-partner-1.pdf', 'e2e-partner-2.pdf', 'e2e-partner-4.pdf', 'e2e-partner-5.pdf']);
  execFileSync('qpdf', ['--check', path.join(folder, pdfs[0]!)]);
  expect(fs.existsSync(path.join(folder, 'lockup-batch-failures.csv'))).toBe(true);
});

test('cancel a running batch, then resume it from Unfinished batches without redoing finished files', async ({ page, host }) => {
  await createProfile(page, host);
  const rows = Array.from({ length: 800 }, (_, i) => `Resume Partner ${String(i).padStart(3, '0')},555 ${1000 + i},silver,${LOGO(i)}`);
  await openBatch(page, csvFile(rows));
  await page.getByRole('button', { name: 'Start batch' }).click();

  const job = page.getByRole('region', { name: 'Batch progress' });
  await expect(page.getByTestId('batch-counts')).toHaveText(/^([5-9]|\d\d)\d* \/ 800 done/, { timeout: 60_000 });
  await expect(page.getByTestId('batch-counts')).toContainText('left');
  // The counts re-render every poll; dispatch the click rather than wait for a still frame.
  await job.getByRole('button', { name: 'Cancel' }).dispatchEvent('click');
  await expect(job).toHaveAttribute('data-state', 'cancelled');
  await expect(page.getByTestId('batch-result')).toContainText('not done');
  const folder = (await page.getByTestId('batch-folder').textContent())!.trim();
  // The files the batch recorded as finished (a file a terminated worker had just renamed into
  // place is complete too, but not recorded: resuming writes it again).
  const state = readState(path.join(folder, 'lockup-batch-state.jsonl'))!;
  const before = new Map([...state.done.values()].map((d) => [d.outName, fs.statSync(path.join(folder, d.outName)).mtimeMs]));
  expect(before.size).toBeGreaterThanOrEqual(5);
  expect(before.size).toBeLessThan(800);
  expect(fs.readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);

  const unfinished = page.getByRole('region', { name: 'Unfinished batches' });
  await expect(unfinished).toContainText(`${before.size} of 800 done`);
  await unfinished.getByRole('button', { name: 'Resume' }).click();
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('batch-counts')).toHaveText('800 / 800 done · 0 failed');
  await expect(page.getByTestId('batch-result')).toContainText(`800 PDFs in the folder (${before.size} from before, kept), 0 failed.`);
  await expect(unfinished).toHaveCount(0);
  expect(fs.readdirSync(folder).filter((f) => f.endsWith('.pdf'))).toHaveLength(800);
  for (const [f, mtime] of before) expect(fs.statSync(path.join(folder, f)).mtimeMs, f).toBe(mtime);
  const report = JSON.parse(fs.readFileSync(path.join(folder, 'lockup-batch-report.json'), 'utf8')) as { succeeded: number; resumed: number };
  expect(report).toMatchObject({ succeeded: 800, resumed: before.size });
});
