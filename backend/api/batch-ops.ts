import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BATCH_API, BatchJobView, UnfinishedBatchView } from '../../core/contracts/batch-api.ts';
import { LockupError, toWireError } from '../../core/errors.ts';
import { runBatch, type BatchProgress, type BatchRequest, type BatchSummary } from '../services/batch.ts';
import { readState } from '../services/batch-state.ts';
import { writeFileAtomic } from '../util/files.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

/** The copy of a picked CSV kept in the batch folder, so that Resume reads the same rows. */
export const INPUT_CSV = 'lockup-batch-input.csv';

interface Job {
  id: string;
  template: string;
  source: 'csv' | 'catalogue';
  outDir: string;
  abort: AbortController;
  state: BatchJobView['state'];
  progress: BatchProgress;
  summary?: BatchSummary;
  error?: { code: string; message: string };
}

function stamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

/**
 * Batch jobs of the app. One batch runs at a time (it already uses every
 * core). Batch folders live under `<export folder>/batches/`, and the
 * renderer can neither name nor resume a folder elsewhere.
 */
export function batchHandlers(ctx: HandlerContext): HandlersFor<typeof BATCH_API> {
  const jobs = new Map<string, Job>();
  const root = path.join(ctx.exportDir, 'batches');

  const view = (job: Job): BatchJobView => {
    const s = job.summary;
    return {
      jobId: job.id,
      state: job.state,
      template: job.template,
      source: job.source,
      outDir: job.outDir,
      progress: { ...job.progress, etaMs: job.progress.etaMs ?? null },
      result: s
        ? {
            succeeded: s.succeeded,
            resumed: s.resumed,
            failed: s.failed,
            notDone: s.notDone,
            seconds: s.seconds,
            failures: s.failures.map((f) => ({ line: f.line, id: f.id ?? null, code: f.code, message: f.message })),
            report: s.report,
            failuresCsv: s.failuresCsv ?? null,
          }
        : null,
      error: job.error ?? null,
    };
  };

  const jobOf = (jobId: string): Job => {
    const job = jobs.get(jobId);
    if (!job) throw new LockupError('invalid-argument', 'There is no such batch');
    return job;
  };

  const start = (request: Omit<BatchRequest, 'signal' | 'onProgress'>, template: string, source: Job['source']): BatchJobView => {
    const running = [...jobs.values()].find((j) => j.state === 'running');
    if (running) throw new LockupError('in-use', `A batch is already running (${running.outDir}); wait for it or cancel it first`);
    const job: Job = { id: randomUUID(), template, source, outDir: request.outDir, abort: new AbortController(), state: 'running', progress: { done: 0, total: 0, failed: 0, elapsedMs: 0, etaMs: undefined } };
    jobs.set(job.id, job);
    runBatch(ctx.catalogue, {
      ...request,
      signal: job.abort.signal,
      onProgress: (p) => {
        job.progress = p;
      },
    }).then(
      (summary) => {
        job.summary = summary;
        job.state = summary.cancelled ? 'cancelled' : 'done';
      },
      (err: unknown) => {
        const wire = toWireError(err);
        job.error = { code: wire.code, message: wire.message };
        job.state = 'failed';
      },
    );
    return view(job);
  };

  /** A folder the renderer names must be one of the app's batch folders. */
  const batchFolder = (outDir: string): string => {
    const dir = path.resolve(outDir);
    const rel = path.relative(root, dir);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || rel.includes(path.sep)) throw new LockupError('forbidden', 'Only batches in the app\'s batch folder can be resumed');
    return dir;
  };

  return {
    'batch:start': ({ template, source, output }) => {
      const t = ctx.catalogue.getTemplate(template);
      const outDir = path.join(root, `${t.id}-${stamp()}`);
      fs.mkdirSync(outDir, { recursive: true });
      if (source.kind === 'csv') {
        const csv = path.join(outDir, INPUT_CSV);
        writeFileAtomic(csv, Buffer.from(source.data, 'base64'));
        return start({ template: `${t.id}@${t.version}`, csv, outDir, output }, `${t.id}@${t.version}`, 'csv');
      }
      return start({ template: `${t.id}@${t.version}`, catalogue: { distributor: source.distributor ?? undefined }, outDir, output }, `${t.id}@${t.version}`, 'catalogue');
    },

    'batch:status': ({ jobId }) => view(jobOf(jobId)),

    'batch:cancel': async ({ jobId }) => {
      const job = jobOf(jobId);
      job.abort.abort();
      // Workers stop within moments: answer with the final state when it comes quickly.
      const until = Date.now() + 5000;
      while (job.state === 'running' && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return view(job);
    },

    'batch:unfinished': () => {
      let folders: string[];
      try {
        folders = fs.readdirSync(root);
      } catch {
        return [];
      }
      const running = new Set([...jobs.values()].filter((j) => j.state === 'running').map((j) => j.outDir));
      const list: UnfinishedBatchView[] = [];
      for (const name of folders.sort().reverse()) {
        const outDir = path.join(root, name);
        if (running.has(outDir)) continue;
        let state;
        try {
          state = readState(path.join(outDir, 'lockup-batch-state.jsonl'));
        } catch {
          continue;
        }
        if (!state || state.finished) continue;
        const r = state.header.request;
        list.push({ outDir, template: r.template, source: r.csv ? 'csv' : 'catalogue', done: state.done.size, total: state.header.total, startedAt: state.header.startedAt });
      }
      return list;
    },

    'batch:resume': ({ outDir }) => {
      const dir = batchFolder(outDir);
      const state = readState(path.join(dir, 'lockup-batch-state.jsonl'));
      if (!state) throw new LockupError('invalid-argument', 'This folder holds no batch to resume');
      const r = state.header.request;
      const source = r.csv ? 'csv' : 'catalogue';
      return start(
        { template: r.template, ...(r.csv ? { csv: r.csv } : { catalogue: { distributor: r.catalogue?.distributor ?? undefined } }), outDir: dir, output: r.output, reproducible: r.reproducible, shard: r.shard },
        r.template,
        source,
      );
    },
  };
}
