import { LockupError } from '../errors.ts';
import type { ProtectedQuestion, QuestionKind, TrainingModule } from './model.ts';
import { answerTag, canonicalSet, optionTag } from './protect.ts';

/**
 * Offline grading against protected answers (docs/decisions/0022). Every
 * drawn question is worth one point:
 *
 * - single choice and true/false: 1 when the one chosen option reproduces the
 *   answer tag, else 0 (choosing several is wrong);
 * - multiple choice, all-or-nothing: 1 for exactly the correct set, else 0;
 * - multiple choice, partial: max(0, (right picks − wrong picks) / number of
 *   correct options); an id that is not an option counts as a wrong pick.
 *
 * A question whose protected data does not hold together (a tag or mark
 * altered after protection) can never score: it is graded wrong and flagged.
 */

export type QuestionStatus = 'correct' | 'partial' | 'wrong';

/** Why a question scored as it did, beyond right and wrong. */
export type GradeNote =
  /** Nothing chosen. */
  | 'unanswered'
  /** An id that is not one of the question's options (counted as a wrong pick). */
  | 'unknown-option'
  /** More than one option for a single-choice or true/false question. */
  | 'too-many-choices'
  /** The protected data is inconsistent; the question cannot be graded correct. */
  | 'protection-mismatch';

export interface QuestionResult {
  questionId: string;
  kind: QuestionKind;
  status: QuestionStatus;
  /** 0 to 1. */
  points: number;
  /** The learner's choice as graded: distinct ids, sorted. */
  selected: string[];
  notes: GradeNote[];
  /** The author's explanation, shown after grading (it is not secret). */
  explanation?: string;
}

export interface AttemptGrade {
  moduleId: string;
  moduleVersion: number;
  questions: QuestionResult[];
  points: number;
  maxPoints: number;
  /** points / maxPoints, 0 to 1. */
  score: number;
  passMark: number;
  passed: boolean;
  /** The certification a pass grants; null when not passed. */
  certification: string | null;
}

/** Learner's choices by question id. A missing or empty entry is unanswered. */
export type Answers = Readonly<Record<string, readonly string[]>>;

/** Sums of fractions such as 1/3 + 2/3 are not exact in binary floating point. */
const EPSILON = 1e-9;

/**
 * Grades one attempt: `drawnQuestionIds` as returned by `drawQuestions` for
 * this attempt, `answers` by question id. Throws LockupError
 * `training-attempt-invalid` when the draw does not fit the module (unknown,
 * repeated, or not `quiz.draw` questions) or an answer names a question that
 * was not drawn. Never needs, and never returns, the correct options.
 */
export async function gradeAttempt(module: TrainingModule, drawnQuestionIds: readonly string[], answers: Answers): Promise<AttemptGrade> {
  const byId = new Map(module.quiz.questions.map((q) => [q.id, q]));
  const drawn = new Set(drawnQuestionIds);
  const invalid = (message: string, details: Record<string, unknown>) => new LockupError('training-attempt-invalid', message, { moduleId: module.id, ...details });
  const unknown = drawnQuestionIds.filter((id) => !byId.has(id));
  if (unknown.length > 0) throw invalid(`The attempt names questions that are not in "${module.title}": ${unknown.join(', ')}.`, { unknown });
  if (drawn.size !== drawnQuestionIds.length) throw invalid('The attempt draws the same question twice.', { drawn: [...drawnQuestionIds] });
  if (drawn.size !== module.quiz.draw) throw invalid(`An attempt at "${module.title}" has ${module.quiz.draw} questions, not ${drawn.size}.`, { expected: module.quiz.draw, found: drawn.size });
  const stray = Object.keys(answers).filter((id) => !drawn.has(id));
  if (stray.length > 0) throw invalid(`Answers were given to questions that were not drawn: ${stray.join(', ')}.`, { stray });

  const questions: QuestionResult[] = [];
  for (const id of drawnQuestionIds) {
    const chosen = Object.hasOwn(answers, id) ? (answers[id] ?? []) : [];
    questions.push(await gradeQuestion(module, byId.get(id)!, chosen));
  }
  const points = questions.reduce((sum, q) => sum + q.points, 0);
  const maxPoints = questions.length;
  const score = points / maxPoints;
  const passed = score + EPSILON >= module.quiz.passMark;
  return { moduleId: module.id, moduleVersion: module.version, questions, points, maxPoints, score, passMark: module.quiz.passMark, passed, certification: passed ? module.grants : null };
}

async function gradeQuestion(module: TrainingModule, q: ProtectedQuestion, chosen: readonly string[]): Promise<QuestionResult> {
  const selected = canonicalSet(chosen);
  const optionIds = new Set(q.options.map((o) => o.id));
  const strays = selected.filter((id) => !optionIds.has(id));
  const notes: GradeNote[] = [];
  const result = (status: QuestionStatus, points: number): QuestionResult => ({
    questionId: q.id,
    kind: q.kind,
    status,
    points,
    selected,
    notes,
    ...(q.explanation === undefined ? {} : { explanation: q.explanation }),
  });

  if (selected.length === 0) {
    notes.push('unanswered');
    return result('wrong', 0);
  }
  if (strays.length > 0) notes.push('unknown-option');
  if (q.kind !== 'multiple' && selected.length > 1) {
    notes.push('too-many-choices');
    return result('wrong', 0);
  }
  // An id outside the options can never be part of the correct set: no derivation needed.
  if (strays.length === 0 && (await answerTag(module.protection, module.id, q.id, selected)) === q.answer.tag) return result('correct', 1);
  const marks = q.answer.marks;
  if (q.kind !== 'multiple' || module.quiz.multipleScoring === 'all-or-nothing' || marks === undefined) return result('wrong', 0);

  // Partial credit: recover which options are correct from their marks, and
  // only trust that set if it reproduces the answer tag.
  const correct = new Set<string>();
  for (const [i, o] of q.options.entries()) {
    if ((await optionTag(module.protection, module.id, q.id, o.id)) === marks[i]) correct.add(o.id);
  }
  if (correct.size === 0 || (await answerTag(module.protection, module.id, q.id, [...correct])) !== q.answer.tag) {
    notes.push('protection-mismatch');
    return result('wrong', 0);
  }
  const right = selected.filter((id) => correct.has(id)).length;
  const wrong = selected.length - right;
  const points = Math.max(0, (right - wrong) / correct.size);
  // Exactly the correct set would have matched the tag above; here points < 1.
  return points > 0 ? result('partial', points) : result('wrong', 0);
}
