import { useState } from 'react';
import { CMYK_WARN_DELTA_E, paletteAgreement, suggestCmyk } from '../../../core/color/cmyk.ts';
import { deriveId, fieldId, move, newKey, usedBy } from './draft.ts';
import { Problem, Section, useEditor, useField } from './editor-context.tsx';

const INKS = ['cyan', 'magenta', 'yellow', 'black'] as const;
const VALID_HEX = /^#[0-9A-Fa-f]{6}$/;

function Swatch({ hex, label }: { hex: string; label: string }) {
  return <span className="swatch-chip" style={{ background: hex }} role="img" aria-label={label} title={label} />;
}

function ColourRow({ index }: { index: number }) {
  const { draft, edit, usage, readOnly } = useEditor();
  const row = draft.palette[index]!;
  const p = row.value;
  const n = index + 1;
  const base = `palette[${index}]`;
  const name = useField(`${base}.name`);
  const id = useField(`${base}.id`);
  const hex = useField(`${base}.hex`);
  const [refusal, setRefusal] = useState<string>();
  const users = usedBy(usage, 'palette', row.origId ?? p.id);
  const agreement = paletteAgreement(p.hex, p.cmyk);
  const label = p.name || `colour ${n}`;

  const remove = () => {
    if (users.length > 0) {
      setRefusal(`${label} is used by ${users.join(', ')}. Publish versions of those templates without it first.`);
      return;
    }
    edit((d) => d.palette.splice(index, 1));
  };

  return (
    <>
      <tr className={agreement?.far ? 'far' : undefined}>
        <td>
          <span className="swatch-pair">
            <Swatch hex={VALID_HEX.test(p.hex) ? p.hex : 'transparent'} label={`${label} on screen (${p.hex})`} />
            {agreement && <Swatch hex={agreement.cmykHex} label={`${label} in print, estimated from CMYK (${agreement.cmykHex})`} />}
          </span>
        </td>
        <td>
          <input
            {...name}
            aria-label={`Colour ${n} name`}
            value={p.name}
            onChange={(e) =>
              edit((d) => {
                const r = d.palette[index]!;
                r.value.name = e.target.value;
                if (r.autoId) r.value.id = deriveId(e.target.value, d.palette, r.key, 'colour');
              })
            }
          />
          <Problem path={`${base}.name`} />
        </td>
        <td>
          <input
            {...id}
            className="mono"
            aria-label={`Colour ${n} id`}
            value={p.id}
            onChange={(e) =>
              edit((d) => {
                const r = d.palette[index]!;
                r.value.id = e.target.value;
                r.autoId = false;
              })
            }
          />
          <Problem path={`${base}.id`} />
        </td>
        <td>
          <span className="hex-field">
            <input
              type="color"
              aria-label={`Colour ${n} picker`}
              value={VALID_HEX.test(p.hex) ? p.hex.toLowerCase() : '#000000'}
              onChange={(e) =>
                edit((d) => {
                  d.palette[index]!.value.hex = e.target.value.toUpperCase();
                })
              }
            />
            <input
              {...hex}
              className="mono hex"
              aria-label={`Colour ${n} hex`}
              value={p.hex}
              maxLength={7}
              spellCheck={false}
              onChange={(e) =>
                edit((d) => {
                  const v = e.target.value.trim();
                  d.palette[index]!.value.hex = v === '' || v.startsWith('#') ? v : `#${v}`;
                })
              }
            />
          </span>
          <Problem path={`${base}.hex`} />
        </td>
        {INKS.map((ink, k) => (
          <td key={ink} className="ink">
            <CmykInput index={index} ink={k} label={`Colour ${n} ${ink}`} />
          </td>
        ))}
        <td className="agreement">
          {agreement && (
            <span className={agreement.far ? 'delta far' : 'delta'} title="CIEDE2000 difference between the hex colour and the CMYK printed on a coated press (estimate)">
              ΔE {agreement.deltaE.toFixed(1)}
            </span>
          )}
        </td>
        <td>
          <span className="row-actions">
            <button type="button" className="icon" aria-label={`Move ${label} up`} disabled={readOnly || index === 0} onClick={() => edit((d) => move(d.palette, index, -1))}>
              ↑
            </button>
            <button type="button" className="icon" aria-label={`Move ${label} down`} disabled={readOnly || index === draft.palette.length - 1} onClick={() => edit((d) => move(d.palette, index, 1))}>
              ↓
            </button>
            <button type="button" className="icon danger" aria-label={`Remove ${label}`} disabled={readOnly || draft.palette.length === 1} title={draft.palette.length === 1 ? 'A brand needs at least one colour' : undefined} onClick={remove}>
              ✕
            </button>
          </span>
        </td>
      </tr>
      {(agreement?.far || refusal) && (
        <tr className="row-note">
          <td colSpan={10}>
            {agreement?.far && (
              <div className="cmyk-warning" role="status" data-testid={`cmyk-warning-${index}`}>
                <strong>Hex and CMYK are far apart</strong> (ΔE00 {agreement.deltaE.toFixed(1)}, warning above {CMYK_WARN_DELTA_E}): on screen <Swatch hex={p.hex} label={p.hex} /> <code>{p.hex}</code>, in print about <Swatch hex={agreement.cmykHex} label={agreement.cmykHex} /> <code>{agreement.cmykHex}</code>.
                Check both against the brand guide.
                {!readOnly && (
                  <button
                    type="button"
                    className="link"
                    onClick={() =>
                      edit((d) => {
                        const c = suggestCmyk(d.palette[index]!.value.hex);
                        if (c) d.palette[index]!.value.cmyk = c;
                      })
                    }
                  >
                    Estimate CMYK from the hex
                  </button>
                )}
              </div>
            )}
            {refusal && (
              <p className="error small" role="alert">
                {refusal}
              </p>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function CmykInput({ index, ink, label }: { index: number; ink: number; label: string }) {
  const { draft, edit } = useEditor();
  const path = `palette[${index}].cmyk[${ink}]`;
  const field = useField(path);
  const value = draft.palette[index]!.value.cmyk[ink]!;
  return (
    <>
      <input
        {...field}
        type="number"
        min={0}
        max={100}
        step={1}
        inputMode="decimal"
        aria-label={label}
        value={Number.isNaN(value) ? '' : value}
        onChange={(e) =>
          edit((d) => {
            d.palette[index]!.value.cmyk[ink] = e.target.value === '' ? Number.NaN : e.target.valueAsNumber;
          })
        }
      />
      <Problem path={path} />
    </>
  );
}

/** Palette entries: name, id, sRGB hex and CMYK, with a warning when the two describe different colours. */
export function PaletteEditor() {
  const { edit, readOnly, draft } = useEditor();
  const add = () => {
    const index = draft.palette.length;
    edit((d) => {
      d.palette.push({ key: newKey(), autoId: true, value: { id: '', name: '', hex: '#808080', cmyk: suggestCmyk('#808080')! } });
    });
    // Focus the new row's name once React has drawn it.
    requestAnimationFrame(() => document.getElementById(fieldId(`palette[${index}].name`))?.focus());
  };
  return (
    <Section
      id="palette"
      title="Palette"
      intro={<>Screen colour (sRGB hex) and print colour (CMYK, percent) for each entry. ΔE compares the hex with the CMYK as a coated press would print it; above {CMYK_WARN_DELTA_E} the two are likely different colours.</>}
      actions={
        <button type="button" onClick={add} disabled={readOnly}>
          Add colour
        </button>
      }
    >
      <div className="table-scroll">
        <table className="palette-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Swatches</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col">Id</th>
              <th scope="col">Hex</th>
              <th scope="col" title="Cyan %">C</th>
              <th scope="col" title="Magenta %">M</th>
              <th scope="col" title="Yellow %">Y</th>
              <th scope="col" title="Black %">K</th>
              <th scope="col">ΔE</th>
              <th scope="col">
                <span className="sr-only">Order and removal</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.palette.map((row, i) => (
              <ColourRow key={row.key} index={i} />
            ))}
          </tbody>
        </table>
      </div>
      <Problem path="palette" />
    </Section>
  );
}
