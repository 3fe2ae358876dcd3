import type { ReactNode } from 'react';
import type { BrandRules } from '../../../core/model/brand.ts';
import { Problem, Section, useEditor, useField } from './editor-context.tsx';

type Severity = 'error' | 'warning';
const UNITS = ['mm', 'pt', 'in', 'px'] as const;

function splitLength(length: string | undefined): { value: number; unit: (typeof UNITS)[number] } | undefined {
  const m = length === undefined ? null : /^(\d+(?:\.\d+)?)(mm|pt|in|px)$/.exec(length);
  if (!m) return length === undefined ? undefined : { value: Number.NaN, unit: 'mm' };
  return { value: Number(m[1]), unit: m[2] as (typeof UNITS)[number] };
}

/** "20mm" from 20 and "mm"; an empty box is no minimum, a bad number a string the schema refuses (so Save explains it). */
function joinLength(value: number, unit: string): string | undefined {
  if (Number.isNaN(value)) return undefined;
  return `${value}${unit}`;
}

function Rule({ title, why, children }: { title: string; why: string; children: ReactNode }) {
  return (
    <fieldset className="rule">
      <legend>{title}</legend>
      <p className="muted small">{why}</p>
      <div className="rule-fields">{children}</div>
    </fieldset>
  );
}

function NumberField({ label, path, value, onChange, min, max, step, suffix, optional }: { label: string; path: string; value: number | undefined; onChange: (v: number | undefined) => void; min?: number; max?: number; step?: number; suffix?: string; optional?: boolean }) {
  const field = useField(path);
  return (
    <label>
      {label}
      <span className="with-suffix">
        <input
          {...field}
          type="number"
          inputMode="decimal"
          min={min}
          max={max}
          step={step}
          value={value === undefined || Number.isNaN(value) ? '' : value}
          placeholder={optional ? 'none' : undefined}
          onChange={(e) => onChange(e.target.value === '' ? (optional ? undefined : Number.NaN) : e.target.valueAsNumber)}
        />
        {suffix && <span className="suffix">{suffix}</span>}
      </span>
      <Problem path={path} />
    </label>
  );
}

function SeveritySelect({ label, value, onChange }: { label: string; value: Severity; onChange: (v: Severity) => void }) {
  const { readOnly } = useEditor();
  return (
    <label>
      {label}
      <select value={value} disabled={readOnly} onChange={(e) => onChange(e.target.value === 'warning' ? 'warning' : 'error')}>
        <option value="error">Error</option>
        <option value="warning">Warning</option>
      </select>
    </label>
  );
}

function LengthField({ label, path, value, onChange }: { label: string; path: string; value: string | undefined; onChange: (v: string | undefined) => void }) {
  const field = useField(path);
  const parts = splitLength(value);
  const unit = parts?.unit ?? 'mm';
  return (
    <div className="length-field">
      <label>
        {label}
        <input
          {...field}
          type="number"
          inputMode="decimal"
          min={0}
          step={0.5}
          placeholder="none"
          value={parts === undefined || Number.isNaN(parts.value) ? '' : parts.value}
          onChange={(e) => onChange(e.target.value === '' ? undefined : joinLength(e.target.valueAsNumber, unit) ?? `?${unit}`)}
        />
      </label>
      <label>
        <span className="sr-only">{label} unit</span>
        <select aria-label={`${label} unit`} value={unit} disabled={parts === undefined} onChange={(e) => onChange(parts === undefined ? undefined : joinLength(parts.value, e.target.value))}>
          {UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </label>
      <Problem path={path} />
    </div>
  );
}

/** The brand rules with their thresholds, each with what it checks. */
export function RulesEditor() {
  const { draft, edit, readOnly } = useEditor();
  const r = draft.rules;
  const set = (change: (rules: BrandRules) => void) => edit((d) => change(d.rules));
  return (
    <Section id="rules" title="Brand rules" intro="Checked live while partners edit, and again at export. Errors block export; warnings are shown.">
      <div className="rules-grid">
        <Rule title="Logo minimum size" why="Logos (yours and partners') placed smaller than this are flagged. Leave a box empty for no minimum.">
          <LengthField label="Logo minimum width" path="rules.logoMinSize.minWidth" value={r.logoMinSize.minWidth} onChange={(v) => set((x) => void (x.logoMinSize.minWidth = v))} />
          <LengthField label="Logo minimum height" path="rules.logoMinSize.minHeight" value={r.logoMinSize.minHeight} onChange={(v) => set((x) => void (x.logoMinSize.minHeight = v))} />
          <SeveritySelect label="Logo minimum size severity" value={r.logoMinSize.severity} onChange={(v) => set((x) => void (x.logoMinSize.severity = v))} />
        </Rule>
        <Rule title="Clear space" why="Free space kept around a logo, as a fraction of the logo's height (0.25 = a quarter of its height on every side).">
          <NumberField label="Clear space (fraction of logo height)" path="rules.logoClearSpace.fraction" value={r.logoClearSpace.fraction} min={0} max={2} step={0.05} onChange={(v) => set((x) => void (x.logoClearSpace.fraction = v ?? Number.NaN))} />
          <SeveritySelect label="Clear space severity" value={r.logoClearSpace.severity} onChange={(v) => set((x) => void (x.logoClearSpace.severity = v))} />
        </Rule>
        <Rule title="Image resolution" why="Pixels per inch of images and logos at their placed size: below the error threshold export is refused, below the warning threshold it is flagged.">
          <NumberField label="Screen: error below" path="rules.imageResolution.screen.error" suffix="ppi" min={1} value={r.imageResolution.screen.error} onChange={(v) => set((x) => void (x.imageResolution.screen.error = v ?? Number.NaN))} />
          <NumberField label="Screen: warning below" path="rules.imageResolution.screen.warning" suffix="ppi" min={1} value={r.imageResolution.screen.warning} onChange={(v) => set((x) => void (x.imageResolution.screen.warning = v ?? Number.NaN))} />
          <NumberField label="Print: error below" path="rules.imageResolution.print.error" suffix="ppi" min={1} value={r.imageResolution.print.error} onChange={(v) => set((x) => void (x.imageResolution.print.error = v ?? Number.NaN))} />
          <NumberField
            label="Print: warning below"
            path="rules.imageResolution.print.warning"
            suffix="ppi"
            min={1}
            optional
            value={r.imageResolution.print.warning}
            onChange={(v) =>
              set((x) => {
                if (v === undefined) delete x.imageResolution.print.warning;
                else x.imageResolution.print.warning = v;
              })
            }
          />
        </Rule>
        <Rule title="Text contrast" why="WCAG contrast ratio between text and what is behind it; large text (18 pt, or 14 pt bold) may have less.">
          <NumberField label="Minimum contrast, body text" path="rules.textContrast.minRatio" suffix=": 1" min={1} max={21} step={0.1} value={r.textContrast.minRatio} onChange={(v) => set((x) => void (x.textContrast.minRatio = v ?? Number.NaN))} />
          <NumberField label="Minimum contrast, large text" path="rules.textContrast.largeTextMinRatio" suffix=": 1" min={1} max={21} step={0.1} value={r.textContrast.largeTextMinRatio} onChange={(v) => set((x) => void (x.textContrast.largeTextMinRatio = v ?? Number.NaN))} />
          <SeveritySelect label="Text contrast severity" value={r.textContrast.severity} onChange={(v) => set((x) => void (x.textContrast.severity = v))} />
        </Rule>
        <Rule title="Palette only" why="Colours partners choose for their text and shapes must be palette entries.">
          <label className="check">
            <input type="checkbox" checked={r.paletteOnly.enabled} disabled={readOnly} onChange={(e) => set((x) => void (x.paletteOnly.enabled = e.target.checked))} />
            Only palette colours
          </label>
          <SeveritySelect label="Palette only severity" value={r.paletteOnly.severity} onChange={(v) => set((x) => void (x.paletteOnly.severity = v))} />
        </Rule>
        <Rule title="Allowed logo formats" why="Partner logos in other formats are refused. Vector PDF and SVG print sharpest at any size.">
          <fieldset className="checks" aria-describedby="rules-logoFormats-problem">
            <legend className="sr-only">Allowed logo formats</legend>
            {(['png', 'jpeg', 'pdf', 'svg'] as const).map((fmt) => (
              <label key={fmt} className="check">
                <input
                  type="checkbox"
                  checked={r.logoFormats.allowed.includes(fmt)}
                  disabled={readOnly}
                  onChange={(e) =>
                    set((x) => {
                      const list = x.logoFormats.allowed.filter((f) => f !== fmt);
                      if (e.target.checked) list.push(fmt);
                      x.logoFormats.allowed = (['png', 'jpeg', 'pdf', 'svg'] as const).filter((f) => list.includes(f));
                    })
                  }
                />
                {fmt === 'jpeg' ? 'JPEG' : fmt.toUpperCase()}
                {fmt === 'svg' && <span className="muted small"> (sanitised, drawn as vector)</span>}
              </label>
            ))}
          </fieldset>
          <Problem path="rules.logoFormats.allowed" />
        </Rule>
      </div>
    </Section>
  );
}
