import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProfile, dragZone, editorSettled, emptyTest, expect, ROOT } from './fixtures.ts';

/**
 * A partner who starts with an empty catalogue opens a vendor's signed pack
 * and a Silver credential in the studio, in Chromium against the real
 * backend. The pack and credentials are made headlessly with the CLI, as a
 * vendor's build job would (the vendor's UI journey is e2e/vendor-journey.spec.ts).
 */

/** Each test starts from an EMPTY catalogue (no demo brand). */
const test = emptyTest;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-packs-'));
const lockup = (...args: string[]) => execFileSync(process.execPath, [path.join(ROOT, 'bin', 'lockup.js'), ...args, '--data-dir', path.join(work, 'vendor')], { encoding: 'utf8' });
const key = path.join(work, 'nimbus.key');
const pack = path.join(work, 'nimbus-1.lockup');
const silver = path.join(work, 'harbor-it.cred');

test.beforeAll(() => {
  lockup('keygen', '--out', key, '--publisher', 'nimbus', '--name', 'Nimbus Systems');
  lockup('pack', 'build', '--key', key, '--out', pack, '--from-catalogue');
  lockup('credential', 'issue', '--key', key, '--partner', path.join(ROOT, 'examples', 'partners', 'harbor-it.json'), '--out', silver);
});
test.afterAll(() => fs.rmSync(work, { recursive: true, force: true }));


test('a partner opens a signed pack, imports a Silver credential, sees only what Silver may see, and exports', async ({ page, host }) => {
  await createProfile(page, host, { tier: '' });
  await expect(page.locator('.card')).toHaveCount(0);

  // File → Open pack…: verified and explained before anything is imported.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open pack…' }).click();
  await (await chooser).setFiles(pack);
  const dialog = page.getByRole('dialog', { name: 'Open pack' });
  await expect(dialog.getByTestId('pack-plan')).toContainText('Nimbus Systems');
  await expect(dialog).toContainText('First pack from this publisher');
  await expect(dialog.getByRole('region', { name: 'New templates' })).toContainText('Customer story: Lakeside Dental Group');
  await dialog.getByRole('button', { name: 'Import pack' }).click();
  await expect(page.getByRole('heading', { name: 'Pack imported' })).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();

  // No credential yet: only templates open to every partner.
  await expect(page.locator('.card')).toHaveCount(10);
  await expect(page.locator('[data-template="case-study-gold"]')).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByRole('note').first()).toContainText('no credential from Nimbus Systems');

  // Import credential…: Silver.
  const credChooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import credential…' }).click();
  await (await credChooser).setFiles(silver);
  await expect(page.getByRole('status').filter({ hasText: 'Credential from Nimbus Systems imported' })).toContainText('Silver partner');
  await expect(page.getByTestId('credential-nimbus')).toContainText('Silver partner');
  await expect(page.getByRole('note')).toHaveCount(0);
  const gold = page.locator('[data-template="case-study-gold"]');
  await expect(gold).toHaveAttribute('aria-disabled', 'true');
  await expect(gold).toContainText('Gold partners only');

  // A Silver template opens, its vendor zones do not move, and it exports.
  await page.locator('[data-template="product-one-pager-letter"]').click();
  await editorSettled(page);
  const zones = await page.evaluate(() => window.lockupEditor!.zones());
  const vendorZone = zones.find((z) => z.lockedBy === 'Nimbus Systems' && z.width > 200)!;
  await dragZone(page, vendorZone, 100, 60);
  await editorSettled(page);
  expect(await page.evaluate(() => window.lockupEditor!.zones())).toEqual(zones);

  await page.getByRole('button', { name: 'Export PDF…' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-done')).toBeVisible();
  const file = (await page.getByTestId('export-path').textContent())!.trim();
  expect(file.startsWith(host.exportDir)).toBe(true);
  const check = execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
  expect(check).toMatch(/No syntax or stream encoding errors/);
  expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('Harbor IT');
});

test('a tampered pack is refused in the dialog and nothing is imported', async ({ page, host }) => {
  await createProfile(page, host, { tier: '' });
  const bytes = fs.readFileSync(pack);
  const at = bytes.indexOf('"name":"Nimbus Systems"') + 9;
  bytes[at] = bytes[at]! ^ 0x01;
  const bad = path.join(path.dirname(host.dataDir), 'tampered.lockup');
  fs.writeFileSync(bad, bytes);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open pack…' }).click();
  await (await chooser).setFiles(bad);
  const dialog = page.getByRole('dialog', { name: 'Open pack' });
  await expect(dialog.getByTestId('pack-error')).toContainText('damaged or not a Lockup pack');
  await expect(dialog.getByRole('button', { name: 'Import pack' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.card')).toHaveCount(0);
});
