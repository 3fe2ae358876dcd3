import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadProfile, type PartnerProfile } from '../../core/model/index.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { emptyCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import {
  acmeContents,
  acmeKey,
  acmePack,
  DERIVED_NOW,
  forgeDerived,
  northwindCredential,
  northwindKey,
  northwindPack,
  northwindSpec,
} from '../../test/support/packs.ts';
import type { Catalogue } from '../catalogue.ts';
import { importCredential } from './access.ts';
import { packEntry, readArchive, writeArchive } from './archive.ts';
import { issueCredential, type CredentialRequest } from './credential.ts';
import { verifyDerivedPack } from './derived.ts';
import { applyDerivation, checkDerivedTemplate } from './derived-rules.ts';
import { importPack, inspectPack } from './import.ts';
import { generateSigningKey, signBytes, type SigningKey } from './keys.ts';
import { verifyPack } from './pack.ts';
import { PackStore } from './store.ts';
import { readDistributorCredential } from './distributor.ts';

import { refusal, refusedUnchanged } from '../../test/support/refusal.ts';

const NOW = DERIVED_NOW;
const opts = { now: NOW };
const anyone: PartnerProfile = loadProfile({ id: 'harbor-it', company: 'Harbor IT', certifications: [] });
const visible = (c: Catalogue) =>
  c
    .templatesFor(anyone, NOW)
    .filter((t) => t.decision.allowed)
    .map((t) => t.id)
    .sort();
const listed = (c: Catalogue) =>
  c
    .templatesFor(anyone, NOW)
    .map((t) => t.id)
    .sort();

let vendor: SigningKey;
let dist: SigningKey;
let vendorPack: Uint8Array;
let cred: string;
let derived: Uint8Array;
let partner: Catalogue;

beforeEach(() => {
  vendor = acmeKey();
  dist = northwindKey();
  vendorPack = acmePack(acmeContents(emptyCatalogue().catalogue, { distributorZone: true }), vendor, 1);
  cred = northwindCredential(vendor, dist);
  derived = northwindPack(vendorPack, cred, dist);
  ({ catalogue: partner } = emptyCatalogue());
});

/** Replaces one entry of a derived pack (by name) with `data`. */
const withEntry = (name: string, data: Uint8Array) => (entries: { name: string; data: Uint8Array }[]) => entries.map((e) => (e.name === name ? { name, data } : e));
const entryOf = (bytes: Uint8Array, name: string) => readArchive(bytes).find((e) => e.name === name)!.data;
const textOf = (bytes: Uint8Array, name: string) => new TextDecoder().decode(entryOf(bytes, name));
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
/** Re-assembles entries as the builder would, with no re-signing. */
const rebuild = (entries: { name: string; data: Uint8Array }[]) => writeArchive(entries.map((e) => packEntry(e, e.name.startsWith('derived.') || e.name === 'vendor.lockup')));

describe('a derived pack round trip', () => {
  it('verifies the chain: vendor pack, distributor credential, overlay, vendor-locked content', () => {
    const v = verifyDerivedPack(derived, undefined, NOW);
    expect(v.vendor.manifest.publisher.id).toBe('acme');
    expect(v.credential).toMatchObject({ vendor: { publisher: 'acme' }, distributor: { id: 'northwind', fingerprint: v.fingerprint }, scope: { templates: ['flyer-open', 'flyer-silver'], maxTier: 'silver' } });
    expect(v.templates.map((t) => t.template.id)).toEqual(['northwind.flyer-open']);
    // The vendor's pack travels byte for byte.
    expect(Buffer.from(entryOf(derived, 'vendor.lockup')).equals(Buffer.from(vendorPack))).toBe(true);
  });

  it('imports the vendor pack and the overlay in one go; the gallery shows the derivation in place of the vendor template', () => {
    const plan = importPack(partner, derived, opts);
    expect(plan).toMatchObject({ publisher: { id: 'acme' }, keyStatus: 'new', status: 'new' });
    expect(plan.derived).toMatchObject({ distributor: { id: 'northwind', name: 'Northwind Distribution' }, keyStatus: 'new', status: 'new', lockedChecked: 1, overlay: { id: 'northwind.acme', version: 1 } });
    expect(plan.derived!.changes.added.map((t) => t.id)).toEqual(['northwind.flyer-open']);
    expect(listed(partner)).toEqual(['flyer-gold', 'flyer-silver', 'northwind.flyer-open']);
    expect(visible(partner)).toEqual(['northwind.flyer-open']);
    const t = partner.getTemplate('northwind.flyer-open');
    expect(t.fields.find((f) => f.key === 'distributor')?.default).toBe('Northwind Distribution');
    expect(t.pages[0]!.zones.map((z) => z.id)).toEqual(['band', 'vendor-logo', 'partner-logo', 'tagline', 'dist-line', 'nw-contact']);
    const store = new PackStore(partner);
    expect(store.distributor('acme', 'northwind')).toMatchObject({ name: 'Northwind Distribution', publicKey: dist.publicKey, profile: { contact: { phone: '+1 555 0100' } } });
    expect(store.derivation('northwind.flyer-open')).toEqual({ distributorId: 'northwind', derivedFrom: 'flyer-open' });
  });

  it('inspect shows the chain and writes nothing; the identical pack again is a no-op', () => {
    const before = dumpDatabase(partner.db);
    expect(inspectPack(partner, derived, opts).derived?.status).toBe('new');
    expect(dumpDatabase(partner.db)).toEqual(before);
    importPack(partner, derived, opts);
    const after = dumpDatabase(partner.db);
    const again = importPack(partner, derived, opts);
    expect([again.status, again.derived?.status]).toEqual(['same', 'same']);
    expect(dumpDatabase(partner.db)).toEqual(after);
  });

  it('a newer overlay updates the derived template; a newer plain vendor pack keeps the derivation in the gallery', () => {
    importPack(partner, derived, opts);
    const v2 = northwindPack(vendorPack, cred, dist, { version: 2, specs: [northwindSpec({ defaults: { distributor: 'Northwind (EMEA)' } })] });
    const plan = importPack(partner, v2, opts);
    expect(plan.derived?.changes.changed).toEqual([{ id: 'northwind.flyer-open', name: 'Open flyer', from: 1, to: 2 }]);
    expect(partner.getTemplate('northwind.flyer-open').fields.find((f) => f.key === 'distributor')?.default).toBe('Northwind (EMEA)');
    importPack(partner, acmePack(acmeContents(emptyCatalogue().catalogue, { distributorZone: true }), vendor, 2), opts);
    expect(listed(partner)).toContain('northwind.flyer-open');
    expect(listed(partner)).not.toContain('flyer-open');
    // The vendor withdraws the template: the derivation leaves the gallery with it.
    importPack(partner, acmePack(acmeContents(emptyCatalogue().catalogue, { distributorZone: true, omit: ['flyer-open'] }), vendor, 3), opts);
    expect(listed(partner)).toEqual(['flyer-gold', 'flyer-silver']);
  });
});

describe('what a distributor may change (checked at build and at verify)', () => {
  const vendorTemplate = () => verifyPack(vendorPack).contents.templates.find((t) => t.id === 'flyer-open')!;
  const levels = () => verifyPack(vendorPack).contents.brand.access;
  const derive = (spec: Parameters<typeof northwindSpec>[0]) => () => applyDerivation(vendorTemplate(), northwindSpec(spec), 'northwind', 1, levels(), (f) => f);

  it('refuses changes to vendor zones, vendor field defaults, wider access, and zones over the vendor’s', () => {
    expect(refusal(derive({ zones: { band: { fill: 'paper' } } })).message).toMatch(/belongs to the vendor/);
    expect(refusal(derive({ zones: { 'dist-line': { rect: { x: 0, y: 0, w: 419, h: 80 } } } })).message).toMatch(/"dist-line" changes its rect/);
    expect(refusal(derive({ defaults: { tagline: 'Buy now' } })).message).toMatch(/default of the field "tagline" is the vendor's/);
    const over = refusal(derive({ add: [{ page: 1, zone: { id: 'cover', kind: 'color-block', fill: 'paper', rect: { x: 10, y: 90, w: 100, h: 40 } } }] }));
    expect([over.code, over.message]).toEqual(['derived-vendor-locked', expect.stringMatching(/"cover" covers the vendor's zone "vendor-logo"/)]);
    expect(refusal(derive({ add: [{ page: 1, zone: { id: 'p', kind: 'partner-logo', lock: 'editable', rect: { x: 10, y: 560, w: 50, h: 20 } } }] })).code).toBe('derived-vendor-locked');
    // Narrowing is allowed; the silver flyer cannot be opened to registered partners.
    expect(derive({ access: { minTier: 'gold' } })().access).toEqual({ minTier: 'gold' });
    const silver = verifyPack(vendorPack).contents.templates.find((t) => t.id === 'flyer-silver')!;
    const widened = { ...silver, id: 'northwind.flyer-silver', access: { minTier: 'registered' } };
    expect(refusal(() => checkDerivedTemplate(silver, widened, 'northwind', levels())).message).toMatch(/access is wider than the vendor's: its minimum tier registered is below silver/);
  });

  it('build refuses a template outside the credential scope, and a key the credential does not name', () => {
    expect(refusal(() => northwindPack(vendorPack, cred, dist, { specs: [northwindSpec({ template: 'flyer-gold' })] })).code).toBe('derived-out-of-scope');
    expect(refusal(() => northwindPack(vendorPack, cred, generateSigningKey({ id: 'northwind', name: 'Northwind Distribution' }))).code).toBe('distributor-key-mismatch');
  });
});

describe('refusals: nothing is imported', () => {
  it('an overlay changed after signing (derived-signature)', () => {
    const entries = readArchive(derived);
    entries[0] = { name: 'derived.json', data: new TextEncoder().encode(new TextDecoder().decode(entries[0]!.data).replace('"version":1', '"version":7')) };
    const err = refusedUnchanged(partner, () => importPack(partner, rebuild(entries), opts), 'derived-signature');
    expect(err.message).toMatch(/distributor's signature does not match/);
  });

  it('an overlay signed by a key the vendor did not authorise (distributor-key-mismatch)', () => {
    const impostor = generateSigningKey({ id: 'northwind', name: 'Northwind Distribution' });
    const bytes = forgeDerived(derived, impostor, { manifest: (m) => ((m['distributor'] as { key: { public: string } }).key.public = impostor.publicKey) });
    const err = refusedUnchanged(partner, () => importPack(partner, bytes, opts), 'distributor-key-mismatch');
    expect(err.message).toMatch(/Acme Networks authorised "northwind" with key/);
  });

  it('a distributor credential not signed by the vendor’s key (distributor-credential-signature)', () => {
    const forger = generateSigningKey({ id: 'acme', name: 'Acme Networks' });
    const forged = northwindCredential(forger, dist, { templates: 'all', maxTier: 'gold' });
    const bytes = forgeDerived(derived, dist, { entries: withEntry('distributor.cred', new TextEncoder().encode(forged)) });
    const err = refusedUnchanged(partner, () => importPack(partner, bytes, opts), 'distributor-credential-signature');
    expect(err.message).toMatch(/not signed by Acme Networks's key/);
    // An edited scope in the genuine credential fails the same way.
    const widened = cred.replace('"maxTier": "silver"', '"maxTier": "gold"');
    expect(widened).not.toBe(cred);
    const bytes2 = forgeDerived(derived, dist, { entries: withEntry('distributor.cred', new TextEncoder().encode(widened)) });
    refusedUnchanged(partner, () => importPack(partner, bytes2, opts), 'distributor-credential-signature');
  });

  it('an expired, or not yet valid, distributor credential (distributor-credential-expired)', () => {
    const err = refusedUnchanged(partner, () => importPack(partner, derived, { now: new Date('2028-01-02T00:00:00.000Z') }), 'distributor-credential-expired');
    expect(err.message).toMatch(/authorisation of Northwind Distribution expired on 2028-01-01/);
    const early = refusedUnchanged(partner, () => importPack(partner, derived, { now: new Date('2026-10-01T00:00:00.000Z') }), 'distributor-credential-expired');
    expect(early.message).toMatch(/not valid yet/);
  });

  it('a derived template outside the credential’s scope (derived-out-of-scope)', () => {
    const wide = northwindCredential(vendor, dist, { templates: 'all' });
    const gold = northwindPack(vendorPack, wide, dist, { specs: [northwindSpec({ template: 'flyer-gold' })] });
    const bytes = forgeDerived(gold, dist, { entries: withEntry('distributor.cred', new TextEncoder().encode(cred)) });
    const err = refusedUnchanged(partner, () => importPack(partner, bytes, opts), 'derived-out-of-scope');
    expect(err.message).toMatch(/did not authorise Northwind Distribution to derive "flyer-gold"/);
  });

  it('a vendor-locked element changed in a derived template (derived-vendor-locked, naming template and zone)', () => {
    const t = JSON.parse(textOf(derived, 'templates/flyer-open.json')) as { pages: { zones: Record<string, unknown>[] }[] };
    t.pages[0]!.zones[0]!['fill'] = 'paper';
    const bytes = forgeDerived(derived, dist, { entries: withEntry('templates/flyer-open.json', json(t)) });
    const err = refusedUnchanged(partner, () => importPack(partner, bytes, opts), 'derived-vendor-locked');
    expect(err.message).toMatch(/"Open flyer" \(flyer-open@1\): the vendor's zone "band" differs/);
    expect(err.details).toMatchObject({ template: 'flyer-open', zone: 'band' });
  });

  it('a tampered vendor pack inside (derived-vendor-pack)', () => {
    const bad = new Uint8Array(vendorPack);
    const at = Buffer.from(bad).indexOf('"name":"Acme Networks"') + 9;
    bad[at] = bad[at]! ^ 0x01;
    const bytes = forgeDerived(derived, dist, { entries: withEntry('vendor.lockup', bad) });
    const err = refusedUnchanged(partner, () => importPack(partner, bytes, opts), 'derived-vendor-pack');
    expect(err.message).toMatch(/The vendor's pack inside this derived pack is refused/);
  });

  it('a vendor pack swapped for an older one: without the distributor key (pack-invalid), and re-signed (derived-binding)', () => {
    const v2 = acmePack(acmeContents(emptyCatalogue().catalogue, { distributorZone: true, bump: ['flyer-open'] }), vendor, 2);
    const onV2 = northwindPack(v2, cred, dist, { specs: [northwindSpec()] });
    const swapped = readArchive(onV2).map((e) => (e.name === 'vendor.lockup' ? { name: e.name, data: vendorPack } : e));
    const err = refusedUnchanged(partner, () => importPack(partner, rebuild(swapped), opts), 'pack-invalid');
    expect(err.message).toMatch(/"vendor.lockup" is not the entry the publisher signed/);
    const resigned = forgeDerived(onV2, dist, { entries: withEntry('vendor.lockup', vendorPack) });
    const err2 = refusedUnchanged(partner, () => importPack(partner, resigned, opts), 'derived-binding');
    expect(err2.message).toMatch(/signed this overlay for acme's pack "acme" version 2 .* but it carries "acme" version 1 .*swapped/);
  });

  it('a derived pack carrying an older vendor pack than the catalogue holds (pack-rollback)', () => {
    const { catalogue: fresh } = emptyCatalogue();
    const v2 = acmePack(acmeContents(emptyCatalogue().catalogue, { distributorZone: true, bump: ['flyer-open'] }), vendor, 2);
    importPack(fresh, v2, opts);
    const err = refusedUnchanged(fresh, () => importPack(fresh, derived, opts), 'pack-rollback');
    expect(err.message).toMatch(/Northwind Distribution's derived pack carries an older vendor pack than you have\. This is version 1 .* older than version 2/);
  });

  it('an older overlay version (pack-rollback), and a changed distributor key unless trusted (distributor-key-changed)', () => {
    const { catalogue: fresh } = emptyCatalogue();
    importPack(fresh, northwindPack(vendorPack, cred, dist, { version: 3 }), opts);
    refusedUnchanged(fresh, () => importPack(fresh, derived, opts), 'pack-rollback');
    const rotated = generateSigningKey({ id: 'northwind', name: 'Northwind Distribution' });
    const v4 = northwindPack(vendorPack, northwindCredential(vendor, rotated), rotated, { version: 4 });
    const err = refusedUnchanged(fresh, () => importPack(fresh, v4, opts), 'distributor-key-changed');
    expect(err.message).toMatch(/different key than the one you trusted before/);
    expect(importPack(fresh, v4, { ...opts, trustNewKey: true }).derived?.keyStatus).toBe('changed');
    expect(new PackStore(fresh).distributor('acme', 'northwind')?.publicKey).toBe(rotated.publicKey);
  });

  it('property: any mutated byte of a derived pack is refused and the catalogue stays as it was', () => {
    const before = dumpDatabase(partner.db);
    const codes = new Set(['pack-invalid', 'pack-signature', 'pack-limit', 'derived-signature', 'derived-vendor-pack']);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: derived.byteLength - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const bad = new Uint8Array(derived);
        bad[at] = bad[at]! ^ x;
        const err = refusal(() => importPack(partner, bad, opts));
        return codes.has(err.code);
      }),
      { numRuns: 150 },
    );
    expect(dumpDatabase(partner.db)).toEqual(before);
  });
});

describe('partner credentials issued by a distributor', () => {
  const request = (over: Partial<CredentialRequest> = {}): CredentialRequest => ({ partner: 'harbor-it', company: 'Harbor IT', tier: 'silver', expires: '2027-06-01T00:00:00.000Z', ...over });
  const tiers = ['registered', 'silver', 'gold'];
  const issuing = (text = cred) => ({ credentialText: text, claims: readDistributorCredential(text, { publisherId: 'acme', name: 'Acme Networks', publicKey: vendor.publicKey }) });

  beforeEach(() => {
    importPack(partner, derived, opts);
  });

  it('within scope: accepted, and access follows it for the templates the vendor allowed', () => {
    const { text, claims } = issueCredential(request(), dist, NOW, issuing(), tiers);
    expect(claims).toMatchObject({ publisher: 'acme', issuedBy: 'northwind', distributor: 'Northwind Distribution', tier: 'silver' });
    importCredential(partner, text, NOW);
    expect(visible(partner)).toEqual(['flyer-silver', 'northwind.flyer-open']);
  });

  it('a tier above the vendor’s maximum is refused at issue and, forged, at import (credential-out-of-scope)', () => {
    expect(refusal(() => issueCredential(request({ tier: 'gold' }), dist, NOW, issuing(), tiers)).message).toMatch(/grants the tier "gold", above "silver"/);
    const claims = { id: 'forged-1', publisher: 'acme', partner: 'harbor-it', company: 'Harbor IT', tier: 'gold', distributor: 'Northwind Distribution', certifications: [], issuedBy: 'northwind', issued: NOW.toISOString(), expires: '2027-06-01T00:00:00.000Z' };
    const file = { format: 'lockup.credential', formatVersion: 1, claims, signature: { type: 'ed25519', value: signBytes('lockup.credential.v1', new TextEncoder().encode(canonicalJson(claims)), dist) }, issuer: JSON.parse(cred) as unknown };
    const err = refusedUnchanged(partner, () => importCredential(partner, JSON.stringify(file), NOW), 'credential-out-of-scope');
    expect(err.message).toMatch(/Northwind Distribution issued this credential beyond what Acme Networks allowed: it grants the tier "gold", above "silver"/);
  });

  it('outside the authorisation: a region not allowed, expiring after it, or signed by another key', () => {
    const regional = northwindCredential(vendor, dist, { regions: ['emea'] });
    expect(refusal(() => issueCredential(request({ region: 'apac' }), dist, NOW, issuing(regional), tiers)).code).toBe('credential-out-of-scope');
    expect(refusal(() => issueCredential(request({ expires: '2029-01-01T00:00:00.000Z' }), dist, NOW, issuing(), tiers)).message).toMatch(/after the authorisation itself/);
    const other = generateSigningKey({ id: 'northwind', name: 'Northwind Distribution' });
    expect(refusal(() => issueCredential(request(), other, NOW, issuing(), tiers)).code).toBe('distributor-key-mismatch');
  });

  it('a credential counts only for the templates the authorisation covers', () => {
    const goldOpenOnly = northwindCredential(vendor, dist, { templates: ['flyer-open'], maxTier: 'gold' });
    const { text } = issueCredential(request({ tier: 'gold' }), dist, NOW, issuing(goldOpenOnly), tiers);
    importCredential(partner, text, NOW);
    // Gold, but only for the open flyer: the silver and gold flyers stay closed.
    expect(visible(partner)).toEqual(['northwind.flyer-open']);
    const vendorIssued = issueCredential(request({ tier: 'gold' }), vendor, NOW).text;
    importCredential(partner, vendorIssued, NOW);
    expect(visible(partner)).toEqual(['flyer-gold', 'flyer-silver', 'northwind.flyer-open']);
  });

  it('a revoked distributor authorisation revokes the credentials issued under it', () => {
    const { text } = issueCredential(request(), dist, NOW, issuing(), tiers);
    importCredential(partner, text, NOW);
    const dcId = (JSON.parse(cred) as { claims: { id: string } }).claims.id;
    partner.db.prepare("INSERT INTO revocations (publisher_id, credential_id, revoked_at, reason) VALUES ('acme', ?, ?, 'contract ended')").run(dcId, NOW.toISOString());
    expect(visible(partner)).toEqual(['northwind.flyer-open']);
    expect(partner.templatesFor(anyone, NOW)[0]!.notice).toMatch(/revoked/);
  });
});
