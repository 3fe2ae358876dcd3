import zlib from 'node:zlib';
import { pngChunk } from '../../core/images/png-encode.ts';

/**
 * The sample partner's logo for designer previews: a made-up mark drawn here
 * as PNG (no file to ship, no trademark to borrow), in a light-background and
 * a dark-background variant so previews pick the variant a real partner's
 * logo would get. 960 × 320 px: sharp enough that a preview never shows a
 * resolution finding caused by the sample itself at ordinary slot sizes.
 */
const W = 960;
const H = 320;
const SS = 4; // supersampling per axis, for smooth edges

type Rgba = [number, number, number, number];

interface Shape {
  color: Rgba;
  inside(x: number, y: number): boolean;
}

function circle(cx: number, cy: number, r: number, color: Rgba): Shape {
  return { color, inside: (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r };
}

function bar(x: number, y: number, w: number, h: number, color: Rgba): Shape {
  const r = h / 2;
  return {
    color,
    inside: (px, py) => {
      if (py < y || py > y + h) return false;
      const cx = Math.min(Math.max(px, x + r), x + w - r);
      return (px - cx) ** 2 + (py - (y + r)) ** 2 <= r * r;
    },
  };
}

function topmost(shapes: Shape[], x: number, y: number): number {
  for (let i = shapes.length - 1; i >= 0; i--) if (shapes[i]!.inside(x, y)) return i;
  return -1;
}

function render(shapes: Shape[]): Uint8Array {
  // The topmost shape at every pixel corner: a pixel whose four corners agree is one colour; only
  // pixels on an edge are supersampled (a few percent of them), which keeps this well under 100 ms.
  const corners = new Int8Array((W + 1) * (H + 1));
  for (let y = 0; y <= H; y++) for (let x = 0; x <= W; x++) corners[y * (W + 1) + x] = topmost(shapes, x, y);
  const raw = new Uint8Array(H * (1 + W * 4));
  for (let y = 0; y < H; y++) {
    const row = y * (1 + W * 4);
    raw[row] = 0; // filter: none
    for (let x = 0; x < W; x++) {
      const c = corners[y * (W + 1) + x]!;
      const uniform = c === corners[y * (W + 1) + x + 1] && c === corners[(y + 1) * (W + 1) + x] && c === corners[(y + 1) * (W + 1) + x + 1];
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      const n = uniform ? 1 : SS * SS;
      for (let k = 0; k < n; k++) {
        const i = uniform ? c : topmost(shapes, x + ((k % SS) + 0.5) / SS, y + (Math.floor(k / SS) + 0.5) / SS);
        if (i < 0) continue;
        const color = shapes[i]!.color;
        const alpha = color[3] / 255;
        r += color[0] * alpha;
        g += color[1] * alpha;
        b += color[2] * alpha;
        a += alpha;
      }
      const o = row + 1 + x * 4;
      // Colours are stored un-premultiplied, as PNG requires.
      raw[o] = a > 0 ? Math.round(r / a) : 0;
      raw[o + 1] = a > 0 ? Math.round(g / a) : 0;
      raw[o + 2] = a > 0 ? Math.round(b / a) : 0;
      raw[o + 3] = Math.round((a / n) * 255);
    }
  }
  return encodePng(raw);
}

function encodePng(raw: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, W);
  v.setUint32(4, H);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method variants, no interlace
  const idat = zlib.deflateSync(raw, { level: 9 });
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', new Uint8Array(idat.buffer, idat.byteOffset, idat.byteLength)), pngChunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function logo(mark: Rgba, accent: Rgba, text: Rgba, muted: Rgba): Uint8Array {
  return render([
    circle(160, 160, 128, mark),
    circle(206, 128, 62, accent),
    circle(222, 116, 34, mark),
    bar(340, 92, 560, 70, text),
    bar(340, 194, 380, 38, muted),
  ]);
}

let cached: { light: Uint8Array; dark: Uint8Array } | undefined;

/** PNG bytes of the sample partner logo for light and dark backgrounds (made once per process). */
export function sampleLogos(): { light: Uint8Array; dark: Uint8Array } {
  cached ??= {
    light: logo([15, 118, 110, 255], [255, 255, 255, 255], [17, 24, 39, 255], [100, 116, 139, 255]),
    dark: logo([94, 234, 212, 255], [15, 23, 42, 0], [255, 255, 255, 255], [203, 213, 225, 255]),
  };
  return cached;
}

let cachedDistributor: { light: Uint8Array; dark: Uint8Array } | undefined;

/** PNG bytes of the sample distributor's logo (another mark and colour, so a preview tells the two apart). */
export function sampleDistributorLogos(): { light: Uint8Array; dark: Uint8Array } {
  cachedDistributor ??= {
    light: logo([194, 65, 12, 255], [255, 255, 255, 255], [17, 24, 39, 255], [120, 113, 108, 255]),
    dark: logo([251, 146, 60, 255], [15, 23, 42, 0], [255, 255, 255, 255], [214, 211, 209, 255]),
  };
  return cachedDistributor;
}
