import { useState, type ReactNode } from 'react';
import type { DesignerBrand } from '../../../../core/contracts/designer-api.ts';
import { changeZoneKind, deleteZone, duplicateZone, ensureField, locateZone, reorderZone, updateZone, type DesignResult } from '../../../../core/designer/commands.ts';
import type { DraftIssue } from '../../../../core/designer/validate.ts';
import { allowedLocks, allowedOwners, formFieldNameIssue, idList, LOCKUP_PARTY_LABELS, withOffered, withRepeat, lockupRows, moveLockupParty, uniqueFieldKey, withFormInput, withFormOptions, withLockupParty, withLockupSeparator, ZONE_KIND_LABELS, ZONE_KINDS, type DesignKit } from '../../../../core/designer/zones.ts';
import { PROFILE_FIELD_KEYS, placeholderKeys, type Align, type BlockAreaZone, type FormFieldZone, type LockupParty, type LockupZone, type Template, type TextStyle, type Zone, type ZoneKind } from '../../../../core/model/template.ts';
import { CheckedTextField, CheckField, CheckList, ColorField, fontLabel, NumberField, RangeField, Section, SelectField, TextField } from './controls.tsx';
import { FieldEditor } from './FieldsTab.tsx';
import { AccessEditor, ConditionEditor } from './PolicyEditors.tsx';

export interface InspectorProps {
  template: Template;
  zoneId: string;
  brand: DesignerBrand;
  kit: DesignKit;
  issues: DraftIssue[];
  onResult(r: DesignResult, coalesceKey?: string): void;
  onPickImage(zoneId: string): void;
}

const OWNER_LABELS: Record<Zone['owner'], string> = { vendor: 'Vendor', distributor: 'Distributor', partner: 'Partner' };
const PROFILE_LABELS: Record<string, string> = { company: 'Company name', phone: 'Phone', email: 'Email', url: 'Website', address: 'Address', distributor: 'Distributor' };

/** The selected zone's properties: what it is, who owns and may edit it, when and to whom it shows. */
export function Inspector(p: InspectorProps) {
  const at = locateZone(p.template, p.zoneId);
  if (!at) return <p className="muted">Select a zone on the page or in the layer list.</p>;
  const zone = at.zone;
  const path = `pages[${at.page}].zones[${at.index}]`;
  const issuesHere = p.issues.filter((i) => i.path.startsWith(path));
  const issueAt = (prop: string) => issuesHere.find((i) => i.path === `${path}.${prop}` || i.path.startsWith(`${path}.${prop}.`) || i.path.startsWith(`${path}.${prop}[`))?.message;
  /** Changes the zone; typing in one property coalesces into one undo step. */
  const patch = (update: (z: Zone) => Zone, what: string) => p.onResult(updateZone(p.template, zone.id, update), `zone:${zone.id}:${what}`);
  const owners = allowedOwners(zone.kind);
  const locks = allowedLocks(zone.kind);

  return (
    <div className="dz-inspector" aria-label={`Zone ${zone.name ?? zone.id}`}>
      <div className="dz-inspector-head">
        <strong>{zone.name || ZONE_KIND_LABELS[zone.kind]}</strong>
        <span className="muted small">id {zone.id}</span>
      </div>
      {issuesHere.length > 0 && (
        <ul className="dz-issues" role="alert">
          {issuesHere.map((i) => (
            <li key={i.path + i.message}>{i.message}</li>
          ))}
        </ul>
      )}
      <TextField label="Zone name" value={zone.name ?? ''} onChange={(v) => patch((z) => withOptional(z, 'name', v.trim() === '' ? undefined : v), 'name')} hint="Partners see it in findings and tooltips." />
      <SelectField<ZoneKind> label="Kind" value={zone.kind} options={ZONE_KINDS.map((k) => ({ value: k, label: ZONE_KIND_LABELS[k] }))} onChange={(k) => p.onResult(changeZoneKind(p.template, zone.id, k, p.kit))} />
      <div className="dz-grid-4">
        <NumberField label="X" unit="pt" value={zone.rect.x} onChange={(v) => v !== undefined && patch((z) => ({ ...z, rect: { ...z.rect, x: v } }), 'x')} />
        <NumberField label="Y" unit="pt" value={zone.rect.y} onChange={(v) => v !== undefined && patch((z) => ({ ...z, rect: { ...z.rect, y: v } }), 'y')} />
        <NumberField label="Width" unit="pt" min={1} value={zone.rect.w} onChange={(v) => v !== undefined && patch((z) => ({ ...z, rect: { ...z.rect, w: v } }), 'w')} />
        <NumberField label="Height" unit="pt" min={1} value={zone.rect.h} onChange={(v) => v !== undefined && patch((z) => ({ ...z, rect: { ...z.rect, h: v } }), 'h')} />
      </div>
      <div className="dz-row">
        <SelectField<Zone['owner']>
          label="Owner"
          value={zone.owner}
          options={(['vendor', 'distributor', 'partner'] as const).map((o) => ({ value: o, label: OWNER_LABELS[o], disabled: !owners.includes(o) }))}
          onChange={(o) => patch((z) => ({ ...z, owner: o }), 'owner')}
          hint={
            zone.kind === 'vendor-logo'
              ? 'Your logo is always yours.'
              : zone.kind === 'partner-logo' || zone.kind === 'partner-text'
                ? 'Filled by the partner, or their distributor.'
                : zone.kind === 'form-field'
                  ? 'Designed by you or a distributor; filled by whoever receives the PDF.'
                  : zone.kind === 'lockup'
                    ? 'Your artwork: partners’ and distributors’ logos go into it in your order.'
                    : zone.kind === 'block-area'
                      ? 'Who fills it with product blocks: you, or the distributor of a derived pack.'
                      : undefined
          }
        />
        <SelectField<Zone['lock']>
          label="Lock"
          value={zone.lock}
          options={[
            { value: 'locked', label: 'Locked', disabled: !locks.includes('locked') },
            { value: 'editable', label: 'Editable', disabled: !locks.includes('editable') },
          ]}
          onChange={(l) => patch((z) => ({ ...z, lock: l }), 'lock')}
          hint={zone.kind === 'form-field' ? 'A form field stays where you put it; its value is typed in the PDF.' : zone.kind === 'lockup' ? 'Partners cannot move or change a lockup; their logos are placed in it.' : zone.kind === 'block-area' ? 'The same for every partner: partners cannot change the blocks.' : locks.length === 1 ? 'Partner slots are always editable.' : 'Partners change only partner text and logo slots.'}
        />
      </div>

      <Section title={`${ZONE_KIND_LABELS[zone.kind]} settings`}>
        <KindSettings {...p} zone={zone} patch={patch} issueAt={issueAt} />
      </Section>
      <Section title="Visibility" open={zone.visibleWhen !== undefined}>
        <ConditionEditor value={zone.visibleWhen} fields={p.template.fields} access={p.brand.access} onChange={(c) => patch((z) => withOptional(z, 'visibleWhen', c), 'visible')} />
      </Section>
      <Section title="Access" open={zone.access !== undefined}>
        <AccessEditor legend="Who sees this zone" value={zone.access} access={p.brand.access} onChange={(a) => patch((z) => withOptional(z, 'access', a), 'access')} />
      </Section>
      <div className="dz-actions" role="group" aria-label="Zone actions">
        <button type="button" onClick={() => p.onResult(duplicateZone(p.template, zone.id))} title="Duplicate (Ctrl+D)">
          Duplicate
        </button>
        <button type="button" onClick={() => p.onResult(reorderZone(p.template, zone.id, 'forward'))} title="Bring forward (Ctrl+])">
          Forward
        </button>
        <button type="button" onClick={() => p.onResult(reorderZone(p.template, zone.id, 'backward'))} title="Send backward (Ctrl+[)">
          Backward
        </button>
        <button type="button" className="danger" onClick={() => p.onResult(deleteZone(p.template, zone.id))} title="Delete (Del)">
          Delete zone
        </button>
      </div>
    </div>
  );
}

/** Sets or removes an optional property (the model refuses explicit undefined in some places; JSON drops it anyway). */
function withOptional<Z extends Zone, K extends string>(z: Z, key: K, value: unknown): Z {
  const next = { ...z } as Record<string, unknown>;
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next as Z;
}

type KindProps = InspectorProps & { zone: Zone; patch: (update: (z: Zone) => Zone, what: string) => void; issueAt: (prop: string) => string | undefined };

const H_ALIGN = [
  { value: 'left', label: 'Left' },
  { value: 'center', label: 'Centre' },
  { value: 'right', label: 'Right' },
] as const;
const V_ALIGN = [
  { value: 'top', label: 'Top' },
  { value: 'middle', label: 'Middle' },
  { value: 'bottom', label: 'Bottom' },
] as const;

function AlignFields({ value, onChange }: { value: Align; onChange: (a: Align) => void }) {
  return (
    <div className="dz-row">
      <SelectField label="Horizontal align" value={value.h} options={H_ALIGN} onChange={(h) => onChange({ ...value, h })} />
      <SelectField label="Vertical align" value={value.v} options={V_ALIGN} onChange={(v) => onChange({ ...value, v })} />
    </div>
  );
}

function StyleFields({ style, brand, onChange, issueAt }: { style: TextStyle; brand: DesignerBrand; onChange: (s: TextStyle, what: string) => void; issueAt: (prop: string) => string | undefined }) {
  const fontKnown = brand.fonts.some((f) => f.id === style.font);
  return (
    <>
      <SelectField
        label="Font"
        value={style.font}
        options={[...(fontKnown ? [] : [{ value: style.font, label: `${style.font} (not in the brand)` }]), ...brand.fonts.map((f) => ({ value: f.id, label: fontLabel(f) }))]}
        onChange={(font) => onChange({ ...style, font }, 'font')}
        hint={issueAt('style.font')}
      />
      <div className="dz-row">
        <NumberField label="Size" unit="pt" min={1} max={1000} step={0.5} value={style.size} onChange={(v) => v !== undefined && onChange({ ...style, size: v }, 'size')} />
        <NumberField label="Line height" min={0.5} max={5} step={0.05} value={style.lineHeight} onChange={(v) => v !== undefined && onChange({ ...style, lineHeight: v }, 'lh')} />
      </div>
      <ColorField label="Text colour" value={style.color} palette={brand.palette} onChange={(c) => c && onChange({ ...style, color: c }, 'color')} hint={issueAt('style.color')} />
      <div className="dz-row">
        <SelectField label="Text align" value={style.align} options={H_ALIGN} onChange={(align) => onChange({ ...style, align }, 'align')} />
        <SelectField label="Vertical position" value={style.valign} options={V_ALIGN} onChange={(valign) => onChange({ ...style, valign }, 'valign')} />
      </div>
      <div className="dz-row">
        <NumberField label="Letter spacing" unit="1/1000 em" min={-200} max={1000} value={style.letterSpacing} onChange={(v) => v !== undefined && onChange({ ...style, letterSpacing: v }, 'ls')} />
        <CheckField label="Uppercase" checked={style.transform === 'uppercase'} onChange={(v) => onChange({ ...style, transform: v ? 'uppercase' : 'none' }, 'case')} />
      </div>
    </>
  );
}

function KindSettings(p: KindProps) {
  const { zone, brand, patch } = p;
  const bg = (z: Zone & { background?: string | undefined }) => (
    <ColorField label="Background behind it" none="Unknown (from the page)" value={z.background} palette={brand.palette} onChange={(c) => patch((x) => withOptional(x, 'background', c), 'bg')} hint="The colour under the zone, for contrast and logo-variant checks (not drawn)." />
  );
  switch (zone.kind) {
    case 'color-block':
      return (
        <>
          <ColorField label="Fill" value={zone.fill} palette={brand.palette} onChange={(c) => c && patch((z) => ({ ...z, fill: c }), 'fill')} hint={p.issueAt('fill')} />
          <div className="dz-row">
            <SelectField label="Shape" value={zone.shape} options={[{ value: 'rect', label: 'Rectangle' }, { value: 'ellipse', label: 'Ellipse' }]} onChange={(shape) => patch((z) => (z.kind === 'color-block' ? { ...z, shape } : z), 'shape')} />
            <NumberField label="Corner radius" unit="pt" min={0} value={zone.radius} onChange={(v) => v !== undefined && patch((z) => (z.kind === 'color-block' ? { ...z, radius: v } : z), 'radius')} />
          </div>
        </>
      );
    case 'image':
      return (
        <>
          <div className="dz-field">
            <span>Image</span>
            <div className="dz-row">
              <button type="button" onClick={() => p.onPickImage(zone.id)}>
                {zone.asset ? 'Replace image…' : 'Choose image…'}
              </button>
              <span className={p.issueAt('asset') ? 'dz-hint bad' : 'muted small'}>{p.issueAt('asset') ?? (zone.asset ? zone.asset.slice(0, 19) + '…' : '')}</span>
            </div>
          </div>
          <SelectField label="Fit" value={zone.fit} options={[{ value: 'cover', label: 'Fill the zone (crop)' }, { value: 'contain', label: 'Fit inside the zone' }]} onChange={(fit) => patch((z) => (z.kind === 'image' ? { ...z, fit } : z), 'fit')} />
          <AlignFields value={zone.align} onChange={(align) => patch((z) => (z.kind === 'image' ? { ...z, align } : z), 'align')} />
          <ColorField label="Tone" none="Unknown" value={zone.tone} palette={brand.palette} onChange={(c) => patch((z) => withOptional(z, 'tone', c), 'tone')} hint="Its main colour: text placed over it is checked for contrast against this." />
        </>
      );
    case 'vendor-logo':
      return (
        <>
          <SelectField label="Logo" value={zone.logo} options={[{ value: 'auto', label: 'Automatic (suits the background)' }, ...brand.logos.map((l) => ({ value: l.id, label: l.name }))]} onChange={(logo) => patch((z) => (z.kind === 'vendor-logo' ? { ...z, logo } : z), 'logo')} />
          <NumberField label="Clear space" unit="× logo height" min={0} max={2} step={0.05} optional value={zone.clearSpace} onChange={(v) => patch((z) => withOptional(z, 'clearSpace', v), 'clear')} hint="Empty: the brand rule." />
          <AlignFields value={zone.align} onChange={(align) => patch((z) => (z.kind === 'vendor-logo' ? { ...z, align } : z), 'align')} />
          {bg(zone)}
        </>
      );
    case 'partner-logo':
      return (
        <>
          <CheckField label="Logo required" checked={zone.required} onChange={(required) => patch((z) => (z.kind === 'partner-logo' ? { ...z, required } : z), 'required')} />
          <div className="dz-row">
            <NumberField label="Min width" unit="mm" min={0} optional value={mm(zone.minWidth)} onChange={(v) => patch((z) => withOptional(z, 'minWidth', v === undefined ? undefined : `${v}mm`), 'minw')} />
            <NumberField label="Min height" unit="mm" min={0} optional value={mm(zone.minHeight)} onChange={(v) => patch((z) => withOptional(z, 'minHeight', v === undefined ? undefined : `${v}mm`), 'minh')} />
          </div>
          <NumberField label="Clear space" unit="× logo height" min={0} max={2} step={0.05} optional value={zone.clearSpace} onChange={(v) => patch((z) => withOptional(z, 'clearSpace', v), 'clear')} hint="Empty: the brand rule." />
          <AlignFields value={zone.align} onChange={(align) => patch((z) => (z.kind === 'partner-logo' ? { ...z, align } : z), 'align')} />
          {bg(zone)}
        </>
      );
    case 'static-text':
      return (
        <>
          <TextField label="Text" multiline rows={4} value={zone.text} onChange={(text) => patch((z) => (z.kind === 'static-text' ? { ...z, text } : z), 'text')} />
          <StyleFields style={zone.style} brand={brand} issueAt={p.issueAt} onChange={(style, what) => patch((z) => (z.kind === 'static-text' ? { ...z, style } : z), what)} />
          {bg(zone)}
        </>
      );
    case 'partner-text':
      return <PartnerTextSettings {...p} zone={zone} bg={bg(zone)} />;
    case 'form-field':
      // Keyed by zone: what is typed into one field's name must not carry over to the next zone selected.
      return <FormFieldSettings key={zone.id} {...p} zone={zone} />;
    case 'lockup':
      return <LockupSettings key={zone.id} {...p} zone={zone} bg={bg(zone)} />;
    case 'block-area':
      return <BlockAreaSettings key={zone.id} {...p} zone={zone} />;
  }
}

function mm(length: string | undefined): number | undefined {
  if (!length) return undefined;
  const m = /^(\d+(?:\.\d+)?)(pt|mm|in|px)$/.exec(length);
  if (!m) return undefined;
  const v = Number(m[1]);
  return m[2] === 'mm' ? v : m[2] === 'in' ? v * 25.4 : (v * 25.4) / 72;
}

function PartnerTextSettings(p: KindProps & { zone: Extract<Zone, { kind: 'partner-text' }>; bg: ReactNode }) {
  const { zone, brand, patch, template } = p;
  const keys = placeholderKeys(zone.content);
  const single = keys.length === 1 && zone.content.trim() === `{${keys[0]}}` ? keys[0]! : undefined;
  const declared = template.fields.map((f) => f.key);
  const profileOnly = PROFILE_FIELD_KEYS.filter((k) => !declared.includes(k));
  const bind = (key: string) => {
    let t = template;
    if (key === '__new') {
      key = uniqueFieldKey(t, 'text');
      t = { ...t, fields: [...t.fields, { key, label: 'Text', required: false, multiline: false }] };
    } else t = ensureField(t, key);
    p.onResult(updateZone(t, zone.id, (z) => (z.kind === 'partner-text' ? { ...z, content: `{${key}}` } : z)));
  };
  return (
    <>
      <SelectField
        label="Shows field"
        value={single ?? '__custom'}
        options={[
          ...template.fields.map((f) => ({ value: f.key, label: `${f.label} (${f.key})` })),
          ...profileOnly.map((k) => ({ value: k, label: `${PROFILE_LABELS[k]} (from the profile)` })),
          { value: '__new', label: 'A new field…' },
          ...(single ? [] : [{ value: '__custom', label: 'Text with several fields (below)' }]),
        ]}
        onChange={(k) => k !== '__custom' && bind(k)}
      />
      <TextField label="Content" value={zone.content} onChange={(content) => patch((z) => (z.kind === 'partner-text' ? { ...z, content } : z), 'content')} hint="Text with {field} placeholders, e.g. Call {phone}." invalid={p.issueAt('content')} />
      {keys
        .map((k) => template.fields.find((f) => f.key === k))
        .filter((f) => f !== undefined)
        .map((f) => (
          <fieldset key={f.key} className="dz-group">
            <legend>Field “{f.label}”</legend>
            <FieldEditor key={f.key} field={f} template={template} issues={p.issues} onResult={p.onResult} coalesce={`zone:${zone.id}`} />
          </fieldset>
        ))}
      <StyleFields style={zone.style} brand={brand} issueAt={p.issueAt} onChange={(style, what) => patch((z) => (z.kind === 'partner-text' ? { ...z, style } : z), what)} />
      <SelectField
        label="When the text is too long"
        value={zone.overflow}
        options={[
          { value: 'shrink', label: 'Shrink to fit (down to the smallest size)' },
          { value: 'ellipsis', label: 'Cut it with an ellipsis…' },
          { value: 'refuse', label: 'Refuse (an error the partner must fix)' },
        ]}
        onChange={(overflow) => patch((z) => (z.kind === 'partner-text' ? { ...z, overflow } : z), 'overflow')}
      />
      <div className="dz-row">
        <NumberField label="Smallest size" unit="pt" min={1} optional value={zone.minSize} onChange={(v) => patch((z) => withOptional(z, 'minSize', v), 'minsize')} hint={p.issueAt('minSize')} />
        <NumberField label="Largest size" unit="pt" min={1} optional value={zone.maxSize} onChange={(v) => patch((z) => withOptional(z, 'maxSize', v), 'maxsize')} hint={p.issueAt('maxSize') ?? 'Partners may pick a size in this range.'} />
      </div>
      <CheckField label="Several lines" checked={zone.multiline} onChange={(multiline) => patch((z) => (z.kind === 'partner-text' ? { ...z, multiline } : z), 'multiline')} />
      <CheckList legend="Other fonts partners may choose" options={brand.fonts.filter((f) => f.id !== zone.style.font).map((f) => ({ id: f.id, name: fontLabel(f) }))} values={zone.fonts ?? []} onChange={(v) => patch((z) => withOptional(z, 'fonts', v.length > 0 ? v : undefined), 'fonts')} />
      <CheckList legend="Other colours partners may choose" options={brand.palette.filter((c) => c.id !== zone.style.color)} values={zone.colors ?? []} onChange={(v) => patch((z) => withOptional(z, 'colors', v.length > 0 ? v : undefined), 'colors')} />
      {p.bg}
    </>
  );
}

const FORM_INPUTS = [
  { value: 'text', label: 'Text' },
  { value: 'checkbox', label: 'Checkbox' },
  { value: 'choice', label: 'Choice (drop-down list)' },
] as const;

/** One option a line: blank lines and the spaces around an option do not count. */
function optionLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/**
 * A form field: its PDF name, input type, tooltip, whether it is required,
 * what it starts with, and how it looks. A name or an options list that
 * breaks the model's rules stays in its input with the model's message and
 * is not put into the template.
 */
function FormFieldSettings(p: KindProps & { zone: FormFieldZone }) {
  const { zone, brand, patch, template } = p;
  const set = (update: (z: FormFieldZone) => FormFieldZone, what: string) => patch((z) => (z.kind === 'form-field' ? update(z) : z), what);
  const fontKnown = brand.fonts.some((f) => f.id === zone.style.font);
  const declared = template.fields.map((f) => f.key);
  const profileOnly = PROFILE_FIELD_KEYS.filter((k) => !declared.includes(k));
  const insertField = (key: string) => {
    const t = ensureField(template, key);
    p.onResult(updateZone(t, zone.id, (z) => (z.kind === 'form-field' ? { ...z, value: `${z.value}{${key}}` } : z)));
  };
  return (
    <>
      <CheckedTextField
        label="Field name"
        value={zone.fieldName}
        spellCheck={false}
        check={(name) => formFieldNameIssue(template, zone.id, name)}
        onChange={(fieldName) => set((z) => ({ ...z, fieldName }), 'fieldName')}
        kept={(v) => `the field keeps the name “${v}” until this is fixed`}
        issue={p.issueAt('fieldName')}
        hint="The name in the PDF form (what form data and scripts read): unique in the template."
      />
      <SelectField<FormFieldZone['input']> label="Input type" value={zone.input} options={FORM_INPUTS} onChange={(input) => set((z) => withFormInput(z, input), 'input')} />
      <CheckedTextField
        label="Label (tooltip)"
        value={zone.label}
        check={(label) => (label.trim() === '' ? 'give the field a label: readers see it as the tooltip, screen readers read it' : label.length > 120 ? 'at most 120 characters' : undefined)}
        onChange={(label) => set((z) => ({ ...z, label }), 'label')}
        issue={p.issueAt('label')}
      />
      <CheckField label="Required" checked={zone.required} onChange={(required) => set((z) => ({ ...z, required }), 'required')} hint="PDF readers ask for it before the form is submitted." />
      {zone.input === 'text' && (
        <>
          <div className="dz-row">
            <CheckField label="Several lines" checked={zone.multiline} onChange={(multiline) => set((z) => ({ ...z, multiline }), 'multiline')} />
            <NumberField
              label="Max characters"
              min={1}
              max={10000}
              optional
              value={zone.maxChars}
              onChange={(v) => set((z) => withOptional(z, 'maxChars', v === undefined ? undefined : Math.max(1, Math.round(v))), 'maxChars')}
              hint={p.issueAt('maxChars') ?? 'Empty: no limit.'}
            />
          </div>
          <TextField
            label="Initial value"
            multiline={zone.multiline}
            value={zone.value}
            onChange={(value) => set((z) => ({ ...z, value }), 'value')}
            hint="Prefilled at export; text with {field} placeholders, e.g. {company}. Empty: the field starts empty."
            invalid={p.issueAt('value')}
          />
          <SelectField
            label="Insert a field"
            value=""
            options={[
              { value: '', label: 'Choose a field to insert…' },
              ...template.fields.map((f) => ({ value: f.key, label: `${f.label} (${f.key})` })),
              ...profileOnly.map((k) => ({ value: k, label: `${PROFILE_LABELS[k]} (from the profile)` })),
            ]}
            onChange={(k) => k !== '' && insertField(k)}
          />
        </>
      )}
      {zone.input === 'choice' && (
        <>
          <CheckedTextField
            label="Options (one per line)"
            multiline
            rows={Math.min(8, Math.max(3, zone.options.length + 1))}
            value={zone.options.join('\n')}
            same={(text, value) => optionLines(text).join('\n') === value}
            check={(text) => {
              const r = withFormOptions(zone, optionLines(text));
              return 'issue' in r ? r.issue : undefined;
            }}
            onChange={(text) =>
              set((z) => {
                const r = withFormOptions(z, optionLines(text));
                return 'issue' in r ? z : r;
              }, 'options')
            }
            kept={(v) => {
              const n = v.split('\n').length;
              return `the field keeps its ${n} option${n === 1 ? '' : 's'} until this is fixed`;
            }}
            issue={p.issueAt('options')}
          />
          <SelectField
            label="Default option"
            value={zone.options.includes(zone.value) ? zone.value : ''}
            options={[{ value: '', label: 'None (starts empty)' }, ...zone.options.map((o) => ({ value: o, label: o }))]}
            onChange={(value) => set((z) => ({ ...z, value }), 'value')}
            hint={p.issueAt('value')}
          />
        </>
      )}
      {zone.input === 'checkbox' && <CheckField label="Checked by default" checked={zone.value === 'on'} onChange={(on) => set((z) => ({ ...z, value: on ? 'on' : 'off' }), 'value')} />}
      <fieldset className="dz-group">
        <legend>Look</legend>
        <SelectField
          label="Font"
          value={zone.style.font}
          options={[...(fontKnown ? [] : [{ value: zone.style.font, label: `${zone.style.font} (not in the brand)` }]), ...brand.fonts.map((f) => ({ value: f.id, label: fontLabel(f) }))]}
          onChange={(font) => set((z) => ({ ...z, style: { ...z.style, font } }), 'font')}
          hint={p.issueAt('style.font')}
        />
        <NumberField label="Size" unit="pt" min={4} max={72} step={0.5} value={zone.style.size} onChange={(v) => v !== undefined && set((z) => ({ ...z, style: { ...z.style, size: v } }), 'size')} hint="4 to 72 pt." />
        <ColorField label="Text colour" value={zone.style.color} palette={brand.palette} onChange={(c) => c && set((z) => ({ ...z, style: { ...z.style, color: c } }), 'color')} hint={p.issueAt('style.color')} />
        <ColorField label="Border" none="No border" value={zone.border} palette={brand.palette} onChange={(c) => patch((z) => withOptional(z, 'border', c), 'border')} hint={p.issueAt('border')} />
        <ColorField label="Background" none="None (transparent)" value={zone.background} palette={brand.palette} onChange={(c) => patch((z) => withOptional(z, 'background', c), 'bg')} hint={p.issueAt('background') ?? 'Drawn behind the field in the PDF.'} />
      </fieldset>
    </>
  );
}

/**
 * A lockup: which logos the row shows and in what order (the vendor's
 * always), the vendor logo variant, the co-brand logos' size, separators,
 * spacing and alignment. An order the model refuses is not put into the
 * template; its message shows under the order instead.
 */
function LockupSettings(p: KindProps & { zone: LockupZone; bg: ReactNode }) {
  const { zone, brand, patch, kit } = p;
  const [orderIssue, setOrderIssue] = useState<string>();
  const set = (update: (z: LockupZone) => LockupZone, what: string) => patch((z) => (z.kind === 'lockup' ? update(z) : z), what);
  const rows = lockupRows(zone);
  const include = (party: LockupParty, on: boolean) => {
    const r = withLockupParty(zone, party, on);
    if ('issue' in r) {
      setOrderIssue(r.issue);
      return;
    }
    setOrderIssue(undefined);
    set((z) => {
      const next = withLockupParty(z, party, on);
      return 'issue' in next ? z : next;
    }, 'order');
  };
  const move = (party: LockupParty, step: -1 | 1) => {
    setOrderIssue(undefined);
    set((z) => moveLockupParty(z, party, step), 'order');
  };
  const logoKnown = zone.vendorLogo === 'auto' || brand.logos.some((l) => l.id === zone.vendorLogo);
  const orderMessage = orderIssue ?? p.issueAt('order');
  return (
    <>
      <fieldset className="dz-group dz-lockup-order" aria-describedby={orderMessage ? `${zone.id}-order-issue` : undefined}>
        <legend>Logos, left to right</legend>
        <ol className="dz-lockup-rows">
          {rows.map(({ party, included }, i) => {
            const label = LOCKUP_PARTY_LABELS[party];
            return (
              <li key={party} className={included ? undefined : 'muted'}>
                <CheckField label={label} checked={included} disabled={party === 'vendor'} onChange={(on) => include(party, on)} />
                <span className="dz-lockup-moves">
                  <button type="button" aria-label={`Move the ${party} logo earlier`} title="Earlier (left)" disabled={!included || i === 0} onClick={() => move(party, -1)}>
                    ↑
                  </button>
                  <button type="button" aria-label={`Move the ${party} logo later`} title="Later (right)" disabled={!included || i === zone.order.length - 1} onClick={() => move(party, 1)}>
                    ↓
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
        <span id={`${zone.id}-order-issue`} className={orderMessage ? 'dz-hint bad' : 'dz-hint'} role={orderIssue ? 'alert' : undefined}>
          {orderMessage ?? 'A party with no logo (a partner that buys direct has no distributor) is left out and the row closes up.'}
        </span>
      </fieldset>
      <SelectField
        label="Vendor logo"
        value={zone.vendorLogo}
        options={[...(logoKnown ? [] : [{ value: zone.vendorLogo, label: `${zone.vendorLogo} (not in the brand)` }]), { value: 'auto', label: 'Automatic (suits the background)' }, ...brand.logos.map((l) => ({ value: l.id, label: l.name }))]}
        onChange={(vendorLogo) => set((z) => ({ ...z, vendorLogo }), 'vlogo')}
        hint={p.issueAt('vendorLogo')}
      />
      <RangeField
        label="Co-brand logo size"
        min={25}
        max={150}
        step={5}
        value={Math.round(zone.relativeSize * 100)}
        format={(v) => `${v} % of the vendor logo`}
        onChange={(v) => set((z) => ({ ...z, relativeSize: Math.min(1.5, Math.max(0.25, v / 100)) }), 'size')}
        hint="The height of the distributor’s and partner’s logos."
      />
      <div className="dz-row">
        <SelectField<LockupZone['separator']>
          label="Separator"
          value={zone.separator}
          options={[
            { value: 'rule', label: 'Rule' },
            { value: 'none', label: 'None' },
          ]}
          onChange={(separator) => set((z) => withLockupSeparator(z, separator, kit), 'separator')}
        />
        {zone.separator === 'rule' && <ColorField label="Rule colour" value={zone.separatorColor} palette={brand.palette} onChange={(c) => c && set((z) => ({ ...z, separatorColor: c }), 'sepcolor')} hint={p.issueAt('separatorColor')} />}
      </div>
      <div className="dz-row">
        <NumberField label="Gap" unit="× vendor logo height" min={0} max={3} step={0.05} value={zone.gap} onChange={(v) => v !== undefined && set((z) => ({ ...z, gap: v }), 'gap')} hint={zone.separator === 'rule' ? 'On each side of a rule.' : 'Between logos.'} />
        <SelectField label="Alignment" value={zone.align} options={H_ALIGN} onChange={(align) => set((z) => ({ ...z, align }), 'align')} />
      </div>
      <NumberField label="Clear space" unit="× vendor logo height" min={0} max={2} step={0.05} optional value={zone.clearSpace} onChange={(v) => patch((z) => withOptional(z, 'clearSpace', v), 'clear')} hint="Empty: the brand rule." />
      <CheckField label="Partner logo required" checked={zone.partnerRequired} onChange={(partnerRequired) => set((z) => ({ ...z, partnerRequired }), 'required')} hint="Exports are refused without it." />
      {p.bg}
    </>
  );
}

/**
 * A bundle area: which of the vendor's products it offers and whether the
 * owner may add its own, the grid or list, the zones its continuation pages
 * repeat and where they flow, and how blocks look. The blocks themselves are
 * placed by the owner (a distributor's workspace, or the template file); a
 * list the model refuses stays in its input with the model's message.
 */
function BlockAreaSettings(p: KindProps & { zone: BlockAreaZone }) {
  const { zone, brand, patch, template } = p;
  const [repeatIssue, setRepeatIssue] = useState<string>();
  const set = (update: (z: BlockAreaZone) => BlockAreaZone, what: string) => patch((z) => (z.kind === 'block-area' ? update(z) : z), what);
  const setStyle = (style: Partial<BlockAreaZone['style']>, what: string) => set((z) => ({ ...z, style: { ...z.style, ...style } }), what);
  const pageZones = template.pages.find((pg) => pg.zones.some((z) => z.id === zone.id))?.zones ?? [];
  const repeatable = pageZones.filter((z) => z.id !== zone.id && z.kind !== 'form-field').map((z) => ({ id: z.id, name: z.name ?? `${ZONE_KIND_LABELS[z.kind]} (${z.id})` }));
  const fontOptions = (current: string) => [...(brand.fonts.some((f) => f.id === current) ? [] : [{ value: current, label: `${current} (not in the brand)` }]), ...brand.fonts.map((f) => ({ value: f.id, label: fontLabel(f) }))];
  const cont = zone.continuation;
  const setCont = (key: 'x' | 'y' | 'w' | 'h', v: number | undefined) => v !== undefined && set((z) => ({ ...z, continuation: { ...(z.continuation ?? z.rect), [key]: v } }), `cont-${key}`);
  return (
    <>
      <CheckedTextField
        label="Offered products"
        value={zone.offered.join(', ')}
        spellCheck={false}
        same={(text, value) => idList(text).join(', ') === value}
        check={(text) => {
          const r = withOffered(template, zone, idList(text));
          return 'issue' in r ? r.issue : undefined;
        }}
        onChange={(text) =>
          set((z) => {
            const r = withOffered(template, z, idList(text));
            return 'issue' in r ? z : r;
          }, 'offered')
        }
        kept={(v) => (v === '' ? 'the area keeps offering every product until this is fixed' : `the area keeps offering ${v} until this is fixed`)}
        issue={p.issueAt('offered')}
        hint="Your product block ids, separated by commas. Empty: any of your products."
      />
      <CheckField label="The owner may add its own products" checked={zone.allowOwn} onChange={(allowOwn) => set((z) => ({ ...z, allowOwn }), 'allowOwn')} hint="A distributor’s own blocks, beside yours." />
      <div className="dz-row">
        <SelectField<BlockAreaZone['layout']>
          label="Layout"
          value={zone.layout}
          options={[
            { value: 'grid', label: 'Grid' },
            { value: 'list', label: 'List (one column)' },
          ]}
          onChange={(layout) => set((z) => ({ ...z, layout }), 'layout')}
        />
        {zone.layout === 'grid' && <NumberField label="Columns" min={1} max={6} value={zone.columns} onChange={(v) => v !== undefined && set((z) => ({ ...z, columns: Math.round(v) }), 'columns')} />}
      </div>
      <div className="dz-row">
        <NumberField label="Gap" unit="pt" min={0} max={72} value={zone.gap} onChange={(v) => v !== undefined && set((z) => ({ ...z, gap: v }), 'gap')} hint="Between columns and rows." />
        <NumberField label="Continuation pages" min={0} max={50} value={zone.maxPages} onChange={(v) => v !== undefined && set((z) => ({ ...z, maxPages: Math.round(v) }), 'maxPages')} hint="At most; blocks beyond them are reported." />
      </div>
      <CheckList
        legend="Repeat on continuation pages"
        options={repeatable}
        values={zone.repeat}
        onChange={(ids) => {
          const r = withRepeat(template, zone, ids);
          if ('issue' in r) return setRepeatIssue(r.issue);
          setRepeatIssue(undefined);
          set((z) => ({ ...z, repeat: ids }), 'repeat');
        }}
      />
      {(repeatIssue ?? p.issueAt('repeat')) && (
        <span className="dz-hint bad" role="alert">
          {repeatIssue ?? p.issueAt('repeat')}
        </span>
      )}
      <CheckField
        label="Another area on continuation pages"
        checked={cont !== undefined}
        onChange={(on) => patch((z) => withOptional(z, 'continuation', on && z.kind === 'block-area' ? { ...z.rect } : undefined), 'cont')}
        hint={p.issueAt('continuation') ?? 'Without it, blocks continue in the same rectangle.'}
      />
      {cont && (
        <div className="dz-grid-4" aria-label="Continuation area">
          <NumberField label="Cont. X" unit="pt" value={cont.x} onChange={(v) => setCont('x', v)} />
          <NumberField label="Cont. Y" unit="pt" value={cont.y} onChange={(v) => setCont('y', v)} />
          <NumberField label="Cont. width" unit="pt" min={1} value={cont.w} onChange={(v) => setCont('w', v)} />
          <NumberField label="Cont. height" unit="pt" min={1} value={cont.h} onChange={(v) => setCont('h', v)} />
        </div>
      )}
      <fieldset className="dz-group">
        <legend>Blocks</legend>
        <div className="dz-row">
          <SelectField label="Font" value={zone.style.font} options={fontOptions(zone.style.font)} onChange={(font) => setStyle({ font }, 'font')} hint={p.issueAt('style.font')} />
          <SelectField label="Bold font" value={zone.style.bold} options={fontOptions(zone.style.bold)} onChange={(bold) => setStyle({ bold }, 'bold')} hint={p.issueAt('style.bold') ?? 'Names, prices and headings.'} />
        </div>
        <div className="dz-row">
          <NumberField label="Text size" unit="pt" min={5} max={24} step={0.5} value={zone.style.size} onChange={(v) => v !== undefined && setStyle({ size: v }, 'size')} />
          <NumberField label="Picture height" unit="pt" min={0} max={300} value={zone.style.imageHeight} onChange={(v) => v !== undefined && setStyle({ imageHeight: v }, 'imageHeight')} hint="0: no pictures." />
        </div>
        <ColorField label="Text colour" value={zone.style.color} palette={brand.palette} onChange={(c) => c && setStyle({ color: c }, 'color')} hint={p.issueAt('style.color')} />
        <ColorField label="Muted colour" value={zone.style.muted} palette={brand.palette} onChange={(c) => c && setStyle({ muted: c }, 'muted')} hint={p.issueAt('style.muted') ?? 'SKUs.'} />
        <ColorField label="Accent colour" value={zone.style.accent} palette={brand.palette} onChange={(c) => c && setStyle({ accent: c }, 'accent')} hint={p.issueAt('style.accent') ?? 'Prices.'} />
        <ColorField label="Card" none="No card" value={zone.style.card} palette={brand.palette} onChange={(c) =>
            set((z) => {
              const { card: _card, ...style } = z.style;
              return { ...z, style: c === undefined ? style : { ...style, card: c } };
            }, 'card')
          } hint={p.issueAt('style.card')} />
        <div className="dz-row">
          <NumberField label="Padding" unit="pt" min={0} max={36} value={zone.style.padding} onChange={(v) => v !== undefined && setStyle({ padding: v }, 'padding')} />
          <NumberField label="Corner radius" unit="pt" min={0} max={24} value={zone.style.radius} onChange={(v) => v !== undefined && setStyle({ radius: v }, 'radius')} />
        </div>
      </fieldset>
      <fieldset className="dz-group">
        <legend>Section headings</legend>
        <div className="dz-row">
          <NumberField label="Heading size" unit="pt" min={6} max={36} step={0.5} value={zone.style.headingSize} onChange={(v) => v !== undefined && setStyle({ headingSize: v }, 'headingSize')} />
          <ColorField label="Heading colour" value={zone.style.headingColor} palette={brand.palette} onChange={(c) => c && setStyle({ headingColor: c }, 'headingColor')} hint={p.issueAt('style.headingColor')} />
        </div>
      </fieldset>
      <p className="muted small" role="note">
        {zone.entries.length === 0 ? 'No blocks placed yet: ' : `${zone.entries.length} block${zone.entries.length === 1 ? '' : 's'} placed (${zone.entries.map((e) => e.product.name).join(', ')}); `}
        {zone.owner === 'distributor' ? 'the distributor fills this area in its workspace.' : 'you fill this area in the template file.'}
      </p>
    </>
  );
}
