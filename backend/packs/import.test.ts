import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadProfile, type PartnerProfile } from '../../core/model/index.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { emptyCatalogue, seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { acmeContents, acmeKey, acmePack, packEntries, rebuildPack, resignManifest } from '../../test/support/packs.ts';
import { listFilesDeep } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { newDocument } from '../services/engine.ts';
import { importCredential } from './access.ts';
import { packEntry, readArchive, writeArchive } from './archive.ts';
import { issueCredential, type CredentialRequest } from './credential.ts';
import { importPack, inspectPack } from './import.ts';
import { generateSigningKey, type SigningKey } from './keys.ts';
import type { PackContents } from './pack.ts';
import { PackStore } from './store.ts';

import { refusal, refusedUnchanged } from '../../test/support/refusal.ts';

const harbor: PartnerProfile = loadProfile({ id: 'harbor-it', company: 'Harbor IT', tier: 'gold', certifications: [] });
const visible = (c: Catalogue, p?: PartnerProfile) =>
  c
    .templatesFor(p)
    .filter((t) => t.decision.allowed)
    .map((t) => t.id)
    .sort();

let key: SigningKey;
let v1: PackContents;
let partner: Catalogue;
let partnerDir: string;

beforeEach(() => {
  key = acmeKey();
  v1 = acmeContents(emptyCatalogue().catalogue);
  ({ catalogue: partner, dir: partnerDir } = emptyCatalogue());
});

const silver = (over: Partial<CredentialRequest> = {}): CredentialRequest => ({ partner: 'harbor-it', company: 'Harbor IT', tier: 'silver', expires: '2030-01-01T00:00:00.000Z', ...over });

describe('importing a pack', () => {
  it('imports everything in one go and pins the publisher key on first import', () => {
    const plan = importPack(partner, acmePack(v1, key));
    expect(plan).toMatchObject({ keyStatus: 'new', status: 'new', previousVersion: null, brand: { id: 'acme', replacesLocal: false } });
    expect(plan.changes.added.map((t) => t.id).sort()).toEqual(['flyer-gold', 'flyer-open', 'flyer-silver']);
    const store = new PackStore(partner);
    expect(store.publisher('acme')?.publicKey).toBe(key.publicKey);
    expect(store.brandPublisher('acme')).toBe('acme');
    expect(partner.getTemplate('flyer-gold').version).toBe(1);
  });

  it('inspect shows the plan and writes nothing', () => {
    const before = dumpDatabase(partner.db);
    const plan = inspectPack(partner, acmePack(v1, key));
    expect(plan.changes.added).toHaveLength(3);
    expect(dumpDatabase(partner.db)).toEqual(before);
  });

  it('re-importing the identical pack is a no-op', () => {
    const bytes = acmePack(v1, key);
    importPack(partner, bytes);
    const before = dumpDatabase(partner.db);
    expect(importPack(partner, bytes).status).toBe('same');
    expect(dumpDatabase(partner.db)).toEqual(before);
  });

  it('a tampered pack leaves the catalogue exactly as it was (pack-signature / pack-invalid)', () => {
    importPack(partner, acmePack(v1, key));
    const good = acmePack(acmeContents(partner, { bump: ['flyer-open'] }), key, 2);
    // A flipped byte fails the archive's CRC (pack-invalid)…
    const flipped = new Uint8Array(good);
    const at = Buffer.from(good).indexOf('"name":"Acme Networks"') + 8;
    flipped[at] = flipped[at]! ^ 0x01;
    refusedUnchanged(partner, () => importPack(partner, flipped), 'pack-invalid');
    // …and an edit with a fixed-up CRC fails the signature.
    const entries = readArchive(good);
    entries[0] = { name: 'manifest.json', data: new TextEncoder().encode(new TextDecoder().decode(entries[0]!.data).replace('"name":"Acme Networks"', '"name":"Acme Networkz"')) };
    const edited = writeArchive(entries.map((e) => packEntry(e, e.name.startsWith('manifest.'))));
    const err = refusedUnchanged(partner, () => importPack(partner, edited), 'pack-signature');
    expect(err.message).toMatch(/changed after it was signed/);
  });

  it('property: any mutated byte of a newer pack is refused and the catalogue stays as it was', () => {
    importPack(partner, acmePack(v1, key));
    const v2 = acmePack(acmeContents(partner, { bump: ['flyer-open'] }), key, 2);
    const before = dumpDatabase(partner.db);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: v2.byteLength - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const bad = new Uint8Array(v2);
        bad[at] = bad[at]! ^ x;
        const err = refusal(() => importPack(partner, bad));
        return ['pack-invalid', 'pack-signature', 'pack-limit'].includes(err.code);
      }),
      { numRuns: 120 },
    );
    expect(dumpDatabase(partner.db)).toEqual(before);
  });

  it('refuses an older version (no rollback)', () => {
    importPack(partner, acmePack(acmeContents(partner, { bump: ['flyer-open'] }), key, 5));
    const err = refusedUnchanged(partner, () => importPack(partner, acmePack(v1, key, 4)), 'pack-rollback');
    expect(err.message).toMatch(/version 4 .* older than version 5/);
  });

  it('refuses the same version with different bytes (no mix-and-match)', () => {
    importPack(partner, acmePack(v1, key, 3));
    const other = acmePack(acmeContents(partner, { omit: ['flyer-gold'] }), key, 3);
    const err = refusedUnchanged(partner, () => importPack(partner, other), 'pack-rollback');
    expect(err.message).toMatch(/already imported with different content/);
  });

  it('refuses a newer pack that changes a published template version in place', () => {
    importPack(partner, acmePack(v1, key, 1));
    const c = acmeContents(partner);
    c.templates[0] = { ...c.templates[0]!, name: 'Renamed without a new version' };
    const err = refusedUnchanged(partner, () => importPack(partner, acmePack(c, key, 2)), 'pack-rollback');
    expect(err.message).toMatch(/differs from the version 1 you already have/);
  });

  it('refuses a different key for the same publisher unless the user trusts it, then re-pins', () => {
    importPack(partner, acmePack(v1, key, 1));
    const impostor = generateSigningKey({ id: 'acme', name: 'Acme Networks' });
    const bytes = acmePack(acmeContents(partner, { bump: ['flyer-open'] }), impostor, 2);
    expect(inspectPack(partner, bytes)).toMatchObject({ keyStatus: 'changed' });
    const err = refusedUnchanged(partner, () => importPack(partner, bytes), 'pack-key-changed');
    expect(err.message).toMatch(/different key than the one you trusted before/);
    expect(err.message).toMatch(/Someone may be impersonating them/);
    expect(err.details).toMatchObject({ was: expect.stringMatching(/^[0-9a-f ]+$/), now: expect.stringMatching(/^[0-9a-f ]+$/) });
    importPack(partner, bytes, { trustNewKey: true });
    expect(new PackStore(partner).publisher('acme')?.publicKey).toBe(impostor.publicKey);
  });

  it("refuses a pack whose brand already came from another publisher", () => {
    importPack(partner, acmePack(v1, key, 1));
    const other = generateSigningKey({ id: 'globex', name: 'Globex' });
    const err = refusedUnchanged(partner, () => importPack(partner, acmePack(v1, other, 1)), 'forbidden');
    expect(err.message).toMatch(/came from publisher "acme"/);
  });

  it('a newer version says what changed: added, changed, withdrawn; withdrawn templates leave the gallery', () => {
    importPack(partner, acmePack(v1, key, 1));
    const plan = importPack(partner, acmePack(acmeContents(partner, { bump: ['flyer-open'], omit: ['flyer-gold'], extraTemplate: true }), key, 2));
    expect(plan.status).toBe('update');
    expect(plan.previousVersion).toBe(1);
    expect(plan.changes.added.map((t) => t.id)).toEqual(['flyer-new']);
    expect(plan.changes.changed).toEqual([{ id: 'flyer-open', name: 'Open flyer', from: 1, to: 2 }]);
    expect(plan.changes.withdrawn).toEqual([{ id: 'flyer-gold', name: 'Gold flyer', from: 1 }]);
    expect(plan.changes.unchanged.map((t) => t.id)).toEqual(['flyer-silver']);
    expect(partner.listTemplates().map((t) => t.id).sort()).toEqual(['flyer-new', 'flyer-open', 'flyer-silver']);
    // Kept for the ledger and old drafts.
    expect(partner.getTemplate('flyer-gold@1').name).toBe('Gold flyer');
  });

  it('drafts on an older template version are migrated when nothing is lost, flagged otherwise', () => {
    importPack(partner, acmePack(v1, key, 1));
    partner.saveProfile(harbor);
    const open = partner.getTemplate('flyer-open');
    const silverT = partner.getTemplate('flyer-silver');
    partner.saveDraft('harbor-it:flyer-open', 'harbor-it', newDocument(open, { tagline: 'Backups that just work' }));
    partner.saveDraft('harbor-it:flyer-silver', 'harbor-it', newDocument(silverT, { tagline: 'A tagline that is thirty-six chars!!' }));
    // v2: flyer-open gets a new version (same fields); flyer-silver's tagline shrinks to 20 characters.
    const plan = importPack(partner, acmePack(acmeContents(partner, { bump: ['flyer-open', 'flyer-silver'], tagline: 20 }), key, 2));
    const byTemplate = Object.fromEntries(plan.drafts.map((d) => [d.templateId, d]));
    expect(byTemplate['flyer-silver']).toMatchObject({ status: 'flagged', fromVersion: 1 });
    expect(byTemplate['flyer-silver']!.note).toMatch(/"Tagline" is now limited to 20 characters/);
    const store = new PackStore(partner);
    expect(partner.getDraft('harbor-it:flyer-silver')!.document.templateVersion).toBe(1);
    expect(store.draftNote('harbor-it:flyer-silver')).toMatch(/stays on version 1/);
    // flyer-open's draft also had a 40-char limit → now 20: flagged as well; make one that fits.
    expect(byTemplate['flyer-open']!.status).toBe('flagged');

    partner.saveDraft('harbor-it:flyer-open', 'harbor-it', newDocument(partner.getTemplate('flyer-open@1'), { tagline: 'Short' }));
    const plan3 = importPack(partner, acmePack(acmeContents(partner, { bump: ['flyer-open', 'flyer-silver'], tagline: 20, extraTemplate: true }), key, 3));
    expect(plan3.drafts.find((d) => d.templateId === 'flyer-open')).toMatchObject({ status: 'migrated', fromVersion: 1, toVersion: 2 });
    expect(partner.getDraft('harbor-it:flyer-open')!.document).toMatchObject({ templateVersion: 2, fields: { tagline: 'Short' } });
    expect(store.draftNote('harbor-it:flyer-open')).toBeNull();
  });

  it('refuses to import into the catalogue that published as the same publisher', () => {
    const { catalogue: vendor } = emptyCatalogue();
    new PackStore(vendor).recordPublished('acme', 1, 'acme', 'x'.repeat(64), '/tmp/acme.lockup');
    refusedUnchanged(vendor, () => importPack(vendor, acmePack(v1, key)), 'forbidden');
  });

  it('a pack for a brand the catalogue holds locally takes it over and withdraws what the pack lacks', () => {
    const { catalogue } = seededCatalogue();
    const nimbusKey = generateSigningKey({ id: 'nimbus', name: 'Nimbus Systems' });
    const c = acmeContents(catalogue);
    const brand = { ...catalogue.getBrand('nimbus') };
    const t = { ...catalogue.getTemplate('email-banner'), version: 2 };
    const assets = new Map<string, Uint8Array>();
    for (const ref of [...brand.fonts.map((f) => f.file), ...brand.logos.map((l) => l.file), ...t.pages.flatMap((p) => p.zones.flatMap((z) => (z.kind === 'image' ? [z.asset] : [])))]) {
      assets.set(ref, catalogue.assetBytes(ref)!.bytes);
    }
    const plan = importPack(catalogue, acmePack({ ...c, brand, templates: [t], assets }, nimbusKey, 1));
    expect(plan.brand).toMatchObject({ id: 'nimbus', replacesLocal: true });
    expect(plan.changes.changed.map((x) => x.id)).toEqual(['email-banner']);
    expect(plan.changes.withdrawn.length).toBe(9);
    expect(catalogue.listTemplates().map((x) => x.id)).toEqual(['email-banner']);
  });
});

describe('every attack on a pack named in issue #4 is refused at import; the catalogue and the data folder stay as they were', () => {
  const enc = new TextEncoder();
  const flip = (b: Uint8Array, at: number) => {
    const i = Math.floor(b.byteLength * at);
    b[i] = b[i]! ^ 0x10;
    return b;
  };
  const zipBomb = () => rebuildPack([...packEntries(acmePack(v1, key)), { name: 'zeros.bin', data: new Uint8Array(16 * 1024 * 1024) }]);
  const attacks: [string, () => Uint8Array, string, RegExp][] = [
    ['a tampered byte', () => flip(acmePack(v1, key), 1 / 3), 'pack-invalid', /damaged|signed/],
    ['a missing entry', () => rebuildPack(packEntries(acmePack(v1, key)).filter((e) => e.name !== 'brand.json')), 'pack-invalid', /lists "brand.json", but the pack does not hold it/],
    ['an extra entry', () => rebuildPack([...packEntries(acmePack(v1, key)), { name: 'templates/free.json', data: enc.encode('{}') }]), 'pack-invalid', /does not list: "templates\/free.json"/],
    ['a truncated file', () => acmePack(v1, key).subarray(0, 5000), 'pack-invalid', /truncated/],
    ['a zip bomb', zipBomb, 'pack-limit', /ratio over 200:1/],
    ['a path-traversal entry name', () => rebuildPack([...packEntries(acmePack(v1, key)), { name: '../../evil.sh', data: enc.encode('echo owned') }]), 'pack-invalid', /"\.\." segment/],
    ['a manifest with unknown keys', () => resignManifest(acmePack(v1, key), key, (m) => ({ ...m, extra: 1 })), 'pack-invalid', /not a Lockup pack manifest/],
    ['a manifest with a prototype-pollution key', () => resignManifest(acmePack(v1, key), key, () => undefined, (m) => canonicalJson(m).replace('{"entries"', '{"__proto__":{"x":1},"entries"')), 'pack-invalid', /"__proto__" is not allowed/],
    ['an unknown key type', () => resignManifest(acmePack(v1, key), key, (m) => { (m['publisher'] as { key: { type: string } }).key.type = 'rsa'; }), 'pack-signature', /unknown key type "rsa"/],
  ];
  it.each(attacks)('%s', (_, make, code, why) => {
    importPack(partner, acmePack(acmeContents(partner, { omit: ['flyer-gold'] }), key, 1));
    const files = listFilesDeep(partnerDir);
    const err = refusedUnchanged(partner, () => importPack(partner, make()), code);
    expect(err.message).toMatch(why);
    expect(listFilesDeep(partnerDir)).toEqual(files);
    expect(listFilesDeep(path.dirname(partnerDir)).filter((f) => f.includes('evil'))).toEqual([]);
  });
});

describe('partner credentials', () => {
  beforeEach(() => {
    importPack(partner, acmePack(v1, key));
  });

  it('without a credential a partner sees only templates open to everyone, whatever the profile says', () => {
    expect(visible(partner, harbor)).toEqual(['flyer-open']);
    expect(visible(partner)).toEqual(['flyer-open']);
    expect(partner.templatesFor(harbor)[0]!.notice).toMatch(/no credential from Acme Networks/);
  });

  it('a Silver credential grants Silver templates; the typed Gold tier in the profile is ignored', () => {
    const r = importCredential(partner, issueCredential(silver(), key).text);
    expect(r).toMatchObject({ publisherName: 'Acme Networks', replaced: false, claims: { tier: 'silver', publisher: 'acme' } });
    expect(visible(partner, harbor)).toEqual(['flyer-open', 'flyer-silver']);
    expect(visible(partner)).toEqual(['flyer-open', 'flyer-silver']);
    expect(partner.accessProfile('acme', harbor).profile.tier).toBe('silver');
  });

  it('an expired credential is refused at import, and one that expires later downgrades access with a message', () => {
    const expired = issueCredential(silver({ expires: '2026-01-01T00:00:00.000Z' }), key, new Date('2025-01-01T00:00:00Z')).text;
    const err = refusedUnchanged(partner, () => importCredential(partner, expired), 'credential-expired');
    expect(err.message).toMatch(/expired on 2026-01-01/);
    importCredential(partner, issueCredential(silver({ expires: '2027-01-01T00:00:00.000Z' }), key).text);
    const later = new Date('2027-06-01T00:00:00Z');
    expect(partner.templatesFor(harbor, later).filter((t) => t.decision.allowed).map((t) => t.id)).toEqual(['flyer-open']);
    expect(partner.templatesFor(harbor, later)[0]!.notice).toMatch(/expired on 2027-01-01/);
  });

  it('a credential revoked in a newer pack downgrades access; a revoked credential is refused at import', () => {
    const cred = issueCredential(silver(), key);
    importCredential(partner, cred.text);
    const c2 = acmeContents(partner, { bump: ['flyer-open'] });
    c2.revocations = [{ id: cred.claims.id, revokedAt: '2026-11-20T00:00:00.000Z', reason: 'partner agreement ended' }];
    importPack(partner, acmePack(c2, key, 2));
    expect(visible(partner, harbor)).toEqual(['flyer-open']);
    expect(partner.templatesFor(harbor)[0]!.notice).toMatch(/revoked on 2026-11-20 \(partner agreement ended\)/);
    const err = refusedUnchanged(partner, () => importCredential(partner, cred.text), 'credential-revoked');
    expect(err.message).toMatch(/revoked/);
  });

  it('a credential edited by hand is refused (credential-signature)', () => {
    const text = issueCredential(silver(), key).text.replace('"tier": "silver"', '"tier": "gold"');
    const err = refusedUnchanged(partner, () => importCredential(partner, text), 'credential-signature');
    expect(err.message).toMatch(/edited after it was issued/);
  });

  it('a duplicated claim key (last one wins in JSON.parse) still fails the signature', () => {
    const text = issueCredential(silver(), key).text.replace('"tier": "silver"', '"tier": "silver", "tier": "gold"');
    refusedUnchanged(partner, () => importCredential(partner, text), 'credential-signature');
  });

  it('a credential for another vendor is refused (credential-wrong-publisher)', () => {
    const globex = generateSigningKey({ id: 'globex', name: 'Globex' });
    const err = refusedUnchanged(partner, () => importCredential(partner, issueCredential(silver(), globex).text), 'credential-wrong-publisher');
    expect(err.message).toMatch(/publisher "globex", whose pack is not in this catalogue/);
  });

  it("a credential naming this vendor but signed by another key is refused", () => {
    const impostor = generateSigningKey({ id: 'acme', name: 'Acme Networks' });
    refusedUnchanged(partner, () => importCredential(partner, issueCredential(silver({ tier: 'gold' }), impostor).text), 'credential-signature');
  });

  it.each([
    ['not JSON', 'hello', /not a Lockup credential/],
    ['a prototype-pollution key', '{"__proto__":{"admin":true}}', /"__proto__" is not allowed/],
    ['unknown keys', (t: string) => t.replace('"format"', '"extra": 1, "format"'), /not a Lockup credential file/],
    ['an unknown claim', (t: string) => t.replace('"tier"', '"admin": true, "tier"'), /claims are invalid/],
    ['an unknown signature type', (t: string) => t.replace('"type": "ed25519"', '"type": "hmac"'), /unknown key type "hmac"/],
  ] as const)('refuses a credential with %s (credential-invalid)', (_, mutate, why) => {
    const text = typeof mutate === 'string' ? mutate : mutate(issueCredential(silver(), key).text);
    const before = dumpDatabase(partner.db);
    const err = refusal(() => importCredential(partner, text));
    expect(err.message).toMatch(why);
    expect(['credential-invalid', 'credential-signature']).toContain(err.code);
    expect(dumpDatabase(partner.db)).toEqual(before);
  });

  it('property: changing any claim to another valid value is refused', () => {
    const issued = issueCredential(silver({ type: 'reseller', region: 'emea', certifications: ['x'] }), key);
    const file = JSON.parse(issued.text) as { claims: Record<string, unknown> };
    const keys = Object.keys(file.claims);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), (k, value) => {
        const original = file.claims[k];
        const next = Array.isArray(original) ? [value] : k === 'issued' || k === 'expires' ? '2031-02-03T04:05:06.000Z' : value;
        fc.pre(canonicalJson(next) !== canonicalJson(original));
        const text = JSON.stringify({ ...file, claims: { ...file.claims, [k]: next } });
        const err = refusal(() => importCredential(partner, text));
        return ['credential-signature', 'credential-invalid', 'credential-wrong-publisher'].includes(err.code);
      }),
      { numRuns: 150 },
    );
    expect(new PackStore(partner).credential('acme')).toBeUndefined();
  });

  it('issuing refuses bad claims with the field at fault', () => {
    expect(refusal(() => issueCredential(silver({ tier: 'Gold Tier!' }), key)).message).toMatch(/at tier/);
    expect(refusal(() => issueCredential(silver({ expires: 'next year' }), key)).message).toMatch(/at expires/);
  });
});
