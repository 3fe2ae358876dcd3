import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { Play, PlaybookBlock, PlaybookSection } from '../../../core/playbook/model.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { ExportAction } from './ExportAction.tsx';
import { InlineText } from './inline.tsx';
import { PlaybookImage } from './PlaybookImage.tsx';

type Opened = OpOutput<'playbook:open'>;
type TemplateInfo = Opened['templates'][number];
type Problem = ReturnType<typeof describe>;

const sectionAnchor = (id: string) => `pb-section-${id}`;
const playAnchor = (id: string) => `pb-play-${id}`;

/** Moves to a heading of the content (buttons, not #anchors: the browser host keeps its token in the URL's hash). */
function goTo(anchor: string) {
  const el = document.getElementById(anchor);
  el?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  el?.focus({ preventScroll: true });
}

/** "Use template: <name>": opens the editor when the partner may use it, else shows why not. */
function UseTemplate({ id, templates, onOpen }: { id: string; templates: readonly TemplateInfo[]; onOpen: (id: string) => void }) {
  const reasonId = useId();
  const t = templates.find((x) => x.id === id);
  if (!t) return <p className="muted small">The template “{id}” is not in your library.</p>;
  return (
    <div className={t.available ? 'pb-use' : 'pb-use locked'}>
      <button type="button" onClick={() => onOpen(t.id)} disabled={!t.available} aria-describedby={t.available ? undefined : reasonId}>
        Use template: {t.name}
      </button>
      {!t.available && (
        <span className="lock-reason" id={reasonId}>
          <span aria-hidden="true">🔒</span> {t.reasons.join('; ')}
        </span>
      )}
    </div>
  );
}

function Block({ block, templates, onOpenTemplate }: { block: PlaybookBlock; templates: readonly TemplateInfo[]; onOpenTemplate: (id: string) => void }) {
  switch (block.kind) {
    case 'heading':
      return <h3>{block.text}</h3>;
    case 'paragraph':
      return (
        <p>
          <InlineText text={block.text} />
        </p>
      );
    case 'list': {
      const List = block.ordered ? 'ol' : 'ul';
      return (
        <List>
          {block.items.map((item, i) => (
            <li key={i}>
              <InlineText text={item} />
            </li>
          ))}
        </List>
      );
    }
    case 'image':
      return (
        <figure className="pb-figure">
          <PlaybookImage asset={block.asset} alt={block.alt} />
          {block.caption && <figcaption>{block.caption}</figcaption>}
        </figure>
      );
    case 'template':
      return (
        <div className="pb-template">
          {block.note && <p>{block.note}</p>}
          <UseTemplate id={block.template} templates={templates} onOpen={onOpenTemplate} />
        </div>
      );
  }
}

function PlayView({ play, done, onToggle, templates, onOpenTemplate }: { play: Play; done: ReadonlySet<string>; onToggle: (step: string, value: boolean) => void; templates: readonly TemplateInfo[]; onOpenTemplate: (id: string) => void }) {
  const count = play.steps.filter((s) => done.has(s.id)).length;
  return (
    <section className="pb-play" aria-labelledby={playAnchor(play.id)}>
      <div className="pb-play-head">
        <h3 id={playAnchor(play.id)} tabIndex={-1}>
          {play.title}
        </h3>
        <span className="muted small" data-testid={`play-progress-${play.id}`}>
          {count}/{play.steps.length} done
        </span>
      </div>
      {play.summary && <p className="muted">{play.summary}</p>}
      <ol className="pb-steps">
        {play.steps.map((step) => {
          const checked = done.has(step.id);
          return (
            <li key={step.id} className={checked ? 'pb-step done' : 'pb-step'} data-step={step.id}>
              <label className="pb-step-check">
                <input type="checkbox" checked={checked} onChange={(e) => onToggle(step.id, e.target.checked)} />
                <span className="pb-step-title">{step.title}</span>
              </label>
              <p className="pb-step-meta">
                <span>
                  <span className="muted">Owner:</span> {step.owner}
                </span>
                <span>
                  <span className="muted">When:</span> {step.timing}
                </span>
              </p>
              {step.detail && (
                <p className="pb-step-detail">
                  <InlineText text={step.detail} />
                </p>
              )}
              {step.template && <UseTemplate id={step.template} templates={templates} onOpen={onOpenTemplate} />}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function SectionView({ section, ...rest }: { section: PlaybookSection; done: ReadonlySet<string>; onToggle: (step: string, value: boolean) => void; templates: readonly TemplateInfo[]; onOpenTemplate: (id: string) => void }) {
  return (
    <section className="pb-section" aria-labelledby={sectionAnchor(section.id)}>
      <h2 id={sectionAnchor(section.id)} tabIndex={-1}>
        {section.title}
      </h2>
      {section.blocks.map((b, i) => (
        <Block key={i} block={b} templates={rest.templates} onOpenTemplate={rest.onOpenTemplate} />
      ))}
      {section.plays.map((p) => (
        <PlayView key={p.id} play={p} {...rest} />
      ))}
    </section>
  );
}

function Contents({ sections, done }: { sections: readonly PlaybookSection[]; done: ReadonlySet<string> }) {
  return (
    <nav className="pb-toc" aria-label="Contents">
      <h2>Contents</h2>
      <ol>
        {sections.map((s) => (
          <li key={s.id}>
            <button type="button" className="link" onClick={() => goTo(sectionAnchor(s.id))}>
              {s.title}
            </button>
            {s.plays.length > 0 && (
              <ol>
                {s.plays.map((p) => (
                  <li key={p.id}>
                    <button type="button" className="link" onClick={() => goTo(playAnchor(p.id))}>
                      {p.title}
                    </button>{' '}
                    <span className="muted small">
                      {p.steps.filter((st) => done.has(st.id)).length}/{p.steps.length} done
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/**
 * A playbook for the partner: contents on the left (sections, and plays with
 * how many of their steps are done), the playbook on the right. Ticking a
 * step shows at once and is stored by `playbook:step`; if that fails the
 * tick is taken back and the error shown.
 */
export function PlaybookReader({ id, onBack, onOpenTemplate }: { id: string; onBack: () => void; onOpenTemplate: (id: string) => void }) {
  const { api } = useApp();
  const [data, setData] = useState<Opened>();
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const [loadError, setLoadError] = useState<Problem>();
  const [stepError, setStepError] = useState<Problem>();
  // Only the answer to the latest tick replaces the local state, so quick ticks never flicker back.
  const latest = useRef(0);

  useEffect(() => {
    let alive = true;
    setData(undefined);
    call(api, 'playbook:open', { id })
      .then((d) => {
        if (!alive) return;
        setData(d);
        setDone(new Set(d.done));
      })
      .catch((err) => alive && setLoadError(describe(err)));
    return () => {
      alive = false;
    };
  }, [api, id]);

  const toggle = useCallback(
    async (step: string, value: boolean) => {
      const ticket = ++latest.current;
      setStepError(undefined);
      setDone((d) => {
        const next = new Set(d);
        if (value) next.add(step);
        else next.delete(step);
        return next;
      });
      try {
        const r = await call(api, 'playbook:step', { id, step, done: value });
        if (ticket === latest.current) setDone(new Set(r.done));
      } catch (err) {
        setDone((d) => {
          const next = new Set(d);
          if (value) next.delete(step);
          else next.add(step);
          return next;
        });
        setStepError(describe(err));
      }
    },
    [api, id],
  );

  if (loadError) {
    return (
      <main className="learn">
        <button type="button" onClick={onBack}>
          Back to Learn
        </button>
        <ErrorBox error={loadError} />
      </main>
    );
  }
  if (!data) return <main className="learn muted">Opening the playbook…</main>;

  const pb = data.playbook;
  const steps = pb.sections.flatMap((s) => s.plays.flatMap((p) => p.steps));
  const doneCount = steps.filter((s) => done.has(s.id)).length;
  return (
    <main className="learn playbook-reader">
      <header className="learn-head">
        <div>
          <p className="eyebrow">{data.brandName} · Playbook</p>
          <h1>{pb.name}</h1>
          {pb.summary && <p className="lead">{pb.summary}</p>}
          {steps.length > 0 && (
            <div className="learn-progress">
              <progress max={steps.length} value={doneCount} aria-label="Playbook progress" />
              <span data-testid="playbook-progress">
                {doneCount} of {steps.length} steps
              </span>
            </div>
          )}
        </div>
        <div className="head-actions">
          <button type="button" onClick={onBack}>
            Back to Learn
          </button>
          <ExportAction label="Export PDF" what="playbook PDF" mediaType="application/pdf" testId="playbook-export" run={() => call(api, 'playbook:export', { id, path: null })} />
        </div>
      </header>
      <div className="pb-layout">
        <Contents sections={pb.sections} done={done} />
        <article className="pb-content" aria-label={pb.name}>
          <ErrorBox error={stepError} />
          {pb.sections.map((s) => (
            <SectionView key={s.id} section={s} done={done} onToggle={(step, value) => void toggle(step, value)} templates={data.templates} onOpenTemplate={onOpenTemplate} />
          ))}
        </article>
      </div>
    </main>
  );
}
