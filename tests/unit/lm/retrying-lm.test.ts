import { describe, expect, it } from 'vitest';
import { LMError, RetryableLMError } from '../../../core/lm/errors.ts';
import { RetryingLM, type RetryInfo } from '../../../core/lm/retrying-lm.ts';
import { ScriptedLM } from '../../helpers/scripted-lm.ts';
import { served } from '../../helpers/served.ts';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** A model whose first `failures` calls throw what `fail` makes, then answers "ok". */
function flaky(failures: number, fail: () => Error) {
  return new ScriptedLM((_request, index) => {
    if (index < failures) throw fail();
    return 'ok';
  });
}

describe('RetryingLM', () => {
  it('repeats an attempt that may succeed and reports the attempts it took', async () => {
    const inner = flaky(2, () => new RetryableLMError('http', 'HTTP 503', { status: 503 }));
    const retries: RetryInfo[] = [];
    const lm = new RetryingLM(inner, { backoffBaseMs: 1, backoffMaxMs: 2, onRetry: (info) => retries.push(info) });
    expect(lm.id).toBe(inner.id);
    const answer = await served(lm, ask);
    expect(answer).toMatchObject({ text: 'ok', cached: false, attempts: 3 });
    expect(retries.map((r) => [r.attempt, r.reason, r.status])).toEqual([[1, 'http', 503], [2, 'http', 503]]);
  });

  it('gives up after maxRetries with an LMError that says so', async () => {
    const lm = new RetryingLM(flaky(9, () => new RetryableLMError('timeout', 'no answer')), { maxRetries: 2, backoffBaseMs: 1, backoffMaxMs: 1 });
    const error = await served(lm, ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LMError);
    expect(error).not.toBeInstanceOf(RetryableLMError);
    expect(error).toMatchObject({ kind: 'timeout', attempts: 3, message: 'no answer (gave up after 3 attempts)' });
  });

  it('passes a final error on at once, counting the attempts made', async () => {
    let calls = 0;
    const inner = new ScriptedLM(() => {
      calls++;
      if (calls === 1) throw new RetryableLMError('network', 'reset');
      throw new LMError('http', 'HTTP 401', { status: 401 });
    });
    const lm = new RetryingLM(inner, { backoffBaseMs: 1, backoffMaxMs: 1 });
    await expect(served(lm, ask)).rejects.toMatchObject({ kind: 'http', status: 401, attempts: 2, message: 'HTTP 401' });
    expect(calls).toBe(2);
  });

  it('stops waiting when the caller cancels during a backoff', async () => {
    const controller = new AbortController();
    const lm = new RetryingLM(flaky(9, () => new RetryableLMError('http', 'HTTP 500')), {
      backoffBaseMs: 60_000,
      backoffMaxMs: 60_000,
      onRetry: () => controller.abort(),
    });
    await expect(served(lm, ask, { signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled', attempts: 1 });
  });
});
