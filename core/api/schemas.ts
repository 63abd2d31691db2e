// zod schemas for the input of every API method. Each schema is exported as a value and, under the
// same name, as the type a caller passes (defaults optional); `Parsed<…>` is what a method sees
// after validation. Ids are positive integers, pages hold at most MAX_PAGE_SIZE rows, cursors are
// the opaque strings a previous page returned, objects are strict (an unknown field is an error,
// so typos do not pass silently).
//
// CreateExperimentInput mirrors `tandem run`'s options with the same defaults (see
// core/cli/commands/run.ts): strategies are checked with the strategy grammar, so a bad token is
// an error naming it.

import { REPORT_FORMATS } from '../report/export.ts';
import { z } from 'zod';
import { PAPER_STRATEGIES, parseStrategy, StrategyError } from '../contract/strategy.ts';
import { RANDOM_SEARCH_DEFAULTS } from '../optimize/random-search.ts';
import { knownStepTokens } from '../runner/steps/registry.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, RUN_STATUSES } from '../store/index.ts';
import { taskNames } from '../tasks/registry.ts';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

export type Parsed<S extends z.ZodType> = z.output<S>;

// ---------------------------------------------------------------------------------------------
// Building blocks

const id = z.int().min(1);
const limit = z.int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);
const cursor = z.string().min(1).max(4096).nullable().optional();
const text = (max: number) => z.string().max(max);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REPO_ID = /^(?:[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/;

/** Splits that stages are evaluated on. */
export const EVAL_SPLITS = ['dev', 'test'] as const;
export const EvalSplit = z.enum(EVAL_SPLITS);
export type EvalSplit = z.output<typeof EvalSplit>;

function httpUrl(what: string) {
  return z.string().superRefine((value, ctx) => {
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      ctx.addIssue({ code: 'custom', message: `must be an http or https URL (${what}), got "${value}"` });
    }
  });
}

/** One strategy, normalized (`p->w` → `p -> w`); '' (also `zero-shot`, `baseline`) is the zero-shot program. */
export const StrategyName = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const trimmed = value.trim();
    if (trimmed === '' || ['zero-shot', 'baseline', 'vanilla'].includes(trimmed.toLowerCase())) return '';
    try {
      return parseStrategy(trimmed, { known: knownStepTokens() }).key;
    } catch (error) {
      ctx.issues.push({ code: 'custom', message: error instanceof StrategyError ? error.message : String(error), input: value });
      return z.NEVER;
    }
  });

/**
 * Strategies to run: a comma-separated string (`"p, p -> w"`), `"all"` for the paper's eight,
 * or an array of strategies. Normalized and deduplicated, order kept. Default `p`.
 */
export const Strategies = z
  .union([z.string().max(2000), z.array(z.string().max(200)).min(1).max(64)])
  .default('p')
  .transform((value, ctx) => {
    const fromString = typeof value === 'string';
    const parts = fromString ? (value.trim().toLowerCase() === 'all' ? [...PAPER_STRATEGIES] : value.split(',')) : value;
    const out: string[] = [];
    let failed = false;
    parts.forEach((part, i) => {
      try {
        const key = parseStrategy(part.trim(), { known: knownStepTokens() }).key;
        if (!out.includes(key)) out.push(key);
      } catch (error) {
        failed = true;
        const message = error instanceof StrategyError ? error.message : String(error);
        ctx.issues.push({ code: 'custom', message, input: part, ...(fromString ? {} : { path: [i] }) });
      }
    });
    return failed ? z.NEVER : out;
  });

export const TaskName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform((value, ctx) => {
    const name = value.toLowerCase();
    if (!taskNames().includes(name)) {
      ctx.issues.push({ code: 'custom', message: `unknown task "${value}"; available tasks: ${taskNames().join(', ')}`, input: value });
      return z.NEVER;
    }
    return name;
  });

// ---------------------------------------------------------------------------------------------
// Experiments

export const LMInput = z
  .strictObject({
    /** `openai`: any OpenAI-compatible server; `local`: a model of the library on the local engine. */
    provider: z.enum(['openai', 'local']),
    model: z.string().trim().min(1).max(500),
    /** OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1; default $TANDEM_BASE_URL, $OPENAI_BASE_URL, OpenAI. */
    baseUrl: httpUrl('e.g. http://127.0.0.1:8000/v1').optional(),
    /** The environment variable holding the API key (never the key itself); default OPENAI_API_KEY. */
    apiKeyEnv: z.string().regex(ENV_NAME, { error: 'must be an environment variable name (letters, digits, _)' }).optional(),
  })
  .superRefine((lm, ctx) => {
    if (lm.provider === 'local' && lm.baseUrl !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'is only for provider "openai"; the local engine chooses its own address' });
    }
  });
export type LMInput = z.input<typeof LMInput>;

export const HyperparamsInput = z.strictObject({
  rank: z.int().min(1).max(1024).optional(),
  alpha: z.number().min(0.001).max(100_000).optional(),
  dropout: z.number().min(0).max(0.99).optional(),
  learningRate: z.number().min(1e-9).max(1).optional(),
  epochs: z.int().min(1).max(1000).optional(),
  batchSize: z.int().min(1).max(4096).optional(),
  gradientAccumulation: z.int().min(1).max(4096).optional(),
  maxSeqLen: z.int().min(16).max(1_000_000).optional(),
  /** Linear layers to adapt; null: the engine's default. */
  targetModules: z.array(z.string().min(1).max(200)).max(100).nullable().optional(),
});

export const FinetuneInput = z.strictObject({
  /** External trainer for `w` steps with a remote model, e.g. "accelerate launch train.py --model {base} --data {train} --out {out}". */
  command: z.string().trim().min(1).max(4000).optional(),
  /** The base model as the external trainer knows it (fills {base}); default the LM's model. */
  baseModel: z.string().trim().min(1).max(500).optional(),
  /** Overrides of the preset (the paper's, or the demo model's). */
  hyperparams: HyperparamsInput.prefault({}),
});

export const OptimizerInput = z.strictObject({
  /** Shuffled random-search candidates (paper: 6). */
  candidates: z.int().min(0).max(1000).default(RANDOM_SEARCH_DEFAULTS.numCandidates),
  /** Most bootstrapped demos per predictor (paper: 3). */
  maxDemos: z.int().min(0).max(100).default(RANDOM_SEARCH_DEFAULTS.maxBootstrappedDemos),
  /** Most labeled demos per predictor (paper: 3). */
  maxLabeled: z.int().min(0).max(100).default(RANDOM_SEARCH_DEFAULTS.maxLabeledDemos),
  /** Bootstrap attempts per example. */
  rounds: z.int().min(1).max(10).default(RANDOM_SEARCH_DEFAULTS.maxRounds),
});

export const SamplingInput = z.strictObject({
  temperature: z.number().min(0).max(2).default(0.1),
  maxTokens: z.int().min(1).max(1_000_000).default(1024),
});

export const CreateExperimentInput = z.strictObject({
  /** Default `<task>: <strategies>`. */
  name: z.string().trim().min(1).max(200).optional(),
  task: TaskName,
  /** A dataset file or folder instead of the bundled one. */
  dataPath: z.string().trim().min(1).max(4096).optional(),
  strategies: Strategies,
  /** Number of seeds: seed, seed+1, … */
  seeds: z.int().min(1).max(100).default(1),
  /** Seeds run at once (sharing `concurrency`); default all, 1 runs them one after another. */
  seedConcurrency: z.int().min(1).max(100).optional(),
  /** The first seed (splits, shuffles, candidates). */
  seed: z.int().min(0).max(2 ** 31 - 1).default(0),
  /** Default: $TANDEM_MODEL on an OpenAI-compatible server, else the embedded demo model on the local engine. */
  lm: LMInput.optional(),
  finetune: FinetuneInput.prefault({}),
  optimizer: OptimizerInput.prefault({}),
  sampling: SamplingInput.prefault({}),
  /** LM calls in flight at once, for the whole run (all seeds together). */
  concurrency: z.int().min(1).max(1024).default(16),
  /** Per-request timeout in seconds. */
  timeoutSeconds: z.number().min(0.1).max(3600).default(120),
  /** Retries on 429, 5xx, timeouts and network errors. */
  retries: z.int().min(0).max(20).default(4),
  /** Stop an evaluation after more than this many failed examples; null: no limit. */
  maxErrors: z.int().min(0).nullable().default(null),
  /** Splits each stage is evaluated on. */
  evalSplits: z
    .array(EvalSplit)
    .min(1)
    .max(2)
    .default(['dev', 'test'])
    .transform((splits) => EVAL_SPLITS.filter((s) => splits.includes(s))),
  /** Answer repeated requests from the response cache. */
  useCache: z.boolean().default(true),
});
export type CreateExperimentInput = z.input<typeof CreateExperimentInput>;

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

export const ListRunsInput = z.strictObject({ experimentId: id.optional(), status: z.enum(RUN_STATUSES as [string, ...string[]]).optional() }).prefault({});
export type ListRunsInput = z.input<typeof ListRunsInput>;

export const ListStagesInput = z.strictObject({ runId: id, seed: z.int().min(0).optional() });
export type ListStagesInput = z.input<typeof ListStagesInput>;

export const StageIdInput = z.strictObject({ stageId: id });
export type StageIdInput = z.input<typeof StageIdInput>;

export const ComparisonInput = z.strictObject({
  runId: id,
  /** The strategy the others are compared with; '' (default) is the zero-shot program. */
  baseline: StrategyName.default(''),
  /** Default: every strategy of the run except the baseline. */
  strategies: z.array(StrategyName).min(1).max(64).optional(),
  split: EvalSplit.default('test'),
});
export type ComparisonInput = z.input<typeof ComparisonInput>;

export const EXAMPLE_RESULT_SORTS = ['index', 'index-desc', 'score', 'score-desc'] as const;
export type ExampleResultSort = (typeof EXAMPLE_RESULT_SORTS)[number];

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
    search: text(500).optional(),
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

export const ExportReportInput = z.strictObject({
  runId: id,
  format: z.enum(REPORT_FORMATS).default('markdown'),
});
export type ExportReportInput = z.input<typeof ExportReportInput>;

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

export const LMCallsPageInput = z.strictObject({
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
  search: text(500).optional(),
  sort: z.enum(['newest', 'oldest', 'latency', 'tokens']).default('newest'),
  limit,
  cursor,
  /** Also count every match (costs a pass over all of them). */
  withTotal: z.boolean().default(false),
});
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
  /** Hub URL; default $HF_ENDPOINT, else https://huggingface.co. */
  endpoint: httpUrl('e.g. https://huggingface.co').optional(),
});
export type PullModelInput = z.input<typeof PullModelInput>;

export const ModelOperationInput = z.strictObject({ operationId: id });
export type ModelOperationInput = z.input<typeof ModelOperationInput>;
