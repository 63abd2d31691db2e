// Reading runs: lists, one run with its spec, stages and results (the paper-style table, curves
// and per-stage cost from report/results.ts), one stage with its program state, the curves, and
// the fine-tune jobs. Results are computed from the store on every call, so they are current
// while a run is going (unfinished cells are null).

import type { ListRunsInput, ListStagesInput, Parsed, RunIdInput, StageIdInput } from '../contract/schemas.ts';
import { stepsOf } from '../contract/strategy.ts';
import type { CheckInfo, FinetuneJobRecord, RunCurves, RunDetail, RunResults, RunSummary, StageDetail, StageSummary, ValidationPoint } from '../contract/views/index.ts';
import { runResults } from '../report/results.ts';
import { getTask } from '../tasks/registry.ts';
import { checkInfoOf } from '../tasks/task.ts';
import { reproducibility, type DeterminismReport } from '../runner/determinism-check.ts';
import { specFromConfig, type ExperimentSpec } from '../runner/experiment-spec.ts';
import type { RunRecord, StageRecord } from '../store/index.ts';
import type { ApiContext } from './context.ts';
import { notFound } from './errors.ts';
import type { RunManager } from './run-manager.ts';
import { runSummary, stageSummary } from './views.ts';

export class Runs {
  constructor(
    private readonly ctx: ApiContext,
    private readonly manager: RunManager,
  ) {}

  list(input: Parsed<typeof ListRunsInput>): RunSummary[] {
    const filter = {
      ...(input.experimentId !== undefined ? { experimentId: input.experimentId } : {}),
      ...(input.status !== undefined ? { status: input.status as RunRecord['status'] } : {}),
    };
    return this.ctx.store.runs.list(filter).map((r) => runSummary(r, this.manager.isActive(r.id)));
  }

  get(input: Parsed<typeof RunIdInput>): RunDetail {
    const run = this.require(input.runId);
    const spec = specFromConfig(run.config);
    const stages = this.ctx.store.stages.listForRun(run.id);
    return {
      run: runSummary(run, this.manager.isActive(run.id)),
      spec,
      stages: stages.map(stageSummary),
      results: this.results(run, spec, stages),
      lm: this.ctx.store.lmCalls.stats({ runId: run.id }),
      reproducibility: spec ? reproducibility(spec, run.id, (run.summary?.determinism as DeterminismReport | undefined) ?? null) : null,
    };
  }

  listStages(input: Parsed<typeof ListStagesInput>): StageSummary[] {
    this.require(input.runId);
    return this.ctx.store.stages
      .listForRun(input.runId)
      .filter((s) => input.seed === undefined || s.seed === input.seed)
      .map(stageSummary);
  }

  getStage(input: Parsed<typeof StageIdInput>): StageDetail {
    const stage = this.ctx.store.stages.get(input.stageId);
    if (!stage) throw notFound(`stage ${input.stageId} does not exist`);
    const { store } = this.ctx;
    return {
      stage,
      evaluations: store.evaluations.listForStage(stage.id).filter((e) => e.candidateId === null),
      finetuneJobs: store.finetuneJobs.listForStage(stage.id),
      candidateCount: store.candidates.listForStage(stage.id).length,
    };
  }

  curves(input: Parsed<typeof RunIdInput>): RunCurves {
    const run = this.require(input.runId);
    const spec = specFromConfig(run.config);
    const stages = this.ctx.store.stages.listForRun(run.id);
    const results = this.results(run, spec, stages);
    const validation: ValidationPoint[] = [];
    // Every stage whose step searched over candidates (Π's random search, or any step kind that
    // records candidates) has a validation curve.
    for (const stage of stages) {
      const recorded = this.ctx.store.candidates.listForStage(stage.id);
      if (recorded.length === 0) continue;
      const candidates = recorded.map((c) => ({
        idx: c.idx,
        kind: c.kind,
        numDemos: c.numDemos,
        score: c.score === null ? null : percent(c.score),
        isBest: c.isBest,
      }));
      const scored = candidates.map((c) => c.score).filter((s): s is number => s !== null);
      validation.push({
        stageId: stage.id,
        seed: stage.seed,
        prefix: stage.prefix,
        step: stepsOf(stage.prefix).length,
        candidates,
        best: candidates.find((c) => c.isBest)?.score ?? (scored.length > 0 ? Math.max(...scored) : null),
      });
    }
    return { runId: run.id, splits: results.splits, seeds: results.seeds, points: results.curves, validation };
  }

  finetuneJobs(input: Parsed<typeof RunIdInput>): FinetuneJobRecord[] {
    this.require(input.runId);
    return this.ctx.store.finetuneJobs.listForRun(input.runId);
  }

  require(runId: number): RunRecord {
    const run = this.ctx.store.runs.get(runId);
    if (!run) throw notFound(`run ${runId} does not exist`);
    return run;
  }

  /** The run's results; for a run without a saved spec, strategies, seeds and splits come from its stages. */
  results(run: RunRecord, spec: ExperimentSpec | null, stages: StageRecord[]): RunResults {
    if (spec) return runResults(this.ctx.store, run.id, spec.strategies, spec.seeds, spec.evalSplits, spec.taskSource?.checks ?? taskChecks(spec.task));
    const strategies = [...new Set(stages.map((s) => s.prefix).filter((p) => p !== ''))];
    const seeds = [...new Set(stages.map((s) => s.seed ?? run.seed))].sort((a, b) => a - b);
    const splits = [...new Set(stages.flatMap((s) => Object.keys(s.scores ?? {})))];
    return runResults(this.ctx.store, run.id, strategies, seeds.length > 0 ? seeds : [run.seed], splits);
  }
}

export function percent(score: number): number {
  return Math.round(score * 1000) / 10;
}

/** The checks of a saved run's task; none when the task is no longer known (a renamed or removed task). */
function taskChecks(name: string): CheckInfo[] {
  try {
    return checkInfoOf(getTask(name));
  } catch {
    return [];
  }
}
