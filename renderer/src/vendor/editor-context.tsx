import { createContext, useContext, type ReactNode } from 'react';
import type { BrandUsage } from '../../../core/vendor/usage.ts';
import { fieldId, type Draft } from './draft.ts';

/** What every part of the brand kit and access levels editors shares. */
export interface EditorContext {
  draft: Draft;
  /** Applies a change to a copy of the draft (the callback may mutate its argument). */
  edit: (change: (d: Draft) => void) => void;
  /** Problems by JSON path, from local validation and the last refused save. */
  problems: Map<string, string>;
  usage: BrandUsage | undefined;
  readOnly: boolean;
}

export const EditorCtx = createContext<EditorContext | null>(null);

export function useEditor(): EditorContext {
  const ctx = useContext(EditorCtx);
  if (!ctx) throw new Error('useEditor outside a brand editor');
  return ctx;
}

/** Props that tie an input to its problem: id, aria-invalid and aria-describedby. */
export function useField(path: string): { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined } {
  const { problems } = useEditor();
  const id = fieldId(path);
  const bad = problems.has(path);
  return { id, 'aria-invalid': bad, 'aria-describedby': bad ? `${id}-problem` : undefined };
}

/** The problem text under a field, referenced by the field's aria-describedby. */
export function Problem({ path }: { path: string }) {
  const { problems } = useEditor();
  const problem = problems.get(path);
  if (problem === undefined) return null;
  return (
    <span className="field-problem" id={`${fieldId(path)}-problem`}>
      {problem}
    </span>
  );
}

/** A section of the editor with a heading and a one-line explanation. */
export function Section({ id, title, intro, children, actions }: { id: string; title: string; intro: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="kit-section" aria-labelledby={`${id}-title`}>
      <div className="kit-section-head">
        <div>
          <h2 id={`${id}-title`}>{title}</h2>
          <p className="muted small">{intro}</p>
        </div>
        {actions && <div className="kit-section-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/** A file picker that is a real, labelled, focusable input styled as a button. */
export function FileButton({ label, accept, onFile, disabled }: { label: string; accept: string; onFile: (file: File) => void; disabled?: boolean }) {
  return (
    <label className={`file-button${disabled ? ' disabled' : ''}`}>
      {label}
      <input
        type="file"
        className="sr-only"
        accept={accept}
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          // Cleared so choosing the same file again still fires a change.
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
