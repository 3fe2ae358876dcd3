import { Playbook, PLAYBOOK_FORMAT, PLAYBOOK_FORMAT_VERSION, type Play, type PlaybookSection, type PlayStep } from '../../../../core/playbook/model.ts';
import { jsonPath } from '../../../../core/model/validate.ts';
import { friendly } from '../draft.ts';

/**
 * The playbook editor's draft is the playbook itself (core/playbook/model.ts),
 * held while it may still be invalid (an empty title, an image without alt
 * text); `problems` says what the model would refuse, by the JSON path the
 * backend's `playbook-invalid` issues use, so both land on the same field.
 */

/**
 * A fresh id for a section, play or step. Progress is kept by step id, so ids
 * are made once and never derived from titles that may change.
 */
export function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** A playbook id proposed from its name: "Q3 launch plan" → "q3-launch-plan". */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

export function blankStep(): PlayStep {
  return { id: newId('step'), title: '', detail: '', owner: '', timing: '' };
}

export function blankPlay(): Play {
  return { id: newId('play'), title: '', summary: '', steps: [blankStep()] };
}

export function blankSection(kind: PlaybookSection['kind'], title: string): PlaybookSection {
  return { id: newId('section'), title, kind, blocks: kind === 'plays' ? [] : [{ kind: 'paragraph', text: '' }], plays: kind === 'plays' ? [blankPlay()] : [] };
}

export function blankPlaybook(brand: string): Playbook {
  return {
    format: PLAYBOOK_FORMAT,
    formatVersion: PLAYBOOK_FORMAT_VERSION,
    id: '',
    version: 1,
    brand,
    name: '',
    summary: '',
    sections: [blankSection('overview', 'Overview')],
  };
}

/**
 * A stored playbook with every defaulted field filled in (the model's
 * defaults), so the editor can push to `plays` or map over `blocks` of any
 * section, whatever the backend left out.
 */
export function normalise(pb: Playbook): Playbook {
  return {
    ...pb,
    summary: pb.summary ?? '',
    sections: pb.sections.map((s) => ({
      ...s,
      blocks: (s.blocks ?? []).map((b) => (b.kind === 'list' ? { ...b, ordered: b.ordered ?? false } : b.kind === 'template' ? { ...b, note: b.note ?? '' } : b)),
      plays: (s.plays ?? []).map((p) => ({ ...p, summary: p.summary ?? '', steps: p.steps.map((st) => ({ ...st, detail: st.detail ?? '' })) })),
    })),
  };
}

/** The list with item `i` moved by `by` places (clamped), as a new array. */
export function moved<T>(list: readonly T[], i: number, by: number): T[] {
  const to = Math.max(0, Math.min(list.length - 1, i + by));
  const out = [...list];
  const [item] = out.splice(i, 1);
  out.splice(to, 0, item!);
  return out;
}

/**
 * Problems by JSON path: the model's, then a new playbook's id already taken.
 * Whether linked templates exist is left to the save (the backend knows
 * every template of the brand; the template pickers mark unknown ones).
 */
export function validate(pb: Playbook, ctx: { isNew: boolean; takenIds: readonly string[] }): Map<string, string> {
  const out = new Map<string, string>();
  const r = Playbook.safeParse(pb);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const path = jsonPath(issue.path);
      if (!out.has(path)) out.set(path, friendly(issue.message));
    }
  }
  if (ctx.isNew && !out.has('id') && ctx.takenIds.includes(pb.id)) out.set('id', 'Another playbook of this brand has this id');
  return out;
}

/** The id of the input that edits `path` (ids may hold any character but spaces). */
export const fieldId = (path: string) => `pb-field-${path}`;

/**
 * Focuses the field of a problem, or the nearest enclosing part that has one
 * (a section's "is empty" lands on the section).
 */
export function showField(path: string): void {
  let p = path;
  for (;;) {
    const el = document.getElementById(fieldId(p));
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus();
      return;
    }
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return;
    p = p.slice(0, cut);
  }
}

/** Where a problem is, in words: "Section 2 › Block 1 › text". */
export function placeOf(path: string, pb: Playbook): string {
  const m = /^sections\[(\d+)\](?:\.blocks\[(\d+)\])?(?:\.plays\[(\d+)\](?:\.steps\[(\d+)\])?)?(?:\.(.*))?$/.exec(path);
  if (!m) return path;
  const [, s, b, p, t, rest] = m;
  const section = pb.sections[Number(s)];
  const parts = [`Section ${Number(s) + 1}${section?.title ? ` “${section.title}”` : ''}`];
  if (b !== undefined) parts.push(`Block ${Number(b) + 1}`);
  if (p !== undefined) parts.push(`Play ${Number(p) + 1}`);
  if (t !== undefined) parts.push(`Step ${Number(t) + 1}`);
  if (rest) parts.push(rest);
  return parts.join(' › ');
}
