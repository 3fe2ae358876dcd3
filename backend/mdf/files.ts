import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LockupError } from '../../core/errors.ts';
import { Id } from '../../core/model/access.ts';
import { describeIssues } from '../../core/model/validate.ts';
import { MdfRequest, type AttachmentKind } from '../../core/mdf/model.ts';
import { RULE_IDS, type RuleId, type Verdict } from '../../core/mdf/rules.ts';
import { canonicalJson, CanonicalJsonError, isCanonical, parseUntrustedJson } from '../../core/util/canonical-json.ts';
import { installKey } from '../learning/completion.ts';
import { fingerprint, KEY_TYPE, signBytes, verifyBytes, type SignatureDomain, type SigningKey } from '../packs/keys.ts';
import type { Catalogue } from '../catalogue.ts';
import { slug } from '../util/slug.ts';

/**
 * MDF request and decision files (issue #8, docs/decisions/0025). A partner's
 * request travels as a small signed file: the request (attachments by name,
 * kind, sha256 and size) and the partner install's Ed25519 public key, signed
 * by that install's key (backend/learning/completion.ts `installKey`); the
 * attachments travel beside it in the request packet. A reviewer (a
 * distributor or the vendor) answers with a decision file signed by its own
 * key, naming the request file by its sha256. Both files are canonical JSON
 * from the first byte to the last, strict (no unknown fields), size-limited,
 * and refuse control and text-direction characters, as completion records do.
 *
 * What the signatures prove: this install asked for exactly this, and this
 * key decided exactly that about exactly that request file. Whether the key
 * is the partner's registered install key, or the reviewer's known key, is
 * the caller's check (`verifyDecisionFile`'s `expected.publicKey`).
 */

export const MDF_REQUEST_FILE_FORMAT = 'lockup.mdf-request-file';
export const MDF_DECISION_FILE_FORMAT = 'lockup.mdf-decision-file';
export const MDF_REQUEST_EXTENSION = '.lockup-mdf-request';
/** A request is at most ~10 KB of description and 20 attachments' hashes; anything above this is refused before it is parsed. */
export const MAX_MDF_REQUEST_FILE_BYTES = 256 * 1024;
/** A decision is a reason and a few ids. */
export const MAX_MDF_DECISION_FILE_BYTES = 64 * 1024;

const REQUEST_DOMAIN: SignatureDomain = 'lockup.mdf-request.v1';
const DECISION_DOMAIN: SignatureDomain = 'lockup.mdf-decision.v1';

// C0 and C1 controls (tab and line feed allowed only in multi-line fields), line and paragraph
// separators, and bidi embeddings, overrides and isolates: these files are shown in review queues
// and ledgers, where such characters could hide or reorder what a reviewer sees.
// eslint-disable-next-line no-control-regex
const UNSAFE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Request fields a person may write on several lines; every other string is one line. */
const MULTILINE_FIELDS = new Set(['audience', 'description']);

const UNSAFE_MESSAGE = 'must not contain control or text-direction characters';
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case SHA-256 in hex');
const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lower-case UUID');
const PublicKey = z.object({ type: z.literal(KEY_TYPE), public: z.string().max(100) }).strict();
const Signature = z.object({ type: z.string().min(1).max(40), value: z.string().max(200) }).strict();

const RequestFile = z
  .object({
    format: z.literal(MDF_REQUEST_FILE_FORMAT),
    formatVersion: z.literal(1),
    request: z.unknown(),
    /** The partner install's public key (raw, base64). */
    installKey: PublicKey,
    signature: Signature,
  })
  .strict();

export const DECISIONS = ['approved', 'rejected', 'changes-requested'] as const;
export type DecisionKind = (typeof DECISIONS)[number];
const VERDICTS = ['auto-vetoed', 'needs-review', 'auto-approved'] as const satisfies readonly Verdict[];

export const MdfDecision = z
  .object({
    /** The request file decided on: its id and the sha256 of its bytes. */
    request: z.object({ id: Uuid, sha256: Sha256 }).strict(),
    decision: z.enum(DECISIONS),
    /** Why; required unless approved ("" then). */
    reason: z.string().max(4000).refine((s) => !UNSAFE_MULTILINE.test(s), UNSAFE_MESSAGE),
    decidedAt: z.iso.datetime(),
    decidedBy: z
      .object({
        id: Id,
        name: z
          .string()
          .min(1)
          .max(200)
          .refine((s) => !UNSAFE_LINE.test(s), UNSAFE_MESSAGE),
      })
      .strict(),
    /** The automatic verdict when the request was imported, and the rules it broke. */
    verdict: z.object({ verdict: z.enum(VERDICTS), breaches: z.array(z.enum(RULE_IDS)).max(RULE_IDS.length) }).strict(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.decision !== 'approved' && d.reason.trim() === '') ctx.addIssue({ code: 'custom', path: ['reason'], message: `is required when the request is ${d.decision === 'rejected' ? 'rejected' : 'sent back for changes'}` });
    if ((d.verdict.verdict === 'auto-vetoed') !== d.verdict.breaches.length > 0) ctx.addIssue({ code: 'custom', path: ['verdict'], message: 'an automatic veto comes with the rules broken, and only a veto does' });
  });

export interface MdfDecision {
  request: { id: string; sha256: string };
  decision: DecisionKind;
  reason: string;
  /** ISO 8601, UTC. */
  decidedAt: string;
  decidedBy: { id: string; name: string };
  verdict: { verdict: Verdict; breaches: RuleId[] };
}

const DecisionFile = z
  .object({
    format: z.literal(MDF_DECISION_FILE_FORMAT),
    formatVersion: z.literal(1),
    decision: z.unknown(),
    /** The reviewer's public key (raw, base64). */
    reviewerKey: PublicKey,
    signature: Signature,
  })
  .strict();

export interface RequestAttachmentFile {
  name: string;
  kind: AttachmentKind;
  bytes: Uint8Array;
}

export interface VerifiedRequestFile {
  request: MdfRequest;
  installKey: { publicKey: string; fingerprint: string };
  /** SHA-256 of the request file's bytes (hex): what a decision names. */
  sha256: string;
}

export interface VerifiedDecisionFile {
  decision: MdfDecision;
  reviewerKey: { publicKey: string; fingerprint: string };
}

export interface AttachmentProblem {
  name: string;
  problem: 'missing' | 'hash-mismatch' | 'unexpected';
  message: string;
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new LockupError('mdf-invalid', message, details);
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const encode = (value: unknown) => new TextEncoder().encode(canonicalJson(value));

/** The first string of `value` (at any depth) with a control or text-direction character, as a path. */
function unsafeTextAt(value: unknown, path: string, multiline: boolean): string | undefined {
  if (typeof value === 'string') return (multiline ? UNSAFE_MULTILINE : UNSAFE_LINE).test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = unsafeTextAt(value[i], `${path}[${i}]`, false);
      if (at) return at;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = unsafeTextAt(v, path ? `${path}.${k}` : k, path === '' && MULTILINE_FIELDS.has(k));
      if (at) return at;
    }
  }
  return undefined;
}

/** The request as the file carries it: the MDF request schema, plus safe text and one attachment per name. */
function checkRequest(value: unknown): MdfRequest {
  const parsed = MdfRequest.safeParse(value);
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    invalid(`The MDF request is invalid at request.${issue.path}: ${issue.message}`, { issues: describeIssues(parsed.error) });
  }
  const request = parsed.data;
  const unsafe = unsafeTextAt(request, '', false);
  if (unsafe) invalid(`The MDF request is invalid at request.${unsafe}: ${UNSAFE_MESSAGE}`);
  const names = new Set<string>();
  for (const a of request.attachments) {
    if (names.has(a.name)) invalid(`The MDF request lists the attachment "${a.name}" twice`);
    names.add(a.name);
  }
  return request;
}

function checkDecision(value: unknown): MdfDecision {
  const parsed = MdfDecision.safeParse(value);
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    invalid(`The MDF decision is invalid at decision.${issue.path}: ${issue.message}`, { issues: describeIssues(parsed.error) });
  }
  return parsed.data as MdfDecision;
}

/** Size, UTF-8, JSON (prototype keys refused), shape (strict), canonical spelling: the checks both files share. */
function readSigned<T extends z.ZodType>(bytes: Uint8Array, schema: T, what: string, limit: number): z.infer<T> {
  if (bytes.byteLength > limit) invalid(`An ${what} is a small file; this one is ${bytes.byteLength} bytes (the limit is ${limit})`);
  if (bytes.byteLength === 0) invalid(`The ${what} is empty`);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    invalid(`This is not a Lockup ${what}: it is not UTF-8 text`);
  }
  let raw: unknown;
  try {
    raw = parseUntrustedJson(text);
  } catch (err) {
    invalid(`This is not a Lockup ${what}: ${(err as CanonicalJsonError).message}`);
  }
  const file = schema.safeParse(raw);
  if (!file.success) {
    const issue = describeIssues(file.error)[0]!;
    invalid(`This is not a Lockup ${what} (${issue.path}: ${issue.message})`);
  }
  if (!isCanonical(text, raw)) invalid(`The ${what} is not in its canonical form (it was re-formatted or edited after it was signed)`);
  return file.data;
}


/**
 * Signs a partner's request with this install's key (made on first use).
 * Every attachment the request lists must be given, of the listed kind, with
 * the listed sha256 and size, and nothing unlisted: else `mdf-invalid`
 * naming the file. The file carries the hashes; the attachments travel beside it.
 */
export function signRequest(catalogue: Catalogue, request: MdfRequest, attachments: readonly RequestAttachmentFile[]): { bytes: Uint8Array; fileName: string } {
  const checked = checkRequest(request);
  const given = new Map<string, RequestAttachmentFile>();
  for (const file of attachments) {
    if (given.has(file.name)) invalid(`The attachment "${file.name}" is given twice`);
    given.set(file.name, file);
  }
  for (const listed of checked.attachments) {
    const file = given.get(listed.name);
    if (!file) invalid(`The request lists the attachment "${listed.name}" but it was not given`, { name: listed.name });
    if (file.kind !== listed.kind) invalid(`The attachment "${listed.name}" is listed as ${listed.kind} but given as ${file.kind}`, { name: listed.name });
    if (file.bytes.byteLength !== listed.size) invalid(`The attachment "${listed.name}" is ${file.bytes.byteLength} bytes; the request lists ${listed.size}`, { name: listed.name });
    if (sha256Hex(file.bytes) !== listed.sha256) invalid(`The attachment "${listed.name}" is not the file the request lists (its SHA-256 differs)`, { name: listed.name });
    given.delete(listed.name);
  }
  for (const name of given.keys()) invalid(`The attachment "${name}" is not listed in the request`, { name });
  const key = installKey(catalogue);
  const unsigned = { format: MDF_REQUEST_FILE_FORMAT, formatVersion: 1, request: checked, installKey: { type: KEY_TYPE, public: key.publicKey } };
  const signature = signBytes(REQUEST_DOMAIN, encode(unsigned), key.signingKey);
  const bytes = encode({ ...unsigned, signature: { type: KEY_TYPE, value: signature } });
  if (bytes.byteLength > MAX_MDF_REQUEST_FILE_BYTES) invalid(`The MDF request file would be ${bytes.byteLength} bytes; the limit is ${MAX_MDF_REQUEST_FILE_BYTES}`);
  const stem = ['mdf', checked.partner.id, slug(checked.title, 40), checked.id.slice(0, 8)].filter((s) => s !== '').join('-');
  return { bytes, fileName: `${stem}${MDF_REQUEST_EXTENSION}` };
}

/**
 * Reads and checks a request file: size, UTF-8, JSON, shape (strict),
 * canonical bytes, the request (strict, safe text), then the signature by
 * the key the file carries. Throws `mdf-invalid` or `mdf-signature`.
 */
export function verifyRequestFile(bytes: Uint8Array): VerifiedRequestFile {
  const file = readSigned(bytes, RequestFile, 'MDF request file', MAX_MDF_REQUEST_FILE_BYTES);
  const request = checkRequest(file.request);
  if (file.signature.type !== KEY_TYPE) throw new LockupError('mdf-signature', `The MDF request file is signed with an unknown key type ${JSON.stringify(file.signature.type)}; Lockup accepts ${KEY_TYPE} only`);
  const unsigned = { format: file.format, formatVersion: file.formatVersion, request, installKey: file.installKey };
  if (!verifyBytes(REQUEST_DOMAIN, encode(unsigned), file.signature.value, file.installKey.public)) {
    throw new LockupError('mdf-signature', "The MDF request file's signature does not hold: it was changed after it was signed", { id: request.id });
  }
  return { request, installKey: { publicKey: file.installKey.public, fingerprint: fingerprint(file.installKey.public) }, sha256: sha256Hex(bytes) };
}

/**
 * What is wrong with the attachments of an imported packet, in the request's
 * order: a listed attachment not there, one whose bytes differ from the
 * listed sha256 or size, then files the request does not list. [] when all match.
 */
export function checkAttachments(request: Pick<MdfRequest, 'attachments'>, files: readonly { name: string; bytes: Uint8Array }[]): AttachmentProblem[] {
  const problems: AttachmentProblem[] = [];
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const listed of request.attachments) {
    const file = byName.get(listed.name);
    if (!file) problems.push({ name: listed.name, problem: 'missing', message: `"${listed.name}" is listed in the request but not in the packet` });
    else if (file.bytes.byteLength !== listed.size || sha256Hex(file.bytes) !== listed.sha256) {
      problems.push({ name: listed.name, problem: 'hash-mismatch', message: `"${listed.name}" is not the file the partner signed for (its SHA-256 differs)` });
    }
  }
  const listedNames = new Set(request.attachments.map((a) => a.name));
  for (const f of files) if (!listedNames.has(f.name)) problems.push({ name: f.name, problem: 'unexpected', message: `"${f.name}" is in the packet but not listed in the request` });
  return problems;
}

/** Signs a reviewer's decision on a request file with the reviewer's key. Throws `mdf-invalid` for a decision the verifier would refuse (a rejection without a reason). */
export function signDecision(key: SigningKey, decision: MdfDecision): Uint8Array {
  const checked = checkDecision(decision);
  const unsigned = { format: MDF_DECISION_FILE_FORMAT, formatVersion: 1, decision: checked, reviewerKey: { type: KEY_TYPE, public: key.publicKey } };
  const signature = signBytes(DECISION_DOMAIN, encode(unsigned), key);
  return encode({ ...unsigned, signature: { type: KEY_TYPE, value: signature } });
}

/**
 * Reads and checks a decision file as verifyRequestFile does, then, when
 * given, that it was signed by `expected.publicKey` (else `mdf-signature`)
 * and is about the request file `expected.requestSha256` (else `mdf-invalid`).
 */
export function verifyDecisionFile(bytes: Uint8Array, expected: { publicKey?: string; requestSha256?: string } = {}): VerifiedDecisionFile {
  const file = readSigned(bytes, DecisionFile, 'MDF decision file', MAX_MDF_DECISION_FILE_BYTES);
  const decision = checkDecision(file.decision);
  if (file.signature.type !== KEY_TYPE) throw new LockupError('mdf-signature', `The MDF decision file is signed with an unknown key type ${JSON.stringify(file.signature.type)}; Lockup accepts ${KEY_TYPE} only`);
  const unsigned = { format: file.format, formatVersion: file.formatVersion, decision, reviewerKey: file.reviewerKey };
  if (!verifyBytes(DECISION_DOMAIN, encode(unsigned), file.signature.value, file.reviewerKey.public)) {
    throw new LockupError('mdf-signature', "The MDF decision file's signature does not hold: it was changed after it was signed", { requestId: decision.request.id });
  }
  const reviewerKey = { publicKey: file.reviewerKey.public, fingerprint: fingerprint(file.reviewerKey.public) };
  if (expected.publicKey !== undefined && expected.publicKey !== reviewerKey.publicKey) {
    throw new LockupError('mdf-signature', `The MDF decision was signed by another key (fingerprint ${reviewerKey.fingerprint}), not the reviewer's key this request was sent to`, {
      fingerprint: reviewerKey.fingerprint,
    });
  }
  if (expected.requestSha256 !== undefined && expected.requestSha256 !== decision.request.sha256) {
    invalid(`The MDF decision is about another request file (SHA-256 ${decision.request.sha256.slice(0, 12)}…), not this one (${expected.requestSha256.slice(0, 12)}…)`, {
      requestId: decision.request.id,
    });
  }
  return { decision, reviewerKey };
}
