import type { Statement } from 'better-sqlite3';
import type { ImportSummary } from '../../core/contracts/insights-api.ts';
import { LockupError } from '../../core/errors.ts';
import { monthOf, type EventLine, type PartnerLine, type ReportHeader } from '../../core/insights/report.ts';
import type { Catalogue } from '../catalogue.ts';
import { bytesChunks, DEFAULT_CHUNK, fileChunks, fileTail, invalid, ownDistributor, peekTrailerSha, readReport, type Chunks, type ReadResult } from './report.ts';
import { openRollups } from './rollups.ts';
import type { PartnerDim, Rollups } from './types.ts';

/**
 * Importing activity reports (docs/activity-report-format.md,
 * docs/decisions/0027). One report is read once, in chunks, inside ONE
 * transaction: every line is checked as it arrives, each event is stored
 * with INSERT OR IGNORE on its (source, seq) key (a second copy of an
 * event, from an overlapping report or another aggregate, is a duplicate),
 * the dashboards' rollups see each newly stored event, and the trailer's
 * signature is checked at the end. Anything wrong throws and the
 * transaction rolls back: nothing of a refused report is kept.
 */

export const DIRECT = { id: 'direct', name: 'Direct' } as const;

export interface ImportOptions {
  /** Bytes read at a time (tests make it small to split lines and characters across chunks). */
  chunkSize?: number;
  /** The clock for imported_at. */
  now?: Date;
  /** For tests and benchmarks: the rollups to feed (default: backend/insights/rollups.ts). */
  rollups?: (catalogue: Catalogue) => Rollups;
  /**
   * The distributor this catalogue belongs to, when it is one: partner reports imported here count for it
   * rather than as "direct" (a vendor's catalogue leaves this unset). Default: worked out from the app's role.
   */
  reportsThrough?: { id: string; name: string } | null;
}

class AlreadyImported extends Error {}

/** The page cache while importing, KiB as SQLite's negative cache_size (bounded: 128 MiB). */
const IMPORT_CACHE_KIB = -131072;

interface PartnerRow {
  id: number;
  partner_id: string;
  name: string;
  tier: string | null;
  region: string | null;
  distributor_id: string;
  distributor_name: string;
}

const dimOf = (r: PartnerRow): PartnerDim => ({ key: r.id, partnerId: r.partner_id, name: r.name, tier: r.tier, region: r.region, distributorId: r.distributor_id, distributorName: r.distributor_name });

/** Checks a report without storing anything (`lockup insights import --verify-only`). */
export function verifyReportFile(file: string, options: { chunkSize?: number } = {}): ReadResult {
  return readReport(fileChunks(file, options.chunkSize ?? DEFAULT_CHUNK), { header() {} });
}

export function verifyReportBytes(bytes: Uint8Array, options: { chunkSize?: number } = {}): ReadResult {
  return readReport(bytesChunks(bytes, options.chunkSize ?? DEFAULT_CHUNK), { header() {} });
}

export function importReportFile(catalogue: Catalogue, file: string, options: ImportOptions = {}): ImportSummary {
  const chunk = options.chunkSize ?? DEFAULT_CHUNK;
  let tail: Uint8Array | undefined;
  try {
    tail = fileTail(file);
  } catch {
    tail = undefined; // fileChunks says why it cannot be read
  }
  return importChunks(catalogue, () => fileChunks(file, chunk), tail, options);
}

export function importReportBytes(catalogue: Catalogue, bytes: Uint8Array, options: ImportOptions = {}): ImportSummary {
  const chunk = options.chunkSize ?? DEFAULT_CHUNK;
  return importChunks(catalogue, () => bytesChunks(bytes, chunk), bytes.subarray(Math.max(0, bytes.byteLength - 1024)), options);
}

function already(catalogue: Catalogue, r: ReadResult, t0: number): ImportSummary {
  return {
    kind: r.header.kind,
    issuer: { id: r.header.issuer.id, name: r.header.issuer.name, fingerprint: r.header.key.fingerprint },
    events: r.events,
    added: 0,
    duplicates: r.events,
    partners: r.header.kind === 'partner' ? 1 : r.partners,
    alreadyImported: true,
    ms: performance.now() - t0,
  };
}

function importChunks(catalogue: Catalogue, chunks: () => Chunks, tail: Uint8Array | undefined, options: ImportOptions): ImportSummary {
  const t0 = performance.now();
  const db = catalogue.db;
  const known = db.prepare('SELECT 1 FROM insight_imports WHERE sha256 = ?');
  // A report imported before (its trailer names a known hash): check it, change nothing.
  const peeked = tail ? peekTrailerSha(tail) : undefined;
  if (peeked && known.get(peeked)) return already(catalogue, readReport(chunks(), { header() {} }), t0);

  const now = (options.now ?? new Date()).toISOString();
  let summary: ImportSummary | undefined;
  let result: ReadResult | undefined;
  // A big import touches many index pages in one transaction: a larger page cache keeps them from spilling to disk.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
  try {
    catalogue.transaction(() => {
      const rollups = (options.rollups ?? ((c: Catalogue) => openRollups(c.db)))(catalogue);
      const st = statements(catalogue);
      const sources = new Map<string, number>();
      const sourceId = (fp: string): number => {
        let id = sources.get(fp);
        if (id === undefined) {
          const row = st.sourceByFp.get(fp) as { id: number } | undefined;
          id = row ? row.id : (st.addSource.get(fp, now) as { id: number }).id;
          sources.set(fp, id);
        }
        return id;
      };
      let header!: ReportHeader;
      const through = options.reportsThrough === undefined ? ownDistributor(catalogue) : options.reportsThrough;
      let distributor: { id: string; name: string } = through ?? DIRECT;
      /** Partner dimension rows declared by this report: by "id\0source" and by id alone. */
      const dims = new Map<string, PartnerDim>();
      const dimsById = new Map<string, PartnerDim>();
      let added = 0;

      const upsertDim = (p: Omit<PartnerLine, 't'>): PartnerDim => {
        const source = sourceId(p.source);
        st.upsertPartner.run(p.id, source, p.name, p.tier, p.region, distributor.id, distributor.name, header.createdAt);
        const dim = dimOf(st.partnerRow.get(p.id, source) as PartnerRow);
        dims.set(`${p.id}\0${p.source}`, dim);
        if (!dimsById.has(p.id)) dimsById.set(p.id, dim);
        return dim;
      };

      result = readReport(chunks(), {
        header(h) {
          header = h;
          pin(catalogue, st, h, now, sources);
          if (h.kind === 'distributor') distributor = { id: h.issuer.id, name: h.issuer.name };
          else upsertDim({ id: h.issuer.id, source: h.key.fingerprint, name: h.issuer.name, tier: h.issuer.tier, region: h.issuer.region });
        },
        partner(p) {
          upsertDim(p);
        },
        event(e: EventLine, line: number) {
          let partner: PartnerDim | null = null;
          if (e.partner !== null) {
            partner = dims.get(`${e.partner}\0${e.source}`) ?? dimsById.get(e.partner) ?? null;
            if (!partner) invalid(`Line ${line}: the event's partner "${e.partner}" is not described by a partner line before it`, { line });
          }
          const source = sourceId(e.source);
          const month = monthOf(e.at);
          const data = JSON.stringify(e.data);
          if (st.addEvent.run(source, e.seq, partner ? partner.key : null, e.at, month, e.kind, e.subject, e.brand, data).changes === 1) {
            added++;
            rollups.add({ source, seq: e.seq, partner, at: e.at, month, kind: e.kind, subject: e.subject, brand: e.brand, data: e.data });
          }
        },
      });
      const r = result;
      // The same report (by its hash) was imported while this one was read: undo, say so.
      if (known.get(r.sha256)) throw new AlreadyImported();
      rollups.flush();
      const partners = r.header.kind === 'partner' ? 1 : r.partners;
      st.addImport.run(r.sha256, r.header.kind, r.header.issuer.id, r.header.issuer.name, r.header.key.fingerprint, r.events, partners, added, r.header.createdAt, now);
      summary = {
        kind: r.header.kind,
        issuer: { id: r.header.issuer.id, name: r.header.issuer.name, fingerprint: r.header.key.fingerprint },
        events: r.events,
        added,
        duplicates: r.events - added,
        partners,
        alreadyImported: false,
        ms: 0,
      };
    });
  } catch (err) {
    if (err instanceof AlreadyImported && result) return already(catalogue, result, t0);
    throw err;
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
  return { ...summary!, ms: performance.now() - t0 };
}

type Statements = ReturnType<typeof statements>;

function statements(catalogue: Catalogue) {
  const db = catalogue.db;
  return {
    sourceByFp: db.prepare('SELECT id, kind, issuer_id, issuer_name FROM insight_sources WHERE fingerprint = ?'),
    sourceByIssuer: db.prepare('SELECT fingerprint FROM insight_sources WHERE kind = ? AND issuer_id = ?'),
    addSource: db.prepare('INSERT INTO insight_sources (fingerprint, first_seen) VALUES (?, ?) RETURNING id'),
    claimSource: db.prepare('UPDATE insight_sources SET public_key = ?, kind = ?, issuer_id = ?, issuer_name = ? WHERE id = ?'),
    upsertPartner: db.prepare(
      `INSERT INTO insight_partners (partner_id, source, name, tier, region, distributor_id, distributor_name, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (partner_id, source) DO UPDATE SET name = excluded.name, tier = excluded.tier, region = excluded.region,
         distributor_id = excluded.distributor_id, distributor_name = excluded.distributor_name, reported_at = excluded.reported_at
       WHERE excluded.reported_at >= insight_partners.reported_at`,
    ),
    partnerRow: db.prepare('SELECT * FROM insight_partners WHERE partner_id = ? AND source = ?'),
    addEvent: db.prepare('INSERT OR IGNORE INTO insight_events (source, seq, partner, at, month, kind, subject, brand, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)') as Statement,
    addImport: db.prepare(
      'INSERT INTO insight_imports (sha256, kind, issuer_id, issuer_name, fingerprint, events, partners, added, created_at, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
}

/**
 * Trust on first use (docs/decisions/0027): the first report from an
 * issuer pins its key; a later report from the same issuer under another
 * key, or a key that signed before for another issuer, is refused.
 */
function pin(_catalogue: Catalogue, st: Statements, h: ReportHeader, now: string, sources: Map<string, number>): void {
  const fp = h.key.fingerprint;
  const who = h.kind === 'partner' ? 'partner' : 'distributor';
  const pinned = st.sourceByIssuer.get(h.kind, h.issuer.id) as { fingerprint: string } | undefined;
  if (pinned && pinned.fingerprint !== fp) {
    throw new LockupError(
      'report-key-mismatch',
      `This report from ${who} "${h.issuer.name}" (${h.issuer.id}) is signed with the key ${fp}, but its earlier reports were signed with ${pinned.fingerprint}. If ${h.issuer.name} moved to a new install, confirm the new key with them before trusting it.`,
      { issuer: h.issuer.id, expected: pinned.fingerprint, actual: fp },
    );
  }
  const row = st.sourceByFp.get(fp) as { id: number; kind: string | null; issuer_id: string | null; issuer_name: string | null } | undefined;
  if (row && row.kind !== null && (row.kind !== h.kind || row.issuer_id !== h.issuer.id)) {
    throw new LockupError('report-key-mismatch', `The key ${fp} signed reports as ${row.kind} "${row.issuer_name ?? row.issuer_id}" (${row.issuer_id}) before; this report says it is ${who} "${h.issuer.id}"`, {
      issuer: h.issuer.id,
      expected: row.issuer_id,
      fingerprint: fp,
    });
  }
  const id = row ? row.id : (st.addSource.get(fp, now) as { id: number }).id;
  st.claimSource.run(h.key.publicKey, h.kind, h.issuer.id, h.issuer.name, id);
  sources.set(fp, id);
}

export interface ImportRow {
  sha256: string;
  kind: 'partner' | 'distributor';
  issuer: string;
  events: number;
  added: number;
  importedAt: string;
}

/** Reports imported here, newest first. */
export function listImports(catalogue: Catalogue): ImportRow[] {
  const rows = catalogue.db.prepare('SELECT sha256, kind, issuer_name, issuer_id, events, added, imported_at FROM insight_imports ORDER BY id DESC').all() as {
    sha256: string;
    kind: 'partner' | 'distributor';
    issuer_name: string;
    issuer_id: string;
    events: number;
    added: number;
    imported_at: string;
  }[];
  return rows.map((r) => ({ sha256: r.sha256, kind: r.kind, issuer: `${r.issuer_name} (${r.issuer_id})`, events: r.events, added: r.added, importedAt: r.imported_at }));
}
