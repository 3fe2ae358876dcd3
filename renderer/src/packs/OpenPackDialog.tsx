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

const day = (iso: string) => iso.slice(0, 10);

/**
 * A distributor's derived pack: who distributes it, that the vendor
 * authorised that distributor (and for what), and the vendor's pack it
 * carries. Everything here was verified before the dialog shows it.
 */
function DerivedChain({ plan }: { plan: ImportPlanView }) {
  const d = plan.derived!;
  const scope = d.credential.scope;
  const templates = scope.templates === 'all' ? 'all templates' : `${scope.templates.length} ${scope.templates.length === 1 ? 'template' : 'templates'}`;
  return (
    <section className="pack-chain" aria-label="Chain of trust" data-testid="pack-chain">
      <ol>
        <li>
          Distributed by <strong>{d.distributor.name}</strong> · overlay “{d.overlay.id}” version {d.overlay.version}
          {d.previousVersion !== null && <> (you have version {d.previousVersion})</>}
          <br />
          <span className="small">
            {d.keyStatus === 'new' ? 'First pack from this distributor: its key will be remembered.' : d.keyStatus === 'pinned' ? 'Signed with the key you trusted before.' : 'Signed with a different key than before.'} Fingerprint{' '}
            <code>{d.distributor.fingerprint}</code>
          </span>
        </li>
        <li>
          Authorised by <strong>{plan.publisher.name}</strong> until {day(d.credential.expiresAt)} for {templates}
          {scope.maxTier ? `, partner credentials up to ${scope.maxTier}` : ''}
        </li>
        <li>
          Carries <strong>{plan.publisher.name}</strong>’s own pack “{d.vendorPack.pack}” version {d.vendorPack.version}, unchanged; {d.lockedChecked} locked {d.lockedChecked === 1 ? 'element' : 'elements'} checked identical to {plan.publisher.name}’s.
        </li>
      </ol>
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
  const d = p?.derived;
  const distributorChanged = d?.keyStatus === 'changed';
  const changed = p?.keyStatus === 'changed' || distributorChanged;
  const same = p?.status === 'same' && (!d || d.status === 'same');
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
          {d && <DerivedChain plan={p} />}
          {p.keyStatus === 'changed' ? (
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
          ) : d && distributorChanged ? (
            <div className="key-warning" role="alert" data-testid="key-changed">
              <p>
                <strong>{d.distributor.name} signed this pack with a different key</strong> than the one you trusted before. Someone may be pretending to be {d.distributor.name}.
              </p>
              <p className="small">
                Before: <code>{d.pinnedFingerprint}</code>
                <br />
                Now: <code>{d.distributor.fingerprint}</code>
              </p>
              {!done && (
                <label className="checkbox">
                  <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.target.checked)} /> {d.distributor.name} told me their key changed, and the new fingerprint matches what they gave me
                </label>
              )}
            </div>
          ) : (
            <p className="small">
              {p.keyStatus === 'new' ? 'First pack from this publisher: its key will be remembered, and later packs must be signed with it.' : 'Signed with the key you trusted before.'}{' '}
              Fingerprint <code>{p.publisher.fingerprint}</code>
            </p>
          )}
          {same ? (
            <p>You already have exactly this pack; nothing changes.</p>
          ) : (
            <>
              <ChangeList title="New templates" items={p.changes.added} format={(c) => c.name} />
              <ChangeList title="Updated templates" items={p.changes.changed} format={(c) => `${c.name} (version ${c.from} → ${c.to})`} />
              <ChangeList title="Withdrawn templates" items={p.changes.withdrawn} format={(c) => c.name} />
              {d && <ChangeList title={`New from ${d.distributor.name}`} items={d.changes.added} format={(c) => c.name} />}
              {d && <ChangeList title={`Updated from ${d.distributor.name}`} items={d.changes.changed} format={(c) => `${c.name} (version ${c.from} → ${c.to})`} />}
              {d && <ChangeList title={`Withdrawn by ${d.distributor.name}`} items={d.changes.withdrawn} format={(c) => c.name} />}
              {p.drafts.length + (d?.drafts.length ?? 0) > 0 && (
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
            {plan && !same && (
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
