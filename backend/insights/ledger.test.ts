import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../core/contracts/api.ts';
import type { PartnerDocument } from '../../core/model/index.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { emptyCatalogue, seededCatalogue } from '../../test/support/catalogue.ts';
import { BACKUP_ANSWERS, BACKUP_FAIL, moduleSource } from '../../test/support/learning.ts';
import { PARTNERS } from '../../test/support/paths.ts';
import { ApiService } from '../api/service.ts';
import type { Catalogue } from '../catalogue.ts';
import { ledgerEvents, ledgerLog, recordActivity, type ActivityRow } from './ledger.ts';

/**
 * The activity ledger (docs/decisions/0027): append-only in SQLite, fed by
 * the app's own operations (through the real ApiService on a seeded
 * catalogue file), and the insights ops that export and import reports.
 */

const T0 = new Date('2026-11-25T12:00:00.000Z');
let catalogue: Catalogue;
let dir: string;
let clock = T0;
let service: ApiService;
const ok = <T = unknown>(op: string, input: unknown = {}) => callOk<T>(service, op, input);
const events = (): ActivityRow[] => [...ledgerEvents(catalogue)];

beforeAll(async () => {
  ({ catalogue, dir } = seededCatalogue());
  service = new ApiService({ catalogue, dataDir: dir, transport: 'web', version: 'test', exportDir: path.join(dir, 'exports'), clock: () => clock });
  const logo = await ok<{ ref: string }>('logo:intake', { name: 'harbor.png', data: fs.readFileSync(path.join(PARTNERS, 'logos', 'harbor-it-light.png')).toString('base64') });
  await ok('profile:save', { company: 'Harbor IT', contact: { email: 'hello@harbor-it.example' }, tier: 'silver', region: 'emea', logo: { light: logo.ref }, certifications: [] });
});
afterAll(() => catalogue.close());

describe('the ledger is append-only', () => {
  it('records, and refuses UPDATE and DELETE in SQLite itself', () => {
    const { catalogue: c } = emptyCatalogue();
    try {
      recordActivity(c, { kind: 'template-open', subject: 't1', brand: 'b', partner: 'p1' }, T0);
      recordActivity(c, { kind: 'quiz-result', subject: 'm1', brand: null, partner: null, data: { score: 0.5, passed: false } }, T0);
      expect([...ledgerEvents(c)]).toEqual([
        { seq: 1, at: T0.toISOString(), kind: 'template-open', subject: 't1', brand: 'b', partner: 'p1', data: {} },
        { seq: 2, at: T0.toISOString(), kind: 'quiz-result', subject: 'm1', brand: null, partner: null, data: { score: 0.5, passed: false } },
      ]);
      expect(() => c.db.prepare("UPDATE activity_ledger SET subject = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
      expect(() => c.db.prepare('DELETE FROM activity_ledger WHERE seq = 1').run()).toThrow(/append-only/);
      expect(() => c.db.prepare('DELETE FROM activity_ledger').run()).toThrow(/append-only/);
      expect([...ledgerEvents(c)]).toHaveLength(2);
    } finally {
      c.close();
    }
  });

  it('a failure to record never throws: it is logged', () => {
    const { catalogue: c } = emptyCatalogue();
    const warned: string[] = [];
    const warn = ledgerLog.warn;
    ledgerLog.warn = (m) => void warned.push(m);
    try {
      c.db.exec('CREATE TRIGGER refuse BEFORE INSERT ON activity_ledger BEGIN SELECT RAISE(ABORT, \'disk says no\'); END;');
      expect(() => recordActivity(c, { kind: 'export', subject: 't', brand: null })).not.toThrow();
      expect(warned).toEqual([expect.stringMatching(/Could not record export "t" in the activity ledger: disk says no/)]);
      recordActivity(c, { kind: 'export', subject: 't', brand: null, data: { note: 'x'.repeat(1001) } });
      expect(warned[1]).toMatch(/Could not record export "t" in the activity ledger: it does not fit an activity report: data.note/);
      expect([...ledgerEvents(c)]).toEqual([]);
    } finally {
      ledgerLog.warn = warn;
      c.close();
    }
  });
});

describe('the app records what the partner does', () => {
  it('template:open and export:pdf (screen and print) record template-open and export, for the current profile', async () => {
    const before = events().length;
    const opened = await ok<{ document: PartnerDocument }>('template:open', { id: 'product-one-pager-letter' });
    await ok<OpOutput<'export:pdf'>>('export:pdf', { document: opened.document, output: 'screen', path: path.join(dir, 'exports', 'one.pdf') });
    await ok<OpOutput<'export:pdf'>>('export:pdf', { document: opened.document, output: 'print', path: path.join(dir, 'exports', 'one-print.pdf') });
    const profile = catalogue.getSetting('current-profile');
    expect(events().slice(before).map(({ kind, subject, brand, partner, data }) => ({ kind, subject, brand, partner, data }))).toEqual([
      { kind: 'template-open', subject: 'product-one-pager-letter', brand: 'nimbus', partner: profile, data: {} },
      { kind: 'export', subject: 'product-one-pager-letter', brand: 'nimbus', partner: profile, data: { profile: 'screen' } },
      { kind: 'export', subject: 'product-one-pager-letter', brand: 'nimbus', partner: profile, data: { profile: 'print' } },
    ]);
  });

  it('a batch records an export per PDF through the export ledger (Catalogue.recordExports, which batches call)', () => {
    const before = events().length;
    const entry = { tool: 'batch' as const, batchId: 'b1', templateId: 'product-one-pager-letter', templateVersion: 1, company: 'X', outputProfile: 'print' as const, outputSha256: '0'.repeat(64), byteLength: 1, inputsSha256: '0'.repeat(64), warnings: 0 };
    catalogue.recordExports([
      { ...entry, partnerId: 'row-1', outputPath: path.join(dir, 'b', '1.pdf') },
      { ...entry, partnerId: 'row-2', outputPath: path.join(dir, 'b', '2.pdf') },
    ]);
    expect(events().slice(before).map((e) => [e.kind, e.subject, e.partner, e.data['profile']])).toEqual([
      ['export', 'product-one-pager-letter', 'row-1', 'print'],
      ['export', 'product-one-pager-letter', 'row-2', 'print'],
    ]);
  });

  it('playbook steps, a playbook export and quiz results (a fail, then a pass) are recorded', async () => {
    const before = events().length;
    await ok('playbook:step', { id: 'nimbus-launch-playbook', step: 'rc-list', done: true });
    await ok('playbook:step', { id: 'nimbus-launch-playbook', step: 'rc-list', done: false });
    await ok('playbook:export', { id: 'nimbus-launch-playbook', path: null });
    await ok('vendor:training-import', { brand: 'nimbus', source: JSON.stringify(moduleSource('nimbus-certified-engineer', {}, { cooldownMinutes: 0 })) });
    const a1 = await ok<{ attempt: string }>('training:start', { id: 'backup-basics', person: 'Dana Reyes' });
    expect((await ok<{ passed: boolean }>('training:submit', { attempt: a1.attempt, answers: BACKUP_FAIL })).passed).toBe(false);
    clock = new Date(T0.getTime() + 3_600_000);
    const a2 = await ok<{ attempt: string }>('training:start', { id: 'backup-basics', person: 'Dana Reyes' });
    expect((await ok<{ passed: boolean }>('training:submit', { attempt: a2.attempt, answers: BACKUP_ANSWERS })).passed).toBe(true);
    expect(events().slice(before).map(({ kind, subject, brand, data }) => ({ kind, subject, brand, data }))).toEqual([
      { kind: 'playbook-step', subject: 'nimbus-launch-playbook', brand: 'nimbus', data: { step: 'rc-list', done: true } },
      { kind: 'playbook-step', subject: 'nimbus-launch-playbook', brand: 'nimbus', data: { step: 'rc-list', done: false } },
      { kind: 'playbook-export', subject: 'nimbus-launch-playbook', brand: 'nimbus', data: {} },
      { kind: 'quiz-result', subject: 'backup-basics', brand: 'nimbus', data: { score: 0.5, passed: false } },
      { kind: 'quiz-result', subject: 'backup-basics', brand: 'nimbus', data: { score: 1, passed: true } },
    ]);
    expect(events().slice(before).map((e) => e.at)).toEqual([T0, T0, T0, T0, clock].map((d) => d.toISOString()));
  });

  it('insights:activity counts by kind and lists the latest first, in words', async () => {
    const a = await ok<OpOutput<'insights:activity'>>('insights:activity');
    expect(a.total).toBe(events().length);
    expect(a.counts).toMatchObject({ 'template-open': 1, export: 4, 'playbook-step': 2, 'playbook-export': 1, 'quiz-result': 2 });
    expect(a.latest[0]).toMatchObject({ kind: 'quiz-result', subject: 'backup-basics', summary: 'Passed module backup-basics (100%)' });
    expect(a.latest.map((e) => e.seq)).toEqual([...a.latest.map((e) => e.seq)].sort((x, y) => y - x));
  });
});

describe('the insights ops: report, import, aggregate', () => {
  it('the partner exports its report, a distributor imports it twice (then already imported) and exports its aggregate; files are downloadable', async () => {
    const report = await ok<OpOutput<'insights:report-export'>>('insights:report-export', { path: null });
    expect(report.fileName).toMatch(/^harbor-it-activity-\d{4}-\d{2}-\d{2}\.lockup-activity$/);
    expect(path.dirname(report.path)).toBe(path.join(dir, 'exports'));
    expect(report.events).toBe(events().length);
    expect(fs.statSync(report.path).size).toBe(report.byteLength);
    const down = await ok<{ data: string }>('export:download', { path: report.path });
    expect(Buffer.from(down.data, 'base64').equals(fs.readFileSync(report.path))).toBe(true);
    expect((await callFails(service, 'insights:report-export', { path: path.join(dir, 'r.txt') })).code).toBe('invalid-argument');

    const { catalogue: dc, dir: ddir } = emptyCatalogue();
    try {
      const distributor = new ApiService({ catalogue: dc, dataDir: ddir, transport: 'web', version: 'test', exportDir: path.join(ddir, 'exports') });
      const data = fs.readFileSync(report.path).toString('base64');
      const first = await callOk<OpOutput<'insights:import'>>(distributor, 'insights:import', { name: report.fileName, data });
      expect(first).toMatchObject({ kind: 'partner', issuer: { id: catalogue.getSetting('current-profile'), name: 'Harbor IT' }, events: report.events, added: report.events, duplicates: 0, partners: 1, alreadyImported: false });
      const again = await callOk<OpOutput<'insights:import'>>(distributor, 'insights:import', { name: report.fileName, data });
      expect(again).toMatchObject({ events: report.events, added: 0, duplicates: report.events, alreadyImported: true });
      const imports = await callOk<OpOutput<'insights:imports'>>(distributor, 'insights:imports');
      expect(imports).toEqual([{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), kind: 'partner', issuer: expect.stringMatching(/^Harbor IT \(/), events: report.events, added: report.events, importedAt: expect.any(String) }]);
      // Only a distributor exports an aggregate: refused, and nothing written, until the catalogue is one.
      const before = dumpDatabase(dc.db);
      expect((await callFails(distributor, 'insights:aggregate-export', { path: null })).code).toBe('forbidden');
      expect(dumpDatabase(dc.db)).toEqual(before);
      expect(fs.existsSync(path.join(ddir, 'exports'))).toBe(false);
      dc.setSetting('role', 'distributor');
      const agg = await callOk<OpOutput<'insights:aggregate-export'>>(distributor, 'insights:aggregate-export', { path: null });
      expect(agg).toMatchObject({ events: report.events, partners: 1 });
      expect((await callOk<{ shown: boolean }>(distributor, 'file:reveal', { path: agg.path })).shown).toBe(false);
      expect((await callFails(distributor, 'export:download', { path: report.path })).code).toBe('forbidden');
      const bad = await callFails(distributor, 'insights:import', { name: 'x.lockup-activity', data: Buffer.from('{"format":"other"}\n').toString('base64') });
      expect(bad.code).toBe('report-invalid');
    } finally {
      dc.close();
    }
  });
});
