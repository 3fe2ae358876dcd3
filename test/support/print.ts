import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodePng, readPngHeader } from '../../core/images/png.ts';
import { nodeInflate } from '../../backend/assets/image-store.ts';

/** External checks of print PDFs, and golden renders. */

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Ghostscript interprets every page and stops on the first error. */
export function ghostscriptCheck(file: string) {
  return run('gs', ['-q', '-dPDFSTOPONERROR', '-sDEVICE=nullpage', '-dBATCH', '-dNOPAUSE', '-dSAFER', file]);
}

export interface PdfImageRow {
  page: number;
  type: string;
  width: number;
  height: number;
  color: string;
  xPpi: number;
  yPpi: number;
}

/** `pdfimages -list`, parsed. */
export function pdfImages(file: string): { rows: PdfImageRow[]; stdout: string; stderr: string } {
  const r = run('pdfimages', ['-list', file]);
  if (r.status !== 0) throw new Error(`pdfimages failed on ${file}: ${r.stderr}`);
  const rows = r.stdout
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const c = l.trim().split(/\s+/);
      // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
      return { page: Number(c[0]), type: c[2]!, width: Number(c[3]), height: Number(c[4]), color: c[5]!, xPpi: Number(c[12]), yPpi: Number(c[13]) };
    });
  return { rows, stdout: r.stdout, stderr: r.stderr };
}

/** A box line of `pdfinfo -box` ("0.00 0.00 675.35 855.35") as [x0, y0, x1, y1]. */
export function parseBox(text: string | undefined): number[] {
  if (!text) throw new Error('no such box');
  return text.trim().split(/\s+/).map(Number);
}

export interface Rgb8 {
  width: number;
  height: number;
  /** 3 bytes per pixel. */
  data: Uint8Array;
}

/** Decodes an 8-bit RGB or gray PNG (what pdftoppm writes) to RGB. */
export function readPng(file: string): Rgb8 {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const img = decodePng(readPngHeader(bytes, path.basename(file)), path.basename(file), nodeInflate);
  if (img.colors === 3) return { width: img.width, height: img.height, data: img.color };
  const data = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) data.fill(img.color[i]!, i * 3, i * 3 + 3);
  return { width: img.width, height: img.height, data };
}

/** Renders page 1 of a PDF to a PNG file with pdftoppm (media box, anti-aliased). */
export function renderPng(pdf: string, out: string, dpi: number): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-golden-'));
  try {
    const r = run('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-png', '-singlefile', pdf, path.join(dir, 'p')]);
    if (r.status !== 0) throw new Error(`pdftoppm failed on ${pdf}: ${r.stderr}`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.copyFileSync(path.join(dir, 'p.png'), out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Pixels of `b` that differ from `a` by more than `threshold` in any channel
 * (0–255). Images of different sizes differ everywhere.
 */
export function diffPixels(a: Rgb8, b: Rgb8, threshold: number): number {
  if (a.width !== b.width || a.height !== b.height) return Math.max(a.width * a.height, b.width * b.height);
  let n = 0;
  for (let i = 0; i < a.data.length; i += 3) {
    if (Math.abs(a.data[i]! - b.data[i]!) > threshold || Math.abs(a.data[i + 1]! - b.data[i + 1]!) > threshold || Math.abs(a.data[i + 2]! - b.data[i + 2]!) > threshold) n++;
  }
  return n;
}
