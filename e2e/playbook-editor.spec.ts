import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { Playbook } from '../core/playbook/model.ts';
import { createProfile, expect, ROOT, test } from './fixtures.ts';

/**
 * The vendor's Playbooks and Training tabs (renderer/src/vendor/playbooks/),
 * on the demo catalogue (brand "nimbus"): a playbook built in the structured
 * editor and what the backend stored, a second version, Discard, a save the
 * model refuses, the partner reading it in Learn; and importing training
 * module sources, broken and valid.
 */

const BRAND = 'nimbus';
const NAME = 'Ransomware recovery plays';
const ID = 'ransomware-recovery-plays';
const ICON = path.join(ROOT, 'assets', 'nimbus', 'images', 'icon-lock.png');
const LINK = 'https://nimbus.example.com/recovery-guide';

/** An operation of the browser host's API, called from the page with its token (as the renderer does). */
async function api<T>(page: Page, op: string, input: unknown): Promise<T> {
  const r = await page.evaluate(
    async ({ op, input }) => {
      const token = sessionStorage.getItem('lockup-token')!;
      const res = await fetch(`./api/${encodeURIComponent(op)}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Lockup-Token': token }, body: JSON.stringify(input) });
      return res.json();
    },
    { op, input },
  );
  if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
const stored = (page: Page) => api<Playbook>(page, 'vendor:playbook-get', { brand: BRAND, id: ID });

/** A partner profile (so the partner side has one), then the vendor workspace of the demo brand. */
async function openVendor(page: Page, host: Parameters<typeof createProfile>[1], tab: 'Playbooks' | 'Training'): Promise<void> {
  await createProfile(page, host);
  await page.getByRole('button', { name: 'Vendor workspace' }).click();
  await expect(page.getByRole('heading', { name: 'Nimbus Systems', level: 1 })).toBeVisible();
  await page.getByRole('tab', { name: tab }).click();
  await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
}

/** Moves the caret of a focused textarea to `at` (from the start of its single line) and selects `length` characters with Shift+→. */
async function selectInTextarea(area: Locator, at: number, length: number): Promise<void> {
  await area.focus();
  await area.press('Home');
  for (let i = 0; i < at; i++) await area.press('ArrowRight');
  for (let i = 0; i < length; i++) await area.press('Shift+ArrowRight');
}

test('a vendor builds a playbook in the structured editor, saves two versions, is refused a javascript: link, and a partner reads it in Learn', async ({ page, host }) => {
  test.setTimeout(90_000);
  await openVendor(page, host, 'Playbooks');
  const saveBar = page.getByTestId('playbook-save-bar');
  const saveButton = page.getByRole('button', { name: 'Save playbook' });

  // --- A new playbook: name (the id follows it) and summary.
  await expect(page.getByRole('table', { name: 'Playbooks' })).toContainText('NimbusVault ransomware-readiness campaign');
  await page.getByRole('button', { name: 'New playbook' }).click();
  // A blank playbook: no name, no id, an empty paragraph.
  await expect(saveBar).toContainText('3 problems to fix before saving.');
  await expect(saveButton).toBeDisabled();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(NAME);
  await expect(page.getByRole('textbox', { name: 'Playbook id' })).toHaveValue(ID);
  await page.getByRole('textbox', { name: 'Summary' }).fill('Three weeks from first call to a tested recovery.');
  await expect(page.getByRole('group', { name: 'Who may open it' })).toBeVisible();

  // --- Section 1, the overview: a paragraph made bold and linked with the toolbar.
  const overview = page.getByRole('region', { name: 'Section 1: Overview' });
  const para = overview.getByRole('group', { name: 'Block 1: Paragraph' });
  const paraText = para.getByRole('textbox', { name: 'Paragraph text' });
  await paraText.fill('Lead with recovery, not backup. Read the guide');
  // An empty paragraph was a problem a moment ago; with text there is none.
  await expect(saveBar).toContainText('Unsaved changes');
  await selectInTextarea(paraText, 'Lead with '.length, 'recovery'.length);
  await para.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Bold' }).click();
  await expect(paraText).toHaveValue('Lead with **recovery**, not backup. Read the guide');
  // The toolbar hands the focus back with the word still selected.
  await expect(paraText).toBeFocused();
  await paraText.press('End');
  for (let i = 0; i < 'the guide'.length; i++) await paraText.press('Shift+ArrowLeft');
  await para.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(paraText).toHaveValue('Lead with **recovery**, not backup. Read [the guide](https://)');
  // "https://" is selected: typing replaces it with the address.
  await page.keyboard.type(LINK);
  const paragraph = `Lead with **recovery**, not backup. Read [the guide](${LINK})`;
  await expect(paraText).toHaveValue(paragraph);
  const preview = para.locator('.pb-preview');
  await expect(preview.locator('strong')).toHaveText('recovery');
  await expect(preview.getByRole('link', { name: 'the guide' })).toHaveAttribute('href', LINK);

  // A list, numbered, of two items.
  await overview.getByRole('button', { name: 'Add list' }).click();
  const list = overview.getByRole('group', { name: 'Block 2: List' });
  await list.getByRole('checkbox', { name: 'Numbered list' }).check();
  await list.getByRole('textbox', { name: 'Item 1' }).fill('Check the *retention* settings');
  await list.getByRole('button', { name: 'Add item' }).click();
  await list.getByRole('textbox', { name: 'Item 2' }).fill('Run a test restore');

  // An image, uploaded through the intake checks; it needs alt text.
  await overview.getByLabel('Add image…').setInputFiles(ICON);
  const image = overview.getByRole('group', { name: 'Block 3: Image' });
  await expect(image).toBeVisible();
  await expect(saveBar).toContainText('1 problem to fix before saving.');
  await expect(saveButton).toBeDisabled();
  await image.getByRole('textbox', { name: 'Alt text' }).fill('A padlock');
  await image.getByRole('textbox', { name: 'Caption' }).fill('Immutable copies stay locked for 30 days.');
  await expect(image.getByRole('img', { name: 'A padlock' })).toBeVisible();

  // A link to one of the brand's templates.
  await overview.getByRole('button', { name: 'Add template link' }).click();
  const link = overview.getByRole('group', { name: 'Block 4: Template link' });
  await link.getByRole('combobox', { name: 'Template' }).selectOption('co-marketing-request');
  await link.getByRole('textbox', { name: 'Note' }).fill('Ask Nimbus to fund the breakfast.');

  // --- Section 2: plays. A new section is "Other" with an empty paragraph; as plays it holds a play instead.
  await page.getByRole('button', { name: 'Add section' }).click();
  const other = page.getByRole('region', { name: 'Section 2: Other' });
  await other.getByRole('combobox', { name: 'Kind' }).selectOption('plays');
  const plays = page.getByRole('region', { name: 'Section 2: Plays' });
  await expect(plays.getByRole('textbox', { name: 'Section title' })).toHaveValue('Plays');
  await plays.getByRole('group', { name: 'Block 1: Paragraph' }).getByRole('button', { name: 'Delete block' }).click();
  await plays.getByRole('button', { name: 'Add play' }).click();
  const play = plays.getByRole('group', { name: /^Play 1/ });
  await play.getByRole('textbox', { name: 'Play title' }).fill('Readiness breakfast');
  await expect(plays.getByRole('group', { name: 'Play 1: Readiness breakfast' })).toBeVisible();
  await play.getByRole('textbox', { name: 'Play summary' }).fill('A breakfast briefing that ends in a readiness check.');
  const step1 = play.getByRole('group', { name: 'Step 1' });
  await step1.getByRole('textbox', { name: 'Step title' }).fill('Build the list');
  await step1.getByRole('textbox', { name: 'Owner' }).fill('Partner marketing');
  await step1.getByRole('textbox', { name: 'Timing' }).fill('Week 1');
  await step1.getByRole('textbox', { name: 'Detail' }).fill('Twenty **IT managers** who run backups themselves.');
  await play.getByRole('button', { name: 'Add step' }).click();
  const step2 = play.getByRole('group', { name: 'Step 2' });
  await step2.getByRole('textbox', { name: 'Step title' }).fill('Send the invitation');
  await step2.getByRole('textbox', { name: 'Owner' }).fill('Partner account executive');
  await step2.getByRole('textbox', { name: 'Timing' }).fill('Week 2');
  await step2.getByRole('combobox', { name: 'Template for this step' }).selectOption('event-invitation');
  await expect(step2.getByRole('combobox', { name: 'Template for this step' })).toHaveValue('event-invitation');

  // --- Save: version 1.
  await expect(saveButton).toBeEnabled();
  await saveButton.click();
  await expect(saveBar).toContainText('Playbook saved.');
  await expect(page.getByText('Playbook · version 1')).toBeVisible();

  // What the backend stored.
  const v1 = await stored(page);
  expect(v1).toMatchObject({ id: ID, brand: BRAND, version: 1, name: NAME, summary: 'Three weeks from first call to a tested recovery.' });
  expect(v1.access).toBeUndefined();
  expect(v1.sections.map((s) => [s.kind, s.title])).toEqual([
    ['overview', 'Overview'],
    ['plays', 'Plays'],
  ]);
  const [ov, pl] = v1.sections as [Playbook['sections'][number], Playbook['sections'][number]];
  expect(ov.blocks.map((b) => b.kind)).toEqual(['paragraph', 'list', 'image', 'template']);
  expect(ov.plays).toEqual([]);
  const storedPara = ov.blocks[0] as Extract<Playbook['sections'][number]['blocks'][number], { kind: 'paragraph' }>;
  expect(storedPara.text).toBe(paragraph);
  expect(storedPara.text).toContain('**recovery**');
  expect(storedPara.text).toContain(`[the guide](${LINK})`);
  expect(ov.blocks[1]).toEqual({ kind: 'list', ordered: true, items: ['Check the *retention* settings', 'Run a test restore'] });
  expect(ov.blocks[2]).toMatchObject({ kind: 'image', alt: 'A padlock', caption: 'Immutable copies stay locked for 30 days.' });
  expect((ov.blocks[2] as { asset: string }).asset).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(ov.blocks[3]).toEqual({ kind: 'template', template: 'co-marketing-request', note: 'Ask Nimbus to fund the breakfast.' });
  expect(pl.blocks).toEqual([]);
  expect(pl.plays).toHaveLength(1);
  const storedPlay = pl.plays[0]!;
  expect(storedPlay).toMatchObject({ title: 'Readiness breakfast', summary: 'A breakfast briefing that ends in a readiness check.' });
  expect(storedPlay.steps).toEqual([
    { id: expect.stringMatching(/^step-/), title: 'Build the list', owner: 'Partner marketing', timing: 'Week 1', detail: 'Twenty **IT managers** who run backups themselves.' },
    { id: expect.stringMatching(/^step-/), title: 'Send the invitation', owner: 'Partner account executive', timing: 'Week 2', detail: '', template: 'event-invitation' },
  ]);
  expect(storedPlay.steps[0]!.id).not.toBe(storedPlay.steps[1]!.id);

  // --- The list shows it; editing it again and saving makes version 2.
  await page.getByRole('button', { name: 'Back to playbooks' }).click();
  const row = page.getByRole('table', { name: 'Playbooks' }).locator(`tr[data-playbook="${ID}"]`);
  await expect(row.getByRole('rowheader')).toHaveText(NAME);
  // Sections, plays, version.
  await expect(row.getByRole('cell').nth(0)).toHaveText('2');
  await expect(row.getByRole('cell').nth(1)).toHaveText('1');
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await page.getByRole('button', { name: `Edit ${NAME}` }).click();
  await expect(page.getByText('Playbook · version 1')).toBeVisible();
  await expect(saveBar).toContainText('No changes.');
  // The id cannot change once saved.
  await expect(page.getByRole('textbox', { name: 'Playbook id' })).toHaveCount(0);
  const editStep1 = page.getByRole('group', { name: 'Play 1: Readiness breakfast' }).getByRole('group', { name: 'Step 1' });
  await editStep1.getByRole('textbox', { name: 'Timing' }).fill('Weeks 1–2');
  await page.getByRole('region', { name: 'Section 2: Plays' }).getByRole('button', { name: 'Move section up' }).click();
  await expect(page.getByRole('region', { name: 'Section 1: Plays' })).toBeVisible();
  await expect(saveBar).toContainText('Unsaved changes');
  await saveButton.click();
  await expect(saveBar).toContainText('Playbook saved.');
  await expect(page.getByText('Playbook · version 2')).toBeVisible();
  const v2 = await stored(page);
  expect(v2.version).toBe(2);
  expect(v2.sections.map((s) => s.kind)).toEqual(['plays', 'overview']);
  expect(v2.sections[0]!.plays[0]!.steps[0]!.timing).toBe('Weeks 1–2');
  // Step ids are kept across versions (a partner's progress is kept by them).
  expect(v2.sections[0]!.plays[0]!.steps.map((s) => s.id)).toEqual(storedPlay.steps.map((s) => s.id));

  // --- Discard: unsaved edits go, and while they are there nothing lets them be dropped silently.
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Renamed, never saved');
  await page.getByRole('region', { name: 'Section 2: Overview' }).getByRole('button', { name: 'Add heading' }).click();
  await expect(saveBar).toContainText('1 problem to fix before saving.');
  await page.getByRole('button', { name: 'Back to playbooks' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Save or discard your changes first.' })).toBeVisible();
  await page.getByRole('tab', { name: 'Training' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Save or discard the playbook changes first.' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Playbooks' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('button', { name: 'Partner studio' }).click();
  await expect(page.getByText('Save or discard your changes in the vendor workspace first.')).toBeVisible();
  await page.getByRole('button', { name: 'Discard playbook changes' }).click();
  await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(NAME);
  await expect(page.getByRole('region', { name: 'Section 2: Overview' }).getByRole('group', { name: /: Heading$/ })).toHaveCount(0);
  await expect(saveBar).toContainText('No changes.');
  await expect(page.getByRole('button', { name: 'Discard playbook changes' })).toBeDisabled();
  await expect(saveButton).toBeDisabled();
  expect((await stored(page)).name).toBe(NAME);

  // --- A refused save: a javascript: link is named at its field, and Save stays off.
  const refusedPara = page.getByRole('region', { name: 'Section 2: Overview' }).getByRole('group', { name: 'Block 1: Paragraph' });
  const refusedText = refusedPara.getByRole('textbox', { name: 'Paragraph text' });
  await refusedText.fill('Lead with **recovery**. [Open the console](javascript:alert)');
  await expect(refusedText).toHaveAttribute('aria-invalid', 'true');
  await expect(refusedPara).toContainText('Link "javascript:alert" is not an http(s) or mailto address');
  const problems = page.getByRole('region', { name: /To fix before saving/ });
  await expect(problems).toContainText('To fix before saving (1)');
  await expect(problems).toContainText('Section 2 “Overview” › Block 1 › text: Link "javascript:alert" is not an http(s) or mailto address');
  await expect(saveBar).toContainText('1 problem to fix before saving.');
  await expect(saveButton).toBeDisabled();
  // The preview does not make it a link; Ctrl+S does not save it either.
  await expect(refusedPara.locator('.pb-preview a')).toHaveCount(0);
  await expect(refusedPara.locator('.pb-preview .bad-link')).toHaveText('Open the console');
  await refusedText.press('Control+s');
  await expect(saveBar).toContainText('1 problem to fix before saving.');
  // The problem list takes you to the field.
  await problems.getByRole('button', { name: 'Section 2 “Overview” › Block 1 › text' }).click();
  await expect(refusedText).toBeFocused();
  const afterRefusal = await stored(page);
  expect(afterRefusal.version).toBe(2);
  expect(afterRefusal).toEqual(v2);
  // The backend refuses it too, were it sent.
  await expect(api(page, 'vendor:playbook-save', { playbook: { ...v2, sections: [v2.sections[0], { ...v2.sections[1], blocks: [{ kind: 'paragraph', text: '[x](javascript:alert)' }] }] } })).rejects.toThrow(/playbook-invalid.*javascript:alert/);
  expect((await stored(page)).version).toBe(2);
  await page.getByRole('button', { name: 'Discard playbook changes' }).click();
  await expect(saveBar).toContainText('No changes.');

  // --- The partner side: Learn lists the playbook, and it opens with its bold text, link, plays and template step.
  await page.getByRole('button', { name: 'Back to playbooks' }).click();
  await page.getByRole('button', { name: 'Partner studio' }).click();
  await expect(page.getByRole('heading', { name: 'Templates' })).toBeVisible();
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  const cards = page.getByRole('list', { name: 'Playbooks' });
  await expect(cards.locator(`[data-playbook="${ID}"]`)).toContainText('Three weeks from first call to a tested recovery.');
  await expect(cards.locator(`[data-playbook="${ID}"]`)).toContainText('0 of 2 steps');
  await cards.getByRole('button', { name: NAME }).click();
  await expect(page.getByRole('heading', { name: NAME, level: 1 })).toBeVisible();
  const article = page.getByRole('article', { name: NAME });
  await expect(article.locator('strong', { hasText: 'recovery' })).toBeVisible();
  await expect(article.getByRole('link', { name: 'the guide' })).toHaveAttribute('href', LINK);
  await expect(article.locator('ol:not(.pb-steps) > li')).toContainText(['Check the retention settings', 'Run a test restore']);
  await expect(article.locator('ol:not(.pb-steps) > li em')).toHaveText('retention');
  await expect(article.getByRole('img', { name: 'A padlock' })).toBeVisible();
  await expect(article.locator('figcaption')).toHaveText('Immutable copies stay locked for 30 days.');
  await expect(article.getByRole('heading', { name: 'Readiness breakfast', exact: true })).toBeVisible();
  await expect(article.locator('.pb-step-detail strong')).toHaveText('IT managers');
  await expect(page.getByRole('button', { name: /^Use template: Ransomware readiness breakfast — invitation/ })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Build the list' }).check();
  await expect(page.getByTestId('playbook-progress')).toHaveText('1 of 2 steps');
});

/** The demo module's source, with another id and title (and optionally changes). */
function moduleSource(dir: string, name: string, change: (src: Record<string, unknown>) => void): string {
  const src = JSON.parse(fs.readFileSync(path.join(ROOT, 'templates', 'nimbus', 'training', 'nimbus-security-essentials.training.json'), 'utf8')) as Record<string, unknown>;
  src['id'] = 'nimbus-recovery-drills';
  src['title'] = 'Nimbus recovery drills';
  change(src);
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(src, null, 2));
  return file;
}

test('the Training tab refuses broken module sources with the reason and imports a valid one as version 1, then 2', async ({ page, host }) => {
  test.setTimeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-e2e-training-'));
  try {
    await openVendor(page, host, 'Training');
    const table = page.getByRole('table', { name: 'Training modules' });
    await expect(table.locator('tr[data-module="nimbus-security-essentials"]')).toContainText('Nimbus security essentials');
    const input = page.getByLabel('Import module source…');
    const error = page.getByTestId('training-import-error');

    // Not JSON at all.
    const broken = path.join(dir, 'broken.training.json');
    fs.writeFileSync(broken, '{ "format": "lockup.training-source", "id": ');
    await input.setInputFiles(broken);
    await expect(error).toContainText('Not imported: The training module file is not valid JSON');

    // Well-formed, but it grants a certification the brand does not have.
    await input.setInputFiles(moduleSource(dir, 'wrong-grant.training.json', (s) => (s['grants'] = 'backup-wizard')));
    await expect(error).toContainText('Not imported:');
    await expect(error).toContainText('"backup-wizard", which is not one of Nimbus Systems\'s certifications (');
    await expect(error).toContainText('security-specialist');
    await expect(table.locator('tr[data-module="nimbus-recovery-drills"]')).toHaveCount(0);

    // A valid source: version 1, listed with what it grants.
    await input.setInputFiles(moduleSource(dir, 'nimbus-recovery-drills.training.json', () => undefined));
    await expect(page.getByRole('status').filter({ hasText: 'Imported “Nimbus recovery drills”, version 1.' })).toBeVisible();
    await expect(error).toHaveCount(0);
    const row = table.locator('tr[data-module="nimbus-recovery-drills"]');
    await expect(row.getByRole('rowheader')).toHaveText('Nimbus recovery drills');
    await expect(row).toContainText('Nimbus Security Specialist');
    await expect(row.getByRole('cell').nth(5)).toHaveText('1');

    // The same source again changes nothing; a changed one is version 2.
    await input.setInputFiles(moduleSource(dir, 'nimbus-recovery-drills.training.json', () => undefined));
    await expect(page.getByRole('status').filter({ hasText: 'Imported “Nimbus recovery drills”, version 1.' })).toBeVisible();
    await input.setInputFiles(moduleSource(dir, 'nimbus-recovery-drills.training.json', (s) => (s['summary'] = 'Practise a restore every quarter.')));
    await expect(page.getByRole('status').filter({ hasText: 'Imported “Nimbus recovery drills”, version 2.' })).toBeVisible();
    await expect(row.getByRole('cell').nth(5)).toHaveText('2');
    const modules = await api<{ id: string; version: number; grants: string }[]>(page, 'vendor:training', { brand: BRAND });
    expect(modules.find((m) => m.id === 'nimbus-recovery-drills')).toMatchObject({ version: 2, grants: 'security-specialist' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
