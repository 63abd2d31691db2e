import { describe, expect, it } from 'vitest';
import { ScriptedLM } from '../../helpers/scripted-lm.ts';
import { served } from '../../helpers/served.ts';

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('ScriptedLM', () => {
  it('replies from a list in order and records requests', async () => {
    const lm = new ScriptedLM(['one', 'two words'], { model: 'fake' });
    expect(lm.id).toBe('scripted:fake');
    const first = await served(lm, ask('a b c'));
    expect(first).toMatchObject({ text: 'one', response: { modelId: 'fake' }, cached: false, attempts: 1, usage: { promptTokens: 3, completionTokens: 1 } });
    expect((await served(lm, ask('d'))).text).toBe('two words');
    expect(lm.requests.map((r) => r.messages[0]!.content)).toEqual(['a b c', 'd']);
    await expect(served(lm, ask('e'))).rejects.toThrow(/ran out of replies: call 3 but only 2/);
  });

  it('replies from a function of the request and index', async () => {
    const lm = new ScriptedLM(async (request, index) => `${index}:${request.messages[0]!.content}`);
    expect((await served(lm, ask('x'))).text).toBe('0:x');
    expect((await served(lm, ask('y'))).text).toBe('1:y');
  });

  it('simulates latency and reports peak concurrency', async () => {
    const lm = new ScriptedLM(() => 'ok', { latencyMs: 5 });
    await Promise.all([served(lm, ask('a')), served(lm, ask('b')), served(lm, ask('c'))]);
    expect(lm.maxInFlight).toBe(3);
    expect(lm.calls).toBe(3);
  });

  it('honours cancellation during its latency', async () => {
    const lm = new ScriptedLM(() => 'ok', { latencyMs: 60_000 });
    const controller = new AbortController();
    const pending = served(lm, ask('a'), { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
