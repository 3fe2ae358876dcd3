import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchJobView, UnfinishedBatchView } from '../../core/contracts/batch-api.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { qpdfCheck } from '../../test/support/pdf.ts';
import { benchLogo } from '../../test/support/paths.ts';
import { listFilesDeep, tempDir } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { ApiService } from './service.ts';

/** The app's batch operations over the real service: start, poll, cancel, list unfinished, resume. */

let catalogue: Catalogue;
let service: ApiService;
let exportDir: string;
beforeAll(() => {
  let dir: string;
  ({ catalogue, dir } = seededCatalogue());
  exportDir = path.join(tempDir('lockup-batch-api-'), 'exports');
  service = new ApiService({ catalogue, dataDir: dir, transport: 'web', version: 'test', exportDir });
});
afterAll(() => catalogue.close());

const ok = <T>(op: string, input: unknown = {}) => callOk<T>(service, op, input);
const b64 = (text: string) => Buffer.from(text).toString('base64');
const logo = benchLogo(0);

async function until(jobId: string, test: (v: BatchJobView) => boolean, timeoutMs = 60_000): Promise<BatchJobView> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await ok<BatchJobView>('batch:status', { jobId });
    if (test(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('batch ops', () => {
  it('a CSV batch with one bad row: progress to the end, the failure with its reason, files in a folder under the export folder', async () => {
    const csv = ['company,phone,tier,logo', `Api One,555 0001,silver,${logo}`, `Api Two,555 0002,platinum,${logo}`, `Api Three,555 0003,gold,${logo}`].join('\n');
    const started = await ok<BatchJobView>('batch:start', { template: 'product-one-pager-letter', source: { kind: 'csv', name: 'partners.csv', data: b64(csv) } });
    expect(started.state).toBe('running');
    expect(path.dirname(started.outDir)).toBe(path.join(exportDir, 'batches'));
    const end = await until(started.jobId, (v) => v.state !== 'running');
    expect(end).toMatchObject({ state: 'done', source: 'csv', progress: { done: 3, total: 3, failed: 1 }, result: { succeeded: 2, failed: 1, notDone: 0 } });
    expect(end.result!.failures).toEqual([{ line: 3, id: null, code: 'profile-invalid', message: expect.stringMatching(/tier "platinum"/) }]);
    expect(listFilesDeep(end.outDir).filter((f) => f.endsWith('.pdf'))).toEqual(['api-one.pdf', 'api-three.pdf']);
    expect(qpdfCheck(path.join(end.outDir, 'api-one.pdf')).status).toBe(0);
    expect(await ok<UnfinishedBatchView[]>('batch:unfinished')).toEqual([]);
  });

  it('cancel stops the job with finished files kept; it is listed as unfinished and resumes to the end', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `Cancel ${i},555 ${1000 + i},silver,${logo}`);
    const started = await ok<BatchJobView>('batch:start', { template: 'product-one-pager-letter', source: { kind: 'csv', name: 'p.csv', data: b64(['company,phone,tier,logo', ...rows].join('\n')) } });
    expect((await callFails(service, 'batch:start', { template: 'product-one-pager-letter', source: { kind: 'catalogue' } })).code).toBe('in-use');
    await until(started.jobId, (v) => v.progress.done >= 5);
    const cancelled = await ok<BatchJobView>('batch:cancel', { jobId: started.jobId });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.result!.notDone).toBeGreaterThan(0);
    const pdfs = listFilesDeep(cancelled.outDir).filter((f) => f.endsWith('.pdf'));
    // Every journalled file is there; a worker stopped between renaming its file and reporting it may leave one
    // more complete file per worker, which resume redoes (backend/services/batch-state.ts).
    expect(pdfs.length).toBeGreaterThanOrEqual(cancelled.result!.succeeded);
    expect(pdfs.length).toBeLessThanOrEqual(cancelled.result!.succeeded + 2);

    const unfinished = await ok<UnfinishedBatchView[]>('batch:unfinished');
    expect(unfinished).toEqual([{ outDir: cancelled.outDir, template: 'product-one-pager-letter@1', source: 'csv', done: cancelled.result!.succeeded, total: 200, startedAt: expect.any(String) }]);

    const resumed = await ok<BatchJobView>('batch:resume', { outDir: cancelled.outDir });
    const end = await until(resumed.jobId, (v) => v.state !== 'running');
    expect(end).toMatchObject({ state: 'done', outDir: cancelled.outDir, result: { succeeded: 200, resumed: cancelled.result!.succeeded, failed: 0 } });
    expect(await ok<UnfinishedBatchView[]>('batch:unfinished')).toEqual([]);
  });

  it('the catalogue partner list as the source', async () => {
    const ref = catalogue.putAsset(new Uint8Array(fs.readFileSync(logo)), 'l.png');
    catalogue.saveProfile({ id: 'api-cat', company: 'Api Catalogue Co', contact: {}, certifications: [], distributor: 'Api Dist', logo: { light: ref } });
    const started = await ok<BatchJobView>('batch:start', { template: 'product-one-pager-letter', source: { kind: 'catalogue', distributor: 'Api Dist' } });
    const end = await until(started.jobId, (v) => v.state !== 'running');
    expect(end).toMatchObject({ state: 'done', source: 'catalogue', result: { succeeded: 1, failed: 0 } });
  });

  it('refuses folders outside the batch folder, unknown jobs and bad input with codes', async () => {
    expect((await callFails(service, 'batch:resume', { outDir: tempDir() })).code).toBe('forbidden');
    expect((await callFails(service, 'batch:resume', { outDir: path.join(exportDir, 'batches', '..', '..') })).code).toBe('forbidden');
    expect((await callFails(service, 'batch:status', { jobId: '00000000-0000-4000-8000-000000000000' })).code).toBe('invalid-argument');
    expect((await callFails(service, 'batch:start', { template: 'product-one-pager-letter', source: { kind: 'ftp' } })).code).toBe('invalid-argument');
    expect((await callFails(service, 'batch:start', { template: 'nope', source: { kind: 'catalogue' } })).code).toBe('template-unknown');
  });
});
