import type { Play, PlayStep } from '../../../../core/playbook/model.ts';
import { blankStep, fieldId, moved } from './draft.ts';
import { InlineField, ItemActions, PathField, TemplateSelect, usePlaybook } from './fields.tsx';

function StepEditor({ si, pi, ti, step, count }: { si: number; pi: number; ti: number; step: PlayStep; count: number }) {
  const { edit } = usePlaybook();
  const path = `sections[${si}].plays[${pi}].steps[${ti}]`;
  const editSteps = (change: (steps: PlayStep[]) => PlayStep[]) =>
    edit((d) => {
      const p = d.sections[si]!.plays[pi]!;
      p.steps = change(p.steps);
    });
  const set = (patch: Partial<PlayStep>) => editSteps((steps) => steps.map((s, i) => (i === ti ? { ...s, ...patch } : s)));
  return (
    <fieldset className="pb-step-edit" id={fieldId(path)} tabIndex={-1}>
      <legend>Step {ti + 1}</legend>
      <ItemActions what="step" index={ti} count={count} onMove={(by) => editSteps((s) => moved(s, ti, by))} onDelete={() => editSteps((s) => s.filter((_, i) => i !== ti))} canDelete={count > 1} />
      <PathField label="Step title" path={`${path}.title`} value={step.title} onChange={(title) => set({ title })} />
      <div className="grid-2">
        <PathField label="Owner" path={`${path}.owner`} value={step.owner} onChange={(owner) => set({ owner })} placeholder="Partner account executive" />
        <PathField label="Timing" path={`${path}.timing`} value={step.timing} onChange={(timing) => set({ timing })} placeholder="Week 1" />
      </div>
      <InlineField label="Detail" path={`${path}.detail`} value={step.detail} onChange={(detail) => set({ detail })} rows={2} />
      <TemplateSelect
        label="Template for this step"
        path={`${path}.template`}
        value={step.template}
        none="None"
        onChange={(template) =>
          editSteps((steps) =>
            steps.map((s, i) => {
              if (i !== ti) return s;
              const { template: _, ...rest } = s;
              return template ? { ...rest, template } : rest;
            }),
          )
        }
      />
    </fieldset>
  );
}

/** A play of a "plays" section: title, summary and its steps. */
export function PlayEditor({ si, pi, play, count }: { si: number; pi: number; play: Play; count: number }) {
  const { edit } = usePlaybook();
  const path = `sections[${si}].plays[${pi}]`;
  const editPlays = (change: (plays: Play[]) => Play[]) =>
    edit((d) => {
      const s = d.sections[si]!;
      s.plays = change(s.plays);
    });
  const set = (patch: Partial<Play>) => editPlays((plays) => plays.map((p, i) => (i === pi ? { ...p, ...patch } : p)));
  return (
    <fieldset className="pb-play-edit" id={fieldId(path)} tabIndex={-1}>
      <legend>
        Play {pi + 1}
        {play.title ? `: ${play.title}` : ''}
      </legend>
      <ItemActions what="play" index={pi} count={count} onMove={(by) => editPlays((p) => moved(p, pi, by))} onDelete={() => editPlays((p) => p.filter((_, i) => i !== pi))} />
      <PathField label="Play title" path={`${path}.title`} value={play.title} onChange={(title) => set({ title })} />
      <PathField label="Play summary" path={`${path}.summary`} value={play.summary} onChange={(summary) => set({ summary })} multiline rows={2} />
      {play.steps.map((step, ti) => (
        <StepEditor key={step.id} si={si} pi={pi} ti={ti} step={step} count={play.steps.length} />
      ))}
      <div className="pb-add-row">
        <button type="button" onClick={() => set({ steps: [...play.steps, blankStep()] })}>
          Add step
        </button>
      </div>
    </fieldset>
  );
}
