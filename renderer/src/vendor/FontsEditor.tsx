import { useEffect, useState, type DragEvent } from 'react';
import type { FontFileView } from '../../../core/contracts/vendor-api.ts';
import { BrandFont } from '../../../core/model/brand.ts';
import { call } from '../api/client.ts';
import { useApp } from '../app/context.ts';
import { fileToBase64 } from '../app/files.ts';
import { deriveId, newKey, usedBy } from './draft.ts';
import { FileButton, Problem, Section, useEditor, useField } from './editor-context.tsx';
import { FontSpecimen } from './FontSpecimen.tsx';
import { errorText } from './errors.ts';

// The schema's limit (core/fonts/describe.ts is not imported here: it pulls fontkit into the bundle).
const LICENCE_NOTE_MAX = BrandFont.shape.licence.maxLength ?? 200;
const WEIGHTS = [100, 200, 300, 400, 500, 600, 700, 800, 900];
const WEIGHT_NAMES: Record<number, string> = { 100: 'Thin', 200: 'Extra light', 300: 'Light', 400: 'Regular', 500: 'Medium', 600: 'Semibold', 700: 'Bold', 800: 'Extra bold', 900: 'Black' };
const EMBEDDING: Record<FontFileView['embedding'], string> = {
  installable: 'installable (no restriction)',
  'preview-and-print': 'preview & print',
  editable: 'editable',
};

/** Common scripts partners write in that a Latin brand font may not cover (Unicode script names). */
const SCRIPTS = ['Arabic', 'Hebrew', 'Cyrillic', 'Greek', 'Devanagari', 'Bengali', 'Tamil', 'Thai', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Armenian', 'Georgian', 'Ethiopic'];

function FontCard({ index, file }: { index: number; file: FontFileView | undefined }) {
  const { draft, edit, usage, readOnly } = useEditor();
  const row = draft.fonts[index]!;
  const f = row.value;
  const n = index + 1;
  const base = `fonts[${index}]`;
  const family = useField(`${base}.family`);
  const id = useField(`${base}.id`);
  const licence = useField(`${base}.licence`);
  const [refusal, setRefusal] = useState<string>();
  const users = usedBy(usage, 'fonts', row.origId ?? f.id);
  const fallbackOf = draft.fallbackFonts.filter((fb) => fb.fonts.includes(f.id)).map((fb) => fb.script);
  const label = `${f.family || `font ${n}`} ${WEIGHT_NAMES[f.weight] ?? f.weight}${f.style === 'italic' ? ' Italic' : ''}`;

  const remove = () => {
    if (users.length > 0) return setRefusal(`${label} is used by ${users.join(', ')}. Publish versions of those templates without it first.`);
    if (fallbackOf.length > 0) return setRefusal(`${label} is the fallback for ${fallbackOf.join(', ')}: remove it there first.`);
    edit((d) => d.fonts.splice(index, 1));
  };

  return (
    <li className="font-card">
      <FontSpecimen fileRef={f.file} label={label} scripts={file?.scripts} />
      <div className="font-fields">
        <label>
          Family
          <input {...family} aria-label={`Font ${n} family`} value={f.family} onChange={(e) => edit((d) => void (d.fonts[index]!.value.family = e.target.value))} />
          <Problem path={`${base}.family`} />
        </label>
        <label>
          Weight
          <select aria-label={`Font ${n} weight`} value={f.weight} onChange={(e) => edit((d) => void (d.fonts[index]!.value.weight = Number(e.target.value)))}>
            {[...new Set([...WEIGHTS, f.weight])].sort((a, b) => a - b).map((w) => (
              <option key={w} value={w}>
                {w} {WEIGHT_NAMES[w] ?? ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Style
          <select aria-label={`Font ${n} style`} value={f.style} onChange={(e) => edit((d) => void (d.fonts[index]!.value.style = e.target.value === 'italic' ? 'italic' : 'normal'))}>
            <option value="normal">Upright</option>
            <option value="italic">Italic</option>
          </select>
        </label>
        <label>
          Id
          <input
            {...id}
            className="mono"
            aria-label={`Font ${n} id`}
            value={f.id}
            onChange={(e) =>
              edit((d) => {
                const r = d.fonts[index]!;
                r.value.id = e.target.value;
                r.autoId = false;
              })
            }
          />
          <Problem path={`${base}.id`} />
        </label>
        <label className="span-all">
          Licence note
          <textarea
            {...licence}
            aria-label={`Font ${n} licence note`}
            rows={2}
            maxLength={LICENCE_NOTE_MAX}
            value={f.licence}
            placeholder="The licence you hold for this font, e.g. “SIL Open Font License 1.1” or “Foundry desktop + PDF embedding licence, 2024”"
            onChange={(e) => edit((d) => void (d.fonts[index]!.value.licence = e.target.value))}
          />
          <span className="count">
            {f.licence.length}/{LICENCE_NOTE_MAX}
          </span>
          <Problem path={`${base}.licence`} />
        </label>
        {file && (
          <details className="span-all font-file">
            <summary>
              From the file: {file.fileName} · {file.family} {file.subfamily} · {file.glyphCount} glyphs · embedding {EMBEDDING[file.embedding]}
            </summary>
            <dl>
              {file.copyright && (
                <>
                  <dt>Copyright</dt>
                  <dd>{file.copyright}</dd>
                </>
              )}
              <dt>Licence</dt>
              <dd>{file.licence ?? 'The file names no licence.'}</dd>
              {file.licenceUrl && (
                <>
                  <dt>Licence address</dt>
                  <dd>{file.licenceUrl}</dd>
                </>
              )}
            </dl>
          </details>
        )}
        {file && !file.latin && <p className="muted small span-all">This font does not draw every Latin letter: use it as a fallback for another script.</p>}
        <div className="row-actions span-all">
          {users.length > 0 && <span className="muted small">Used by {users.length === 1 ? '1 template' : `${users.length} templates`}</span>}
          <button type="button" className="link danger" onClick={remove} disabled={readOnly || draft.fonts.length === 1} title={draft.fonts.length === 1 ? 'A brand needs at least one font' : undefined} aria-label={`Remove font ${label}`}>
            Remove
          </button>
        </div>
        {refusal && (
          <p className="error small span-all" role="alert">
            {refusal}
          </p>
        )}
      </div>
    </li>
  );
}

function FallbackEditor() {
  const { draft, edit, readOnly } = useEditor();
  const used = new Set(draft.fallbackFonts.map((f) => f.script));
  const free = SCRIPTS.filter((s) => !used.has(s));
  return (
    <div className="fallbacks">
      <h3>Fallback fonts for other scripts</h3>
      <p className="muted small">When a partner writes in a script the brand fonts cannot draw (an Arabic company name, say), these fonts draw it, in this order.</p>
      {draft.fallbackFonts.length === 0 && <p className="muted small">None: text in other scripts is reported as glyphs the fonts cannot draw.</p>}
      <ul className="fallback-list">
        {draft.fallbackFonts.map((fb, i) => (
          <li key={`${fb.script}-${i}`}>
            <label>
              Script
              <select
                aria-label={`Fallback ${i + 1} script`}
                value={fb.script}
                onChange={(e) => edit((d) => void (d.fallbackFonts[i]!.script = e.target.value))}
              >
                {[fb.script, ...free].map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="checks">
              <legend className="sr-only">Fonts for {fb.script}</legend>
              {draft.fonts.map((row) => (
                <label key={row.key} className="check">
                  <input
                    type="checkbox"
                    checked={fb.fonts.includes(row.value.id)}
                    onChange={(e) =>
                      edit((d) => {
                        const list = d.fallbackFonts[i]!.fonts;
                        if (e.target.checked) list.push(row.value.id);
                        else list.splice(list.indexOf(row.value.id), 1);
                      })
                    }
                  />
                  {row.value.family} {row.value.weight}
                  {row.value.style === 'italic' ? ' italic' : ''}
                </label>
              ))}
            </fieldset>
            <Problem path={`fallbackFonts[${i}].fonts`} />
            <Problem path={`fallbackFonts[${i}].script`} />
            {fb.fonts.map((_, j) => (
              <Problem key={j} path={`fallbackFonts[${i}].fonts[${j}]`} />
            ))}
            <button type="button" className="link danger" aria-label={`Remove the ${fb.script} fallback`} disabled={readOnly} onClick={() => edit((d) => void d.fallbackFonts.splice(i, 1))}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {free.length > 0 && (
        <button
          type="button"
          disabled={readOnly}
          onClick={() =>
            edit((d) => {
              // The schema wants at least one font: start with the first that is not Latin-only by name, else the first.
              d.fallbackFonts.push({ script: free[0]!, fonts: [d.fonts[0]!.value.id] });
            })
          }
        >
          Add a fallback
        </button>
      )}
    </div>
  );
}

/** Brand fonts (TrueType), each with a specimen drawn by the uploaded file, and their licence notes. */
export function FontsEditor() {
  const { api } = useApp();
  const { draft, edit, readOnly } = useEditor();
  const [files, setFiles] = useState<Record<string, FontFileView>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const refs = draft.fonts.map((r) => r.value.file).join('|');
  useEffect(() => {
    for (const ref of refs.split('|')) {
      if (!ref || files[ref]) continue;
      // Details only: a font the catalogue already holds is described again for its name table.
      void call(api, 'font:describe', { ref })
        .then((v) => setFiles((all) => ({ ...all, [ref]: v })))
        .catch(() => undefined);
    }
    // files is read only to skip refs already described.
  }, [api, refs]);

  const add = async (file: File) => {
    setBusy(true);
    setError(undefined);
    try {
      const view = await call(api, 'font:intake', { name: file.name, data: await fileToBase64(file) });
      const existing = draft.fonts.find((r) => r.value.file === view.ref);
      if (existing) {
        setError(`${file.name} is already in the brand kit as ${existing.value.family} ${existing.value.weight}.`);
        return;
      }
      setFiles((all) => ({ ...all, [view.ref]: view }));
      edit((d) => {
        const key = newKey();
        d.fonts.push({
          key,
          autoId: true,
          value: { id: deriveId(`${view.family} ${view.subfamily}`, d.fonts, key, 'font'), family: view.family, weight: view.weight, style: view.style, file: view.ref, licence: view.licenceNote },
        });
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

  return (
    <Section
      id="fonts"
      title="Fonts"
      intro="TrueType (.ttf, or .otf with TrueType outlines) files; the PDFs embed subsets of them. Check each licence note: it travels with the brand."
      actions={<FileButton label={busy ? 'Checking the font…' : 'Add font…'} accept=".ttf,.otf,font/ttf,font/otf" onFile={(f) => void add(f)} disabled={readOnly || busy} />}
    >
      <div onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <ul className="font-list" aria-label="Fonts">
          {draft.fonts.map((row, i) => (
            <FontCard key={row.key} index={i} file={files[row.value.file]} />
          ))}
        </ul>
        <Problem path="fonts" />
        <FallbackEditor />
      </div>
    </Section>
  );
}
