// OpenAICompatibleLM over real HTTP against the stub server in its own process.

import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LMError } from '../../core/lm/errors.ts';
import type { ChatRequest } from '../../core/lm/language-model.ts';
import { OpenAICompatibleLM, type OpenAICompatibleOptions } from '../../core/lm/openai-compatible.ts';
import type { RetryInfo } from '../../core/lm/retrying-lm.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';
import { served } from '../helpers/served.ts';

const SYSTEM = 'Inputs you receive:\n- `question`: a question\n\nOutputs you write:\n- `answer`: the answer\n';
const ask = (question: string): ChatRequest => ({
  messages: [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `[[ ## question ## ]]\n${question}` },
  ],
});

let stub: StubServerHandle;

beforeAll(async () => {
  stub = await startStubServer();
});

afterAll(async () => {
  await stub?.stop();
});

beforeEach(async () => {
  await stub.control({});
  await stub.resetStats();
});

function makeLM(options: Partial<OpenAICompatibleOptions> = {}) {
  const retries: RetryInfo[] = [];
  const lm = new OpenAICompatibleLM({
    baseUrl: stub.baseUrl,
    model: 'stub-model',
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    onRetry: (info) => retries.push(info),
    ...options,
  });
  return { lm, retries };
}

async function failure(promise: Promise<unknown>): Promise<LMError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LMError);
  return error as LMError;
}

describe('OpenAICompatibleLM against the stub server', () => {
  it('gets a completion with usage', async () => {
    const { lm } = makeLM();
    const response = await served(lm, ask('What is 2 + 40?'));
    expect(response.text).toBe('[[ ## answer ## ]]\n40\n\n[[ ## completed ## ]]');
    expect(response).toMatchObject({ response: { modelId: 'stub-model' }, finishReason: 'stop', attempts: 1, cached: false });
    expect(response.usage.promptTokens).toBeGreaterThan(0);
    expect(response.usage.completionTokens).toBe(11); // whitespace-separated words of the reply
    const stats = await stub.stats();
    expect(stats).toMatchObject({ requests: 1, ok: 1, byModel: { 'stub-model': 1 } });
  });

  it('serves the model list', async () => {
    const response = await fetch(`${stub.baseUrl}/models`);
    const body = (await response.json()) as { data: Array<{ id: string }> };
    expect(body.data.map((m) => m.id)).toContain('stub-model');
  });

  it('retries 500s and then succeeds', async () => {
    await stub.control({ http500: { first: 2 } });
    const { lm, retries } = makeLM();
    const response = await served(lm, ask('What is 1 + 1?'));
    expect(response.attempts).toBe(3);
    expect(retries.map((r) => [r.reason, r.status])).toEqual([
      ['http', 500],
      ['http', 500],
    ]);
    expect((await stub.stats()).faults.http500).toBe(2);
  });

  it('waits for Retry-After on 429', async () => {
    await stub.control({ http429: { first: 1, retryAfter: 1 } });
    const { lm, retries } = makeLM();
    const response = await served(lm, ask('What is 3?'));
    expect(response.attempts).toBe(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ reason: 'rate-limit', status: 429 });
    // The client chose to wait the server's second, not its own 5-20 ms backoff.
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1000);
    expect(response.latencyMs).toBeGreaterThanOrEqual(1000);
    const stats = await stub.stats();
    expect(stats.faults.http429).toBe(1);
    expect(stats.requests).toBe(2);
  });

  it('retries timeouts and fails with timeout when the server never answers', async () => {
    await stub.control({ timeout: { rate: 1 } });
    const { lm, retries } = makeLM({ timeoutMs: 100, maxRetries: 2 });
    const error = await failure(served(lm, ask('Anyone there?')));
    expect(error.kind).toBe('timeout');
    expect(error.attempts).toBe(3);
    expect(retries.map((r) => r.reason)).toEqual(['timeout', 'timeout']);
    expect((await stub.stats()).faults.timeout).toBe(3);
  });

  it('recovers from a timeout when the next attempt is answered', async () => {
    await stub.control({ timeout: { first: 1 } });
    const { lm } = makeLM({ timeoutMs: 1000 });
    await expect(served(lm, ask('Second time lucky?'))).resolves.toMatchObject({ attempts: 2 });
  });

  it('retries malformed JSON and dropped connections', async () => {
    await stub.control({ malformedJson: { first: 1 } });
    const { lm, retries } = makeLM();
    await expect(served(lm, ask('What is 9?'))).resolves.toMatchObject({ attempts: 2 });
    expect(retries[0]!.reason).toBe('bad-response');

    await stub.control({ drop: { first: 1 } });
    const dropped = makeLM();
    await expect(served(dropped.lm, ask('What is 10?'))).resolves.toMatchObject({ attempts: 2 });
    expect(dropped.retries[0]!.reason).toBe('network');
  });

  it('fails with bad-response when every body is malformed', async () => {
    await stub.control({ malformedJson: { rate: 1 } });
    const { lm } = makeLM({ maxRetries: 1 });
    const error = await failure(served(lm, ask('What is 11?')));
    expect(error).toMatchObject({ kind: 'bad-response', attempts: 2 });
  });

  it('passes an unparseable completion through as text (parsing is the adapter’s job)', async () => {
    await stub.control({ unparseable: { first: 1 } });
    const { lm } = makeLM();
    const response = await served(lm, ask('What is 12?'));
    expect(response.text).not.toContain('[[ ##');
    expect(response.attempts).toBe(1);
  });

  it('fails at once on 401 with the server message and how to set the key', async () => {
    await stub.control({ httpError: { rate: 1, status: 401, message: 'Invalid API key' } });
    const { lm, retries } = makeLM({ apiKey: 'sk-wrong' });
    const error = await failure(served(lm, ask('Who am I?')));
    expect(error).toMatchObject({ kind: 'http', status: 401, attempts: 1 });
    expect(error.message).toContain('Invalid API key');
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(retries).toHaveLength(0);
    expect((await stub.stats()).requests).toBe(1);
  });

  it('reports an unreachable server as a network error naming the URL', async () => {
    const port = await closedPort();
    const baseUrl = `http://127.0.0.1:${port}/v1`;
    const lm = new OpenAICompatibleLM({ baseUrl, model: 'm', maxRetries: 1, backoffBaseMs: 1, backoffMaxMs: 2 });
    const error = await failure(served(lm, ask('Hello?')));
    expect(error.kind).toBe('network');
    expect(error.attempts).toBe(2);
    expect(error.message).toContain(`${baseUrl}/chat/completions`);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('cancels a request the server is sitting on', async () => {
    await stub.control({ timeout: { rate: 1 } });
    const { lm } = makeLM({ timeoutMs: 60_000 });
    const controller = new AbortController();
    const pending = served(lm, ask('Wait forever?'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(pending);
    expect(error.kind).toBe('cancelled');
    expect(error.attempts).toBe(1);
  });

  it('cancels during the backoff wait', async () => {
    await stub.control({ http500: { rate: 1 } });
    const controller = new AbortController();
    const { lm } = makeLM({ backoffBaseMs: 60_000, backoffMaxMs: 60_000, onRetry: () => controller.abort() });
    const error = await failure(served(lm, ask('Retry?'), { signal: controller.signal }));
    expect(error.kind).toBe('cancelled');
    expect((await stub.stats()).requests).toBe(1);
  });

  it('never has more than maxConcurrency requests at the server, and reuses connections', async () => {
    const slow = await startStubServer({ latencyMs: 20 });
    try {
      const lm = new OpenAICompatibleLM({ baseUrl: slow.baseUrl, model: 'stub-model', maxConcurrency: 4 });
      const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => served(lm, ask(`What is ${i}?`))));
      expect(responses.map((r) => r.text)).toEqual(Array.from({ length: 40 }, (_, i) => `[[ ## answer ## ]]\n${i}\n\n[[ ## completed ## ]]`));
      const stats = await slow.stats();
      expect(stats.requests).toBe(40);
      expect(stats.maxInFlight).toBe(4);
      // One connection per slot at most, plus the one this stats() call itself opened.
      expect(stats.connections).toBeLessThanOrEqual(4 + 1);
    } finally {
      await slow.stop();
    }
  });

  it('survives a mix of faults under concurrency', async () => {
    await stub.control({ http500: { rate: 0.1 }, http429: { rate: 0.05, retryAfter: 0 }, malformedJson: { rate: 0.05 }, drop: { rate: 0.05 } });
    const { lm, retries } = makeLM({ maxConcurrency: 8, maxRetries: 6 });
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => served(lm, ask(`What is ${i}?`))));
    expect(responses.every((r, i) => r.text.includes(`\n${i}\n`))).toBe(true);
    const stats = await stub.stats();
    const faults = stats.faults.http500 + stats.faults.http429 + stats.faults.malformedJson + stats.faults.drop;
    expect(faults).toBeGreaterThan(0);
    expect(retries).toHaveLength(faults);
    expect(stats.requests).toBe(100 + faults);
  });
});

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
