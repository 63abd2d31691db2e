// API keys in the desktop app, through main's IPC handlers as app.ts installs them (fake
// Electron): bad input and other senders refused, no value ever in a reply, and the keys in the
// API host's environment (never its command line) from its next start on.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appFiles, type AppFiles } from '../../../electron/app-files.ts';
import { startApp } from '../../../electron/app.ts';
import { REPORT_PDF_CHANNEL, SECRETS_DELETE_CHANNEL, SECRETS_LIST_CHANNEL, SECRETS_SET_CHANNEL } from '../../../electron/preload-setup.ts';
import { installSecretHandlers, type SecretsInvokeEvent } from '../../../electron/secret-ipc.ts';
import { createSecretStore } from '../../../electron/secret-store.ts';
import { fakeElectron, fakeSafeStorage, type InvokeHandler } from './fake-electron.ts';

const KEY = 'sk-proj-PLAINTEXT-abc123';

let root: string;
let userData: string;
let files: AppFiles;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tandem-secret-ipc-'));
  userData = path.join(root, 'userData');
  files = appFiles(path.join(root, 'dist', 'electron'));
  mkdirSync(path.dirname(files.rendererIndex), { recursive: true });
  mkdirSync(path.dirname(files.preload), { recursive: true });
  for (const file of [files.rendererIndex, files.preload, files.host]) writeFileSync(file, '');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

async function started(options: { env?: Record<string, string>; safeStorage?: ReturnType<typeof fakeSafeStorage> } = {}) {
  const safeStorage = options.safeStorage ?? fakeSafeStorage();
  const fake = fakeElectron({ userData, safeStorage });
  const logged: string[] = [];
  await startApp({
    electron: fake.electron,
    files,
    argv: ['electron', 'main.cjs', '--db', '/work/t.db'],
    env: options.env ?? {},
    cwd: '/work',
    platform: 'linux',
    versions: process.versions,
    print: () => {},
    log: (line) => logged.push(line),
  });
  const { webContents } = fake.record.windows[0]!;
  const fromPage = { sender: webContents, senderFrame: webContents.mainFrame };
  const invoke = (channel: string, ...args: unknown[]) => fake.ipcMain.invoke(channel, fromPage, ...args);
  return { ...fake, safeStorage, logged, webContents, fromPage, invoke };
}

const ticks = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('secrets over IPC', () => {
  it('registers the three channels and lists, sets and deletes keys for the app page', async () => {
    const app = await started();
    expect([...app.handlers.keys()].sort()).toEqual([REPORT_PDF_CHANNEL, SECRETS_DELETE_CHANNEL, SECRETS_LIST_CHANNEL, SECRETS_SET_CHANNEL]);
    expect(await app.invoke(SECRETS_LIST_CHANNEL)).toEqual({ ok: true, result: [] });
    expect(await app.invoke(SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', `  ${KEY}\n`, [])).toEqual({ ok: true, result: null });
    expect(await app.invoke(SECRETS_SET_CHANNEL, 'HF_TOKEN', 'hf_abc', ['https://hub.example/'])).toEqual({ ok: true, result: null });
    expect(await app.invoke(SECRETS_LIST_CHANNEL)).toEqual({
      ok: true,
      result: [
        { name: 'HF_TOKEN', origins: ['https://hub.example'] },
        { name: 'OPENAI_API_KEY', origins: [] },
      ],
    });
    expect(await app.invoke(SECRETS_DELETE_CHANNEL, 'HF_TOKEN')).toEqual({ ok: true, result: null });
    expect(await app.invoke(SECRETS_DELETE_CHANNEL, 'HF_TOKEN')).toEqual({ ok: true, result: null });
    expect(await app.invoke(SECRETS_LIST_CHANNEL)).toEqual({ ok: true, result: [{ name: 'OPENAI_API_KEY', origins: [] }] });
    // Stored trimmed, encrypted, in <userData>/secrets.json.
    const text = readFileSync(path.join(userData, 'secrets.json'), 'utf8');
    expect(text).not.toContain(KEY);
    expect(createSecretStore({ safeStorage: app.safeStorage, dir: userData }).decryptAll()).toEqual({ OPENAI_API_KEY: KEY });
  });

  it('refuses calls from anything but the app page in the app window', async () => {
    const app = await started();
    const foreign: SecretsInvokeEvent[] = [
      { sender: {}, senderFrame: app.webContents.mainFrame },
      { sender: app.webContents, senderFrame: { url: 'https://evil.example/' } },
      { sender: app.webContents, senderFrame: { url: 'file:///tmp/other/index.html' } },
      { sender: app.webContents, senderFrame: null },
    ];
    for (const event of foreign) {
      for (const [channel, args] of [
        [SECRETS_LIST_CHANNEL, []],
        [SECRETS_SET_CHANNEL, ['OPENAI_API_KEY', KEY, []]],
        [SECRETS_DELETE_CHANNEL, ['OPENAI_API_KEY']],
      ] as const) {
        expect(await app.ipcMain.invoke(channel, event, ...args)).toEqual({ ok: false, error: { code: 'invalid-input', message: 'refused: API keys can only be managed from the Tandem window' } });
      }
    }
    expect(app.safeStorage.state.encrypted).toBe(0);
    expect(await app.invoke(SECRETS_LIST_CHANNEL)).toEqual({ ok: true, result: [] });
  });

  it('refuses bad names, bad values and wrong argument counts, without echoing a value', async () => {
    const app = await started();
    const bad: unknown[][] = [
      [SECRETS_SET_CHANNEL, 'openai_api_key', KEY, []],
      [SECRETS_SET_CHANNEL, 'NODE_OPTIONS', '--require /tmp/x.js', []],
      [SECRETS_SET_CHANNEL, 'HTTPS_PROXY', 'http://evil.example', []],
      [SECRETS_SET_CHANNEL, { toString: () => 'OPENAI_API_KEY' }, KEY, []],
      [SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', 42, []],
      [SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', { value: KEY }, []],
      [SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', '   ', []],
      [SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', `${KEY}`.padEnd(4097, 'x'), []],
      [SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', `${KEY}\r\n${KEY}`, []],
      [SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', KEY, ['file:///etc']],
      [SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', KEY, 'https://evil.example'],
      [SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', KEY],
      [SECRETS_SET_CHANNEL, 'OPENAI_API_KEY'],
      [SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', KEY, [], 'extra'],
      [SECRETS_DELETE_CHANNEL, 'PATH'],
      [SECRETS_DELETE_CHANNEL],
      [SECRETS_LIST_CHANNEL, 'x'],
    ];
    for (const [channel, ...args] of bad) {
      const reply = (await app.invoke(channel as string, ...args)) as { ok: boolean; error: { code: string; message: string } };
      expect(reply.ok, JSON.stringify(args)).toBe(false);
      expect(reply.error.code).toBe('invalid-input');
      expect(reply.error.message).not.toContain('PLAINTEXT');
    }
    expect(app.safeStorage.state.encrypted).toBe(0);
    expect(await app.invoke(SECRETS_LIST_CHANNEL)).toEqual({ ok: true, result: [] });
  });

  it('says why nothing can be stored when encryption is not available', async () => {
    const app = await started({ safeStorage: fakeSafeStorage({ available: false }) });
    const reply = (await app.invoke(SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', KEY, [])) as { ok: false; error: { code: string; message: string } };
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('config');
    expect(reply.error.message).toMatch(/not available on this system/);
  });

  it("starts the API host with the stored keys in its environment (over inherited ones), never on its command line", async () => {
    mkdirSync(userData, { recursive: true });
    createSecretStore({ safeStorage: fakeSafeStorage(), dir: userData }).set('OPENAI_API_KEY', KEY);
    const app = await started({ env: { PATH: '/usr/bin', OPENAI_API_KEY: 'sk-from-the-shell', TANDEM_LAUNCHED_BY_CLI: '0' } });
    const [host] = app.record.forks;
    expect(host!.options.env).toEqual({ PATH: '/usr/bin', OPENAI_API_KEY: KEY, TANDEM_LAUNCHED_BY_CLI: '0' });
    expect(host!.args).toEqual(['--db', '/work/t.db']);
    expect(JSON.stringify(host!.args)).not.toContain('PLAINTEXT');
    expect(JSON.stringify(host!.messages)).not.toContain('PLAINTEXT');
    expect(app.logged).toEqual([]);
  });

  it('ties each stored key to its origins in the host\'s TANDEM_KEY_ORIGINS, after the inherited entries', async () => {
    mkdirSync(userData, { recursive: true });
    createSecretStore({ safeStorage: fakeSafeStorage(), dir: userData }).set('MY_VLLM_KEY', KEY, ['http://gpu-box:8000/v1', 'https://b.example']);
    const app = await started({ env: { PATH: '/usr/bin', TANDEM_KEY_ORIGINS: 'OTHER_KEY=https://a.example' } });
    expect(app.record.forks[0]!.options.env).toEqual({
      PATH: '/usr/bin',
      MY_VLLM_KEY: KEY,
      TANDEM_KEY_ORIGINS: 'OTHER_KEY=https://a.example MY_VLLM_KEY=http://gpu-box:8000 MY_VLLM_KEY=https://b.example',
    });
  });

  it('hands a changed key to the host from its next start on, not to the running one', async () => {
    const app = await started({ env: { PATH: '/usr/bin' } });
    const [first] = app.record.forks;
    expect(first!.options.env).toEqual({ PATH: '/usr/bin' });
    await app.invoke(SECRETS_SET_CHANNEL, 'OPENAI_API_KEY', KEY, []);
    expect(app.record.forks).toHaveLength(1); // runs in progress are not cancelled
    expect(first!.messages).toEqual([]);
    first!.emit('exit', 134); // the next start: a restart after a crash
    await ticks();
    expect(app.record.forks).toHaveLength(2);
    expect(app.record.forks[1]!.options.env).toEqual({ PATH: '/usr/bin', OPENAI_API_KEY: KEY });
    await app.invoke(SECRETS_DELETE_CHANNEL, 'OPENAI_API_KEY');
    app.record.forks[1]!.emit('exit', 134);
    await ticks();
    expect(app.record.forks[2]!.options.env).toEqual({ PATH: '/usr/bin' });
  });

  it('starts the host without stored keys, saying so by name only, when they cannot be decrypted', async () => {
    mkdirSync(userData, { recursive: true });
    createSecretStore({ safeStorage: fakeSafeStorage(), dir: userData }).set('OPENAI_API_KEY', KEY);
    const app = await started({ env: { PATH: '/usr/bin' }, safeStorage: fakeSafeStorage({ available: false }) });
    expect(app.record.forks[0]!.options.env).toEqual({ PATH: '/usr/bin' });
    expect(app.record.windows).toHaveLength(1);
    expect(app.logged).toHaveLength(1);
    expect(app.logged[0]).toContain('OPENAI_API_KEY');
    expect(app.logged[0]).not.toContain('PLAINTEXT');
  });
});

describe('installSecretHandlers', () => {
  it('reports a store failure as an error reply, and tells about changes by name', async () => {
    const handlers = new Map<string, InvokeHandler>();
    const changes: unknown[] = [];
    const store = {
      file: '/x/secrets.json',
      list: () => {
        throw new Error('EACCES: permission denied, open /x/secrets.json');
      },
      set: () => {},
      delete: () => true,
      decryptAll: () => ({}),
    };
    installSecretHandlers({ handle: (channel, listener) => handlers.set(channel, listener as InvokeHandler) }, store, { isAppSender: () => true, onChange: (change) => changes.push(change) });
    expect(await handlers.get(SECRETS_LIST_CHANNEL)!({})).toEqual({ ok: false, error: { code: 'internal', message: 'EACCES: permission denied, open /x/secrets.json' } });
    await handlers.get(SECRETS_SET_CHANNEL)!({}, 'OPENAI_API_KEY', KEY, []);
    await handlers.get(SECRETS_DELETE_CHANNEL)!({}, 'OPENAI_API_KEY');
    expect(changes).toEqual([
      { name: 'OPENAI_API_KEY', action: 'set' },
      { name: 'OPENAI_API_KEY', action: 'delete' },
    ]);
  });
});
