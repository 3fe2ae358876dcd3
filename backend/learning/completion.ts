import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { z } from 'zod';
import { LockupError } from '../../core/errors.ts';
import { Id } from '../../core/model/access.ts';
import { describeIssues } from '../../core/model/validate.ts';
import { readAttachments, type Attachment } from '../../core/pdf/attachments.ts';
import { canonicalJson, CanonicalJsonError, isCanonical, parseUntrustedJson } from '../../core/util/canonical-json.ts';
import { slug } from '../util/slug.ts';
import { fingerprint, generateSigningKey, KEY_TYPE, readSigningKey, signBytes, verifyBytes, writeKeyFiles, type SigningKey } from '../packs/keys.ts';
import type { Catalogue } from '../catalogue.ts';

/**
 * Completion records (issue #7, docs/decisions/0024). Passing a training
 * module in the app makes a small JSON file: the claims (who passed which
 * module of which brand, with what score, when) and this app install's
 * Ed25519 public key, signed by that install's private key. The file is
 * canonical JSON from its first byte to its last, so there is exactly one
 * spelling of each record, and its verification code is a hash of those
 * bytes. A distributor or vendor checks it, with no network and no
 * catalogue, with `lockup completion verify`.
 *
 * What the signature proves: this install signed exactly these claims. It
 * does not prove that the person answered the questions honestly: whoever
 * controls the partner's machine holds the install key (see 0024).
 */

export const COMPLETION_FORMAT = 'lockup.completion';
export const COMPLETION_EXTENSION = '.lockup-completion';
/** A record is a few hundred bytes; anything above this is refused before it is parsed. */
export const MAX_COMPLETION_BYTES = 64 * 1024;
/** A certificate PDF carrying a record: a page or two and a logo. */
export const MAX_CERTIFICATE_PDF_BYTES = 32 * 1024 * 1024;
/** How far in the future `completedAt` may be, against the verifier's clock (clocks of two machines differ). */
export const COMPLETION_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;
/** No record can be older than Lockup's training (issue #7). */
export const EARLIEST_COMPLETION = '2024-01-01T00:00:00.000Z';

const SIGNATURE_DOMAIN = 'lockup.completion.v1';
const CODE_DOMAIN = 'lockup.completion.code.v1';
/** The setting that names the install key's file, relative to the data folder. */
const KEY_SETTING = 'install-key';
const INSTALL_PUBLISHER = { id: 'lockup-install', name: 'This Lockup install' };

/** Crockford base32: digits and letters without I, L, O, U, so a code read aloud or typed from paper is unambiguous. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 12;
const CODE_PATTERN = /^LKP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

// C0 and C1 controls, line and paragraph separators, and bidi embeddings, overrides and isolates: a
// record is printed in terminals and on certificates, where these could hide or reorder what is shown.
// eslint-disable-next-line no-control-regex
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const Text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !UNSAFE_TEXT.test(s), 'must not contain control or text-direction characters');
const Named = (max: number) => z.object({ id: Id, name: Text(max) }).strict();

export const CompletionClaims = z
  .object({
    /** A random UUID, lower-case: the record's identity in ledgers. */
    id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lower-case UUID'),
    module: z.object({ id: Id, version: z.number().int().min(1).max(1_000_000), title: Text(120) }).strict(),
    brand: Named(120),
    certification: Named(300),
    partner: Named(300),
    person: Text(120),
    score: z.number().min(0).max(1),
    passMark: z.number().gt(0).max(1),
    /** Failed attempts before this pass. */
    failedAttempts: z.number().int().min(0).max(1_000_000),
    completedAt: z.iso.datetime(),
  })
  .strict()
  // The grader's own rule (core/training/grade.ts): a pass allows 1e-9 for floating-point rounding.
  .refine((c) => c.score + 1e-9 >= c.passMark, { message: 'is below the pass mark: a completion record is for a pass', path: ['score'] });

export interface CompletionClaims {
  id: string;
  module: { id: string; version: number; title: string };
  brand: { id: string; name: string };
  certification: { id: string; name: string };
  partner: { id: string; name: string };
  person: string;
  /** 0..1 */
  score: number;
  passMark: number;
  /** Failures before this pass. */
  failedAttempts: number;
  /** ISO 8601, UTC. */
  completedAt: string;
}

const PublicKey = z.object({ type: z.literal(KEY_TYPE), public: z.string().max(100) }).strict();

const CompletionFile = z
  .object({
    format: z.literal(COMPLETION_FORMAT),
    formatVersion: z.literal(1),
    claims: z.unknown(),
    /** The signing install's public key (raw, base64): anyone can check the signature; pinning it is the verifier's business. */
    installKey: PublicKey,
    signature: z.object({ type: z.string().min(1).max(40), value: z.string().max(200) }).strict(),
  })
  .strict();

export interface InstallKey {
  /** Raw Ed25519 public key, base64. */
  publicKey: string;
  /** "a1b2 c3d4 …" (keys.ts fingerprint): what a vendor or distributor pins. */
  fingerprint: string;
  /** For signBytes; never serialised. */
  signingKey: SigningKey;
}

export interface SignedCompletion {
  /** The file's bytes: canonical JSON, no trailing newline. */
  bytes: Uint8Array;
  code: string;
  /** e.g. `security-basics-jane-doe-LKP-7F3K-92QD-XM4A.lockup-completion` */
  fileName: string;
}

export interface VerifiedCompletion {
  claims: CompletionClaims;
  code: string;
  installKey: { publicKey: string; fingerprint: string };
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new LockupError('completion-invalid', message, details);
}

/**
 * The app install's own Ed25519 key, made on first use. Kept the way the
 * publishing key is (backend/api/pack-ops.ts): a private key file in the
 * data folder's `keys/`, created owner-only (0600), whose path the catalogue
 * setting `install-key` names (here relative to the data folder, so a moved
 * data folder keeps its key). Nothing exports the private key; its public
 * key is in every record it signs. A setting whose file has gone (a data
 * folder copied without `keys/`) gets a new key: records signed before stay
 * valid with the old fingerprint. A damaged key file is an error
 * (`key-invalid`), never silently replaced.
 */
export function installKey(catalogue: Catalogue): InstallKey {
  if (catalogue.file === ':memory:' || catalogue.file === '') throw new LockupError('internal', 'An install key needs a catalogue in a data folder');
  const dataDir = path.dirname(path.resolve(catalogue.file));
  const view = (signingKey: SigningKey): InstallKey => ({ publicKey: signingKey.publicKey, fingerprint: fingerprint(signingKey.publicKey), signingKey });
  const load = (setting: string): InstallKey | undefined => {
    const file = path.resolve(dataDir, setting);
    if (!fs.existsSync(file)) return undefined;
    const key = readSigningKey(file);
    if (key.warning) {
      try {
        fs.chmodSync(file, 0o600);
      } catch {
        // The key still works; readSigningKey warns about the same thing for publishing keys.
      }
    }
    return view({ publisher: key.publisher, privateKey: key.privateKey, publicKey: key.publicKey });
  };
  const existing = catalogue.getSetting(KEY_SETTING);
  const found = existing ? load(existing) : undefined;
  if (found) return found;
  // One transaction: two processes on one catalogue make one key, and the loser reads the winner's.
  return catalogue.transaction(() => {
    const again = catalogue.getSetting(KEY_SETTING);
    const theirs = again && again !== existing ? load(again) : undefined;
    if (theirs) return theirs;
    const key = generateSigningKey(INSTALL_PUBLISHER);
    const relative = path.join('keys', `install-${fingerprint(key.publicKey).replace(/ /g, '')}.key`);
    writeKeyFiles(path.join(dataDir, relative), key);
    catalogue.setSetting(KEY_SETTING, relative);
    return view(key);
  });
}

function checkClaims(value: unknown): CompletionClaims {
  const parsed = CompletionClaims.safeParse(value);
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    invalid(`The completion record's claims are invalid at claims.${issue.path}: ${issue.message}`, { issues: describeIssues(parsed.error) });
  }
  return parsed.data as CompletionClaims;
}

/** What the signature covers: the whole record except the signature, as canonical JSON. */
function signedBytes(claims: CompletionClaims, publicKey: string): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ format: COMPLETION_FORMAT, formatVersion: 1, claims, installKey: { type: KEY_TYPE, public: publicKey } }));
}


/**
 * Signs a pass with this install's key. Throws `completion-invalid` for
 * claims the verifier would refuse (including a score below the pass mark).
 */
export function signCompletion(catalogue: Catalogue, claims: CompletionClaims): SignedCompletion {
  const checked = checkClaims(claims);
  const key = installKey(catalogue);
  const signature = signBytes(SIGNATURE_DOMAIN, signedBytes(checked, key.publicKey), key.signingKey);
  const file = { format: COMPLETION_FORMAT, formatVersion: 1, claims: checked, installKey: { type: KEY_TYPE, public: key.publicKey }, signature: { type: KEY_TYPE, value: signature } };
  const bytes = new TextEncoder().encode(canonicalJson(file));
  const code = verificationCode(bytes);
  return { bytes, code, fileName: completionFileName({ claims: checked, code }) };
}

/** The completion file's name: module, person and code, e.g. `nimbus-security-essentials-dana-whitfield-LKP-….lockup-completion`. */
export function completionFileName(c: { claims: Pick<CompletionClaims, 'module' | 'person'>; code: string }): string {
  const stem = [c.claims.module.id, slug(c.claims.person, 40)].filter((s) => s !== '').join('-');
  return `${stem}-${c.code}${COMPLETION_EXTENSION}`;
}

/**
 * Reads and checks a completion file's bytes, in this order: size, UTF-8,
 * JSON (prototype keys refused), the file's shape (strict: no unknown
 * fields), byte-for-byte canonical encoding, the claims (strict), the
 * signature by the public key the record carries, and finally the date:
 * `completedAt` is a UTC ISO time no earlier than EARLIEST_COMPLETION and no
 * later than `now` + COMPLETION_CLOCK_SKEW_MS. Throws `completion-invalid`
 * or `completion-signature`. Whether that key is the partner's registered
 * install key is the caller's check (`lockup completion verify --key`).
 */
export function verifyCompletion(bytes: Uint8Array, now: Date = new Date()): VerifiedCompletion {
  if (bytes.byteLength > MAX_COMPLETION_BYTES) invalid(`A completion record is a small file; this one is ${bytes.byteLength} bytes (the limit is ${MAX_COMPLETION_BYTES})`);
  if (bytes.byteLength === 0) invalid('The completion record is empty');
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    invalid('This is not a Lockup completion record: it is not UTF-8 text');
  }
  let raw: unknown;
  try {
    raw = parseUntrustedJson(text);
  } catch (err) {
    invalid(`This is not a Lockup completion record: ${(err as CanonicalJsonError).message}`);
  }
  const file = CompletionFile.safeParse(raw);
  if (!file.success) {
    const issue = describeIssues(file.error)[0]!;
    invalid(`This is not a Lockup completion record (${issue.path}: ${issue.message})`);
  }
  const { claims: rawClaims, installKey: key, signature } = file.data;
  // One spelling per record: no reordered keys, whitespace, escapes or number forms the signature did not see.
  if (!isCanonical(text, raw)) invalid('The completion record is not in its canonical form (it was re-formatted or edited after it was signed)');
  const claims = checkClaims(rawClaims);
  if (signature.type !== KEY_TYPE) throw new LockupError('completion-signature', `The completion record is signed with an unknown key type ${JSON.stringify(signature.type)}; Lockup accepts ${KEY_TYPE} only`);
  if (!verifyBytes(SIGNATURE_DOMAIN, signedBytes(claims, key.public), signature.value, key.public)) {
    throw new LockupError('completion-signature', "The completion record's signature does not hold: it was changed after it was signed", { id: claims.id });
  }
  const at = Date.parse(claims.completedAt);
  if (!Number.isFinite(at) || at < Date.parse(EARLIEST_COMPLETION)) invalid(`The completion date ${claims.completedAt} is not a possible date for a Lockup training record`, { id: claims.id });
  if (at > now.getTime() + COMPLETION_CLOCK_SKEW_MS) {
    invalid(`The completion date ${claims.completedAt} is in the future (this computer's clock says ${now.toISOString()}); the signing computer's clock was wrong, or the record was made up`, { id: claims.id });
  }
  return { claims, code: verificationCode(bytes), installKey: { publicKey: key.public, fingerprint: fingerprint(key.public) } };
}

/**
 * The verification code of a record's file bytes: SHA-256 over a domain tag
 * and the bytes (which include the signature), its first 60 bits in
 * Crockford base32, as "LKP-XXXX-XXXX-XXXX". Any change to the record
 * changes the code; a certificate prints it so a third party can match the
 * paper to the file.
 */
export function verificationCode(bytes: Uint8Array): string {
  const digest = createHash('sha256').update(`${CODE_DOMAIN}\0`, 'utf8').update(bytes).digest();
  let bits = 0n;
  for (let i = 0; i < 8; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  bits >>= 64n - BigInt(CODE_CHARS * 5);
  let out = '';
  for (let i = CODE_CHARS - 1; i >= 0; i--) out += CODE_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return `LKP-${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

/**
 * A code as a person typed it, in the printed form: case, spaces and
 * hyphens do not matter, the "LKP" prefix is optional, and O, I and L read
 * as 0, 1 and 1. Undefined when it cannot be a code.
 */
export function normalizeVerificationCode(input: string): string | undefined {
  let s = input.toUpperCase().replace(/[\s-]/g, '');
  if (s.startsWith('LKP') && s.length === CODE_CHARS + 3) s = s.slice(3);
  s = s.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_CHARS) return undefined;
  const code = `LKP-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
  return CODE_PATTERN.test(code) ? code : undefined;
}

/** How a certificate PDF carries its record (core/pdf/attachments.ts embedExtras), so completionFromPdf finds it. */
export function completionAttachment(signed: Pick<SignedCompletion, 'bytes' | 'fileName'>): Attachment {
  return {
    name: signed.fileName,
    data: signed.bytes,
    mimeType: 'application/json',
    description: 'Signed Lockup completion record; check it with "lockup completion verify"',
    relationship: 'Data',
  };
}

/** A PDF header in the first KiB (as PDF readers accept); a record, which starts with "{", is never taken for one whatever its text says. */
export function isPdf(bytes: Uint8Array): boolean {
  return bytes[0] !== 0x7b && new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).includes('%PDF-');
}

const PDF_STREAM_LIMIT = 64 * 1024 * 1024;
const PDF_TOTAL_LIMIT = 256 * 1024 * 1024;

/**
 * pdf-lib inflates object streams while it parses, with no limit; as in
 * backend/services/verify.ts, every zlib stream is inflated here first with
 * a hard limit, so a decompression bomb is refused before pdf-lib sees it.
 */
function checkStreamSizes(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  const bounded = (data: Uint8Array): Uint8Array | undefined => {
    if (data.byteLength < 2 || data[0] !== 0x78) return undefined;
    try {
      const out = zlib.inflateSync(data, { maxOutputLength: PDF_STREAM_LIMIT, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      total += out.byteLength;
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') invalid(`A stream in the PDF decompresses to more than ${PDF_STREAM_LIMIT / 1048576} MB`);
      return undefined;
    }
  };
  for (let at = buf.indexOf('stream'); at >= 0; at = buf.indexOf('stream', at + 6)) {
    if (at >= 3 && buf.toString('latin1', at - 3, at) === 'end') continue;
    let start = at + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    const end = buf.indexOf('endstream', start);
    const inner = bounded(bytes.subarray(start, end < 0 ? bytes.byteLength : end));
    if (inner) bounded(inner);
    if (total > PDF_TOTAL_LIMIT) invalid(`The PDF's streams decompress to more than ${PDF_TOTAL_LIMIT / 1048576} MB`);
  }
}

const inflate = (d: Uint8Array, maxLength: number): Uint8Array => {
  const out = zlib.inflateSync(d, { maxOutputLength: Math.max(1, maxLength) });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
};

/**
 * The completion record a certificate PDF carries: the one embedded file
 * whose name ends in `.lockup-completion`. Only the record is returned (for
 * verifyCompletion); the PDF's visible text is not checked. Throws
 * `completion-invalid` for a file that is not a readable PDF, that carries
 * no record, or more than one.
 */
export async function completionFromPdf(pdf: Uint8Array): Promise<Uint8Array> {
  if (pdf.byteLength > MAX_CERTIFICATE_PDF_BYTES) invalid(`A certificate PDF is larger than ${MAX_CERTIFICATE_PDF_BYTES / 1048576} MB`);
  if (!isPdf(pdf)) invalid('This file is neither a completion record nor a PDF');
  checkStreamSizes(pdf);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err);
    return invalid(`This PDF cannot be read: ${why}`);
  }
  let records;
  try {
    records = readAttachments(doc, inflate, { maxAttachmentBytes: 16 * 1024 * 1024, maxAttachments: 64 }).filter((a) => a.name.toLowerCase().endsWith(COMPLETION_EXTENSION));
  } catch (err) {
    // An AttachmentError (limits, filters), or zlib refusing a damaged stream.
    return invalid(`The PDF's attachments cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (records.length === 0) invalid(`This PDF carries no completion record (an attached ${COMPLETION_EXTENSION} file)`);
  if (records.length > 1) invalid(`This PDF carries ${records.length} completion records; a certificate carries one`);
  return records[0]!.data;
}
