import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../core/csv.ts';
import { LockupError } from '../../core/errors.ts';
import { copyInto, seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { pdfFonts, pdfText, qpdfCheck } from '../../test/support/pdf.ts';
import { benchLogo, imageFixture, supportModule } from '../../test/support/paths.ts';
import { listFilesDeep, tempDir, tempLeftovers } from '../../test/support/temp.ts';
import type { Catalogue, LedgerRow } from '../catalogue.ts';
import { runBatch, type BatchProgress, type BatchRequest, type BatchSummary } from './batch.ts';

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let catalogue: Catalogue;
beforeAll(() => {
  ({ catalogue } = seededCatalogue());
});
afterAll(() => catalogue.close());

/** A folder with `partners.csv` (the given text) and the logos it names in `logos/`. */
function csvFolder(text: string, logos: string[] = []): { dir: string; csv: string; out: string } {
  const dir = tempDir('lockup-batch-');
  copyInto(path.join(dir, 'logos'), logos);
  const csv = path.join(dir, 'partners.csv');
  fs.writeFileSync(csv, text);
  return { dir, csv, out: path.join(dir, 'out') };
}

function batch(csv: string, outDir: string, overrides: Partial<BatchRequest> = {}): Promise<BatchSummary> {
  return runBatch(catalogue, { template: 'product-one-pager-letter', csv, outDir, output: 'screen', ...overrides });
}

function ledgerFor(batchId: string): LedgerRow[] {
  return catalogue.listExports(100_000).filter((r) => r.batchId === batchId);
}

const pdfsIn = (dir: string) => listFilesDeep(dir).filter((f) => f.endsWith('.pdf'));

describe('a mixed CSV (BOM, CRLF, Arabic, Japanese, bad rows, formula-like cells)', () => {
  let folder: ReturnType<typeof csvFolder>;
  let summary: BatchSummary;
  const progress: BatchProgress[] = [];
  let ledgerBefore: number;

  beforeAll(async () => {
    const rows = [
      'id,company,phone,email,address,tier,logo,notes',
      'acme,Acme Ltd,555 0100,hello@acme.example.com,"1 Main Street\r\nSpringfield",silver,logos/partner-logo-00.png,first', // line 2 (2 lines)
      ',شركة النور,+971 4 555 0100,,Dubai,gold,logos/partner-logo-01.png,', // line 4
      'aozora,株式会社青空システムズ,+81 3 5550 0123,,Tokyo,gold,logos/partner-logo-02.png,', // line 5
      'short,Short Row,555', // line 6
      'empty,,555 0103,,,silver,,', // line 7
      'trunc,Truncated Logo Co,555 0104,,,silver,logos/truncated.png,', // line 8
      'plat,Platinum Co,555 0105,,,platinum,,', // line 9
      ',"=HYPERLINK(""x"")",555 0106,,,silver,logos/partner-logo-00.png,', // line 10
      '"=HYPERLINK(""y"")",,555 0107,,,silver,,', // line 11
      'ghost,Ghost Logo Co,555 0108,,,silver,logos/missing.png,', // line 12
    ];
    folder = csvFolder('\uFEFF' + rows.join('\r\n') + '\r\n', [benchLogo(0), benchLogo(1), benchLogo(2), imageFixture('truncated.png')]);
    ledgerBefore = catalogue.listExports(100_000).length;
    summary = await batch(folder.csv, folder.out, { onProgress: (p) => progress.push(p) });
  });

  it('the good rows produce sound PDFs; the bad ones none', () => {
    expect(summary.succeeded).toBe(3);
    expect(pdfsIn(folder.out)).toEqual(['acme.pdf', 'hyperlink-x.pdf', 'row-4.pdf']);
    const expected: Record<string, string> = { 'acme.pdf': 'Acme Ltd', 'row-4.pdf': 'شركة النور', 'hyperlink-x.pdf': '=HYPERLINK("x")' };
    for (const [name, company] of Object.entries(expected)) {
      const file = path.join(folder.out, name);
      const q = qpdfCheck(file);
      expect(q.stderr, name).toBe('');
      expect(q.status, name).toBe(0);
      for (const f of pdfFonts(file)) expect(f.embedded, `${name}: ${f.name}`).toBe(true);
      expect(pdfText(file), name).toContain(company);
    }
    expect(pdfText(path.join(folder.out, 'acme.pdf'))).toContain('555 0100');
    expect(tempLeftovers(folder.out)).toEqual([]);
  });

  it('each bad row is reported with its CSV line number and a specific code and reason', () => {
    expect(summary.failed).toBe(7);
    expect(summary.failures.map((f) => [f.line, f.id, f.code])).toEqual([
      [5, 'aozora', 'compliance-errors'],
      [6, 'short', 'csv-invalid'],
      [7, 'empty', 'profile-invalid'],
      [8, 'trunc', 'image-truncated'],
      [9, 'plat', 'profile-invalid'],
      [11, '=HYPERLINK("y")', 'profile-invalid'],
      [12, 'ghost', 'file-unreadable'],
    ]);
    const reason = (line: number) => summary.failures.find((f) => f.line === line)!.message;
    expect(reason(6)).toBe('row has 3 values but the header has 8 columns');
    expect(reason(7)).toBe('the company name is empty');
    expect(reason(8)).toMatch(/truncated\.png.*truncated PNG/);
    expect(reason(9)).toMatch(/tier "platinum" is not one of registered, silver, gold/);
    expect(reason(12)).toMatch(/missing\.png.*does not exist/);
  });

  it('the Japanese row fails with compliance-errors naming the characters the fonts cannot draw', () => {
    const f = summary.failures.find((x) => x.line === 5)!;
    expect(f.code).toBe('compliance-errors');
    for (const ch of ['株 (U+682A)', '式 (U+5F0F)', '青 (U+9752)', '空 (U+7A7A)']) expect(f.message).toContain(ch);
  });

  it('the summary counts rows and notes the ignored column', () => {
    expect(summary).toMatchObject({
      template: { id: 'product-one-pager-letter', version: 1 },
      csv: folder.csv,
      outDir: folder.out,
      shard: '1/1',
      rowsInFile: 10,
      rowsInShard: 10,
      ignoredColumns: ['notes'],
      warnings: 0,
    });
    expect(summary.bytesWritten).toBe(pdfsIn(folder.out).reduce((n, f) => n + fs.statSync(path.join(folder.out, f)).size, 0));
    expect(summary.batchId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the report JSON matches the summary', () => {
    expect(summary.report).toBe(path.join(folder.out, 'lockup-batch-report.json'));
    expect(JSON.parse(fs.readFileSync(summary.report, 'utf8'))).toEqual(JSON.parse(JSON.stringify(summary)));
  });

  it('the failures CSV lists every failure and escapes formula-like cells with a leading apostrophe', () => {
    expect(summary.failuresCsv).toBe(path.join(folder.out, 'lockup-batch-failures.csv'));
    const text = fs.readFileSync(summary.failuresCsv!, 'utf8');
    const table = parseCsv(text);
    expect(table.header).toEqual(['line', 'id', 'code', 'reason']);
    expect(table.records.map((r) => r.cells.slice(0, 3))).toEqual(summary.failures.map((f) => [String(f.line), f.id!.startsWith('=') ? `'${f.id}` : f.id, f.code]));
    expect(table.records.map((r) => r.cells[3])).toEqual(summary.failures.map((f) => f.message));
    expect(text).toContain(`"'=HYPERLINK(""y"")"`);
    for (const r of table.records) for (const cell of r.cells) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('ledger rows = successes, all under the one batch id, with each file\'s sha256', () => {
    const rows = ledgerFor(summary.batchId);
    expect(rows).toHaveLength(3);
    expect(catalogue.listExports(100_000).length).toBe(ledgerBefore + 3);
    expect(rows.map((r) => r.company).sort()).toEqual(['=HYPERLINK("x")', 'Acme Ltd', 'شركة النور'].sort());
    for (const r of rows) {
      expect(r).toMatchObject({ tool: 'batch', templateId: 'product-one-pager-letter', templateVersion: 1, outputProfile: 'screen' });
      expect(path.dirname(r.outputPath)).toBe(folder.out);
      expect(r.outputSha256).toBe(sha(r.outputPath));
      expect(r.byteLength).toBe(fs.statSync(r.outputPath).size);
    }
  });

  it('progress ends with every row done', () => {
    expect(progress.length).toBeGreaterThan(0);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ done: 10, total: 10, failed: 7 });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done);
  });
});

describe('sharding', () => {
  it('shards 1/3, 2/3 and 3/3 together produce exactly the unsharded files, byte for byte, with no overlap', async () => {
    const rows = ['company,phone,logo', ...Array.from({ length: 7 }, (_, i) => `Partner ${String.fromCharCode(65 + i)},555 01${i}0,logos/partner-logo-0${i % 3}.png`)];
    const folder = csvFolder(rows.join('\n') + '\n', [benchLogo(0), benchLogo(1), benchLogo(2)]);
    const whole = path.join(folder.dir, 'whole');
    const sharded = path.join(folder.dir, 'sharded');
    const all = await batch(folder.csv, whole, { reproducible: true });
    expect(all.succeeded).toBe(7);

    const parts: BatchSummary[] = [];
    const shardPdfs: string[][] = [];
    for (const k of [1, 2, 3]) {
      const before = new Set(pdfsIn(sharded));
      const s = await batch(folder.csv, sharded, { reproducible: true, shard: { k, n: 3 } });
      parts.push(s);
      shardPdfs.push(pdfsIn(sharded).filter((f) => !before.has(f)));
      expect(s.shard).toBe(`${k}/3`);
      expect(s.rowsInFile).toBe(7);
      expect(s.report).toBe(path.join(sharded, `lockup-batch-report-${k}-of-3.json`));
      expect(ledgerFor(s.batchId)).toHaveLength(s.succeeded);
    }
    expect(parts.map((p) => p.rowsInShard)).toEqual([3, 2, 2]);
    expect(shardPdfs.map((l) => l.length)).toEqual([3, 2, 2]); // each shard wrote only new files: no overlap
    expect(new Set(parts.map((p) => p.batchId)).size).toBe(3);
    expect(pdfsIn(sharded)).toEqual(pdfsIn(whole));
    for (const f of pdfsIn(whole)) expect(sha(path.join(sharded, f)), f).toBe(sha(path.join(whole, f)));
    expect(listFilesDeep(sharded).filter((f) => f.endsWith('.json'))).toEqual(['lockup-batch-report-1-of-3.json', 'lockup-batch-report-2-of-3.json', 'lockup-batch-report-3-of-3.json']);
  });
});

describe('whole-file failures', () => {
  it('a header without company/name is csv-invalid for the whole file: nothing written, catalogue unchanged', async () => {
    const folder = csvFolder('id,phone,logo\nacme,555,\n');
    const before = dumpDatabase(catalogue.db);
    const err = await batch(folder.csv, folder.out).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LockupError);
    expect(err).toMatchObject({ code: 'csv-invalid' });
    expect((err as Error).message).toMatch(/"company" \(or "name"\)/);
    expect(fs.existsSync(folder.out)).toBe(false);
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('an unterminated quote is csv-invalid naming its line', async () => {
    const folder = csvFolder('company,phone\nAcme,555\n"Broken,555\nLater,1\n');
    await expect(batch(folder.csv, folder.out)).rejects.toMatchObject({ code: 'csv-invalid', message: expect.stringMatching(/line 3/) });
    expect(fs.existsSync(folder.out)).toBe(false);
  });

  it('a missing CSV is file-unreadable; an unknown template is template-unknown', async () => {
    const folder = csvFolder('company\nAcme\n');
    await expect(batch(path.join(folder.dir, 'nope.csv'), folder.out)).rejects.toMatchObject({ code: 'file-unreadable' });
    await expect(batch(folder.csv, folder.out, { template: 'nope' })).rejects.toMatchObject({ code: 'template-unknown' });
    expect(fs.existsSync(folder.out)).toBe(false);
  });

  it('a CSV whose rows are all bad still writes the report and failures, and starts no worker', async () => {
    const folder = csvFolder('company,tier\n,silver\nX,bogus\n');
    const s = await batch(folder.csv, folder.out, { workerModule: supportModule('fatal-batch-worker.mjs') });
    expect(s.succeeded).toBe(0);
    expect(s.failures.map((f) => f.line)).toEqual([2, 3]);
    expect(listFilesDeep(folder.out)).toEqual(['lockup-batch-failures.csv', 'lockup-batch-report.json', 'lockup-batch-state.jsonl']);
  });
});

describe('misbehaving workers', () => {
  it('watchdog: a row that hangs its worker fails with image-decode-timeout; the other rows still succeed', async () => {
    const rows = ['company,phone,logo', 'HANG Forever Ltd,555 0001,logos/partner-logo-00.png', 'Steady One,555 0002,logos/partner-logo-00.png', 'Steady Two,555 0003,logos/partner-logo-01.png', 'Steady Three,555 0004,logos/partner-logo-01.png'];
    const folder = csvFolder(rows.join('\n') + '\n', [benchLogo(0), benchLogo(1)]);
    const t0 = performance.now();
    const s = await batch(folder.csv, folder.out, { workers: 1, rowTimeoutMs: 4000, workerModule: supportModule('misbehaving-batch-worker.mjs') });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(4000);
    expect(s.failures).toEqual([{ line: 2, id: 'hang-forever-ltd', code: 'image-decode-timeout', message: expect.stringMatching(/no progress for 4 s/) }]);
    expect(s.succeeded).toBe(3);
    expect(pdfsIn(folder.out)).toEqual(['steady-one.pdf', 'steady-three.pdf', 'steady-two.pdf']);
    for (const f of pdfsIn(folder.out)) expect(qpdfCheck(path.join(folder.out, f)).status).toBe(0);
    expect(ledgerFor(s.batchId)).toHaveLength(3);
  });

  it('a worker that crashes on a row: that row fails as internal, the rows before and after succeed', async () => {
    const rows = ['company,phone,logo', 'Before Co,555 0001,logos/partner-logo-00.png', 'CRASH Co,555 0002,logos/partner-logo-00.png', 'After Co,555 0003,logos/partner-logo-00.png'];
    const folder = csvFolder(rows.join('\n') + '\n', [benchLogo(0)]);
    const s = await batch(folder.csv, folder.out, { workers: 1, rowTimeoutMs: 20_000, workerModule: supportModule('misbehaving-batch-worker.mjs') });
    expect(s.failures).toEqual([{ line: 3, id: 'crash-co', code: 'internal', message: expect.stringMatching(/export worker failed on this row: test worker crashed on purpose/) }]);
    expect(pdfsIn(folder.out)).toEqual(['after-co.pdf', 'before-co.pdf']);
    expect(ledgerFor(s.batchId).map((r) => r.company).sort()).toEqual(['After Co', 'Before Co']);
  });

  it('a worker that exits on a row: that row fails as internal with the exit code; the batch completes', async () => {
    const rows = ['company', 'One', 'CRASH Two', 'Three', 'Four'];
    const folder = csvFolder(rows.join('\n') + '\n');
    const s = await batch(folder.csv, folder.out, { workers: 1, workerModule: supportModule('fake-batch-worker.mjs') });
    expect(s.failures).toEqual([{ line: 3, id: 'crash-two', code: 'internal', message: expect.stringMatching(/exit code 9/) }]);
    expect(s.succeeded).toBe(3);
    expect(ledgerFor(s.batchId)).toHaveLength(3);
  });

  it('a worker that cannot start (fatal) stops the batch with its error; nothing is recorded', async () => {
    const folder = csvFolder('company\nOne\nTwo\n');
    const before = catalogue.listExports(100_000).length;
    await expect(batch(folder.csv, folder.out, { workerModule: supportModule('fatal-batch-worker.mjs') })).rejects.toMatchObject({ code: 'font-invalid' });
    expect(catalogue.listExports(100_000).length).toBe(before);
  });

  it('workers that keep dying stop the batch as internal instead of respawning forever', async () => {
    const rows = ['company', ...Array.from({ length: 12 }, (_, i) => `CRASH ${i}`)];
    const folder = csvFolder(rows.join('\n') + '\n');
    await expect(batch(folder.csv, folder.out, { workers: 1, workerModule: supportModule('fake-batch-worker.mjs') })).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/keep failing/),
    });
  });

  // BUG: backend/services/batch.ts keeps up to 63 successful rows in memory and
  // only writes them to the ledger after the worker pool settles; when the pool
  // rejects (workers keep failing), runBatch throws before flushLedger(), so
  // PDFs already written to --out-dir have no ledger rows.
  it('when a batch is stopped, the files it already wrote are in the ledger', async () => {
    const rows = ['company', 'Delivered One', 'Delivered Two', ...Array.from({ length: 8 }, (_, i) => `CRASH ${i}`)];
    const folder = csvFolder(rows.join('\n') + '\n');
    const before = catalogue.listExports(100_000).length;
    await expect(batch(folder.csv, folder.out, { workers: 1, workerModule: supportModule('fake-batch-worker.mjs') })).rejects.toMatchObject({ code: 'internal' });
    expect(pdfsIn(folder.out)).toEqual(['delivered-one.pdf', 'delivered-two.pdf']);
    expect(catalogue.listExports(100_000).length).toBe(before + 2);
  });
});

describe('more rows than one ledger flush, over two workers', () => {
  it('every success is recorded once (fake worker, 150 rows)', async () => {
    const rows = ['company,logo', ...Array.from({ length: 150 }, (_, i) => `Company ${i},logos/partner-logo-0${i % 4}.png`)];
    const folder = csvFolder(rows.join('\n') + '\n', [benchLogo(0), benchLogo(1), benchLogo(2), benchLogo(3)]);
    const s = await batch(folder.csv, folder.out, { workers: 2, workerModule: supportModule('fake-batch-worker.mjs') });
    expect(s.succeeded).toBe(150);
    expect(s.failed).toBe(0);
    const ledger = ledgerFor(s.batchId);
    expect(ledger).toHaveLength(150);
    expect(new Set(ledger.map((r) => r.outputPath)).size).toBe(150);
    expect(pdfsIn(folder.out)).toHaveLength(150);
  });
});
