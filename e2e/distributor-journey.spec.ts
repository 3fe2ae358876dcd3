import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { PlanView } from '../core/contracts/plan-view.ts';
import { createProfile, download, editorSettled, expect, LOGOS, openPage, ROOT, setUpDistributor, startHost, test } from './fixtures.ts';

/**
 * Issue #5's journey across three real backends with separate data folders,
 * one browser page each, every file passed on as a download:
 *
 * - the vendor (demo catalogue) creates its publishing key and publishes its
 *   pack in the Vendor workspace;
 * - a distributor (empty catalogue) sets up its workspace and key and copies
 *   its public key; the vendor authorises it in the Distributors tab (up to
 *   Silver) and downloads the .cred;
 * - the distributor saves its profile with a logo, adds the vendor's pack with
 *   the .cred, adds a product of its own, builds the offer sheet from two
 *   vendor blocks and its product with a bundle price, sees the preview,
 *   publishes the derived pack and issues a Silver credential for Harbor IT;
 * - the partner (empty catalogue) opens the derived pack (the dialog shows the
 *   chain distributor → vendor), imports it and the credential, opens the
 *   derived sheet, whose lockup draws three logos (the vendor's, the
 *   distributor's and the partner's), and exports a PDF with the three
 *   products, the distributor's price, the partner's and the distributor's
 *   names, and their logos (the vendor's demo logo is a PDF: vector, not an image).
 *
 * `LOCKUP_SCREENSHOTS=1` writes the sheet builder and the vendor's
 * Distributors tab to docs/screenshots/.
 */

const DISTRIBUTOR = 'Northwind Distribution';
const DISTRIBUTOR_ID = 'northwind-distribution';
const OWN_PRODUCT = 'Northwind Rapid Onboarding';
const TEMPLATE = 'distributor-offer-sheet';
const DISTRIBUTOR_LOGO = path.join(LOGOS, 'northwest-regional.png');

/** Width x height from a PNG's header. */
function pngSize(file: string): string {
  const b = fs.readFileSync(file);
  return `${b.readUInt32BE(16)}x${b.readUInt32BE(20)}`;
}

function shot(name: string, outputPath: (name: string) => string): string {
  return process.env['LOCKUP_SCREENSHOTS'] ? path.join(ROOT, 'docs', 'screenshots', name) : outputPath(name);
}

/** The editor's render plan for the open document, as the backend computes it for the canvas. */
async function editorPlan(page: Page): Promise<PlanView> {
  return page.evaluate(async () => {
    const token = sessionStorage.getItem('lockup-token')!;
    const res = await fetch(`./api/${encodeURIComponent('document:check')}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Lockup-Token': token },
      body: JSON.stringify({ document: window.lockupEditor!.document() }),
    });
    return ((await res.json()) as { value: { plan: PlanView } }).value.plan;
  });
}

test('a vendor authorises a distributor, who builds and publishes a derived offer sheet; a partner opens it and exports it with three logos', async ({ page, host, browser }, testInfo) => {
  test.setTimeout(300_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-dist-'));
  const errors: string[] = [];
  const { host: distHost, child: distChild } = await startHost({ demo: false });
  const { host: partnerHost, child: partnerChild } = await startHost({ demo: false });
  try {
    // --- Vendor (demo catalogue): publishing key and pack version 1.
    await page.goto(host.url);
    await page.getByRole('button', { name: /brand owner/ }).click();
    await expect(page.getByRole('heading', { name: 'Nimbus Systems', level: 1 })).toBeVisible();
    await page.getByRole('tab', { name: 'Publish' }).click();
    await page.getByRole('button', { name: 'Create publishing key' }).click();
    await expect(page.getByTestId('publish-key')).toContainText('Nimbus Systems');
    await page.getByRole('button', { name: 'Publish version 1' }).click();
    await expect(page.getByTestId('publish-done')).toBeVisible();
    const vendorPack = await download(page, () => page.getByRole('button', { name: 'Download pack' }).click(), work);

    // --- Distributor (empty catalogue): workspace and key; the public key is what the vendor needs.
    const dist = await openPage(browser, errors);
    await setUpDistributor(dist, distHost);
    const publicKey = await dist.getByLabel('Public key').inputValue();
    expect(publicKey.length).toBeGreaterThan(40);

    // --- Vendor: Distributors tab → authorise that key, up to Silver; the .cred downloads.
    await page.getByRole('tab', { name: 'Distributors' }).click();
    await page.getByLabel('Distributor id', { exact: true }).fill(DISTRIBUTOR_ID);
    await page.getByLabel('Distributor name', { exact: true }).fill(DISTRIBUTOR);
    await page.getByLabel('Distributor’s public key').fill(publicKey);
    await page.getByLabel('Highest tier it may grant').selectOption({ label: 'Silver' });
    // Scoped to two templates: the offer sheet and the social post.
    await page.getByLabel('Only these:').check();
    const scope = page.getByRole('list', { name: 'Templates in scope' });
    await expect(page.getByRole('button', { name: 'Authorise and download .cred' })).toBeDisabled();
    await scope.getByLabel('Distributor bundled-offer sheet (US Letter)').check();
    await scope.getByLabel(/social post/i).check();
    const authorisation = await download(page, () => page.getByRole('button', { name: 'Authorise and download .cred' }).click(), work);
    await expect(page.getByTestId('authorised')).toContainText(`${DISTRIBUTOR} is authorised until`);
    await expect(page.getByRole('table', { name: 'Authorised distributors' })).toContainText(DISTRIBUTOR);
    await expect(page.getByRole('table', { name: 'Authorised distributors' })).toContainText('templates distributor-offer-sheet, social-post');
    await page.screenshot({ path: shot('vendor-distributors.png', (n) => testInfo.outputPath(n)), fullPage: true });

    // --- Distributor: profile with a logo.
    await dist.getByLabel('Name on sheets').fill(DISTRIBUTOR);
    await dist.getByLabel('Phone').fill('(425) 555-0199');
    await dist.getByLabel('Email').fill('partners@northwind.example.com');
    await dist.getByLabel('Website').fill('northwind.example.com');
    await dist.getByLabel('Logo file').setInputFiles(DISTRIBUTOR_LOGO);
    await dist.getByRole('button', { name: 'Save profile' }).click();
    await expect(dist.getByRole('status').filter({ hasText: 'Profile saved.' })).toBeVisible();
    await expect(dist.getByRole('img', { name: `${DISTRIBUTOR} logo` })).toBeVisible();

    // The vendor's pack with its authorisation.
    await dist.getByRole('tab', { name: 'Vendors' }).click();
    await dist.getByLabel('Vendor pack (.lockup)').setInputFiles(vendorPack);
    await dist.getByLabel('Vendor authorisation (.cred)').setInputFiles(authorisation);
    await dist.getByRole('button', { name: 'Add vendor pack' }).click();
    await expect(dist.getByRole('status').filter({ hasText: 'Nimbus Systems’s pack version 1 added.' })).toBeVisible();
    const row = dist.getByTestId('source-nimbus');
    await expect(row).toContainText('Nimbus Systems');
    await expect(row).toContainText('Authorised');
    await expect(row).toContainText(/silver/i);

    // One product of its own.
    await dist.getByRole('tab', { name: 'Your products' }).click();
    await dist.getByLabel('Product id').fill('rapid-onboarding');
    await dist.getByLabel('Product name').fill(OWN_PRODUCT);
    await dist.getByLabel('SKU').fill('NW-ONB-1');
    await dist.getByLabel('Section').fill('Services');
    await dist.getByLabel('Copy', { exact: true }).fill('Two days on site: NimbusVault installed, tested and handed over.');
    await dist.getByLabel('Amount').fill('1490');
    await dist.getByLabel('Unit').fill('per site');
    await dist.getByRole('button', { name: 'Save product' }).click();
    await expect(dist.getByTestId('own-product-rapid-onboarding')).toContainText('$1,490.00 per site');

    // The sheet: two vendor blocks and its own product in the bundle area, and the bundle price.
    await dist.getByRole('tab', { name: 'Sheets' }).click();
    await dist.getByLabel('Template').selectOption(TEMPLATE);
    const area = dist.getByTestId('area-offer');
    const vendorBlocks = area.getByRole('group', { name: 'Nimbus Systems blocks for Bundle' });
    await expect(vendorBlocks.getByRole('checkbox')).toHaveCount(5);
    await expect(vendorBlocks.locator('label').filter({ hasText: 'NimbusVault Business' })).toContainText('locked');
    const names = ['NimbusVault Business', 'Onboarding and first restore test'];
    for (const name of names) await vendorBlocks.getByRole('checkbox', { name: new RegExp(name) }).check();
    await area.getByRole('group', { name: 'Your products for Bundle' }).getByRole('checkbox', { name: new RegExp(OWN_PRODUCT) }).check();
    const order = area.getByRole('list', { name: 'Blocks in Bundle, in order' }).getByRole('listitem');
    await expect(order).toHaveCount(3);
    // The order is the distributor's: its own product moves up to second place.
    await area.getByRole('button', { name: `Move ${OWN_PRODUCT} up` }).click();
    await expect(order.nth(1)).toContainText(OWN_PRODUCT);
    // The onboarding block is not locked: the distributor sets its own price (the vendor's says "Price on request").
    await expect(area.getByLabel('Your price for NimbusVault Business')).toHaveCount(0);
    await area.getByLabel('Your price for Onboarding and first restore test').fill('990');
    await expect(order.filter({ hasText: 'Onboarding and first restore test' })).toContainText('Shows as $990.00');
    await dist.getByRole('textbox', { name: /bundle price/i }).fill('All three for $4,990 a year');
    await dist.getByRole('button', { name: 'Save sheet' }).click();
    await expect(dist.getByTestId('sheet-saved')).toContainText('Sheet saved');
    await expect(dist.getByTestId('preview-pages')).toContainText(/Page 1 of \d+/);
    await expect(dist.getByRole('img', { name: 'Page 1 of the sheet as a partner sees it' })).toBeVisible();
    await dist.screenshot({ path: shot('distributor-sheet.png', (n) => testInfo.outputPath(n)), fullPage: true });

    // Publish the derived pack and download it.
    await dist.getByRole('tab', { name: 'Publish' }).click();
    await dist.getByRole('button', { name: 'Publish derived pack' }).click();
    await expect(dist.getByTestId('derived-done')).toContainText(`${DISTRIBUTOR_ID}.`);
    const derived = await download(dist, () => dist.getByRole('button', { name: 'Download derived pack' }).click(), work);
    expect(execFileSync(process.execPath, [path.join(ROOT, 'bin', 'lockup.js'), 'pack', 'verify', derived], { encoding: 'utf8' })).toMatch(/^VALID/);

    // A Silver credential for Harbor IT, signed with the distributor's key.
    await dist.getByRole('tab', { name: 'Partner credentials' }).click();
    await dist.getByLabel('Partner company').fill('Harbor IT');
    await dist.getByLabel('Tier').selectOption({ label: 'Silver' });
    const cred = await download(dist, () => dist.getByRole('button', { name: 'Issue credential' }).click(), work);
    await expect(dist.getByTestId('credential-issued')).toContainText('Silver credential for Harbor IT');

    // --- Partner (empty catalogue): the derived pack shows its chain before anything is imported.
    const partner = await openPage(browser, errors);
    await createProfile(partner, partnerHost, { tier: '' });
    const chooser = partner.waitForEvent('filechooser');
    await partner.getByRole('button', { name: 'Open pack…' }).click();
    await (await chooser).setFiles(derived);
    const dialog = partner.getByRole('dialog', { name: 'Open pack' });
    const chain = dialog.getByTestId('pack-chain');
    await expect(chain).toContainText(`Distributed by ${DISTRIBUTOR}`);
    await expect(chain).toContainText('Authorised by Nimbus Systems');
    await expect(chain).toContainText('up to silver');
    await dialog.getByRole('button', { name: 'Import pack' }).click();
    await expect(partner.getByRole('heading', { name: 'Pack imported' })).toBeVisible();
    await partner.getByRole('button', { name: 'Done' }).click();

    const credChooser = partner.waitForEvent('filechooser');
    await partner.getByRole('button', { name: 'Import credential…' }).click();
    await (await credChooser).setFiles(cred);
    await expect(partner.getByRole('status').filter({ hasText: 'imported' })).toContainText('Silver partner');

    const card = partner.locator(`[data-template="${DISTRIBUTOR_ID}.${TEMPLATE}"]`);
    await expect(card).not.toHaveAttribute('aria-disabled', 'true');
    await card.click();
    await editorSettled(partner);

    // The lockup draws the vendor's, the distributor's and the partner's logos: three different images.
    const lockups = (await partner.evaluate(() => window.lockupEditor!.zones())).filter((z) => z.kind === 'lockup').map((z) => z.zoneId);
    expect(lockups.length).toBeGreaterThan(0);
    const plan = await editorPlan(partner);
    const logos = plan.pages.flatMap((p) => p.items).flatMap((i) => (i.type === 'image' && lockups.includes(i.zoneId) ? [i.asset] : []));
    expect(new Set(logos).size).toBe(3);

    await partner.getByRole('button', { name: 'Export PDF…' }).click();
    await partner.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(partner.getByTestId('export-done')).toBeVisible();
    const file = (await partner.getByTestId('export-path').textContent())!.trim();
    expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toMatch(/No syntax or stream encoding errors/);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const name of [...names, OWN_PRODUCT, 'Harbor IT', DISTRIBUTOR]) expect(text).toContain(name.replace(/\s+/g, ' ').trim());
    expect(text).toContain('All three for $4,990 a year');
    expect(text).toContain('$990.00');
    // The logos reach the PDF: the distributor's and the partner's PNGs as images (the demo vendor logo is a PDF, drawn as vector).
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c[2] === 'image');
    expect(new Set(images.map((c) => c[10])).size).toBeGreaterThanOrEqual(3);
    const sizes = images.map((c) => `${c[3]}x${c[4]}`);
    expect(sizes).toContain(pngSize(DISTRIBUTOR_LOGO));
    expect(sizes).toContain(pngSize(path.join(LOGOS, 'harbor-it-light.png')));
    expect(plan.pages.flatMap((p) => p.items).some((i) => i.type === 'image' && lockups.includes(i.zoneId) && i.format === 'pdf')).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    distChild.kill('SIGTERM');
    partnerChild.kill('SIGTERM');
    for (const h of [distHost, partnerHost]) fs.rmSync(path.dirname(h.dataDir), { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('a vendor pack with an authorisation for another key is refused with the reason, and nothing is added', async ({ page }) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-dist-refuse-'));
  const lockup = (...args: string[]) => execFileSync(process.execPath, [path.join(ROOT, 'bin', 'lockup.js'), ...args, '--data-dir', path.join(work, 'vendor')], { encoding: 'utf8' });
  const vendorKey = path.join(work, 'nimbus.key');
  const otherKey = path.join(work, 'someone-else.key');
  const pack = path.join(work, 'nimbus-1.lockup');
  const cred = path.join(work, 'nimbus-authorises-someone-else.cred');
  lockup('keygen', '--out', vendorKey, '--publisher', 'nimbus', '--name', 'Nimbus Systems');
  lockup('pack', 'build', '--key', vendorKey, '--out', pack, '--from-catalogue');
  lockup('keygen', '--out', otherKey, '--publisher', DISTRIBUTOR_ID, '--name', DISTRIBUTOR);
  lockup('distributor', 'authorise', '--key', vendorKey, '--distributor-pubkey', otherKey.replace(/\.key$/, '.pub'), '--id', DISTRIBUTOR_ID, '--name', DISTRIBUTOR, '--max-tier', 'silver', '--out', cred);

  const { host, child } = await startHost({ demo: false });
  try {
    await setUpDistributor(page, host);
    const fingerprint = (await page.getByTestId('dist-key').locator('dd').nth(2).textContent())!.trim();
    await page.getByRole('tab', { name: 'Vendors' }).click();
    await page.getByLabel('Vendor pack (.lockup)').setInputFiles(pack);
    await page.getByLabel('Vendor authorisation (.cred)').setInputFiles(cred);
    await page.getByRole('button', { name: 'Add vendor pack' }).click();
    const refusal = page.getByTestId('source-error').getByRole('alert');
    await expect(refusal).toContainText("Nimbus Systems's authorisation is for the key");
    await expect(refusal).toContainText(`not this workspace's key (${fingerprint})`);
    await expect(refusal).toContainText('Send the vendor the public key shown under Identity');
    await expect(page.getByTestId('no-sources')).toBeVisible();

    // Nothing was stored: a fresh load of the workspace has no vendor either.
    await page.reload();
    await page.getByRole('tab', { name: 'Vendors' }).click();
    await expect(page.getByTestId('no-sources')).toBeVisible();
    await page.getByRole('tab', { name: 'Sheets' }).click();
    await expect(page.getByText('Add a vendor’s pack first (Vendors).')).toBeVisible();
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(path.dirname(host.dataDir), { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
});
