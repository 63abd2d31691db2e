// `tandem serve [--port N] [--db file] [--no-open]`: web mode. Opens the API over the workspace
// database, serves it and the built renderer on 127.0.0.1 behind a random access token, prints
// the URL (which carries the token) as one line on stdout, opens it in the browser unless
// --no-open, and runs until SIGINT or SIGTERM; then it stops the server and closes the API, which
// cancels active runs and pulls cleanly (a second signal exits at once).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createApi, isApiError, type Api } from '../../api/index.ts';
import { defaultStaticDir, startWebServer, WebServerError } from '../../web/index.ts';
import { lockWorkspace, WorkspaceLockError, type WorkspaceLock } from '../../host/workspace-lock.ts';
import { integer, resolveDbPath } from '../options.ts';
import { UsageError } from '../user-error.ts';
import { resolveModelLibraryDir } from './models.ts';

export interface ServeCommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Resolves (with what asked for it, e.g. 'SIGINT') when the server should stop; `cancel` aborts when serving failed to start. */
  waitForStop(cancel: AbortSignal): Promise<string>;
  /** Opens the URL in the user's browser; failures are ignored. */
  openBrowser(url: string): void;
  /** The built renderer; default <Tandem>/renderer/dist. */
  staticDir?: string;
}

function waitForSignal(cancel: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const remove = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    const stop = (signal: NodeJS.Signals): void => {
      remove();
      const force = (): void => process.exit(130);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    cancel.addEventListener('abort', remove, { once: true });
  });
}

function openInBrowser(url: string, env: Record<string, string | undefined>): void {
  let command: string;
  let args: string[];
  if (process.platform === 'darwin') {
    [command, args] = ['open', [url]];
  } else if (process.platform === 'win32') {
    [command, args] = ['rundll32', ['url.dll,FileProtocolHandler', url]];
  } else {
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return; // no desktop session: the printed URL is the way in
    [command, args] = ['xdg-open', [url]];
  }
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no opener: the printed URL is the way in
  }
}

/** The real process: stdout/stderr, process.env, SIGINT/SIGTERM, the system browser. */
export function processIO(): ServeCommandIO {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    waitForStop: waitForSignal,
    openBrowser: (url) => openInBrowser(url, process.env),
  };
}

export interface ServeFlags {
  port: number;
  db?: string;
  open: boolean;
}

export function registerServeCommand(program: Command, io: ServeCommandIO = processIO()): void {
  program
    .command('serve')
    .description('web mode: serve the workbench and its API on 127.0.0.1 (the printed URL carries the access token)')
    .option('--port <n>', 'port to listen on (0: a free one)', integer('--port', 0, 65535), 0)
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--no-open', 'do not open the URL in a browser')
    .action((flags: ServeFlags) => serveWorkspace(flags, io));
}

/** Web mode until a stop signal: what `tandem serve` runs, and `tandem start` where Electron cannot start. */
export async function serveWorkspace(flags: ServeFlags, io: ServeCommandIO): Promise<void> {
  // Listening for the stop signal from the start: one that arrives while the server starts
  // still closes it cleanly.
  const failed = new AbortController();
  const stopped = io.waitForStop(failed.signal);
  const dbPath = resolveDbPath(flags.db);
  let lock: WorkspaceLock;
  try {
    mkdirSync(path.dirname(dbPath), { recursive: true });
    lock = lockWorkspace(dbPath);
  } catch (error) {
    failed.abort();
    throw error instanceof WorkspaceLockError ? new UsageError(error.message) : error;
  }
  let api: Api;
  try {
    api = createApi({ dbPath, libraryDir: resolveModelLibraryDir({ db: flags.db }, io.env), env: io.env });
  } catch (error) {
    failed.abort();
    lock.release();
    throw isApiError(error) ? new UsageError(error.message) : error;
  }
  const staticDir = io.staticDir ?? defaultStaticDir() ?? path.resolve('renderer', 'dist');
  let server;
  try {
    server = await startWebServer({
      api,
      port: flags.port,
      staticDir,
      onError: (error, request) =>
        io.stderr(`tandem serve: ${request.method} ${request.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
    });
  } catch (error) {
    failed.abort();
    await api.close();
    lock.release();
    throw error instanceof WebServerError ? new UsageError(error.message) : error;
  }
  io.stdout(`Tandem web mode: ${server.url}\n`);
  const built = existsSync(path.join(staticDir, 'index.html'));
  io.stderr(
    `serving ${dbPath}${built ? '' : ` (the workbench is not built yet: run \`npm run build\`; the API works meanwhile)`}; press Ctrl-C to stop\n`,
  );
  if (flags.open) io.openBrowser(server.url);
  const reason = await stopped;
  const active = api.activeRuns();
  io.stderr(`stopping (${reason})${active.length > 0 ? `: cancelling run${active.length > 1 ? 's' : ''} ${active.join(', ')}` : ''}…\n`);
  await server.close();
  await api.close();
  lock.release();
}
