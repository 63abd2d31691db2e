// The desktop app's API keys, with Electron's safeStorage passed in (tests hand in a fake). Kept
// in `<userData>/secrets.json` as { [envName]: { key: base64(safeStorage.encryptString(value)),
// origins: ["https://host[:port]", …] } } (a bare base64 string is an entry without origins): the
// OS keychain (macOS Keychain, Windows DPAPI, libsecret/KWallet on Linux) holds the encryption
// key, so the file alone reveals nothing. Keys never go into the workspace database, logs or
// reports; main hands them to the API host as environment variables when it starts it
// (app.ts), which is where core/lm reads a key from (the variable an experiment names).
// Each key is stored with the origins it is for; main adds them to TANDEM_KEY_ORIGINS, and the
// backend sends the key nowhere else (core/lm/key-origins.ts). The origins change only with the
// value: a page cannot point a stored key at another server without typing the key again.
//
// Names are environment variable names (/^[A-Z_][A-Z0-9_]{0,63}$/) that end in _KEY, _TOKEN
// or _SECRET and do not start with a runtime's prefix (NODE_, ELECTRON_, LD_, …): whoever
// can store a "key" sets a variable in the backend's environment, and a variable such as
// NODE_OPTIONS, PATH or HTTPS_PROXY would hand over the backend (or the keys) instead.
//
// Writes are atomic (a 0600 temporary file, then rename); the file is 0600 too. Error messages
// name variables and the file, never a value.

import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { ApiErrorCode } from '../core/contract/errors.ts';
import { keyNameProblem, MAX_KEY_ORIGINS, originOf, type StoredKey } from '../core/contract/key-names.ts';

export const SECRETS_FILE_NAME = 'secrets.json';
export const MAX_SECRET_VALUE_LENGTH = 4096;

/** The part of Electron's safeStorage the store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keychain was found (the key would only be obfuscated). */
  getSelectedStorageBackend?(): string;
}

export class SecretStoreError extends Error {
  override name = 'SecretStoreError';
  constructor(
    readonly code: Extract<ApiErrorCode, 'invalid-input' | 'config' | 'internal'>,
    message: string,
  ) {
    super(message);
  }
}

/** Why `name` cannot name a stored key, or null when it can (the one rule for a key's variable). */
export const secretNameProblem = keyNameProblem;

/** Why `value` cannot be stored, or null when it can. Never echoes the value. */
export function secretValueProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'the key must be a string';
  if (value.length === 0) return 'the key is empty';
  if (value.length > MAX_SECRET_VALUE_LENGTH) return `the key is longer than ${MAX_SECRET_VALUE_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'the key contains a line break or another control character';
  return null;
}

export interface SecretStoreOptions {
  safeStorage: SafeStorageLike;
  /** The folder of secrets.json: Electron's userData. */
  dir: string;
  /** Default: process.platform (the Linux 'basic_text' check). */
  platform?: NodeJS.Platform;
  /** Told about entries that were skipped (by name only). */
  log?(line: string): void;
}

/** The origins a key is stored for, each an http(s) URL's origin; throws SecretStoreError otherwise. */
export function checkKeyOrigins(origins: unknown): string[] {
  if (!Array.isArray(origins)) throw new SecretStoreError('invalid-input', 'the servers a key is for must be a list of URLs');
  if (origins.length > MAX_KEY_ORIGINS) throw new SecretStoreError('invalid-input', `a key can be for at most ${MAX_KEY_ORIGINS} servers`);
  const checked = new Set<string>();
  for (const url of origins) {
    const origin = typeof url === 'string' && url.length <= 2048 ? originOf(url) : null;
    if (!origin) throw new SecretStoreError('invalid-input', `"${typeof url === 'string' ? url.slice(0, 80) : typeof url}" is not an http:// or https:// URL`);
    checked.add(origin);
  }
  return [...checked].sort();
}

interface Entry {
  encrypted: string;
  origins: string[];
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface SecretStore {
  readonly file: string;
  /** The stored keys' names and origins, sorted by name. */
  list(): StoredKey[];
  /** Encrypts and stores `value` under `name` for `origins` (replacing any stored key and its origins). */
  set(name: string, value: string, origins?: readonly string[]): void;
  /** Removes `name`; false when it was not stored. */
  delete(name: string): boolean;
  /** Every stored key, decrypted: the variables to add to the API host's environment. */
  decryptAll(): Record<string, string>;
}

/** An entry of the file, or null when it is neither a base64 string nor { key, origins }. */
function entryFrom(value: unknown): Entry | null {
  if (typeof value === 'string') return BASE64.test(value) ? { encrypted: value, origins: [] } : null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { key, origins } = value as { key?: unknown; origins?: unknown };
  if (typeof key !== 'string' || !BASE64.test(key)) return null;
  try {
    return { encrypted: key, origins: checkKeyOrigins(origins ?? []) };
  } catch {
    return null;
  }
}

export function createSecretStore(options: SecretStoreOptions): SecretStore {
  const { safeStorage, dir } = options;
  const file = path.join(dir, SECRETS_FILE_NAME);
  const platform = options.platform ?? process.platform;

  const encryptionProblem = (): string | null => {
    if (!safeStorage.isEncryptionAvailable()) {
      return 'API keys cannot be stored: encryption with the OS keychain (Electron safeStorage) is not available on this system. Set the variable in the environment Tandem starts from instead, e.g. OPENAI_API_KEY=… tandem start';
    }
    if (platform === 'linux' && typeof safeStorage.getSelectedStorageBackend === 'function' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return 'API keys cannot be stored: no OS keychain (GNOME Keyring/libsecret or KWallet) was found, so they would only be obfuscated, not encrypted. Install and unlock a keychain, or set the variable in the environment Tandem starts from, e.g. OPENAI_API_KEY=… tandem start';
    }
    return null;
  };

  /** The stored entries with a valid name and a base64 string; anything else in the file is ignored. */
  const read = (): Map<string, Entry> => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new SecretStoreError('internal', `cannot read the API key store ${file}: ${(error as Error).message}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new SecretStoreError('internal', `the API key store ${file} is damaged (not a JSON object); delete it and store the keys again`);
    }
    const entries = new Map<string, Entry>();
    for (const [name, value] of Object.entries(data)) {
      const entry = secretNameProblem(name) === null ? entryFrom(value) : null;
      if (entry) entries.set(name, entry);
      else options.log?.(`tandem: an entry of ${file} was ignored (not a valid key name or value)`);
    }
    return entries;
  };

  const write = (entries: Map<string, Entry>): void => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, entry]) => [name, { key: entry.encrypted, origins: entry.origins }]);
    const content = `${JSON.stringify(Object.fromEntries(sorted), null, 2)}\n`;
    const temporary = path.join(dir, `.${SECRETS_FILE_NAME}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        writeSync(fd, content);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(temporary, 0o600); // in case a umask or filesystem changed it
      renameSync(temporary, file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw new SecretStoreError('internal', `cannot write the API key store ${file}: ${(error as Error).message}`);
    }
  };

  const checkName = (name: unknown): void => {
    const problem = secretNameProblem(name);
    if (problem) throw new SecretStoreError('invalid-input', problem);
  };

  return {
    file,
    list: () => [...read()].map(([name, entry]) => ({ name, origins: entry.origins })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    set: (name, value, origins = []) => {
      checkName(name);
      const forOrigins = checkKeyOrigins(origins);
      const valueProblem = secretValueProblem(value);
      if (valueProblem) throw new SecretStoreError('invalid-input', valueProblem);
      const unavailable = encryptionProblem();
      if (unavailable) throw new SecretStoreError('config', unavailable);
      const entries = read();
      let encrypted: Buffer;
      try {
        encrypted = safeStorage.encryptString(value);
      } catch (error) {
        throw new SecretStoreError('internal', `cannot encrypt ${name} with the OS keychain: ${(error as Error).message}`);
      }
      entries.set(name, { encrypted: encrypted.toString('base64'), origins: forOrigins });
      write(entries);
    },
    delete: (name) => {
      checkName(name);
      const entries = read();
      if (!entries.delete(name)) return false;
      write(entries);
      return true;
    },
    decryptAll: () => {
      const entries = read();
      const env: Record<string, string> = {};
      if (entries.size === 0) return env;
      if (!safeStorage.isEncryptionAvailable()) {
        options.log?.(`tandem: the stored API keys (${[...entries.keys()].join(', ')}) cannot be decrypted: the OS keychain is not available`);
        return env;
      }
      for (const [name, { encrypted }] of entries) {
        try {
          const value = safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
          if (secretValueProblem(value) === null) env[name] = value;
          else options.log?.(`tandem: the stored API key ${name} was ignored (it did not decrypt to a usable key); store it again`);
        } catch {
          options.log?.(`tandem: the stored API key ${name} cannot be decrypted (the OS keychain may have changed); store it again`);
        }
      }
      return env;
    },
  };
}
