// Where the app's files are, from the folder of the bundled main (dist/electron/). The same
// layout holds in a checkout and inside the packaged app's asar, so nothing depends on how
// Electron was started (`electron dist/electron/main.cjs`, `electron .`, or the packaged app).

import path from 'node:path';

export interface AppFiles {
  /** The package root (the checkout, or app.asar). */
  root: string;
  /** The built renderer: renderer/dist/index.html. */
  rendererIndex: string;
  preload: string;
  host: string;
}

export function appFiles(bundleDir: string): AppFiles {
  const root = path.resolve(bundleDir, '..', '..');
  return {
    root,
    rendererIndex: path.join(root, 'renderer', 'dist', 'index.html'),
    preload: path.join(bundleDir, 'preload.cjs'),
    host: path.join(bundleDir, 'api-host.cjs'),
  };
}
