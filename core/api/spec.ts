// From a validated CreateExperimentInput to the ExperimentSpec the runner saves with a run, with
// the same defaults and rules as `tandem run` (core/cli/commands/run.ts): the default model, the
// fine-tuning backend that follows from the provider, the hyperparameter preset of the model.
// Also reads a spec back from an experiment's or run's saved config.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEMO_MODEL_NAME, hyperparamsFor } from '../finetune/presets.ts';
import type { LoraHyperparams } from '../finetune/finetuner.ts';
import { embeddedDemoModel } from '../models/embedded.ts';
import { seedsFrom, type ExperimentSpec, type FinetuneSpec } from '../runner/experiment-spec.ts';
import { SPEC_VERSION } from '../runner/run-experiment.ts';
import type { JsonObject } from '../store/index.ts';
import { invalidInput } from './errors.ts';
import type { CreateExperimentInput, Parsed } from './schemas.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface SpecDefaults {
  env: Env;
  /** Whether the embedded demo model is there (the default model when TANDEM_MODEL is not set). */
  hasDemoModel?: () => boolean;
}

export function buildSpec(input: Parsed<typeof CreateExperimentInput>, defaults: SpecDefaults): ExperimentSpec {
  const lm = input.lm ?? defaultLM(defaults);
  const local = lm.provider === 'local';
  if (local && input.finetune.command !== undefined) {
    throw invalidInput('finetune.command', 'is only for provider "openai"; the local engine trains its own adapters');
  }
  const finetune: FinetuneSpec = local
    ? { kind: 'local' }
    : input.finetune.command !== undefined
      ? { kind: 'command', template: input.finetune.command, baseModel: input.finetune.baseModel ?? lm.model }
      : null;
  const weighted = input.strategies.find((s) => s.split(' -> ').includes('w'));
  if (weighted !== undefined && finetune === null) {
    throw invalidInput(
      'strategies',
      `strategy "${weighted}" has a "w" (fine-tuning) step, but provider "openai" has no fine-tuning backend; use lm.provider "local" (the local engine) or give finetune.command`,
    );
  }
  let dataPath: string | null = null;
  if (input.dataPath !== undefined) {
    dataPath = path.resolve(input.dataPath);
    if (!existsSync(dataPath)) throw invalidInput('dataPath', `no such file or folder: ${dataPath}`);
  }
  const hyperparams: LoraHyperparams = hyperparamsFor(lm.model);
  for (const [key, value] of Object.entries(input.finetune.hyperparams)) {
    if (value !== undefined) (hyperparams as unknown as Record<string, unknown>)[key] = value;
  }
  return {
    task: input.task,
    dataPath,
    strategies: input.strategies,
    seeds: seedsFrom(input.seed, input.seeds),
    ...(input.seedConcurrency !== undefined ? { seedConcurrency: input.seedConcurrency } : {}),
    lm: {
      provider: lm.provider,
      model: lm.model,
      baseUrl: local ? null : (lm.baseUrl ?? null),
      apiKeyEnv: lm.apiKeyEnv ?? null,
      maxConcurrency: input.concurrency,
      maxRetries: input.retries,
      timeoutMs: Math.round(input.timeoutSeconds * 1000),
    },
    finetune,
    concurrency: input.concurrency,
    maxErrors: input.maxErrors,
    sampling: { temperature: input.sampling.temperature, maxTokens: input.sampling.maxTokens },
    seededRequests: true,
    randomSearch: {
      numCandidates: input.optimizer.candidates,
      maxBootstrappedDemos: input.optimizer.maxDemos,
      maxLabeledDemos: input.optimizer.maxLabeled,
      maxRounds: input.optimizer.rounds,
    },
    hyperparams,
    evalSplits: input.evalSplits,
    useCache: input.useCache,
    workDir: null,
  };
}

/** TANDEM_MODEL on an OpenAI-compatible server, else the embedded demo model on the local engine. */
function defaultLM(defaults: SpecDefaults): { provider: 'openai' | 'local'; model: string; baseUrl?: string; apiKeyEnv?: string } {
  const named = defaults.env.TANDEM_MODEL?.trim();
  if (named) return { provider: 'openai', model: named };
  if ((defaults.hasDemoModel ?? (() => embeddedDemoModel() !== null))()) return { provider: 'local', model: DEMO_MODEL_NAME };
  throw invalidInput('lm', 'is required: no default model (TANDEM_MODEL is not set and the embedded demo model is not built); give { provider, model }');
}

/** The config an experiment or run is saved with. */
export function specConfig(spec: ExperimentSpec): JsonObject {
  return { specVersion: SPEC_VERSION, ...spec };
}

/** The spec in a saved config, or null when this version of the runner did not write it. */
export function specFromConfig(config: JsonObject): ExperimentSpec | null {
  const c = config as Partial<ExperimentSpec> & { specVersion?: unknown };
  if (c.specVersion !== SPEC_VERSION || typeof c.task !== 'string' || !Array.isArray(c.strategies) || !Array.isArray(c.seeds) || !c.lm) return null;
  const { specVersion: _version, ...spec } = c;
  return spec as ExperimentSpec;
}
