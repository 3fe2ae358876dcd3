import { z } from 'zod';
import { EVENT_KINDS } from '../contracts/insights-api.ts';

/**
 * The activity report format (`.lockup-activity`, docs/activity-report-format.md,
 * docs/decisions/0027): line-delimited JSON, one object per line, UTF-8,
 * each line ended by "\n". Line 1 is the header; then, in an aggregate,
 * `partner` lines; then `event` lines; the last line is the trailer, which
 * carries the number of events, the SHA-256 of every byte before it, and an
 * Ed25519 signature over a domain-separated message of that hash.
 *
 * Pure: the schemas, the checks that need no I/O, and the signed message.
 * Hashing, signing and streaming are in backend/insights/report.ts.
 */

export const REPORT_FORMAT = 'lockup.activity-report';
export const REPORT_VERSION = 1;
export const REPORT_EXTENSION = '.lockup-activity';
/** The signature domain (backend/packs/keys.ts SignatureDomain): a report signature can never pass for another document's. */
export const REPORT_SIGNATURE_DOMAIN = 'lockup.activity-report.v1';
/** No line may be longer than this (bytes, without its "\n"): a reader's memory stays bounded. */
export const MAX_LINE_BYTES = 64 * 1024;

/** "a1b2 c3d4 …": the first 128 bits of the SHA-256 of the raw public key, in groups of four (backend/packs/keys.ts). */
export const Fingerprint = z.string().regex(/^[0-9a-f]{4}( [0-9a-f]{4}){7}$/, 'must be a key fingerprint ("a1b2 c3d4 …", 8 groups)');
const Text = (max: number) => z.string().min(1).max(max);
/** ISO 8601 in UTC, as Date.toISOString writes it (milliseconds optional). */
export const UtcTime = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?Z$/, 'must be a UTC time such as 2026-03-01T12:00:00.000Z');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const Dim = z.string().min(1).max(120).nullable();

export const ReportKind = z.enum(['partner', 'distributor']);
export type ReportKind = z.infer<typeof ReportKind>;

export const ReportHeader = z
  .object({
    format: z.literal(REPORT_FORMAT),
    version: z.literal(REPORT_VERSION),
    kind: ReportKind,
    /** Who signs: the partner (profile id, company, tier, region) or the distributor (its id and name). */
    issuer: z.object({ id: Text(120), name: Text(300), tier: Dim.default(null), region: Dim.default(null) }).strict(),
    key: z.object({ type: z.literal('ed25519'), publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a raw Ed25519 public key in base64'), fingerprint: Fingerprint }).strict(),
    createdAt: UtcTime,
  })
  .strict();
export type ReportHeader = z.infer<typeof ReportHeader>;

/** An aggregate's description of one partner whose events it carries (before any event line). */
export const PartnerLine = z
  .object({
    t: z.literal('partner'),
    id: Text(120),
    /** The install that speaks for the partner: its events' `source`. */
    source: Fingerprint,
    name: Text(300),
    tier: Dim,
    region: Dim,
  })
  .strict();
export type PartnerLine = z.infer<typeof PartnerLine>;

const Scalar = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);
export const EventData = z.record(z.string().min(1).max(60), Scalar).refine((d) => Object.keys(d).length <= 32, 'has more than 32 entries');

export const EventLine = z
  .object({
    t: z.literal('event'),
    /** The install whose ledger recorded it, and its seq there: the dedupe key. */
    source: Fingerprint,
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    partner: Text(120).nullable(),
    at: UtcTime,
    kind: z.enum(EVENT_KINDS),
    subject: Text(300),
    brand: Text(120).nullable(),
    data: EventData,
  })
  .strict();
export type EventLine = z.infer<typeof EventLine>;

export const TrailerLine = z
  .object({
    t: z.literal('end'),
    events: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    sha256: Sha256,
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be an Ed25519 signature in base64'),
  })
  .strict();
export type TrailerLine = z.infer<typeof TrailerLine>;

/**
 * What the signature covers: `sha256:<hex>\nevents:<n>\n` (ASCII), signed
 * with the domain tag "lockup.activity-report.v1" and a NUL byte before it.
 * The hash covers the header (so the kind, issuer and key), every partner
 * and event line, in order, byte for byte.
 */
export function signedMessage(sha256: string, events: number): Uint8Array {
  return new TextEncoder().encode(`sha256:${sha256}\nevents:${events}\n`);
}

/** The first problem with a parsed line against a schema, as "at path: message", or null. */
export function lineProblem(schema: z.ZodType, value: unknown): string | null {
  const r = schema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'the line';
  return `${where} ${issue.message}`;
}

/** The calendar month (UTC) of a checked `at`. */
export function monthOf(at: string): string {
  return at.slice(0, 7);
}

/** One event as a line (no "\n"): keys in the documented order. */
export function eventLineText(e: Omit<EventLine, 't'>): string {
  return `{"t":"event","source":${JSON.stringify(e.source)},"seq":${e.seq},"partner":${JSON.stringify(e.partner)},"at":${JSON.stringify(e.at)},"kind":${JSON.stringify(e.kind)},"subject":${JSON.stringify(e.subject)},"brand":${JSON.stringify(e.brand)},"data":${JSON.stringify(e.data)}}`;
}

export function partnerLineText(p: Omit<PartnerLine, 't'>): string {
  return JSON.stringify({ t: 'partner', id: p.id, source: p.source, name: p.name, tier: p.tier, region: p.region });
}

export function headerText(h: ReportHeader): string {
  return JSON.stringify({ format: h.format, version: h.version, kind: h.kind, issuer: { id: h.issuer.id, name: h.issuer.name, tier: h.issuer.tier, region: h.issuer.region }, key: h.key, createdAt: h.createdAt });
}

export function trailerText(t: Omit<TrailerLine, 't'>): string {
  return JSON.stringify({ t: 'end', events: t.events, sha256: t.sha256, signature: t.signature });
}

const FP = /^[0-9a-f]{4}( [0-9a-f]{4}){7}$/;
const UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?Z$/;
const KINDS: ReadonlySet<string> = new Set(EVENT_KINDS);
const EVENT_KEYS = 9;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max;

/**
 * The hot path of an import: true only for a value `EventLine` surely
 * accepts (the importer asks zod, for its message, about anything else), so
 * the two never disagree on what is valid; this one is just faster.
 */
export function isPlainValidEvent(v: Record<string, unknown>): boolean {
  let keys = 0;
  for (const k in v) {
    if (k !== 't' && k !== 'source' && k !== 'seq' && k !== 'partner' && k !== 'at' && k !== 'kind' && k !== 'subject' && k !== 'brand' && k !== 'data') return false;
    keys++;
  }
  if (keys !== EVENT_KEYS || v['t'] !== 'event') return false;
  const seq = v['seq'];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return false;
  if (typeof v['source'] !== 'string' || !FP.test(v['source'])) return false;
  if (v['partner'] !== null && !isText(v['partner'], 120)) return false;
  if (typeof v['at'] !== 'string' || !UTC.test(v['at'])) return false;
  if (typeof v['kind'] !== 'string' || !KINDS.has(v['kind'])) return false;
  if (!isText(v['subject'], 300)) return false;
  if (v['brand'] !== null && !isText(v['brand'], 120)) return false;
  const data = v['data'];
  if (typeof data !== 'object' || data === null || Array.isArray(data) || Object.getPrototypeOf(data) !== Object.prototype) return false;
  let n = 0;
  for (const k in data) {
    if (++n > 32 || k.length < 1 || k.length > 60) return false;
    const x = (data as Record<string, unknown>)[k];
    if (x === null || typeof x === 'boolean') continue;
    if (typeof x === 'number' ? !Number.isFinite(x) : typeof x !== 'string' || x.length > 1000) return false;
  }
  return true;
}
