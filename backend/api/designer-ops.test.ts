import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope, OpName, OpOutput } from '../../core/contracts/api.ts';
import type { PlanView } from '../../core/contracts/plan-view.ts';
import { addZone, updateField, updateZone } from '../../core/designer/commands.ts';
import type { DesignKit } from '../../core/designer/zones.ts';
import { loadProfile, type Template } from '../../core/model/index.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { pdfText, qpdfCheck } from '../../test/support/pdf.ts';
import { tempDir } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { exportDocument } from '../services/export.ts';
import { ApiService } from './service.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../test-fixtures/images');
const LOGOS = path.resolve(import.meta.dirname, '../../examples/partners/logos');

let catalogue: Catalogue;
let service: ApiService;

const ok = <K extends OpName>(op: K, input: unknown) => callOk<OpOutput<K>>(service, op, input);
const fails = (op: string, input: unknown) => callFails(service, op, input);

/** A PDF with text on every page, the artwork a vendor brings. */
async function artworkPdf(opts: { pages?: number; sizes?: [number, number][]; bleed?: number } = {}): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.HelveticaBold);
  const sizes = opts.sizes ?? Array.from({ length: opts.pages ?? 1 }, () => [612, 792] as [number, number]);
  sizes.forEach(([w, h], i) => {
    const b = opts.bleed ?? 0;
    const page = doc.addPage([w + 2 * b, h + 2 * b]);
    if (b) page.setTrimBox(b, b, w, h);
    page.drawRectangle({ x: 0, y: h * 0.6, width: w + 2 * b, height: h * 0.4 + 2 * b, color: rgb(0.04, 0.12, 0.27) });
    page.drawText(`Spring Launch ${i + 1}`, { x: b + 48, y: b + h - 120, size: 36, font, color: rgb(1, 1, 1) });
  });
  return Buffer.from(await doc.save()).toString('base64');
}

const b64 = (file: string) => fs.readFileSync(file).toString('base64');

function kitOf(view: OpOutput<'designer:get'>): DesignKit {
  return { fonts: view.brand.fonts, palette: view.brand.palette };
}

function must<T>(r: { ok: true; template: T; zoneId?: string } | { ok: false; message: string }): { template: T; zoneId?: string } {
  if (!r.ok) throw new Error(r.message);
  return r;
}

beforeAll(() => {
  ({ catalogue } = seededCatalogue());
  service = new ApiService({ catalogue, dataDir: tempDir('lockup-designer-data-'), transport: 'web', version: 'test', exportDir: tempDir('lockup-designer-out-') });
});
afterAll(() => catalogue.close());

describe('drafts', () => {
  it('a new template from a preset is a private draft: listed to the vendor, never to partners', async () => {
    const v = await ok('designer:new', { brandId: 'nimbus', name: 'Spring flyer', size: 'a5', orientation: 'landscape' });
    expect(v).toMatchObject({ templateId: 'spring-flyer', brandId: 'nimbus', baseVersion: null, nextVersion: 1, issues: [] });
    expect(v.template.page).toEqual({ size: 'a5', orientation: 'landscape', bleed: 9 });
    expect(v.draftId).toMatch(/^draft-[0-9a-f]{16}$/);
    const list = await ok('designer:list', { brandId: 'nimbus' });
    expect(list.drafts.map((d) => d.templateId)).toContain('spring-flyer');
    expect(list.templates.map((t) => t.id)).not.toContain('spring-flyer');
    const cards = await ok('templates:list', {});
    expect(JSON.stringify(cards)).not.toContain('spring-flyer');
    expect(catalogue.listTemplates().map((t) => t.id)).not.toContain('spring-flyer');
    // The same name again gets its own id.
    expect((await ok('designer:new', { brandId: 'nimbus', name: 'Spring flyer', size: 'letter' })).templateId).toBe('spring-flyer-2');
  });

  it('saves an invalid draft as it is and lists what stops publishing, with JSON paths and zones', async () => {
    const v = await ok('designer:new', { brandId: 'nimbus', name: 'Half done', size: 'letter' });
    let t = must(addZone(v.template, 0, 'partner-text', { x: 40, y: 40, w: 300, h: 30 }, kitOf(v))).template;
    t = must(updateZone(t, 'partner-text', (z) => (z.kind === 'partner-text' ? { ...z, content: 'Call {nope}' } : z))).template;
    t = { ...t, name: '' };
    const saved = await ok('designer:save', { draftId: v.draftId, template: t });
    expect(saved.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'name', zoneId: null }),
        { path: 'pages[0].zones[0].content', message: 'placeholder {nope} names no field in "fields"', zoneId: 'partner-text' },
      ]),
    );
    const back = await ok('designer:get', { draftId: v.draftId });
    expect(back.template.name).toBe('');
    expect(back.issues).toEqual(saved.issues);

    const before = dumpDatabase(catalogue.db);
    const refused = await fails('designer:publish', { draftId: v.draftId });
    expect(refused.code).toBe('template-invalid');
    expect(refused.message).toMatch(/cannot be published yet: /);
    expect((refused.details?.['issues'] as unknown[]).length).toBe(saved.issues.length);
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('the draft keeps its id and brand whatever the client sends', async () => {
    const v = await ok('designer:new', { brandId: 'nimbus', name: 'Pinned', size: 'letter' });
    await ok('designer:save', { draftId: v.draftId, template: { ...v.template, id: 'hijack', brand: 'other', version: 99 } });
    const back = await ok('designer:get', { draftId: v.draftId });
    expect(back.template).toMatchObject({ id: 'pinned', brand: 'nimbus', version: 1 });
  });

  it('refuses garbage shapes, unknown drafts and brands, and taken ids, changing nothing', async () => {
    const v = await ok('designer:new', { brandId: 'nimbus', name: 'Shape check', size: 'letter' });
    const before = dumpDatabase(catalogue.db);
    const zone = { id: 'z', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: { x: 0, y: 0, w: 10, h: 10 }, fill: 'white' };
    for (const template of [
      42,
      { ...v.template, pages: 'x' },
      { ...v.template, pages: [] },
      { ...v.template, pages: [{ zones: [{ ...zone, kind: 'video' }] }] },
      { ...v.template, pages: [{ zones: [{ ...zone, rect: { x: 0, y: 0, w: 'wide', h: 1 } }] }] },
      { ...v.template, pages: [{ zones: [{ ...zone, rect: { x: 0, y: 0, w: Infinity, h: 1 } }] }] },
      { ...v.template, format: 'lockup.brand' },
    ]) {
      expect((await fails('designer:save', { draftId: v.draftId, template })).code).toBe('invalid-argument');
    }
    expect((await fails('designer:save', { draftId: 'draft-0000000000000000', template: v.template })).code).toBe('draft-unknown');
    expect((await fails('designer:get', { draftId: 'draft-0000000000000000' })).code).toBe('draft-unknown');
    expect((await fails('designer:new', { brandId: 'acme', name: 'X', size: 'letter' })).code).toBe('brand-unknown');
    expect((await fails('designer:new', { brandId: 'nimbus', name: 'X', id: 'social-post', size: 'letter' })).code).toBe('template-version-conflict');
    expect((await fails('designer:new', { brandId: 'nimbus', name: 'X', id: 'Bad Id', size: 'letter' })).code).toBe('invalid-argument');
    expect((await fails('designer:new', { brandId: 'nimbus', name: '   ', size: 'letter' })).code).toBe('invalid-argument');
    expect((await fails('designer:new', { brandId: 'nimbus', name: 'X', size: 'tabloid' })).code).toBe('invalid-argument');
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });
});

describe('from an existing PDF', () => {
  let draft: OpOutput<'designer:from-pdf'>;

  it('the page becomes the locked vendor artwork of a template of its size', async () => {
    draft = await ok('designer:from-pdf', { brandId: 'nimbus', name: 'Spring launch flyer', fileName: 'spring.pdf', data: await artworkPdf({ bleed: 9 }) });
    expect(draft.template.page).toEqual({ size: { width: 612, height: 792 }, bleed: 9 });
    expect(draft.template.pages).toHaveLength(1);
    const art = draft.template.pages[0]!.zones[0]!;
    expect(art).toMatchObject({ id: 'artwork', kind: 'image', owner: 'vendor', lock: 'locked', rect: { x: -9, y: -9, w: 630, h: 810 } });
    expect(catalogue.hasAsset((art as Extract<typeof art, { kind: 'image' }>).asset)).toBe(true);
    expect(catalogue.assetBytes((art as Extract<typeof art, { kind: 'image' }>).asset)!.mediaType).toBe('application/pdf');
    expect(draft.issues).toEqual([]);
  });

  it('one template page per PDF page, or the page asked for', async () => {
    const two = await ok('designer:from-pdf', { brandId: 'nimbus', name: 'Two sided', fileName: 'two.pdf', data: await artworkPdf({ pages: 2 }) });
    expect(two.template.pages.map((p) => p.zones.map((z) => z.id))).toEqual([['artwork-1'], ['artwork-2']]);
    const second = await ok('designer:from-pdf', { brandId: 'nimbus', name: 'Back only', fileName: 'two.pdf', data: await artworkPdf({ pages: 2 }), page: 2 });
    expect(second.template.pages).toHaveLength(1);
    expect(second.template.pages[0]!.zones[0]!.name).toBe('Artwork (PDF page 2)');
  });

  it('bad files get a specific error and leave the catalogue as it was', async () => {
    const before = dumpDatabase(catalogue.db);
    const cases: [string, string, string, RegExp][] = [
      ['encrypted.pdf', b64(path.join(FIXTURES, 'encrypted.pdf')), 'pdf-logo-encrypted', /"encrypted.pdf" is an encrypted \(password-protected\) PDF/],
      ['broken.pdf', b64(path.join(FIXTURES, 'broken.pdf')), 'pdf-logo-invalid', /"broken.pdf" is not a readable PDF/],
      ['logo.pdf', b64(path.join(FIXTURES, 'logo-rgba.png')), 'pdf-logo-invalid', /"logo.pdf" is not a PDF \(its content is PNG data\)/],
      ['empty.pdf', '', 'file-empty', /"empty.pdf" is empty/],
      ['mixed.pdf', await artworkPdf({ sizes: [[612, 792], [792, 612]] }), 'pdf-logo-invalid', /differ in size.*choose one page/],
    ];
    for (const [fileName, data, code, message] of cases) {
      const e = await fails('designer:from-pdf', { brandId: 'nimbus', name: 'Bad', fileName, data });
      expect(e.code, fileName).toBe(code);
      expect(e.message, fileName).toMatch(message);
    }
    const page9 = await fails('designer:from-pdf', { brandId: 'nimbus', name: 'Bad', fileName: 'two.pdf', data: await artworkPdf({ pages: 2 }), page: 9 });
    expect(page9).toMatchObject({ code: 'invalid-argument', message: '"two.pdf" has 2 pages; there is no page 9' });
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('preview draws the artwork from the real engine, and the export embeds it as vector', async () => {
    const kit = kitOf(draft);
    let t: Template = draft.template;
    t = must(addZone(t, 0, 'partner-logo', { x: 380, y: 660, w: 180, h: 80 }, kit)).template;
    t = must(addZone(t, 0, 'partner-text', { x: 48, y: 680, w: 300, h: 28 }, kit)).template;
    t = must(updateField(t, 'company', { maxChars: 40 })).template;
    t = must(updateZone(t, 'partner-text', (z) => (z.kind === 'partner-text' ? { ...z, background: 'white' } : z))).template;
    const saved = await ok('designer:save', { draftId: draft.draftId, template: t });
    expect(saved.issues).toEqual([]);

    const preview = await ok('designer:preview', { source: { draftId: draft.draftId }, partner: { tier: 'registered' }, sample: 'long-name' });
    const plan = preview.plan as PlanView;
    const items = plan.pages[0]!.items;
    expect(items.find((i) => i.zoneId === 'artwork')).toMatchObject({ type: 'image', format: 'pdf', place: { x: -9, y: -9, w: 630, h: 810 } });
    expect(items.find((i) => i.zoneId === 'partner-logo')).toMatchObject({ type: 'image', format: 'png' });
    // The long sample name is cut to the field's 40 characters, and shrinks to fit.
    expect([...preview.values['company']!].length).toBeLessThanOrEqual(40);
    expect(preview.findings.filter((f) => f.severity === 'error')).toEqual([]);

    const published = await ok('designer:publish', { draftId: draft.draftId });
    expect(published).toMatchObject({ templateId: 'spring-launch-flyer', version: 1 });

    // A partner's export of the published version.
    const out = path.join(tempDir('lockup-designer-export-'), 'flyer.pdf');
    const profile = loadProfile({ id: 'harbor-it', company: 'Harbor IT', tier: 'silver', logo: { light: catalogue.putAsset(new Uint8Array(fs.readFileSync(path.join(LOGOS, 'harbor-it-light.png'))), 'harbor.png') } });
    await service.engine.resources.imageByRef((profile.logo as { light: string }).light);
    const r = await exportDocument(catalogue, service.engine, { template: 'spring-launch-flyer@1', profile, fields: {}, output: 'screen', out, tool: 'cli' });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const check = qpdfCheck(out);
    expect(check.status).toBe(0);
    expect(check.stderr).toBe('');
    const text = pdfText(out);
    expect(text).toContain('Spring Launch 1');
    expect(text).toContain('Harbor IT');
    // The artwork is a vector form: the only raster image is the partner's PNG logo (and its soft mask).
    const images = spawnSync('pdfimages', ['-list', out], { encoding: 'utf8' });
    expect(images.status).toBe(0);
    const types = images.stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '')
      .map((l) => l.trim().split(/\s+/)[2]);
    expect(types).toEqual(['image', 'smask']);
  });
});

describe('preview', () => {
  let draftId: string;
  let template: Template;

  beforeEach(async () => {
    const v = await ok('designer:new', { brandId: 'nimbus', name: `Preview ${Math.random().toString(36).slice(2, 8)}`, size: 'social-landscape' });
    const kit = kitOf(v);
    let t = must(addZone(v.template, 0, 'color-block', { x: 0, y: 0, w: 1200, h: 628 }, kit)).template;
    t = must(updateZone(t, 'block', (z) => (z.kind === 'color-block' ? { ...z, fill: 'white' } : z))).template;
    t = must(addZone(t, 0, 'partner-text', { x: 60, y: 60, w: 700, h: 80 }, kit)).template;
    t = must(addZone(t, 0, 'static-text', { x: 60, y: 400, w: 500, h: 60 }, kit)).template;
    t = must(updateZone(t, 'text', (z) => ({ ...z, name: 'Gold badge', access: { minTier: 'gold' } }))).template;
    t = must(addZone(t, 0, 'vendor-logo', { x: 900, y: 500, w: 240, h: 90 }, kit)).template;
    t = must(updateZone(t, 'vendor-logo', (z) => ({ ...z, visibleWhen: { present: 'distributor' } }))).template;
    template = t;
    draftId = v.draftId;
    await ok('designer:save', { draftId, template: t });
  });

  const zonesDrawn = (plan: unknown) => new Set((plan as PlanView).pages[0]!.items.map((i) => i.zoneId));

  it('as a low tier: zones above the tier or behind a condition are hidden, with the reason', async () => {
    const p = await ok('designer:preview', { source: { draftId }, partner: { tier: 'registered' }, sample: 'typical' });
    expect(zonesDrawn(p.plan).has('text')).toBe(false);
    expect(zonesDrawn(p.plan).has('vendor-logo')).toBe(false);
    expect(p.hidden).toEqual([
      { zoneId: 'text', reason: 'hidden: Gold partners only' },
      { zoneId: 'vendor-logo', reason: 'hidden: its visibility condition does not hold for this partner' },
    ]);
    const gold = await ok('designer:preview', { source: { draftId }, partner: { tier: 'gold', distributor: true } });
    expect(zonesDrawn(gold.plan).has('text')).toBe(true);
    expect(zonesDrawn(gold.plan).has('vendor-logo')).toBe(true);
    expect(gold.hidden).toEqual([]);
  });

  it('a sample partner with a distributor sees the sample distributor logo in a lockup; without one the row closes up', async () => {
    const lockupImages = (plan: unknown) => (plan as PlanView).pages[0]!.items.filter((i) => i.zoneId === 'lockup' && i.type === 'image');
    const direct = await ok('designer:preview', { source: { templateRef: 'distributor-offer-sheet' }, partner: { tier: 'silver' } });
    const through = await ok('designer:preview', { source: { templateRef: 'distributor-offer-sheet' }, partner: { tier: 'silver', distributor: true } });
    expect(lockupImages(direct.plan)).toHaveLength(2);
    expect(lockupImages(through.plan)).toHaveLength(3);
    expect(through.findings.filter((f) => f.zoneId === 'lockup')).toEqual([]);
  });

  it('design mode shows every zone whoever the partner', async () => {
    const p = await ok('designer:preview', { source: { draftId }, mode: 'design', partner: { tier: 'registered' } });
    expect([...zonesDrawn(p.plan)].sort()).toEqual(['block', 'partner-text', 'text', 'vendor-logo']);
  });

  it('the non-Latin sample draws Arabic with the brand’s fallback font, and no glyph is missing', async () => {
    const p = await ok('designer:preview', { source: { draftId }, sample: 'non-latin' });
    const text = (p.plan as PlanView).pages[0]!.items.find((i) => i.zoneId === 'partner-text');
    expect(text?.type).toBe('text');
    const runs = text!.type === 'text' ? text!.runs : [];
    expect(runs.some((r) => r.font.startsWith('noto-arabic') && r.rtl)).toBe(true);
    expect(p.findings.map((f) => f.code)).not.toContain('missing-glyphs');
  });

  it('previews an unsaved working copy, and draws what it can of an invalid one', async () => {
    const broken = must(updateZone(template, 'partner-text', (z) => (z.kind === 'partner-text' ? { ...z, content: '{missing}' } : z))).template;
    const p = await ok('designer:preview', { source: { template: broken } });
    expect(zonesDrawn(p.plan).has('partner-text')).toBe(false);
    expect(zonesDrawn(p.plan).has('block')).toBe(true);
    expect(p.hidden).toContainEqual({ zoneId: 'partner-text', reason: 'not drawn: placeholder {missing} names no field in "fields"' });
    expect(p.issues.map((i) => i.zoneId)).toContain('partner-text');
  });

  it('previews a published version, and never changes the catalogue', async () => {
    const before = dumpDatabase(catalogue.db);
    const p = await ok('designer:preview', { source: { templateRef: 'social-post@1' }, partner: { tier: 'gold' }, sample: 'long-name' });
    expect((p.plan as PlanView).pages).toHaveLength(1);
    await ok('designer:preview', { source: { draftId }, sample: 'non-latin' });
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('the sample logos are PNGs the canvas can draw', async () => {
    const logos = await ok('designer:sample-logos', {});
    expect(Buffer.from(logos.light.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(logos.light.ref).not.toBe(logos.dark.ref);
  });
});

describe('versions', () => {
  it('publishing makes an immutable version; editing starts a draft from the latest; publishing again adds the next', async () => {
    const v1 = (await ok('designer:versions', { templateId: 'social-post' }))[0]!;
    expect(v1.version).toBe(1);
    const body1 = JSON.stringify(catalogue.getTemplate('social-post@1'));

    const edit = await ok('designer:edit', { templateId: 'social-post' });
    expect(edit).toMatchObject({ templateId: 'social-post', baseVersion: 1, nextVersion: 2 });
    // Editing again returns the same draft.
    expect((await ok('designer:edit', { templateId: 'social-post' })).draftId).toBe(edit.draftId);
    const list = await ok('designer:list', { brandId: 'nimbus' });
    expect(list.templates.find((t) => t.id === 'social-post')).toMatchObject({ latestVersion: 1, versions: 1, draftId: edit.draftId });
    expect(list.drafts.map((d) => d.templateId)).not.toContain('social-post');

    await ok('designer:save', { draftId: edit.draftId, template: { ...edit.template, name: 'Social post, refreshed' } });
    expect(await ok('designer:publish', { draftId: edit.draftId })).toMatchObject({ templateId: 'social-post', version: 2 });
    expect((await ok('designer:versions', { templateId: 'social-post' })).map((v) => [v.version, v.name])).toEqual([
      [2, 'Social post, refreshed'],
      [1, v1.name],
    ]);
    expect(JSON.stringify(catalogue.getTemplate('social-post@1'))).toBe(body1);
    expect(catalogue.getTemplate('social-post').version).toBe(2);
    // The draft became the version.
    expect((await fails('designer:get', { draftId: edit.draftId })).code).toBe('draft-unknown');
    expect((await fails('designer:versions', { templateId: 'nope' })).code).toBe('template-unknown');
  });

  it('deletes a draft; the published versions stay', async () => {
    const edit = await ok('designer:edit', { templateId: 'email-banner' });
    expect(await ok('designer:delete', { draftId: edit.draftId })).toEqual({ deleted: true });
    expect((await fails('designer:delete', { draftId: edit.draftId })).code).toBe('draft-unknown');
    expect(catalogue.getTemplate('email-banner').version).toBe(1);
  });
});

describe('images and read-only brands', () => {
  it('an image zone takes a PNG; a multi-page PDF is refused with what to do instead', async () => {
    const img = await ok('designer:add-image', { brandId: 'nimbus', fileName: 'photo.png', data: b64(path.join(FIXTURES, 'logo-opaque.png')) });
    expect(img).toMatchObject({ format: 'png', vector: false });
    expect(catalogue.hasAsset(img.ref)).toBe(true);
    const before = dumpDatabase(catalogue.db);
    const e = await fails('designer:add-image', { brandId: 'nimbus', fileName: 'two.pdf', data: await artworkPdf({ pages: 2 }) });
    expect(e.code).toBe('pdf-logo-invalid');
    expect(e.message).toMatch(/has 2 pages; an image zone shows one page/);
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('templates of a brand from a signed pack are read-only: every change is refused, nothing changes', async () => {
    const { catalogue: other } = seededCatalogue();
    const svc = new ApiService({ catalogue: other, dataDir: tempDir('lockup-ro-'), transport: 'web', version: 'test' });
    const draft = (await svc.dispatch('designer:edit', { templateId: 'social-post' })) as Envelope<OpOutput<'designer:edit'>>;
    if (!draft.ok) throw new Error(draft.error.message);
    other.db.prepare("INSERT INTO publishers (id, name, key_type, public_key, pinned_at, updated_at) VALUES ('nimbus-hq', 'Nimbus HQ', 'ed25519', 'x', 'now', 'now')").run();
    other.db.prepare("UPDATE brands SET publisher_id = 'nimbus-hq' WHERE id = 'nimbus'").run();
    const before = dumpDatabase(other.db);
    const calls: [string, unknown][] = [
      ['designer:new', { brandId: 'nimbus', name: 'X', size: 'letter' }],
      ['designer:from-pdf', { brandId: 'nimbus', name: 'X', fileName: 'x.pdf', data: await artworkPdf() }],
      ['designer:edit', { templateId: 'email-banner' }],
      ['designer:save', { draftId: draft.value.draftId, template: draft.value.template }],
      ['designer:publish', { draftId: draft.value.draftId }],
      ['designer:add-image', { brandId: 'nimbus', fileName: 'p.png', data: b64(path.join(FIXTURES, 'logo-opaque.png')) }],
    ];
    for (const [op, input] of calls) {
      const r = await svc.dispatch(op, input);
      expect(r.ok, op).toBe(false);
      if (!r.ok) {
        expect(r.error.code, op).toBe('read-only');
        expect(r.error.message).toMatch(/arrived in a signed pack from nimbus-hq: its templates are read-only here/);
      }
    }
    expect(dumpDatabase(other.db)).toEqual(before);
    // Reading still works: the list says who published it.
    const list = (await svc.dispatch('designer:list', { brandId: 'nimbus' })) as Envelope<OpOutput<'designer:list'>>;
    expect(list.ok && list.value.brand.publisher).toBe('nimbus-hq');
    other.close();
  });
});
