// Runs one strategy (e.g. `p`) for one seed as an experiment: loads the task's splits, checks the
// LM server, evaluates the zero-shot baseline, then runs each step from the previous step's
// program and evaluates it. Every finished unit of work is saved in one transaction; a failure
// marks the run failed and keeps what was finished.

import { setMaxListeners } from 'node:events';
import { ChatAdapter } from '../adapter/chat-adapter.ts';
import { evaluate } from '../evaluate/evaluate.ts';
import type { SamplingParams } from '../lm/language-model.ts';
import type { OpenAICompatibleOptions } from '../lm/openai-compatible.ts';
import { probeServer } from '../lm/probe.ts';
import { RANDOM_SEARCH_DEFAULTS, type RandomSearchOptions } from '../optimize/random-search.ts';
import type { OptimizerContext } from '../optimize/optimizer-context.ts';
import { formatStrategy, parseStrategy, StrategyError } from '../optimize/strategy.ts';
import { PAPER_HYPERPARAMS, type Finetuner, type LoraHyperparams } from '../finetune/finetuner.ts';
import path from 'node:path';
import type { Module } from '../program/module.ts';
import { saveState } from '../program/state.ts';
import type { Store } from '../store/index.ts';
import type { Task, TaskSplits } from '../tasks/task.ts';
import { deriveSeed } from '../util/random.ts';
import type { LMCallCounters, RunEvent, Split } from './events.ts';
import { createLMEnvironment } from './lm-environment.ts';
import { runPromptStep } from './prompt-step.ts';
import { runWeightStep } from './weight-step.ts';
import { evaluationRecord } from './records.ts';

/** Optimizer tokens: `p` (Π, prompts) and `w` (Θ, weights; needs a fine-tuning backend). */
export const STEP_TOKENS = ['p', 'w'] as const;

export interface RunExperimentInput {
  task: Task;
  strategy: string;
  seed: number;
  lm: OpenAICompatibleOptions;
  store: Store;
  /** Answer repeated requests from the store's response cache (default true). */
  useCache?: boolean;
  dataPath?: string;
  concurrency?: number;
  maxErrors?: number;
  sampling?: SamplingParams;
  randomSearch?: Partial<Omit<RandomSearchOptions, 'seed' | 'teacher'>>;
  evalSplits?: Split[];
  /** The fine-tuning backend for `w` steps (the local engine's trainer, or an external command). */
  finetuner?: Finetuner;
  hyperparams?: Partial<LoraHyperparams>;
  /** Folder for fine-tuning data and adapters (default: `finetune/` beside the database). */
  workDir?: string;
  /** Skip the reachability check (tests of failure paths). */
  skipProbe?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

export type SplitScores = Partial<Record<Split, number>>;

export interface StageSummary {
  stageId: number;
  kind: string;
  prefix: string;
  scores: SplitScores;
  /** `no-passing-traces` when a `w` step had nothing to train on (the paper's "—"). */
  outcome?: 'no-passing-traces';
  /** The model the program's modules call after this stage. */
  models?: string[];
}

export interface RunSummary {
  runId: number;
  experimentId: number;
  task: string;
  strategy: string;
  seed: number;
  model: string;
  status: 'finished';
  /** Accuracy in percent per split. */
  baseline: SplitScores;
  final: SplitScores;
  stages: StageSummary[];
  lm: LMCallCounters;
  seconds: number;
}

export const DEFAULT_SAMPLING: SamplingParams = { temperature: 0.1, maxTokens: 1024 };

export async function runExperiment(input: RunExperimentInput): Promise<RunSummary> {
  const started = Date.now();
  const steps = parseStrategy(input.strategy, { known: STEP_TOKENS });
  if (steps.includes('w') && !input.finetuner) {
    throw new StrategyError(
      `strategy "${input.strategy}" has a "w" (fine-tuning) step, but this model has no fine-tuning backend; use --lm local:<model> (the local engine) or --finetune-command "<trainer command>"`,
    );
  }
  if (!Number.isInteger(input.seed) || input.seed < 0) throw new Error(`seed must be a non-negative integer, got ${input.seed}`);
  const splits = await input.task.load({ seed: input.seed, ...(input.dataPath ? { dataPath: input.dataPath } : {}) });
  checkSplits(input.task.name, splits);
  if (!input.skipProbe) {
    await probeServer(input.lm.baseUrl, { ...(input.lm.apiKey ? { apiKey: input.lm.apiKey } : {}), ...(input.signal ? { signal: input.signal } : {}) });
  }

  // Every in-flight LM call listens on the run's signal; that many listeners is expected.
  if (input.signal) setMaxListeners(0, input.signal);
  const emit = input.onEvent ?? (() => {});
  const concurrency = input.concurrency ?? input.lm.maxConcurrency ?? 16;
  const evalSplits = input.evalSplits ?? ['dev', 'test'];
  const sampling = input.sampling ?? DEFAULT_SAMPLING;
  const { env, counters, defaultBinding } = createLMEnvironment({
    lm: input.lm,
    cache: input.useCache === false ? null : input.store.cache,
    adapter: new ChatAdapter(),
    sampling,
    ...(input.signal ? { signal: input.signal } : {}),
    onCounters: (c) => emit({ type: 'lm-counters', counters: c }),
  });
  const strategy = formatStrategy(steps);
  const config = { strategy, seed: input.seed, concurrency, maxErrors: input.maxErrors ?? null, sampling, randomSearch: { ...RANDOM_SEARCH_DEFAULTS, ...input.randomSearch }, evalSplits, dataPath: input.dataPath ?? null };
  const experimentId = input.store.experiments.create({ name: `${input.task.name} ${strategy}`, task: input.task.name, config });
  const runId = input.store.runs.create({ experimentId, strategy, seed: input.seed, lm: defaultBinding, config });
  input.store.runs.setStatus(runId, 'running');
  emit({ type: 'run-start', runId, experimentId, task: input.task.name, strategy, seed: input.seed });

  let stageId: number | null = null;
  try {
    const evaluateSplits = async (program: Module, id: number): Promise<SplitScores> => {
      const scores: SplitScores = {};
      for (const split of evalSplits) {
        const examples = splits[split];
        emit({ type: 'evaluation-start', stageId: id, split, total: examples.length });
        let sum = 0;
        let errors = 0;
        const result = await evaluate(program, examples, input.task.metric, env, {
          concurrency,
          ...(input.maxErrors !== undefined ? { maxErrors: input.maxErrors } : {}),
          onResult: (r, done, total) => {
            sum += r.score;
            if (r.trace.error) errors++;
            emit({ type: 'evaluation-progress', stageId: id, split, done, total, score: sum / done, errors });
          },
        });
        const saved = input.store.evaluations.save(evaluationRecord(runId, id, split, result));
        scores[split] = toPercent(saved.score);
        emit({ type: 'evaluation-end', stageId: id, split, score: saved.score, n: saved.n, errors: saved.errors });
      }
      return scores;
    };

    // Stage 0: the zero-shot baseline.
    let program = input.task.createProgram();
    const total = steps.length + 1;
    const baselineId = input.store.stages.create({ runId, parentStageId: null, kind: 'baseline', prefix: '' });
    stageId = baselineId;
    emit({ type: 'stage-start', runId, stageId: baselineId, kind: 'baseline', prefix: '', index: 0, total });
    const baseline = await evaluateSplits(program, baselineId);
    input.store.stages.finish(baselineId, { programState: saveState(program), modelId: defaultBinding.model, scores: baseline });
    emit({ type: 'stage-end', runId, stageId: baselineId, kind: 'baseline', prefix: '', scores: baseline });
    const stages: RunSummary['stages'] = [{ stageId: baselineId, kind: 'baseline', prefix: '', scores: baseline }];
    let parent = baselineId;

    let final = baseline;
    for (const [i, token] of steps.entries()) {
      const prefix = formatStrategy(steps.slice(0, i + 1));
      const id = input.store.stages.create({ runId, parentStageId: parent, kind: token, prefix });
      stageId = id;
      parent = id;
      emit({ type: 'stage-start', runId, stageId: id, kind: token, prefix, index: i + 1, total });
      const ctx: OptimizerContext = {
        env,
        metric: input.task.metric,
        concurrency,
        ...(input.maxErrors !== undefined ? { maxErrors: input.maxErrors } : {}),
        onEvent: (event) => emit({ type: 'optimizer', stageId: id, event }),
        recordTraces: (traces, purpose) => input.store.traces.saveMany({ runId, stageId: id, purpose }, traces),
      };
      let outcome: StageSummary['outcome'];
      if (token === 'p') {
        const step = await runPromptStep({
          program,
          train: splits.train,
          protocol: input.task.protocol,
          options: { ...RANDOM_SEARCH_DEFAULTS, ...input.randomSearch },
          seed: deriveSeed(input.seed, 'step', i),
          runId,
          stageId: id,
          store: input.store,
          ctx,
        });
        if (!step.program.predictors().some((p) => p.demos.some((d) => d.augmented))) {
          emit({ type: 'warning', message: `${prefix}: no bootstrapped demos were chosen (no passing traces, or another candidate won)` });
        }
        program = step.program;
      } else {
        const step = await runWeightStep({
          program,
          train: splits.train,
          finetuner: input.finetuner!,
          hyperparams: { ...PAPER_HYPERPARAMS, ...input.hyperparams },
          workDir: input.workDir ?? path.join(path.dirname(input.store.file === ':memory:' ? '.' : input.store.file), 'finetune'),
          runId,
          stageId: id,
          defaultBinding,
          seed: deriveSeed(input.seed, 'step', i),
          ctx,
          onFinetuneEvent: (event) => emit({ type: 'finetune', stageId: id, event }),
          store: input.store,
        });
        if (step.status === 'no-passing-traces') {
          outcome = 'no-passing-traces';
          emit({ type: 'warning', message: `${prefix}: no passing traces to fine-tune on; the program is unchanged ("—")` });
        }
        program = step.program;
      }
      const scores = await evaluateSplits(program, id);
      input.store.stages.finish(id, { programState: saveState(program), modelId: modelsOf(program, defaultBinding.model).join(','), scores, outcome: outcome ?? null });
      emit({ type: 'stage-end', runId, stageId: id, kind: token, prefix, scores });
      stages.push({ stageId: id, kind: token, prefix, scores, ...(outcome ? { outcome } : {}), models: modelsOf(program, defaultBinding.model) });
      final = scores;
    }

    const summary: RunSummary = {
      runId,
      experimentId,
      task: input.task.name,
      strategy,
      seed: input.seed,
      model: defaultBinding.model,
      status: 'finished',
      baseline,
      final,
      stages,
      lm: { ...counters },
      seconds: (Date.now() - started) / 1000,
    };
    input.store.runs.finish(runId, summary);
    emit({ type: 'run-end', runId, status: 'finished' });
    return summary;
  } catch (error) {
    const cancelled = input.signal?.aborted ?? false;
    const message = cancelled ? 'cancelled' : error instanceof Error ? error.message : String(error);
    if (stageId !== null && input.store.stages.get(stageId)?.status === 'running') input.store.stages.fail(stageId, message);
    input.store.runs.setStatus(runId, cancelled ? 'cancelled' : 'failed', message);
    emit({ type: 'run-end', runId, status: cancelled ? 'cancelled' : 'failed', error: message });
    throw error;
  }
}

function checkSplits(task: string, splits: TaskSplits): void {
  if (splits.train.length === 0) throw new Error(`task "${task}" has an empty train set; give a dataset with training examples`);
  for (const split of ['dev', 'test'] as const) {
    if (splits[split].length === 0) throw new Error(`task "${task}" has an empty ${split} set`);
  }
}

function modelsOf(program: Module, fallback: string): string[] {
  return [...new Set(program.predictors().map((p) => p.lm?.model ?? fallback))];
}

export function toPercent(score: number): number {
  return Math.round(score * 1000) / 10;
}
