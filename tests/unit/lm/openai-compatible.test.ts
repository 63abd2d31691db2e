import { afterEach, describe, expect, it, vi } from 'vitest';
import { Limiter } from '../../../core/lm/concurrency.ts';
import { LMError } from '../../../core/lm/errors.ts';
import type { FetchLike } from '../../../core/lm/http-transport.ts';
import type { ChatRequest } from '../../../core/lm/language-model.ts';
import { errorMessageFromBody, normalizeBaseUrl, parseRetryAfter, requestBody } from '../../../core/lm/openai-chat-model.ts';
import { OpenAICompatibleLM, type OpenAICompatibleOptions } from '../../../core/lm/openai-compatible.ts';
import { backoffDelay, type RetryInfo } from '../../../core/lm/retrying-lm.ts';
import { served } from '../../helpers/served.ts';

const BASE = 'http://llm.test:8000/v1';
const REQUEST: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };

function completion(text: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({
    model: 'served-model',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 7, completion_tokens: 3 },
    ...extra,
  });
}

function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { message } }, { status, headers });
}

/** A fetch that answers from a list of responders, one per call (the last one repeats). */
function scriptedFetch(...responders: Array<(init: RequestInit) => Response | Promise<Response>>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const responder = responders[Math.min(calls.length - 1, responders.length - 1)]!;
    return responder(init);
  };
  return { fetch: fn, calls };
}

function makeLM(fetch: FetchLike, options: Partial<OpenAICompatibleOptions> = {}) {
  const retries: RetryInfo[] = [];
  const lm = new OpenAICompatibleLM({
    baseUrl: BASE,
    model: 'test-model',
    fetch,
    backoffBaseMs: 1,
    backoffMaxMs: 5,
    onRetry: (info) => retries.push(info),
    ...options,
  });
  return { lm, retries };
}

/** Resolves when the signal aborts, rejecting like fetch does. */
function hang(init: RequestInit): Promise<Response> {
  return new Promise((_, reject) => {
    init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('OpenAICompatibleLM: requests and responses', () => {
  it('posts the chat completions body with unset parameters left out', async () => {
    const { fetch, calls } = scriptedFetch(() => completion('hello'));
    const { lm } = makeLM(fetch, { apiKey: 'sk-test', headers: { 'x-extra': '1' } });
    await served(lm, { ...REQUEST, temperature: 0.1, maxTokens: 64, stop: ['\n\n'], rolloutId: 3 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${BASE}/chat/completions`);
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({
      model: 'test-model',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.1,
      max_tokens: 64,
      stop: ['\n\n'],
      n: 1,
    });
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer sk-test');
    expect(headers['x-extra']).toBe('1');
    expect(headers['content-type']).toBe('application/json');
  });

  it('maps every sampling parameter', () => {
    expect(requestBody('m', { ...REQUEST, temperature: 0, topP: 0.9, maxTokens: 10, stop: ['x'], seed: 7 })).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      top_p: 0.9,
      max_tokens: 10,
      stop: ['x'],
      seed: 7,
      n: 1,
    });
  });

  it('sends no authorization header without a key', async () => {
    const { fetch, calls } = scriptedFetch(() => completion('ok'));
    const { lm } = makeLM(fetch);
    await served(lm, REQUEST);
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBeUndefined();
  });

  it('returns text, model, usage and attempt count', async () => {
    const { fetch } = scriptedFetch(() => completion('hello'));
    const { lm } = makeLM(fetch);
    const response = await served(lm, REQUEST);
    expect(response).toMatchObject({
      text: 'hello',
      response: { modelId: 'served-model' },
      finishReason: 'stop',
      usage: { promptTokens: 7, completionTokens: 3 },
      cached: false,
      attempts: 1,
    });
    expect(response.latencyMs).toBeGreaterThanOrEqual(0);
    expect(lm.id).toBe(`openai:test-model@${BASE}`);
  });

  it('reports zero usage when the server sends none', async () => {
    const { fetch } = scriptedFetch(() => completion('x', { usage: undefined, model: undefined }));
    const { lm } = makeLM(fetch);
    const response = await served(lm, REQUEST);
    expect(response.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
    expect(response.response.modelId).toBe('test-model');
  });
});

describe('OpenAICompatibleLM: retries', () => {
  it('retries 5xx and succeeds', async () => {
    const { fetch, calls } = scriptedFetch(
      () => errorResponse(500, 'boom'),
      () => errorResponse(502, 'bad gateway'),
      () => completion('finally'),
    );
    const { lm, retries } = makeLM(fetch);
    const response = await served(lm, REQUEST);
    expect(response.text).toBe('finally');
    expect(response.attempts).toBe(3);
    expect(calls).toHaveLength(3);
    expect(retries.map((r) => [r.attempt, r.reason, r.status])).toEqual([
      [1, 'http', 500],
      [2, 'http', 502],
    ]);
  });

  it('gives up after maxRetries with the last status', async () => {
    const { fetch, calls } = scriptedFetch(() => errorResponse(503, 'overloaded'));
    const { lm } = makeLM(fetch, { maxRetries: 2 });
    const error = (await served(lm, REQUEST).catch((e: unknown) => e)) as LMError;
    expect(error).toBeInstanceOf(LMError);
    expect(error.kind).toBe('http');
    expect(error.status).toBe(503);
    expect(error.attempts).toBe(3);
    expect(error.message).toContain('overloaded');
    expect(error.message).toContain('3 attempts');
    expect(calls).toHaveLength(3);
  });

  it('reports rate-limit after retries on 429', async () => {
    const { fetch } = scriptedFetch(() => errorResponse(429, 'slow down'));
    const { lm } = makeLM(fetch, { maxRetries: 1 });
    await expect(served(lm, REQUEST)).rejects.toMatchObject({ kind: 'rate-limit', status: 429, attempts: 2 });
  });

  it('waits for Retry-After seconds on 429', async () => {
    vi.useFakeTimers();
    const { fetch, calls } = scriptedFetch(
      () => errorResponse(429, 'slow down', { 'retry-after': '2' }),
      () => completion('ok'),
    );
    const { lm, retries } = makeLM(fetch);
    const pending = served(lm, REQUEST);
    await vi.advanceTimersByTimeAsync(1990);
    expect(calls).toHaveLength(1);
    expect(retries[0]).toMatchObject({ reason: 'rate-limit', status: 429, delayMs: 2000 });
    await vi.advanceTimersByTimeAsync(20);
    await expect(pending).resolves.toMatchObject({ text: 'ok', attempts: 2 });
    expect(calls).toHaveLength(2);
  });

  it('honours an HTTP-date Retry-After on 503, capped at retryAfterMaxMs', async () => {
    const far = new Date(Date.now() + 3_600_000).toUTCString();
    const { fetch } = scriptedFetch(() => errorResponse(503, 'busy', { 'retry-after': far }), () => completion('ok'));
    const { lm, retries } = makeLM(fetch, { retryAfterMaxMs: 30 });
    await expect(served(lm, REQUEST)).resolves.toMatchObject({ attempts: 2 });
    expect(retries[0]!.delayMs).toBe(30);
  });

  it('fails at once on 400 with the server message', async () => {
    const { fetch, calls } = scriptedFetch(() => errorResponse(400, 'context length exceeded'));
    const { lm, retries } = makeLM(fetch);
    const error = (await served(lm, REQUEST).catch((e: unknown) => e)) as LMError;
    expect(error).toMatchObject({ kind: 'http', status: 400, attempts: 1 });
    expect(error.message).toContain('HTTP 400');
    expect(error.message).toContain('context length exceeded');
    expect(calls).toHaveLength(1);
    expect(retries).toHaveLength(0);
  });

  it('says the key was rejected on 401 and how to set it', async () => {
    const { fetch } = scriptedFetch(() => errorResponse(401, 'Incorrect API key provided'));
    const { lm } = makeLM(fetch, { apiKey: 'sk-bad', apiKeyHint: 'set the MY_KEY environment variable' });
    const error = (await served(lm, REQUEST).catch((e: unknown) => e)) as LMError;
    expect(error).toMatchObject({ kind: 'http', status: 401, attempts: 1 });
    expect(error.message).toMatch(/rejected the API key/);
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.message).toContain('MY_KEY');
  });

  it('finding 1: quotes a server only in one short line, and never the key it echoes back', async () => {
    const key = 'sk-secret-value-1234';
    const { fetch } = scriptedFetch(() => errorResponse(401, `Incorrect API key provided: ${key}. ${'More text. '.repeat(100)}`));
    const { lm } = makeLM(fetch, { apiKey: key });
    const error = (await served(lm, REQUEST).catch((e: unknown) => e)) as LMError;
    expect(error.message).not.toContain(key);
    expect(error.message).toContain('Incorrect API key provided: ***.');
    expect(error.message.length).toBeLessThan(600);
    expect(error.message).not.toMatch(/\n|authorization|bearer/i);
  });

  it('names the default key variable on 401 without a hint', async () => {
    const { fetch } = scriptedFetch(() => errorResponse(401, 'missing key'));
    const { lm } = makeLM(fetch);
    await expect(served(lm, REQUEST)).rejects.toThrow(/OPENAI_API_KEY.*--api-key-env/);
  });

  it('names the model on 404', async () => {
    const { fetch } = scriptedFetch(() => errorResponse(404, 'The model `test-model` does not exist'));
    const { lm } = makeLM(fetch);
    await expect(served(lm, REQUEST)).rejects.toThrow(/HTTP 404 .*"test-model".*does not exist/);
  });

  it('retries malformed JSON as bad-response', async () => {
    const { fetch } = scriptedFetch(
      () => new Response('{"choices": [{"message": {"content": "tru', { status: 200 }),
      () => completion('ok'),
    );
    const { lm, retries } = makeLM(fetch);
    await expect(served(lm, REQUEST)).resolves.toMatchObject({ text: 'ok', attempts: 2 });
    expect(retries[0]).toMatchObject({ reason: 'bad-response' });
  });

  it('fails with bad-response when the body is never a completion', async () => {
    const { fetch, calls } = scriptedFetch(() => Response.json({ object: 'list', data: [] }));
    const { lm } = makeLM(fetch, { maxRetries: 2 });
    const error = (await served(lm, REQUEST).catch((e: unknown) => e)) as LMError;
    expect(error).toMatchObject({ kind: 'bad-response', attempts: 3 });
    expect(error.message).toContain('choices[0].message.content');
    expect(calls).toHaveLength(3);
  });

  it('turns network errors into network errors naming the URL', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const { fetch } = scriptedFetch(() => Promise.reject(new TypeError('fetch failed', { cause: refused })));
    const { lm, retries } = makeLM(fetch, { maxRetries: 1 });
    const error = (await served(lm, REQUEST).catch((e: unknown) => e)) as LMError;
    expect(error.kind).toBe('network');
    expect(error.message).toContain(`${BASE}/chat/completions`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(retries.map((r) => r.reason)).toEqual(['network']);
  });

  it('times out each attempt and fails with timeout after the retries', async () => {
    const { fetch, calls } = scriptedFetch(hang);
    const { lm, retries } = makeLM(fetch, { timeoutMs: 10, maxRetries: 2 });
    const error = (await served(lm, REQUEST).catch((e: unknown) => e)) as LMError;
    expect(error).toMatchObject({ kind: 'timeout', attempts: 3 });
    expect(error.message).toContain('10 ms');
    expect(calls).toHaveLength(3);
    expect(retries.map((r) => r.reason)).toEqual(['timeout', 'timeout']);
  });

  it('with maxRetries 0 makes exactly one attempt', async () => {
    const { fetch, calls } = scriptedFetch(() => errorResponse(500, 'x'));
    const { lm } = makeLM(fetch, { maxRetries: 0 });
    await expect(served(lm, REQUEST)).rejects.toMatchObject({ kind: 'http', attempts: 1 });
    expect(calls).toHaveLength(1);
  });
});

describe('OpenAICompatibleLM: cancellation and concurrency', () => {
  it('cancels an attempt in flight', async () => {
    const { fetch } = scriptedFetch(hang);
    const { lm } = makeLM(fetch);
    const controller = new AbortController();
    const pending = served(lm, REQUEST, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('cancels during a backoff sleep without another attempt', async () => {
    const { fetch, calls } = scriptedFetch(() => errorResponse(500, 'x'));
    const controller = new AbortController();
    const { lm } = makeLM(fetch, {
      backoffBaseMs: 60_000,
      backoffMaxMs: 60_000,
      onRetry: () => setTimeout(() => controller.abort(), 1),
    });
    await expect(served(lm, REQUEST, { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled', attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('cancels while waiting for a slot', async () => {
    const { fetch, calls } = scriptedFetch(hang);
    const { lm } = makeLM(fetch, { maxConcurrency: 1, timeoutMs: 60_000 });
    const holder = new AbortController();
    const first = served(lm, REQUEST, { signal: holder.signal }).catch((e: unknown) => e);
    const controller = new AbortController();
    const second = served(lm, REQUEST, { signal: controller.signal });
    controller.abort();
    await expect(second).rejects.toMatchObject({ kind: 'cancelled' });
    holder.abort();
    await first;
    expect(calls).toHaveLength(1);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const fetch: FetchLike = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return completion('ok');
    };
    const { lm } = makeLM(fetch, { maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => served(lm, REQUEST)));
    expect(peak).toBe(3);
  });
});

describe('retry helpers', () => {
  it('parses Retry-After seconds and dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter and a cap', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(backoffDelay(1, 500, 20_000, low)).toBe(250);
    expect(backoffDelay(1, 500, 20_000, high)).toBe(500);
    expect(backoffDelay(2, 500, 20_000, low)).toBe(500);
    expect(backoffDelay(3, 500, 20_000, high)).toBe(2000);
    expect(backoffDelay(10, 500, 20_000, high)).toBe(20_000);
    expect(backoffDelay(10, 500, 20_000, low)).toBe(10_000);
  });

  it('jitter is deterministic for a seed', async () => {
    const delays = async (seed: number) => {
      const { fetch } = scriptedFetch(() => errorResponse(500, 'x'));
      const { lm, retries } = makeLM(fetch, { jitterSeed: seed, backoffBaseMs: 4, backoffMaxMs: 16, maxRetries: 3 });
      await served(lm, REQUEST).catch(() => undefined);
      return retries.map((r) => r.delayMs);
    };
    expect(await delays(1)).toEqual(await delays(1));
  });

  it('normalizes and validates base URLs', () => {
    expect(normalizeBaseUrl('http://127.0.0.1:8000/v1/')).toBe('http://127.0.0.1:8000/v1');
    expect(normalizeBaseUrl('https://api.example.com/v1')).toBe('https://api.example.com/v1');
    expect(() => normalizeBaseUrl('localhost:8000/v1')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => normalizeBaseUrl('not a url')).toThrow(/not a URL/);
    expect(() => normalizeBaseUrl('ftp://host/v1')).toThrow(/http/);
    expect(() => normalizeBaseUrl('http://host/v1/chat/completions')).toThrow(/stop before \/chat\/completions.*http:\/\/host\/v1/);
  });

  it('reads error messages from OpenAI-style and other bodies', () => {
    expect(errorMessageFromBody('{"error":{"message":"bad key"}}')).toBe('bad key');
    expect(errorMessageFromBody('{"error":"plain"}')).toBe('plain');
    expect(errorMessageFromBody('{"detail":"Not Found"}')).toBe('Not Found');
    expect(errorMessageFromBody('<html>oops</html>')).toBe('<html>oops</html>');
  });

  it('rejects bad options', () => {
    expect(() => new OpenAICompatibleLM({ baseUrl: BASE, model: '' })).toThrow(/model/);
    expect(() => new OpenAICompatibleLM({ baseUrl: BASE, model: 'm', maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => new OpenAICompatibleLM({ baseUrl: BASE, model: 'm', timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe('OpenAICompatibleLM: shared limiter', () => {
  it('lets several clients share one concurrency cap', async () => {
    let inFlight = 0;
    let peak = 0;
    const fetch: FetchLike = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return completion('ok');
    };
    const limiter = new Limiter(2);
    const base = makeLM(fetch, { limiter, maxConcurrency: 50 }).lm;
    const adapter = makeLM(fetch, { limiter, model: 'lora-1' }).lm;
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? base : adapter).generate(REQUEST)));
    expect(peak).toBe(2);
  });
});
