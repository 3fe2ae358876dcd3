import { useCallback, useEffect, useState } from 'react';
import type { OpOutput } from '../../../../core/contracts/api.ts';
import type { AccessLevels } from '../../../../core/model/access.ts';
import type { Playbook } from '../../../../core/playbook/model.ts';
import { call } from '../../api/client.ts';
import { useApp } from '../../app/context.ts';
import { errorText } from '../errors.ts';
import { blankPlaybook, normalise } from './draft.ts';
import { PlaybookEditor } from './PlaybookEditor.tsx';
import './playbooks.css';

type Summary = OpOutput<'vendor:playbooks'>[number];
type Templates = OpOutput<'designer:list'>['templates'];

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function Row({ pb, readOnly, onEdit, onDelete }: { pb: Summary; readOnly: boolean; onEdit: () => void; onDelete: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <tr data-playbook={pb.id}>
      <th scope="row">{pb.name}</th>
      <td>{pb.sections}</td>
      <td>{pb.plays}</td>
      <td>{pb.version}</td>
      <td>{when(pb.updatedAt)}</td>
      <td>
        {!readOnly && (
          <div className="row-actions">
            {confirming ? (
              <>
                <span className="small">Delete “{pb.name}”?</span>
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() => {
                    setBusy(true);
                    void onDelete().finally(() => {
                      setBusy(false);
                      setConfirming(false);
                    });
                  }}
                >
                  Delete playbook
                </button>
                <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
                  Cancel
                </button>
              </>
            ) : (
              <>
                <button type="button" onClick={onEdit} aria-label={`Edit ${pb.name}`}>
                  Edit
                </button>
                <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={`Delete ${pb.name}`}>
                  Delete
                </button>
              </>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}

/**
 * The vendor's Playbooks tab: the brand's playbooks, and the structured
 * editor for a new one or one being changed. The editor reports unsaved
 * changes so the workspace keeps them from being dropped.
 */
export function PlaybooksPanel({ brandId, access, readOnly, onDirtyChange }: { brandId: string; access: AccessLevels; readOnly: boolean; onDirtyChange: (dirty: boolean) => void }) {
  const { api } = useApp();
  const [list, setList] = useState<Summary[]>();
  const [templates, setTemplates] = useState<Templates>();
  const [open, setOpen] = useState<{ playbook: Playbook; isNew: boolean } | null>(null);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const load = useCallback(() => {
    call(api, 'vendor:playbooks', { brand: brandId })
      .then((l) => {
        setList(l);
        setError(undefined);
      })
      .catch((err) => setError(errorText(err)));
  }, [api, brandId]);
  useEffect(load, [load]);
  useEffect(() => {
    setOpen(null);
    setNotice(undefined);
    setTemplates(undefined);
    call(api, 'designer:list', { brandId })
      .then((l) => setTemplates(l.templates))
      .catch(() => setTemplates(undefined));
  }, [api, brandId]);

  const edit = async (id: string) => {
    setNotice(undefined);
    try {
      setOpen({ playbook: normalise(await call(api, 'vendor:playbook-get', { brand: brandId, id })), isNew: false });
    } catch (err) {
      setError(errorText(err));
    }
  };
  const remove = async (pb: Summary) => {
    try {
      await call(api, 'vendor:playbook-delete', { brand: brandId, id: pb.id });
      setNotice(`“${pb.name}” deleted.`);
      load();
    } catch (err) {
      setError(errorText(err));
    }
  };

  if (open) {
    return (
      <PlaybookEditor
        key={`${open.playbook.id}@${open.playbook.version}`}
        brandId={brandId}
        initial={open.playbook}
        isNew={open.isNew}
        takenIds={list?.map((p) => p.id) ?? []}
        access={access}
        templates={templates?.map((t) => ({ id: t.id, name: t.withdrawn ? `${t.name} (withdrawn)` : t.name }))}
        onSaved={load}
        onClose={() => {
          setOpen(null);
          load();
        }}
        onDirtyChange={onDirtyChange}
      />
    );
  }

  return (
    <section className="kit-section pb-list" aria-labelledby="pb-list-title">
      <div className="kit-section-head">
        <div>
          <h2 id="pb-list-title">Playbooks</h2>
          <p className="muted small">Guides your partners follow: sections of text, images and links to your templates, and plays with steps they tick off. They travel in your pack.</p>
        </div>
        {!readOnly && (
          <div className="kit-section-actions">
            <button type="button" className="primary" onClick={() => setOpen({ playbook: blankPlaybook(brandId), isNew: true })}>
              New playbook
            </button>
          </div>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {!list && !error && <p className="muted">Loading playbooks…</p>}
      {list && list.length === 0 && <p className="muted">No playbooks yet.</p>}
      {list && list.length > 0 && (
        <div className="table-scroll">
          <table className="pb-table" aria-label="Playbooks">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Sections</th>
                <th scope="col">Plays</th>
                <th scope="col">Version</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((pb) => (
                <Row key={pb.id} pb={pb} readOnly={readOnly} onEdit={() => void edit(pb.id)} onDelete={() => remove(pb)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
