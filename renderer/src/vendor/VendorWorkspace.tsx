import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { BrandEditView } from '../../../core/contracts/vendor-api.ts';
import { ApiError, call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { MdfProgramPanel } from '../mdf/MdfProgramPanel.tsx';
import { InsightsPanel } from '../insights/InsightsPanel.tsx';
import { PublishPanel } from '../packs/PublishPanel.tsx';
import { AccessLevelsEditor } from './AccessLevelsEditor.tsx';
import { BrandKitEditor } from './BrandKitEditor.tsx';
import { DistributorsPanel } from './DistributorsPanel.tsx';
import { DesignerHome } from './designer/DesignerHome.tsx';
import { fieldId, friendly, fromBrand, rebase, stableJson, toBrand, validate, type Draft } from './draft.ts';
import type { EditorContext } from './editor-context.tsx';
import { errorText } from './errors.ts';
import { NewBrandForm } from './NewBrandForm.tsx';
import { PlaybooksPanel } from './playbooks/PlaybooksPanel.tsx';
import { TrainingPanel } from './playbooks/TrainingPanel.tsx';
import './vendor.css';

export type Tab = 'kit' | 'access' | 'templates' | 'playbooks' | 'training' | 'mdf' | 'publish' | 'distributors' | 'insights';
const TABS: { id: Tab; label: string }[] = [
  { id: 'kit', label: 'Brand kit' },
  { id: 'access', label: 'Access levels' },
  { id: 'templates', label: 'Templates' },
  { id: 'playbooks', label: 'Playbooks' },
  { id: 'training', label: 'Training' },
  { id: 'mdf', label: 'MDF program' },
  { id: 'publish', label: 'Publish' },
  { id: 'distributors', label: 'Distributors' },
  { id: 'insights', label: 'Insights' },
];

/** The brand last worked on, per browser profile (a convenience, not data). */
const LAST_BRAND = 'lockup-vendor-brand';

type BrandSummary = OpOutput<'brand:list'>[number];

function SaveBar(p: { dirty: boolean; saving: boolean; problems: Map<string, string>; error: string | undefined; saved: boolean; onSave: () => void; onDiscard: () => void; onShowProblem: (path: string) => void }) {
  const first = p.problems.entries().next().value;
  return (
    <div className={`save-bar${p.dirty ? ' dirty' : ''}`} data-testid="save-bar">
      <div className="save-status">
        {p.error ? (
          <p className="error" role="alert">
            Not saved: {p.error}
          </p>
        ) : p.problems.size > 0 ? (
          <p className="error" role="status">
            {p.problems.size === 1 ? '1 problem' : `${p.problems.size} problems`} to fix before saving.{' '}
            {first && (
              <button type="button" className="link" onClick={() => p.onShowProblem(first[0])}>
                Show {first[0].startsWith('access.') ? 'in access levels' : 'it'}: {first[1]}
              </button>
            )}
          </p>
        ) : p.saving ? (
          <p role="status">Saving…</p>
        ) : p.dirty ? (
          <p role="status" className="unsaved">
            <span className="dot" aria-hidden="true" /> Unsaved changes
          </p>
        ) : (
          <p role="status" className="muted">
            {p.saved ? 'All changes saved.' : 'No changes.'}
          </p>
        )}
      </div>
      <div className="save-actions">
        <button type="button" onClick={p.onDiscard} disabled={!p.dirty || p.saving}>
          Discard changes
        </button>
        <button type="button" className="primary" onClick={p.onSave} disabled={!p.dirty || p.saving || p.problems.size > 0} aria-keyshortcuts="Control+S Meta+S">
          {p.saving ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </div>
  );
}

/**
 * The vendor workspace: a brand picker, and for the chosen brand its kit,
 * its access levels, its templates (the designer) and publishing. The kit
 * and access levels are one draft saved together, explicitly.
 */
export function VendorWorkspace({ onBrandsChanged, onDirtyChange, initialTab = 'kit' }: { onBrandsChanged: () => void; onDirtyChange?: (dirty: boolean) => void; initialTab?: Tab }) {
  const { api } = useApp();
  const [brands, setBrands] = useState<BrandSummary[]>();
  const [selected, setSelected] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [view, setView] = useState<BrandEditView>();
  const [draft, setDraftState] = useState<Draft>();
  const [tab, setTab] = useState<Tab>(initialTab);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [serverProblems, setServerProblems] = useState<Map<string, string>>(new Map());
  const [saved, setSaved] = useState(false);
  const [blocked, setBlocked] = useState<string>();
  const [loadError, setLoadError] = useState<string>();
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ kit: null, access: null, templates: null, playbooks: null, training: null, mdf: null, publish: null, distributors: null, insights: null });
  // The playbook editor's unsaved changes: they live in its panel, so leaving the tab or the brand would drop them.
  const [playbookDirty, setPlaybookDirty] = useState(false);

  // Edits apply at once to the latest draft (not in a state updater), so handlers can read their event and chain edits.
  const draftRef = useRef<Draft | undefined>(draft);
  draftRef.current = draft;
  const setDraft = useCallback((d: Draft | undefined) => {
    draftRef.current = d;
    setDraftState(d);
  }, []);
  const edit = useCallback(
    (change: (d: Draft) => void) => {
      const current = draftRef.current;
      if (!current) return;
      const next = structuredClone(current);
      change(next);
      setDraft(next);
      setServerProblems(new Map());
      setSaveError(undefined);
      setSaved(false);
      setBlocked(undefined);
    },
    [setDraft],
  );

  const loadBrands = useCallback(
    async (prefer?: string) => {
      const list = await call(api, 'brand:list', {});
      setBrands(list);
      const remembered = prefer ?? localStorage.getItem(LAST_BRAND) ?? undefined;
      setSelected(list.find((b) => b.id === remembered)?.id ?? list.find((b) => b.publisher === null)?.id ?? list[0]?.id);
      if (list.length === 0) setCreating(true);
    },
    [api],
  );

  useEffect(() => {
    loadBrands().catch((err) => setLoadError(describe(err).title));
  }, [loadBrands]);

  useEffect(() => {
    if (!selected) return;
    localStorage.setItem(LAST_BRAND, selected);
    let alive = true;
    setView(undefined);
    setDraft(undefined);
    setSaved(false);
    call(api, 'brand:get', { id: selected })
      .then((v) => {
        if (!alive) return;
        setView(v);
        setDraft(fromBrand(v.brand));
      })
      .catch((err) => alive && setLoadError(describe(err).title));
    return () => {
      alive = false;
    };
  }, [api, selected, setDraft]);

  /**
   * What templates use changes when the designer publishes: re-read it (not the brand, which is the
   * draft's baseline) when coming back to the editors, and after a save refused for it.
   */
  const refreshUsage = useCallback(async () => {
    const id = view?.brand.id;
    if (!id) return;
    const fresh = await call(api, 'brand:get', { id });
    setView((v) => (v && v.brand.id === fresh.brand.id ? { ...v, usage: fresh.usage } : v));
  }, [api, view?.brand.id]);

  const problems = useMemo(() => {
    if (!draft) return new Map<string, string>();
    const local = validate(draft, view?.usage);
    for (const [path, message] of serverProblems) if (!local.has(path)) local.set(path, message);
    return local;
  }, [draft, view, serverProblems]);
  const dirty = draft !== undefined && view !== undefined && stableJson(toBrand(draft)) !== stableJson(view.brand);
  const readOnly = Boolean(view?.publisher);

  const save = useCallback(async () => {
    const current = draftRef.current;
    if (!current || saving) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const result = await call(api, 'brand:save', { brand: toBrand(current) });
      setView(result);
      setDraft(rebase(draftRef.current ?? current));
      setSaved(true);
      setBrands((list) => list?.map((b) => (b.id === result.brand.id ? { ...b, name: result.brand.name } : b)));
      onBrandsChanged();
    } catch (err) {
      setSaveError(errorText(err));
      if (err instanceof ApiError && err.code === 'in-use') void refreshUsage().catch(() => undefined);
      const issues = err instanceof ApiError ? err.details?.['issues'] : undefined;
      if (Array.isArray(issues)) {
        setServerProblems(new Map(issues.filter((i): i is { path: string; message: string } => typeof i?.path === 'string' && typeof i?.message === 'string').map((i) => [i.path, friendly(i.message)])));
      }
    } finally {
      setSaving(false);
    }
  }, [api, saving, setDraft, onBrandsChanged, refreshUsage]);

  useEffect(() => {
    onDirtyChange?.(dirty || playbookDirty);
  }, [dirty, playbookDirty, onDirtyChange]);
  useEffect(() => () => onDirtyChange?.(false), [onDirtyChange]);

  const canSave = dirty && !saving && problems.size === 0 && !readOnly;
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && (tab === 'kit' || tab === 'access')) {
        e.preventDefault();
        if (canSave) void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canSave, save, tab]);

  const showProblem = (path: string) => {
    const target: Tab = path.startsWith('access.') ? 'access' : 'kit';
    setTab(target);
    requestAnimationFrame(() => {
      const el = document.getElementById(fieldId(path));
      el?.scrollIntoView({ block: 'center' });
      el?.focus();
    });
  };

  const switchBrand = (id: string) => {
    if (playbookDirty) {
      setBlocked('Save or discard the playbook changes first.');
      return;
    }
    if (dirty) {
      setBlocked(`Save or discard the changes to ${view?.brand.name ?? 'this brand'} first.`);
      return;
    }
    setCreating(false);
    setSelected(id);
  };

  const selectTab = (next: Tab) => {
    if (playbookDirty && next !== tab) {
      setBlocked('Save or discard the playbook changes first.');
      return;
    }
    setBlocked(undefined);
    if ((next === 'kit' || next === 'access') && tab !== 'kit' && tab !== 'access') void refreshUsage().catch(() => undefined);
    setTab(next);
  };

  // File → Publish Pack… while the workspace is open (App opens it on the Publish tab otherwise).
  const selectTabRef = useRef(selectTab);
  selectTabRef.current = selectTab;
  useEffect(() => window.lockupMenu?.onCommand((command) => command.name === 'publish-pack' && selectTabRef.current('publish')), []);

  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const to = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    selectTab(TABS[to]!.id);
    if (!playbookDirty) tabRefs.current[TABS[to]!.id]?.focus();
  };

  if (loadError) {
    return (
      <main className="vendor">
        <h1>Vendor workspace</h1>
        <p className="error" role="alert">
          {loadError}
        </p>
      </main>
    );
  }

  const ctx: EditorContext | undefined = draft ? { draft, edit, problems, usage: view?.usage, readOnly } : undefined;
  const hasBrands = (brands?.length ?? 0) > 0;

  return (
    <main className="vendor">
      <header className="vendor-head">
        <div>
          <p className="eyebrow">Vendor workspace</p>
          <h1>{brands === undefined ? 'Vendor workspace' : !hasBrands ? 'Set up your brand' : creating ? 'New brand' : (view?.brand.name ?? brands?.find((b) => b.id === selected)?.name ?? 'Vendor workspace')}</h1>
        </div>
        {hasBrands && (
          <div className="brand-picker">
            <label>
              Brand
              <select value={creating ? '' : (selected ?? '')} onChange={(e) => switchBrand(e.target.value)}>
                {creating && <option value="">New brand…</option>}
                {brands!.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                    {b.publisher ? ' (read-only)' : ''}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              onClick={() => {
                if (playbookDirty) return setBlocked('Save or discard the playbook changes first.');
                if (dirty) return setBlocked(`Save or discard the changes to ${view?.brand.name ?? 'this brand'} first.`);
                setCreating(true);
              }}
              disabled={creating}
            >
              New brand…
            </button>
          </div>
        )}
      </header>
      {blocked && (
        <p className="error" role="alert">
          {blocked}
        </p>
      )}

      {creating || !hasBrands ? (
        brands && (
          <NewBrandForm
            existingIds={brands.map((b) => b.id)}
            onCancel={hasBrands ? () => setCreating(false) : undefined}
            onCreated={(v) => {
              setCreating(false);
              setTab('kit');
              onBrandsChanged();
              void loadBrands(v.brand.id);
            }}
          />
        )
      ) : (
        <>
          {readOnly && (
            <p className="readonly-note" role="note">
              Published by {view?.publisher?.name}; you can use it but not change it.
            </p>
          )}
          <div className="tabs" role="tablist" aria-label="Brand" onKeyDown={onTabKey}>
            {TABS.map((t) => (
              <button
                key={t.id}
                ref={(el) => {
                  tabRefs.current[t.id] = el;
                }}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`panel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => selectTab(t.id)}
              >
                {t.label}
                {dirty && (t.id === 'kit' || t.id === 'access') && (
                  <>
                    <span className="dot" aria-hidden="true" />
                    <span className="sr-only"> (unsaved changes)</span>
                  </>
                )}
              </button>
            ))}
          </div>
          <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {!ctx || !selected || !view ? (
              <p className="muted">Opening the brand…</p>
            ) : tab === 'kit' ? (
              <fieldset className="plain" disabled={readOnly}>
                <BrandKitEditor ctx={ctx} />
              </fieldset>
            ) : tab === 'access' ? (
              <fieldset className="plain" disabled={readOnly}>
                <AccessLevelsEditor ctx={ctx} />
              </fieldset>
            ) : tab === 'templates' ? (
              <DesignerHome brandId={selected} />
            ) : tab === 'playbooks' ? (
              <PlaybooksPanel brandId={selected} access={view.brand.access} readOnly={readOnly} onDirtyChange={setPlaybookDirty} />
            ) : tab === 'training' ? (
              <TrainingPanel brandId={selected} access={view.brand.access} readOnly={readOnly} />
            ) : tab === 'mdf' ? (
              <MdfProgramPanel brandId={selected} access={view.brand.access} readOnly={readOnly} />
            ) : tab === 'insights' ? (
              <InsightsPanel scope="vendor" />
            ) : tab === 'publish' ? (
              <PublishPanel brandId={selected} />
            ) : (
              <DistributorsPanel brandId={selected} brandName={view?.brand.name ?? selected} tiers={view?.brand.access.tiers ?? []} />
            )}
          </div>
          {ctx && !readOnly && (tab === 'kit' || tab === 'access' || dirty) && (
            <SaveBar
              dirty={dirty}
              saving={saving}
              problems={problems}
              error={saveError}
              saved={saved}
              onSave={() => void save()}
              onDiscard={() => {
                if (view) setDraft(fromBrand(view.brand));
                setServerProblems(new Map());
                setSaveError(undefined);
                setBlocked(undefined);
              }}
              onShowProblem={showProblem}
            />
          )}
        </>
      )}
    </main>
  );
}
