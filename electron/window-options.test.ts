import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listFilesDeep, tempDir } from '../test/support/temp.ts';
import {
  BACKGROUND,
  DEFAULT_SIZE,
  MIN_SIZE,
  WINDOW_STATE_FILE,
  parseWindowState,
  readWindowState,
  restoreBounds,
  windowOptions,
  writeWindowState,
  type DisplayLike,
  type Rect,
} from './window-options.ts';

const primary: DisplayLike = { workArea: { x: 0, y: 0, width: 1920, height: 1050 } };
const left: DisplayLike = { workArea: { x: -1440, y: 120, width: 1440, height: 900 } };
const small: DisplayLike = { workArea: { x: 0, y: 0, width: 800, height: 560 } };

function inside(r: Rect, area: Rect): boolean {
  return r.x >= area.x && r.y >= area.y && r.x + r.width <= area.x + area.width && r.y + r.height <= area.y + area.height;
}

describe('window options', () => {
  const base = { preloadPath: '/app/dist/electron/preload.cjs', state: { maximized: false }, displays: [primary], primaryDisplay: primary, darkMode: false, devTools: false };

  it('sets every web preference explicitly: sandboxed, isolated, no Node, web security on', () => {
    expect(windowOptions(base).webPreferences).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
    });
    expect(windowOptions({ ...base, devTools: true }).webPreferences?.devTools).toBe(true);
  });

  it('stays hidden until ready-to-show, with the background of the OS colour scheme', () => {
    expect(windowOptions(base).show).toBe(false);
    expect(windowOptions(base).title).toBe('Lockup');
    expect(windowOptions({ ...base, darkMode: false }).backgroundColor).toBe(BACKGROUND.light);
    expect(windowOptions({ ...base, darkMode: true }).backgroundColor).toBe(BACKGROUND.dark);
  });

  it('opens at the remembered bounds, and at the default size centred on the primary display without them', () => {
    const saved = { x: 100, y: 80, width: 1400, height: 900 };
    expect(windowOptions({ ...base, state: { bounds: saved, maximized: false } })).toMatchObject(saved);
    expect(windowOptions(base)).toMatchObject({ width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height, x: (1920 - DEFAULT_SIZE.width) / 2, y: (1050 - DEFAULT_SIZE.height) / 2 });
  });
});

describe('restoreBounds', () => {
  it('keeps bounds that fit a display', () => {
    expect(restoreBounds({ x: 10, y: 10, width: 1000, height: 700 }, [primary], primary)).toEqual({ x: 10, y: 10, width: 1000, height: 700 });
    expect(restoreBounds({ x: -1300, y: 200, width: 1000, height: 700 }, [primary, left], primary)).toEqual({ x: -1300, y: 200, width: 1000, height: 700 });
  });

  it('moves a window hanging off the edge fully onto its display', () => {
    expect(restoreBounds({ x: 1500, y: 900, width: 1000, height: 700 }, [primary], primary)).toEqual({ x: 920, y: 350, width: 1000, height: 700 });
  });

  it('shrinks a window larger than its display', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 4000, height: 3000 }, [primary], primary)).toEqual({ x: 0, y: 0, width: 1920, height: 1050 });
    expect(restoreBounds({ x: 0, y: 0, width: 1000, height: 700 }, [small], small)).toEqual({ x: 0, y: 0, width: 800, height: 560 });
  });

  it('grows a remembered window below the minimum size (as far as the display allows)', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 200, height: 100 }, [primary], primary)).toMatchObject({ width: MIN_SIZE.width, height: MIN_SIZE.height });
  });

  it('centres on the primary display when the saved display is gone or only a sliver was visible', () => {
    const centred = { x: (1920 - DEFAULT_SIZE.width) / 2, y: (1050 - DEFAULT_SIZE.height) / 2, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height };
    // Saved on the left monitor, which is now unplugged.
    expect(restoreBounds({ x: -1300, y: 200, width: 1000, height: 700 }, [primary], primary)).toEqual(centred);
    // 50 px of the window left on screen: too little to grab the title bar.
    expect(restoreBounds({ x: 1870, y: 100, width: 1000, height: 700 }, [primary], primary)).toEqual(centred);
    expect(restoreBounds(undefined, [primary], primary)).toEqual(centred);
  });

  it('picks the display holding most of the window', () => {
    const r = restoreBounds({ x: -300, y: 300, width: 1000, height: 600 }, [primary, left], primary);
    expect(inside(r, primary.workArea)).toBe(true);
  });

  it('always returns bounds inside one display, whatever was saved and however displays are arranged', () => {
    const rect = fc.record({
      x: fc.integer({ min: -5000, max: 5000 }),
      y: fc.integer({ min: -5000, max: 5000 }),
      width: fc.integer({ min: 1, max: 6000 }),
      height: fc.integer({ min: 1, max: 6000 }),
    });
    const display = fc.record({ workArea: rect.filter((r) => r.width >= 200 && r.height >= 150) });
    fc.assert(
      fc.property(fc.option(rect, { nil: undefined }), fc.array(display, { minLength: 1, maxLength: 4 }), (saved, displays) => {
        const r = restoreBounds(saved, displays, displays[0]!);
        expect(displays.some((d) => inside(r, d.workArea))).toBe(true);
        expect(r.width).toBeGreaterThan(0);
        expect(r.height).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('window state file', () => {
  it('reads defaults when the file is missing, corrupt or malformed', () => {
    const dir = tempDir();
    expect(readWindowState(dir)).toEqual({ maximized: false });
    for (const text of ['', '{', 'null', '[]', '"x"', '42', '{"bounds":"big"}', '{"bounds":{"x":"1","y":0,"width":10,"height":10}}', '{"bounds":{"x":0,"y":0,"width":-5,"height":10}}', '{"bounds":{"x":0.5,"y":0,"width":10,"height":10}}', '{"bounds":{"x":1e300,"y":0,"width":10,"height":10}}', '{"bounds":{"x":0,"y":0,"width":0,"height":10}}']) {
      fs.writeFileSync(path.join(dir, WINDOW_STATE_FILE), text);
      expect(readWindowState(dir), text).toEqual({ maximized: false });
    }
    fs.writeFileSync(path.join(dir, WINDOW_STATE_FILE), '{"maximized":true,"bounds":null}');
    expect(readWindowState(dir)).toEqual({ maximized: true });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const s = parseWindowState(text);
        expect(typeof s.maximized).toBe('boolean');
      }),
    );
  });

  it('writes and reads back the bounds and the maximized flag, leaving no temporary file', () => {
    const dir = tempDir();
    const state = { bounds: { x: -20, y: 40, width: 1300, height: 880 }, maximized: true };
    writeWindowState(dir, state);
    expect(readWindowState(dir)).toEqual(state);
    expect(listFilesDeep(dir)).toEqual([WINDOW_STATE_FILE]);
  });

  it('ignores a state folder it cannot write to', () => {
    const dir = tempDir();
    const file = path.join(dir, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    expect(() => writeWindowState(file, { maximized: false })).not.toThrow();
  });
});
