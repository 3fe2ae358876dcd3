import fs from 'node:fs';
import path from 'node:path';
import type { INSIGHTS_API } from '../../core/contracts/insights-api.ts';
import { LockupError } from '../../core/errors.ts';
import { REPORT_EXTENSION } from '../../core/insights/report.ts';
import { dashboardCsv, dashboardQuery } from '../insights/dashboard.ts';
import { importReportBytes, listImports } from '../insights/import.ts';
import { activitySummary, latestActivity, ledgerCounts } from '../insights/ledger.ts';
import { distributorSigner, exportAggregate, exportPartnerReport, recordReportExport, reportFileName } from '../insights/report.ts';
import { writeFileAtomic } from '../util/files.ts';
import { sha256Hex } from '../util/hash.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

/** How many of the ledger's latest events `insights:activity` shows. */
const LATEST = 25;

/** The activity ledger, signed reports and their import, and the dashboards (issue #8, docs/decisions/0027). */
export function insightsHandlers(ctx: HandlerContext): HandlersFor<typeof INSIGHTS_API> {
  const { catalogue } = ctx;

  const target = (given: string | null, fallback: string, ext: string): string => {
    const file = path.resolve(given ?? path.join(ctx.exportDir, fallback));
    if (!file.toLowerCase().endsWith(ext)) throw new LockupError('invalid-argument', `The file name must end in ${ext}`);
    return file;
  };

  return {
    'insights:activity': () => {
      const { counts, total } = ledgerCounts(catalogue);
      const latest = latestActivity(catalogue, LATEST).map((e) => ({ seq: e.seq, at: e.at, kind: e.kind, subject: e.subject, summary: activitySummary(e) }));
      return { counts, total, latest };
    },

    'insights:report-export': ({ path: given }) => {
      const profile = ctx.currentProfile();
      if (!profile) throw new LockupError('profile-invalid', 'Set up your partner profile first: the report is signed for it');
      const now = ctx.now();
      const w = exportPartnerReport(catalogue, profile, target(given, reportFileName('partner', profile.company, now), REPORT_EXTENSION), now);
      return { path: w.path, fileName: w.fileName, byteLength: w.byteLength, events: w.events };
    },

    'insights:import': ({ data }) => {
      const buf = Buffer.from(data, 'base64');
      return importReportBytes(catalogue, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), { now: ctx.now() });
    },

    'insights:imports': () => listImports(catalogue),

    'insights:aggregate-export': ({ path: given }) => {
      // Only a distributor has partners' reports to pass on (a partner exports its own report instead).
      if (catalogue.getSetting('role') !== 'distributor') throw new LockupError('forbidden', 'Only a distributor exports an aggregate of its partners’ reports; a partner exports its own activity report');
      const now = ctx.now();
      const w = exportAggregate(catalogue, target(given, reportFileName('distributor', distributorSigner(catalogue).issuer.name, now), REPORT_EXTENSION), now);
      return { path: w.path, fileName: w.fileName, byteLength: w.byteLength, events: w.events, partners: w.partners };
    },

    'insights:dashboard': ({ filters }) => dashboardQuery(catalogue.db, filters),

    'insights:csv': ({ table, filters, path: given }) => {
      const now = ctx.now();
      const { csv, rows } = dashboardCsv(catalogue.db, table, filters);
      const file = target(given, `insights-${table}-${now.toISOString().slice(0, 10)}.csv`, '.csv');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      try {
        writeFileAtomic(file, csv);
      } catch (err) {
        if (err instanceof LockupError) throw err;
        throw new LockupError('output-unwritable', `Cannot write ${file}: ${(err as Error).message}`);
      }
      const byteLength = Buffer.byteLength(csv, 'utf8');
      recordReportExport(catalogue, 'csv', { path: file, sha256: sha256Hex(csv), events: rows, byteLength }, now);
      return { path: file, fileName: path.basename(file), byteLength, rows };
    },
  };
}
