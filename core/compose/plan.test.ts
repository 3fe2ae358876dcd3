import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedFont } from '../fonts/font.ts';
import { layoutText } from '../text/layout.ts';
import { loadFont } from '../../test/core-support/fonts.ts';
import { glyphsByFont, type RenderPlan } from './plan.ts';

let lato: LoadedFont;
let noto: LoadedFont;
beforeAll(() => {
  lato = loadFont('lato-regular', 'lato');
  noto = loadFont('noto-arabic-regular', 'noto');
});

const st = { size: 12, lineHeight: 1.2, align: 'left', valign: 'top', letterSpacing: 0, transform: 'none', paragraphSpacing: 0 } as const;

describe('glyphsByFont', () => {
  it('collects the glyph ids of every text run per font, across pages', () => {
    const a = layoutText('ABBA', st, { primary: lato, fallbacks: () => [] }, { width: 500, height: 50 }, { multiline: false, overflow: 'refuse' });
    const b = layoutText('Al شركة', st, { primary: lato, fallbacks: () => [noto] }, { width: 500, height: 50 }, { multiline: false, overflow: 'refuse' });
    const plan: RenderPlan = {
      width: 100,
      height: 100,
      bleed: 0,
      meta: { title: '', author: '', subject: '', keywords: [] },
      pages: [
        { background: undefined, items: [{ type: 'text', zoneId: 'a', static: true, origin: { x: 0, y: 0 }, layout: a, color: { rgb: [0, 0, 0] } }] },
        {
          background: undefined,
          items: [
            { type: 'fill', zoneId: 'f', static: true, rect: { x: 0, y: 0, w: 1, h: 1 }, shape: 'rect', radius: 0, color: { rgb: [0, 0, 0] } },
            { type: 'text', zoneId: 'b', static: false, origin: { x: 0, y: 0 }, layout: b, color: { rgb: [0, 0, 0] } },
          ],
        },
      ],
    };
    const m = glyphsByFont(plan);
    expect([...m.keys()].map((f) => f.id).sort()).toEqual(['lato', 'noto']);
    const g = (c: string) => lato.glyphId(c.codePointAt(0)!);
    expect([...m.get(lato)!].sort((x, y) => x - y)).toEqual([g('A'), g('B'), g('l'), g(' ')].sort((x, y) => x - y));
    const notoGlyphs = b.lines[0]!.runs.filter((r) => r.font === noto).flatMap((r) => r.glyphs.map((x) => x.gid));
    expect([...m.get(noto)!].sort()).toEqual([...new Set(notoGlyphs)].sort());
  });
});
