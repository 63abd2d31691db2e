import { describe, expect, it } from 'vitest';
import { evaluate, TooManyErrorsError } from '../../../core/evaluate/evaluate.ts';
import type { Metric } from '../../../core/evaluate/metric.ts';
import { ScriptedLM } from '../../helpers/scripted-lm.ts';
import { DoubleProgram, doublingLM, envFor, exactY, lastInput, numbers } from '../../helpers/toy-program.ts';

describe('evaluate', () => {
  it('returns results in input order with scores, predictions and traces', async () => {
    const lm = doublingLM({ latencyMs: (i) => (i % 5) * 3 });
    const examples = numbers(20);
    const ev = await evaluate(new DoubleProgram(), examples, exactY, envFor(lm), { concurrency: 8 });
    expect(ev.results.map((r) => r.example.id)).toEqual(examples.map((e) => e.id));
    expect(ev.results.map((r) => r.index)).toEqual(examples.map((_, i) => i));
    expect(ev.n).toBe(20);
    expect(ev.passed).toBe(13); // multiples of 3 in 0..19 fail: 7 of them
    expect(ev.score).toBeCloseTo(13 / 20);
    expect(ev.results[1]!.prediction).toEqual({ y: '2' });
    expect(ev.results[1]!.trace.calls).toHaveLength(1);
    expect(lm.maxInFlight).toBeLessThanOrEqual(8);
  });

  it('counts failures as errors scored 0 and keeps them', async () => {
    const lm = new ScriptedLM((req) => (Number(lastInput(req, 'x')) % 2 ? 'no headers here' : `[[ ## y ## ]]\n${2 * Number(lastInput(req, 'x'))}`));
    const ev = await evaluate(new DoubleProgram(), numbers(10), exactY, envFor(lm));
    expect(ev.errors).toBe(5);
    expect(ev.score).toBeCloseTo(0.5);
    const failed = ev.results.filter((r) => r.trace.error);
    expect(failed.every((r) => r.score === 0 && r.trace.error!.kind === 'parse' && r.trace.calls[0]!.completion === 'no headers here')).toBe(true);
  });

  it('stops past maxErrors with a message that says how many failed and why', async () => {
    const lm = new ScriptedLM(() => 'nothing');
    const run = evaluate(new DoubleProgram(), numbers(50), exactY, envFor(lm), { concurrency: 2, maxErrors: 3 });
    await expect(run).rejects.toThrow(TooManyErrorsError);
    await expect(evaluate(new DoubleProgram(), numbers(50), exactY, envFor(new ScriptedLM(() => 'nothing')), { concurrency: 1, maxErrors: 3 })).rejects.toThrow(
      /4 of 4 examples run \(of 50\) failed, more than the limit of 3; first error: n0: completion is missing/,
    );
    expect(lm.calls).toBeLessThan(50);
  });

  it('records a throwing metric as a counted error, not a silent zero', async () => {
    const broken: Metric = { name: 'broken', score: () => { throw new Error('bad label'); } };
    const ev = await evaluate(new DoubleProgram(), numbers(3), broken, envFor(doublingLM()));
    expect(ev.errors).toBe(3);
    expect(ev.results[0]!.trace.error).toEqual({ kind: 'metric', message: 'broken: bad label' });
  });

  it('cancels through the abort signal', async () => {
    const controller = new AbortController();
    const lm = doublingLM({ latencyMs: () => 20 });
    const env = { ...envFor(lm), signal: controller.signal };
    setTimeout(() => controller.abort(), 30);
    await expect(evaluate(new DoubleProgram(), numbers(100), exactY, env, { concurrency: 2 })).rejects.toThrow();
    expect(lm.calls).toBeLessThan(100);
  });
});
