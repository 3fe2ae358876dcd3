/**
 * The app:// scheme: the window loads app://lockup/index.html and its assets
 * from dist/renderer/, with the same Content-Security-Policy the browser host
 * sends. The page is a secure, standard origin of its own — not file://, so
 * it gets none of file://'s extra privileges and cannot read other files.
 *
 * `resolveAppPath` (URL → file) and `serveAppRequest` (file → status, headers,
 * body) are plain functions; electron/main.ts registers them with
 * `protocol.handle`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { RENDERER_CSP } from '../backend/web/host.ts';
import { APP_HOST, APP_SCHEME } from './security.ts';

/** Registered before the app is ready (protocol.registerSchemesAsPrivileged). */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

export const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.bcmap': 'application/octet-stream',
});

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

export type Resolution = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 403 | 404; reason: string };

type PathApi = Pick<typeof path, 'resolve' | 'relative' | 'isAbsolute' | 'extname' | 'sep'>;

/**
 * The file below `root` that an app:// URL names, or why there is none.
 * Works on the raw URL text, segment by segment, so what Chromium would
 * normalise away is refused here anyway: `..` and `.` segments (also as
 * %2e%2e), encoded slashes and backslashes, NUL and control characters,
 * drive letters and other colons, names Windows would trim (trailing dot or
 * space), empty segments, other hosts. Only `/` maps to index.html;
 * there are no directory listings.
 */
export function resolveAppPath(url: string, root: string, pathApi: PathApi = path): Resolution {
  const origin = `${APP_SCHEME}://${APP_HOST}`;
  if (url !== origin && !url.startsWith(`${origin}/`)) return { ok: false, status: 404, reason: 'not the app origin' };
  let rest = url.slice(origin.length + 1);
  const cut = rest.search(/[?#]/);
  if (cut >= 0) rest = rest.slice(0, cut);
  if (rest === '') rest = 'index.html';
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding' };
    }
    if (seg === '') return { ok: false, status: 404, reason: 'empty path segment' };
    if (seg === '.' || seg === '..') return { ok: false, status: 403, reason: 'dot segment' };
    // eslint-disable-next-line no-control-regex
    if (/[\\/\u0000-\u001f\u007f]/.test(seg)) return { ok: false, status: 403, reason: 'separator or control character in a segment' };
    // Drive letters, and ":" at all (NTFS alternate data streams: "index.html:x").
    if (seg.includes(':')) return { ok: false, status: 403, reason: 'colon in a segment' };
    // Windows drops trailing dots and spaces from names, so ".. " would mean "..".
    if (/[. ]$/.test(seg) || /^\s/.test(seg)) return { ok: false, status: 403, reason: 'leading space or trailing dot or space' };
    segments.push(seg);
  }
  const base = pathApi.resolve(root);
  const file = pathApi.resolve(base, ...segments);
  const rel = pathApi.relative(base, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${pathApi.sep}`) || pathApi.isAbsolute(rel)) return { ok: false, status: 403, reason: 'outside the renderer folder' };
  return { ok: true, file, contentType: CONTENT_TYPES[pathApi.extname(file).toLowerCase()] ?? 'application/octet-stream' };
}

export interface ServeResult {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string | null;
}

export interface ServeFs {
  realpath(file: string): Promise<string>;
  stat(file: string): Promise<{ isFile(): boolean }>;
  readFile(file: string): Promise<Uint8Array>;
}

const nodeFs: ServeFs = { realpath: (f) => fs.promises.realpath(f), stat: (f) => fs.promises.stat(f), readFile: (f) => fs.promises.readFile(f) };

function refusal(status: number, text: string, head: boolean): ServeResult {
  return { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body: head ? null : text };
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** Answers one app:// request from `root`. Symbolic links that lead out of `root` are refused. */
export async function serveAppRequest(request: { url: string; method: string }, root: string, files: ServeFs = nodeFs): Promise<ServeResult> {
  const head = request.method === 'HEAD';
  if (request.method !== 'GET' && !head) return refusal(405, 'Method not allowed', head);
  const resolved = resolveAppPath(request.url, root);
  if (!resolved.ok) return refusal(resolved.status, resolved.status === 404 ? 'Not found' : 'Refused', head);
  let real: string;
  try {
    const realRoot = await files.realpath(root);
    real = await files.realpath(resolved.file);
    if (!inside(realRoot, real)) return refusal(403, 'Refused', head);
    if (!(await files.stat(real)).isFile()) return refusal(404, 'Not found', head);
  } catch {
    return refusal(404, 'Not found', head);
  }
  const body = head ? null : await files.readFile(real);
  return { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': resolved.contentType, 'Cache-Control': 'no-cache' }, body };
}

/** The `protocol.handle('app', …)` handler. */
export function appProtocolHandler(root: string, files: ServeFs = nodeFs): (request: Request) => Promise<Response> {
  return async (request) => {
    const result = await serveAppRequest({ url: request.url, method: request.method }, root, files);
    return new Response(result.body as BodyInit | null, { status: result.status, headers: result.headers });
  };
}
