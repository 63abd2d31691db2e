// The API's method names: the one list every front end and transport dispatches by (web mode's
// POST /api/call/<method>, Electron's MessagePort, the preload's `window.tandem.api`). Plain
// values with no dependency at all, so the sandboxed preload can bundle it.

export const API_METHOD_NAMES = [
  'listTasks',
  'listStepKinds',
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
  'exportRunsReport',
  'exportReportPdf',
  'getComparison',
  'compareRuns',
  'pageExampleResults',
  'getTrace',
  'pageLMCalls',
  'getLMCall',
  'getLMCallStats',
  'exportTraces',
  'listCandidates',
  'exportDspyProgram',
  'listFinetuneJobs',
  'listFinetuneRows',
  'listModels',
  'addModel',
  'pullModel',
  'cancelPull',
  'listRetrievers',
  'previewTaskDefinition',
  'saveTaskDefinition',
  'listTaskDefinitions',
  'exportRunBundle',
  'readExportChunk',
  'importRunBundle',
  'getFinetuneData',
] as const;

export type ApiMethodName = (typeof API_METHOD_NAMES)[number];

const NAMES: ReadonlySet<string> = new Set(API_METHOD_NAMES);

export function isApiMethodName(name: string): name is ApiMethodName {
  return NAMES.has(name);
}
