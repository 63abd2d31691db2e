// The preload with a fake contextBridge and ipcRenderer: `window.tandem` has one function per API
// method and nothing else of use to a page (no port, no ipcRenderer); calls wait for the port,
// resolve with results, reject with plain {code, message, issues?} objects; events reach
// listeners until they unsubscribe; `window.tandem.secrets` invokes main's three channels and
// never hands a value back.

import { describe, expect, it } from 'vitest';
import { API_METHOD_NAMES } from '../../../core/api/index.ts';
import type { TandemBridge } from '../../../electron/bridge.ts';
import { isRequest, type ApiRequest } from '../../../electron/port-protocol.ts';
import {
  CONNECT_CHANNEL,
  PORT_CHANNEL,
  SECRETS_DELETE_CHANNEL,
  REPORT_PDF_CHANNEL,
  SECRETS_LIST_CHANNEL,
  SECRETS_SET_CHANNEL,
  setUpPreload,
  type PreloadBridge,
} from '../../../electron/preload-setup.ts';

function fakePreload(respond: (channel: string, args: unknown[]) => unknown = () => ({ ok: true, result: null })) {
  const exposed: Record<string, unknown> = {};
  const listeners = new Map<string, (event: { ports: MessagePort[] }) => void>();
  const sent: string[] = [];
  const listenerErrors: unknown[] = [];
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  setUpPreload(
    {
      contextBridge: { exposeInMainWorld: (key, value) => (exposed[key] = value) },
      ipcRenderer: {
        on: (channel, listener) => listeners.set(channel, listener),
        send: (channel) => sent.push(channel),
        invoke: async (channel, ...args) => {
          invoked.push({ channel, args });
          return respond(channel, args);
        },
      },
    },
    (error) => listenerErrors.push(error),
  );
  /** Hands the preload a port, as main does with webContents.postMessage; returns the host's end. */
  const deliverPort = (): MessagePort => {
    const channel = new MessageChannel();
    listeners.get(PORT_CHANNEL)!({ ports: [channel.port1] });
    return channel.port2;
  };
  return { exposed, sent, invoked, deliverPort, listenerErrors, tandem: exposed.tandem as TandemBridge & PreloadBridge };
}

/** Answers each request on the host's end with `answer`. */
function answer(port: MessagePort, respond: (request: ApiRequest) => unknown): ApiRequest[] {
  const seen: ApiRequest[] = [];
  port.onmessage = (event: MessageEvent) => {
    if (!isRequest(event.data)) return;
    seen.push(event.data);
    port.postMessage(respond(event.data));
  };
  return seen;
}

describe('preload', () => {
  it('exposes window.tandem with exactly one function per API method, and asks main for a port', () => {
    const { exposed, sent, tandem } = fakePreload();
    expect(Object.keys(exposed)).toEqual(['tandem']);
    expect(Object.keys(tandem).sort()).toEqual(['api', 'onEvent', 'savePdf', 'secrets', 'transport']);
    expect(Object.keys(tandem.secrets).sort()).toEqual(['delete', 'list', 'set']);
    for (const fn of Object.values(tandem.secrets)) expect(typeof fn).toBe('function');
    expect(tandem.transport).toBe('ipc');
    expect(typeof tandem.onEvent).toBe('function');
    expect(Object.keys(tandem.api).sort()).toEqual([...API_METHOD_NAMES].sort());
    for (const name of API_METHOD_NAMES) expect(typeof (tandem.api as Record<string, unknown>)[name], name).toBe('function');
    expect(sent).toEqual([CONNECT_CHANNEL]);
  });

  it('queues calls until the port arrives, then resolves them with the results', async () => {
    const { tandem, deliverPort } = fakePreload();
    const early = tandem.api.listTasks!();
    const host = deliverPort();
    const seen = answer(host, (request) => ({ id: request.id, ok: true, result: { method: request.method, input: request.input ?? null } }));
    await expect(early).resolves.toEqual({ method: 'listTasks', input: null });
    await expect(tandem.api.getRun!({ runId: 7 })).resolves.toEqual({ method: 'getRun', input: { runId: 7 } });
    expect(seen.map((r) => r.id)).toEqual([1, 2]);
    host.close();
  });

  it('rejects with a plain {code, message, issues} object', async () => {
    const { tandem, deliverPort } = fakePreload();
    const host = deliverPort();
    const issues = [{ path: 'runId', message: 'must be an integer, got "x"' }];
    answer(host, (request) => ({ id: request.id, ok: false, error: { code: 'invalid-input', message: 'runId: must be an integer, got "x"', issues } }));
    const error: unknown = await tandem.api.getRun!({ runId: 'x' }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(Error);
    expect(error).toEqual({ code: 'invalid-input', message: 'runId: must be an integer, got "x"', issues });
    host.close();
  });

  it('delivers events to listeners until they unsubscribe; a throwing listener does not stop the others', async () => {
    const { tandem, deliverPort, listenerErrors } = fakePreload();
    const host = deliverPort();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = tandem.onEvent((event) => a.push(event));
    tandem.onEvent(() => {
      throw new Error('listener bug');
    });
    tandem.onEvent((event) => b.push(event));
    host.postMessage({ event: { type: 'experiment-created', experimentId: 1 } });
    await new Promise((r) => setTimeout(r, 20));
    offA();
    offA();
    host.postMessage({ event: { type: 'experiment-deleted', experimentId: 1 } });
    host.postMessage({ nonsense: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(a).toEqual([{ type: 'experiment-created', experimentId: 1 }]);
    expect(b).toEqual([
      { type: 'experiment-created', experimentId: 1 },
      { type: 'experiment-deleted', experimentId: 1 },
    ]);
    expect(listenerErrors).toHaveLength(2);
    host.close();
  });

  it('rejects calls still waiting on a port that a new port replaced', async () => {
    const { tandem, deliverPort } = fakePreload();
    const first = deliverPort();
    first.onmessage = () => {}; // never answers
    const waiting = tandem.api.startRun!({ experimentId: 1 });
    await new Promise((r) => setTimeout(r, 10));
    const second = deliverPort();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    answer(second, (request) => ({ id: request.id, ok: true, result: 'second' }));
    await expect(tandem.api.listTasks!()).resolves.toBe('second');
    first.close();
    second.close();
  });

  it('secrets.list answers the names and origins main sends, and nothing that is not a stored key', async () => {
    const { tandem, invoked } = fakePreload(() => ({
      ok: true,
      result: [{ name: 'HF_TOKEN', origins: [] }, { name: 'MY_VLLM_KEY', origins: ['http://gpu:8000', 3] }, 7, { value: 'sk-x' }, 'OPENAI_API_KEY'],
    }));
    await expect(tandem.secrets.list()).resolves.toEqual([
      { name: 'HF_TOKEN', origins: [] },
      { name: 'MY_VLLM_KEY', origins: ['http://gpu:8000'] },
    ]);
    expect(invoked).toEqual([{ channel: SECRETS_LIST_CHANNEL, args: [] }]);
  });

  it('secrets.set and secrets.delete send the name (and value and origins) to main and resolve with nothing', async () => {
    const { tandem, invoked } = fakePreload(() => ({ ok: true, result: 'anything main might answer' }));
    await expect(tandem.secrets.set('OPENAI_API_KEY', 'sk-secret', ['https://proxy.example'])).resolves.toBeUndefined();
    await expect(tandem.secrets.delete('OPENAI_API_KEY')).resolves.toBeUndefined();
    expect(invoked).toEqual([
      { channel: SECRETS_SET_CHANNEL, args: ['OPENAI_API_KEY', 'sk-secret', ['https://proxy.example']] },
      { channel: SECRETS_DELETE_CHANNEL, args: ['OPENAI_API_KEY'] },
    ]);
  });

  it('savePdf sends the report HTML and its name to main, and resolves with where it was saved (null when cancelled)', async () => {
    const saved = fakePreload(() => ({ ok: true, result: { path: '/home/u/r.pdf', extra: 1 } }));
    await expect(saved.tandem.savePdf('<html></html>', 'tandem-run-1-iris.html')).resolves.toEqual({ path: '/home/u/r.pdf' });
    expect(saved.invoked).toEqual([{ channel: REPORT_PDF_CHANNEL, args: ['<html></html>', 'tandem-run-1-iris.html'] }]);
    await expect(fakePreload(() => ({ ok: true, result: null })).tandem.savePdf('<p>', 'r.html')).resolves.toBeNull();
    await expect(fakePreload(() => ({ ok: false, error: { code: 'internal', message: 'the report could not be printed: x' } })).tandem.savePdf('<p>', 'r.html')).rejects.toEqual({
      code: 'internal',
      message: 'the report could not be printed: x',
    });
  });

  it("secrets calls reject with main's plain {code, message} object, or an internal one when main does not answer", async () => {
    const refused = fakePreload(() => ({ ok: false, error: { code: 'config', message: 'API keys cannot be stored: …' } }));
    const error: unknown = await refused.tandem.secrets.set('OPENAI_API_KEY', 'sk-x', []).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(Error);
    expect(error).toEqual({ code: 'config', message: 'API keys cannot be stored: …' });
    const silent = fakePreload(() => {
      throw new Error("Error invoking remote method 'tandem:secrets:list': No handler registered");
    });
    await expect(silent.tandem.secrets.list()).rejects.toEqual({ code: 'internal', message: 'the Tandem main process did not answer' });
  });
});
