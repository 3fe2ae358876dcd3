import path from 'node:path';
import type { Page } from '@playwright/test';
import { emptyTest, expect, LOGOS, ROOT, type Host } from './fixtures.ts';

/** Each test starts from an EMPTY catalogue (no demo brand). */
const test = emptyTest;

const FONT = path.join(ROOT, 'bench', 'fixtures', 'LiberationSans-Regular.ttf');
const SVG = path.join(ROOT, 'test-fixtures', 'images', 'entity.svg');

/**
 * `LOCKUP_SCREENSHOTS=1 npx playwright test e2e/vendor-brand-kit.spec.ts` refreshes the README's
 * screenshots. A tall viewport rather than a full-page capture, so the sticky save bar sits at the
 * bottom as a person sees it.
 */
async function screenshot(page: Page, name: string, height: number): Promise<void> {
  if (process.env['LOCKUP_SCREENSHOTS'] !== '1') return;
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width, height });
  await page.evaluate(async () => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  await page.screenshot({ path: path.join(ROOT, 'docs', 'screenshots', name) });
  await page.setViewportSize(size);
}

/** First run on an empty catalogue: the welcome screen's vendor action, then the new brand form. */
async function createBrand(page: Page, host: Host): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Lockup' })).toBeVisible();
  await page.getByRole('button', { name: /brand owner/ }).click();
  await expect(page.getByRole('heading', { name: 'Set up your brand' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Vendor workspace' })).toHaveAttribute('aria-pressed', 'true');

  await page.getByLabel('Brand name').fill('Acme Storage');
  await expect(page.getByLabel('Brand id')).toHaveValue('acme-storage');
  await expect(page.getByRole('button', { name: 'Create brand' })).toBeDisabled();
  await page.getByLabel('Logo file').setInputFiles(path.join(LOGOS, 'harbor-it-light.png'));
  await page.getByRole('button', { name: 'Create brand' }).click();

  await expect(page.getByRole('heading', { name: 'Acme Storage', level: 1 })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Brand kit' })).toHaveAttribute('aria-selected', 'true');
}

test('a vendor builds a brand kit and access levels from an empty catalogue, and they persist', async ({ page, host }) => {
  await createBrand(page, host);

  // The defaults: the logo, black and white, Lato Regular and Bold.
  await expect(page.getByRole('img', { name: 'harbor-it-light.png on a light background' })).toBeVisible();
  await expect(page.getByLabel('Colour 1 name')).toHaveValue('Black');
  await expect(page.getByLabel('Colour 2 name')).toHaveValue('White');
  await expect(page.getByLabel('Font 1 licence note')).toHaveValue(/^SIL Open Font License 1\.1/);
  await expect(page.getByTestId('save-bar')).toContainText('No changes.');

  // An SVG with entity declarations is refused with its reason; nothing is added (clean SVGs are taken in: e2e/svg-logos.spec.ts).
  await page.getByLabel('Add logo…').setInputFiles(SVG);
  await expect(page.getByRole('alert').filter({ hasText: 'entity.svg' })).toContainText('DOCTYPE declaration');
  await expect(page.getByLabel('Logo 2 name')).toHaveCount(0);

  // A second logo, for dark backgrounds (proposed, since the kit has none).
  await page.getByLabel('Add logo…').setInputFiles(path.join(LOGOS, 'harbor-it-dark.png'));
  await expect(page.getByLabel('Logo 2 name')).toHaveValue('harbor-it-dark');
  await expect(page.getByLabel('Logo 2 background')).toHaveValue('dark');
  await page.getByLabel('Logo 2 name').fill('Acme logo, white');
  await expect(page.getByLabel('Logo 2 id')).toHaveValue('acme-logo-white');

  // A TrueType font: family and licence from its name table, and a specimen drawn with the file itself.
  await page.getByLabel('Add font…').setInputFiles(FONT);
  await expect(page.getByLabel('Font 3 family')).toHaveValue('Liberation Sans');
  await expect(page.getByLabel('Font 3 weight')).toHaveValue('400');
  await expect(page.getByLabel('Font 3 licence note')).toHaveValue(/^SIL Open Font License 1\.1 — /);
  const specimen = page.getByTestId('font-specimen').nth(2);
  await expect(specimen).toHaveAttribute('data-loaded', 'true');
  const family = (await specimen.getAttribute('data-family'))!;
  expect(await page.evaluate((f) => document.fonts.check(`16px "${f}"`), family)).toBe(true);
  expect(await specimen.locator('.specimen-text').evaluate((el) => getComputedStyle(el).fontFamily)).toContain(family);

  // A colour whose CMYK is far from its hex: warned, with the ΔE and both swatches.
  await page.getByRole('button', { name: 'Add colour' }).click();
  await expect(page.getByLabel('Colour 3 name')).toBeFocused();
  await page.getByLabel('Colour 3 name').fill('Acme Red');
  await expect(page.getByLabel('Colour 3 id')).toHaveValue('acme-red');
  await page.getByLabel('Colour 3 hex').fill('#E30613');
  for (const [ink, value] of [['cyan', '100'], ['magenta', '60'], ['yellow', '0'], ['black', '0']] as const) await page.getByLabel(`Colour 3 ${ink}`).fill(value);
  const warning = page.getByTestId('cmyk-warning-2');
  await expect(warning).toContainText('Hex and CMYK are far apart');
  await expect(warning).toContainText(/ΔE00 \d+\.\d/);
  await expect(page.getByTestId('cmyk-warning-0')).toHaveCount(0);

  // A bad hex blocks Save with the field at fault.
  await page.getByLabel('Colour 3 hex').fill('#E3061');
  await expect(page.getByLabel('Colour 3 hex')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();
  await page.getByLabel('Colour 3 hex').fill('#E30613');
  await expect(page.getByTestId('save-bar')).toContainText('Unsaved changes');
  await screenshot(page, 'brand-kit.png', 1500);

  // Access levels: add a tier, move it below Gold's place, add a region.
  await page.getByRole('tab', { name: /Access levels/ }).click();
  await expect(page.getByLabel('Tier 3 name')).toHaveValue('Gold');
  await page.getByLabel('New tier name').fill('Platinum');
  await page.getByRole('button', { name: 'Add tier' }).click();
  await expect(page.getByLabel('Tier 4 name')).toHaveValue('Platinum');
  await expect(page.getByLabel('Tier 4 id')).toHaveValue('platinum');
  await page.getByRole('button', { name: 'Move Platinum up' }).click();
  await expect(page.getByLabel('Tier 3 name')).toHaveValue('Platinum');
  await expect(page.getByLabel('Tier 4 name')).toHaveValue('Gold');
  await page.getByLabel('New region name').fill('Europe, Middle East & Africa');
  await page.getByLabel('New region name').press('Enter');
  await expect(page.getByLabel('Region 1 id')).toHaveValue('europe-middle-east-africa');
  await page.getByLabel('Region 1 id').fill('emea');
  // A duplicate id is caught at its field.
  await page.getByLabel('Tier 3 id').fill('gold');
  await expect(page.getByLabel('Tier 3 id')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('save-bar')).toContainText('2 problems');
  await page.getByLabel('Tier 3 id').fill('platinum');
  await screenshot(page, 'access-levels.png', 900);

  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('save-bar')).toContainText('All changes saved.');

  // Everything is in the catalogue: reload and find it again.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Acme Storage', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Logo 2 name')).toHaveValue('Acme logo, white');
  await expect(page.getByLabel('Logo 2 background')).toHaveValue('dark');
  await expect(page.getByLabel('Colour 3 name')).toHaveValue('Acme Red');
  await expect(page.getByLabel('Colour 3 hex')).toHaveValue('#E30613');
  await expect(page.getByLabel('Colour 3 cyan')).toHaveValue('100');
  await expect(page.getByTestId('cmyk-warning-2')).toBeVisible();
  await expect(page.getByLabel('Font 3 family')).toHaveValue('Liberation Sans');
  await expect(page.getByTestId('font-specimen').nth(2)).toHaveAttribute('data-loaded', 'true');
  await page.getByRole('tab', { name: /Access levels/ }).click();
  for (const [i, name] of ['Registered', 'Silver', 'Platinum', 'Gold'].entries()) await expect(page.getByLabel(`Tier ${i + 1} name`)).toHaveValue(name);
  await expect(page.getByLabel('Region 1 id')).toHaveValue('emea');

  // The other tabs host the designer and publishing.
  await page.getByRole('tab', { name: 'Templates' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Templates' })).toBeVisible();
  await page.getByRole('tab', { name: 'Publish' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Publish' })).toBeVisible();

  // The partner side sees the brand's tiers in its order.
  await page.getByRole('button', { name: 'Partner studio' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome to Lockup' })).toBeVisible();
  await expect(page.getByText("Acme Storage's templates will carry your logo")).toBeVisible();
  await expect(page.getByLabel('Partner level').locator('option')).toHaveText(['Registered', 'Silver', 'Platinum', 'Gold']);
  await page.getByRole('button', { name: 'Vendor workspace' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Storage', level: 1 })).toBeVisible();
});

test('bad input is refused with a clear message and the kit stays as saved', async ({ page, host }) => {
  await createBrand(page, host);

  // Not a font, and a CFF-flavoured OpenType file: specific messages, nothing added.
  await page.getByLabel('Add font…').setInputFiles({ name: 'notes.ttf', mimeType: 'font/ttf', buffer: Buffer.from('these are notes, not a font') });
  await expect(page.getByRole('alert').filter({ hasText: 'notes.ttf' })).toContainText('not a TrueType font');
  const otto = Buffer.alloc(256);
  otto.write('OTTO', 0, 'latin1');
  await page.getByLabel('Add font…').setInputFiles({ name: 'BrandSans.otf', mimeType: 'font/otf', buffer: otto });
  await expect(page.getByRole('alert').filter({ hasText: 'BrandSans.otf' })).toContainText('PostScript (CFF) outlines');
  await expect(page.getByLabel('Font 3 family')).toHaveCount(0);

  // The last tier cannot go, the last logo cannot go; a blank name blocks Save.
  await expect(page.getByRole('button', { name: 'Remove logo harbor-it-light' })).toBeDisabled();
  await page.getByRole('tab', { name: /Access levels/ }).click();
  await page.getByRole('button', { name: 'Remove Gold' }).click();
  await page.getByRole('button', { name: 'Remove Silver' }).click();
  await expect(page.getByRole('button', { name: 'Remove Registered' })).toBeDisabled();
  await page.getByLabel('Tier 1 name').fill('  ');
  await expect(page.getByTestId('save-bar')).toContainText('1 problem');
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();

  // Discard brings back the saved kit.
  await page.getByRole('button', { name: 'Discard changes' }).click();
  for (const [i, name] of ['Registered', 'Silver', 'Gold'].entries()) await expect(page.getByLabel(`Tier ${i + 1} name`)).toHaveValue(name);
  await expect(page.getByTestId('save-bar')).toContainText('No changes.');

  // A brand id that is taken is refused before anything is written.
  await page.getByRole('button', { name: 'New brand…' }).click();
  await page.getByLabel('Brand name').fill('Acme Storage');
  await expect(page.getByText('There is already a brand with the id "acme-storage"')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create brand' })).toBeDisabled();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Storage', level: 1 })).toBeVisible();
});
