import { LockupError } from '../../core/errors.ts';
import { parsePlaybook, playbookAssetRefs, type Playbook } from '../../core/playbook/model.ts';
import type { AttemptRecord } from '../../core/training/attempts.ts';
import { parseTrainingModule, parseTrainingSource, type TrainingModule, type TrainingModuleSource } from '../../core/training/model.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import type { Catalogue } from '../catalogue.ts';
import { sha256Hex } from '../util/hash.ts';

/**
 * The catalogue's rows for playbooks and training (migration 0007): the
 * latest version of each playbook and module, the partner's attempts,
 * completions and playbook progress. Plain storage with the invariants a
 * row must keep (brand owns the id, assets stored, a module grants one of
 * its brand's certifications); who may do what is decided by the callers
 * (backend/api/learning-ops.ts, backend/packs/import.ts).
 */

export interface StoredPlaybook {
  playbook: Playbook;
  updatedAt: string;
}

export interface StoredModule {
  brand: string;
  module: TrainingModule;
  /** The vendor's source with its answers; null for a module that came in a pack. */
  source: TrainingModuleSource | null;
  updatedAt: string;
}

export interface AttemptRow {
  id: string;
  brand: string;
  module: string;
  moduleVersion: number;
  partner: string;
  person: string;
  /** Question ids drawn, in the order asked. */
  drawn: string[];
  startedAt: string;
  /** Null until graded; then the answers, score and result too. */
  submittedAt: string | null;
  answers: Record<string, string[]> | null;
  score: number | null;
  passed: boolean | null;
}

export interface CompletionRow {
  id: string;
  attempt: string;
  brand: string;
  module: string;
  moduleVersion: number;
  certification: string;
  partner: string;
  person: string;
  score: number;
  completedAt: string;
  /** The signed completion file's bytes (backend/learning/completion.ts); null until signed. */
  record: Uint8Array | null;
  /** Its verification code, e.g. "LKP-7F3K-92QD-XM4A". */
  code: string;
}

const now = () => new Date().toISOString();

function attemptRow(r: Record<string, unknown>): AttemptRow {
  return {
    id: r['id'] as string,
    brand: r['brand_id'] as string,
    module: r['module_id'] as string,
    moduleVersion: r['module_version'] as number,
    partner: r['partner_id'] as string,
    person: r['person'] as string,
    drawn: JSON.parse(r['drawn'] as string) as string[],
    startedAt: r['started_at'] as string,
    submittedAt: (r['submitted_at'] as string | null) ?? null,
    answers: r['answers'] === null ? null : (JSON.parse(r['answers'] as string) as Record<string, string[]>),
    score: (r['score'] as number | null) ?? null,
    passed: r['passed'] === null ? null : r['passed'] === 1,
  };
}

function completionRow(r: Record<string, unknown>): CompletionRow {
  const record = r['record'] as Buffer | null;
  return {
    id: r['id'] as string,
    attempt: r['attempt_id'] as string,
    brand: r['brand_id'] as string,
    module: r['module_id'] as string,
    moduleVersion: r['module_version'] as number,
    certification: r['certification'] as string,
    partner: r['partner_id'] as string,
    person: r['person'] as string,
    score: r['score'] as number,
    completedAt: r['completed_at'] as string,
    record: record === null ? null : new Uint8Array(record.buffer.slice(record.byteOffset, record.byteOffset + record.byteLength)),
    code: r['code'] as string,
  };
}

export class LearningStore {
  constructor(private readonly catalogue: Catalogue) {}

  private get db() {
    return this.catalogue.db;
  }

  /** Refuses an id another brand already uses for a playbook or module (ids are catalogue-wide, as template ids are). */
  private checkOwner(table: 'playbooks' | 'training_modules', id: string, brandId: string, what: string): void {
    if (!this.db.prepare('SELECT 1 FROM brands WHERE id = ?').get(brandId)) throw new LockupError('brand-unknown', `The ${what} "${id}" names brand "${brandId}", which is not in the catalogue`);
    const owner = (this.db.prepare(`SELECT brand_id FROM ${table} WHERE id = ?`).get(id) as { brand_id: string } | undefined)?.brand_id;
    if (owner !== undefined && owner !== brandId) throw new LockupError('forbidden', `The ${what} id "${id}" already belongs to brand "${owner}" in this catalogue`, { id, brand: owner });
  }

  // ---- playbooks

  /** Saves (or replaces) the latest version of a playbook. Its brand must exist, its images be stored. */
  savePlaybook(input: Playbook): void {
    const pb = parsePlaybook(input);
    this.catalogue.transaction(() => this.writePlaybook(pb));
  }

  private writePlaybook(pb: Playbook): void {
    this.checkOwner('playbooks', pb.id, pb.brand, 'playbook');
    for (const ref of playbookAssetRefs(pb)) {
      if (!this.catalogue.hasAsset(ref)) throw new LockupError('asset-missing', `The playbook "${pb.id}" refers to ${ref}, which is not in the catalogue`, { playbook: pb.id });
    }
    const body = canonicalJson(pb);
    this.db
      .prepare(
        `INSERT INTO playbooks (id, brand_id, name, version, body, sha256, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, version = excluded.version, body = excluded.body, sha256 = excluded.sha256, updated_at = excluded.updated_at
         WHERE playbooks.sha256 <> excluded.sha256`,
      )
      .run(pb.id, pb.brand, pb.name, pb.version, body, sha256Hex(body), now());
  }

  /**
   * Replaces every playbook of a brand with `playbooks` in one transaction (a
   * pack or content folder holds the publisher's whole list). Progress on
   * steps is kept: it is by step id, and a playbook may come back.
   */
  replacePlaybooks(brandId: string, playbooks: readonly Playbook[]): void {
    const list = playbooks.map((p) => parsePlaybook(p));
    this.catalogue.transaction(() => {
      const ids = new Set<string>();
      for (const pb of list) {
        if (pb.brand !== brandId) throw new LockupError('playbook-invalid', `The playbook "${pb.id}" belongs to brand "${pb.brand}", not "${brandId}"`, { playbook: pb.id });
        if (ids.has(pb.id)) throw new LockupError('playbook-invalid', `The playbook id "${pb.id}" appears twice`, { playbook: pb.id });
        ids.add(pb.id);
      }
      for (const { playbook } of this.listPlaybooks(brandId)) if (!ids.has(playbook.id)) this.db.prepare('DELETE FROM playbooks WHERE id = ?').run(playbook.id);
      for (const pb of list) this.writePlaybook(pb);
    });
  }

  getPlaybook(id: string): StoredPlaybook | undefined {
    const r = this.db.prepare('SELECT body, updated_at FROM playbooks WHERE id = ?').get(id) as { body: string; updated_at: string } | undefined;
    return r && { playbook: parsePlaybook(JSON.parse(r.body)), updatedAt: r.updated_at };
  }

  /** Playbooks of one brand (or all), by name. */
  listPlaybooks(brandId?: string): StoredPlaybook[] {
    const rows = (
      brandId === undefined
        ? this.db.prepare('SELECT body, updated_at FROM playbooks ORDER BY name, id').all()
        : this.db.prepare('SELECT body, updated_at FROM playbooks WHERE brand_id = ? ORDER BY name, id').all(brandId)
    ) as { body: string; updated_at: string }[];
    return rows.map((r) => ({ playbook: parsePlaybook(JSON.parse(r.body)), updatedAt: r.updated_at }));
  }

  /** Removes a brand's playbook and every partner's progress on it; false when there was none. */
  deletePlaybook(brandId: string, id: string): boolean {
    return this.catalogue.transaction(() => {
      const gone = this.db.prepare('DELETE FROM playbooks WHERE brand_id = ? AND id = ?').run(brandId, id).changes > 0;
      if (gone) this.db.prepare('DELETE FROM playbook_progress WHERE playbook_id = ?').run(id);
      return gone;
    });
  }

  // ---- playbook progress

  /** Step ids a partner ticked off in a playbook, in the order ticked. */
  playbookProgress(partnerId: string, playbookId: string): string[] {
    return (this.db.prepare('SELECT step_id FROM playbook_progress WHERE partner_id = ? AND playbook_id = ? ORDER BY done_at, rowid').all(partnerId, playbookId) as { step_id: string }[]).map((r) => r.step_id);
  }

  setStepDone(partnerId: string, playbookId: string, stepId: string, done: boolean, at = new Date()): void {
    if (done) {
      this.db.prepare('INSERT OR IGNORE INTO playbook_progress (partner_id, playbook_id, step_id, done_at) VALUES (?, ?, ?, ?)').run(partnerId, playbookId, stepId, at.toISOString());
    } else {
      this.db.prepare('DELETE FROM playbook_progress WHERE partner_id = ? AND playbook_id = ? AND step_id = ?').run(partnerId, playbookId, stepId);
    }
  }

  // ---- training modules

  /**
   * Saves (or replaces) the latest version of a brand's module: the
   * protected form, and the vendor's source when it was authored here (it
   * must be the same module: id, version, grants). The module must grant one
   * of the brand's certifications.
   */
  saveModule(brandId: string, module: TrainingModule, source: TrainingModuleSource | null = null): void {
    const m = parseTrainingModule(module);
    const src = source === null ? null : parseTrainingSource(source);
    this.catalogue.transaction(() => this.writeModule(brandId, m, src));
  }

  private writeModule(brandId: string, m: TrainingModule, src: TrainingModuleSource | null): void {
    this.checkOwner('training_modules', m.id, brandId, 'training module');
    const certs = this.catalogue.getBrand(brandId).access.certifications;
    if (!certs.some((c) => c.id === m.grants)) {
      throw new LockupError('training-invalid', `The module "${m.id}" grants "${m.grants}", which is not one of ${this.catalogue.getBrand(brandId).name}'s certifications${certs.length > 0 ? ` (${certs.map((c) => c.id).join(', ')})` : ''}`, {
        module: m.id,
        grants: m.grants,
      });
    }
    if (src && (src.id !== m.id || src.version !== m.version || src.grants !== m.grants)) throw new LockupError('internal', `The source of "${src.id}" does not match the protected module "${m.id}"`);
    this.db
      .prepare(
        `INSERT INTO training_modules (id, brand_id, version, title, grants, body, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET version = excluded.version, title = excluded.title, grants = excluded.grants, body = excluded.body, source = excluded.source, updated_at = excluded.updated_at
         WHERE training_modules.body <> excluded.body OR training_modules.source IS NOT excluded.source`,
      )
      .run(m.id, brandId, m.version, m.title, m.grants, canonicalJson(m), src === null ? null : canonicalJson(src), now());
  }

  /**
   * Replaces every module of a brand with `modules` (protected, no sources)
   * in one transaction: a pack holds the publisher's whole list. Attempts
   * and completions stay: they are the partner's record.
   */
  replaceModules(brandId: string, modules: readonly TrainingModule[]): void {
    const list = modules.map((m) => parseTrainingModule(m));
    this.catalogue.transaction(() => {
      const ids = new Set<string>();
      for (const m of list) {
        if (ids.has(m.id)) throw new LockupError('training-invalid', `The training module id "${m.id}" appears twice`, { module: m.id });
        ids.add(m.id);
      }
      for (const s of this.listModules(brandId)) if (!ids.has(s.module.id)) this.db.prepare('DELETE FROM training_modules WHERE id = ?').run(s.module.id);
      for (const m of list) this.writeModule(brandId, m, null);
    });
  }

  /** Like replaceModules, for modules authored in a content folder: each with its source. */
  replaceAuthoredModules(brandId: string, modules: readonly { module: TrainingModule; source: TrainingModuleSource }[]): void {
    this.catalogue.transaction(() => {
      const keep = new Set(modules.map((m) => m.module.id));
      for (const s of this.listModules(brandId)) if (!keep.has(s.module.id)) this.db.prepare('DELETE FROM training_modules WHERE id = ?').run(s.module.id);
      for (const { module, source } of modules) this.writeModule(brandId, parseTrainingModule(module), parseTrainingSource(source));
    });
  }

  getModule(id: string): StoredModule | undefined {
    const r = this.db.prepare('SELECT brand_id, body, source, updated_at FROM training_modules WHERE id = ?').get(id) as
      | { brand_id: string; body: string; source: string | null; updated_at: string }
      | undefined;
    return r && storedModule(r);
  }

  /** Modules of one brand (or all), by title. */
  listModules(brandId?: string): StoredModule[] {
    const rows = (
      brandId === undefined
        ? this.db.prepare('SELECT brand_id, body, source, updated_at FROM training_modules ORDER BY title, id').all()
        : this.db.prepare('SELECT brand_id, body, source, updated_at FROM training_modules WHERE brand_id = ? ORDER BY title, id').all(brandId)
    ) as { brand_id: string; body: string; source: string | null; updated_at: string }[];
    return rows.map(storedModule);
  }

  // ---- attempts

  recordAttemptStart(a: Pick<AttemptRow, 'id' | 'brand' | 'module' | 'moduleVersion' | 'partner' | 'person' | 'drawn' | 'startedAt'>): void {
    this.db
      .prepare('INSERT INTO training_attempts (id, brand_id, module_id, module_version, partner_id, person, drawn, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(a.id, a.brand, a.module, a.moduleVersion, a.partner, a.person, JSON.stringify(a.drawn), a.startedAt);
  }

  /** Records the graded result; refuses (training-attempt-invalid) an attempt that is unknown or already graded. */
  recordAttemptSubmit(id: string, result: { submittedAt: string; answers: Record<string, readonly string[]>; score: number; passed: boolean }): void {
    const changed = this.db
      .prepare('UPDATE training_attempts SET submitted_at = ?, answers = ?, score = ?, passed = ? WHERE id = ? AND submitted_at IS NULL')
      .run(result.submittedAt, JSON.stringify(result.answers), result.score, result.passed ? 1 : 0, id).changes;
    if (changed !== 1) throw new LockupError('training-attempt-invalid', 'This attempt was already submitted, or does not exist', { attempt: id });
  }

  getAttempt(id: string): AttemptRow | undefined {
    const r = this.db.prepare('SELECT * FROM training_attempts WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && attemptRow(r);
  }

  /** A partner's attempts (at one module, or all), oldest first. */
  listAttempts(partnerId: string, moduleId?: string): AttemptRow[] {
    const rows = (
      moduleId === undefined
        ? this.db.prepare('SELECT * FROM training_attempts WHERE partner_id = ? ORDER BY rowid').all(partnerId)
        : this.db.prepare('SELECT * FROM training_attempts WHERE partner_id = ? AND module_id = ? ORDER BY rowid').all(partnerId, moduleId)
    ) as Record<string, unknown>[];
    return rows.map(attemptRow);
  }

  /** A partner's graded attempts at a module, as the attempt policy reads them (core/training/attempts.ts). */
  attemptHistory(partnerId: string, moduleId: string): AttemptRecord[] {
    return this.listAttempts(partnerId, moduleId)
      .filter((a) => a.submittedAt !== null)
      .map((a) => ({ moduleId: a.module, moduleVersion: a.moduleVersion, at: a.submittedAt!, score: a.score!, passed: a.passed! }));
  }

  // ---- completions

  saveCompletion(c: CompletionRow): void {
    this.db
      .prepare(
        `INSERT INTO training_completions (id, attempt_id, brand_id, module_id, module_version, certification, partner_id, person, score, completed_at, record, code)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id, c.attempt, c.brand, c.module, c.moduleVersion, c.certification, c.partner, c.person, c.score, c.completedAt, c.record === null ? null : Buffer.from(c.record), c.code);
  }

  /** Stores the signed record of a completion that has none yet (a signed one never changes). */
  setCompletionRecord(id: string, record: Uint8Array, code: string): void {
    const changed = this.db.prepare('UPDATE training_completions SET record = ?, code = ? WHERE id = ? AND record IS NULL').run(Buffer.from(record), code, id).changes;
    if (changed !== 1) throw new LockupError('completion-invalid', `The completion ${id} is unknown or already signed`, { completion: id });
  }

  getCompletion(id: string): CompletionRow | undefined {
    const r = this.db.prepare('SELECT * FROM training_completions WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && completionRow(r);
  }

  /** A partner's completions (for one brand, or all), oldest first. */
  listCompletions(partnerId: string, brandId?: string): CompletionRow[] {
    const rows = (
      brandId === undefined
        ? this.db.prepare('SELECT * FROM training_completions WHERE partner_id = ? ORDER BY completed_at, id').all(partnerId)
        : this.db.prepare('SELECT * FROM training_completions WHERE partner_id = ? AND brand_id = ? ORDER BY completed_at, id').all(partnerId, brandId)
    ) as Record<string, unknown>[];
    return rows.map(completionRow);
  }

  /** The completion of a module by a partner (the first pass), if any. */
  completionOf(partnerId: string, moduleId: string): CompletionRow | undefined {
    const r = this.db.prepare('SELECT * FROM training_completions WHERE partner_id = ? AND module_id = ? ORDER BY completed_at, id LIMIT 1').get(partnerId, moduleId) as Record<string, unknown> | undefined;
    return r && completionRow(r);
  }

  /** Certifications a partner earned by passing a brand's modules here (distinct, sorted). */
  earnedCertifications(brandId: string, partnerId: string): string[] {
    return (this.db.prepare('SELECT DISTINCT certification FROM training_completions WHERE brand_id = ? AND partner_id = ? ORDER BY certification').all(brandId, partnerId) as { certification: string }[]).map(
      (r) => r.certification,
    );
  }

  // ---- exported files

  /** Records a file a playbook, certificate or completion export wrote. */
  recordExport(e: { kind: 'playbook' | 'certificate' | 'completion'; subject: string; partner: string; path: string; sha256: string; byteLength: number }, at = new Date()): void {
    this.db
      .prepare('INSERT INTO learning_exports (kind, subject, partner_id, path, sha256, byte_length, exported_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.kind, e.subject, e.partner, e.path, e.sha256, e.byteLength, at.toISOString());
  }

  /** Whether a learning export wrote this (absolute) path. */
  isExported(file: string): boolean {
    return this.db.prepare('SELECT 1 FROM learning_exports WHERE path = ? LIMIT 1').get(file) !== undefined;
  }
}

function storedModule(r: { brand_id: string; body: string; source: string | null; updated_at: string }): StoredModule {
  return {
    brand: r.brand_id,
    module: parseTrainingModule(JSON.parse(r.body)),
    source: r.source === null ? null : parseTrainingSource(JSON.parse(r.source)),
    updatedAt: r.updated_at,
  };
}
