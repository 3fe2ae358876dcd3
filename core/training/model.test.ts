import { describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { parseTrainingModule, parseTrainingSource, TrainingModuleSource, type TrainingModuleSourceInput } from './model.ts';
import { sourceInput } from './test-support/fixtures.ts';

type Mutate = (s: TrainingModuleSourceInput) => void;

/** The issues zod reports for a mutated fixture, as "path: message". */
function issues(mutate: Mutate): string[] {
  const input = structuredClone(sourceInput());
  mutate(input);
  const r = TrainingModuleSource.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const q = (s: TrainingModuleSourceInput, i: number) => s.quiz.questions[i]!;

describe('TrainingModuleSource', () => {
  it('accepts the fixture and fills defaults', () => {
    const m = parseTrainingSource(sourceInput());
    expect(m.quiz.multipleScoring).toBe('partial');
    expect(m.quiz.questions).toHaveLength(4);
  });

  it('reports duplicate lesson, question, option and correct ids', () => {
    expect(issues((s) => (s.lessons[1]!.id = 'why'))).toEqual(['lessons.1.id: duplicate lesson id "why"']);
    expect(issues((s) => (q(s, 1).id = 'copies'))).toEqual(['quiz.questions.1.id: duplicate question id "copies"']);
    expect(issues((s) => (q(s, 2).options[1]!.id = 'tape'))).toContain('quiz.questions.2.options.1.id: duplicate option id "tape"');
    expect(issues((s) => (q(s, 2).correct = ['tape', 'tape']))).toEqual(['quiz.questions.2.correct.1: duplicate correct option id "tape"']);
  });

  it('reports correct ids that are not options', () => {
    expect(issues((s) => (q(s, 2).correct = ['tape', 'floppy']))).toEqual(['quiz.questions.2.correct.1: "floppy" is not one of this question\'s options']);
  });

  it('single choice and true/false have exactly one correct option', () => {
    expect(issues((s) => (q(s, 0).correct = ['two', 'three']))).toEqual(['quiz.questions.0.correct: a single-choice question has exactly 1 correct option (found 2)']);
    expect(issues((s) => (q(s, 1).correct = ['true', 'false']))).toEqual(['quiz.questions.1.correct: a true/false question has exactly 1 correct option (found 2)']);
    expect(issues((s) => (q(s, 0).correct = []))).toContain('quiz.questions.0.correct: a single-choice question has exactly 1 correct option (found 0)');
    expect(issues((s) => (q(s, 2).correct = []))).toHaveLength(1);
  });

  it('true/false has exactly two options', () => {
    expect(issues((s) => q(s, 1).options.push({ id: 'maybe', text: 'Maybe' }))).toEqual(['quiz.questions.1.options: a true/false question has exactly 2 options (found 3)']);
  });

  it('draw cannot exceed the bank, nor be zero', () => {
    expect(issues((s) => (s.quiz.draw = 5))).toEqual(['quiz.draw: draw is 5 but the bank holds 4 questions']);
    expect(issues((s) => (s.quiz.draw = 0))).toHaveLength(1);
  });

  it('pass mark, attempt limit and cool-down bounds', () => {
    expect(issues((s) => (s.quiz.passMark = 0))).toEqual(['quiz.passMark: must be above 0']);
    expect(issues((s) => (s.quiz.passMark = 1.2))).toEqual(['quiz.passMark: must be at most 1']);
    expect(issues((s) => (s.quiz.attemptLimit = 0))).toHaveLength(1);
    expect(issues((s) => (s.quiz.attemptLimit = 1.5))).toHaveLength(1);
    expect(issues((s) => (s.quiz.attemptLimit = null))).toEqual([]);
    expect(issues((s) => (s.quiz.cooldownMinutes = -1))).toHaveLength(1);
    expect(issues((s) => (s.quiz.cooldownMinutes = 0))).toEqual([]);
  });

  it('is strict, and a source is not a shipped module', () => {
    expect(issues((s) => Object.assign(q(s, 0), { hint: 'three' }))).toHaveLength(1);
    try {
      parseTrainingModule(sourceInput());
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LockupError);
      expect((err as LockupError).code).toBe('training-invalid');
      expect((err as LockupError).message).toMatch(/^Training module is invalid at /);
    }
  });

  it('parseTrainingSource names the JSON path of the first fault', () => {
    const bad = sourceInput({ draw: 9 });
    expect(() => parseTrainingSource(bad)).toThrow('Training module source is invalid at quiz.draw: draw is 9 but the bank holds 4 questions');
  });
});
