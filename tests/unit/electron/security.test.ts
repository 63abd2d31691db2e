// The guards on the session and on web contents: the CSP on every response, no permissions,
// navigation only within the app's page, window.open denied, links out to the system browser.

import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { installContentsGuards, installSessionGuards, isAppUrl, isExternalLink } from '../../../electron/security.ts';
import { CONTENT_SECURITY_POLICY } from '../../../core/contract/content-security-policy.ts';

const APP_URL = 'file:///opt/tandem/renderer/dist/index.html';

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (handler: typeof openHandler) => {
      openHandler = handler;
    },
  });
  const opened: string[] = [];
  installContentsGuards(contents as unknown as WebContents, { appUrl: APP_URL, openExternal: (url) => opened.push(url) });
  /** Emits a navigation event the way Electron 45 does; true when it was let through. */
  const navigate = (event: string, url: string): boolean => {
    let prevented = false;
    emitter.emit(event, { url, preventDefault: () => (prevented = true) }, url);
    return !prevented;
  };
  return { navigate, open: (url: string) => openHandler!({ url }), opened, emitter };
}

describe('installContentsGuards', () => {
  it('lets the app page navigate within itself and nowhere else', () => {
    const { navigate, opened } = fakeContents();
    expect(navigate('will-navigate', APP_URL)).toBe(true);
    expect(navigate('will-navigate', `${APP_URL}#/runs/3`)).toBe(true);
    expect(navigate('will-navigate', `${APP_URL}?tab=traces`)).toBe(true);
    for (const url of ['file:///etc/passwd', 'file:///opt/tandem/renderer/dist/other.html', 'https://example.com/', 'http://127.0.0.1:8000/', 'javascript:alert(1)', 'data:text/html,hi', 'not a url']) {
      expect(navigate('will-navigate', url), url).toBe(false);
      expect(navigate('will-frame-navigate', url), url).toBe(false);
      expect(navigate('will-redirect', url), url).toBe(false);
    }
    // A blocked http(s) link goes to the system browser instead; nothing else is ever opened.
    expect(opened).toEqual(['https://example.com/', 'http://127.0.0.1:8000/'].flatMap((u) => [u, u, u]));
  });

  it('denies every window.open, handing http(s) links to the system browser', () => {
    const { open, opened } = fakeContents();
    expect(open('https://arxiv.org/abs/2407.10930')).toEqual({ action: 'deny' });
    expect(open(APP_URL)).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open('smb://host/share')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://arxiv.org/abs/2407.10930']);
  });

  it('refuses <webview> tags', () => {
    const { emitter } = fakeContents();
    let prevented = false;
    emitter.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
  });
});

describe('installSessionGuards', () => {
  function fakeSession() {
    let headersListener: ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void) => void) | null = null;
    let requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
    let checkHandler: (() => boolean) | null = null;
    const session = {
      webRequest: { onHeadersReceived: (listener: typeof headersListener) => (headersListener = listener) },
      setPermissionRequestHandler: (handler: typeof requestHandler) => (requestHandler = handler),
      setPermissionCheckHandler: (handler: typeof checkHandler) => (checkHandler = handler),
    };
    installSessionGuards(session as unknown as Session);
    return {
      headers: (responseHeaders?: Record<string, string[]>) => {
        let out: Record<string, string | string[]> | undefined;
        headersListener!({ responseHeaders }, (response) => (out = response.responseHeaders));
        return out!;
      },
      permission: (name: string) => {
        let granted: boolean | undefined;
        requestHandler!({}, name, (g) => (granted = g));
        return granted;
      },
      check: () => checkHandler!(),
    };
  }

  it('puts the strict CSP on every response, replacing a looser one', () => {
    const { headers } = fakeSession();
    expect(headers()).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'X-Content-Type-Options': ['nosniff'] });
    const replaced = headers({ 'content-security-policy': ["script-src 'unsafe-eval' *"], 'Content-Type': ['text/html'] });
    expect(replaced).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'X-Content-Type-Options': ['nosniff'] });
  });

  it('grants no permission', () => {
    const { permission, check } = fakeSession();
    for (const name of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) expect(permission(name)).toBe(false);
    expect(check()).toBe(false);
  });
});

describe('URL checks', () => {
  it('isExternalLink: http and https only', () => {
    expect(isExternalLink('https://x.org')).toBe(true);
    expect(isExternalLink('http://x.org')).toBe(true);
    for (const url of ['file:///x', 'javascript:alert(1)', 'mailto:a@b.c', 'smb://x/y', '', 'x']) expect(isExternalLink(url), url).toBe(false);
  });

  it('isAppUrl: the same file, whatever the fragment or query', () => {
    expect(isAppUrl(`${APP_URL}#x`, APP_URL)).toBe(true);
    expect(isAppUrl('file:///opt/tandem/renderer/dist/index.html/..', APP_URL)).toBe(false);
    expect(isAppUrl('file://evil/opt/tandem/renderer/dist/index.html', APP_URL)).toBe(false);
    expect(isAppUrl('https://opt/tandem/renderer/dist/index.html', APP_URL)).toBe(false);
  });
});
