// The API host (bundled to dist/electron/api-host.cjs), run by the main process as a
// utilityProcess: `core/api` over the workspace database, so SQLite and the optimizer never
// block the window. Started as `api-host.cjs --db <file>`; see host-runtime.ts for its life.

import path from 'node:path';
import { runHost, type ParentPortLike } from './host-runtime.ts';

function dbPathFromArgs(argv: readonly string[]): string | null {
  const at = argv.indexOf('--db');
  const value = at >= 0 ? argv[at + 1] : undefined;
  return value ? path.resolve(value) : null;
}

// Electron's utility-process global (process.parentPort), typed to what the host uses.
const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
const dbPath = dbPathFromArgs(process.argv);
if (!parentPort || !dbPath) {
  console.error('tandem api-host: run by the Electron main process as a utilityProcess with --db <file>');
  process.exit(2);
}
runHost({ parentPort, dbPath, exit: (code) => process.exit(code), log: (line) => console.error(`tandem api-host: ${line}`) });
