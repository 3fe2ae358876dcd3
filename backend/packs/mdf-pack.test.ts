import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MdfProgramInput } from '../../core/mdf/model.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { emptyCatalogue } from '../../test/support/catalogue.ts';
import { acmeKey, acmePack, DERIVED_NOW, northwindCredential, northwindKey, northwindPack, packEntries, rebuildPack, writeAcmeFolder } from '../../test/support/packs.ts';
import { refusal, refusedUnchanged } from '../../test/support/refusal.ts';
import { ApiService } from '../api/service.ts';
import type { Catalogue } from '../catalogue.ts';
import { readContentFolder } from '../content/bundle.ts';
import { importBundle } from '../content/seed.ts';
import { MdfStore } from '../mdf/store.ts';
import { signDecision } from '../mdf/files.ts';
import { readPacket } from '../mdf/packet.ts';
import { sha256Hex } from '../util/hash.ts';
import { seedProgramFromFolder } from '../mdf/program.ts';
import { importCredential } from './access.ts';
import { packEntry, type ArchiveEntry } from './archive.ts';
import { issueCredential } from './credential.ts';
import { importPack } from './import.ts';
import { generateSigningKey, signBytes, type SigningKey } from './keys.ts';
import { manifestEntries, verifyPack, type PackContents } from './pack.ts';
import { contentsFromCatalogue, contentsFromFolder, publishPack } from './publish.ts';

/**
 * The brand's MDF program in vendor packs (issue #8, docs/decisions/0026):
 * `mdf/program.json`, checked against the pack's brand, stored on import
 * (a newer pack replaces it), passed through unchanged in a distributor's
 * derived pack, and offered to the partner by `mdf:programs`.
 */

const program = (over: Partial<MdfProgramInput> = {}): MdfProgramInput => ({
  format: 'lockup.mdf-program',
  formatVersion: 1,
  id: 'acme-mdf',
  version: 1,
  brand: 'acme',
  name: 'Acme Co-Marketing Fund',
  currency: 'EUR',
  activityTypes: [
    { id: 'events', name: 'Events' },
    { id: 'trade-show', name: 'Trade show' },
  ],
  rules: { maxPerQuarter: { silver: 300_000, gold: 900_000 }, disallowedActivities: { registered: ['trade-show'] }, minLeadDays: 10 },
  autoApproveUpTo: 50_000,
  ...over,
});

/** Acme's folder with `mdf/program.json`. */
function folderWith(p: MdfProgramInput): string {
  // With a distributor zone, so a distributor can derive from the pack.
  const dir = writeAcmeFolder({ distributorZone: true });
  fs.mkdirSync(path.join(dir, 'mdf'));
  fs.writeFileSync(path.join(dir, 'mdf', 'program.json'), JSON.stringify(p));
  return dir;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function forgeVendor(bytes: Uint8Array, key: SigningKey, edit: (entries: ArchiveEntry[]) => ArchiveEntry[]): Uint8Array {
  const all = packEntries(bytes);
  const body = edit(all.slice(2));
  const manifest = JSON.parse(text(all[0]!.data)) as Record<string, unknown>;
  manifest['entries'] = manifestEntries(body, body.map((e) => packEntry(e)));
  const data = new TextEncoder().encode(canonicalJson(manifest));
  const sig = new TextEncoder().encode(signBytes('lockup.pack.v1', data, key) + '\n');
  return rebuildPack([{ name: 'manifest.json', data }, { name: 'manifest.sig', data: sig }, ...body]);
}

let key: SigningKey;
let contents: PackContents;
let pack: Uint8Array;
let partner: Catalogue;
let partnerDir: string;

beforeAll(() => {
  key = acmeKey();
  contents = contentsFromFolder(folderWith(program()), emptyCatalogue().catalogue, 'acme');
  pack = acmePack(contents, key);
});

beforeEach(() => {
  ({ catalogue: partner, dir: partnerDir } = emptyCatalogue());
});

describe('building and verifying', () => {
  it('a content folder’s program becomes mdf/program.json and verifies to the same program', () => {
    expect(contents.mdfProgram?.id).toBe('acme-mdf');
    const entry = packEntries(pack).find((e) => e.name === 'mdf/program.json');
    expect(entry).toBeDefined();
    expect(JSON.parse(text(entry!.data))).toEqual(contents.mdfProgram);
    expect(verifyPack(pack).contents.mdfProgram).toEqual(contents.mdfProgram);
  });

  it('packs without a program still verify, with none', () => {
    const { mdfProgram: _m, ...older } = contents;
    expect(verifyPack(acmePack(older as PackContents, key)).contents.mdfProgram).toBeNull();
  });

  it('a program for another brand, or naming a tier the brand lacks, is refused when building and when verifying', () => {
    expect(refusal(() => acmePack({ ...contents, mdfProgram: { ...contents.mdfProgram!, brand: 'globex' } }, key)).message).toMatch(/mdf\/program\.json is refused: .*for brand "globex", not "acme"/);
    const platinum = { ...contents.mdfProgram!, rules: { maxPerQuarter: { platinum: 100 } } };
    expect(refusal(() => acmePack({ ...contents, mdfProgram: platinum }, key)).code).toBe('pack-invalid');
    const forged = forgeVendor(pack, key, (entries) => entries.map((e) => (e.name === 'mdf/program.json' ? { name: e.name, data: new TextEncoder().encode(JSON.stringify({ ...contents.mdfProgram, brand: 'globex' })) } : e)));
    const err = refusal(() => verifyPack(forged));
    expect(err.code).toBe('pack-invalid');
    expect(err.message).toMatch(/not "acme"/);
    expect(refusedUnchanged(partner, () => importPack(partner, forged), 'pack-invalid')).toBeDefined();
  });
});

describe('publish → partner import → mdf:programs', () => {
  it('the vendor publishes the program stored in its catalogue; the partner’s import stores it and offers it with its tier and limit', async () => {
    const { catalogue: vendor, dir: vendorDir } = emptyCatalogue();
    const folder = folderWith(program());
    const bundle = readContentFolder(folder);
    importBundle(vendor, bundle);
    seedProgramFromFolder(vendor, folder, bundle.brand);
    const vendorKey = acmeKey();
    const published = publishPack(vendor, contentsFromCatalogue(vendor, 'acme', 'acme'), vendorKey, path.join(vendorDir, 'acme.lockup'), { created: DERIVED_NOW });
    const bytes = new Uint8Array(fs.readFileSync(published.file));
    expect(packEntries(bytes).map((e) => e.name)).toContain('mdf/program.json');

    importPack(partner, bytes);
    expect(new MdfStore(partner).program('acme')?.program).toEqual(new MdfStore(vendor).program('acme')?.program);

    const service = new ApiService({ catalogue: partner, dataDir: partnerDir, transport: 'web', version: 'test', exportDir: path.join(partnerDir, 'exports'), clock: () => DERIVED_NOW });
    await callOk(service, 'profile:save', { company: 'Harbor IT', contact: { email: 'hello@harbor-it.example' }, tier: 'gold', certifications: [] });
    // Without a credential from Acme, the partner has no tier for Acme's brand: no funds per quarter.
    let views = await callOk<{ program: { id: string }; brandName: string; partnerTier: string | null; quarterLimit: number | null }[]>(service, 'mdf:programs');
    expect(views.map((v) => [v.program.id, v.brandName, v.partnerTier, v.quarterLimit])).toEqual([['acme-mdf', 'Acme Networks', null, 0]]);
    // With Acme's credential (Silver), the tier and limit are the credential's.
    const profile = partner.listProfiles()[0]!;
    importCredential(partner, issueCredential({ partner: profile.id, company: profile.company, tier: 'silver', expires: '2027-12-31T00:00:00.000Z' }, vendorKey, DERIVED_NOW).text, DERIVED_NOW);
    views = await callOk(service, 'mdf:programs');
    expect(views.map((v) => [v.partnerTier, v.quarterLimit])).toEqual([['silver', 300_000]]);
    vendor.close();
  });

  it('a newer pack replaces the program; a pack without one removes it', () => {
    importPack(partner, pack);
    const v2 = contentsFromFolder(folderWith(program({ version: 2, name: 'Acme Fund 2027', autoApproveUpTo: null })), partner, 'acme');
    importPack(partner, acmePack(v2, key, 2));
    expect(new MdfStore(partner).program('acme')?.program).toMatchObject({ version: 2, name: 'Acme Fund 2027', autoApproveUpTo: null });
    const { mdfProgram: _m, ...none } = v2;
    importPack(partner, acmePack(none as PackContents, key, 3));
    expect(new MdfStore(partner).program('acme')).toBeUndefined();
  });

  it('a distributor’s derived pack carries the vendor pack byte for byte: the program arrives unchanged', () => {
    const dist = northwindKey();
    const derived = northwindPack(pack, northwindCredential(key, dist), dist);
    importPack(partner, derived, { now: DERIVED_NOW });
    expect(new MdfStore(partner).program('acme')?.program).toEqual(contents.mdfProgram);
  });

  it('with a distributor’s key pinned from its derived pack, a decision must be signed by that distributor (or the vendor): another key is refused', async () => {
    const dist = northwindKey();
    importPack(partner, northwindPack(pack, northwindCredential(key, dist), dist), { now: DERIVED_NOW });
    const service = new ApiService({ catalogue: partner, dataDir: partnerDir, transport: 'web', version: 'test', exportDir: path.join(partnerDir, 'exports'), clock: () => DERIVED_NOW });
    await callOk(service, 'profile:save', { company: 'Harbor IT', contact: { email: 'hello@harbor-it.example' }, certifications: [] });
    const profile = partner.listProfiles()[0]!;
    importCredential(partner, issueCredential({ partner: profile.id, company: profile.company, tier: 'silver', expires: '2027-12-31T00:00:00.000Z' }, key, DERIVED_NOW).text, DERIVED_NOW);
    const sent = await callOk<{ request: { request: { id: string } }; packet: { path: string } }>(service, 'mdf:submit', {
      draft: { program: 'acme-mdf', activityType: 'events', title: 'Partner day', startDate: '2027-01-20', endDate: '2027-01-20', budgetRequested: 100_000, totalCost: 200_000, expectedLeads: 10, expectedPipeline: 1_000_000, audience: 'Customers', description: 'A day.' },
      path: null,
    });
    const requestSha = sha256Hex(readPacket(new Uint8Array(fs.readFileSync(sent.packet.path))).requestFile);
    const decision = (signer: SigningKey) =>
      Buffer.from(
        signDecision(signer, {
          request: { id: sent.request.request.id, sha256: requestSha },
          decision: 'approved',
          reason: '',
          decidedAt: DERIVED_NOW.toISOString(),
          decidedBy: { id: signer.publisher.id, name: signer.publisher.name },
          verdict: { verdict: 'needs-review', breaches: [] },
        }),
      ).toString('base64');
    const stranger = await callFails(service, 'mdf:decision-import', { name: 'd.lockup-mdf-decision', data: decision(generateSigningKey({ id: 'northwind', name: 'Northwind Distribution' })) });
    expect(stranger.code).toBe('mdf-signature');
    expect(stranger.message).toMatch(/signed by a key you do not know/);
    const view = await callOk<{ status: string }>(service, 'mdf:decision-import', { name: 'd.lockup-mdf-decision', data: decision(dist) });
    expect(view.status).toBe('approved');
  });
});
