import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../core/contracts/api.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { emptyCatalogue, seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { PARTNERS } from '../../test/support/paths.ts';
import { issueCredential } from '../packs/credential.ts';
import { readSigningKey } from '../packs/keys.ts';
import { ApiService } from './service.ts';

/**
 * A vendor verifies a partner's PDF in its own catalogue (export:verify): the
 * partner worked from the vendor's signed pack with a Gold credential and
 * their own logo, which the vendor's catalogue has never seen.
 */

function serviceFor(catalogue: ReturnType<typeof emptyCatalogue>['catalogue'], dataDir: string) {
  const service = new ApiService({ catalogue, dataDir, transport: 'web', version: 'test', exportDir: path.join(dataDir, 'exports') });
  return { ok: <T = unknown>(op: string, input: unknown = {}) => callOk<T>(service, op, input), fails: (op: string, input: unknown = {}) => callFails(service, op, input) };
}
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

let vendor: ReturnType<typeof serviceFor>;
let vendorCat: ReturnType<typeof seededCatalogue>['catalogue'];
let exported: Uint8Array;

beforeAll(async () => {
  let vendorDir: string;
  ({ catalogue: vendorCat, dir: vendorDir } = seededCatalogue());
  vendor = serviceFor(vendorCat, vendorDir);
  await vendor.ok('pack:key-create', { publisherId: 'nimbus', publisherName: 'Nimbus Systems' });
  const published = await vendor.ok<OpOutput<'pack:publish'>>('pack:publish', { brandId: 'nimbus' });
  const key = readSigningKey(path.join(vendorDir, 'keys', 'nimbus.key'));

  const { catalogue: partnerCat, dir: partnerDir } = emptyCatalogue();
  const partner = serviceFor(partnerCat, partnerDir);
  await partner.ok('pack:import', { data: b64(fs.readFileSync(published.path)) });
  await partner.ok('credential:import', { text: issueCredential({ partner: 'summit-msp', company: 'Summit Managed Services', tier: 'gold', expires: '2031-01-01T00:00:00.000Z' }, key).text });
  const logo = await partner.ok<OpOutput<'logo:intake'>>('logo:intake', { name: 'summit.png', data: b64(fs.readFileSync(path.join(PARTNERS, 'logos', 'summit-msp.png'))) });
  await partner.ok('profile:save', { id: 'summit-msp', company: 'Summit Managed Services', logo: logo.ref });
  const opened = await partner.ok<OpOutput<'template:open'>>('template:open', { id: 'case-study-gold' });
  const r = await partner.ok<OpOutput<'export:pdf'>>('export:pdf', { document: opened.document, output: 'screen', path: null });
  exported = fs.readFileSync(r.path);
  partnerCat.close();
}, 120_000);

describe('export:verify', () => {
  it("the partner's export from a signed pack is authentic in the vendor's catalogue, with the pack named; the catalogue is unchanged", async () => {
    const before = dumpDatabase(vendorCat.db);
    const v = await vendor.ok<OpOutput<'export:verify'>>('export:verify', { data: b64(exported) });
    expect(v.verdict).toBe('authentic');
    expect(v.claims).toMatchObject({ template: { id: 'case-study-gold', version: 1 }, partner: { company: 'Summit Managed Services' }, pack: { publisher: { id: 'nimbus', name: 'Nimbus Systems' }, id: 'nimbus', version: 1 } });
    expect(v.claims!.hashes.logos).toHaveLength(1);
    expect(dumpDatabase(vendorCat.db)).toEqual(before);
  }, 60_000);

  it('a file that is not a PDF is refused as pdf-invalid; empty data is an invalid argument', async () => {
    expect((await vendor.fails('export:verify', { data: b64(new TextEncoder().encode('not a pdf')) })).code).toBe('pdf-invalid');
    expect((await vendor.fails('export:verify', { data: '' })).code).toBe('invalid-argument');
  });
});
