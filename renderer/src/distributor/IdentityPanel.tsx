import { useState, type FormEvent } from 'react';
import type { WorkspaceView } from '../../../core/contracts/distributor-api.ts';
import { Id } from '../../../core/model/access.ts';
import { call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { fileToBase64 } from '../app/files.ts';
import { AssetImage, CopyField, imageFormat, useAction } from './shared.tsx';

/** A distributor's id suggested from its name ("Northwind Distribution" → "northwind-distribution"). */
const suggestId = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);

/** No key yet: the distributor's id and name, and the signing key that vendors authorise. */
function KeyForm({ onCreated }: { onCreated: () => void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const { busy, error, run } = useAction();
  const effectiveId = idTouched ? id : suggestId(name);
  const idProblem = effectiveId !== '' && !Id.safeParse(effectiveId).success ? 'Use lower-case letters, digits, ".", "_" or "-" (no spaces)' : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await call(api, 'pack:key-create', { publisherId: effectiveId, publisherName: name.trim() });
      onCreated();
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="dist-key-title" className="dist-card">
      <h2 id="dist-key-title">Your distributor identity</h2>
      <p className="muted">
        Lockup makes a signing key for your workspace. Vendors authorise that key; your derived packs and the credentials you issue to your partners are signed with it. Keep the data folder backed up.
      </p>
      <div className="grid-2">
        <label>
          Distributor name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoFocus />
        </label>
        <div className="dist-field">
          <label htmlFor="dist-id">Distributor id</label>
          <input
            id="dist-id"
            className="mono"
            value={effectiveId}
            onChange={(e) => {
              setIdTouched(true);
              setId(e.target.value);
            }}
            required
            aria-invalid={idProblem !== undefined}
            aria-describedby="dist-id-help"
          />
          <span id="dist-id-help" className={idProblem ? 'field-problem' : 'muted small'}>
            {idProblem ?? 'Your derived templates are named after it; it cannot change later.'}
          </span>
        </div>
      </div>
      <ErrorBox error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || name.trim() === '' || effectiveId === '' || idProblem !== undefined}>
          {busy ? 'Creating…' : 'Create signing key'}
        </button>
      </div>
    </form>
  );
}

/** Name, contact line and logo: partners see them on every sheet you derive. */
function ProfileForm({ ws, onSaved }: { ws: WorkspaceView; onSaved: (ws: WorkspaceView) => void }) {
  const { api } = useApp();
  const p = ws.profile;
  const [name, setName] = useState(p?.name ?? ws.key?.publisher.name ?? '');
  const [contact, setContact] = useState({ phone: '', email: '', url: '', ...p?.contact });
  const [logo, setLogo] = useState<File>();
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void run(async () => {
      const clean = Object.fromEntries(Object.entries(contact).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
      const next = await call(api, 'distributor:profile-save', { name: name.trim(), contact: clean, ...(logo ? { logo: { data: await fileToBase64(logo), fileName: logo.name } } : {}) });
      setLogo(undefined);
      setSaved(true);
      onSaved(next);
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="dist-profile-title" className="dist-card">
      <h2 id="dist-profile-title">Profile</h2>
      <p className="muted">Your name, contact line and logo appear on the sheets you derive, next to the vendor’s and your partner’s.</p>
      <div className="grid-2">
        <label>
          Name on sheets
          <input name="dist-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
        </label>
        <label>
          Phone
          <input value={contact.phone} onChange={(e) => setContact({ ...contact, phone: e.target.value })} maxLength={60} />
        </label>
        <label>
          Email
          <input type="email" value={contact.email} onChange={(e) => setContact({ ...contact, email: e.target.value })} maxLength={200} />
        </label>
        <label>
          Website
          <input value={contact.url} onChange={(e) => setContact({ ...contact, url: e.target.value })} maxLength={500} />
        </label>
        <div className="dist-field">
          <label htmlFor="dist-logo">Logo file</label>
          <input id="dist-logo" type="file" accept=".png,.jpg,.jpeg,.svg" onChange={(e) => setLogo(e.target.files?.[0])} aria-describedby="dist-logo-help" />
          <span id="dist-logo-help" className="muted small">
            PNG, JPEG or SVG. {p?.logo ? 'Choose a file only to replace the current logo.' : ''}
          </span>
        </div>
        <figure className="logo-preview light dist-logo" aria-label="Your logo">
          <div className="swatch">{p?.logo ? <AssetImage assetRef={p.logo.ref} format={imageFormat(p.logo.name)} alt={`${p.name} logo`} width={220} /> : <span className="muted small">No logo yet</span>}</div>
          {p?.logo && (
            <figcaption>
              {p.logo.name} · {p.logo.width} × {p.logo.height}
            </figcaption>
          )}
        </figure>
      </div>
      <ErrorBox error={error} />
      {saved && (
        <p className="ok" role="status">
          Profile saved.
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || name.trim() === ''}>
          {busy ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}

/** Identity: the signing key (or the form that makes it) and the profile. */
export function IdentityPanel({ ws, onChanged, reload }: { ws: WorkspaceView; onChanged: (ws: WorkspaceView) => void; reload: () => void }) {
  if (!ws.key) return <KeyForm onCreated={reload} />;
  return (
    <>
      <section className="dist-card" aria-labelledby="dist-identity-title">
        <h2 id="dist-identity-title">Your distributor identity</h2>
        <dl className="dist-facts" data-testid="dist-key">
          <dt>Name</dt>
          <dd>{ws.key.publisher.name}</dd>
          <dt>Id</dt>
          <dd>
            <code>{ws.key.publisher.id}</code>
          </dd>
          <dt>Fingerprint</dt>
          <dd>
            <code>{ws.key.fingerprint}</code>
          </dd>
        </dl>
        <CopyField id="dist-public-key" label="Public key" value={ws.key.publicKey} />
        <p className="muted small">Send this public key to each vendor you distribute for: the vendor authorises it and sends you back an authorisation (.cred) file.</p>
      </section>
      <ProfileForm ws={ws} onSaved={onChanged} />
    </>
  );
}
