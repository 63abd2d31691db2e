// Runs one seed's strategy tree: the zero-shot baseline at the root, then every distinct prefix
// once, each starting from its parent's saved program state. Stages finished earlier (a resumed
// run) are reused as they are; an interrupted stage continues from its saved candidates,
// evaluations and fine-tune jobs. Several seeds' trees run at once (seed-pool.ts); a tree only
// touches its own seed's stages, and each unit of work is its own transaction, so they interleave
// safely.

import { evaluate } from '../evaluate/evaluate.ts';
import type { Finetuner, LoraHyperparams } from '../finetune/finetuner.ts';
import type { OptimizerContext } from '../optimize/optimizer-context.ts';
import type { RandomSearchOptions } from '../optimize/random-search.ts';
import type { ProgramEnv } from '../program/context.ts';
import type { LMBinding } from '../lm/lm-binding.ts';
import type { Module } from '../program/module.ts';
import type { ProgramState } from '../contract/views/program.ts';
import { loadState, saveState } from '../program/state.ts';
import type { StageRecord, Store } from '../store/index.ts';
import type { Task, TaskSplits } from '../tasks/task.ts';
import { deriveSeed } from '../util/random.ts';
import type { RunEvent, Split } from './events.ts';
import { evaluationRecord } from './records.ts';
import type { StrategyTree, TreeNode } from '../contract/strategy-tree.ts';
import { stepKind } from './steps/registry.ts';
import type { StepResult } from './steps/step-kind.ts';

/** The reason the run's signal is aborted with when one seed fails: the others stop too. */
export class SeedFailedError extends Error {
  override name = 'SeedFailedError';
}

export type SplitScores = Partial<Record<Split, number>>;

export interface SeedRunInput {
  runId: number;
  seed: number;
  tree: StrategyTree;
  task: Task;
  splits: TaskSplits;
  store: Store;
  env: ProgramEnv;
  defaultBinding: LMBinding;
  concurrency: number;
  maxErrors: number | null;
  evalSplits: Split[];
  randomSearch: Omit<RandomSearchOptions, 'seed' | 'teacher'>;
  hyperparams: LoraHyperparams;
  finetunePerModule?: boolean;
  finetuner: Finetuner | undefined;
  workDir: string;
  /** The state the zero-shot stage's program starts from (an imported program); absent: the task's own. */
  initialState?: ProgramState;
  emit: (event: RunEvent) => void;
  /** Numbering for progress: this seed's first place in the run's plan, minus one, and the plan's size. */
  stageOffset: number;
  stageTotal: number;
  /** Stages of the run finished so far, shared by every seed (counted when a stage finishes). */
  finished: { count: number };
}

export async function runSeedTree(input: SeedRunInput): Promise<void> {
  const { store, runId, seed } = input;
  const existing = new Map<string, StageRecord>();
  for (const stage of store.stages.listForRun(runId)) if (stage.seed === seed) existing.set(stage.prefix, stage);

  const programs = new Map<string, Module>();
  const stageIds = new Map<string, number>();
  const order: TreeNode[] = [input.tree.root, ...input.tree.nodes];
  for (const [i, node] of order.entries()) {
    const earlier = existing.get(node.key);
    if (earlier?.status === 'finished' && earlier.programState) {
      programs.set(node.key, loadState(input.task.createProgram(), earlier.programState));
      stageIds.set(node.key, earlier.id);
      continue;
    }
    const parentId = node.parentKey === null ? null : stageIds.get(node.parentKey)!;
    const kind = node.token ?? 'baseline';
    let stageId: number;
    if (earlier) {
      store.stages.reopen(earlier.id);
      stageId = earlier.id;
    } else {
      stageId = store.stages.create({ runId, parentStageId: parentId, kind, prefix: node.key, seed });
    }
    stageIds.set(node.key, stageId);
    input.emit({ type: 'stage-start', runId, stageId, kind, prefix: node.key, seed, index: input.stageOffset + i + 1, total: input.stageTotal, done: input.finished.count });
    try {
      const start = node.parentKey === null ? rootProgram(input) : programs.get(node.parentKey)!;
      const { program, outcome } = await runStep(input, node, start, stageId);
      const scores = await evaluateStage(input, program, stageId);
      const models = [...new Set(program.predictors().map((p) => p.lm?.model ?? input.defaultBinding.model))];
      store.stages.finish(stageId, { programState: saveState(program), modelId: models.join(','), scores, outcome: outcome ?? null });
      programs.set(node.key, program);
      input.finished.count++;
      input.emit({ type: 'stage-end', runId, stageId, kind, prefix: node.key, seed, scores, ...(outcome ? { outcome } : {}), done: input.finished.count });
    } catch (error) {
      const signal = input.env.signal;
      if (signal?.aborted) store.stages.fail(stageId, stopReason(signal), 'cancelled');
      else store.stages.fail(stageId, error instanceof Error ? error.message : String(error), 'failed');
      throw error;
    }
  }
}

/** The zero-shot stage's program: the task's own, or the imported state applied to it. */
function rootProgram(input: SeedRunInput): Module {
  const program = input.task.createProgram();
  return input.initialState ? loadState(program, input.initialState) : program;
}

async function runStep(input: SeedRunInput, node: TreeNode, start: Module, stageId: number): Promise<StepResult> {
  if (node.token === null) return { program: start };
  const ctx: OptimizerContext = {
    env: input.env,
    metric: input.task.metric,
    ...(input.task.checks ? { checks: input.task.checks } : {}),
    concurrency: input.concurrency,
    ...(input.maxErrors !== null ? { maxErrors: input.maxErrors } : {}),
    onEvent: (event) => input.emit({ type: 'optimizer', stageId, event }),
    recordTraces: (traces, purpose) => input.store.traces.saveMany({ runId: input.runId, stageId, purpose }, traces),
  };
  // The step seed depends on the prefix, not on which strategy reached it, so shared stages agree.
  return stepKind(node.token).run({
    program: start,
    task: input.task,
    train: input.splits.train,
    runId: input.runId,
    stageId,
    seed: input.seed,
    stepSeed: deriveSeed(input.seed, 'step', node.key),
    prefix: node.key,
    ctx,
    store: input.store,
    defaultBinding: input.defaultBinding,
    settings: { randomSearch: input.randomSearch, hyperparams: input.hyperparams, workDir: input.workDir, ...(input.finetunePerModule ? { finetunePerModule: true } : {}) },
    finetuner: input.finetuner,
    emit: input.emit,
  });
}

/** Scores a stage's program on each split, reusing evaluations saved before an interruption. */
async function evaluateStage(input: SeedRunInput, program: Module, stageId: number): Promise<SplitScores> {
  const saved = input.store.evaluations.listForStage(stageId).filter((e) => e.candidateId === null);
  const scores: SplitScores = {};
  for (const split of input.evalSplits) {
    const done = saved.find((e) => e.split === split);
    if (done) {
      scores[split] = toPercent(done.score);
      continue;
    }
    const examples = input.splits[split];
    input.emit({ type: 'evaluation-start', stageId, split, total: examples.length });
    let sum = 0;
    let errors = 0;
    const result = await evaluate(program, examples, input.task.metric, input.env, {
      concurrency: input.concurrency,
      ...(input.task.checks ? { checks: input.task.checks } : {}),
      ...(input.maxErrors !== null ? { maxErrors: input.maxErrors } : {}),
      onResult: (r, n, total) => {
        sum += r.score;
        if (r.trace.error) errors++;
        input.emit({ type: 'evaluation-progress', stageId, split, done: n, total, score: sum / n, errors });
      },
    });
    const summary = input.store.evaluations.save(evaluationRecord(input.runId, stageId, split, result));
    scores[split] = toPercent(summary.score);
    input.emit({ type: 'evaluation-end', stageId, split, score: summary.score, n: summary.n, errors: summary.errors });
  }
  return scores;
}

/** Why an aborted stage stopped: a user's cancel, or another seed's failure (see run-experiment.ts). */
function stopReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof SeedFailedError ? `cancelled: ${reason.message}` : 'cancelled';
}

export function toPercent(score: number): number {
  return Math.round(score * 1000) / 10;
}
