import { z } from 'zod';
import { Base64, Empty, op } from './op.ts';

/**
 * Batches in the app (the Batch screen): every partner's co-branded PDF from
 * a CSV or the catalogue's partner list, on worker threads, in a folder under
 * the app's export folder. A batch runs in the backend as a job; the screen
 * polls `batch:status`. Handlers in backend/api/batch-ops.ts; the service is
 * the CLI's (`lockup batch`), so files, report and resumable state are the same.
 */

const JobId = z.string().regex(/^[0-9a-f-]{36}$/, 'must be a batch job id');

export const BatchFailureView = z.object({ line: z.number(), id: z.string().nullable(), code: z.string(), message: z.string() });
export type BatchFailureView = z.infer<typeof BatchFailureView>;

export const BatchJobView = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  template: z.string(),
  source: z.enum(['csv', 'catalogue']),
  outDir: z.string(),
  progress: z.object({ done: z.number(), total: z.number(), failed: z.number(), elapsedMs: z.number(), etaMs: z.number().nullable() }),
  /** Once the job ended (done or cancelled). */
  result: z
    .object({
      succeeded: z.number(),
      resumed: z.number(),
      failed: z.number(),
      notDone: z.number(),
      seconds: z.number(),
      failures: z.array(BatchFailureView),
      report: z.string(),
      failuresCsv: z.string().nullable(),
    })
    .nullable(),
  /** Why the whole batch stopped (state `failed`). */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type BatchJobView = z.infer<typeof BatchJobView>;

export const UnfinishedBatchView = z.object({
  outDir: z.string(),
  template: z.string(),
  source: z.enum(['csv', 'catalogue']),
  done: z.number(),
  total: z.number(),
  startedAt: z.string(),
});
export type UnfinishedBatchView = z.infer<typeof UnfinishedBatchView>;

const Source = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('csv'), name: z.string().min(1).max(255), data: Base64.min(1) }).strict(),
  z.object({ kind: z.literal('catalogue'), distributor: z.string().max(200).nullable().default(null) }).strict(),
]);

export const BATCH_API = {
  'batch:start': op(z.object({ template: z.string().min(1).max(120), source: Source, output: z.enum(['screen', 'print']).default('screen') }).strict(), BatchJobView),
  'batch:status': op(z.object({ jobId: JobId }).strict(), BatchJobView),
  'batch:cancel': op(z.object({ jobId: JobId }).strict(), BatchJobView),
  /** Batches under the app's batch folder that were stopped (cancelled, quit or crashed) before every row was done. */
  'batch:unfinished': op(Empty, z.array(UnfinishedBatchView)),
  'batch:resume': op(z.object({ outDir: z.string().min(1).max(4096) }).strict(), BatchJobView),
} as const;
