// `lockup verify`, the built binary spawned: verdicts, exit codes, --json.
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../test/support/cli.ts';
import { partnerFile } from '../test/support/paths.ts';
import { flipContentStreamByte } from '../test/support/tamper.ts';
import { tempDir } from '../test/support/temp.ts';

let dataDir: string;
let work: string;
let exported: string;
beforeAll(async () => {
  assertBuilt();
  dataDir = tempDir('lockup-cli-verify-');
  work = tempDir('lockup-cli-verify-out-');
  exported = path.join(work, 'harbor.pdf');
  const r = await runCli(['export', '--template', 'product-one-pager-letter', '--partner', partnerFile('harbor-it'), '--out', exported], { dataDir });
  expect(r.code).toBe(0);
}, 60_000);
const cli = (args: string[], dir = dataDir) => runCli(args, { dataDir: dir });

describe('verify', () => {
  it('an unchanged export: AUTHENTIC, exit 0, with the template and the partner', async () => {
    const r = await cli(['verify', exported]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('AUTHENTIC');
    expect(r.stdout).toContain('product-one-pager-letter@1');
    expect(r.stdout).toContain('Harbor IT');
    const j = (await cli(['verify', exported, '--json'])).json();
    expect(j).toMatchObject({ ok: true, verdict: 'authentic', byteIdentical: true, differences: [] });
  }, 60_000);

  it('a changed byte in a page content stream: MODIFIED naming the page, exit 3', async () => {
    const tampered = path.join(work, 'tampered.pdf');
    fs.writeFileSync(tampered, await flipContentStreamByte(fs.readFileSync(exported)));
    const r = await cli(['verify', tampered]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('MODIFIED');
    expect(r.stdout).toContain('page 1 content stream 1 differs');
    expect((await cli(['verify', tampered, '--json'])).json()).toMatchObject({ ok: false, verdict: 'modified' });
  }, 60_000);

  it('a PDF from another tool: NOT-LOCKUP, exit 4; an unknown template: exit 4; not a PDF: pdf-invalid, exit 4', async () => {
    const other = path.join(work, 'other.pdf');
    const doc = await PDFDocument.create();
    doc.addPage();
    fs.writeFileSync(other, await doc.save());
    const r = await cli(['verify', other, '--json']);
    expect(r.code).toBe(4);
    expect(r.json()).toMatchObject({ ok: false, verdict: 'not-lockup' });
    const empty = tempDir('lockup-cli-verify-empty-');
    const u = await runCli(['verify', exported, '--json'], { dataDir: empty, env: { LOCKUP_NO_DEMO: '1' } });
    expect(u.code).toBe(4);
    expect(u.json()).toMatchObject({ verdict: 'unknown-template' });
    const text = path.join(work, 'not.pdf');
    fs.writeFileSync(text, 'hello');
    const bad = await cli(['verify', text, '--json']);
    expect(bad.code).toBe(4);
    expect(bad.json()).toMatchObject({ ok: false, error: { code: 'pdf-invalid' } });
    expect((await cli(['verify'])).code).toBe(2);
  }, 60_000);
});
