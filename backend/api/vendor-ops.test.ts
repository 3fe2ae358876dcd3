import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../core/contracts/api.ts';
import { loadTemplate, type Brand } from '../../core/model/index.ts';
import { rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { emptyCatalogue, seededCatalogue } from '../../test/support/catalogue.ts';
import { callOk } from '../../test/support/api.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { BENCH_FIXTURES, imageFixture, PARTNERS, ROOT } from '../../test/support/paths.ts';
import { Catalogue } from '../catalogue.ts';
import { ApiService } from './service.ts';

type Wire = { code: string; message: string; details?: Record<string, unknown> };
type View = OpOutput<'brand:get'>;

const b64 = (file: string) => fs.readFileSync(file).toString('base64');
const LOGO = path.join(PARTNERS, 'logos', 'harbor-it-light.png');
const LIBERATION = path.join(BENCH_FIXTURES, 'LiberationSans-Regular.ttf');

function service(catalogue: Catalogue): ApiService {
  return new ApiService({ catalogue, dataDir: 'x', transport: 'web', version: 'test' });
}

const ok = <T>(api: ApiService, op: string, input: unknown) => callOk<T>(api, op, input);

/** Dispatches a request that must be refused with `code`, and checks the catalogue is exactly as before. */
async function refusedUnchanged(api: ApiService, catalogue: Catalogue, op: string, input: unknown, code: string): Promise<Wire> {
  const before = dumpDatabase(catalogue.db);
  const r = await api.dispatch(op, input);
  if (r.ok) throw new Error(`${op} unexpectedly succeeded`);
  expect(r.error.code, r.error.message).toBe(code);
  expect(dumpDatabase(catalogue.db)).toEqual(before);
  return r.error;
}

const clone = <T>(v: T): T => structuredClone(v);

describe('from an empty catalogue to a brand kit', () => {
  let catalogue: Catalogue;
  let dir: string;
  let api: ApiService;
  beforeAll(() => {
    ({ catalogue, dir } = emptyCatalogue());
    api = service(catalogue);
  });
  afterAll(() => catalogue.close());

  it('lists no brands at first', async () => {
    expect(await ok(api, 'brand:list', {})).toEqual([]);
  });

  it('refuses a new brand whose logo is an SVG with entity declarations, a GIF, damaged or empty, storing nothing', async () => {
    const input = (file: string, name = path.basename(file)) => ({ id: 'acme', name: 'Acme', logo: { name, data: b64(file) } });
    const svg = await refusedUnchanged(api, catalogue, 'brand:create', input(imageFixture('entity.svg')), 'svg-refused');
    expect(svg.message).toMatch(/entity\.svg" was refused: it has a DOCTYPE declaration/);
    await refusedUnchanged(api, catalogue, 'brand:create', input(imageFixture('logo.gif')), 'image-unsupported');
    await refusedUnchanged(api, catalogue, 'brand:create', input(imageFixture('truncated.png')), 'image-truncated');
    await refusedUnchanged(api, catalogue, 'brand:create', input(imageFixture('jpeg-named-as.png')), 'image-mislabelled');
    await refusedUnchanged(api, catalogue, 'brand:create', { id: 'acme', name: 'Acme', logo: { name: 'x.png', data: '' } }, 'file-empty');
  });

  it('refuses ids that are not ids and blank names at the edge', async () => {
    const logo = { name: 'logo.png', data: b64(LOGO) };
    const bad = await refusedUnchanged(api, catalogue, 'brand:create', { id: 'Acme Inc', name: 'Acme', logo }, 'invalid-argument');
    expect(bad.message).toMatch(/brand:create at id/);
    const blank = await refusedUnchanged(api, catalogue, 'brand:create', { id: 'acme', name: '   ', logo }, 'brand-invalid');
    expect(blank.message).toMatch(/at name: The brand name cannot be blank/);
  });

  it('creates a brand with its logo, black and white, Lato (OFL) and Registered < Silver < Gold', async () => {
    const v = await ok<View>(api, 'brand:create', { id: 'acme', name: ' Acme Storage ', logo: { name: 'acme-logo.png', data: b64(LOGO) } });
    expect(v.publisher).toBeNull();
    expect(v.brand).toMatchObject({ id: 'acme', name: 'Acme Storage' });
    expect(v.brand.logos).toEqual([{ id: 'logo', name: 'acme-logo', background: 'light', file: expect.stringMatching(/^sha256:/) }]);
    expect(v.brand.palette.map((p) => [p.id, p.hex, p.cmyk])).toEqual([
      ['black', '#231F20', [0, 0, 0, 100]],
      ['white', '#FFFFFF', [0, 0, 0, 0]],
    ]);
    expect(v.brand.fonts.map((f) => [f.id, f.family, f.weight])).toEqual([
      ['lato-regular', 'Lato', 400],
      ['lato-bold', 'Lato', 700],
    ]);
    for (const f of v.brand.fonts) {
      expect(f.licence).toMatch(/^SIL Open Font License 1\.1/);
      expect(catalogue.assetBytes(f.file)!.mediaType).toBe('font/ttf');
    }
    expect(catalogue.assetBytes(v.brand.fonts[0]!.file)!.bytes).toEqual(new Uint8Array(fs.readFileSync(path.join(ROOT, 'assets/fonts/lato/Lato-Regular.ttf'))));
    expect(v.brand.access.tiers.map((t) => t.name)).toEqual(['Registered', 'Silver', 'Gold']);
    expect(v.usage.tiers).toEqual({});
    expect(await ok(api, 'brand:list', {})).toEqual([{ id: 'acme', name: 'Acme Storage', publisher: null, templates: 0 }]);
    // The brand is what app:info reports to the partner side too.
    expect((await ok<OpOutput<'app:info'>>(api, 'app:info', {})).brands.map((b) => b.id)).toEqual(['acme']);
  });

  it('refuses a second brand with the same id, storing nothing (not even its logo)', async () => {
    const err = await refusedUnchanged(api, catalogue, 'brand:create', { id: 'acme', name: 'Other', logo: { name: 'other.png', data: b64(path.join(PARTNERS, 'logos', 'summit-msp.png')) } }, 'brand-exists');
    expect(err.message).toContain('"acme" ("Acme Storage")');
  });

  let font: OpOutput<'font:intake'>;

  it('takes in a TrueType font and reads its family, weight, style and licence', async () => {
    font = await ok(api, 'font:intake', { name: 'LiberationSans-Regular.ttf', data: b64(LIBERATION) });
    expect(font).toMatchObject({ fileName: 'LiberationSans-Regular.ttf', family: 'Liberation Sans', subfamily: 'Regular', weight: 400, style: 'normal', licenceUrl: 'http://scripts.sil.org/OFL', embedding: 'installable', latin: true });
    expect(font.licenceNote).toMatch(/^SIL Open Font License 1\.1 — Digitized data copyright/);
    expect(catalogue.hasAsset(font.ref)).toBe(true);
    expect(await ok(api, 'font:describe', { ref: font.ref })).toEqual(font);
  });

  it('refuses CFF, damaged, truncated and non-font files, storing nothing', async () => {
    const otto = new Uint8Array(512);
    otto.set([0x4f, 0x54, 0x54, 0x4f]);
    const cff = await refusedUnchanged(api, catalogue, 'font:intake', { name: 'BrandSans.otf', data: Buffer.from(otto).toString('base64') }, 'font-unsupported');
    expect(cff.message).toBe('Font "BrandSans.otf" has PostScript (CFF) outlines; use the TrueType (.ttf) version of the font');
    const text = await refusedUnchanged(api, catalogue, 'font:intake', { name: 'readme.ttf', data: Buffer.from('not a font, only some words').toString('base64') }, 'font-invalid');
    expect(text.message).toContain('readme.ttf');
    const lib = fs.readFileSync(LIBERATION);
    await refusedUnchanged(api, catalogue, 'font:intake', { name: 'cut.ttf', data: lib.subarray(0, 40_000).toString('base64') }, 'font-invalid');
    await refusedUnchanged(api, catalogue, 'font:intake', { name: 'logo.ttf', data: b64(LOGO) }, 'font-invalid');
    await refusedUnchanged(api, catalogue, 'font:intake', { name: 'e.ttf', data: '' }, 'file-empty');
  });

  it('saves an edited kit (font, colour, tier, order) and it persists across a reopen', async () => {
    const { brand } = await ok<View>(api, 'brand:get', { id: 'acme' });
    const next: Brand = clone(brand);
    next.fonts.push({ id: 'liberation-sans', family: 'Liberation Sans', weight: 400, style: 'normal', file: font.ref, licence: font.licenceNote });
    next.palette.push({ id: 'acme-red', name: 'Acme Red', hex: '#E30613', cmyk: [0, 100, 100, 0] });
    next.access.tiers.push({ id: 'platinum', name: 'Platinum' });
    next.access.tiers = [next.access.tiers[0]!, next.access.tiers[1]!, next.access.tiers[3]!, next.access.tiers[2]!];
    next.access.regions.push({ id: 'emea', name: 'EMEA' });
    next.rules.logoMinSize = { minWidth: '25mm', severity: 'warning' };
    const saved = await ok<View>(api, 'brand:save', { brand: next });
    expect(saved.brand).toEqual(next);
    catalogue.close();
    catalogue = Catalogue.openDir(dir);
    api = service(catalogue);
    const reopened = await ok<View>(api, 'brand:get', { id: 'acme' });
    expect(reopened.brand).toEqual(next);
    expect(reopened.brand.access.tiers.map((t) => t.id)).toEqual(['registered', 'silver', 'platinum', 'gold']);
  });

  describe('refuses an invalid kit with the path at fault, leaving the catalogue as it was', () => {
    let current: Brand;
    beforeAll(async () => {
      current = (await ok<View>(api, 'brand:get', { id: 'acme' })).brand;
    });
    const refuse = async (edit: (b: Brand) => void, code: string) => {
      const b = clone(current);
      edit(b);
      return refusedUnchanged(api, catalogue, 'brand:save', { brand: b }, code);
    };

    it('a bad hex', async () => {
      const e = await refuse((b) => (b.palette[2]!.hex = '#E3061'), 'brand-invalid');
      expect(e.message).toBe('Brand is invalid at palette[2].hex: must be "#RRGGBB"');
      expect(e.details).toEqual({ issues: [{ path: 'palette[2].hex', message: 'must be "#RRGGBB"' }] });
    });

    it('CMYK outside 0–100', async () => {
      const e = await refuse((b) => (b.palette[0]!.cmyk = [0, 0, 0, 120]), 'brand-invalid');
      expect(e.message).toMatch(/^Brand is invalid at palette\[0\]\.cmyk\[3\]/);
    });

    it('duplicate ids in the palette, the tiers and the logos', async () => {
      expect((await refuse((b) => (b.palette[1]!.id = 'black'), 'brand-invalid')).message).toBe('Brand is invalid at palette[1].id: duplicate id "black"');
      expect((await refuse((b) => (b.access.tiers[3]!.id = 'silver'), 'brand-invalid')).message).toBe('Brand is invalid at access.tiers[3].id: duplicate id "silver"');
      expect((await refuse((b) => b.logos.push({ ...b.logos[0]!, name: 'copy' }), 'brand-invalid')).message).toBe('Brand is invalid at logos[1].id: duplicate id "logo"');
    });

    it('ids that are not ids, blank names, no tiers, no logos', async () => {
      expect((await refuse((b) => (b.access.regions[0]!.id = 'Europe & co'), 'brand-invalid')).message).toMatch(/^Brand is invalid at access\.regions\[0\]\.id: must be lower-case/);
      expect((await refuse((b) => (b.access.tiers[0]!.name = '  '), 'brand-invalid')).message).toBe('Brand is invalid at access.tiers[0].name: A name cannot be blank');
      expect((await refuse((b) => (b.access.tiers = []), 'brand-invalid')).message).toMatch(/^Brand is invalid at access\.tiers/);
      expect((await refuse((b) => (b.logos = []), 'brand-invalid')).message).toMatch(/^Brand is invalid at logos/);
    });

    it('contradictory thresholds', async () => {
      const e = await refuse((b) => (b.rules.imageResolution.screen = { error: 200, warning: 150 }), 'brand-invalid');
      expect(e.message).toBe('Brand is invalid at rules.imageResolution.screen.warning: the warning threshold (150 ppi) must be at least the error threshold (200 ppi)');
    });

    it('an unknown brand, and a file that is not in the catalogue', async () => {
      await refuse((b) => (b.id = 'nobody'), 'brand-unknown');
      await refuse((b) => (b.logos[0]!.file = `sha256:${'0'.repeat(64)}`), 'asset-missing');
    });

    it('a logo where a font should be, and a font where a logo should be', async () => {
      const logoRef = current.logos[0]!.file;
      const fontRef = current.fonts[0]!.file;
      const e = await refuse((b) => b.fonts.push({ id: 'fake', family: 'Fake', weight: 400, style: 'normal', file: logoRef, licence: 'none' }), 'font-invalid');
      expect(e.message).toContain('acme-logo.png');
      await refuse((b) => b.logos.push({ id: 'fake', name: 'Fake', background: 'dark', file: fontRef }), 'image-unsupported');
    });

    it('input that is not a brand object', async () => {
      await refusedUnchanged(api, catalogue, 'brand:save', { brand: [1, 2] }, 'invalid-argument');
      await refusedUnchanged(api, catalogue, 'brand:save', { brand: { id: 'acme' } }, 'brand-invalid');
    });
  });
});

describe('brands that templates use, and brands from a publisher', () => {
  let catalogue: Catalogue;
  let api: ApiService;
  let nimbus: Brand;
  beforeAll(async () => {
    ({ catalogue } = seededCatalogue());
    api = service(catalogue);
    // A template whose zone is shown only in EMEA to certified partners, and whose text uses "sky".
    catalogue.addTemplateVersion(
      loadTemplate(
        templateInput(
          [
            {
              id: 'emea-note',
              kind: 'static-text',
              owner: 'vendor',
              lock: 'locked',
              rect: rect(10, 10, 300, 40),
              text: 'EMEA',
              style: textStyle({ font: 'lato-regular', color: 'sky' }),
              visibleWhen: { in: { attr: 'region', values: ['emea'] } },
              access: { certifications: ['security-specialist'] },
            },
          ],
          { id: 'emea-flyer', name: 'EMEA flyer', brand: 'nimbus' },
        ),
      ),
    );
    nimbus = (await ok<View>(api, 'brand:get', { id: 'nimbus' })).brand;
  });
  afterAll(() => catalogue.close());

  it('brand:get reports which templates use which items', async () => {
    const v = await ok<View>(api, 'brand:get', { id: 'nimbus' });
    expect(v.usage.tiers['gold']).toEqual([expect.stringMatching(/\(case-study-gold\)$/), expect.stringMatching(/\(advanced-security-one-pager\)$/)]);
    expect(v.usage.regions).toEqual({ emea: ['"EMEA flyer" (emea-flyer)'] });
    // The demo module grants security-specialist, and the advanced one-pager takes it as the alternative to Gold.
    expect(v.usage.certifications).toEqual({
      'security-specialist': ['training module "Nimbus security essentials" (nimbus-security-essentials)', '"EMEA flyer" (emea-flyer)', '"Advanced security one-pager (Gold or Security Specialist)" (advanced-security-one-pager)'],
    });
    expect(v.usage.palette['sky']).toContain('"EMEA flyer" (emea-flyer)');
    expect((await ok<{ id: string; templates: number }[]>(api, 'brand:list', {}))[0]).toMatchObject({ id: 'nimbus', templates: 11 });
  });

  it('refuses removing a tier, region, certification or colour a template uses, naming the templates', async () => {
    const edit = async (fn: (b: Brand) => void) => {
      const b = clone(nimbus);
      fn(b);
      return refusedUnchanged(api, catalogue, 'brand:save', { brand: b }, 'in-use');
    };
    const gold = await edit((b) => (b.access.tiers = b.access.tiers.filter((t) => t.id !== 'gold')));
    expect(gold.message).toMatch(/^The tier "gold" is used by "[^"]+" \(case-study-gold\), "[^"]+" \(advanced-security-one-pager\)\. Publish versions of those templates without it first\.$/);
    expect(gold.details).toMatchObject({ items: [{ kind: 'tiers', id: 'gold' }] });
    // Renaming an id is removing the old one.
    expect((await edit((b) => (b.access.regions.find((r) => r.id === 'emea')!.id = 'europe'))).message).toMatch(/^The region "emea" is used by "EMEA flyer" \(emea-flyer\)/);
    expect((await edit((b) => (b.access.certifications = []))).message).toMatch(/^The certification "security-specialist" is used by training module "Nimbus security essentials" \(nimbus-security-essentials\), .*"EMEA flyer"/);
    expect((await edit((b) => (b.palette = b.palette.filter((p) => p.id !== 'sky')))).message).toMatch(/^The palette colour "sky" is used by .*"EMEA flyer" \(emea-flyer\)/);
    expect((await edit((b) => (b.fonts = b.fonts.filter((f) => f.id !== 'lato-black')))).message).toMatch(/^The font "lato-black" is used by/);
  });

  it('allows removing and reordering what no template uses', async () => {
    const b = clone(nimbus);
    b.access.regions = b.access.regions.filter((r) => r.id !== 'latam');
    b.access.certifications.reverse();
    const saved = await ok<View>(api, 'brand:save', { brand: b });
    expect(saved.brand.access.regions.map((r) => r.id)).toEqual(['na', 'emea', 'apac']);
    expect(saved.brand.access.certifications.map((c) => c.id)).toEqual(['m365-backup-specialist', 'security-specialist', 'nimbus-certified-engineer']);
    nimbus = saved.brand;
  });

  it('refuses any change to a brand a publisher signed, and says who published it', async () => {
    catalogue.db.prepare("INSERT INTO publishers (id, name, key_type, public_key, pinned_at, updated_at) VALUES ('nimbus-systems', 'Nimbus Systems Inc.', 'ed25519', 'AAAA', 'now', 'now')").run();
    catalogue.db.prepare("UPDATE brands SET publisher_id = 'nimbus-systems' WHERE id = 'nimbus'").run();
    const v = await ok<View>(api, 'brand:get', { id: 'nimbus' });
    expect(v.publisher).toEqual({ id: 'nimbus-systems', name: 'Nimbus Systems Inc.' });
    const b = clone(nimbus);
    b.name = 'Renamed';
    const err = await refusedUnchanged(api, catalogue, 'brand:save', { brand: b }, 'read-only');
    expect(err.message).toBe('The brand "Nimbus Systems" was published by Nimbus Systems Inc. in a signed pack: you can use it but not change it');
    expect(err.details).toEqual({ publisher: 'nimbus-systems' });
    // Even an unchanged save is refused: the publisher's copy is not ours to rewrite.
    await refusedUnchanged(api, catalogue, 'brand:save', { brand: nimbus }, 'read-only');
    expect((await ok<OpOutput<'brand:list'>>(api, 'brand:list', {}))[0]!.publisher).toEqual({ id: 'nimbus-systems', name: 'Nimbus Systems Inc.' });
  });

  it('brand:get of an unknown brand is brand-unknown', async () => {
    const r = await api.dispatch('brand:get', { id: 'nobody' });
    expect(r).toMatchObject({ ok: false, error: { code: 'brand-unknown' } });
  });
});
