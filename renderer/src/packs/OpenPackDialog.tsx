import { useEffect, useRef, useState } from 'react';
import type { ImportPlanView } from '../../../core/contracts/pack-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';

type Change = ImportPlanView['changes']['added'][number];

function ChangeList({ title, items, format }: { title: string; items: Change[]; format: (c: Change) => string }) {
  if (items.length === 0) return null;
  return (
    <section aria-label={title}>
      <h3>
        {title} ({items.length})
      </h3>
      <ul>
        {items.map((c) => (
          <li key={c.id}>{format(c)}</li>
        ))}
      </ul>
    </section>
  );
}

/**
 * File → Open pack…: the pack is verified and its effect shown before
 * anything is imported: publisher and key fingerprint, whether the key is
 * new, the one pinned before, or a different one (then importing needs an
 * explicit, informed choice), and the templates added, changed and withdrawn.
 */
export function OpenPackDialog({ file, onClose, onImported }: { file: { name: string; data: string }; onClose: () => void; onImported: (plan: ImportPlanView) => void }) {
  const { api } = useApp();
  const dialog = useRef<HTMLDialogElement>(null);
  const [plan, setPlan] = useState<ImportPlanView>();
  const [done, setDone] = useState<ImportPlanView>();
  const [error, setError] = useState<{ title: string; hint: string | undefined; code: string }>();
  const [busy, setBusy] = useState(true);
  const [trust, setTrust] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
    call(api, 'pack:inspect', { data: file.data })
      .then(setPlan)
      .catch((err) => setError(describe(err)))
      .finally(() => setBusy(false));
  }, [api, file.data]);

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await call(api, 'pack:import', { data: file.data, trustNewKey: trust });
      setDone(r);
      onImported(r);
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  const p = done ?? plan;
  const changed = p?.keyStatus === 'changed';
  return (
    <dialog ref={dialog} className="export-dialog pack-dialog" aria-labelledby="pack-title" onClose={onClose} onCancel={onClose}>
      <h2 id="pack-title">{done ? 'Pack imported' : 'Open pack'}</h2>
      <p className="muted small">{file.name}</p>
      {busy && !p && (
        <p role="status">
          <progress /> Checking the signature and every file in the pack…
        </p>
      )}
      {error && (
        <div className="error" role="alert" data-testid="pack-error">
          <p>{error.title}</p>
          {error.hint && <p>{error.hint}</p>}
        </div>
      )}
      {p && (
        <div data-testid="pack-plan">
          <p>
            <strong>{p.publisher.name}</strong> · pack “{p.pack.id}” version {p.pack.version}
            {p.previousVersion !== null && <> (you have version {p.previousVersion})</>}
          </p>
          {changed ? (
            <div className="key-warning" role="alert" data-testid="key-changed">
              <p>
                <strong>{p.publisher.name} signed this pack with a different key</strong> than the one you trusted before. Someone may be pretending to be {p.publisher.name}.
              </p>
              <p className="small">
                Before: <code>{p.pinnedFingerprint}</code>
                <br />
                Now: <code>{p.publisher.fingerprint}</code>
              </p>
              {!done && (
                <label className="checkbox">
                  <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.target.checked)} /> {p.publisher.name} told me their key changed, and the new fingerprint matches what they gave me
                </label>
              )}
            </div>
          ) : (
            <p className="small">
              {p.keyStatus === 'new' ? 'First pack from this publisher: its key will be remembered, and later packs must be signed with it.' : 'Signed with the key you trusted before.'}{' '}
              Fingerprint <code>{p.publisher.fingerprint}</code>
            </p>
          )}
          {p.status === 'same' ? (
            <p>You already have exactly this pack; nothing changes.</p>
          ) : (
            <>
              <ChangeList title="New templates" items={p.changes.added} format={(c) => c.name} />
              <ChangeList title="Updated templates" items={p.changes.changed} format={(c) => `${c.name} (version ${c.from} → ${c.to})`} />
              <ChangeList title="Withdrawn templates" items={p.changes.withdrawn} format={(c) => c.name} />
              {p.drafts.length > 0 && (
                <section aria-label="Your drafts">
                  <h3>Your drafts</h3>
                  <ul>
                    {p.drafts.map((d) => (
                      <li key={d.draftId} className={d.status === 'flagged' ? 'warn' : ''}>
                        {d.note}
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              {p.brand.replacesLocal && <p className="small warn">This pack replaces your local copy of the {p.brand.name} brand and its templates.</p>}
            </>
          )}
        </div>
      )}
      <div className="actions">
        {done ? (
          <button type="button" className="primary" onClick={onClose} autoFocus>
            Done
          </button>
        ) : (
          <>
            <button type="button" onClick={onClose} disabled={busy && Boolean(plan)}>
              Cancel
            </button>
            {plan && plan.status !== 'same' && (
              <button type="button" className="primary" disabled={busy || (changed && !trust)} onClick={() => void run()}>
                {changed ? 'Import and trust the new key' : 'Import pack'}
              </button>
            )}
          </>
        )}
      </div>
    </dialog>
  );
}
