// `tandem serve [--port N] [--db file] [--no-open]`: web mode. Opens the API over the workspace
// database, serves it and the built renderer on 127.0.0.1 behind a random access token, prints a
// one-time link (its code, not the token, which the page exchanges for a session cookie) as one
// line on stdout, opens the browser on another one-time link unless --no-open (through a private
// redirect file: see open-browser.ts), prints a fresh link whenever Enter is pressed in the
// terminal, and runs until SIGINT or SIGTERM; then it stops the server and closes the API, which
// cancels active runs and pulls cleanly (a second signal exits at once). Programmatic clients set
// TANDEM_WEB_TOKEN to a token of their choosing and send it as `Authorization: Bearer <token>`.

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createApi, isApiError, type Api } from '../../api/index.ts';
import { defaultStaticDir, startWebServer, WebServerError } from '../../web/index.ts';
import { checkToken } from '../../web/security.ts';
import { lockWorkspace, WorkspaceLockError, type WorkspaceLock } from '../../host/workspace-lock.ts';
import { integer, resolveDbPath } from '../options.ts';
import { UsageError } from '../user-error.ts';
import { openInBrowser } from '../open-browser.ts';
import { resolveModelLibraryDir } from './models.ts';

export interface ServeCommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Resolves (with what asked for it, e.g. 'SIGINT') when the server should stop; `cancel` aborts when serving failed to start. */
  waitForStop(cancel: AbortSignal): Promise<string>;
  /** Opens the URL (a one-time link) in the user's browser; failures are ignored. */
  openBrowser(url: string): void;
  /** Calls `listener` whenever the user asks for a new link (Enter in the terminal); returns how to stop listening. */
  onNewLinkRequest?(listener: () => void): () => void;
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

/** Enter on an interactive stdin; nothing when stdin is not a terminal. */
function onEnter(listener: () => void): () => void {
  const stdin = process.stdin;
  if (!stdin.isTTY) return () => {};
  const onData = (chunk: Buffer): void => {
    if (chunk.includes(10) || chunk.includes(13)) listener();
  };
  stdin.on('data', onData);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.pause();
    stdin.unref(); // a paused terminal must not keep the process alive
  };
}

/** The real process: stdout/stderr, process.env, SIGINT/SIGTERM, the system browser. */
export function processIO(): ServeCommandIO {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    waitForStop: waitForSignal,
    openBrowser: (url) => openInBrowser(url, process.env),
    onNewLinkRequest: onEnter,
  };
}

export interface ServeFlags {
  port: number;
  db?: string;
  open: boolean;
}

const SERVE_HELP_AFTER = `
The printed link holds a one-time code, not the access token: the page exchanges it for a
session cookie, so the link works once and for 5 minutes; press Enter in this terminal for a new
one. Scripts and other programs set TANDEM_WEB_TOKEN (at least 16 characters) before starting
the server and send it as \`Authorization: Bearer <token>\`; a token in the URL is refused.
`;

export function registerServeCommand(program: Command, io: ServeCommandIO = processIO()): void {
  program
    .command('serve')
    .description('web mode: serve the workbench and its API on 127.0.0.1 (the printed link works once; Enter prints a new one)')
    .option('--port <n>', 'port to listen on (0: a free one)', integer('--port', 0, 65535), 0)
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--no-open', 'do not open the URL in a browser')
    .addHelpText('after', SERVE_HELP_AFTER)
    .action((flags: ServeFlags) => serveWorkspace(flags, io));
}

/** Web mode until a stop signal: what `tandem serve` runs, and `tandem start` where Electron cannot start. */
export async function serveWorkspace(flags: ServeFlags, io: ServeCommandIO): Promise<void> {
  // Listening for the stop signal from the start: one that arrives while the server starts
  // still closes it cleanly.
  const failed = new AbortController();
  const stopped = io.waitForStop(failed.signal);
  const envToken = io.env.TANDEM_WEB_TOKEN;
  const tokenProblem = envToken ? checkToken(envToken) : null;
  if (tokenProblem) {
    failed.abort();
    throw new UsageError(`TANDEM_WEB_TOKEN: ${tokenProblem}`);
  }
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
      ...(envToken ? { token: envToken } : {}),
      onError: (error, request) =>
        io.stderr(`tandem serve: ${request.method} ${request.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
    });
  } catch (error) {
    failed.abort();
    await api.close();
    lock.release();
    throw error instanceof WebServerError ? new UsageError(error.message) : error;
  }
  const web = server;
  io.stdout(`Tandem web mode: ${web.url}\n`);
  const built = existsSync(path.join(staticDir, 'index.html'));
  io.stderr(
    `serving ${dbPath}${built ? '' : ` (the workbench is not built yet: run \`npm run build\`; the API works meanwhile)`}; the link works once, for 5 minutes: press Enter for a new one, Ctrl-C to stop\n`,
  );
  // The browser gets a link of its own: the printed one stays good for another browser.
  if (flags.open) io.openBrowser(web.newLink());
  const stopListening = io.onNewLinkRequest?.(() => io.stdout(`Tandem web mode: ${web.newLink()}\n`)) ?? (() => {});
  const reason = await stopped;
  stopListening();
  const active = api.activeRuns();
  io.stderr(`stopping (${reason})${active.length > 0 ? `: cancelling run${active.length > 1 ? 's' : ''} ${active.join(', ')}` : ''}…\n`);
  await server.close();
  await api.close();
  lock.release();
}
