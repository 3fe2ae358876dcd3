import { useEffect, useState, type DragEvent } from 'react';
import type { LogoView } from '../../../core/contracts/api.ts';
import { call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import { fileToBase64 } from '../app/files.ts';
import { LogoPreview } from '../app/LogoPreview.tsx';
import { deriveId, newKey, usedBy } from './draft.ts';
import { errorText } from './errors.ts';
import { FileButton, Problem, Section, useEditor, useField } from './editor-context.tsx';

const LOGO_ACCEPT = '.png,.jpg,.jpeg,.pdf,.svg,image/png,image/jpeg,application/pdf,image/svg+xml';

function LogoRow({ index, view }: { index: number; view: LogoView | undefined }) {
  const { draft, edit, usage, readOnly } = useEditor();
  const row = draft.logos[index]!;
  const logo = row.value;
  const n = index + 1;
  const [refusal, setRefusal] = useState<string>();
  const name = useField(`logos[${index}].name`);
  const id = useField(`logos[${index}].id`);
  const users = usedBy(usage, 'logos', row.origId ?? logo.id);
  const only = draft.logos.length === 1;

  const remove = () => {
    if (users.length > 0) {
      setRefusal(`${logo.name || 'This logo'} is placed by ${users.join(', ')}. Publish versions of those templates without it first.`);
      return;
    }
    edit((d) => d.logos.splice(index, 1));
  };

  return (
    <li className="logo-card">
      {view ? <LogoPreview logo={view} background={logo.background} /> : <div className={`logo-preview ${logo.background}`}><div className="swatch muted">Loading…</div></div>}
      <div className="logo-fields">
        <label>
          Name
          <input
            {...name}
            aria-label={`Logo ${n} name`}
            value={logo.name}
            onChange={(e) =>
              edit((d) => {
                const r = d.logos[index]!;
                r.value.name = e.target.value;
                if (r.autoId) r.value.id = deriveId(e.target.value, d.logos, r.key, 'logo');
              })
            }
          />
          <Problem path={`logos[${index}].name`} />
        </label>
        <label>
          Intended background
          <select
            aria-label={`Logo ${n} background`}
            value={logo.background}
            onChange={(e) =>
              edit((d) => {
                d.logos[index]!.value.background = e.target.value === 'dark' ? 'dark' : 'light';
              })
            }
          >
            <option value="light">Light backgrounds</option>
            <option value="dark">Dark backgrounds</option>
          </select>
        </label>
        <label>
          Id
          <input
            {...id}
            aria-label={`Logo ${n} id`}
            className="mono"
            value={logo.id}
            onChange={(e) =>
              edit((d) => {
                const r = d.logos[index]!;
                r.value.id = e.target.value;
                r.autoId = false;
              })
            }
          />
          <Problem path={`logos[${index}].id`} />
        </label>
        <div className="row-actions">
          {users.length > 0 && <span className="muted small">Placed by {users.length === 1 ? '1 template' : `${users.length} templates`}</span>}
          <button type="button" className="link danger" onClick={remove} disabled={readOnly || only} aria-label={`Remove logo ${logo.name || n}`} title={only ? 'A brand needs at least one logo' : undefined}>
            Remove
          </button>
        </div>
        {refusal && (
          <p className="error small" role="alert">
            {refusal}
          </p>
        )}
      </div>
    </li>
  );
}

/** Logo variants with their intended backgrounds, previewed on that background. */
export function LogosEditor() {
  const { api } = useApp();
  const { draft, edit, readOnly } = useEditor();
  const [views, setViews] = useState<Record<string, LogoView>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  // Describe every logo the draft refers to once (format, size) for its preview.
  const refs = draft.logos.map((r) => r.value.file).join('|');
  useEffect(() => {
    for (const ref of refs.split('|')) {
      if (!ref || views[ref]) continue;
      void call(api, 'logo:describe', { ref })
        .then((v) => setViews((all) => ({ ...all, [ref]: v })))
        .catch((err) => setError(errorText(err)));
    }
    // views is read only to skip refs already described.
  }, [api, refs]);

  const add = async (file: File) => {
    setBusy(true);
    setError(undefined);
    try {
      const view = await call(api, 'logo:intake', { name: file.name, data: await fileToBase64(file) });
      setViews((all) => ({ ...all, [view.ref]: view }));
      const base = file.name.replace(/\.[^.]+$/, '');
      edit((d) => {
        const key = newKey();
        const hasDark = d.logos.some((l) => l.value.background === 'dark');
        d.logos.push({ key, autoId: true, value: { id: deriveId(base, d.logos, key, 'logo'), name: base, background: hasDark ? 'light' : 'dark', file: view.ref } });
      });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const file = e.dataTransfer.files[0];
    if (file && !readOnly) void add(file);
  };

  const noDark = !draft.logos.some((l) => l.value.background === 'dark');
  return (
    <Section
      id="logos"
      title="Logos"
      intro="Each variant is drawn on the background it is meant for. PNG, JPEG, PDF or SVG (both vector; SVG is sanitised and what was removed is listed); templates pick the variant that suits their background."
      actions={<FileButton label={busy ? 'Checking the file…' : 'Add logo…'} accept={LOGO_ACCEPT} onFile={(f) => void add(f)} disabled={readOnly || busy} />}
    >
      <div onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="logos-drop">
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <ul className="logo-grid" aria-label="Logos">
          {draft.logos.map((row, i) => (
            <LogoRow key={row.key} index={i} view={views[row.value.file]} />
          ))}
        </ul>
        <Problem path="logos" />
        {noDark && <p className="muted small">No variant for dark backgrounds yet: templates with dark areas will use the light one.</p>}
      </div>
    </Section>
  );
}
