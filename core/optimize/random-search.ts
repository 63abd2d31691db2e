// Π: bootstrap few-shot with random search. Candidates, in order: the zero-shot program, the
// labeled-only program, a bootstrap over the unshuffled train set, then N bootstraps over seeded
// shuffles with a random demo budget (1..max). Each is scored on the validation set; the best
// wins and the first wins ties. Every candidate is reported with its score, seed and state.

import { evaluate, type EvaluationResult } from '../evaluate/evaluate.ts';
import type { Example } from '../program/example.ts';
import type { Module } from '../program/module.ts';
import type { ProgramState } from '../contract/views/program.ts';
import { loadState, saveState } from '../program/state.ts';
import { deriveSeed, Rng } from '../util/random.ts';
import { bootstrapFewShot } from './bootstrap-few-shot.ts';
import type { CandidateKind } from './events.ts';
import { labeledFewShot } from './labeled-few-shot.ts';
import type { OptimizerContext } from './optimizer-context.ts';

export interface RandomSearchOptions {
  /** Shuffled bootstrap candidates beyond the three fixed ones. Paper: 6. */
  numCandidates: number;
  maxBootstrappedDemos: number;
  maxLabeledDemos: number;
  maxRounds: number;
  metricThreshold?: number;
  teacher?: Module;
  seed: number;
}

export { RANDOM_SEARCH_DEFAULTS } from '../contract/defaults.ts';

export interface CandidatePlan {
  index: number;
  kind: CandidateKind;
  /** Seed of this candidate's shuffle and labeled sampling. */
  seed: number;
}

export interface Candidate<T extends Module = Module> extends CandidatePlan {
  program: T;
  state: ProgramState;
  numDemos: number;
  /** Absent for a candidate restored from an earlier, interrupted run. */
  evaluation?: EvaluationResult;
  score: number;
}

/** Summary of a candidate already evaluated in an earlier, interrupted run. */
export interface CandidateRecord extends CandidatePlan {
  state: ProgramState;
  score: number;
}

export interface RandomSearchHooks<T extends Module> {
  /** Called once per newly evaluated candidate, in order (persist it here). */
  onCandidate?: (candidate: Candidate<T>) => void;
  /** Candidates finished before an interruption: restored, not rebuilt or re-evaluated. */
  completed?: readonly CandidateRecord[];
}

export interface RandomSearchResult<T extends Module> {
  best: Candidate<T>;
  candidates: Candidate<T>[];
}

export function planCandidates(options: Pick<RandomSearchOptions, 'numCandidates' | 'seed'>): CandidatePlan[] {
  const fixed: CandidateKind[] = ['zero-shot', 'labeled', 'bootstrap'];
  const plans: CandidatePlan[] = fixed.map((kind, index) => ({ index, kind, seed: deriveSeed(options.seed, 'candidate', index) }));
  for (let i = 0; i < options.numCandidates; i++) {
    const index = fixed.length + i;
    plans.push({ index, kind: 'shuffled', seed: deriveSeed(options.seed, 'candidate', index) });
  }
  return plans;
}

export async function randomSearch<T extends Module>(
  student: T,
  trainset: readonly Example[],
  valset: readonly Example[],
  options: RandomSearchOptions,
  ctx: OptimizerContext,
  hooks: RandomSearchHooks<T> = {},
): Promise<RandomSearchResult<T>> {
  if (trainset.length === 0) throw new Error('random search needs a non-empty train set');
  if (valset.length === 0) throw new Error('random search needs a non-empty validation set');
  const plans = planCandidates(options);
  const candidates: Candidate<T>[] = [];
  let best: Candidate<T> | null = null;

  const restored = new Map((hooks.completed ?? []).map((c) => [c.index, c]));
  for (const plan of plans) {
    const earlier = restored.get(plan.index);
    if (earlier) {
      const program = loadState(student.clone(), earlier.state);
      const candidate: Candidate<T> = { ...plan, program, state: earlier.state, numDemos: countDemos(program), score: earlier.score };
      candidates.push(candidate);
      if (best === null || candidate.score > best.score) best = candidate;
      continue;
    }
    ctx.onEvent?.({ type: 'candidate-start', index: plan.index, total: plans.length, kind: plan.kind, seed: plan.seed });
    const program = await buildCandidate(student, trainset, plan, options, ctx);
    let scoreSum = 0;
    let errors = 0;
    const evaluation = await evaluate(program, valset, ctx.metric, ctx.env, {
      concurrency: ctx.concurrency,
      ...(ctx.checks ? { checks: ctx.checks } : {}),
      ...(ctx.maxErrors !== undefined ? { maxErrors: ctx.maxErrors } : {}),
      ...(options.metricThreshold !== undefined ? { passThreshold: options.metricThreshold } : {}),
      onResult: (result, done, total) => {
        scoreSum += result.score;
        if (result.trace.error) errors++;
        ctx.onEvent?.({ type: 'evaluation-progress', candidate: plan.index, done, total, score: scoreSum / done, errors });
      },
    });
    const candidate: Candidate<T> = {
      ...plan,
      program,
      state: saveState(program),
      numDemos: countDemos(program),
      evaluation,
      score: evaluation.score,
    };
    candidates.push(candidate);
    if (best === null || candidate.score > best.score) best = candidate;
    hooks.onCandidate?.(candidate);
    ctx.onEvent?.({
      type: 'candidate-end',
      index: plan.index,
      total: plans.length,
      kind: plan.kind,
      score: candidate.score,
      errors: evaluation.errors,
      numDemos: candidate.numDemos,
      bestIndex: best.index,
      bestScore: best.score,
    });
  }
  return { best: best!, candidates };
}

function countDemos(program: Module): number {
  return program.predictors().reduce((n, p) => n + p.demos.length, 0);
}

async function buildCandidate<T extends Module>(
  student: T,
  trainset: readonly Example[],
  plan: CandidatePlan,
  options: RandomSearchOptions,
  ctx: OptimizerContext,
): Promise<T> {
  const bootstrap = (examples: readonly Example[], maxBootstrappedDemos: number) =>
    bootstrapFewShot(
      student,
      examples,
      {
        maxBootstrappedDemos,
        maxLabeledDemos: options.maxLabeledDemos,
        maxRounds: options.maxRounds,
        seed: plan.seed,
        candidate: plan.index,
        ...(options.metricThreshold !== undefined ? { metricThreshold: options.metricThreshold } : {}),
        ...(options.teacher ? { teacher: options.teacher } : {}),
      },
      ctx,
    ).then((r) => r.program);

  switch (plan.kind) {
    case 'zero-shot': {
      const program = student.clone();
      for (const predictor of program.predictors()) predictor.demos = [];
      return program;
    }
    case 'labeled':
      return labeledFewShot(student, trainset, options.maxLabeledDemos, plan.seed);
    case 'bootstrap':
      return bootstrap(trainset, options.maxBootstrappedDemos);
    case 'shuffled': {
      const rng = new Rng(plan.seed);
      const shuffled = rng.shuffle(trainset);
      const size = rng.int(1, Math.max(1, options.maxBootstrappedDemos));
      return bootstrap(shuffled, size);
    }
  }
}
