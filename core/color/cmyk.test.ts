import { describe, expect, it } from 'vitest';
import { cmykToHex, cmykToSrgb, CMYK_WARN_DELTA_E, deltaE2000, deltaE76, paletteAgreement, srgbToLab, suggestCmyk, type Cmyk, type Lab, type Rgb } from './cmyk.ts';

describe('CIEDE2000', () => {
  // Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula": test pairs and expected ΔE00.
  const SHARMA: [Lab, Lab, number][] = [
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 3.1571, -77.2803], [50, 0, -82.7485], 2.8615],
    [[50, -1.3802, -84.2814], [50, 0, -82.7485], 1.0],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[50, 2.49, -0.001], [50, -2.49, 0.0009], 7.1792],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[50, 2.5, 0], [50, 3.1736, 0.5854], 1.0],
    [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
    [[22.7233, 20.0904, -46.694], [23.0331, 14.973, -42.5619], 2.0373],
    [[90.9257, -0.5406, -0.9208], [88.6381, -0.8985, -0.7239], 1.5381],
    [[2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514], 0.9082],
  ];
  it.each(SHARMA)('%j vs %j is %d', (p, q, expected) => {
    expect(deltaE2000(p, q)).toBeCloseTo(expected, 4);
    expect(deltaE2000(q, p)).toBeCloseTo(expected, 4);
  });

  it('is 0 for equal colours; CIE76 is the Euclidean distance', () => {
    expect(deltaE2000([40, 10, -20], [40, 10, -20])).toBe(0);
    expect(deltaE76([50, 0, 0], [53, 4, 0])).toBe(5);
  });
});

describe('sRGB → CIELAB', () => {
  it('white is L 100, black L 0, mid grey neutral', () => {
    const white = srgbToLab([255, 255, 255]);
    expect(white[0]).toBeCloseTo(100, 3);
    expect(Math.abs(white[1]) + Math.abs(white[2])).toBeLessThan(0.01);
    expect(srgbToLab([0, 0, 0])).toEqual([0, 0, 0]);
    const grey = srgbToLab([119, 119, 119]);
    expect(grey[0]).toBeCloseTo(50.03, 1);
    expect(Math.abs(grey[1]) + Math.abs(grey[2])).toBeLessThan(0.01);
  });

  it('matches published values for sRGB red and blue', () => {
    const red = srgbToLab([255, 0, 0]);
    expect(red[0]).toBeCloseTo(53.24, 1);
    expect(red[1]).toBeCloseTo(80.09, 1);
    expect(red[2]).toBeCloseTo(67.2, 1);
    const blue = srgbToLab([0, 0, 255]);
    expect(blue[0]).toBeCloseTo(32.3, 1);
    expect(blue[2]).toBeCloseTo(-107.86, 1);
  });
});

describe('CMYK print estimate', () => {
  const de = (a: Rgb, b: Rgb) => deltaE2000(srgbToLab(a), srgbToLab(b));

  it('reproduces the 16 overprints exactly', () => {
    expect(cmykToHex([0, 0, 0, 0])).toBe('#FFFFFF');
    expect(cmykToHex([100, 0, 0, 0])).toBe('#00AEEF');
    expect(cmykToHex([0, 100, 0, 0])).toBe('#EC008C');
    expect(cmykToHex([0, 0, 100, 0])).toBe('#FFF200');
    expect(cmykToHex([0, 0, 0, 100])).toBe('#231F20');
    expect(cmykToHex([100, 100, 0, 0])).toBe('#2E3092');
  });

  // Mid-tones Ghostscript 10 renders with its default CMYK profile (the model's reference), not used to build it.
  const REFERENCE: [Cmyk, Rgb][] = [
    [[0, 0, 0, 50], [147, 149, 152]],
    [[50, 0, 0, 0], [109, 207, 246]],
    [[50, 50, 50, 0], [143, 128, 125]],
    [[75, 25, 0, 25], [20, 123, 172]],
    [[25, 75, 50, 0], [193, 97, 108]],
    [[0, 25, 75, 0], [254, 195, 90]],
    [[100, 75, 0, 0], [0, 84, 166]],
    [[25, 25, 25, 75], [73, 70, 70]],
    [[75, 0, 100, 25], [38, 144, 58]],
  ];
  it.each(REFERENCE)('%j is within 6 ΔE00 of the reference %j', (cmyk, rgb) => {
    expect(de(cmykToSrgb(cmyk), rgb)).toBeLessThan(6);
  });

  it('more ink never makes a colour lighter', () => {
    for (let ink = 0; ink < 4; ink++) {
      let last = Infinity;
      for (let v = 0; v <= 100; v += 10) {
        const cmyk: [number, number, number, number] = [20, 20, 20, 20];
        cmyk[ink] = v;
        const L = srgbToLab(cmykToSrgb(cmyk))[0];
        expect(L).toBeLessThanOrEqual(last + 1e-9);
        last = L;
      }
    }
  });

  it('clamps out-of-range and non-finite values', () => {
    expect(cmykToSrgb([-20, 0, 0, 0])).toEqual(cmykToSrgb([0, 0, 0, 0]));
    expect(cmykToSrgb([150, 0, 0, 0])).toEqual(cmykToSrgb([100, 0, 0, 0]));
    expect(cmykToSrgb([Number.NaN, 0, 0, 0])).toEqual(cmykToSrgb([0, 0, 0, 0]));
  });
});

describe('paletteAgreement', () => {
  it('accepts published brand specifications (hex and CMYK from the same swatch)', () => {
    const SPECS: [string, Cmyk][] = [
      ['#00AEEF', [100, 0, 0, 0]], // process cyan: 27 ΔE00 away under the naive formula
      ['#F7941D', [0, 50, 100, 0]],
      ['#0033A0', [100, 75, 0, 0]],
      ['#00704A', [100, 0, 80, 40]],
      ['#1DB954', [73, 0, 83, 0]],
      ['#000000', [60, 40, 40, 100]],
      ['#FFFFFF', [0, 0, 0, 0]],
      // The demo brand's palette.
      ['#0B5FFF', [90, 60, 0, 0]],
      ['#0B1F44', [84, 55, 0, 73]],
      ['#4A5568', [30, 18, 0, 60]],
      ['#FFB547', [0, 32, 78, 0]],
    ];
    for (const [hex, cmyk] of SPECS) {
      const a = paletteAgreement(hex, cmyk)!;
      expect(a.far, `${hex} ${cmyk.join('/')} ΔE00 ${a.deltaE.toFixed(1)}`).toBe(false);
    }
  });

  it('warns on a typo, swapped values or another colour, with the ΔE and the printed swatch', () => {
    const typo = paletteAgreement('#0B5FFF', [9, 60, 0, 0])!;
    expect(typo.far).toBe(true);
    expect(typo.deltaE).toBeGreaterThan(CMYK_WARN_DELTA_E);
    expect(typo.cmykHex).toMatch(/^#[0-9A-F]{6}$/);
    expect(paletteAgreement('#FF0000', [100, 60, 0, 0])!.far).toBe(true);
    expect(paletteAgreement('#1A1A1A', [90, 0, 0, 0])!.far).toBe(true);
  });

  it('takes its threshold as a parameter and ignores hex that is not #RRGGBB', () => {
    expect(paletteAgreement('#F7941D', [0, 50, 100, 0], 0.5)!.far).toBe(true);
    expect(paletteAgreement('#abc', [0, 0, 0, 0])).toBeUndefined();
    expect(paletteAgreement('red', [0, 0, 0, 0])).toBeUndefined();
    expect(paletteAgreement(' #FFFFFF', [0, 0, 0, 0])).toBeUndefined();
  });
});

describe('suggestCmyk', () => {
  it('proposes whole percentages that print close to in-gamut colours', () => {
    for (const hex of ['#00AEEF', '#F7941D', '#4A5568', '#231F20', '#FFFFFF', '#EEF3FB', '#0033A0']) {
      const cmyk = suggestCmyk(hex)!;
      for (const v of cmyk) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(100);
      }
      expect(paletteAgreement(hex, cmyk)!.deltaE, `${hex} → ${cmyk.join('/')}`).toBeLessThan(5);
    }
  });

  it('never does worse than the agreement threshold for saturated screen colours, and refuses junk', () => {
    for (const hex of ['#0B5FFF', '#FF0000', '#7CC4FF']) expect(paletteAgreement(hex, suggestCmyk(hex)!)!.far).toBe(false);
    expect(suggestCmyk('#12')).toBeUndefined();
  });
});
