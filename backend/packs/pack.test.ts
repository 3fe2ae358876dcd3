import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LockupError } from '../../core/errors.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { emptyCatalogue } from '../../test/support/catalogue.ts';
import { acmeContents, acmeKey, acmePack, packEntries, rebuildPack, resignManifest } from '../../test/support/packs.ts';
import { DEFAULT_LIMITS, expandEntry, packEntry, readArchive, readArchiveEntries, writeArchive } from './archive.ts';
import { generateSigningKey, type SigningKey } from './keys.ts';
import { checkEntryNames, entryNameProblem } from './names.ts';
import { verifyPack, type PackContents } from './pack.ts';

const enc = new TextEncoder();

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof LockupError) return err.code;
    return `non-lockup: ${(err as Error).message}`;
  }
  return 'accepted';
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
}

let key: SigningKey;
let contents: PackContents;
let pack: Uint8Array;

beforeAll(() => {
  key = acmeKey();
  contents = acmeContents(emptyCatalogue().catalogue);
  pack = acmePack(contents, key);
});

const entriesOf = packEntries;
const rebuild = rebuildPack;
const withManifest = (bytes: Uint8Array, edit: (m: Record<string, unknown>) => unknown, options: { raw?: (m: unknown) => string; signer?: SigningKey } = {}) =>
  resignManifest(bytes, options.signer ?? key, edit, options.raw);

describe('the archive container', () => {
  it('round-trips entries, stored and deflated', () => {
    const entries = [
      { name: 'a.json', data: enc.encode('{"x":1}'.repeat(200)) },
      { name: 'b/c.bin', data: new Uint8Array([1, 2, 3]) },
      { name: 'empty', data: new Uint8Array(0) },
    ];
    const bytes = writeArchive(entries);
    const methods = readArchiveEntries(bytes).map((e) => e.method);
    expect(methods).toEqual([8, 0, 0]);
    expect(readArchive(bytes).map((e) => [e.name, Buffer.from(e.data).toString('hex')])).toEqual(entries.map((e) => [e.name, Buffer.from(e.data).toString('hex')]));
  });

  it('refuses an entry whose declared size is over the per-entry limit, before expanding anything (pack-limit)', () => {
    const bytes = writeArchive([{ name: 'big', data: new Uint8Array(2048) }]);
    expect(codeOf(() => readArchiveEntries(bytes, { ...DEFAULT_LIMITS, maxEntryBytes: 1024 }))).toBe('pack-limit');
  });

  it('refuses more entries than the limit (pack-limit)', () => {
    const bytes = writeArchive(Array.from({ length: 12 }, (_, i) => ({ name: `e${i}`, data: new Uint8Array([i]) })));
    expect(messageOf(() => readArchiveEntries(bytes, { ...DEFAULT_LIMITS, maxEntries: 10 }))).toMatch(/12 entries; the limit is 10/);
  });

  it('refuses a zip bomb by its compression ratio (pack-limit), and by total size', () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const bomb = writeArchive([{ name: 'zeros', data: zeros }]);
    expect(bomb.byteLength).toBeLessThan(20_000);
    expect(messageOf(() => readArchiveEntries(bomb))).toMatch(/ratio over 200:1/);
    const many = writeArchive(Array.from({ length: 5 }, (_, i) => ({ name: `part${i}`, data: new Uint8Array(400).fill(i) })));
    expect(codeOf(() => readArchive(many, { ...DEFAULT_LIMITS, maxTotalBytes: 1500 }))).toBe('pack-limit');
  });

  it('never inflates past the declared size: a header that under-declares is refused (counted on bytes actually read)', () => {
    const real = packEntry({ name: 'liar', data: new Uint8Array(100_000) });
    expect(real.method).toBe(8);
    const forged = { ...real, size: 1000 };
    expect(messageOf(() => expandEntry(forged))).toMatch(/inflates past its declared 1000 bytes/);
    const short = { ...real, size: 200_000 };
    expect(messageOf(() => expandEntry(short))).toMatch(/holds 100000 bytes, not the declared 200000/);
  });

  it('refuses a truncated file at every length', () => {
    const bytes = writeArchive([{ name: 'a', data: enc.encode('hello world') }]);
    for (let n = 0; n < bytes.byteLength; n++) expect(codeOf(() => readArchive(bytes.subarray(0, n)))).toBe('pack-invalid');
  });

  it('refuses trailing bytes, comments and foreign layouts', () => {
    const bytes = writeArchive([{ name: 'a', data: enc.encode('hello') }]);
    expect(codeOf(() => readArchive(new Uint8Array([...bytes, 0])))).toBe('pack-invalid');
    const withComment = new Uint8Array([...bytes, 0x41]);
    new DataView(withComment.buffer).setUint16(bytes.byteLength - 2, 1, true);
    expect(messageOf(() => readArchive(withComment))).toMatch(/comment/);
    expect(messageOf(() => readArchive(enc.encode('PK not a zip at all, just text that is long enough')))).toMatch(/no ZIP end record/);
  });
});

describe('entry names', () => {
  it.each([
    ['../etc/passwd', /".." segment/],
    ['templates/../../x.json', /".." segment/],
    ['/etc/passwd', /absolute path/],
    ['assets\\evil', /backslash/],
    ['C:evil', /drive letter/],
    ['c:/windows/x', /drive letter/],
    ['CON', /device/],
    ['assets/aux.json', /device/],
    ['lpt1', /device/],
    ['a//b', /empty path segment/],
    ['./a', /"\." segment/],
    ['templates/', /folder/],
    ['a\u0000b', /control character/],
    ['name.', /dot or space/],
    ['e\u0301.json', /normal form C/],
    ['', /empty/],
    ['x'.repeat(300), /longer than/],
  ])('refuses %j', (name, why) => {
    expect(entryNameProblem(name)).toMatch(why);
    expect(codeOf(() => checkEntryNames([name]))).toBe('pack-invalid');
  });

  it('refuses names that are duplicates after normalisation (case, Unicode form)', () => {
    expect(messageOf(() => checkEntryNames(['templates/A.json', 'templates/a.json']))).toMatch(/same name/);
    expect(messageOf(() => checkEntryNames(['brand.json', 'brand.json']))).toMatch(/same name/);
  });

  it('accepts the names packs use', () => {
    expect(() => checkEntryNames(['manifest.json', 'manifest.sig', 'brand.json', 'templates/flyer-open.json', `assets/${'a'.repeat(64)}`, 'revocations.json'])).not.toThrow();
  });

  it('a pack holding a path-traversal entry is refused even when the manifest lists and signs it', () => {
    const entries = entriesOf(pack);
    const evil = { name: '../../evil.sh', data: enc.encode('rm -rf ~') };
    const bytes = rebuild([...entries, evil]);
    expect(messageOf(() => verifyPack(bytes))).toMatch(/"\.\." segment/);
  });
});

describe('verifyPack', () => {
  it('accepts a pack as built and reads its brand, templates, assets and revocations', () => {
    const v = verifyPack(pack);
    expect(v.manifest.publisher).toMatchObject({ id: 'acme', name: 'Acme Networks', key: { type: 'ed25519', public: key.publicKey } });
    expect(v.manifest.pack).toEqual({ id: 'acme', version: 1, created: '2026-11-25T12:00:00.000Z' });
    expect(v.contents.brand.id).toBe('acme');
    expect(v.contents.templates.map((t) => t.id).sort()).toEqual(['flyer-gold', 'flyer-open', 'flyer-silver']);
    expect(v.contents.assets.size).toBe(2);
    expect(v.fingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
  });

  it('builds the same bytes from the same contents, key and time', () => {
    expect(Buffer.from(acmePack(contents, key)).equals(Buffer.from(pack))).toBe(true);
  });

  it('property: flipping any bit of any byte is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: pack.byteLength - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const bad = new Uint8Array(pack);
        bad[at] = bad[at]! ^ (1 << bit);
        const code = codeOf(() => verifyPack(bad));
        return ['pack-invalid', 'pack-signature', 'pack-limit'].includes(code);
      }),
      { numRuns: 300 },
    );
  });

  it('every byte of the pack is covered: flipping each one in turn is refused', () => {
    // Exhaustive over the structure (headers, manifest, signature, directory); sampled over asset data.
    const step = (i: number) => (i < 4096 || i > pack.byteLength - 4096 ? 1 : 997);
    for (let i = 0; i < pack.byteLength; i += step(i)) {
      const bad = new Uint8Array(pack);
      bad[i] = bad[i]! ^ 0x01;
      const code = codeOf(() => verifyPack(bad));
      if (!['pack-invalid', 'pack-signature', 'pack-limit'].includes(code)) throw new Error(`byte ${i} flipped was ${code}`);
    }
  });

  it('property: truncating the file anywhere is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: pack.byteLength - 1 }), (n) => codeOf(() => verifyPack(pack.subarray(0, n))) === 'pack-invalid'),
      { numRuns: 200 },
    );
  });

  it('refuses a pack with an entry removed (missing entry)', () => {
    const entries = entriesOf(pack);
    const bytes = rebuild(entries.filter((e) => e.name !== 'templates/flyer-gold.json'));
    expect(messageOf(() => verifyPack(bytes))).toMatch(/lists "templates\/flyer-gold.json", but the pack does not hold it/);
  });

  it('refuses a pack with an extra entry the manifest does not list', () => {
    const bytes = rebuild([...entriesOf(pack), { name: 'templates/flyer-free.json', data: enc.encode('{}') }]);
    expect(messageOf(() => verifyPack(bytes))).toMatch(/entry the manifest does not list: "templates\/flyer-free.json"/);
  });

  it('refuses an entry swapped for other bytes of the same size', () => {
    const entries = entriesOf(pack);
    const i = entries.findIndex((e) => e.name === 'templates/flyer-gold.json');
    const text = new TextDecoder().decode(entries[i]!.data).replace('"minTier": "gold"', '"minTier": "xxxx"');
    entries[i] = { name: entries[i]!.name, data: enc.encode(text) };
    expect(messageOf(() => verifyPack(rebuild(entries)))).toMatch(/not the entry the publisher signed/);
  });

  it('refuses an unsigned pack, and a signature by nobody', () => {
    const entries = entriesOf(pack);
    expect(codeOf(() => verifyPack(rebuild(entries.filter((e) => e.name !== 'manifest.sig'))))).toBe('pack-signature');
    entries[1] = { name: 'manifest.sig', data: enc.encode(Buffer.alloc(64, 7).toString('base64')) };
    expect(messageOf(() => verifyPack(writeArchive([packEntry(entries[0]!, true), packEntry(entries[1]!, true), ...entries.slice(2)])))).toMatch(
      /signature does not match its manifest/,
    );
  });

  it('refuses a manifest with unknown keys, even when properly signed', () => {
    const bytes = withManifest(pack, (m) => ({ ...m, comment: 'hello' }));
    expect(messageOf(() => verifyPack(bytes))).toMatch(/not a Lockup pack manifest.*comment/s);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a manifest with a %s key (prototype pollution), even when signed', (k) => {
    const bytes = withManifest(pack, () => undefined, { raw: (m) => canonicalJson(m).replace('{"entries"', `{"${k}":{"polluted":true},"entries"`) });
    expect(messageOf(() => verifyPack(bytes))).toMatch(new RegExp(`the key "${k}" is not allowed`));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses an unknown key type with its name', () => {
    const bytes = withManifest(pack, (m) => {
      (m['publisher'] as { key: { type: string } }).key.type = 'rsa-4096';
    });
    expect(messageOf(() => verifyPack(bytes))).toMatch(/unknown key type "rsa-4096"/);
  });

  it('refuses a manifest that is not canonical JSON (whitespace, key order), even when signed', () => {
    const bytes = withManifest(pack, () => undefined, { raw: (m) => JSON.stringify(m, null, 1) });
    expect(messageOf(() => verifyPack(bytes))).toMatch(/not in canonical form/);
  });

  it('a pack re-signed with another key verifies as that key (import pinning decides, see import.test.ts)', () => {
    const other = generateSigningKey({ id: 'acme', name: 'Acme Networks' });
    const bytes = withManifest(
      pack,
      (m) => {
        (m['publisher'] as { key: { public: string } }).key.public = other.publicKey;
      },
      { signer: other },
    );
    const v = verifyPack(bytes);
    expect(v.manifest.publisher.key.public).toBe(other.publicKey);
    expect(v.fingerprint).not.toBe(verifyPack(pack).fingerprint);
  });

  it('refuses a manifest whose hashes were edited to match a changed entry unless re-signed', () => {
    const entries = entriesOf(pack);
    const i = entries.findIndex((e) => e.name === 'templates/flyer-gold.json');
    const changed = enc.encode(new TextDecoder().decode(entries[i]!.data).replace('Gold flyer', 'Free flyer'));
    const manifest = JSON.parse(new TextDecoder().decode(entries[0]!.data)) as { entries: { name: string; sha256: string; size: number; packed: unknown }[] };
    const p = packEntry({ name: entries[i]!.name, data: changed });
    const sha = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');
    const e = manifest.entries.find((x) => x.name === entries[i]!.name)!;
    Object.assign(e, { sha256: sha(changed), size: changed.byteLength, packed: { method: p.method, sha256: sha(p.packed), size: p.packed.byteLength } });
    entries[0] = { name: 'manifest.json', data: enc.encode(canonicalJson(manifest)) };
    entries[i] = { name: entries[i]!.name, data: changed };
    const bytes = writeArchive([packEntry(entries[0], true), packEntry(entries[1]!, true), ...entries.slice(2).map((x) => packEntry(x))]);
    expect(codeOf(() => verifyPack(bytes))).toBe('pack-signature');
  });

  it('refuses a deflated manifest (nothing unauthenticated is inflated)', () => {
    const entries = entriesOf(pack);
    const deflatedManifest = { ...packEntry(entries[0]!), method: 8 as const, packed: new Uint8Array(zlib.deflateRawSync(entries[0]!.data)) };
    const bytes = writeArchive([deflatedManifest, packEntry(entries[1]!, true), ...entries.slice(2).map((x) => packEntry(x))]);
    expect(messageOf(() => verifyPack(bytes))).toMatch(/must be stored uncompressed/);
  });
});
