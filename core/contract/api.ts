// The API every front end calls: per method its input (the zod schema's input type, see
// schemas.ts) and its result (the views under views/). `TandemApi` is what `createApi` returns
// in core and what the workbench's client offers over IPC or HTTP.

import type { ApiMethodName } from './methods.ts';
import type { ModelEntry, ModelList, ModelOperation } from './models.ts';
import type { MethodInput } from './schemas.ts';
import type { StepInfo } from './strategy.ts';
import type {
  Comparison,
  RunsComparison,
  DeletedExperiment,
  ExampleResultPage,
  ExportChunk,
  FinetuneDataFiles,
  ImportedRun,
  RunBundleFile,
  ExportedFile,
  ExperimentDetail,
  ExperimentSummary,
  FinetuneJobRecord,
  FinetuneRowPage,
  LMCallPage,
  LMCallRecord,
  LMCallStats,
  RetrieverList,
  SavedTaskDefinitionResult,
  TaskDefinitionCheck,
  TaskDefinitionList,
  RunCurves,
  RunDetail,
  RunStatus,
  RunSummary,
  StageCandidates,
  StageDetail,
  StageSummary,
  TaskInfo,
  TraceDetail,
} from './views/index.ts';

/** A run that startRun or resumeRun accepted; it goes on in the background. */
export interface RunHandle {
  runId: number;
  experimentId: number;
}

export interface CancelledRun {
  runId: number;
  status: RunStatus;
}

/** A run's report as a file: Markdown, CSV, LaTeX, HTML or JSON. */
export interface ReportFile {
  filename: string;
  mimeType: string;
  text: string;
}

/** What each method resolves to. */
export interface ApiResults {
  listTasks: TaskInfo[];
  /** The registered optimizer steps: the tokens a strategy may use, their names, which need a fine-tuner. */
  listStepKinds: StepInfo[];
  listExperiments: ExperimentSummary[];
  getExperiment: ExperimentDetail;
  createExperiment: ExperimentDetail;
  deleteExperiment: DeletedExperiment;
  startRun: RunHandle;
  cancelRun: CancelledRun;
  resumeRun: RunHandle;
  listRuns: RunSummary[];
  getRun: RunDetail;
  listStages: StageSummary[];
  getStage: StageDetail;
  getCurves: RunCurves;
  exportReport: ReportFile;
  exportRunsReport: ReportFile;
  /** The report printed to PDF in the exports folder; download it with readExportChunk. */
  exportReportPdf: ExportedFile;
  getComparison: Comparison;
  compareRuns: RunsComparison;
  pageExampleResults: ExampleResultPage;
  getTrace: TraceDetail;
  pageLMCalls: LMCallPage;
  getLMCall: LMCallRecord;
  getLMCallStats: LMCallStats;
  /** An evaluation's traces (the trace list's filters) as OTLP/JSON spans with OpenInference attributes, for Phoenix or Langfuse. */
  exportTraces: ReportFile;
  listCandidates: StageCandidates;
  /** A finished stage's program as the JSON `dspy.Module.load()` reads. */
  exportDspyProgram: ReportFile;
  listFinetuneJobs: FinetuneJobRecord[];
  listFinetuneRows: FinetuneRowPage;
  listModels: ModelList;
  addModel: ModelEntry;
  pullModel: ModelOperation;
  cancelPull: { operationId: number };
  /** The workspace's passage indexes (and those that cannot be read), with how to build one. */
  listRetrievers: RetrieverList;
  /** A no-code task definition's text checked: its problems with their lines, or the definition and a preview of its data and first prompt. */
  previewTaskDefinition: TaskDefinitionCheck;
  /** A checked definition written to the workspace's tasks folder (refused with its problems when it does not check). */
  saveTaskDefinition: SavedTaskDefinitionResult;
  /** The definitions saved in the workspace's tasks folder, each with its problem if it no longer checks. */
  listTaskDefinitions: TaskDefinitionList;
  /** The run as one bundle file in the workspace's exports folder (tandem export); read it with readExportChunk. */
  exportRunBundle: RunBundleFile;
  /** A piece of a file in the exports folder, base64 (a download over any transport). */
  readExportChunk: ExportChunk;
  /** A run bundle brought into this workspace; the same bundle again returns the run it made. */
  importRunBundle: ImportedRun;
  /** A fine-tune job's rows as OpenAI-format chat JSONL, with its provenance file. */
  getFinetuneData: FinetuneDataFiles;
}

/** One method: inputs that may be left out entirely (all fields optional) make the argument optional. */
export type ApiMethod<K extends ApiMethodName> = undefined extends MethodInput<K>
  ? (input?: MethodInput<K>) => Promise<ApiResults[K]>
  : (input: MethodInput<K>) => Promise<ApiResults[K]>;

/** Every method of the API. */
export type TandemApi = { [K in ApiMethodName]: ApiMethod<K> };
