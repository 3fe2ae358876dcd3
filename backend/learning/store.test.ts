import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlaybook } from '../../core/playbook/model.ts';
import { parseTrainingSource } from '../../core/training/model.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { emptyCatalogue, seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { moduleSource, playbookInput, protectFast } from '../../test/support/learning.ts';
import { DEMO_CONTENT } from '../../test/support/paths.ts';
import { refusal, refusedUnchanged } from '../../test/support/refusal.ts';
import { Catalogue } from '../catalogue.ts';
import { readContentFolder } from '../content/bundle.ts';
import { ensureDemoCatalogue, importBundle } from '../content/seed.ts';
import { MIGRATIONS } from '../db/migrations/index.ts';
import { LearningStore, type CompletionRow } from './store.ts';

/** The learning tables (migration 0007) through LearningStore, on real catalogue files. */

const pb = (over: Parameters<typeof playbookInput>[2] = {}) => parsePlaybook(playbookInput('nimbus', 'product-one-pager-letter', over));
const completion = (over: Partial<CompletionRow> = {}): CompletionRow => ({
  id: 'c1',
  attempt: 'a1',
  brand: 'nimbus',
  module: 'backup-basics',
  moduleVersion: 1,
  certification: 'security-specialist',
  partner: 'harbor-it',
  person: 'Dana Reyes',
  score: 1,
  completedAt: '2026-11-25T12:00:00.000Z',
  record: null,
  code: 'LKP-0000-0000-0000',
  ...over,
});

describe('migration 0007 on a catalogue written before it', () => {
  it('adds the learning tables, keeps every row the old catalogue had, and the store works on it', () => {
    const { dir } = emptyCatalogue();
    const file = path.join(dir, 'old.sqlite');
    const old = Catalogue.openFile(file, { migrations: MIGRATIONS.slice(0, 6) });
    const bundle = readContentFolder(DEMO_CONTENT);
    // What a catalogue at schema 6 could hold: assets, the brand and its templates (no learning tables to write to).
    old.transaction(() => {
      for (const a of bundle.assets.values()) old.putAsset(a.bytes, a.name);
      old.saveBrand(bundle.brand);
      for (const t of bundle.templates) old.addTemplateVersion(t);
    });
    expect(old.db.pragma('user_version', { simple: true })).toBe(6);
    const before = dumpDatabase(old.db);
    old.close();

    const catalogue = Catalogue.openFile(file);
    expect(catalogue.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const after = dumpDatabase(catalogue.db);
    for (const table of Object.keys(before).filter((t) => t !== 'sqlite_master' && t !== 'user_version')) expect(after[table], table).toEqual(before[table]);
    for (const table of ['playbooks', 'training_modules', 'training_attempts', 'training_completions', 'playbook_progress']) expect(after[table], table).toEqual([]);

    const store = new LearningStore(catalogue);
    store.savePlaybook(pb());
    store.saveModule('nimbus', protectFast(moduleSource('security-specialist')));
    expect(store.listPlaybooks('nimbus').map((p) => p.playbook.id)).toEqual(['nimbus-quick-start']);
    expect(store.listModules('nimbus').map((m) => m.module.id)).toEqual(['backup-basics']);
    expect(catalogue.db.pragma('foreign_key_check')).toEqual([]);
    catalogue.close();
  });
});

describe('playbooks', () => {
  it('save, get, list, replace and delete; the body is canonical JSON; an unchanged save keeps updated_at', () => {
    const { catalogue } = seededCatalogue();
    const store = new LearningStore(catalogue);
    const seeded = store.listPlaybooks('nimbus').map((p) => p.playbook.id);
    store.savePlaybook(pb());
    const row = catalogue.db.prepare('SELECT body, updated_at FROM playbooks WHERE id = ?').get('nimbus-quick-start') as { body: string; updated_at: string };
    expect(row.body).toBe(canonicalJson(JSON.parse(row.body)));
    expect(store.getPlaybook('nimbus-quick-start')?.playbook).toEqual(pb());
    store.savePlaybook(pb());
    expect((catalogue.db.prepare('SELECT updated_at FROM playbooks WHERE id = ?').get('nimbus-quick-start') as { updated_at: string }).updated_at).toBe(row.updated_at);
    expect(store.listPlaybooks('nimbus').map((p) => p.playbook.id).sort()).toEqual([...seeded, 'nimbus-quick-start'].sort());
    expect(store.listPlaybooks('acme')).toEqual([]);

    // A replace is the whole list: the seeded one goes, ticks on the kept one stay.
    store.setStepDone('harbor-it', 'nimbus-quick-start', 'book', true);
    store.replacePlaybooks('nimbus', [pb({ version: 2, name: 'Quick start, revised' })]);
    expect(store.listPlaybooks().map((p) => [p.playbook.id, p.playbook.version])).toEqual([['nimbus-quick-start', 2]]);
    expect(store.playbookProgress('harbor-it', 'nimbus-quick-start')).toEqual(['book']);

    expect(store.deletePlaybook('other-brand', 'nimbus-quick-start')).toBe(false);
    expect(store.deletePlaybook('nimbus', 'nimbus-quick-start')).toBe(true);
    expect(store.getPlaybook('nimbus-quick-start')).toBeUndefined();
    expect(store.playbookProgress('harbor-it', 'nimbus-quick-start')).toEqual([]);
    catalogue.close();
  });

  it('refuses, changing nothing: an unknown brand, an image not in the catalogue, an id another brand owns, a list naming another brand', () => {
    const { catalogue } = seededCatalogue();
    const store = new LearningStore(catalogue);
    refusedUnchanged(catalogue, () => store.savePlaybook(pb({ brand: 'acme', id: 'acme-quick' })), 'brand-unknown');
    const missing = `sha256:${'0'.repeat(64)}`;
    refusedUnchanged(catalogue, () => store.savePlaybook(parsePlaybook(playbookInput('nimbus', 'product-one-pager-letter', {}, missing))), 'asset-missing');
    catalogue.db.prepare("INSERT INTO brands (id, name, format_version, created_at, updated_at) SELECT 'acme', 'Acme', format_version, created_at, updated_at FROM brands WHERE id = 'nimbus'").run();
    store.savePlaybook(pb());
    refusedUnchanged(catalogue, () => store.savePlaybook(pb({ brand: 'acme' })), 'forbidden');
    refusedUnchanged(catalogue, () => store.replacePlaybooks('acme', [pb()]), 'playbook-invalid');
    catalogue.close();
  });

  it('progress: ticked and unticked steps persist across a reopen of the file', () => {
    const { catalogue, dir } = seededCatalogue();
    const store = new LearningStore(catalogue);
    store.setStepDone('harbor-it', 'nimbus-launch-playbook', 'a', true, new Date('2026-11-25T10:00:00Z'));
    store.setStepDone('harbor-it', 'nimbus-launch-playbook', 'b', true, new Date('2026-11-25T11:00:00Z'));
    store.setStepDone('harbor-it', 'nimbus-launch-playbook', 'a', true, new Date('2026-11-25T12:00:00Z'));
    store.setStepDone('summit-msp', 'nimbus-launch-playbook', 'c', true);
    store.setStepDone('harbor-it', 'nimbus-launch-playbook', 'b', false);
    catalogue.close();
    const again = Catalogue.openDir(dir);
    expect(new LearningStore(again).playbookProgress('harbor-it', 'nimbus-launch-playbook')).toEqual(['a']);
    expect(new LearningStore(again).playbookProgress('summit-msp', 'nimbus-launch-playbook')).toEqual(['c']);
    again.close();
  });
});

describe('training modules', () => {
  it('the demo seed stores the protected module with its source; a re-import of the same folder keeps the protection', () => {
    const { catalogue } = emptyCatalogue();
    ensureDemoCatalogue(catalogue);
    const store = new LearningStore(catalogue);
    const [m] = store.listModules('nimbus');
    expect(m).toBeDefined();
    expect(m!.module.format).toBe('lockup.training-module');
    expect(m!.source?.format).toBe('lockup.training-source');
    expect(m!.module.protection.iterations).toBe(20_000);
    expect(JSON.stringify(m!.module)).not.toMatch(/"correct"\s*:/);
    const before = dumpDatabase(catalogue.db);
    importBundle(catalogue, readContentFolder(DEMO_CONTENT));
    const after = dumpDatabase(catalogue.db);
    expect(after['training_modules']).toEqual(before['training_modules']);
    catalogue.close();
  });

  it('save, get and list; a module must grant one of its brand’s certifications, and its source must be the same module', () => {
    const { catalogue } = seededCatalogue();
    const store = new LearningStore(catalogue);
    const source = parseTrainingSource(moduleSource('security-specialist'));
    const module = protectFast(source);
    store.saveModule('nimbus', module, source);
    expect(store.getModule('backup-basics')).toMatchObject({ brand: 'nimbus', module, source });
    expect(refusedUnchanged(catalogue, () => store.saveModule('nimbus', protectFast(moduleSource('no-such-cert'))), 'training-invalid').message).toMatch(/no-such-cert.*not one of Nimbus Systems's certifications/);
    refusedUnchanged(catalogue, () => store.saveModule('nimbus', module, { ...source, version: 2 }), 'internal');
    // A source is never stored as the shipped form.
    refusedUnchanged(catalogue, () => store.saveModule('nimbus', source as never), 'training-invalid');
    store.replaceModules('nimbus', [module]);
    expect(store.listModules().map((m) => [m.module.id, m.source])).toEqual([['backup-basics', null]]);
    store.replaceModules('nimbus', []);
    expect(store.listModules()).toEqual([]);
    catalogue.close();
  });
});

describe('attempts and completions', () => {
  it('records a start, then one graded result; a second submit is refused by the store and by the schema', () => {
    const { catalogue } = seededCatalogue();
    const store = new LearningStore(catalogue);
    const start = { id: 'a1', brand: 'nimbus', module: 'backup-basics', moduleVersion: 1, partner: 'harbor-it', person: 'Dana Reyes', drawn: ['copies', 'tested'], startedAt: '2026-11-25T12:00:00.000Z' };
    store.recordAttemptStart(start);
    expect(store.getAttempt('a1')).toEqual({ ...start, submittedAt: null, answers: null, score: null, passed: null });
    expect(store.attemptHistory('harbor-it', 'backup-basics')).toEqual([]);
    store.recordAttemptSubmit('a1', { submittedAt: '2026-11-25T12:05:00.000Z', answers: { copies: ['three'] }, score: 0.5, passed: false });
    expect(store.attemptHistory('harbor-it', 'backup-basics')).toEqual([{ moduleId: 'backup-basics', moduleVersion: 1, at: '2026-11-25T12:05:00.000Z', score: 0.5, passed: false }]);
    refusedUnchanged(catalogue, () => store.recordAttemptSubmit('a1', { submittedAt: '2026-11-25T12:06:00.000Z', answers: {}, score: 1, passed: true }), 'training-attempt-invalid');
    refusedUnchanged(catalogue, () => store.recordAttemptSubmit('nope', { submittedAt: '2026-11-25T12:06:00.000Z', answers: {}, score: 1, passed: true }), 'training-attempt-invalid');
    expect(() => catalogue.db.prepare("UPDATE training_attempts SET score = 1 WHERE id = 'a1'").run()).toThrow(/never changed/);
    expect(store.listAttempts('harbor-it').map((a) => a.id)).toEqual(['a1']);
    expect(store.listAttempts('summit-msp')).toEqual([]);
    catalogue.close();
  });

  it('completions give the partner the certification for that brand only; kept, and signed once', () => {
    const { catalogue } = seededCatalogue();
    const store = new LearningStore(catalogue);
    store.recordAttemptStart({ id: 'a1', brand: 'nimbus', module: 'backup-basics', moduleVersion: 1, partner: 'harbor-it', person: 'Dana Reyes', drawn: [], startedAt: '2026-11-25T12:00:00.000Z' });
    store.saveCompletion(completion());
    expect(store.earnedCertifications('nimbus', 'harbor-it')).toEqual(['security-specialist']);
    expect(store.earnedCertifications('nimbus', 'summit-msp')).toEqual([]);
    expect(store.earnedCertifications('acme', 'harbor-it')).toEqual([]);
    expect(store.listCompletions('harbor-it', 'nimbus').map((c) => c.id)).toEqual(['c1']);
    expect(store.completionOf('harbor-it', 'backup-basics')?.code).toBe('LKP-0000-0000-0000');
    expect(() => catalogue.db.prepare("DELETE FROM training_completions WHERE id = 'c1'").run()).toThrow(/kept/);

    store.setCompletionRecord('c1', new Uint8Array([1, 2, 3]), 'LKP-1111-2222-3333');
    expect(store.getCompletion('c1')).toMatchObject({ record: new Uint8Array([1, 2, 3]), code: 'LKP-1111-2222-3333' });
    expect(refusal(() => store.setCompletionRecord('c1', new Uint8Array([9]), 'LKP-9999-9999-9999')).code).toBe('completion-invalid');
    expect(() => catalogue.db.prepare("UPDATE training_completions SET score = 0 WHERE id = 'c1'").run()).toThrow(/never changed/);
    catalogue.close();
  });
});
