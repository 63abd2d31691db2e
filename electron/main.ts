// Electron main entry (bundled to dist/electron/main.cjs). Thin on purpose: app.ts does the
// wiring with Electron passed in, so it can be tested without Electron.

import * as electron from 'electron';
import { appFiles } from './app-files.ts';
import { startApp } from './app.ts';

// Started from a desktop launcher, stdout may lead nowhere; a failed handshake write is no crash.
process.stdout.on('error', () => {});

startApp({
  electron,
  files: appFiles(__dirname),
  argv: process.argv,
  env: process.env,
  cwd: process.cwd(),
  platform: process.platform,
  versions: process.versions,
  print: (line) => process.stdout.write(`${line}\n`),
}).catch((error: unknown) => {
  console.error('tandem: the main process failed to start:', error);
  electron.app.exit(1);
});
