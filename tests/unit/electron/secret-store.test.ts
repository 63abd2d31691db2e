// The desktop app's API key store (electron/secret-store.ts) with a fake safeStorage and a
// temporary folder: set, list, delete and decryptAll; names that are not a key's variable
// refused; nothing stored without encryption; the file 0600, written atomically, and never
// holding a key in plain text.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretStore, SecretStoreError, secretNameProblem, type SecretStore } from '../../../electron/secret-store.ts';
import { fakeSafeStorage } from './fake-electron.ts';

let dir: string;
let safeStorage: ReturnType<typeof fakeSafeStorage>;
let logged: string[];
let store: SecretStore;

const KEY = 'sk-proj-PLAINTEXT-abc123';

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-secrets-'));
  safeStorage = fakeSafeStorage();
  logged = [];
  store = createSecretStore({ safeStorage, dir, platform: 'linux', log: (line) => logged.push(line) });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function caught(run: () => unknown): SecretStoreError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretStoreError) return error;
    throw error;
  }
  throw new Error('expected a SecretStoreError');
}

describe('secret store', () => {
  it('starts empty, without creating a file', () => {
    expect(store.list()).toEqual([]);
    expect(store.decryptAll()).toEqual({});
    expect(existsSync(store.file)).toBe(false);
    expect(store.file).toBe(path.join(dir, 'secrets.json'));
  });

  it('sets, lists (names and origins, sorted), replaces, decrypts and deletes keys', () => {
    store.set('OPENAI_API_KEY', KEY);
    store.set('HF_TOKEN', 'hf_abc', ['https://hub.example/some/path', 'http://127.0.0.1:8000/v1', 'https://hub.example']);
    expect(store.list()).toEqual([
      { name: 'HF_TOKEN', origins: ['http://127.0.0.1:8000', 'https://hub.example'] },
      { name: 'OPENAI_API_KEY', origins: [] },
    ]);
    expect(store.decryptAll()).toEqual({ OPENAI_API_KEY: KEY, HF_TOKEN: 'hf_abc' });
    store.set('OPENAI_API_KEY', 'sk-replaced');
    expect(store.decryptAll()).toEqual({ OPENAI_API_KEY: 'sk-replaced', HF_TOKEN: 'hf_abc' });
    expect(store.delete('OPENAI_API_KEY')).toBe(true);
    expect(store.delete('OPENAI_API_KEY')).toBe(false);
    expect(store.list().map((key) => key.name)).toEqual(['HF_TOKEN']);
    // A second store on the same folder (the next app start) sees the same keys.
    expect(createSecretStore({ safeStorage, dir }).decryptAll()).toEqual({ HF_TOKEN: 'hf_abc' });
  });

  it('keeps { name: { key: base64(encryptString(value)), origins } } in a 0600 file that never holds the key in plain text', () => {
    store.set('OPENAI_API_KEY', KEY, ['https://proxy.example/v1']);
    const text = readFileSync(store.file, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(Buffer.from(KEY).toString('base64'));
    expect(text).not.toContain('PLAINTEXT');
    const data = JSON.parse(text) as Record<string, { key: string; origins: string[] }>;
    expect(Object.keys(data)).toEqual(['OPENAI_API_KEY']);
    expect(data.OPENAI_API_KEY!.origins).toEqual(['https://proxy.example']);
    expect(safeStorage.decryptString(Buffer.from(data.OPENAI_API_KEY!.key, 'base64'))).toBe(KEY);
    if (process.platform !== 'win32') expect(statSync(store.file).mode & 0o777).toBe(0o600);
  });

  it('writes through a temporary file and leaves none behind', () => {
    store.set('OPENAI_API_KEY', KEY);
    store.set('HF_TOKEN', 'hf_abc');
    store.delete('HF_TOKEN');
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('refuses names that are not a key variable, and values it cannot store', () => {
    for (const name of ['openai_api_key', '1_KEY', 'OPENAI-API-KEY', '', `${'A'.repeat(62)}_KEY`, 'OPENAI_API_KEY ', '__proto__']) {
      expect(caught(() => store.set(name, KEY)).code, name).toBe('invalid-input');
    }
    // Variables that would change how the backend runs, or where keys are sent.
    for (const name of ['PATH', 'NODE_OPTIONS', 'HTTPS_PROXY', 'OPENAI_BASE_URL', 'LD_PRELOAD', 'ELECTRON_RUN_AS_NODE', 'PYTHONPATH', 'TANDEM_DB', 'NODE_AUTH_TOKEN', 'TANDEM_SECRET']) {
      expect(secretNameProblem(name), name).not.toBeNull();
      expect(caught(() => store.set(name, KEY)).code, name).toBe('invalid-input');
    }
    expect(caught(() => store.set(42 as unknown as string, KEY)).code).toBe('invalid-input');
    expect(caught(() => store.set('OPENAI_API_KEY', '')).message).toBe('the key is empty');
    expect(caught(() => store.set('OPENAI_API_KEY', 'x'.repeat(4097))).code).toBe('invalid-input');
    expect(caught(() => store.set('OPENAI_API_KEY', 'sk-a\nsk-b')).code).toBe('invalid-input');
    expect(caught(() => store.delete('PATH')).code).toBe('invalid-input');
    for (const origins of [['not a url'], ['file:///etc/passwd'], ['javascript:alert(1)'], 'https://x.example', Array.from({ length: 9 }, (_, i) => `https://h${i}.example`)]) {
      expect(caught(() => store.set('OPENAI_API_KEY', KEY, origins as string[])).code, JSON.stringify(origins)).toBe('invalid-input');
    }
    store.set('A_KEY', 'x'.repeat(4096));
    store.set(`${'A'.repeat(60)}_KEY`, 'x');
    expect(store.list().map((key) => key.name)).toEqual([`${'A'.repeat(60)}_KEY`, 'A_KEY']);
  });

  it('never puts the value in an error message', () => {
    for (const run of [() => store.set('PATH', KEY), () => store.set('OPENAI_API_KEY', `${KEY}\n${KEY}`), () => store.set('OPENAI_API_KEY', KEY.repeat(500))]) {
      expect(caught(run).message).not.toContain('PLAINTEXT');
    }
  });

  it('refuses to store anything when encryption is not available, with a clear message', () => {
    safeStorage.state.available = false;
    const error = caught(() => store.set('OPENAI_API_KEY', KEY));
    expect(error.code).toBe('config');
    expect(error.message).toMatch(/^API keys cannot be stored: encryption with the OS keychain \(Electron safeStorage\) is not available/);
    expect(existsSync(store.file)).toBe(false);
    expect(safeStorage.state.encrypted).toBe(0);
  });

  it("refuses on Linux when safeStorage fell back to 'basic_text' (no keychain: obfuscation only)", () => {
    safeStorage.state.backend = 'basic_text';
    expect(caught(() => store.set('OPENAI_API_KEY', KEY)).message).toMatch(/no OS keychain .* was found/);
    expect(existsSync(store.file)).toBe(false);
    // The backend check is Linux's alone.
    createSecretStore({ safeStorage, dir, platform: 'darwin' }).set('OPENAI_API_KEY', KEY);
    expect(store.list().map((key) => key.name)).toEqual(['OPENAI_API_KEY']);
  });

  it('still lists and deletes without encryption, and decrypts nothing (saying which keys, not what)', () => {
    store.set('OPENAI_API_KEY', KEY);
    safeStorage.state.available = false;
    expect(store.list().map((key) => key.name)).toEqual(['OPENAI_API_KEY']);
    expect(store.decryptAll()).toEqual({});
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('OPENAI_API_KEY');
    expect(logged.join('\n')).not.toContain('PLAINTEXT');
    expect(store.delete('OPENAI_API_KEY')).toBe(true);
    expect(store.list()).toEqual([]);
  });

  it('skips entries it cannot decrypt or that are not key variables, and keeps the others', () => {
    store.set('OPENAI_API_KEY', KEY);
    const data = JSON.parse(readFileSync(store.file, 'utf8')) as Record<string, unknown>;
    const stored = (data.OPENAI_API_KEY as { key: string }).key;
    writeFileSync(
      store.file,
      JSON.stringify({ ...data, HF_TOKEN: Buffer.from('not encrypted').toString('base64'), NODE_OPTIONS: data.OPENAI_API_KEY, OTHER_KEY: 12, BAD_ORIGIN_KEY: { key: stored, origins: ['ftp://x'] } }),
    );
    expect(store.list().map((key) => key.name)).toEqual(['HF_TOKEN', 'OPENAI_API_KEY']);
    expect(store.decryptAll()).toEqual({ OPENAI_API_KEY: KEY });
    expect(logged.some((line) => line.includes('HF_TOKEN cannot be decrypted'))).toBe(true);
    expect(logged.join('\n')).not.toContain('PLAINTEXT');
  });

  it('reads a file from before keys had origins: each entry a key for its well-known provider only', () => {
    writeFileSync(store.file, JSON.stringify({ OPENAI_API_KEY: safeStorage.encryptString(KEY).toString('base64') }));
    expect(store.list()).toEqual([{ name: 'OPENAI_API_KEY', origins: [] }]);
    expect(store.decryptAll()).toEqual({ OPENAI_API_KEY: KEY });
  });

  it('reports a damaged file instead of overwriting it', () => {
    writeFileSync(store.file, '{ not json');
    expect(caught(() => store.list()).message).toMatch(/is damaged/);
    expect(caught(() => store.set('OPENAI_API_KEY', KEY)).code).toBe('internal');
    expect(readFileSync(store.file, 'utf8')).toBe('{ not json');
  });
});
