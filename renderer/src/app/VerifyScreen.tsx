import { useState, type DragEvent } from 'react';
import type { VerifyView } from '../../../core/contracts/verify-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from './context.ts';
import { fileToBase64, pickFile } from './files.ts';
import './verify.css';

const TITLES: Record<VerifyView['verdict'], string> = {
  authentic: 'Authentic',
  modified: 'Modified',
  'unknown-template': 'Unknown template',
  'not-lockup': 'Not from Lockup',
};

/**
 * Verify a PDF (docs/decisions/0017): drop or pick an exported PDF; the
 * backend re-renders it from this catalogue's template and the inputs
 * embedded in the file and says whether it is what Lockup made.
 */
export function VerifyScreen({ onBack }: { onBack: () => void }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const [result, setResult] = useState<{ file: string; view: VerifyView }>();
  const [error, setError] = useState<string>();

  const verify = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const view = await call(api, 'export:verify', { data: await fileToBase64(file) });
      setResult({ file: file.name, view });
    } catch (err) {
      setError(describe(err).title);
    } finally {
      setBusy(false);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void verify(e.dataTransfer.files[0]);
  };
  const c = result?.view.claims;

  return (
    <main className="verify">
      <header className="verify-head">
        <div>
          <h1>Verify a PDF</h1>
          <p className="lead">Re-renders the file from this catalogue's template and the inputs embedded in it, and compares.</p>
        </div>
        <button type="button" onClick={onBack}>
          Back
        </button>
      </header>
      <div
        className={`verify-drop${over ? ' over' : ''}`}
        data-testid="verify-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>Drop a PDF here, or</p>
        <button type="button" className="primary" disabled={busy} onClick={() => void pickFile('.pdf,application/pdf').then(verify)}>
          Choose a PDF…
        </button>
      </div>
      {busy && (
        <p className="muted" role="status">
          Verifying…
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <section className={`verdict verdict-${result.view.verdict}`} aria-label="Verdict" data-verdict={result.view.verdict}>
          <h2>
            {TITLES[result.view.verdict]} <span className="muted">· {result.file}</span>
          </h2>
          <p>{result.view.summary}</p>
          {result.view.differences.length > 0 && (
            <>
              <h3>Where it differs</h3>
              <ul aria-label="Differences">
                {result.view.differences.map((d) => (
                  <li key={d.where}>{d.where}</li>
                ))}
              </ul>
            </>
          )}
          {c && (
            <dl className="claims">
              <dt>Template</dt>
              <dd>
                {c.template.name} ({c.template.id}@{c.template.version})
              </dd>
              <dt>Pack</dt>
              <dd>{c.pack ? `${c.pack.publisher.name}${c.pack.id ? ` · ${c.pack.id}` : ''}${c.pack.version ? ` version ${c.pack.version}` : ''}${c.pack.publisher.fingerprint ? ` · key ${c.pack.publisher.fingerprint}` : ''}` : 'Local brand (no pack)'}</dd>
              <dt>Partner</dt>
              <dd>{c.partner.company}</dd>
              <dt>Exported</dt>
              <dd>
                {c.exportedAt} · {c.output === 'print' ? 'print' : 'screen'}
              </dd>
              <dt>Compliance</dt>
              <dd>{c.compliance.ok ? `No errors${c.compliance.warnings > 0 ? `, ${c.compliance.warnings} warning${c.compliance.warnings === 1 ? '' : 's'}` : ''}` : `${c.compliance.errors} errors`}</dd>
              <dt>Template hash</dt>
              <dd className="mono">{c.template.sha256}</dd>
            </dl>
          )}
          {result.view.notes.map((n) => (
            <p key={n} className="muted">
              {n}
            </p>
          ))}
        </section>
      )}
    </main>
  );
}
