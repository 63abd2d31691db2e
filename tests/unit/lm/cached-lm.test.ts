import { describe, expect, it } from 'vitest';
import { CachedLM } from '../../../core/lm/cached-lm.ts';
import { LMError } from '../../../core/lm/errors.ts';
import type { ChatRequest, LanguageModel } from '../../../core/lm/language-model.ts';
import { MemoryResponseCache, cacheKey } from '../../../core/lm/response-cache.ts';
import { ScriptedLM } from '../../helpers/scripted-lm.ts';
import { served } from '../../helpers/served.ts';

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ messages: [{ role: 'user', content }], ...extra });
const echo = (request: ChatRequest) => `echo ${request.messages.at(-1)!.content}`;

describe('CachedLM', () => {
  it('answers a repeated request from the cache', async () => {
    const inner = new ScriptedLM(echo, { latencyMs: 1 });
    const cache = new MemoryResponseCache();
    const lm = new CachedLM(inner, cache);
    expect(lm.id).toBe(inner.id);
    expect(lm.model).toBe(inner.model);

    const first = await served(lm, ask('a'));
    expect(first).toMatchObject({ text: 'echo a', cached: false, attempts: 1 });
    const second = await served(lm, ask('a'));
    expect(second).toMatchObject({ text: 'echo a', cached: true, latencyMs: 0, attempts: 0, usage: first.usage, response: first.response });
    expect(inner.calls).toBe(1);
    expect(cache.get(cacheKey(inner.id, ask('a')))?.text).toBe('echo a');
    expect(lm.stats).toEqual({ hits: 1, misses: 1, shared: 0 });
  });

  it('keys on sampling parameters and rollout id', async () => {
    const inner = new ScriptedLM(echo);
    const lm = new CachedLM(inner, new MemoryResponseCache());
    await served(lm, ask('a'));
    await served(lm, ask('a', { temperature: 0.7 }));
    await served(lm, ask('a', { rolloutId: 1 }));
    await served(lm, ask('a', { rolloutId: 1 }));
    expect(inner.calls).toBe(3);
  });

  it('does not store failures', async () => {
    let fail = true;
    const inner = new ScriptedLM(() => {
      if (fail) throw new LMError('http', 'HTTP 500', { status: 500 });
      return 'fine';
    });
    const lm = new CachedLM(inner, new MemoryResponseCache());
    await expect(served(lm, ask('a'))).rejects.toMatchObject({ kind: 'http' });
    fail = false;
    await expect(served(lm, ask('a'))).resolves.toMatchObject({ text: 'fine', cached: false });
    expect(inner.calls).toBe(2);
  });

  it('shares one call among concurrent identical misses', async () => {
    const inner = new ScriptedLM(echo, { latencyMs: 20 });
    const lm = new CachedLM(inner, new MemoryResponseCache());
    const responses = await Promise.all([served(lm, ask('x')), served(lm, ask('x')), served(lm, ask('x')), served(lm, ask('y'))]);
    expect(inner.calls).toBe(2);
    expect(responses.map((r) => r.text)).toEqual(['echo x', 'echo x', 'echo x', 'echo y']);
    expect(responses.map((r) => r.cached)).toEqual([false, true, true, false]);
    expect(lm.stats).toEqual({ hits: 0, misses: 2, shared: 2 });
  });

  it('a shared failure reaches every waiter and is not cached', async () => {
    let calls = 0;
    const inner = new ScriptedLM(
      () => {
        calls++;
        if (calls === 1) throw new LMError('timeout', 'slow');
        return 'ok';
      },
      { latencyMs: 10 },
    );
    const lm = new CachedLM(inner, new MemoryResponseCache());
    const results = await Promise.allSettled([served(lm, ask('x')), served(lm, ask('x'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(served(lm, ask('x'))).resolves.toMatchObject({ text: 'ok' });
  });

  it('one waiter cancelling does not cancel the shared call for the others', async () => {
    const inner = new ScriptedLM(echo, { latencyMs: 30 });
    const lm = new CachedLM(inner, new MemoryResponseCache());
    const controller = new AbortController();
    const told: string[] = [];
    const leaving = served(lm, ask('x'), { signal: controller.signal, onCallInfo: () => told.push('leaving') });
    const staying = served(lm, ask('x'), { onCallInfo: (info) => told.push(`staying cached=${info.cached}`) });
    setTimeout(() => controller.abort(), 5);
    await expect(leaving).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(staying).resolves.toMatchObject({ text: 'echo x' });
    expect(inner.calls).toBe(1);
    // The caller that started the call left before it ended: it is told nothing afterwards.
    expect(told).toEqual(['staying cached=true']);
  });

  it('aborts the inner call when every waiter has cancelled', async () => {
    const signals: AbortSignal[] = [];
    const scripted = new ScriptedLM(echo, { latencyMs: (index) => (index === 0 ? 60_000 : 1) });
    const inner: LanguageModel = {
      id: 'recording',
      model: 'recording',
      generate: (request, options) => {
        signals.push(options!.signal!);
        return scripted.generate(request, options);
      },
    };
    const lm = new CachedLM(inner, new MemoryResponseCache());
    const a = new AbortController();
    const b = new AbortController();
    const first = served(lm, ask('x'), { signal: a.signal });
    const second = served(lm, ask('x'), { signal: b.signal });
    a.abort();
    expect(signals[0]!.aborted).toBe(false);
    b.abort();
    expect(signals[0]!.aborted).toBe(true);
    // A request arriving now does not join the aborted call; it starts its own.
    const third = served(lm, ask('x'));
    expect(signals).toHaveLength(2);
    await expect(first).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(second).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(third).resolves.toMatchObject({ text: 'echo x', cached: false });
  });

  it('rejects at once with an aborted signal', async () => {
    const inner = new ScriptedLM(echo);
    const lm = new CachedLM(inner, new MemoryResponseCache());
    await expect(served(lm, ask('x'), { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(inner.calls).toBe(0);
  });
});
