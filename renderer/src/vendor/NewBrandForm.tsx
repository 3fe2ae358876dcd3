import { useEffect, useState, type FormEvent } from 'react';
import type { BrandEditView } from '../../../core/contracts/vendor-api.ts';
import { Id } from '../../../core/model/access.ts';
import { slugId } from '../../../core/vendor/brand-kit.ts';
import { call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import { fileToBase64 } from '../app/files.ts';
import { errorText } from './errors.ts';

/**
 * A new brand: the three things no default can stand in for (its name, its
 * id and a logo). Palette, fonts, rules and access levels start from
 * defaults the vendor edits next (core/vendor/brand-kit.ts).
 */
export function NewBrandForm({ existingIds, onCreated, onCancel }: { existingIds: string[]; onCreated: (view: BrandEditView) => void; onCancel?: (() => void) | undefined }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<string>();
  const [background, setBackground] = useState<'light' | 'dark'>('light');
  const [error, setError] = useState<{ field: 'logo' | 'id' | 'form'; text: string }>();
  const [busy, setBusy] = useState(false);

  const effectiveId = idTouched ? id : slugId(name, '');
  const idProblem =
    effectiveId === ''
      ? idTouched
        ? 'Enter an id'
        : undefined
      : !Id.safeParse(effectiveId).success
        ? 'Use lower-case letters, digits, ".", "_" or "-" (no spaces)'
        : existingIds.includes(effectiveId)
          ? `There is already a brand with the id "${effectiveId}"`
          : undefined;
  const ready = name.trim() !== '' && effectiveId !== '' && !idProblem && file !== undefined && !busy;

  // A raster preview straight from the file; PDFs are previewed once taken in.
  useEffect(() => {
    if (!file || !/\.(png|jpe?g)$/i.test(file.name)) {
      setPreview(undefined);
      return;
    }
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready || !file) return;
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await call(api, 'brand:create', { id: effectiveId, name: name.trim(), logo: { name: file.name, data: await fileToBase64(file) }, logoBackground: background }));
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      setError({ field: code === 'brand-exists' || code === 'invalid-argument' ? 'id' : /^(image|svg|pdf-logo|file)/.test(code) ? 'logo' : 'form', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="new-brand" onSubmit={(e) => void submit(e)} aria-labelledby="new-brand-title">
      <h2 id="new-brand-title">Start a brand kit</h2>
      <p className="muted">
        Start with the brand’s name and a logo. Lockup fills in black and white, the Lato typeface (SIL Open Font License 1.1, shipped with Lockup), the usual brand rules and Registered, Silver and Gold
        tiers: replace them with your own in the brand kit.
      </p>
      <div className="grid-2">
        <label>
          Brand name
          <input value={name} maxLength={120} required autoFocus onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Brand id
          <input
            className="mono"
            value={effectiveId}
            maxLength={80}
            aria-invalid={idProblem !== undefined || error?.field === 'id'}
            aria-describedby="new-brand-id-help"
            onChange={(e) => {
              setIdTouched(true);
              setId(e.target.value);
            }}
          />
          <span id="new-brand-id-help" className={idProblem || error?.field === 'id' ? 'field-problem' : 'muted small'} role={error?.field === 'id' ? 'alert' : undefined}>
            {idProblem ?? (error?.field === 'id' ? error.text : 'Templates, packs and partners’ credentials refer to the brand by this id; it cannot change later.')}
          </span>
        </label>
        <label>
          Logo file
          <input
            type="file"
            accept=".png,.jpg,.jpeg,.pdf,.svg"
            aria-invalid={error?.field === 'logo'}
            aria-describedby="new-brand-logo-help"
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              if (error?.field === 'logo') setError(undefined);
            }}
          />
          <span id="new-brand-logo-help" className={error?.field === 'logo' ? 'field-problem' : 'muted small'} role={error?.field === 'logo' ? 'alert' : undefined}>
            {error?.field === 'logo' ? error.text : 'PNG, JPEG, PDF or SVG (vector). You can add the other variants later.'}
          </span>
        </label>
        <fieldset className="radios">
          <legend>This logo is for</legend>
          <label className="radio">
            <input type="radio" name="new-brand-bg" value="light" checked={background === 'light'} onChange={() => setBackground('light')} />
            Light backgrounds
          </label>
          <label className="radio">
            <input type="radio" name="new-brand-bg" value="dark" checked={background === 'dark'} onChange={() => setBackground('dark')} />
            Dark backgrounds
          </label>
        </fieldset>
        {preview && (
          <figure className={`logo-preview ${background} span-2`}>
            <div className="swatch">
              <img src={preview} alt={`${file?.name ?? 'Logo'} on a ${background} background`} />
            </div>
          </figure>
        )}
      </div>
      {error?.field === 'form' && (
        <p className="error" role="alert">
          {error.text}
        </p>
      )}
      <div className="actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={!ready}>
          {busy ? 'Creating…' : 'Create brand'}
        </button>
      </div>
    </form>
  );
}
