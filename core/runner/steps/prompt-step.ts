// The `p` step: Π (bootstrap few-shot with random search) on a subsample of the train set, as
// the paper's protocol prescribes (e.g. Iris: 15 examples to bootstrap from, 35 to validate on).
// Every candidate is saved with its validation evaluation in one transaction.

import type { Example } from '../../program/example.ts';
import type { Module } from '../../program/module.ts';
import type { OptimizerContext } from '../../optimize/optimizer-context.ts';
import { randomSearch, type RandomSearchOptions } from '../../optimize/random-search.ts';
import { clampProtocol } from '../../tasks/protocol.ts';
import type { PromptOptProtocol } from '../../tasks/task.ts';
import { Rng } from '../../util/random.ts';
import type { Store } from '../../store/index.ts';
import { evaluationRecord } from '../records.ts';
import type { StepKind } from './step-kind.ts';

export const promptStep: StepKind = {
  info: { token: 'p', name: 'prompt optimization (Π)', needsFinetuner: false, firstActivity: 'starting random search' },
  async run(input) {
    const step = await runPromptStep({
      program: input.program,
      train: input.train,
      protocol: input.task.protocol,
      options: input.settings.randomSearch,
      seed: input.stepSeed,
      runId: input.runId,
      stageId: input.stageId,
      store: input.store,
      ctx: input.ctx,
    });
    if (!step.program.predictors().some((p) => p.demos.some((d) => d.augmented))) {
      input.emit({ type: 'warning', message: `seed ${input.seed}, ${input.prefix}: no bootstrapped demos were chosen (no passing traces, or another candidate won)` });
    }
    return { program: step.program };
  },
};

export interface PromptStepInput {
  program: Module;
  train: readonly Example[];
  protocol: PromptOptProtocol;
  options: Omit<RandomSearchOptions, 'seed'>;
  seed: number;
  runId: number;
  stageId: number;
  store: Store;
  ctx: OptimizerContext;
}

export interface PromptStepResult {
  program: Module;
  bestCandidateIndex: number;
  valScore: number;
}

export async function runPromptStep(input: PromptStepInput): Promise<PromptStepResult> {
  const { trainset, valset } = carveValidation(input.train, input.protocol, input.seed);
  // Candidates saved before an interruption are restored, not rebuilt or re-evaluated.
  const completed = input.store.candidates.listForStage(input.stageId).map((c) => ({
    index: c.idx,
    kind: c.kind,
    seed: c.seed,
    state: c.programState,
    score: c.score ?? 0,
  }));
  const result = await randomSearch(
    input.program,
    trainset,
    valset,
    { ...input.options, seed: input.seed },
    input.ctx,
    {
      completed,
      onCandidate: (candidate) => {
        input.store.candidates.save({
          stageId: input.stageId,
          idx: candidate.index,
          kind: candidate.kind,
          seed: candidate.seed,
          numDemos: candidate.numDemos,
          programState: candidate.state,
          evaluation: evaluationRecord(input.runId, input.stageId, 'val', candidate.evaluation!),
        });
      },
    },
  );
  const saved = input.store.candidates.listForStage(input.stageId);
  const best = saved.find((c) => c.idx === result.best.index);
  if (best) input.store.candidates.markBest(input.stageId, best.id);
  return { program: result.best.program, bestCandidateIndex: result.best.index, valScore: result.best.score };
}

/**
 * Splits a seeded shuffle of the train set into the examples to bootstrap from and the
 * validation examples, at the protocol's sizes, scaled down when the train set is smaller.
 */
export function carveValidation(
  train: readonly Example[],
  protocol: PromptOptProtocol,
  seed: number,
): { trainset: Example[]; valset: Example[] } {
  const sizes = clampProtocol(protocol, train.length);
  const shuffled = new Rng(seed).shuffle(train);
  return { trainset: shuffled.slice(0, sizes.train), valset: shuffled.slice(sizes.train, sizes.train + sizes.val) };
}
