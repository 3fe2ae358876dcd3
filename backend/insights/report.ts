import { isUtf8 } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import {
  EventLine,
  eventLineText,
  headerText,
  isPlainValidEvent,
  partnerLineText,
  REPORT_EXTENSION,
  MAX_LINE_BYTES,
  PartnerLine,
  REPORT_FORMAT,
  REPORT_SIGNATURE_DOMAIN,
  REPORT_VERSION,
  ReportHeader,
  signedMessage,
  TrailerLine,
  trailerText,
  lineProblem,
  type ReportKind,
} from '../../core/insights/report.ts';
import type { PartnerProfile } from '../../core/model/index.ts';
import { loadPublishingKey } from '../api/pack-ops.ts';
import type { Catalogue } from '../catalogue.ts';
import { DistributorWorkspace } from '../distributor/workspace.ts';
import { installKey } from '../learning/completion.ts';
import { fingerprint, signBytes, verifyBytes, type SigningKey } from '../packs/keys.ts';
import { slug } from '../util/slug.ts';
import { ledgerEvents } from './ledger.ts';

/**
 * The Node side of activity reports (docs/activity-report-format.md): a
 * streaming writer that hashes and signs as it writes, and a streaming
 * reader that checks every line, hashes as it reads and verifies the
 * trailer, holding at most one chunk and one line in memory.
 */

export interface ReportIssuer {
  id: string;
  name: string;
  tier?: string | null;
  region?: string | null;
}

/** Bytes buffered before a write (lines are at most MAX_LINE_BYTES, so one always fits). */
const WRITE_BUFFER = 1 << 20;

/**
 * Writes a report line by line to a temporary file beside `file`, hashing
 * every byte; `finish` appends the signed trailer and moves the file into
 * place (so a half-written report is never left under its name).
 */
export class ReportWriter {
  readonly file: string;
  private readonly tmp: string;
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private readonly buffer = Buffer.allocUnsafe(WRITE_BUFFER);
  private used = 0;
  private bytes = 0;
  events = 0;
  partners = 0;
  private done = false;

  constructor(file: string, readonly header: ReportHeader) {
    this.file = path.resolve(file);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      this.fd = fs.openSync(this.tmp, 'w');
    } catch (err) {
      throw new LockupError('output-unwritable', `Cannot write the report to ${this.file}: ${(err as Error).message}`);
    }
    this.line(headerText(header));
  }

  private line(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    if (text.length * 3 + 1 > WRITE_BUFFER - this.used) {
      this.flush();
      if (Buffer.byteLength(text, 'utf8') > MAX_LINE_BYTES) throw new LockupError('internal', `A report line is longer than ${MAX_LINE_BYTES} bytes`);
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
    this.buffer[this.used++] = 10;
  }

  private flush(): void {
    if (this.used === 0) return;
    const chunk = this.buffer.subarray(0, this.used);
    this.hash.update(chunk);
    let off = 0;
    while (off < chunk.byteLength) off += fs.writeSync(this.fd, chunk, off);
    this.bytes += chunk.byteLength;
    this.used = 0;
  }

  /** A partner line (aggregates only, before any event). */
  partner(text: string): void {
    if (this.events > 0) throw new LockupError('internal', 'Partner lines go before the events');
    this.partners++;
    this.line(text);
  }

  /** An event line, already spelled (core/insights/report.ts eventLineText). */
  event(text: string): void {
    this.events++;
    this.line(text);
  }

  finish(key: SigningKey): { path: string; fileName: string; byteLength: number; sha256: string; events: number; partners: number } {
    try {
      this.flush();
      const sha256 = this.hash.digest('hex');
      const signature = signBytes(REPORT_SIGNATURE_DOMAIN, signedMessage(sha256, this.events), key);
      const trailer = Buffer.from(trailerText({ events: this.events, sha256, signature }) + '\n', 'utf8');
      fs.writeSync(this.fd, trailer);
      this.bytes += trailer.byteLength;
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.done = true;
      fs.renameSync(this.tmp, this.file);
      return { path: this.file, fileName: path.basename(this.file), byteLength: this.bytes, sha256, events: this.events, partners: this.partners };
    } catch (err) {
      this.abort();
      if (err instanceof LockupError) throw err;
      throw new LockupError('output-unwritable', `Cannot write the report to ${this.file}: ${(err as Error).message}`);
    }
  }

  /** Drops the temporary file (on any failure while writing). */
  abort(): void {
    if (!this.done) {
      this.done = true;
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
    }
    fs.rmSync(this.tmp, { force: true });
  }
}

export function reportHeader(kind: ReportKind, issuer: ReportIssuer, key: SigningKey, createdAt: Date): ReportHeader {
  return ReportHeader.parse({
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    kind,
    issuer: { id: issuer.id, name: issuer.name, tier: issuer.tier ?? null, region: issuer.region ?? null },
    key: { type: 'ed25519', publicKey: key.publicKey, fingerprint: fingerprint(key.publicKey) },
    createdAt: createdAt.toISOString(),
  });
}

// ---------------------------------------------------------------- reading

export interface ReportVisitor {
  header(h: ReportHeader): void;
  partner?(p: PartnerLine, line: number): void;
  event?(e: EventLine, line: number): void;
}

export interface ReadResult {
  header: ReportHeader;
  trailer: TrailerLine;
  /** The hash of every byte before the trailer (the report's identity). */
  sha256: string;
  events: number;
  partners: number;
  lines: number;
}

export const invalid = (message: string, details?: Record<string, unknown>): never => {
  throw new LockupError('report-invalid', message, details);
};

/** Chunks of a report, in order; `chunkSize` bytes each (the last may be shorter). */
export type Chunks = Iterable<Uint8Array>;

export const DEFAULT_CHUNK = 1 << 20;

export function* fileChunks(file: string, chunkSize = DEFAULT_CHUNK): Generator<Uint8Array> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new LockupError('file-unreadable', `Report "${file}" cannot be read: ${(err as Error).message}`, { path: file });
  }
  try {
    const buf = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, chunkSize, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function* bytesChunks(bytes: Uint8Array, chunkSize = DEFAULT_CHUNK): Generator<Uint8Array> {
  for (let off = 0; off < bytes.byteLength; off += chunkSize) yield bytes.subarray(off, Math.min(bytes.byteLength, off + chunkSize));
}

/** The trailer's sha256 read from the end of a report without reading the rest (undefined when there is none to read). */
export function peekTrailerSha(tail: Uint8Array): string | undefined {
  const text = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength).toString('utf8').replace(/\n$/, '');
  const last = text.slice(text.lastIndexOf('\n') + 1);
  try {
    const t = TrailerLine.safeParse(JSON.parse(last));
    return t.success ? t.data.sha256 : undefined;
  } catch {
    return undefined;
  }
}

export function fileTail(file: string, bytes = 1024): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const n = Math.min(size, bytes);
    const buf = Buffer.alloc(n);
    fs.readSync(fd, buf, 0, n, size - n);
    return buf;
  } finally {
    fs.closeSync(fd);
  }
}

function parseLine(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return invalid(`Line ${line} of the report is not JSON: ${(err as Error).message}`, { line });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid(`Line ${line} of the report is not a JSON object`, { line });
  return value as Record<string, unknown>;
}

function checked<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown, line: number, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  return invalid(`Line ${line} of the report is not a valid ${what}: ${lineProblem(schema as never, value)}`, { line });
}

/**
 * Reads a report chunk by chunk: checks each line as it comes (its JSON,
 * its schema, its place), hashes the bytes before the trailer, and at the
 * end checks the trailer's count, hash and signature. Throws
 * `report-invalid` (which line, why) or `report-signature`; the visitor
 * sees each line before the signature is known to hold, so a caller that
 * stores them must do so in a transaction it rolls back on a throw.
 */
export function readReport(chunks: Chunks, visit: ReportVisitor): ReadResult {
  const hash = createHash('sha256');
  let carry: Buffer | null = null;
  let line = 0;
  let header: ReportHeader | undefined;
  let trailer: TrailerLine | undefined;
  let sha256 = '';
  let events = 0;
  let partners = 0;

  const handle = (data: Buffer, start: number, end: number): boolean => {
    line++;
    if (trailer) invalid(`Line ${line} of the report comes after its trailer (the "end" line must be last)`, { line });
    if (end - start > MAX_LINE_BYTES) invalid(`Line ${line} of the report is longer than ${MAX_LINE_BYTES} bytes`, { line });
    if (end > start && data[end - 1] === 13) invalid(`Line ${line} of the report ends with "\\r\\n": lines end with "\\n" alone`, { line });
    const text = data.toString('utf8', start, end);
    if (text.includes('\uFFFD') && !isUtf8(data.subarray(start, end))) invalid(`Line ${line} of the report is not valid UTF-8`, { line });
    const value = parseLine(text, line);
    if (line === 1) {
      if (value['format'] !== REPORT_FORMAT) invalid(`This is not a Lockup activity report (line 1 must be its header, format "${REPORT_FORMAT}")`, { line });
      if (typeof value['version'] === 'number' && value['version'] > REPORT_VERSION) {
        invalid(`The report is format version ${value['version']}; this Lockup reads version ${REPORT_VERSION}. Update Lockup to import it.`, { line, version: value['version'] });
      }
      header = checked(ReportHeader, value, line, 'report header');
      if (fingerprint(header.key.publicKey) !== header.key.fingerprint) invalid(`The report's header names the key fingerprint ${header.key.fingerprint}, which is not its public key's`, { line });
      visit.header(header);
      return false;
    }
    switch (value['t']) {
      case 'event': {
        const e = isPlainValidEvent(value) ? (value as EventLine) : checked(EventLine, value, line, 'event line');
        if (header!.kind === 'partner') {
          if (e.source !== header!.key.fingerprint) invalid(`Line ${line}: a partner's report carries only its own install's events (source ${e.source} is not ${header!.key.fingerprint})`, { line });
          if (e.partner !== header!.issuer.id) invalid(`Line ${line}: a partner's report carries only its own events (partner ${JSON.stringify(e.partner)} is not "${header!.issuer.id}")`, { line });
        }
        events++;
        visit.event?.(e, line);
        return false;
      }
      case 'partner': {
        if (header!.kind !== 'distributor') invalid(`Line ${line}: only a distributor's aggregate has partner lines`, { line });
        if (events > 0) invalid(`Line ${line}: partner lines must come before the first event`, { line });
        const p = checked(PartnerLine, value, line, 'partner line');
        partners++;
        visit.partner?.(p, line);
        return false;
      }
      case 'end':
        trailer = checked(TrailerLine, value, line, 'trailer');
        return true;
      default:
        return invalid(`Line ${line} of the report has an unknown type ${JSON.stringify(value['t'])} (expected "partner", "event" or "end")`, { line });
    }
  };

  for (const chunk of chunks) {
    const data: Buffer = carry ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    let hashFrom = 0;
    for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
      if (handle(data, start, nl)) {
        hash.update(data.subarray(hashFrom, start));
        sha256 = hash.digest('hex');
        hashFrom = nl + 1;
      }
      start = nl + 1;
    }
    if (!trailer) hash.update(data.subarray(hashFrom, start));
    const rest = data.byteLength - start;
    if (rest > MAX_LINE_BYTES) invalid(`Line ${line + 1} of the report is longer than ${MAX_LINE_BYTES} bytes`, { line: line + 1 });
    carry = rest > 0 ? Buffer.from(data.subarray(start)) : null;
  }
  if (carry) {
    if (trailer) invalid(`Line ${line + 1} of the report comes after its trailer (the "end" line must be last)`, { line: line + 1 });
    invalid(`The report's last line (${line + 1}) does not end with a line break: the file is truncated`, { line: line + 1 });
  }
  if (line === 0) invalid('The report is empty');
  if (!trailer) invalid(`The report ends at line ${line} without its trailer (the "end" line): the file is truncated`, { line });
  const h = header!;
  const t = trailer!;
  if (t.events !== events) throw new LockupError('report-signature', `The report's trailer counts ${t.events} events but the report has ${events}: it was changed after it was signed`);
  if (t.sha256 !== sha256) throw new LockupError('report-signature', "The report's content does not match the hash in its trailer: it was changed after it was signed");
  if (!verifyBytes(REPORT_SIGNATURE_DOMAIN, signedMessage(sha256, events), t.signature, h.key.publicKey)) {
    throw new LockupError('report-signature', `The report's signature does not verify with the key in its header (${h.key.fingerprint}): it was changed after it was signed`);
  }
  return { header: h, trailer: t, sha256, events, partners, lines: line };
}

// ---------------------------------------------------------------- exporting from a catalogue

export interface WrittenReport {
  path: string;
  fileName: string;
  byteLength: number;
  sha256: string;
  events: number;
  partners: number;
}

/**
 * The distributor this catalogue is, when the app's role is distributor: partner reports it imports count for
 * it (its own dashboard groups them under its name, not "Direct"). Creates no key.
 */
export function ownDistributor(catalogue: Catalogue): { id: string; name: string } | null {
  if (catalogue.getSetting('role') !== 'distributor') return null;
  const settings = new DistributorWorkspace(catalogue).settings();
  const identity = loadPublishingKey(catalogue);
  if (identity) return { id: identity.publisher.id, name: settings?.name ?? identity.publisher.name };
  return { id: 'this-distributor', name: settings?.name ?? 'This distributor' };
}

/** Who signs this catalogue's reports: the partner (its install key) or the distributor (its identity key, else its install key). */
export function distributorSigner(catalogue: Catalogue): { key: SigningKey; issuer: ReportIssuer } {
  const settings = new DistributorWorkspace(catalogue).settings();
  const identity = loadPublishingKey(catalogue);
  if (identity) return { key: identity, issuer: { id: identity.publisher.id, name: settings?.name ?? identity.publisher.name } };
  const install = installKey(catalogue);
  return { key: install.signingKey, issuer: { id: `install-${install.fingerprint.replace(/ /g, '').slice(0, 16)}`, name: settings?.name ?? 'Distributor' } };
}

/** The partner's tier and region: its profile's, else the first credential's that says. */
function partnerDims(catalogue: Catalogue, profile: PartnerProfile): { tier: string | null; region: string | null } {
  let tier = profile.tier ?? null;
  let region = profile.region ?? null;
  if (tier === null || region === null) {
    for (const brand of catalogue.brandIds()) {
      try {
        const p = catalogue.accessProfile(brand, profile).profile;
        tier ??= p.tier ?? null;
        region ??= p.region ?? null;
      } catch {
        // a brand without access levels says nothing
      }
    }
  }
  return { tier, region };
}

export function recordReportExport(catalogue: Catalogue, kind: ReportKind | 'csv', w: Pick<WrittenReport, 'path' | 'sha256' | 'events' | 'byteLength'>, at: Date): void {
  catalogue.db.prepare('INSERT INTO insight_exports (path, kind, sha256, events, byte_length, exported_at) VALUES (?, ?, ?, ?, ?, ?)').run(w.path, kind, w.sha256, w.events, w.byteLength, at.toISOString());
}

/** True for a report or aggregate this catalogue wrote (export:download and file:reveal accept it). */
export function isInsightExport(catalogue: Catalogue, file: string): boolean {
  return catalogue.db.prepare('SELECT 1 FROM insight_exports WHERE path = ? LIMIT 1').get(file) !== undefined;
}

export function reportFileName(kind: ReportKind, issuer: string, at: Date): string {
  return `${slug(issuer) || kind}-${kind === 'partner' ? 'activity' : 'aggregate'}-${at.toISOString().slice(0, 10)}${REPORT_EXTENSION}`;
}

/**
 * The partner's signed activity report: every event of its ledger (reports
 * are cumulative; the importer's dedupe makes overlaps harmless), each for
 * this partner, from this install.
 */
export function exportPartnerReport(catalogue: Catalogue, profile: PartnerProfile, file: string, at: Date = new Date()): WrittenReport {
  const key = installKey(catalogue);
  const header = reportHeader('partner', { id: profile.id, name: profile.company, ...partnerDims(catalogue, profile) }, key.signingKey, at);
  const w = new ReportWriter(file, header);
  try {
    for (const e of ledgerEvents(catalogue)) {
      w.event(eventLineText({ source: key.fingerprint, seq: e.seq, partner: profile.id, at: e.at, kind: e.kind, subject: e.subject, brand: e.brand, data: e.data }));
    }
  } catch (err) {
    w.abort();
    throw err;
  }
  const written = w.finish(key.signingKey);
  recordReportExport(catalogue, 'partner', written, at);
  return written;
}

/**
 * The distributor's signed aggregate: a partner line for every partner it
 * imported reports from, every event it imported (with its original source
 * and seq, so the vendor dedupes across aggregates), and its own ledger's
 * events (its MDF decisions), from its install.
 */
export function exportAggregate(catalogue: Catalogue, file: string, at: Date = new Date()): WrittenReport {
  const signer = distributorSigner(catalogue);
  const own = installKey(catalogue);
  const header = reportHeader('distributor', signer.issuer, signer.key, at);
  const w = new ReportWriter(file, header);
  try {
    const declared = new Set<string>();
    const partners = catalogue.db.prepare('SELECT p.partner_id, s.fingerprint, p.name, p.tier, p.region FROM insight_partners p JOIN insight_sources s ON s.id = p.source ORDER BY p.id').iterate() as Iterable<{
      partner_id: string;
      fingerprint: string;
      name: string;
      tier: string | null;
      region: string | null;
    }>;
    for (const p of partners) {
      declared.add(p.partner_id);
      w.partner(partnerLineText({ id: p.partner_id, source: p.fingerprint, name: p.name, tier: p.tier, region: p.region }));
    }
    const events = catalogue.db
      .prepare('SELECT s.fingerprint, e.seq, p.partner_id, e.at, e.kind, e.subject, e.brand, e.data FROM insight_events e JOIN insight_sources s ON s.id = e.source LEFT JOIN insight_partners p ON p.id = e.partner ORDER BY e.source, e.seq')
      .raw()
      .iterate() as Iterable<[string, number, string | null, string, string, string, string | null, string]>;
    for (const [fp, seq, partner, eAt, kind, subject, brand, data] of events) {
      // The stored data is JSON this importer wrote from a checked line: it goes out as it is.
      w.event(`{"t":"event","source":${JSON.stringify(fp)},"seq":${seq},"partner":${JSON.stringify(partner)},"at":${JSON.stringify(eAt)},"kind":${JSON.stringify(kind)},"subject":${JSON.stringify(subject)},"brand":${JSON.stringify(brand)},"data":${data}}`);
    }
    for (const e of ledgerEvents(catalogue)) {
      // Its own events name a partner only when the aggregate describes it (an MDF decision names its partner in data.partner).
      const partner = e.partner !== null && declared.has(e.partner) ? e.partner : null;
      w.event(eventLineText({ source: own.fingerprint, seq: e.seq, partner, at: e.at, kind: e.kind, subject: e.subject, brand: e.brand, data: e.data }));
    }
  } catch (err) {
    w.abort();
    throw err;
  }
  const written = w.finish(signer.key);
  recordReportExport(catalogue, 'distributor', written, at);
  return written;
}
