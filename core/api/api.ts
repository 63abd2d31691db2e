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
// The method names, inputs and results are the contract's (core/contract/{methods,schemas,api}.ts);
// transports dispatch by name, and `callMethod` validates and calls one.

import path from 'node:path';
import type { ApiResults, TandemApi } from '../contract/api.ts';
import { API_METHOD_NAMES, isApiMethodName, type ApiMethodName } from '../contract/methods.ts';
import { inputSchemas, type ParsedInput } from '../contract/schemas.ts';
import { defaultModelLibraryDir } from '../models/model-library.ts';
import { openRuntime as realOpenRuntime } from '../runner/runtime.ts';
import { knownStepTokens, stepKinds } from '../runner/steps/registry.ts';
import type { Store } from '../store/index.ts';
import { openStore } from '../store/index.ts';
import { listCandidates } from './candidates.ts';
import { compareRuns, getComparison } from './comparison.ts';
import type { ApiContext, OpenRuntime } from './context.ts';
import { ApiError, toApiError } from './errors.ts';
import { EventHub, type ApiEventListener } from './events.ts';
import { pageExampleResults } from './example-results.ts';
import { listFinetuneRows } from './finetune-rows.ts';
import { exportDspyProgram, exportTraces } from './interop.ts';
import { exportRunBundle, getFinetuneData, importRunBundle, readExportChunk } from './bundles.ts';
import { exportReportPdf, exportRunReport, exportRunsReport } from './report.ts';
import { Experiments, listTasks } from './experiments.ts';
import { Models } from './models.ts';
import { listRetrievers } from './retrievers.ts';
import { RunManager } from './run-manager.ts';
import { listTaskDefinitions, previewTaskDefinition, saveTaskDefinition } from './task-definitions.ts';
import { Runs } from './runs.ts';
import type { Env } from './spec.ts';
import { getLMCall, getTrace, lmCallStats, pageLMCalls } from './traces.ts';
import { parseInput } from './validate.ts';

export { API_METHOD_NAMES, isApiMethodName, type ApiMethodName, type TandemApi };

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

/** The input schema of every method, checked against the registries: what a transport validates and dispatches by. */
export const API_METHODS = inputSchemas({ stepTokens: knownStepTokens });

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

/** The implementation table: each method gets its parsed input and gives the contract's result. */
type Methods = { [K in ApiMethodName]: (input: ParsedInput<K>) => ApiResults[K] | Promise<ApiResults[K]> };

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
  const ctx: ApiContext = {
    store,
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
    listStepKinds: () => stepKinds(),
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
    exportReport: (input) => exportRunReport(ctx, runs, input),
    exportRunsReport: (input) => exportRunsReport(ctx, runs, input),
    exportReportPdf: (input) => exportReportPdf(ctx, runs, input),
    getComparison: (input) => getComparison(ctx, runs, input),
    compareRuns: (input) => compareRuns(ctx, runs, input),
    pageExampleResults: (input) => pageExampleResults(ctx, input),
    getTrace: (input) => getTrace(ctx, input),
    pageLMCalls: (input) => pageLMCalls(ctx, input),
    getLMCall: (input) => getLMCall(ctx, input),
    getLMCallStats: (input) => lmCallStats(ctx, input),
    exportTraces: (input) => exportTraces(ctx, input),
    listCandidates: (input) => listCandidates(ctx, input),
    exportDspyProgram: (input) => exportDspyProgram(ctx, input),
    listFinetuneJobs: (input) => runs.finetuneJobs(input),
    listFinetuneRows: (input) => listFinetuneRows(ctx, input),
    listModels: () => models.list(),
    addModel: (input) => models.add(input),
    pullModel: (input) => models.pull(input),
    cancelPull: (input) => models.cancelPull(input),
    listRetrievers: () => listRetrievers(ctx),
    previewTaskDefinition: (input) => previewTaskDefinition(ctx, input),
    saveTaskDefinition: (input) => saveTaskDefinition(ctx, input),
    listTaskDefinitions: () => listTaskDefinitions(ctx),
    exportRunBundle: (input) => exportRunBundle(ctx, input),
    readExportChunk: (input) => readExportChunk(ctx, input),
    importRunBundle: (input) => importRunBundle(ctx, input, manager.activeRunIds()),
    getFinetuneData: (input) => getFinetuneData(ctx, input),
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
      if (ownsStore) store.close();
    },
  };
}
