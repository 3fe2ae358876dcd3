import { expect } from 'vitest';
import type { Catalogue } from '../../backend/catalogue.ts';
import { LockupError } from '../../core/errors.ts';
import { dumpDatabase } from './db.ts';

/** The LockupError `fn` throws; fails the test when it throws nothing (other errors propagate). */
export function refusal(fn: () => unknown): LockupError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LockupError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

/** Runs `fn`, expects a refusal with `code`, and checks the catalogue is exactly as before. */
export function refusedUnchanged(catalogue: Catalogue, fn: () => unknown, code: string): LockupError {
  const before = dumpDatabase(catalogue.db);
  const err = refusal(fn);
  expect(err.code, err.message).toBe(code);
  expect(dumpDatabase(catalogue.db)).toEqual(before);
  return err;
}
