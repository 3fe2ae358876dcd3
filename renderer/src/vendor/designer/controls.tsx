import { useEffect, useId, useState, type ReactNode } from 'react';
import type { DesignerBrand } from '../../../../core/contracts/designer-api.ts';

/**
 * Small form controls for the designer's panels. Every control is a real
 * <label> around its input, so assistive technology (and Playwright's
 * getByLabel) finds it by its visible name.
 */

export function TextField({ label, value, onChange, multiline, placeholder, hint, invalid, rows }: { label: string; value: string; onChange: (v: string) => void; multiline?: boolean; placeholder?: string; hint?: string; invalid?: string | undefined; rows?: number }) {
  const hintId = useId();
  const Input = multiline ? 'textarea' : 'input';
  return (
    <label className="dz-field">
      <span>{label}</span>
      <Input
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={hint || invalid ? hintId : undefined}
        {...(multiline ? { rows: rows ?? 3 } : { type: 'text' })}
      />
      {(invalid || hint) && (
        <span id={hintId} className={invalid ? 'dz-hint bad' : 'dz-hint'}>
          {invalid ?? hint}
        </span>
      )}
    </label>
  );
}

/**
 * A text input whose value must pass a check before it reaches the template:
 * what is typed stays in the field with the check's message until it passes,
 * and only passing text is committed. An outside change of the value (undo)
 * replaces what is typed. `same` says whether typed text already stands for
 * the value (an options list typed with a trailing new line, say); `kept`
 * says what the template keeps meanwhile.
 */
export function CheckedTextField({ label, value, check, onChange, same = (t, v) => t === v, kept, hint, issue, multiline, rows, spellCheck }: { label: string; value: string; check: (text: string) => string | undefined; onChange: (text: string) => void; same?: (text: string, value: string) => boolean; kept?: (value: string) => string; hint?: string | undefined; issue?: string | undefined; multiline?: boolean; rows?: number; spellCheck?: boolean }) {
  const hintId = useId();
  const [text, setText] = useState(value);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!same(text, value)) {
      setText(value);
      setError(undefined);
    }
    // Only an outside change of the value rewrites the text being typed.
  }, [value]);
  const Input = multiline ? 'textarea' : 'input';
  const shown = error !== undefined && kept ? `${error} · ${kept(value)}` : (error ?? issue);
  return (
    <label className="dz-field">
      <span>{label}</span>
      <Input
        value={text}
        spellCheck={spellCheck}
        onChange={(e) => {
          const t = e.target.value;
          const problem = check(t);
          setText(t);
          setError(problem);
          if (problem === undefined && !same(t, value)) onChange(t);
        }}
        aria-invalid={shown ? true : undefined}
        aria-describedby={shown || hint ? hintId : undefined}
        {...(multiline ? { rows: rows ?? 3 } : { type: 'text' })}
      />
      {(shown || hint) && (
        <span id={hintId} className={shown ? 'dz-hint bad' : 'dz-hint'}>
          {shown ?? hint}
        </span>
      )}
    </label>
  );
}

/**
 * A number input that lets people type freely ("1.", "-", "") and commits
 * only numbers within range. Empty commits `undefined` when `optional`.
 */
export function NumberField({ label, value, onChange, step = 1, min, max, unit, optional, hint }: { label: string; value: number | undefined; onChange: (v: number | undefined) => void; step?: number; min?: number; max?: number; unit?: string; optional?: boolean; hint?: string }) {
  const [text, setText] = useState(value === undefined ? '' : String(round(value)));
  useEffect(() => {
    const parsed = text.trim() === '' ? undefined : Number(text);
    if (parsed !== value) setText(value === undefined ? '' : String(round(value)));
    // Only an outside change of the value rewrites the text being typed.
  }, [value]);
  const commit = (t: string) => {
    setText(t);
    if (t.trim() === '') {
      if (optional) onChange(undefined);
      return;
    }
    const n = Number(t);
    if (!Number.isFinite(n)) return;
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) return;
    onChange(n);
  };
  return (
    <label className="dz-field dz-number">
      <span>
        {label}
        {unit ? <span className="muted"> ({unit})</span> : null}
      </span>
      <input type="number" inputMode="decimal" value={text} step={step} min={min} max={max} onChange={(e) => commit(e.target.value)} onBlur={() => setText(value === undefined ? '' : String(round(value)))} />
      {hint && <span className="dz-hint">{hint}</span>}
    </label>
  );
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** A slider for a bounded whole number (a percentage, say), with its value written out beside the label. */
export function RangeField({ label, value, onChange, min, max, step = 1, format = String, hint }: { label: string; value: number; onChange: (v: number) => void; min: number; max: number; step?: number; format?: (v: number) => string; hint?: string }) {
  return (
    <label className="dz-field dz-range">
      <span>
        {label} <span className="muted">{format(value)}</span>
      </span>
      <input type="range" value={value} min={min} max={max} step={step} aria-valuetext={format(value)} onChange={(e) => onChange(Number(e.target.value))} />
      {hint && <span className="dz-hint">{hint}</span>}
    </label>
  );
}

export function SelectField<T extends string>({ label, value, options, onChange, disabled, hint }: { label: string; value: T; options: readonly { value: T; label: string; disabled?: boolean }[]; onChange: (v: T) => void; disabled?: boolean; hint?: string | undefined }) {
  return (
    <label className="dz-field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as T)} disabled={disabled}>
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && <span className="dz-hint">{hint}</span>}
    </label>
  );
}

export function CheckField({ label, checked, onChange, disabled, hint }: { label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean; hint?: string }) {
  return (
    <label className="dz-check">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
      {hint && <span className="dz-hint">{hint}</span>}
    </label>
  );
}

/** A group of checkboxes for a set of ids (partner types, regions…). */
export function CheckList({ legend, options, values, onChange }: { legend: string; options: readonly { id: string; name: string }[]; values: readonly string[]; onChange: (v: string[]) => void }) {
  if (options.length === 0) return null;
  return (
    <fieldset className="dz-checklist">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.id} className="dz-check">
          <input type="checkbox" checked={values.includes(o.id)} onChange={(e) => onChange(e.target.checked ? [...values, o.id] : values.filter((v) => v !== o.id))} />
          <span>{o.name}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** A palette colour (with its swatch). A value outside the palette is kept and shown as such. */
export function ColorField({ label, value, palette, onChange, none, hint }: { label: string; value: string | undefined; palette: DesignerBrand['palette']; onChange: (v: string | undefined) => void; none?: string; hint?: string }) {
  const known = value === undefined || palette.some((p) => p.id === value);
  const hex = palette.find((p) => p.id === value)?.hex ?? (value && /^#[0-9A-Fa-f]{6}$/.test(value) ? value : undefined);
  return (
    <label className="dz-field">
      <span>{label}</span>
      <span className="dz-color">
        <span className="dz-swatch" style={{ background: hex ?? 'transparent' }} aria-hidden="true" />
        <select value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
          {none !== undefined && <option value="">{none}</option>}
          {!known && <option value={value}>{value} (not in the palette)</option>}
          {palette.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </span>
      {hint && <span className="dz-hint">{hint}</span>}
    </label>
  );
}

export function Section({ title, children, open = true }: { title: string; children: ReactNode; open?: boolean }) {
  return (
    <details className="dz-section" open={open}>
      <summary>{title}</summary>
      <div className="dz-section-body">{children}</div>
    </details>
  );
}

/** Font names as a designer reads them: "Lato Bold", "Noto Sans Arabic Regular". */
export function fontLabel(f: DesignerBrand['fonts'][number]): string {
  const weight = f.weight >= 850 ? 'Black' : f.weight >= 650 ? 'Bold' : f.weight >= 550 ? 'Semibold' : f.weight <= 350 ? 'Light' : 'Regular';
  return `${f.family} ${weight}${f.style === 'italic' ? ' Italic' : ''}`;
}
