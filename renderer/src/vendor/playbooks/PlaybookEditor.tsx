import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AccessLevels } from '../../../../core/model/access.ts';
import { SECTION_KIND_NAMES, type Playbook } from '../../../../core/playbook/model.ts';
import { ApiError, call } from '../../api/client.ts';
import { useApp } from '../../app/context.ts';
import { AccessEditor } from '../designer/PolicyEditors.tsx';
import { friendly, stableJson } from '../draft.ts';
import { errorText } from '../errors.ts';
import { blankSection, normalise, placeOf, showField, slug, validate } from './draft.ts';
import { PathField, PlaybookCtx, type PlaybookEditing } from './fields.tsx';
import { SectionEditor } from './SectionEditor.tsx';

function Problems({ problems, draft }: { problems: ReadonlyMap<string, string>; draft: Playbook }) {
  if (problems.size === 0) return null;
  return (
    <section className="pb-problems" aria-labelledby="pb-problems-title">
      <h3 id="pb-problems-title">To fix before saving ({problems.size})</h3>
      <ul>
        {[...problems].map(([path, message]) => (
          <li key={path}>
            <button type="button" className="link" onClick={() => showField(path)}>
              {placeOf(path, draft)}
            </button>
            : {message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function SaveBar(p: { dirty: boolean; saving: boolean; problems: number; error: string | undefined; saved: boolean; onSave: () => void; onDiscard: () => void }) {
  return (
    <div className={`save-bar${p.dirty ? ' dirty' : ''}`} data-testid="playbook-save-bar">
      <div className="save-status">
        {p.error ? (
          <p className="error" role="alert">
            Not saved: {p.error}
          </p>
        ) : p.saving ? (
          <p role="status">Saving…</p>
        ) : p.problems > 0 ? (
          <p className="error" role="status">
            {p.problems === 1 ? '1 problem' : `${p.problems} problems`} to fix before saving.
          </p>
        ) : p.dirty ? (
          <p role="status" className="unsaved">
            <span className="dot" aria-hidden="true" /> Unsaved changes
          </p>
        ) : (
          <p role="status" className="muted">
            {p.saved ? 'Playbook saved.' : 'No changes.'}
          </p>
        )}
      </div>
      <div className="save-actions">
        <button type="button" onClick={p.onDiscard} disabled={!p.dirty || p.saving}>
          Discard playbook changes
        </button>
        <button type="button" className="primary" onClick={p.onSave} disabled={!p.dirty || p.saving || p.problems > 0} aria-keyshortcuts="Control+S Meta+S">
          Save playbook
        </button>
      </div>
    </div>
  );
}

/** Issues of a refused save, by path (`playbook-invalid` carries them in details.issues). */
function issuesOf(err: unknown): Map<string, string> {
  const issues = err instanceof ApiError ? err.details?.['issues'] : undefined;
  if (!Array.isArray(issues)) return new Map();
  return new Map(issues.filter((i): i is { path: string; message: string } => typeof i?.path === 'string' && typeof i?.message === 'string').map((i) => [i.path, friendly(i.message)]));
}

/**
 * The structured playbook editor: name, summary, who may open it, and
 * sections of blocks and plays. Edits stay in a draft until Save playbook
 * stores a new version (vendor:playbook-save); what the model would refuse
 * is listed with its place, and saving waits until it is fixed.
 */
export function PlaybookEditor(props: { brandId: string; initial: Playbook; isNew: boolean; takenIds: readonly string[]; access: AccessLevels; templates: readonly { id: string; name: string }[] | undefined; onClose: () => void; onSaved: () => void; onDirtyChange: (dirty: boolean) => void }) {
  const { brandId, access, templates, onDirtyChange, onSaved } = props;
  const { api } = useApp();
  const [baseline, setBaseline] = useState<Playbook>(props.initial);
  const baselineRef = useRef(baseline);
  baselineRef.current = baseline;
  const [draft, setDraftState] = useState<Playbook>(props.initial);
  const [isNew, setIsNew] = useState(props.isNew);
  // A new playbook's id follows its name until it is typed in.
  const [idTyped, setIdTyped] = useState(!props.isNew);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [serverProblems, setServerProblems] = useState<Map<string, string>>(new Map());
  const [saved, setSaved] = useState(false);
  const [blocked, setBlocked] = useState<string>();

  // Edits apply to the latest draft at once (not in a state updater), so one handler can chain several.
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const edit = useCallback((change: (d: Playbook) => void) => {
    const next = structuredClone(draftRef.current);
    change(next);
    draftRef.current = next;
    setDraftState(next);
    setServerProblems(new Map());
    setSaveError(undefined);
    setSaved(false);
    setBlocked(undefined);
  }, []);

  const problems = useMemo(() => {
    const local = validate(draft, { isNew, takenIds: props.takenIds });
    for (const [path, message] of serverProblems) if (!local.has(path)) local.set(path, message);
    return local;
  }, [draft, isNew, props.takenIds, serverProblems]);
  const dirty = stableJson(draft) !== stableJson(baseline);

  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);
  useEffect(() => () => onDirtyChange(false), [onDirtyChange]);

  const save = useCallback(async () => {
    const current = draftRef.current;
    setSaving(true);
    setSaveError(undefined);
    try {
      const r = await call(api, 'vendor:playbook-save', { playbook: current, base: isNew ? null : baselineRef.current.version });
      // Read back what was stored (with its new version), so the draft compares against it.
      const stored = normalise(await call(api, 'vendor:playbook-get', { brand: brandId, id: r.id }).catch(() => ({ ...current, version: r.version })));
      setBaseline(stored);
      if (stableJson(draftRef.current) === stableJson(current)) {
        draftRef.current = stored;
        setDraftState(stored);
      }
      setIsNew(false);
      setIdTyped(true);
      setSaved(true);
      onSaved();
    } catch (err) {
      setSaveError(errorText(err));
      setServerProblems(issuesOf(err));
    } finally {
      setSaving(false);
    }
  }, [api, brandId, onSaved, isNew]);

  const canSave = dirty && !saving && problems.size === 0;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        if (canSave) void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canSave, save]);

  const ctx: PlaybookEditing = { draft, edit, problems, templates: templates ?? [], access };
  return (
    <PlaybookCtx.Provider value={ctx}>
      <div className="pb-editor">
        <div className="pb-editor-head">
          <div>
            <p className="eyebrow">{isNew ? 'New playbook' : `Playbook · version ${baseline.version}`}</p>
            <h2>{draft.name || 'Untitled playbook'}</h2>
          </div>
          <button type="button" onClick={() => (dirty ? setBlocked('Save or discard your changes first.') : props.onClose())}>
            Back to playbooks
          </button>
        </div>
        {blocked && (
          <p className="error" role="alert">
            {blocked}
          </p>
        )}
        <Problems problems={problems} draft={draft} />

        <section className="kit-section" aria-labelledby="pb-about-title">
          <h3 id="pb-about-title">About this playbook</h3>
          <div className="grid-2">
            <PathField
              label="Name"
              path="name"
              value={draft.name}
              onChange={(name) =>
                edit((d) => {
                  d.name = name;
                  if (!idTyped) d.id = slug(name);
                })
              }
            />
            {isNew ? (
              <PathField
                label="Playbook id"
                path="id"
                value={draft.id}
                hint="Lower-case letters, digits and dashes; it cannot change once saved."
                onChange={(id) => {
                  setIdTyped(true);
                  edit((d) => {
                    d.id = id;
                  });
                }}
              />
            ) : (
              <div className="pb-field">
                <span className="pb-label">Playbook id</span>
                <span className="mono">{draft.id}</span>
              </div>
            )}
            <div className="span-2">
              <PathField
                label="Summary"
                path="summary"
                value={draft.summary}
                multiline
                rows={2}
                onChange={(summary) =>
                  edit((d) => {
                    d.summary = summary;
                  })
                }
              />
            </div>
          </div>
          <AccessEditor
            legend="Who may open it"
            value={draft.access}
            access={access}
            onChange={(v) =>
              edit((d) => {
                if (v) d.access = v;
                else delete d.access;
              })
            }
          />
        </section>

        <section className="kit-section" aria-labelledby="pb-sections-title">
          <h3 id="pb-sections-title">Sections</h3>
          {draft.sections.map((s, si) => (
            <SectionEditor key={s.id} si={si} section={s} count={draft.sections.length} />
          ))}
          <div className="pb-add-row">
            <button
              type="button"
              onClick={() =>
                edit((d) => {
                  d.sections.push(blankSection('custom', SECTION_KIND_NAMES.custom));
                })
              }
            >
              Add section
            </button>
          </div>
        </section>

        <SaveBar
          dirty={dirty}
          saving={saving}
          problems={problems.size}
          error={saveError}
          saved={saved}
          onSave={() => void save()}
          onDiscard={() => {
            draftRef.current = baseline;
            setDraftState(baseline);
            setServerProblems(new Map());
            setSaveError(undefined);
            setBlocked(undefined);
            if (isNew) setIdTyped(false);
          }}
        />
      </div>
    </PlaybookCtx.Provider>
  );
}
