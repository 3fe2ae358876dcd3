import * as fontkit from 'fontkit';
import { LockupError } from '../errors.ts';
import { parseSfnt, readAdvances, type Sfnt } from './sfnt.ts';
import { readLoca, subsetTrueType, type GlyphLocator } from './subset.ts';

/** A glyph placed by shaping, in font units. `cps` are the code points it stands for. */
export interface ShapedGlyph {
  gid: number;
  advance: number;
  dx: number;
  dy: number;
  cps: readonly number[];
}

export interface FontMetrics {
  unitsPerEm: number;
  /** hhea ascender, font units, positive up. */
  ascent: number;
  /** hhea descender as a positive distance below the baseline. */
  descent: number;
  capHeight: number;
  italicAngle: number;
  bbox: [number, number, number, number];
  postscriptName: string;
  familyName: string;
  fixedPitch: boolean;
}

const SUBSET_CACHE_SIZE = 32;

/**
 * A TrueType font loaded once per process: metrics, cmap lookups, shaping for
 * complex scripts (fontkit) and fast id-preserving subsets (cached).
 */
export class LoadedFont {
  readonly id: string;
  readonly bytes: Uint8Array;
  readonly metrics: FontMetrics;
  readonly numGlyphs: number;
  private readonly fk: fontkit.Font;
  private readonly sfnt: Sfnt;
  private readonly loca: GlyphLocator;
  private readonly advances: Uint16Array;
  private readonly cmap = new Map<number, number>();
  private readonly subsets = new Map<string, Uint8Array>();

  constructor(id: string, bytes: Uint8Array) {
    this.id = id;
    this.bytes = bytes;
    this.sfnt = parseSfnt(bytes, id);
    this.loca = readLoca(this.sfnt);
    this.numGlyphs = this.loca.numGlyphs;
    let fk: fontkit.Font | fontkit.FontCollection;
    try {
      fk = fontkit.create(bytes as unknown as Buffer);
    } catch (err) {
      throw new LockupError('font-invalid', `Font "${id}" cannot be read: ${(err as Error).message}`);
    }
    if (!('unitsPerEm' in fk)) throw new LockupError('font-unsupported', `Font "${id}" is a collection; use a single font`);
    this.fk = fk;
    this.advances = readAdvances(this.sfnt, this.numGlyphs);
    const hhea = fk.hhea;
    const os2 = fk['OS/2'] as { capHeight?: number } | undefined;
    const bbox = fk.bbox;
    this.metrics = {
      unitsPerEm: fk.unitsPerEm,
      ascent: hhea.ascent,
      descent: Math.abs(hhea.descent),
      capHeight: os2?.capHeight || Math.round(hhea.ascent * 0.7),
      italicAngle: fk.italicAngle || 0,
      bbox: [bbox.minX, bbox.minY, bbox.maxX, bbox.maxY],
      postscriptName: (fk.postscriptName || id).replace(/[^A-Za-z0-9-]/g, ''),
      familyName: fk.familyName || id,
      fixedPitch: Boolean((fk as unknown as { post?: { isFixedPitch?: number } }).post?.isFixedPitch),
    };
  }

  /** Glyph id for a code point; 0 (.notdef) when the font cannot draw it. */
  glyphId(cp: number): number {
    let g = this.cmap.get(cp);
    if (g === undefined) {
      g = this.fk.hasGlyphForCodePoint(cp) ? this.fk.glyphForCodePoint(cp).id : 0;
      this.cmap.set(cp, g);
    }
    return g;
  }

  has(cp: number): boolean {
    return this.glyphId(cp) !== 0;
  }

  advance(gid: number): number {
    return this.advances[gid] ?? 0;
  }

  /** Maps code points one to one (no kerning, no ligatures): for scripts that need no shaping. */
  mapSimple(cps: readonly number[]): ShapedGlyph[] {
    return cps.map((cp) => {
      const gid = this.glyphId(cp);
      return { gid, advance: this.advance(gid), dx: 0, dy: 0, cps: [cp] };
    });
  }

  /**
   * Shapes a run with OpenType (joining, mark positioning) for scripts that
   * need it. Glyphs come back in visual order (right-to-left runs reversed).
   */
  shape(text: string): ShapedGlyph[] {
    const run = this.fk.layout(text);
    return run.glyphs.map((g, i) => {
      const p = run.positions[i]!;
      return { gid: g.id, advance: p.xAdvance, dx: p.xOffset, dy: p.yOffset, cps: g.codePoints };
    });
  }

  /** A subset font program keeping glyph ids stable (see subsetTrueType). Cached by glyph set. */
  subset(gids: ReadonlySet<number>): Uint8Array {
    const sorted = [...gids].sort((a, b) => a - b);
    const key = sorted.join(',');
    let hit = this.subsets.get(key);
    if (hit) {
      this.subsets.delete(key);
      this.subsets.set(key, hit);
      return hit;
    }
    hit = subsetTrueType(this.sfnt, this.loca, sorted);
    this.subsets.set(key, hit);
    if (this.subsets.size > SUBSET_CACHE_SIZE) this.subsets.delete(this.subsets.keys().next().value!);
    return hit;
  }
}
