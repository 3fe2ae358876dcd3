import type { EventKind } from '../../core/contracts/insights-api.ts';
import { EventLine, isPlainValidEvent, lineProblem } from '../../core/insights/report.ts';
import type { Catalogue, LedgerEntry } from '../catalogue.ts';

/** One thing to record in the append-only activity ledger (docs/decisions/0027). */
export interface ActivityInput {
  kind: EventKind;
  /** What it is about: a template, playbook or module id, or an MDF request id. */
  subject: string;
  /** The brand (vendor) it belongs to, when there is one. */
  brand: string | null;
  /** Small facts that go with the event (amounts in cents, verdicts, scores). */
  data?: Record<string, string | number | boolean | null>;
  /** The partner it is about; by default the current profile (none for a distributor or vendor without one). */
  partner?: string | null;
}

export interface ActivityRow {
  seq: number;
  at: string;
  kind: EventKind;
  subject: string;
  brand: string | null;
  partner: string | null;
  data: Record<string, string | number | boolean | null>;
}

const PLACEHOLDER_SOURCE = '0000 0000 0000 0000 0000 0000 0000 0000';
/** The setting backend/api/service.ts keeps the current profile id in. */
const PROFILE_SETTING = 'current-profile';

/** Where a failure to record is told (tests replace it). */
export const ledgerLog = { warn: (message: string): void => void process.emitWarning(message, { code: 'LOCKUP_ACTIVITY_LEDGER' }) };

/**
 * Records one event in this catalogue's activity ledger. Never throws for a
 * full or broken ledger: recording activity must not stop the work it
 * records (the failure is logged). Inside a caller's transaction a failed
 * insert undoes only itself.
 */
export function recordActivity(catalogue: Catalogue, input: ActivityInput, at: Date = new Date()): void {
  try {
    const partner = input.partner !== undefined ? input.partner : (catalogue.getSetting(PROFILE_SETTING) ?? null);
    // Only what a report can carry (core/insights/report.ts): an event no reader would accept is not recorded.
    const line = { t: 'event', source: PLACEHOLDER_SOURCE, seq: 1, partner, at: at.toISOString(), kind: input.kind, subject: input.subject, brand: input.brand, data: input.data ?? {} };
    if (!isPlainValidEvent(line)) {
      const problem = lineProblem(EventLine, line);
      if (problem) throw new Error(`it does not fit an activity report: ${problem}`);
    }
    catalogue.db
      .prepare('INSERT INTO activity_ledger (at, kind, subject, brand_id, partner_id, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(at.toISOString(), input.kind, input.subject, input.brand, partner, JSON.stringify(input.data ?? {}));
  } catch (err) {
    try {
      ledgerLog.warn(`Could not record ${input.kind} "${input.subject}" in the activity ledger: ${(err as Error).message}`);
    } catch {
      // Logging must not throw either.
    }
  }
}

/**
 * The export ledger's rows as activity (one `export` event per PDF, with its
 * output profile): called by Catalogue.recordExports, so the app's single
 * exports, batches and the CLI all record the same way.
 */
export function recordExportActivity(catalogue: Catalogue, entries: readonly LedgerEntry[], at: Date = new Date()): void {
  for (const e of entries) {
    let brand: string | null = null;
    try {
      brand = catalogue.getTemplate(`${e.templateId}@${e.templateVersion}`).brand;
    } catch {
      // A template gone from the catalogue: the event still counts, without its brand.
    }
    recordActivity(catalogue, { kind: 'export', subject: e.templateId, brand, partner: e.partnerId, data: { profile: e.outputProfile } }, at);
  }
}

const rowOf = (r: { seq: number; at: string; kind: string; subject: string; brand_id: string | null; partner_id: string | null; data: string }): ActivityRow => ({
  seq: r.seq,
  at: r.at,
  kind: r.kind as EventKind,
  subject: r.subject,
  brand: r.brand_id,
  partner: r.partner_id,
  data: JSON.parse(r.data) as ActivityRow['data'],
});

/** Every ledger event in order, one at a time (a report streams them). */
export function* ledgerEvents(catalogue: Catalogue): Generator<ActivityRow> {
  for (const r of catalogue.db.prepare('SELECT * FROM activity_ledger ORDER BY seq').iterate() as Iterable<Parameters<typeof rowOf>[0]>) yield rowOf(r);
}

export function ledgerCounts(catalogue: Catalogue): { counts: Record<string, number>; total: number } {
  const rows = catalogue.db.prepare('SELECT kind, count(*) AS n FROM activity_ledger GROUP BY kind ORDER BY kind').all() as { kind: string; n: number }[];
  return { counts: Object.fromEntries(rows.map((r) => [r.kind, r.n])), total: rows.reduce((s, r) => s + r.n, 0) };
}

export function latestActivity(catalogue: Catalogue, limit: number): ActivityRow[] {
  return (catalogue.db.prepare('SELECT * FROM activity_ledger ORDER BY seq DESC LIMIT ?').all(limit) as Parameters<typeof rowOf>[0][]).map(rowOf);
}

/** One line for people: "Exported product-one-pager (print)". */
export function activitySummary(e: Pick<ActivityRow, 'kind' | 'subject' | 'data'>): string {
  const d = e.data;
  switch (e.kind) {
    case 'template-open':
      return `Opened template ${e.subject}`;
    case 'export':
      return `Exported ${e.subject}${d['profile'] ? ` (${String(d['profile'])})` : ''}`;
    case 'playbook-step':
      return `${d['done'] === false ? 'Unticked' : 'Ticked'} step ${String(d['step'] ?? '?')} of playbook ${e.subject}`;
    case 'playbook-export':
      return `Exported playbook ${e.subject}`;
    case 'quiz-result':
      return `${d['passed'] ? 'Passed' : 'Did not pass'} module ${e.subject}${typeof d['score'] === 'number' ? ` (${Math.round(d['score'] * 100)}%)` : ''}`;
    case 'mdf-request':
      return `Sent MDF request ${e.subject}`;
    case 'mdf-decision':
      return `MDF request ${e.subject}: ${String(d['decision'] ?? 'decided')}`;
  }
}
