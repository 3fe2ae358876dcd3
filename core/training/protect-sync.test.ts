import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LockupError } from '../errors.ts';
import { gradeAttempt } from './grade.ts';
import { protectModule, protectModuleSync, type Pbkdf2Sync } from './protect.ts';
import { seededBytes, sourceInput, TEST_ITERATIONS } from './test-support/fixtures.ts';

const nodePbkdf2: Pbkdf2Sync = (password, salt, iterations, length) => new Uint8Array(pbkdf2Sync(password, salt, iterations, length, 'sha256'));
const opts = { iterations: TEST_ITERATIONS };

describe('protectModuleSync', () => {
  it('gives exactly what protectModule gives for the same random bytes (both modes of multiple choice)', async () => {
    for (const multipleScoring of ['partial', 'all-or-nothing'] as const) {
      const sync = protectModuleSync(sourceInput({ multipleScoring }), seededBytes('same'), nodePbkdf2, opts);
      const async = await protectModule(sourceInput({ multipleScoring }), seededBytes('same'), opts);
      expect(sync).toEqual(async);
    }
  });

  it('grades like a module protected asynchronously', async () => {
    const m = protectModuleSync(sourceInput(), seededBytes('grade'), nodePbkdf2, opts);
    const g = await gradeAttempt(m, ['copies', 'tested', 'media', 'offline'], { copies: ['three'], tested: ['false'], media: ['tape', 'cloud'], offline: ['a', 'b'] });
    expect(g.questions.map((q) => q.status)).toEqual(['correct', 'correct', 'correct', 'partial']);
    expect(g.passed).toBe(true);
  });

  it('refuses an invalid source (training-invalid) and a wild iteration count (invalid-argument) before deriving', () => {
    let derived = 0;
    const counting: Pbkdf2Sync = (...args) => {
      derived++;
      return nodePbkdf2(...args);
    };
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as LockupError).code;
      }
      return 'accepted';
    };
    expect(code(() => protectModuleSync(sourceInput({ draw: 7 }), seededBytes('x'), counting, opts))).toBe('training-invalid');
    expect(code(() => protectModuleSync(sourceInput(), seededBytes('x'), counting, { iterations: 5_000_000 }))).toBe('invalid-argument');
    expect(derived).toBe(0);
  });
});
