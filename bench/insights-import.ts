/**
 * The insights benchmark's import, as its own process (bench/insights.ts):
 * imports one report file into the catalogue in a data folder and prints
 * the summary, its own peak RSS and the event count after, as one JSON line.
 *
 *   node --import tsx bench/insights-import.ts DATA_DIR REPORT_FILE
 */
import fs from 'node:fs';
import { Catalogue } from '../backend/catalogue.ts';
import { importReportFile } from '../backend/insights/import.ts';

const [dataDir, file] = process.argv.slice(2);
if (!dataDir || !file) throw new Error('usage: bench/insights-import.ts DATA_DIR REPORT_FILE');
const catalogue = Catalogue.openDir(dataDir);
const t = performance.now();
const summary = importReportFile(catalogue, file);
const ms = performance.now() - t;
const eventsAfter = (catalogue.db.prepare("SELECT sum(n) AS n FROM insight_rollup_counts WHERE tier = '*' AND region = '*'").get() as { n: number }).n;
catalogue.close();
const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
console.log(JSON.stringify({ ...summary, ms, peakKb, eventsAfter }));
