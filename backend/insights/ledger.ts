import type { EventKind } from '../../core/contracts/insights-api.ts';
import type { Catalogue } from '../catalogue.ts';

/** One thing to record in the append-only activity ledger (docs/decisions/0027). */
export interface ActivityInput {
  kind: EventKind;
  /** What it is about: a template, playbook or module id, or an MDF request id. */
  subject: string;
  /** The brand (vendor) it belongs to, when there is one. */
  brand: string | null;
  /** Small facts that go with the event (amounts in cents, verdicts, scores). */
  data?: Record<string, string | number | boolean | null>;
}

/**
 * Records one event in this catalogue's activity ledger. Never throws for a
 * full or broken ledger: recording activity must not stop the work it
 * records (the failure is logged). Placeholder until the ledger lands.
 */
export function recordActivity(_catalogue: Catalogue, _input: ActivityInput, _at?: Date): void {}
