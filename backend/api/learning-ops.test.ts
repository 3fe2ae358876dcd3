import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../core/contracts/api.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { BACKUP_ANSWERS, BACKUP_FAIL, moduleSource, playbookInput } from '../../test/support/learning.ts';
import { PARTNERS } from '../../test/support/paths.ts';
import { Catalogue } from '../catalogue.ts';
import { completionFromPdf, verifyCompletion } from '../learning/completion.ts';
import { LearningStore } from '../learning/store.ts';
import { PackStore } from '../packs/store.ts';
import { ApiService } from './service.ts';

/**
 * The Learn area and the vendor's Playbooks tab through ApiService.dispatch,
 * against a real catalogue file seeded with the demo (brand "nimbus" is
 * authored here, so access follows the profile). Time is the service's
 * `clock` option, stepped by the tests over cool-downs.
 */

const T0 = new Date('2026-11-25T12:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

let catalogue: Catalogue;
let dir: string;
let clock = T0;
let service: ApiService;

const open = () => {
  service = new ApiService({ catalogue, dataDir: dir, transport: 'web', version: 'test', exportDir: path.join(dir, 'exports'), clock: () => clock });
};
const ok = <T = unknown>(op: string, input: unknown = {}) => callOk<T>(service, op, input);
const fails = (op: string, input: unknown = {}) => callFails(service, op, input);
/** A refused call: its error, after checking the catalogue did not change at all. */
const refused = async (op: string, input: unknown) => {
  const before = dumpDatabase(catalogue.db);
  const err = await callFails(service, op, input);
  expect(dumpDatabase(catalogue.db), `${op} changed the catalogue: ${err.code} ${err.message}`).toEqual(before);
  return err;
};

type Start = OpOutput<'training:start'>;
type Result = OpOutput<'training:submit'>;
type Overview = OpOutput<'learning:overview'>;

beforeAll(async () => {
  ({ catalogue, dir } = seededCatalogue());
  open();
});
afterAll(() => catalogue.close());

describe('before a profile exists', () => {
  it('the Learn area asks for one (profile-invalid)', async () => {
    expect((await fails('learning:overview')).code).toBe('profile-invalid');
    expect((await fails('training:start', { id: 'nimbus-security-essentials', person: 'Dana Reyes' })).code).toBe('profile-invalid');
  });

  it('the vendor imports a module and saves a gated playbook; a link to a missing template is refused and stores nothing', async () => {
    await ok('profile:save', { company: 'Harbor IT', contact: { phone: '(206) 555-0142', email: 'hello@harbor-it.example' }, tier: 'silver', certifications: [] });
    const imported = await ok<{ id: string; version: number }>('vendor:training-import', { brand: 'nimbus', source: JSON.stringify(moduleSource('nimbus-certified-engineer')) });
    expect(imported).toEqual({ id: 'backup-basics', version: 1 });
    const gated = playbookInput('nimbus', 'product-one-pager-letter', { id: 'security-plays', name: 'Security plays', access: { minTier: 'gold', orCertified: ['security-specialist'] } });
    expect(await ok('vendor:playbook-save', { playbook: gated })).toEqual({ id: 'security-plays', version: 1 });
    const err = await refused('vendor:playbook-save', { playbook: playbookInput('nimbus', 'no-such-template', { id: 'broken-plays' }) });
    expect(err.code).toBe('playbook-invalid');
    expect(err.message).toMatch(/links to template "no-such-template", which the brand does not have/);
    expect(new LearningStore(catalogue).getPlaybook('broken-plays')).toBeUndefined();
  });
});

describe('the partner’s Learn area', () => {
  it('overview: playbooks with access and progress, modules with status and what their certification unlocks', async () => {
    const o = await ok<Overview>('learning:overview');
    expect(o.playbooks.map((p) => [p.id, p.available]).sort()).toEqual([
      ['nimbus-launch-playbook', true],
      ['security-plays', false],
    ]);
    const gated = o.playbooks.find((p) => p.id === 'security-plays')!;
    expect(gated.reasons).toEqual(['Gold partners only', expect.stringMatching(/^or become Nimbus Security Specialist$/i)]);
    expect(gated.progress).toEqual({ done: 0, total: 2 });
    const demo = o.modules.find((m) => m.id === 'nimbus-security-essentials')!;
    expect(demo).toMatchObject({ brand: 'nimbus', brandName: 'Nimbus Systems', draw: 10, bank: 14, passMark: 0.8, attemptLimit: 3, cooldownMinutes: 30, earned: null });
    expect(demo.status).toEqual({ state: 'open', failures: 0, attemptsLeft: 3, until: null, best: null });
    expect(demo.grants).toMatchObject({ id: 'security-specialist', name: 'Nimbus Security Specialist', brand: 'nimbus' });
    expect(demo.grants.unlocks.templates.map((t) => t.id)).toEqual(['advanced-security-one-pager']);
    expect(demo.grants.unlocks.playbooks.map((p) => p.id)).toEqual(['security-plays']);
    expect(o.certifications).toEqual([]);
    expect(o.earned).toEqual([]);
  });

  it('playbook:open shows the playbook, its templates with availability and the steps done; a closed one is playbook-not-entitled', async () => {
    const r = await ok<OpOutput<'playbook:open'>>('playbook:open', { id: 'nimbus-launch-playbook' });
    expect(r.playbook.id).toBe('nimbus-launch-playbook');
    expect(r.brandName).toBe('Nimbus Systems');
    expect(r.templates.length).toBeGreaterThan(0);
    expect(r.templates.find((t) => t.id === 'product-one-pager-letter')).toMatchObject({ available: true, reasons: [] });
    expect(r.done).toEqual([]);
    const closed = await refused('playbook:open', { id: 'security-plays' });
    expect(closed.code).toBe('playbook-not-entitled');
    expect(closed.message).toMatch(/"Security plays" is not available to Harbor IT: Gold partners only/);
    expect((await refused('playbook:open', { id: 'no-such-playbook' })).code).toBe('playbook-unknown');
    expect((await refused('playbook:step', { id: 'security-plays', step: 'book', done: true })).code).toBe('playbook-not-entitled');
  });

  it('ticked steps persist across a reopen of the catalogue file; an unknown step is refused', async () => {
    await ok('playbook:step', { id: 'nimbus-launch-playbook', step: 'rc-list', done: true });
    await ok('playbook:step', { id: 'nimbus-launch-playbook', step: 'rc-invite', done: true });
    expect(await ok('playbook:step', { id: 'nimbus-launch-playbook', step: 'rc-list', done: false })).toEqual({ done: ['rc-invite'] });
    expect(await ok('playbook:step', { id: 'nimbus-launch-playbook', step: 'pr-close', done: true })).toEqual({ done: ['rc-invite', 'pr-close'] });
    expect((await refused('playbook:step', { id: 'nimbus-launch-playbook', step: 'no-such-step', done: true })).code).toBe('invalid-argument');

    catalogue.close();
    catalogue = Catalogue.openDir(dir);
    open();
    expect((await ok<OpOutput<'playbook:open'>>('playbook:open', { id: 'nimbus-launch-playbook' })).done.sort()).toEqual(['pr-close', 'rc-invite']);
    const card = (await ok<Overview>('learning:overview')).playbooks.find((p) => p.id === 'nimbus-launch-playbook')!;
    expect(card.progress).toEqual({ done: 2, total: 10 });
  });

  it('playbook:export writes the co-branded PDF into the export folder', async () => {
    const r = await ok<OpOutput<'playbook:export'>>('playbook:export', { id: 'nimbus-launch-playbook', path: null });
    expect(r.fileName).toMatch(/-harbor-it\.pdf$/);
    expect(path.dirname(r.path)).toBe(path.join(dir, 'exports'));
    expect(r.pages).toBeGreaterThan(2);
    const bytes = fs.readFileSync(r.path);
    expect(bytes.byteLength).toBe(r.byteLength);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await fails('playbook:export', { id: 'nimbus-launch-playbook', path: path.join(dir, 'exports', 'x.txt') })).code).toBe('invalid-argument');
  });
});

describe('training: attempts, cool-down and the limit', () => {
  let attempt: Start;

  it('training:open gives the card and the lessons; an unknown module is training-unknown', async () => {
    const r = await ok<OpOutput<'training:open'>>('training:open', { id: 'backup-basics' });
    expect(r.card).toMatchObject({ id: 'backup-basics', version: 1, lessons: 2, draw: 4, bank: 4, passMark: 0.75, grants: { id: 'nimbus-certified-engineer' } });
    expect(r.lessons.map((l) => l.id)).toEqual(['why', '3-2-1']);
    expect((await refused('training:open', { id: 'no-such-module' })).code).toBe('training-unknown');
    expect((await refused('training:start', { id: 'no-such-module', person: 'Dana Reyes' })).code).toBe('training-unknown');
  });

  it('start draws the questions without any answer data and records the attempt', async () => {
    attempt = await ok<Start>('training:start', { id: 'backup-basics', person: 'Dana Reyes' });
    expect(attempt.passMark).toBe(0.75);
    expect(attempt.questions.map((q) => q.id).sort()).toEqual(['copies', 'media', 'offline', 'tested']);
    for (const q of attempt.questions) expect(Object.keys(q).sort()).toEqual(['id', 'kind', 'options', 'prompt']);
    expect(JSON.stringify(attempt)).not.toMatch(/"(answer|tag|marks|correct)"/);
    expect(new LearningStore(catalogue).getAttempt(attempt.attempt)).toMatchObject({ person: 'Dana Reyes', partner: 'harbor-it', submittedAt: null });
    expect((await refused('training:start', { id: 'backup-basics', person: 'Dana\u202eReyes' })).code).toBe('invalid-argument');
  });

  it('bad submissions are refused with training-attempt-invalid and change nothing', async () => {
    expect((await refused('training:submit', { attempt: 'no-such-attempt', answers: {} })).code).toBe('training-attempt-invalid');
    const stray = await refused('training:submit', { attempt: attempt.attempt, answers: { ...BACKUP_ANSWERS, 'not-drawn': ['x'] } });
    expect(stray.code).toBe('training-attempt-invalid');
    expect(stray.message).toMatch(/not drawn: not-drawn/);
  });

  it('a failed attempt is graded and recorded; the next start is refused until the cool-down ends, saying until when', async () => {
    clock = minutes(5);
    const r = await ok<Result>('training:submit', { attempt: attempt.attempt, answers: BACKUP_FAIL });
    expect(r).toMatchObject({ attempt: attempt.attempt, score: 0.5, passMark: 0.75, passed: false, granted: null, earned: null });
    expect(r.questions.find((q) => q.id === 'copies')).toEqual({ id: 'copies', points: 1, correct: true, explanation: 'The first number of the rule counts the copies.' });
    expect(r.questions.find((q) => q.id === 'offline')).toMatchObject({ points: 0, correct: false });
    expect(r.status).toEqual({ state: 'cooldown', failures: 1, attemptsLeft: 2, until: minutes(35).toISOString(), best: 0.5 });

    const twice = await refused('training:submit', { attempt: attempt.attempt, answers: BACKUP_ANSWERS });
    expect(twice.code).toBe('training-attempt-invalid');
    expect(twice.message).toMatch(/already submitted/);

    clock = minutes(15);
    const wait = await refused('training:start', { id: 'backup-basics', person: 'Dana Reyes' });
    expect(wait.code).toBe('training-not-allowed');
    expect(wait.message).toBe('You can try “Backup basics” again in 20 minutes, from 2026-11-25 12:35 UTC.');
    expect(wait.details).toEqual({ reason: 'cooldown', until: minutes(35).toISOString() });
    // Another name at the same partner does not step round it: attempts count per partner.
    expect((await refused('training:start', { id: 'backup-basics', person: 'Sam Lee' })).code).toBe('training-not-allowed');
  });

  it('from the end of the cool-down a new attempt may start; a superseded one can no longer be submitted', async () => {
    clock = minutes(35);
    const first = await ok<Start>('training:start', { id: 'backup-basics', person: 'Dana Reyes' });
    const second = await ok<Start>('training:start', { id: 'backup-basics', person: 'Dana Reyes' });
    const err = await refused('training:submit', { attempt: first.attempt, answers: BACKUP_ANSWERS });
    expect(err).toMatchObject({ code: 'training-attempt-invalid', message: expect.stringMatching(/newer attempt/) });
    clock = minutes(40);
    expect((await ok<Result>('training:submit', { attempt: second.attempt, answers: BACKUP_FAIL })).status).toMatchObject({ state: 'cooldown', failures: 2, attemptsLeft: 1 });
  });

  it('after the last failed attempt the module is exhausted', async () => {
    clock = minutes(70);
    const a = await ok<Start>('training:start', { id: 'backup-basics', person: 'Dana Reyes' });
    const r = await ok<Result>('training:submit', { attempt: a.attempt, answers: { copies: ['one'] } });
    expect(r.status).toEqual({ state: 'exhausted', failures: 3, attemptsLeft: 0, until: null, best: 0.5 });
    clock = minutes(60 * 24 * 30);
    const err = await refused('training:start', { id: 'backup-basics', person: 'Dana Reyes' });
    expect(err).toMatchObject({ code: 'training-not-allowed', details: { reason: 'exhausted', until: null } });
    expect(err.message).toMatch(/All 3 attempts at “Backup basics” are used/);
  });
});

describe('a pass grants the certification', () => {
  it('before: the advanced security one-pager and the security playbook are closed', async () => {
    const list = await ok<OpOutput<'templates:list'>>('templates:list');
    expect(list.find((t) => t.id === 'advanced-security-one-pager')?.available).toBe(false);
    expect((await fails('template:open', { id: 'advanced-security-one-pager' })).code).toBe('template-not-entitled');
  });

  it('passing the demo module records a signed completion and lists what the certification unlocks', async () => {
    clock = minutes(60 * 24 * 31);
    const a = await ok<Start>('training:start', { id: 'nimbus-security-essentials', person: 'Dana Reyes' });
    expect(a.questions).toHaveLength(10);
    const source = new LearningStore(catalogue).getModule('nimbus-security-essentials')!.source!;
    const correct = new Map(source.quiz.questions.map((q) => [q.id, q.correct]));
    const answers = Object.fromEntries(a.questions.map((q) => [q.id, correct.get(q.id)!]));
    const r = await ok<Result>('training:submit', { attempt: a.attempt, answers });
    expect(r).toMatchObject({ score: 1, passed: true, status: { state: 'passed', failures: 0 } });
    expect(r.granted).toMatchObject({ id: 'security-specialist', name: 'Nimbus Security Specialist', brand: 'nimbus' });
    expect(r.granted!.unlocks.templates.map((t) => t.id)).toEqual(['advanced-security-one-pager']);
    expect(r.granted!.unlocks.playbooks.map((p) => p.id)).toEqual(['security-plays']);
    expect(r.earned).toMatchObject({ module: 'nimbus-security-essentials', moduleTitle: 'Nimbus security essentials', certification: 'security-specialist', person: 'Dana Reyes', score: 1, at: clock.toISOString() });
    expect(r.earned!.code).toMatch(/^LKP-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const row = new LearningStore(catalogue).completionOf('harbor-it', 'nimbus-security-essentials')!;
    expect(row.code).toBe(r.earned!.code);
    expect(row.record?.byteLength).toBeGreaterThan(100);

    const again = await refused('training:start', { id: 'nimbus-security-essentials', person: 'Dana Reyes' });
    expect(again).toMatchObject({ code: 'training-not-allowed', details: { reason: 'passed' } });
  });

  it('after: the template is available in the gallery and opens; the playbook opens; the overview lists the certification and the completion', async () => {
    const list = await ok<OpOutput<'templates:list'>>('templates:list');
    expect(list.find((t) => t.id === 'advanced-security-one-pager')).toMatchObject({ available: true, reasons: [] });
    expect(catalogue.templatesFor(catalogue.getProfile('harbor-it')).find((t) => t.id === 'advanced-security-one-pager')!.decision.allowed).toBe(true);
    expect((await ok<OpOutput<'template:open'>>('template:open', { id: 'advanced-security-one-pager' })).template.id).toBe('advanced-security-one-pager');
    expect((await ok<OpOutput<'playbook:open'>>('playbook:open', { id: 'security-plays' })).playbook.id).toBe('security-plays');
    // The Gold-only case study stays closed: the certification is only the alternative route of the one-pager.
    expect(list.find((t) => t.id === 'case-study-gold')?.available).toBe(false);

    const o = await ok<Overview>('learning:overview');
    expect(o.certifications).toEqual([expect.objectContaining({ id: 'security-specialist', brand: 'nimbus', source: 'training' })]);
    expect(o.earned.map((e) => e.module)).toEqual(['nimbus-security-essentials']);
    expect(o.modules.find((m) => m.id === 'nimbus-security-essentials')!.earned?.code).toMatch(/^LKP-/);
    expect(o.playbooks.find((p) => p.id === 'security-plays')!.available).toBe(true);
  });

  it('exports the certificate PDF (record attached) and the completion file; both verify, and only they (not any file) can be downloaded', async () => {
    const cert = await ok<OpOutput<'certificate:export'>>('certificate:export', { module: 'nimbus-security-essentials' });
    expect(cert.fileName).toMatch(/^certificate-nimbus-security-essentials-dana-reyes\.pdf$/);
    expect(path.dirname(cert.path)).toBe(path.join(dir, 'exports'));
    const pdf = new Uint8Array(fs.readFileSync(cert.path));
    expect(spawnSync('qpdf', ['--check', cert.path], { encoding: 'utf8' }).status).toBe(0);
    const text = execFileSync('pdftotext', [cert.path, '-'], { encoding: 'utf8' });
    for (const s of ['Dana Reyes', 'Harbor IT', 'Nimbus security essentials', 'Nimbus Security Specialist', cert.code]) expect(text).toContain(s);
    const fromPdf = verifyCompletion(await completionFromPdf(pdf), clock);
    expect(fromPdf.claims).toMatchObject({ person: 'Dana Reyes', partner: { id: 'harbor-it', name: 'Harbor IT' }, module: { id: 'nimbus-security-essentials' }, certification: { id: 'security-specialist' }, score: 1 });
    expect(fromPdf.code).toBe(cert.code);

    const file = await ok<OpOutput<'completion:export'>>('completion:export', { module: 'nimbus-security-essentials' });
    expect(file.fileName).toBe(`nimbus-security-essentials-dana-reyes-${cert.code}.lockup-completion`);
    expect(verifyCompletion(new Uint8Array(fs.readFileSync(file.path)), clock).code).toBe(cert.code);
    expect(file.code).toBe(cert.code);

    for (const f of [cert, file]) expect((await ok<OpOutput<'export:download'>>('export:download', { path: f.path })).fileName).toBe(f.fileName);
    const stray = path.join(dir, 'exports', 'not-exported.pdf');
    fs.writeFileSync(stray, pdf);
    expect((await fails('export:download', { path: stray })).code).toBe('forbidden');
    // A module not passed has nothing to export, and a path with the wrong extension is refused.
    expect((await refused('certificate:export', { module: 'backup-basics' })).code).toMatch(/training-not-allowed|training-unknown/);
    expect((await refused('completion:export', { module: 'nimbus-security-essentials', path: path.join(dir, 'exports', 'x.pdf') })).code).toBe('invalid-argument');
  });
});

describe('the vendor’s Playbooks tab', () => {
  it('lists, gets, saves new versions only on change, and deletes', async () => {
    const summaries = await ok<OpOutput<'vendor:playbooks'>>('vendor:playbooks', { brand: 'nimbus' });
    expect(summaries.map((s) => s.id).sort()).toEqual(['nimbus-launch-playbook', 'security-plays']);
    expect(summaries.find((s) => s.id === 'security-plays')).toMatchObject({ version: 1, sections: 2, plays: 1 });
    const pb = await ok<OpOutput<'vendor:playbook-get'>>('vendor:playbook-get', { brand: 'nimbus', id: 'security-plays' });
    const before = dumpDatabase(catalogue.db);
    expect(await ok('vendor:playbook-save', { playbook: pb })).toEqual({ id: 'security-plays', version: 1 });
    expect(dumpDatabase(catalogue.db)).toEqual(before);
    expect(await ok('vendor:playbook-save', { playbook: { ...pb, name: 'Security plays, revised' } })).toEqual({ id: 'security-plays', version: 2 });
    expect((await refused('vendor:playbook-get', { brand: 'nimbus', id: 'no-such-playbook' })).code).toBe('playbook-unknown');
    expect((await refused('vendor:playbook-save', { playbook: { ...pb, sections: [] } })).code).toBe('playbook-invalid');
    // Two editors: a "new" playbook over an existing id, or an edit of a version that is no longer the stored one, is refused, not silently replaced.
    const taken = await refused('vendor:playbook-save', { playbook: { ...pb, name: 'Another playbook' }, base: null });
    expect(taken).toMatchObject({ code: 'playbook-invalid', message: expect.stringMatching(/already exists/) });
    const stale = await refused('vendor:playbook-save', { playbook: { ...pb, name: 'Security plays, edited from version 1' }, base: 1 });
    expect(stale).toMatchObject({ code: 'playbook-invalid', message: expect.stringMatching(/changed elsewhere.*version 2 is stored now, you edited version 1/) });
    expect(await ok('vendor:playbook-save', { playbook: { ...pb, name: 'Security plays, third' }, base: 2 })).toEqual({ id: 'security-plays', version: 3 });
    expect(await ok('vendor:playbook-delete', { brand: 'nimbus', id: 'security-plays' })).toEqual({ deleted: true });
    expect(await ok('vendor:playbook-delete', { brand: 'nimbus', id: 'security-plays' })).toEqual({ deleted: false });
  });

  it('takes in a playbook image like a logo; a broken one stores nothing', async () => {
    const data = fs.readFileSync(path.join(PARTNERS, 'logos', 'harbor-it-light.png')).toString('base64');
    const img = await ok<OpOutput<'vendor:playbook-image'>>('vendor:playbook-image', { name: 'hero.png', data });
    expect(img.ref).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(img.width).toBeGreaterThan(0);
    expect(catalogue.hasAsset(img.ref)).toBe(true);
    const withImage = playbookInput('nimbus', 'product-one-pager-letter', { id: 'with-image' }, img.ref);
    expect(await ok('vendor:playbook-save', { playbook: withImage })).toEqual({ id: 'with-image', version: 1 });
    expect((await refused('vendor:playbook-image', { name: 'hero.png', data: Buffer.from('not a png').toString('base64') })).code).toMatch(/^image-/);
  });

  it('training import: a new version only when the source changed; bad JSON and an unknown certification refused', async () => {
    const list = await ok<OpOutput<'vendor:training'>>('vendor:training', { brand: 'nimbus' });
    expect(list.map((m) => [m.id, m.version, m.grants, m.questions, m.draw]).sort()).toEqual([
      ['backup-basics', 1, 'nimbus-certified-engineer', 4, 4],
      ['nimbus-security-essentials', 1, 'security-specialist', 14, 10],
    ]);
    const same = moduleSource('nimbus-certified-engineer');
    const before = dumpDatabase(catalogue.db);
    expect(await ok('vendor:training-import', { brand: 'nimbus', source: JSON.stringify(same) })).toEqual({ id: 'backup-basics', version: 1 });
    expect(dumpDatabase(catalogue.db)).toEqual(before);
    expect(await ok('vendor:training-import', { brand: 'nimbus', source: JSON.stringify({ ...same, title: 'Backup basics, revised' }) })).toEqual({ id: 'backup-basics', version: 2 });
    const stored = new LearningStore(catalogue).getModule('backup-basics')!;
    expect(stored.module).toMatchObject({ format: 'lockup.training-module', version: 2, title: 'Backup basics, revised' });
    expect(stored.source).toMatchObject({ format: 'lockup.training-source', version: 2 });
    expect((await refused('vendor:training-import', { brand: 'nimbus', source: '{"format": ' })).code).toBe('json-invalid');
    const unknown = await refused('vendor:training-import', { brand: 'nimbus', source: JSON.stringify(moduleSource('nobody-certified')) });
    expect(unknown.code).toBe('training-invalid');
    expect(unknown.message).toMatch(/"nobody-certified", which is not one of Nimbus Systems's certifications/);
    expect((await refused('vendor:training-import', { brand: 'nimbus', source: JSON.stringify(stored.module) })).code).toBe('training-invalid');
  });

  it('a brand that came in a signed pack is read-only here', async () => {
    const packs = new PackStore(catalogue);
    catalogue.transaction(() => {
      packs.savePublisher('nimbus', 'Nimbus Systems', 'A'.repeat(43) + '=', false);
      packs.setBrandPublisher('nimbus', 'nimbus');
    });
    const pb = await ok<OpOutput<'vendor:playbook-get'>>('vendor:playbook-get', { brand: 'nimbus', id: 'with-image' });
    expect((await refused('vendor:playbook-save', { playbook: { ...pb, name: 'Changed' } })).code).toBe('read-only');
    expect((await refused('vendor:playbook-delete', { brand: 'nimbus', id: 'with-image' })).code).toBe('read-only');
    expect((await refused('vendor:training-import', { brand: 'nimbus', source: JSON.stringify(moduleSource('nimbus-certified-engineer', { title: 'Other' })) })).code).toBe('read-only');
  });
});
