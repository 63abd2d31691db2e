import { describe, expect, it } from 'vitest';
import { bootstrapFewShot } from '../../../core/optimize/bootstrap-few-shot.ts';
import { labeledFewShot } from '../../../core/optimize/labeled-few-shot.ts';
import type { OptimizerContext } from '../../../core/optimize/optimizer-context.ts';
import { DoubleProgram, doublingLM, envFor, exactY, lastInput, numbers } from '../../helpers/toy-program.ts';

function context(lm = doublingLM(), concurrency = 4): OptimizerContext {
  return { env: envFor(lm), metric: exactY, concurrency };
}

const options = { maxBootstrappedDemos: 3, maxLabeledDemos: 5, maxRounds: 1, seed: 7 };

describe('bootstrapFewShot', () => {
  it('keeps the first passing traces in train order, then tops up with labeled demos', async () => {
    // x = 0 and 3 fail without demos... but the teacher has labeled demos (>= 2), so only multiples of 7 fail.
    const result = await bootstrapFewShot(new DoubleProgram(), numbers(12), options, context());
    expect(result.bootstrappedExampleIds).toEqual(['n1', 'n2', 'n3']);
    const demos = result.program.double.demos;
    expect(demos.slice(0, 3).map((d) => [d.augmented, d.fields.x, d.fields.y])).toEqual([
      [true, 1, '2'],
      [true, 2, '4'],
      [true, 3, '6'],
    ]);
    expect(demos).toHaveLength(5);
    expect(demos.slice(3).every((d) => !d.augmented && !['n1', 'n2', 'n3'].includes(d.exampleId!))).toBe(true);
  });

  it('never shows the teacher the example it is run on', async () => {
    const lm = doublingLM();
    await bootstrapFewShot(new DoubleProgram(), numbers(6), { ...options, maxLabeledDemos: 6, maxBootstrappedDemos: 6 }, context(lm));
    for (const request of lm.requests) {
      const x = lastInput(request, 'x');
      const demoInputs = request.messages.slice(1, -1).filter((m) => m.role === 'user').map((m) => m.content);
      expect(demoInputs.some((c) => c.includes(`[[ ## x ## ]]\n${x}\n`) || c.endsWith(`[[ ## x ## ]]\n${x}`))).toBe(false);
    }
  });

  it('chooses the same demos at concurrency 1 and 16 whatever order calls finish in', async () => {
    const train = numbers(40);
    const jitter = (i: number) => ((i * 37) % 11) * 2;
    const one = await bootstrapFewShot(new DoubleProgram(), train, options, context(doublingLM({ latencyMs: jitter }), 1));
    const many = await bootstrapFewShot(new DoubleProgram(), train, options, context(doublingLM({ latencyMs: jitter }), 16));
    expect(many.program.double.demos).toEqual(one.program.double.demos);
    expect(many.bootstrappedExampleIds).toEqual(one.bootstrappedExampleIds);
  });

  it('stops launching once enough demos are found', async () => {
    const lm = doublingLM();
    await bootstrapFewShot(new DoubleProgram(), numbers(100), options, context(lm, 1));
    expect(lm.calls).toBe(4); // n0 fails (0 is a multiple of 7), n1..n3 pass
  });

  it('records every attempt and links demos to their source traces', async () => {
    const saved: number[] = [];
    const ctx: OptimizerContext = {
      ...context(),
      recordTraces: (traces) => traces.map(() => saved.push(saved.length + 100) && saved.at(-1)!),
    };
    const result = await bootstrapFewShot(new DoubleProgram(), numbers(10), options, ctx);
    expect(saved.length).toBeGreaterThanOrEqual(4);
    const augmented = result.program.double.demos.filter((d) => d.augmented);
    expect(augmented.every((d) => typeof d.sourceTraceId === 'number' && saved.includes(d.sourceTraceId))).toBe(true);
  });

  it('retries failing examples at temperature 1 with a fresh rollout id when rounds > 1', async () => {
    const lm = doublingLM();
    await bootstrapFewShot(new DoubleProgram(), numbers(2), { ...options, maxLabeledDemos: 0, maxRounds: 3 }, context(lm, 1));
    // n0 fails every round (0 % 3 == 0 without demos): three requests, later ones re-sampled.
    const forZero = lm.requests.filter((r) => lastInput(r, 'x') === '0');
    expect(forZero.map((r) => [r.temperature, r.rolloutId])).toEqual([
      [0, undefined],
      [1, 1],
      [1, 2],
    ]);
  });
});

describe('labeledFewShot', () => {
  it('samples k labeled demos with a seed', () => {
    const a = labeledFewShot(new DoubleProgram(), numbers(20), 4, 1);
    const b = labeledFewShot(new DoubleProgram(), numbers(20), 4, 1);
    const c = labeledFewShot(new DoubleProgram(), numbers(20), 4, 2);
    expect(a.double.demos).toHaveLength(4);
    expect(a.double.demos).toEqual(b.double.demos);
    expect(a.double.demos).not.toEqual(c.double.demos);
    expect(a.double.demos.every((d) => !d.augmented)).toBe(true);
  });
});
