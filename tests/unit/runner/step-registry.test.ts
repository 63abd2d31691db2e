import { describe, expect, it } from 'vitest';
import type { ExperimentSpec } from '../../../core/runner/experiment-spec.ts';
import { startRun } from '../../../core/runner/run-experiment.ts';
import { knownStepTokens, registerStepKind, stepKind, stepKinds, StepKindError } from '../../../core/runner/steps/registry.ts';
import type { StepKind } from '../../../core/runner/steps/step-kind.ts';
import { openStore } from '../../../core/store/index.ts';

const unchanged: StepKind['run'] = async (input) => ({ program: input.program });

describe('the step registry', () => {
  it('has p and w as its first registrations, w needing a fine-tuner', () => {
    expect(stepKinds().slice(0, 2)).toEqual([
      { token: 'p', name: 'prompt optimization (Π)', needsFinetuner: false, firstActivity: 'starting random search' },
      { token: 'w', name: 'weight fine-tuning (Θ)', needsFinetuner: true, firstActivity: 'collecting traces on the train set' },
    ]);
    expect(knownStepTokens().slice(0, 2)).toEqual(['p', 'w']);
    expect(stepKind('w').info.needsFinetuner).toBe(true);
  });

  it('refuses a second kind with a token already taken, and names unknown tokens', () => {
    expect(() => registerStepKind({ info: { token: 'p', name: 'another p', needsFinetuner: false }, run: unchanged })).toThrow(StepKindError);
    expect(() => registerStepKind({ info: { token: 'p', name: 'another p', needsFinetuner: false }, run: unchanged })).toThrow('"p" is already registered');
    expect(() => stepKind('zz')).toThrow('no optimizer is registered for strategy token "zz"; registered tokens: "p", "w"');
  });

  it('hands out copies of what it knows', () => {
    stepKinds()[0]!.name = 'changed';
    expect(stepKind('p').info.name).toBe('prompt optimization (Π)');
  });

  it('makes a run with a step that needs a fine-tuner require a fine-tuning backend, whatever its token', async () => {
    registerStepKind({ info: { token: 'tune', name: 'another trainer', needsFinetuner: true }, run: unchanged });
    const store = openStore(':memory:');
    try {
      const spec = { strategies: ['p', 'p -> tune'], seeds: [0], lm: { provider: 'openai' } } as unknown as ExperimentSpec;
      const runtime = { lm: {} as never, finetuner: undefined };
      await expect(startRun(spec, { store, runtime, skipProbe: true })).rejects.toThrow(/^strategy "p -> tune" has a "tune" \(fine-tuning\) step, but .*no fine-tuning backend/);
      await expect(startRun({ ...spec, strategies: ['p -> q'] }, { store, runtime, skipProbe: true })).rejects.toThrow('strategy "p -> q" names unknown optimizer "q"; valid tokens: "p", "w", "tune"');
      expect(store.runs.list()).toEqual([]);
    } finally {
      store.close();
    }
  });
});
