import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Envelope } from '../../core/contracts/api.ts';
import type { ApiService } from '../api/service.ts';

/** Largest request body the host accepts: a pack of up to 96 MB (MAX_PACK_FILE_BYTES), base64-encoded, with room for the JSON around it. */
export const MAX_BODY_BYTES = 130 * 1024 * 1024;

export interface WebHostOptions {
  service: ApiService;
  /** The built renderer (index.html and its assets). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; a random one per launch otherwise. */
  token?: string;
}

export interface WebHost {
  /** The URL to open; the token travels in the fragment, never to the server in a URL. */
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** The renderer's Content-Security-Policy (the Electron shell sets the same one). */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Decides whether a request may reach the API. Exported for unit tests.
 * - Host must name this server on loopback (defeats DNS rebinding).
 * - Origin, when present, must be this server's origin (no cross-site calls).
 * - The per-launch token must be in the X-Lockup-Token header.
 * - The body must be JSON (blocks HTML form posts).
 */
export function checkApiRequest(
  req: { method?: string | undefined; headers: http.IncomingHttpHeaders },
  port: number,
  token: string,
): { status: number; code: string; message: string } | undefined {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = req.headers.host;
  if (!host || !allowedHosts.includes(host.toLowerCase())) return { status: 421, code: 'forbidden', message: 'Unexpected Host header' };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin.toLowerCase())) {
    return { status: 403, code: 'forbidden', message: 'Cross-origin requests are not allowed' };
  }
  if (req.method !== 'POST') return { status: 405, code: 'forbidden', message: 'Use POST' };
  const header = req.headers['x-lockup-token'];
  if (!tokenMatches(Array.isArray(header) ? header[0] : header, token)) return { status: 401, code: 'forbidden', message: 'Missing or wrong token' };
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) return { status: 415, code: 'invalid-argument', message: 'The body must be application/json' };
  return undefined;
}

function send(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(data.length), 'Cache-Control': 'no-store', ...extra });
  res.end(data);
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The browser host behind `npm run web`: serves the built renderer and the
 * same API the Electron preload exposes, on 127.0.0.1 only. No CORS headers
 * are ever sent, so other sites cannot read responses; the token, Host and
 * Origin checks keep them from making calls at all.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const root = path.resolve(options.staticDir);
  let port = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      const refusal = checkApiRequest(req, port, token);
      if (refusal) {
        req.resume();
        send(res, refusal.status, { ok: false, error: { code: refusal.code, message: refusal.message } } satisfies Envelope<never>, SECURITY_HEADERS);
        return;
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_BODY_BYTES) {
        req.resume();
        send(res, 413, { ok: false, error: { code: 'too-large', message: `Requests are limited to ${MAX_BODY_BYTES / 1048576} MB` } }, { ...SECURITY_HEADERS, Connection: 'close' });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let aborted = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES && !aborted) {
          aborted = true;
          send(res, 413, { ok: false, error: { code: 'too-large', message: `Requests are limited to ${MAX_BODY_BYTES / 1048576} MB` } }, { ...SECURITY_HEADERS, Connection: 'close' });
          req.destroy();
          return;
        }
        if (!aborted) chunks.push(chunk);
      });
      req.on('end', async () => {
        if (aborted) return;
        let input: unknown;
        try {
          input = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          send(res, 400, { ok: false, error: { code: 'invalid-argument', message: 'The body is not valid JSON' } }, SECURITY_HEADERS);
          return;
        }
        const op = decodeURIComponent(url.pathname.slice('/api/'.length));
        const envelope = await options.service.dispatch(op, input);
        send(res, 200, envelope, SECURITY_HEADERS);
      });
      return;
    }
    // Static files: the same Host check (a rebinding page must not load the app either).
    const host = req.headers.host?.toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      res.writeHead(421).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...SECURITY_HEADERS }).end('Not found');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': RENDERER_CSP, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
