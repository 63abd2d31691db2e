// The `w` step: Θ (bootstrap fine-tuning) on the full train set, on the program's current models.
// "No passing traces" leaves the program as it was and is reported, like the paper's "—".

import path from 'node:path';
import type { Finetuner, FinetuneEvent, LoraHyperparams } from '../finetune/finetuner.ts';
import { bootstrapFinetune, type BootstrapFinetuneOutcome } from '../optimize/bootstrap-finetune.ts';
import type { OptimizerContext } from '../optimize/optimizer-context.ts';
import type { Example } from '../program/example.ts';
import type { LMBinding } from '../program/lm-binding.ts';
import type { Module } from '../program/module.ts';
import type { Store } from '../store/index.ts';

export interface WeightStepInput {
  program: Module;
  train: readonly Example[];
  finetuner: Finetuner;
  hyperparams: LoraHyperparams;
  workDir: string;
  runId: number;
  stageId: number;
  defaultBinding: LMBinding;
  seed: number;
  ctx: OptimizerContext;
  onFinetuneEvent?: (event: FinetuneEvent) => void;
  store: Store;
}

export async function runWeightStep(input: WeightStepInput): Promise<BootstrapFinetuneOutcome<Module>> {
  return bootstrapFinetune(
    input.program,
    input.train,
    {
      finetuner: input.finetuner,
      hyperparams: input.hyperparams,
      workDir: path.join(input.workDir, `run-${input.runId}`, `stage-${input.stageId}`),
      adapterPrefix: `tandem-r${input.runId}-s${input.stageId}`,
      defaultBinding: input.defaultBinding,
      seed: input.seed,
      reuseAdapter: (group) => {
        const job = input.store.finetuneJobs.listForStage(input.stageId).find((j) => j.groupKey === group && j.status === 'finished' && j.adapterDir);
        if (!job) return null;
        return { adapterDir: job.adapterDir!, trainRows: job.trainRows ?? 0, skipped: job.skipped ?? {}, seconds: job.seconds ?? 0, losses: job.losses ?? [] };
      },
      onJob: (job) =>
        input.store.finetuneJobs.record({
          runId: input.runId,
          stageId: input.stageId,
          finetuner: input.finetuner.name,
          groupKey: job.group,
          predictors: job.predictors,
          baseModel: job.base.model,
          adapterName: job.adapterName,
          adapterDir: job.result?.adapterDir ?? null,
          trainFile: job.trainFile,
          validFile: job.validFile,
          rows: job.rows,
          hyperparams: job.hyperparams,
          status: job.result ? 'finished' : 'failed',
          error: job.error,
          trainRows: job.result?.trainRows ?? null,
          skipped: job.result?.skipped ?? null,
          losses: job.result?.losses ?? null,
          seconds: job.result?.seconds ?? null,
        }),
      ...(input.onFinetuneEvent ? { onFinetuneEvent: (_group: string, event: FinetuneEvent) => input.onFinetuneEvent!(event) } : {}),
    },
    input.ctx,
  );
}
