import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { parseCsv, toCsv } from '../../core/csv.ts';
import { LockupError, type WireError } from '../../core/errors.ts';
import type { OutputProfile } from '../../core/compose/compose.ts';
import type { Catalogue, LedgerEntry } from '../catalogue.ts';
import { readTextFile, writeFileAtomic } from '../util/files.ts';
import { sha256Hex } from '../util/hash.ts';
import { siblingModule, startWorker } from '../util/worker.ts';
import { profilesToJobs, rowsToJobs, type RowJob, type RowProblem, type Shard } from './batch-rows.ts';
import { keyDifference, readState, removeLeftovers, shardSuffix, stateFile, StateJournal, STATE_VERSION, type BatchKey, type DoneLine, type StateHeader } from './batch-state.ts';
import type { WorkerInit, WorkerMessage, WorkerResult } from './batch-protocol.ts';

export interface BatchRequest {
  template: string;
  /** The partner CSV. Exactly one of `csv` and `catalogue`. */
  csv?: string;
  /** The catalogue's partner profiles, optionally only one distributor's. */
  catalogue?: { distributor?: string | undefined };
  outDir: string;
  shard?: Shard;
  output: OutputProfile;
  reproducible?: boolean;
  workers?: number;
  /** A row that makes no progress for this long is abandoned and its worker replaced. */
  rowTimeoutMs?: number;
  onProgress?: (p: BatchProgress) => void;
  /** The worker module to run (tests substitute one that misbehaves). */
  workerModule?: URL;
  /** Stops the batch: workers are terminated, finished files and the ledger kept, the state left resumable. */
  signal?: AbortSignal;
  /** Starts over even when the output folder holds the state of a batch with other inputs. */
  restart?: boolean;
}

export interface BatchProgress {
  done: number;
  total: number;
  failed: number;
  elapsedMs: number;
  etaMs: number | undefined;
}

export interface BatchFailure {
  line: number;
  id: string | undefined;
  code: string;
  message: string;
}

export interface BatchSummary {
  batchId: string;
  template: { id: string; version: number };
  source: 'csv' | 'catalogue';
  /** The CSV file (null for the catalogue's partner list). */
  csv: string | null;
  outDir: string;
  shard: string;
  rowsInFile: number;
  rowsInShard: number;
  /** Files in the output folder for this batch, those of earlier runs included. */
  succeeded: number;
  /** Rows finished by an earlier run of the same batch and skipped by this one. */
  resumed: number;
  failed: number;
  /** Stopped before every row was done (the state in `state` resumes it). */
  cancelled: boolean;
  /** Rows neither exported nor failed (only when cancelled). */
  notDone: number;
  warnings: number;
  seconds: number;
  docsPerSecond: number;
  bytesWritten: number;
  failures: BatchFailure[];
  ignoredColumns: string[];
  report: string;
  failuresCsv: string | undefined;
  /** The batch journal that lets a re-run resume (backend/services/batch-state.ts). */
  state: string;
}

const CHUNK = 8;
/** Rows that justify one more worker thread (see docs/decisions/0006-batch-workers.md). */
export const ROWS_PER_WORKER = 1000;

/**
 * Each worker is a separate V8 isolate that loads and warms up the whole
 * pipeline (~1.5 s of CPU here) before it runs at full speed, so a second
 * worker only pays off once the batch is big enough. One core is left to
 * the main thread, which writes, hashes and journals every file: on two
 * vCPUs that is one worker (docs/decisions/0006-batch-workers.md).
 */
export function autoWorkers(rows: number, cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(cores - 1, Math.floor(rows / ROWS_PER_WORKER)));
}
const IN_FLIGHT_CHUNKS = 2;
const LEDGER_FLUSH = 64;

interface Slot {
  worker: Worker;
  /** Rows assigned to this worker and not sent yet. */
  queue: RowJob[];
  /** Rows sent and not answered yet. */
  pending: RowJob[];
  lastActivity: number;
  ready: boolean;
}

/**
 * Splits rows between workers so that rows sharing a logo file go to the
 * same worker (each logo is then decoded once per batch, not once per
 * worker), while keeping the row counts balanced (largest group first onto
 * the least-loaded worker). Each queue keeps CSV order.
 */
export function partitionByLogo(jobs: readonly RowJob[], workers: number): RowJob[][] {
  const groups = new Map<string, RowJob[]>();
  jobs.forEach((job, i) => {
    const key = job.logo ?? `\u0000${i % workers}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(job);
  });
  const queues: RowJob[][] = Array.from({ length: workers }, () => []);
  for (const group of [...groups.values()].sort((a, b) => b.length - a.length)) {
    queues.reduce((min, q) => (q.length < min.length ? q : min)).push(...group);
  }
  return queues.map((q) => q.sort((a, b) => a.line - b.line));
}

/**
 * Exports one PDF per CSV row on worker threads (one per core). A bad row
 * is reported with its line number and reason and the others go on; a row
 * that hangs is abandoned and its worker replaced. Successful exports are
 * recorded in the ledger under one batch id.
 */
export async function runBatch(catalogue: Catalogue, req: BatchRequest): Promise<BatchSummary> {
  const started = performance.now();
  const template = catalogue.getTemplate(req.template);
  const brand = catalogue.getBrand(template.brand);
  const shard = req.shard ?? { k: 1, n: 1 };
  if ((req.csv === undefined) === (req.catalogue === undefined)) throw new LockupError('usage', 'A batch needs exactly one partner source: a CSV file or the catalogue\'s partner list');
  let jobs: RowJob[];
  let problems: RowProblem[] = [];
  let ignoredColumns: string[] = [];
  let total: number;
  let source: string;
  const csvPath = req.csv === undefined ? null : path.resolve(req.csv);
  if (csvPath !== null) {
    const text = readTextFile(csvPath, 'CSV file');
    ({ jobs, problems, ignoredColumns, total } = rowsToJobs(parseCsv(text), template, brand, path.dirname(csvPath), shard));
    source = `csv:${sha256Hex(text)}`;
  } else {
    const list = profilesToJobs(catalogue.listProfiles(), shard, req.catalogue?.distributor);
    ({ jobs, total } = list);
    source = `catalogue:${sha256Hex(JSON.stringify(list.profiles))}`;
  }
  const outDir = path.resolve(req.outDir);
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw new LockupError('output-unwritable', `Cannot create the output folder "${outDir}": ${(err as Error).message}`);
  }

  // Resume: the same inputs continue the batch in this folder; other inputs are refused unless --restart.
  const key: BatchKey = {
    template: `${template.id}@${template.version}`,
    templateSha256: sha256Hex(JSON.stringify(template)),
    brandSha256: sha256Hex(JSON.stringify(brand)),
    source,
    shard: `${shard.k}/${shard.n}`,
    output: req.output,
    reproducible: req.reproducible ?? false,
  };
  const journalFile = stateFile(outDir, shard);
  let state = readStateOrRestart(journalFile, req.restart ?? false);
  if (state) {
    const diff = keyDifference(state.header.key, key);
    if (diff) {
      throw new LockupError(
        'batch-state-mismatch',
        `The output folder "${outDir}" holds a batch started ${state.header.startedAt} from a different ${diff.replace(/^the /, '')}; run again with --restart to start it over (its files are rewritten), or choose another folder`,
        { state: journalFile, changed: diff },
      );
    }
  }
  const suffix = shardSuffix(shard);
  const ownNames = new Set([...jobs.map((j) => j.outName), `lockup-batch-report${suffix}.json`, `lockup-batch-failures${suffix}.csv`, path.basename(journalFile)]);
  removeLeftovers(outDir, ownNames);

  const batchId = state?.header.batchId ?? randomUUID();
  const resumedRows: DoneLine[] = [];
  if (state) {
    const done = state.done;
    jobs = jobs.filter((job) => {
      const d = done.get(job.line);
      if (d && d.outName === job.outName && fileSize(path.join(outDir, job.outName)) === d.byteLength) {
        resumedRows.push(d);
        return false;
      }
      return true;
    });
    // A kill between the journal and a ledger flush: record what the journal has and the ledger lacks.
    const inLedger = catalogue.exportedPathsOfBatch(batchId);
    catalogue.recordExports(resumedRows.filter((d) => !inLedger.has(d.outputPath)).map((d) => ledgerEntryOf(batchId, d)));
  }
  const rowTotal = jobs.length + problems.length + resumedRows.length;
  const header: StateHeader = {
    type: 'batch',
    version: STATE_VERSION,
    batchId,
    key,
    request: { template: key.template, csv: csvPath, catalogue: req.catalogue ? { distributor: req.catalogue.distributor ?? null } : null, output: req.output, reproducible: key.reproducible, shard },
    total: rowTotal,
    startedAt: new Date().toISOString(),
  };
  const journal = state ? StateJournal.append(journalFile) : StateJournal.create(journalFile, header);
  state = undefined;

  const failures: BatchFailure[] = problems.map((p) => ({ ...p }));
  const ledger: LedgerEntry[] = [];
  let succeeded = resumedRows.length;
  let warnings = resumedRows.reduce((n, d) => n + d.warnings, 0);
  let bytesWritten = resumedRows.reduce((n, d) => n + d.byteLength, 0);
  const initiallyDone = problems.length + resumedRows.length;
  let done = initiallyDone;
  let cancelled = req.signal?.aborted ?? false;
  const terminations: Promise<unknown>[] = [];
  const flushLedger = () => {
    catalogue.recordExports(ledger.splice(0));
  };
  const progress = () => {
    const elapsedMs = performance.now() - started;
    const finished = done - initiallyDone;
    req.onProgress?.({ done, total: rowTotal, failed: failures.length, elapsedMs, etaMs: finished > 0 ? (elapsedMs / finished) * (rowTotal - done) : undefined });
  };
  progress();

  const init: WorkerInit = { catalogueFile: catalogue.file, brand, template, output: req.output, reproducible: req.reproducible ?? false, outDir };
  const poolSize = Math.max(1, Math.min(req.workers ?? autoWorkers(jobs.length), jobs.length));
  const rowTimeout = req.rowTimeoutMs ?? 30_000;
  const queues = partitionByLogo(jobs, poolSize);

  // Whatever happens to the pool, every PDF already written gets its ledger row.
  try {
    if (jobs.length > 0 && !cancelled) await runPool();
  } finally {
    try {
      flushLedger();
    } finally {
      journal.close();
    }
  }
  if (cancelled) {
    // A terminated worker may have been writing: no temporary file of ours stays behind.
    await Promise.allSettled(terminations);
    removeLeftovers(outDir, ownNames);
  }

  async function runPool(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const slots = new Set<Slot>();
      let settled = false;
      const onAbort = () => {
        cancelled = true;
        finish();
      };
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        req.signal?.removeEventListener('abort', onAbort);
        for (const s of slots) {
          s.worker.removeAllListeners();
          terminations.push(s.worker.terminate());
        }
        slots.clear();
        if (err) reject(err);
        else resolve();
      };
      const fail = (job: RowJob, error: WireError) => {
        failures.push({ line: job.line, id: job.id, code: error.code, message: error.message });
        done++;
      };
      const remaining = () => [...slots].some((s) => s.pending.length > 0 || s.queue.length > 0);
      const feed = (slot: Slot) => {
        while (slot.ready && slot.pending.length < CHUNK * IN_FLIGHT_CHUNKS) {
          if (slot.queue.length === 0) {
            // Out of own rows: take a chunk from the end of the longest queue.
            const donor = [...slots].filter((s) => s !== slot).sort((a, b) => b.queue.length - a.queue.length)[0];
            if (!donor || donor.queue.length <= CHUNK) break;
            slot.queue.push(...donor.queue.splice(donor.queue.length - CHUNK, CHUNK));
          }
          const chunk = slot.queue.splice(0, CHUNK);
          slot.pending.push(...chunk);
          slot.worker.postMessage({ type: 'rows', jobs: chunk });
        }
        if (!remaining()) finish();
      };
      let crashes = 0;
      const replace = (slot: Slot, error: WireError) => {
        if (++crashes > poolSize * 3 + 3) {
          finish(new LockupError('internal', `Export workers keep failing (${error.message}); the batch was stopped`));
          return;
        }
        slots.delete(slot);
        slot.worker.removeAllListeners();
        terminations.push(slot.worker.terminate());
        const [stuck, ...rest] = slot.pending;
        if (stuck) fail(stuck, error);
        progress();
        const queue = [...rest, ...slot.queue];
        if (queue.length > 0 || remaining()) spawn(queue);
        else finish();
      };
      const spawn = (queue: RowJob[]) => {
        // A small young generation makes the worker collect each document's
        // buffers promptly, and a capped old generation keeps caches from
        // growing with the rows: peak memory stays flat however many rows
        // there are. Pixel buffers are external memory, outside both limits.
        const worker = startWorker(req.workerModule ?? siblingModule(import.meta.url, 'batch-worker'), { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 } });
        const slot: Slot = { worker, queue, pending: [], lastActivity: performance.now(), ready: false };
        slots.add(slot);
        worker.on('message', (msg: WorkerMessage) => {
          slot.lastActivity = performance.now();
          if (msg.type === 'ready') {
            slot.ready = true;
            feed(slot);
          } else if (msg.type === 'fatal') {
            finish(new LockupError(msg.error.code, msg.error.message, msg.error.details));
          } else {
            const i = slot.pending.findIndex((j) => j.line === msg.line);
            if (i >= 0) slot.pending.splice(i, 1);
            record(msg);
            feed(slot);
          }
        });
        worker.on('error', (err) => replace(slot, { code: 'internal', message: `The export worker failed on this row: ${err.message}` }));
        worker.on('exit', (code) => {
          if (!settled && slots.has(slot)) replace(slot, { code: 'internal', message: `The export worker stopped (exit code ${code}) on this row` });
        });
      };
      const record = (msg: WorkerResult) => {
        done++;
        crashes = 0;
        if (msg.ok) {
          succeeded++;
          warnings += msg.warnings;
          bytesWritten += msg.byteLength;
          const entry: LedgerEntry = {
            tool: 'batch',
            batchId,
            templateId: template.id,
            templateVersion: template.version,
            partnerId: msg.id,
            company: msg.company,
            outputProfile: req.output,
            outputPath: msg.file,
            outputSha256: msg.sha256,
            byteLength: msg.byteLength,
            inputsSha256: msg.inputsSha256,
            warnings: msg.warnings,
          };
          // The file is in place: journal it at once (resume trusts the journal), batch the ledger.
          const { tool: _tool, batchId: _batch, ...rest } = entry;
          journal.write({ type: 'done', line: msg.line, outName: path.basename(msg.file), ...rest });
          ledger.push(entry);
          if (ledger.length >= LEDGER_FLUSH) flushLedger();
        } else failures.push({ line: msg.line, id: msg.id, code: msg.error.code, message: msg.error.message });
        progress();
      };
      const watchdog = setInterval(() => {
        const now = performance.now();
        for (const slot of [...slots]) {
          if (slot.pending.length > 0 && now - slot.lastActivity > rowTimeout) {
            replace(slot, { code: 'image-decode-timeout', message: `This row made no progress for ${Math.round(rowTimeout / 1000)} s and was abandoned (a damaged logo file is the usual cause)` });
          }
        }
      }, Math.min(1000, rowTimeout / 4));
      if (req.signal) req.signal.addEventListener('abort', onAbort, { once: true });
      for (const queue of queues) spawn(queue);
    });
  }

  failures.sort((a, b) => a.line - b.line);
  const seconds = (performance.now() - started) / 1000;
  const report = path.join(outDir, `lockup-batch-report${suffix}.json`);
  let failuresCsv: string | undefined;
  if (failures.length > 0) {
    failuresCsv = path.join(outDir, `lockup-batch-failures${suffix}.csv`);
    writeFileAtomic(failuresCsv, toCsv(['line', 'id', 'code', 'reason'], failures.map((f) => [String(f.line), f.id ?? '', f.code, f.message])));
  }
  const summary: BatchSummary = {
    batchId,
    template: { id: template.id, version: template.version },
    source: csvPath === null ? 'catalogue' : 'csv',
    csv: csvPath,
    outDir,
    shard: `${shard.k}/${shard.n}`,
    rowsInFile: total,
    rowsInShard: rowTotal,
    succeeded,
    resumed: resumedRows.length,
    failed: failures.length,
    cancelled,
    notDone: rowTotal - done,
    warnings,
    seconds: Math.round(seconds * 1000) / 1000,
    docsPerSecond: Math.round(((succeeded - resumedRows.length) / seconds) * 10) / 10,
    bytesWritten,
    failures,
    ignoredColumns,
    report,
    failuresCsv,
    state: journalFile,
  };
  writeFileAtomic(report, JSON.stringify(summary, null, 2) + '\n');
  if (!cancelled) {
    // Every row was tried: mark the journal (a re-run still skips finished files and retries failures).
    const end = StateJournal.append(journalFile);
    try {
      end.write({ type: 'end', at: new Date().toISOString(), succeeded, failed: failures.length });
    } finally {
      end.close();
    }
  }
  progress();
  return summary;
}

function readStateOrRestart(file: string, restart: boolean) {
  if (restart) {
    fs.rmSync(file, { force: true });
    return undefined;
  }
  return readState(file);
}

function fileSize(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch {
    return undefined;
  }
}

function ledgerEntryOf(batchId: string, d: DoneLine): LedgerEntry {
  const { type: _type, line: _line, outName: _name, ...rest } = d;
  return { tool: 'batch', batchId, ...rest };
}
