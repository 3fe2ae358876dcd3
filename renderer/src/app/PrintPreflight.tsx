import { useEffect, useState } from 'react';
import type { PrintPreflightView } from '../../../core/contracts/print-api.ts';
import type { PartnerDocument } from '../../../core/model/document.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from './context.ts';
import './print-preflight.css';

const mm = (pt: number) => `${(Math.round((pt / 72) * 25.4 * 10) / 10).toString()} mm`;
const size = (b: readonly number[]) => `${mm(b[2]!)} × ${mm(b[3]!)}`;

type Finding = PrintPreflightView['preflight'][number];

function Findings({ list, empty }: { list: Finding[]; empty: string }) {
  if (list.length === 0) return <p className="muted small">{empty}</p>;
  return (
    <ul>
      {list.map((f, i) => (
        <li key={`${f.code}-${f.zoneId}-${i}`} className={f.severity} data-code={f.code}>
          <span className="code">{f.severity === 'error' ? 'Error' : 'Warning'} · {f.code}</span>
          {f.message}
        </li>
      ))}
    </ul>
  );
}

/**
 * The print preflight shown in the export dialog when Print is chosen, before
 * anything is exported. `onReady` gets whether a print export would pass
 * (undefined while checking or when the check failed).
 */
export function PrintPreflight({ document: doc, onReady }: { document: PartnerDocument; onReady: (ok: boolean | undefined) => void }) {
  const { api } = useApp();
  const [report, setReport] = useState<PrintPreflightView>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    onReady(undefined);
    call(api, 'document:preflight', { document: doc }).then(
      (r) => {
        if (!live) return;
        setReport(r);
        onReady(r.ok);
      },
      (err: unknown) => {
        if (live) setError(describe(err).title);
      },
    );
    return () => {
      live = false;
    };
  }, [api, doc, onReady]);

  if (error) return <p role="alert" className="error">Print preflight failed: {error}</p>;
  if (!report) return <p role="status" className="muted small">Running the print preflight…</p>;
  const errors = [...report.compliance, ...report.preflight].filter((f) => f.severity === 'error').length;
  const warnings = report.compliance.length + report.preflight.length - errors;
  return (
    <section className="print-preflight" aria-label="Print preflight" data-testid="print-preflight" data-ok={report.ok ? 'yes' : 'no'}>
      <p className="small">
        <strong data-testid="print-preflight-summary">
          {errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}: print export blocked` : 'Ready for print'}
          {warnings > 0 ? ` · ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}
        </strong>
      </p>
      <p className="muted small">
        Trim {size(report.boxes.trim)}, bleed to {size(report.boxes.bleed)}, page with crop marks {size(report.boxes.media)}. Brand colours in CMYK; output intent: {report.outputIntent.info}.
      </p>
      <h3>Brand rules (print)</h3>
      <Findings list={report.compliance} empty="Every brand rule is met for print." />
      <h3>Print checks</h3>
      <Findings list={report.preflight} empty="Nothing to report." />
    </section>
  );
}
