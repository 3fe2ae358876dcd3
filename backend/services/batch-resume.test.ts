// Resuming, cancelling and the catalogue as a partner source (issue #5, parts 5 and 6).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyInto, seededCatalogue } from '../../test/support/catalogue.ts';
import { pdfText, qpdfCheck } from '../../test/support/pdf.ts';
import { benchLogo, supportModule } from '../../test/support/paths.ts';
import { listFilesDeep, tempDir, tempLeftovers } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { runBatch, type BatchRequest, type BatchSummary } from './batch.ts';
import { readState } from './batch-state.ts';

let catalogue: Catalogue;
beforeAll(() => {
  ({ catalogue } = seededCatalogue());
});
afterAll(() => catalogue.close());

function csvFolder(rows: number, bad: number[] = []): { dir: string; csv: string; out: string } {
  const dir = tempDir('lockup-resume-');
  copyInto(path.join(dir, 'logos'), [benchLogo(0), benchLogo(1), benchLogo(2)]);
  const lines = ['company,phone,tier,logo', ...Array.from({ length: rows }, (_, i) => `Partner ${String(i).padStart(3, '0')},555 ${1000 + i},${bad.includes(i) ? 'bogus' : 'silver'},logos/partner-logo-0${i % 3}.png`)];
  const csv = path.join(dir, 'partners.csv');
  fs.writeFileSync(csv, lines.join('\n') + '\n');
  return { dir, csv, out: path.join(dir, 'out') };
}

const batch = (csv: string, outDir: string, overrides: Partial<BatchRequest> = {}): Promise<BatchSummary> =>
  runBatch(catalogue, { template: 'product-one-pager-letter', csv, outDir, output: 'screen', ...overrides });
const ledgerFor = (batchId: string) => catalogue.listExports(1_000_000).filter((r) => r.batchId === batchId);
const pdfsIn = (dir: string) => listFilesDeep(dir).filter((f) => f.endsWith('.pdf'));
const identity = (file: string) => {
  const st = fs.statSync(file);
  return `${st.ino}:${st.mtimeMs}`;
};

describe('cancel, then resume (real workers)', () => {
  const folder = csvFolder(40, [5]);
  let first: BatchSummary;
  let cancelMs: number;
  const before = new Map<string, string>();

  beforeAll(async () => {
    const ac = new AbortController();
    let abortedAt = 0;
    first = await batch(folder.csv, folder.out, {
      workers: 1,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done >= 10 && !ac.signal.aborted) {
          abortedAt = performance.now();
          ac.abort();
        }
      },
    });
    cancelMs = performance.now() - abortedAt;
    for (const f of pdfsIn(folder.out)) before.set(f, identity(path.join(folder.out, f)));
  });

  it('stops promptly, keeps only complete PDFs and no temporary file, and reports what is not done', () => {
    expect(cancelMs).toBeLessThan(2000);
    expect(first.cancelled).toBe(true);
    expect(first.succeeded).toBeGreaterThanOrEqual(9);
    expect(first.succeeded).toBeLessThan(39);
    expect(first.notDone).toBe(40 - first.succeeded - first.failed);
    expect(pdfsIn(folder.out)).toHaveLength(first.succeeded);
    for (const f of pdfsIn(folder.out)) expect(qpdfCheck(path.join(folder.out, f)), f).toMatchObject({ status: 0, stderr: '' });
    expect(tempLeftovers(folder.out)).toEqual([]);
    expect(ledgerFor(first.batchId)).toHaveLength(first.succeeded);
    const state = readState(first.state)!;
    expect(state.finished).toBe(false);
    expect(state.done.size).toBe(first.succeeded);
    expect(JSON.parse(fs.readFileSync(first.report, 'utf8'))).toMatchObject({ cancelled: true, notDone: first.notDone });
  });

  it('the same batch again resumes: finished files untouched, every row done exactly once under the one batch id', async () => {
    const again = await batch(folder.csv, folder.out, { workers: 1 });
    expect(again).toMatchObject({ batchId: first.batchId, cancelled: false, notDone: 0, resumed: first.succeeded, succeeded: 39, failed: 1 });
    expect(again.failures.map((f) => [f.line, f.code])).toEqual([[7, 'profile-invalid']]);
    for (const [f, id] of before) expect(identity(path.join(folder.out, f)), f).toBe(id);
    expect(pdfsIn(folder.out)).toHaveLength(39);
    const ledger = ledgerFor(first.batchId);
    expect(ledger).toHaveLength(39);
    expect(new Set(ledger.map((r) => r.outputPath)).size).toBe(39);
    expect(readState(again.state)!.finished).toBe(true);

    // A third run has nothing left but the bad row.
    const third = await batch(folder.csv, folder.out, { workers: 1, workerModule: supportModule('fatal-batch-worker.mjs') });
    expect(third).toMatchObject({ resumed: 39, succeeded: 39, failed: 1 });
    expect(ledgerFor(first.batchId)).toHaveLength(39);
  });
});

describe('a batch state left by a kill (fake worker)', () => {
  it('torn last line, temporary files and ledger rows lost with the process: resumed without gaps or duplicates', async () => {
    const folder = csvFolder(12);
    const fake = { workers: 1, workerModule: supportModule('fake-batch-worker.mjs') };
    const s = await batch(folder.csv, folder.out, fake);
    expect(s.succeeded).toBe(12);
    // What a SIGKILL after 5 files leaves: the header and 5 done lines, a torn 6th line,
    // a temporary file, and (as a fresh batch id shows) no ledger rows for them yet.
    const lines = fs.readFileSync(s.state, 'utf8').split('\n');
    const header = JSON.parse(lines[0]!) as { batchId: string };
    header.batchId = '00000000-0000-4000-8000-000000000001';
    fs.writeFileSync(s.state, [JSON.stringify(header), ...lines.slice(1, 6), lines[6]!.slice(0, 20)].join('\n'));
    const kept = JSON.parse(lines[1]!) as { outName: string };
    const dropped = JSON.parse(lines[6]!) as { outName: string };
    fs.writeFileSync(path.join(folder.out, `.${dropped.outName}.999999.1.3.tmp`), 'half a PDF');
    fs.writeFileSync(path.join(folder.out, '.someone-elses.pdf.999999.1.4.tmp'), 'not ours');
    const keptId = identity(path.join(folder.out, kept.outName));

    const r = await batch(folder.csv, folder.out, fake);
    expect(r).toMatchObject({ batchId: header.batchId, resumed: 5, succeeded: 12, failed: 0 });
    expect(identity(path.join(folder.out, kept.outName))).toBe(keptId);
    expect(tempLeftovers(folder.out)).toEqual(['.someone-elses.pdf.999999.1.4.tmp']);
    const ledger = ledgerFor(header.batchId);
    expect(ledger).toHaveLength(12);
    expect(new Set(ledger.map((x) => x.outputPath)).size).toBe(12);
  });

  it('a file deleted since (or changed in size) is redone', async () => {
    const folder = csvFolder(4);
    const fake = { workers: 1, workerModule: supportModule('fake-batch-worker.mjs') };
    const s = await batch(folder.csv, folder.out, fake);
    fs.rmSync(path.join(folder.out, 'partner-001.pdf'));
    fs.appendFileSync(path.join(folder.out, 'partner-002.pdf'), 'x');
    const r = await batch(folder.csv, folder.out, fake);
    expect(r).toMatchObject({ batchId: s.batchId, resumed: 2, succeeded: 4 });
    expect(fs.existsSync(path.join(folder.out, 'partner-001.pdf'))).toBe(true);
  });
});

describe('a batch state from other inputs', () => {
  it('is refused with batch-state-mismatch naming what changed; --restart starts a new batch', async () => {
    const folder = csvFolder(3);
    const fake = { workers: 1, workerModule: supportModule('fake-batch-worker.mjs') };
    const s = await batch(folder.csv, folder.out, fake);
    fs.appendFileSync(folder.csv, 'Late Partner,555 9999,silver,\n');
    await expect(batch(folder.csv, folder.out, fake)).rejects.toMatchObject({ code: 'batch-state-mismatch', message: expect.stringMatching(/different CSV file; run again with --restart/) });
    await expect(batch(folder.csv, folder.out, { ...fake, template: 'bundled-offer-sheet' })).rejects.toMatchObject({ code: 'batch-state-mismatch', message: expect.stringMatching(/template/) });
    await expect(batch(folder.csv, folder.out, { ...fake, output: 'print' })).rejects.toMatchObject({ code: 'batch-state-mismatch' });
    const r = await batch(folder.csv, folder.out, { ...fake, restart: true });
    expect(r.batchId).not.toBe(s.batchId);
    expect(r).toMatchObject({ resumed: 0, succeeded: 4 });
    // Another shard in the same folder has its own state: no clash.
    const shard = await batch(folder.csv, folder.out, { ...fake, shard: { k: 1, n: 2 } });
    expect(shard.state).toBe(path.join(folder.out, 'lockup-batch-state-1-of-2.jsonl'));
  });

  it('an unreadable state is refused, not overwritten', async () => {
    const folder = csvFolder(1);
    fs.mkdirSync(folder.out);
    fs.writeFileSync(path.join(folder.out, 'lockup-batch-state.jsonl'), 'garbage\n');
    await expect(batch(folder.csv, folder.out)).rejects.toMatchObject({ code: 'batch-state-mismatch', message: expect.stringMatching(/--restart/) });
    expect(fs.readFileSync(path.join(folder.out, 'lockup-batch-state.jsonl'), 'utf8')).toBe('garbage\n');
  });
});

describe("the catalogue's partner list as the source", () => {
  beforeAll(() => {
    const logo = catalogue.putAsset(new Uint8Array(fs.readFileSync(benchLogo(4))), 'partner-logo-04.png');
    const base = { contact: { phone: '555 0100' }, certifications: [] as string[] };
    catalogue.saveProfile({ ...base, id: 'cat-a', company: 'Catalogue Alpha', distributor: 'Ingram', tier: 'silver', logo: { light: logo } });
    const logoB = catalogue.putAsset(new Uint8Array(fs.readFileSync(benchLogo(5))), 'partner-logo-05.png');
    catalogue.saveProfile({ ...base, id: 'cat-b', company: 'Catalogue Beta', distributor: 'ingram', logo: { light: logoB } });
    catalogue.saveProfile({ ...base, id: 'cat-c', company: 'Catalogue Gamma', distributor: 'TD Synnex' });
  });

  it("exports every partner of one distributor, with their catalogue logos", async () => {
    const out = path.join(tempDir(), 'out');
    const s = await runBatch(catalogue, { template: 'product-one-pager-letter', catalogue: { distributor: 'Ingram' }, outDir: out, output: 'screen' });
    expect(s.failures).toEqual([]);
    expect(s).toMatchObject({ source: 'catalogue', csv: null, rowsInFile: 2, succeeded: 2, failed: 0 });
    expect(pdfsIn(out)).toEqual(['cat-a.pdf', 'cat-b.pdf']);
    expect(pdfText(path.join(out, 'cat-a.pdf'))).toContain('Catalogue Alpha');
    expect(qpdfCheck(path.join(out, 'cat-a.pdf')).status).toBe(0);
    // The template requires a partner logo: both passed only because the catalogue assets were drawn.
    expect(ledgerFor(s.batchId).map((r) => r.partnerId).sort()).toEqual(['cat-a', 'cat-b']);
  });

  it('shards of the whole list together are exactly the full set, each partner once', async () => {
    const out = path.join(tempDir(), 'out');
    const fake = { workers: 1, workerModule: supportModule('fake-batch-worker.mjs') };
    const all = catalogue.listProfiles().length;
    const ids: string[] = [];
    for (const k of [1, 2, 3]) {
      const s = await runBatch(catalogue, { template: 'product-one-pager-letter', catalogue: {}, outDir: out, output: 'screen', shard: { k, n: 3 }, ...fake });
      ids.push(...ledgerFor(s.batchId).map((r) => r.partnerId));
    }
    expect(ids).toHaveLength(all);
    expect(new Set(ids).size).toBe(all);
    expect(new Set(ids)).toEqual(new Set(catalogue.listProfiles().map((p) => p.id)));
  });

  it('needs exactly one source', async () => {
    await expect(runBatch(catalogue, { template: 'product-one-pager-letter', outDir: tempDir(), output: 'screen' })).rejects.toMatchObject({ code: 'usage' });
  });
});
