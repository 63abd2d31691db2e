// The API's method names, for the preload. core/api's API_METHOD_NAMES cannot be imported there:
// it is computed from the zod schemas, so the sandboxed preload would bundle zod and the store.
// The compiler checks that this list names only API methods and misses none;
// tests/unit/electron/api-method-names.test.ts checks it equals API_METHOD_NAMES at run time.

import type { ApiMethodName } from '../core/api/index.ts';

export const PRELOAD_METHOD_NAMES = [
  'listTasks',
  'listExperiments',
  'getExperiment',
  'createExperiment',
  'deleteExperiment',
  'startRun',
  'cancelRun',
  'resumeRun',
  'listRuns',
  'getRun',
  'listStages',
  'getStage',
  'getCurves',
  'exportReport',
  'getComparison',
  'pageExampleResults',
  'getTrace',
  'pageLMCalls',
  'getLMCall',
  'getLMCallStats',
  'listCandidates',
  'listFinetuneJobs',
  'listFinetuneRows',
  'listModels',
  'addModel',
  'pullModel',
  'cancelPull',
] as const satisfies readonly ApiMethodName[];

// Fails to compile when a method is added to the API and not here.
type Missing = Exclude<ApiMethodName, (typeof PRELOAD_METHOD_NAMES)[number]>;
export const everyMethodListed: [Missing] extends [never] ? true : Missing = true;
