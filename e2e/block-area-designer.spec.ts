import type { DraftView } from '../core/contracts/designer-api.ts';
import type { BlockAreaZone } from '../core/model/template.ts';
import { designerSettled, dragOnPage, newTemplate, savedDraft } from './designer-helpers.ts';
import { expect, test } from './fixtures.ts';

/**
 * Bundle areas in the vendor's designer, in Chromium against the real
 * backend: a bundle area drawn on the page is a distributor's locked 2-column
 * grid; the inspector makes it a list offering two products that repeats the
 * header band on continuation pages, and the saved draft has exactly that.
 * A malformed product id shows the model's message and never reaches the draft.
 */

function areaIn(view: DraftView, id: string): BlockAreaZone {
  const z = view.template.pages.flatMap((p) => p.zones).find((x) => x.id === id);
  expect(z?.kind).toBe('block-area');
  return z as BlockAreaZone;
}

test('a vendor draws a bundle area, makes it a list of two offered products repeating the band, and the saved draft has it; a malformed id is not saved', async ({ page, host }) => {
  const name = 'Bundle sheet';
  await newTemplate(page, host, name);

  await page.getByRole('button', { name: 'Add colour block' }).click();
  await dragOnPage(page, { x: 0, y: 0 }, { x: 612, y: 60 });
  await designerSettled(page);
  const band = (await page.evaluate(() => window.lockupDesigner!.selected()))!;

  await page.getByRole('button', { name: 'Add bundle area' }).click();
  await dragOnPage(page, { x: 48, y: 120 }, { x: 564, y: 600 });
  await designerSettled(page);
  const id = (await page.evaluate(() => window.lockupDesigner!.selected()))!;
  expect(id).toBe('bundle');
  const drawn = await page.evaluate((zid) => window.lockupDesigner!.template()!.pages[0]!.zones.find((z) => z.id === zid)!, id);
  expect(drawn).toMatchObject({ kind: 'block-area', owner: 'distributor', lock: 'locked', layout: 'grid', columns: 2, offered: [], allowOwn: true, entries: [] });
  const zoneState = async () => (await page.evaluate(() => window.lockupDesigner!.zones())).find((z) => z.id === id);
  expect(await zoneState()).toMatchObject({ kind: 'block-area', columns: 2, continuationPages: 0 });
  // A distributor's or the vendor's, never a partner's; always locked.
  await expect(page.getByLabel('Owner').locator('option[value="partner"]')).toBeDisabled();
  await expect(page.getByLabel('Owner').locator('option[value="vendor"]')).toBeEnabled();
  await expect(page.getByLabel('Lock').locator('option[value="editable"]')).toBeDisabled();

  // A malformed id: the model's message, and the draft keeps offering everything.
  const offered = page.getByLabel('Offered products');
  await offered.fill('vault-business, Vault Box');
  await expect(page.getByText(/"Vault" is not a product id/)).toBeVisible();
  await offered.fill('vault-business, vault-box-8tb');
  await page.getByLabel('Layout').selectOption('list');
  await expect(page.getByLabel('Columns', { exact: true })).toHaveCount(0);
  await page.getByRole('group', { name: 'Repeat on continuation pages' }).getByRole('checkbox').first().check();
  await page.getByRole('spinbutton', { name: /^Continuation pages/ }).fill('3');
  await designerSettled(page);

  const saved = await savedDraft(page, name);
  const z = areaIn(saved, id);
  expect(z).toMatchObject({ owner: 'distributor', lock: 'locked', layout: 'list', offered: ['vault-business', 'vault-box-8tb'], repeat: [band], maxPages: 3 });
  expect(saved.issues).toEqual([]);
  expect(await zoneState()).toMatchObject({ columns: 1 });
});
