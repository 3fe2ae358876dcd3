import { useEffect, useState } from 'react';
import type { DesignerBrand } from '../../../../core/contracts/designer-api.ts';
import type { AccessPolicy } from '../../../../core/model/access.ts';
import { Condition } from '../../../../core/model/condition.ts';
import type { FieldDef } from '../../../../core/model/template.ts';
import { CheckList, SelectField } from './controls.tsx';

/** Drops empty lists and an empty policy, which the model does not accept. */
function tidy(p: AccessPolicy): AccessPolicy | undefined {
  const out: AccessPolicy = {};
  if (p.minTier) out.minTier = p.minTier;
  for (const k of ['partnerTypes', 'regions', 'certifications', 'orCertified'] as const) if (p[k] && p[k].length > 0) out[k] = p[k];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Who may see a zone (or use a template): minimum tier, partner types, regions, certifications. */
export function AccessEditor({ legend, value, access, onChange }: { legend: string; value: AccessPolicy | undefined; access: DesignerBrand['access']; onChange: (v: AccessPolicy | undefined) => void }) {
  const p = value ?? {};
  const set = (patch: Partial<AccessPolicy>) => onChange(tidy({ ...p, ...patch }));
  return (
    <fieldset className="dz-group">
      <legend>{legend}</legend>
      <SelectField
        label="Minimum tier"
        value={p.minTier ?? ''}
        options={[{ value: '', label: 'Any tier' }, ...access.tiers.map((t) => ({ value: t.id, label: `${t.name} or higher` }))]}
        onChange={(v) => set({ minTier: v === '' ? undefined : v })}
      />
      <CheckList legend="Partner types (any of)" options={access.partnerTypes} values={p.partnerTypes ?? []} onChange={(v) => set({ partnerTypes: v })} />
      <CheckList legend="Regions (any of)" options={access.regions} values={p.regions ?? []} onChange={(v) => set({ regions: v })} />
      <CheckList legend="Certifications (any of)" options={access.certifications} values={p.certifications ?? []} onChange={(v) => set({ certifications: v })} />
      <CheckList legend="…or instead, any of these certifications" options={access.certifications} values={p.orCertified ?? []} onChange={(v) => set({ orCertified: v })} />
      <p className="dz-hint">{value ? (p.orCertified ? 'Everything ticked above must hold, unless the partner holds one of the alternative certifications.' : 'Everything ticked must hold.') : 'Everyone sees it.'}</p>
    </fieldset>
  );
}

type Mode = 'always' | 'distributor' | 'no-distributor' | 'field-filled' | 'field-empty' | 'tier' | 'type' | 'region' | 'custom';

/** Reads a condition as one of the simple forms the editor offers, else "custom". */
function modeOf(c: Condition | undefined): { mode: Mode; field?: string; values?: string[] } {
  if (!c) return { mode: 'always' };
  if ('present' in c && c.present === 'distributor') return { mode: 'distributor' };
  if ('absent' in c && c.absent === 'distributor') return { mode: 'no-distributor' };
  if ('present' in c && c.present.startsWith('field:')) return { mode: 'field-filled', field: c.present.slice(6) };
  if ('absent' in c && c.absent.startsWith('field:')) return { mode: 'field-empty', field: c.absent.slice(6) };
  if ('in' in c && (c.in.attr === 'tier' || c.in.attr === 'type' || c.in.attr === 'region')) return { mode: c.in.attr, values: c.in.values };
  if ('equals' in c && (c.equals.attr === 'tier' || c.equals.attr === 'type' || c.equals.attr === 'region')) return { mode: c.equals.attr, values: [c.equals.value] };
  return { mode: 'custom' };
}

/**
 * When a zone shows: always, or under a condition on the partner (tier,
 * type, region, distributor) or on a field. Anything else is edited as the
 * condition's JSON, checked against the model as it is typed.
 */
export function ConditionEditor({ value, fields, access, onChange }: { value: Condition | undefined; fields: readonly FieldDef[]; access: DesignerBrand['access']; onChange: (v: Condition | undefined) => void }) {
  const current = modeOf(value);
  const [custom, setCustom] = useState(current.mode === 'custom' ? JSON.stringify(value, null, 1) : '');
  const [customError, setCustomError] = useState<string>();
  const [forceCustom, setForceCustom] = useState(false);
  const mode: Mode = forceCustom ? 'custom' : current.mode;
  useEffect(() => {
    if (modeOf(value).mode === 'custom') setCustom(JSON.stringify(value, null, 1));
  }, [value]);

  const firstField = fields[0]?.key;
  const choose = (m: Mode) => {
    setForceCustom(m === 'custom');
    setCustomError(undefined);
    switch (m) {
      case 'always':
        return onChange(undefined);
      case 'distributor':
        return onChange({ present: 'distributor' });
      case 'no-distributor':
        return onChange({ absent: 'distributor' });
      case 'field-filled':
        return firstField ? onChange({ present: `field:${current.field ?? firstField}` }) : undefined;
      case 'field-empty':
        return firstField ? onChange({ absent: `field:${current.field ?? firstField}` }) : undefined;
      case 'tier':
      case 'type':
      case 'region': {
        const list = m === 'tier' ? access.tiers : m === 'type' ? access.partnerTypes : access.regions;
        return list[0] ? onChange({ in: { attr: m, values: [list.at(-1)!.id] } }) : undefined;
      }
      case 'custom':
        setCustom(JSON.stringify(value ?? { present: 'distributor' }, null, 1));
        return;
    }
  };
  const lists = { tier: access.tiers, type: access.partnerTypes, region: access.regions } as const;
  return (
    <fieldset className="dz-group">
      <legend>Visibility</legend>
      <SelectField<Mode>
        label="Show this zone"
        value={mode}
        onChange={choose}
        options={[
          { value: 'always', label: 'Always' },
          { value: 'distributor', label: 'When the partner buys through a distributor' },
          { value: 'no-distributor', label: 'When the partner has no distributor' },
          { value: 'field-filled', label: 'When a field is filled in', disabled: fields.length === 0 },
          { value: 'field-empty', label: 'When a field is empty', disabled: fields.length === 0 },
          { value: 'tier', label: 'For some tiers', disabled: access.tiers.length === 0 },
          { value: 'type', label: 'For some partner types', disabled: access.partnerTypes.length === 0 },
          { value: 'region', label: 'For some regions', disabled: access.regions.length === 0 },
          { value: 'custom', label: 'Custom condition (JSON)…' },
        ]}
      />
      {(mode === 'field-filled' || mode === 'field-empty') && (
        <SelectField
          label="Field"
          value={current.field ?? firstField ?? ''}
          options={fields.map((f) => ({ value: f.key, label: `${f.label} (${f.key})` }))}
          onChange={(k) => onChange(mode === 'field-filled' ? { present: `field:${k}` } : { absent: `field:${k}` })}
        />
      )}
      {(mode === 'tier' || mode === 'type' || mode === 'region') && (
        <CheckList
          legend={mode === 'tier' ? 'Tiers' : mode === 'type' ? 'Partner types' : 'Regions'}
          options={lists[mode]}
          values={current.values ?? []}
          onChange={(v) => (v.length > 0 ? onChange({ in: { attr: mode, values: v } }) : undefined)}
        />
      )}
      {mode === 'custom' && (
        <label className="dz-field">
          <span>Condition (JSON)</span>
          <textarea
            rows={4}
            value={custom}
            spellCheck={false}
            aria-invalid={customError ? true : undefined}
            onChange={(e) => {
              setCustom(e.target.value);
              let parsed: unknown;
              try {
                parsed = JSON.parse(e.target.value);
              } catch {
                setCustomError('Not valid JSON yet');
                return;
              }
              const r = Condition.safeParse(parsed);
              if (!r.success) {
                setCustomError(r.error.issues[0]?.message ?? 'Not a condition');
                return;
              }
              setCustomError(undefined);
              onChange(r.data);
            }}
          />
          <span className={customError ? 'dz-hint bad' : 'dz-hint'}>
            {customError ?? 'present / absent / equals / in / all / any / not over tier, type, region, distributor or field:<key>.'}
          </span>
        </label>
      )}
    </fieldset>
  );
}
