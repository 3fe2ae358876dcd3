import { useCallback, useEffect, useRef, useState } from 'react';
import type { TemplateCard } from '../../../core/contracts/api.ts';
import type { BatchJobView, UnfinishedBatchView } from '../../../core/contracts/batch-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { formatDuration } from './batch-format.ts';
import { useApp } from './context.ts';
import { fileToBase64, pickFile } from './files.ts';
import './batch.css';

const POLL_MS = 250;

/**
 * Batch (issue #5): every partner's co-branded PDF from a CSV or the
 * catalogue's partner list. The backend runs it as a job on worker threads
 * (the same service as `lockup batch`); this screen polls its progress,
 * cancels it, resumes a batch stopped by a cancel, a quit or a crash, and
 * lists the rows that failed with their reasons.
 */
export function BatchScreen({ onBack }: { onBack: () => void }) {
  const { api } = useApp();
  const [templates, setTemplates] = useState<TemplateCard[]>();
  const [template, setTemplate] = useState('');
  const [source, setSource] = useState<'csv' | 'catalogue'>('csv');
  const [csv, setCsv] = useState<{ name: string; data: string }>();
  const [distributor, setDistributor] = useState('');
  const [job, setJob] = useState<BatchJobView>();
  const [unfinished, setUnfinished] = useState<UnfinishedBatchView[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);

  const refreshUnfinished = useCallback(() => {
    call(api, 'batch:unfinished', {})
      .then((list) => alive.current && setUnfinished(list))
      .catch((err) => setError(describe(err).title));
  }, [api]);

  useEffect(() => {
    alive.current = true;
    call(api, 'templates:list', {})
      .then((cards) => {
        setTemplates(cards);
        setTemplate((t) => t || cards[0]?.id || '');
      })
      .catch((err) => setError(describe(err).title));
    refreshUnfinished();
    return () => {
      alive.current = false;
    };
  }, [api, refreshUnfinished]);

  // Poll the running job until it ends.
  const jobId = job?.jobId;
  const running = job?.state === 'running';
  useEffect(() => {
    if (!jobId || !running) return;
    const timer = setInterval(() => {
      call(api, 'batch:status', { jobId })
        .then((v) => {
          if (!alive.current) return;
          setJob(v);
          if (v.state !== 'running') refreshUnfinished();
        })
        .catch((err) => setError(describe(err).title));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [api, jobId, running, refreshUnfinished]);

  const act = async (fn: () => Promise<BatchJobView>) => {
    setBusy(true);
    setError(undefined);
    try {
      setJob(await fn());
      refreshUnfinished();
    } catch (err) {
      setError(describe(err).title);
    } finally {
      setBusy(false);
    }
  };
  const start = () =>
    act(() =>
      call(api, 'batch:start', {
        template,
        source: source === 'csv' ? { kind: 'csv', name: csv!.name, data: csv!.data } : { kind: 'catalogue', distributor: distributor.trim() || null },
      }),
    );
  const chooseCsv = async () => {
    const file = await pickFile('.csv,text/csv');
    if (file) setCsv({ name: file.name, data: await fileToBase64(file) });
  };

  const p = job?.progress;
  const percent = p && p.total > 0 ? Math.round((p.done / p.total) * 100) : 0;
  const canStart = !running && !busy && template !== '' && (source === 'catalogue' || csv !== undefined);

  return (
    <main className="batch">
      <header className="batch-head">
        <div>
          <h1>Batch</h1>
          <p className="lead">One co-branded PDF for every partner, from a CSV file or the partner list in this catalogue.</p>
        </div>
        <button type="button" onClick={onBack}>
          Back
        </button>
      </header>

      {unfinished.length > 0 && !running && (
        <section className="batch-unfinished" aria-label="Unfinished batches">
          <h2>Unfinished batches</h2>
          <ul>
            {unfinished.map((u) => (
              <li key={u.outDir}>
                <span>
                  {u.template} · {u.source === 'csv' ? 'CSV' : 'catalogue partners'} · {u.done} of {u.total} done · started {new Date(u.startedAt).toLocaleString()}
                </span>
                <button type="button" disabled={busy} onClick={() => void act(() => call(api, 'batch:resume', { outDir: u.outDir }))}>
                  Resume
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <form
        className="batch-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (canStart) void start();
        }}
      >
        <label>
          Template
          <select value={template} onChange={(e) => setTemplate(e.target.value)} disabled={running}>
            {templates?.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.pageSize})
              </option>
            ))}
          </select>
        </label>
        <fieldset disabled={running}>
          <legend>Partners</legend>
          <label className="radio">
            <input type="radio" name="source" checked={source === 'csv'} onChange={() => setSource('csv')} /> A CSV file
          </label>
          {source === 'csv' && (
            <div className="batch-csv">
              <button type="button" onClick={() => void chooseCsv()}>
                Choose CSV…
              </button>
              <span className="muted" data-testid="batch-csv-name">
                {csv ? csv.name : 'No file chosen. Columns: company (or name), id, phone, email, url, address, logo, tier, type, region, distributor, and template fields.'}
              </span>
            </div>
          )}
          <label className="radio">
            <input type="radio" name="source" checked={source === 'catalogue'} onChange={() => setSource('catalogue')} /> The partner list in this catalogue
          </label>
          {source === 'catalogue' && (
            <label>
              Only partners of distributor (optional)
              <input value={distributor} onChange={(e) => setDistributor(e.target.value)} placeholder="All partners" />
            </label>
          )}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={!canStart}>
            Start batch
          </button>
        </div>
      </form>

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      {job && p && (
        <section className="batch-job" aria-label="Batch progress" data-state={job.state}>
          <progress max={p.total || 1} value={p.done} aria-label="Rows done" />
          <p data-testid="batch-counts">
            {p.done} / {p.total} done · {p.failed} failed
            {running && p.etaMs !== null ? ` · ${formatDuration(p.etaMs)} left` : ''}
            {running ? ` · ${percent} %` : ''}
          </p>
          <p className="muted small">
            Folder: <span className="mono" data-testid="batch-folder">{job.outDir}</span>
          </p>
          {running && (
            <button type="button" onClick={() => void act(() => call(api, 'batch:cancel', { jobId: job.jobId }))} disabled={busy}>
              Cancel
            </button>
          )}
          {job.state === 'failed' && job.error && (
            <p className="error" role="alert">
              The batch stopped: {job.error.message}
            </p>
          )}
          {job.result && (
            <div className="batch-result" data-testid="batch-result">
              <h2>{job.state === 'cancelled' ? 'Cancelled' : 'Finished'}</h2>
              <p>
                {job.result.succeeded} PDF{job.result.succeeded === 1 ? '' : 's'} in the folder
                {job.result.resumed > 0 ? ` (${job.result.resumed} from before, kept)` : ''}, {job.result.failed} failed
                {job.state === 'cancelled' ? `, ${job.result.notDone} not done. Resume it from Unfinished batches.` : '.'}
              </p>
              {job.result.failures.length > 0 && (
                <table className="batch-failures" aria-label="Failed rows">
                  <thead>
                    <tr>
                      <th>Row</th>
                      <th>Partner</th>
                      <th>Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {job.result.failures.map((f) => (
                      <tr key={f.line}>
                        <td>{f.line}</td>
                        <td>{f.id ?? ''}</td>
                        <td>
                          <code>{f.code}</code> {f.message}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}
        </section>
      )}
    </main>
  );
}
