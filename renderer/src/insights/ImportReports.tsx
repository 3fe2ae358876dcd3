import { useCallback, useEffect, useId, useState } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { ImportSummary } from '../../../core/contracts/insights-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { fileToBase64 } from '../app/files.ts';
import { clock } from '../learn/format.ts';
import { count, duration, plural } from './format.ts';

type Outcome = { file: string; summary: ImportSummary } | { file: string; error: ReturnType<typeof describe> };

/**
 * Picks one or more `.lockup-activity` files and imports each in turn
 * (`insights:import`), listing what each did: who signed it, how many events
 * it carried and how many were new. A report imported before changes nothing
 * and says so. `onImported` runs once after the batch when anything was added.
 */
export function ImportReports({ label, hint, onImported }: { label: string; hint: string; onImported: () => void }) {
  const { api } = useApp();
  const [busy, setBusy] = useState<string>();
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const inputId = useId();

  const importFiles = async (files: File[]) => {
    const done: Outcome[] = [];
    setOutcomes([]);
    let added = false;
    for (const file of files) {
      setBusy(file.name);
      try {
        const summary = await call(api, 'insights:import', { name: file.name, data: await fileToBase64(file) });
        done.push({ file: file.name, summary });
        if (summary.added > 0 || !summary.alreadyImported) added = true;
      } catch (err) {
        done.push({ file: file.name, error: describe(err) });
      }
      setOutcomes([...done]);
    }
    setBusy(undefined);
    if (added) onImported();
  };

  return (
    <div className="insight-import">
      <label htmlFor={inputId}>{label}</label>
      <p className="muted small">{hint}</p>
      <input
        id={inputId}
        type="file"
        multiple
        accept=".lockup-activity"
        disabled={busy !== undefined}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          // Cleared so that picking the same file again imports it again (and shows "already imported").
          e.target.value = '';
          if (files.length > 0) void importFiles(files);
        }}
      />
      {busy && (
        <p role="status" className="muted small">
          <progress /> Importing {busy}…
        </p>
      )}
      {outcomes.length > 0 && (
        <ul className="import-outcomes" aria-label="Import results">
          {outcomes.map((o, i) => (
            <li key={`${o.file}-${i}`} className={'error' in o ? 'bad' : o.summary.alreadyImported ? 'same' : 'good'} data-testid="import-outcome">
              <strong>{o.file}</strong>
              {'error' in o ? (
                <ErrorBox error={o.error} />
              ) : (
                <p role="status">
                  {o.summary.alreadyImported ? (
                    <>
                      Already imported: this {o.summary.kind === 'distributor' ? 'aggregate' : 'report'} from {o.summary.issuer.name} changed nothing.
                    </>
                  ) : (
                    <>
                      {o.summary.kind === 'distributor' ? 'Aggregate' : 'Report'} from <span data-testid="import-issuer">{o.summary.issuer.name}</span>: {plural(o.summary.events, 'event')}, <span data-testid="import-added">added {count(o.summary.added)}</span>
                      {o.summary.duplicates > 0 ? `, ${count(o.summary.duplicates)} already counted` : ''}
                      {o.summary.partners > 0 ? ` · ${plural(o.summary.partners, 'partner')}` : ''}.
                    </>
                  )}{' '}
                  <span className="muted small">
                    Key {o.summary.issuer.fingerprint.slice(0, 16)}… · {duration(o.summary.ms)}
                  </span>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What this catalogue imported so far, newest first as the backend lists it. */
export function ImportsList({ refresh }: { refresh: number }) {
  const { api } = useApp();
  const [rows, setRows] = useState<OpOutput<'insights:imports'>>();
  const [error, setError] = useState<ReturnType<typeof describe>>();
  const load = useCallback(() => {
    call(api, 'insights:imports', {})
      .then((r) => {
        setRows(r);
        setError(undefined);
      })
      .catch((err) => setError(describe(err)));
  }, [api]);
  useEffect(load, [load, refresh]);

  if (error) return <ErrorBox error={error} />;
  if (!rows) return <p className="muted">Loading imported reports…</p>;
  if (rows.length === 0) return <p className="muted" data-testid="no-imports">No reports imported yet.</p>;
  return (
    <div className="table-scroll">
      <table className="insight-table" aria-label="Imported reports">
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Events
            </th>
            <th scope="col" className="num">
              Added
            </th>
            <th scope="col">Imported</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.sha256}>
              <th scope="row">{r.issuer}</th>
              <td>{r.kind === 'distributor' ? 'Distributor aggregate' : 'Partner report'}</td>
              <td className="num">{count(r.events)}</td>
              <td className="num">{count(r.added)}</td>
              <td>
                <time dateTime={r.importedAt}>{clock(r.importedAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
