// API keys kept by the desktop app (`window.tandem.secrets`, shown only there): the names of the
// stored keys with the servers each is sent to, a form to add or replace one (a password field
// and the servers it is for) and delete. A key goes to no other server (core/lm/key-origins.ts). The page never sees a
// key's value: the preload hands it to the main process, which encrypts it with the OS keychain
// (Electron safeStorage) and answers names only. The backend reads keys from its environment
// when it starts, so a change applies from its next start (restart Tandem); runs in progress
// keep the key they started with.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { KNOWN_KEY_ORIGINS, MAX_KEY_ORIGINS, originOf, type StoredKey } from '../../../../core/contract/key-names.ts';
import { ApiCallError, type TandemSecrets } from '../../api/transport.ts';
import { ErrorState } from '../../components/states.tsx';

/** Main checks the name again (electron/secret-store.ts); this only keeps the button honest. */
const NAME_PATTERN = /^[A-Z_][A-Z0-9_]{0,63}$/;
const MAX_KEY_LENGTH = 4096;
const COMMON_NAMES = Object.keys(KNOWN_KEY_ORIGINS);

/** The servers typed in the form (one URL per line or separated by spaces), as origins; null when one is not a URL. */
function originsFrom(text: string): string[] | null {
  const origins = new Set<string>();
  for (const url of text.split(/[\s,]+/).filter((part) => part !== '')) {
    const origin = originOf(url);
    if (!origin) return null;
    origins.add(origin);
  }
  return [...origins].sort();
}

/** Names changed since this page loaded. Main reloads the page whenever it starts a new backend. */
const changedSinceStart = new Set<string>();

function toError(error: unknown): ApiCallError {
  if (error instanceof ApiCallError) return error;
  const e = error as { code?: unknown; message?: unknown } | null;
  return new ApiCallError({ code: (typeof e?.code === 'string' ? e.code : undefined) as never, message: typeof e?.message === 'string' ? e.message : String(error) });
}

export function KeysPanel({ secrets }: { secrets: TandemSecrets }) {
  const [keys, setKeys] = useState<StoredKey[] | null>(null);
  const [name, setName] = useState('OPENAI_API_KEY');
  const [value, setValue] = useState('');
  const [servers, setServers] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiCallError | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [pending, setPending] = useState<string[]>(() => [...changedSinceStart].sort());
  const valueField = useRef<HTMLInputElement>(null);

  const reload = useCallback(async () => {
    try {
      setKeys(await secrets.list());
    } catch (err) {
      setError(toError(err));
    }
  }, [secrets]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const run = async (change: () => Promise<void>, changedName: string) => {
    setBusy(true);
    setError(null);
    try {
      await change();
      changedSinceStart.add(changedName);
      setPending([...changedSinceStart].sort());
      await reload();
    } catch (err) {
      setError(toError(err));
    } finally {
      setBusy(false);
    }
  };

  const target = name.trim();
  const nameOk = NAME_PATTERN.test(target);
  const names = keys?.map((key) => key.name) ?? null;
  const replacing = names?.includes(target) ?? false;
  const known = KNOWN_KEY_ORIGINS[target] ?? [];
  const origins = originsFrom(servers);
  const serversOk = origins !== null && origins.length <= MAX_KEY_ORIGINS;

  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await secrets.set(target, value, origins ?? []);
      setValue(''); // the field is the only place the page held the key
      setServers('');
    }, target);
  };

  const remove = (stored: string) => {
    setConfirming(null);
    void run(() => secrets.delete(stored), stored);
  };

  return (
    <section className="panel" data-testid="models-keys-store">
      <h2>API keys (this app)</h2>
      <p className="subtle">
        Stored encrypted with the OS keychain (Electron <code>safeStorage</code>) in the app's data folder, never in the workspace database, and handed to the backend as environment variables when it starts. An experiment names the
        variable it reads (default <code>OPENAI_API_KEY</code>). A key is sent only to the servers it is stored for (and a well-known provider's key to that provider): an experiment that points it anywhere else is refused. A stored key takes the place of a variable of the same name in the environment Tandem was started from. A key is never shown again once stored.
      </p>
      {names === null && !error ? <p className="subtle">Loading the stored key names…</p> : null}
      {names !== null && names.length === 0 ? <p className="subtle" data-testid="models-keys-empty">No keys stored in this app. Variables from the environment Tandem was started from are still used.</p> : null}
      {names !== null && names.length > 0 ? (
        <table className="data" data-testid="models-keys-list">
          <thead>
            <tr>
              <th>variable</th>
              <th>sent to</th>
              <th>key</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(keys ?? []).map(({ name: stored, origins: storedFor }) => (
              <tr key={stored} data-testid="models-keys-row">
                <td className="mono">{stored}</td>
                <td className="mono" data-testid="models-keys-origins">
                  {[...new Set([...storedFor, ...(KNOWN_KEY_ORIGINS[stored] ?? [])])].join(' ') || <span className="subtle">no server yet: store it again with one</span>}
                </td>
                <td>
                  <span className="badge badge-finished">stored</span>
                  {pending.includes(stored) ? <span className="badge badge-pending mdl-linked">after restart</span> : null}
                </td>
                <td>
                  {confirming === stored ? (
                    <>
                      <span>Delete {stored}? </span>
                      <button type="button" className="danger" onClick={() => remove(stored)} disabled={busy} data-testid="models-keys-delete-confirm">
                        Delete
                      </button>{' '}
                      <button type="button" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <>
                      <button
                        type="button"
                        onClick={() => {
                          setName(stored);
                          setValue('');
                          valueField.current?.focus();
                        }}
                        disabled={busy}
                      >
                        Replace…
                      </button>{' '}
                      <button type="button" className="danger" onClick={() => setConfirming(stored)} disabled={busy} data-testid="models-keys-delete">
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form className="mdl-form" onSubmit={save} autoComplete="off">
        <label>
          variable
          <input
            value={name}
            onChange={(e) => setName(e.target.value.toUpperCase())}
            list="models-keys-names"
            spellCheck={false}
            required
            aria-invalid={target !== '' && !nameOk}
            className="mdl-narrow"
            data-testid="models-keys-name"
          />
          <datalist id="models-keys-names">
            {COMMON_NAMES.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </label>
        <label className="mdl-grow">
          key
          <input
            ref={valueField}
            type="password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder={replacing ? `a new key for ${target}` : 'paste the key'}
            autoComplete="off"
            spellCheck={false}
            maxLength={MAX_KEY_LENGTH}
            data-testid="models-keys-value"
          />
        </label>
        <label className="mdl-grow">
          for servers (base URLs)
          <input
            value={servers}
            onChange={(e) => setServers(e.target.value)}
            placeholder={known.length > 0 ? `${known.join(' ')} (always) and any others` : 'e.g. http://127.0.0.1:8000/v1'}
            spellCheck={false}
            aria-invalid={!serversOk}
            data-testid="models-keys-origins-input"
          />
        </label>
        <button type="submit" className="primary" disabled={busy || !nameOk || value.trim() === '' || !serversOk || (known.length === 0 && (origins ?? []).length === 0)} data-testid="models-keys-save">
          {busy ? 'Saving…' : replacing ? 'Replace' : 'Store'}
        </button>
      </form>
      {target !== '' && !nameOk ? <p className="mdl-error">The variable name is capital letters, digits and _, not starting with a digit, and ends in _KEY, _TOKEN or _SECRET.</p> : null}
      {!serversOk ? <p className="mdl-error">Servers are http:// or https:// URLs separated by spaces, at most {MAX_KEY_ORIGINS}.</p> : null}
      {nameOk && serversOk && known.length === 0 && (origins ?? []).length === 0 ? <p className="subtle">Name the server this key is for: it is sent nowhere else.</p> : null}
      {pending.length > 0 ? (
        <p role="status" data-testid="models-keys-pending">
          Changed: <span className="mono">{pending.join(', ')}</span>. The backend reads keys when it starts: <strong>quit and reopen Tandem</strong> (or open another workspace) to use the change. Runs in progress keep the key they
          started with.
        </p>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
    </section>
  );
}
