import { useCallback, useEffect, useState } from 'react';
import type { OpOutput } from '../../../../core/contracts/api.ts';
import type { AccessLevels } from '../../../../core/model/access.ts';
import { ApiError, call } from '../../api/client.ts';
import { useApp } from '../../app/context.ts';
import { FileButton } from '../editor-context.tsx';
import { errorText } from '../errors.ts';
import './playbooks.css';

type Module = OpOutput<'vendor:training'>[number];

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const percent = (f: number) => `${Math.round(f * 100)}%`;

function issuesOf(err: unknown): { path: string; message: string }[] {
  const issues = err instanceof ApiError ? err.details?.['issues'] : undefined;
  return Array.isArray(issues) ? issues.filter((i): i is { path: string; message: string } => typeof i?.path === 'string' && typeof i?.message === 'string') : [];
}

/**
 * The vendor's Training tab: the brand's modules as authored, and importing
 * a module source (`lockup.training-source`, written by hand or by a script).
 * The sources stay in this catalogue; packs carry the modules protected.
 */
export function TrainingPanel({ brandId, access, readOnly }: { brandId: string; access: AccessLevels; readOnly: boolean }) {
  const { api } = useApp();
  const [list, setList] = useState<Module[]>();
  const [loadError, setLoadError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string>();
  const [importError, setImportError] = useState<{ text: string; issues: { path: string; message: string }[] }>();

  const load = useCallback(async () => {
    try {
      const l = await call(api, 'vendor:training', { brand: brandId });
      setList(l);
      setLoadError(undefined);
      return l;
    } catch (err) {
      setLoadError(errorText(err));
      return undefined;
    }
  }, [api, brandId]);
  useEffect(() => {
    setResult(undefined);
    setImportError(undefined);
    void load();
  }, [load]);

  const certName = (id: string) => access.certifications.find((c) => c.id === id)?.name ?? id;

  const importFile = async (file: File) => {
    setBusy(true);
    setResult(undefined);
    setImportError(undefined);
    try {
      const r = await call(api, 'vendor:training-import', { brand: brandId, source: await file.text() });
      const fresh = await load();
      const title = fresh?.find((m) => m.id === r.id)?.title ?? r.id;
      setResult(`Imported “${title}”, version ${r.version}.`);
    } catch (err) {
      setImportError({ text: errorText(err), issues: issuesOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="kit-section pb-list" aria-labelledby="tr-list-title">
      <div className="kit-section-head">
        <div>
          <h2 id="tr-list-title">Training</h2>
          <p className="muted small">
            Modules of lessons and a quiz; passing grants a certification that can open templates and playbooks. Import a module source (<span className="mono">.training.json</span>); importing a changed source makes a new version.
          </p>
        </div>
        {!readOnly && (
          <div className="kit-section-actions">
            <FileButton label={busy ? 'Importing…' : 'Import module source…'} accept=".json,application/json" disabled={busy} onFile={(f) => void importFile(f)} />
          </div>
        )}
      </div>
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      {importError && (
        <div className="error" role="alert" data-testid="training-import-error">
          <p>Not imported: {importError.text}</p>
          {importError.issues.length > 1 && (
            <ul>
              {importError.issues.map((i) => (
                <li key={i.path}>
                  <span className="mono">{i.path}</span>: {i.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {result && (
        <p className="ok" role="status">
          {result}
        </p>
      )}
      {!list && !loadError && <p className="muted">Loading training modules…</p>}
      {list && list.length === 0 && <p className="muted">No training modules yet.</p>}
      {list && list.length > 0 && (
        <div className="table-scroll">
          <table className="pb-table" aria-label="Training modules">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Grants</th>
                <th scope="col">Lessons</th>
                <th scope="col">Questions</th>
                <th scope="col">Drawn per attempt</th>
                <th scope="col">Pass mark</th>
                <th scope="col">Version</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <tr key={m.id} data-module={m.id}>
                  <th scope="row">{m.title}</th>
                  <td>{certName(m.grants)}</td>
                  <td>{m.lessons}</td>
                  <td>{m.questions}</td>
                  <td>{m.draw}</td>
                  <td>{percent(m.passMark)}</td>
                  <td>{m.version}</td>
                  <td>{when(m.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
