import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function tool(cmd: string, args: string[]): ToolRun {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `qpdf --check`: a sound file exits 0 and prints nothing on stderr (warnings go there). */
export function qpdfCheck(file: string): ToolRun {
  return tool('qpdf', ['--check', file]);
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** `pdffonts`, parsed. */
export function pdfFonts(file: string): PdfFont[] {
  const r = tool('pdffonts', [file]);
  if (r.status !== 0) throw new Error(`pdffonts failed on ${file}: ${r.stderr}`);
  const lines = r.stdout.split('\n');
  const rule = lines.findIndex((l) => l.startsWith('----'));
  return lines
    .slice(rule + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      // name, type (may contain spaces), encoding, emb, sub, uni, object ID (two numbers)
      const m = /^(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(l);
      if (!m) throw new Error(`Cannot parse pdffonts line: ${l}`);
      return { name: m[1]!, type: m[2]!, embedded: m[4] === 'yes', subset: m[5] === 'yes', unicode: m[6] === 'yes' };
    });
}

/** `pdftotext` of the whole file (or one page). */
export function pdfText(file: string, page?: number): string {
  const r = tool('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-enc', 'UTF-8', file, '-']);
  if (r.status !== 0) throw new Error(`pdftotext failed on ${file}: ${r.stderr}`);
  return r.stdout;
}

/** `pdfinfo`, as key → value. */
export function pdfInfo(file: string): Record<string, string> {
  const r = tool('pdfinfo', ['-box', file]);
  if (r.status !== 0) throw new Error(`pdfinfo failed on ${file}: ${r.stderr}`);
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
  );
}

export interface Raster {
  width: number;
  height: number;
  /** RGB samples, 3 bytes per pixel, rows top to bottom. */
  data: Uint8Array;
}

/** Parses a binary PPM (P6, maxval 255). */
export function parsePpm(bytes: Uint8Array): Raster {
  let at = 0;
  const token = (): string => {
    for (;;) {
      while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]!))) at++;
      if (bytes[at] === 0x23) {
        while (at < bytes.length && bytes[at] !== 0x0a) at++;
        continue;
      }
      break;
    }
    const start = at;
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]!))) at++;
    return String.fromCharCode(...bytes.subarray(start, at));
  };
  const magic = token();
  const width = Number(token());
  const height = Number(token());
  const max = Number(token());
  if (magic !== 'P6' || max !== 255) throw new Error(`Not an 8-bit P6 PPM (${magic}, maxval ${max})`);
  at++; // the single whitespace after maxval
  return { width, height, data: bytes.subarray(at, at + width * height * 3) };
}

/**
 * Renders part of a page with pdftoppm. The region is in PDF points from
 * the top-left of the page's crop box (the media box for Lockup's files);
 * `dpi` 72 makes one pixel one point.
 */
export function renderRegion(file: string, region: { x: number; y: number; w: number; h: number }, options: { page?: number; dpi?: number } = {}): Raster {
  const dpi = options.dpi ?? 72;
  const page = options.page ?? 1;
  const s = dpi / 72;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-ppm-'));
  try {
    const prefix = path.join(dir, 'r');
    const args = ['-r', String(dpi), '-f', String(page), '-l', String(page), '-x', String(Math.round(region.x * s)), '-y', String(Math.round(region.y * s)), '-W', String(Math.round(region.w * s)), '-H', String(Math.round(region.h * s)), '-singlefile', file, prefix];
    const r = tool('pdftoppm', args);
    if (r.status !== 0) throw new Error(`pdftoppm failed on ${file}: ${r.stderr}`);
    return parsePpm(new Uint8Array(fs.readFileSync(`${prefix}.ppm`)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Pixels of a raster that satisfy `test`. */
export function countPixels(r: Raster, test: (red: number, green: number, blue: number) => boolean): number {
  let n = 0;
  for (let i = 0; i + 2 < r.data.length; i += 3) if (test(r.data[i]!, r.data[i + 1]!, r.data[i + 2]!)) n++;
  return n;
}

/** Runs every external check a delivered PDF must pass and returns what was found. */
export function inspectPdf(file: string) {
  return { qpdf: qpdfCheck(file), fonts: pdfFonts(file), text: pdfText(file) };
}
