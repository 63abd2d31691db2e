// The main window's options. The renderer is untrusted web content: isolated from the preload's
// world, sandboxed, without Node, with web security on; the only way out is the preload's
// `window.tandem`. The CSP (the contract's, one policy for both front ends) is set on responses
// by electron/security.ts. DevTools exist only in a development session (TANDEM_DEVTOOLS=1): in
// everyday use neither the menu, nor a shortcut, nor the page can open them.

import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** Whether this is a development session, with DevTools: TANDEM_DEVTOOLS=1 in the environment. */
export function devToolsEnabled(env: Record<string, string | undefined>): boolean {
  return env.TANDEM_DEVTOOLS === '1';
}

export function webPreferences(preload: string, options: { devTools?: boolean } = {}): WebPreferences {
  return {
    preload,
    devTools: options.devTools ?? false,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export function mainWindowOptions(preload: string, options: { devTools?: boolean } = {}): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Tandem',
    show: false, // shown on ready-to-show: no white flash
    backgroundColor: '#ffffff',
    webPreferences: webPreferences(preload, options),
  };
}
