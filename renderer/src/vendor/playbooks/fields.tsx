import { createContext, useContext, useEffect, useId, useRef, type ReactNode } from 'react';
import type { AccessLevels } from '../../../../core/model/access.ts';
import type { Playbook } from '../../../../core/playbook/model.ts';
import { InlineText } from '../../learn/inline.tsx';
import { fieldId } from './draft.ts';

/** What every part of the playbook editor shares. */
export interface PlaybookEditing {
  draft: Playbook;
  /** Applies a change to a copy of the draft (the callback may mutate its argument). */
  edit: (change: (d: Playbook) => void) => void;
  /** Problems by JSON path, from the model and the last refused save. */
  problems: ReadonlyMap<string, string>;
  /** The brand's published templates, for template blocks and steps. */
  templates: readonly { id: string; name: string }[];
  access: AccessLevels;
}

export const PlaybookCtx = createContext<PlaybookEditing | null>(null);

export function usePlaybook(): PlaybookEditing {
  const ctx = useContext(PlaybookCtx);
  if (!ctx) throw new Error('usePlaybook outside the playbook editor');
  return ctx;
}

/** The problem under a field, tied to it by aria-describedby. */
function ProblemText({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null;
  return (
    <span className="field-problem" id={id}>
      {text}
    </span>
  );
}

/** A labelled text input or textarea bound to a JSON path: its id is the path's, and the path's problem shows under it. */
export function PathField({ label, path, value, onChange, multiline, rows, placeholder, hint }: { label: string; path: string; value: string; onChange: (v: string) => void; multiline?: boolean; rows?: number; placeholder?: string; hint?: string }) {
  const { problems } = usePlaybook();
  const problem = problems.get(path);
  const id = fieldId(path);
  const noteId = `${id}-note`;
  const Input = multiline ? 'textarea' : 'input';
  return (
    <div className="pb-field">
      <label htmlFor={id}>{label}</label>
      <Input id={id} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem || hint ? noteId : undefined} {...(multiline ? { rows: rows ?? 3 } : { type: 'text' })} />
      {problem ? <ProblemText id={noteId} text={problem} /> : hint ? <span className="muted small" id={noteId}>{hint}</span> : null}
    </div>
  );
}

type Markup = 'bold' | 'italic' | 'link';

/** Wraps the selection (or a placeholder) in inline markup; returns the new text and what to select afterwards. */
export function wrapSelection(value: string, start: number, end: number, kind: Markup): { text: string; select: [number, number] } {
  const chosen = value.slice(start, end);
  const inner = chosen || (kind === 'bold' ? 'bold text' : kind === 'italic' ? 'italic text' : 'link text');
  if (kind === 'link') {
    const text = `${value.slice(0, start)}[${inner}](https://)${value.slice(end)}`;
    // The address is what is left to type: select it.
    const at = start + inner.length + 3;
    return { text, select: [at, at + 'https://'.length] };
  }
  const mark = kind === 'bold' ? '**' : '*';
  return { text: `${value.slice(0, start)}${mark}${inner}${mark}${value.slice(end)}`, select: [start + mark.length, start + mark.length + inner.length] };
}

/**
 * A textarea for inline-marked text, with Bold, Italic and Link buttons that
 * wrap the selection in the markup, and a live preview drawn from
 * `parseInline` (as the partner and the PDF will read it).
 */
export function InlineField({ label, path, value, onChange, rows = 3 }: { label: string; path: string; value: string; onChange: (v: string) => void; rows?: number }) {
  const { problems } = usePlaybook();
  const area = useRef<HTMLTextAreaElement>(null);
  const pending = useRef<[number, number] | null>(null);
  const previewId = useId();
  const problem = problems.get(path);
  const id = fieldId(path);
  const noteId = `${id}-note`;

  useEffect(() => {
    const sel = pending.current;
    if (!sel || !area.current) return;
    pending.current = null;
    area.current.focus();
    area.current.setSelectionRange(sel[0], sel[1]);
  }, [value]);

  const apply = (kind: Markup) => {
    const el = area.current;
    if (!el) return;
    const r = wrapSelection(value, el.selectionStart, el.selectionEnd, kind);
    pending.current = r.select;
    onChange(r.text);
  };

  return (
    <div className="pb-field pb-inline">
      <div className="pb-inline-head">
        <label htmlFor={id}>{label}</label>
        <div className="pb-toolbar" role="toolbar" aria-label="Formatting" aria-controls={id}>
          <button type="button" className="icon" onClick={() => apply('bold')} title="Bold (**text**)">
            <strong>Bold</strong>
          </button>
          <button type="button" className="icon" onClick={() => apply('italic')} title="Italic (*text*)">
            <em>Italic</em>
          </button>
          <button type="button" className="icon" onClick={() => apply('link')} title="Link ([text](https://…))">
            Link
          </button>
        </div>
      </div>
      <textarea ref={area} id={id} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={[problem ? noteId : '', value ? previewId : ''].filter(Boolean).join(' ') || undefined} />
      <ProblemText id={noteId} text={problem} />
      {value && (
        <div className="pb-preview" id={previewId}>
          <span className="sr-only">Preview: </span>
          <InlineText text={value} />
        </div>
      )}
    </div>
  );
}

/** The move and delete buttons of an item in a list ("Move section up", "Delete step"…). */
export function ItemActions({ what, index, count, onMove, onDelete, canDelete = true, children }: { what: string; index: number; count: number; onMove: (by: number) => void; onDelete: () => void; canDelete?: boolean; children?: ReactNode }) {
  return (
    <div className="row-actions">
      {children}
      <button type="button" className="icon" onClick={() => onMove(-1)} disabled={index === 0}>
        Move {what} up
      </button>
      <button type="button" className="icon" onClick={() => onMove(1)} disabled={index === count - 1}>
        Move {what} down
      </button>
      <button type="button" className="icon danger" onClick={onDelete} disabled={!canDelete}>
        Delete {what}
      </button>
    </div>
  );
}

/** A select of the brand's templates; a value the brand no longer has stays listed as such. */
export function TemplateSelect({ label, path, value, onChange, none }: { label: string; path: string; value: string | undefined; onChange: (v: string | undefined) => void; none?: string }) {
  const { templates, problems } = usePlaybook();
  const problem = problems.get(path);
  const id = fieldId(path);
  const known = value === undefined || templates.some((t) => t.id === value);
  return (
    <div className="pb-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-note` : undefined}>
        {none !== undefined && <option value="">{none}</option>}
        {!known && <option value={value}>{value} (not in this brand)</option>}
        {templates.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <ProblemText id={`${id}-note`} text={problem} />
    </div>
  );
}
