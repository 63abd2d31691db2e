// The main window's security settings and the CSP every response gets.

import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../core/contract/content-security-policy.ts';
import { devToolsEnabled, mainWindowOptions, webPreferences } from '../../../electron/window-options.ts';

describe('window options', () => {
  it('isolate and sandbox the renderer, without Node, with web security on', () => {
    const prefs = webPreferences('/app/dist/electron/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(mainWindowOptions('/p.cjs').webPreferences).toEqual(webPreferences('/p.cjs'));
    expect(mainWindowOptions('/p.cjs').show).toBe(false);
  });

  it('use a strict CSP: own scripts only, no plugins, no framing, no base tag', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });

  it('allow no inline styles: style-src without unsafe-inline', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('have DevTools only in a development session (TANDEM_DEVTOOLS=1)', () => {
    expect(webPreferences('/p.cjs').devTools).toBe(false);
    expect(mainWindowOptions('/p.cjs').webPreferences!.devTools).toBe(false);
    expect(mainWindowOptions('/p.cjs', { devTools: true }).webPreferences!.devTools).toBe(true);
    expect(devToolsEnabled({})).toBe(false);
    expect(devToolsEnabled({ TANDEM_DEVTOOLS: '0' })).toBe(false);
    expect(devToolsEnabled({ NODE_ENV: 'development' })).toBe(false);
    expect(devToolsEnabled({ TANDEM_DEVTOOLS: '1' })).toBe(true);
  });
});
