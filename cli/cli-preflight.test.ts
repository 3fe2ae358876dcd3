// The built `lockup` binary, spawned: preflight and print export.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../test/support/cli.ts';
import { pdfInfo, qpdfCheck } from '../test/support/pdf.ts';
import { partnerFile } from '../test/support/paths.ts';
import { tempDir } from '../test/support/temp.ts';

const HARBOR = partnerFile('harbor-it');

let dataDir: string;
beforeAll(() => {
  assertBuilt();
  dataDir = tempDir('lockup-cli-data-');
});
const cli = (args: string[]) => runCli(args, { dataDir });

describe('lockup preflight', () => {
  it('prints the boxes, the output intent and the findings; exit 0 with warnings only', async () => {
    const r = await cli(['preflight', '--template', 'email-banner', '--partner', HARBOR]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('trim 211.7 × 70.6 mm');
    expect(r.stdout).toContain('output intent "Custom": Artifex CMYK SWOP Profile');
    expect(r.stdout).toMatch(/warning\s+print-bleed-missing\s+\[background\]/);
    expect(r.stdout).toMatch(/0 errors, \d+ warnings/);
  });

  it('--json: one object with compliance and preflight; exit 3 when the print profile has errors', async () => {
    const r = await cli(['preflight', '--template', 'social-post', '--partner', HARBOR, '--json']);
    expect(r.code).toBe(3);
    const j = r.json() as { ok: boolean; compliant: boolean; output: string; findings: { code: string }[]; preflight: { ok: boolean; findings: { code: string }[]; boxes: { trim: number[] } }; outputIntent: { identifier: string } };
    expect(j).toMatchObject({ ok: false, compliant: false, output: 'print', outputIntent: { identifier: 'Custom' } });
    expect(j.findings.map((f) => f.code)).toContain('image-resolution-low');
    expect(j.preflight.boxes.trim.slice(2)).toEqual([1200, 628]);
    expect(j.preflight.findings.map((f) => f.code)).toContain('print-image-rgb');
  });

  it('usage errors exit 2', async () => {
    const r = await cli(['preflight', '--template', 'email-banner']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--partner is required');
  });

  it('export --print writes the print boxes', async () => {
    const out = path.join(tempDir(), 'letter-print.pdf');
    const r = await cli(['export', '--template', 'product-one-pager-letter', '--partner', HARBOR, '--print', '--out', out]);
    expect(r.code).toBe(0);
    expect(qpdfCheck(out).stderr).toBe('');
    const info = pdfInfo(out);
    expect(info['TrimBox']).toBe('31.68    31.68   643.68   823.68');
    expect(info['BleedBox']).toBe('22.68    22.68   652.68   832.68');
    expect(info['MediaBox']).toBe('0.00     0.00   675.35   855.35');
  });
});
