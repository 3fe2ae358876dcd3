/**
 * The BrowserWindow options, and the remembered window position, as plain
 * functions of their inputs (displays, the state file, the OS colour scheme).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds?: Rect;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1280, height: 840 } as const;
export const MIN_SIZE = { width: 960, height: 640 } as const;
/** How much of a saved window must be on a display for it to reopen there (enough to grab the title bar). */
export const MIN_VISIBLE = { width: 120, height: 48 } as const;
export const BACKGROUND = { light: '#ffffff', dark: '#1e1f22' } as const;

export interface DisplayLike {
  workArea: Rect;
}

function isFiniteInt(n: unknown, min: number, max: number): n is number {
  return typeof n === 'number' && Number.isFinite(n) && Number.isInteger(n) && n >= min && n <= max;
}

function toRect(value: unknown): Rect | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  const limit = 1_000_000;
  if (!isFiniteInt(r['x'], -limit, limit) || !isFiniteInt(r['y'], -limit, limit)) return undefined;
  if (!isFiniteInt(r['width'], 1, limit) || !isFiniteInt(r['height'], 1, limit)) return undefined;
  return { x: r['x'], y: r['y'], width: r['width'], height: r['height'] };
}

/** The state saved in the file's JSON text; anything unreadable or malformed gives the defaults. */
export function parseWindowState(text: string | undefined): WindowState {
  if (text === undefined) return { maximized: false };
  try {
    const data = JSON.parse(text) as unknown;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return { maximized: false };
    const d = data as Record<string, unknown>;
    const bounds = toRect(d['bounds']);
    return bounds ? { bounds, maximized: d['maximized'] === true } : { maximized: d['maximized'] === true };
  } catch {
    return { maximized: false };
  }
}

export function readWindowState(dataDir: string, read: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): WindowState {
  let text: string | undefined;
  try {
    text = read(path.join(dataDir, WINDOW_STATE_FILE));
  } catch {
    text = undefined;
  }
  return parseWindowState(text);
}

/** Writes the state (temp file + rename, so a crash never leaves half a file). Failures are ignored: it is only a convenience. */
export function writeWindowState(dataDir: string, state: WindowState): void {
  const file = path.join(dataDir, WINDOW_STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(tmp, `${JSON.stringify(state)}\n`);
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

function centred(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return { x: area.x + Math.round((area.width - w) / 2), y: area.y + Math.round((area.height - h) / 2), width: w, height: h };
}

/**
 * Where the window opens: the saved bounds when enough of them is on some
 * display (then shrunk to fit and moved fully inside that display's work
 * area), else the default size centred on the primary display.
 */
export function restoreBounds(saved: Rect | undefined, displays: readonly DisplayLike[], primary: DisplayLike): Rect {
  if (saved) {
    let best: DisplayLike | undefined;
    let bestArea = 0;
    for (const d of displays) {
      const o = overlap(saved, d.workArea);
      if (o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height && o.width * o.height > bestArea) {
        best = d;
        bestArea = o.width * o.height;
      }
    }
    if (best) {
      const area = best.workArea;
      const width = Math.min(Math.max(saved.width, Math.min(MIN_SIZE.width, area.width)), area.width);
      const height = Math.min(Math.max(saved.height, Math.min(MIN_SIZE.height, area.height)), area.height);
      const x = Math.min(Math.max(saved.x, area.x), area.x + area.width - width);
      const y = Math.min(Math.max(saved.y, area.y), area.y + area.height - height);
      return { x, y, width, height };
    }
  }
  return centred(primary.workArea, DEFAULT_SIZE.width, DEFAULT_SIZE.height);
}

export interface WindowOptionsInput {
  preloadPath: string;
  state: WindowState;
  displays: readonly DisplayLike[];
  primaryDisplay: DisplayLike;
  darkMode: boolean;
  /** DevTools available (unpackaged builds). */
  devTools: boolean;
}

/** The renderer's web preferences. Every one is set explicitly, even where it is Electron's default. */
export function webPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
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
    devTools,
  };
}

export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const bounds = restoreBounds(input.state.bounds, input.displays, input.primaryDisplay);
  return {
    ...bounds,
    minWidth: Math.min(MIN_SIZE.width, input.primaryDisplay.workArea.width),
    minHeight: Math.min(MIN_SIZE.height, input.primaryDisplay.workArea.height),
    title: 'Lockup',
    show: false,
    backgroundColor: input.darkMode ? BACKGROUND.dark : BACKGROUND.light,
    webPreferences: webPreferences(input.preloadPath, input.devTools),
  };
}
