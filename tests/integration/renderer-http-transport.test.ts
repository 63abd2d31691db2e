// The web-mode transport against a real `tandem serve`-style server on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../core/api/index.ts';
import { startWebServer, type WebServer } from '../../core/web/index.ts';
import { createClient } from '../../renderer/src/api/client.ts';
import { httpTransport, readCode } from '../../renderer/src/api/http-transport.ts';
import { ApiCallError } from '../../renderer/src/api/transport.ts';

let dir: string;
let api: Api;
let server: WebServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-transport-'));
  api = createApi({ dbPath: path.join(dir, 'w.db'), embeddedModelsDir: null });
  server = await startWebServer({ api, port: 0 });
});

afterAll(async () => {
  await server.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('http transport', () => {
  it('calls typed methods with the token', async () => {
    const client = createClient(httpTransport(server.origin, { token: server.token }));
    const tasks = await client.listTasks();
    expect(tasks.map((t) => t.name)).toContain('iris');
    expect(await client.listExperiments()).toEqual([]);
  });

  it('turns validation failures into ApiCallError with field issues', async () => {
    const client = createClient(httpTransport(server.origin, { token: server.token }));
    const error = await client.getRun({ runId: -1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).code).toBe('invalid-input');
    expect((error as ApiCallError).issues?.[0]?.path).toBe('runId');
  });

  it('says what to do without a valid token', async () => {
    const client = createClient(httpTransport(server.origin, { token: 'x'.repeat(32) }));
    await expect(client.listTasks()).rejects.toThrow(/access token/);
  });

  it('takes the one-time code out of the address, and never reads a token from it', () => {
    let replaced: string | null = null;
    const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => void (replaced = url) } as unknown as History;
    expect(readCode({ href: 'http://127.0.0.1:5/?code=abc123#/runs/2' } as Location, history)).toBe('abc123');
    expect(replaced).toBe('/#/runs/2');
    replaced = null;
    expect(readCode({ href: 'http://127.0.0.1:5/#/runs/2' } as Location, history)).toBeNull();
    expect(replaced).toBeNull();
    // An old-style link's token is dropped from the address and not used.
    expect(readCode({ href: 'http://127.0.0.1:5/?token=abc123#/runs/2' } as Location, history)).toBeNull();
    expect(replaced).toBe('/#/runs/2');
  });
});
