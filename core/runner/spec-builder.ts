// The one way an experiment spec is made: a validated experiment input (core/contract/
// experiment-input.ts, from `tandem run`, `tandem demo`, the workbench's form or the API) becomes
// the ExperimentSpec a run is saved with. Here are checked the facts only core knows at run time
// (the tasks, the registered step kinds, the default model) and the rules between fields (a step
// that trains weights needs a fine-tuning backend); here the default model, the fine-tuning backend
// that follows from the provider and the model's hyperparameter preset are filled in. A problem is
// an ExperimentInputError naming the input's field, which each front end words its own way (the
// API by field path, the CLI by flag) around the same text.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEMO_MODEL_NAME } from '../contract/defaults.ts';
import type { ApiIssue } from '../contract/errors.ts';
import type { ExperimentInput } from '../contract/experiment-input.ts';
import { describeIssues } from '../contract/input-issues.ts';
import type { LMProvider } from '../contract/providers.ts';
import { finetunerIssue as finetunerRuleIssue } from '../contract/finetuner-rule.ts';
import { parseStrategy, StrategyError, type Strategy } from '../contract/strategy.ts';
import type { LoraHyperparams } from '../finetune/finetuner.ts';
import { hyperparamsFor } from '../finetune/presets.ts';
import { embeddedDemoModel } from '../models/embedded.ts';
import type { ProgramState } from '../contract/views/program.ts';
import { loadState, ProgramStateError, saveState } from '../program/state.ts';
import { SignatureError } from '../program/signature.ts';
import { dspyToProgramState, DspyStateError } from '../report/dspy-state.ts';
import { getTask, UnknownTaskError } from '../tasks/registry.ts';
import type { Task } from '../tasks/task.ts';
import { looksLikeTaskFile, type TaskSource } from '../contract/task-source.ts';
import { preparedTask } from './task-sources.ts';
import { seedsFrom, type ExperimentSpec, type FinetuneSpec, type LMSpecRecord } from './experiment-spec.ts';
import { knownStepTokens, stepKinds } from './steps/registry.ts';

/** Problems with an experiment input, one per field (`path` as in the input, e.g. `lm.model`). */
export class ExperimentInputError extends Error {
  override name = 'ExperimentInputError';
  readonly issues: ApiIssue[];

  constructor(issues: ApiIssue[]) {
    super(describeIssues(issues));
    this.issues = issues;
  }
}

/** What the builder reads from its surroundings. */
export interface SpecContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Whether the embedded demo model is there (the default model when TANDEM_MODEL is not set). */
  hasDemoModel?: () => boolean;
}

export function buildExperimentSpec(input: ExperimentInput, context: SpecContext): ExperimentSpec {
  const { task: taskDef, source: taskSource } = checkTask(input.task);
  const task = taskDef.name;
  const strategies = checkStrategies(input.strategies);
  const lm = chooseModel(input.lm, context);
  const local = lm.provider === 'local';
  if (local && input.finetune.command !== undefined) {
    throw problem('finetune.command', 'is only for provider "openai"; the local engine trains its own adapters');
  }
  if (input.finetune.backend === 'hosted' && (local || input.finetune.command !== undefined)) {
    throw problem('finetune.backend', local ? 'is only for provider "openai"; the local engine trains its own adapters' : 'and a fine-tuning command are two backends; give one of them');
  }
  const finetune: FinetuneSpec = local
    ? { kind: 'local' }
    : input.finetune.command !== undefined
      ? { kind: 'command', template: input.finetune.command, baseModel: input.finetune.baseModel ?? lm.model }
      : input.finetune.backend === 'hosted'
        ? { kind: 'hosted', baseModel: input.finetune.baseModel ?? lm.model }
        : null;
  const missingFinetuner = finetunerIssue(strategies, lm.provider, finetune !== null);
  if (missingFinetuner) throw problem('strategies', missingFinetuner);
  let dataPath: string | null = null;
  if (input.dataPath !== undefined) {
    dataPath = path.resolve(input.dataPath);
    if (!existsSync(dataPath)) throw problem('dataPath', `no such file or folder: ${dataPath}`);
  }
  const retrieval = taskDef.retrieval;
  if (input.retriever !== undefined && !retrieval) throw problem('retriever', `task "${task}" does not retrieve; only tasks whose programs retrieve take a retriever`);
  const retriever = input.retriever ?? (retrieval ? { backend: 'bm25' as const, index: retrieval.defaultIndex(dataPath) } : undefined);
  const initialProgram = input.initialProgram === undefined ? undefined : importedProgram(input.initialProgram, taskDef);
  const hyperparams: LoraHyperparams = hyperparamsFor(lm.model);
  for (const [key, value] of Object.entries(input.finetune.hyperparams)) {
    if (value !== undefined) (hyperparams as unknown as Record<string, unknown>)[key] = value;
  }
  const lmRecord: LMSpecRecord = {
    provider: lm.provider,
    model: lm.model,
    baseUrl: lm.baseUrl,
    apiKeyEnv: lm.apiKeyEnv,
    maxConcurrency: input.concurrency,
    maxRetries: input.retries,
    timeoutMs: Math.round(input.timeoutSeconds * 1000),
  };
  return {
    task,
    ...(taskSource ? { taskSource } : {}),
    dataPath,
    ...(retriever ? { retriever } : {}),
    strategies: strategies.map((s) => s.key),
    seeds: seedsFrom(input.seed, input.seeds),
    ...(input.seedConcurrency !== undefined ? { seedConcurrency: input.seedConcurrency } : {}),
    lm: lmRecord,
    finetune,
    ...(input.finetune.perModule ? { finetunePerModule: true } : {}),
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
    ...(initialProgram ? { initialProgram } : {}),
  };
}

/** A DSPy saved program's text as a state of the task's program, checked by loading it into one. */
export function importedProgram(text: string, task: Pick<Task, 'createProgram'>): ProgramState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw problem('initialProgram', `is not JSON (${error instanceof Error ? error.message : String(error)}); give the file dspy.Module.save wrote`);
  }
  try {
    const state = dspyToProgramState(json, saveState(task.createProgram()), 'the DSPy program');
    loadState(task.createProgram(), state);
    return state;
  } catch (error) {
    if (error instanceof DspyStateError || error instanceof ProgramStateError || error instanceof SignatureError) throw problem('initialProgram', error.message);
    throw error;
  }
}

/**
 * Why these strategies cannot run without a fine-tuning backend, or null when they can (the
 * contract's rule, with the step kinds registered now). The builder asks before a spec exists;
 * the runner asks again for a spec read back from the store.
 */
export function finetunerIssue(strategies: readonly Strategy[], provider: LMProvider, hasBackend: boolean): string | null {
  return finetunerRuleIssue(strategies, stepKinds(), provider, hasBackend);
}

/** A built-in task's name, or a task file's task (loaded by prepareTaskFile) with its source. */
function checkTask(name: string): { task: Task; source?: TaskSource } {
  if (looksLikeTaskFile(name)) {
    const prepared = preparedTask(name);
    if (!prepared) throw problem('task', `${path.resolve(name)}: the task file was not loaded (prepareTaskFile comes before the spec)`);
    return prepared;
  }
  try {
    return { task: getTask(name) };
  } catch (error) {
    if (error instanceof UnknownTaskError) throw problem('task', error.message);
    throw error;
  }
}

/** The normalized strategies, each step a registered kind. */
function checkStrategies(keys: readonly string[]): Strategy[] {
  const known = knownStepTokens();
  const strategies: Strategy[] = [];
  const issues: ApiIssue[] = [];
  for (const key of keys) {
    try {
      strategies.push(parseStrategy(key, { known }));
    } catch (error) {
      if (!(error instanceof StrategyError)) throw error;
      issues.push({ path: 'strategies', message: error.message });
    }
  }
  if (issues.length > 0) throw new ExperimentInputError(issues);
  return strategies;
}

interface ChosenModel {
  provider: LMProvider;
  model: string;
  baseUrl: string | null;
  apiKeyEnv: string | null;
}

/** The named model, else the default: TANDEM_MODEL on an OpenAI-compatible server, else the embedded demo model on the local engine. */
function chooseModel(lm: ExperimentInput['lm'], context: SpecContext): ChosenModel {
  const named = lm?.provider !== undefined && lm.model !== undefined ? { provider: lm.provider, model: lm.model } : defaultModel(context);
  return {
    ...named,
    // The local engine chooses its own address.
    baseUrl: named.provider === 'local' ? null : (lm?.baseUrl ?? null),
    apiKeyEnv: lm?.apiKeyEnv ?? null,
  };
}

function defaultModel(context: SpecContext): { provider: LMProvider; model: string } {
  const fromEnv = context.env.TANDEM_MODEL?.trim();
  if (fromEnv) return { provider: 'openai', model: fromEnv };
  if ((context.hasDemoModel ?? (() => embeddedDemoModel() !== null))()) return { provider: 'local', model: DEMO_MODEL_NAME };
  throw problem('lm', 'is required: no default model (TANDEM_MODEL is not set and the embedded demo model is not built)');
}

function problem(path: string, message: string): ExperimentInputError {
  return new ExperimentInputError([{ path, message }]);
}
