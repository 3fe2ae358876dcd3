import { z } from 'zod';
import { LockupError } from '../errors.ts';
import { Id } from '../model/access.ts';
import type { AttemptGrade } from './grade.ts';

/**
 * Attempt policy (issue #7): the random draw of an attempt's questions, and
 * whether a learner may start an attempt now. Pure: the caller supplies the
 * history, the clock and the seed.
 *
 * - Attempts count per module id, across its versions: republishing a module
 *   does not hand out fresh attempts.
 * - A pass ends the matter: the certification is held, so the limit and the
 *   cool-down no longer apply and no further attempt is offered.
 * - Only failed attempts count towards `attemptLimit`; the cool-down runs
 *   from the most recent failed attempt and ends exactly at
 *   `at + cooldownMinutes`.
 */

/** One finished attempt as the app records it. */
export const AttemptRecord = z
  .object({
    moduleId: Id,
    moduleVersion: z.number().int().min(1),
    /** When the attempt was graded (ISO 8601). */
    at: z.iso.datetime({ offset: true }),
    score: z.number().min(0).max(1),
    passed: z.boolean(),
  })
  .strict();
export type AttemptRecord = z.infer<typeof AttemptRecord>;

/** The record to keep for a graded attempt. */
export function attemptRecord(grade: AttemptGrade, at: Date | number): AttemptRecord {
  return { moduleId: grade.moduleId, moduleVersion: grade.moduleVersion, at: new Date(at).toISOString(), score: grade.score, passed: grade.passed };
}

/** What the policy needs to know of a module; both the source and the shipped form fit. */
export interface AttemptPolicyModule {
  id: string;
  title: string;
  grants: string;
  quiz: { attemptLimit: number | null; cooldownMinutes: number };
}

export type AttemptDecision =
  | { allowed: true; failedAttempts: number; /** null when there is no limit. */ attemptsLeft: number | null }
  | { allowed: false; reason: 'passed'; message: string; passedAt: string }
  | { allowed: false; reason: 'exhausted'; message: string; failedAttempts: number }
  | { allowed: false; reason: 'cooldown'; message: string; /** Epoch milliseconds; an attempt is allowed from this instant. */ until: number };

const MINUTE = 60_000;

/** Decides whether a new attempt at `module` may start at `now`. */
export function canAttempt(history: readonly AttemptRecord[], module: AttemptPolicyModule, now: Date | number): AttemptDecision {
  const t = typeof now === 'number' ? now : now.getTime();
  const mine = history.filter((r) => r.moduleId === module.id);
  const pass = mine.find((r) => r.passed);
  if (pass) {
    return { allowed: false, reason: 'passed', message: `You passed “${module.title}”; the certification ${module.grants} is yours.`, passedAt: pass.at };
  }
  const failed = mine.length;
  const limit = module.quiz.attemptLimit;
  if (limit !== null && failed >= limit) {
    return { allowed: false, reason: 'exhausted', message: `All ${limit} attempt${limit === 1 ? '' : 's'} at “${module.title}” are used.`, failedAttempts: failed };
  }
  if (failed > 0 && module.quiz.cooldownMinutes > 0) {
    // The latest by time, not by position: records may come back in any order.
    const last = Math.max(...mine.map((r) => Date.parse(r.at)));
    const until = last + module.quiz.cooldownMinutes * MINUTE;
    if (t < until) {
      const minutes = Math.ceil((until - t) / MINUTE);
      return { allowed: false, reason: 'cooldown', message: `You can try “${module.title}” again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, until };
    }
  }
  return { allowed: true, failedAttempts: failed, attemptsLeft: limit === null ? null : limit - failed };
}

/** A deterministic source of numbers in [0, 1). */
export type Rng = () => number;

/**
 * A seeded generator (sfc32, state from a cyrb128 hash of the seed): the same
 * seed always gives the same sequence on every platform, so a recorded seed
 * reproduces an attempt's draw. Not for secrets.
 */
export function seededRng(seed: string | number): Rng {
  const text = String(seed);
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
  let b = (h2 ^ a) >>> 0;
  let c = (h3 ^ a) >>> 0;
  let d = (h4 ^ a) >>> 0;
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const out = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + out) | 0;
    return (out >>> 0) / 4294967296;
  };
}

/**
 * Draws `quiz.draw` distinct questions from the bank (a partial
 * Fisher–Yates shuffle), in the order they are asked. The same module and
 * seed always give the same draw.
 */
export function drawQuestions(module: { quiz: { questions: readonly { id: string }[]; draw: number } }, seed: string | number | Rng): string[] {
  const rng = typeof seed === 'function' ? seed : seededRng(seed);
  const ids = module.quiz.questions.map((q) => q.id);
  const n = module.quiz.draw;
  if (!Number.isInteger(n) || n < 1 || n > ids.length) throw new LockupError('training-invalid', `Cannot draw ${n} questions from a bank of ${ids.length}.`);
  for (let i = 0; i < n; i++) {
    // Clamped so that a caller's generator returning 1 or a negative number cannot step outside the bank.
    const k = Math.floor(rng() * (ids.length - i)) || 0;
    const j = i + Math.max(0, Math.min(ids.length - i - 1, k));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.slice(0, n);
}
