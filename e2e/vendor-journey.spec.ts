import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { artworkPdf, designerSettled, dragOnPage } from './designer-helpers.ts';
import { createProfile, dragZone, editorSettled, emptyTest as test, expect, LOGOS, ROOT, startHost } from './fixtures.ts';

/**
 * Issue #4's journey, in Chromium against two real backends with separate
 * data folders. The vendor starts from an empty catalogue and, entirely in
 * the UI, creates a brand, a template from a PDF with a partner logo slot and
 * a text field with a limit (Silver and up), a Gold-only template, a
 * publishing key and a signed pack. The partner opens the pack with a Silver
 * credential, sees only what Silver may see, cannot move the vendor's zones,
 * and exports a PDF. The credential is issued with the CLI (the vendor's
 * tooling for credentials is headless), from the key the app created.
 */

async function publishTemplate(page: Page, name: string): Promise<void> {
  await page.getByTestId('publish-button').click();
  await page.getByRole('button', { name: 'Publish version 1', exact: true }).click();
  await expect(page.getByTestId('designer-notice')).toHaveText(`Published “${name}” as version 1.`);
}

async function setMinimumTier(page: Page, label: string): Promise<void> {
  await page.getByRole('tab', { name: 'Template' }).click();
  await page.getByRole('group', { name: 'Who may use this template' }).getByLabel('Minimum tier').selectOption({ label });
  await designerSettled(page);
}

test('a vendor publishes a signed pack from an empty catalogue in the UI; a Silver partner opens it, exports, and cannot move vendor zones', async ({ page, host }) => {
  test.setTimeout(240_000);
  const work = path.dirname(host.dataDir);

  // --- Vendor: empty catalogue → brand.
  await page.goto(host.url);
  await page.getByRole('button', { name: /brand owner/ }).click();
  await page.getByLabel('Brand name').fill('Acme Storage');
  await page.getByLabel('Logo file').setInputFiles(path.join(LOGOS, 'harbor-it-light.png'));
  await page.getByRole('button', { name: 'Create brand' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Storage', level: 1 })).toBeVisible();

  // A template from a PDF: the page is the locked artwork; a partner logo slot; a company field limited to 40 characters.
  await page.getByRole('tab', { name: 'Templates' }).click();
  await page.getByRole('button', { name: 'New from PDF…' }).click();
  await page.getByLabel('PDF file').setInputFiles({ name: 'spring-launch.pdf', mimeType: 'application/pdf', buffer: await artworkPdf() });
  await page.getByLabel('Template name').fill('Spring flyer');
  await page.getByRole('button', { name: 'Create template' }).click();
  await designerSettled(page);
  await page.getByRole('button', { name: 'Add partner logo' }).click();
  await dragOnPage(page, { x: 400, y: 650 }, { x: 570, y: 740 });
  await designerSettled(page);
  await page.getByRole('button', { name: 'Add partner text' }).click();
  await dragOnPage(page, { x: 48, y: 690 }, { x: 360, y: 716 });
  await expect(page.getByLabel('Shows field')).toHaveValue('company');
  await page.getByLabel('Max characters').fill('40');
  await designerSettled(page);
  await setMinimumTier(page, 'Silver or higher');
  const flyer = await page.evaluate(() => window.lockupDesigner!.template()!);
  expect(flyer.access).toEqual({ minTier: 'silver' });
  expect(flyer.fields).toEqual([expect.objectContaining({ key: 'company', maxChars: 40 })]);
  await publishTemplate(page, 'Spring flyer');

  // A Gold-only template from a preset (publishing returned to the template list).
  await page.getByRole('button', { name: 'New template' }).click();
  await page.getByLabel('Template name').fill('Gold deal sheet');
  await page.getByRole('button', { name: 'Create template' }).click();
  await designerSettled(page);
  await setMinimumTier(page, 'Gold or higher');
  await publishTemplate(page, 'Gold deal sheet');

  // Publish: a key, then version 1 of the signed pack, downloaded as the browser host offers it.
  await page.getByRole('tab', { name: 'Publish' }).click();
  await expect(page.getByRole('note')).toHaveText('Create a publishing key first.');
  await page.getByRole('button', { name: 'Create publishing key' }).click();
  await expect(page.getByTestId('publish-key')).toContainText('Acme Storage');
  const templates = page.getByRole('list', { name: 'Templates in the pack' });
  await expect(templates).toContainText('Spring flyer');
  await expect(templates).toContainText('Gold deal sheet');
  await page.getByRole('button', { name: 'Publish version 1' }).click();
  await expect(page.getByTestId('publish-done')).toContainText('acme-storage-v1.lockup');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download pack' }).click();
  const pack = path.join(work, 'acme-storage-v1.lockup');
  await (await download).saveAs(pack);

  // The pack verifies on its own; a Silver credential comes from the vendor's key, checked against its access levels.
  const lockup = (...args: string[]) => execFileSync(process.execPath, [path.join(ROOT, 'bin', 'lockup.js'), ...args], { encoding: 'utf8' });
  expect(lockup('pack', 'verify', pack)).toMatch(/^VALID/);
  const partnerJson = path.join(work, 'harbor-it.json');
  fs.writeFileSync(partnerJson, JSON.stringify({ id: 'harbor-it', company: 'Harbor IT', tier: 'silver' }));
  const cred = path.join(work, 'harbor-it.cred');
  lockup('credential', 'issue', '--key', path.join(host.dataDir, 'keys', 'acme-storage.key'), '--partner', partnerJson, '--out', cred, '--data-dir', host.dataDir);

  // --- Partner: a separate data folder, empty.
  const { host: partner, child } = await startHost({ demo: false });
  try {
    await createProfile(page, partner, { tier: '' });
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Open pack…' }).click();
    await (await chooser).setFiles(pack);
    const dialog = page.getByRole('dialog', { name: 'Open pack' });
    await expect(dialog.getByTestId('pack-plan')).toContainText('Acme Storage');
    await dialog.getByRole('button', { name: 'Import pack' }).click();
    await page.getByRole('button', { name: 'Done' }).click();

    // Before the credential: neither template (both need a tier).
    await expect(page.locator('[data-template="spring-flyer"]')).toHaveAttribute('aria-disabled', 'true');

    const credChooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import credential…' }).click();
    await (await credChooser).setFiles(cred);
    await expect(page.getByTestId('credential-acme-storage')).toContainText('Silver partner');
    await expect(page.locator('[data-template="spring-flyer"]')).not.toHaveAttribute('aria-disabled', 'true');
    const gold = page.locator('[data-template="gold-deal-sheet"]');
    await expect(gold).toHaveAttribute('aria-disabled', 'true');
    await expect(gold).toContainText('Gold partners only');

    // The Silver template: the vendor's artwork does not move; the logo slot and the limited field are the partner's.
    await page.locator('[data-template="spring-flyer"]').click();
    await editorSettled(page);
    const zones = await page.evaluate(() => window.lockupEditor!.zones());
    const artwork = zones.find((z) => z.kind === 'image')!;
    expect(artwork).toMatchObject({ selectable: false, lockedBy: 'Acme Storage' });
    await dragZone(page, artwork, 120, 80, { x: 100, y: 100 });
    await editorSettled(page);
    expect(await page.evaluate(() => window.lockupEditor!.zones())).toEqual(zones);
    expect(zones.some((z) => z.kind === 'partner-logo')).toBe(true);

    await page.getByRole('button', { name: 'Export PDF…' }).click();
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(page.getByTestId('export-done')).toBeVisible();
    const file = (await page.getByTestId('export-path').textContent())!.trim();
    expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toMatch(/No syntax or stream encoding errors/);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Harbor IT');
    // The vendor's artwork arrived as vector (its text is text, not pixels).
    expect(text).toContain('NimbusVault Spring Launch');
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(path.dirname(partner.dataDir), { recursive: true, force: true });
  }
});
