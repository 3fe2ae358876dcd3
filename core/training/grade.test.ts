import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { gradeAttempt, type Answers } from './grade.ts';
import { parseTrainingSource, type TrainingModule } from './model.ts';
import { protectModule, webRandomBytes } from './protect.ts';
import { sourceInput, TEST_ITERATIONS } from './test-support/fixtures.ts';

const opts = { iterations: TEST_ITERATIONS };
const source = parseTrainingSource(sourceInput());
const shipped = await protectModule(source, webRandomBytes, opts);
const allOrNothing = await protectModule(sourceInput({ multipleScoring: 'all-or-nothing' }), webRandomBytes, opts);
const ALL = ['copies', 'tested', 'media', 'offline'];
const RIGHT: Answers = { copies: ['three'], tested: ['false'], media: ['cloud', 'tape'], offline: ['a', 'b', 'd'] };

async function one(m: TrainingModule, questionId: string, chosen: readonly string[] | undefined) {
  const answers: Record<string, readonly string[]> = chosen === undefined ? {} : { [questionId]: chosen };
  const grade = await gradeAttempt(m, ALL, answers);
  const r = grade.questions.find((q) => q.questionId === questionId)!;
  return { status: r.status, points: r.points, notes: r.notes };
}

const correct = { status: 'correct', points: 1, notes: [] };
const wrong = { status: 'wrong', points: 0, notes: [] };

describe('gradeAttempt: each kind', () => {
  it('single choice', async () => {
    expect(await one(shipped, 'copies', ['three'])).toEqual(correct);
    expect(await one(shipped, 'copies', ['two'])).toEqual(wrong);
    expect(await one(shipped, 'copies', ['three', 'three'])).toEqual(correct);
    expect(await one(shipped, 'copies', ['three', 'two'])).toEqual({ ...wrong, notes: ['too-many-choices'] });
  });

  it('true/false', async () => {
    expect(await one(shipped, 'tested', ['false'])).toEqual(correct);
    expect(await one(shipped, 'tested', ['true'])).toEqual(wrong);
    expect(await one(shipped, 'tested', ['true', 'false'])).toEqual({ ...wrong, notes: ['too-many-choices'] });
  });

  it('multiple choice: the exact set, in any order', async () => {
    expect(await one(shipped, 'media', ['tape', 'cloud'])).toEqual(correct);
    expect(await one(shipped, 'offline', ['d', 'b', 'a'])).toEqual(correct);
    expect(await one(allOrNothing, 'offline', ['b', 'd', 'a'])).toEqual(correct);
  });
});

describe('gradeAttempt: partially correct multiple choice', () => {
  const partial = (points: number) => ({ status: 'partial', points, notes: [] });

  it('scores max(0, (right − wrong) / number correct)', async () => {
    expect(await one(shipped, 'media', ['tape'])).toEqual(partial(0.5));
    expect(await one(shipped, 'media', ['tape', 'cloud', 'snapshot'])).toEqual(partial(0.5));
    expect(await one(shipped, 'media', ['tape', 'same-disk'])).toEqual(wrong);
    expect(await one(shipped, 'offline', ['a', 'b'])).toEqual(partial(2 / 3));
    expect(await one(shipped, 'offline', ['a', 'b', 'c', 'd'])).toEqual(partial(2 / 3));
    // Ticking every box is not a strategy: 3 right − 2 wrong.
    expect(await one(shipped, 'offline', ['a', 'b', 'c', 'd', 'e'])).toEqual(partial(1 / 3));
    expect(await one(shipped, 'offline', ['a', 'c', 'e'])).toEqual(wrong);
  });

  it('all wrong scores 0, never less', async () => {
    expect(await one(shipped, 'media', ['same-disk', 'snapshot'])).toEqual(wrong);
    expect(await one(shipped, 'offline', ['c', 'e'])).toEqual(wrong);
  });

  it('all-or-nothing gives nothing for a partial answer', async () => {
    expect(await one(allOrNothing, 'media', ['tape'])).toEqual(wrong);
    expect(await one(allOrNothing, 'offline', ['a', 'b', 'c', 'd'])).toEqual(wrong);
  });

  it('matches a plaintext reference grader for any choice', async () => {
    const offline = source.quiz.questions[3]!;
    const right = new Set(offline.correct);
    await fc.assert(
      fc.asyncProperty(fc.subarray(['a', 'b', 'c', 'd', 'e', 'zz']), async (chosen) => {
        const r = await one(shipped, 'offline', chosen);
        const hits = chosen.filter((id) => right.has(id)).length;
        const expected = chosen.length === 0 ? 0 : Math.max(0, (hits - (chosen.length - hits)) / right.size);
        expect(r.points).toBeCloseTo(expected, 12);
        expect(r.status).toBe(expected === 1 ? 'correct' : expected > 0 ? 'partial' : 'wrong');
      }),
      { numRuns: 64 },
    );
  });
});

describe('gradeAttempt: odd answers', () => {
  it('an empty or missing answer is unanswered and wrong', async () => {
    for (const id of ALL) {
      expect(await one(shipped, id, [])).toEqual({ ...wrong, notes: ['unanswered'] });
      expect(await one(shipped, id, undefined)).toEqual({ ...wrong, notes: ['unanswered'] });
    }
  });

  it('ids that are not options never score and count as wrong picks', async () => {
    expect(await one(shipped, 'copies', ['five'])).toEqual({ ...wrong, notes: ['unknown-option'] });
    expect(await one(shipped, 'tested', ['yes'])).toEqual({ ...wrong, notes: ['unknown-option'] });
    expect(await one(shipped, 'media', ['tape', 'cloud', 'floppy'])).toEqual({ status: 'partial', points: 0.5, notes: ['unknown-option'] });
    expect(await one(allOrNothing, 'media', ['tape', 'cloud', 'floppy'])).toEqual({ ...wrong, notes: ['unknown-option'] });
    expect(await one(shipped, 'offline', ['__proto__', 'constructor'])).toEqual({ ...wrong, notes: ['unknown-option'] });
  });
});

describe('gradeAttempt: score, pass and certification', () => {
  it('all right passes and grants the certification, with explanations', async () => {
    const g = await gradeAttempt(shipped, ALL, RIGHT);
    expect(g).toMatchObject({ moduleId: 'backup-basics', moduleVersion: 1, points: 4, maxPoints: 4, score: 1, passMark: 0.75, passed: true, certification: 'backup-certified' });
    expect(g.questions.map((q) => q.questionId)).toEqual(ALL);
    expect(g.questions[0]!.explanation).toBe('The first number of the rule counts the copies.');
    expect(g.questions[1]).not.toHaveProperty('explanation');
  });

  it('exactly the pass mark passes; just under fails', async () => {
    const atMark = await gradeAttempt(shipped, ALL, { ...RIGHT, copies: ['one'] });
    expect([atMark.score, atMark.passed, atMark.certification]).toEqual([0.75, true, 'backup-certified']);
    const under = await gradeAttempt(shipped, ALL, { ...RIGHT, copies: ['one'], media: ['tape'] });
    expect([under.points, under.passed, under.certification]).toEqual([2.5, false, null]);
  });

  it('fractional points add up, and a score a sliver under the mark fails', async () => {
    const g = await gradeAttempt(shipped, ALL, { ...RIGHT, media: ['tape', 'same-disk'], offline: ['a', 'b', 'c', 'd', 'e'] });
    expect(g.points).toBeCloseTo(2 + 1 / 3, 12);
    // 1 + 1 + 1/2 + 2/3 = 19/6 of 4 (0.7917): passes 0.79, fails 0.792.
    const answers = { ...RIGHT, media: ['tape'], offline: ['a', 'b'] };
    expect((await gradeAttempt({ ...shipped, quiz: { ...shipped.quiz, passMark: 0.79 } }, ALL, answers)).passed).toBe(true);
    expect((await gradeAttempt({ ...shipped, quiz: { ...shipped.quiz, passMark: 0.792 } }, ALL, answers)).passed).toBe(false);
  });

  it('refuses a draw or answers that do not fit the module', async () => {
    const code = async (draw: string[], answers: Answers = {}) => ((await gradeAttempt(shipped, draw, answers).catch((e: unknown) => e)) as LockupError).code;
    expect(await code(['copies', 'tested', 'media', 'nope'])).toBe('training-attempt-invalid');
    expect(await code(['copies', 'copies', 'media', 'offline'])).toBe('training-attempt-invalid');
    expect(await code(['copies', 'tested', 'media'])).toBe('training-attempt-invalid');
    const smaller = { ...shipped, quiz: { ...shipped.quiz, draw: 2 } };
    await expect(gradeAttempt(smaller, ['copies', 'tested'], { media: ['tape'] })).rejects.toThrow('Answers were given to questions that were not drawn: media.');
    await expect(gradeAttempt(smaller, ['copies', 'tested'], { copies: ['three'] })).resolves.toMatchObject({ points: 1, score: 0.5 });
  });
});

describe('gradeAttempt: tampered protection never grades correct', () => {
  const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
  const withAnswer = (index: number, change: (a: TrainingModule['quiz']['questions'][number]['answer']) => void): TrainingModule => {
    const m = structuredClone(shipped);
    change(m.quiz.questions[index]!.answer);
    return m;
  };

  it('an altered tag turns the right answer wrong', async () => {
    expect(await one(withAnswer(0, (a) => (a.tag = flip(a.tag))), 'copies', ['three'])).toEqual(wrong);
    expect(await one(withAnswer(1, (a) => (a.tag = flip(a.tag))), 'tested', ['false'])).toEqual(wrong);
  });

  it('partial credit: an altered tag or mark is detected, and no choice scores', async () => {
    const tag = withAnswer(3, (a) => (a.tag = flip(a.tag)));
    expect(await one(tag, 'offline', ['a', 'b', 'd'])).toEqual({ ...wrong, notes: ['protection-mismatch'] });
    expect(await one(tag, 'offline', ['a'])).toEqual({ ...wrong, notes: ['protection-mismatch'] });
    // Option "a" is correct; its mark no longer reproduces.
    const mark = withAnswer(3, (a) => (a.marks![0] = flip(a.marks![0]!)));
    expect(await one(mark, 'offline', ['a', 'b'])).toEqual({ ...wrong, notes: ['protection-mismatch'] });
    // A wrong option's decoy turned into a copy of a correct mark does not make it count either.
    const copied = withAnswer(3, (a) => (a.marks![2] = a.marks![0]!));
    expect(await one(copied, 'offline', ['c'])).toEqual(wrong);
  });

  it('another salt, or answers moved between questions, grade nothing correct', async () => {
    const salted = structuredClone(shipped);
    salted.protection.salt = flip(salted.protection.salt);
    expect((await gradeAttempt(salted, ALL, RIGHT)).points).toBe(0);
    const swapped = structuredClone(shipped);
    const [q0, q1] = swapped.quiz.questions;
    [q0!.answer, q1!.answer] = [q1!.answer, q0!.answer];
    expect((await gradeAttempt(swapped, ALL, RIGHT)).questions.slice(0, 2).map((q) => q.status)).toEqual(['wrong', 'wrong']);
  });
});
