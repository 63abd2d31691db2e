// The one typed backend API every front end uses (Electron IPC, web mode over HTTP + SSE): async
// methods over the store, the runner and the model library, and an event stream. Every input
// goes through its zod schema first; every failure is an ApiError with a JSON shape a transport
// can send. The API never prints.
//
//   const api = createApi({ dbPath: '/path/.tandem/tandem.db' });
//   const off = api.subscribe((event) => …);
//   const { id } = await api.createExperiment({ task: 'iris', strategies: 'p, p -> w', seeds: 3, lm: { provider: 'local', model: 'tandem-demo' } });
//   const { runId } = await api.startRun({ experimentId: id });
//
// Transports dispatch by name with API_METHODS (name → input schema); `callMethod` validates and
// calls one.

import path from 'node:path';
import type { z } from 'zod';
import { defaultModelLibraryDir, type ModelEntry } from '../models/model-library.ts';
import { openRuntime as realOpenRuntime } from '../runner/runtime.ts';
import type { FinetuneJobRecord, LMCallPage, LMCallRecord, LMCallStats, RunStatus, Store } from '../store/index.ts';
import { openStore } from '../store/index.ts';
import { listCandidates, type StageCandidates } from './candidates.ts';
import { getComparison, type Comparison } from './comparison.ts';
import type { ApiContext, OpenRuntime } from './context.ts';
import { ApiError, toApiError } from './errors.ts';
import { EventHub, type ApiEventListener } from './events.ts';
import { pageExampleResults, type ExampleResultPage } from './example-results.ts';
import { listFinetuneRows, type FinetuneRowPage } from './finetune-rows.ts';
import { exportRunReport } from './report.ts';
import type { ReportFile } from '../report/export.ts';
import { Experiments, listTasks, type ExperimentDetail, type ExperimentSummary, type TaskInfo } from './experiments.ts';
import { Models, type ModelList, type ModelOperation } from './models.ts';
import { RunManager, type RunHandle } from './run-manager.ts';
import { Runs, type RunCurves, type RunDetail, type StageDetail } from './runs.ts';
import * as S from './schemas.ts';
import type { Env } from './spec.ts';
import { ApiDatabase } from './sql.ts';
import { getLMCall, getTrace, lmCallStats, pageLMCalls, type TraceDetail } from './traces.ts';
import { parseInput } from './validate.ts';
import type { RunSummary, StageSummary } from './views.ts';

export interface ApiOptions {
  /** An open store (the caller closes it) … */
  store?: Store;
  /** … or the workspace database to open (closed by api.close()). */
  dbPath?: string;
  /** The model library; default $TANDEM_MODELS, else `models` beside the database. */
  libraryDir?: string;
  /** Embedded models; default resources/models; null: none. */
  embeddedModelsDir?: string | null;
  /** Environment for LM settings (TANDEM_MODEL, TANDEM_BASE_URL, API keys) and the hub (HF_TOKEN); default process.env. */
  env?: Env;
  /** How a run's runtime is opened (the local engine, the fine-tuning backend); injectable for tests. */
  openRuntime?: OpenRuntime;
  /** Whether the embedded demo model is there (the default LM); default: looks in resources/models. */
  hasDemoModel?: () => boolean;
  /** Called with an error thrown by an event listener (the other listeners still get the event). */
  onListenerError?: (error: unknown) => void;
}

/** Every method of the API. Inputs are what callers pass (defaults optional). */
export interface TandemApi {
  listTasks(input?: S.EmptyInput): Promise<TaskInfo[]>;
  listExperiments(input?: S.ListExperimentsInput): Promise<ExperimentSummary[]>;
  getExperiment(input: S.ExperimentIdInput): Promise<ExperimentDetail>;
  createExperiment(input: S.CreateExperimentInput): Promise<ExperimentDetail>;
  deleteExperiment(input: S.ExperimentIdInput): Promise<{ experimentId: number; deletedRuns: number }>;

  startRun(input: S.ExperimentIdInput): Promise<RunHandle>;
  cancelRun(input: S.RunIdInput): Promise<{ runId: number; status: RunStatus }>;
  resumeRun(input: S.RunIdInput): Promise<RunHandle>;
  listRuns(input?: S.ListRunsInput): Promise<RunSummary[]>;
  getRun(input: S.RunIdInput): Promise<RunDetail>;
  listStages(input: S.ListStagesInput): Promise<StageSummary[]>;
  getStage(input: S.StageIdInput): Promise<StageDetail>;
  getCurves(input: S.RunIdInput): Promise<RunCurves>;
  /** The run's report as a file: Markdown, CSV, LaTeX, HTML or JSON. */
  exportReport(input: S.ExportReportInput): Promise<ReportFile>;
  getComparison(input: S.ComparisonInput): Promise<Comparison>;
  pageExampleResults(input: S.ExampleResultsPageInput): Promise<ExampleResultPage>;

  getTrace(input: S.TraceIdInput): Promise<TraceDetail>;
  pageLMCalls(input?: S.LMCallsPageInput): Promise<LMCallPage>;
  getLMCall(input: S.LMCallIdInput): Promise<LMCallRecord>;
  getLMCallStats(input?: S.LMCallStatsInput): Promise<LMCallStats>;

  listCandidates(input: S.StageIdInput): Promise<StageCandidates>;
  listFinetuneJobs(input: S.RunIdInput): Promise<FinetuneJobRecord[]>;
  listFinetuneRows(input: S.FinetuneRowsInput): Promise<FinetuneRowPage>;

  listModels(input?: S.EmptyInput): Promise<ModelList>;
  addModel(input: S.AddModelInput): Promise<ModelEntry>;
  pullModel(input: S.PullModelInput): Promise<ModelOperation>;
  cancelPull(input: S.ModelOperationInput): Promise<{ operationId: number }>;
}

export type ApiMethodName = keyof TandemApi;

/** The input schema of every method: what a transport validates and dispatches by. */
export const API_METHODS = {
  listTasks: S.EmptyInput,
  listExperiments: S.ListExperimentsInput,
  getExperiment: S.ExperimentIdInput,
  createExperiment: S.CreateExperimentInput,
  deleteExperiment: S.ExperimentIdInput,
  startRun: S.ExperimentIdInput,
  cancelRun: S.RunIdInput,
  resumeRun: S.RunIdInput,
  listRuns: S.ListRunsInput,
  getRun: S.RunIdInput,
  listStages: S.ListStagesInput,
  getStage: S.StageIdInput,
  getCurves: S.RunIdInput,
  exportReport: S.ExportReportInput,
  getComparison: S.ComparisonInput,
  pageExampleResults: S.ExampleResultsPageInput,
  getTrace: S.TraceIdInput,
  pageLMCalls: S.LMCallsPageInput.prefault({}),
  getLMCall: S.LMCallIdInput,
  getLMCallStats: S.LMCallStatsInput,
  listCandidates: S.StageIdInput,
  listFinetuneJobs: S.RunIdInput,
  listFinetuneRows: S.FinetuneRowsInput,
  listModels: S.EmptyInput,
  addModel: S.AddModelInput,
  pullModel: S.PullModelInput,
  cancelPull: S.ModelOperationInput,
} as const satisfies Record<ApiMethodName, z.ZodType>;

export const API_METHOD_NAMES = Object.keys(API_METHODS) as ApiMethodName[];

export function isApiMethodName(name: string): name is ApiMethodName {
  return Object.prototype.hasOwnProperty.call(API_METHODS, name);
}

export interface Api extends TandemApi {
  /** Adds an event listener; returns the function that removes it. */
  subscribe(listener: ApiEventListener): () => void;
  /** Calls a method by name with an unvalidated input (for transports); unknown names are 'not-found'. */
  callMethod(name: string, input: unknown): Promise<unknown>;
  /** Ids of the runs this API is running now. */
  activeRuns(): number[];
  /** Cancels active runs and pulls, waits for them, and closes what the API opened. */
  close(): Promise<void>;
}

type Methods = { [K in ApiMethodName]: (input: z.output<(typeof API_METHODS)[K]>) => unknown };

export function createApi(options: ApiOptions): Api {
  if (!options.store && !options.dbPath) throw new ApiError('invalid-input', 'createApi needs a store or a dbPath');
  let store: Store;
  try {
    store = options.store ?? openStore(path.resolve(options.dbPath!));
  } catch (error) {
    throw toApiError(error);
  }
  const ownsStore = !options.store;
  const env: Env = options.env ?? process.env;
  const dbFile = store.file === ':memory:' ? store.file : path.resolve(store.file);
  const libraryDir = path.resolve(
    options.libraryDir ?? (env.TANDEM_MODELS ? env.TANDEM_MODELS : defaultModelLibraryDir(dbFile === ':memory:' ? process.cwd() : path.dirname(dbFile))),
  );
  const events = new EventHub(options.onListenerError);
  const sql = new ApiDatabase(dbFile);
  const ctx: ApiContext = {
    store,
    sql,
    events,
    env,
    libraryDir,
    embeddedModelsDir: options.embeddedModelsDir,
    openRuntime: options.openRuntime ?? realOpenRuntime,
    hasDemoModel: options.hasDemoModel,
  };
  const manager = new RunManager(ctx);
  const experiments = new Experiments(ctx, manager);
  const runs = new Runs(ctx, manager);
  const models = new Models(ctx);
  let closed = false;

  const methods: Methods = {
    listTasks: () => listTasks(),
    listExperiments: (input) => experiments.list(input),
    getExperiment: (input) => experiments.get(input),
    createExperiment: (input) => experiments.create(input),
    deleteExperiment: (input) => experiments.delete(input),
    startRun: (input) => manager.start(input.experimentId),
    cancelRun: (input) => manager.cancel(input.runId),
    resumeRun: (input) => manager.resume(input.runId),
    listRuns: (input) => runs.list(input),
    getRun: (input) => runs.get(input),
    listStages: (input) => runs.listStages(input),
    getStage: (input) => runs.getStage(input),
    getCurves: (input) => runs.curves(input),
    exportReport: (input) => exportRunReport(runs.get({ runId: input.runId }), input.format),
    getComparison: (input) => getComparison(ctx, runs, input),
    pageExampleResults: (input) => pageExampleResults(ctx, input),
    getTrace: (input) => getTrace(ctx, input),
    pageLMCalls: (input) => pageLMCalls(ctx, input),
    getLMCall: (input) => getLMCall(ctx, input),
    getLMCallStats: (input) => lmCallStats(ctx, input),
    listCandidates: (input) => listCandidates(ctx, input),
    listFinetuneJobs: (input) => runs.finetuneJobs(input),
    listFinetuneRows: (input) => listFinetuneRows(ctx, input),
    listModels: () => models.list(),
    addModel: (input) => models.add(input),
    pullModel: (input) => models.pull(input),
    cancelPull: (input) => models.cancelPull(input),
  };

  const call = async (name: ApiMethodName, input: unknown): Promise<unknown> => {
    if (closed) throw new ApiError('conflict', 'the API has been closed');
    try {
      const parsed = parseInput(API_METHODS[name], input);
      return await (methods[name] as (input: unknown) => unknown)(parsed);
    } catch (error) {
      throw toApiError(error);
    }
  };

  const api = {} as Record<ApiMethodName, (input?: unknown) => Promise<unknown>>;
  for (const name of API_METHOD_NAMES) api[name] = (input?: unknown) => call(name, input);

  return {
    ...(api as unknown as TandemApi),
    subscribe: (listener) => events.subscribe(listener),
    callMethod: async (name, input) => {
      if (!isApiMethodName(name)) throw new ApiError('not-found', `there is no API method "${name}"`);
      return call(name, input);
    },
    activeRuns: () => manager.activeRunIds(),
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all([manager.cancelAll(), models.cancelAll()]);
      sql.close();
      if (ownsStore) store.close();
    },
  };
}
