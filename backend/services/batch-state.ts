import fs from 'node:fs';
import path from 'node:path';
import type { OutputProfile } from '../../core/compose/compose.ts';
import { LockupError } from '../../core/errors.ts';
import type { LedgerEntry } from '../catalogue.ts';
import { writeFileAtomic } from '../util/files.ts';
import type { Shard } from './batch-rows.ts';

/**
 * The resumable state of a batch: a journal in the output folder,
 * `lockup-batch-state[-K-of-N].jsonl`. Line 1 is the header (what the batch
 * is, and a key of its inputs); every finished file appends one line with its
 * ledger entry; a run that went through every row appends an `end` line.
 *
 * Invariants (docs/decisions/0006-batch-workers.md):
 * - a `done` line is appended only after its PDF was renamed into place, so a
 *   journalled row always has a complete file;
 * - lines are single `write`s to an O_APPEND file, so a kill can at worst
 *   leave the last line torn; readers ignore a torn last line;
 * - the ledger is reconciled from the journal on resume, so a kill between
 *   the journal and a ledger flush never loses or duplicates a ledger row.
 */

export const STATE_VERSION = 1;

/** What must be unchanged for a batch to be resumed. */
export interface BatchKey {
  /** `id@version` of the template. */
  template: string;
  templateSha256: string;
  brandSha256: string;
  /** `csv:<sha256 of the file>` or `catalogue:<sha256 of the partner list>`. */
  source: string;
  shard: string;
  output: OutputProfile;
  reproducible: boolean;
}

/** Enough to start the same batch again (the app's Resume). */
export interface StoredRequest {
  template: string;
  csv: string | null;
  catalogue: { distributor: string | null } | null;
  output: OutputProfile;
  reproducible: boolean;
  shard: Shard;
}

export interface StateHeader {
  type: 'batch';
  version: number;
  batchId: string;
  key: BatchKey;
  request: StoredRequest;
  /** Rows of this shard (bad rows included). */
  total: number;
  startedAt: string;
}

export type DoneLine = { type: 'done'; line: number; outName: string } & Omit<LedgerEntry, 'tool' | 'batchId'>;
export type EndLine = { type: 'end'; at: string; succeeded: number; failed: number };

export interface BatchState {
  header: StateHeader;
  /** Finished rows by CSV line (the last entry wins). */
  done: Map<number, DoneLine>;
  /** A run went through every row (it may still have failures to retry). */
  finished: boolean;
}

export function shardSuffix(shard: Shard): string {
  return shard.n > 1 ? `-${shard.k}-of-${shard.n}` : '';
}

export function stateFile(outDir: string, shard: Shard): string {
  return path.join(outDir, `lockup-batch-state${shardSuffix(shard)}.jsonl`);
}

/** Reads a batch journal; undefined when there is none. A header that does not parse is refused. */
export function readState(file: string): BatchState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LockupError('file-unreadable', `The batch state "${file}" cannot be read: ${(err as Error).message}`, { path: file });
  }
  const lines = text.split('\n');
  let header: StateHeader | undefined;
  try {
    header = JSON.parse(lines[0] ?? '') as StateHeader;
  } catch {
    header = undefined;
  }
  if (!header || header.type !== 'batch' || typeof header.batchId !== 'string' || typeof header.key !== 'object') {
    throw new LockupError('batch-state-mismatch', `The batch state "${file}" is not readable; run again with --restart to start the batch over`, { path: file });
  }
  if (header.version > STATE_VERSION) {
    throw new LockupError('batch-state-mismatch', `The batch state "${file}" was written by a newer Lockup; run again with --restart to start the batch over`, { path: file });
  }
  const done = new Map<number, DoneLine>();
  let finished = false;
  for (const raw of lines.slice(1)) {
    if (raw.trim() === '') continue;
    let entry: DoneLine | EndLine;
    try {
      entry = JSON.parse(raw) as DoneLine | EndLine;
    } catch {
      continue; // a line torn by a kill: that row is simply redone
    }
    if (entry.type === 'done') done.set(entry.line, entry);
    else if (entry.type === 'end') finished = true;
  }
  return { header, done, finished };
}

/** Names the first input that differs, for the refusal message. */
export function keyDifference(was: BatchKey, now: BatchKey): string | undefined {
  if (was.template !== now.template || was.templateSha256 !== now.templateSha256) return `the template (was ${was.template}, now ${now.template})`;
  if (was.brandSha256 !== now.brandSha256) return 'the brand kit';
  if (was.source !== now.source) return was.source.split(':')[0] !== now.source.split(':')[0] ? 'the partner source (CSV or catalogue)' : was.source.startsWith('csv:') ? 'the CSV file' : 'the catalogue partner list';
  if (was.shard !== now.shard) return `the shard (was ${was.shard}, now ${now.shard})`;
  if (was.output !== now.output) return `the output profile (was ${was.output}, now ${now.output})`;
  if (was.reproducible !== now.reproducible) return '--reproducible';
  return undefined;
}

/** Appends journal lines; each line is one write on an O_APPEND descriptor. */
export class StateJournal {
  private fd: number;

  private constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'a');
  }

  /** Starts a new journal (replacing any old one atomically) with its header. */
  static create(file: string, header: StateHeader): StateJournal {
    writeFileAtomic(file, JSON.stringify(header) + '\n', { fsync: false });
    return new StateJournal(file);
  }

  /** Continues an existing journal. */
  static append(file: string): StateJournal {
    return new StateJournal(file);
  }

  write(entry: DoneLine | EndLine): void {
    fs.writeSync(this.fd, JSON.stringify(entry) + '\n');
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/**
 * Removes temporary files a killed run left (writeFileAtomic's
 * ".<name>.<pid>.<thread>.<n>.tmp") for the given target names only, so a
 * shard never touches the files of another shard writing to the same folder.
 */
export function removeLeftovers(outDir: string, names: ReadonlySet<string>): number {
  let removed = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync(outDir);
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const m = /^\.(.+)\.\d+\.\d+\.\d+\.tmp$/.exec(entry);
    if (m && names.has(m[1]!)) {
      fs.rmSync(path.join(outDir, entry), { force: true });
      removed++;
    }
  }
  return removed;
}
