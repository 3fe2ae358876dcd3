import { LockupError } from '../../core/errors.ts';
import { parseMdfProgram, parseMdfRequest, type MdfProgram, type MdfRequest } from '../../core/mdf/model.ts';
import type { Evaluation } from '../../core/mdf/rules.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import type { Catalogue } from '../catalogue.ts';
import { sha256Hex } from '../util/hash.ts';
import type { MdfDecision } from './files.ts';

/**
 * The MDF rows (migration 0008, docs/decisions/0026). Plain storage: what is
 * allowed (rules, signatures, who may decide) is checked by the callers
 * (backend/api/mdf-ops.ts) before anything is written here. Decisions are
 * written once; the triggers refuse a second.
 */

export type PartnerStatus = 'submitted' | 'approved' | 'rejected' | 'changes-requested';
export type QueueStatus = 'awaiting-review' | 'auto-vetoed' | 'approved' | 'rejected' | 'changes-requested';

export interface PartnerRequestRow {
  request: MdfRequest;
  brand: string;
  programName: string;
  currency: string;
  evaluation: Evaluation;
  status: PartnerStatus;
  decision: MdfDecision | null;
  reviewerKey: string | null;
  packet: string;
  requestSha256: string;
  submittedAt: string;
}

export interface QueueAttachment {
  name: string;
  kind: MdfRequest['attachments'][number]['kind'];
  size: number;
  ok: boolean;
}

export interface QueueRow {
  request: MdfRequest;
  programName: string;
  currency: string;
  activityName: string;
  requestSha256: string;
  requestFile: Uint8Array;
  signedBy: string;
  evaluation: Evaluation;
  attachments: QueueAttachment[];
  status: QueueStatus;
  decision: MdfDecision | null;
  decisionPath: string | null;
  importedAt: string;
}

export class MdfStore {
  constructor(private readonly catalogue: Catalogue) {}

  private get db() {
    return this.catalogue.db;
  }

  // ---- programs (one per brand, the latest)

  program(brandId: string): { program: MdfProgram; sha256: string; updatedAt: string } | undefined {
    const r = this.db.prepare('SELECT body, sha256, updated_at FROM mdf_programs WHERE brand_id = ?').get(brandId) as { body: string; sha256: string; updated_at: string } | undefined;
    return r && { program: parseMdfProgram(JSON.parse(r.body)), sha256: r.sha256, updatedAt: r.updated_at };
  }

  programs(): MdfProgram[] {
    const rows = this.db.prepare('SELECT body FROM mdf_programs ORDER BY brand_id').all() as { body: string }[];
    return rows.map((r) => parseMdfProgram(JSON.parse(r.body)));
  }

  /** Stores the brand's program (replacing the one before); null removes it (a pack without one). */
  saveProgram(brandId: string, program: MdfProgram | null, at = new Date()): void {
    if (program === null) {
      this.db.prepare('DELETE FROM mdf_programs WHERE brand_id = ?').run(brandId);
      return;
    }
    const p = parseMdfProgram(program);
    if (p.brand !== brandId) throw new LockupError('mdf-invalid', `The MDF program "${p.id}" is for brand "${p.brand}", not "${brandId}"`, { program: p.id });
    const body = canonicalJson(p);
    this.db
      .prepare(
        `INSERT INTO mdf_programs (brand_id, id, version, body, sha256, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(brand_id) DO UPDATE SET id = excluded.id, version = excluded.version, body = excluded.body, sha256 = excluded.sha256, updated_at = excluded.updated_at
         WHERE mdf_programs.sha256 IS NOT excluded.sha256`,
      )
      .run(brandId, p.id, p.version, body, sha256Hex(body), at.toISOString());
  }

  // ---- staged attachments (content-addressed)

  stage(bytes: Uint8Array, at = new Date()): string {
    const sha = sha256Hex(bytes);
    this.db.prepare('INSERT OR IGNORE INTO mdf_attachments (sha256, bytes, staged_at) VALUES (?, ?, ?)').run(sha, Buffer.from(bytes), at.toISOString());
    return sha;
  }

  staged(sha256: string): Uint8Array | undefined {
    const r = this.db.prepare('SELECT bytes FROM mdf_attachments WHERE sha256 = ?').get(sha256) as { bytes: Buffer } | undefined;
    return r && new Uint8Array(r.bytes);
  }

  // ---- the partner's requests

  saveRequest(row: Omit<PartnerRequestRow, 'status' | 'decision' | 'reviewerKey'>): void {
    this.db
      .prepare(
        `INSERT INTO mdf_requests (id, brand_id, program_id, program_name, currency, partner_id, request, evaluation, status, decision, reviewer_key, packet_path, request_sha256, submitted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'submitted', NULL, NULL, ?, ?, ?)`,
      )
      .run(row.request.id, row.brand, row.request.program.id, row.programName, row.currency, row.request.partner.id, canonicalJson(row.request), canonicalJson(row.evaluation), row.packet, row.requestSha256, row.submittedAt);
  }

  request(id: string): PartnerRequestRow | undefined {
    const r = this.db.prepare('SELECT * FROM mdf_requests WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && partnerRow(r);
  }

  /** The partner's requests, newest first. */
  requests(partnerId?: string): PartnerRequestRow[] {
    const rows = (partnerId === undefined
      ? this.db.prepare('SELECT * FROM mdf_requests ORDER BY submitted_at DESC, rowid DESC').all()
      : this.db.prepare('SELECT * FROM mdf_requests WHERE partner_id = ? ORDER BY submitted_at DESC, rowid DESC').all(partnerId)) as Record<string, unknown>[];
    return rows.map(partnerRow);
  }

  setRequestDecision(id: string, decision: MdfDecision, reviewerKey: string): void {
    const r = this.db
      .prepare(`UPDATE mdf_requests SET status = ?, decision = ?, reviewer_key = ? WHERE id = ? AND decision IS NULL`)
      .run(decision.decision, canonicalJson(decision), reviewerKey, id);
    if (r.changes !== 1) throw new LockupError('mdf-invalid', 'This request was decided already', { id });
  }

  // ---- the reviewer's queue

  saveQueued(row: Omit<QueueRow, 'decision' | 'decisionPath'> & { decision?: MdfDecision | null; decisionPath?: string | null }): void {
    this.db
      .prepare(
        `INSERT INTO mdf_queue (id, program_id, program_name, currency, activity_name, partner_id, request, request_sha256, request_file, signed_by, evaluation, attachments, status, decision, decision_path, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.request.id,
        row.request.program.id,
        row.programName,
        row.currency,
        row.activityName,
        row.request.partner.id,
        canonicalJson(row.request),
        row.requestSha256,
        Buffer.from(row.requestFile),
        row.signedBy,
        canonicalJson(row.evaluation),
        canonicalJson(row.attachments),
        row.status,
        row.decision ? canonicalJson(row.decision) : null,
        row.decisionPath ?? null,
        row.importedAt,
      );
  }

  queued(id: string): QueueRow | undefined {
    const r = this.db.prepare('SELECT * FROM mdf_queue WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && queueRow(r);
  }

  /** The queue, newest import first. */
  queue(partnerId?: string): QueueRow[] {
    const rows = (partnerId === undefined
      ? this.db.prepare('SELECT * FROM mdf_queue ORDER BY imported_at DESC, rowid DESC').all()
      : this.db.prepare('SELECT * FROM mdf_queue WHERE partner_id = ? ORDER BY imported_at DESC, rowid DESC').all(partnerId)) as Record<string, unknown>[];
    return rows.map(queueRow);
  }

  setQueueDecision(id: string, decision: MdfDecision, decisionPath: string): void {
    const r = this.db.prepare('UPDATE mdf_queue SET status = ?, decision = ?, decision_path = ? WHERE id = ? AND decision IS NULL').run(decision.decision, canonicalJson(decision), decisionPath, id);
    if (r.changes !== 1) throw new LockupError('mdf-invalid', 'This request was decided already', { id });
  }

  /** The sha256 the export ledger last recorded for this (absolute) path, if any. */
  exportedSha256(file: string): string | undefined {
    const r = this.db.prepare('SELECT output_sha256 FROM export_ledger WHERE output_path = ? ORDER BY seq DESC LIMIT 1').get(file) as { output_sha256: string } | undefined;
    return r?.output_sha256;
  }

  // ---- files written (packets and decisions), so the renderer may download or reveal them

  recordFile(kind: 'packet' | 'decision', requestId: string, file: string, bytes: Uint8Array, at = new Date()): void {
    this.db
      .prepare('INSERT INTO mdf_files (kind, request_id, path, sha256, byte_length, written_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(kind, requestId, file, sha256Hex(bytes), bytes.byteLength, at.toISOString());
  }

  /** Whether this (absolute) path is a packet or decision file written here. */
  isWritten(file: string): boolean {
    return this.db.prepare('SELECT 1 FROM mdf_files WHERE path = ? LIMIT 1').get(file) !== undefined;
  }
}

const json = <T>(v: unknown): T => JSON.parse(v as string) as T;

function partnerRow(r: Record<string, unknown>): PartnerRequestRow {
  return {
    request: parseMdfRequest(json(r['request'])),
    brand: r['brand_id'] as string,
    programName: r['program_name'] as string,
    currency: r['currency'] as string,
    evaluation: json<Evaluation>(r['evaluation']),
    status: r['status'] as PartnerStatus,
    decision: r['decision'] === null ? null : json<MdfDecision>(r['decision']),
    reviewerKey: (r['reviewer_key'] as string | null) ?? null,
    packet: r['packet_path'] as string,
    requestSha256: r['request_sha256'] as string,
    submittedAt: r['submitted_at'] as string,
  };
}

function queueRow(r: Record<string, unknown>): QueueRow {
  return {
    request: parseMdfRequest(json(r['request'])),
    programName: r['program_name'] as string,
    currency: r['currency'] as string,
    activityName: r['activity_name'] as string,
    requestSha256: r['request_sha256'] as string,
    requestFile: new Uint8Array(r['request_file'] as Buffer),
    signedBy: r['signed_by'] as string,
    evaluation: json<Evaluation>(r['evaluation']),
    attachments: json<QueueAttachment[]>(r['attachments']),
    status: r['status'] as QueueStatus,
    decision: r['decision'] === null ? null : json<MdfDecision>(r['decision']),
    decisionPath: (r['decision_path'] as string | null) ?? null,
    importedAt: r['imported_at'] as string,
  };
}
