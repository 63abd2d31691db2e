// An experiment run: task + program + LM + strategies + seeds, executed as one prefix tree per
// seed, the seeds' trees concurrently (`seedConcurrency`). `startRun` checks everything it can
// before writing a row (strategies, seeds, task data, the LM server), then records the run with
// its full spec; `resumeRun` picks a crashed, failed or cancelled run up from its last finished
// unit of work. Both end in the paper-style results.

import { setMaxListeners } from 'node:events';
import { ChatAdapter } from '../adapter/chat-adapter.ts';
import { probeServer } from '../lm/probe.ts';
import { parseStrategyList, StrategyError, type Strategy } from '../contract/strategy.ts';
import type { RunResults } from '../contract/views/results.ts';
import { runResults } from '../report/results.ts';
import { storageErrorOf, type Store } from '../store/index.ts';
import { checkInfoOf, type Task, type TaskSplits } from '../tasks/task.ts';
import { TooFewExamplesError } from '../tasks/split.ts';
import type { LMCallCounters, RunEvent } from './events.ts';
import { seedLanes, specConfig, specFromConfig, type ExperimentSpec } from './experiment-spec.ts';
import { oneFinetuneAtATime } from './finetune-queue.ts';
import { attachTrainedAdapters } from './determinism-check.ts';
import { createLMEnvironment } from './lm-environment.ts';
import { checkMetric } from './metric-check.ts';
import { taskForSpec } from './task-sources.ts';
import { openRunRetriever, type RunRetriever } from './run-retriever.ts';
import { finetuneDir, type Runtime } from './runtime.ts';
import { runSeedPool } from './seed-pool.ts';
import { runSeedTree, SeedFailedError } from './seed-runner.ts';
import { finetunerIssue } from './spec-builder.ts';
import { knownStepTokens } from './steps/registry.ts';
import { planStrategyTree } from '../contract/strategy-tree.ts';
import { treeCost } from './strategy-tree.ts';


export class ResumeError extends Error {
  override name = 'ResumeError';
}

export interface RunOptions {
  store: Store;
  runtime: Pick<Runtime, 'lm' | 'finetuner'>;
  /** Skip the reachability check (tests of failure paths). */
  skipProbe?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** The task and splits a front end already loaded and checked with loadTaskData: not loaded again. */
  loaded?: LoadedTaskData;
}

export interface LoadedTaskData {
  task: Task;
  splits: Map<number, TaskSplits>;
}

export interface RunOutcome {
  runId: number;
  experimentId: number;
  spec: ExperimentSpec;
  model: string;
  results: RunResults;
  lm: LMCallCounters;
  seconds: number;
}

interface PreparedRun {
  /** The spec with its strategies in canonical text, as saved and reported. */
  spec: ExperimentSpec;
  /** The same strategies parsed once; the runner works on these. */
  strategies: Strategy[];
  task: Task;
  splits: Map<number, TaskSplits>;
  /** What the program's Retrieve modules search (tasks that retrieve); closed when the run ends. */
  retriever: RunRetriever | undefined;
}

/** Parses the spec's strategies against the registered steps, loads every seed's splits, checks the server. */
async function prepare(spec: ExperimentSpec, options: RunOptions): Promise<PreparedRun> {
  const strategies = parseSpecStrategies(spec.strategies);
  // The spec builder checked what a new spec needs; a spec read back from the store must still
  // find its step kinds registered and, for a step that trains weights, a fine-tuning backend.
  const missingFinetuner = finetunerIssue(strategies, spec.lm.provider, options.runtime.finetuner !== undefined);
  if (missingFinetuner) throw new StrategyError(missingFinetuner);
  const { task, splits } = await loadTaskData(spec, spec.seeds, options.loaded);
  const emit = options.onEvent ?? (() => {});
  for (const message of new Set([...splits.values()].flatMap((s) => s.warnings ?? []))) emit({ type: 'warning', message });
  if (!options.skipProbe) {
    const { lm } = options.runtime;
    await probeServer(lm.baseUrl, { ...(lm.apiKey ? { apiKey: lm.apiKey } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  }
  const retriever = await openRunRetriever(spec, task, options.store, {
    onIndexBuild: (message) => {
      if (message) emit({ type: 'warning', message });
    },
  });
  return { spec: { ...spec, strategies: strategies.map((s) => s.key) }, strategies, task, splits, retriever };
}

/**
 * The spec's task and each given seed's splits, checked: no empty train or evaluation split, and
 * the metric works on the first example. Front ends may call it for the first seed before opening
 * a workspace, so a task's data or metric problem is reported without touching it.
 */
export async function loadTaskData(spec: ExperimentSpec, seeds: readonly number[], loaded?: LoadedTaskData): Promise<LoadedTaskData> {
  const task = loaded?.task ?? (await taskForSpec(spec));
  const splits = new Map<number, TaskSplits>();
  for (const seed of seeds) {
    const known = loaded?.splits.get(seed);
    if (known) {
      splits.set(seed, known);
      continue;
    }
    const s = await task.load({ seed, ...(spec.dataPath ? { dataPath: spec.dataPath } : {}) });
    const where = spec.dataPath ? ` from ${spec.dataPath}` : '';
    if (s.train.length === 0) throw new TooFewExamplesError(`task "${task.name}" has an empty train split${where}; give a dataset with training examples`);
    for (const split of spec.evalSplits) {
      if (s[split].length === 0) throw new TooFewExamplesError(`task "${task.name}" has an empty ${split} split${where}; give a dataset with more examples${split === 'test' ? ', or evaluate on dev only (--no-test)' : ''}`);
    }
    splits.set(seed, s);
  }
  checkMetric(task, splits.get(seeds[0]!)!, spec.taskSource?.file ?? null);
  return { task, splits };
}

/**
 * A spec's strategies (canonical keys, one per entry) parsed against the registered step kinds;
 * no strategy at all reads as one empty strategy, so it gets the grammar's "strategy is empty" message.
 */
export function parseSpecStrategies(texts: readonly string[]): Strategy[] {
  return parseStrategyList(texts.length === 0 ? [''] : texts, { known: knownStepTokens() });
}

export async function startRun(specInput: ExperimentSpec, options: RunOptions): Promise<RunOutcome> {
  const prepared = await prepare(specInput, options);
  const { spec, task } = prepared;
  const { store } = options;
  const name = `${task.name}: ${spec.strategies.join(', ')}`;
  const experimentId = store.experiments.create({ name, task: task.name, config: specConfig(spec) });
  const runId = store.runs.create({
    experimentId,
    strategy: spec.strategies.join(', '),
    seed: spec.seeds[0]!,
    lm: { provider: spec.lm.provider, model: spec.lm.model, baseUrl: spec.lm.baseUrl },
    config: specConfig(spec),
  });
  return execute(runId, experimentId, prepared, options, false);
}

export function resumeRun(runId: number, options: RunOptions): Promise<RunOutcome> {
  return runRecordedRun(runId, options, true);
}

/**
 * Runs a run row that already exists with its spec: a crashed one (`resumed`), or a fresh one a
 * front end created ahead (so it could show the run at once) and has not started yet.
 */
export async function runRecordedRun(runId: number, options: RunOptions, resumed: boolean): Promise<RunOutcome> {
  const prepared = await prepare(resumableSpec(options.store, runId), options);
  const run = options.store.runs.get(runId)!;
  return execute(runId, run.experimentId, prepared, options, resumed);
}

/** The saved spec of a run that can be resumed, or a clear error saying why not. */
export function resumableSpec(store: Store, runId: number): ExperimentSpec {
  const spec = savedSpec(store, runId);
  if (store.runs.get(runId)!.status === 'finished') throw new ResumeError(`run ${runId} already finished; nothing to resume (see \`tandem runs\`)`);
  return spec;
}

/** The spec a run was recorded with, or a clear error saying why there is none. */
export function savedSpec(store: Store, runId: number): ExperimentSpec {
  const run = store.runs.get(runId);
  if (!run) throw new ResumeError(`there is no run ${runId} in ${store.file}; \`tandem runs\` lists the runs`);
  const spec = specFromConfig(run.config);
  if (!spec) throw new ResumeError(`run ${runId} in ${store.file} was not recorded by this version of Tandem's runner, so it cannot be resumed or rerun`);
  return spec;
}

async function execute(
  runId: number,
  experimentId: number,
  { spec, strategies, task, splits, retriever }: PreparedRun,
  options: RunOptions,
  resumed: boolean,
): Promise<RunOutcome> {
  const started = Date.now();
  const { store, runtime } = options;
  // One seed's failure stops the others through the signal their LM calls and trainers listen on.
  const stopSeeds = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopSeeds.signal]) : stopSeeds.signal;
  // Every in-flight LM call listens on the run's signal; that many listeners is expected.
  setMaxListeners(0, signal);
  const emit = options.onEvent ?? (() => {});
  // One environment for every seed: its limiter caps the LM calls in flight for the whole run at
  // `lm.maxConcurrency`, however many seeds run, and its cache lets seeds share identical calls.
  const { env: lmEnv, counters, defaultBinding } = createLMEnvironment({
    lm: runtime.lm,
    cache: spec.useCache ? store.cache : null,
    adapter: new ChatAdapter(),
    sampling: spec.sampling,
    signal,
    onCounters: (c) => emit({ type: 'lm-counters', counters: c }),
  });
  // A seeded run's requests draw from the run's seed (its first): the same request samples the
  // same way in every seed's tree and on every rerun, so seeds still share identical calls.
  const seeded = spec.seededRequests ? { ...lmEnv, seed: spec.seeds[0]! } : lmEnv;
  const env = retriever ? { ...seeded, retriever: retriever.retriever } : seeded;
  const finetuner = runtime.finetuner ? oneFinetuneAtATime(runtime.finetuner) : undefined;
  const tree = planStrategyTree(strategies);
  const perSeed = treeCost(tree).stages + 1;
  const lanes = seedLanes(spec);
  const finished = { count: store.stages.listForRun(runId).filter((s) => s.status === 'finished').length };
  store.runs.setStatus(runId, 'running');
  emit({ type: 'run-start', runId, experimentId, task: task.name, strategies: spec.strategies, seeds: spec.seeds, seedConcurrency: lanes, resumed });
  try {
    // Adapters trained before the interruption are served again by this process's engine.
    if (resumed && runtime.finetuner) await attachTrainedAdapters(store, runId, runtime.finetuner, defaultBinding);
    const workDir = finetuneDir(spec, store.file);
    await runSeedPool(
      spec.seeds,
      lanes,
      (seed, i) =>
        runSeedTree({
          runId,
          seed,
          tree,
          task,
          splits: splits.get(seed)!,
          store,
          env,
          defaultBinding,
          concurrency: spec.concurrency,
          maxErrors: spec.maxErrors,
          evalSplits: spec.evalSplits,
          randomSearch: spec.randomSearch,
          hyperparams: spec.hyperparams,
          ...(spec.finetunePerModule ? { finetunePerModule: true } : {}),
          ...(spec.initialProgram ? { initialState: spec.initialProgram } : {}),
          finetuner,
          workDir,
          emit,
          stageOffset: i * perSeed,
          stageTotal: spec.seeds.length * perSeed,
          finished,
        }),
      { signal, stop: (_error, seed) => stopSeeds.abort(new SeedFailedError(`seed ${seed} failed`)) },
    );
    const results = runResults(store, runId, spec.strategies, spec.seeds, spec.evalSplits, checkInfoOf(task));
    const outcome: RunOutcome = { runId, experimentId, spec, model: defaultBinding.model, results, lm: { ...counters }, seconds: (Date.now() - started) / 1000 };
    store.runs.finish(runId, { table: results.rows, lm: outcome.lm, seconds: outcome.seconds, model: outcome.model });
    emit({ type: 'run-end', runId, status: 'finished' });
    return outcome;
  } catch (error) {
    const cancelled = options.signal?.aborted ?? false;
    const message = cancelled ? 'cancelled' : (storageErrorOf(error, { file: store.file, runId })?.message ?? (error instanceof Error ? error.message : String(error)));
    try {
      store.runs.setStatus(runId, cancelled ? 'cancelled' : 'failed', message);
    } catch {
      // the store cannot be written (a full disk): the run stays `running`, which resume accepts
    }
    emit({ type: 'run-end', runId, status: cancelled ? 'cancelled' : 'failed', error: message });
    throw error;
  } finally {
    retriever?.close();
  }
}
