import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockupError } from '../core/errors.ts';
import { DOCUMENT_FORMAT, DOCUMENT_FORMAT_VERSION, type Brand, type PartnerProfile, type Template } from '../core/model/index.ts';
import { emptyCatalogue, seededCatalogue } from '../test/support/catalogue.ts';
import { dumpDatabase } from '../test/support/db.ts';
import { DEMO_CONTENT, imageFixture, PARTNERS } from '../test/support/paths.ts';
import { Catalogue, type LedgerEntry } from './catalogue.ts';
import { readContentFolder, type ContentBundle } from './content/bundle.ts';
import { importBundle } from './content/seed.ts';
import { sha256Hex } from './util/hash.ts';
import { thrown as caught } from '../test/support/errors.ts';

const MISSING_REF = `sha256:${'0'.repeat(64)}`;
const clone = <T>(v: T): T => structuredClone(v);

/** Asserts that `fn` throws and that the catalogue's data and schema are exactly as before. */
function expectRefusedUnchanged(catalogue: Catalogue, fn: () => unknown, code?: string): unknown {
  const before = dumpDatabase(catalogue.db);
  let error: unknown;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  expect(error, 'the write should have been refused').toBeDefined();
  if (code) expect(error).toMatchObject({ code });
  expect(dumpDatabase(catalogue.db)).toEqual(before);
  return error;
}

let bundle: ContentBundle;
beforeAll(() => {
  bundle = readContentFolder(DEMO_CONTENT);
});

function template(id: string): Template {
  const t = bundle.templates.find((x) => x.id === id);
  if (!t) throw new Error(`no demo template ${id}`);
  return clone(t);
}

function ledgerEntry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    tool: 'cli',
    templateId: 'product-one-pager-letter',
    templateVersion: 1,
    partnerId: 'harbor-it',
    company: 'Harbor IT',
    outputProfile: 'screen',
    outputPath: '/tmp/x.pdf',
    outputSha256: 'a'.repeat(64),
    byteLength: 1234,
    inputsSha256: 'b'.repeat(64),
    warnings: 0,
    ...overrides,
  };
}

describe('brands', () => {
  it('saveBrand/getBrand round-trips the demo brand (file refs replaced by asset refs), also after reopening', () => {
    const { catalogue, dir } = emptyCatalogue();
    for (const a of bundle.assets.values()) catalogue.putAsset(a.bytes, a.name);
    catalogue.saveBrand(clone(bundle.brand));
    expect(catalogue.getBrand('nimbus')).toEqual(bundle.brand);
    catalogue.close();
    const reopened = Catalogue.openDir(dir);
    try {
      const brand = reopened.getBrand('nimbus');
      expect(brand).toEqual(bundle.brand);
      for (const f of brand.fonts) expect(f.file).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(reopened.brandIds()).toEqual(['nimbus']);
    } finally {
      reopened.close();
    }
  });

  it('round-trips a brand with non-default rules, several access lists and fallbacks', () => {
    const { catalogue } = emptyCatalogue();
    for (const a of bundle.assets.values()) catalogue.putAsset(a.bytes, a.name);
    const brand: Brand = clone(bundle.brand);
    brand.id = 'acme';
    brand.name = 'Acme Corp';
    brand.rules.logoMinSize = { minWidth: '30mm', minHeight: '10mm', severity: 'warning' };
    brand.rules.imageResolution = { screen: { error: 72, warning: 120 }, print: { error: 240, warning: 300 } };
    brand.rules.paletteOnly = { enabled: false, severity: 'warning' };
    brand.fallbackFonts = [
      { script: 'Arabic', fonts: ['noto-arabic-bold', 'noto-arabic-regular'] },
      { script: 'Hebrew', fonts: ['lato-regular'] },
    ];
    brand.access.tiers.reverse();
    brand.access.regions = [{ id: 'mars', name: 'Mars' }];
    brand.palette.reverse();
    catalogue.saveBrand(brand);
    expect(catalogue.getBrand('acme')).toEqual(brand);
    catalogue.close();
  });

  it('saving again replaces the brand (no leftovers from the old version), keeping created_at', () => {
    const { catalogue } = emptyCatalogue();
    for (const a of bundle.assets.values()) catalogue.putAsset(a.bytes, a.name);
    catalogue.saveBrand(clone(bundle.brand));
    const created = (catalogue.db.prepare("SELECT created_at FROM brands WHERE id = 'nimbus'").get() as { created_at: string }).created_at;
    const smaller: Brand = clone(bundle.brand);
    smaller.name = 'Nimbus (renamed)';
    smaller.palette = smaller.palette.slice(0, 2);
    smaller.access.certifications = [];
    smaller.fallbackFonts = [];
    catalogue.saveBrand(smaller);
    expect(catalogue.getBrand('nimbus')).toEqual(smaller);
    expect(catalogue.db.prepare("SELECT COUNT(*) AS n FROM brand_colors WHERE brand_id = 'nimbus'").get()).toEqual({ n: 2 });
    expect((catalogue.db.prepare("SELECT created_at FROM brands WHERE id = 'nimbus'").get() as { created_at: string }).created_at).toBe(created);
    catalogue.close();
  });

  it('getBrand of an unknown id is brand-unknown', () => {
    const { catalogue } = emptyCatalogue();
    expect(caught(() => catalogue.getBrand('nope')).code).toBe('brand-unknown');
    catalogue.close();
  });
});

describe('templates', () => {
  let catalogue: Catalogue;
  beforeAll(() => {
    ({ catalogue } = seededCatalogue());
  });
  afterAll(() => catalogue.close());

  it('the demo catalogue lists 10 templates, latest versions, sorted by category and name', () => {
    const list = catalogue.listTemplates();
    expect(list.map((t) => t.id).sort()).toEqual(bundle.templates.map((t) => t.id).sort());
    expect(list).toHaveLength(10);
    const keys = list.map((t) => `${t.category}\u0000${t.name}`);
    expect(keys).toEqual([...keys].sort());
    expect(list.find((t) => t.id === 'email-banner')!.pageSize).toMatch(/^600×200 pt$/);
    expect(list.find((t) => t.id === 'product-one-pager-a4')!.pageSize).toBe('a4');
  });

  it('re-adding an identical version is "unchanged"; a new id is "added"', () => {
    expect(catalogue.addTemplateVersion(template('product-one-pager-letter'))).toBe('unchanged');
    const t = template('product-one-pager-letter');
    t.id = 'custom-letter';
    expect(catalogue.addTemplateVersion(t)).toBe('added');
    expect(catalogue.addTemplateVersion(clone(t))).toBe('unchanged');
    expect(catalogue.getTemplate('custom-letter')).toEqual(t);
    const linked = catalogue.db.prepare("SELECT COUNT(*) AS n FROM template_assets WHERE template_id = 'custom-letter'").get() as { n: number };
    expect(linked.n).toBe(4); // hero + three icons
  });

  it('getTemplate("id") gives the latest version and "id@N" that version', () => {
    const v1 = template('event-invitation');
    v1.id = 'versioned';
    catalogue.addTemplateVersion(v1);
    const v2 = clone(v1);
    v2.version = 2;
    v2.name = 'Versioned, second edition';
    expect(catalogue.addTemplateVersion(v2)).toBe('added');
    expect(catalogue.getTemplate('versioned')).toEqual(v2);
    expect(catalogue.getTemplate('versioned@1')).toEqual(v1);
    expect(catalogue.getTemplate('versioned@2')).toEqual(v2);
    expect(catalogue.getTemplate('  versioned@1 ')).toEqual(v1);
    expect(catalogue.latestVersion('versioned')).toBe(2);
    const listed = catalogue.listTemplates().filter((t) => t.id === 'versioned');
    expect(listed).toEqual([expect.objectContaining({ version: 2, name: 'Versioned, second edition' })]);
  });

  it('the same id and version with a different body is template-version-conflict and the catalogue is unchanged', () => {
    const t = template('product-one-pager-letter');
    t.name = 'Edited without a version bump';
    const err = expectRefusedUnchanged(catalogue, () => catalogue.addTemplateVersion(t), 'template-version-conflict') as LockupError;
    expect(err.message).toMatch(/version 2/);
    expect(catalogue.getTemplate('product-one-pager-letter').name).toBe(template('product-one-pager-letter').name);
  });

  it('a template id already owned by another brand is refused', () => {
    const other: Brand = clone(bundle.brand);
    other.id = 'other-brand';
    catalogue.saveBrand(other);
    const t = template('social-post');
    t.brand = 'other-brand';
    t.version = 9;
    expectRefusedUnchanged(catalogue, () => catalogue.addTemplateVersion(t), 'template-version-conflict');
  });

  it('a template naming an unknown brand is brand-unknown; one referring to a missing asset is asset-missing (unchanged either way)', () => {
    const t = template('social-post');
    t.id = 'orphan';
    t.brand = 'no-such-brand';
    expectRefusedUnchanged(catalogue, () => catalogue.addTemplateVersion(t), 'brand-unknown');
    const u = template('product-one-pager-letter');
    u.id = 'missing-asset';
    const hero = u.pages[0]!.zones.find((z) => z.kind === 'image')!;
    if (hero.kind === 'image') hero.asset = MISSING_REF;
    expectRefusedUnchanged(catalogue, () => catalogue.addTemplateVersion(u), 'asset-missing');
    expect(caught(() => catalogue.getTemplate('missing-asset')).code).toBe('template-unknown');
  });

  it('an invalid template is template-invalid with the JSON path', () => {
    const t = template('product-one-pager-letter') as unknown as { pages: { zones: { rect: { w: number } }[] }[] };
    t.pages[0]!.zones[2]!.rect.w = -1;
    const err = expectRefusedUnchanged(catalogue, () => catalogue.addTemplateVersion(t as unknown as Template), 'template-invalid') as LockupError;
    expect(err.message).toContain('pages[0].zones[2].rect.w');
  });

  it('an unknown template is template-unknown and the message lists the known ids', () => {
    const err = caught(() => catalogue.getTemplate('no-such-template'));
    expect(err.code).toBe('template-unknown');
    for (const id of ['product-one-pager-letter', 'case-study-gold', 'social-post']) expect(err.message).toContain(id);
    expect(caught(() => catalogue.getTemplate('product-one-pager-letter@7')).code).toBe('template-unknown');
    expect(caught(() => catalogue.getTemplate('product-one-pager-letter@7')).message).toMatch(/version 7/);
    expect(caught(() => catalogue.getTemplate('')).code).toBe('template-unknown');
    expect(caught(() => catalogue.getTemplate('a@b@c')).code).toBe('template-unknown');
  });

  it('published template versions cannot be UPDATEd (trigger)', () => {
    const before = dumpDatabase(catalogue.db);
    expect(() => catalogue.db.prepare("UPDATE template_versions SET name = 'hacked' WHERE template_id = 'social-post'").run()).toThrow(/immutable/);
    expect(() => catalogue.db.prepare("UPDATE template_versions SET body = '{}'").run()).toThrow(/immutable/);
    expect(() => catalogue.db.prepare("DELETE FROM template_versions WHERE template_id = 'social-post'").run()).toThrow(/kept/);
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });
});

describe('templatesFor', () => {
  let catalogue: Catalogue;
  beforeAll(() => {
    ({ catalogue } = seededCatalogue());
  });
  afterAll(() => catalogue.close());
  const profile = (file: string) => JSON.parse(fs.readFileSync(path.join(PARTNERS, file), 'utf8')) as PartnerProfile;

  it('without a profile every template is available', () => {
    const list = catalogue.templatesFor(undefined);
    expect(list).toHaveLength(10);
    expect(list.every((t) => t.decision.allowed && t.decision.reasons.length === 0)).toBe(true);
    // What each template asks of any partner, in words.
    expect(list.filter((t) => t.requirements.length > 0).map((t) => [t.id, t.requirements])).toEqual([
      ['case-study-gold', ['Gold partners only']],
      ['advanced-security-one-pager', ['Gold partners only', 'or become Nimbus Security Specialist']],
    ]);
  });

  it('a Silver partner sees case-study-gold locked with the reason "Gold partners only"', () => {
    const list = catalogue.templatesFor(profile('harbor-it.json'));
    const locked = list.filter((t) => !t.decision.allowed).sort((a, b) => a.id.localeCompare(b.id));
    expect(locked.map((t) => t.id)).toEqual(['advanced-security-one-pager', 'case-study-gold']);
    expect(locked[0]!.decision.reasons).toEqual(['Gold partners only', 'or become Nimbus Security Specialist']);
    locked.shift();
    expect(locked[0]!.decision.reasons).toEqual(['Gold partners only']);
    expect(locked[0]!.access).toEqual({ minTier: 'gold' });
    expect(locked[0]!.requirements).toEqual(['Gold partners only']);
  });

  it('a Gold partner may use every template; an unknown or missing tier may not use the Gold one', () => {
    expect(catalogue.templatesFor(profile('summit-msp.json')).every((t) => t.decision.allowed)).toBe(true);
    const unknownTier = { ...profile('summit-msp.json'), tier: 'platinum' };
    expect(catalogue.templatesFor(unknownTier).find((t) => t.id === 'case-study-gold')!.decision).toEqual({ allowed: false, reasons: ['Gold partners only'] });
    const { tier: _tier, ...noTier } = profile('summit-msp.json');
    expect(catalogue.templatesFor(noTier).find((t) => t.id === 'case-study-gold')!.decision.allowed).toBe(false);
  });

  it('a Silver partner holding Nimbus Security Specialist may use the advanced security one-pager, not the Gold case study', () => {
    const certified = { ...profile('harbor-it.json'), certifications: ['security-specialist'] };
    const list = catalogue.templatesFor(certified);
    expect(list.find((t) => t.id === 'advanced-security-one-pager')!.decision).toEqual({ allowed: true, reasons: [] });
    expect(list.find((t) => t.id === 'case-study-gold')!.decision.allowed).toBe(false);
  });
});

describe('assets', () => {
  it('are content-addressed: the same bytes twice make one row and one ref', () => {
    const { catalogue } = emptyCatalogue();
    const bytes = new Uint8Array(fs.readFileSync(imageFixture('logo-rgba.png')));
    const ref = catalogue.putAsset(bytes, 'first.png');
    expect(ref).toBe(`sha256:${sha256Hex(bytes)}`);
    expect(catalogue.putAsset(bytes.slice(), 'second-name.png')).toBe(ref);
    expect(catalogue.db.prepare('SELECT COUNT(*) AS n FROM assets').get()).toEqual({ n: 1 });
    const got = catalogue.assetBytes(ref)!;
    expect(got.name).toBe('first.png');
    expect(Buffer.from(got.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(catalogue.hasAsset(ref)).toBe(true);
    catalogue.close();
  });

  it('records the sniffed media type', () => {
    const { catalogue } = emptyCatalogue();
    const put = (file: string) => catalogue.putAsset(new Uint8Array(fs.readFileSync(file)), path.basename(file));
    const type = (ref: string) => (catalogue.db.prepare('SELECT media_type FROM assets WHERE sha256 = ?').get(ref.slice(7)) as { media_type: string }).media_type;
    expect(type(put(imageFixture('logo-rgba.png')))).toBe('image/png');
    expect(type(put(imageFixture('logo.jpg')))).toBe('image/jpeg');
    expect(type(put(imageFixture('logo-vector.pdf')))).toBe('application/pdf');
    expect(type(put(path.join(DEMO_CONTENT, '../../assets/fonts/lato/Lato-Regular.ttf')))).toBe('font/ttf');
    expect(type(catalogue.putAsset(new TextEncoder().encode('plain text'), 'x.txt'))).toBe('application/octet-stream');
    catalogue.close();
  });

  it('empty bytes are refused (file-empty); unknown or malformed refs are absent', () => {
    const { catalogue } = emptyCatalogue();
    expectRefusedUnchanged(catalogue, () => catalogue.putAsset(new Uint8Array(0), 'empty.png'), 'file-empty');
    expect(catalogue.assetBytes(MISSING_REF)).toBeUndefined();
    expect(catalogue.assetBytes('logo.png')).toBeUndefined();
    expect(catalogue.hasAsset('sha256:XYZ')).toBe(false);
    catalogue.close();
  });
});

describe('partner profiles and drafts', () => {
  let catalogue: Catalogue;
  let light: string;
  let dark: string;
  beforeAll(() => {
    ({ catalogue } = seededCatalogue());
    light = catalogue.putAsset(new Uint8Array(fs.readFileSync(path.join(PARTNERS, 'logos/harbor-it-light.png'))), 'harbor-it-light.png');
    dark = catalogue.putAsset(new Uint8Array(fs.readFileSync(path.join(PARTNERS, 'logos/harbor-it-dark.png'))), 'harbor-it-dark.png');
  });
  afterAll(() => catalogue.close());

  const harbor = (): PartnerProfile => ({
    id: 'harbor-it',
    company: 'Harbor IT',
    logo: { light, dark },
    contact: { phone: '(206) 555-0142', email: 'hello@harbor-it.example.com', url: 'harbor-it.example.com', address: '1200 Western Avenue' },
    tier: 'silver',
    type: 'reseller',
    region: 'na',
    distributor: 'Ingram',
    certifications: ['nimbus-certified-engineer'],
  });

  it('round-trip, including optional attributes', () => {
    catalogue.saveProfile(harbor());
    expect(catalogue.getProfile('harbor-it')).toEqual(harbor());
    const minimal: PartnerProfile = { id: 'minimal', company: 'Minimal Co', contact: {}, certifications: [] };
    catalogue.saveProfile(minimal);
    expect(catalogue.getProfile('minimal')).toEqual(minimal);
    expect(catalogue.getProfile('nobody')).toBeUndefined();
  });

  it('a single logo is stored for both backgrounds', () => {
    catalogue.saveProfile({ id: 'one-logo', company: 'One Logo', logo: light, contact: {}, certifications: [] });
    expect(catalogue.getProfile('one-logo')!.logo).toEqual({ light, dark: light });
  });

  it('saving again updates in place and keeps created_at; listProfiles is sorted by company', () => {
    catalogue.saveProfile(harbor());
    const created = catalogue.db.prepare("SELECT created_at FROM partner_profiles WHERE id = 'harbor-it'").get();
    catalogue.saveProfile({ ...harbor(), company: 'Harbor IT Group', tier: 'gold' });
    expect(catalogue.getProfile('harbor-it')).toMatchObject({ company: 'Harbor IT Group', tier: 'gold' });
    expect(catalogue.db.prepare("SELECT created_at FROM partner_profiles WHERE id = 'harbor-it'").get()).toEqual(created);
    catalogue.saveProfile({ id: 'aaa', company: 'Zeta', contact: {}, certifications: [] });
    const companies = catalogue.listProfiles().map((p) => p.company);
    expect(companies).toEqual([...companies].sort());
    expect(companies).toContain('Harbor IT Group');
  });

  it('a profile whose logo is not in the catalogue is asset-missing (unchanged)', () => {
    expectRefusedUnchanged(catalogue, () => catalogue.saveProfile({ ...harbor(), id: 'ghost', logo: { light: MISSING_REF } }), 'asset-missing');
  });

  it('drafts round-trip and update', () => {
    catalogue.saveProfile(harbor());
    const doc = {
      format: DOCUMENT_FORMAT,
      formatVersion: DOCUMENT_FORMAT_VERSION,
      templateId: 'product-one-pager-letter',
      templateVersion: 1,
      fields: { phone: '555 0199' },
      styles: {},
      logos: {},
    } as const;
    catalogue.saveDraft('draft-1', 'harbor-it', doc);
    const got = catalogue.getDraft('draft-1')!;
    expect(got).toMatchObject({ id: 'draft-1', partnerId: 'harbor-it', document: doc });
    expect(Number.isNaN(Date.parse(got.updatedAt))).toBe(false);
    catalogue.saveDraft('draft-1', 'harbor-it', { ...doc, fields: { phone: '555 0200' } });
    expect(catalogue.getDraft('draft-1')!.document.fields).toEqual({ phone: '555 0200' });
    expect(catalogue.db.prepare('SELECT COUNT(*) AS n FROM drafts').get()).toEqual({ n: 1 });
    expect(catalogue.getDraft('nope')).toBeUndefined();
  });

  it('a draft for an unknown partner or template version is refused by foreign keys', () => {
    const doc = { format: DOCUMENT_FORMAT, formatVersion: DOCUMENT_FORMAT_VERSION, templateId: 'product-one-pager-letter', templateVersion: 1, fields: {}, styles: {}, logos: {} } as const;
    expectRefusedUnchanged(catalogue, () => catalogue.saveDraft('d2', 'nobody', doc));
    expectRefusedUnchanged(catalogue, () => catalogue.saveDraft('d3', 'harbor-it', { ...doc, templateVersion: 99 }));
  });
});

describe('settings', () => {
  it('set, overwrite, get', () => {
    const { catalogue } = emptyCatalogue();
    expect(catalogue.getSetting('k')).toBeUndefined();
    catalogue.setSetting('k', 'one');
    catalogue.setSetting('k', 'two');
    expect(catalogue.getSetting('k')).toBe('two');
    catalogue.close();
  });
});

describe('export ledger', () => {
  let catalogue: Catalogue;
  beforeAll(() => {
    ({ catalogue } = emptyCatalogue());
    catalogue.recordExports([ledgerEntry({ company: 'First' }), ledgerEntry({ company: 'Second', tool: 'batch', batchId: 'b-1', warnings: 2, outputProfile: 'print' })]);
  });
  afterAll(() => catalogue.close());

  it('records entries in order; listExports gives the newest first with every field', () => {
    catalogue.recordExports([]);
    const rows = catalogue.listExports();
    expect(rows.map((r) => r.company)).toEqual(['Second', 'First']);
    expect(rows[0]).toMatchObject({ ...ledgerEntry({ company: 'Second', tool: 'batch', batchId: 'b-1', warnings: 2, outputProfile: 'print' }), seq: 2 });
    expect(rows[1]!.batchId).toBeUndefined();
    expect(Number.isNaN(Date.parse(rows[0]!.exportedAt))).toBe(false);
    expect(catalogue.listExports(1)).toHaveLength(1);
  });

  it('rejects UPDATE and DELETE (append-only triggers)', () => {
    const before = dumpDatabase(catalogue.db);
    expect(() => catalogue.db.prepare("UPDATE export_ledger SET company = 'Forged'").run()).toThrow(/append-only/);
    expect(() => catalogue.db.prepare('DELETE FROM export_ledger WHERE seq = 1').run()).toThrow(/append-only/);
    expect(() => catalogue.db.prepare('DELETE FROM export_ledger').run()).toThrow(/append-only/);
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('a batch of entries with one bad entry records none of them', () => {
    expectRefusedUnchanged(catalogue, () => catalogue.recordExports([ledgerEntry({ company: 'Good' }), ledgerEntry({ outputProfile: 'paper' as 'print' })]));
  });
});

describe('failed multi-row writes leave the database logically unchanged', () => {
  it('importBundle into an empty catalogue with a template referring to a missing asset stores nothing at all', () => {
    const { catalogue } = emptyCatalogue();
    const broken: ContentBundle = { brand: clone(bundle.brand), templates: bundle.templates.map(clone), products: bundle.products.map(clone), playbooks: [], trainingSources: [], assets: new Map(bundle.assets) };
    const letter = broken.templates.find((t) => t.id === 'product-one-pager-letter')!;
    const hero = letter.pages[0]!.zones.find((z) => z.kind === 'image' && z.id === 'hero');
    if (hero?.kind !== 'image') throw new Error('fixture changed: no hero image');
    hero.asset = MISSING_REF;
    const err = expectRefusedUnchanged(catalogue, () => importBundle(catalogue, broken), 'asset-missing');
    expect(String((err as Error).message)).toContain(MISSING_REF);
    expect(catalogue.brandIds()).toEqual([]);
    expect(catalogue.db.prepare('SELECT COUNT(*) AS n FROM assets').get()).toEqual({ n: 0 });
    catalogue.close();
  });

  it('importBundle into a seeded catalogue that fails on its last template keeps the old brand, assets and templates', () => {
    const { catalogue } = seededCatalogue();
    const brand: Brand = clone(bundle.brand);
    brand.name = 'Renamed by a failed import';
    const extra = template('social-post');
    extra.id = 'extra';
    const img = extra.pages[0]!.zones.find((z) => z.kind === 'image');
    if (img?.kind !== 'image') throw new Error('fixture changed: social-post has no image zone');
    img.asset = MISSING_REF;
    const newAsset = { ref: `sha256:${sha256Hex('new bytes')}`, name: 'new.bin', bytes: new TextEncoder().encode('new bytes') };
    const failing: ContentBundle = { brand, templates: [template('email-banner'), extra], products: [], playbooks: [], trainingSources: [], assets: new Map([[newAsset.ref, newAsset]]) };
    expectRefusedUnchanged(catalogue, () => importBundle(catalogue, failing), 'asset-missing');
    expect(catalogue.getBrand('nimbus').name).toBe('Nimbus Systems');
    expect(catalogue.hasAsset(newAsset.ref)).toBe(false);
    catalogue.close();
  });

  it('saveBrand with a missing font asset is asset-missing and changes nothing', () => {
    const { catalogue } = seededCatalogue();
    const brand: Brand = clone(bundle.brand);
    brand.name = 'Should not stick';
    brand.fonts[1]!.file = MISSING_REF;
    expectRefusedUnchanged(catalogue, () => catalogue.saveBrand(brand), 'asset-missing');
    const fresh: Brand = clone(bundle.brand);
    fresh.id = 'fresh';
    fresh.logos[0]!.file = MISSING_REF;
    expectRefusedUnchanged(catalogue, () => catalogue.saveBrand(fresh), 'asset-missing');
    expect(catalogue.brandIds()).toEqual(['nimbus']);
    catalogue.close();
  });

  it('saveBrand that fails after deleting the old rows (duplicate tier ids) rolls every row back', () => {
    const { catalogue } = seededCatalogue();
    const brand: Brand = clone(bundle.brand);
    brand.name = 'Half-saved';
    brand.access.tiers.push({ id: 'gold', name: 'Gold again' });
    expectRefusedUnchanged(catalogue, () => catalogue.saveBrand(brand));
    expect(catalogue.getBrand('nimbus')).toEqual(bundle.brand);
    catalogue.close();
  });

  it('a rolled-back outer transaction also drops a brand saved inside it', () => {
    const { catalogue } = seededCatalogue();
    const brand: Brand = clone(bundle.brand);
    brand.name = 'Inside a failed transaction';
    expectRefusedUnchanged(catalogue, () =>
      catalogue.transaction(() => {
        catalogue.saveBrand(brand);
        catalogue.setSetting('x', 'y');
        throw new Error('abort');
      }),
    );
    expect(catalogue.getBrand('nimbus').name).toBe('Nimbus Systems');
    catalogue.close();
  });
});
