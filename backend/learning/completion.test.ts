// Completion records (docs/decisions/0024): signing with the install key, verification, every tampering.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalogue } from '../catalogue.ts';
import { embedExtras } from '../../core/pdf/attachments.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { portableDeflate } from '../../core/util/deflate.ts';
import { generateSigningKey, signBytes } from '../packs/keys.ts';
import { emptyCatalogue } from '../../test/support/catalogue.ts';
import { rejected, thrown } from '../../test/support/errors.ts';
import {
  COMPLETION_EXTENSION,
  COMPLETION_FORMAT,
  MAX_COMPLETION_BYTES,
  completionAttachment,
  completionFromPdf,
  installKey,
  isPdf,
  normalizeVerificationCode,
  signCompletion,
  verificationCode,
  verifyCompletion,
  type CompletionClaims,
} from './completion.ts';

const { catalogue, dir } = emptyCatalogue();
afterAll(() => catalogue.close());

const NOW = new Date('2026-05-01T12:00:00.000Z');

function claims(over: Partial<CompletionClaims> = {}): CompletionClaims {
  return {
    id: randomUUID(),
    module: { id: 'security-basics', version: 3, title: 'Security basics' },
    brand: { id: 'northwind', name: 'Northwind Networks' },
    certification: { id: 'security-certified', name: 'Security Certified' },
    partner: { id: 'harbor-it', name: 'Harbor IT' },
    person: 'Jane Doe',
    score: 0.9,
    passMark: 0.8,
    failedAttempts: 1,
    completedAt: '2026-04-30T09:15:00.000Z',
    ...over,
  };
}

type RecordFile = { format: string; formatVersion: number; claims: Record<string, unknown>; installKey: { type: string; public: string }; signature: { type: string; value: string } };
const enc = (s: string) => new TextEncoder().encode(s);
const read = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as RecordFile;
const write = (file: unknown) => enc(canonicalJson(file));
/** The record with `edit` applied to its parsed JSON, written back canonically (the signature left as it was). */
function edited(bytes: Uint8Array, edit: (f: RecordFile) => void): Uint8Array {
  const f = read(bytes);
  edit(f);
  return write(f);
}
const verify = (bytes: Uint8Array) => verifyCompletion(bytes, NOW);
const code = (fn: () => unknown) => thrown(fn).code;

describe('the install key', () => {
  it('is made once, kept owner-only in the data folder and named by the install-key setting', () => {
    const a = installKey(catalogue);
    const b = installKey(catalogue);
    expect(b.publicKey).toBe(a.publicKey);
    expect(a.fingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    const setting = catalogue.getSetting('install-key')!;
    expect(path.isAbsolute(setting)).toBe(false);
    const file = path.join(dir, setting);
    expect(fs.existsSync(file)).toBe(true);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o077).toBe(0);
    // The setting names a file, never the key itself.
    expect(setting).not.toContain('PRIVATE');
  });

  it('survives reopening the catalogue, and a moved data folder', () => {
    const { catalogue: c1, dir: d1 } = emptyCatalogue();
    const first = installKey(c1).publicKey;
    c1.close();
    const moved = `${d1}-moved`;
    fs.renameSync(d1, moved);
    const c2 = Catalogue.openDir(moved);
    try {
      expect(installKey(c2).publicKey).toBe(first);
    } finally {
      c2.close();
      fs.rmSync(moved, { recursive: true, force: true });
    }
  });

  it('a key file that has gone is replaced by a new key; a damaged one is an error, never replaced', () => {
    const { catalogue: c, dir: d } = emptyCatalogue();
    try {
      const first = installKey(c);
      fs.rmSync(path.join(d, c.getSetting('install-key')!));
      const second = installKey(c);
      expect(second.publicKey).not.toBe(first.publicKey);
      fs.writeFileSync(path.join(d, c.getSetting('install-key')!), '{"format":"nope"}');
      expect(code(() => installKey(c))).toBe('key-invalid');
    } finally {
      c.close();
    }
  });
});

describe('signing and verifying', () => {
  it('round trip: the claims, the code and the install key come back', () => {
    const c = claims();
    const signed = signCompletion(catalogue, c);
    const v = verify(signed.bytes);
    expect(v.claims).toEqual(c);
    expect(v.code).toBe(signed.code);
    expect(v.code).toMatch(/^LKP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(v.installKey).toEqual({ publicKey: installKey(catalogue).publicKey, fingerprint: installKey(catalogue).fingerprint });
    expect(signed.fileName).toBe(`security-basics-jane-doe-${signed.code}${COMPLETION_EXTENSION}`);
    // Canonical JSON, one line, the format named.
    const text = new TextDecoder().decode(signed.bytes);
    expect(text).toBe(canonicalJson(JSON.parse(text)));
    expect(read(signed.bytes)).toMatchObject({ format: COMPLETION_FORMAT, formatVersion: 1, installKey: { type: 'ed25519' }, signature: { type: 'ed25519' } });
    expect(signed.bytes.byteLength).toBeLessThan(2048);
  });

  it('each record gets its own code; the code is a function of the bytes', () => {
    const a = signCompletion(catalogue, claims());
    const b = signCompletion(catalogue, claims());
    expect(a.code).not.toBe(b.code);
    expect(verificationCode(a.bytes)).toBe(a.code);
  });

  it('refuses to sign claims the verifier would refuse', () => {
    expect(code(() => signCompletion(catalogue, claims({ score: 0.5 })))).toBe('completion-invalid');
    expect(code(() => signCompletion(catalogue, claims({ person: 'Jane\u001b[2J' })))).toBe('completion-invalid');
    expect(code(() => signCompletion(catalogue, { ...claims(), extra: 1 } as CompletionClaims))).toBe('completion-invalid');
  });

  it('a record is never taken for a PDF, whatever its text says', () => {
    const signed = signCompletion(catalogue, claims({ person: '%PDF-1.7 Jane' }));
    expect(isPdf(signed.bytes)).toBe(false);
    expect(verify(signed.bytes).claims.person).toBe('%PDF-1.7 Jane');
  });

  it('a non-ASCII person still gives a safe file name', () => {
    expect(signCompletion(catalogue, claims({ person: 'Zoë Ångström' })).fileName).toMatch(/^security-basics-zoe-angstrom-LKP-[-0-9A-Z]+\.lockup-completion$/);
    expect(signCompletion(catalogue, claims({ person: '山田太郎' })).fileName).toMatch(/^security-basics-LKP-[-0-9A-Z]+\.lockup-completion$/);
  });
});

describe('tampering', () => {
  const signed = signCompletion(catalogue, claims());

  it.each([
    ['a changed score', (f: RecordFile) => void (f.claims['score'] = 1)],
    ['a changed person', (f: RecordFile) => void (f.claims['person'] = 'John Roe')],
    ['a changed module', (f: RecordFile) => void (f.claims['module'] = { id: 'advanced-routing', version: 1, title: 'Advanced routing' })],
    ['a changed module version', (f: RecordFile) => void ((f.claims['module'] as { version: number }).version = 4)],
    ['a changed date', (f: RecordFile) => void (f.claims['completedAt'] = '2026-01-02T09:15:00.000Z')],
    ['fewer failed attempts', (f: RecordFile) => void (f.claims['failedAttempts'] = 0)],
    ['a changed certification', (f: RecordFile) => void (f.claims['certification'] = { id: 'gold-architect', name: 'Gold Architect' })],
    ['another public key, signature kept', (f: RecordFile) => void (f.installKey.public = generateSigningKey({ id: 'x', name: 'x' }).publicKey)],
    ['a flipped signature byte', (f: RecordFile) => void (f.signature.value = flipBase64(f.signature.value))],
  ])('%s: completion-signature', (_what, edit) => {
    expect(code(() => verify(edited(signed.bytes, edit)))).toBe('completion-signature');
  });

  it('an unknown signature type: completion-signature', () => {
    expect(code(() => verify(edited(signed.bytes, (f) => void (f.signature.type = 'rsa'))))).toBe('completion-signature');
  });

  it('a record re-signed by another key is VALID, but with that key’s fingerprint (what --key catches)', () => {
    const other = generateSigningKey({ id: 'forger', name: 'Forger' });
    const f = read(signed.bytes);
    f.claims['score'] = 1;
    f.installKey.public = other.publicKey;
    const body = { format: f.format, formatVersion: f.formatVersion, claims: f.claims, installKey: f.installKey };
    f.signature.value = signBytes('lockup.completion.v1', write(body), other);
    const forged = write(f);
    const v = verify(forged);
    expect(v.claims.score).toBe(1);
    expect(v.installKey.publicKey).toBe(other.publicKey);
    expect(v.installKey.fingerprint).not.toBe(installKey(catalogue).fingerprint);
    expect(v.code).not.toBe(signed.code);
    // Signed in another domain (a credential signature), it does not hold.
    f.signature.value = signBytes('lockup.credential.v1', write(body), other);
    expect(code(() => verify(write(f)))).toBe('completion-signature');
  });

  it('non-canonical JSON (re-formatted, reordered, a trailing newline, a BOM): completion-invalid', () => {
    const parsed = read(signed.bytes);
    const text = new TextDecoder().decode(signed.bytes);
    expect(code(() => verify(enc(JSON.stringify(parsed, null, 2))))).toBe('completion-invalid');
    const { signature, ...rest } = parsed;
    expect(code(() => verify(enc(JSON.stringify({ signature, ...rest }))))).toBe('completion-invalid');
    expect(code(() => verify(enc(`${text}\n`)))).toBe('completion-invalid');
    expect(code(() => verify(enc(`\uFEFF${text}`)))).toBe('completion-invalid');
    // An escaped letter: the same JSON value, other bytes.
    expect(code(() => verify(enc(text.replace('"Jane Doe"', '"J\\u0061ne Doe"'))))).toBe('completion-invalid');
  });

  it('an extra field, in the claims or the file: completion-invalid', () => {
    expect(code(() => verify(edited(signed.bytes, (f) => void (f.claims['grade'] = 'A'))))).toBe('completion-invalid');
    expect(code(() => verify(edited(signed.bytes, (f) => void ((f as unknown as Record<string, unknown>)['note'] = 'hi'))))).toBe('completion-invalid');
    expect(code(() => verify(edited(signed.bytes, (f) => void ((f.claims['module'] as Record<string, unknown>)['hours'] = 2))))).toBe('completion-invalid');
  });

  it('a prototype key: completion-invalid', () => {
    const text = new TextDecoder().decode(signed.bytes);
    expect(code(() => verify(enc(text.replace('{"claims":', '{"__proto__":{},"claims":'))))).toBe('completion-invalid');
  });

  it('a missing field: completion-invalid', () => {
    expect(code(() => verify(edited(signed.bytes, (f) => void delete f.claims['person'])))).toBe('completion-invalid');
  });

  it('a truncated file: completion-invalid', () => {
    for (const n of [0, 1, 20, signed.bytes.byteLength - 1]) expect(code(() => verify(signed.bytes.subarray(0, n)))).toBe('completion-invalid');
  });

  it('a huge file is refused before it is parsed: completion-invalid', () => {
    const huge = new Uint8Array(MAX_COMPLETION_BYTES + 1).fill(0x20);
    const e = thrown(() => verify(huge));
    expect(e.code).toBe('completion-invalid');
    expect(e.message).toContain(`${MAX_COMPLETION_BYTES + 1} bytes`);
  });

  it('not UTF-8: completion-invalid', () => {
    expect(code(() => verify(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).toBe('completion-invalid');
  });

  it('the wrong format string or version: completion-invalid', () => {
    expect(code(() => verify(edited(signed.bytes, (f) => void (f.format = 'lockup.credential'))))).toBe('completion-invalid');
    expect(code(() => verify(edited(signed.bytes, (f) => void (f.formatVersion = 2))))).toBe('completion-invalid');
  });

  it('a score below the pass mark, or out of range: completion-invalid', () => {
    expect(code(() => verify(edited(signed.bytes, (f) => void (f.claims['score'] = 0.5))))).toBe('completion-invalid');
    expect(code(() => verify(edited(signed.bytes, (f) => void (f.claims['score'] = 1.5))))).toBe('completion-invalid');
  });
});

describe('dates', () => {
  it('completedAt must be an ISO time in UTC', () => {
    const signed = signCompletion(catalogue, claims());
    for (const d of ['2026-04-30', 'yesterday', '2026-04-30T09:15:00+02:00', '2026-02-30T09:15:00.000Z']) {
      expect(code(() => verify(edited(signed.bytes, (f) => void (f.claims['completedAt'] = d))))).toBe('completion-invalid');
    }
  });

  it('signed with a clock a day and more ahead: completion-invalid; within a day: accepted', () => {
    const ahead = signCompletion(catalogue, claims({ completedAt: '2026-05-02T12:00:01.000Z' }));
    const e = thrown(() => verify(ahead.bytes));
    expect(e.code).toBe('completion-invalid');
    expect(e.message).toContain('in the future');
    expect(verify(signCompletion(catalogue, claims({ completedAt: '2026-05-02T11:59:00.000Z' })).bytes).claims.person).toBe('Jane Doe');
    // The same record is fine once the verifier's clock has caught up.
    expect(verifyCompletion(ahead.bytes, new Date('2026-05-03T00:00:00.000Z')).code).toBe(ahead.code);
  });

  it('before Lockup had training: completion-invalid', () => {
    const old = signCompletion(catalogue, claims({ completedAt: '1999-12-31T23:59:59.000Z' }));
    expect(code(() => verify(old.bytes))).toBe('completion-invalid');
  });
});

describe('verification codes as typed', () => {
  it('case, spaces, hyphens, the prefix and O/I/L do not matter; other text is not a code', () => {
    expect(normalizeVerificationCode('LKP-7F3K-92QD-XM4A')).toBe('LKP-7F3K-92QD-XM4A');
    expect(normalizeVerificationCode('lkp 7f3k 92qd xm4a')).toBe('LKP-7F3K-92QD-XM4A');
    expect(normalizeVerificationCode('7F3K92QDXM4A')).toBe('LKP-7F3K-92QD-XM4A');
    expect(normalizeVerificationCode('LKP-7F3K-92QD-XMOI')).toBe('LKP-7F3K-92QD-XM01');
    expect(normalizeVerificationCode('LKP-7F3K-92QD-XM4')).toBeUndefined();
    expect(normalizeVerificationCode('LKP-7F3K-92QD-XM4U')).toBeUndefined();
  });
});

describe('a certificate PDF carrying the record', () => {
  async function certificate(attachments: { name: string; data: Uint8Array }[]): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    doc.addPage([300, 200]);
    embedExtras(doc, portableDeflate, {
      attachments: attachments.map((a) => ({ ...a, mimeType: 'application/json', description: 'x', relationship: 'Data' as const })),
      facts: { title: 'Certificate', author: 'Lockup', subject: '', keywords: [], producer: 'Lockup', creator: 'Lockup', date: NOW },
    });
    return doc.save({ useObjectStreams: true });
  }

  it('gives back the attached record, byte for byte', async () => {
    const signed = signCompletion(catalogue, claims());
    const pdf = await certificate([{ name: 'manifest.json', data: enc('{}') }, completionAttachment(signed)]);
    const bytes = await completionFromPdf(pdf);
    expect(Buffer.from(bytes).equals(Buffer.from(signed.bytes))).toBe(true);
    expect(verify(bytes).code).toBe(signed.code);
  });

  it('no record, two records, or not a PDF: completion-invalid', async () => {
    const a = signCompletion(catalogue, claims());
    const b = signCompletion(catalogue, claims());
    expect((await rejected(completionFromPdf(await certificate([{ name: 'manifest.json', data: enc('{}') }])))).code).toBe('completion-invalid');
    expect((await rejected(completionFromPdf(await certificate([completionAttachment(a), completionAttachment(b)])))).code).toBe('completion-invalid');
    expect((await rejected(completionFromPdf(enc('hello')))).code).toBe('completion-invalid');
    expect((await rejected(completionFromPdf(enc('%PDF-1.7\n garbage')))).code).toBe('completion-invalid');
  });
});

function flipBase64(s: string): string {
  const i = 10;
  return s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
}
