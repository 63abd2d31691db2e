import { describe, expect, it } from 'vitest';
import { CachedLM } from '../../../core/lm/cached-lm.ts';
import { createLanguageModel } from '../../../core/lm/create-language-model.ts';
import type { FetchLike } from '../../../core/lm/http-transport.ts';
import { OpenAICompatibleLM } from '../../../core/lm/openai-compatible.ts';
import { MemoryResponseCache } from '../../../core/lm/response-cache.ts';
import { served } from '../../helpers/served.ts';

const answer: FetchLike = async () =>
  Response.json({ model: 'served', choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 2, completion_tokens: 1 } });
const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };

describe('createLanguageModel', () => {
  it('turns an openai binding into the OpenAI-compatible model at the binding or default base URL', () => {
    const own = createLanguageModel({ provider: 'openai', model: 'm', baseUrl: 'http://a.test/v1' }, { baseUrl: 'http://b.test/v1' });
    expect(own).toBeInstanceOf(OpenAICompatibleLM);
    expect(own.id).toBe('openai:m@http://a.test/v1');
    expect(createLanguageModel({ provider: 'openai', model: 'm' }, { baseUrl: 'http://b.test/v1/' }).id).toBe('openai:m@http://b.test/v1');
    expect(createLanguageModel({ provider: 'openai', model: 'm' }).id).toBe('openai:m@https://api.openai.com/v1');
  });

  it('serves a local binding from the engine address and refuses one without it', () => {
    expect(createLanguageModel({ provider: 'local', model: 'tandem-demo', baseUrl: 'http://127.0.0.1:9/v1' }).id).toBe('openai:tandem-demo@http://127.0.0.1:9/v1');
    expect(() => createLanguageModel({ provider: 'local', model: 'tandem-demo' })).toThrow(/local engine/);
  });

  it('puts the response cache outside the transport and reports how each call was served', async () => {
    const lm = createLanguageModel({ provider: 'openai', model: 'm' }, { baseUrl: 'http://a.test/v1', fetch: answer, cache: new MemoryResponseCache() });
    expect(lm).toBeInstanceOf(CachedLM);
    expect(lm.id).toBe('openai:m@http://a.test/v1');
    const first = await served(lm, ask);
    expect(first).toMatchObject({ text: 'hi', response: { modelId: 'served' }, cached: false, attempts: 1 });
    expect(first.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await served(lm, ask)).toMatchObject({ text: 'hi', response: { modelId: 'served' }, cached: true, attempts: 0, latencyMs: 0 });
  });
});
