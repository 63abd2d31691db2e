// Preload entry (bundled to dist/electron/preload.cjs). A sandboxed preload can require only
// 'electron', so everything else is bundled in and nothing heavier than the bridge comes along.

import { contextBridge, ipcRenderer } from 'electron';
import { setUpPreload } from './preload-setup.ts';

setUpPreload({ contextBridge, ipcRenderer }, (error) => console.error('tandem: an event listener threw:', error));
