import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttemptRecord, attemptRecord, canAttempt, drawQuestions, seededRng, type AttemptPolicyModule } from './attempts.ts';
import type { AttemptGrade } from './grade.ts';

const MIN = 60_000;
const T0 = Date.parse('2025-03-10T09:00:00.000Z');
const policy = (attemptLimit: number | null = 3, cooldownMinutes = 30): AttemptPolicyModule => ({
  id: 'backup-basics',
  title: 'Backup basics',
  grants: 'backup-certified',
  quiz: { attemptLimit, cooldownMinutes },
});
const rec = (at: number, passed = false, moduleId = 'backup-basics', moduleVersion = 1): AttemptRecord => ({ moduleId, moduleVersion, at: new Date(at).toISOString(), score: passed ? 0.9 : 0.4, passed });

describe('canAttempt', () => {
  it('a first attempt is allowed; other modules do not count', () => {
    expect(canAttempt([], policy(), T0)).toEqual({ allowed: true, failedAttempts: 0, attemptsLeft: 3 });
    expect(canAttempt([rec(T0, false, 'other'), rec(T0, false, 'other')], policy(), T0)).toEqual({ allowed: true, failedAttempts: 0, attemptsLeft: 3 });
  });

  it('cool-down: 1 ms before its end refused, exactly at its end allowed', () => {
    const history = [rec(T0)];
    const end = T0 + 30 * MIN;
    expect(canAttempt(history, policy(), end - 1)).toEqual({ allowed: false, reason: 'cooldown', until: end, message: 'You can try “Backup basics” again in 1 minute.' });
    expect(canAttempt(history, policy(), new Date(end))).toEqual({ allowed: true, failedAttempts: 1, attemptsLeft: 2 });
    expect(canAttempt(history, policy(), T0)).toMatchObject({ reason: 'cooldown', message: 'You can try “Backup basics” again in 30 minutes.' });
  });

  it('cool-down runs from the latest failed attempt, whatever the order of the records', () => {
    const history = [rec(T0 + 40 * MIN), rec(T0)];
    expect(canAttempt(history, policy(), T0 + 69 * MIN)).toMatchObject({ reason: 'cooldown', until: T0 + 70 * MIN });
    expect(canAttempt(history, policy(), T0 + 70 * MIN).allowed).toBe(true);
  });

  it('a clock set back before the last attempt does not end the cool-down', () => {
    expect(canAttempt([rec(T0)], policy(), T0 - 24 * 60 * MIN)).toMatchObject({ allowed: false, reason: 'cooldown', until: T0 + 30 * MIN });
  });

  it('no cool-down when it is 0 minutes', () => {
    expect(canAttempt([rec(T0)], policy(3, 0), T0)).toEqual({ allowed: true, failedAttempts: 1, attemptsLeft: 2 });
  });

  it('attempts exhausted: refused for good, even after the cool-down, and ahead of it', () => {
    const history = [rec(T0), rec(T0 + 60 * MIN), rec(T0 + 120 * MIN)];
    const exhausted = { allowed: false, reason: 'exhausted', failedAttempts: 3, message: 'All 3 attempts at “Backup basics” are used.' };
    expect(canAttempt(history, policy(), T0 + 121 * MIN)).toEqual(exhausted);
    expect(canAttempt(history, policy(), T0 + 365 * 24 * 60 * MIN)).toEqual(exhausted);
    expect(canAttempt([rec(T0)], policy(1), T0 + 999 * MIN)).toMatchObject({ reason: 'exhausted', message: 'All 1 attempt at “Backup basics” are used.' });
  });

  it('attempts count across versions of the module', () => {
    expect(canAttempt([rec(T0, false, 'backup-basics', 1), rec(T0 + MIN, false, 'backup-basics', 2)], policy(2), T0 + 999 * MIN)).toMatchObject({ reason: 'exhausted' });
  });

  it('no limit: only the cool-down applies', () => {
    const history = Array.from({ length: 50 }, (_, i) => rec(T0 + i * 60 * MIN));
    expect(canAttempt(history, policy(null), T0 + 49 * 60 * MIN + 30 * MIN)).toEqual({ allowed: true, failedAttempts: 50, attemptsLeft: null });
  });

  it('a pass ends it: exhaustion and cool-down no longer matter', () => {
    const passedAt = T0 + 60 * MIN;
    const history = [rec(T0), rec(T0 + 30 * MIN), rec(passedAt, true), rec(T0 + 90 * MIN)];
    const held = { allowed: false, reason: 'passed', passedAt: new Date(passedAt).toISOString(), message: 'You passed “Backup basics”; the certification backup-certified is yours.' };
    expect(canAttempt(history, policy(3), passedAt + 1)).toEqual(held);
    expect(canAttempt(history, policy(1), passedAt + 1)).toEqual(held);
  });

  it('attemptRecord keeps what the policy needs, and validates', () => {
    const grade = { moduleId: 'backup-basics', moduleVersion: 2, score: 0.5, passed: false } as AttemptGrade;
    const r = attemptRecord(grade, T0);
    expect(r).toEqual({ moduleId: 'backup-basics', moduleVersion: 2, at: '2025-03-10T09:00:00.000Z', score: 0.5, passed: false });
    expect(AttemptRecord.parse(r)).toEqual(r);
    expect(AttemptRecord.safeParse({ ...r, at: 'yesterday' }).success).toBe(false);
  });
});

const bank = (n: number, draw: number) => ({ quiz: { questions: Array.from({ length: n }, (_, i) => ({ id: `q${i}` })), draw } });

describe('drawQuestions', () => {
  it('is deterministic for a seed, and pinned so recorded seeds replay across releases', () => {
    expect(drawQuestions(bank(10, 4), 'attempt-1')).toEqual(drawQuestions(bank(10, 4), 'attempt-1'));
    expect(drawQuestions(bank(10, 4), 42)).toEqual(drawQuestions(bank(10, 4), '42'));
    expect(drawQuestions(bank(10, 4), 'attempt-1')).toMatchInlineSnapshot(`
      [
        "q3",
        "q4",
        "q2",
        "q6",
      ]
    `);
    // The reference cyrb128 + sfc32 (bryc's PRNG collection) gives this for "lockup".
    expect(seededRng('lockup')()).toBe(0.459404603112489);
  });

  it('draws `draw` distinct questions from the bank, for any bank and seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.string(), (n, k, seed) => {
        const draw = Math.min(n, k);
        const ids = drawQuestions(bank(n, draw), seed);
        expect(ids).toHaveLength(draw);
        expect(new Set(ids).size).toBe(draw);
        for (const id of ids) expect(Number(id.slice(1))).toBeLessThan(n);
      }),
    );
  });

  it('drawing the whole bank is a permutation; different seeds give different orders', () => {
    const orders = new Set<string>();
    for (let s = 0; s < 20; s++) {
      const ids = drawQuestions(bank(8, 8), `s${s}`);
      expect([...ids].sort()).toEqual(bank(8, 8).quiz.questions.map((q) => q.id));
      orders.add(ids.join());
    }
    expect(orders.size).toBeGreaterThan(15);
  });

  it('every question is about equally likely', () => {
    const counts = new Map<string, number>();
    const runs = 4000;
    for (let s = 0; s < runs; s++) for (const id of drawQuestions(bank(10, 3), s)) counts.set(id, (counts.get(id) ?? 0) + 1);
    // Expected 1200 each; a fair draw stays well within ±15 %.
    for (const c of counts.values()) expect(Math.abs(c - 1200)).toBeLessThan(180);
    expect(counts.size).toBe(10);
  });

  it('a caller-supplied generator cannot step outside the bank', () => {
    for (const r of [1, -0.5, Number.NaN, 0.999999999]) {
      const ids = drawQuestions(bank(5, 5), () => r);
      expect(new Set(ids).size).toBe(5);
    }
  });

  it('refuses a draw larger than the bank', () => {
    expect(() => drawQuestions(bank(3, 4), 1)).toThrow('Cannot draw 4 questions from a bank of 3.');
  });
});
