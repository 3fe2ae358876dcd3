import { describe, expect, it } from 'vitest';
import { assert, ERROR_CODES, exhaustive, fromWireError, isErrorCode, LockupError, toWireError } from './errors.ts';

describe('errors', () => {
  it('LockupError carries code, message and details', () => {
    const e = new LockupError('csv-invalid', 'bad', { line: 3 });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('LockupError');
    expect([e.code, e.message, e.details]).toEqual(['csv-invalid', 'bad', { line: 3 }]);
  });

  it('toWireError keeps LockupErrors and wraps anything else as internal', () => {
    expect(toWireError(new LockupError('usage', 'no'))).toEqual({ code: 'usage', message: 'no' });
    expect(toWireError(new LockupError('usage', 'no', { a: 1 }))).toEqual({ code: 'usage', message: 'no', details: { a: 1 } });
    expect(toWireError(new TypeError('boom'))).toEqual({ code: 'internal', message: 'Unexpected failure: boom' });
    expect(toWireError('text')).toEqual({ code: 'internal', message: 'Unexpected failure: text' });
  });

  it('fromWireError round-trips', () => {
    const e = fromWireError({ code: 'image-corrupt', message: 'm', details: { x: 1 } });
    expect(e).toBeInstanceOf(LockupError);
    expect(toWireError(e)).toEqual({ code: 'image-corrupt', message: 'm', details: { x: 1 } });
  });

  it('isErrorCode', () => {
    expect(isErrorCode('font-unsupported')).toBe(true);
    expect(isErrorCode('nope')).toBe(false);
    expect(isErrorCode(3)).toBe(false);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('assert and exhaustive throw internal errors', () => {
    expect(() => assert(true, 'fine')).not.toThrow();
    try {
      assert(0, 'x must be set');
      expect.unreachable();
    } catch (err) {
      expect((err as LockupError).code).toBe('internal');
      expect((err as LockupError).message).toBe('Assertion failed: x must be set');
    }
    expect(() => exhaustive('odd' as never)).toThrow('Unhandled case: "odd"');
  });
});
