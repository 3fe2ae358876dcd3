// The built `lockup` binary, spawned: batch (and its ledger rows).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyInto } from '../test/support/catalogue.ts';
import { assertBuilt, runCli } from '../test/support/cli.ts';
import { pdfFonts, pdfText, qpdfCheck } from '../test/support/pdf.ts';
import { benchLogo, imageFixture, ROOT } from '../test/support/paths.ts';
import { listFilesDeep, tempDir } from '../test/support/temp.ts';

interface Summary {
  ok: boolean;
  batchId: string;
  shard: string;
  rowsInFile: number;
  rowsInShard: number;
  succeeded: number;
  failed: number;
  failures: { line: number; id: string | null; code: string; message: string }[];
  report: string;
  failuresCsv?: string;
  outDir: string;
}

let dataDir: string;
beforeAll(() => {
  assertBuilt();
  dataDir = tempDir('lockup-cli-data-');
});
const cli = (args: string[]) => runCli(args, { dataDir });

const GOOD = ['Harbor IT,(206) 555-0142,silver,logos/partner-logo-00.png', 'Acme Backup Co,(555) 010-0000,gold,logos/partner-logo-01.png'];
const JAPANESE = '株式会社青空,+81 3 5550 0123,gold,logos/partner-logo-02.png';
const TRUNCATED_LOGO = 'Broken Logo AS,+47 555,silver,logos/truncated.png';

function csvFolder(rows: string[], header = 'company,phone,tier,logo'): { csv: string; out: string } {
  const dir = tempDir('lockup-cli-batch-');
  copyInto(path.join(dir, 'logos'), [benchLogo(0), benchLogo(1), benchLogo(2), imageFixture('truncated.png')]);
  const csv = path.join(dir, 'partners.csv');
  fs.writeFileSync(csv, [header, ...rows].join('\r\n') + '\r\n');
  return { csv, out: path.join(dir, 'out') };
}

const batch = (csv: string, out: string, ...extra: string[]) => cli(['batch', '--template', 'product-one-pager-letter', '--csv', csv, '--out-dir', out, ...extra]);

describe('batch', () => {
  it('every row exported: exit 0, --json summary with the counts, sound PDFs, ledger rows under the batch id', async () => {
    const { csv, out } = csvFolder(GOOD);
    const r = await batch(csv, out, '--json');
    expect(r.code).toBe(0);
    const s = r.json() as unknown as Summary;
    expect(s).toMatchObject({ ok: true, shard: '1/1', rowsInFile: 2, rowsInShard: 2, succeeded: 2, failed: 0, failures: [], outDir: out });
    expect(s.failuresCsv).toBeUndefined();
    expect(listFilesDeep(out)).toEqual(['acme-backup-co.pdf', 'harbor-it.pdf', 'lockup-batch-report.json', 'lockup-batch-state.jsonl']);
    for (const f of ['acme-backup-co.pdf', 'harbor-it.pdf']) {
      const file = path.join(out, f);
      expect(qpdfCheck(file)).toMatchObject({ status: 0, stderr: '' });
      for (const font of pdfFonts(file)) expect(font.embedded).toBe(true);
    }
    expect(pdfText(path.join(out, 'harbor-it.pdf'))).toContain('Harbor IT');
    const { ok: _ok, ...summary } = s;
    expect(JSON.parse(fs.readFileSync(s.report, 'utf8'))).toEqual(summary);

    const ledger = (await cli(['ledger', '--json'])).json()['exports'] as { tool: string; batchId: string; outputPath: string }[];
    const mine = ledger.filter((row) => row.batchId === s.batchId);
    expect(mine).toHaveLength(2);
    expect(mine.every((row) => row.tool === 'batch' && path.dirname(row.outputPath) === out)).toBe(true);
  });

  it('only compliance failures: exit 3', async () => {
    const { csv, out } = csvFolder([...GOOD, JAPANESE]);
    const r = await batch(csv, out, '--json');
    expect(r.code).toBe(3);
    const s = r.json() as unknown as Summary;
    expect(s).toMatchObject({ ok: false, succeeded: 2, failed: 1 });
    expect(s.failures).toEqual([{ line: 4, id: 'row-4', code: 'compliance-errors', message: expect.stringContaining('株 (U+682A)') }]);
    expect(fs.existsSync(path.join(out, 'lockup-batch-failures.csv'))).toBe(true);
  });

  it('any bad-input row: exit 4, with the line and reason in the text output', async () => {
    const { csv, out } = csvFolder([...GOOD, JAPANESE, TRUNCATED_LOGO, ',555,silver,']);
    const r = await batch(csv, out);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^Exported 2 of 5 rows to .* in \d+\.\d\d s/);
    expect(r.stdout).toContain('3 rows failed:');
    expect(r.stdout).toMatch(/line 4 \(row-4\): compliance-errors: /);
    expect(r.stdout).toMatch(/line 5 \(broken-logo-as\): image-truncated: Logo "truncated\.png"/);
    expect(r.stdout).toMatch(/line 6: profile-invalid: the company name is empty/);
    expect(r.stdout).toContain(`Failures are listed in ${path.join(out, 'lockup-batch-failures.csv')}.`);
    expect(r.stdout).toContain(`Report: ${path.join(out, 'lockup-batch-report.json')}`);
    expect(listFilesDeep(out).filter((f) => f.endsWith('.pdf'))).toEqual(['acme-backup-co.pdf', 'harbor-it.pdf']);
  });

  it('--shard 2/2 exports every second row and names its report after the shard', async () => {
    const { csv, out } = csvFolder(GOOD);
    const r = await batch(csv, out, '--shard', '2/2', '--json');
    expect(r.code).toBe(0);
    const s = r.json() as unknown as Summary;
    expect(s).toMatchObject({ shard: '2/2', rowsInFile: 2, rowsInShard: 1, succeeded: 1 });
    expect(listFilesDeep(out)).toEqual(['acme-backup-co.pdf', 'lockup-batch-report-2-of-2.json', 'lockup-batch-state-2-of-2.jsonl']);
  });

  it('a header without company/name: exit 4 (csv-invalid), nothing written', async () => {
    const { csv, out } = csvFolder(['x,555,silver,'], 'id,phone,tier,logo');
    const r = await batch(csv, out, '--json');
    expect(r.code).toBe(4);
    const e = r.json()['error'] as { code: string; message: string };
    expect(e.code).toBe('csv-invalid');
    expect(e.message).toMatch(/"company" \(or "name"\)/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('the example CSV from the README: 3 PDFs, 2 rows refused, exit 4', async () => {
    const out = path.join(tempDir(), 'out');
    const r = await batch(path.join(ROOT, 'examples', 'batch', 'partners.csv'), out, '--json');
    expect(r.code).toBe(4);
    const s = r.json() as unknown as Summary;
    expect(s.succeeded).toBe(3);
    expect(s.failures.map((f) => [f.id, f.code])).toEqual([
      ['tokyo', 'compliance-errors'],
      ['broken-logo', 'image-truncated'],
    ]);
    expect(listFilesDeep(out).filter((f) => f.endsWith('.pdf'))).toEqual(['al-noor.pdf', 'harbor-it.pdf', 'summit-msp.pdf']);
    expect(pdfText(path.join(out, 'al-noor.pdf'))).toContain('شركة النور لتقنية المعلومات');
  });
});
