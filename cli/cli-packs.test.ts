// The built `lockup` binary, spawned: keygen, pack build/verify/import, credential issue/import/revoke.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../test/support/cli.ts';
import { dumpDatabase } from '../test/support/db.ts';
import { partnerFile } from '../test/support/paths.ts';
import { listFilesDeep, tempDir } from '../test/support/temp.ts';

type Json = Record<string, unknown>;

let work: string;
let vendorDir: string;
let partnerDir: string;
let key: string;
let pack1: string;

const vendor = (args: string[]) => runCli(args, { dataDir: vendorDir });
const partner = (args: string[]) => runCli(args, { dataDir: partnerDir, env: { LOCKUP_NO_DEMO: '1' } });
const available = async () =>
  ((await partner(['templates', '--json'])).json()['templates'] as { id: string; available: boolean }[])
    .filter((t) => t.available)
    .map((t) => t.id)
    .sort();

function dump(dir: string): unknown {
  const db = new Database(path.join(dir, 'catalogue.sqlite'), { readonly: true });
  try {
    return dumpDatabase(db);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  assertBuilt();
  work = tempDir('lockup-cli-packs-');
  vendorDir = path.join(work, 'vendor-data');
  partnerDir = path.join(work, 'partner-data');
  key = path.join(work, 'keys', 'nimbus.key');
  const r = await vendor(['keygen', '--out', key, '--publisher', 'nimbus', '--name', 'Nimbus Systems']);
  expect(r.code, r.stderr).toBe(0);
  pack1 = path.join(work, 'nimbus-1.lockup');
  const b = await vendor(['pack', 'build', '--key', key, '--out', pack1, '--from-catalogue', '--json']);
  expect(b.code, b.stdout + b.stderr).toBe(0);
}, 120_000);

describe('lockup keygen', () => {
  it('writes an owner-only private key and a public key beside it, and prints the fingerprint', async () => {
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    const pub = JSON.parse(fs.readFileSync(key.replace(/\.key$/, '.pub'), 'utf8')) as Json;
    expect(pub).toMatchObject({ format: 'lockup.public-key', publisher: { id: 'nimbus', name: 'Nimbus Systems' }, type: 'ed25519' });
    expect(fs.readFileSync(key, 'utf8')).toContain('BEGIN PRIVATE KEY');
  });

  it('refuses to overwrite a key without --force (exit 2)', async () => {
    const before = fs.readFileSync(key, 'utf8');
    const r = await vendor(['keygen', '--out', key, '--publisher', 'nimbus', '--name', 'Nimbus Systems']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists; pass --force/);
    expect(fs.readFileSync(key, 'utf8')).toBe(before);
  });

  it('refuses a publisher id that is not an id (exit 2)', async () => {
    const r = await vendor(['keygen', '--out', path.join(work, 'x.key'), '--publisher', 'Nimbus Systems', '--name', 'N']);
    expect(r.code).toBe(2);
    expect(fs.existsSync(path.join(work, 'x.key'))).toBe(false);
  });
});

describe('lockup pack build / verify', () => {
  it('verify says VALID with the publisher, version, fingerprint and what was checked', async () => {
    const r = await vendor(['pack', 'verify', pack1, '--pubkey', key.replace(/\.key$/, '.pub'), '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ ok: true, verdict: 'valid', publisher: { id: 'nimbus', name: 'Nimbus Systems' }, pack: { id: 'nimbus', version: 1 }, keyMatches: true });
    expect((r.json()['templates'] as unknown[]).length).toBe(10);
    const text = await vendor(['pack', 'verify', pack1]);
    expect(text.stdout).toMatch(/^VALID .*nimbus-1\.lockup/);
    // The demo brand's MDF program travels in the pack.
    expect(r.json()['mdfProgram']).toEqual({ id: 'nimbus-mdf', version: 1 });
    expect(text.stdout).toMatch(/MDF program ".+" \(nimbus-mdf\) version 1: 5 activity types/);
  });

  it('verify refuses a pack signed by a key other than the expected one (exit 4)', async () => {
    const other = path.join(work, 'other.key');
    expect((await vendor(['keygen', '--out', other, '--publisher', 'nimbus', '--name', 'Nimbus Systems'])).code).toBe(0);
    const r = await vendor(['pack', 'verify', pack1, '--pubkey', other.replace(/\.key$/, '.pub'), '--json']);
    expect(r.code).toBe(4);
    expect(r.json()).toMatchObject({ verdict: 'refused', keyMatches: false });
  });

  it('verify refuses a tampered pack with the reason (exit 4)', async () => {
    const bytes = fs.readFileSync(pack1);
    const mid = Math.floor(bytes.byteLength / 2);
    bytes[mid] = bytes[mid]! ^ 0xff;
    const bad = path.join(work, 'tampered.lockup');
    fs.writeFileSync(bad, bytes);
    const r = await vendor(['pack', 'verify', bad, '--json']);
    expect(r.code).toBe(4);
    expect(r.json()).toMatchObject({ ok: false, verdict: 'refused', reason: { code: expect.stringMatching(/^pack-/) } });
    const text = await vendor(['pack', 'verify', bad]);
    expect(text.stdout).toMatch(/^REFUSED/);
  });

  it('versions only go up: an explicit lower version is refused', async () => {
    const r = await vendor(['pack', 'build', '--key', key, '--out', path.join(work, 'again.lockup'), '--from-catalogue', '--version', '1']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/already published as version 1/);
    expect(fs.existsSync(path.join(work, 'again.lockup'))).toBe(false);
  });

  it('builds from a content folder too', async () => {
    const out = path.join(work, 'folder.lockup');
    const r = await runCli(['pack', 'build', '--key', key, '--out', out, path.join('templates', 'nimbus'), '--pack-id', 'nimbus-folder', '--json'], { dataDir: path.join(work, 'folder-data') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ pack: { id: 'nimbus-folder', version: 1 } });
  });
});

describe('a partner imports the pack and a credential', () => {
  it('imports into an empty catalogue; without a credential only open templates are available', async () => {
    const r = await partner(['pack', 'import', pack1]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Imported pack "nimbus" version 1 from Nimbus Systems/);
    expect(r.stdout).toMatch(/pinned now/);
    expect(await available()).not.toContain('case-study-gold');
    expect((await available()).length).toBe(8);
  });

  it('a Silver credential from a partner file gives Silver access; gold stays locked', async () => {
    const cred = path.join(work, 'harbor-it.cred');
    const i = await vendor(['credential', 'issue', '--key', key, '--partner', partnerFile('harbor-it'), '--out', cred, '--days', '30', '--json']);
    expect(i.code, i.stderr).toBe(0);
    const r = await partner(['credential', 'import', cred]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Imported your credential from Nimbus Systems: Harbor IT, silver/);
    const list = (await partner(['templates', '--json'])).json()['templates'] as { id: string; available: boolean; reasons: string[] }[];
    expect(list.find((t) => t.id === 'case-study-gold')).toMatchObject({ available: false, reasons: ['Gold partners only'] });
  });

  it('a credential edited by hand is refused with its reason (exit 4), and the catalogue is unchanged', async () => {
    const cred = path.join(work, 'harbor-it.cred');
    const forged = path.join(work, 'forged.cred');
    fs.writeFileSync(forged, fs.readFileSync(cred, 'utf8').replace('"tier": "silver"', '"tier": "gold"'));
    const before = dump(partnerDir);
    const r = await partner(['credential', 'import', forged, '--json']);
    expect(r.code).toBe(4);
    expect(r.json()).toMatchObject({ ok: false, error: { code: 'credential-signature' } });
    expect(dump(partnerDir)).toEqual(before);
  });

  it('CSV issue is all-or-nothing: a bad row names its line and writes nothing', async () => {
    const csv = path.join(work, 'partners.csv');
    fs.writeFileSync(csv, 'partner,company,tier,region\nharbor-it,Harbor IT,silver,na\nbad one,Bad,platinum,na\nsummit,Summit MSP,gold,emea\n');
    const outDir = path.join(work, 'creds');
    const r = await vendor(['credential', 'issue', '--key', key, '--csv', csv, '--out-dir', outDir]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/line 3/);
    expect(r.stderr).toMatch(/platinum/);
    expect(listFilesDeep(outDir)).toEqual([]);
    fs.writeFileSync(csv, 'partner,company,tier,region,certifications\nharbor-it,Harbor IT,silver,na,\nsummit,Summit MSP,gold,emea,\n');
    const ok = await vendor(['credential', 'issue', '--key', key, '--csv', csv, '--out-dir', outDir, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(listFilesDeep(outDir)).toEqual(['harbor-it.cred', 'summit.cred']);
  });

  it('a revocation travels in the next pack and downgrades access; an older pack is then refused', async () => {
    const issued = (await vendor(['credential', 'list', '--json'])).json()['issued'] as { id: string; partnerId: string }[];
    const first = issued.find((c) => c.partnerId === 'harbor-it')!;
    // Revoke the credential the partner imported (the first one issued to harbor-it).
    const rv = await vendor(['credential', 'revoke', '--key', key, '--id', first.id, '--reason', 'agreement ended']);
    expect(rv.code, rv.stderr).toBe(0);
    const pack2 = path.join(work, 'nimbus-2.lockup');
    expect((await vendor(['pack', 'build', '--key', key, '--out', pack2, '--from-catalogue'])).code).toBe(0);
    const imp = await partner(['pack', 'import', pack2]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/version 2 from Nimbus Systems \(you had version 1\)/);
    const templates = (await partner(['templates'])).stdout;
    expect(templates).toMatch(/revoked on \d{4}-\d{2}-\d{2} \(agreement ended\)/);

    const before = dump(partnerDir);
    const old = await partner(['pack', 'import', pack1, '--json']);
    expect(old.code).toBe(4);
    expect(old.json()).toMatchObject({ ok: false, error: { code: 'pack-rollback' } });
    expect(dump(partnerDir)).toEqual(before);
  });
});

describe('distributors: authorise, derive, verify the chain, import, issue credentials (docs/decisions/0020)', () => {
  let distDir: string;
  let buyerDir: string;
  let distKey: string;
  let distCred: string;
  let derived: string;
  const distributor = (args: string[]) => runCli(args, { dataDir: distDir, env: { LOCKUP_NO_DEMO: '1' } });
  const buyer = (args: string[]) => runCli(args, { dataDir: buyerDir, env: { LOCKUP_NO_DEMO: '1' } });
  const profile = (tier: string) => {
    const file = path.join(work, `reseller-${tier}.json`);
    fs.writeFileSync(file, JSON.stringify({ id: `reseller-${tier}`, company: 'Bay Resellers', tier, type: 'reseller', region: 'na', certifications: [] }));
    return file;
  };

  beforeAll(async () => {
    distDir = path.join(work, 'distributor-data');
    buyerDir = path.join(work, 'buyer-data');
    distKey = path.join(work, 'keys', 'northwind.key');
    distCred = path.join(work, 'northwind.cred');
    derived = path.join(work, 'northwind-nimbus.lockup');
    const k = await distributor(['keygen', '--out', distKey, '--publisher', 'northwind', '--name', 'Northwind Distribution']);
    expect(k.code, k.stderr).toBe(0);
  });

  it('the vendor authorises the distributor key; an unknown tier is refused', async () => {
    const bad = await vendor(['distributor', 'authorise', '--key', key, '--distributor-pubkey', distKey.replace(/\.key$/, '.pub'), '--max-tier', 'platinum', '--out', distCred]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/tier "platinum" is not one of registered, silver, gold/);
    const r = await vendor([
      'distributor', 'authorise', '--key', key, '--distributor-pubkey', distKey.replace(/\.key$/, '.pub'),
      '--expires', '2030-01-01', '--templates', 'bundled-offer-sheet,social-post', '--max-tier', 'silver', '--out', distCred, '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()['credential']).toMatchObject({ vendor: { publisher: 'nimbus' }, distributor: { id: 'northwind', name: 'Northwind Distribution' }, scope: { templates: ['bundled-offer-sheet', 'social-post'], maxTier: 'silver' } });
  });

  it('the distributor derives a pack from an overlay folder; a change to a vendor zone is refused at build', async () => {
    const overlay = tempDir('lockup-overlay-');
    fs.writeFileSync(path.join(overlay, 'distributor.json'), JSON.stringify({ id: 'northwind', name: 'Northwind Distribution', contact: { phone: '+1 555 0100' } }));
    fs.writeFileSync(path.join(overlay, 'bundled-offer-sheet.derive.json'), JSON.stringify({ template: 'bundled-offer-sheet', zones: { 'partner-card': { fill: 'white' } } }));
    const refused = await distributor(['pack', 'derive', '--key', distKey, '--credential', distCred, '--vendor-pack', pack1, '--from', overlay, '--out', derived]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/"partner-card" belongs to the vendor/);
    expect(fs.existsSync(derived)).toBe(false);
    fs.writeFileSync(path.join(overlay, 'bundled-offer-sheet.derive.json'), JSON.stringify({ template: 'bundled-offer-sheet', defaults: { distributor: 'Northwind Distribution' } }));
    const r = await distributor(['pack', 'derive', '--key', distKey, '--credential', distCred, '--vendor-pack', pack1, '--from', overlay, '--out', derived, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ overlay: { id: 'northwind.nimbus', version: 1 }, vendorPack: { publisher: 'nimbus', pack: 'nimbus', version: 1 }, templates: [{ id: 'northwind.bundled-offer-sheet', from: 'bundled-offer-sheet' }] });
  });

  it('pack verify reports the chain (text and --json)', async () => {
    const r = await buyer(['pack', 'verify', derived, '--pubkey', key.replace(/\.key$/, '.pub')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^VALID .*northwind-nimbus\.lockup \(derived pack\)/);
    expect(r.stdout).toMatch(/Vendor: +Nimbus Systems \(nimbus\), pack "nimbus" version 1, key [0-9a-f ]+ — matches/);
    expect(r.stdout).toMatch(/Distributor: Northwind Distribution \(northwind\), key [0-9a-f ]+/);
    expect(r.stdout).toMatch(/Authorised by Nimbus Systems from \d{4}-\d\d-\d\d until 2030-01-01; scope: templates bundled-offer-sheet, social-post; partner credentials up to silver/);
    expect(r.stdout).toMatch(/Vendor-locked content identical: 1 template checked/);
    const j = await buyer(['pack', 'verify', derived, '--json']);
    expect(j.json()).toMatchObject({ verdict: 'valid', kind: 'derived', distributor: { id: 'northwind' }, lockedChecked: 1, templates: [{ id: 'northwind.bundled-offer-sheet', derivedFrom: 'bundled-offer-sheet' }] });
  });

  it('a tampered derived pack is refused by verify and import (exit 4); the catalogue is unchanged', async () => {
    const bytes = fs.readFileSync(derived);
    const at = bytes.indexOf('Northwind Distribution');
    bytes[at] = bytes[at]! ^ 0x20;
    const bad = path.join(work, 'northwind-bad.lockup');
    fs.writeFileSync(bad, bytes);
    const v = await buyer(['pack', 'verify', bad, '--json']);
    expect(v.code).toBe(4);
    expect(v.json()).toMatchObject({ verdict: 'refused', reason: { code: expect.stringMatching(/^(pack-invalid|derived-signature)$/) } });
    await buyer(['templates', '--json']);
    const before = dump(buyerDir);
    const i = await buyer(['pack', 'import', bad]);
    expect(i.code).toBe(4);
    expect(dump(buyerDir)).toEqual(before);
  });

  it('the partner imports the derived pack and sees the derivation in place of the vendor template', async () => {
    const r = await buyer(['pack', 'import', derived]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Imported pack "nimbus" version 1 from Nimbus Systems/);
    expect(r.stdout).toMatch(/Distributor: Northwind Distribution \(northwind\) — overlay "northwind.nimbus" version 1/);
    expect(r.stdout).toMatch(/added NimbusVault bundled offer sheet \(US Letter\) \(northwind\.bundled-offer-sheet@1\)/);
    const ids = ((await buyer(['templates', '--json'])).json()['templates'] as { id: string }[]).map((t) => t.id);
    expect(ids).toContain('northwind.bundled-offer-sheet');
    expect(ids).not.toContain('bundled-offer-sheet');
  });

  it('the distributor issues partner credentials within the vendor’s scope; above it is refused', async () => {
    const gold = await distributor(['credential', 'issue', '--key', distKey, '--distributor-credential', distCred, '--vendor-pack', pack1, '--partner', profile('gold'), '--out', path.join(work, 'bay-gold.cred')]);
    expect(gold.code).toBe(4);
    expect(gold.stderr).toMatch(/beyond what Nimbus Systems allowed: it grants the tier "gold", above "silver"/);
    expect(fs.existsSync(path.join(work, 'bay-gold.cred'))).toBe(false);
    const out = path.join(work, 'bay-silver.cred');
    const r = await distributor(['credential', 'issue', '--key', distKey, '--distributor-credential', distCred, '--vendor-pack', pack1, '--partner', profile('silver'), '--out', out, '--days', '30']);
    expect(r.code, r.stderr).toBe(0);
    const i = await buyer(['credential', 'import', out]);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stdout).toMatch(/Imported your credential from Nimbus Systems: Bay Resellers, silver/);
  });
});
