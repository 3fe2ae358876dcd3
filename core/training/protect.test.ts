import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../util/canonical-json.ts';
import { LockupError } from '../errors.ts';
import { parseTrainingSource, TrainingModule, type TrainingModuleSourceInput } from './model.ts';
import { DEFAULT_ITERATIONS, protectModule, webRandomBytes } from './protect.ts';
import { seededBytes, sourceInput, TEST_ITERATIONS } from './test-support/fixtures.ts';

const opts = { iterations: TEST_ITERATIONS };

function digests(text: string): string[] {
  const d = createHash('sha256').update(text, 'utf8').digest();
  return [d.toString('hex'), d.toString('base64'), d.toString('base64url')];
}

/** Every plain or unsalted-hash rendering of a question's answer we can think of. */
function answerForms(moduleId: string, questionId: string, correct: readonly string[]): string[] {
  const sorted = [...correct].sort();
  const texts = [
    ...correct,
    sorted.join(','),
    sorted.join('\n'),
    sorted.join(''),
    sorted.join(' '),
    JSON.stringify(sorted),
    JSON.stringify(correct),
    canonicalJson(['lockup.training.answer/1', moduleId, questionId, sorted]),
    ...correct.map((id) => canonicalJson(['lockup.training.option/1', moduleId, questionId, id])),
  ];
  return [...texts.flatMap(digests), JSON.stringify(sorted), `"correct"`];
}

describe('protectModule', () => {
  it('ships a valid module without any `correct` field, keeping everything else', async () => {
    const src = parseTrainingSource(sourceInput());
    const m = await protectModule(sourceInput(), webRandomBytes, opts);
    expect(TrainingModule.safeParse(m).success).toBe(true);
    expect(m.format).toBe('lockup.training-module');
    expect(m.protection).toMatchObject({ scheme: 'pbkdf2-sha256', iterations: TEST_ITERATIONS });
    expect(m.protection.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(m.lessons).toEqual(src.lessons);
    expect(m.quiz.questions.map((q) => ({ ...q, answer: undefined }))).toEqual(src.quiz.questions.map((q) => ({ ...q, correct: undefined, answer: undefined })));
    const text = JSON.stringify(m);
    expect(text).not.toMatch(/"correct"\s*:/);
  });

  it('the file holds no answer in clear nor as an unsalted sha256', async () => {
    const src = parseTrainingSource(sourceInput());
    const text = JSON.stringify(await protectModule(src, webRandomBytes, opts));
    for (const q of src.quiz.questions) {
      for (const form of answerForms(src.id, q.id, q.correct).filter((f) => f.length > 8)) expect(text).not.toContain(form);
    }
  });

  it('partial-credit multiple choice carries one mark per option; other questions only a tag', async () => {
    const m = await protectModule(sourceInput(), webRandomBytes, opts);
    expect(m.quiz.questions.map((q) => q.answer.marks?.length)).toEqual([undefined, undefined, 4, 5]);
    const aon = await protectModule(sourceInput({ multipleScoring: 'all-or-nothing' }), webRandomBytes, opts);
    expect(aon.quiz.questions.every((q) => q.answer.marks === undefined)).toBe(true);
  });

  it('the same questions protect differently every time (fresh salt)', async () => {
    const a = await protectModule(sourceInput(), webRandomBytes, opts);
    const b = await protectModule(sourceInput(), webRandomBytes, opts);
    expect(a.protection.salt).not.toBe(b.protection.salt);
    const values = (m: TrainingModule) => m.quiz.questions.flatMap((q) => [q.answer.tag, ...(q.answer.marks ?? [])]);
    const seen = new Set(values(a));
    for (const v of values(b)) expect(seen.has(v)).toBe(false);
  });

  it('the same salt and questions give the same tags (grading depends on it)', async () => {
    const a = await protectModule(sourceInput(), seededBytes('s'), opts);
    const b = await protectModule(sourceInput(), seededBytes('s'), opts);
    expect(a).toEqual(b);
  });

  it('the shape of the output does not depend on which options are correct', async () => {
    const redact = (m: TrainingModule) => JSON.stringify(m).replace(/"[0-9a-f]{64}"/g, '"#"');
    const base = await protectModule(sourceInput(), seededBytes('shape'), opts);
    const baseLength = JSON.stringify(base).length;
    const subset = (ids: string[]) => fc.subarray(ids, { minLength: 1 });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('one', 'two', 'three', 'four'),
        fc.constantFrom('true', 'false'),
        subset(['tape', 'same-disk', 'cloud', 'snapshot']),
        subset(['a', 'b', 'c', 'd', 'e']),
        async (single, tf, media, offline) => {
          const input = sourceInput();
          const correct = [[single], [tf], media, offline];
          input.quiz.questions.forEach((q, i) => (q.correct = correct[i]!));
          const m = await protectModule(input, seededBytes('shape'), opts);
          expect(redact(m)).toBe(redact(base));
          expect(JSON.stringify(m).length).toBe(baseLength);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('uses DEFAULT_ITERATIONS unless told otherwise, and refuses counts out of range before deriving', async () => {
    const one: TrainingModuleSourceInput = sourceInput({ multipleScoring: 'all-or-nothing', draw: 1 });
    one.quiz.questions = one.quiz.questions.slice(0, 1);
    expect((await protectModule(one, webRandomBytes)).protection.iterations).toBe(DEFAULT_ITERATIONS);
    for (const iterations of [999, 1_000_001, 2.5]) {
      const err = await protectModule(one, webRandomBytes, { iterations }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LockupError);
      expect((err as LockupError).code).toBe('invalid-argument');
    }
  });

  it('refuses an invalid source with training-invalid', async () => {
    const err = await protectModule(sourceInput({ draw: 7 }), webRandomBytes, opts).catch((e: unknown) => e);
    expect((err as LockupError).code).toBe('training-invalid');
  });
});
