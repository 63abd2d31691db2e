// Experiments: list (with the latest run's status and best score), get (with the spec and every
// run), create (validate and save the spec; nothing runs), delete (with all its runs, refused
// while one of them is active).

import type { CreateExperimentInput, ExperimentIdInput, ListExperimentsInput, Parsed } from '../contract/schemas.ts';
import type { BestScore, DeletedExperiment, ExperimentDetail, ExperimentSummary, ResultRow, TaskInfo } from '../contract/views/index.ts';
import { specConfig, specFromConfig } from '../runner/experiment-spec.ts';
import type { ExperimentRecord, RunRecord } from '../store/index.ts';
import { retrieverSpecText } from '../contract/retriever-spec.ts';
import { prepareTaskFile } from '../runner/task-sources.ts';
import { TaskFileError } from '../runner/task-file.ts';
import { TaskDefinitionError as DefinitionFileError } from '../tasks/declarative/index.ts';
import { TaskDefinitionError } from '../tasks/define-task.ts';
import { listTasks as registeredTasks } from '../tasks/registry.ts';
import { checkInfoOf } from '../tasks/task.ts';
import type { ApiContext } from './context.ts';
import { ApiError, conflict, notFound } from './errors.ts';
import type { RunManager } from './run-manager.ts';
import { buildSpec } from './spec.ts';
import { runSummary } from './views.ts';

export function listTasks(): TaskInfo[] {
  return registeredTasks().map((t) => ({
    name: t.name,
    description: t.description,
    protocol: { ...t.protocol },
    checks: checkInfoOf(t),
    defaultRetriever: t.retrieval ? retrieverSpecText({ backend: 'bm25', index: t.retrieval.defaultIndex(null) }) : null,
  }));
}

export class Experiments {
  constructor(
    private readonly ctx: ApiContext,
    private readonly runs: RunManager,
  ) {}

  list(input: Parsed<typeof ListExperimentsInput>): ExperimentSummary[] {
    const { store } = this.ctx;
    const runsByExperiment = new Map<number, RunRecord[]>();
    for (const run of store.runs.list()) {
      const list = runsByExperiment.get(run.experimentId) ?? [];
      list.push(run);
      runsByExperiment.set(run.experimentId, list);
    }
    const task = input.task?.toLowerCase();
    return store.experiments
      .list()
      .filter((e) => task === undefined || e.task === task)
      .map((e) => this.summary(e, runsByExperiment.get(e.id) ?? []));
  }

  get(input: Parsed<typeof ExperimentIdInput>): ExperimentDetail {
    const experiment = this.require(input.experimentId);
    const runs = this.ctx.store.runs.list({ experimentId: experiment.id });
    return {
      ...this.summary(experiment, runs),
      spec: specFromConfig(experiment.config),
      runs: runs.map((r) => runSummary(r, this.runs.isActive(r.id))),
    };
  }

  /** A task given as a file's path is loaded first (its errors name file and line); nothing is saved unless the spec builds. */
  async create(input: Parsed<typeof CreateExperimentInput>): Promise<ExperimentDetail> {
    try {
      await prepareTaskFile(input.task);
    } catch (error) {
      if (error instanceof TaskFileError || error instanceof TaskDefinitionError || error instanceof DefinitionFileError) throw new ApiError('invalid-input', error.message, { issues: [{ path: 'task', message: error.message }], cause: error });
      throw error;
    }
    const spec = buildSpec(input, { env: this.ctx.env, ...(this.ctx.hasDemoModel ? { hasDemoModel: this.ctx.hasDemoModel } : {}) });
    const name = input.name ?? `${spec.task}: ${spec.strategies.join(', ')}`;
    const experimentId = this.ctx.store.experiments.create({ name, task: spec.task, config: specConfig(spec) });
    this.ctx.events.emit({ type: 'experiment-created', experimentId });
    return this.get({ experimentId });
  }

  /** Deletes the experiment and everything under it (runs, stages, candidates, evaluations, traces, LM calls, fine-tune records). */
  delete(input: Parsed<typeof ExperimentIdInput>): DeletedExperiment {
    const experiment = this.require(input.experimentId);
    const active = this.runs.activeRunsOf(experiment.id);
    if (active.length > 0) {
      throw conflict(`experiment ${experiment.id} has run ${active[0]} going; cancel it before deleting the experiment`);
    }
    const deletedRuns = this.ctx.store.experiments.delete(experiment.id);
    this.ctx.events.emit({ type: 'experiment-deleted', experimentId: experiment.id });
    return { experimentId: experiment.id, deletedRuns };
  }

  private require(id: number): ExperimentRecord {
    const experiment = this.ctx.store.experiments.get(id);
    if (!experiment) throw notFound(`experiment ${id} does not exist`);
    return experiment;
  }

  private summary(experiment: ExperimentRecord, runs: RunRecord[]): ExperimentSummary {
    const spec = specFromConfig(experiment.config);
    const latest = runs[0]; // newest first
    const finished = runs.find((r) => r.status === 'finished');
    return {
      id: experiment.id,
      name: experiment.name,
      task: experiment.task,
      createdAt: experiment.createdAt,
      strategies: spec?.strategies ?? [],
      seeds: spec?.seeds ?? [],
      lm: spec ? { provider: spec.lm.provider, model: spec.lm.model, baseUrl: spec.lm.baseUrl } : null,
      runCount: runs.length,
      latestRun: latest
        ? { id: latest.id, status: latest.status, error: latest.error, createdAt: latest.createdAt, finishedAt: latest.finishedAt, active: this.runs.isActive(latest.id) }
        : null,
      best: finished ? bestOf(runSummary(finished, false).table) : null,
    };
  }
}

function bestOf(table: ResultRow[] | null): BestScore | null {
  if (!table || table.length === 0) return null;
  const split = table.some((r) => r.cells.test?.mean !== null && r.cells.test?.mean !== undefined) ? 'test' : 'dev';
  let best: BestScore | null = null;
  for (const row of table) {
    const cell = row.cells[split];
    if (!cell || cell.mean === null) continue;
    if (!best || cell.mean > best.mean) best = { strategy: row.strategy, label: row.label, split, mean: cell.mean, ci95: cell.ci95 };
  }
  return best;
}
