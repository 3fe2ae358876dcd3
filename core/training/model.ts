import { z } from 'zod';
import { Id } from '../model/access.ts';
import { parseOrThrow } from '../model/validate.ts';

/**
 * Training modules (issue #7): lessons, then a quiz drawn from a question
 * bank; passing grants a certification. Two forms share one shape:
 *
 * - `TrainingModuleSource` is what a vendor writes; each question names its
 *   `correct` option ids in clear.
 * - `TrainingModule` is what travels in a pack (core/training/protect.ts):
 *   every `correct` is replaced by salted PBKDF2 tags that grading checks a
 *   learner's choice against, so the file never holds the answers in clear
 *   (docs/decisions/0022).
 *
 * The two have different `format` strings so one is never read as the other.
 */
export const TRAINING_SOURCE_FORMAT = 'lockup.training-source';
export const TRAINING_MODULE_FORMAT = 'lockup.training-module';
export const TRAINING_FORMAT_VERSION = 1;

/** At most this many options a question: keeps "select all that apply" readable. */
export const MAX_OPTIONS = 10;
export const MAX_QUESTIONS = 500;

export const QUESTION_KINDS = ['single', 'multiple', 'true-false'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/**
 * How a multiple-choice question scores. `partial`: max(0, (right picks −
 * wrong picks) / number of correct options). `all-or-nothing`: 1 for exactly
 * the correct set, else 0. Partial credit ships one tag per option, which
 * lowers the cost of recovering the answers (docs/decisions/0022).
 */
export const MULTIPLE_SCORING = ['partial', 'all-or-nothing'] as const;
export type MultipleScoring = (typeof MULTIPLE_SCORING)[number];

export const Lesson = z
  .object({
    id: Id,
    title: z.string().min(1).max(120),
    /** Plain text with light markdown (paragraphs, lists, emphasis); rendered at the edge. */
    body: z.string().min(1).max(100_000),
  })
  .strict();
export type Lesson = z.infer<typeof Lesson>;

export const QuestionOption = z.object({ id: Id, text: z.string().min(1).max(500) }).strict();
export type QuestionOption = z.infer<typeof QuestionOption>;

const questionShape = {
  id: Id,
  kind: z.enum(QUESTION_KINDS),
  prompt: z.string().min(1).max(2000),
  options: z.array(QuestionOption).min(2).max(MAX_OPTIONS),
  /** Shown after grading. It ships in clear: it must not give the answer away to someone reading the file. */
  explanation: z.string().min(1).max(2000).optional(),
};

const Hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `must be ${bytes} bytes in lower-case hex`);
export const TAG_BYTES = 32;
export const SALT_BYTES = 16;

/** The protected answer of one question (see protect.ts for how each tag is derived). */
export const ProtectedAnswer = z
  .object({
    /** PBKDF2 over the sorted set of correct option ids. */
    tag: Hex(TAG_BYTES),
    /**
     * Partial-credit multiple choice only: one value per option, in option
     * order. A correct option's value is its PBKDF2 tag; a wrong option's is
     * random bytes of the same length, so the shape says nothing.
     */
    marks: z.array(Hex(TAG_BYTES)).min(2).max(MAX_OPTIONS).optional(),
  })
  .strict();
export type ProtectedAnswer = z.infer<typeof ProtectedAnswer>;

export const SourceQuestion = z
  .object({ ...questionShape, correct: z.array(Id).min(1).max(MAX_OPTIONS) })
  .strict();
export type SourceQuestion = z.infer<typeof SourceQuestion>;

export const ProtectedQuestion = z.object({ ...questionShape, answer: ProtectedAnswer }).strict();
export type ProtectedQuestion = z.infer<typeof ProtectedQuestion>;

const quizSettings = {
  /** Questions drawn for each attempt, without repeats. */
  draw: z.number().int().min(1).max(MAX_QUESTIONS),
  /** The fraction of the attempt's points needed to pass. */
  passMark: z.number().gt(0, 'must be above 0').max(1, 'must be at most 1'),
  /** Failed attempts allowed; null for no limit. */
  attemptLimit: z.number().int().min(1).max(1000).nullable(),
  /** Wait after a failed attempt before the next one (0 for none); at most a year. */
  cooldownMinutes: z.number().finite().min(0).max(525_600),
  multipleScoring: z.enum(MULTIPLE_SCORING).default('partial'),
};

const moduleShape = {
  formatVersion: z.literal(TRAINING_FORMAT_VERSION),
  id: Id,
  version: z.number().int().min(1),
  title: z.string().min(1).max(120),
  summary: z.string().max(1000).default(''),
  lessons: z.array(Lesson).min(1).max(200),
  /** The certification (an id from the brand's access levels) a pass grants. */
  grants: Id,
};

type Ctx = z.core.$RefinementCtx;

function duplicates(ids: readonly string[], path: (i: number) => PropertyKey[], what: string, ctx: Ctx): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: path(i), message: `duplicate ${what} id "${id}"` });
    seen.add(id);
  });
}

interface CheckedModule {
  lessons: readonly { id: string }[];
  quiz: { questions: readonly { id: string; kind: QuestionKind; options: readonly { id: string }[] }[]; draw: number };
}

/** Checks shared by both forms: unique ids, option counts per kind, draw within the bank. */
function checkModule(m: CheckedModule, ctx: Ctx): void {
  duplicates(
    m.lessons.map((l) => l.id),
    (i) => ['lessons', i, 'id'],
    'lesson',
    ctx,
  );
  const qs = m.quiz.questions;
  duplicates(
    qs.map((q) => q.id),
    (i) => ['quiz', 'questions', i, 'id'],
    'question',
    ctx,
  );
  qs.forEach((q, qi) => {
    duplicates(
      q.options.map((o) => o.id),
      (i) => ['quiz', 'questions', qi, 'options', i, 'id'],
      'option',
      ctx,
    );
    if (q.kind === 'true-false' && q.options.length !== 2) {
      ctx.addIssue({ code: 'custom', path: ['quiz', 'questions', qi, 'options'], message: `a true/false question has exactly 2 options (found ${q.options.length})` });
    }
  });
  if (m.quiz.draw > qs.length) {
    ctx.addIssue({ code: 'custom', path: ['quiz', 'draw'], message: `draw is ${m.quiz.draw} but the bank holds ${qs.length} question${qs.length === 1 ? '' : 's'}` });
  }
}

const KIND_NAME: Record<QuestionKind, string> = { single: 'a single-choice', multiple: 'a multiple-choice', 'true-false': 'a true/false' };

export const TrainingModuleSource = z
  .object({
    format: z.literal(TRAINING_SOURCE_FORMAT),
    ...moduleShape,
    quiz: z
      .object({ questions: z.array(SourceQuestion).min(1).max(MAX_QUESTIONS), ...quizSettings })
      .strict(),
  })
  .strict()
  .superRefine((m, ctx) => {
    checkModule(m, ctx);
    m.quiz.questions.forEach((q, qi) => {
      const at = ['quiz', 'questions', qi, 'correct'];
      const optionIds = new Set(q.options.map((o) => o.id));
      duplicates(q.correct, (i) => [...at, i], 'correct option', ctx);
      q.correct.forEach((id, i) => {
        if (!optionIds.has(id)) ctx.addIssue({ code: 'custom', path: [...at, i], message: `"${id}" is not one of this question's options` });
      });
      const distinct = new Set(q.correct).size;
      if (q.kind !== 'multiple' && distinct !== 1) {
        ctx.addIssue({ code: 'custom', path: at, message: `${KIND_NAME[q.kind]} question has exactly 1 correct option (found ${distinct})` });
      }
    });
  });
export type TrainingModuleSource = z.infer<typeof TrainingModuleSource>;
export type TrainingModuleSourceInput = z.input<typeof TrainingModuleSource>;

export const Protection = z
  .object({
    scheme: z.literal('pbkdf2-sha256'),
    /** Per module, fresh at every protection: the same answers never give the same tags twice. */
    salt: Hex(SALT_BYTES),
    iterations: z.number().int().min(1_000).max(1_000_000),
  })
  .strict();
export type Protection = z.infer<typeof Protection>;

export const TrainingModule = z
  .object({
    format: z.literal(TRAINING_MODULE_FORMAT),
    ...moduleShape,
    quiz: z
      .object({ questions: z.array(ProtectedQuestion).min(1).max(MAX_QUESTIONS), ...quizSettings })
      .strict(),
    protection: Protection,
  })
  .strict()
  .superRefine((m, ctx) => {
    checkModule(m, ctx);
    m.quiz.questions.forEach((q, qi) => {
      const wantsMarks = q.kind === 'multiple' && m.quiz.multipleScoring === 'partial';
      const marks = q.answer.marks;
      const at = ['quiz', 'questions', qi, 'answer', 'marks'];
      if (wantsMarks && marks?.length !== q.options.length) {
        ctx.addIssue({ code: 'custom', path: at, message: `partial credit needs one mark per option (${q.options.length}, found ${marks?.length ?? 0})` });
      }
      if (!wantsMarks && marks !== undefined) ctx.addIssue({ code: 'custom', path: at, message: 'marks are only for multiple-choice questions with partial credit' });
    });
  });
export type TrainingModule = z.infer<typeof TrainingModule>;
export type TrainingModuleInput = z.input<typeof TrainingModule>;

/** Validates a vendor's module source; errors carry the JSON path of the first fault. */
export function parseTrainingSource(data: unknown): TrainingModuleSource {
  return parseOrThrow(TrainingModuleSource, data, 'training-invalid', 'Training module source');
}

/** Validates a shipped (protected) module, e.g. as read from a pack. */
export function parseTrainingModule(data: unknown): TrainingModule {
  return parseOrThrow(TrainingModule, data, 'training-invalid', 'Training module');
}
