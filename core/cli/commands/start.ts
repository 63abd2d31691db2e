// `tandem start [--db file] [--port N] [--web] [--no-open]` (what `npm start` runs): opens the
// workbench as the desktop app (Electron), or — with --web, or wherever Electron cannot start
// (no display, no Electron binary, the app not built, an Electron that fails before its window
// is up) — in web mode exactly as `tandem serve` does, after one line saying why. Both modes
// open the same workspace database.

import type { Command } from 'commander';
import { findPackage } from '../../web/index.ts';
import { launchElectron, type ElectronOutcome, type LaunchOptions } from '../launch-electron.ts';
import { integer, resolveDbPath } from '../options.ts';
import { processIO, serveWorkspace, type ServeCommandIO } from './serve.ts';

export interface StartCommandIO extends ServeCommandIO {
  /** Default: launchElectron (tests inject the outcome). */
  launchElectron?: (options: LaunchOptions) => Promise<ElectronOutcome>;
  /** Tandem's package root; default: found above this module. */
  packageRoot?: string | null;
}

interface StartFlags {
  db?: string;
  port: number;
  web?: boolean;
  open: boolean;
}

const HELP_AFTER = `
The desktop app needs the Electron binary, a display, and a build (\`npm run build\`). Where
it cannot start, \`tandem start\` says why in one line and serves the workbench in web mode
instead: on 127.0.0.1 only, behind a random access token; the printed link (a one-time code
the page exchanges for a session cookie) works once, and Enter prints a new one.

Examples:
  tandem start                      the desktop app on ./.tandem/tandem.db (or $TANDEM_DB)
  tandem start --db runs/exp.db     another workspace
  tandem start --web --port 8080    web mode only, on a fixed port
`;

export function registerStartCommand(program: Command, io: StartCommandIO = processIO()): void {
  program
    .command('start')
    .description('open the Tandem workbench: the desktop app, or web mode in the browser where the desktop app cannot start')
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--port <n>', 'web mode: port to listen on (0: a free one)', integer('--port', 0, 65535), 0)
    .option('--web', 'skip the desktop app: serve the workbench in web mode (as `tandem serve`)')
    .option('--no-open', 'web mode: do not open the URL in a browser')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: StartFlags) => {
      if (!flags.web) {
        const outcome = await (io.launchElectron ?? launchElectron)({
          dbPath: resolveDbPath(flags.db),
          packageRoot: io.packageRoot !== undefined ? io.packageRoot : (findPackage()?.root ?? null),
          env: io.env,
          stdout: io.stdout,
          stderr: io.stderr,
          onStarted: (pid) => io.stderr(`Tandem is open (Electron, pid ${pid ?? '?'}); close its window or press Ctrl-C to quit\n`),
        });
        if (outcome.kind === 'closed') {
          if (outcome.code !== 0) process.exitCode = outcome.code;
          return;
        }
        if (outcome.kind === 'already-running') {
          io.stderr('Tandem is already open: its window was brought to the front\n');
          return;
        }
        io.stderr(`Electron cannot start here (${outcome.reason}); starting the workbench in web mode instead.\n`);
      }
      await serveWorkspace({ db: flags.db, port: flags.port, open: flags.open }, io);
    });
}
