import { useEffect, useState } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { AttemptResult, ModuleCard } from '../../../core/contracts/learning-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { lessonsText, rulesText } from './format.ts';
import { LessonBody } from './inline.tsx';
import { StatusBadge } from './Overview.tsx';
import { PassedPanel, QuizForm, QuizIntro, QuizResult, type Drawn } from './Quiz.tsx';

type Lessons = OpOutput<'training:open'>['lessons'];

/** Where the learner is: a lesson, the quiz's start page, an attempt in progress, or its result. */
type Phase = { kind: 'lesson'; index: number } | { kind: 'intro' } | { kind: 'quiz'; drawn: Drawn } | { kind: 'result'; drawn: Drawn; result: AttemptResult };

function Steps({ lessons, phase, locked, onGo }: { lessons: Lessons; phase: Phase; locked: boolean; onGo: (p: Phase) => void }) {
  return (
    <nav className="training-steps" aria-label="Lessons and quiz">
      <ol>
        {lessons.map((l, i) => (
          <li key={l.id}>
            <button type="button" className="link" aria-current={phase.kind === 'lesson' && phase.index === i ? 'step' : undefined} disabled={locked} onClick={() => onGo({ kind: 'lesson', index: i })}>
              {l.title}
            </button>
          </li>
        ))}
        <li>
          <button type="button" className="link" aria-current={phase.kind !== 'lesson' ? 'step' : undefined} disabled={locked} onClick={() => onGo({ kind: 'intro' })}>
            Quiz
          </button>
        </li>
      </ol>
    </nav>
  );
}

function LessonView({ lessons, index, onGo }: { lessons: Lessons; index: number; onGo: (p: Phase) => void }) {
  const lesson = lessons[index]!;
  const last = index === lessons.length - 1;
  return (
    <article className="learn-panel lesson" aria-labelledby="lesson-title">
      <p className="eyebrow">
        Lesson {index + 1} of {lessons.length}
      </p>
      <h2 id="lesson-title">{lesson.title}</h2>
      <LessonBody body={lesson.body} />
      <div className="actions">
        <button type="button" onClick={() => onGo({ kind: 'lesson', index: index - 1 })} disabled={index === 0}>
          Previous lesson
        </button>
        <button type="button" className="primary" onClick={() => onGo(last ? { kind: 'intro' } : { kind: 'lesson', index: index + 1 })}>
          {last ? 'Go to the quiz' : 'Next lesson'}
        </button>
      </div>
    </article>
  );
}

/**
 * A training module: its lessons one at a time, then the quiz (every drawn
 * question on one page), then the graded result. Passing grants the
 * certification; the certificate and the completion file are exported from
 * here, now or on any later visit.
 */
export function TrainingView({ id, onBack }: { id: string; onBack: () => void }) {
  const { api } = useApp();
  const [card, setCard] = useState<ModuleCard>();
  const [lessons, setLessons] = useState<Lessons>([]);
  const [phase, setPhase] = useState<Phase>({ kind: 'lesson', index: 0 });
  const [error, setError] = useState<ReturnType<typeof describe>>();

  useEffect(() => {
    let alive = true;
    call(api, 'training:open', { id })
      .then((t) => {
        if (!alive) return;
        setCard(t.card);
        setLessons(t.lessons);
        // Someone who passed comes back for the certificate; everyone else starts with the lessons.
        setPhase(t.card.status.state === 'passed' ? { kind: 'intro' } : { kind: 'lesson', index: 0 });
      })
      .catch((err) => alive && setError(describe(err)));
    return () => {
      alive = false;
    };
  }, [api, id]);

  const go = (p: Phase) => {
    setPhase(p);
    window.scrollTo({ top: 0 });
  };

  if (error && !card) {
    return (
      <main className="learn">
        <button type="button" onClick={onBack}>
          Back to Learn
        </button>
        <ErrorBox error={error} />
      </main>
    );
  }
  if (!card) return <main className="learn muted">Opening the training…</main>;

  const graded = (drawn: Drawn) => (result: AttemptResult) => {
    setCard((c) => c && { ...c, status: result.status, earned: result.earned ?? c.earned });
    go({ kind: 'result', drawn, result });
  };
  const started = (drawn: Drawn) => go({ kind: 'quiz', drawn });
  // While an attempt is open, leaving it for a lesson would lose the answers.
  const inQuiz = phase.kind === 'quiz';

  return (
    <main className="learn training">
      <header className="learn-head">
        <div>
          <p className="eyebrow">
            {card.brandName} · Training · {lessonsText(card.lessons)}
          </p>
          <h1>{card.title}</h1>
          <p className="lead">
            {rulesText(card)} <StatusBadge card={card} />
          </p>
        </div>
        <div className="head-actions">
          <button type="button" onClick={onBack}>
            Back to Learn
          </button>
        </div>
      </header>
      <div className="training-layout">
        <Steps lessons={lessons} phase={phase} locked={inQuiz} onGo={go} />
        <div className="training-main">
          {phase.kind === 'lesson' && lessons.length > 0 && <LessonView lessons={lessons} index={phase.index} onGo={go} />}
          {phase.kind === 'intro' &&
            (card.status.state === 'passed' ? (
              <section className="learn-panel" aria-labelledby="passed-title">
                <h2 id="passed-title">Passed</h2>
                <PassedPanel moduleId={card.id} granted={card.grants} earned={card.earned} />
              </section>
            ) : (
              <QuizIntro card={card} onStarted={started} />
            ))}
          {phase.kind === 'quiz' && <QuizForm title={card.title} drawn={phase.drawn} onGraded={graded(phase.drawn)} />}
          {phase.kind === 'result' && <QuizResult card={card} questions={phase.drawn.questions} result={phase.result} onStarted={started} />}
        </div>
      </div>
    </main>
  );
}
