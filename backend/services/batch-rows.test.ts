import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../core/csv.ts';
import type { Brand, Template } from '../../core/model/index.ts';
import { DEMO_CONTENT } from '../../test/support/paths.ts';
import { readContentFolder } from '../content/bundle.ts';
import { autoWorkers, partitionByLogo, ROWS_PER_WORKER } from './batch.ts';
import { parseShard, rowsToJobs, type RowJob } from './batch-rows.ts';
import { thrown as caught } from '../../test/support/errors.ts';

let brand: Brand;
let letter: Template;
let offer: Template;
beforeAll(() => {
  const bundle = readContentFolder(DEMO_CONTENT);
  brand = bundle.brand;
  letter = bundle.templates.find((t) => t.id === 'product-one-pager-letter')!;
  offer = bundle.templates.find((t) => t.id === 'bundled-offer-sheet')!;
});

const CSV_DIR = '/data/partners';
const jobsOf = (csv: string, template = letter, shard = { k: 1, n: 1 }) => rowsToJobs(parseCsv(csv), template, brand, CSV_DIR, shard);

describe('parseShard', () => {
  it.each([
    ['1/1', { k: 1, n: 1 }],
    ['2/8', { k: 2, n: 8 }],
    ['8/8', { k: 8, n: 8 }],
    [' 3/4 ', { k: 3, n: 4 }],
  ])('"%s"', (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each(['0/3', '4/3', '1/0', '0/0', '-1/3', '1/-3', 'a/b', '1-3', '1/3/5', '', '/3', '1/', '1.5/3', '2 / 3'])('refuses "%s" as a usage error quoting the input', (text) => {
    const err = caught(() => parseShard(text));
    expect(err.code).toBe('usage');
    expect(err.message).toContain(`"${text}"`);
    expect(err.message).toMatch(/K\/N/);
  });
});

describe('rowsToJobs', () => {
  it('maps columns to the profile, template fields and logo path; line numbers count the header as line 1', () => {
    const { jobs, problems, ignoredColumns, total } = jobsOf(
      [
        'ID,Company,Phone,EMAIL,url,address,logo,tier,type,region,distributor,notes',
        'acme-1,Acme Ltd,555 0100,a@acme.example.com,acme.example.com,"1 Main St\nSpringfield",logos/acme.png,Gold,MSP,NA,Ingram,first',
        ',Béta Systèmes,,,,,/abs/beta.png,,,,,',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(total).toBe(2);
    expect(ignoredColumns).toEqual(['notes']);
    expect(jobs).toEqual([
      {
        line: 2,
        id: 'acme-1',
        profile: {
          id: 'acme-1',
          company: 'Acme Ltd',
          contact: { phone: '555 0100', email: 'a@acme.example.com', url: 'acme.example.com', address: '1 Main St\nSpringfield' },
          tier: 'gold',
          type: 'msp',
          region: 'na',
          distributor: 'Ingram',
        },
        logo: path.resolve(CSV_DIR, 'logos/acme.png'),
        fields: {},
        outName: 'acme-1.pdf',
      },
      // The quoted address spans two lines, so the next row starts on line 4.
      { line: 4, id: 'beta-systemes', profile: { id: 'beta-systemes', company: 'Béta Systèmes', contact: {} }, logo: '/abs/beta.png', fields: {}, outName: 'beta-systemes.pdf' },
    ]);
  });

  it('a "name" column works in place of "company"; template field columns become fields (case-insensitively)', () => {
    const { jobs, ignoredColumns } = jobsOf('name,BUNDLEPRICE,bundleTerms,colour\nAcme,$10,Monthly,blue\n', offer);
    expect(ignoredColumns).toEqual(['colour']);
    expect(jobs[0]!.profile.company).toBe('Acme');
    expect(jobs[0]!.fields).toEqual({ bundlePrice: '$10', bundleTerms: 'Monthly' });
  });

  it('reports bad rows with their line and a specific reason and keeps the good ones', () => {
    const { jobs, problems } = jobsOf(
      [
        'id,company,tier,type,region',
        'ok-1,Good One,silver,reseller,emea',
        'short,Too Few',
        'blank,,silver,,',
        'plat,Platinum Co,platinum,,',
        'typ,Type Co,,distributor-ish,',
        'reg,Region Co,,,antarctica',
        'long,Too,Many,Cells,Here,Extra',
        'ok-2,Good Two,,,',
      ].join('\r\n'),
    );
    expect(jobs.map((j) => [j.line, j.id])).toEqual([
      [2, 'ok-1'],
      [9, 'ok-2'],
    ]);
    expect(problems).toEqual([
      { line: 3, id: 'short', code: 'csv-invalid', message: 'row has 2 values but the header has 5 columns' },
      { line: 4, id: 'blank', code: 'profile-invalid', message: 'the company name is empty' },
      { line: 5, id: 'plat', code: 'profile-invalid', message: 'tier "platinum" is not one of registered, silver, gold' },
      { line: 6, id: 'typ', code: 'profile-invalid', message: expect.stringMatching(/^partner type "distributor-ish" is not one of reseller, msp, referral$/) },
      { line: 7, id: 'reg', code: 'profile-invalid', message: expect.stringMatching(/^region "antarctica" is not one of na, emea, apac, latam$/) },
      { line: 8, id: 'long', code: 'csv-invalid', message: 'row has 6 values but the header has 5 columns' },
    ]);
  });

  it('a row without an id column value reports id undefined; ids are slugs; duplicates get the line in the file name', () => {
    const { jobs, problems } = jobsOf(['company,tier', 'Acme,', 'ACME,', 'شركة,', '-Dash Co,', ',', '.hidden,'].join('\n'));
    expect(problems).toEqual([{ line: 6, id: undefined, code: 'profile-invalid', message: 'the company name is empty' }]);
    expect(jobs.map((j) => [j.id, j.outName])).toEqual([
      ['acme', 'acme.pdf'],
      ['acme', 'acme-row3.pdf'],
      ['row-4', 'row-4.pdf'],
      ['dash-co', 'dash-co.pdf'],
      ['hidden', 'hidden.pdf'],
    ]);
    for (const j of jobs) expect(j.outName).toMatch(/^[a-z0-9][a-z0-9._-]*\.pdf$/);
  });

  it('file names cannot escape the output folder', () => {
    const { jobs } = jobsOf(['id,company', '../../etc/passwd,Evil', '..,Dots', '/abs/path,Abs', 'a\\b,Back'].join('\n'));
    for (const j of jobs) {
      expect(j.outName).not.toContain('/');
      expect(j.outName).not.toContain('\\');
      expect(j.outName.startsWith('.')).toBe(false);
    }
  });

  it.each([
    ['no company or name column', 'id,phone\nx,1\n', /needs a "company" \(or "name"\) column; it has: id, phone/],
    ['a duplicate column', 'company,Company\nA,B\n', /names the column "Company" twice/],
    ['an empty header cell', 'company,,phone\nA,,1\n', /column 2 is empty/],
  ])('a header with %s fails the whole file (csv-invalid)', (_label, csv, message) => {
    const err = caught(() => jobsOf(csv));
    expect(err.code).toBe('csv-invalid');
    expect(err.message).toMatch(message);
  });

  it('shard K/N takes every N-th row starting at row K (data rows, not lines)', () => {
    const csv = ['company', ...Array.from({ length: 10 }, (_, i) => `Co ${i + 1}`)].join('\n');
    const lines = (k: number, n: number) => jobsOf(csv, letter, { k, n }).jobs.map((j) => j.line);
    expect(lines(1, 3)).toEqual([2, 5, 8, 11]);
    expect(lines(2, 3)).toEqual([3, 6, 9]);
    expect(lines(3, 3)).toEqual([4, 7, 10]);
    expect(lines(1, 1)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(lines(10, 10)).toEqual([11]);
    expect(lines(11, 11)).toEqual([]); // more shards than rows: an empty shard
    expect(jobsOf(csv, letter, { k: 2, n: 3 }).total).toBe(10);
  });

  it('problems are reported only by the shard that owns the row', () => {
    const csv = ['company,tier', 'A,', ',', 'C,bogus', 'D,'].join('\n');
    const s1 = jobsOf(csv, letter, { k: 1, n: 2 });
    const s2 = jobsOf(csv, letter, { k: 2, n: 2 });
    expect(s1.problems.map((p) => p.line)).toEqual([4]);
    expect(s2.problems.map((p) => p.line)).toEqual([3]);
    expect([...s1.jobs, ...s2.jobs].map((j) => j.line).sort()).toEqual([2, 5]);
  });

  it('the shards of a file with unique names together give exactly the unsharded jobs', () => {
    const csv = ['company,phone', ...Array.from({ length: 13 }, (_, i) => `Partner ${i},555 ${i}`)].join('\n');
    const all = jobsOf(csv).jobs;
    const parts = [1, 2, 3].flatMap((k) => jobsOf(csv, letter, { k, n: 3 }).jobs);
    expect(parts.sort((a, b) => a.line - b.line)).toEqual(all);
  });

  // BUG: rowsToJobs de-duplicates output names only among the rows of its own
  // shard (usedNames is per call), so two rows with the same company in
  // different shards both become "acme.pdf": run with the same --out-dir, the
  // second shard overwrites the first one's file; unsharded they are acme.pdf
  // and acme-row3.pdf.
  it('the shards of a file with duplicate names give the same file names as the unsharded run (no collisions)', () => {
    const csv = ['company', 'Acme', 'Acme', 'Beta', 'Beta'].join('\n');
    const all = jobsOf(csv).jobs.map((j) => j.outName).sort();
    const parts = [1, 2].flatMap((k) => jobsOf(csv, letter, { k, n: 2 }).jobs.map((j) => j.outName)).sort();
    expect(new Set(parts).size).toBe(parts.length);
    expect(parts).toEqual(all);
  });
});

describe('partitionByLogo', () => {
  const job = (line: number, logo: string | undefined): RowJob => ({ line, id: `r${line}`, profile: { id: `r${line}`, company: `R${line}` }, logo, fields: {}, outName: `r${line}.pdf` });

  it('keeps rows with the same logo on one worker and balances the row counts', () => {
    // 3 logos × 4 rows, interleaved, plus 3 rows without a logo, over 3 workers.
    const jobs = [...Array.from({ length: 12 }, (_, i) => job(i + 2, `/l/${i % 3}.png`)), job(14, undefined), job(15, undefined), job(16, undefined)];
    const queues = partitionByLogo(jobs, 3);
    expect(queues).toHaveLength(3);
    expect(queues.map((q) => q.length).sort()).toEqual([5, 5, 5]);
    for (let l = 0; l < 3; l++) expect(queues.filter((q) => q.some((j) => j.logo === `/l/${l}.png`))).toHaveLength(1);
    for (const q of queues) expect(q.map((j) => j.line)).toEqual([...q.map((j) => j.line)].sort((a, b) => a - b));
  });

  it('one worker gets everything in CSV order; more workers than rows leave some empty', () => {
    const jobs = [job(4, '/a.png'), job(2, '/b.png'), job(3, '/a.png')];
    expect(partitionByLogo(jobs, 1)).toEqual([[job(2, '/b.png'), job(3, '/a.png'), job(4, '/a.png')]]);
    const many = partitionByLogo(jobs, 4);
    expect(many.flat()).toHaveLength(3);
    expect(many.filter((q) => q.length === 0)).toHaveLength(2);
  });

  it('property: every row exactly once, logos never split, queues sorted, counts within one group of each other', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }), { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (logos, workers) => {
        const jobs = logos.map((l, i) => job(i + 2, l === undefined ? undefined : `/logo-${l}.png`));
        const queues = partitionByLogo(jobs, workers);
        expect(queues).toHaveLength(workers);
        expect(queues.flat().map((j) => j.line).sort((a, b) => a - b)).toEqual(jobs.map((j) => j.line));
        for (const q of queues) for (let i = 1; i < q.length; i++) expect(q[i]!.line).toBeGreaterThan(q[i - 1]!.line);
        const owner = new Map<string, number>();
        queues.forEach((q, w) =>
          q.forEach((j) => {
            if (!j.logo) return;
            expect(owner.get(j.logo) ?? w).toBe(w);
            owner.set(j.logo, w);
          }),
        );
        const sizes = new Map<string, number>();
        for (const j of jobs) if (j.logo) sizes.set(j.logo, (sizes.get(j.logo) ?? 0) + 1);
        const biggest = Math.max(1, ...sizes.values());
        const counts = queues.map((q) => q.length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(biggest);
      }),
      { numRuns: 200 },
    );
  });
});

describe('autoWorkers', () => {
  it('one worker per ROWS_PER_WORKER rows, at least one, at most one less than the cores (the main thread writes)', () => {
    expect(autoWorkers(0, 8)).toBe(1);
    expect(autoWorkers(ROWS_PER_WORKER - 1, 8)).toBe(1);
    expect(autoWorkers(ROWS_PER_WORKER * 2, 8)).toBe(2);
    expect(autoWorkers(ROWS_PER_WORKER * 100, 8)).toBe(7);
    expect(autoWorkers(ROWS_PER_WORKER * 100, 2)).toBe(1);
    expect(autoWorkers(ROWS_PER_WORKER * 100, 1)).toBe(1);
  });
});
