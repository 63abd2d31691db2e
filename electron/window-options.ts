// The main window's options. The renderer is untrusted web content: isolated from the preload's
// world, sandboxed, without Node, with web security on; the only way out is the preload's
// `window.tandem`. The CSP (the contract's, one policy for both front ends) is set on responses
// by electron/security.ts.

import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
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

export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Tandem',
    show: false, // shown on ready-to-show: no white flash
    backgroundColor: '#ffffff',
    webPreferences: webPreferences(preload),
  };
}
