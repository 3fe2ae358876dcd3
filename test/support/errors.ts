import { expect } from 'vitest';
import { LockupError } from '../../core/errors.ts';

/** The LockupError `fn` throws; fails the test if it returns or throws anything else. */
export function thrown(fn: () => unknown): LockupError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LockupError);
    return err as LockupError;
  }
  throw new Error('expected a LockupError to be thrown');
}

/** The LockupError a promise rejects with; fails the test if it resolves or rejects otherwise. */
export async function rejected(promise: Promise<unknown>): Promise<LockupError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(LockupError);
    return err as LockupError;
  }
  throw new Error('expected a LockupError rejection');
}
