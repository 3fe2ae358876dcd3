import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FindingView } from '../../../../core/contracts/api.ts';
import type { DraftView } from '../../../../core/contracts/designer-api.ts';
import type { ItemView, PlanView } from '../../../../core/contracts/plan-view.ts';
import { addZone, deleteZone, duplicateZone, locateZone, nudgeZone, pageBounds, reorderZone, setZoneRect, updateZone, type DesignResult } from '../../../../core/designer/commands.ts';
import type { SampleKind } from '../../../../core/designer/samples.ts';
import { checkDraft } from '../../../../core/designer/validate.ts';
import { ZONE_KIND_LABELS, ZONE_KINDS, zoneLabel, type DesignKit } from '../../../../core/designer/zones.ts';
import { History } from '../../../../core/document/commands.ts';
import type { Rect, Template, Zone, ZoneKind } from '../../../../core/model/template.ts';
import { call } from '../../api/client.ts';
import { describe } from '../../api/messages.ts';
import { useApp } from '../../app/context.ts';
import { fileToBase64, pickFile } from '../../app/files.ts';
import { base64ToBytes, renderPdfPage, type Drawable } from '../../canvas/assets.ts';
import { DesignerCanvas, type DesignZoneState } from '../../canvas/designer-canvas.ts';
import { planNeeds } from '../../canvas/draw-plan.ts';
import { continuationCount, planPageOf } from '../../../../core/compose/pages.ts';
import { FieldsTab } from './FieldsTab.tsx';
import { Inspector } from './Inspector.tsx';
import { ChecksPanel, LayersPanel, PreviewPanel, type PreviewPartner } from './Panels.tsx';
import { PublishDialog } from './PublishDialog.tsx';
import { TemplateTab } from './TemplateTab.tsx';

declare global {
  interface Window {
    /** Read-only view of the designer for end-to-end tests and accessibility tooling. */
    lockupDesigner?: {
      zones: () => DesignZoneState[];
      template: () => Template | undefined;
      selected: () => string | null;
      zoom: () => number;
      /** Where a page point is on screen (CSS pixels, viewport coordinates). */
      toClient: (x: number, y: number) => { x: number; y: number };
      /** True when the latest change is drawn from the engine and saved. */
      ready: () => boolean;
      /** Ids of the zones the engine drew on the current page (hidden and invalid ones are absent). */
      drawn: () => string[];
    };
  }
}

type Tab = 'zone' | 'fields' | 'template' | 'checks';
type SaveState = 'saved' | 'saving' | 'unsaved' | 'error';

interface Preview {
  plan: PlanView | undefined;
  findings: FindingView[];
  hidden: { zoneId: string; reason: string }[];
  ms: number;
}

/** Who the design view is drawn for: with a distributor, so zones that show the distributor's name have text. */
const DESIGN_PARTNER = { certifications: [], distributor: true };

/** A zone filling the whole page is the background: pinned so clicks reach what lies on it. */
function isBackground(z: Zone, t: Template): boolean {
  const { width, height } = pageBounds(t);
  return z.kind === 'image' && z.rect.x <= 0.5 && z.rect.y <= 0.5 && z.rect.x + z.rect.w >= width - 0.5 && z.rect.y + z.rect.h >= height - 0.5;
}

function base64ToBlob(b64: string, type: string): Blob {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

/**
 * The template designer: draw, move and resize zones with snapping, set
 * their properties, declare fields, preview as any partner with sample data,
 * and publish. The page is drawn by the real engine (designer:preview), the
 * same plan partners' editors and exports use; every change is a core
 * command (core/designer/commands.ts) with undo, and the draft autosaves.
 */
export function Designer({ draftId, onClose }: { draftId: string; onClose: (message?: string) => void }) {
  const { api, assets } = useApp();
  const [view, setView] = useState<DraftView>();
  const [template, setTemplate] = useState<Template>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [selected, setSelected] = useState<string | null>(null);
  const [pageIndex, setPageIndex] = useState(0);
  const [tool, setTool] = useState<ZoneKind | null>(null);
  const [mode, setMode] = useState<'design' | 'preview'>('design');
  const [tab, setTab] = useState<Tab>('template');
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [partner, setPartner] = useState<PreviewPartner>({ tier: '', type: '', region: '', certifications: [], distributor: false });
  const [sample, setSample] = useState<SampleKind>('typical');
  const [preview, setPreview] = useState<Preview>();
  const [pinned, setPinned] = useState<Set<string>>(new Set());
  const [snap, setSnap] = useState<{ on: boolean; grid: number }>({ on: true, grid: 0 });
  const [publishing, setPublishing] = useState(false);
  const [ready, setReady] = useState(false);
  const history = useRef<History<Template>>(undefined);
  const lastEdit = useRef<{ key: string; at: number } | undefined>(undefined);
  const canvasEl = useRef<HTMLCanvasElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLElement>(null);
  const canvas = useRef<DesignerCanvas>(undefined);
  const images = useRef(new Map<string, { drawable: Drawable; width: number }>());
  const samples = useRef(new Map<string, Promise<Drawable>>());
  const families = useRef(new Map<string, string>());
  const knownAssets = useRef(new Set<string>());
  const previewSeq = useRef(0);
  const pending = useRef(0);
  const lastSaved = useRef<Template>(undefined);
  const [fontsReady, setFontsReady] = useState(false);

  const templateRef = useRef<Template>(undefined);
  templateRef.current = template;
  const pageRef = useRef(pageIndex);
  pageRef.current = pageIndex;
  const toolRef = useRef(tool);
  toolRef.current = tool;

  const kit: DesignKit | undefined = useMemo(() => (view ? { fonts: view.brand.fonts, palette: view.brand.palette } : undefined), [view]);
  const issues = useMemo(
    () => (template && view ? checkDraft(template, view.brand, (ref) => knownAssets.current.has(ref) || /^sha256:[0-9a-f]{64}$/.test(ref)).issues : []),
    [template, view],
  );
  const invalidZones = useMemo(() => new Set(issues.map((i) => i.zoneId).filter((z): z is string => z !== null)), [issues]);
  const pageZones = useMemo(() => template?.pages[pageIndex]?.zones ?? [], [template, pageIndex]);

  // ---- load the draft, the brand's fonts and the sample logos

  useEffect(() => {
    let alive = true;
    call(api, 'designer:get', { draftId })
      .then(async (v) => {
        if (!alive) return;
        history.current = new History(v.template);
        lastSaved.current = v.template;
        for (const z of v.template.pages.flatMap((p) => p.zones)) if (z.kind === 'image' && z.asset) knownAssets.current.add(z.asset);
        setPinned(new Set(v.template.pages.flatMap((p) => p.zones).filter((z) => isBackground(z, v.template)).map((z) => z.id)));
        setView(v);
        setTemplate(v.template);
        // Previews start as the lowest tier: the partner most templates must work for.
        setPartner((p) => ({ ...p, tier: v.brand.access.tiers[0]?.id ?? '' }));
        setTab(v.template.pages.some((p) => p.zones.length > 0) ? 'zone' : 'template');
        const logos = await call(api, 'designer:sample-logos', {});
        for (const l of [logos.light, logos.dark, logos.distributor.light, logos.distributor.dark]) samples.current.set(l.ref, createImageBitmap(base64ToBlob(l.data, 'image/png')));
        const loaded = await Promise.all(v.brand.fonts.map(async (f) => [f.id, await assets.font(f)] as const));
        for (const [id, family] of loaded) families.current.set(id, family);
        if (alive) setFontsReady(true);
      })
      .catch((err) => alive && setError(describe(err).title));
    return () => {
      alive = false;
    };
  }, [api, assets, draftId]);

  // ---- editing

  /** Takes a new template into the history; edits of one property in a row make one undo step. */
  const apply = useCallback((next: Template, coalesceKey?: string) => {
    const h = history.current;
    if (!h || next === h.present) return;
    const now = Date.now();
    const same = coalesceKey !== undefined && lastEdit.current?.key === coalesceKey && now - lastEdit.current.at < 1500;
    if (same) h.present = next;
    else h.push(next);
    lastEdit.current = coalesceKey ? { key: coalesceKey, at: now } : undefined;
    setTemplate(next);
    setSaveState('unsaved');
  }, []);

  const run = useCallback(
    (r: DesignResult, coalesceKey?: string, selectResult = false) => {
      if (!r.ok) {
        setNotice(r.message);
        return;
      }
      setNotice(undefined);
      apply(r.template, coalesceKey);
      if (r.zoneId && selectResult) setSelected(r.zoneId);
      if (selectedRef.current && !locateZone(r.template, selectedRef.current)) setSelected(null);
    },
    [apply],
  );
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  const undo = () => {
    const t = history.current?.undo();
    if (t) {
      lastEdit.current = undefined;
      setTemplate(t);
      setSaveState('unsaved');
    }
  };
  const redo = () => {
    const t = history.current?.redo();
    if (t) {
      lastEdit.current = undefined;
      setTemplate(t);
      setSaveState('unsaved');
    }
  };

  const pickImage = useCallback(
    async (zoneId: string) => {
      const file = await pickFile('.png,.jpg,.jpeg,.pdf');
      const t = templateRef.current;
      if (!file || !t || !view) return;
      try {
        const img = await call(api, 'designer:add-image', { brandId: view.brandId, fileName: file.name, data: await fileToBase64(file) });
        knownAssets.current.add(img.ref);
        const current = templateRef.current ?? t;
        run(updateZone(current, zoneId, (z) => (z.kind === 'image' ? { ...z, asset: img.ref } : z)));
      } catch (err) {
        const d = describe(err);
        setNotice(d.hint ? `${d.title} ${d.hint}` : d.title);
      }
    },
    [api, run, view],
  );

  // ---- autosave

  const saveNow = useCallback(async () => {
    const t = history.current?.present;
    if (!t || t === lastSaved.current) return;
    lastSaved.current = t;
    setSaveState('saving');
    try {
      await call(api, 'designer:save', { draftId, template: t });
      setSaveState(history.current?.present === t ? 'saved' : 'unsaved');
    } catch (err) {
      lastSaved.current = undefined;
      setSaveState('error');
      setNotice(`Not saved: ${describe(err).title}`);
    }
  }, [api, draftId]);
  useEffect(() => {
    if (!template || template === lastSaved.current) return;
    const timer = setTimeout(() => void saveNow(), 600);
    return () => clearTimeout(timer);
  }, [template, saveNow]);
  const leave = (message?: string) => void saveNow().finally(() => onClose(message));
  // Leaving another way (the workspace's tabs, another brand) still saves the last change.
  const saveRef = useRef(saveNow);
  saveRef.current = saveNow;
  useEffect(() => () => void saveRef.current(), []);

  // ---- the canvas

  useEffect(() => {
    if (!canvasEl.current) return;
    const c = new DesignerCanvas(canvasEl.current, {
      onSelect: (id) => {
        setSelected(id);
        if (id) setTab('zone');
      },
      onChange: (id, rect, m) => {
        const t = templateRef.current;
        if (t) run(setZoneRect(t, id, rect, m));
      },
      onDraw: (kind, rect) => drawRef.current(kind, rect),
    });
    canvas.current = c;
    window.lockupDesigner = {
      zones: () => c.zoneStates(),
      template: () => history.current?.present,
      selected: () => selectedRef.current,
      zoom: () => c.getZoom(),
      toClient: (x, y) => {
        const box = canvasEl.current!.getBoundingClientRect();
        const p = c.toCanvas(x, y);
        return { x: box.left + p.x, y: box.top + p.y };
      },
      ready: () => readyRef.current && pending.current === 0 && history.current?.present === lastSaved.current,
      drawn: () => {
        const plan = previewRef.current?.plan;
        return [...new Set(plan?.pages[planPageOf(plan.pages, pageRef.current)]?.items.map((i) => i.zoneId) ?? [])];
      },
    };
    return () => {
      c.dispose();
      canvas.current = undefined;
      delete window.lockupDesigner;
    };
    // The canvas lives as long as the designer; its callbacks read refs.
  }, []);
  const readyRef = useRef(false);
  readyRef.current = ready;
  const previewRef = useRef(preview);
  previewRef.current = preview;

  const drawZone = (kind: ZoneKind, rect: Rect) => {
    const t = templateRef.current;
    if (!t || !kit) return;
    const r = addZone(t, pageRef.current, kind, rect, kit);
    setTool(null);
    run(r, undefined, true);
    setTab('zone');
    if (r.ok && kind === 'image' && r.zoneId) void pickImage(r.zoneId);
  };
  // The canvas is made once; it reaches the latest drawZone (with the loaded brand kit) through this ref.
  const drawRef = useRef(drawZone);
  drawRef.current = drawZone;

  // Zones of the current page onto the canvas.
  useEffect(() => {
    const c = canvas.current;
    if (!c || !template) return;
    c.setPage(pageBounds(template));
    c.setZones(
      pageZones.map((z) => ({
        id: z.id,
        kind: z.kind,
        owner: z.owner,
        lock: z.lock,
        label: z.name ?? '',
        rect: z.rect,
        pinned: pinned.has(z.id),
        invalid: invalidZones.has(z.id),
        ...(z.kind === 'form-field' ? { form: { name: z.fieldName, input: z.input, required: z.required, multiline: z.multiline } } : {}),
        ...(z.kind === 'lockup' ? { lockup: { order: z.order, relativeSize: z.relativeSize, separator: z.separator, gap: z.gap, align: z.align, clearSpace: z.clearSpace } } : {}),
        ...(z.kind === 'block-area' ? { area: { layout: z.layout, columns: z.columns, gap: z.gap, continuation: z.continuation, entries: z.entries.length } } : {}),
      })),
    );
  }, [template, pageZones, pinned, invalidZones]);

  useEffect(() => canvas.current?.setTool(tool), [tool]);
  useEffect(() => canvas.current?.setMode(mode), [mode]);
  useEffect(() => canvas.current?.setSnapping(snap.on, snap.grid > 0 ? snap.grid : undefined), [snap]);
  useEffect(() => canvas.current?.select(selected), [selected, template]);

  // Fit the page to the stage until the vendor zooms.
  const autoFit = useRef(true);
  const fit = useCallback(() => {
    autoFit.current = true;
    const el = stage.current;
    if (el && canvas.current) canvas.current.fit(el.clientWidth - 32, el.clientHeight - 32);
  }, []);
  const zoomBy = (f: number) => {
    autoFit.current = false;
    canvas.current?.setZoom(canvas.current.getZoom() * f);
  };
  useEffect(() => {
    const ro = new ResizeObserver(() => autoFit.current && fit());
    if (stage.current) ro.observe(stage.current);
    return () => ro.disconnect();
  }, [fit, view]);
  const sizeKey = template ? JSON.stringify(template.page) : '';
  useEffect(() => {
    if (sizeKey) fit();
  }, [sizeKey, fit]);

  // The designer fills the window below whatever hosts it (the vendor workspace's header and tabs).
  const [height, setHeight] = useState<number>();
  useLayoutEffect(() => {
    const measure = () => root.current && setHeight(Math.max(480, window.innerHeight - (root.current.getBoundingClientRect().top + window.scrollY)));
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [view]);

  // ---- the page from the engine

  const partnerInput = useMemo(
    () => ({ ...(partner.tier ? { tier: partner.tier } : {}), ...(partner.type ? { type: partner.type } : {}), ...(partner.region ? { region: partner.region } : {}), certifications: partner.certifications, distributor: partner.distributor }),
    [partner],
  );
  useEffect(() => {
    if (!template || !fontsReady) return;
    const seq = ++previewSeq.current;
    // Counted from the moment it is scheduled, so ready() stays false until the page shows this change.
    pending.current++;
    let started = false;
    const timer = setTimeout(() => {
      started = true;
      call(api, 'designer:preview', { source: { template }, mode: mode === 'design' ? 'design' : 'partner', partner: mode === 'design' ? DESIGN_PARTNER : partnerInput, sample: mode === 'design' ? 'typical' : sample })
        .then(async (r) => {
          const plan = (r.plan ?? undefined) as PlanView | undefined;
          if (plan) await resolveImages(plan);
          if (seq !== previewSeq.current) return;
          setPreview({ plan, findings: r.findings, hidden: r.hidden, ms: r.ms });
        })
        .catch((err) => seq === previewSeq.current && setNotice(describe(err).title))
        .finally(() => {
          pending.current--;
        });
    }, 120);
    return () => {
      clearTimeout(timer);
      if (!started) pending.current--;
    };
  }, [template, mode, partnerInput, sample, fontsReady, api]);

  /**
   * A fresh copy of a PDF's bytes for each rendering: pdf.js takes ownership of (detaches) the buffer it
   * is given, and the designer renders PDFs again, sharper, when the vendor zooms in.
   */
  const pdfSources = useRef(new Map<string, Promise<Uint8Array<ArrayBuffer>>>());
  const pdfBytes = async (ref: string): Promise<Uint8Array<ArrayBuffer>> => {
    let hit = pdfSources.current.get(ref);
    if (!hit) {
      hit = call(api, 'asset:get', { ref }).then((a) => base64ToBytes(a.data));
      pdfSources.current.set(ref, hit);
    }
    return (await hit).slice();
  };

  const resolveImages = async (plan: PlanView) => {
    const zoom = canvas.current?.getZoom() ?? 1;
    await Promise.all(
      planNeeds(plan).images.map(async (item) => {
        const key = `${item.asset}|${item.format}`;
        const want = Math.max(64, item.place.w * zoom * devicePixelRatio * 2);
        const have = images.current.get(key);
        if (have && (item.format !== 'pdf' || have.width >= want * 0.8)) return;
        const sampleLogo = samples.current.get(item.asset);
        const drawable = sampleLogo ? await sampleLogo : item.format === 'pdf' ? await renderPdfPage(await pdfBytes(item.asset), Math.ceil(want)) : await assets.image(item.asset, item.format, want);
        images.current.set(key, { drawable, width: sampleLogo ? Infinity : want });
      }),
    );
  };

  useEffect(() => {
    const c = canvas.current;
    if (!c || !preview) return;
    c.setPlan(preview.plan, pageIndex, { family: (id) => families.current.get(id) ?? 'sans-serif', image: (item: Extract<ItemView, { type: 'image' }>) => images.current.get(`${item.asset}|${item.format}`)?.drawable });
    setReady(true);
  }, [preview, pageIndex]);

  // ---- keyboard

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement || (e.target instanceof HTMLElement && e.target.isContentEditable);
      if (typing || document.querySelector('dialog[open]')) return;
      const mod = e.ctrlKey || e.metaKey;
      const t = templateRef.current;
      const sel = selectedRef.current;
      const key = e.key.toLowerCase();
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        redo();
      } else if (mod && key === 'd' && t && sel) {
        e.preventDefault();
        run(duplicateZone(t, sel), undefined, true);
      } else if (mod && (e.key === ']' || e.key === '[') && t && sel) {
        e.preventDefault();
        run(reorderZone(t, sel, e.key === ']' ? (e.shiftKey ? 'front' : 'forward') : e.shiftKey ? 'back' : 'backward'));
      } else if (mod && (e.key === '=' || e.key === '+')) {
        e.preventDefault();
        zoomBy(1.2);
      } else if (mod && e.key === '-') {
        e.preventDefault();
        zoomBy(1 / 1.2);
      } else if (mod && e.key === '0') {
        e.preventDefault();
        fit();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && t && sel && mode === 'design') {
        e.preventDefault();
        run(deleteZone(t, sel));
        setSelected(null);
      } else if (e.key.startsWith('Arrow') && t && sel && mode === 'design') {
        e.preventDefault();
        const step = e.shiftKey ? 10 : 1;
        const dx = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0;
        const dy = e.key === 'ArrowUp' ? -step : e.key === 'ArrowDown' ? step : 0;
        run(nudgeZone(t, sel, dx, dy), `nudge:${sel}`);
      } else if (e.key === 'Escape') {
        if (toolRef.current) setTool(null);
        else setSelected(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (error) {
    return (
      <main className="designer dz-error">
        <p className="error banner" role="alert">
          {error}
        </p>
        <button type="button" onClick={() => onClose()}>
          ← Templates
        </button>
      </main>
    );
  }

  const zoneName = (id: string) => {
    const z = template ? locateZone(template, id)?.zone : undefined;
    return z ? zoneLabel(z) : id;
  };
  const selectZone = (id: string | null) => {
    if (!id || !template) return setSelected(id);
    const at = locateZone(template, id);
    if (at && at.page !== pageIndex) setPageIndex(at.page);
    setSelected(id);
    setTab('zone');
  };
  const saveText = saveState === 'saving' ? 'Saving…' : saveState === 'unsaved' ? 'Unsaved changes' : saveState === 'error' ? 'Not saved' : 'Draft saved';
  const readOnly = view?.brand.publisher !== null && view?.brand.publisher !== undefined;

  return (
    <main className="designer" ref={root} style={height ? { height } : undefined} aria-busy={!template}>
      <header className="editor-bar dz-bar">
        <button type="button" onClick={() => leave()} aria-label="Back to templates">
          ← Templates
        </button>
        <div className="editor-title">
          <h1>{template ? template.name || 'Untitled template' : 'Opening…'}</h1>
          <span className="muted small" aria-live="polite" data-testid="save-state">
            {view ? `${view.templateId} · draft of version ${view.nextVersion} · ` : ''}
            {saveText}
          </span>
        </div>
        <div className="dz-mode" role="radiogroup" aria-label="Mode">
          {(['design', 'preview'] as const).map((m) => (
            <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'on' : ''} onClick={() => setMode(m)}>
              {m === 'design' ? 'Design' : 'Preview as partner'}
            </button>
          ))}
        </div>
        <div className="toolbar" role="toolbar" aria-label="Designer">
          <button type="button" onClick={undo} disabled={!history.current?.canUndo} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" onClick={redo} disabled={!history.current?.canRedo} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <button type="button" onClick={() => zoomBy(1 / 1.2)} aria-label="Zoom out" title="Zoom out (Ctrl+−)">
            −
          </button>
          <button type="button" onClick={fit} title="Fit to window (Ctrl+0)">
            Fit
          </button>
          <button type="button" onClick={() => zoomBy(1.2)} aria-label="Zoom in" title="Zoom in (Ctrl++)">
            +
          </button>
          <label className="dz-check dz-snap">
            <input type="checkbox" checked={snap.on} onChange={(e) => setSnap({ ...snap, on: e.target.checked })} />
            <span>Snap</span>
          </label>
          <select aria-label="Grid" value={snap.grid} onChange={(e) => setSnap({ ...snap, grid: Number(e.target.value) })} disabled={!snap.on}>
            <option value={0}>No grid</option>
            <option value={9}>Grid 9 pt</option>
            <option value={18}>Grid 18 pt</option>
            <option value={36}>Grid 36 pt</option>
          </select>
          <button type="button" className="primary" disabled={!view || readOnly} onClick={() => void saveNow().then(() => setPublishing(true))} data-testid="publish-button">
            {view ? `Publish version ${view.nextVersion}…` : 'Publish…'}
          </button>
        </div>
      </header>
      {readOnly && (
        <p className="notice banner" role="status">
          This brand came in a signed pack from {view?.brand.publisher}: its templates are read-only here.
        </p>
      )}
      {notice && (
        <p className="notice banner" role="status">
          {notice}{' '}
          <button type="button" className="link" onClick={() => setNotice(undefined)}>
            Dismiss
          </button>
        </p>
      )}
      <div className="dz-body">
        <aside className="dz-left" aria-label="Zones">
          <div className="dz-tools" role="toolbar" aria-label="Add a zone">
            {ZONE_KINDS.map((k) => (
              <button key={k} type="button" aria-pressed={tool === k} disabled={mode !== 'design'} aria-label={`Add ${ZONE_KIND_LABELS[k].toLowerCase()}`} title={`Add ${ZONE_KIND_LABELS[k].toLowerCase()}: drag on the page (or click for a default size)`} className={`dz-tool dz-tool-${k}`} onClick={() => setTool(tool === k ? null : k)}>
                <span className="dz-tool-icon" aria-hidden="true" />
                {ZONE_KIND_LABELS[k]}
              </button>
            ))}
          </div>
          {tool && <p className="dz-hint">Drag on the page to place the {ZONE_KIND_LABELS[tool].toLowerCase()}, or click for a default size. Esc cancels.</p>}
          <LayersPanel zones={pageZones} selected={selected} pinned={pinned} invalid={invalidZones} onSelect={selectZone} onPin={(id, on) => setPinned((s) => (on ? new Set([...s, id]) : new Set([...s].filter((x) => x !== id))))} />
        </aside>
        <div className="stage dz-stage" ref={stage} data-testid="designer-stage">
          <div className="page-shadow dz-page">
            <canvas ref={canvasEl} aria-label={`Page ${pageIndex + 1} of ${template?.name ?? 'the template'}`} role="img" />
          </div>
          {preview?.plan && continuationCount(preview.plan.pages, pageIndex) > 0 && (
            <p className="dz-hint dz-continues" role="status">
              The bundle area continues on {continuationCount(preview.plan.pages, pageIndex)} more page{continuationCount(preview.plan.pages, pageIndex) === 1 ? '' : 's'} in the PDF, with the zones it repeats.
            </p>
          )}
          {template && template.pages.length > 1 && (
            <nav className="dz-pages" aria-label="Pages">
              {template.pages.map((p, i) => (
                <button key={i} type="button" aria-current={i === pageIndex ? 'page' : undefined} onClick={() => setPageIndex(i)}>
                  {p.name ?? `Page ${i + 1}`}
                </button>
              ))}
            </nav>
          )}
        </div>
        <aside className="side dz-side" aria-label={mode === 'design' ? 'Properties' : 'Preview'}>
          {template && view && kit && mode === 'design' && (
            <>
              <div className="dz-tabs" role="tablist" aria-label="Properties">
                {(
                  [
                    ['zone', 'Zone'],
                    ['fields', 'Fields'],
                    ['template', 'Template'],
                    ['checks', issues.length > 0 ? `Checks (${issues.length})` : 'Checks'],
                  ] as const
                ).map(([id, label]) => (
                  <button key={id} type="button" role="tab" id={`dz-tab-${id}`} aria-selected={tab === id} aria-controls={`dz-panel-${id}`} onClick={() => setTab(id)}>
                    {label}
                  </button>
                ))}
              </div>
              <div role="tabpanel" id={`dz-panel-${tab}`} aria-labelledby={`dz-tab-${tab}`} className="dz-panel">
                {tab === 'zone' &&
                  (selected ? (
                    <Inspector template={template} zoneId={selected} brand={view.brand} kit={kit} issues={issues} onResult={(r, k) => run(r, k)} onPickImage={(id) => void pickImage(id)} />
                  ) : (
                    <p className="muted">Select a zone on the page or in the layer list, or add one from the toolbar on the left.</p>
                  ))}
                {tab === 'fields' && <FieldsTab template={template} issues={issues} onResult={(r, k) => run(r, k)} onTemplate={(t) => apply(t)} />}
                {tab === 'template' && <TemplateTab template={template} brand={view.brand} issues={issues} pageIndex={pageIndex} onTemplate={(t, k) => apply(t, k)} onResult={(r) => run(r)} onPage={setPageIndex} />}
                {tab === 'checks' && <ChecksPanel issues={issues} findings={preview?.findings ?? []} onSelect={selectZone} zoneName={zoneName} />}
              </div>
            </>
          )}
          {view && mode === 'preview' && <PreviewPanel brand={view.brand} partner={partner} sample={sample} findings={preview?.findings ?? []} hidden={preview?.hidden ?? []} ms={preview?.ms} onPartner={setPartner} onSample={setSample} onSelect={selectZone} zoneName={zoneName} />}
        </aside>
      </div>
      {publishing && view && template && (
        <PublishDialog
          name={template.name || view.templateId}
          version={view.nextVersion}
          issues={issues}
          onClose={() => setPublishing(false)}
          onPublish={async () => {
            await saveNow();
            const r = await call(api, 'designer:publish', { draftId });
            onClose(`Published “${template.name}” as version ${r.version}.`);
          }}
        />
      )}
    </main>
  );
}
