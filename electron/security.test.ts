import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  APP_ENTRY_URL,
  EXTERNAL_ALLOW_LIST,
  guardSession,
  guardWebContents,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isAppUrl,
  isBlockedRequest,
  type GuardedContents,
  type GuardedSession,
} from './security.ts';

/** Everything a hostile or confused page might try to go to. */
const FOREIGN = [
  'file:///etc/passwd',
  'file:///C:/Windows/win.ini',
  'http://127.0.0.1:5173/',
  'http://localhost/',
  'https://evil.example/',
  'https://nimbus.example.com/docs',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'blob:app://lockup/0b8f9a1e-0000-4000-8000-000000000000',
  'about:blank',
  'app://evil/index.html',
  'app://lockup.evil.example/index.html',
  'app://user:pw@lockup/index.html',
  'app://lockup:8080/index.html',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'ftp://example.com/',
  'ws://127.0.0.1:9229/',
  '',
  'not a url',
];

describe('URL predicates', () => {
  it('isAppUrl accepts the app origin only', () => {
    for (const url of ['app://lockup/', 'app://lockup/index.html', 'app://lockup/assets/index-1a2b.js', 'app://lockup/index.html#/editor?x=1']) expect(isAppUrl(url), url).toBe(true);
    for (const url of FOREIGN) expect(isAppUrl(url), url).toBe(false);
    for (const value of [undefined, null, 42, {}, ['app://lockup/']]) expect(isAppUrl(value)).toBe(false);
  });

  it('navigation is allowed to the app page only', () => {
    expect(isAllowedNavigation(APP_ENTRY_URL)).toBe(true);
    expect(isAllowedNavigation('app://lockup/')).toBe(true);
    expect(isAllowedNavigation('app://lockup/index.html#/templates')).toBe(true);
    expect(isAllowedNavigation('app://lockup/assets/index.js')).toBe(false);
    for (const url of FOREIGN) expect(isAllowedNavigation(url), url).toBe(false);
  });

  it('no web URL is ever an allowed navigation', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        expect(isAllowedNavigation(url)).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(!isAllowedNavigation(s) || s.startsWith('app://lockup/')).toBe(true);
      }),
    );
  });

  it('external links: https on an allow-listed origin only, without credentials', () => {
    expect(EXTERNAL_ALLOW_LIST).toContain('https://nimbus.example.com');
    expect(isAllowedExternalUrl('https://nimbus.example.com/docs/brand-guide')).toBe(true);
    for (const url of [
      'http://nimbus.example.com/docs',
      'https://nimbus.example.com.evil.example/',
      'https://evil.example/?https://nimbus.example.com',
      'https://user@nimbus.example.com/',
      'https://nimbus.example.com:8443/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'app://lockup/index.html',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });

  it('requests to the network or to files are blocked; the app, data: and blob: are not', () => {
    for (const url of ['http://127.0.0.1/', 'https://fonts.example/x.woff2', 'ws://localhost:1234', 'wss://x.example', 'file:///etc/passwd', 'ftp://x.example', 'app://evil/x.js', 'nonsense'])
      expect(isBlockedRequest(url), url).toBe(true);
    for (const url of ['app://lockup/assets/x.js', 'data:image/png;base64,AAAA', 'blob:app://lockup/0b8f9a1e-0000-4000-8000-000000000000', 'devtools://devtools/bundled/inspector.html'])
      expect(isBlockedRequest(url), url).toBe(false);
  });
});

type Listener = (...args: unknown[]) => void;

function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      openHandler = handler;
    },
  };
  const emit = (event: string, details: Record<string, unknown>) => {
    const e = { ...details, preventDefault: vi.fn() };
    for (const l of listeners.get(event) ?? []) l(e);
    return e.preventDefault;
  };
  return { contents: contents as unknown as GuardedContents, emit, open: (url: string) => openHandler!({ url }) };
}

describe('guardWebContents', () => {
  it('refuses every navigation that is not the app page (a dropped file navigates to file://)', () => {
    const { contents, emit } = fakeContents();
    const refused = vi.fn();
    guardWebContents(contents, { openExternal: vi.fn(), onRefused: refused });
    for (const url of FOREIGN) {
      expect(emit('will-navigate', { url, isMainFrame: true }), url).toHaveBeenCalledOnce();
      expect(emit('will-redirect', { url, isMainFrame: true }), url).toHaveBeenCalledOnce();
      expect(emit('will-frame-navigate', { url, isMainFrame: false }), url).toHaveBeenCalledOnce();
    }
    expect(emit('will-navigate', { url: APP_ENTRY_URL, isMainFrame: true })).not.toHaveBeenCalled();
    expect(emit('will-navigate', { url: 'app://lockup/', isMainFrame: true })).not.toHaveBeenCalled();
    expect(refused).toHaveBeenCalledWith('navigation', 'file:///etc/passwd');
  });

  it('leaves main-frame will-frame-navigate to will-navigate (one refusal per navigation)', () => {
    const { contents, emit } = fakeContents();
    guardWebContents(contents, { openExternal: vi.fn() });
    expect(emit('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: true })).not.toHaveBeenCalled();
  });

  it('prevents every webview from attaching', () => {
    const { contents, emit } = fakeContents();
    guardWebContents(contents, { openExternal: vi.fn() });
    expect(emit('will-attach-webview', {})).toHaveBeenCalledOnce();
  });

  it('denies every window.open, opening allow-listed https pages in the OS browser instead', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn(() => Promise.resolve());
    guardWebContents(contents, { openExternal });
    for (const url of [...FOREIGN, APP_ENTRY_URL]) expect(open(url), url).toEqual({ action: 'deny' });
    // FOREIGN holds one allow-listed page: the only URL handed to the OS browser.
    expect(openExternal.mock.calls).toEqual([['https://nimbus.example.com/docs']]);
  });

  it('survives an openExternal that fails', async () => {
    const { contents, open } = fakeContents();
    guardWebContents(contents, { openExternal: () => Promise.reject(new Error('no browser')) });
    expect(open('https://nimbus.example.com/')).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 0));
  });
});

describe('guardSession', () => {
  function fakeSession() {
    const s = {
      request: undefined as undefined | ((wc: unknown, permission: string, cb: (granted: boolean) => void, details: unknown) => void),
      check: undefined as undefined | ((...args: unknown[]) => boolean),
      device: undefined as undefined | ((...args: unknown[]) => boolean),
      before: undefined as undefined | ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    };
    const session = {
      setPermissionRequestHandler: (h: typeof s.request) => (s.request = h),
      setPermissionCheckHandler: (h: typeof s.check) => (s.check = h),
      setDevicePermissionHandler: (h: typeof s.device) => (s.device = h),
      webRequest: { onBeforeRequest: (h: typeof s.before) => (s.before = h) },
    };
    return { session: session as unknown as GuardedSession, s };
  }

  it('denies every permission request, check and device', () => {
    const { session, s } = fakeSession();
    guardSession(session);
    for (const permission of ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'hid', 'serial', 'usb', 'idle-detection', 'window-management', 'unknown']) {
      const cb = vi.fn();
      s.request!({}, permission, cb, {});
      expect(cb, permission).toHaveBeenCalledWith(false);
      expect(s.check!({}, permission, 'app://lockup', {})).toBe(false);
    }
    expect(s.device!({ deviceType: 'usb', origin: 'app://lockup' })).toBe(false);
  });

  it('cancels requests that would leave the machine', () => {
    const { session, s } = fakeSession();
    guardSession(session);
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      s.before!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('https://example.com/track.gif')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
    expect(decide('app://lockup/assets/app.js')).toBe(false);
    expect(decide('data:font/ttf;base64,AAAA')).toBe(false);
  });
});
