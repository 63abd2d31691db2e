// The main process's handle on the API host (a utilityProcess): start it on a workspace and wait
// for 'ready' or the reason it failed; hand a window one end of a fresh MessageChannelMain (the
// host gets the other); stop it gracefully (runs cancelled, API closed), killing it only when
// it does not finish in time.
//
// The host's environment comes from `deps.env`, asked afresh at every start: main's own
// environment plus the API keys decrypted from the secret store. Keys go there and nowhere
// else: not on the command line (other processes can read it), not into a message or a log.

import type { MessageChannelMain, MessagePortMain, UtilityProcess } from 'electron';
import { isHostToMain, type HostFailure, type MainToHost } from './host-messages.ts';
import { PORT_CHANNEL } from './preload-setup.ts';

export interface HostDeps {
  utilityProcess: { fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit'; env?: Record<string, string> }): UtilityProcess };
  MessageChannelMain: new () => Pick<MessageChannelMain, 'port1' | 'port2'>;
  /** dist/electron/api-host.cjs */
  hostFile: string;
  /** How long to wait for 'ready' (opening runs migrations); default 60 s. */
  readyTimeoutMs?: number;
  /** The host's whole environment (the fork does not add process.env to it), asked at each start; default: Electron's, process.env. */
  env?: () => Record<string, string>;
}

export interface HostHandle {
  dbPath: string;
  /** Gives the window a new port to the API (sent as `tandem:port`); the host drops the previous one. */
  connect(target: { postMessage(channel: string, message: unknown, transfer?: MessagePortMain[]): void }): void;
  /** Closes the API (cancelling active runs) and waits for the process to end; idempotent. */
  stop(timeoutMs?: number): Promise<void>;
  /** Called when the host exits without having been asked to stop (a crash). */
  onUnexpectedExit(listener: (code: number) => void): void;
}

export type HostStart = { ok: true; host: HostHandle } | { ok: false; failure: HostFailure };

export function startHost(deps: HostDeps, dbPath: string): Promise<HostStart> {
  const env = deps.env?.();
  const child = deps.utilityProcess.fork(deps.hostFile, ['--db', dbPath], { serviceName: 'Tandem API', stdio: 'inherit', ...(env ? { env } : {}) });
  let exited: number | null = null;
  let stopping: Promise<void> | null = null;
  const exitListeners: Array<(code: number) => void> = [];
  const whenExited = new Promise<number>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve(code);
      if (!stopping) for (const listener of exitListeners) listener(code);
    }),
  );
  const send = (message: MainToHost, transfer?: MessagePortMain[]): void => child.postMessage(message, transfer);

  const host: HostHandle = {
    dbPath,
    connect: (target) => {
      const { port1, port2 } = new deps.MessageChannelMain();
      send({ type: 'connect' }, [port1]);
      target.postMessage(PORT_CHANNEL, null, [port2]);
    },
    stop: (timeoutMs = 10_000) => {
      stopping ??= (async () => {
        if (exited !== null) return;
        send({ type: 'close' });
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
        if ((await Promise.race([whenExited, late])) === 'late') {
          child.kill();
          await whenExited;
        }
        clearTimeout(timer);
      })();
      return stopping;
    },
    onUnexpectedExit: (listener) => exitListeners.push(listener),
  };

  return new Promise<HostStart>((resolve) => {
    const timer = setTimeout(() => {
      child.kill();
      resolve({ ok: false, failure: { kind: 'internal', error: { code: 'internal', message: `the API process did not open ${dbPath} within ${(deps.readyTimeoutMs ?? 60_000) / 1000} s` } } });
    }, deps.readyTimeoutMs ?? 60_000);
    const onMessage = (message: unknown): void => {
      if (!isHostToMain(message) || message.type === 'closed') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      if (message.type === 'ready') {
        resolve({ ok: true, host });
        return;
      }
      stopping = Promise.resolve(); // a failed host is not "unexpectedly" gone when it ends
      send({ type: 'close' });
      resolve({ ok: false, failure: message.failure });
    };
    child.on('message', onMessage);
    void whenExited.then((code) => {
      clearTimeout(timer);
      resolve({ ok: false, failure: { kind: 'internal', error: { code: 'internal', message: `the API process exited with code ${code} before it opened ${dbPath}` } } });
    });
  });
}
