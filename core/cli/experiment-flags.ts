// The CLI's side of the one spec path: `tandem run` and `tandem demo` turn their flags into the
// experiment input every front end gives (core/contract/experiment-input.ts), and it goes through
// the same schema and spec builder as the API's createExperiment. A problem reads as it does in
// the API, with the flag in place of the field: `--seeds: must be ≥ 1, got 0`.

import { CreateExperimentInput } from '../contract/experiment-input.ts';
import { describeIssues, issuesOf } from '../contract/input-issues.ts';
import type { ApiIssue } from '../contract/errors.ts';
import type { ExperimentSpec } from '../runner/experiment-spec.ts';
import { buildExperimentSpec, ExperimentInputError } from '../runner/spec-builder.ts';
import { UsageError } from './user-error.ts';

/** The flag that sets each field of the experiment input (the task is the command's argument: no name). */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  task: '',
  strategies: '--strategies',
  seeds: '--seeds',
  seed: '--seed',
  seedConcurrency: '--seed-concurrency',
  lm: '--lm',
  'lm.baseUrl': '--base-url',
  'lm.apiKeyEnv': '--api-key-env',
  dataPath: '--data',
  retriever: '--retriever',
  'finetune.perModule': '--per-module',
  concurrency: '--concurrency',
  maxErrors: '--max-errors',
  'optimizer.candidates': '--candidates',
  'optimizer.maxDemos': '--max-demos',
  'optimizer.maxLabeled': '--max-labeled',
  'optimizer.rounds': '--rounds',
  'sampling.temperature': '--temperature',
  'sampling.maxTokens': '--max-tokens',
  timeoutSeconds: '--timeout',
  retries: '--retries',
  evalSplits: '--no-test',
  useCache: '--no-cache',
  initialProgram: '--from-dspy',
  'finetune.command': '--finetune-command',
  'finetune.backend': '--finetune',
  'finetune.baseModel': '--finetune-base',
  'finetune.hyperparams.rank': '--lora-rank',
  'finetune.hyperparams.alpha': '--lora-alpha',
  'finetune.hyperparams.dropout': '--lora-dropout',
  'finetune.hyperparams.learningRate': '--learning-rate',
  'finetune.hyperparams.epochs': '--epochs',
  'finetune.hyperparams.batchSize': '--batch-size',
  'finetune.hyperparams.gradientAccumulation': '--grad-accum',
  'finetune.hyperparams.maxSeqLen': '--max-seq-len',
};

/** The flag for an input field path: its own, else its closest parent's (`lm.model` → `--lm`). */
export function flagOf(path: string, renamed: Readonly<Record<string, string>> = {}): string {
  let key = path.replace(/\[\d+\]/g, '');
  for (;;) {
    const flag = renamed[key] ?? FLAG_OF_FIELD[key];
    if (flag !== undefined) return flag;
    const dot = key.lastIndexOf('.');
    if (dot < 0) return path;
    key = key.slice(0, dot);
  }
}

/**
 * The spec for an experiment input given on the command line, or a UsageError whose message names
 * the flags. `renamed` names a field's flag where a command spells it otherwise (`--strategy`).
 */
export function specFromInput(input: CreateExperimentInput, renamed: Readonly<Record<string, string>> = {}): ExperimentSpec {
  const fail = (issues: readonly ApiIssue[]) => new UsageError(describeIssues(issues, (path) => flagOf(path, renamed)));
  const parsed = CreateExperimentInput.safeParse(input, { reportInput: true });
  if (!parsed.success) throw fail(issuesOf(parsed.error));
  try {
    return buildExperimentSpec(parsed.data, { env: process.env });
  } catch (error) {
    if (error instanceof ExperimentInputError) throw fail(error.issues);
    throw error;
  }
}
