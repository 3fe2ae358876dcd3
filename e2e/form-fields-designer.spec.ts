import type { DraftView } from '../core/contracts/designer-api.ts';
import type { FormFieldZone } from '../core/model/template.ts';
import { designerSettled, dragOnPage, newTemplate, savedDraft } from './designer-helpers.ts';
import { expect, test } from './fixtures.ts';

/**
 * Form fields in the vendor's designer, in Chromium against the real
 * backend: a field drawn on the page, made a required drop-down list with
 * options through the inspector, and saved with the draft; names and option
 * lists the model refuses show its message and never reach the saved draft.
 */

function formField(view: DraftView, id: string): FormFieldZone {
  const z = view.template.pages.flatMap((p) => p.zones).find((x) => x.id === id);
  expect(z?.kind).toBe('form-field');
  return z as FormFieldZone;
}

test('a vendor draws a form field, makes it a required choice with options, and the saved draft has it; invalid names and options are not saved', async ({ page, host }) => {
  const name = 'Co-op claim form';
  await newTemplate(page, host, name);

  // Drawn with the toolbar's last tool: a locked, vendor-owned text field with a unique name.
  await page.getByRole('button', { name: 'Add form field' }).click();
  await dragOnPage(page, { x: 72, y: 200 }, { x: 300, y: 222 });
  await designerSettled(page);
  const id = (await page.evaluate(() => window.lockupDesigner!.selected()))!;
  expect(id).toBe('field');
  const drawn = await page.evaluate((zid) => window.lockupDesigner!.template()!.pages[0]!.zones.find((z) => z.id === zid)!, id);
  expect(drawn).toMatchObject({ kind: 'form-field', owner: 'vendor', lock: 'locked', fieldName: 'field_1', input: 'text', style: { size: 10 } });
  expect(drawn.rect.w).toBeGreaterThan(200);
  // The canvas marks it with its field name.
  expect((await page.evaluate(() => window.lockupDesigner!.zones())).find((z) => z.id === id)).toMatchObject({ kind: 'form-field', field: 'field_1' });
  // Only a designer's owners and the locked lock are on offer.
  await expect(page.getByLabel('Owner').locator('option[value="partner"]')).toBeDisabled();
  await expect(page.getByLabel('Lock').locator('option[value="editable"]')).toBeDisabled();

  // A name the model refuses: its message, inline, and the template keeps the last good name.
  const fieldName = page.getByLabel('Field name');
  await fieldName.fill('2nd claim');
  await expect(fieldName).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('must start with a letter; letters, digits, _ and - only (at most 64)')).toBeVisible();
  await expect(page.getByText(/the field keeps the name “field_1”/)).toBeVisible();
  await designerSettled(page);
  expect(formField(await savedDraft(page, name), id).fieldName).toBe('field_1');
  await fieldName.fill('claim_type');
  await expect(fieldName).not.toHaveAttribute('aria-invalid', 'true');

  // A drop-down list with three options, the second preselected, required, with a tooltip.
  await page.getByLabel('Input type').selectOption('choice');
  const options = page.getByLabel('Options (one per line)');
  await expect(options).toHaveValue('Option 1\nOption 2');
  await options.fill('Print\nDigital\nEvent');
  await page.getByLabel('Default option').selectOption('Digital');
  await page.getByLabel('Required').check();
  await page.getByLabel('Label (tooltip)').fill('Type of claim');
  // A repeated option is refused with the model's message and not taken.
  await options.fill('Print\nPrint');
  await expect(page.getByText('options must be different')).toBeVisible();
  await expect(options).toHaveAttribute('aria-invalid', 'true');
  await designerSettled(page);

  let saved = await savedDraft(page, name);
  expect(formField(saved, id)).toMatchObject({ fieldName: 'claim_type', input: 'choice', options: ['Print', 'Digital', 'Event'], value: 'Digital', required: true, label: 'Type of claim', multiline: false, owner: 'vendor', lock: 'locked' });
  expect('maxChars' in formField(saved, id)).toBe(false);
  expect(saved.issues.filter((i) => i.zoneId === id)).toEqual([]);
  expect((await page.evaluate(() => window.lockupDesigner!.zones())).find((z) => z.id === id)).toMatchObject({ field: 'claim_type' });

  // A second field may not take the first one's name, whatever its case.
  await page.getByRole('button', { name: 'Add form field' }).click();
  await dragOnPage(page, { x: 72, y: 260 }, { x: 300, y: 282 });
  await designerSettled(page);
  const second = (await page.evaluate(() => window.lockupDesigner!.selected()))!;
  expect(second).not.toBe(id);
  await expect(fieldName).toHaveValue('field_2');
  await fieldName.fill('CLAIM_TYPE');
  await expect(page.getByText('duplicate form field name "CLAIM_TYPE"')).toBeVisible();
  await page.getByLabel('Input type').selectOption('checkbox');
  await page.getByLabel('Checked by default').check();
  await designerSettled(page);

  saved = await savedDraft(page, name);
  expect(formField(saved, second)).toMatchObject({ fieldName: 'field_2', input: 'checkbox', value: 'on', options: [] });
  expect(formField(saved, id).fieldName).toBe('claim_type');
  expect(saved.issues).toEqual([]);
});
