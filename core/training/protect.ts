import { canonicalJson } from '../util/canonical-json.ts';
import { LockupError } from '../errors.ts';
import { parseOrThrow } from '../model/validate.ts';
import {
  parseTrainingModule,
  parseTrainingSource,
  Protection,
  SALT_BYTES,
  TAG_BYTES,
  TRAINING_MODULE_FORMAT,
  type ProtectedQuestion,
  type TrainingModule,
  type TrainingModuleSourceInput,
} from './model.ts';

/**
 * Answer protection (docs/decisions/0022). A shipped module holds, per
 * question, PBKDF2-SHA256 tags salted with a fresh per-module salt:
 *
 * - `tag` over (module id, question id, sorted correct option ids): a
 *   learner's choice is right when its tag is equal (all-or-nothing);
 * - for partial-credit multiple choice, `marks[i]` is the tag over (module
 *   id, question id, option i) when option i is correct, and random bytes of
 *   the same length when it is not.
 *
 * Grading offline means the grader (and so anyone holding the file) can run
 * the same derivation for every candidate; what this buys is that the file
 * does not *read* as the answers, precomputed tables are useless (salt), and
 * each guess costs one slow derivation. It is not secrecy.
 */

/** About 5 ms a derivation on a 2024 laptop core. */
export const DEFAULT_ITERATIONS = 20_000;

/** Returns `n` random bytes. Inject `webRandomBytes` in the app; tests may pass a seeded source. */
export type RandomBytes = (n: number) => Uint8Array;

/** Random bytes from the Web Crypto API (available in browsers, Electron and Node ≥ 19). */
export const webRandomBytes: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

const ANSWER_DOMAIN = 'lockup.training.answer/1';
const OPTION_DOMAIN = 'lockup.training.option/1';

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Option ids as one canonical set: distinct, sorted by code unit. */
export function canonicalSet(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}

/** One PBKDF2-SHA256 derivation: what protection asks for, whichever way it is computed. */
interface Derivation {
  protection: Protection;
  /** Hashed as its canonical JSON, UTF-8. */
  message: unknown;
}

const encodeMessage = (message: unknown) => new TextEncoder().encode(canonicalJson(message));

async function pbkdf2(protection: Protection, message: unknown): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new LockupError('not-supported', 'Grading needs the Web Crypto API, which this environment lacks.');
  const key = await subtle.importKey('raw', encodeMessage(message), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: fromHex(protection.salt), iterations: protection.iterations }, key, TAG_BYTES * 8);
  return toHex(new Uint8Array(bits));
}

const answerMessage = (moduleId: string, questionId: string, optionIds: readonly string[]) => [ANSWER_DOMAIN, moduleId, questionId, canonicalSet(optionIds)];
const optionMessage = (moduleId: string, questionId: string, optionId: string) => [OPTION_DOMAIN, moduleId, questionId, optionId];

/** The tag a choice of options must reproduce to be the correct set. */
export function answerTag(protection: Protection, moduleId: string, questionId: string, optionIds: readonly string[]): Promise<string> {
  return pbkdf2(protection, answerMessage(moduleId, questionId, optionIds));
}

/** The mark a correct option carries in a partial-credit question. */
export function optionTag(protection: Protection, moduleId: string, questionId: string, optionId: string): Promise<string> {
  return pbkdf2(protection, optionMessage(moduleId, questionId, optionId));
}

export interface ProtectOptions {
  /** PBKDF2 iterations, 1,000 to 1,000,000 (default DEFAULT_ITERATIONS). */
  iterations?: number;
}

/**
 * Turns a vendor's module source into the form that ships in a pack: every
 * question's `correct` becomes protected answer data under a fresh salt.
 * Validates the source first (LockupError `training-invalid`).
 *
 * Random bytes are drawn in an order that does not depend on which options
 * are correct (salt, then one decoy per option of every partial-credit
 * question), so the output's shape and length say nothing about the answers.
 */
export async function protectModule(source: TrainingModuleSourceInput, randomBytes: RandomBytes, options: ProtectOptions = {}): Promise<TrainingModule> {
  const steps = protectSteps(source, randomBytes, options);
  let step = steps.next();
  while (!step.done) step = steps.next(await pbkdf2(step.value.protection, step.value.message));
  return step.value;
}

/**
 * A synchronous PBKDF2-HMAC-SHA256 the host supplies (Node's
 * `crypto.pbkdf2Sync(password, salt, iterations, length, 'sha256')`):
 * `core/` has no synchronous derivation of its own.
 */
export type Pbkdf2Sync = (password: Uint8Array, salt: Uint8Array, iterations: number, length: number) => Uint8Array;

/**
 * `protectModule` for callers that cannot wait (seeding a catalogue, building
 * a pack from a content folder): the same steps, the same random draws and
 * so, for the same random bytes, the same output, with the derivation done
 * by `pbkdf2Sync`.
 */
export function protectModuleSync(source: TrainingModuleSourceInput, randomBytes: RandomBytes, pbkdf2Sync: Pbkdf2Sync, options: ProtectOptions = {}): TrainingModule {
  const steps = protectSteps(source, randomBytes, options);
  let step = steps.next();
  while (!step.done) {
    const { protection, message } = step.value;
    step = steps.next(toHex(pbkdf2Sync(encodeMessage(message), fromHex(protection.salt), protection.iterations, TAG_BYTES)));
  }
  return step.value;
}

/** Protection as a sequence of derivations: each `yield` asks for one tag (hex) and gets it back. */
function* protectSteps(source: TrainingModuleSourceInput, randomBytes: RandomBytes, options: ProtectOptions): Generator<Derivation, TrainingModule, string> {
  const src = parseTrainingSource(source);
  const salt = randomBytes(SALT_BYTES);
  if (salt.length !== SALT_BYTES) throw new LockupError('internal', `randomBytes returned ${salt.length} bytes, not ${SALT_BYTES}`);
  // Checked before the first derivation: a wild iteration count would stall here, not fail.
  const protection = parseOrThrow(Protection, { scheme: 'pbkdf2-sha256', salt: toHex(salt), iterations: options.iterations ?? DEFAULT_ITERATIONS }, 'invalid-argument', 'Protection');
  const partial = src.quiz.multipleScoring === 'partial';

  const questions: ProtectedQuestion[] = [];
  for (const q of src.quiz.questions) {
    const { correct, ...rest } = q;
    const tag = yield { protection, message: answerMessage(src.id, q.id, correct) };
    if (!(partial && q.kind === 'multiple')) {
      questions.push({ ...rest, answer: { tag } });
      continue;
    }
    const right = new Set(correct);
    const marks: string[] = [];
    for (const o of q.options) {
      const decoy = toHex(randomBytes(TAG_BYTES));
      marks.push(right.has(o.id) ? yield { protection, message: optionMessage(src.id, q.id, o.id) } : decoy);
    }
    questions.push({ ...rest, answer: { tag, marks } });
  }

  const { format: _format, quiz, ...meta } = src;
  // Parsing the result checks the invariants the grader relies on (iterations bounds included).
  return parseTrainingModule({ format: TRAINING_MODULE_FORMAT, ...meta, quiz: { ...quiz, questions }, protection });
}
