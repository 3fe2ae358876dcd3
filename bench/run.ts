/**
 * The export benchmark (bench/WORKLOAD.md): single-export latency in
 * process, a 1000-row batch as a whole process, peak memory, mean size and
 * validity of every file. Prints a table and writes bench/results/latest.json.
 *
 *   npm run bench               Lockup, the I/O floor and the hand-written pdf-lib anchor (single export)
 *   npm run bench -- --quick    without the anchor
 *   npm run bench -- --scale    also a 10,000-partner batch (about a minute): wall time and peak memory
 *   npm run bench -- --insights        also the insights benchmark (bench/insights.ts, bench/INSIGHTS.md):
 *                                      100,000 partners / 10M events, dashboard queries, a 1M-event import
 *   npm run bench -- --insights-only   only the insights benchmark (--insights-small: 10,000 / 1M, a quick check)
 *
 * These machines' speed varies with the host (the same pdf-lib anchor has
 * measured 91 ms and 224 ms on different days), so the anchor is timed in
 * the same run and every figure is also shown scaled to the day WORKLOAD.md's
 * anchor table was measured (anchor p50 = 91 ms).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseCsv } from '../core/csv.ts';
import { Catalogue } from '../backend/catalogue.ts';
import { readContentFolder } from '../backend/content/bundle.ts';
import { ensureDemoCatalogue, importBundle } from '../backend/content/seed.ts';
import { ExportEngine, newDocument } from '../backend/services/engine.ts';
import { exportDocument } from '../backend/services/export.ts';
import { loadProfile } from '../core/model/index.ts';
import { naivePdfLibExport } from './anchors/naive-pdf-lib.ts';
import { FULL, runInsightsBench, SMALL } from './insights.ts';
import { runMeasured } from './measure.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'bench', 'fixtures');
const args = new Set(process.argv.slice(2));

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

async function timeRuns(warmup: number, runs: number, fn: (i: number) => Promise<void>): Promise<{ p50: number; p95: number; mean: number }> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(warmup + i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

/** One `lockup batch` of the 1000 rows as its own process: wall time and peak resident memory. */
async function batchRun(dataDir: string, csvFile: string, outDir: string, template = 'bench-one-pager'): Promise<{ seconds: number; peakKb: number; succeeded: number }> {
  const { code, stdout, stderr, seconds, peakKb } = await runMeasured([path.join(root, 'bin', 'lockup.js'), 'batch', '--template', template, '--csv', csvFile, '--out-dir', outDir, '--data-dir', dataDir, '--json']);
  if (code !== 0) throw new Error(`batch failed (exit ${code}): ${stderr}${stdout}`);
  return { seconds, peakKb, succeeded: (JSON.parse(stdout) as { succeeded: number }).succeeded };
}

async function validate(files: string[], names: Map<string, string>): Promise<{ checked: number; failures: string[] }> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const problems: string[] = [];
      try {
        const q = await run('qpdf', ['--check', file]);
        if (q.stderr.trim()) problems.push(`qpdf stderr: ${q.stderr.trim()}`);
      } catch (err) {
        problems.push(`qpdf: ${(err as Error).message.split('\n')[0]}`);
      }
      const fonts = (await run('pdffonts', [file])).stdout.split('\n').slice(2).filter(Boolean);
      if (fonts.length === 0 || fonts.some((l) => !/\bCID TrueType\s+Identity-H\s+yes\s+yes\s+yes\b/.test(l))) problems.push(`pdffonts: ${fonts.join(' | ')}`);
      const text = (await run('pdftotext', [file, '-'])).stdout;
      const name = names.get(path.basename(file));
      if (name && !text.includes(name)) problems.push(`pdftotext: "${name}" not found`);
      if (problems.length > 0) failures.push(`${path.basename(file)}: ${problems.join('; ')}`);
    }
  };
  await Promise.all([worker(), worker()]);
  return { checked: files.length, failures };
}

/** The insights section: its own results file (bench/results/insights.json), so either part can run alone. */
async function insights(): Promise<void> {
  const small = args.has('--insights-small');
  const result = await runInsightsBench(small ? SMALL : FULL);
  const resultsDir = path.join(root, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const out = path.join(resultsDir, small ? 'insights-small.json' : 'insights.json');
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`Results: ${out}`);
  // The target is per query; the whole dashboard (about eight queries) is shown against it too.
  const slowQuery = result.queries.filter((q) => q.slowestQuery.p95Ms > result.targets.queryMs);
  const slowWhole = result.queries.filter((q) => q.warmP95Ms > result.targets.queryMs);
  console.log(`  single queries over ${result.targets.queryMs} ms (warm p95): ${slowQuery.map((q) => `${q.name} (${q.slowestQuery.name})`).join(', ') || 'none'}`);
  console.log(`  whole dashboards over ${result.targets.queryMs} ms (warm p95): ${slowWhole.map((q) => q.name).join(', ') || 'none'}`);
}

async function main(): Promise<void> {
  if (args.has('--insights-only') || args.has('--insights-small')) return insights();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-bench-'));
  const dataDir = path.join(work, 'data');
  const catalogue = Catalogue.openDir(dataDir);
  importBundle(catalogue, readContentFolder(path.join(root, 'bench', 'workload')));
  const csvFile = path.join(fixtures, 'partners.csv');
  const table = parseCsv(fs.readFileSync(csvFile, 'utf8'));
  const rows = table.records.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r.cells[i] ?? ''])));

  // 1. Single export, in process, warm: check + compose + PDF + atomic write + ledger row.
  const engine = new ExportEngine(catalogue);
  const profiles: ReturnType<typeof loadProfile>[] = [];
  for (const [i, r] of rows.slice(0, 60).entries()) {
    const logo = await engine.intakeLogo(path.join(fixtures, r['logo']!));
    profiles.push(loadProfile({ id: `p${i}`, company: r['name'], contact: { phone: r['phone'], email: r['email'], url: r['url'] }, logo }));
  }
  fs.mkdirSync(path.join(work, 'single'));
  const single = await timeRuns(10, 50, async (i) => {
    await exportDocument(catalogue, engine, { template: 'bench-one-pager', profile: profiles[i % profiles.length]!, fields: {}, output: 'screen', out: path.join(work, 'single', `${i}.pdf`), tool: 'cli' });
  });
  // The same, without the disk: compose + PDF bytes only (what the anchors' in-process figure times).
  const template = catalogue.getTemplate('bench-one-pager');
  const brand = catalogue.getBrand(template.brand);
  const compiled = await engine.compile(brand, template);
  const document = newDocument(template);
  const render = await timeRuns(10, 50, async (i) => {
    const composition = engine.check(compiled, profiles[i % profiles.length]!, document, 'screen');
    await engine.render(composition, { output: 'screen' }, `bench-${i}`);
  });
  catalogue.close();

  // The editor's live compliance check (compose + every brand rule) on each demo template.
  const demo = Catalogue.openDir(path.join(work, 'demo'));
  ensureDemoCatalogue(demo);
  const demoEngine = new ExportEngine(demo);
  const partner = await demoEngine.readProfileFile(path.join(root, 'examples', 'partners', 'summit-msp.json'));
  const checks: Record<string, { p50Ms: number; p95Ms: number }> = {};
  for (const t of demo.listTemplates()) {
    const tpl = demo.getTemplate(t.id);
    const compiledDemo = await demoEngine.compile(demo.getBrand(tpl.brand), tpl);
    const doc = newDocument(tpl);
    const timing = await timeRuns(20, 200, async (i) => {
      demoEngine.check(compiledDemo, { ...partner, company: `${partner.company} ${i}` }, doc, 'screen');
    });
    checks[t.id] = { p50Ms: round(timing.p50, 3), p95Ms: round(timing.p95, 3) };
  }
  demo.close();

  // 2. Batch of 1000 as a whole process (the CLI), peak memory of the process (threads included).
  //    Three runs, as for the anchors: the median time and the largest peak are reported.
  const outDir = path.join(work, 'batch');
  const runs: { seconds: number; peakKb: number; succeeded: number }[] = [];
  for (let run = 0; run < 3; run++) {
    fs.rmSync(outDir, { recursive: true, force: true });
    runs.push(await batchRun(dataDir, csvFile, outDir));
  }
  const sortedRuns = [...runs].sort((a, b) => a.seconds - b.seconds);
  const batchSeconds = sortedRuns[1]!.seconds;
  const peakKb = Math.max(...runs.map((r) => r.peakKb));
  const summary = { succeeded: sortedRuns[1]!.succeeded };
  const pdfs = fs.readdirSync(outDir).filter((f) => f.endsWith('.pdf'));
  const sizes = pdfs.map((f) => fs.statSync(path.join(outDir, f)).size);
  const meanBytes = sizes.reduce((a, b) => a + b, 0) / sizes.length;

  // 3. Validity of every file.
  const names = new Map(table.records.map((r) => [`${r.cells[0]!.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '')}.pdf`, r.cells[0]!]));
  const validity = await validate(pdfs.map((f) => path.join(outDir, f)), names);

  // 3b. The 3-page bundled-offer sheet (bench/workload/offer-3-pages.template.json), 1000 rows, one run.
  const offerDir = path.join(work, 'offer');
  const offer = await batchRun(dataDir, csvFile, offerDir, 'bench-offer-3p');
  const offerPdfs = fs.readdirSync(offerDir).filter((f) => f.endsWith('.pdf'));
  const offerValidity = await validate(offerPdfs.slice(0, 50).map((f) => path.join(offerDir, f)), names);
  // The sheet is one template page whose bundle area continues on two more: the figures are for 3-page documents.
  const offerPages = /Pages:\s+(\d+)/.exec((await run('pdfinfo', [path.join(offerDir, offerPdfs[0]!)])).stdout)?.[1];
  if (offerPages !== '3') throw new Error(`The offer sheet has ${offerPages ?? 'no'} pages, not 3: bench/workload/offer-3-pages.template.json no longer flows onto three pages`);
  fs.rmSync(offerDir, { recursive: true, force: true });

  // 3c. --scale: 10,000 partners (the 1000 rows ten times, renamed), peak memory of the whole process
  //     (the batch's worker threads live in it; it starts no child process).
  let scale: { documents: number; wallSeconds: number; docsPerSecond: number; peakMemoryMb: number } | undefined;
  if (args.has('--scale')) {
    const scaleCsv = path.join(work, 'partners-10000.csv');
    const lines = ['name,phone,email,url,logo'];
    for (let k = 0; k < 10; k++) {
      for (const r of table.records) lines.push([`${r.cells[0]} ${k}`, r.cells[1], r.cells[2], r.cells[3], path.join(fixtures, r.cells[4]!)].map((c) => `"${(c ?? '').replace(/"/g, '""')}"`).join(','));
    }
    fs.writeFileSync(scaleCsv, lines.join('\n') + '\n');
    const scaleDir = path.join(work, 'scale');
    const r = await batchRun(dataDir, scaleCsv, scaleDir);
    scale = { documents: r.succeeded, wallSeconds: round(r.seconds, 3), docsPerSecond: round(r.succeeded / r.seconds, 1), peakMemoryMb: round(r.peakKb / 1024, 1) };
    fs.rmSync(scaleDir, { recursive: true, force: true });
  }

  // 4. The I/O floor: the same bytes written 1000 times.
  const sample = fs.readFileSync(path.join(outDir, pdfs[0]!));
  fs.mkdirSync(path.join(work, 'floor'));
  const tf = performance.now();
  for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(work, 'floor', `${i}.pdf`), sample);
  const floorSeconds = (performance.now() - tf) / 1000;

  // 5. Optional anchor: hand-written pdf-lib, fonts and images embedded per document.
  let anchor: { p50: number; p95: number; meanKb: number } | undefined;
  if (!args.has('--quick')) {
    let bytes = 0;
    const t = await timeRuns(10, 50, async (i) => {
      const r = rows[i % rows.length]!;
      const pdf = await naivePdfLibExport(fixtures, r);
      bytes += pdf.byteLength;
    });
    anchor = { p50: t.p50, p95: t.p95, meanKb: bytes / 60 / 1000 };
  }

  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.availableParallelism(), node: process.version, platform: `${os.platform()} ${os.release()}` },
    single: { p50Ms: round(single.p50), p95Ms: round(single.p95), runs: 50, warmup: 10, renderOnlyP50Ms: round(render.p50), renderOnlyP95Ms: round(render.p95) },
    batch: {
      documents: summary.succeeded,
      wallSeconds: round(batchSeconds, 3),
      docsPerSecond: round(summary.succeeded / batchSeconds, 1),
      runs: runs.map((r) => round(r.seconds, 3)),
      peakMemoryMb: round(peakKb / 1024, 1),
    },
    offer3Pages: { documents: offer.succeeded, pages: 3, wallSeconds: round(offer.seconds, 3), docsPerSecond: round(offer.succeeded / offer.seconds, 1), peakMemoryMb: round(offer.peakKb / 1024, 1), validSample: `${offerValidity.checked - offerValidity.failures.length}/${offerValidity.checked}` },
    scale10000: scale ?? null,
    size: { meanKb: round(meanBytes / 1000, 1), meanKiB: round(meanBytes / 1024, 1) },
    validity: { checked: validity.checked, failures: validity.failures.slice(0, 20), allValid: validity.failures.length === 0 && validity.checked === 1000 },
    ioFloor: { seconds: round(floorSeconds, 3), docsPerSecond: round(1000 / floorSeconds, 0) },
    complianceCheck: checks,
    anchorPdfLib: anchor ? { p50Ms: round(anchor.p50), p95Ms: round(anchor.p95), meanKb: round(anchor.meanKb, 1) } : null,
    targets: { singleP50Ms: 10, batchDocsPerSecond: 250, batchWallSeconds: 4, meanKiB: 241, peakMemoryMb: 250, offer3PagesDocsPerSecond: 50, scale10000PeakMemoryMb: 300 },
    /** Lockup's times scaled by (91 ms / the anchor's p50 in this run): the figures on the anchor table's day. */
    scaledToAnchorDay: anchor
      ? {
          factor: round(REFERENCE_ANCHOR_P50_MS / anchor.p50, 3),
          singleP50Ms: round(single.p50 * (REFERENCE_ANCHOR_P50_MS / anchor.p50)),
          renderOnlyP50Ms: round(render.p50 * (REFERENCE_ANCHOR_P50_MS / anchor.p50)),
          batchWallSeconds: round(batchSeconds * (REFERENCE_ANCHOR_P50_MS / anchor.p50), 3),
          batchDocsPerSecond: round(summary.succeeded / (batchSeconds * (REFERENCE_ANCHOR_P50_MS / anchor.p50)), 1),
        }
      : null,
  };
  const lines = [
    'Lockup export benchmark (bench/WORKLOAD.md)',
    `  single export p50 ${result.single.p50Ms} ms, p95 ${result.single.p95Ms} ms to disk (fsync + ledger row); in memory p50 ${result.single.renderOnlyP50Ms} ms, p95 ${result.single.renderOnlyP95Ms} ms  (target p50 ≤ 10 ms)`,
    `  batch 1000: ${result.batch.wallSeconds} s whole process (median of ${result.batch.runs.join(' / ')} s), ${result.batch.docsPerSecond} docs/s  (target ≤ 4 s, ≥ 250 docs/s)`,
    `  peak memory ${result.batch.peakMemoryMb} MB  (target ≤ 250 MB)`,
    `  3-page offer sheet, batch 1000: ${result.offer3Pages.wallSeconds} s whole process, ${result.offer3Pages.docsPerSecond} docs/s, peak ${result.offer3Pages.peakMemoryMb} MB, ${result.offer3Pages.validSample} sampled files valid  (target ≥ 50 docs/s)`,
    result.scale10000
      ? `  10,000 partners: ${result.scale10000.wallSeconds} s, ${result.scale10000.docsPerSecond} docs/s, peak memory ${result.scale10000.peakMemoryMb} MB (whole process, threads included)  (target ≤ 300 MB)`
      : '  10,000 partners: not run (npm run bench -- --scale)',
    `  mean size ${result.size.meanKb} KB (${result.size.meanKiB} KiB)  (target ≤ 241 KiB; WORKLOAD.md's sizes are KiB: its pdf-lib 241.1 is the anchor below)`,
    `  validity: ${validity.checked - validity.failures.length}/${validity.checked} files pass qpdf --check (empty stderr), pdffonts (all embedded) and pdftotext (partner name)`,
    `  I/O floor: ${result.ioFloor.seconds} s for 1000 writes (${result.ioFloor.docsPerSecond} docs/s)`,
    `  live compliance check per demo template, p50 / p95 ms (target ≤ 16 ms): ${Object.entries(checks).map(([id, c]) => `${id} ${c.p50Ms} / ${c.p95Ms}`).join(', ')}`,
    ...(result.anchorPdfLib ? [`  anchor, hand-written pdf-lib (same run): p50 ${result.anchorPdfLib.p50Ms} ms, p95 ${result.anchorPdfLib.p95Ms} ms, ${result.anchorPdfLib.meanKb} KB (${round((result.anchorPdfLib.meanKb * 1000) / 1024, 1)} KiB) — Lockup's single export is ${round(result.anchorPdfLib.p50Ms / result.single.p50Ms, 1)}× faster`] : []),
    ...(result.scaledToAnchorDay
      ? [
          `  scaled to the anchor table's day (this machine ran ×${round(1 / result.scaledToAnchorDay.factor, 2)} slower today): single p50 ${result.scaledToAnchorDay.singleP50Ms} ms (in memory ${result.scaledToAnchorDay.renderOnlyP50Ms} ms), batch ${result.scaledToAnchorDay.batchWallSeconds} s (${result.scaledToAnchorDay.batchDocsPerSecond} docs/s)`,
        ]
      : []),
  ];
  console.log(lines.join('\n'));
  for (const f of validity.failures.slice(0, 5)) console.log(`  invalid: ${f}`);
  const resultsDir = path.join(root, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`Results: ${path.join(resultsDir, 'latest.json')}`);
  fs.rmSync(work, { recursive: true, force: true });
  if (args.has('--insights')) await insights();
  else console.log('Insights (100,000 partners, 10M events, dashboards and a 1M-event import): not run (npm run bench -- --insights, or --insights-only; bench/INSIGHTS.md)');
  if (!result.validity.allValid) process.exitCode = 1;
}

/** The hand-written pdf-lib anchor's single-export median in bench/WORKLOAD.md's table. */
const REFERENCE_ANCHOR_P50_MS = 91;

function round(v: number, d = 2): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}

await main();
