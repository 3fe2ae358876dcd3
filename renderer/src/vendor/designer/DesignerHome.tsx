import { useCallback, useEffect, useState } from 'react';
import type { OpOutput } from '../../../../core/contracts/api.ts';
import { call } from '../../api/client.ts';
import { describe } from '../../api/messages.ts';
import { useApp } from '../../app/context.ts';
import { Designer } from './Designer.tsx';
import { NewFromPdfDialog, NewTemplateDialog } from './NewTemplateDialogs.tsx';

type Listing = OpOutput<'designer:list'>;
type Versions = OpOutput<'designer:versions'>;

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The brand's templates for the vendor: published ones with their versions,
 * private drafts, "New template" and "New from PDF…", and the designer.
 */
export function DesignerHome({ brandId }: { brandId: string }) {
  const { api } = useApp();
  const [listing, setListing] = useState<Listing>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [open, setOpen] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'new' | 'pdf' | null>(null);
  const [versions, setVersions] = useState<Record<string, Versions>>({});

  const load = useCallback(() => {
    call(api, 'designer:list', { brandId })
      .then((l) => {
        setListing(l);
        setError(undefined);
      })
      .catch((err) => setError(describe(err).title));
  }, [api, brandId]);
  useEffect(load, [load]);
  // Another brand chosen in the workspace: back to its list (the open designer saves as it closes).
  useEffect(() => {
    setOpen(null);
    setVersions({});
    setNotice(undefined);
  }, [brandId]);

  if (open) {
    return (
      <Designer
        key={open}
        draftId={open}
        onClose={(message) => {
          setOpen(null);
          setNotice(message);
          setVersions({});
          load();
        }}
      />
    );
  }

  const readOnly = listing?.brand.publisher != null;
  const edit = async (templateId: string) => {
    try {
      setOpen((await call(api, 'designer:edit', { templateId })).draftId);
    } catch (err) {
      setNotice(describe(err).title);
    }
  };
  const toggleVersions = async (templateId: string) => {
    if (versions[templateId]) {
      const { [templateId]: _, ...rest } = versions;
      setVersions(rest);
      return;
    }
    try {
      const v = await call(api, 'designer:versions', { templateId });
      setVersions((s) => ({ ...s, [templateId]: v }));
    } catch (err) {
      setNotice(describe(err).title);
    }
  };
  const created = (draftId: string) => {
    setDialog(null);
    setNotice(undefined);
    setOpen(draftId);
  };
  const remove = async (draftId: string, name: string) => {
    if (!window.confirm(`Delete the draft of “${name}”? Published versions stay.`)) return;
    try {
      await call(api, 'designer:delete', { draftId });
      setNotice(`Deleted the draft of “${name}”.`);
      load();
    } catch (err) {
      setNotice(describe(err).title);
    }
  };

  return (
    <section className="dz-home" aria-labelledby="dz-home-title">
      <div className="dz-home-head">
        <div>
          <h2 id="dz-home-title">Templates{listing ? ` of ${listing.brand.name}` : ''}</h2>
          <p className="muted small">Drafts are private to you; publishing makes a new version partners get. Published versions never change.</p>
        </div>
        <div className="row">
          <button type="button" onClick={() => setDialog('new')} disabled={readOnly}>
            New template
          </button>
          <button type="button" className="primary" onClick={() => setDialog('pdf')} disabled={readOnly}>
            New from PDF…
          </button>
        </div>
      </div>
      {readOnly && (
        <p className="notice" role="status">
          These templates came in a signed pack from {listing?.brand.publisher}: they are read-only here.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="designer-notice">
          {notice}
        </p>
      )}
      {listing && listing.drafts.length > 0 && (
        <>
          <h3>Drafts</h3>
          <ul className="dz-list" aria-label="Drafts">
            {listing.drafts.map((d) => (
              <li key={d.draftId} className="dz-item" data-template-id={d.templateId}>
                <div className="dz-item-main">
                  <span className="card-title">{d.name}</span>
                  <span className="card-meta">
                    <span className="badge dz-draft-badge">Draft</span>
                    <span>{d.templateId}</span>
                    <span>saved {when(d.updatedAt)}</span>
                    {d.issueCount > 0 && <span className="lock-reason">{d.issueCount} to fix before publishing</span>}
                  </span>
                </div>
                <div className="row">
                  <button type="button" onClick={() => setOpen(d.draftId)} aria-label={`Open draft ${d.name}`}>
                    Open
                  </button>
                  <button type="button" className="link" onClick={() => void remove(d.draftId, d.name)} aria-label={`Delete draft ${d.name}`}>
                    Delete
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Published</h3>
      {listing && listing.templates.length === 0 && <p className="muted">Nothing published yet.</p>}
      <ul className="dz-list" aria-label="Published templates">
        {listing?.templates.map((t) => (
          <li key={t.id} className="dz-item" data-template-id={t.id}>
            <div className="dz-item-main">
              <span className="card-title">{t.name}</span>
              <span className="card-meta">
                <span className="badge" data-testid={`version-${t.id}`} aria-label={`version ${t.latestVersion}`}>
                  v{t.latestVersion}
                </span>
                <span>{t.id}</span>
                <span>{t.category}</span>
                <span>published {when(t.publishedAt)}</span>
                {t.withdrawn && <span className="lock-reason">withdrawn</span>}
                {t.draftId && <span className="lock-reason">draft in progress</span>}
              </span>
              {versions[t.id] && (
                <ol className="dz-versions" aria-label={`Versions of ${t.name}`}>
                  {versions[t.id]!.map((v) => (
                    <li key={v.version}>
                      <strong>v{v.version}</strong> {v.name} <span className="muted small">{when(v.createdAt)}</span>
                    </li>
                  ))}
                </ol>
              )}
            </div>
            <div className="row">
              <button type="button" onClick={() => void edit(t.id)} disabled={readOnly} aria-label={`${t.draftId ? 'Continue editing' : 'Edit'} ${t.name}`}>
                {t.draftId ? 'Continue editing' : 'Edit'}
              </button>
              {t.draftId && (
                <button type="button" className="link" onClick={() => void remove(t.draftId!, t.name)} aria-label={`Discard the draft of ${t.name}`}>
                  Discard draft
                </button>
              )}
              <button type="button" className="link" onClick={() => void toggleVersions(t.id)} aria-expanded={versions[t.id] !== undefined} aria-label={`Versions of ${t.name}`}>
                {t.versions} version{t.versions === 1 ? '' : 's'}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {dialog === 'new' && <NewTemplateDialog brandId={brandId} onClose={() => setDialog(null)} onCreated={created} />}
      {dialog === 'pdf' && <NewFromPdfDialog brandId={brandId} onClose={() => setDialog(null)} onCreated={created} />}
    </section>
  );
}
