import { describe, expect, it } from 'vitest';
import { portableCodec } from '../util/codec.ts';
import { decodePngRgba, preflightRaster, preflightVector, removeBackground, trimTransparent, type PreflightOptions, type RgbaImage } from './logo-preflight.ts';
import { encodePngRgba } from './png-encode.ts';

type Px = readonly [number, number, number, number];

function image(width: number, height: number, paint: (x: number, y: number) => Px): RgbaImage {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set(paint(x, y), (y * width + x) * 4);
  return { width, height, rgba };
}

const at = (img: RgbaImage, x: number, y: number) => Array.from(img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

/** A navy "logo": a filled rectangle with a red bar in it, from (40, 30) to (160, 90). */
const NAVY: Px = [11, 31, 68, 255];
const RED: Px = [200, 30, 40, 255];
const inLogo = (x: number, y: number) => x >= 40 && x < 160 && y >= 30 && y < 90;
const logoPx = (x: number, y: number): Px => (y >= 55 && y < 65 ? RED : NAVY);
const CLEAR: Px = [0, 0, 0, 0];
const checker = (size: number, a = 255, b = 204) => (x: number, y: number): Px => {
  const v = ((Math.floor(x / size) + Math.floor(y / size)) & 1) === 0 ? a : b;
  return [v, v, v, 255];
};

const options: PreflightOptions = {
  slots: [{ w: 144, h: 72, label: 'Product one-pager', print: true }],
  thresholds: { print: 300, screen: 96 },
  backgrounds: [
    { rgb: [255, 255, 255], label: 'page' },
    { rgb: [11, 31, 68], label: 'navy band' },
  ],
};

/** Round-trips through our encoder and decoder, as the backend does. */
const viaPng = (img: RgbaImage) => decodePngRgba(encodePngRgba(img.width, img.height, img.rgba, portableCodec.deflate), 'x.png', portableCodec.inflate);

const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code).sort();

describe('fake transparency checkerboard', () => {
  it.each([8, 10, 16])('is found in %i px squares, offered for removal, and removed to alpha 0 with the logo untouched', (size) => {
    const img = viaPng(image(200, 120, (x, y) => (inLogo(x, y) ? logoPx(x, y) : checker(size)(x, y))));
    const r = preflightRaster(img, options);
    expect(r.background).toBe('checkerboard');
    expect(r.findings.find((f) => f.code === 'logo-fake-transparency')).toMatchObject({ severity: 'error', fix: 'remove-checkerboard' });

    const fixed = viaPng(removeBackground(img, 'checkerboard'));
    for (const [x, y] of [[0, 0], [199, 119], [20, 60], [100, 10], [180, 100], [39, 29], [160, 90]] as const) expect(at(fixed, x, y)[3], `(${x}, ${y})`).toBe(0);
    for (let y = 30; y < 90; y += 7) for (let x = 40; x < 160; x += 9) expect(at(fixed, x, y)).toEqual([...logoPx(x, y)]);
    // The fixed logo is now transparent around, with padding to trim, and no checkerboard.
    const again = preflightRaster(fixed, options);
    expect(again.background).toBe('transparent');
    expect(codes(again)).toContain('logo-padding');
    expect(codes(again)).not.toContain('logo-fake-transparency');
  });

  it('is found with an offset grid and a darker grey (#999 / #666 is not light: refused; #E5E5E5 / #FFF is)', () => {
    const shifted = (x: number, y: number) => checker(12, 255, 229)(x + 5, y + 3);
    const r = preflightRaster(image(200, 120, (x, y) => (inLogo(x, y) ? logoPx(x, y) : shifted(x, y))), options);
    expect(r.background).toBe('checkerboard');
    const dark = preflightRaster(image(200, 120, (x, y) => (inLogo(x, y) ? logoPx(x, y) : checker(12, 153, 102)(x, y))), options);
    expect(codes(dark)).not.toContain('logo-fake-transparency');
  });

  it('false positive guard: a logo with a grey/white checker pattern in its centre, on a transparent or white background, is not flagged', () => {
    const pattern = (x: number, y: number): Px => (x >= 60 && x < 140 && y >= 40 && y < 80 ? checker(8)(x, y) : NAVY);
    const onClear = preflightRaster(image(200, 120, (x, y) => (inLogo(x, y) ? pattern(x, y) : CLEAR)), options);
    expect(codes(onClear)).not.toContain('logo-fake-transparency');
    expect(onClear.background).toBe('transparent');
    const onWhite = image(200, 120, (x, y) => (inLogo(x, y) ? pattern(x, y) : [255, 255, 255, 255]));
    const r = preflightRaster(onWhite, options);
    expect(codes(r)).not.toContain('logo-fake-transparency');
    expect(r.background).toBe('solid');
    // Removing the white box leaves the pattern inside the navy frame alone.
    const fixed = removeBackground(onWhite, 'solid');
    for (let y = 40; y < 80; y += 3) for (let x = 60; x < 140; x += 3) expect(at(fixed, x, y)).toEqual([...checker(8)(x, y)]);
  });

  it('false positive guard: a checkered strip along the top and left edges only (a racing-flag motif) is not a background', () => {
    const strip = (x: number, y: number): Px => (x < 16 || y < 16 ? checker(8)(x, y) : inLogo(x, y) ? NAVY : [255, 255, 255, 255]);
    const r = preflightRaster(image(200, 120, strip), options);
    expect(codes(r)).not.toContain('logo-fake-transparency');
    expect(() => removeBackground(image(200, 120, strip), 'checkerboard')).toThrow(/No fake transparency/);
  });

  it('a plain photo-like gradient border is neither checkerboard nor solid', () => {
    const r = preflightRaster(image(200, 120, (x, y) => [x, y * 2, 128, 255]), options);
    expect(r.background).toBe('none');
    expect(codes(r).filter((c) => c.startsWith('logo-fake') || c === 'logo-solid-background')).toEqual([]);
  });
});

describe('solid background', () => {
  it('a white box is found and removed: background alpha 0, logo pixels unchanged, anti-aliased edge un-blended', () => {
    const img = image(200, 120, (x, y) => {
      if (inLogo(x, y)) return logoPx(x, y);
      // A one-pixel anti-aliased column left of the logo: half navy, half white.
      if (x === 39 && y >= 30 && y < 90) return [133, 143, 162, 255];
      return [255, 255, 255, 255];
    });
    const r = preflightRaster(img, options);
    expect(r.background).toBe('solid');
    expect(r.backgroundColor).toBe('#FFFFFF');
    expect(r.findings.find((f) => f.code === 'logo-solid-background')).toMatchObject({ fix: 'remove-background' });
    const fixed = viaPng(removeBackground(img, 'solid'));
    expect(at(fixed, 0, 0)[3]).toBe(0);
    expect(at(fixed, 100, 10)[3]).toBe(0);
    for (let y = 30; y < 90; y += 5) for (let x = 40; x < 160; x += 5) expect(at(fixed, x, y)).toEqual([...logoPx(x, y)]);
    const edge = at(fixed, 39, 40);
    expect(edge.slice(0, 3)).toEqual([11, 31, 68]);
    expect(edge[3]).toBeGreaterThan(100);
    expect(edge[3]).toBeLessThan(155);
  });

  it('a near-white JPEG-like box with noise within tolerance is still one background', () => {
    const img = image(200, 120, (x, y) => (inLogo(x, y) ? logoPx(x, y) : [250 + ((x * 7 + y * 3) % 6), 252, 249 + ((x + y) % 5), 255]));
    expect(preflightRaster(img, options).background).toBe('solid');
  });

  it('an image that is only background is blank, not fixable', () => {
    const r = preflightRaster(image(100, 100, () => [240, 240, 240, 255]), options);
    expect(codes(r)).toContain('logo-blank');
    expect(r.findings.some((f) => f.fix)).toBe(false);
  });
});

describe('transparent padding', () => {
  it('is measured and trimmed to the visible pixels, exactly', () => {
    const img = viaPng(image(300, 200, (x, y) => (x >= 50 && x < 250 && y >= 70 && y < 130 ? NAVY : CLEAR)));
    const r = preflightRaster(img, options);
    expect(r.trim).toEqual({ x: 50, y: 70, width: 200, height: 60 });
    expect(r.findings.find((f) => f.code === 'logo-padding')).toMatchObject({ fix: 'trim' });
    const t = viaPng(trimTransparent(img));
    expect([t.width, t.height]).toEqual([200, 60]);
    expect(at(t, 0, 0)).toEqual([...NAVY]);
    expect(at(t, 199, 59)).toEqual([...NAVY]);
    expect(codes(preflightRaster(t, options))).not.toContain('logo-padding');
  });

  it('one pixel of padding is not worth a finding; a fully transparent image is an error', () => {
    const r = preflightRaster(image(200, 100, (x, y) => (x > 0 && y > 0 && x < 199 && y < 99 ? NAVY : CLEAR)), options);
    expect(codes(r)).not.toContain('logo-padding');
    expect(codes(preflightRaster(image(50, 50, () => CLEAR), options))).toEqual(['logo-empty']);
  });
});

describe('resolution at the largest slot', () => {
  it('a tiny logo is too low for screen; 400 px is enough for screen, not print; 600 px (300 ppi over 2 in) is enough', () => {
    const logo = (w: number, h: number) => image(w, h, () => NAVY);
    // The slot is 2 in × 1 in; a 2:1 logo fills its width.
    expect(preflightRaster(logo(48, 24), options).ppi).toEqual({ value: 24, slot: 'Product one-pager' });
    expect(preflightRaster(logo(48, 24), options).findings.find((f) => f.code === 'logo-resolution-low')?.severity).toBe('error');
    expect(codes(preflightRaster(logo(400, 200), options))).toContain('logo-resolution-print');
    expect(codes(preflightRaster(logo(600, 300), options)).filter((c) => c.startsWith('logo-resolution'))).toEqual([]);
    // A tall logo is limited by the slot's height: 100 px over 1 in.
    expect(preflightRaster(logo(50, 100), options).ppi?.value).toBe(100);
  });

  it('the largest of several slots decides; no slots, no ppi', () => {
    const many = { ...options, slots: [{ w: 72, h: 72, label: 'small', print: true }, { w: 288, h: 144, label: 'big', print: true }] };
    expect(preflightRaster(image(600, 300, () => NAVY), many).ppi).toEqual({ value: 150, slot: 'big' });
    expect(preflightRaster(image(600, 300, () => NAVY), { ...options, slots: [] }).ppi).toBeNull();
  });

  it('a screen-only slot (a social post, 1 px = 1 pt) holds the logo to the screen threshold, not print', () => {
    const social = { ...options, slots: [{ w: 600, h: 300, label: 'social', print: false }, { w: 144, h: 72, label: 'letter', print: true }] };
    // 600 px over 600 pt is 72 ppi: below the screen threshold, an error.
    expect(preflightRaster(image(600, 300, () => NAVY), social).findings.find((f) => f.code.startsWith('logo-resolution'))).toMatchObject({ code: 'logo-resolution-low', severity: 'error' });
    // 1200 px: 144 ppi on the social post is fine for screens; 600 ppi in the letter slot is fine for print.
    const r = preflightRaster(image(1200, 600, () => NAVY), social);
    expect(r.findings.filter((f) => f.code.startsWith('logo-resolution'))).toEqual([]);
    expect(r.ppi).toEqual({ value: 600, slot: 'letter' });
    // Only screen slots: no print warning however low, the ppi shown is the screen one.
    const screenOnly = preflightRaster(image(800, 400, () => NAVY), { ...options, slots: [social.slots[0]!] });
    expect(screenOnly.ppi).toEqual({ value: 96, slot: 'social' });
    expect(screenOnly.findings.filter((f) => f.code.startsWith('logo-resolution'))).toEqual([]);
  });
});

describe('contrast and variant', () => {
  const whiteLogo = image(200, 120, (x, y) => (inLogo(x, y) ? [255, 255, 255, 255] : CLEAR));
  const navyLogo = image(200, 120, (x, y) => (inLogo(x, y) ? NAVY : CLEAR));

  it('a white-on-transparent logo suits dark backgrounds and is nearly invisible on white', () => {
    const r = preflightRaster(whiteLogo, options);
    expect(r.bestOn).toBe('dark');
    expect(r.contrast!.light).toBeLessThan(1.5);
    expect(r.contrast!.dark).toBeGreaterThan(10);
    const inv = r.findings.filter((f) => f.code === 'logo-nearly-invisible');
    expect(inv).toHaveLength(1);
    expect(inv[0]!.message).toMatch(/light backgrounds.*#FFFFFF/);
  });

  it('a navy logo suits light backgrounds and is nearly invisible on the navy band', () => {
    const r = preflightRaster(navyLogo, options);
    expect(r.bestOn).toBe('light');
    const inv = r.findings.filter((f) => f.code === 'logo-nearly-invisible');
    expect(inv.map((f) => f.message)).toEqual([expect.stringMatching(/dark backgrounds.*#0B1F44 \(navy band\)/)]);
    expect(r.luminance).toBeLessThan(0.05);
  });

  it('the background of a boxed logo does not count in its contrast', () => {
    const boxed = image(200, 120, (x, y) => (inLogo(x, y) ? NAVY : [255, 255, 255, 255]));
    const r = preflightRaster(boxed, options);
    expect(r.contrast!.light).toBeGreaterThan(10);
  });
});

describe('limits and vectors', () => {
  it('a vector logo has nothing to check', () => {
    expect(preflightVector(120, 40)).toMatchObject({ vector: true, findings: [{ code: 'logo-vector', severity: 'info' }] });
  });

  it('a large image is sampled: deterministic and fast', () => {
    const big = image(3000, 2000, (x, y) => (x >= 600 && x < 2400 && y >= 500 && y < 1500 ? NAVY : checker(16)(x, y)));
    const t0 = performance.now();
    const a = preflightRaster(big, options);
    const ms = performance.now() - t0;
    expect(a.background).toBe('checkerboard');
    expect(preflightRaster(big, options)).toEqual(a);
    expect(ms).toBeLessThan(1500);
  });

  it('fixes refuse images they do not apply to', () => {
    expect(() => removeBackground(image(100, 100, (x, y) => [x, y, 0, 255]), 'solid')).toThrow(/No solid background/);
    expect(() => removeBackground(image(100, 100, () => [255, 255, 255, 255]), 'checkerboard')).toThrow(/No fake transparency/);
    expect(() => trimTransparent(image(10, 10, () => CLEAR))).toThrow(/transparent/);
    expect(() => trimTransparent(image(10, 10, () => NAVY))).toThrow(/no transparent padding/);
    expect(() => removeBackground(image(100, 100, () => NAVY), 'solid')).toThrow(/only a background/);
  });
});
