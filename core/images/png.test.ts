import { describe, expect, it } from 'vitest';
import { imageFixture } from '../../test/core-support/files.ts';
import { chunk, concatBytes, encodePng, ihdr, PNG_SIGNATURE, type PngSpec } from '../../test/core-support/png-encode.ts';
import { portableInflate } from '../util/inflate.ts';
import { decodePng, readPngHeader, type Rgba8 } from './png.ts';
import { deflateSync } from 'node:zlib';
import { firstDifference } from '../../test/core-support/bytes.ts';
import { thrown as refusal } from '../../test/support/errors.ts';

const decode = (bytes: Uint8Array, name = 't.png'): Rgba8 => decodePng(readPngHeader(bytes, name), name, portableInflate);
const fixture = (name: string) => decode(imageFixture(name), name);

/** A deterministic pattern of samples for any bit depth. */
const pattern = (max: number, seed: number) => (x: number, y: number) => ((x * 7 + y * 13 + seed * 5 + ((x * y) % 11)) * 2654435761) % (max + 1);

/** Expected 8-bit value of a sample, computed the PNG-spec way. */
const to8 = (v: number, depth: number) => (depth === 16 ? v >> 8 : depth === 8 ? v : Math.round((v * 255) / ((1 << depth) - 1)));

interface Case {
  colorType: PngSpec['colorType'];
  bitDepth: PngSpec['bitDepth'];
}
const CASES: Case[] = [
  ...([1, 2, 4, 8, 16] as const).map((bitDepth) => ({ colorType: 0 as const, bitDepth })),
  ...([8, 16] as const).map((bitDepth) => ({ colorType: 2 as const, bitDepth })),
  ...([1, 2, 4, 8] as const).map((bitDepth) => ({ colorType: 3 as const, bitDepth })),
  ...([8, 16] as const).map((bitDepth) => ({ colorType: 4 as const, bitDepth })),
  ...([8, 16] as const).map((bitDepth) => ({ colorType: 6 as const, bitDepth })),
];
const CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;

function synthetic({ colorType, bitDepth }: Case, interlaced: boolean, w = 13, h = 9) {
  const max = (1 << bitDepth) - 1;
  const ch = CHANNELS[colorType];
  const paletteSize = colorType === 3 ? 1 << bitDepth : 0;
  const palette = Array.from({ length: paletteSize }, (_, i) => [(i * 37) & 255, (i * 91 + 10) & 255, (255 - i * 13) & 255] as [number, number, number]);
  const channels = Array.from({ length: ch }, (_, k) => pattern(colorType === 3 ? paletteSize - 1 : max, k + 1));
  // Make one alpha value fully opaque everywhere except a few pixels, so both paths are exercised.
  const sample = (x: number, y: number) => channels.map((f, k) => (k === ch - 1 && (colorType === 4 || colorType === 6) && (x + y) % 3 !== 0 ? max : f(x, y)));
  const spec: PngSpec = { width: w, height: h, colorType, bitDepth, sample, interlaced, ...(colorType === 3 ? { palette } : {}) };
  // The expected 8-bit colour and alpha.
  const colors = colorType === 0 || colorType === 4 ? 1 : 3;
  const color = new Uint8Array(w * h * colors);
  const alpha = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const s = sample(x, y);
      const i = y * w + x;
      if (colorType === 3) color.set(palette[s[0]!]!, i * 3);
      else if (colors === 1) color[i] = to8(s[0]!, bitDepth);
      else for (let k = 0; k < 3; k++) color[i * 3 + k] = to8(s[k]!, bitDepth);
      if (colorType === 4) alpha[i] = to8(s[1]!, bitDepth);
      if (colorType === 6) alpha[i] = to8(s[3]!, bitDepth);
    }
  return { bytes: encodePng(spec), colors, color, alpha: alpha.some((a) => a !== 255) ? alpha : undefined };
}

describe('decodePng against an independent encoder', () => {
  for (const c of CASES) {
    for (const interlaced of [false, true]) {
      it(`colour type ${c.colorType}, ${c.bitDepth}-bit${interlaced ? ', Adam7' : ''}, all five row filters`, () => {
        const s = synthetic(c, interlaced);
        const d = decode(s.bytes);
        expect(d.width).toBe(13);
        expect(d.height).toBe(9);
        expect(d.colors).toBe(s.colors);
        expect(d.color).toEqual(s.color);
        expect(d.alpha).toEqual(s.alpha);
      });
    }
  }

  it('a tiny interlaced image where some Adam7 passes are empty (1 × 1 and 3 × 2)', () => {
    for (const [w, h] of [[1, 1], [3, 2], [2, 5]] as const) {
      const s = synthetic({ colorType: 2, bitDepth: 8 }, true, w, h);
      expect(decode(s.bytes).color).toEqual(s.color);
    }
  });

  it('each filter type on its own, including Paeth and Average on the first row', () => {
    for (const f of [0, 1, 2, 3, 4]) {
      const sample = (x: number, y: number) => [(x * 40 + y * 3) & 255, (x * y * 9) & 255, (255 - x * 17) & 255];
      const bytes = encodePng({ width: 8, height: 4, colorType: 2, bitDepth: 8, sample, filter: () => f });
      const d = decode(bytes);
      for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) expect([...d.color.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3)], `filter ${f}`).toEqual(sample(x, y));
    }
  });

  it('tRNS colour keys make matching gray / RGB pixels transparent (16-bit keys compared at full precision)', () => {
    const gray = encodePng({ width: 4, height: 1, colorType: 0, bitDepth: 16, sample: (x) => [[0x1234, 0x1235, 0x1234, 0xffff][x]!], trns: new Uint8Array([0x12, 0x34]) });
    const g = decode(gray);
    expect([...g.alpha!]).toEqual([0, 255, 0, 255]);
    expect([...g.color]).toEqual([0x12, 0x12, 0x12, 0xff]);
    const rgb = encodePng({ width: 3, height: 1, colorType: 2, bitDepth: 8, sample: (x) => [[1, 2, 3], [1, 2, 4], [1, 2, 3]][x]!, trns: new Uint8Array([0, 1, 0, 2, 0, 3]) });
    expect([...decode(rgb).alpha!]).toEqual([0, 255, 0]);
  });

  it('palette tRNS gives per-index alpha; indices past tRNS are opaque', () => {
    const bytes = encodePng({
      width: 4,
      height: 1,
      colorType: 3,
      bitDepth: 8,
      sample: (x) => [x],
      palette: [[255, 0, 0], [0, 255, 0], [0, 0, 255], [9, 9, 9]],
      trns: new Uint8Array([0, 128]),
    });
    const d = decode(bytes);
    expect([...d.alpha!]).toEqual([0, 128, 255, 255]);
    expect([...d.color]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
  });

  it('joins image data split over several IDAT chunks', () => {
    const s = synthetic({ colorType: 6, bitDepth: 8 }, false, 20, 20);
    const again = encodePng({ width: 20, height: 20, colorType: 6, bitDepth: 8, sample: () => [1, 2, 3, 4], idatChunks: 5 });
    expect(readPngHeader(again, 'x').idat).toHaveLength(5);
    expect([...decode(again).color.subarray(0, 6)]).toEqual([1, 2, 3, 1, 2, 3]);
    expect(decode(s.bytes).color).toEqual(s.color);
  });
});

describe('decodePng on the fixtures', () => {
  it('16-bit RGBA, its 16-bit twin and the Adam7 version decode to identical 8-bit colour and alpha', () => {
    const a = fixture('logo-rgba.png');
    const b = fixture('logo-16bit.png');
    const c = fixture('logo-interlaced.png');
    expect([a.width, a.height, a.colors]).toEqual([600, 200, 3]);
    expect(a.alpha).toBeDefined();
    expect(firstDifference(b.color, a.color)).toBe(-1);
    expect(firstDifference(b.alpha!, a.alpha!)).toBe(-1);
    expect(firstDifference(c.color, a.color)).toBe(-1);
    expect(firstDifference(c.alpha!, a.alpha!)).toBe(-1);
    // A real logo: some pixels are fully transparent, some opaque, some in between.
    const alphas = new Set(a.alpha);
    expect(alphas.has(0) && alphas.has(255) && alphas.size > 2).toBe(true);
  });

  it('the palette version looks the same (composited over white, within quantisation error)', () => {
    const a = fixture('logo-rgba.png');
    const p = fixture('logo-palette.png');
    expect(p.colors).toBe(3);
    let sum = 0;
    let agree = 0;
    for (let i = 0; i < 600 * 200; i++) {
      const aa = a.alpha![i]! / 255;
      const pa = p.alpha![i]! / 255;
      for (let k = 0; k < 3; k++) sum += Math.abs(a.color[i * 3 + k]! * aa + 255 * (1 - aa) - (p.color[i * 3 + k]! * pa + 255 * (1 - pa)));
      if (a.alpha![i]! >= 128 === p.alpha![i]! >= 128) agree++;
    }
    expect(sum / (600 * 200 * 3)).toBeLessThan(1);
    expect(agree / (600 * 200)).toBeGreaterThan(0.999);
  });

  it('gray 16-bit, gray+alpha 8-bit and 1-bit palette fixtures', () => {
    const g = fixture('gray16.png');
    expect([g.width, g.height, g.colors, g.alpha]).toEqual([120, 40, 1, undefined]);
    const ga = fixture('logo-gray-alpha.png');
    expect([ga.width, ga.height, ga.colors]).toEqual([300, 100, 1]);
    expect(ga.alpha).toHaveLength(300 * 100);
    const t = fixture('logo-tiny.png');
    expect([t.width, t.height, t.colors, t.alpha]).toEqual([48, 16, 3, undefined]);
    const header = readPngHeader(imageFixture('logo-tiny.png'), 't');
    // Every pixel is one of the two palette colours.
    const pal = header.palette!;
    const entries = new Set([0, 1].map((i) => `${pal[i * 3]},${pal[i * 3 + 1]},${pal[i * 3 + 2]}`));
    for (let i = 0; i < 48 * 16; i++) expect(entries.has(`${t.color[i * 3]},${t.color[i * 3 + 1]},${t.color[i * 3 + 2]}`)).toBe(true);
  });
});

describe('readPngHeader', () => {
  it('reads the header of each fixture', () => {
    const h = readPngHeader(imageFixture('logo-interlaced.png'), 'x');
    expect([h.width, h.height, h.bitDepth, h.colorType, h.interlaced]).toEqual([600, 200, 16, 6, true]);
    const p = readPngHeader(imageFixture('logo-palette.png'), 'x');
    expect([p.colorType, p.bitDepth, p.palette!.length, p.trns!.length]).toEqual([3, 8, 36, 1]);
  });

  it('truncated.png → image-truncated', () => {
    const e = refusal(() => readPngHeader(imageFixture('truncated.png'), 'truncated.png'));
    expect(e.code).toBe('image-truncated');
    expect(e.message).toContain('"truncated.png"');
  });

  it('crc-damaged.png → image-corrupt', () => {
    const e = refusal(() => readPngHeader(imageFixture('crc-damaged.png'), 'crc-damaged.png'));
    expect(e.code).toBe('image-corrupt');
    expect(e.message).toContain('checksum');
  });

  const ok = () => encodePng({ width: 2, height: 2, colorType: 2, bitDepth: 8, sample: () => [1, 2, 3] });
  const idat = chunk('IDAT', new Uint8Array(deflateSync(new Uint8Array(2 * 7))));
  const iend = chunk('IEND', new Uint8Array(0));

  it('a file cut inside a chunk header or without IEND is truncated', () => {
    const bytes = ok();
    expect(refusal(() => readPngHeader(bytes.subarray(0, bytes.length - 12 + 4), 'x')).code).toBe('image-truncated'); // cut in IEND's header
    const noEnd = refusal(() => readPngHeader(bytes.subarray(0, bytes.length - 12), 'x'));
    expect(noEnd.code).toBe('image-truncated');
    expect(noEnd.message).toContain('end marker');
    expect(refusal(() => readPngHeader(concatBytes([PNG_SIGNATURE, ihdr(2, 2, 8, 2), iend]), 'x')).message).toContain('no image data');
    expect(refusal(() => readPngHeader(PNG_SIGNATURE, 'x')).message).toContain('no header');
  });

  it('a flipped byte in any chunk is a checksum error', () => {
    const bytes = ok().slice();
    bytes[19] = bytes[19]! ^ 1; // inside IHDR data
    expect(refusal(() => readPngHeader(bytes, 'x')).code).toBe('image-corrupt');
  });

  it('refuses nonsensical headers as image-corrupt', () => {
    const bad = (h: Uint8Array, extra: Uint8Array[] = []) => refusal(() => readPngHeader(concatBytes([PNG_SIGNATURE, h, ...extra, idat, iend]), 'x'));
    expect(bad(ihdr(2, 2, 4, 2)).message).toContain('colour type 2, 4-bit');
    expect(bad(ihdr(2, 2, 8, 5)).code).toBe('image-corrupt');
    expect(bad(ihdr(2, 2, 8, 2, 2)).message).toContain('interlace');
    expect(bad(ihdr(0, 2, 8, 2)).message).toContain('empty image');
    expect(bad(ihdr(2, 2, 8, 3)).message).toContain('without a palette');
    const compression = ihdr(2, 2, 8, 2).slice();
    compression[8 + 10] = 1;
    // Recompute the CRC so only the value is wrong.
    const fixed = chunk('IHDR', compression.subarray(8, 21));
    expect(bad(fixed).message).toContain('compression');
    expect(refusal(() => readPngHeader(concatBytes([PNG_SIGNATURE, idat, ihdr(2, 2, 8, 2), iend]), 'x')).message).toContain('IHDR is not the first chunk');
  });
});

describe('decodePng refusals', () => {
  it('an unknown row filter is image-corrupt', () => {
    const raw = new Uint8Array([5, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6]);
    const bytes = concatBytes([PNG_SIGNATURE, ihdr(2, 2, 8, 2), chunk('IDAT', new Uint8Array(deflateSync(raw))), chunk('IEND', new Uint8Array(0))]);
    const e = refusal(() => decode(bytes));
    expect(e.code).toBe('image-corrupt');
    expect(e.message).toContain('unknown row filter 5');
  });

  it('image data shorter than the header declares is image-truncated', () => {
    const bytes = concatBytes([PNG_SIGNATURE, ihdr(4, 4, 8, 2), chunk('IDAT', new Uint8Array(deflateSync(new Uint8Array(13)))), chunk('IEND', new Uint8Array(0))]);
    const e = refusal(() => decode(bytes));
    expect(e.code).toBe('image-truncated');
    expect(e.message).toContain('ends early');
  });

  it('a damaged zlib stream is image-corrupt', () => {
    const bytes = concatBytes([PNG_SIGNATURE, ihdr(2, 2, 8, 2), chunk('IDAT', new Uint8Array([0x78, 0x9c, 0xff, 0xff, 0xff])), chunk('IEND', new Uint8Array(0))]);
    expect(refusal(() => decode(bytes)).code).toBe('image-corrupt');
  });

  it('inflate is capped at the size the header declares', () => {
    const bytes = encodePng({ width: 5, height: 3, colorType: 6, bitDepth: 16, sample: () => [1, 2, 3, 4] });
    const caps: number[] = [];
    decodePng(readPngHeader(bytes, 'x'), 'x', (data, max) => {
      caps.push(max);
      return portableInflate(data, max);
    });
    expect(caps).toEqual([3 * (1 + 5 * 8)]);
  });
});
