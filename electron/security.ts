// Guards on the session and on web contents. The renderer may only ever show the app's own page:
// every response gets the strict CSP, navigation anywhere else is cancelled (http(s) links go to
// the system browser instead), new windows and <webview> are refused, and no permission
// (camera, notifications, …) is granted.

import type { Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../core/contract/content-security-policy.ts';

/** http and https only: what may be handed to the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The app's own page: the same file URL, whatever its query or fragment (client-side routes). */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    return target.protocol === 'file:' && app.protocol === 'file:' && target.host === app.host && target.pathname === app.pathname;
  } catch {
    return false;
  }
}

type SessionLike = Pick<Session, 'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

/** Adds the CSP (and nosniff) to every response and turns every permission request down. */
export function installSessionGuards(session: SessionLike): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Replaced, not merged: a response must not bring a looser policy of its own.
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export interface ContentsGuardOptions {
  /** The app's page (file:///…/renderer/dist/index.html); null: nothing may be navigated to. */
  appUrl: string | null;
  /** Opens a link in the system browser (shell.openExternal). */
  openExternal(url: string): void;
}

type NavigationListener = (event: { preventDefault(): void; url?: string }, url?: string) => void;
type ContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Keeps web contents on the app's page; links out go to the system browser, never into the app. */
export function installContentsGuards(contents: ContentsLike, options: ContentsGuardOptions): void {
  const guard: NavigationListener = (event, legacyUrl) => {
    const url = event.url ?? legacyUrl ?? '';
    if (options.appUrl !== null && isAppUrl(url, options.appUrl)) return;
    event.preventDefault();
    if (isExternalLink(url)) options.openExternal(url);
  };
  contents.on('will-navigate', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) options.openExternal(url);
    return { action: 'deny' };
  });
}
