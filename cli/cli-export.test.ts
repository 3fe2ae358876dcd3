// The built `lockup` binary, spawned: check, export and ledger.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../test/support/cli.ts';
import { pdfFonts, pdfText, qpdfCheck } from '../test/support/pdf.ts';
import { partnerFile } from '../test/support/paths.ts';
import { listFilesDeep, tempDir } from '../test/support/temp.ts';

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const HARBOR = partnerFile('harbor-it');
const LOWRES = partnerFile('lowres-logo');
const LETTER = ['--template', 'product-one-pager-letter'];

let dataDir: string;
beforeAll(() => {
  assertBuilt();
  dataDir = tempDir('lockup-cli-data-');
});
const cli = (args: string[]) => runCli(args, { dataDir });

interface JsonFinding {
  code: string;
  severity: string;
  zoneId: string | null;
  message: string;
  measured: number | string | null;
  required: number | string | null;
  unit?: string;
}

describe('check', () => {
  it('harbor-it on product-one-pager-letter: exit 0, compliant', async () => {
    const r = await cli(['check', ...LETTER, '--partner', HARBOR]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('NimbusVault product one-pager (US Letter) (product-one-pager-letter@1) for Harbor IT:');
    expect(r.stdout).toContain('No findings: compliant.');
    const j = (await cli(['check', ...LETTER, '--partner', HARBOR, '--json'])).json();
    expect(j).toEqual({ ok: true, compliant: true, template: { id: 'product-one-pager-letter', version: 1 }, partner: 'harbor-it', output: 'screen', findings: [] });
  });

  it('lowres-logo: exit 3, a finding with measured < required in ppi; --json has the documented shape', async () => {
    const r = await cli(['check', ...LETTER, '--partner', LOWRES, '--json']);
    expect(r.code).toBe(3);
    const j = r.json();
    expect(j).toMatchObject({ ok: false, compliant: false, partner: 'bytewise', output: 'screen' });
    const findings = j['findings'] as JsonFinding[];
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(Object.keys(f).sort()).toEqual(expect.arrayContaining(['code', 'message', 'measured', 'required', 'severity', 'zoneId']));
      expect(['error', 'warning']).toContain(f.severity);
    }
    const low = findings.find((f) => f.code === 'image-resolution-low')!;
    expect(low).toMatchObject({ severity: 'error', zoneId: 'partner-logo', unit: 'ppi', required: 96 });
    expect(typeof low.measured).toBe('number');
    expect(low.measured as number).toBeLessThan(low.required as number);
    expect(low.message).toMatch(/48 × 16 px/);
  });

  it('lowres-logo in text: the finding line with measured and required, and the verdict', async () => {
    const r = await cli(['check', ...LETTER, '--partner', LOWRES]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/error\s+image-resolution-low\s+\[partner-logo\] .*\(measured \d+ ppi, required ≥ 96 ppi\)/);
    expect(r.stdout).toContain('1 error, 0 warnings: export refused until the errors are fixed.');
  });

  it('--print raises the resolution requirement to 300 ppi', async () => {
    const j = (await cli(['check', ...LETTER, '--partner', LOWRES, '--print', '--json'])).json();
    expect(j['output']).toBe('print');
    expect((j['findings'] as JsonFinding[]).find((f) => f.code === 'image-resolution-low')).toMatchObject({ required: 300, unit: 'ppi' });
  });

  it('a Gold-only template for a Silver partner: exit 3 with access-denied', async () => {
    const r = await cli(['check', '--template', 'case-study-gold', '--partner', HARBOR, '--json']);
    expect(r.code).toBe(3);
    expect(r.json()['findings']).toEqual([expect.objectContaining({ code: 'access-denied', severity: 'error', required: 'Gold partners only' })]);
  });

  it('tokyo: exit 3 with missing glyphs; --field values are checked too', async () => {
    const r = await cli(['check', ...LETTER, '--partner', partnerFile('tokyo'), '--json']);
    expect(r.code).toBe(3);
    expect((r.json()['findings'] as JsonFinding[]).map((f) => f.code)).toContain('missing-glyphs');
    const fixed = await cli(['check', ...LETTER, '--partner', partnerFile('tokyo'), '--field', 'company=Aozora Systems KK', '--json']);
    expect(fixed.code).toBe(0);
  });
});

describe('export', () => {
  it('writes x.pdf that passes qpdf (no warnings), has every font embedded and contains "Harbor"', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'x.pdf');
    const r = await cli(['export', ...LETTER, '--partner', HARBOR, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Wrote .*x\.pdf \(\d+\.\d KB, 1 page\)\./);
    const q = qpdfCheck(out);
    expect(q.stderr).toBe('');
    expect(q.status).toBe(0);
    const fonts = pdfFonts(out);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f.embedded, f.name).toBe(true);
    expect(pdfText(out)).toContain('Harbor');
    expect(listFilesDeep(dir)).toEqual(['x.pdf']);
  });

  it('--json reports the path, size, sha256 and pages of the file', async () => {
    const out = path.join(tempDir(), 'y.pdf');
    const r = await cli(['export', ...LETTER, '--partner', HARBOR, '--out', out, '--json', '--field', 'phone=(206) 555-0100']);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j).toEqual({ ok: true, path: out, bytes: fs.statSync(out).size, sha256: sha(out), pages: 1, template: { id: 'product-one-pager-letter', version: 1 }, findings: [] });
    expect(pdfText(out)).toContain('(206) 555-0100');
  });

  it('al-noor: the Arabic company name is in the text layer', async () => {
    const out = path.join(tempDir(), 'al-noor.pdf');
    expect((await cli(['export', ...LETTER, '--partner', partnerFile('al-noor'), '--out', out])).code).toBe(0);
    expect(qpdfCheck(out).stderr).toBe('');
    expect(pdfText(out)).toContain('شركة النور لتقنية المعلومات');
  });

  it('with compliance errors: exit 3, the findings on stderr, and no file', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'refused.pdf');
    const r = await cli(['export', ...LETTER, '--partner', LOWRES, '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Export refused: 1 compliance error/);
    expect(r.stderr).toMatch(/image-resolution-low/);
    expect(fs.existsSync(out)).toBe(false);
    expect(listFilesDeep(dir)).toEqual([]);
    const j = await cli(['export', ...LETTER, '--partner', LOWRES, '--out', out, '--json']);
    expect(j.code).toBe(3);
    const e = j.json() as { ok: boolean; error: { code: string; details: { findings: JsonFinding[] } } };
    expect(e.ok).toBe(false);
    expect(e.error.code).toBe('compliance-errors');
    expect(e.error.details.findings).toEqual([expect.objectContaining({ code: 'image-resolution-low', unit: 'ppi' })]);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('into a folder that does not exist: exit 4 (output-unwritable) and nothing created', async () => {
    const root = tempDir();
    const out = path.join(root, 'missing', 'x.pdf');
    const r = await cli(['export', ...LETTER, '--partner', HARBOR, '--out', out, '--json']);
    expect(r.code).toBe(4);
    expect((r.json()['error'] as { code: string }).code).toBe('output-unwritable');
    expect(listFilesDeep(root)).toEqual([]);
  });

  it('--reproducible: two runs (two processes) give byte-identical files', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.pdf');
    const b = path.join(dir, 'b.pdf');
    expect((await cli(['export', ...LETTER, '--partner', HARBOR, '--out', a, '--reproducible'])).code).toBe(0);
    expect((await cli(['export', ...LETTER, '--partner', HARBOR, '--out', b, '--reproducible'])).code).toBe(0);
    expect(sha(a)).toBe(sha(b));
    const c = path.join(dir, 'c.pdf');
    expect((await cli(['export', ...LETTER, '--partner', HARBOR, '--out', c, '--reproducible', '--field', 'phone=(206) 555-0111'])).code).toBe(0);
    expect(sha(c)).not.toBe(sha(a));
  });
});

describe('ledger', () => {
  it('--json lists the exports, newest first, with the file sha256; refused exports are absent', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'ledger.pdf');
    expect((await cli(['export', ...LETTER, '--partner', partnerFile('summit-msp'), '--out', out])).code).toBe(0);
    const r = await cli(['ledger', '--json']);
    expect(r.code).toBe(0);
    const rows = r.json()['exports'] as { seq: number; tool: string; company: string; outputPath: string; outputSha256: string; partnerId: string; templateId: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0]).toMatchObject({ tool: 'cli', company: 'Summit Managed Services', partnerId: 'summit-msp', templateId: 'product-one-pager-letter', outputPath: out, outputSha256: sha(out) });
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.seq).toBeLessThan(rows[i - 1]!.seq);
    expect(rows.some((row) => row.outputPath.endsWith('refused.pdf'))).toBe(false);
    const limited = (await cli(['ledger', '--json', '--limit', '1'])).json()['exports'] as unknown[];
    expect(limited).toHaveLength(1);
    const text = await cli(['ledger', '--limit', '2']);
    expect(text.stdout).toContain('Summit Managed Services');
    expect(text.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('a fresh catalogue says there are no exports yet', async () => {
    const r = await runCli(['ledger'], { dataDir: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No exports yet.\n');
  });
});
