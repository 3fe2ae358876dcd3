import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiService } from '../api/service.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { tempDir } from '../../test/support/temp.ts';
import { checkApiRequest, MAX_BODY_BYTES, RENDERER_CSP, startWebHost, type WebHost } from './host.ts';

const TOKEN = 'a'.repeat(48);

function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

describe('checkApiRequest', () => {
  const ok = { host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000', 'x-lockup-token': TOKEN, 'content-type': 'application/json' };
  it('accepts the app itself', () => {
    expect(checkApiRequest({ method: 'POST', headers: ok }, 4000, TOKEN)).toBeUndefined();
    expect(checkApiRequest({ method: 'POST', headers: { ...ok, host: 'localhost:4000', origin: 'http://localhost:4000' } }, 4000, TOKEN)).toBeUndefined();
    const { origin: _o, ...noOrigin } = ok;
    expect(checkApiRequest({ method: 'POST', headers: noOrigin }, 4000, TOKEN)).toBeUndefined();
  });
  it.each([
    ['a rebinding Host', { host: 'evil.example:4000' }, 421],
    ['another port in Host', { host: '127.0.0.1:4001' }, 421],
    ['no Host', { host: '' }, 421],
    ['a foreign Origin', { origin: 'https://evil.example' }, 403],
    ['an Origin on another port', { origin: 'http://127.0.0.1:4001' }, 403],
    ['the null Origin', { origin: 'null' }, 403],
    ['no token', { 'x-lockup-token': '' }, 401],
    ['a wrong token', { 'x-lockup-token': 'b'.repeat(48) }, 401],
    ['a token of another length', { 'x-lockup-token': 'a' }, 401],
    ['a form post', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['text/plain (a CORS-simple request)', { 'content-type': 'text/plain' }, 415],
  ])('refuses %s', (_what, change, status) => {
    const headers = { ...ok, ...change } as Record<string, string>;
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
    expect(checkApiRequest({ method: 'POST', headers }, 4000, TOKEN)?.status).toBe(status);
  });
  it('refuses anything but POST', () => {
    expect(checkApiRequest({ method: 'GET', headers: ok }, 4000, TOKEN)?.status).toBe(405);
  });
});

describe('the browser host', () => {
  let host: WebHost;
  let catalogue: ReturnType<typeof seededCatalogue>['catalogue'];
  const staticDir = tempDir('lockup-static-');
  beforeAll(async () => {
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Lockup</title>');
    fs.mkdirSync(path.join(staticDir, 'assets'));
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(tempDir(), 'secret.txt'), 'secret');
    ({ catalogue } = seededCatalogue());
    const service = new ApiService({ catalogue, dataDir: staticDir, transport: 'web', version: 'test' });
    host = await startWebHost({ service, staticDir, token: TOKEN });
  });
  afterAll(async () => {
    await host.close();
    catalogue.close();
  });
  const api = (op: string, body: unknown, headers: Record<string, string> = {}) =>
    request(host.port, {
      method: 'POST',
      path: `/api/${op}`,
      headers: { host: `127.0.0.1:${host.port}`, 'x-lockup-token': TOKEN, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('listens on loopback only and puts the token in the URL fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${TOKEN}`);
  });

  it('answers an API call with an envelope and never sends CORS headers', async () => {
    const res = await api('app:info', {}, { origin: `http://127.0.0.1:${host.port}` });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { transport: 'web', version: 'test' } });
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('refuses a cross-origin call before any handler runs', async () => {
    const before = dumpDatabase(catalogue.db);
    const res = await api('profile:save', { company: 'Evil Corp' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('answers preflight requests without permitting anything', async () => {
    const res = await request(host.port, { method: 'OPTIONS', path: '/api/profile:save', headers: { host: `127.0.0.1:${host.port}`, origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rejects an unknown operation and invalid input with codes', async () => {
    expect(JSON.parse((await api('nope:nope', {})).body)).toMatchObject({ ok: false, error: { code: 'unknown-operation' } });
    const bad = JSON.parse((await api('template:open', { id: 42 })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(bad.error.message).toContain('id');
    const res = await request(host.port, { method: 'POST', path: '/api/app:info', headers: { host: `127.0.0.1:${host.port}`, 'x-lockup-token': TOKEN, 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(400);
  });

  it('refuses bodies over the limit', async () => {
    const res = await request(host.port, {
      method: 'POST',
      path: '/api/logo:intake',
      headers: { host: `127.0.0.1:${host.port}`, 'x-lockup-token': TOKEN, 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) },
      body: '',
    }).catch((e: Error) => ({ status: 413, headers: {}, body: e.message }));
    expect(res.status).toBe(413);
  });

  it('serves the renderer with a strict CSP, and nothing outside its folder', async () => {
    const index = await request(host.port, { path: '/', headers: { host: `127.0.0.1:${host.port}` } });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toBe(RENDERER_CSP);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect((await request(host.port, { path: '/assets/app.js', headers: { host: `127.0.0.1:${host.port}` } })).headers['content-type']).toMatch(/javascript/);
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5c..%5csecret.txt']) {
      expect((await request(host.port, { path: p, headers: { host: `127.0.0.1:${host.port}` } })).status).toBe(404);
    }
    expect((await request(host.port, { path: '/', headers: { host: 'evil.example' } })).status).toBe(421);
  });
});
