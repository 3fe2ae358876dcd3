import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { BrandView, FindingView } from '../../../core/contracts/api.ts';
import type { ItemView, PlanView } from '../../../core/contracts/plan-view.ts';
import { editableFields, History, resetField, setField, setLogo, setStyle, zoneLock, type CommandResult, type ZoneLock } from '../../../core/document/commands.ts';
import type { PartnerDocument } from '../../../core/model/document.ts';
import type { Template, Zone } from '../../../core/model/template.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import type { Drawable } from '../canvas/assets.ts';
import { planNeeds } from '../canvas/draw-plan.ts';
import { planPageOf, zonesOnPlanPage } from '../../../core/compose/pages.ts';
import { EditorCanvas } from '../canvas/editor-canvas.ts';
import { CompliancePanel } from './CompliancePanel.tsx';
import { useApp } from './context.ts';
import { ExportDialog } from './ExportDialog.tsx';
import { FieldsPanel } from './FieldsPanel.tsx';
import { fileToBase64, pickFile } from './files.ts';

interface Opened {
  template: Template;
  brand: BrandView;
  fromDraft: boolean;
}

interface Checked {
  findings: FindingView[];
  plan: PlanView;
  values: Record<string, string>;
  ms: number;
}

declare global {
  interface Window {
    /** Read-only view of the editor for end-to-end tests and accessibility tooling. */
    lockupEditor?: {
      zones: () => ReturnType<EditorCanvas['zoneStates']>;
      document: () => PartnerDocument | undefined;
      zoom: () => number;
      setZoom: (z: number) => void;
      setOverlays: (v: boolean) => void;
      /** True once the page is drawn for the latest check. */
      ready: () => boolean;
      checks: () => number;
    };
  }
}

function allZones(t: Template): Zone[] {
  return t.pages.flatMap((p) => p.zones);
}

/** The partner's editor: the page on a Fabric canvas, fields, live compliance, export. */
export function Editor({ templateId, onBack }: { templateId: string; onBack: () => void }) {
  const { api, assets, transport } = useApp();
  const [opened, setOpened] = useState<Opened>();
  const [doc, setDoc] = useState<PartnerDocument>();
  const [checked, setChecked] = useState<Checked>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [selected, setSelected] = useState<string | null>(null);
  const [hover, setHover] = useState<{ zone: Zone; lock: ZoneLock } | null>(null);
  const [exporting, setExporting] = useState(false);
  const [saved, setSaved] = useState<string>();
  /** The plan page shown: a bundle area's continuation pages make plans longer than templates. */
  const [page, setPage] = useState(0);
  const [fontsReady, setFontsReady] = useState(false);
  const [drawn, setDrawn] = useState(false);
  const history = useRef<History<PartnerDocument>>(undefined);
  const canvasEl = useRef<HTMLCanvasElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const canvas = useRef<EditorCanvas>(undefined);
  const images = useRef(new Map<string, Drawable>());
  const families = useRef(new Map<string, string>());
  const checkSeq = useRef(0);
  const pendingRef = useRef(0);
  const checksDone = useRef(0);

  const locks = useMemo(() => {
    const m = new Map<string, ZoneLock>();
    if (opened) for (const z of allZones(opened.template)) m.set(z.id, zoneLock(z, 'partner', opened.brand.name));
    return m;
  }, [opened]);
  const editable = useMemo(() => (opened ? editableFields(opened.template) : new Set<string>()), [opened]);
  const logoZones = useMemo(
    () => (opened ? allZones(opened.template).filter((z) => z.kind === 'partner-logo' && locks.get(z.id)?.editable).map((z) => ({ id: z.id, name: z.name ?? 'Your logo' })) : []),
    [opened, locks],
  );

  // Open the template (or the draft) and load the brand's fonts.
  useEffect(() => {
    let alive = true;
    call(api, 'template:open', { id: templateId })
      .then(async (r) => {
        if (!alive) return;
        history.current = new History(r.document);
        setOpened({ template: r.template, brand: r.brand, fromDraft: r.fromDraft });
        setDoc(r.document);
        const loaded = await Promise.all(r.brand.fonts.map(async (f) => [f.id, await assets.font(f)] as const));
        for (const [id, family] of loaded) families.current.set(id, family);
        if (alive) setFontsReady(true);
      })
      .catch((err) => alive && setError(describe(err).title));
    return () => {
      alive = false;
    };
  }, [api, assets, templateId]);

  // The Fabric canvas lives as long as the editor.
  useEffect(() => {
    if (!canvasEl.current) return;
    const c = new EditorCanvas(canvasEl.current, {
      onSelect: (id) => setSelected(id),
      onLogoSlot: (id) => void replaceLogo(id),
      onHover: (zone, lock) => setHover(zone && lock ? { zone, lock } : null),
    });
    canvas.current = c;
    window.lockupEditor = {
      zones: () => c.zoneStates(),
      document: () => history.current?.present,
      zoom: () => c.getZoom(),
      setZoom: (z) => {
        autoFit.current = false;
        c.setZoom(z);
      },
      setOverlays: (v) => c.setOverlays(v),
      ready: () => drawnRef.current && pendingRef.current === 0,
      checks: () => checksDone.current,
    };
    return () => {
      c.dispose();
      canvas.current = undefined;
      delete window.lockupEditor;
    };
    // replaceLogo is stable enough for the canvas callbacks (it reads refs).
  }, []);
  const drawnRef = useRef(false);
  drawnRef.current = drawn;

  // Check compliance and get the render plan whenever the document changes.
  useEffect(() => {
    if (!doc || !fontsReady) return;
    const seq = ++checkSeq.current;
    pendingRef.current++;
    call(api, 'document:check', { document: doc })
      .then(async (r) => {
        const plan = r.plan as PlanView;
        // Resolve every image first: the canvas draws synchronously.
        const zoom = canvas.current?.getZoom() ?? 1;
        await Promise.all(
          planNeeds(plan).images.map(async (item) => {
            const key = imageKey(item);
            if (!images.current.has(key)) images.current.set(key, await assets.image(item.asset, item.format, item.place.w * zoom * devicePixelRatio * 2));
          }),
        );
        if (seq !== checkSeq.current) return;
        setChecked({ findings: r.findings, plan, values: r.values, ms: r.ms });
      })
      .catch((err) => seq === checkSeq.current && setError(describe(err).title))
      .finally(() => {
        pendingRef.current--;
        checksDone.current++;
      });
  }, [api, assets, doc, fontsReady]);

  // Draw whenever there is a new plan.
  useEffect(() => {
    if (!checked || !opened || !canvas.current) return;
    const first = !drawn;
    canvas.current.setContent(opened.template, Math.min(page, checked.plan.pages.length - 1), checked.plan, { family: (id) => families.current.get(id) ?? 'sans-serif', image: (item) => images.current.get(imageKey(item)) }, locks);
    if (first) fitToStage();
    setDrawn(true);
    // fitToStage reads refs only.
  }, [checked, opened, locks, page]);

  // Autosave the draft a moment after the last change (an untouched template makes no draft).
  const lastSaved = useRef<PartnerDocument>(undefined);
  const saveDraft = useCallback(async () => {
    const current = history.current?.present;
    if (!current || current === lastSaved.current || (!history.current?.canUndo && !openedRef.current?.fromDraft)) return;
    lastSaved.current = current;
    try {
      await call(api, 'draft:save', { document: current });
      setSaved(new Date().toLocaleTimeString());
    } catch {
      lastSaved.current = undefined;
    }
  }, [api]);
  useEffect(() => {
    if (!doc) return;
    const t = setTimeout(() => void saveDraft(), 500);
    return () => clearTimeout(t);
  }, [doc, saveDraft]);
  const leave = () => void saveDraft().finally(onBack);

  // Fit-to-window until the partner zooms; a resized window then keeps their zoom.
  const autoFit = useRef(true);
  const fitToStage = useCallback(() => {
    const el = stage.current;
    autoFit.current = true;
    if (el && canvas.current) canvas.current.fit(el.clientWidth - 48, el.clientHeight - 48);
  }, []);
  const zoomBy = (factor: number) => {
    autoFit.current = false;
    canvas.current?.setZoom(canvas.current.getZoom() * factor);
  };
  useEffect(() => {
    const ro = new ResizeObserver(() => drawnRef.current && autoFit.current && fitToStage());
    if (stage.current) ro.observe(stage.current);
    return () => ro.disconnect();
  }, [fitToStage]);

  const apply = (result: CommandResult) => {
    if (!result.ok) {
      setNotice(result.message);
      return;
    }
    setNotice(undefined);
    history.current!.push(result.document);
    setDoc(result.document);
  };

  const replaceLogo = async (zoneId: string, file?: File) => {
    const f = file ?? (await pickFile());
    const h = history.current;
    if (!f || !h || !openedRef.current) return;
    try {
      const logo = await call(api, 'logo:intake', { name: f.name, data: await fileToBase64(f) });
      apply(setLogo(h.present, openedRef.current.template, zoneId, logo.ref));
    } catch (err) {
      const d = describe(err);
      setNotice(d.hint ? `${d.title} ${d.hint}` : d.title);
    }
  };
  const openedRef = useRef<Opened>(undefined);
  openedRef.current = opened;

  const undo = () => {
    const d = history.current?.undo();
    if (d) setDoc(d);
  };
  const redo = () => {
    const d = history.current?.redo();
    if (d) setDoc(d);
  };

  const errors = checked?.findings.filter((f) => f.severity === 'error') ?? [];
  const canExport = checked !== undefined && errors.length === 0;

  // Keyboard: undo/redo, export, zoom. Arrow keys and Delete never move or remove zones.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement;
      if (mod && e.key.toLowerCase() === 'z' && !typing) {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if (mod && e.key.toLowerCase() === 'y' && !typing) {
        e.preventDefault();
        redo();
      } else if (mod && e.key.toLowerCase() === 'e') {
        e.preventDefault();
        if (canExportRef.current) setExporting(true);
      } else if (mod && (e.key === '=' || e.key === '+')) {
        e.preventDefault();
        zoomBy(1.2);
      } else if (mod && e.key === '-') {
        e.preventDefault();
        zoomBy(1 / 1.2);
      } else if (mod && e.key === '0') {
        e.preventDefault();
        fitToStage();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  const canExportRef = useRef(false);
  canExportRef.current = canExport;

  // The desktop menu (Electron): the same actions as the keyboard and the toolbar.
  useEffect(() => {
    return window.lockupMenu?.onCommand((command) => {
      switch (command.name) {
        case 'export-pdf':
          if (canExportRef.current) setExporting(true);
          else setNotice('Fix the compliance errors before exporting.');
          break;
        case 'undo':
          undo();
          break;
        case 'redo':
          redo();
          break;
        case 'zoom-in':
          zoomBy(1.2);
          break;
        case 'zoom-out':
          zoomBy(1 / 1.2);
          break;
        case 'zoom-fit':
          fitToStage();
          break;
        case 'import-logo': {
          const slot = logoZonesRef.current.find((z) => z.id === selectedRef.current) ?? logoZonesRef.current[0];
          if (!slot) {
            setNotice('This template has no logo slot for you to fill.');
            break;
          }
          const bytes = Uint8Array.from(atob(command.file.data), (c) => c.charCodeAt(0));
          void replaceLogo(slot.id, new File([bytes], command.file.name));
          break;
        }
      }
    });
  });
  const logoZonesRef = useRef(logoZones);
  logoZonesRef.current = logoZones;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const file = e.dataTransfer.files[0];
    if (!file || !opened || !canvas.current || !canvasEl.current) return;
    // Drop onto a logo slot, or onto the page anywhere when there is one slot.
    const box = canvasEl.current.getBoundingClientRect();
    const zoom = canvas.current.getZoom();
    const x = (e.clientX - box.left) / zoom;
    const y = (e.clientY - box.top) / zoom;
    const hit = logoZones.find((z) => {
      const r = allZones(opened.template).find((zz) => zz.id === z.id)!.rect;
      return x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h;
    });
    const target = hit ?? (logoZones.length === 1 ? logoZones[0] : undefined);
    if (target) void replaceLogo(target.id, file);
    else setNotice('Drop the logo onto one of the dashed logo slots.');
  };

  const selectFromFinding = (zoneId: string | null) => {
    // A zone on another page: show the first page that draws it.
    const onPage = zoneId && checked && opened ? checked.plan.pages.findIndex((_, i) => zonesOnPlanPage(opened.template, checked.plan.pages, i).some((z) => z.id === zoneId)) : -1;
    if (onPage >= 0 && onPage !== page) setPage(onPage);
    setSelected(zoneId);
    canvas.current?.select(zoneId);
    const field = zoneId ? document.querySelector<HTMLElement>(`.fields [data-zone="${zoneId}"] input, .fields [data-zone="${zoneId}"] textarea, .fields [data-zone="${zoneId}"] button`) : null;
    field?.focus();
  };

  // Selecting a zone on the canvas focuses its field.
  useEffect(() => {
    if (!selected) return;
    const field = document.querySelector<HTMLElement>(`.fields [data-zone="${selected}"] input, .fields [data-zone="${selected}"] textarea`);
    if (field && document.activeElement !== field) field.focus();
  }, [selected]);

  const zoneName = (id: string) => (opened ? (allZones(opened.template).find((z) => z.id === id)?.name ?? id) : id);

  return (
    <main className="editor">
      <header className="editor-bar">
        <button type="button" onClick={leave} aria-label="Back to templates">
          ← Templates
        </button>
        <div className="editor-title">
          <h1>{opened?.template.name ?? 'Opening…'}</h1>
          <span className="muted small" aria-live="polite">
            {opened?.fromDraft ? 'Draft restored. ' : ''}
            {saved ? `Saved ${saved}` : ''}
          </span>
        </div>
        <div className="toolbar" role="toolbar" aria-label="Editing">
          <button type="button" onClick={undo} disabled={!history.current?.canUndo} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" onClick={redo} disabled={!history.current?.canRedo} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <button type="button" onClick={() => zoomBy(1 / 1.2)} title="Zoom out (Ctrl+−)" aria-label="Zoom out">
            −
          </button>
          <button type="button" onClick={fitToStage} title="Fit to window (Ctrl+0)">
            Fit
          </button>
          <button type="button" onClick={() => zoomBy(1.2)} title="Zoom in (Ctrl++)" aria-label="Zoom in">
            +
          </button>
          <button
            type="button"
            className="primary"
            disabled={!canExport}
            onClick={() => setExporting(true)}
            title={canExport ? 'Export PDF (Ctrl+E)' : `Fix ${errors.length} error${errors.length === 1 ? '' : 's'} to export`}
            aria-describedby="export-reason"
          >
            Export PDF…
          </button>
          <span id="export-reason" className="sr-only">
            {canExport ? '' : `Export is disabled while ${errors.length} compliance error${errors.length === 1 ? '' : 's'} stand.`}
          </span>
        </div>
      </header>
      {error && (
        <p className="error banner" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice banner" role="status">
          {notice}
        </p>
      )}
      <div className="editor-body">
        <div className="stage" ref={stage} onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="stage">
          <div className="page-shadow" title={hover && !hover.lock.editable ? `Locked by ${hover.lock.lockedBy}` : undefined}>
            <canvas ref={canvasEl} aria-label={`Page ${page + 1} of ${opened?.template.name ?? 'the template'}`} role="img" />
          </div>
          {checked && checked.plan.pages.length > 1 && (
            <nav className="dz-pages" aria-label="Pages">
              {checked.plan.pages.map((p, i) => (
                <button key={i} type="button" aria-current={i === page ? 'page' : undefined} onClick={() => setPage(i)} title={p.continuationOf !== undefined ? `Continues page ${planPageOf(checked.plan.pages, p.continuationOf) + 1}` : undefined}>
                  {`Page ${i + 1}`}
                </button>
              ))}
            </nav>
          )}
          {hover && (
            <div className="hover-info" role="status" data-testid="hover-info">
              {hover.lock.editable ? `${hover.zone.name ?? hover.zone.id}: yours to edit` : `🔒 ${hover.zone.name ?? hover.zone.id} — locked by ${hover.lock.lockedBy}`}
            </div>
          )}
        </div>
        <aside className="side">
          <CompliancePanel findings={checked?.findings ?? []} checkMs={checked?.ms} onSelect={selectFromFinding} zoneName={zoneName} />
          {opened && doc && (
            <FieldsPanel
              template={opened.template}
              brand={opened.brand}
              document={doc}
              values={checked?.values ?? {}}
              editable={editable}
              logoZones={logoZones}
              selectedZone={selected}
              onField={(k, v) => apply(setField(history.current!.present, opened.template, k, v))}
              onReset={(k) => apply(resetField(history.current!.present, opened.template, k))}
              onStyle={(z, c) => apply(setStyle(history.current!.present, opened.template, z, c))}
              onLogo={(z) => void replaceLogo(z)}
              onLogoReset={(z) => apply(setLogo(history.current!.present, opened.template, z, null))}
            />
          )}
        </aside>
      </div>
      {exporting && doc && <ExportDialog document={doc} formFields={opened ? allZones(opened.template).filter((z) => z.kind === 'form-field').length : 0} onClose={() => setExporting(false)} />}
      {transport === 'web' && <span hidden data-testid="transport-web" />}
    </main>
  );
}

function imageKey(item: Extract<ItemView, { type: 'image' }>): string {
  return `${item.asset}|${item.format}`;
}
