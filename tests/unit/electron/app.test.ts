// The main process wiring (electron/app.ts) against a fake Electron: the single-instance lock,
// the window's security settings and page, the port handed to the page that asks for it (and
// to nothing else), the API host closed before quitting, and what happens when the workspace
// cannot be opened.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ELECTRON_EXIT_CANNOT_START, HANDSHAKE_ALREADY_RUNNING, HANDSHAKE_READY, LAUNCHED_BY_CLI_ENV } from '../../../core/host/electron-handshake.ts';
import { appFiles, type AppFiles } from '../../../electron/app-files.ts';
import { startApp } from '../../../electron/app.ts';
import { classifyHostFailure } from '../../../electron/host-messages.ts';
import { CONNECT_CHANNEL, PORT_CHANNEL } from '../../../electron/preload-setup.ts';
import { fakeElectron, type HostBehaviour } from './fake-electron.ts';

let root: string;
let files: AppFiles;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tandem-app-'));
  files = appFiles(path.join(root, 'dist', 'electron'));
  mkdirSync(path.dirname(files.rendererIndex), { recursive: true });
  mkdirSync(path.dirname(files.preload), { recursive: true });
  for (const file of [files.rendererIndex, files.preload, files.host]) writeFileSync(file, '');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function start(options: { lock?: boolean; hosts?: Record<string, HostBehaviour>; argv?: string[]; env?: Record<string, string> } = {}) {
  const fake = fakeElectron(options);
  const printed: string[] = [];
  const done = startApp({
    electron: fake.electron,
    files,
    argv: options.argv ?? ['/usr/bin/electron', path.join(root, 'dist', 'electron', 'main.cjs')],
    env: options.env ?? {},
    cwd: '/work',
    platform: 'linux',
    versions: process.versions,
    print: (line) => printed.push(line),
  });
  return { ...fake, printed, done };
}

const databaseFailure = classifyHostFailure({ code: 'database', message: '/work/bad.db is not a SQLite database (SQLite says: file is not a database).' });

describe('startApp', () => {
  it('quits at once, saying so, when another instance holds the lock', async () => {
    const { done, record, printed } = start({ lock: false });
    await done;
    expect(printed).toEqual([HANDSHAKE_ALREADY_RUNNING]);
    expect(record.quit).toBe(1);
    expect(record.windows).toHaveLength(0);
    expect(record.forks).toHaveLength(0);
  });

  it('opens one secure window on the built renderer once the API host is ready', async () => {
    const { done, record, printed } = start();
    await done;
    const dbPath = '/home/u/.config/Tandem/.tandem/tandem.db';
    expect(record.forks.map((f) => [f.modulePath, f.args])).toEqual([[files.host, ['--db', dbPath]]]);
    expect(record.windows).toHaveLength(1);
    const [window] = record.windows;
    expect(window!.options.webPreferences).toMatchObject({ preload: files.preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(window!.loaded).toBe(files.rendererIndex);
    expect(window!.shown).toBe(true);
    expect(window!.title).toBe(`Tandem — ${dbPath}`);
    expect(window!.webContents.openHandler).toBeTypeOf('function');
    expect(record.headersGuard).toBe(true);
    expect(record.menu).not.toBeNull();
    expect(printed).toEqual([HANDSHAKE_READY]);
  });

  it('offers the DevTools toggle only in a development session (TANDEM_DEVTOOLS=1)', async () => {
    type Item = { role?: string; submenu?: Item[] };
    const roles = (menu: unknown): string[] => {
      const walk = (items: Item[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? walk(i.submenu) : [])]);
      return walk((menu as { template: Item[] }).template);
    };
    const everyday = start();
    await everyday.done;
    expect(roles(everyday.record.menu)).not.toContain('toggleDevTools');
    expect(roles(everyday.record.menu)).toContain('reload');
    expect(everyday.record.windows[0]!.options.webPreferences).toMatchObject({ devTools: false });

    const development = start({ env: { TANDEM_DEVTOOLS: '1' } });
    await development.done;
    expect(roles(development.record.menu)).toContain('toggleDevTools');
    expect(development.record.windows[0]!.options.webPreferences).toMatchObject({ devTools: true });
  });

  it('opens the --db workspace (relative to the working folder), else $TANDEM_DB', async () => {
    const flagged = start({ argv: ['/usr/bin/electron', 'main.cjs', '--db', 'runs/exp.db'] });
    await flagged.done;
    expect(flagged.record.forks[0]!.args).toEqual(['--db', '/work/runs/exp.db']);
    const fromEnv = start({ env: { TANDEM_DB: '/data/t.db' } });
    await fromEnv.done;
    expect(fromEnv.record.forks[0]!.args).toEqual(['--db', '/data/t.db']);
  });

  it("hands a port to the window's own page when it asks, and to nothing else", async () => {
    const { done, record, ipcMain } = start();
    await done;
    const { webContents } = record.windows[0]!;
    const [host] = record.forks;
    ipcMain.emit(CONNECT_CHANNEL, { sender: {}, senderFrame: webContents.mainFrame });
    ipcMain.emit(CONNECT_CHANNEL, { sender: webContents, senderFrame: { url: 'https://evil.example/' } });
    ipcMain.emit(CONNECT_CHANNEL, { sender: webContents, senderFrame: null });
    expect(webContents.posted).toHaveLength(0);
    ipcMain.emit(CONNECT_CHANNEL, { sender: webContents, senderFrame: webContents.mainFrame });
    expect(webContents.posted).toEqual([{ channel: PORT_CHANNEL, message: null, transfer: [{ name: 'port2' }] }]);
    expect(host!.messages).toEqual([{ message: { type: 'connect' }, transfer: [{ name: 'port1' }] }]);
  });

  it('closes the API host before quitting', async () => {
    const { done, record, electron } = start();
    await done;
    const [host] = record.forks;
    electron.app.quit();
    expect(host!.messages.map((m) => m.message)).toEqual([{ type: 'close' }]);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(record.quit).toBe(2); // once asked, once again after the host ended
    expect(host!.killed).toBe(false);
  });

  it('offers another file when the workspace cannot be opened, and opens the one chosen', async () => {
    const fake = fakeElectron({ hosts: { '/work/bad.db': { failure: databaseFailure } } });
    fake.record.openDialogAnswers.push('/work/good.db');
    const printed: string[] = [];
    await startApp({ electron: fake.electron, files, argv: ['electron', 'main.cjs', '--db', '/work/bad.db'], env: {}, cwd: '/work', platform: 'linux', versions: process.versions, print: (l) => printed.push(l) });
    const { record } = fake;
    expect(record.messageBoxes).toHaveLength(1);
    expect(record.messageBoxes[0]).toMatchObject({ type: 'error', buttons: ['Open Another Workspace…', 'Quit'] });
    expect(String(record.messageBoxes[0]!.detail)).toContain('not a SQLite database');
    expect(String(record.messageBoxes[0]!.detail)).toContain('The file was left as it is.');
    expect(record.forks.map((f) => f.args[1])).toEqual(['/work/bad.db', '/work/good.db']);
    expect(record.forks[0]!.messages.map((m) => m.message)).toEqual([{ type: 'close' }]); // the failed host is told to end
    expect(record.windows[0]!.title).toBe('Tandem — /work/good.db');
    expect(printed).toEqual([HANDSHAKE_READY]);
  });

  it('quits without a window when the user gives up on an unusable workspace', async () => {
    const fake = fakeElectron({ hosts: { '/work/bad.db': { failure: databaseFailure } } });
    fake.record.messageBoxAnswers.push(1); // Quit
    await startApp({ electron: fake.electron, files, argv: ['electron', 'main.cjs', '--db', '/work/bad.db'], env: {}, cwd: '/work', platform: 'linux', versions: process.versions, print: () => {} });
    expect(fake.record.windows).toHaveLength(0);
    expect(fake.record.quit).toBe(1);
    expect(fake.record.exitCode).toBeNull();
  });

  it('tells `tandem start` why it cannot start when better-sqlite3 is built for Node, instead of a dialog', async () => {
    const nativeFailure = classifyHostFailure({ code: 'database', message: 'cannot open database x (… NODE_MODULE_VERSION 115 …)' });
    const { done, record, printed } = start({ hosts: { '/work/t.db': { failure: nativeFailure } }, argv: ['electron', 'main.cjs', '--db', '/work/t.db'], env: { [LAUNCHED_BY_CLI_ENV]: '1' } });
    await done;
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^tandem-electron: cannot-start better-sqlite3 is built for Node\.js, not for Electron: run `npx @electron\/rebuild -o better-sqlite3`/);
    expect(record.exitCode).toBe(ELECTRON_EXIT_CANNOT_START);
    expect(record.messageBoxes).toHaveLength(0);
    expect(record.errorBoxes).toHaveLength(0);
    expect(record.windows).toHaveLength(0);
  });

  it('shows an error box for the same problem when started on its own', async () => {
    const nativeFailure = classifyHostFailure({ code: 'internal', message: 'was compiled against a different Node.js version' });
    const { done, record, printed } = start({ hosts: { '/work/t.db': { failure: nativeFailure } }, argv: ['electron', 'main.cjs', '--db', '/work/t.db'] });
    await done;
    expect(printed).toEqual([]);
    expect(record.errorBoxes).toHaveLength(1);
    expect(record.errorBoxes[0]!.content).toMatch(/@electron\/rebuild/);
    expect(record.exitCode).toBe(ELECTRON_EXIT_CANNOT_START);
  });

  it('says the workbench is not built when renderer/dist/index.html is missing', async () => {
    rmSync(files.rendererIndex);
    const { done, record, printed } = start({ env: { [LAUNCHED_BY_CLI_ENV]: '1' } });
    await done;
    expect(printed).toEqual([`tandem-electron: cannot-start the workbench is not built: ${files.rendererIndex} is missing; run \`npm run build\``]);
    expect(record.forks).toHaveLength(0);
    expect(record.exitCode).toBe(ELECTRON_EXIT_CANNOT_START);
  });

  it('offers to restart the API host after a crash, and reloads the page onto the new one', async () => {
    const { done, record } = start();
    await done;
    const [host] = record.forks;
    host!.emit('exit', 134);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(record.messageBoxes[0]).toMatchObject({ message: 'The Tandem backend stopped', buttons: ['Restart', 'Quit'] });
    expect(record.forks).toHaveLength(2);
    expect(record.windows[0]!.webContents.reloads).toBe(1);
  });
});
