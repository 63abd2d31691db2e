// zod schemas for the input of every API method. Each schema is exported as a value and, under the
// same name, as the type a caller passes (defaults optional); `Parsed<…>` is what a method sees
// after validation. Ids are positive integers, pages hold at most MAX_PAGE_SIZE rows, cursors are
// the opaque strings a previous page returned, objects are strict (an unknown field is an error,
// so typos do not pass silently).
//
// Some inputs name things only core knows at run time (the registered step tokens). Their schemas
// check the grammar here and take the list to check membership against from an `InputVocabulary`:
// core/api passes the registry's list, so every front end gets the same messages; without a
// vocabulary a schema checks the grammar only. The experiment input (experiment-input.ts) leaves
// those checks to the spec builder.

import { z } from 'zod';
import { CreateExperimentInput, EvalSplit, httpUrl } from './experiment-input.ts';
import { parseStrategyOrBaseline, StrategyError } from './strategy.ts';
import type { ApiMethodName } from './methods.ts';
import type { ExampleResultSort } from './views/example-results.ts';
import { RUN_STATUSES } from './views/runs.ts';

export * from './experiment-input.ts';

export type Parsed<S extends z.ZodType> = z.output<S>;

/** Rows of a page unless the caller asks for another size, and the most a page may hold. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export { RUN_STATUSES } from './views/runs.ts';

/** The longest search text a page of example results or LM calls accepts. */
export const SEARCH_MAX_LENGTH = 500;

/** The formats a run's report can be exported in. */
export const REPORT_FORMATS = ['markdown', 'csv', 'latex', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Runtime lists that inputs are checked against; absent: the grammar only. */
export interface InputVocabulary {
  /** Tokens of the registered step kinds (core/runner/steps/registry.ts). */
  stepTokens?: () => readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const id = z.int().min(1);
const limit = z.int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);
const cursor = z.string().min(1).max(4096).nullable().optional();
const text = (max: number) => z.string().max(max);
const REPO_ID = /^(?:[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/;

/** One strategy, normalized (`p->w` → `p -> w`); '' (also `zero-shot`, `baseline`) is the zero-shot program. */
export function strategyName(vocabulary: InputVocabulary = {}) {
  return z
    .string()
    .max(200)
    .transform((value, ctx) => {
      try {
        const known = vocabulary.stepTokens?.();
        return parseStrategyOrBaseline(value, known ? { known } : {}).key;
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: error instanceof StrategyError ? error.message : String(error), input: value });
        return z.NEVER;
      }
    });
}

export const StrategyName = strategyName();

// ---------------------------------------------------------------------------------------------
// Experiments

export const ListExperimentsInput = z.strictObject({ task: z.string().trim().min(1).max(100).optional() }).prefault({});
export type ListExperimentsInput = z.input<typeof ListExperimentsInput>;

export const ExperimentIdInput = z.strictObject({ experimentId: id });
export type ExperimentIdInput = z.input<typeof ExperimentIdInput>;

export const EmptyInput = z.strictObject({}).prefault({});
export type EmptyInput = z.input<typeof EmptyInput>;

// ---------------------------------------------------------------------------------------------
// Runs, stages, results

export const RunIdInput = z.strictObject({ runId: id });
export type RunIdInput = z.input<typeof RunIdInput>;

export const ListRunsInput = z.strictObject({ experimentId: id.optional(), status: z.enum(RUN_STATUSES).optional() }).prefault({});
export type ListRunsInput = z.input<typeof ListRunsInput>;

export const ListStagesInput = z.strictObject({ runId: id, seed: z.int().min(0).optional() });
export type ListStagesInput = z.input<typeof ListStagesInput>;

export const StageIdInput = z.strictObject({ stageId: id });
export type StageIdInput = z.input<typeof StageIdInput>;

export function comparisonInput(vocabulary: InputVocabulary = {}) {
  const strategy = strategyName(vocabulary);
  return z.strictObject({
    runId: id,
    /** The strategy the others are compared with; '' (default) is the zero-shot program. */
    baseline: strategy.default(''),
    /** Default: every strategy of the run except the baseline. */
    strategies: z.array(strategy).min(1).max(64).optional(),
    split: EvalSplit.default('test'),
  });
}

export const ComparisonInput = comparisonInput();
export type ComparisonInput = z.input<typeof ComparisonInput>;

export function runsComparisonInput(vocabulary: InputVocabulary = {}) {
  const strategy = strategyName(vocabulary);
  return z.strictObject({
    /** The run the other is compared with (its strategies are the baselines). */
    runId: id,
    otherRunId: id,
    /** Strategies both runs have; default every one they share, zero-shot included. */
    strategies: z.array(strategy).min(1).max(64).optional(),
    split: EvalSplit.default('test'),
  });
}
export const RunsComparisonInput = runsComparisonInput();
export type RunsComparisonInput = z.input<typeof RunsComparisonInput>;

export const EXAMPLE_RESULT_SORTS = ['index', 'index-desc', 'score', 'score-desc'] as const satisfies readonly ExampleResultSort[];

export const ExampleResultsPageInput = z
  .strictObject({
    /** One evaluation (a stage's split, or a candidate's validation run) … */
    evaluationId: id.optional(),
    /** … or a stage's final evaluation on a split. */
    stageId: id.optional(),
    split: EvalSplit.optional(),
    passed: z.boolean().optional(),
    /** true: only examples whose program failed (LM, parse or program error); false: only the others. */
    failed: z.boolean().optional(),
    /**
     * Words to find in the example id, its inputs or its prediction: a result matches when every
     * word occurs in `<example id> <inputs JSON> <prediction JSON>` as a substring (so `037` finds
     * `iris-037`, `4.9` finds `"4.9"` and `14.95`, `arro` finds `narrow`). "Quoted words" are one
     * word, spaces included; the quotes are not searched for. Up to 16 words count. Nothing else is
     * special: `%`, `_`, `*`, `\`, `'`, `AND`, `OR`, `NOT`, `NEAR(`, `-`, `:` and `^` match
     * themselves; a NUL character counts as a space. Case-insensitive: words of 3 or more
     * characters (looked up in a trigram index) fold the case of all letters SQLite's FTS5 knows
     * (`ÉCOLE` finds `école`), shorter ones (a scan of the evaluation's rows the other words left)
     * fold ASCII letters only. Accents are never removed.
     */
    search: text(SEARCH_MAX_LENGTH).optional(),
    sort: z.enum(EXAMPLE_RESULT_SORTS).default('index'),
    limit,
    cursor,
    /** Rows to skip (instead of a cursor): lets a virtual list jump far without paging there. */
    offset: z.int().min(0).max(100_000_000).optional(),
  })
  .superRefine((input, ctx) => {
    const byEvaluation = input.evaluationId !== undefined;
    const byStage = input.stageId !== undefined || input.split !== undefined;
    if (byEvaluation && byStage) ctx.addIssue({ code: 'custom', path: ['evaluationId'], message: 'give either evaluationId, or stageId with split, not both' });
    else if (!byEvaluation && !byStage) ctx.addIssue({ code: 'custom', path: ['evaluationId'], message: 'is required (or give stageId with split)' });
    else if (byStage && input.stageId === undefined) ctx.addIssue({ code: 'custom', path: ['stageId'], message: 'is required with split' });
    else if (byStage && input.split === undefined) ctx.addIssue({ code: 'custom', path: ['split'], message: 'is required with stageId ("dev" or "test")' });
  });
export type ExampleResultsPageInput = z.input<typeof ExampleResultsPageInput>;

/** The most traces one export holds. */
export const EXPORT_TRACES_MAX = 10_000;

/** An evaluation's traces as OpenInference spans: the evaluation and filters as pageExampleResults takes them. */
export const ExportTracesInput = z
  .strictObject({
    evaluationId: id.optional(),
    stageId: id.optional(),
    split: EvalSplit.optional(),
    passed: z.boolean().optional(),
    failed: z.boolean().optional(),
    search: text(SEARCH_MAX_LENGTH).optional(),
    /** The first this many matching traces, in example order. */
    limit: z.int().min(1).max(EXPORT_TRACES_MAX).default(1000),
  })
  .superRefine((input, ctx) => {
    const byEvaluation = input.evaluationId !== undefined;
    if (byEvaluation && (input.stageId !== undefined || input.split !== undefined)) ctx.addIssue({ code: 'custom', path: ['evaluationId'], message: 'give either evaluationId, or stageId with split, not both' });
    else if (!byEvaluation && input.stageId === undefined) ctx.addIssue({ code: 'custom', path: ['evaluationId'], message: 'is required (or give stageId with split)' });
    else if (!byEvaluation && input.split === undefined) ctx.addIssue({ code: 'custom', path: ['split'], message: 'is required with stageId ("dev" or "test")' });
  });
export type ExportTracesInput = z.input<typeof ExportTracesInput>;

/** A model's prices in dollars, for the cost tables (contract/cost.ts). */
const price = z.number().min(0).max(1_000_000);
export const PricesInput = z.strictObject({ inputPerMillion: price, outputPerMillion: price, finetunePerHour: price.default(0) });

export const ExportReportInput = z.strictObject({
  runId: id,
  format: z.enum(REPORT_FORMATS).default('markdown'),
  /** Adds dollars to the cost-per-strategy table. */
  prices: PricesInput.optional(),
});
export type ExportReportInput = z.input<typeof ExportReportInput>;

/** One report for several runs: an experiment's runs, or the runs a Compare view selects. */
export const ExportRunsReportInput = z
  .strictObject({
    runIds: z.array(id).min(1).max(20).optional(),
    experimentId: id.optional(),
    format: z.enum(REPORT_FORMATS).default('markdown'),
    /** Prices per model name, for the dollars of each run's cost table. */
    prices: z.record(z.string().max(500), PricesInput).optional(),
  })
  .refine((input) => (input.runIds === undefined) !== (input.experimentId === undefined), { error: 'give runIds or experimentId (one of them)' });
export type ExportRunsReportInput = z.input<typeof ExportRunsReportInput>;

/** A report as PDF (headless Chromium printing the HTML report) in the workspace's exports folder: one run, or several as one report. */
export const ExportReportPdfInput = z.strictObject({
  runIds: z.array(id).min(1).max(20),
  /** Prices per model name, for the dollars of each run's cost table. */
  prices: z.record(z.string().max(500), PricesInput).optional(),
});
export type ExportReportPdfInput = z.input<typeof ExportReportPdfInput>;

export const FinetuneRowsInput = z.strictObject({
  jobId: id,
  limit,
  /** Rows to skip: the page starts at this row of the job's provenance file. */
  offset: z.int().min(0).max(100_000_000).default(0),
});
export type FinetuneRowsInput = z.input<typeof FinetuneRowsInput>;

// ---------------------------------------------------------------------------------------------
// Traces and LM calls

export const TraceIdInput = z.strictObject({ traceId: id });
export type TraceIdInput = z.input<typeof TraceIdInput>;

export const LMCallIdInput = z.strictObject({ callId: id });
export type LMCallIdInput = z.input<typeof LMCallIdInput>;

export const LMCallsPageInput = z
  .strictObject({
    runId: id.optional(),
    stageId: id.optional(),
    traceId: id.optional(),
    predictor: z.string().min(1).max(500).optional(),
    model: z.string().min(1).max(500).optional(),
    /** true: calls that failed; false: calls that did not. */
    hasError: z.boolean().optional(),
    /** e.g. `parse` or `lm:timeout`. */
    errorKind: z.string().min(1).max(100).optional(),
    cached: z.boolean().optional(),
    /** Words in the prompt or completion: `"a phrase"`, `prefix*`; terms are ANDed. */
    search: text(SEARCH_MAX_LENGTH).optional(),
    sort: z.enum(['newest', 'oldest', 'latency', 'tokens']).default('newest'),
    limit,
    cursor,
    /** Also count every match (costs a pass over all of them). */
    withTotal: z.boolean().default(false),
  })
  .prefault({});
export type LMCallsPageInput = z.input<typeof LMCallsPageInput>;

export const LMCallStatsInput = z.strictObject({ runId: id.optional() }).prefault({});
export type LMCallStatsInput = z.input<typeof LMCallStatsInput>;

// ---------------------------------------------------------------------------------------------
// Models

export const AddModelInput = z.strictObject({
  /** A Hugging Face checkpoint folder (config.json, *.safetensors, tokenizer.json). */
  path: z.string().trim().min(1).max(4096),
  /** Library name; default the folder's name. */
  name: z.string().trim().min(1).max(128).optional(),
  /** Copy the files into the library instead of registering a pointer. */
  copy: z.boolean().default(false),
});
export type AddModelInput = z.input<typeof AddModelInput>;

export const PullModelInput = z.strictObject({
  /** Hub repo id, e.g. HuggingFaceTB/SmolLM2-135M-Instruct. */
  repo: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((repo) => REPO_ID.test(repo) && !repo.includes('..') && !repo.includes('--'), {
      error: 'must be a hub repo id like "owner/name", e.g. HuggingFaceTB/SmolLM2-135M-Instruct',
    }),
  revision: z.string().trim().min(1).max(200).default('main'),
  name: z.string().trim().min(1).max(128).optional(),
  /** Repo files to take instead of the checkpoint defaults (globs). */
  include: z.array(z.string().min(1).max(500)).min(1).max(100).optional(),
  /** Hub URL; default $HF_ENDPOINT, else https://huggingface.co. HF_TOKEN is sent only to the default hub or $HF_ENDPOINT. */
  endpoint: httpUrl('e.g. https://huggingface.co').optional(),
  /** Take files the hub declares no hash for (their bytes cannot be verified); default refused. */
  allowUnverified: z.boolean().default(false),
});
export type PullModelInput = z.input<typeof PullModelInput>;

export const ModelOperationInput = z.strictObject({ operationId: id });
export type ModelOperationInput = z.input<typeof ModelOperationInput>;

// ---------------------------------------------------------------------------------------------
// No-code task definitions

/** The formats a definition's text is written in. */
export const TASK_DEFINITION_FORMATS = ['yaml', 'json'] as const;
/** The longest definition text accepted. */
export const TASK_DEFINITION_MAX_LENGTH = 200_000;
/** A saved definition's file name (without extension): a slug, as task names are. */
export const TASK_FILE_NAME = /^[a-z0-9][a-z0-9_-]*$/;

const definitionText = z.string().max(TASK_DEFINITION_MAX_LENGTH);
const definitionFormat = z.enum(TASK_DEFINITION_FORMATS);

export const PreviewTaskDefinitionInput = z.strictObject({
  text: definitionText,
  format: definitionFormat,
  /** The folder relative dataset and corpus paths are against; default: the workspace's tasks folder. */
  baseDir: z.string().trim().min(1).max(4096).optional(),
});
export type PreviewTaskDefinitionInput = z.input<typeof PreviewTaskDefinitionInput>;

export const SaveTaskDefinitionInput = z.strictObject({
  name: z.string().trim().max(64).regex(TASK_FILE_NAME, { error: 'must be a file name: lowercase letters, digits, - or _ (e.g. "product-sentiment")' }),
  text: definitionText,
  format: definitionFormat,
  /** Replace a saved definition of the same name. */
  overwrite: z.boolean().default(false),
});
export type SaveTaskDefinitionInput = z.input<typeof SaveTaskDefinitionInput>;

// ---------------------------------------------------------------------------------------------
// Run bundles and training data

export const ExportRunBundleInput = z.strictObject({
  runId: id,
  /** Also carry the fine-tuned adapters' files (large). */
  withAdapters: z.boolean().default(false),
});
export type ExportRunBundleInput = z.input<typeof ExportRunBundleInput>;

/** A file written to the workspace's exports folder, by name (no folders), read from `offset`. */
export const ExportChunkInput = z.strictObject({
  filename: z.string().min(1).max(200).regex(/^[\w][\w.-]*$/, 'a file name in the exports folder (letters, digits, ".", "-", "_")'),
  offset: z.int().min(0).default(0),
});
export type ExportChunkInput = z.input<typeof ExportChunkInput>;

export const ImportRunBundleInput = z.strictObject({
  /** The bundle file (`.tandem`) on the machine that runs the API. */
  path: z.string().min(1).max(4096),
});
export type ImportRunBundleInput = z.input<typeof ImportRunBundleInput>;

export const FinetuneJobIdInput = z.strictObject({ jobId: id });
export type FinetuneJobIdInput = z.input<typeof FinetuneJobIdInput>;

// ---------------------------------------------------------------------------------------------
// Every method

/** Each method's input schema, checked against `vocabulary`'s runtime lists. */
export function inputSchemas(vocabulary: InputVocabulary = {}) {
  return {
    listTasks: EmptyInput,
    listStepKinds: EmptyInput,
    listExperiments: ListExperimentsInput,
    getExperiment: ExperimentIdInput,
    createExperiment: CreateExperimentInput,
    deleteExperiment: ExperimentIdInput,
    startRun: ExperimentIdInput,
    cancelRun: RunIdInput,
    resumeRun: RunIdInput,
    listRuns: ListRunsInput,
    getRun: RunIdInput,
    listStages: ListStagesInput,
    getStage: StageIdInput,
    getCurves: RunIdInput,
    exportReport: ExportReportInput,
    exportRunsReport: ExportRunsReportInput,
    exportReportPdf: ExportReportPdfInput,
    getComparison: comparisonInput(vocabulary),
    compareRuns: runsComparisonInput(vocabulary),
    pageExampleResults: ExampleResultsPageInput,
    getTrace: TraceIdInput,
    pageLMCalls: LMCallsPageInput,
    getLMCall: LMCallIdInput,
    getLMCallStats: LMCallStatsInput,
    exportTraces: ExportTracesInput,
    listCandidates: StageIdInput,
    exportDspyProgram: StageIdInput,
    listFinetuneJobs: RunIdInput,
    listFinetuneRows: FinetuneRowsInput,
    listModels: EmptyInput,
    addModel: AddModelInput,
    pullModel: PullModelInput,
    cancelPull: ModelOperationInput,
    listRetrievers: EmptyInput,
    previewTaskDefinition: PreviewTaskDefinitionInput,
    saveTaskDefinition: SaveTaskDefinitionInput,
    listTaskDefinitions: EmptyInput,
    exportRunBundle: ExportRunBundleInput,
    readExportChunk: ExportChunkInput,
    importRunBundle: ImportRunBundleInput,
    getFinetuneData: FinetuneJobIdInput,
  } as const satisfies Record<ApiMethodName, z.ZodType>;
}

export type InputSchemas = ReturnType<typeof inputSchemas>;

/** What a caller passes to each method (defaults optional). */
export type MethodInput<K extends ApiMethodName> = z.input<InputSchemas[K]>;

/** What each method sees after validation. */
export type ParsedInput<K extends ApiMethodName> = z.output<InputSchemas[K]>;
