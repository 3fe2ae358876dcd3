import { useState, type FormEvent } from 'react';
import type { WorkspaceView } from '../../../core/contracts/distributor-api.ts';
import { call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { fileToBase64 } from '../app/files.ts';
import { useAction } from './shared.tsx';

const day = (iso: string) => iso.slice(0, 10);

/**
 * The vendors you distribute for: each one's signed pack and its
 * authorisation of your key. Both are checked before anything is stored
 * (the pack's signature, the authorisation's signature by the same vendor
 * key, its validity, and that it names this workspace's key).
 */
export function SourcesPanel({ ws, onChanged }: { ws: WorkspaceView; onChanged: (ws: WorkspaceView) => void }) {
  const { api } = useApp();
  const [pack, setPack] = useState<File>();
  const [cred, setCred] = useState<File>();
  const [added, setAdded] = useState<string>();
  const [formKey, setFormKey] = useState(0);
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!pack || !cred) return;
    setAdded(undefined);
    void run(async () => {
      const before = new Set(ws.sources.map((s) => `${s.vendor.id}@${s.pack.version}`));
      const next = await call(api, 'distributor:add-source', { pack: await fileToBase64(pack), credential: await cred.text() });
      const fresh = next.sources.find((s) => !before.has(`${s.vendor.id}@${s.pack.version}`)) ?? next.sources[0];
      setAdded(fresh ? `${fresh.vendor.name}’s pack version ${fresh.pack.version} added.` : 'Added.');
      setPack(undefined);
      setCred(undefined);
      setFormKey((k) => k + 1);
      onChanged(next);
    });
  };

  return (
    <>
      <form key={formKey} className="dist-card" onSubmit={submit} aria-labelledby="dist-add-source-title">
        <h2 id="dist-add-source-title">Add vendor pack…</h2>
        <p className="muted">The vendor’s signed pack (.lockup) and the authorisation (.cred) the vendor issued for your public key.</p>
        <div className="grid-2">
          <label>
            Vendor pack (.lockup)
            <input type="file" accept=".lockup" onChange={(e) => setPack(e.target.files?.[0])} />
          </label>
          <label>
            Vendor authorisation (.cred)
            <input type="file" accept=".cred,application/json" onChange={(e) => setCred(e.target.files?.[0])} />
          </label>
        </div>
        <div data-testid="source-error">
          <ErrorBox error={error} />
        </div>
        {added && (
          <p className="ok" role="status">
            {added}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !pack || !cred}>
            {busy ? 'Checking…' : 'Add vendor pack'}
          </button>
        </div>
      </form>

      <section className="dist-card" aria-labelledby="dist-sources-title">
        <h2 id="dist-sources-title">Vendors</h2>
        {ws.sources.length === 0 ? (
          <p className="muted" data-testid="no-sources">
            No vendor packs yet.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="dist-table" aria-label="Vendor packs">
              <thead>
                <tr>
                  <th scope="col">Vendor</th>
                  <th scope="col">Key fingerprint</th>
                  <th scope="col">Pack</th>
                  <th scope="col">Authorised until</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {ws.sources.map((s) => (
                  <tr key={s.vendor.id} data-testid={`source-${s.vendor.id}`}>
                    <th scope="row">{s.vendor.name}</th>
                    <td>
                      <code className="small">{s.vendor.fingerprint}</code>
                    </td>
                    <td>
                      {s.pack.id} v{s.pack.version}
                    </td>
                    <td>{day(s.credential.expiresAt)}</td>
                    <td>{s.credential.scope}</td>
                    <td className={s.credential.status === 'valid' ? 'ok' : 'error'}>
                      {s.credential.status === 'valid' ? 'Authorised' : 'Expired'}
                      {s.credential.message && <span className="small"> · {s.credential.message}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
