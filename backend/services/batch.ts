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
import { siblingModule, startWorker } from '../util/worker.ts';
import { rowsToJobs, type RowJob, type Shard } from './batch-rows.ts';
import type { WorkerInit, WorkerMessage, WorkerResult } from './batch-protocol.ts';

export interface BatchRequest {
  template: string;
  csv: string;
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
  csv: string;
  outDir: string;
  shard: string;
  rowsInFile: number;
  rowsInShard: number;
  succeeded: number;
  failed: number;
  warnings: number;
  seconds: number;
  docsPerSecond: number;
  bytesWritten: number;
  failures: BatchFailure[];
  ignoredColumns: string[];
  report: string;
  failuresCsv: string | undefined;
}

const CHUNK = 8;
/** Rows that justify one more worker thread (see docs/decisions/0006-batch-workers.md). */
export const ROWS_PER_WORKER = 1000;

/**
 * Each worker is a separate V8 isolate that loads and warms up the whole
 * pipeline (~1.5 s of CPU here) before it runs at full speed, so a second
 * worker only pays off once the batch is big enough.
 */
export function autoWorkers(rows: number, cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(cores, Math.floor(rows / ROWS_PER_WORKER)));
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
  const csvPath = path.resolve(req.csv);
  const table = parseCsv(readTextFile(csvPath, 'CSV file'));
  const shard = req.shard ?? { k: 1, n: 1 };
  const { jobs, problems, ignoredColumns, total } = rowsToJobs(table, template, brand, path.dirname(csvPath), shard);
  const outDir = path.resolve(req.outDir);
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw new LockupError('output-unwritable', `Cannot create the output folder "${outDir}": ${(err as Error).message}`);
  }

  const batchId = randomUUID();
  const failures: BatchFailure[] = problems.map((p) => ({ ...p }));
  const ledger: LedgerEntry[] = [];
  let succeeded = 0;
  let warnings = 0;
  let bytesWritten = 0;
  const rowTotal = jobs.length + problems.length;
  let done = problems.length;
  const flushLedger = () => {
    catalogue.recordExports(ledger.splice(0));
  };
  const progress = () => {
    const elapsedMs = performance.now() - started;
    const finished = done - problems.length;
    req.onProgress?.({ done, total: rowTotal, failed: failures.length, elapsedMs, etaMs: finished > 0 ? (elapsedMs / finished) * (rowTotal - done) : undefined });
  };

  const init: WorkerInit = { catalogueFile: catalogue.file, brand, template, output: req.output, reproducible: req.reproducible ?? false, outDir };
  const poolSize = Math.max(1, Math.min(req.workers ?? autoWorkers(jobs.length), jobs.length));
  const rowTimeout = req.rowTimeoutMs ?? 30_000;
  const queues = partitionByLogo(jobs, poolSize);

  // Whatever happens to the pool, every PDF already written gets its ledger row.
  try {
    if (jobs.length > 0) await runPool();
  } finally {
    flushLedger();
  }

  async function runPool(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const slots = new Set<Slot>();
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        for (const s of slots) {
          s.worker.removeAllListeners();
          void s.worker.terminate();
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
        void slot.worker.terminate();
        const [stuck, ...rest] = slot.pending;
        if (stuck) fail(stuck, error);
        progress();
        const queue = [...rest, ...slot.queue];
        if (queue.length > 0 || remaining()) spawn(queue);
        else finish();
      };
      const spawn = (queue: RowJob[]) => {
        // A small young generation makes the worker collect each document's
        // buffers promptly: peak memory stays flat however many rows there are.
        const worker = startWorker(req.workerModule ?? siblingModule(import.meta.url, 'batch-worker'), { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
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
          ledger.push({
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
          });
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
      for (const queue of queues) spawn(queue);
    });
  }

  failures.sort((a, b) => a.line - b.line);
  const seconds = (performance.now() - started) / 1000;
  const suffix = shard.n > 1 ? `-${shard.k}-of-${shard.n}` : '';
  const report = path.join(outDir, `lockup-batch-report${suffix}.json`);
  let failuresCsv: string | undefined;
  if (failures.length > 0) {
    failuresCsv = path.join(outDir, `lockup-batch-failures${suffix}.csv`);
    writeFileAtomic(failuresCsv, toCsv(['line', 'id', 'code', 'reason'], failures.map((f) => [String(f.line), f.id ?? '', f.code, f.message])));
  }
  const summary: BatchSummary = {
    batchId,
    template: { id: template.id, version: template.version },
    csv: csvPath,
    outDir,
    shard: `${shard.k}/${shard.n}`,
    rowsInFile: total,
    rowsInShard: rowTotal,
    succeeded,
    failed: failures.length,
    warnings,
    seconds: Math.round(seconds * 1000) / 1000,
    docsPerSecond: Math.round((succeeded / seconds) * 10) / 10,
    bytesWritten,
    failures,
    ignoredColumns,
    report,
    failuresCsv,
  };
  writeFileAtomic(report, JSON.stringify(summary, null, 2) + '\n');
  progress();
  return summary;
}
