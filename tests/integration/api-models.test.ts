// The model library through core/api: add a checkpoint folder (pointer and copy with progress),
// list, and pull from a fake Hugging Face Hub on loopback in the background with progress events,
// a failed pull as an event with its error, and a cancelled one.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../core/api/index.ts';
import { FakeHub } from '../fixtures/fake-hub-server.ts';
import { checkpointFiles, writeFiles } from '../unit/models/helpers.ts';
import { apiError, openWorkspace, type Workspace } from '../unit/api/helpers.ts';

let hub: FakeHub;
let ws: Workspace;
const TINY = 'tiny-org/tiny-llama';

beforeAll(async () => {
  hub = await FakeHub.start([{ id: TINY, files: checkpointFiles() }]);
  ws = openWorkspace();
});

afterAll(async () => {
  await ws?.close();
  await hub?.close();
});

type PullEnd = Extract<ApiEvent, { type: 'model-pull-end' }>;
const pullEnd = (operationId: number) => (e: ApiEvent): e is PullEnd => e.type === 'model-pull-end' && e.operationId === operationId;

describe('models through the API', () => {
  it('adds checkpoint folders and lists them', async () => {
    const { api } = ws;
    expect((await api.listModels()).models).toEqual([]);
    const folder = writeFiles(path.join(ws.dir, 'ckpt', 'my-model'), checkpointFiles());
    const linked = await api.addModel({ path: folder });
    expect(linked).toMatchObject({ name: 'my-model', source: 'local', linked: true });
    const copied = await api.addModel({ path: folder, name: 'copied', copy: true });
    expect(copied).toMatchObject({ name: 'copied', linked: false });
    expect(ws.events.some((e) => e.type === 'model-progress' && e.kind === 'copy')).toBe(true);
    expect((await api.listModels()).models.map((m) => m.name)).toEqual(['copied', 'my-model']);
    expect((await apiError(api.addModel({ path: folder }))).code).toBe('conflict');
    expect((await apiError(api.addModel({ path: path.join(ws.dir, 'nothing') }))).code).toBe('invalid-input');
  });

  it('pulls in the background with progress events', async () => {
    const { api } = ws;
    const op = await api.pullModel({ repo: TINY, endpoint: hub.endpoint });
    expect(op).toMatchObject({ repo: TINY, name: 'tiny-llama' });
    const end = await ws.waitFor(pullEnd(op.operationId));
    expect(end).toMatchObject({ status: 'finished', error: null, entry: { name: 'tiny-llama', source: 'pulled', repo: TINY } });
    const mine = ws.events.filter((e) => 'operationId' in e && e.operationId === op.operationId).map((e) => e.type);
    expect(mine[0]).toBe('model-pull-event'); // resolved
    expect(mine).toContain('model-progress');
    expect(mine.at(-1)).toBe('model-pull-end');
    expect((await api.listModels()).models.map((m) => m.name)).toContain('tiny-llama');
  });

  it('reports a failed pull in its end event, and cancels one that is going', async () => {
    const { api } = ws;
    const missing = await api.pullModel({ repo: 'nobody/nothing', endpoint: hub.endpoint });
    const end = await ws.waitFor(pullEnd(missing.operationId));
    expect(end).toMatchObject({ status: 'failed', entry: null, error: { code: 'not-found' } });

    hub.setFaults([{ kind: 'stall', file: 'model.safetensors', afterBytes: 10, ms: 20_000, times: 10 }]);
    const slow = await api.pullModel({ repo: TINY, name: 'tiny-2', endpoint: hub.endpoint });
    await ws.waitFor((e) => e.type === 'model-pull-event' && e.operationId === slow.operationId && e.event.type === 'file-start' && e.event.file === 'model.safetensors');
    expect((await apiError(api.pullModel({ repo: TINY, name: 'tiny-2', endpoint: hub.endpoint }))).code).toBe('conflict');
    expect(await api.cancelPull({ operationId: slow.operationId })).toEqual({ operationId: slow.operationId });
    const cancelled = await ws.waitFor(pullEnd(slow.operationId));
    expect(cancelled.status).toBe('cancelled');
    expect((await apiError(api.cancelPull({ operationId: slow.operationId }))).code).toBe('not-found');
    hub.setFaults([]);
  });
});
