// Issue #8's MDF journey in the real renderer against real backends: a Silver
// partner fills a request that breaks the demo program's rules, sees each
// breach and Send held back, fixes it (with a co-branded PDF exported first
// as the collateral), sends it; a distributor imports the packet, sees it
// needs review and approves it; the partner refuses a tampered decision file
// and imports the real one. Then the insights path: the partner's signed
// activity report goes to the distributor, whose aggregate goes to the vendor,
// whose dashboard shows the approved request grouped under the distributor.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { cellsOf, createProfile, download, editorSettled, expect, openPage, ROOT, setUpDistributor, startHost, test, type Host } from './fixtures.ts';

const SHOTS = process.env['SCREENSHOTS'] === '1' ? path.join(ROOT, 'docs', 'screenshots') : undefined;
/** A full-page screenshot: into docs/screenshots with SCREENSHOTS=1, else beside the test's other output. */
const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: SHOTS ? path.join(SHOTS, name) : test.info().outputPath(name), fullPage: true });
};

/** A calendar date `days` from today (the hosts run on this machine's clock). */
function inDays(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Exports the event invitation as a PDF: the co-branded collateral the request attaches. */
async function exportCollateral(page: Page, host: Host): Promise<string> {
  await page.locator('[data-template="event-invitation"]').click();
  await editorSettled(page);
  await page.getByLabel('Venue').fill('The Harbor Room, Pier 66');
  await editorSettled(page);
  await page.getByRole('button', { name: 'Export PDF…' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-done')).toBeVisible({ timeout: 60_000 });
  const file = (await page.getByTestId('export-path').textContent())!.trim();
  expect(file.startsWith(host.exportDir)).toBe(true);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: 'Back to templates' }).click();
  await expect(page.getByRole('heading', { name: 'Templates' })).toBeVisible();
  return file;
}

test('a Silver partner fixes a request the rules would veto and sends it; a distributor approves it; the partner imports the decision; the vendor sees it under the distributor', async ({ page, host, browser }) => {
  test.setTimeout(300_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-mdf-'));
  const errors: string[] = [];
  const { host: distHost, child: distChild } = await startHost();
  const { host: vendorHost, child: vendorChild } = await startHost();
  try {
    await createProfile(page, host, { company: 'Harbor IT', tier: 'silver' });
    const collateral = await exportCollateral(page, host);

    // --- The form: problems show next to a field as it is typed.
    await page.getByRole('button', { name: 'MDF', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Market development funds', level: 1 })).toBeVisible();
    const budget = page.getByLabel('Budget requested (USD)');
    await budget.fill('1,250.505');
    await expect(page.getByTestId('mdf-budgetRequested-problem')).toHaveText(/Budget requested must have at most two decimals/);
    await expect(budget).toHaveAccessibleDescription(/at most two decimals/);
    await expect(budget).toHaveAttribute('aria-invalid', 'true');
    const title = page.getByLabel('Title');
    await title.fill('x');
    await title.fill('');
    await expect(page.getByTestId('mdf-title-problem')).toBeVisible();
    await expect(title).toHaveAccessibleDescription(/title/i);

    // A request that breaks three rules: five days' notice, no collateral, the partner pays under 25%.
    await page.getByLabel('Activity type').selectOption({ label: 'Customer event' });
    await title.fill('Ransomware readiness breakfast');
    await expect(page.getByTestId('mdf-title-problem')).toHaveCount(0);
    await page.getByLabel('Start date').fill(inDays(5));
    await page.getByLabel('End date').fill(inDays(5));
    await budget.fill('2,500.00');
    await expect(page.getByTestId('mdf-budgetRequested-problem')).toHaveCount(0);
    await page.getByLabel('Total cost (USD)').fill('2,600');
    await expect(page.getByTestId('mdf-share')).toHaveText('3.8%');
    await page.getByLabel('Expected leads').fill('40');
    await page.getByLabel('Expected pipeline (USD)').fill('120,000');
    await page.getByLabel('Audience').fill('IT leads of 20–500 employee firms in Seattle');
    await page.getByLabel('Description').fill('A breakfast seminar with a live restore demo.');

    const rules = page.getByTestId('rules-check');
    await expect(rules.getByTestId('mdf-verdict')).toHaveText('Would be vetoed');
    const breaches = rules.getByRole('list', { name: 'Broken rules' }).getByRole('listitem');
    await expect(breaches).toHaveCount(3);
    await expect(rules.locator('[data-rule="lead-time"]')).toContainText('Measured: 5 days');
    await expect(rules.locator('[data-rule="lead-time"]')).toContainText('Limit: at least 14 days');
    await expect(rules.locator('[data-rule="attachment-missing"]')).toContainText('collateral');
    await expect(rules.locator('[data-rule="partner-share"]')).toContainText('Measured: 3.85%');
    await expect(rules.locator('[data-rule="partner-share"]')).toContainText('Limit: 25% to 75%');
    await expect(rules.getByTestId('mdf-quarter')).toContainText('$2,500.00 in this request of $5,000.00');
    const send = page.getByRole('button', { name: 'Send request' });
    await expect(send).toBeDisabled();
    await expect(send).toHaveAccessibleDescription(/breaks 3 rules and would be vetoed/);
    await shot(page, 'mdf-request-vetoed.png');

    // --- Fixed: six weeks' notice, half the cost, the exported PDF attached.
    await page.getByLabel('Start date').fill(inDays(42));
    await page.getByLabel('End date').fill(inDays(42));
    await page.getByLabel('Total cost (USD)').fill('5,000');
    await expect(page.getByTestId('mdf-share')).toHaveText('50%');
    await page.getByLabel('Collateral exported from Lockup').selectOption(collateral);
    await page.getByRole('button', { name: 'Attach collateral' }).click();
    await expect(page.getByRole('list', { name: 'Attached files' })).toContainText(path.basename(collateral));
    await expect(rules.getByTestId('mdf-verdict')).toHaveText('Will need review');
    await expect(rules.getByTestId('mdf-verdict-why')).toContainText('more than the $1,000.00 approved automatically');
    await expect(rules.getByRole('list', { name: 'Broken rules' })).toHaveCount(0);
    await expect(send).toBeEnabled();
    await shot(page, 'mdf-request-ready.png');
    await send.click();

    const sent = page.getByTestId('mdf-sent');
    await expect(sent).toBeVisible({ timeout: 60_000 });
    const packet = (await page.getByTestId('mdf-packet-path').textContent())!.trim();
    expect(packet.endsWith('.lockup-mdf')).toBe(true);
    expect(fs.existsSync(packet)).toBe(true);
    const downloaded = await download(page, () => page.getByRole('button', { name: 'Download request packet' }).click(), work);
    expect(fs.readFileSync(downloaded).equals(fs.readFileSync(packet))).toBe(true);
    const mine = page.getByRole('list', { name: 'My requests' });
    await expect(mine).toContainText('Ransomware readiness breakfast');
    await expect(mine.getByRole('status', { name: 'Submitted' })).toBeVisible();

    // --- Distributor: imports the packet, which needs review, and approves it.
    const dist = await openPage(browser, errors);
    await setUpDistributor(dist, distHost);
    await dist.getByRole('tab', { name: 'MDF review' }).click();
    // A packet changed on its way is refused with the reason, and nothing joins the queue.
    const bytes = fs.readFileSync(downloaded);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    const badPacket = path.join(work, `changed-${path.basename(downloaded)}`);
    fs.writeFileSync(badPacket, bytes);
    await dist.getByLabel('Import request packet').setInputFiles(badPacket);
    await expect(dist.getByRole('alert').first()).toBeVisible();
    await expect(dist.getByText('No requests yet.')).toBeVisible();
    await dist.getByLabel('Import request packet').setInputFiles(downloaded);
    await expect(dist.getByRole('alert')).toHaveCount(0);
    await expect(dist.getByTestId('mdf-packet-imported')).toContainText('Needs review');
    const queue = dist.getByRole('table', { name: 'MDF requests' });
    const row = queue.getByRole('row').filter({ hasText: 'Ransomware readiness breakfast' });
    await expect(row).toContainText('Harbor IT');
    await expect(row).toContainText('Customer event');
    await expect(row).toContainText('$2,500.00');
    await expect(row.getByRole('status', { name: 'Needs review' })).toBeVisible();
    const detail = dist.getByTestId('mdf-detail');
    await expect(detail).toContainText('IT leads of 20–500 employee firms in Seattle');
    await expect(detail.getByRole('list', { name: 'Attachments in the packet' })).toContainText('Hash matches');
    // Rejecting or asking for changes needs a reason.
    await expect(detail.getByRole('button', { name: /^Reject/ })).toBeDisabled();
    await expect(detail.getByRole('button', { name: /^Ask for changes/ })).toBeDisabled();
    await detail.getByLabel('Reason').fill('Good plan: send the attendee list afterwards.');
    await detail.getByRole('button', { name: 'Approve' }).click();
    await expect(row.getByRole('status', { name: 'Approved' })).toBeVisible();
    await expect(detail.getByTestId('mdf-queue-decision')).toContainText('Good plan');
    await shot(dist, 'mdf-review.png');
    const decision = await download(dist, () => detail.getByRole('button', { name: 'Download decision file' }).click(), work);

    // --- Partner: a tampered decision file is refused, with why; the real one is accepted.
    const tampered = path.join(work, `tampered-${path.basename(decision)}`);
    const text = fs.readFileSync(decision, 'utf8');
    expect(text).toContain('Good plan');
    fs.writeFileSync(tampered, text.replace('Good plan', 'Great plan'));
    await page.getByLabel('Import decision file').setInputFiles(tampered);
    await expect(page.getByTestId('mdf-decision-error').getByRole('alert')).toContainText('Do not act on this MDF file');
    await expect(mine.getByRole('status', { name: 'Submitted' })).toBeVisible();
    await page.getByLabel('Import decision file').setInputFiles(decision);
    await expect(page.getByTestId('mdf-decision-imported')).toContainText('Approved');
    await expect(mine.getByRole('status', { name: 'Approved' })).toBeVisible();
    await expect(mine.getByTestId('mdf-decision')).toContainText('Good plan: send the attendee list afterwards.');
    await expect(page.getByTestId('mdf-decision-error').getByRole('alert')).toHaveCount(0);
    await shot(page, 'mdf-requests.png');

    // --- Insights: the partner's signed activity report carries the request and the decision; the distributor
    // imports it and passes it on in its aggregate; the vendor sees the request under the distributor.
    await page.getByRole('button', { name: 'Back to templates' }).click();
    await page.getByRole('button', { name: 'Activity', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Events by kind' }).locator('[data-kind="mdf-request"]')).toContainText('1');
    await page.getByRole('button', { name: 'Export activity report' }).click();
    const report = await download(page, () => page.getByRole('button', { name: 'Download report' }).click(), work);
    await dist.getByRole('tab', { name: 'Insights' }).click();
    await dist.getByLabel('Partner activity reports (.lockup-activity)').setInputFiles(report);
    await expect(dist.getByTestId('import-outcome').getByTestId('import-issuer')).toHaveText('Harbor IT');
    // On the distributor's own dashboard its partner's request counts under its own name, approved.
    const distMdf = dist.getByRole('table', { name: 'MDF by distributor' }).getByRole('row').filter({ hasText: 'Northwind Distribution' });
    // Distributor | Requests | Requested | Approved | Vetoed | Rejected | Pending | Approved amount | Pipeline | Approved pipeline
    await expect.poll(() => cellsOf(distMdf)).toEqual(['Northwind Distribution', '1', '$2,500', '1', '0', '0', '0', '$2,500', '$120,000', '$120,000']);
    await dist.getByRole('button', { name: 'Export aggregate for the vendor' }).click();
    const aggregate = await download(dist, () => dist.getByRole('button', { name: 'Download aggregate' }).click(), work);

    const vendor = await openPage(browser, errors);
    await vendor.goto(vendorHost.url);
    await vendor.getByRole('button', { name: /brand owner/ }).click();
    await vendor.getByRole('tab', { name: 'Insights' }).click();
    await vendor.getByLabel('Distributor aggregates or partner reports (.lockup-activity)').setInputFiles(aggregate);
    await expect(vendor.getByTestId('import-outcome')).toContainText('Aggregate from Northwind Distribution');
    const vendorMdf = vendor.getByRole('table', { name: 'MDF by distributor' }).getByRole('row').filter({ hasText: 'Northwind Distribution' });
    await expect.poll(() => cellsOf(vendorMdf)).toEqual(['Northwind Distribution', '1', '$2,500', '1', '0', '0', '0', '$2,500', '$120,000', '$120,000']);
    const byActivity = vendor.getByRole('table', { name: 'MDF by activity type' }).getByRole('row').filter({ hasText: 'Customer event' });
    await expect(byActivity).toContainText('$2,500');
    await expect(vendor.getByTestId('kpi-mdf-approved').locator('.kpi-value')).toHaveText('$2,500');
    await expect(vendor.getByTestId('kpi-pipeline').locator('.kpi-value')).toHaveText('$120,000');
    await shot(vendor, 'mdf-vendor-dashboard.png');
  } finally {
    vendorChild.kill('SIGTERM');
    fs.rmSync(path.dirname(vendorHost.dataDir), { recursive: true, force: true });
    distChild.kill('SIGTERM');
    fs.rmSync(path.dirname(distHost.dataDir), { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
  expect(errors, 'no errors in the distributor page console').toEqual([]);
});

test('the vendor sees the brand’s MDF program in words and a bad program file is refused with its details', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: /brand owner/ }).click();
  await expect(page.getByRole('heading', { name: 'Nimbus Systems', level: 1 })).toBeVisible();
  await page.getByRole('tab', { name: 'MDF program' }).click();
  const program = page.getByTestId('mdf-program');
  await expect(program).toContainText('Nimbus Market Development Fund');
  await expect(program.getByRole('list', { name: 'Activity types' })).toContainText('Customer event');
  const rules = program.getByRole('list', { name: 'Veto rules' });
  await expect(rules).toContainText('Registered $2,000.00, Silver $5,000.00 and Gold $15,000.00');
  await expect(rules).toContainText('at least 14 days before the activity starts');
  await expect(rules).toContainText('between 25% and 75%');
  await expect(page.getByTestId('mdf-auto-approve')).toContainText('$1,000.00');
  await shot(page, 'mdf-vendor-program.png');

  // A program naming a tier the brand does not have is refused, and says which.
  const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'templates', 'nimbus', 'mdf', 'program.json'), 'utf8')) as { version: number; rules: { maxPerQuarter: Record<string, number> } };
  source.rules.maxPerQuarter['platinum'] = 100;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-mdf-program-'));
  try {
    const bad = path.join(dir, 'program.json');
    fs.writeFileSync(bad, JSON.stringify(source));
    await page.getByLabel('Import program file…').setInputFiles(bad);
    await expect(page.getByTestId('mdf-program-import-error')).toContainText('platinum');
    // A changed, valid one becomes version 2.
    delete source.rules.maxPerQuarter['platinum'];
    source.rules.maxPerQuarter['silver'] = 600_000;
    fs.writeFileSync(bad, JSON.stringify(source));
    await page.getByLabel('Import program file…').setInputFiles(bad);
    await expect(page.getByRole('status').filter({ hasText: 'version 2' })).toBeVisible();
    await expect(rules).toContainText('Silver $6,000.00');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
