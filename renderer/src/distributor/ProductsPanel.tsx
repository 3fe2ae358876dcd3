import { useState, type FormEvent } from 'react';
import type { ProductView, WorkspaceView } from '../../../core/contracts/distributor-api.ts';
import { Id } from '../../../core/model/access.ts';
import type { Price } from '../../../core/model/product.ts';
import { call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { fileToBase64 } from '../app/files.ts';
import { AssetImage, useAction } from './shared.tsx';

interface Form {
  id: string;
  name: string;
  sku: string;
  copy: string;
  priceKind: 'list' | 'on-request';
  amount: string;
  currency: string;
  unit: string;
  section: string;
  locked: boolean;
}

const EMPTY: Form = { id: '', name: '', sku: '', copy: '', priceKind: 'list', amount: '', currency: 'USD', unit: '', section: '', locked: true };

function formOf(p: ProductView): Form {
  return {
    id: p.id,
    name: p.name,
    sku: p.sku,
    copy: p.copy,
    priceKind: p.price.kind,
    amount: p.price.kind === 'list' ? String(p.price.amount) : '',
    currency: p.price.kind === 'list' ? p.price.currency : 'USD',
    unit: p.price.kind === 'list' ? (p.price.unit ?? '') : '',
    section: p.section ?? '',
    locked: p.locked,
  };
}

/** The price a form describes, or the reason it describes none. */
export function priceOf(kind: 'list' | 'on-request', amount: string, currency: string, unit: string): Price | string {
  if (kind === 'on-request') return { kind: 'on-request' };
  const n = Number(amount.replace(/,/g, ''));
  if (amount.trim() === '' || !Number.isFinite(n) || n < 0) return 'Enter the price as a number, e.g. 1299.00';
  if (Math.abs(Math.round(n * 100) - n * 100) > 1e-6) return 'At most two decimals';
  if (!/^[A-Z]{3}$/.test(currency)) return 'Currency: a three-letter code such as USD';
  return { kind: 'list', amount: n, currency, ...(unit.trim() ? { unit: unit.trim() } : {}) };
}

/** Your own products: blocks you may put on a sheet where the vendor allows your own. */
export function ProductsPanel({ ws, onChanged }: { ws: WorkspaceView; onChanged: (ws: WorkspaceView) => void }) {
  const { api } = useApp();
  const [form, setForm] = useState<Form>(EMPTY);
  const [editing, setEditing] = useState<ProductView>();
  const [picture, setPicture] = useState<File>();
  const [removePicture, setRemovePicture] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const [status, setStatus] = useState<string>();
  const { busy, error, run } = useAction();
  const price = priceOf(form.priceKind, form.amount, form.currency, form.unit);
  const idProblem = form.id !== '' && !Id.safeParse(form.id).success ? 'Use lower-case letters, digits, ".", "_" or "-"' : editing === undefined && ws.ownProducts.some((p) => p.id === form.id) ? `You already have a product "${form.id}"` : undefined;
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const reset = () => {
    setForm(EMPTY);
    setEditing(undefined);
    setPicture(undefined);
    setRemovePicture(false);
    setFormKey((k) => k + 1);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typeof price === 'string') return;
    setStatus(undefined);
    void run(async () => {
      const next = await call(api, 'distributor:product-save', {
        id: form.id,
        name: form.name.trim(),
        sku: form.sku.trim(),
        copy: form.copy.trim(),
        price,
        ...(form.section.trim() ? { section: form.section.trim() } : {}),
        locked: form.locked,
        ...(picture ? { image: await fileToBase64(picture) } : removePicture ? { image: null } : {}),
      });
      setStatus(`“${form.name.trim()}” saved.`);
      reset();
      onChanged(next);
    });
  };

  const remove = (p: ProductView) =>
    void run(async () => {
      const next = await call(api, 'distributor:product-delete', { id: p.id });
      setStatus(`“${p.name}” deleted.`);
      if (editing?.id === p.id) reset();
      onChanged(next);
    });

  return (
    <>
      <section className="dist-card" aria-labelledby="dist-products-title">
        <h2 id="dist-products-title">Your products</h2>
        <p className="muted">Services and bundles of your own. A vendor’s bundle area may let you add them next to the vendor’s blocks.</p>
        {ws.ownProducts.length === 0 ? (
          <p className="muted">No products of your own yet.</p>
        ) : (
          <ul className="dist-products" aria-label="Your products">
            {ws.ownProducts.map((p) => (
              <li key={p.id} className="dist-product" data-testid={`own-product-${p.id}`}>
                {p.image && <AssetImage assetRef={p.image} format="png" alt="" width={56} />}
                <div>
                  <strong>{p.name}</strong> {p.sku && <span className="muted small">{p.sku}</span>}
                  <br />
                  <span className="small">{p.priceText}</span>
                  {p.section && <span className="muted small"> · {p.section}</span>}
                  {p.locked ? <span className="badge dist-badge">locked</span> : null}
                </div>
                <div className="row-actions">
                  <button
                    type="button"
                    onClick={() => {
                      setEditing(p);
                      setForm(formOf(p));
                      setPicture(undefined);
                      setRemovePicture(false);
                      setFormKey((k) => k + 1);
                    }}
                    aria-label={`Edit ${p.name}`}
                  >
                    Edit
                  </button>
                  <button type="button" className="danger" onClick={() => remove(p)} aria-label={`Delete ${p.name}`} disabled={busy}>
                    Delete
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
        {status && (
          <p className="ok" role="status">
            {status}
          </p>
        )}
      </section>

      <form key={formKey} className="dist-card" onSubmit={submit} aria-labelledby="dist-product-form-title">
        <h2 id="dist-product-form-title">{editing ? `Edit “${editing.name}”` : 'Add a product'}</h2>
        <div className="grid-2">
          <div className="dist-field">
            <label htmlFor="product-id">Product id</label>
            <input id="product-id" className="mono" value={form.id} onChange={(e) => set({ id: e.target.value })} required readOnly={editing !== undefined} aria-invalid={idProblem !== undefined} aria-describedby="product-id-help" />
            <span id="product-id-help" className={idProblem ? 'field-problem' : 'muted small'}>
              {idProblem ?? 'Sheets refer to the product by this id.'}
            </span>
          </div>
          <label>
            Product name
            <input value={form.name} onChange={(e) => set({ name: e.target.value })} required maxLength={80} />
          </label>
          <label>
            SKU
            <input value={form.sku} onChange={(e) => set({ sku: e.target.value })} maxLength={40} />
          </label>
          <label>
            Section
            <input value={form.section} onChange={(e) => set({ section: e.target.value })} maxLength={60} placeholder="Services" />
          </label>
          <label className="span-2">
            Copy
            <textarea rows={3} value={form.copy} onChange={(e) => set({ copy: e.target.value })} maxLength={600} />
          </label>
          <fieldset className="radios span-2">
            <legend>Price</legend>
            <label className="radio">
              <input type="radio" name="price-kind" checked={form.priceKind === 'list'} onChange={() => set({ priceKind: 'list' })} /> List price
            </label>
            <label className="radio">
              <input type="radio" name="price-kind" checked={form.priceKind === 'on-request'} onChange={() => set({ priceKind: 'on-request' })} /> Price on request
            </label>
            {form.priceKind === 'list' && (
              <div className="dist-price">
                <label>
                  Amount
                  <input inputMode="decimal" value={form.amount} onChange={(e) => set({ amount: e.target.value })} aria-invalid={typeof price === 'string' && form.amount !== ''} />
                </label>
                <label>
                  Currency
                  <input value={form.currency} onChange={(e) => set({ currency: e.target.value.toUpperCase() })} maxLength={3} />
                </label>
                <label>
                  Unit
                  <input value={form.unit} onChange={(e) => set({ unit: e.target.value })} maxLength={40} placeholder="per user / month" />
                </label>
              </div>
            )}
            {typeof price === 'string' && form.amount !== '' && <span className="field-problem">{price}</span>}
          </fieldset>
          <label className="checkbox">
            <input type="checkbox" checked={form.locked} onChange={(e) => set({ locked: e.target.checked })} /> Locked (placed exactly as here on every sheet)
          </label>
          <label>
            Picture (optional)
            <input type="file" accept=".png,.jpg,.jpeg" onChange={(e) => setPicture(e.target.files?.[0])} />
          </label>
          {editing?.image && !picture && (
            <label className="checkbox">
              <input type="checkbox" checked={removePicture} onChange={(e) => setRemovePicture(e.target.checked)} /> Remove the current picture
            </label>
          )}
        </div>
        <ErrorBox error={error} />
        <div className="actions">
          {editing && (
            <button type="button" onClick={reset}>
              Cancel
            </button>
          )}
          <button type="submit" className="primary" disabled={busy || form.id === '' || idProblem !== undefined || form.name.trim() === '' || typeof price === 'string'}>
            {busy ? 'Saving…' : 'Save product'}
          </button>
        </div>
      </form>
    </>
  );
}
