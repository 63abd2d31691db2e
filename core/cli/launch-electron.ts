// Can the desktop app start here, and if so run it until its window closes. `tandem start` falls
// back to web mode on every "no": no display, the app or the workbench not built, no Electron
// binary, a binary that cannot run, or an Electron that exits with an error before its window is
// up (see core/host/electron-handshake.ts for how the app says it is up) and within 15 s.
//
// The binary is found the way `require('electron')` finds it, without calling it: in electron 45
// that require downloads the binary when it is missing (synchronously, printing to our stdout),
// which is no way to find out that it is missing.

import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { LAUNCHED_BY_CLI_ENV, parseHandshake } from '../host/electron-handshake.ts';

export class ElectronUnavailable extends Error {
  override name = 'ElectronUnavailable';
}

type Env = Record<string, string | undefined>;

/** The Electron executable of the installed `electron` package; throws ElectronUnavailable saying why there is none. */
export function resolveElectronBinary(env: Env = process.env, packageDir?: string): string {
  let dir = packageDir;
  if (dir === undefined) {
    try {
      dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    } catch {
      throw new ElectronUnavailable('the electron package is not installed; `npm install` installs it');
    }
  }
  const pathFile = path.join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    if (!existsSync(binary)) throw new ElectronUnavailable(`ELECTRON_OVERRIDE_DIST_PATH names no Electron binary: ${binary} is missing`);
    return binary;
  }
  if (!relative) {
    throw new ElectronUnavailable('the Electron binary was never downloaded: node_modules/electron/path.txt is missing; with network access, `node node_modules/electron/install.js` fetches it');
  }
  const binary = path.join(dir, 'dist', relative);
  if (!existsSync(binary)) throw new ElectronUnavailable(`the Electron binary ${binary} is missing; reinstall the electron package`);
  return binary;
}

export type ElectronOutcome =
  /** Electron cannot start here; `reason` is one short clause for "Electron cannot start here (<reason>)". */
  | { kind: 'unavailable'; reason: string }
  /** Another Tandem window already has the lock; it was brought to the front. */
  | { kind: 'already-running' }
  /** Electron ran (or was closed by the user before its window came up) and exited with `code`. */
  | { kind: 'closed'; code: number };

export interface LaunchOptions {
  /** The workspace database, passed as --db so both modes open the same file. */
  dbPath: string;
  /** Tandem's package root: dist/electron/main.cjs and renderer/dist/index.html are looked up there. */
  packageRoot: string | null;
  env: Env;
  platform?: NodeJS.Platform;
  /** Default: resolveElectronBinary(env). */
  resolveElectron?: () => string;
  spawn?: typeof nodeSpawn;
  /** Electron's own output, passed through once its window is up (before, it is held back: a failed start is told in one line). */
  stdout(text: string): void;
  stderr(text: string): void;
  /** Called once the window is up. */
  onStarted?(pid: number | undefined): void;
  /** Forward SIGINT/SIGTERM to Electron while it runs (default true; tests turn it off). */
  forwardSignals?: boolean;
  /** After this long without the handshake, Electron counts as started (no fallback) and its output is passed through; default 15 s. */
  quietMs?: number;
}

/** Why Electron cannot start, found without starting it; null when it may. */
export function preflight(options: Pick<LaunchOptions, 'env' | 'platform' | 'packageRoot'>): string | null {
  const platform = options.platform ?? process.platform;
  if (platform === 'linux' && !options.env.DISPLAY && !options.env.WAYLAND_DISPLAY) return 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set';
  if (!options.packageRoot) return 'the Tandem package folder was not found';
  const main = path.join(options.packageRoot, 'dist', 'electron', 'main.cjs');
  if (!existsSync(main)) return 'the desktop app is not built: dist/electron/main.cjs is missing; `npm run build` builds it';
  const index = path.join(options.packageRoot, 'renderer', 'dist', 'index.html');
  if (!existsSync(index)) return 'the workbench is not built: renderer/dist/index.html is missing; `npm run build` builds it';
  return null;
}

/** The last line worth showing of what Electron printed, for the fallback message. */
function lastLine(text: string): string | null {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines.at(-1);
  if (!line) return null;
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}

export async function launchElectron(options: LaunchOptions): Promise<ElectronOutcome> {
  const problem = preflight(options);
  if (problem) return { kind: 'unavailable', reason: problem };
  let binary: string;
  try {
    binary = (options.resolveElectron ?? (() => resolveElectronBinary(options.env)))();
  } catch (error) {
    return { kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
  }
  const main = path.join(options.packageRoot!, 'dist', 'electron', 'main.cjs');
  const env: Env = { ...options.env, [LAUNCHED_BY_CLI_ENV]: '1' };
  delete env.ELECTRON_RUN_AS_NODE; // set, the binary would run main.cjs as plain Node
  let child: ChildProcess;
  try {
    child = (options.spawn ?? nodeSpawn)(binary, [main, '--db', options.dbPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return { kind: 'unavailable', reason: `cannot run ${binary}: ${error instanceof Error ? error.message : String(error)}` };
  }
  return watch(child, binary, options);
}

function watch(child: ChildProcess, binary: string, options: LaunchOptions): Promise<ElectronOutcome> {
  return new Promise((resolve) => {
    let live = false; // passing output through (the window is up, or it took long)
    let up = false;
    let held = '';
    let stdoutRest = '';
    let reason: string | null = null;
    let settled = false;
    const finish = (outcome: ElectronOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(quiet);
      removeSignals();
      resolve(outcome);
    };
    const goLive = (): void => {
      if (live) return;
      live = true;
      if (held) options.stderr(held);
      held = '';
    };
    // Past this, a later failure is the app's own business (a crash an hour in must not start
    // web mode behind the user's back), and its output is passed through.
    const quiet = setTimeout(() => {
      up = true;
      goLive();
    }, options.quietMs ?? 15_000);
    const out = (text: string, toStdout: boolean): void => {
      if (live) (toStdout ? options.stdout : options.stderr)(text);
      else held += text;
    };

    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const lines = (stdoutRest + chunk).split('\n');
      stdoutRest = lines.pop() ?? '';
      for (const line of lines) {
        const handshake = parseHandshake(line);
        if (!handshake) out(`${line}\n`, true);
        else if (handshake.kind === 'ready') {
          up = true;
          goLive();
          options.onStarted?.(child.pid);
        } else if (handshake.kind === 'already-running') {
          finish({ kind: 'already-running' });
        } else reason = handshake.reason;
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => out(chunk, false));

    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    const removeSignals = (): void => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    };
    if (options.forwardSignals ?? true) {
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
    }

    child.once('error', (error) => {
      finish({ kind: 'unavailable', reason: `cannot run ${binary}: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      const exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15);
      if (up || (exitCode === 0 && reason === null)) {
        finish({ kind: 'closed', code: exitCode });
        return;
      }
      const said = reason ?? lastLine(held) ?? (code === null ? `it was ended by ${signal}` : `it exited with code ${code}`);
      finish({ kind: 'unavailable', reason: said });
    });
  });
}
