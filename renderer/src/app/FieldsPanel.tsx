import type { BrandView } from '../../../core/contracts/api.ts';
import type { PartnerDocument } from '../../../core/model/document.ts';
import { placeholderKeys, type PartnerTextZone, type Template } from '../../../core/model/template.ts';

export interface FieldsPanelProps {
  template: Template;
  brand: BrandView;
  document: PartnerDocument;
  values: Record<string, string>;
  editable: Set<string>;
  logoZones: { id: string; name: string }[];
  selectedZone: string | null;
  onField(key: string, value: string): void;
  onReset(key: string): void;
  onStyle(zoneId: string, choice: { font?: string; size?: number; color?: string }): void;
  onLogo(zoneId: string): void;
  onLogoReset(zoneId: string): void;
}

const PROFILE_KEYS = new Set(['company', 'phone', 'email', 'url', 'address', 'distributor']);

/** The partner's fields with live character counts, style choices within the template's limits, and logo slots. */
export function FieldsPanel(p: FieldsPanelProps) {
  const textZones = p.template.pages.flatMap((pg) => pg.zones).filter((z): z is PartnerTextZone => z.kind === 'partner-text');
  const styled = textZones.filter((z) => p.editable.has(placeholderKeys(z.content)[0] ?? '') && ((z.fonts?.length ?? 0) > 0 || (z.colors?.length ?? 0) > 0 || z.minSize !== undefined || z.maxSize !== undefined));
  const fontName = (id: string) => {
    const f = p.brand.fonts.find((x) => x.id === id);
    return f ? `${f.family} ${f.weight >= 700 ? 'Bold' : f.weight <= 300 ? 'Light' : 'Regular'}` : id;
  };
  const zoneOfField = (key: string) => textZones.find((z) => placeholderKeys(z.content).includes(key))?.id;
  return (
    <section className="fields" aria-labelledby="fields-title">
      <h2 id="fields-title">Your content</h2>
      {p.logoZones.map((z) => (
        <div key={z.id} className={`field logo-field ${p.selectedZone === z.id ? 'selected' : ''}`} data-zone={z.id}>
          <span className="field-label">{z.name}</span>
          <div className="row">
            <button type="button" onClick={() => p.onLogo(z.id)} data-testid={`logo-button-${z.id}`}>
              {p.document.logos[z.id] ? 'Replace logo…' : 'Use another logo…'}
            </button>
            {p.document.logos[z.id] && (
              <button type="button" className="link" onClick={() => p.onLogoReset(z.id)}>
                Use my profile logo
              </button>
            )}
          </div>
          <span className="muted small">Or drop a file onto the slot in the page.</span>
        </div>
      ))}
      {p.template.fields
        .filter((f) => p.editable.has(f.key))
        .map((f) => {
          const own = p.document.fields[f.key];
          const value = own ?? p.values[f.key] ?? '';
          const length = [...value].length;
          const over = f.maxChars !== undefined && length > f.maxChars;
          const id = `field-${f.key}`;
          const zoneId = zoneOfField(f.key);
          const Input = f.multiline ? 'textarea' : 'input';
          return (
            <div key={f.key} className={`field ${zoneId && p.selectedZone === zoneId ? 'selected' : ''}`} data-zone={zoneId}>
              <label htmlFor={id} className="field-label">
                {f.label}
                {f.required && <span aria-label="required"> *</span>}
              </label>
              <Input
                id={id}
                name={f.key}
                value={value}
                placeholder={f.placeholder}
                rows={f.multiline ? 3 : undefined}
                aria-invalid={over || undefined}
                aria-describedby={`${id}-count`}
                onChange={(e) => p.onField(f.key, e.target.value)}
              />
              <div className="field-foot">
                <span id={`${id}-count`} className={over ? 'count bad' : 'count'}>
                  {length}
                  {f.maxChars !== undefined ? ` / ${f.maxChars}` : ''} characters
                </span>
                {own !== undefined && PROFILE_KEYS.has(f.key) && (
                  <button type="button" className="link" onClick={() => p.onReset(f.key)}>
                    Use profile value
                  </button>
                )}
              </div>
            </div>
          );
        })}
      {styled.length > 0 && (
        <details className="styles">
          <summary>Text styles</summary>
      {styled.map((z) => {
        const choice = p.document.styles[z.id] ?? {};
        const fonts = [z.style.font, ...(z.fonts ?? [])];
        const colors = [z.style.color, ...(z.colors ?? [])];
        const min = z.minSize ?? z.style.size;
        const max = z.maxSize ?? z.style.size;
        return (
          <fieldset key={z.id} className="field style-field">
            <legend>{z.name ?? z.id} style</legend>
            {fonts.length > 1 && (
              <label>
                Font
                <select value={choice.font ?? z.style.font} onChange={(e) => p.onStyle(z.id, { font: e.target.value })}>
                  {fonts.map((f) => (
                    <option key={f} value={f}>
                      {fontName(f)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {max > min && (
              <label>
                Size ({min}–{max} pt)
                <input type="number" min={min} max={max} step={0.5} value={choice.size ?? z.style.size} onChange={(e) => p.onStyle(z.id, { size: Number(e.target.value) })} />
              </label>
            )}
            {colors.length > 1 && (
              <div className="swatches" role="radiogroup" aria-label="Colour">
                {colors.map((c) => {
                  const entry = p.brand.palette.find((x) => x.id === c);
                  return (
                    <button
                      key={c}
                      type="button"
                      role="radio"
                      aria-checked={(choice.color ?? z.style.color) === c}
                      aria-label={entry?.name ?? c}
                      title={entry?.name ?? c}
                      className="swatch-button"
                      style={{ background: entry?.hex ?? c }}
                      onClick={() => p.onStyle(z.id, { color: c })}
                    />
                  );
                })}
              </div>
            )}
          </fieldset>
        );
      })}
        </details>
      )}
    </section>
  );
}
