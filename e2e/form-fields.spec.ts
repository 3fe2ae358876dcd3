import { spawnSync } from 'node:child_process';
import { createProfile, editorSettled, expect, test } from './fixtures.ts';

// Issue #6, fillable forms: a template's form fields stay fillable in a
// screen export (AcroForm), prefilled from the partner's profile, and the
// export dialog says what happens to them in each profile.

interface QpdfField {
  fullname: string;
  value: unknown;
  ischeckbox: boolean;
  ischoice: boolean;
  istext: boolean;
}

test('a form template exports a fillable PDF prefilled with the partner\'s details', async ({ page, host }) => {
  await createProfile(page, host, { company: 'Harbor IT' });
  await page.locator('[data-template="co-marketing-request"]').click();
  await editorSettled(page);

  // Form fields are vendor-locked: the partner cannot select or move them.
  const fields = (await page.evaluate(() => window.lockupEditor!.zones())).filter((z) => z.kind === 'form-field');
  expect(fields).toHaveLength(11);
  expect(fields.every((z) => !z.selectable && z.lockedBy === 'Nimbus Systems')).toBe(true);

  await page.getByRole('button', { name: 'Export PDF…' }).click();
  await expect(page.getByTestId('form-fields-note')).toHaveText('The 11 form fields stay fillable in this PDF.');
  await page.getByRole('radio', { name: /Print/ }).check();
  await expect(page.getByTestId('form-fields-note')).toContainText('export for screen to keep them fillable');
  await page.getByRole('radio', { name: /Screen/ }).check();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-done')).toBeVisible();
  const file = (await page.getByTestId('export-path').textContent())!.trim();

  const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  expect(check.status).toBe(0);
  expect(check.stderr).toBe('');
  const json = spawnSync('qpdf', ['--json=2', '--json-key=acroform', file], { encoding: 'utf8' });
  const form = (JSON.parse(json.stdout) as { acroform: { hasacroform: boolean; fields: QpdfField[] } }).acroform;
  expect(form.hasacroform).toBe(true);
  const byName = new Map(form.fields.map((f) => [f.fullname, f]));
  expect(byName.size).toBe(11);
  expect(byName.get('requested_by')).toMatchObject({ istext: true, value: 'u:Harbor IT' });
  expect(byName.get('activity_type')).toMatchObject({ ischoice: true, value: 'u:Event or seminar' });
  expect(byName.get('guidelines_confirmed')).toMatchObject({ ischeckbox: true, value: '/Off' });
  expect(byName.get('share_results')).toMatchObject({ ischeckbox: true, value: '/Yes' });
  expect(byName.get('description')).toMatchObject({ istext: true, value: null });
});
