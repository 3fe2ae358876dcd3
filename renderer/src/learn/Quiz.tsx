import { useId, useState, type FormEvent } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { AttemptResult, CertificationView, EarnedView, ModuleCard, QuestionView } from '../../../core/contracts/learning-api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { ExportAction } from './ExportAction.tsx';
import { attemptsLeftText, blockedReason, canStart, clock, day, percent, rulesText } from './format.ts';
import { useNow } from './hooks.ts';
import { GrantsLine } from './Overview.tsx';

export type Drawn = OpOutput<'training:start'>;
type Problem = ReturnType<typeof describe>;

/** The learner's name, remembered for the next quiz on this computer (a convenience, not data). */
const LAST_NAME = 'lockup-learner-name';

/** "Your name" and Start quiz; off, with the reason, in a cool-down or with no attempts left. */
export function QuizStart({ card, onStarted }: { card: ModuleCard; onStarted: (drawn: Drawn) => void }) {
  const { api } = useApp();
  const [person, setPerson] = useState(() => localStorage.getItem(LAST_NAME) ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem>();
  const now = useNow(card.status.until);
  const reasonId = useId();
  const blocked = blockedReason(card.status, now);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = person.trim();
    if (!name || blocked) return;
    setBusy(true);
    setError(undefined);
    try {
      const drawn = await call(api, 'training:start', { id: card.id, person: name });
      localStorage.setItem(LAST_NAME, name);
      onStarted(drawn);
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="quiz-start" onSubmit={(e) => void submit(e)} aria-label="Start the quiz">
      <label className="quiz-name">
        Your name
        <input value={person} onChange={(e) => setPerson(e.target.value)} maxLength={120} autoComplete="name" required />
        <span className="muted small">The person taking the quiz: it goes on the certificate.</span>
      </label>
      {blocked && (
        <p className="quiz-blocked" id={reasonId}>
          {blocked}
        </p>
      )}
      <ErrorBox error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !person.trim() || !canStart(card.status, now)} aria-describedby={blocked ? reasonId : undefined}>
          Start quiz
        </button>
      </div>
    </form>
  );
}

/** The quiz page before an attempt: the rules, what a pass grants, then QuizStart. */
export function QuizIntro({ card, onStarted }: { card: ModuleCard; onStarted: (drawn: Drawn) => void }) {
  return (
    <section className="learn-panel" aria-labelledby="quiz-intro-title">
      <h2 id="quiz-intro-title">Quiz</h2>
      <p>
        {rulesText(card)}
        {card.bank > card.draw && <span className="muted"> (drawn from {card.bank} questions)</span>}.
      </p>
      <GrantsLine grants={card.grants} />
      {card.status.failures > 0 && attemptsLeftText(card.status) && <p className="muted">{attemptsLeftText(card.status)}</p>}
      <QuizStart card={card} onStarted={onStarted} />
    </section>
  );
}

function QuestionCard({ q, index, total, value, onChange }: { q: QuestionView; index: number; total: number; value: readonly string[]; onChange: (v: string[]) => void }) {
  const hintId = useId();
  const multiple = q.kind === 'multiple';
  return (
    <div className="q-card" data-question={q.id}>
      <fieldset aria-describedby={multiple ? hintId : undefined}>
        <legend>
          <span className="q-number">
            Question {index + 1} of {total}
          </span>{' '}
          <span className="q-prompt">{q.prompt}</span>
        </legend>
        {multiple && (
          <p className="muted small" id={hintId}>
            Select all that apply
          </p>
        )}
        {q.options.map((o) => (
          <label key={o.id} className="q-option">
            <input
              type={multiple ? 'checkbox' : 'radio'}
              name={`q-${q.id}`}
              value={o.id}
              checked={value.includes(o.id)}
              onChange={(e) => onChange(multiple ? (e.target.checked ? [...value, o.id] : value.filter((v) => v !== o.id)) : [o.id])}
            />
            <span>{o.text}</span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}

/** Every drawn question on one page; Submit answers is off until each has an answer. */
export function QuizForm({ title, drawn, onGraded }: { title: string; drawn: Drawn; onGraded: (result: AttemptResult) => void }) {
  const { api } = useApp();
  const [answers, setAnswers] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem>();
  const answered = drawn.questions.filter((q) => (answers[q.id]?.length ?? 0) > 0).length;
  const complete = answered === drawn.questions.length;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!complete) return;
    setBusy(true);
    setError(undefined);
    try {
      onGraded(await call(api, 'training:submit', { attempt: drawn.attempt, answers }));
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="quiz" onSubmit={(e) => void submit(e)} aria-labelledby="quiz-title">
      <h2 id="quiz-title">Quiz: {title}</h2>
      <p className="muted">Answer every question, then submit. Pass mark {percent(drawn.passMark)}.</p>
      {drawn.questions.map((q, i) => (
        <QuestionCard key={q.id} q={q} index={i} total={drawn.questions.length} value={answers[q.id] ?? []} onChange={(v) => setAnswers((a) => ({ ...a, [q.id]: v }))} />
      ))}
      <ErrorBox error={error} />
      <div className="quiz-submit">
        <span aria-live="polite" className="muted" data-testid="quiz-answered">
          {answered} of {drawn.questions.length} answered
        </span>
        <button type="submit" className="primary" disabled={!complete || busy} aria-busy={busy}>
          Submit answers
        </button>
      </div>
    </form>
  );
}

/** A pass: the certification now held, what it opens, and the certificate and completion file. */
export function PassedPanel({ moduleId, granted, earned }: { moduleId: string; granted: CertificationView; earned: EarnedView | null }) {
  const { api } = useApp();
  const unlocked = [...granted.unlocks.templates.map((t) => ({ ...t, kind: 'Template' })), ...granted.unlocks.playbooks.map((p) => ({ ...p, kind: 'Playbook' }))];
  return (
    <div className="passed-panel">
      <p className="passed-title">
        You are now <strong>{granted.name}</strong>
      </p>
      {earned && (
        <p className="muted small">
          {earned.person} passed on {day(earned.at)} with {percent(earned.score)}. Verification code <span className="mono">{earned.code}</span>
        </p>
      )}
      {unlocked.length > 0 && (
        <>
          <h3>Now open to you</h3>
          <ul className="unlocks" aria-label="Unlocked">
            {unlocked.map((u) => (
              <li key={`${u.kind}/${u.id}`}>
                {u.name} <span className="muted small">({u.kind.toLowerCase()})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="passed-exports">
        <ExportAction label="Export certificate (PDF)" what="certificate" mediaType="application/pdf" testId="certificate-export" run={() => call(api, 'certificate:export', { module: moduleId, path: null })} />
        <ExportAction label="Export completion file" what="completion file" mediaType="application/octet-stream" testId="completion-export" run={() => call(api, 'completion:export', { module: moduleId, path: null })} />
      </div>
    </div>
  );
}

function verdict(points: number, correct: boolean): string {
  if (correct) return 'Correct';
  return points > 0 ? `Partly correct (${percent(points)})` : 'Incorrect';
}

/** The graded attempt: score against the pass mark, each question's verdict and explanation, then what comes next. */
export function QuizResult({ card, questions, result, onStarted }: { card: ModuleCard; questions: readonly QuestionView[]; result: AttemptResult; onStarted: (drawn: Drawn) => void }) {
  const status = result.status;
  return (
    <section className="learn-panel quiz-result" aria-labelledby="quiz-result-title">
      <div className={result.passed ? 'result-banner pass' : 'result-banner fail'} role="status">
        <h2 id="quiz-result-title">{result.passed ? 'Passed' : 'Not passed'}</h2>
        <p data-testid="quiz-score">
          Your score: {percent(result.score)} · pass mark {percent(result.passMark)}
        </p>
      </div>
      {result.passed && result.granted && <PassedPanel moduleId={card.id} granted={result.granted} earned={result.earned} />}
      {!result.passed && (
        <div className="result-next">
          {attemptsLeftText(status) && <p>{attemptsLeftText(status)}</p>}
          {status.state === 'cooldown' && status.until && <p>You can try again at {clock(status.until)}.</p>}
          {status.state !== 'exhausted' && <QuizStart card={{ ...card, status }} onStarted={onStarted} />}
        </div>
      )}
      <h3>Your answers</h3>
      <ol className="result-list">
        {result.questions.map((r) => {
          const q = questions.find((x) => x.id === r.id);
          return (
            <li key={r.id} className={r.correct ? 'right' : r.points > 0 ? 'partial' : 'wrong'} data-question={r.id}>
              <p className="result-prompt">{q?.prompt ?? r.id}</p>
              <p className="result-verdict">{verdict(r.points, r.correct)}</p>
              {r.explanation && <p className="muted">{r.explanation}</p>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
