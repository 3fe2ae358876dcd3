import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../backend/web/host.ts';
import { tempDir } from '../test/support/temp.ts';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler, resolveAppPath, serveAppRequest } from './protocol.ts';

const ROOT = '/opt/lockup/dist/renderer';

const TRAVERSALS = [
  'app://lockup/../../etc/passwd',
  'app://lockup/assets/../../../etc/passwd',
  'app://lockup/./index.html',
  'app://lockup/%2e%2e/%2e%2e/etc/passwd',
  'app://lockup/%2E%2E/%2E%2E/etc/passwd',
  'app://lockup/.%2e/etc/passwd',
  'app://lockup/..%2f..%2fetc%2fpasswd',
  'app://lockup/assets%2f..%2f..%2f..%2fetc%2fpasswd',
  'app://lockup/..%5c..%5cwindows%5cwin.ini',
  'app://lockup/assets%5C..%5C..%5Csecret',
  'app://lockup/%5c%5cserver%5cshare%5cfile',
  'app://lockup/..\\..\\windows\\win.ini',
  'app://lockup/C:/Windows/win.ini',
  'app://lockup/c%3A%5CWindows%5Cwin.ini',
  'app://lockup//etc/passwd',
  'app://lockup/%2fetc%2fpasswd',
  'app://lockup/assets/%00.js',
  'app://lockup/index.html%00.png',
  'app://lockup/assets/%0d%0aSet-Cookie:x',
  'app://lockup/.. /secret',
  'app://lockup/..%20/secret',
  'app://lockup/assets/app.js.',
  'app://lockup/index.html:stream',
  'app://lockup/%E0%A4%A',
  'app://lockup/%',
  'app://evil/index.html',
  'app://lockup.evil/index.html',
  'app://lockupx/index.html',
  'file:///etc/passwd',
  'https://lockup/index.html',
];

describe('resolveAppPath', () => {
  it('maps the root to index.html and assets below the renderer folder, with their content type', () => {
    expect(resolveAppPath('app://lockup/', ROOT)).toEqual({ ok: true, file: `${ROOT}/index.html`, contentType: 'text/html; charset=utf-8' });
    expect(resolveAppPath('app://lockup', ROOT)).toMatchObject({ ok: true, file: `${ROOT}/index.html` });
    expect(resolveAppPath('app://lockup/index.html?x=1#/editor', ROOT)).toMatchObject({ ok: true, file: `${ROOT}/index.html` });
    expect(resolveAppPath('app://lockup/assets/index-Bq1x.js', ROOT)).toEqual({ ok: true, file: `${ROOT}/assets/index-Bq1x.js`, contentType: 'text/javascript; charset=utf-8' });
    expect(resolveAppPath('app://lockup/assets/pdf.worker.min.mjs', ROOT)).toMatchObject({ contentType: 'text/javascript; charset=utf-8' });
    expect(resolveAppPath('app://lockup/assets/style.CSS', ROOT)).toMatchObject({ contentType: 'text/css; charset=utf-8' });
    expect(resolveAppPath('app://lockup/assets/Lato%20Regular.woff2', ROOT)).toMatchObject({ ok: true, file: `${ROOT}/assets/Lato Regular.woff2`, contentType: 'font/woff2' });
    expect(resolveAppPath('app://lockup/assets/blob.unknown', ROOT)).toMatchObject({ contentType: 'application/octet-stream' });
  });

  it.each(TRAVERSALS)('refuses %s', (url) => {
    expect(resolveAppPath(url, ROOT).ok).toBe(false);
  });

  it('refuses the same on Windows paths', () => {
    const winRoot = 'C:\\Program Files\\Lockup\\resources\\app\\dist\\renderer';
    expect(resolveAppPath('app://lockup/assets/app.js', winRoot, path.win32)).toEqual({ ok: true, file: `${winRoot}\\assets\\app.js`, contentType: 'text/javascript; charset=utf-8' });
    for (const url of TRAVERSALS) expect(resolveAppPath(url, winRoot, path.win32).ok, url).toBe(false);
  });

  it('whatever follows app://lockup/, the result is refused or a file strictly inside the folder', () => {
    const piece = fc.oneof(fc.constantFrom('..', '.', '%2e', '%2E', '%2f', '%5c', '\\', '/', '%00', 'C:', '%3A', 'assets', 'index.html', '%25', '?', '#'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const url = `app://lockup/${parts.join('')}`;
        for (const [root, api] of [
          [ROOT, path.posix],
          ['C:\\app\\renderer', path.win32],
        ] as const) {
          const r = resolveAppPath(url, root, api);
          if (r.ok) {
            const rel = api.relative(root, r.file);
            expect(rel === '' || rel === '..' || rel.startsWith(`..${api.sep}`) || api.isAbsolute(rel), url).toBe(false);
            // Nothing Windows would trim into a dot segment.
            expect(rel.split(api.sep).some((seg) => /[. ]$/.test(seg) || seg.includes(':')), url).toBe(false);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('serveAppRequest', () => {
  function site() {
    const dir = tempDir();
    const root = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Lockup</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
    return { dir, root };
  }

  it('serves files with the renderer CSP and nosniff', async () => {
    const { root } = site();
    const r = await serveAppRequest({ url: 'app://lockup/index.html', method: 'GET' }, root);
    expect(r.status).toBe(200);
    expect(Buffer.from(r.body as Uint8Array).toString()).toContain('<title>Lockup</title>');
    expect(r.headers).toMatchObject({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff' });
    const js = await serveAppRequest({ url: 'app://lockup/assets/app.js', method: 'GET' }, root);
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
  });

  it('answers HEAD without a body, and refuses other methods', async () => {
    const { root } = site();
    expect(await serveAppRequest({ url: 'app://lockup/', method: 'HEAD' }, root)).toMatchObject({ status: 200, body: null });
    expect((await serveAppRequest({ url: 'app://lockup/', method: 'POST' }, root)).status).toBe(405);
  });

  it('404s missing files and folders, refuses traversal, and sends the CSP on refusals too', async () => {
    const { root } = site();
    expect((await serveAppRequest({ url: 'app://lockup/nope.js', method: 'GET' }, root)).status).toBe(404);
    expect((await serveAppRequest({ url: 'app://lockup/assets', method: 'GET' }, root)).status).toBe(404);
    const traversal = await serveAppRequest({ url: 'app://lockup/%2e%2e/secret.txt', method: 'GET' }, root);
    expect(traversal.status).toBe(403);
    expect(traversal.body).not.toContain('outside');
    expect(traversal.headers['Content-Security-Policy']).toBe(RENDERER_CSP);
  });

  it('refuses a symbolic link that leads out of the folder', async () => {
    const { dir, root } = site();
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
    const r = await serveAppRequest({ url: 'app://lockup/assets/link.txt', method: 'GET' }, root);
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('outside');
  });

  it('as a protocol handler, answers with a Response', async () => {
    const { root } = site();
    const res = await appProtocolHandler(root)(new Request('app://lockup/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(await res.text()).toContain('Lockup');
    // URL parsing (Chromium's, here Node's) already drops the dot segments: the file outside is never reached.
    const outside = await appProtocolHandler(root)(new Request('app://lockup/%2e%2e/secret.txt'));
    expect(outside.status).toBe(404);
    expect(await outside.text()).not.toContain('outside');
  });

  it('registers app:// as a standard, secure scheme with fetch', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } });
  });
});
