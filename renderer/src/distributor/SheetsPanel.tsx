import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DistributorTemplateView, ProductView, SheetEntryInput, SourceView, WorkspaceView } from '../../../core/contracts/distributor-api.ts';
import type { FindingView } from '../../../core/contracts/op.ts';
import { formatPrice, type Price } from '../../../core/model/product.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { base64ToBytes, renderPdfPage } from '../canvas/assets.ts';
import { useAction, VendorSelect, type Problem } from './shared.tsx';

const PREVIEW_WIDTH = 420;

/** A block on the sheet as the form edits it: overrides as typed ('' = the block's own). */
interface Entry {
  product: string;
  amount: string;
  copy: string;
}

type Areas = Record<string, Entry[]>;

function entriesFrom(saved: SheetEntryInput[]): Entry[] {
  return saved.map((e) => ({ product: e.product, amount: e.price?.kind === 'list' ? String(e.price.amount) : '', copy: e.copy ?? '' }));
}

/** The override price: the block's own currency and unit with the distributor's amount. */
function overridePrice(base: Price, amount: string): Price | string | undefined {
  if (amount.trim() === '') return undefined;
  const n = Number(amount.replace(/,/g, ''));
  if (!Number.isFinite(n) || n < 0 || Math.abs(Math.round(n * 100) - n * 100) > 1e-6) return 'Enter an amount with at most two decimals';
  return base.kind === 'list' ? { ...base, amount: n } : { kind: 'list', amount: n, currency: 'USD' };
}

function BlockOption({ p, checked, onToggle }: { p: ProductView; checked: boolean; onToggle: (on: boolean) => void }) {
  return (
    <label className="checkbox dist-block-option">
      <input type="checkbox" checked={checked} onChange={(e) => onToggle(e.target.checked)} />
      <span>
        <strong>{p.name}</strong>
        {p.sku && <span className="muted small"> · {p.sku}</span>}
        <span className="small"> · {p.priceText}</span>
        {p.locked && <span className="badge dist-badge">locked</span>}
      </span>
    </label>
  );
}

/** The preview a partner would see (a sample partner), page 1 drawn with pdf.js. */
function SheetPreview({ vendor, template, version }: { vendor: string; template: string; version: number }) {
  const { api } = useApp();
  const [state, setState] = useState<{ src: string; pages: number; findings: FindingView[] } | { error: Problem }>();
  useEffect(() => {
    let alive = true;
    setState(undefined);
    call(api, 'distributor:sheet-preview', { vendor, template })
      .then(async (r) => {
        const canvas = await renderPdfPage(base64ToBytes(r.pdf), PREVIEW_WIDTH * 2, '#ffffff');
        if (alive) setState({ src: canvas.toDataURL('image/png'), pages: r.pages, findings: r.findings });
      })
      .catch((err) => alive && setState({ error: describe(err) }));
    return () => {
      alive = false;
    };
  }, [api, vendor, template, version]);
  return (
    <figure className="dist-preview" aria-label="Sheet preview" data-testid="sheet-preview">
      {!state ? (
        <p className="muted" role="status">
          Rendering the preview…
        </p>
      ) : 'error' in state ? (
        <ErrorBox error={state.error} />
      ) : (
        <>
          <img src={state.src} alt="Page 1 of the sheet as a partner sees it" />
          <figcaption data-testid="preview-pages">
            Page 1 of {state.pages} · as a sample partner sees it
          </figcaption>
        </>
      )}
    </figure>
  );
}

/** One template's sheet: the blocks in each bundle area, in order, and the open texts. */
function SheetBuilder({ source, template, own, onSaved }: { source: SourceView; template: DistributorTemplateView; own: ProductView[]; onSaved: (ws: WorkspaceView) => void }) {
  const { api } = useApp();
  const [areas, setAreas] = useState<Areas>(() => Object.fromEntries(template.blockAreas.map((a) => [a.zoneId, entriesFrom(template.sheet?.areas[a.zoneId] ?? [])])));
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(template.texts.map((t) => [t.zoneId, template.sheet?.texts[t.zoneId] ?? t.text])));
  const [result, setResult] = useState<{ pages: number; findings: FindingView[] }>();
  const [version, setVersion] = useState(0);
  const { busy, error, run } = useAction();

  const products = useMemo(() => {
    const m = new Map<string, ProductView>();
    for (const a of template.blockAreas) for (const p of a.offered) m.set(p.id, p);
    for (const p of own) m.set(p.id, p);
    return m;
  }, [template, own]);

  const edit = (zoneId: string, change: (list: Entry[]) => Entry[]) => {
    setResult(undefined);
    setAreas((a) => ({ ...a, [zoneId]: change(a[zoneId] ?? []) }));
  };
  const toggle = (zoneId: string, id: string, on: boolean) => edit(zoneId, (list) => (on ? [...list.filter((e) => e.product !== id), { product: id, amount: '', copy: '' }] : list.filter((e) => e.product !== id)));
  const move = (zoneId: string, i: number, by: -1 | 1) =>
    edit(zoneId, (list) => {
      const next = [...list];
      const [e] = next.splice(i, 1);
      next.splice(i + by, 0, e!);
      return next;
    });
  const setEntry = (zoneId: string, i: number, patch: Partial<Entry>) => edit(zoneId, (list) => list.map((e, j) => (j === i ? { ...e, ...patch } : e)));

  // Every override must read as a price before the sheet can be saved.
  const problems: string[] = [];
  const payload: Record<string, SheetEntryInput[]> = {};
  for (const [zoneId, list] of Object.entries(areas)) {
    payload[zoneId] = list.map((e) => {
      const p = products.get(e.product);
      if (!p || p.locked) return { product: e.product };
      const price = overridePrice(p.price, e.amount);
      if (typeof price === 'string') problems.push(`${p.name}: ${price}`);
      return { product: e.product, ...(price && typeof price !== 'string' ? { price } : {}), ...(e.copy.trim() ? { copy: e.copy.trim() } : {}) };
    });
  }

  const save = () =>
    void run(async () => {
      const r = await call(api, 'distributor:sheet-save', { vendor: source.vendor.id, template: template.id, areas: payload, texts });
      setResult({ pages: r.pages, findings: r.findings });
      setVersion((v) => v + 1);
      onSaved(r.workspace);
    });

  const errors = result?.findings.filter((f) => f.severity === 'error') ?? [];
  const warnings = result?.findings.filter((f) => f.severity === 'warning') ?? [];

  return (
    <div className="dist-sheet">
      <form
        className="dist-sheet-form"
        aria-label={`Sheet for ${template.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        {template.blockAreas.length === 0 && template.texts.length === 0 && <p className="muted">{template.name} has nothing for you to fill: it shows your logo and contact line.</p>}
        {template.blockAreas.map((area) => {
          const list = areas[area.zoneId] ?? [];
          const on = new Set(list.map((e) => e.product));
          return (
            <fieldset key={area.zoneId} className="dist-area" data-testid={`area-${area.zoneId}`}>
              <legend>{area.name}</legend>
              <p className="muted small">
                {area.layout === 'grid' ? `A grid of ${area.columns} columns` : 'A list'}; blocks flow onto more pages when they do not fit.
              </p>
              <div className="dist-area-columns">
                <div role="group" aria-label={`${source.vendor.name} blocks for ${area.name}`}>
                  <h4>{source.vendor.name}’s blocks</h4>
                  {area.offered.length === 0 ? <p className="muted small">None offered here.</p> : area.offered.map((p) => <BlockOption key={p.id} p={p} checked={on.has(p.id)} onToggle={(v) => toggle(area.zoneId, p.id, v)} />)}
                </div>
                {area.allowOwn && (
                  <div role="group" aria-label={`Your products for ${area.name}`}>
                    <h4>Your products</h4>
                    {own.length === 0 ? <p className="muted small">Add products of your own under Your products.</p> : own.map((p) => <BlockOption key={p.id} p={p} checked={on.has(p.id)} onToggle={(v) => toggle(area.zoneId, p.id, v)} />)}
                  </div>
                )}
              </div>
              <h4>On the sheet, in this order</h4>
              {list.length === 0 ? (
                <p className="muted small">Tick blocks above; they go on the sheet in the order you tick them.</p>
              ) : (
                <ol className="dist-order" aria-label={`Blocks in ${area.name}, in order`}>
                  {list.map((e, i) => {
                    const p = products.get(e.product);
                    const name = p?.name ?? e.product;
                    return (
                      <li key={e.product} data-testid={`entry-${e.product}`}>
                        <div className="dist-order-head">
                          <span>
                            <strong>{name}</strong> <span className="muted small">{p ? (p.owner === 'vendor' ? source.vendor.name : 'yours') : 'no longer offered'}</span>
                            {p?.locked && <span className="badge dist-badge">locked</span>}
                          </span>
                          <span className="row-actions">
                            <button type="button" className="icon" aria-label={`Move ${name} up`} disabled={i === 0} onClick={() => move(area.zoneId, i, -1)}>
                              ↑
                            </button>
                            <button type="button" className="icon" aria-label={`Move ${name} down`} disabled={i === list.length - 1} onClick={() => move(area.zoneId, i, 1)}>
                              ↓
                            </button>
                            <button type="button" className="icon" aria-label={`Remove ${name}`} onClick={() => toggle(area.zoneId, e.product, false)}>
                              ×
                            </button>
                          </span>
                        </div>
                        {p && !p.locked && (
                          <div className="dist-override">
                            <label>
                              <span>
                                Your price<span className="sr-only"> for {name}</span>
                              </span>
                              <input inputMode="decimal" value={e.amount} placeholder={p.priceText} onChange={(ev) => setEntry(area.zoneId, i, { amount: ev.target.value })} />
                            </label>
                            <label>
                              <span>
                                Your copy<span className="sr-only"> for {name}</span>
                              </span>
                              <textarea rows={2} maxLength={600} value={e.copy} placeholder={p.copy} onChange={(ev) => setEntry(area.zoneId, i, { copy: ev.target.value })} />
                            </label>
                            {e.amount.trim() !== '' && typeof overridePrice(p.price, e.amount) !== 'string' && <span className="muted small">Shows as {formatPrice(overridePrice(p.price, e.amount) as Price)}</span>}
                          </div>
                        )}
                      </li>
                    );
                  })}
                </ol>
              )}
            </fieldset>
          );
        })}
        {template.texts.map((t) => (
          <label key={t.zoneId} className="dist-text">
            {t.name}
            <textarea
              rows={t.multiline ? 3 : 1}
              maxLength={2000}
              value={texts[t.zoneId] ?? ''}
              onChange={(e) => {
                setResult(undefined);
                setTexts((x) => ({ ...x, [t.zoneId]: e.target.value }));
              }}
            />
          </label>
        ))}
        {problems.length > 0 && (
          <ul className="error small" role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <ErrorBox error={error} />
        {result && (
          <div role="status" data-testid="sheet-saved" className={errors.length ? 'error' : 'ok'}>
            <p>
              Sheet saved: {result.pages} {result.pages === 1 ? 'page' : 'pages'}
              {errors.length ? `, ${errors.length} ${errors.length === 1 ? 'error' : 'errors'} to fix before partners can export it` : warnings.length ? `, ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}` : ', no problems'}.
            </p>
            {result.findings.length > 0 && (
              <ul className="findings" aria-label="Findings">
                {result.findings.map((f, i) => (
                  <li key={i} className={`finding ${f.severity}`}>
                    <span className="sev">{f.severity}</span> {f.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="actions">
          {template.sheet && <span className="muted small">Last saved {new Date(template.sheet.savedAt).toLocaleString()}</span>}
          <button type="submit" className="primary" disabled={busy || problems.length > 0}>
            {busy ? 'Saving…' : 'Save sheet'}
          </button>
        </div>
      </form>
      <SheetPreview vendor={source.vendor.id} template={template.id} version={version} />
    </div>
  );
}

/** Sheets: per vendor pack, per template you are authorised for, the blocks and texts you fill in. */
export function SheetsPanel({ ws, onChanged }: { ws: WorkspaceView; onChanged: (ws: WorkspaceView) => void }) {
  const [vendor, setVendor] = useState(ws.sources[0]?.vendor.id ?? '');
  const source = ws.sources.find((s) => s.vendor.id === vendor) ?? ws.sources[0];
  const firstInScope = useCallback((s: SourceView | undefined) => s?.templates.find((t) => t.inScope)?.id ?? '', []);
  const [templateId, setTemplateId] = useState(() => firstInScope(source));
  const template = source?.templates.find((t) => t.id === templateId && t.inScope);

  if (!source) return <p className="muted dist-card">Add a vendor’s pack first (Vendors).</p>;
  return (
    <section className="dist-card" aria-labelledby="dist-sheets-title">
      <h2 id="dist-sheets-title">Sheets</h2>
      <p className="muted">Fill the bundle areas and texts the vendor left to you. Everything the vendor locked stays as the vendor made it; the same checks run again when a partner opens your pack.</p>
      <div className="dist-sheet-pick">
        <VendorSelect
          sources={ws.sources}
          value={source.vendor.id}
          onChange={(id) => {
            setVendor(id);
            setTemplateId(firstInScope(ws.sources.find((s) => s.vendor.id === id)));
          }}
        />
        <label>
          Template
          <select value={template?.id ?? ''} onChange={(e) => setTemplateId(e.target.value)}>
            {!template && <option value="">Choose a template…</option>}
            {source.templates.map((t) => (
              <option key={t.id} value={t.id} disabled={!t.inScope}>
                {t.name}
                {t.sheet ? ' ✓' : ''}
                {t.inScope ? '' : ' (not in your authorisation)'}
              </option>
            ))}
          </select>
        </label>
      </div>
      {source.templates.length === 0 && <p className="muted">{source.vendor.name}’s pack has no template with areas for a distributor.</p>}
      {template && <SheetBuilder key={`${source.vendor.id}/${template.id}`} source={source} template={template} own={ws.ownProducts} onSaved={onChanged} />}
    </section>
  );
}
