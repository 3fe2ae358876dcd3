// The built `lockup` binary, killed mid-batch with SIGKILL and run again (issue #5: resume).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readState } from '../backend/services/batch-state.ts';
import { copyInto } from '../test/support/catalogue.ts';
import { assertBuilt, BIN, runCli, sandboxHome } from '../test/support/cli.ts';
import { qpdfCheck } from '../test/support/pdf.ts';
import { benchLogo } from '../test/support/paths.ts';
import { listFilesDeep, tempDir, tempLeftovers } from '../test/support/temp.ts';

const ROWS = 300;
let dataDir: string;
beforeAll(() => {
  assertBuilt();
  dataDir = tempDir('lockup-cli-data-');
});

function csvFolder(): { csv: string; out: string } {
  const dir = tempDir('lockup-cli-kill-');
  copyInto(path.join(dir, 'logos'), Array.from({ length: 6 }, (_, i) => benchLogo(i)));
  const rows = Array.from({ length: ROWS }, (_, i) => `Kill Test Partner ${String(i).padStart(3, '0')},+1 555 ${String(1000 + i)},silver,logos/partner-logo-0${i % 6}.png`);
  const csv = path.join(dir, 'partners.csv');
  fs.writeFileSync(csv, ['company,phone,tier,logo', ...rows].join('\n') + '\n');
  return { csv, out: path.join(dir, 'out') };
}

const pdfsIn = (dir: string) => listFilesDeep(dir).filter((f) => f.endsWith('.pdf'));
const identity = (file: string) => {
  const st = fs.statSync(file);
  return `${st.ino}:${st.mtimeMs}`;
};

describe('SIGKILL during a batch, then the same command again', () => {
  it('leaves only complete PDFs and a state that resumes: every row once, finished files not rewritten', async () => {
    const { csv, out } = csvFolder();
    const args = ['batch', '--template', 'product-one-pager-letter', '--csv', csv, '--out-dir', out, '--data-dir', dataDir, '--json'];
    const home = sandboxHome();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), LOCKUP_DATA_DIR: '' } });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill once a fair number of files exist (well before the end).
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (!fs.existsSync(out) || pdfsIn(out).length < 40)) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const written = pdfsIn(out);
    expect(written.length).toBeGreaterThanOrEqual(40);
    expect(written.length).toBeLessThan(ROWS);
    expect(fs.existsSync(path.join(out, 'lockup-batch-report.json'))).toBe(false);
    // Only complete PDFs under their real names; an interrupted write can only be a hidden temporary file.
    for (const f of written) expect(qpdfCheck(path.join(out, f)), f).toMatchObject({ status: 0, stderr: '' });
    expect(listFilesDeep(out).filter((f) => !f.endsWith('.pdf') && !/^\..*\.tmp$/.test(f))).toEqual(['lockup-batch-state.jsonl']);

    const state = readState(path.join(out, 'lockup-batch-state.jsonl'))!;
    expect(state.finished).toBe(false);
    expect(state.done.size).toBeGreaterThan(0);
    const journalled = [...state.done.values()].map((d) => d.outName);
    const before = new Map(journalled.map((f) => [f, identity(path.join(out, f))]));

    const r = await runCli(args.slice(0, -3).concat('--json'), { dataDir, timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const s = r.json() as { batchId: string; succeeded: number; resumed: number; failed: number; cancelled: boolean };
    expect(s).toMatchObject({ batchId: state.header.batchId, succeeded: ROWS, resumed: journalled.length, failed: 0, cancelled: false });
    for (const [f, id] of before) expect(identity(path.join(out, f)), `${f} was rewritten`).toBe(id);
    expect(pdfsIn(out)).toHaveLength(ROWS);
    expect(tempLeftovers(out)).toEqual([]);

    const ledger = (await runCli(['ledger', '--limit', '100000', '--json'], { dataDir })).json()['exports'] as { batchId: string; outputPath: string }[];
    const mine = ledger.filter((row) => row.batchId === s.batchId);
    expect(mine).toHaveLength(ROWS);
    expect(new Set(mine.map((row) => row.outputPath)).size).toBe(ROWS);

    // The text output says it resumed.
    const again = await runCli(args.slice(0, -3), { dataDir, timeoutMs: 60_000 });
    expect(again.stdout).toMatch(/^Resumed the batch in .*: 300 files already done were kept/);
  }, 180_000);

  it('a changed CSV is refused with batch-state-mismatch (exit 4) until --restart', async () => {
    const { csv, out } = csvFolder();
    fs.writeFileSync(csv, 'company,phone,logo\nOne Co,555,logos/partner-logo-00.png\nTwo Co,556,logos/partner-logo-01.png\n');
    const args = ['batch', '--template', 'product-one-pager-letter', '--csv', csv, '--out-dir', out, '--json'];
    expect((await runCli(args, { dataDir })).code).toBe(0);
    fs.appendFileSync(csv, 'Three Co,557,logos/partner-logo-02.png\n');
    const r = await runCli(args, { dataDir });
    expect(r.code).toBe(4);
    expect(r.json()['error']).toMatchObject({ code: 'batch-state-mismatch', message: expect.stringContaining('--restart') });
    const fresh = await runCli([...args, '--restart'], { dataDir });
    expect(fresh.code).toBe(0);
    expect(fresh.json()).toMatchObject({ succeeded: 3, resumed: 0 });
  }, 60_000);

  it('--partners catalogue with --csv is a usage error', async () => {
    const r = await runCli(['batch', '--template', 'product-one-pager-letter', '--partners', 'catalogue', '--csv', 'x.csv', '--out-dir', tempDir(), '--json'], { dataDir });
    expect(r.code).toBe(2);
  });
});
