import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import { Id } from '../../../core/model/access.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { downloadText, useAction } from '../distributor/shared.tsx';
import '../distributor/distributor.css';

type Authorised = OpOutput<'distributor:authorised'>;

/** Revoking asks for a reason first; the revocation travels in the next published pack. */
function RevokeCell({ a, onRevoked }: { a: Authorised[number]; onRevoked: () => void }) {
  const { api } = useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  if (a.revoked) {
    return (
      <td className="error">
        Revoked {a.revoked.at.slice(0, 10)}
        {a.revoked.reason && <span className="small"> · {a.revoked.reason}</span>}
      </td>
    );
  }
  return (
    <td>
      {open ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await call(api, 'distributor:revoke', { id: a.id, reason: reason.trim() });
              setOpen(false);
              onRevoked();
            });
          }}
        >
          <input aria-label={`Reason for revoking ${a.name}`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder="Reason (optional)" />
          <button type="submit" className="danger" disabled={busy}>
            Revoke
          </button>
          <button type="button" onClick={() => setOpen(false)} disabled={busy}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <span className="ok">Active</span>{' '}
          <button type="button" className="link danger" onClick={() => setOpen(true)} aria-label={`Revoke ${a.name}`}>
            Revoke…
          </button>
        </>
      )}
      <ErrorBox error={error} />
    </td>
  );
}

/**
 * The vendor's side of distribution: authorise a distributor's public key
 * (signed with this catalogue's publishing key) for the templates, up to a
 * highest tier its partner credentials may grant, for a number of days. The
 * .cred file goes to the distributor, who adds it with the vendor's pack.
 */
export function DistributorsPanel({ brandId, brandName, tiers }: { brandId: string; brandName: string; tiers: { id: string; name: string }[] }) {
  const { api } = useApp();
  const [list, setList] = useState<Authorised>();
  const [listError, setListError] = useState<string>();
  const [distributorId, setDistributorId] = useState('');
  const [name, setName] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [maxTier, setMaxTier] = useState('');
  const [days, setDays] = useState('365');
  const [templates, setTemplates] = useState<{ id: string; name: string }[]>([]);
  /** null: every template, now and later; otherwise the template ids chosen. */
  const [only, setOnly] = useState<string[] | null>(null);
  const [issued, setIssued] = useState<string>();
  const { busy, error, run } = useAction();

  const load = useCallback(() => {
    call(api, 'distributor:authorised', {})
      .then(setList)
      .catch((err) => setListError(describe(err).title));
  }, [api]);
  useEffect(load, [load]);
  useEffect(() => {
    call(api, 'pack:publish-info', { brandId })
      .then((info) => setTemplates(info.templates))
      .catch(() => setTemplates([]));
  }, [api, brandId]);

  const idProblem = distributorId !== '' && !Id.safeParse(distributorId).success ? 'Use the id shown in the distributor’s workspace (lower-case letters, digits, ".", "_" or "-")' : undefined;
  const daysN = Number(days);
  const ready = (only === null || only.length > 0) && distributorId !== '' && !idProblem && name.trim() !== '' && publicKey.trim() !== '' && Number.isInteger(daysN) && daysN >= 1 && daysN <= 1825;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    setIssued(undefined);
    void run(async () => {
      const r = await call(api, 'distributor:authorise', { distributorId, distributorName: name.trim(), publicKey: publicKey.trim(), templates: only ?? 'all', maxTier: maxTier || null, days: daysN });
      downloadText(r.fileName, r.text);
      setIssued(`${name.trim()} is authorised until ${r.expiresAt.slice(0, 10)} (${r.scope}); key ${r.fingerprint}. Send ${r.fileName} to the distributor with your pack.`);
      load();
    });
  };

  return (
    <section className="distributors-panel" aria-labelledby="distributors-title">
      <h2 id="distributors-title">Distributors</h2>
      <p className="lead">
        A distributor derives packs from yours with its own contact line, products and logo, and may issue partner credentials up to the tier you allow. Partners check your authorisation against your key; nothing you
        locked can change.
      </p>
      <form className="dist-card" onSubmit={submit} aria-labelledby="authorise-title">
        <h3 id="authorise-title">Authorise a distributor</h3>
        <div className="grid-2">
          <div className="dist-field">
            <label htmlFor="dist-auth-id">Distributor id</label>
            <input id="dist-auth-id" className="mono" value={distributorId} onChange={(e) => setDistributorId(e.target.value)} required aria-invalid={idProblem !== undefined} aria-describedby="dist-auth-id-help" />
            <span id="dist-auth-id-help" className={idProblem ? 'field-problem' : 'muted small'}>
              {idProblem ?? 'As the distributor’s workspace shows it.'}
            </span>
          </div>
          <label>
            Distributor name
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
          </label>
          <div className="dist-field span-2">
            <label htmlFor="dist-auth-key">Distributor’s public key</label>
            <textarea id="dist-auth-key" className="mono" rows={2} value={publicKey} onChange={(e) => setPublicKey(e.target.value)} required maxLength={200} aria-describedby="dist-auth-key-help" />
            <span id="dist-auth-key-help" className="muted small">
              Paste the public key from the distributor’s workspace (Identity). Check its fingerprint with the distributor.
            </span>
          </div>
          <fieldset className="dist-templates span-2">
            <legend>Templates it may derive</legend>
            <label className="check">
              <input type="radio" name="dist-scope" checked={only === null} onChange={() => setOnly(null)} /> All of {brandName}’s templates, including later ones
            </label>
            <label className="check">
              <input type="radio" name="dist-scope" checked={only !== null} onChange={() => setOnly([])} disabled={templates.length === 0} /> Only these:
            </label>
            {only !== null && (
              <ul className="plain" aria-label="Templates in scope">
                {templates.map((t) => (
                  <li key={t.id}>
                    <label className="check">
                      <input type="checkbox" checked={only.includes(t.id)} onChange={(e) => setOnly(e.target.checked ? [...only, t.id] : only.filter((x) => x !== t.id))} /> {t.name}
                    </label>
                  </li>
                ))}
                {only.length === 0 && <li className="field-problem">Choose at least one template.</li>}
              </ul>
            )}
          </fieldset>
          <label>
            Highest tier it may grant
            <select value={maxTier} onChange={(e) => setMaxTier(e.target.value)}>
              <option value="">None (it may not issue partner credentials)</option>
              {tiers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Valid for (days)
            <input type="number" min={1} max={1825} value={days} onChange={(e) => setDays(e.target.value)} />
          </label>
        </div>
        <ErrorBox error={error} />
        {issued && (
          <p className="ok" role="status" data-testid="authorised">
            {issued}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !ready}>
            {busy ? 'Signing…' : 'Authorise and download .cred'}
          </button>
        </div>
      </form>

      <section className="dist-card" aria-labelledby="authorised-title">
        <h3 id="authorised-title">Authorised distributors</h3>
        {listError && (
          <p className="error" role="alert">
            {listError}
          </p>
        )}
        {list && list.length === 0 && <p className="muted">None yet.</p>}
        {list && list.length > 0 && <p className="muted small">A revocation reaches partners with your next published pack; the partner credentials the distributor issued stop counting then.</p>}
        {list && list.length > 0 && (
          <div className="table-scroll">
            <table className="dist-table" aria-label="Authorised distributors">
              <thead>
                <tr>
                  <th scope="col">Distributor</th>
                  <th scope="col">Key fingerprint</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Valid until</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {list.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">
                      {a.name} <span className="muted small mono">{a.distributorId}</span>
                    </th>
                    <td>
                      <code className="small">{a.fingerprint}</code>
                    </td>
                    <td>{a.scope}</td>
                    <td>{a.issuedAt.slice(0, 10)}</td>
                    <td>{a.expiresAt.slice(0, 10)}</td>
                    <RevokeCell a={a} onRevoked={load} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
