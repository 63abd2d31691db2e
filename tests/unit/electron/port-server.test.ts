// The API host's message handler against a real API on a temporary SQLite file: every request is
// answered (unknown method, invalid input and malformed messages included) and nothing crashes;
// the preload's bridge and the host's port server speak the same protocol end to end.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHOD_NAMES } from '../../../core/contract/methods.ts';
import { createBridge } from '../../../electron/bridge.ts';
import { domPortEndpoint, type Endpoint } from '../../../electron/port-protocol.ts';
import { answerRequest, servePort } from '../../../electron/port-server.ts';
import { openWorkspace, type Workspace } from '../api/helpers.ts';

const lm = { provider: 'openai', model: 'stub-model', baseUrl: 'http://127.0.0.1:9/v1' } as const;
let ws: Workspace;

beforeAll(() => {
  ws = openWorkspace();
});

afterAll(async () => {
  await ws?.close();
});

describe('answerRequest', () => {
  it('answers a valid call with its result as plain JSON', async () => {
    const response = await answerRequest(ws.api, { id: 1, method: 'listTasks', input: undefined });
    expect(response).toMatchObject({ id: 1, ok: true });
    expect(JSON.parse(JSON.stringify(response))).toEqual(response);
    expect((response as { result: Array<{ name: string }> }).result.map((t) => t.name)).toContain('iris');
  });

  it('answers an unknown method with not-found, without calling anything', async () => {
    for (const method of ['dropDatabase', '__proto__', 'constructor', 'toString', 'close', 'subscribe', 'callMethod']) {
      const response = await answerRequest(ws.api, { id: 2, method, input: {} });
      expect(response, method).toEqual({ id: 2, ok: false, error: { code: 'not-found', message: `there is no API method "${method}"` } });
    }
  });

  it('answers an invalid input with invalid-input and every issue', async () => {
    const response = await answerRequest(ws.api, { id: 3, method: 'createExperiment', input: { task: 'iris', strategies: 'p', seeds: 0, lm } });
    expect(response).toMatchObject({ id: 3, ok: false, error: { code: 'invalid-input', issues: [{ path: 'seeds' }] } });
    const wrongType = await answerRequest(ws.api, { id: 4, method: 'getRun', input: 'seven' });
    expect(wrongType).toMatchObject({ id: 4, ok: false, error: { code: 'invalid-input' } });
    const missing = await answerRequest(ws.api, { id: 5, method: 'getRun', input: { runId: 999 } });
    expect(missing).toMatchObject({ id: 5, ok: false, error: { code: 'not-found' } });
  });

  it('answers a request without a method name, and ignores messages without an id', async () => {
    expect(await answerRequest(ws.api, { id: 6, method: 42 })).toMatchObject({ id: 6, ok: false, error: { code: 'invalid-input' } });
    for (const message of [null, undefined, 'listTasks', [], {}, { id: '1', method: 'listTasks' }, { id: 1.5, method: 'listTasks' }]) {
      expect(await answerRequest(ws.api, message)).toBeNull();
    }
  });
});

describe('bridge ↔ servePort over a real MessageChannel', () => {
  function connect(): { bridge: ReturnType<typeof createBridge<(typeof API_METHOD_NAMES)[number]>>['bridge']; stop: () => void; problems: string[] } {
    const channel = new MessageChannel();
    const problems: string[] = [];
    // Node's MessagePort is DOM-like, so both sides can use the DOM adapter here.
    const hostEnd: Endpoint = domPortEndpoint(channel.port2);
    const stop = servePort(ws.api, hostEnd, { onProblem: (p) => problems.push(p) });
    const { bridge, connect: attach } = createBridge(API_METHOD_NAMES);
    attach(domPortEndpoint(channel.port1));
    return { bridge, stop, problems };
  }

  it('calls the API, rejects with {code, message, issues}, and streams events', async () => {
    const { bridge, stop } = connect();
    const events: unknown[] = [];
    bridge.onEvent((event) => events.push(event));
    const created = (await bridge.api.createExperiment({ task: 'iris', strategies: 'p', lm })) as { id: number };
    expect(created.id).toBeGreaterThan(0);
    const listed = (await bridge.api.listExperiments()) as Array<{ id: number }>;
    expect(listed.map((e) => e.id)).toContain(created.id);
    const error = await bridge.api.createExperiment({ task: 'iris', strategies: 'p', seeds: -1, lm }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-input', issues: [{ path: 'seeds' }] });
    expect(error).not.toBeInstanceOf(Error);
    const deleted = await bridge.api.deleteExperiment({ experimentId: created.id });
    expect(deleted).toEqual({ experimentId: created.id, deletedRuns: 0 });
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'experiment-created', experimentId: created.id },
        { type: 'experiment-deleted', experimentId: created.id },
      ]),
    );
    stop();
  });

  it('keeps serving after garbage on the port', async () => {
    const channel = new MessageChannel();
    const problems: string[] = [];
    const stop = servePort(ws.api, domPortEndpoint(channel.port2), { onProblem: (p) => problems.push(p) });
    const replies: unknown[] = [];
    channel.port1.onmessage = (event: MessageEvent) => {
      if ((event.data as { id?: unknown }).id !== undefined) replies.push(event.data);
    };
    channel.port1.postMessage('garbage');
    channel.port1.postMessage({ id: 1, method: 'nope', input: null });
    channel.port1.postMessage({ id: 2, method: 'listTasks' });
    for (let i = 0; i < 100 && replies.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    replies.sort((a, b) => (a as { id: number }).id - (b as { id: number }).id);
    expect(replies).toEqual([
      { id: 1, ok: false, error: { code: 'not-found', message: 'there is no API method "nope"' } },
      expect.objectContaining({ id: 2, ok: true }),
    ]);
    expect(problems).toEqual(['ignored a message that is not a request (it has no numeric id)']);
    stop();
    channel.port1.close();
  });

  it('drops its API subscription when stopped', () => {
    let live = 0;
    const api = {
      callMethod: ws.api.callMethod,
      subscribe: (listener: Parameters<typeof ws.api.subscribe>[0]) => {
        live++;
        const off = ws.api.subscribe(listener);
        return () => {
          live--;
          off();
        };
      },
    };
    const channel = new MessageChannel();
    const stop = servePort(api, domPortEndpoint(channel.port2));
    expect(live).toBe(1);
    stop();
    stop();
    expect(live).toBe(0);
    channel.port1.close();
  });
});
