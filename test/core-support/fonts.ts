import * as fontkit from 'fontkit';
import { LoadedFont } from '../../core/fonts/font.ts';
import { FONT_FILES, repoBytes, type FontKey } from './files.ts';

const loaded = new Map<string, LoadedFont>();

/** A LoadedFont for one of the repository fonts, loaded once per test process (keyed by id too). */
export function loadFont(key: FontKey, id: string = key): LoadedFont {
  const k = `${key}|${id}`;
  let f = loaded.get(k);
  if (!f) {
    f = new LoadedFont(id, repoBytes(FONT_FILES[key]));
    loaded.set(k, f);
  }
  return f;
}

const fkCache = new Map<string, fontkit.Font>();

/** fontkit's own view of a repository font: the independent reference for metrics and shaping. */
export function fontkitFont(key: FontKey): fontkit.Font {
  let f = fkCache.get(key);
  if (!f) {
    f = fontkit.create(Buffer.from(repoBytes(FONT_FILES[key]))) as fontkit.Font;
    fkCache.set(key, f);
  }
  return f;
}

/** fontkit parse of arbitrary font bytes (e.g. a subset). */
export function fontkitOf(bytes: Uint8Array): fontkit.Font {
  return fontkit.create(Buffer.from(bytes)) as fontkit.Font;
}

/** Width in points of a string drawn one glyph per code point (no kerning), from fontkit's advances. */
export function simpleWidth(fk: fontkit.Font, text: string, size: number, letterSpacingPt = 0): number {
  let w = 0;
  for (const ch of text) {
    const g = fk.glyphForCodePoint(ch.codePointAt(0)!);
    w += (g.advanceWidth * size) / fk.unitsPerEm + letterSpacingPt;
  }
  return w;
}
