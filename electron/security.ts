/**
 * The shell's security policy as pure predicates, plus installers that apply
 * them to Electron objects passed in (so tests can hand in fakes and nothing
 * here loads Electron at run time).
 *
 * The renderer is served from app://lockup/ (electron/protocol.ts). It may
 * never leave that origin, open windows, embed webviews, ask for permissions
 * or reach the network: Lockup is an offline studio.
 */
import type { HandlerDetails, Session, WebContents } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'lockup';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Web pages the app may open in the user's browser (never inside Lockup): the
 * demo vendor's documentation. Origins only, https only.
 */
export const EXTERNAL_ALLOW_LIST: readonly string[] = Object.freeze(['https://nimbus.example.com']);

function parse(url: unknown): URL | undefined {
  if (typeof url !== 'string' || url.length > 8192) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True for URLs on the app's own origin, app://lockup/… (nothing else: no other host, port or credentials). */
export function isAppUrl(url: unknown): boolean {
  const u = parse(url);
  return u !== undefined && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
}

/** True for the app's page itself (app://lockup/ or /index.html, any query or fragment). */
export function isAppPageUrl(url: unknown): boolean {
  if (!isAppUrl(url)) return false;
  const path = (parse(url) as URL).pathname;
  return path === '/' || path === '/index.html';
}

/** May this URL be handed to the OS browser? Only https pages of an allow-listed origin, without credentials. */
export function isAllowedExternalUrl(url: unknown, allowList: readonly string[] = EXTERNAL_ALLOW_LIST): boolean {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username !== '' || u.password !== '') return false;
  return allowList.includes(u.origin);
}

/**
 * Should a request the renderer makes be cancelled? Everything that would
 * leave the machine or read local files directly is: http(s), ws(s), ftp and
 * file URLs. The app's own scheme, data: and blob: URLs (fonts, previews) and
 * DevTools stay allowed.
 */
export function isBlockedRequest(url: unknown): boolean {
  const u = parse(url);
  if (!u) return true;
  if (u.protocol === `${APP_SCHEME}:`) return !isAppUrl(url);
  return !['data:', 'blob:', 'devtools:', 'chrome-extension:'].includes(u.protocol);
}

/** The navigation policy: a frame may only (re)load the app's own page. */
export function isAllowedNavigation(url: unknown): boolean {
  return isAppPageUrl(url);
}

/** What the window-open handler does for a URL: always deny; open allow-listed pages in the OS browser. */
export function windowOpenDecision(url: unknown, allowList: readonly string[] = EXTERNAL_ALLOW_LIST): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isAllowedExternalUrl(url, allowList) };
}

/** The parts of a WebContents the guards use. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export interface GuardOptions {
  /** Opens a URL in the user's browser (shell.openExternal). */
  openExternal: (url: string) => unknown;
  allowList?: readonly string[];
  /** Told about every refusal (logging). */
  onRefused?: (what: string, url: string) => void;
}

/**
 * Installs the navigation, window-open and webview guards on a WebContents.
 * Dropping a file outside a drop zone makes Chromium navigate to file://…;
 * the navigation guard refuses that too.
 */
export function guardWebContents(contents: GuardedContents, options: GuardOptions): void {
  const allowList = options.allowList ?? EXTERNAL_ALLOW_LIST;
  const refuse = (what: string, url: string) => options.onRefused?.(what, url);
  // Main-frame navigations arrive as will-navigate, sub-frames as will-frame-navigate (which also fires for
  // the main frame: that case is left to will-navigate so a refusal is counted once).
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) {
      event.preventDefault();
      refuse('navigation', event.url);
    }
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isAllowedNavigation(event.url)) {
      event.preventDefault();
      refuse('frame navigation', event.url);
    }
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url)) {
      event.preventDefault();
      refuse('redirect', event.url);
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    refuse('webview', '');
  });
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    const decision = windowOpenDecision(details.url, allowList);
    if (decision.openExternally) void Promise.resolve(options.openExternal(details.url)).catch(() => undefined);
    else refuse('window.open', details.url);
    return { action: decision.action };
  });
}

/** The parts of a Session the policy uses. */
export type GuardedSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'webRequest'>;

/** Denies every permission request and check, every device, and every request that would reach the network or file://. */
export function guardSession(session: GuardedSession, onRefused?: (what: string, url: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    onRefused?.(`permission ${permission}`, '');
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const cancel = isBlockedRequest(details.url);
    if (cancel) onRefused?.('request', details.url);
    callback({ cancel });
  });
}
