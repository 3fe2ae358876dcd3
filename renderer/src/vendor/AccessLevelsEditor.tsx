import { useState, type FormEvent } from 'react';
import { deriveId, fieldId, move, newKey, usedBy, type AccessKey } from './draft.ts';
import { EditorCtx, Problem, useEditor, useField, type EditorContext } from './editor-context.tsx';

const LISTS: { key: AccessKey; title: string; noun: string; intro: string; ordered: boolean; placeholder: string }[] = [
  {
    key: 'tiers',
    title: 'Tiers',
    noun: 'tier',
    intro: 'Partner levels, lowest first. A template for one tier is open to that tier and every tier listed after it.',
    ordered: true,
    placeholder: 'e.g. Platinum',
  },
  { key: 'partnerTypes', title: 'Partner types', noun: 'partner type', intro: 'How partners sell: a template can be limited to some types.', ordered: false, placeholder: 'e.g. Distributor' },
  { key: 'regions', title: 'Regions', noun: 'region', intro: 'Where partners sell: a template or a zone can be limited to some regions.', ordered: false, placeholder: 'e.g. Nordics' },
  { key: 'certifications', title: 'Certifications', noun: 'certification', intro: 'Qualifications partners hold: any one of a template’s certifications opens it.', ordered: false, placeholder: 'e.g. Certified Engineer' },
];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function EntryRow({ list, index }: { list: (typeof LISTS)[number]; index: number }) {
  const { draft, edit, usage, readOnly } = useEditor();
  const rows = draft.access[list.key];
  const row = rows[index]!;
  const e = row.value;
  const n = index + 1;
  const base = `access.${list.key}[${index}]`;
  const name = useField(`${base}.name`);
  const id = useField(`${base}.id`);
  const [refusal, setRefusal] = useState<string>();
  const users = usedBy(usage, list.key, row.origId ?? e.id);
  const label = e.name.trim() || `${list.noun} ${n}`;
  const last = list.key === 'tiers' && rows.length === 1;

  const remove = () => {
    if (users.length > 0) {
      setRefusal(`${label} cannot be removed: ${users.join(', ')} ${users.length === 1 ? 'refers' : 'refer'} to it in ${users.length === 1 ? 'its' : 'their'} access policy or visibility. Publish versions of those templates without it first.`);
      return;
    }
    edit((d) => d.access[list.key].splice(index, 1));
  };

  return (
    <li className="access-row" data-testid={`${list.key}-row`}>
      {list.ordered && <span className="rank" aria-hidden="true">{n}</span>}
      <span className="access-field">
        <input
          {...name}
          aria-label={`${cap(list.noun)} ${n} name`}
          value={e.name}
          onChange={(ev) =>
            edit((d) => {
              const r = d.access[list.key][index]!;
              r.value.name = ev.target.value;
              if (r.autoId) r.value.id = deriveId(ev.target.value, d.access[list.key], r.key, list.noun.replace(/ /g, '-'));
            })
          }
        />
        <Problem path={`${base}.name`} />
      </span>
      <span className="access-field">
        <input
          {...id}
          className="mono"
          aria-label={`${cap(list.noun)} ${n} id`}
          value={e.id}
          onChange={(ev) =>
            edit((d) => {
              const r = d.access[list.key][index]!;
              r.value.id = ev.target.value;
              r.autoId = false;
            })
          }
        />
        <Problem path={`${base}.id`} />
      </span>
      <span className="usage muted small" title={users.join('\n') || undefined}>
        {users.length === 0 ? 'Not used' : `Used by ${users.length === 1 ? '1 template' : `${users.length} templates`}`}
      </span>
      <span className="row-actions">
        {list.ordered || rows.length > 1 ? (
          <>
            <button type="button" className="icon" aria-label={`Move ${label} up`} disabled={readOnly || index === 0} onClick={() => edit((d) => move(d.access[list.key], index, -1))}>
              ↑
            </button>
            <button type="button" className="icon" aria-label={`Move ${label} down`} disabled={readOnly || index === rows.length - 1} onClick={() => edit((d) => move(d.access[list.key], index, 1))}>
              ↓
            </button>
          </>
        ) : null}
        <button type="button" className="icon danger" aria-label={`Remove ${label}`} disabled={readOnly || last} title={last ? 'A brand needs at least one tier' : undefined} onClick={remove}>
          ✕
        </button>
      </span>
      {refusal && (
        <p className="error small access-refusal" role="alert">
          {refusal}
        </p>
      )}
    </li>
  );
}

function AccessList({ list }: { list: (typeof LISTS)[number] }) {
  const { draft, edit, readOnly } = useEditor();
  const [name, setName] = useState('');
  const rows = draft.access[list.key];
  const add = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    const index = rows.length;
    edit((d) => {
      const key = newKey();
      d.access[list.key].push({ key, autoId: true, value: { id: deriveId(trimmed, d.access[list.key], key, list.noun.replace(/ /g, '-')), name: trimmed } });
    });
    setName('');
    requestAnimationFrame(() => document.getElementById(fieldId(`access.${list.key}[${index}].name`))?.scrollIntoView({ block: 'nearest' }));
  };
  return (
    <section className="kit-section access-list" aria-labelledby={`access-${list.key}-title`}>
      <h2 id={`access-${list.key}-title`}>{list.title}</h2>
      <p className="muted small">{list.intro}</p>
      {rows.length > 0 ? (
        <ol className={list.ordered ? 'access-rows ordered' : 'access-rows'} aria-label={list.title}>
          {rows.map((row, i) => (
            <EntryRow key={row.key} list={list} index={i} />
          ))}
        </ol>
      ) : (
        <p className="muted small">None yet.</p>
      )}
      <Problem path={`access.${list.key}`} />
      {!readOnly && (
        <form className="add-row" onSubmit={add}>
          <label>
            <span className="sr-only">New {list.noun} name</span>
            <input aria-label={`New ${list.noun} name`} value={name} placeholder={list.placeholder} maxLength={120} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" disabled={name.trim() === ''}>
            Add {list.noun}
          </button>
        </form>
      )}
    </section>
  );
}

/** Ordered tiers, partner types, regions and certifications; ids follow names until edited. */
export function AccessLevelsEditor({ ctx }: { ctx: EditorContext }) {
  return (
    <EditorCtx.Provider value={ctx}>
      <div className="access-editor">
        <p className="lead">
          Templates and zones name these in their access policies (“Gold partners only”, “EMEA resellers”). Partners pick their tier, type and region in their profile; in a signed pack, their credential
          says which they hold.
        </p>
        <div className="access-grid">
          {LISTS.map((list) => (
            <AccessList key={list.key} list={list} />
          ))}
        </div>
      </div>
    </EditorCtx.Provider>
  );
}
