// The ColBERTv2 client against a real loopback server (tests/fixtures/fake-colbert-server.ts):
// answers, retried faults (503, 429 with Retry-After, bad bodies, hangs), final faults (400,
// refused connections), cancellation mid-flight, the concurrency cap, and a CachedRetriever over
// the SQLite retrieval cache that answers a second process's run without asking the server.

import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachedRetriever, ColbertRetriever, RetrieveError, type ColbertRetrieverOptions, type RetrieveInfo } from '../../core/retrieve/index.ts';
import type { RetryNotice } from '../../core/retrieve/retry.ts';
import { openDatabase } from '../../core/store/database.ts';
import { migrate } from '../../core/store/migrate.ts';
import { SqliteRetrievalCache } from '../../core/store/retrieval-cache.ts';
import { startFakeColbertServer, type FakeColbertServer } from '../fixtures/fake-colbert-server.ts';

let server: FakeColbertServer;
const clients: ColbertRetriever[] = [];

beforeEach(async () => {
  server = await startFakeColbertServer();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

function client(options: Partial<ColbertRetrieverOptions> = {}): ColbertRetriever {
  const c = new ColbertRetriever({ url: server.url, backoffBaseMs: 1, backoffMaxMs: 2, timeoutMs: 5000, ...options });
  clients.push(c);
  return c;
}

async function failure(promise: Promise<unknown>): Promise<RetrieveError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RetrieveError);
  return error as RetrieveError;
}

describe('ColbertRetriever', () => {
  it('sends query and k and reads the topk answer, titles split off', async () => {
    const retriever = client();
    expect(retriever.id).toBe(`colbert:${server.url}`);
    expect(retriever.backend).toBe('colbert');
    const infos: RetrieveInfo[] = [];
    const passages = await retriever.retrieve({ query: 'capital of Elsmark & more?', k: 2 }, { onRetrieveInfo: (i) => infos.push(i) });
    expect(server.requests).toEqual([{ query: 'capital of Elsmark & more?', k: '2' }]);
    expect(passages).toEqual([
      { id: '13', title: 'Elsmark', text: 'Elsmark is a small country whose capital is Quenby.', score: 3 },
      { id: '14', title: 'Quenby', text: 'Quenby is the capital of Elsmark and sits on the river Ost.', score: 3 },
    ]);
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({ cached: false, attempts: 1 });
    expect(infos[0]!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('retries a 503 twice and reports three attempts', async () => {
    server.fail({ status: 503, body: 'loading index' }, { status: 503, body: 'loading index' });
    const notices: RetryNotice[] = [];
    const infos: RetrieveInfo[] = [];
    const passages = await client({ onRetry: (n) => notices.push(n) }).retrieve({ query: 'Varnel Oskit', k: 1 }, { onRetrieveInfo: (i) => infos.push(i) });
    expect(passages.map((p) => p.id)).toEqual(['11']);
    expect(server.requests).toHaveLength(3);
    expect(infos[0]).toMatchObject({ cached: false, attempts: 3 });
    expect(notices.map((n) => [n.attempt, n.status])).toEqual([
      [1, 503],
      [2, 503],
    ]);
    expect(notices[0]!.message).toContain('loading index');
  });

  it("honours a 429's Retry-After up to the cap", async () => {
    server.fail({ status: 429, retryAfter: '120' });
    const notices: RetryNotice[] = [];
    await client({ retryAfterMaxMs: 20, onRetry: (n) => notices.push(n) }).retrieve({ query: 'Quenby', k: 1 });
    expect(notices).toEqual([expect.objectContaining({ attempt: 1, kind: 'http', status: 429, delayMs: 20 })]);
    expect(server.requests).toHaveLength(2);
  });

  it('retries an unreadable body, then gives up with bad-response quoting a short excerpt', async () => {
    server.fail({ body: '<html>proxy error</html>' });
    expect(await client().retrieve({ query: 'Quenby', k: 1 })).toHaveLength(1);

    const long = `<html>${'x'.repeat(2000)}TAIL</html>`;
    server.fail({ body: long }, { body: long }, { body: long });
    const error = await failure(client({ maxRetries: 2 }).retrieve({ query: 'Quenby', k: 1 }));
    expect(error).toMatchObject({ kind: 'bad-response', attempts: 3 });
    expect(error.message).toMatch(/answered with invalid JSON: <html>x+…/);
    expect(error.message).not.toContain('TAIL');
    expect(error.message).toContain('(gave up after 3 attempts)');
  });

  it('times out a server that never answers, retrying, then fails with kind timeout', async () => {
    server.fail('hang', 'hang', 'hang');
    const error = await failure(client({ timeoutMs: 100, maxRetries: 2 }).retrieve({ query: 'Quenby', k: 1 }));
    expect(error).toMatchObject({ kind: 'timeout', attempts: 3 });
    expect(error.message).toBe(`no complete answer from ${server.url} within 100 ms (gave up after 3 attempts)`);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a 400, and says what the server said', async () => {
    server.fail({ status: 400, body: 'k must be an integer' });
    const error = await failure(client().retrieve({ query: 'Quenby', k: 1 }));
    expect(error).toMatchObject({ kind: 'http', status: 400, attempts: 1 });
    expect(error.message).toBe(`HTTP 400 from ${server.url}: k must be an integer`);
    expect(server.requests).toHaveLength(1);
  });

  it('cancels a retrieval in flight at once, without retrying', async () => {
    server.fail('hang');
    const controller = new AbortController();
    const run = client().retrieve({ query: 'Quenby', k: 1 }, { signal: controller.signal });
    await server.received(1);
    controller.abort();
    const error = await failure(run);
    expect(error).toMatchObject({ kind: 'cancelled', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('holds retrievals beyond maxConcurrency until a slot frees', async () => {
    server.fail('hang');
    const retriever = client({ maxConcurrency: 1 });
    const controller = new AbortController();
    const first = retriever.retrieve({ query: 'Quenby', k: 1 }, { signal: controller.signal });
    const second = retriever.retrieve({ query: 'Elsmark', k: 1 });
    await server.received(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests.map((r) => r.query)).toEqual(['Quenby']);
    controller.abort();
    await failure(first);
    expect((await second).map((p) => p.id)).toEqual(['13']);
    expect(server.requests.map((r) => r.query)).toEqual(['Quenby', 'Elsmark']);
  });

  it('keeps credentials in the URL out of its id and its messages', async () => {
    const withUser = server.url.replace('http://', 'http://reader:s3cret@');
    server.fail({ status: 404, body: 'no such index' });
    const retriever = client({ url: withUser });
    expect(retriever.id).toBe(`colbert:${server.url}`);
    const error = await failure(retriever.retrieve({ query: 'Quenby', k: 1 }));
    expect(error.message).not.toContain('s3cret');
    expect(error.message).toContain('HTTP 404');
  });

  it('reports a refused connection as a network fault with a hint, after its retries', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(client({ url: `http://127.0.0.1:${port}/api/search`, maxRetries: 1 }).retrieve({ query: 'Quenby', k: 1 }));
    expect(error).toMatchObject({ kind: 'network', attempts: 2 });
    expect(error.message).toMatch(/ECONNREFUSED.*is the retrieval server running/);
  });

  it('rejects bad settings and requests as config errors', async () => {
    expect(() => new ColbertRetriever({ url: 'not a url' })).toThrow(/is not a URL/);
    expect(() => new ColbertRetriever({ url: 'ftp://127.0.0.1/search' })).toThrow(/must start with http/);
    expect(() => new ColbertRetriever({ url: server.url, timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
    expect(() => new ColbertRetriever({ url: server.url, maxRetries: -1 })).toThrow(/maxRetries must be a non-negative integer/);
    await expect(client().retrieve({ query: 'Quenby', k: 0 })).rejects.toMatchObject({ kind: 'config' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('CachedRetriever over the SQLite retrieval cache', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-colbert-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function openCache(file: string) {
    const db = openDatabase(file);
    migrate(db, file);
    return { db, cache: new SqliteRetrievalCache(db, () => 1_700_000_000_000) };
  }

  it('answers a rerun from the workspace cache without asking the server again', async () => {
    const file = path.join(dir, 'workspace', 'tandem.db');
    const first = openCache(file);
    const run1 = new CachedRetriever(client(), first.cache);
    const answer = await run1.retrieve({ query: 'capital of Elsmark', k: 2 });
    expect(server.requests).toHaveLength(1);
    expect(first.cache.count()).toBe(1);
    first.db.close();

    // A resumed run: a new connection, new retriever instances, the same server.
    const second = openCache(file);
    const run2 = new CachedRetriever(client(), second.cache);
    const infos: RetrieveInfo[] = [];
    expect(await run2.retrieve({ query: 'capital of Elsmark', k: 2 }, { onRetrieveInfo: (i) => infos.push(i) })).toEqual(answer);
    expect(infos).toEqual([{ cached: true, attempts: 0, latencyMs: 0 }]);
    expect(server.requests).toHaveLength(1);
    expect(run2.stats).toEqual({ hits: 1, misses: 0, shared: 0 });

    await run2.retrieve({ query: 'capital of Elsmark', k: 3 });
    expect(server.requests).toHaveLength(2);
    second.db.close();
  });

  it('does not store a failed retrieval', async () => {
    const file = path.join(dir, 'failures.db');
    const { db, cache } = openCache(file);
    server.fail({ status: 400, body: 'bad query' });
    const retriever = new CachedRetriever(client(), cache);
    await failure(retriever.retrieve({ query: 'Quenby', k: 1 }));
    expect(cache.count()).toBe(0);
    expect(await retriever.retrieve({ query: 'Quenby', k: 1 })).toHaveLength(1);
    expect(cache.count()).toBe(1);
    expect(server.requests).toHaveLength(2);
    db.close();
  });
});
