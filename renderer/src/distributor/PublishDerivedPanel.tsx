import { useState } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { SourceView, WorkspaceView } from '../../../core/contracts/distributor-api.ts';
import { call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { downloadBase64 } from '../app/files.ts';
import { useAction } from './shared.tsx';

type Published = OpOutput<'distributor:publish'>;

function PublishSource({ source, onPublished }: { source: SourceView; onPublished: () => void }) {
  const { api, transport } = useApp();
  const [done, setDone] = useState<Published>();
  const { busy, error, run } = useAction();
  const sheets = source.templates.filter((t) => t.sheet !== null);
  const last = done ? { path: done.path, fileName: done.fileName, version: done.version } : source.published;

  const publish = () =>
    void run(async () => {
      setDone(await call(api, 'distributor:publish', { vendor: source.vendor.id, path: null }));
      onPublished();
    });
  const download = (file: string) =>
    void run(async () => {
      const f = await call(api, 'pack:download', { path: file });
      downloadBase64(f.fileName, f.data, 'application/zip');
    });

  return (
    <article className="dist-publish" aria-labelledby={`publish-${source.vendor.id}`} data-testid={`publish-${source.vendor.id}`}>
      <h3 id={`publish-${source.vendor.id}`}>
        {source.vendor.name} <span className="muted small">pack {source.pack.id} v{source.pack.version}</span>
      </h3>
      {sheets.length === 0 ? (
        <p className="muted">No sheets yet: build at least one under Sheets.</p>
      ) : (
        <ul aria-label={`Sheets for ${source.vendor.name}`}>
          {sheets.map((t) => (
            <li key={t.id}>{t.name}</li>
          ))}
        </ul>
      )}
      {source.credential.status !== 'valid' && (
        <p className="notice" role="note">
          {source.credential.message ?? `${source.vendor.name}’s authorisation has expired.`}
        </p>
      )}
      <ErrorBox error={error} />
      <div className="actions">
        <button type="button" className="primary" disabled={busy || sheets.length === 0} onClick={publish}>
          {busy ? 'Publishing…' : 'Publish derived pack'}
        </button>
      </div>
      {last && (
        <div className="export-done" role="status" data-testid="derived-done">
          <p>
            <strong>{last.fileName}</strong>
            {done && <> ({(done.byteLength / 1024).toFixed(0)} KB, version {done.version}, {done.templates.length} {done.templates.length === 1 ? 'template' : 'templates'})</>}
            {!done && <> (version {last.version})</>} is signed with your key and carries {source.vendor.name}’s pack unchanged. Send it to your partners.
          </p>
          <p className="muted small path" data-testid="derived-path">
            {last.path}
          </p>
          {transport === 'electron' ? (
            <button type="button" onClick={() => void call(api, 'file:reveal', { path: last.path })}>
              Show in folder
            </button>
          ) : (
            <button type="button" onClick={() => download(last.path)}>
              Download derived pack
            </button>
          )}
        </div>
      )}
    </article>
  );
}

/** Publish: one signed derived pack per vendor, carrying that vendor's pack and your sheets. */
export function PublishDerivedPanel({ ws, reload }: { ws: WorkspaceView; reload: () => void }) {
  return (
    <section className="dist-card" aria-labelledby="dist-publish-title">
      <h2 id="dist-publish-title">Publish</h2>
      <p className="muted">
        A derived pack holds the vendor’s pack byte for byte, the vendor’s authorisation of you, your profile, products and sheets, all signed with your key. Partners check the whole chain offline when they open it.
      </p>
      {!ws.profile && (
        <p className="notice" role="note">
          Save your profile (Identity) first: partners see your name and logo on every sheet.
        </p>
      )}
      {ws.sources.length === 0 ? <p className="muted">Add a vendor’s pack first (Vendors).</p> : ws.sources.map((s) => <PublishSource key={s.vendor.id} source={s} onPublished={reload} />)}
    </section>
  );
}
