import type { DraftView } from '../core/contracts/designer-api.ts';
import { lockupIssues } from '../core/designer/zones.ts';
import type { LockupZone } from '../core/model/template.ts';
import { designerSettled, dragOnPage, newTemplate, savedDraft } from './designer-helpers.ts';
import { expect, test } from './fixtures.ts';

/**
 * Logo lockups in the vendor's designer, in Chromium against the real
 * backend: a lockup drawn on the page names its vendor, distributor and
 * partner on the canvas; the inspector reorders it to partner | vendor and turns the
 * separator off, and the saved draft has exactly that. An order the model
 * refuses shows the model's message and never reaches the saved draft.
 */

function lockupIn(view: DraftView, id: string): LockupZone {
  const z = view.template.pages.flatMap((p) => p.zones).find((x) => x.id === id);
  expect(z?.kind).toBe('lockup');
  return z as LockupZone;
}

test('a vendor draws a lockup, reorders it to partner | vendor without a separator, and the saved draft has it; a lockup of one logo is not saved', async ({ page, host }) => {
  const name = 'Co-branded banner';
  await newTemplate(page, host, name);

  // Drawn with the tool after "Vendor logo": vendor content, locked, all three parties in order, a rule between them.
  await page.getByRole('button', { name: 'Add logo lockup' }).click();
  await dragOnPage(page, { x: 72, y: 600 }, { x: 432, y: 672 });
  await designerSettled(page);
  const id = (await page.evaluate(() => window.lockupDesigner!.selected()))!;
  expect(id).toBe('lockup');
  const drawn = await page.evaluate((zid) => window.lockupDesigner!.template()!.pages[0]!.zones.find((z) => z.id === zid)!, id);
  expect(drawn).toMatchObject({ kind: 'lockup', owner: 'vendor', lock: 'locked', order: ['vendor', 'distributor', 'partner'], vendorLogo: 'auto', relativeSize: 1, separator: 'rule', separatorColor: 'slate', gap: 0.5, align: 'left', partnerRequired: true });
  expect(drawn.rect.w).toBeGreaterThan(300);
  // The canvas names the parties in order with the rules between them; the engine draws the row underneath.
  const zoneState = async () => (await page.evaluate(() => window.lockupDesigner!.zones())).find((z) => z.id === id);
  expect(await zoneState()).toMatchObject({ kind: 'lockup', slots: ['vendor', 'distributor', 'partner'], separators: 2 });
  expect(await page.evaluate(() => window.lockupDesigner!.drawn())).toContain(id);
  // Only the vendor may own it, and it is always locked.
  await expect(page.getByLabel('Owner').locator('option[value="partner"]')).toBeDisabled();
  await expect(page.getByLabel('Owner').locator('option[value="distributor"]')).toBeDisabled();
  await expect(page.getByLabel('Lock').locator('option[value="editable"]')).toBeDisabled();
  await expect(page.getByLabel('Vendor', { exact: true })).toBeDisabled();
  await expect(page.getByLabel('Vendor', { exact: true })).toBeChecked();

  // Partner | vendor: the distributor left out, the partner moved to the front.
  await page.getByLabel('Distributor', { exact: true }).uncheck();
  await expect(page.getByRole('button', { name: 'Move the distributor logo earlier' })).toBeDisabled();
  await page.getByRole('button', { name: 'Move the partner logo earlier' }).click();
  await expect(page.getByRole('button', { name: 'Move the partner logo earlier' })).toBeDisabled();
  expect((await zoneState())?.slots).toEqual(['partner', 'vendor']);

  // Leaving out the partner too would leave the vendor alone: the model's message, and the order stays.
  const alone = lockupIssues({ ...drawn, order: ['vendor'] } as LockupZone).get('order')!;
  expect(alone).toBeTruthy();
  await page.getByLabel('Partner', { exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: alone })).toBeVisible();
  await expect(page.getByLabel('Partner', { exact: true })).toBeChecked();

  // No separator: the colour goes with it.
  await expect(page.getByLabel('Rule colour')).toBeVisible();
  await page.getByLabel('Separator').selectOption('none');
  await expect(page.getByLabel('Rule colour')).toHaveCount(0);
  // Co-brand logos at three quarters of the vendor logo's height, the row centred.
  await page.getByLabel('Co-brand logo size').fill('75');
  await expect(page.getByText('75 % of the vendor logo')).toBeVisible();
  await page.getByLabel('Alignment').selectOption('center');
  await designerSettled(page);

  const saved = await savedDraft(page, name);
  const z = lockupIn(saved, id);
  expect(z).toMatchObject({ order: ['partner', 'vendor'], separator: 'none', relativeSize: 0.75, align: 'center', owner: 'vendor', lock: 'locked', partnerRequired: true });
  expect('separatorColor' in z).toBe(false);
  expect(saved.issues).toEqual([]);
  expect(await zoneState()).toMatchObject({ slots: ['partner', 'vendor'], separators: 0 });
  expect(await page.evaluate(() => window.lockupDesigner!.drawn())).toContain(id);
});
