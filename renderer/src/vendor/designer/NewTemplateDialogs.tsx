import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { PRESET_GROUPS } from '../../../../core/designer/new-template.ts';
import { PAGE_PRESETS, type PagePreset } from '../../../../core/model/template.ts';
import { call } from '../../api/client.ts';
import { describe } from '../../api/messages.ts';
import { useApp } from '../../app/context.ts';
import { fileToBase64 } from '../../app/files.ts';

function Modal({ title, children, onClose }: { title: string; children: ReactNode; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="export-dialog dz-new" aria-label={title} onCancel={onClose}>
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}

const UNIT_PT = { mm: 72 / 25.4, in: 72, pt: 1 } as const;
type Unit = keyof typeof UNIT_PT;

/** "New template": a name and a page size (a preset with its orientation, or a custom size). */
export function NewTemplateDialog({ brandId, onCreated, onClose }: { brandId: string; onCreated: (draftId: string) => void; onClose: () => void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [size, setSize] = useState<PagePreset | 'custom'>('letter');
  const [orientation, setOrientation] = useState<'portrait' | 'landscape'>('portrait');
  const [custom, setCustom] = useState({ width: '210', height: '99', unit: 'mm' as Unit });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const preset = size === 'custom' ? undefined : PAGE_PRESETS[size];
  const square = preset !== undefined && preset.width === preset.height;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const w = Number(custom.width) * UNIT_PT[custom.unit];
      const h = Number(custom.height) * UNIT_PT[custom.unit];
      const v = await call(api, 'designer:new', {
        brandId,
        name: name.trim(),
        size: size === 'custom' ? { width: Math.round(w * 100) / 100, height: Math.round(h * 100) / 100 } : size,
        ...(size !== 'custom' && !square ? { orientation } : {}),
      });
      onCreated(v.draftId);
    } catch (err) {
      setError(describe(err).title);
      setBusy(false);
    }
  };

  return (
    <Modal title="New template" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="dz-form">
        <label className="dz-field">
          <span>Template name</span>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
        </label>
        <label className="dz-field">
          <span>Page size</span>
          <select value={size} onChange={(e) => setSize(e.target.value as PagePreset | 'custom')}>
            {PRESET_GROUPS.map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.presets.map((p) => (
                  <option key={p} value={p}>
                    {PAGE_PRESETS[p].label}
                  </option>
                ))}
              </optgroup>
            ))}
            <option value="custom">Custom size…</option>
          </select>
        </label>
        {size !== 'custom' && !square && (
          <fieldset className="dz-group">
            <legend>Orientation</legend>
            {(['portrait', 'landscape'] as const).map((o) => (
              <label key={o} className="radio">
                <input type="radio" name="orientation" checked={orientation === o} onChange={() => setOrientation(o)} />
                {o === 'portrait' ? 'Portrait' : 'Landscape'}
              </label>
            ))}
          </fieldset>
        )}
        {size === 'custom' && (
          <div className="dz-row">
            <label className="dz-field">
              <span>Width</span>
              <input type="number" min={1} step="any" value={custom.width} onChange={(e) => setCustom({ ...custom, width: e.target.value })} required />
            </label>
            <label className="dz-field">
              <span>Height</span>
              <input type="number" min={1} step="any" value={custom.height} onChange={(e) => setCustom({ ...custom, height: e.target.value })} required />
            </label>
            <label className="dz-field">
              <span>Unit</span>
              <select value={custom.unit} onChange={(e) => setCustom({ ...custom, unit: e.target.value as Unit })}>
                <option value="mm">mm</option>
                <option value="in">in</option>
                <option value="pt">pt / px</option>
              </select>
            </label>
          </div>
        )}
        <p className="muted small">Print sizes start with a 9 pt (3 mm) bleed; social and banner sizes are in pixels (1 px = 1 pt) with none.</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || name.trim() === ''}>
            {busy ? 'Creating…' : 'Create template'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * "New from PDF…": the pages of a PDF become the template's locked artwork.
 * Every page becomes a template page, or only the one chosen.
 */
export function NewFromPdfDialog({ brandId, onCreated, onClose }: { brandId: string; onCreated: (draftId: string) => void; onClose: () => void }) {
  const { api } = useApp();
  const [file, setFile] = useState<File>();
  const [name, setName] = useState('');
  const [which, setWhich] = useState<'all' | 'one'>('all');
  const [page, setPage] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; hint: string | undefined }>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const v = await call(api, 'designer:from-pdf', { brandId, name: name.trim(), fileName: file.name, data: await fileToBase64(file), ...(which === 'one' ? { page: Math.max(1, Math.round(Number(page))) } : {}) });
      onCreated(v.draftId);
    } catch (err) {
      const d = describe(err);
      setError({ title: d.title, hint: d.hint });
      setBusy(false);
    }
  };

  return (
    <Modal title="New template from a PDF" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="dz-form">
        <p className="muted small">The PDF’s pages become locked artwork, drawn as vector in every export. Add partner logo slots and text fields on top.</p>
        <label className="dz-field">
          <span>PDF file</span>
          <input
            type="file"
            accept=".pdf,application/pdf"
            onChange={(e) => {
              const f = e.target.files?.[0];
              setFile(f);
              setError(undefined);
              if (f && name.trim() === '') setName(f.name.replace(/\.pdf$/i, '').replace(/[-_]+/g, ' '));
            }}
            required
          />
        </label>
        <label className="dz-field">
          <span>Template name</span>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <fieldset className="dz-group">
          <legend>Pages</legend>
          <label className="radio">
            <input type="radio" name="pages" checked={which === 'all'} onChange={() => setWhich('all')} />
            One template page per PDF page (they must share one size)
          </label>
          <label className="radio">
            <input type="radio" name="pages" checked={which === 'one'} onChange={() => setWhich('one')} />
            Only one page
          </label>
          {which === 'one' && (
            <label className="dz-field">
              <span>Page number</span>
              <input type="number" min={1} step={1} value={page} onChange={(e) => setPage(e.target.value)} />
            </label>
          )}
        </fieldset>
        {error && (
          <p className="error" role="alert">
            {error.title} {error.hint}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !file || name.trim() === ''}>
            {busy ? 'Reading the PDF…' : 'Create template'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
