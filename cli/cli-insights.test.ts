// `lockup insights report | import | aggregate`, the built binary spawned: a partner's report, a distributor's import and aggregate, a vendor's import; refusals and their exit codes.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalogue } from '../backend/catalogue.ts';
import { declineDemo } from '../backend/content/seed.ts';
import { recordActivity } from '../backend/insights/ledger.ts';
import { loadProfile } from '../core/model/index.ts';
import { dumpDatabase } from '../test/support/db.ts';
import { assertBuilt, runCli } from '../test/support/cli.ts';
import { tempDir } from '../test/support/temp.ts';

const env = { LOCKUP_NO_DEMO: '1' };
let work: string;
let partnerDir: string;
let distributorDir: string;
let vendorDir: string;

/** A partner's data folder with a profile and three ledger events, made the way the app makes them. */
function partnerData(dir: string, id: string, company: string): void {
  const c = Catalogue.openDir(dir);
  try {
    declineDemo(c);
    c.saveProfile(loadProfile({ id, company, tier: 'gold', region: 'emea' }));
    c.setSetting('current-profile', id);
    recordActivity(c, { kind: 'template-open', subject: 'one-pager', brand: 'nimbus' }, new Date('2026-03-01T10:00:00Z'));
    recordActivity(c, { kind: 'export', subject: 'one-pager', brand: 'nimbus', data: { profile: 'print' } }, new Date('2026-03-02T10:00:00Z'));
    recordActivity(c, { kind: 'quiz-result', subject: 'basics', brand: 'nimbus', data: { score: 0.9, passed: true } }, new Date('2026-04-01T10:00:00Z'));
  } finally {
    c.close();
  }
}

function dump(dir: string) {
  const c = Catalogue.openDir(dir);
  try {
    return dumpDatabase(c.db);
  } finally {
    c.close();
  }
}

beforeAll(() => {
  assertBuilt();
  work = tempDir('lockup-cli-insights-');
  partnerDir = tempDir('lockup-cli-insights-partner-');
  distributorDir = tempDir('lockup-cli-insights-distributor-');
  vendorDir = tempDir('lockup-cli-insights-vendor-');
  partnerData(partnerDir, 'harbor-it', 'Harbor IT');
});

describe('lockup insights', () => {
  it('report → import (twice) → aggregate → vendor import, with LOCKUP_DATA_DIR', async () => {
    const report = path.join(work, 'harbor.lockup-activity');
    const r1 = await runCli(['insights', 'report', '--out', report, '--json'], { dataDir: null, env: { ...env, LOCKUP_DATA_DIR: partnerDir } });
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.json()).toMatchObject({ ok: true, report: { path: report, events: 3 } });
    expect(fs.readFileSync(report, 'utf8').split('\n')[0]).toMatch(/^\{"format":"lockup.activity-report","version":1,"kind":"partner","issuer":\{"id":"harbor-it"/);

    const i1 = await runCli(['insights', 'import', report, '--json'], { dataDir: distributorDir, env });
    expect(i1.code, i1.stdout + i1.stderr).toBe(0);
    expect(i1.json()).toMatchObject({ ok: true, results: [{ file: report, ok: true, kind: 'partner', issuer: { id: 'harbor-it', name: 'Harbor IT' }, events: 3, added: 3, duplicates: 0, alreadyImported: false }] });
    const i2 = await runCli(['insights', 'import', report], { dataDir: distributorDir, env });
    expect(i2.code).toBe(0);
    expect(i2.stdout).toMatch(/harbor\.lockup-activity: already imported \(3 events of Harbor IT\); nothing changed/);

    const aggregate = path.join(work, 'west.lockup-activity');
    const a = await runCli(['insights', 'aggregate', '--out', aggregate], { dataDir: distributorDir, env });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/3 events of 1 partner, signed/);

    const v = await runCli(['insights', 'import', aggregate, report, '--json'], { dataDir: vendorDir, env });
    expect(v.code, v.stdout).toBe(0);
    const results = v.json()['results'] as Record<string, unknown>[];
    expect(results.map((r) => [r['kind'], r['added'], r['duplicates']])).toEqual([
      ['distributor', 3, 0],
      ['partner', 0, 3],
    ]);
  });

  it('--verify-only checks and stores nothing; refusals exit 3 (signature), 4 (invalid), 5 (another key), with the code', async () => {
    const report = path.join(work, 'harbor.lockup-activity');
    const before = dump(vendorDir);
    const ok = await runCli(['insights', 'import', '--verify-only', report], { dataDir: vendorDir, env });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^VALID harbor\.lockup-activity: partner report of Harbor IT \(harbor-it\), key [0-9a-f ]{39}, 3 events, sha256 [0-9a-f]{64}/);

    const text = fs.readFileSync(report, 'utf8');
    const tampered = path.join(work, 'tampered.lockup-activity');
    fs.writeFileSync(tampered, text.replace('"one-pager"', '"two-pager"'));
    const t = await runCli(['insights', 'import', tampered, '--json'], { dataDir: vendorDir, env });
    expect(t.code).toBe(3);
    expect(t.json()).toMatchObject({ ok: false, error: { code: 'report-signature' }, results: [{ ok: false, error: { code: 'report-signature' } }] });

    const truncated = path.join(work, 'truncated.lockup-activity');
    fs.writeFileSync(truncated, text.slice(0, text.length - 30));
    const tr = await runCli(['insights', 'import', truncated], { dataDir: vendorDir, env });
    expect(tr.code).toBe(4);
    expect(tr.stdout).toMatch(/REFUSED .*truncated\.lockup-activity: .*truncated/);

    const other = tempDir('lockup-cli-insights-impostor-');
    partnerData(other, 'harbor-it', 'Harbor IT');
    const forged = path.join(work, 'forged.lockup-activity');
    expect((await runCli(['insights', 'report', '--out', forged], { dataDir: other, env })).code).toBe(0);
    const f = await runCli(['insights', 'import', forged, '--json'], { dataDir: vendorDir, env });
    expect(f.code).toBe(5);
    expect(f.json()).toMatchObject({ ok: false, error: { code: 'report-key-mismatch' } });
    expect(dump(vendorDir)).toEqual(before);

    expect((await runCli(['insights', 'import'], { dataDir: vendorDir, env })).code).toBe(2);
    expect((await runCli(['insights', 'report', '--out', path.join(work, 'x.txt')], { dataDir: partnerDir, env })).code).toBe(2);
    const noProfile = await runCli(['insights', 'report', '--out', path.join(work, 'y.lockup-activity'), '--json'], { dataDir: vendorDir, env });
    expect(noProfile.json()).toMatchObject({ ok: false, error: { code: 'profile-invalid' } });
  });
});
