import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadProfile, type PartnerProfile } from '../../core/model/index.ts';
import type { Playbook } from '../../core/playbook/model.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { emptyCatalogue } from '../../test/support/catalogue.ts';
import { moduleSource, playbookInput, protectFast } from '../../test/support/learning.ts';
import { acmeKey, acmePack, DERIVED_NOW, northwindCredential, northwindKey, northwindPack, packEntries, rebuildPack, writeAcmeFolder } from '../../test/support/packs.ts';
import { IMAGE_FIXTURES } from '../../test/support/paths.ts';
import { refusal, refusedUnchanged } from '../../test/support/refusal.ts';
import type { Catalogue } from '../catalogue.ts';
import { readContentFolder } from '../content/bundle.ts';
import { importBundle } from '../content/seed.ts';
import { LearningStore } from '../learning/store.ts';
import { importCredential } from './access.ts';
import { packEntry, type ArchiveEntry } from './archive.ts';
import { issueCredential } from './credential.ts';
import { importPack, inspectPack } from './import.ts';
import { signBytes, type SigningKey } from './keys.ts';
import { buildPack, manifestEntries, verifyPack, type PackContents } from './pack.ts';
import { contentsFromCatalogue, contentsFromFolder } from './publish.ts';

/**
 * Playbooks and training modules in vendor packs (issue #7): a content
 * folder's playbooks and module sources become `playbooks/<id>.json` and
 * protected `training/<id>.json` entries, verified against the pack's own
 * brand and templates, and imported into a partner's catalogue (also inside
 * a distributor's derived pack).
 */

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Acme's folder with a certification, a Gold flyer open to it too, one playbook (with an image) and one module. */
function learningFolder(options: Parameters<typeof writeAcmeFolder>[0] = {}): string {
  const dir = writeAcmeFolder(options);
  const brandFile = path.join(dir, 'brand.json');
  const brand = JSON.parse(fs.readFileSync(brandFile, 'utf8')) as { access: Record<string, unknown> };
  brand.access['certifications'] = [{ id: 'acme-certified', name: 'Acme Certified' }];
  fs.writeFileSync(brandFile, JSON.stringify(brand));
  const goldFile = path.join(dir, 'flyer-gold.template.json');
  const gold = JSON.parse(fs.readFileSync(goldFile, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(goldFile, JSON.stringify({ ...gold, access: { minTier: 'gold', orCertified: ['acme-certified'] } }));
  fs.mkdirSync(path.join(dir, 'playbooks'));
  fs.copyFileSync(path.join(IMAGE_FIXTURES, 'logo-rgba.png'), path.join(dir, 'playbooks', 'hero.png'));
  fs.writeFileSync(path.join(dir, 'playbooks', 'acme-quick-start.playbook.json'), JSON.stringify(playbookInput('acme', 'flyer-open', { access: { minTier: 'silver', orCertified: ['acme-certified'] } }, 'hero.png')));
  fs.mkdirSync(path.join(dir, 'training'));
  fs.writeFileSync(path.join(dir, 'training', 'backup-basics.training.json'), JSON.stringify(moduleSource('acme-certified')));
  return dir;
}

/** Re-signs a vendor pack after editing its entries (what someone holding the key could make), reaching the checks behind the signature. */
function forgeVendor(bytes: Uint8Array, key: SigningKey, edit: (entries: ArchiveEntry[]) => ArchiveEntry[]): Uint8Array {
  const all = packEntries(bytes);
  const body = edit(all.slice(2));
  const manifest = JSON.parse(text(all[0]!.data)) as Record<string, unknown>;
  manifest['entries'] = manifestEntries(body, body.map((e) => packEntry(e)));
  const data = new TextEncoder().encode(canonicalJson(manifest));
  const sig = new TextEncoder().encode(signBytes('lockup.pack.v1', data, key) + '\n');
  return rebuildPack([{ name: 'manifest.json', data }, { name: 'manifest.sig', data: sig }, ...body]);
}

const replaceEntry = (name: string, data: Uint8Array) => (entries: ArchiveEntry[]) => entries.map((e) => (e.name === name ? { name, data } : e));

let key: SigningKey;
let folder: string;
let contents: PackContents;
let pack: Uint8Array;
let partner: Catalogue;

beforeAll(() => {
  key = acmeKey();
  folder = learningFolder({ distributorZone: true });
  contents = contentsFromFolder(folder, emptyCatalogue().catalogue, 'acme');
  pack = acmePack(contents, key);
});

beforeEach(() => {
  ({ catalogue: partner } = emptyCatalogue());
});

describe('building and verifying', () => {
  it('a content folder gives the playbook (image as an asset ref) and the module protected, never its source', () => {
    const bundle = readContentFolder(folder);
    expect(bundle.playbooks.map((p) => p.id)).toEqual(['acme-quick-start']);
    expect(bundle.trainingSources.map((s) => [s.format, s.id])).toEqual([['lockup.training-source', 'backup-basics']]);
    const image = bundle.playbooks[0]!.sections[0]!.blocks.find((b) => b.kind === 'image');
    expect(image?.kind === 'image' && image.asset).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(contents.training.map((m) => [m.format, m.id, m.protection.iterations])).toEqual([['lockup.training-module', 'backup-basics', 20_000]]);
  });

  it('the pack holds playbooks/<id>.json and training/<id>.json, and verifies to the same contents', () => {
    const names = packEntries(pack).map((e) => e.name);
    expect(names).toContain('playbooks/acme-quick-start.json');
    expect(names).toContain('training/backup-basics.json');
    const v = verifyPack(pack);
    expect(v.contents.playbooks).toEqual(contents.playbooks);
    expect(v.contents.training).toEqual(contents.training);
    expect(v.contents.assets.has((contents.playbooks[0]!.sections[0]!.blocks[1] as { asset: string }).asset)).toBe(true);
  });

  it('no entry of the built pack (inflated) holds a correct-answer key or an answer set in clear', () => {
    const source = readContentFolder(folder).trainingSources[0]!;
    for (const e of packEntries(pack)) {
      const t = text(e.data);
      expect(t, e.name).not.toMatch(/"correct"\s*:/);
      for (const q of source.quiz.questions) {
        for (const form of [JSON.stringify(q.correct), JSON.stringify([...q.correct].sort()), `"correct":${JSON.stringify(q.correct)}`]) expect(t.includes(form), `${e.name}: ${form}`).toBe(false);
      }
    }
    const entry = JSON.parse(text(packEntries(pack).find((e) => e.name === 'training/backup-basics.json')!.data)) as { quiz: { questions: Record<string, unknown>[] } };
    for (const q of entry.quiz.questions) expect(Object.keys(q).sort()).toEqual(expect.not.arrayContaining(['correct']));
  });

  it('packs made before playbooks and training still verify, with none of them', () => {
    const { playbooks: _p, training: _t, ...older } = contents;
    const v = verifyPack(acmePack(older as PackContents, key));
    expect(v.contents.playbooks).toEqual([]);
    expect(v.contents.training).toEqual([]);
  });

  it('buildPack refuses a module source (answers in clear), a module granting an unknown certification, and a playbook linking outside the pack', () => {
    const source = readContentFolder(folder).trainingSources[0]!;
    expect(refusal(() => acmePack({ ...contents, training: [source as never] }, key)).code).toBe('training-invalid');
    expect(refusal(() => acmePack({ ...contents, training: [protectFast(moduleSource('nobody-certified'))] }, key)).message).toMatch(/grants "nobody-certified", which is not one of the brand's certifications/);
    const stray: Playbook = { ...contents.playbooks[0]!, sections: [{ id: 's', title: 'S', kind: 'overview', blocks: [{ kind: 'template', template: 'flyer-missing', note: '' }], plays: [] }] };
    expect(refusal(() => acmePack({ ...contents, playbooks: [stray] }, key)).message).toMatch(/links to template "flyer-missing", which the pack does not hold/);
    expect(refusal(() => acmePack({ ...contents, playbooks: [{ ...contents.playbooks[0]!, brand: 'other' }] }, key)).code).toBe('pack-invalid');
  });

  it('verifyPack refuses a signed training entry that is a source, a tampered playbook entry, and signed learning that breaks the pack’s rules', () => {
    const source = readContentFolder(folder).trainingSources[0]!;
    const withSource = forgeVendor(pack, key, replaceEntry('training/backup-basics.json', json(source)));
    expect(refusal(() => verifyPack(withSource)).message).toMatch(/training\/backup-basics\.json is a training module source with its answers in clear/);

    // Not re-signed: the stored bytes differ from the manifest.
    const entries = packEntries(pack);
    const at = entries.findIndex((e) => e.name === 'playbooks/acme-quick-start.json');
    const edited = text(entries[at]!.data).replace('Quick start', 'Quick stort');
    entries[at] = { name: entries[at]!.name, data: new TextEncoder().encode(edited) };
    const tampered = rebuildPack(entries);
    const err = refusal(() => verifyPack(tampered));
    expect(err.code).toBe('pack-invalid');
    expect(err.message).toMatch(/playbooks\/acme-quick-start\.json" is not the entry the publisher signed/);

    const unknownCert = forgeVendor(pack, key, replaceEntry('training/backup-basics.json', json(protectFast(moduleSource('nobody-certified')))));
    expect(refusal(() => verifyPack(unknownCert)).message).toMatch(/Training module "backup-basics" grants "nobody-certified", which is not one of the brand's certifications/);

    const pb = contents.playbooks[0]!;
    const linksOut = forgeVendor(pack, key, replaceEntry('playbooks/acme-quick-start.json', json({ ...pb, sections: [...pb.sections, { id: 'more', title: 'More', kind: 'custom', blocks: [{ kind: 'template', template: 'flyer-missing', note: '' }], plays: [] }] })));
    expect(refusal(() => verifyPack(linksOut)).message).toMatch(/links to template "flyer-missing", which the pack does not hold/);
    const otherBrand = forgeVendor(pack, key, replaceEntry('playbooks/acme-quick-start.json', json({ ...pb, brand: 'globex' })));
    expect(refusal(() => verifyPack(otherBrand)).message).toMatch(/belongs to brand "globex"/);
    const noImage = forgeVendor(pack, key, (es) => es.filter((e) => !e.name.startsWith('assets/') || !(pb.sections[0]!.blocks[1] as { asset: string }).asset.endsWith(e.name.slice(7))));
    expect(refusal(() => verifyPack(noImage)).message).toMatch(/refers to asset sha256:[0-9a-f]{64}, which it does not hold/);
    const misnamed = forgeVendor(pack, key, (es) => es.map((e) => (e.name === 'training/backup-basics.json' ? { ...e, name: 'training/other.json' } : e)));
    expect(refusal(() => verifyPack(misnamed)).message).toMatch(/holds training module "backup-basics"/);
    const unknownEntry = forgeVendor(pack, key, (es) => [...es, { name: 'quizzes/backup-basics.json', data: json({}) }]);
    expect(refusal(() => verifyPack(unknownEntry)).message).toMatch(/an entry Lockup does not know: "quizzes\/backup-basics\.json"/);
  });
});

describe('importing', () => {
  it('stores the playbook and the protected module (no source) and counts them in the plan', () => {
    expect(inspectPack(partner, pack)).toMatchObject({ playbooks: 1, training: 1 });
    const plan = importPack(partner, pack);
    expect(plan).toMatchObject({ playbooks: 1, training: 1, status: 'new' });
    const store = new LearningStore(partner);
    expect(store.listPlaybooks('acme').map((p) => p.playbook)).toEqual(contents.playbooks);
    const [m] = store.listModules('acme');
    expect(m).toMatchObject({ brand: 'acme', module: contents.training[0], source: null });
    expect(JSON.stringify(store.getModule('backup-basics'))).not.toMatch(/"correct"\s*:/);
  });

  it('a newer pack replaces the lists: a playbook or module it no longer holds leaves, progress and completions stay', () => {
    importPack(partner, pack);
    const store = new LearningStore(partner);
    store.setStepDone('harbor-it', 'acme-quick-start', 'book', true);
    store.recordAttemptStart({ id: 'a1', brand: 'acme', module: 'backup-basics', moduleVersion: 1, partner: 'harbor-it', person: 'Dana', drawn: [], startedAt: '2026-11-25T12:00:00.000Z' });
    store.saveCompletion({ id: 'c1', attempt: 'a1', brand: 'acme', module: 'backup-basics', moduleVersion: 1, certification: 'acme-certified', partner: 'harbor-it', person: 'Dana', score: 1, completedAt: '2026-11-25T12:05:00.000Z', record: null, code: 'LKP-0000-0000-0000' });
    const plan = importPack(partner, acmePack({ ...contents, playbooks: [], training: [] }, key, 2));
    expect(plan).toMatchObject({ status: 'update', playbooks: 0, training: 0 });
    expect(store.listPlaybooks()).toEqual([]);
    expect(store.listModules()).toEqual([]);
    expect(store.playbookProgress('harbor-it', 'acme-quick-start')).toEqual(['book']);
    expect(store.earnedCertifications('acme', 'harbor-it')).toEqual(['acme-certified']);
  });

  it('refuses a playbook or module id another brand holds here, changing nothing', () => {
    const { catalogue: other } = emptyCatalogue();
    const bundle = readContentFolder(folder);
    bundle.brand.id = 'globex';
    bundle.templates = bundle.templates.map((t) => ({ ...t, id: `globex-${t.id}`, brand: 'globex' }));
    bundle.playbooks = bundle.playbooks.map((p) => ({ ...p, brand: 'globex', sections: p.sections.map((s) => ({ ...s, blocks: s.blocks.map((b) => (b.kind === 'template' ? { ...b, template: 'globex-flyer-open' } : b)), plays: s.plays.map((pl) => ({ ...pl, steps: pl.steps.map((st) => (st.template ? { ...st, template: 'globex-flyer-open' } : st)) })) })) }));
    importBundle(other, bundle);
    expect(refusedUnchanged(other, () => importPack(other, pack), 'forbidden').message).toMatch(/Playbook id "acme-quick-start" already belongs to brand "globex"/);
    other.close();
  });

  it('a derived pack carries the vendor pack: its playbooks and modules are imported too', () => {
    const dist = northwindKey();
    const derived = northwindPack(pack, northwindCredential(key, dist), dist);
    const plan = importPack(partner, derived, { now: DERIVED_NOW });
    expect(plan).toMatchObject({ playbooks: 1, training: 1 });
    const store = new LearningStore(partner);
    expect(store.listPlaybooks('acme').map((p) => p.playbook.id)).toEqual(['acme-quick-start']);
    expect(store.listModules('acme').map((m) => m.module.id)).toEqual(['backup-basics']);
  });
});

describe('publishing from the catalogue', () => {
  it('contentsFromCatalogue carries the stored playbooks and the stored protection (not re-protected)', () => {
    const { catalogue: vendor } = emptyCatalogue();
    importBundle(vendor, readContentFolder(folder));
    const stored = new LearningStore(vendor).getModule('backup-basics')!;
    const c = contentsFromCatalogue(vendor, 'acme', 'acme');
    expect(c.playbooks.map((p) => p.id)).toEqual(['acme-quick-start']);
    expect(c.training).toEqual([stored.module]);
    const v = verifyPack(buildPack(c, key, { id: 'acme', version: 1, created: '2026-11-25T12:00:00.000Z' }).bytes);
    expect(v.contents.training[0]!.protection.salt).toBe(stored.module.protection.salt);
    vendor.close();
  });
});

describe('certifications earned count for a brand from a pack, whatever the source of access', () => {
  const harbor: PartnerProfile = loadProfile({ id: 'harbor-it', company: 'Harbor IT', tier: 'gold', certifications: [] });
  const gold = (c: Catalogue) => c.templatesFor(harbor, DERIVED_NOW).find((t) => t.id === 'flyer-gold')!.decision;
  const pass = (c: Catalogue) => {
    const store = new LearningStore(c);
    store.recordAttemptStart({ id: 'a1', brand: 'acme', module: 'backup-basics', moduleVersion: 1, partner: 'harbor-it', person: 'Dana', drawn: [], startedAt: '2026-11-25T12:00:00.000Z' });
    store.saveCompletion({ id: 'c1', attempt: 'a1', brand: 'acme', module: 'backup-basics', moduleVersion: 1, certification: 'acme-certified', partner: 'harbor-it', person: 'Dana', score: 1, completedAt: '2026-11-25T12:05:00.000Z', record: null, code: 'LKP-0000-0000-0000' });
  };

  it('no credential: the profile’s Gold tier does not count, a pass does', () => {
    importPack(partner, pack);
    expect(partner.accessProfile('acme', harbor, DERIVED_NOW).source).toBe('none');
    expect(gold(partner)).toEqual({ allowed: false, reasons: ['Gold partners only', expect.stringMatching(/^or become Acme Certified$/i)] });
    pass(partner);
    expect(gold(partner)).toEqual({ allowed: true, reasons: [] });
    expect(partner.accessProfile('acme', harbor, DERIVED_NOW).profile.certifications).toEqual(['acme-certified']);
  });

  it('a Registered credential without certifications: a pass opens the Gold flyer', () => {
    importPack(partner, pack);
    const { text: cred } = issueCredential({ partner: 'harbor-it', company: 'Harbor IT', tier: 'registered', expires: '2028-01-01T00:00:00.000Z' }, key, DERIVED_NOW);
    importCredential(partner, cred, DERIVED_NOW);
    expect(partner.accessProfile('acme', harbor, DERIVED_NOW).source).toBe('credential');
    expect(gold(partner).allowed).toBe(false);
    pass(partner);
    expect(gold(partner).allowed).toBe(true);
  });
});
