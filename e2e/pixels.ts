import zlib from 'node:zlib';
import { decodePng, readPngHeader } from '../core/images/png.ts';

export interface Bitmap {
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel. */
  rgb: Uint8Array;
}

export function decodePngFile(bytes: Uint8Array): Bitmap {
  const header = readPngHeader(bytes, 'image.png');
  const img = decodePng(header, 'image.png', (d, max) => new Uint8Array(zlib.inflateSync(d, { maxOutputLength: max })));
  let rgb = img.color;
  if (img.colors === 1) {
    rgb = new Uint8Array(img.width * img.height * 3);
    for (let i = 0; i < img.width * img.height; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = img.color[i]!;
  }
  if (img.alpha) {
    // Composite over white, as both renderers do for the page.
    for (let i = 0; i < img.width * img.height; i++) {
      const a = img.alpha[i]! / 255;
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round(rgb[i * 3 + c]! * a + 255 * (1 - a));
    }
  }
  return { width: img.width, height: img.height, rgb };
}

export function crop(b: Bitmap, x: number, y: number, width: number, height: number): Bitmap {
  const out = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row++) {
    out.set(b.rgb.subarray(((y + row) * b.width + x) * 3, ((y + row) * b.width + x + width) * 3), row * width * 3);
  }
  return { width, height, rgb: out };
}

/**
 * The share of pixels that differ beyond anti-aliasing: a pixel of `a`
 * counts as different only when no pixel within `radius` of the same place
 * in `b` is within `tolerance` on every channel (and the other way round).
 * Edge pixels that two rasterisers smooth differently therefore do not
 * count; a glyph, line or image in a different place does.
 */
export function differingShare(a: Bitmap, b: Bitmap, tolerance = 48, radius = 1): { share: number; differing: number; total: number } {
  const width = Math.min(a.width, b.width);
  const height = Math.min(a.height, b.height);
  const near = (p: Bitmap, q: Bitmap, x: number, y: number) => {
    const i = (y * p.width + x) * 3;
    for (let dy = -radius; dy <= radius; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -radius; dx <= radius; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width) continue;
        const j = (yy * q.width + xx) * 3;
        if (Math.abs(p.rgb[i]! - q.rgb[j]!) <= tolerance && Math.abs(p.rgb[i + 1]! - q.rgb[j + 1]!) <= tolerance && Math.abs(p.rgb[i + 2]! - q.rgb[j + 2]!) <= tolerance) return true;
      }
    }
    return false;
  };
  let differing = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!near(a, b, x, y) || !near(b, a, x, y)) differing++;
    }
  }
  return { share: differing / (width * height), differing, total: width * height };
}
