// The main process's side of `window.tandem.secrets`: three ipcMain.handle channels over the
// secret store. Every call is checked before anything is read or written: the sender must be
// the app's own page (the caller's check, as for `tandem:connect`), the name must be a key's
// variable name (secretNameProblem), the value a string of at most 4096 characters, the origins
// a list of http(s) URLs the key is for (checkKeyOrigins). Replies are
// `{ok: true, result}` or `{ok: false, error: {code, message}}`; the preload turns the latter
// into a rejection. No reply ever carries a value: list answers names with their origins, set
// and delete null.
//
// A change reaches the API host the next time main starts it (app start, another workspace,
// a restart after a crash), not the running one: restarting it now would cancel runs in progress.

import type { ApiErrorCode } from '../core/contract/errors.ts';
import { SECRETS_DELETE_CHANNEL, SECRETS_LIST_CHANNEL, SECRETS_SET_CHANNEL } from './preload-setup.ts';
import { checkKeyOrigins, MAX_SECRET_VALUE_LENGTH, SecretStoreError, secretNameProblem, secretValueProblem, type SecretStore } from './secret-store.ts';

export type SecretsReply<T> = { ok: true; result: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** The invoke event, as far as the check on its sender needs it. */
export interface SecretsInvokeEvent {
  sender: unknown;
  senderFrame: { url: string } | null;
}

export interface SecretsIpcMain {
  handle(channel: string, listener: (event: SecretsInvokeEvent, ...args: unknown[]) => unknown): void;
}

export interface SecretHandlerOptions {
  /** Whether the call comes from the app's own page in the app's window. */
  isAppSender(event: SecretsInvokeEvent): boolean;
  /** Told (with the name only) after a key was stored or deleted. */
  onChange?(change: { name: string; action: 'set' | 'delete' }): void;
}

const refuse = (code: ApiErrorCode, message: string): SecretsReply<never> => ({ ok: false, error: { code, message } });

function guarded<T>(options: SecretHandlerOptions, event: SecretsInvokeEvent, args: unknown[], arity: number, run: () => T): SecretsReply<T> {
  if (!options.isAppSender(event)) return refuse('invalid-input', 'refused: API keys can only be managed from the Tandem window');
  if (args.length !== arity) return refuse('invalid-input', `expected ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length}`);
  try {
    return { ok: true, result: run() };
  } catch (error) {
    if (error instanceof SecretStoreError) return refuse(error.code, error.message);
    // An unexpected failure: its message is the store's or the file system's, never a value.
    return refuse('internal', error instanceof Error ? error.message : 'the API key store failed');
  }
}

export function installSecretHandlers(ipcMain: SecretsIpcMain, store: SecretStore, options: SecretHandlerOptions): void {
  ipcMain.handle(SECRETS_LIST_CHANNEL, (event, ...args) => guarded(options, event, args, 0, () => store.list()));

  ipcMain.handle(SECRETS_SET_CHANNEL, (event, ...args) =>
    guarded(options, event, args, 3, () => {
      const [name, raw, origins] = args;
      const nameProblem = secretNameProblem(name);
      if (nameProblem) throw new SecretStoreError('invalid-input', nameProblem);
      if (typeof raw !== 'string') throw new SecretStoreError('invalid-input', 'the key must be a string');
      if (raw.length > MAX_SECRET_VALUE_LENGTH) throw new SecretStoreError('invalid-input', `the key is longer than ${MAX_SECRET_VALUE_LENGTH} characters`);
      const value = raw.trim(); // a pasted key often brings a line break along
      const valueProblem = secretValueProblem(value);
      if (valueProblem) throw new SecretStoreError('invalid-input', valueProblem);
      store.set(name as string, value, checkKeyOrigins(origins));
      options.onChange?.({ name: name as string, action: 'set' });
      return null;
    }),
  );

  ipcMain.handle(SECRETS_DELETE_CHANNEL, (event, ...args) =>
    guarded(options, event, args, 1, () => {
      const [name] = args;
      const nameProblem = secretNameProblem(name);
      if (nameProblem) throw new SecretStoreError('invalid-input', nameProblem);
      if (store.delete(name as string)) options.onChange?.({ name: name as string, action: 'delete' });
      return null;
    }),
  );
}
