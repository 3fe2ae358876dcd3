import type { Database } from 'better-sqlite3';
import type { EventKind } from '../../core/contracts/insights-api.ts';

/**
 * The seam between importing reports (backend/insights/import.ts: checks,
 * dedupes and stores raw events) and the dashboards' pre-aggregated tables
 * (backend/insights/rollups.ts). The importer calls `Rollups.add` once for
 * every event it newly stores, inside the import's transaction, so a report
 * refused half-way leaves neither events nor rollups behind.
 */

/** A partner as the report that carried its events described it (the latest report wins for the dimension row). */
export interface PartnerDim {
  /** insight_partners.id: a compact key the fact tables use. */
  key: number;
  /** The partner's id in its own Lockup (profile id) and its name. */
  partnerId: string;
  name: string;
  tier: string | null;
  region: string | null;
  /** The distributor it reports through; "direct" (name "Direct") when it reports to the vendor itself. */
  distributorId: string;
  distributorName: string;
}

/** One event as stored on import. */
export interface ImportedEvent {
  /** insight_sources.id of the install whose ledger recorded it, and its seq there: together the dedupe key. */
  source: number;
  seq: number;
  /** The partner it counts for (null for a distributor's own events without one). */
  partner: PartnerDim | null;
  /** ISO 8601 UTC time, and its calendar month "YYYY-MM" (UTC). */
  at: string;
  month: string;
  kind: EventKind;
  subject: string;
  brand: string | null;
  data: Record<string, string | number | boolean | null>;
}

export interface Rollups {
  /** Called once per newly stored event, inside the import transaction. */
  add(event: ImportedEvent): void;
  /** Called once at the end of the import, still inside the transaction (write out anything buffered). */
  flush(): void;
}

export type RollupsFactory = (db: Database) => Rollups;
