import { useCallback, useEffect, useState } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { downloadBase64 } from '../app/files.ts';

type Info = OpOutput<'pack:publish-info'>;
type Published = OpOutput<'pack:publish'>;

/**
 * File → Publish pack… for one brand: the publishing key (made once, kept in
 * the data folder), what the next version will hold, and the signed pack.
 */
export function PublishPanel({ brandId }: { brandId: string }) {
  const { api, transport, info: app } = useApp();
  const brandName = app.brands.find((b) => b.id === brandId)?.name ?? brandId;
  const [info, setInfo] = useState<Info>();
  const [publisherId, setPublisherId] = useState(brandId);
  const [publisherName, setPublisherName] = useState(brandName);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Published>();
  const [error, setError] = useState<{ title: string; hint: string | undefined }>();

  const load = useCallback(() => {
    call(api, 'pack:publish-info', { brandId })
      .then(setInfo)
      .catch((err) => setError(describe(err)));
  }, [api, brandId]);
  useEffect(load, [load]);

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      const d = describe(err);
      if (d.code !== 'cancelled') setError(d);
    } finally {
      setBusy(false);
    }
  };

  const createKey = () =>
    act(async () => {
      await call(api, 'pack:key-create', { publisherId, publisherName });
      load();
    });

  // In the desktop app main shows a save dialog for path null; the browser host writes to the export folder.
  const publish = () =>
    act(async () => {
      setDone(await call(api, 'pack:publish', { brandId, path: null }));
      load();
    });

  const download = async () => {
    if (!done) return;
    const file = await call(api, 'pack:download', { path: done.path });
    downloadBase64(file.fileName, file.data, 'application/zip');
  };

  if (!info) return error ? <p className="error" role="alert">{error.title}</p> : <p className="muted">Loading…</p>;
  return (
    <section className="publish-panel" aria-labelledby="publish-title">
      <h2 id="publish-title">Publish a signed pack</h2>
      <p className="lead">
        Partners open the pack in Lockup with no network. It carries the {brandName} brand kit, its rules and access levels, and the latest published version of each template; drafts stay here.
        Every file in it is signed with your key, so nobody between you and your partners can change what you locked.
      </p>

      <h3>Publishing key</h3>
      {info.key ? (
        <p data-testid="publish-key">
          {info.key.publisher.name} (<code>{info.key.publisher.id}</code>) · fingerprint <code>{info.key.fingerprint}</code>
          <br />
          <span className="muted small">Partners see this fingerprint when they open your pack. Keep the data folder backed up: later versions must be signed with the same key.</span>
        </p>
      ) : (
        <form
          className="key-form"
          onSubmit={(e) => {
            e.preventDefault();
            void createKey();
          }}
        >
          <label>
            Publisher id
            <input value={publisherId} onChange={(e) => setPublisherId(e.target.value)} pattern="[a-z0-9][a-z0-9._\-]*" required />
          </label>
          <label>
            Publisher name
            <input value={publisherName} onChange={(e) => setPublisherName(e.target.value)} required maxLength={120} />
          </label>
          <button type="submit" disabled={busy}>
            Create publishing key
          </button>
        </form>
      )}

      <h3>Version {info.nextVersion}</h3>
      <p className="muted small">{info.lastVersion === null ? 'Nothing published yet.' : `Last published: version ${info.lastVersion}.`}</p>
      <ul aria-label="Templates in the pack">
        {info.templates.map((t) => (
          <li key={t.id}>
            {t.name} <span className="muted small">({t.id}, version {t.version})</span>
          </li>
        ))}
      </ul>
      {info.revocations > 0 && <p className="small">{info.revocations} revoked credential(s) travel with it.</p>}
      {info.blocked && (
        <p className="notice" role="note">
          {info.blocked}
        </p>
      )}
      <ErrorBox error={error} />
      <div className="actions">
        <button type="button" className="primary" disabled={busy || info.blocked !== null} onClick={() => void publish()}>
          {busy ? 'Publishing…' : `Publish version ${info.nextVersion}`}
        </button>
      </div>
      {done && (
        <div className="export-done" role="status" data-testid="publish-done">
          <p>
            <strong>{done.fileName}</strong> ({(done.byteLength / 1024).toFixed(0)} KB, version {done.version}, {done.templates} templates) is signed and ready to send to partners.
          </p>
          <p className="muted small path">{done.path}</p>
          {transport === 'electron' ? (
            <button type="button" onClick={() => void call(api, 'file:reveal', { path: done.path })}>
              Show in folder
            </button>
          ) : (
            <button type="button" onClick={() => void download()}>
              Download pack
            </button>
          )}
        </div>
      )}
    </section>
  );
}
