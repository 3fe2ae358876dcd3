import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LockupError } from '../../core/errors.ts';
import { eventLineText, signedMessage } from '../../core/insights/report.ts';
import { loadProfile, type PartnerProfile } from '../../core/model/index.ts';
import { emptyCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { tempDir } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { installKey } from '../learning/completion.ts';
import { fingerprint, generateSigningKey, signBytes } from '../packs/keys.ts';
import { writeSyntheticReport } from './generate.ts';
import { importReportBytes, importReportFile, verifyReportFile } from './import.ts';
import { recordActivity } from './ledger.ts';
import { exportAggregate, exportPartnerReport, ReportWriter, reportHeader } from './report.ts';

/**
 * Reports end to end on real catalogue files: partner → distributor →
 * vendor, dedupe and idempotence, every kind of damage refused with its
 * code and nothing written, and the streaming reader with tiny chunks.
 */

const open: Catalogue[] = [];
const work = tempDir('lockup-insights-');
afterAll(() => open.forEach((c) => c.close()));

function fresh(): Catalogue {
  const { catalogue } = emptyCatalogue();
  open.push(catalogue);
  return catalogue;
}

function partner(id: string, company: string, dims: { tier?: string; region?: string } = {}): { catalogue: Catalogue; profile: PartnerProfile } {
  const catalogue = fresh();
  const profile = loadProfile({ id, company, ...dims });
  catalogue.saveProfile(profile);
  catalogue.setSetting('current-profile', id);
  return { catalogue, profile };
}

const at = (day: number) => new Date(Date.UTC(2026, 2, day, 10));
let n = 0;
const file = (name: string) => path.join(work, `${++n}-${name}.lockup-activity`);
const count = (c: Catalogue, table: string) => (c.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Refused with `code`, and the catalogue exactly as before. */
function refused(c: Catalogue, bytes: Uint8Array | string, code: string, message?: RegExp): LockupError {
  const before = dumpDatabase(c.db);
  let caught: unknown;
  try {
    importReportBytes(c, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  } catch (err) {
    caught = err;
  }
  expect(caught, 'the import was not refused').toBeInstanceOf(LockupError);
  const err = caught as LockupError;
  expect(`${err.code}: ${err.message}`).toMatch(new RegExp(`^${code}: `));
  if (message) expect(err.message).toMatch(message);
  expect(dumpDatabase(c.db)).toEqual(before);
  return err;
}

describe('partner → distributor → vendor', () => {
  const a = partner('harbor-it', 'Harbor IT', { tier: 'gold', region: 'emea' });
  const b = partner('lakeside', 'Lakeside Systems', { tier: 'silver', region: 'na' });
  recordActivity(a.catalogue, { kind: 'template-open', subject: 'one-pager', brand: 'nimbus' }, at(1));
  recordActivity(a.catalogue, { kind: 'export', subject: 'one-pager', brand: 'nimbus', data: { profile: 'print' } }, at(2));
  recordActivity(a.catalogue, { kind: 'quiz-result', subject: 'basics', brand: 'nimbus', data: { score: 0.9, passed: true } }, at(3));
  recordActivity(b.catalogue, { kind: 'export', subject: 'banner', brand: 'nimbus', data: { profile: 'screen' } }, at(4));
  recordActivity(b.catalogue, { kind: 'mdf-request', subject: '0b1c1d2e-0000-4000-8000-000000000001', brand: 'nimbus', data: { budget: 500000, verdict: 'needs-review' } }, at(5));
  const distributor = fresh();
  const vendor = fresh();

  it('a partner report carries its ledger, signed by its install key', () => {
    const w = exportPartnerReport(a.catalogue, a.profile, file('harbor'), at(10));
    expect(w.events).toBe(3);
    const lines = fs.readFileSync(w.path, 'utf8').split('\n');
    expect(lines).toHaveLength(3 + 2 + 1);
    expect(lines.at(-1)).toBe('');
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ format: 'lockup.activity-report', version: 1, kind: 'partner', issuer: { id: 'harbor-it', name: 'Harbor IT', tier: 'gold', region: 'emea' }, key: { type: 'ed25519' } });
    expect(JSON.parse(lines[1]!)).toEqual({ t: 'event', source: header.key.fingerprint, seq: 1, partner: 'harbor-it', at: at(1).toISOString(), kind: 'template-open', subject: 'one-pager', brand: 'nimbus', data: {} });
    expect(JSON.parse(lines[4]!)).toMatchObject({ t: 'end', events: 3 });
    expect(verifyReportFile(w.path)).toMatchObject({ events: 3, partners: 0, sha256: w.sha256 });
  });

  it('the distributor imports both partners; the vendor imports its aggregate with the distributor named', () => {
    const ra = exportPartnerReport(a.catalogue, a.profile, file('harbor'), at(10));
    const rb = exportPartnerReport(b.catalogue, b.profile, file('lakeside'), at(10));
    expect(importReportFile(distributor, ra.path)).toMatchObject({ kind: 'partner', events: 3, added: 3, duplicates: 0, partners: 1, alreadyImported: false });
    expect(importReportFile(distributor, rb.path)).toMatchObject({ events: 2, added: 2 });
    distributor.setSetting('distributor-profile', JSON.stringify({ name: 'West Coast Supply', contact: {}, logo: null }));
    recordActivity(distributor, { kind: 'mdf-decision', subject: '0b1c1d2e-0000-4000-8000-000000000001', brand: 'nimbus', partner: null, data: { decision: 'approved', partner: 'lakeside', budget: 500000 } }, at(6));

    const agg = exportAggregate(distributor, file('aggregate'), at(11));
    expect(agg).toMatchObject({ events: 6, partners: 2 });
    const s = importReportFile(vendor, agg.path);
    expect(s).toMatchObject({ kind: 'distributor', issuer: { name: 'West Coast Supply' }, events: 6, added: 6, duplicates: 0, partners: 2, alreadyImported: false });
    const dims = vendor.db.prepare('SELECT partner_id, name, tier, region, distributor_id, distributor_name FROM insight_partners ORDER BY partner_id').all();
    expect(dims).toEqual([
      { partner_id: 'harbor-it', name: 'Harbor IT', tier: 'gold', region: 'emea', distributor_id: s.issuer.id, distributor_name: 'West Coast Supply' },
      { partner_id: 'lakeside', name: 'Lakeside Systems', tier: 'silver', region: 'na', distributor_id: s.issuer.id, distributor_name: 'West Coast Supply' },
    ]);
    const rows = vendor.db
      .prepare('SELECT s.fingerprint, e.seq, p.partner_id, e.month, e.kind, e.subject, e.data FROM insight_events e JOIN insight_sources s ON s.id = e.source LEFT JOIN insight_partners p ON p.id = e.partner ORDER BY e.at')
      .all() as { fingerprint: string; seq: number; partner_id: string | null; month: string; kind: string; subject: string; data: string }[];
    expect(rows.map((r) => [r.partner_id, r.seq, r.kind, r.month])).toEqual([
      ['harbor-it', 1, 'template-open', '2026-03'],
      ['harbor-it', 2, 'export', '2026-03'],
      ['harbor-it', 3, 'quiz-result', '2026-03'],
      ['lakeside', 1, 'export', '2026-03'],
      ['lakeside', 2, 'mdf-request', '2026-03'],
      [null, 1, 'mdf-decision', '2026-03'],
    ]);
    // Events keep the fingerprint of the install that recorded them, not the distributor's.
    const fa = JSON.parse(fs.readFileSync(ra.path, 'utf8').split('\n')[0]!).key.fingerprint;
    expect(rows[0]!.fingerprint).toBe(fa);
    expect(JSON.parse(rows[5]!.data)).toEqual({ decision: 'approved', partner: 'lakeside', budget: 500000 });
  });

  it('the same aggregate twice is already imported; a later aggregate adds only what is new', () => {
    const before = dumpDatabase(vendor.db);
    const agg = exportAggregate(distributor, file('aggregate'), at(11));
    expect(importReportFile(vendor, agg.path)).toMatchObject({ events: 6, added: 0, duplicates: 6, alreadyImported: true });
    expect(dumpDatabase(vendor.db)).toEqual(before);

    recordActivity(a.catalogue, { kind: 'playbook-step', subject: 'launch', brand: 'nimbus', data: { step: 's1', done: true } }, at(12));
    importReportFile(distributor, exportPartnerReport(a.catalogue, a.profile, file('harbor'), at(13)).path);
    const later = exportAggregate(distributor, file('aggregate'), at(14));
    expect(importReportFile(vendor, later.path)).toMatchObject({ events: 7, added: 1, duplicates: 6, alreadyImported: false });
    expect(count(vendor, 'insight_events')).toBe(7);
    expect(count(vendor, 'insight_imports')).toBe(2);
  });

  it('in a distributor’s own catalogue, partner reports count for that distributor, not as "direct"', () => {
    const own = fresh();
    own.setSetting('role', 'distributor');
    own.setSetting('distributor-profile', JSON.stringify({ name: 'West Coast Supply', contact: {}, logo: null }));
    importReportFile(own, exportPartnerReport(b.catalogue, b.profile, file('lakeside'), at(15)).path);
    expect(own.db.prepare('SELECT distributor_id, distributor_name FROM insight_partners').all()).toEqual([{ distributor_id: 'this-distributor', distributor_name: 'West Coast Supply' }]);
  });

  it('a partner report straight to the vendor counts as "direct" and its events as duplicates of the aggregate’s', () => {
    const direct = fresh();
    const r = importReportFile(direct, exportPartnerReport(b.catalogue, b.profile, file('lakeside'), at(15)).path);
    expect(r).toMatchObject({ kind: 'partner', added: 2 });
    expect(direct.db.prepare('SELECT distributor_id, distributor_name FROM insight_partners').all()).toEqual([{ distributor_id: 'direct', distributor_name: 'Direct' }]);
    expect(importReportFile(vendor, exportPartnerReport(b.catalogue, b.profile, file('lakeside'), at(15)).path)).toMatchObject({ added: 0, duplicates: 2 });
  });
});

describe('dedupe across overlapping reports', () => {
  it('two cumulative reports of the same partner never count an event twice', () => {
    const p = partner('harbor-it', 'Harbor IT');
    const d = fresh();
    for (let i = 1; i <= 3; i++) recordActivity(p.catalogue, { kind: 'export', subject: `t${i}`, brand: 'nimbus' }, at(i));
    const r1 = exportPartnerReport(p.catalogue, p.profile, file('r1'), at(5));
    for (let i = 4; i <= 5; i++) recordActivity(p.catalogue, { kind: 'export', subject: `t${i}`, brand: 'nimbus' }, at(i));
    const r2 = exportPartnerReport(p.catalogue, p.profile, file('r2'), at(6));
    // In either order.
    expect(importReportFile(d, r2.path)).toMatchObject({ events: 5, added: 5, duplicates: 0 });
    expect(importReportFile(d, r1.path)).toMatchObject({ events: 3, added: 0, duplicates: 3, alreadyImported: false });
    expect(importReportFile(d, r1.path)).toMatchObject({ alreadyImported: true });
    expect(count(d, 'insight_events')).toBe(5);
    expect(count(d, 'insight_partners')).toBe(1);
  });
});

describe('refused reports leave the catalogue unchanged', () => {
  const p = partner('harbor-it', 'Harbor IT');
  for (let i = 1; i <= 4; i++) recordActivity(p.catalogue, { kind: 'template-open', subject: `tpl-${i}`, brand: 'nimbus' }, at(i));
  const good = fs.readFileSync(exportPartnerReport(p.catalogue, p.profile, file('good'), at(9)).path);
  const text = good.toString('utf8');
  const lines = text.split('\n').slice(0, -1);
  const join = (ls: string[]) => ls.map((l) => l + '\n').join('');
  const v = fresh();
  // The vendor already holds something, so "unchanged" means more than "empty".
  importReportFile(v, writeSyntheticReport(file('other'), { kind: 'distributor', partners: 3, events: 20, seed: 3 }).path);

  it('a tampered event line: report-signature', () => {
    refused(v, join(lines.map((l, i) => (i === 2 ? l.replace('tpl-2', 'tpl-9') : l))), 'report-signature', /changed after it was signed/);
  });
  it('an event line added or removed: report-signature (the count, then the hash)', () => {
    refused(v, join([...lines.slice(0, 2), ...lines.slice(3)]), 'report-signature', /counts 4 events but the report has 3/);
    const extra = JSON.parse(lines[1]!);
    refused(v, join([...lines.slice(0, -1), JSON.stringify({ ...extra, seq: 99 }), lines.at(-1)!]), 'report-signature');
  });
  it('an edited trailer (count, hash or signature): report-signature', () => {
    const t = JSON.parse(lines.at(-1)!);
    refused(v, join([...lines.slice(0, -1), JSON.stringify({ ...t, events: 5 })]), 'report-signature');
    refused(v, join([...lines.slice(0, -1), JSON.stringify({ ...t, sha256: '0'.repeat(64) })]), 'report-signature');
    const other = generateSigningKey({ id: 'x', name: 'X' });
    refused(v, join([...lines.slice(0, -1), JSON.stringify({ ...t, signature: signBytes('lockup.activity-report.v1', signedMessage(t.sha256, 4), other) })]), 'report-signature', /does not verify with the key in its header/);
    // The partner's own key, but a signature made for another kind of document (domain separation).
    refused(v, join([...lines.slice(0, -1), JSON.stringify({ ...t, signature: signBytes('lockup.completion.v1', signedMessage(t.sha256, 4), installKey(p.catalogue).signingKey) })]), 'report-signature');
  });
  it('a truncated file: report-invalid (mid-line, or without its trailer)', () => {
    refused(v, good.subarray(0, good.byteLength - 40), 'report-invalid', /truncated/);
    refused(v, join(lines.slice(0, -1)), 'report-invalid', /without its trailer/);
    refused(v, '', 'report-invalid', /empty/);
  });
  it('malformed lines say which line and why: report-invalid', () => {
    refused(v, join(lines.map((l, i) => (i === 2 ? l.slice(0, -3) : l))), 'report-invalid', /^Line 3 of the report is not JSON/);
    refused(v, join(lines.map((l, i) => (i === 3 ? l.replace('"template-open"', '"coffee-break"') : l))), 'report-invalid', /^Line 4 of the report is not a valid event line: kind/);
    refused(v, join(lines.map((l, i) => (i === 1 ? l.replace('"partner":"harbor-it"', '"partner":"someone-else"') : l))), 'report-invalid', /Line 2: a partner's report carries only its own events/);
    refused(v, join([...lines, '{"t":"event"}']), 'report-invalid', /Line 7 of the report comes after its trailer/);
    refused(v, join([lines[0]!.replace('"version":1', '"version":2'), ...lines.slice(1)]), 'report-invalid', /format version 2; this Lockup reads version 1/);
    refused(v, join([lines[0]!.replace('lockup.activity-report', 'lockup.other'), ...lines.slice(1)]), 'report-invalid', /not a Lockup activity report/);
    refused(v, Buffer.concat([Buffer.from(join(lines.slice(0, 1))), Buffer.from([0xff, 0xfe, 0x0a])]), 'report-invalid', /Line 2 of the report is not valid UTF-8/);
    refused(v, lines.map((l) => l + '\r\n').join(''), 'report-invalid', /^Line 1 of the report ends with "\\r\\n"/);
    refused(v, join([lines[0]!, '', ...lines.slice(1)]), 'report-invalid', /^Line 2 of the report is not JSON/);
  });
  it('the same issuer under another key: report-key-mismatch (trust on first use)', () => {
    importReportBytes(v, good);
    const impostor = partner('harbor-it', 'Harbor IT');
    recordActivity(impostor.catalogue, { kind: 'export', subject: 'x', brand: null }, at(1));
    const forged = fs.readFileSync(exportPartnerReport(impostor.catalogue, impostor.profile, file('forged'), at(9)).path);
    const err = refused(v, forged, 'report-key-mismatch', /signed with the key .* but its earlier reports were signed with/);
    expect(err.details).toMatchObject({ issuer: 'harbor-it' });
  });
});

describe('streaming', () => {
  /** A 1000-event report whose lines carry multi-byte UTF-8 (2, 3 and 4 bytes), so small chunks split lines and characters. */
  function wideReport(): { path: string; events: number } {
    const key = generateSigningKey({ id: 'p', name: 'P' });
    const fp = fingerprint(key.publicKey);
    const w = new ReportWriter(file('wide'), reportHeader('partner', { id: 'café-漢字', name: 'Café 漢字 🙂 GmbH', tier: 'gold', region: null }, key, at(20)));
    for (let i = 1; i <= 998; i++) {
      w.event(eventLineText({ source: fp, seq: i, partner: 'café-漢字', at: at(1 + (i % 28)).toISOString(), kind: 'template-open', subject: `modül-${i}-漢字-🙂`, brand: 'nimbus', data: { note: 'é'.repeat(i % 9), n: i } }));
    }
    return { ...w.finish(key), events: 998 };
  }

  it('a 1000-line report imports the same in chunks of 1, 7 and 64 bytes as in one chunk, from a file and from bytes', () => {
    const r = wideReport();
    expect(fs.readFileSync(r.path, 'utf8').split('\n')).toHaveLength(1001);
    const reference = fresh();
    const s = importReportFile(reference, r.path);
    expect(s).toMatchObject({ events: 998, added: 998, issuer: { id: 'café-漢字', name: 'Café 漢字 🙂 GmbH' } });
    const expected = dumpDatabase(reference.db);
    const normalise = (d: ReturnType<typeof dumpDatabase>) => ({ ...d, insight_imports: d['insight_imports']!.map((x) => ({ ...(x as object), imported_at: null })), insight_sources: d['insight_sources']!.map((x) => ({ ...(x as object), first_seen: null })) });
    for (const chunkSize of [1, 7, 64]) {
      const c = fresh();
      const now = new Date();
      expect(importReportFile(c, r.path, { chunkSize, now })).toMatchObject({ events: 998, added: 998 });
      expect(normalise(dumpDatabase(c.db))).toEqual(normalise(expected));
      const d = fresh();
      expect(importReportBytes(d, fs.readFileSync(r.path), { chunkSize })).toMatchObject({ events: 998, added: 998 });
      expect(normalise(dumpDatabase(d.db))).toEqual(normalise(expected));
    }
    const subjects = reference.db.prepare('SELECT subject, data FROM insight_events WHERE seq = 17').get();
    expect(subjects).toEqual({ subject: 'modül-17-漢字-🙂', data: JSON.stringify({ note: 'éééééééé', n: 17 }) });
  });

  it('a tampered byte deep in the file is found with small chunks too, and nothing is kept', () => {
    const r = wideReport();
    const bytes = fs.readFileSync(r.path);
    const at500 = bytes.indexOf('modül-500-');
    bytes[at500 + 7] = '6'.charCodeAt(0);
    const c = fresh();
    const before = dumpDatabase(c.db);
    expect(() => importReportBytes(c, bytes, { chunkSize: 7 })).toThrow(expect.objectContaining({ code: 'report-signature' }));
    expect(dumpDatabase(c.db)).toEqual(before);
  });

  it('the generator writes valid aggregates of many partners', () => {
    const g = writeSyntheticReport(file('synthetic'), { kind: 'distributor', partners: 40, events: 2000, seed: 11 });
    expect(verifyReportFile(g.path, { chunkSize: 1000 })).toMatchObject({ events: 2000, partners: 40 });
    const c = fresh();
    expect(importReportFile(c, g.path)).toMatchObject({ kind: 'distributor', events: 2000, added: 2000, partners: 40 });
    expect(count(c, 'insight_partners')).toBe(40);
    const kinds = c.db.prepare('SELECT DISTINCT kind FROM insight_events ORDER BY kind').all().map((r) => (r as { kind: string }).kind);
    expect(kinds).toEqual(['export', 'mdf-decision', 'mdf-request', 'playbook-export', 'playbook-step', 'quiz-result', 'template-open']);
    const p = writeSyntheticReport(file('synthetic-partner'), { kind: 'partner', partners: 1, events: 50, seed: 12 });
    expect(importReportFile(c, p.path)).toMatchObject({ kind: 'partner', events: 50, added: 50, partners: 1 });
  });
});
