import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { portableCodec } from './codec.ts';
import { portableDeflate } from './deflate.ts';
import { portableInflate } from './inflate.ts';
import { firstDifference } from '../../test/core-support/bytes.ts';

const sample = new TextEncoder().encode('Lockup '.repeat(5000));

describe('portable codec', () => {
  it('deflate produces zlib data that node:zlib inflates', () => {
    for (const best of [false, true]) {
      const z = portableDeflate(sample, best);
      expect(z[0]).toBe(0x78); // zlib header
      expect(firstDifference(inflateSync(z), sample)).toBe(-1);
      expect(z.length).toBeLessThan(sample.length / 10);
    }
  });

  it('inflate reads node:zlib data', () => {
    expect(firstDifference(portableInflate(new Uint8Array(deflateSync(sample)), sample.length), sample)).toBe(-1);
    expect(firstDifference(portableCodec.inflate(portableCodec.deflate(sample), sample.length), sample)).toBe(-1);
  });

  it('inflate refuses output longer than maxLength', () => {
    expect(() => portableInflate(new Uint8Array(deflateSync(sample)), sample.length - 1)).toThrow('larger than the image declares');
  });

  it('inflate refuses damaged data', () => {
    expect(() => portableInflate(new Uint8Array([0x78, 0x9c, 0xff, 0xff, 0x00]), 100)).toThrow();
  });

  it('empty input inflates to empty output', () => {
    expect(portableInflate(new Uint8Array(deflateSync(new Uint8Array(0))), 0)).toEqual(new Uint8Array(0));
  });
});
