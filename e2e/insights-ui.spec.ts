import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { cellsOf, createProfile, download, editorSettled, expect, openPage, ROOT, setUpDistributor, startHost, test } from './fixtures.ts';

/**
 * Issue #8's insights screens across three real backends (own data folders,
 * one browser page each, every file passed on as a download):
 *
 * - a partner (demo catalogue) opens a template and exports a PDF; its
 *   Activity screen lists both, and it exports its signed activity report;
 * - a distributor (empty catalogue, own signing key) imports that report in
 *   its Insights tab (added N), imports it again (already imported, nothing
 *   added), sees the partner on its dashboard and exports its aggregate;
 * - the vendor (demo catalogue) imports the aggregate: the dashboard shows the
 *   distributor with 1 active partner and the partner's exports; a tier with
 *   no partners empties it; a CSV export holds the header and the row.
 *
 * `SCREENSHOTS=1` (or `LOCKUP_SCREENSHOTS=1`) writes
 * docs/screenshots/insights-vendor-dashboard.png and insights-distributor.png.
 * A dashboard over one partner is thin, so for those pictures the vendor and
 * the distributor also import SYNTHETIC reports made by
 * backend/insights/generate.ts `writeSyntheticReport` (signed, in the real
 * format; generated partners, events and MDF amounts, not real ones).
 */

const DISTRIBUTOR = 'Northwind Distribution';
const DISTRIBUTOR_ID = 'northwind-distribution';
const TEMPLATE = 'social-post';
const SHOTS = process.env['SCREENSHOTS'] === '1' || process.env['LOCKUP_SCREENSHOTS'] === '1' ? path.join(ROOT, 'docs', 'screenshots') : undefined;

/** Synthetic signed reports from the backend's generator (the built dist/), for the screenshots only. */
function synthetic(dir: string, reports: { file: string; kind: 'partner' | 'distributor'; partners: number; events: number; seed: number; issuer?: { id: string; name: string }; from?: string; months?: number; tiers?: string[] }[]): string[] {
  const generator = path.join(ROOT, 'dist', 'backend', 'insights', 'generate.js');
  const script = `import { writeSyntheticReport } from ${JSON.stringify(generator)};
const reports = ${JSON.stringify(reports.map((r) => ({ ...r, file: path.join(dir, r.file) })))};
for (const { file, ...o } of reports) writeSyntheticReport(file, { from: '2025-12', months: 12, partnerPrefix: 'synthetic-' + o.seed + '-', tiers: ['registered', 'silver', 'gold'], regions: ['na', 'emea', 'apac'], ...o, templates: ['social-post', 'event-invitation', 'product-one-pager-letter', 'email-banner', 'case-study-gold', 'advanced-security-one-pager', 'distributor-offer-sheet'], playbooks: ['nimbus-launch-playbook'], modules: ['nimbus-security-essentials'] });`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: 'inherit' });
  return reports.map((r) => path.join(dir, r.file));
}

const kpi = (page: Page, id: string) => page.getByTestId(`kpi-${id}`).locator('.kpi-value');

test('a partner exports its activity report, a distributor imports it once and exports its aggregate, the vendor sees the distributor on the dashboard', async ({ page, host, browser }) => {
  test.setTimeout(300_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-insights-'));
  const errors: string[] = [];
  const { host: partnerHost, child: partnerChild } = await startHost();
  const { host: distHost, child: distChild } = await startHost({ demo: false });
  try {
    // --- Partner (demo catalogue): open a template, export it as PDF.
    const partner = await openPage(browser, errors);
    await createProfile(partner, partnerHost, { company: 'Harbor IT', tier: 'silver' });
    await partner.getByRole('button', { name: 'Activity', exact: true }).click();
    await expect(partner.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
    await expect(partner.getByTestId('activity-total')).toHaveText('Nothing recorded yet.');
    await partner.getByRole('button', { name: 'Back to templates' }).click();

    await partner.locator(`[data-template="${TEMPLATE}"]`).click();
    await editorSettled(partner);
    await partner.getByRole('button', { name: 'Export PDF…' }).click();
    await partner.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(partner.getByTestId('export-done')).toBeVisible();
    await partner.getByRole('button', { name: 'Done' }).click();
    await partner.getByRole('button', { name: 'Back to templates' }).click();

    // Its Activity screen lists the open and the export, and exports the signed report.
    await partner.getByRole('button', { name: 'Activity', exact: true }).click();
    const counts = partner.getByRole('list', { name: 'Events by kind' });
    await expect(counts.locator('[data-kind="template-open"]')).toContainText('Templates opened');
    await expect(counts.locator('[data-kind="export"]')).toContainText(/^1\s*Exports$/);
    await expect(partner.getByRole('table', { name: 'Latest activity' })).toContainText('Export');
    await partner.getByRole('button', { name: 'Export activity report' }).click();
    await expect(partner.getByTestId('activity-export').getByRole('status')).toContainText('saved');
    const events = Number(/carries (\d+) event/.exec((await partner.getByTestId('activity-exported-events').textContent()) ?? '')?.[1]);
    expect(events).toBeGreaterThanOrEqual(2);
    const report = await download(partner, () => partner.getByRole('button', { name: 'Download report' }).click(), work);
    expect(report.endsWith('.lockup-activity')).toBe(true);

    // --- Distributor (empty catalogue): its key signs the aggregate.
    const dist = await openPage(browser, errors);
    await setUpDistributor(dist, distHost);
    await dist.getByRole('tab', { name: 'Insights' }).click();
    await expect(dist.getByTestId('insights-empty')).toContainText('Import reports to see');
    const input = dist.getByLabel('Partner activity reports (.lockup-activity)');
    await input.setInputFiles(report);
    const outcome = dist.getByTestId('import-outcome');
    await expect(outcome).toHaveCount(1);
    await expect(outcome.getByTestId('import-issuer')).toHaveText('Harbor IT');
    await expect(outcome.getByTestId('import-added')).toHaveText(`added ${events}`);
    await expect(dist.getByRole('table', { name: 'Imported reports' }).getByRole('row')).toHaveCount(2);

    // The same file again: already imported, nothing added, nothing counted twice.
    await input.setInputFiles(report);
    await expect(outcome).toHaveCount(1);
    await expect(outcome).toContainText('Already imported');
    await expect(dist.getByRole('table', { name: 'Imported reports' }).getByRole('row')).toHaveCount(2);
    await expect(kpi(dist, 'partners')).toHaveText('1');
    await expect(kpi(dist, 'exports')).toHaveText('1');

    await dist.getByRole('button', { name: 'Export aggregate for the vendor' }).click();
    await expect(dist.getByTestId('aggregate-counts')).toContainText(`It carries ${events} events from 1 partner.`);
    const aggregate = await download(dist, () => dist.getByRole('button', { name: 'Download aggregate' }).click(), work);

    // --- Vendor (demo catalogue): imports the aggregate.
    await page.goto(host.url);
    await page.getByRole('button', { name: /brand owner/ }).click();
    await expect(page.getByRole('heading', { name: 'Nimbus Systems', level: 1 })).toBeVisible();
    await page.getByRole('tab', { name: 'Insights' }).click();
    await expect(page.getByTestId('insights-empty')).toBeVisible();
    await page.getByLabel('Distributor aggregates or partner reports (.lockup-activity)').setInputFiles(aggregate);
    await expect(page.getByTestId('import-outcome')).toContainText(`Aggregate from ${DISTRIBUTOR}`);
    await expect(page.getByTestId('import-added')).toHaveText(`added ${events}`);

    const engagement = page.getByRole('table', { name: 'Engagement by distributor' });
    const row = engagement.getByRole('row').filter({ hasText: DISTRIBUTOR });
    // Distributor | Partners | Active partners | Exports | Training passed | Completion
    await expect.poll(() => cellsOf(row)).toEqual([DISTRIBUTOR, '1', '1', '1', '0', '0%']);
    await expect(kpi(page, 'active-partners')).toHaveText('1');
    await expect(kpi(page, 'exports')).toHaveText('1');
    await expect(page.getByRole('region', { name: 'Engagement by distributor' }).getByRole('img', { name: /^Exports: / })).toHaveAttribute('aria-label', `Exports: ${DISTRIBUTOR} 1`);
    await expect(page.getByRole('table', { name: 'Top templates' })).toContainText(/social/i);

    await expect(kpi(page, 'partners')).toHaveText('1');

    // A partner reporting to the vendor directly, at Gold: a SYNTHETIC report from backend/insights/generate.ts
    // (signed, real format; 40 generated events in January–June 2026), so that the filters have something to separate.
    const [gold] = synthetic(work, [{ file: 'summit.lockup-activity', kind: 'partner', partners: 1, events: 40, seed: 7, issuer: { id: 'summit-msp', name: 'Summit MSP' }, from: '2026-01', months: 6, tiers: ['gold'] }]);
    await page.getByLabel('Distributor aggregates or partner reports (.lockup-activity)').setInputFiles(gold!);
    await expect(page.getByTestId('import-outcome')).toContainText('Report from Summit MSP');
    await expect(kpi(page, 'partners')).toHaveText('2');
    await expect(engagement.getByRole('row').filter({ hasText: 'Direct' })).toHaveCount(1);

    // Tier: Gold leaves only the direct partner; Silver only the distributor's.
    const tier = page.getByLabel('Tier', { exact: true });
    expect(await tier.locator('option').allTextContents()).toEqual(['All tiers', 'Silver', 'Gold']);
    await tier.selectOption({ label: 'Gold' });
    await expect(kpi(page, 'partners')).toHaveText('1');
    await expect(row).toHaveCount(0);
    await expect(engagement.getByRole('row').filter({ hasText: 'Direct' })).toHaveCount(1);
    await tier.selectOption({ label: 'Silver' });
    await expect(kpi(page, 'partners')).toHaveText('1');
    await expect.poll(() => cellsOf(row)).toEqual([DISTRIBUTOR, '1', '1', '1', '0', '0%']);
    await expect(engagement.getByRole('row').filter({ hasText: 'Direct' })).toHaveCount(0);

    // The CSV of the engagement table, with the Silver filter on: the header and the distributor's row only.
    const section = page.getByRole('region', { name: 'Engagement by distributor' });
    await section.getByRole('button', { name: 'Export CSV' }).click();
    const csvFile = await download(page, () => section.getByRole('button', { name: 'Download CSV' }).click(), work);
    const lines = fs.readFileSync(csvFile, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('distributor_id,distributor,partners,active_partners,exports,training_passed,completion_rate');
    expect(lines.slice(1)).toEqual([`${DISTRIBUTOR_ID},${DISTRIBUTOR},1,1,1,0,0`]);
    // The download is the file the backend wrote to the export folder.
    const written = (await section.getByTestId('csv-engagement-path').textContent())!.trim();
    expect(written.startsWith(host.exportDir)).toBe(true);
    expect(fs.readFileSync(written, 'utf8')).toBe(fs.readFileSync(csvFile, 'utf8'));

    // Silver in January–June 2026 (the Gold partner's months): the distributor's partner was not active then.
    await page.getByLabel('From month', { exact: true }).selectOption('2026-01');
    await page.getByLabel('To month', { exact: true }).selectOption('2026-06');
    await expect(kpi(page, 'active-partners')).toHaveText('0');
    await expect(kpi(page, 'exports')).toHaveText('0');
    await expect.poll(() => cellsOf(row)).toEqual([DISTRIBUTOR, '1', '0', '0', '0', '0%']);
    await expect(page.getByTestId('empty-top-templates')).toBeVisible();

    // Reset: both partners again.
    await page.getByRole('button', { name: 'Reset filters' }).click();
    await expect(tier).toHaveValue('');
    await expect(kpi(page, 'partners')).toHaveText('2');
    await expect(kpi(page, 'active-partners')).toHaveText('2');

    if (SHOTS) {
      // Synthetic data for the pictures (see the header comment): three more distributors for the vendor, more partners for the distributor.
      const partnerNames = ['Summit MSP', 'Pinecrest IT', 'Bluewater Systems', 'Cedar Networks', 'Lakeside Tech', 'Granite Cloud'];
      const files = synthetic(work, [
        { file: 'contoso.lockup-activity', kind: 'distributor', partners: 60, events: 9000, seed: 11, issuer: { id: 'contoso-channel', name: 'Contoso Channel' } },
        { file: 'fabrikam.lockup-activity', kind: 'distributor', partners: 40, events: 6000, seed: 12, issuer: { id: 'fabrikam-partners', name: 'Fabrikam Partners' } },
        { file: 'tailspin.lockup-activity', kind: 'distributor', partners: 25, events: 3500, seed: 13, issuer: { id: 'tailspin-supply', name: 'Tailspin Supply' } },
        ...partnerNames.map((name, i) => ({ file: `partner-${i}.lockup-activity`, kind: 'partner' as const, partners: 1, events: 150 + 60 * i, seed: 20 + i, issuer: { id: name.toLowerCase().replace(/\W+/g, '-'), name } })),
      ]);
      await page.getByLabel('Distributor aggregates or partner reports (.lockup-activity)').setInputFiles(files.slice(0, 3));
      await expect(page.getByTestId('import-outcome')).toHaveCount(3);
      // Northwind, the direct Gold partner, and the three synthetic distributors.
      await expect(engagement.getByRole('row')).toHaveCount(6);
      // Away and back: the picture shows the dashboard, not this test's import and CSV messages.
      await page.getByRole('tab', { name: 'Publish' }).click();
      await page.getByRole('tab', { name: 'Insights' }).click();
      await expect(engagement.getByRole('row')).toHaveCount(6);
      await page.screenshot({ path: path.join(SHOTS, 'insights-vendor-dashboard.png'), fullPage: true });

      await dist.getByLabel('Partner activity reports (.lockup-activity)').setInputFiles(files.slice(3));
      await expect(dist.getByTestId('import-outcome')).toHaveCount(partnerNames.length);
      await expect(kpi(dist, 'partners')).toHaveText(String(partnerNames.length + 1));
      await dist.getByRole('tab', { name: 'Identity' }).click();
      await dist.getByRole('tab', { name: 'Insights' }).click();
      await expect(kpi(dist, 'partners')).toHaveText(String(partnerNames.length + 1));
      await dist.screenshot({ path: path.join(SHOTS, 'insights-distributor.png'), fullPage: true });
    }
    expect(errors).toEqual([]);
  } finally {
    partnerChild.kill('SIGTERM');
    distChild.kill('SIGTERM');
    for (const h of [partnerHost, distHost]) fs.rmSync(path.dirname(h.dataDir), { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
});
