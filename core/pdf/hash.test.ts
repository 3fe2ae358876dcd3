import { describe, expect, it } from 'vitest';
import { digest128, toHexString } from './hash.ts';

describe('digest128', () => {
  it('is 16 bytes and deterministic', () => {
    const a = digest128(['lockup', new Uint8Array([1, 2, 3])]);
    expect(a).toHaveLength(16);
    expect(digest128(['lockup', new Uint8Array([1, 2, 3])])).toEqual(a);
  });

  it('strings hash as their UTF-8 bytes', () => {
    expect(digest128(['é'])).toEqual(digest128([new Uint8Array([0xc3, 0xa9])]));
  });

  it('changes with any input change, including how the input is split into parts', () => {
    const base = toHexString(digest128(['ab', 'c']));
    const others = [digest128(['a', 'bc']), digest128(['abc']), digest128(['ab', 'd']), digest128(['ab', 'c', '']), digest128([])].map(toHexString);
    for (const o of others) expect(o).not.toBe(base);
    expect(new Set(others).size).toBe(others.length);
  });

  it('spreads small changes over all four lanes', () => {
    const a = digest128(['key-1']);
    const b = digest128(['key-2']);
    for (let lane = 0; lane < 4; lane++) expect(a.subarray(lane * 4, lane * 4 + 4)).not.toEqual(b.subarray(lane * 4, lane * 4 + 4));
  });
});

describe('toHexString', () => {
  it('upper-case, two digits per byte', () => {
    expect(toHexString(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001ABFF');
    expect(toHexString(new Uint8Array(0))).toBe('');
  });
});
