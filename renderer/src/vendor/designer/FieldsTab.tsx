import { useState } from 'react';
import { addField, fieldKeysOf, removeField, updateField, type DesignResult } from '../../../../core/designer/commands.ts';
import type { DraftIssue } from '../../../../core/designer/validate.ts';
import { PROFILE_FIELD_KEYS, type FieldDef, type Template } from '../../../../core/model/template.ts';
import { CheckField, NumberField, TextField } from './controls.tsx';

const PROFILE_KEYS = new Set<string>(PROFILE_FIELD_KEYS);

/** Where a field's key is used, in words, for the list. */
function usedBy(t: Template, key: string): string[] {
  return t.pages.flatMap((p) => p.zones).filter((z) => fieldKeysOf(z).includes(key)).map((z) => z.name ?? (z.kind === 'form-field' ? `form field ${z.fieldName}` : z.id));
}

/**
 * One field's settings: key, label, required, character limit, multiline,
 * placeholder and default. A new key is carried into every zone that shows
 * the field (core/designer/commands.ts updateField).
 */
export function FieldEditor({ field, template, issues, onResult, coalesce }: { field: FieldDef; template: Template; issues: DraftIssue[]; onResult: (r: DesignResult, coalesceKey?: string) => void; coalesce: string }) {
  const index = template.fields.findIndex((f) => f.key === field.key);
  const issueAt = (prop: string) => issues.find((i) => i.path === `fields[${index}].${prop}` || i.path.startsWith(`fields[${index}].${prop}`))?.message;
  const [keyText, setKeyText] = useState(field.key);
  const [keyError, setKeyError] = useState<string>();
  const set = (patch: Partial<FieldDef>, what: string) => onResult(updateField(template, field.key, patch), `${coalesce}:${field.key}:${what}`);
  const fromProfile = PROFILE_KEYS.has(field.key);
  return (
    <div className="dz-field-editor" data-field={field.key}>
      <TextField label="Field label" value={field.label} onChange={(v) => set({ label: v }, 'label')} invalid={issueAt('label')} />
      <label className="dz-field">
        <span>Field key</span>
        <input
          type="text"
          value={keyText}
          spellCheck={false}
          aria-invalid={keyError || issueAt('key') ? true : undefined}
          onChange={(e) => {
            const v = e.target.value;
            setKeyText(v);
            if (!/^[a-z][a-zA-Z0-9_]*$/.test(v)) setKeyError('Start with a lower-case letter; letters, digits and _ only');
            else if (v !== field.key && template.fields.some((f) => f.key === v)) setKeyError(`A field "${v}" already exists`);
            else setKeyError(undefined);
          }}
          // The key is renamed when typing stops (blur or Enter): renaming rewrites every zone that shows the field.
          onBlur={() => {
            if (!keyError && keyText !== field.key) onResult(updateField(template, field.key, { key: keyText }));
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          }}
        />
        <span className={keyError || issueAt('key') ? 'dz-hint bad' : 'dz-hint'}>{keyError ?? issueAt('key') ?? (fromProfile ? 'Filled from the partner’s profile unless they type over it.' : 'Used as {key} in text zones and form fields’ initial values.')}</span>
      </label>
      <NumberField label="Max characters" value={field.maxChars} min={1} max={2000} optional onChange={(v) => set({ maxChars: v === undefined ? undefined : Math.round(v) }, 'max')} hint="Empty: no limit." />
      <div className="dz-row">
        <CheckField label="Required" checked={field.required} onChange={(v) => set({ required: v }, 'required')} />
        <CheckField label="Multiline" checked={field.multiline} onChange={(v) => set({ multiline: v }, 'multiline')} />
      </div>
      <TextField label="Placeholder" value={field.placeholder ?? ''} onChange={(v) => set({ placeholder: v === '' ? undefined : v }, 'placeholder')} hint="Shown in the empty field." />
      <TextField label="Default value" value={field.default ?? ''} onChange={(v) => set({ default: v === '' ? undefined : v }, 'default')} multiline={field.multiline} />
    </div>
  );
}

/** Every field the template declares, what shows it, and a way to add one. */
export function FieldsTab({ template, issues, onResult, onTemplate }: { template: Template; issues: DraftIssue[]; onResult: (r: DesignResult, coalesceKey?: string) => void; onTemplate: (t: Template) => void }) {
  // By position, so a renamed field stays open.
  const [open, setOpen] = useState<number | null>(template.fields.length > 0 ? 0 : null);
  return (
    <div className="dz-fields" aria-label="Fields">
      <p className="muted small">Fields are what partners type. Text zones show them with {'{key}'} placeholders; company, phone, email, url, address and distributor come from the partner’s profile.</p>
      {template.fields.length === 0 && <p className="muted">No fields yet. Adding a partner text zone adds one.</p>}
      <ul className="dz-field-list">
        {template.fields.map((f, i) => {
          const users = usedBy(template, f.key);
          return (
            <li key={f.key}>
              <div className="dz-field-head">
                <button type="button" className="link" aria-expanded={open === i} onClick={() => setOpen(open === i ? null : i)}>
                  {f.label} <span className="muted">({f.key})</span>
                </button>
                <span className="muted small">
                  {f.maxChars ? `≤ ${f.maxChars} chars` : 'no limit'}
                  {f.required ? ' · required' : ''}
                  {users.length > 0 ? ` · shown in ${users.join(', ')}` : ' · not shown'}
                </span>
                <button type="button" className="link" aria-label={`Remove field ${f.label}`} onClick={() => onResult(removeField(template, f.key))}>
                  Remove
                </button>
              </div>
              {open === i && <FieldEditor key={f.key} field={f} template={template} issues={issues} onResult={onResult} coalesce="fields-tab" />}
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        onClick={() => {
          const r = addField(template, { key: 'text', label: 'New field' });
          onTemplate(r.template);
          setOpen(r.template.fields.length - 1);
        }}
      >
        Add field
      </button>
    </div>
  );
}
