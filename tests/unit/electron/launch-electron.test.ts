// `tandem start`'s decision: when the desktop app cannot start (no display, not built, no
// binary, a binary that fails before its window is up) it says why in one line and falls back
// to web mode; when it starts, its output is passed through and its exit code is kept. Electron
// is played by Node running small scripts in place of dist/electron/main.cjs.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerStartCommand, type StartCommandIO } from '../../../core/cli/commands/start.ts';
import { LAUNCHED_BY_CLI_ENV } from '../../../core/host/electron-handshake.ts';
import { ElectronUnavailable, launchElectron, preflight, resolveElectronBinary, type ElectronOutcome, type LaunchOptions } from '../../../core/cli/launch-electron.ts';

let root: string;
const display = { DISPLAY: ':0' };

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tandem-launch-'));
  mkdirSync(path.join(root, 'dist', 'electron'), { recursive: true });
  mkdirSync(path.join(root, 'renderer', 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'renderer', 'dist', 'index.html'), '<!doctype html>');
  writeFileSync(path.join(root, 'dist', 'electron', 'main.cjs'), '');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Runs launchElectron with Node as the "Electron binary" and `script` as the app's main. */
async function launchWith(script: string, extra: Partial<LaunchOptions> = {}) {
  writeFileSync(path.join(root, 'dist', 'electron', 'main.cjs'), script);
  let stdout = '';
  let stderr = '';
  const started: Array<number | undefined> = [];
  const outcome = await launchElectron({
    dbPath: '/work/.tandem/tandem.db',
    packageRoot: root,
    env: { ...display, PATH: process.env.PATH, ELECTRON_RUN_AS_NODE: '1' },
    platform: 'linux',
    resolveElectron: () => process.execPath,
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    onStarted: (pid) => started.push(pid),
    forwardSignals: false,
    ...extra,
  });
  return { outcome, stdout, stderr, started };
}

describe('preflight', () => {
  it('needs a display on Linux, and the built app and workbench', () => {
    expect(preflight({ env: {}, platform: 'linux', packageRoot: root })).toBe('no display: neither DISPLAY nor WAYLAND_DISPLAY is set');
    expect(preflight({ env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux', packageRoot: root })).toBeNull();
    expect(preflight({ env: {}, platform: 'darwin', packageRoot: root })).toBeNull();
    expect(preflight({ env: display, platform: 'linux', packageRoot: null })).toMatch(/package folder was not found/);
    rmSync(path.join(root, 'renderer', 'dist', 'index.html'));
    expect(preflight({ env: display, platform: 'linux', packageRoot: root })).toBe('the workbench is not built: renderer/dist/index.html is missing; `npm run build` builds it');
    rmSync(path.join(root, 'dist', 'electron', 'main.cjs'));
    expect(preflight({ env: display, platform: 'linux', packageRoot: root })).toBe('the desktop app is not built: dist/electron/main.cjs is missing; `npm run build` builds it');
  });
});

describe('resolveElectronBinary', () => {
  it('reads path.txt like the electron package does, and never downloads', () => {
    const pkg = path.join(root, 'electron-pkg');
    mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    expect(() => resolveElectronBinary({}, pkg)).toThrow(ElectronUnavailable);
    expect(() => resolveElectronBinary({}, pkg)).toThrow(/never downloaded: node_modules\/electron\/path\.txt is missing/);
    writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    expect(() => resolveElectronBinary({}, pkg)).toThrow(/the Electron binary .*dist\/electron is missing/);
    writeFileSync(path.join(pkg, 'dist', 'electron'), '');
    expect(resolveElectronBinary({}, pkg)).toBe(path.join(pkg, 'dist', 'electron'));
    const override = path.join(root, 'override');
    mkdirSync(override);
    expect(() => resolveElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: override }, pkg)).toThrow(/ELECTRON_OVERRIDE_DIST_PATH names no Electron binary/);
    writeFileSync(path.join(override, 'electron'), '');
    expect(resolveElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: override }, pkg)).toBe(path.join(override, 'electron'));
  });

  it('finds the installed electron package (whose binary is not downloaded on this machine, or is)', () => {
    try {
      expect(resolveElectronBinary({})).toMatch(/electron/);
    } catch (error) {
      expect(error).toBeInstanceOf(ElectronUnavailable);
    }
  });
});

describe('launchElectron', () => {
  it('is unavailable, with the resolver\'s reason, when there is no binary', async () => {
    const outcome = await launchElectron({
      dbPath: '/x.db',
      packageRoot: root,
      env: display,
      platform: 'linux',
      resolveElectron: () => {
        throw new ElectronUnavailable('the Electron binary was never downloaded');
      },
      stdout: () => {},
      stderr: () => {},
      forwardSignals: false,
    });
    expect(outcome).toEqual({ kind: 'unavailable', reason: 'the Electron binary was never downloaded' });
  });

  it('is unavailable when the binary cannot be run', async () => {
    const { outcome } = await launchWith('', { resolveElectron: () => path.join(root, 'no-such-electron') });
    expect(outcome.kind).toBe('unavailable');
    expect((outcome as { reason: string }).reason).toMatch(/^cannot run .*no-such-electron: .*ENOENT/);
  });

  it('is unavailable, with its last line, when Electron exits with an error before its window is up', async () => {
    const { outcome, stdout, stderr, started } = await launchWith(
      "console.log('some startup chatter'); console.error('[1:ERROR:ozone] noise'); console.error('electron: error while loading shared libraries: libnss3.so: cannot open shared object file'); process.exit(127);",
    );
    expect(outcome).toEqual({ kind: 'unavailable', reason: 'electron: error while loading shared libraries: libnss3.so: cannot open shared object file' });
    expect(stdout + stderr).toBe(''); // held back: the fallback says it in one line
    expect(started).toEqual([]);
  });

  it('takes the reason the app gives (cannot-start), e.g. better-sqlite3 built for Node', async () => {
    const { outcome } = await launchWith("console.log('tandem-electron: cannot-start better-sqlite3 is built for Node.js, not for Electron'); process.exit(78);");
    expect(outcome).toEqual({ kind: 'unavailable', reason: 'better-sqlite3 is built for Node.js, not for Electron' });
    const killed = await launchWith("process.kill(process.pid, 'SIGKILL');");
    expect(killed.outcome).toEqual({ kind: 'unavailable', reason: 'it was ended by SIGKILL' });
  });

  it('runs the app with --db and the CLI marker, passes its output through once up, and keeps its exit code', async () => {
    const { outcome, stdout, stderr, started } = await launchWith(
      [
        "console.log('before ' + JSON.stringify({ args: process.argv.slice(2), cli: process.env." + LAUNCHED_BY_CLI_ENV + ", runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));",
        "console.log('tandem-electron: ready');",
        "console.log('after');",
        "console.error('a warning');",
        'setTimeout(() => process.exit(3), 50);',
      ].join('\n'),
    );
    expect(outcome).toEqual({ kind: 'closed', code: 3 });
    expect(started).toHaveLength(1);
    expect(stderr).toContain(`before ${JSON.stringify({ args: ['--db', '/work/.tandem/tandem.db'], cli: '1', runAsNode: null })}`);
    expect(stderr).toContain('a warning');
    expect(stdout).toBe('after\n');
    expect(stdout + stderr).not.toContain('tandem-electron:');
  });

  it('reports a closed app (no fallback) when it exits cleanly before its window is up: the user chose Quit', async () => {
    const { outcome } = await launchWith('process.exit(0);');
    expect(outcome).toEqual({ kind: 'closed', code: 0 });
  });

  it('reports another instance that already has the window', async () => {
    const { outcome } = await launchWith("console.log('tandem-electron: already-running'); process.exit(0);");
    expect(outcome).toEqual({ kind: 'already-running' });
  });
});

describe('tandem start (in process)', () => {
  async function runStart(args: string[], outcome: ElectronOutcome | null) {
    let out = '';
    let err = '';
    const launched: LaunchOptions[] = [];
    let stop: (reason: string) => void = () => {};
    const staticDir = path.join(root, 'renderer', 'dist');
    const io: StartCommandIO = {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      env: {},
      waitForStop: () => new Promise((resolve) => (stop = resolve)),
      openBrowser: () => {},
      staticDir,
      packageRoot: root,
      launchElectron: async (options) => {
        launched.push(options);
        if (!outcome) throw new Error('launchElectron must not be called');
        return outcome;
      },
    };
    const program = new Command('tandem').exitOverride();
    registerStartCommand(program, io);
    let finished = false;
    const done = program.parseAsync(['start', ...args], { from: 'user' }).finally(() => (finished = true));
    // Until web mode printed its URL, or the command ended without it.
    for (let waited = 0; !out.includes('\n') && !finished && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    return { out: () => out, err: () => err, launched, stop: (reason = 'SIGTERM') => stop(reason), done };
  }

  it('falls back to web mode, saying why in one line, when Electron is unavailable', async () => {
    const db = path.join(root, 'ws', 'tandem.db');
    const run = await runStart(['--db', db, '--port', '0'], { kind: 'unavailable', reason: 'the Electron binary was never downloaded' });
    expect(run.launched.map((o) => o.dbPath)).toEqual([db]);
    expect(run.err()).toMatch(/^Electron cannot start here \(the Electron binary was never downloaded\); starting the workbench in web mode instead\.\n/);
    expect(run.out()).toMatch(/^Tandem web mode: http:\/\/127\.0\.0\.1:\d+\/\?code=[A-Za-z0-9_-]{43}\n$/);
    run.stop();
    await run.done;
    expect(run.err()).toContain('stopping (SIGTERM)');
  });

  it('skips Electron with --web', async () => {
    const run = await runStart(['--web', '--db', path.join(root, 'w.db'), '--port', '0'], null);
    expect(run.launched).toEqual([]);
    expect(run.err()).not.toContain('Electron cannot start');
    expect(run.out()).toMatch(/^Tandem web mode: /);
    run.stop();
    await run.done;
  });

  it('does not start web mode after the desktop app ran and closed', async () => {
    const run = await runStart(['--db', path.join(root, 'c.db')], { kind: 'closed', code: 0 });
    await run.done;
    expect(run.out()).toBe('');
    expect(run.err()).toBe('');
  });

  it('says so when Tandem is already open', async () => {
    const run = await runStart(['--db', path.join(root, 'a.db')], { kind: 'already-running' });
    await run.done;
    expect(run.out()).toBe('');
    expect(run.err()).toBe('Tandem is already open: its window was brought to the front\n');
  });
});

describe('launchElectron, quiet app', () => {
  it('counts an app that says nothing for quietMs as started: a later failure does not fall back', async () => {
    const { outcome, stderr } = await launchWith("console.error('old build, no handshake'); setTimeout(() => process.exit(1), 400);", { quietMs: 100 });
    expect(outcome).toEqual({ kind: 'closed', code: 1 });
    expect(stderr).toContain('old build, no handshake');
  });
});
