import { describe, expect, it } from 'vitest';
import { ScriptedLM } from '../../../core/lm/scripted-lm.ts';

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('ScriptedLM', () => {
  it('replies from a list in order and records requests', async () => {
    const lm = new ScriptedLM(['one', 'two words'], { model: 'fake' });
    expect(lm.id).toBe('scripted:fake');
    const first = await lm.generate(ask('a b c'));
    expect(first).toMatchObject({ text: 'one', model: 'fake', cached: false, attempts: 1, usage: { promptTokens: 3, completionTokens: 1 } });
    expect((await lm.generate(ask('d'))).text).toBe('two words');
    expect(lm.requests.map((r) => r.messages[0]!.content)).toEqual(['a b c', 'd']);
    await expect(lm.generate(ask('e'))).rejects.toThrow(/ran out of replies: call 3 but only 2/);
  });

  it('replies from a function of the request and index', async () => {
    const lm = new ScriptedLM(async (request, index) => `${index}:${request.messages[0]!.content}`);
    expect((await lm.generate(ask('x'))).text).toBe('0:x');
    expect((await lm.generate(ask('y'))).text).toBe('1:y');
  });

  it('simulates latency and reports peak concurrency', async () => {
    const lm = new ScriptedLM(() => 'ok', { latencyMs: 5 });
    await Promise.all([lm.generate(ask('a')), lm.generate(ask('b')), lm.generate(ask('c'))]);
    expect(lm.maxInFlight).toBe(3);
    expect(lm.calls).toBe(3);
  });

  it('honours cancellation during its latency', async () => {
    const lm = new ScriptedLM(() => 'ok', { latencyMs: 60_000 });
    const controller = new AbortController();
    const pending = lm.generate(ask('a'), { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
