// The `w` step: Θ (bootstrap fine-tuning) on the full train set, on the program's current models.
// "No passing traces" leaves the program as it was and is reported, like the paper's "—".
// Each job is recorded when it ends, with the adapter's size and the end of the trainer's output.

import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { FinetuneError, type Finetuner, type FinetuneEvent, type LoraHyperparams } from '../../finetune/finetuner.ts';
import { LogTail, logTailText } from '../../finetune/log-tail.ts';
import { bootstrapFinetune, type BootstrapFinetuneOutcome } from '../../optimize/bootstrap-finetune.ts';
import type { OptimizerContext } from '../../optimize/optimizer-context.ts';
import type { Example } from '../../program/example.ts';
import type { LMBinding } from '../../lm/lm-binding.ts';
import type { Module } from '../../program/module.ts';
import type { Store } from '../../store/index.ts';
import type { StepKind } from './step-kind.ts';

export const weightStep: StepKind = {
  info: { token: 'w', name: 'weight fine-tuning (Θ)', needsFinetuner: true, firstActivity: 'collecting traces on the train set' },
  async run(input) {
    if (!input.finetuner) throw new Error(`step "w" of ${input.prefix} needs a fine-tuning backend, and the run has none`);
    const step = await runWeightStep({
      program: input.program,
      train: input.train,
      finetuner: input.finetuner,
      hyperparams: input.settings.hyperparams,
      workDir: input.settings.workDir,
      ...(input.settings.finetunePerModule ? { perModule: true } : {}),
      runId: input.runId,
      stageId: input.stageId,
      defaultBinding: input.defaultBinding,
      seed: input.stepSeed,
      ctx: input.ctx,
      store: input.store,
      onFinetuneEvent: (event) => input.emit({ type: 'finetune', stageId: input.stageId, event }),
    });
    if (step.status === 'no-passing-traces') {
      input.emit({ type: 'warning', message: `seed ${input.seed}, ${input.prefix}: no passing traces to fine-tune on; the program is unchanged ("—")` });
      return { program: step.program, outcome: 'no-passing-traces' };
    }
    return { program: step.program };
  },
};

export interface WeightStepInput {
  program: Module;
  train: readonly Example[];
  finetuner: Finetuner;
  hyperparams: LoraHyperparams;
  workDir: string;
  perModule?: boolean;
  runId: number;
  stageId: number;
  defaultBinding: LMBinding;
  seed: number;
  ctx: OptimizerContext;
  onFinetuneEvent?: (event: FinetuneEvent) => void;
  store: Store;
}

export async function runWeightStep(input: WeightStepInput): Promise<BootstrapFinetuneOutcome<Module>> {
  const { finetuner, logOf } = capturingLogs(input.finetuner);
  return bootstrapFinetune(
    input.program,
    input.train,
    {
      finetuner,
      hyperparams: input.hyperparams,
      workDir: path.join(input.workDir, `run-${input.runId}`, `stage-${input.stageId}`),
      adapterPrefix: `tandem-r${input.runId}-s${input.stageId}`,
      defaultBinding: input.defaultBinding,
      ...(input.perModule ? { perModule: true } : {}),
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
          adapterBytes: job.result ? folderBytes(job.result.adapterDir) : null,
          logTail: logOf(job.adapterName),
          provenanceFile: provenanceOf(job.trainFile),
          sourceTraceIds: job.sourceTraceIds,
        }),
      ...(input.onFinetuneEvent ? { onFinetuneEvent: (_group: string, event: FinetuneEvent) => input.onFinetuneEvent!(event) } : {}),
    },
    input.ctx,
  );
}

/**
 * Wraps a finetuner to keep the end of each job's trainer output (by adapter name): what the
 * trainer reported with its result or error, else the log lines it streamed as events.
 */
function capturingLogs(inner: Finetuner): { finetuner: Finetuner; logOf: (adapterName: string) => string | null } {
  const logs = new Map<string, string>();
  const finetuner: Finetuner = {
    name: inner.name,
    attach: (adapterName, adapterDir, base) => inner.attach(adapterName, adapterDir, base),
    finetune: async (job, options = {}) => {
      const streamed = new LogTail();
      const onEvent = (event: FinetuneEvent) => {
        if (event.type === 'log') streamed.push(event.line);
        options.onEvent?.(event);
      };
      try {
        const result = await inner.finetune(job, { ...options, onEvent });
        logs.set(job.adapterName, logTailText(result.log ?? streamed.toLines()));
        return result;
      } catch (error) {
        const reported = error instanceof FinetuneError && error.log.length > 0 ? error.log : streamed.toLines();
        logs.set(job.adapterName, logTailText(reported));
        throw error;
      }
    },
  };
  return { finetuner, logOf: (adapterName) => logs.get(adapterName) ?? null };
}

/** Bytes of every file under a folder (the adapter's weights and config); null if it is not there. */
function folderBytes(dir: string): number | null {
  try {
    let total = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
    }
    return total;
  } catch {
    return null;
  }
}

/** bootstrapFinetune writes provenance.jsonl beside train.jsonl. */
function provenanceOf(trainFile: string): string | null {
  const file = path.join(path.dirname(trainFile), 'provenance.jsonl');
  return existsSync(file) ? file : null;
}
