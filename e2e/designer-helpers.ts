import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { Page } from '@playwright/test';
import type { DraftView } from '../core/contracts/designer-api.ts';
import { expect, type Host } from './fixtures.ts';

/** What the designer specs share: a vendor's artwork PDF, API calls from the page, and canvas gestures. */

/** A one-page Letter PDF with a trim box and 9 pt of bleed: the vendor's artwork. */
export async function artworkPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const b = 9;
  const page = doc.addPage([612 + 2 * b, 792 + 2 * b]);
  page.setTrimBox(b, b, 612, 792);
  page.drawRectangle({ x: 0, y: 430, width: 630, height: 380, color: rgb(0.04, 0.12, 0.27) });
  page.drawRectangle({ x: 0, y: 0, width: 630, height: 150, color: rgb(0.93, 0.95, 0.98) });
  page.drawText('NimbusVault Spring Launch', { x: b + 48, y: b + 680, size: 34, font: bold, color: rgb(1, 1, 1) });
  page.drawText('Immutable backups. Recovery in minutes.', { x: b + 48, y: b + 640, size: 16, font: regular, color: rgb(0.49, 0.77, 1) });
  page.drawText('Ask your NimbusVault partner for a demo:', { x: b + 48, y: b + 120, size: 12, font: regular, color: rgb(0.29, 0.33, 0.41) });
  return Buffer.from(await doc.save());
}

export async function api<T>(page: Page, op: string, input: unknown): Promise<T> {
  const r = await page.evaluate(
    async ({ op, input }) => {
      const token = sessionStorage.getItem('lockup-token')!;
      const res = await fetch(`./api/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Lockup-Token': token }, body: JSON.stringify(input) });
      return res.json();
    },
    { op, input },
  );
  if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

export async function designerSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => window.lockupDesigner?.ready() === true, undefined, { timeout: 30_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Drags on the designer canvas between two page points (in points from the trim box's top-left). */
export async function dragOnPage(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  const a = await page.evaluate(([x, y]) => window.lockupDesigner!.toClient(x!, y!), [from.x, from.y]);
  const b = await page.evaluate(([x, y]) => window.lockupDesigner!.toClient(x!, y!), [to.x, to.y]);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
  await page.mouse.move(b.x, b.y, { steps: 4 });
  await page.mouse.up();
}

/** Opens the vendor workspace of the demo brand and creates a new template by name; the designer is open and settled. */
export async function newTemplate(page: Page, host: Host, name: string): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Lockup' })).toBeVisible();
  await api(page, 'app:set-role', { role: 'vendor' });
  await page.reload();
  await page.getByRole('tab', { name: 'Templates' }).click();
  await expect(page.getByRole('heading', { name: /^Templates of Nimbus Systems/ })).toBeVisible();
  await page.getByRole('button', { name: 'New template' }).click();
  await page.getByLabel('Template name').fill(name);
  await page.getByRole('button', { name: 'Create template' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await designerSettled(page);
}

/** The draft as the backend stored it, read through the API the designer uses. */
export async function savedDraft(page: Page, name: string): Promise<DraftView> {
  const list = await api<{ drafts: { draftId: string; name: string }[] }>(page, 'designer:list', { brandId: 'nimbus' });
  const draft = list.drafts.find((d) => d.name === name);
  expect(draft, `a draft named ${name}`).toBeDefined();
  return api<DraftView>(page, 'designer:get', { draftId: draft!.draftId });
}
