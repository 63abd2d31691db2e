// The experiment input: what every front end gives to define an experiment (`tandem run` and
// `tandem demo` from their flags, the workbench's form, the API's createExperiment), as one zod
// schema with the defaults of core/contract/defaults.ts. It checks shapes, ranges and the
// strategy grammar; what only core knows at run time (the registered step tokens, the tasks, the
// default model) is checked by the spec builder (core/runner/spec-builder.ts), which turns a
// parsed input into the spec a run is saved with.

import { z } from 'zod';
import { keyNameProblem } from './key-names.ts';
import { EXPERIMENT_DEFAULTS } from './defaults.ts';
import { LM_PROVIDERS } from './providers.ts';
import { parseRetrieverSpec, RetrieverSpecError, type RetrieverSpec } from './retriever-spec.ts';
import { strategyListIssues } from './strategy.ts';
import { looksLikeTaskFile } from './task-source.ts';

/** The longest DSPy program text an experiment starts from. */
export const INITIAL_PROGRAM_MAX_LENGTH = 5_000_000;

/** Splits that stages are evaluated on. */
export const EVAL_SPLITS = ['dev', 'test'] as const;
export const EvalSplit = z.enum(EVAL_SPLITS);
export type EvalSplit = z.output<typeof EvalSplit>;

/** A string that must parse as an http or https URL; the message gives an example (`what`). */
export function httpUrl(what: string) {
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

/**
 * Strategies to run: a comma-separated string (`"p, p -> w"`), `"all"` for the paper's seven
 * (with the zero-shot baseline, its eight rows), or an array of strategies. Checked with the
 * strategy grammar, normalized (`p->w` → `p -> w`) and deduplicated, order kept.
 */
export const Strategies = z
  .union([z.string().max(2000), z.array(z.string().max(200)).min(1).max(64)])
  .default(EXPERIMENT_DEFAULTS.strategies)
  .transform((value, ctx) => {
    const { strategies, issues } = strategyListIssues(value);
    for (const issue of issues) {
      ctx.issues.push({ code: 'custom', message: issue.message, input: issue.input, ...(issue.index === undefined ? {} : { path: [issue.index] }) });
    }
    return issues.length > 0 ? z.NEVER : strategies.map((s) => s.key);
  });

/**
 * A built-in task's name, as the task registry spells it (lower case), or the path of a task file
 * (kept as given); which tasks exist, and whether a file holds one, is checked by the builder.
 */
export const TaskName = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .transform((value) => (looksLikeTaskFile(value) ? value : value.toLowerCase()))
  .refine((value) => looksLikeTaskFile(value) || value.length <= 100, { message: 'a task name is at most 100 characters' });

/**
 * Which model, and where. `provider` and `model` go together; without them the builder picks the
 * default model ($TANDEM_MODEL on an OpenAI-compatible server, else the embedded demo model on the
 * local engine), to which `baseUrl` and `apiKeyEnv` still apply.
 */
export const LMInput = z
  .strictObject({
    /** `openai`: any OpenAI-compatible server; `local`: a model of the library on the local engine. */
    provider: z.enum(LM_PROVIDERS).optional(),
    model: z.string().trim().min(1).max(500).optional(),
    /** OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1; default $TANDEM_BASE_URL, $OPENAI_BASE_URL, OpenAI. */
    baseUrl: httpUrl('e.g. http://127.0.0.1:8000/v1').optional(),
    /** The environment variable holding the API key (never the key itself); default OPENAI_API_KEY. Sent only to an origin it is tied to. */
    apiKeyEnv: z
      .string()
      .superRefine((name, ctx) => {
        const problem = keyNameProblem(name);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  })
  .superRefine((lm, ctx) => {
    if (lm.provider !== undefined && lm.model === undefined) ctx.addIssue({ code: 'custom', path: ['model'], message: 'is required' });
    if (lm.model !== undefined && lm.provider === undefined) ctx.addIssue({ code: 'custom', path: ['provider'], message: 'is required' });
    if (lm.provider === 'local' && lm.baseUrl !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'is only for provider "openai"; the local engine chooses its own address' });
    }
  });
export type LMInput = z.input<typeof LMInput>;

/** Overrides of the model's LoRA preset (the paper's, or the demo model's). */
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
  /**
   * `hosted`: fine-tune through the LM server's OpenAI-compatible fine-tuning API (upload, job,
   * polling; the job's fine-tuned model serves the modules), with the LM's base URL and key.
   */
  backend: z.literal('hosted').optional(),
  /** The base model as the external trainer (or the hosted API) knows it (fills {base}); default the LM's model. */
  baseModel: z.string().trim().min(1).max(500).optional(),
  hyperparams: HyperparamsInput.prefault({}),
  /**
   * Train one adapter per module instead of pooling every module's rows that share an LM into one
   * multitask set (the paper's setting).
   */
  perModule: z.boolean().default(false),
});

/** `bm25:<index>` or `colbert:<url>` (retriever-spec.ts), parsed. */
export const RetrieverInput = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .transform((value, ctx): RetrieverSpec => {
    try {
      return parseRetrieverSpec(value);
    } catch (error) {
      if (!(error instanceof RetrieverSpecError)) throw error;
      ctx.issues.push({ code: 'custom', message: error.message, input: value });
      return z.NEVER;
    }
  });

const OPTIMIZER = EXPERIMENT_DEFAULTS.optimizer;

export const OptimizerInput = z.strictObject({
  /** Shuffled random-search candidates (paper: 6). */
  candidates: z.int().min(0).max(1000).default(OPTIMIZER.candidates),
  /** Most bootstrapped demos per predictor (paper: 3). */
  maxDemos: z.int().min(0).max(100).default(OPTIMIZER.maxDemos),
  /** Most labeled demos per predictor (paper: 3). */
  maxLabeled: z.int().min(0).max(100).default(OPTIMIZER.maxLabeled),
  /** Bootstrap attempts per example. */
  rounds: z.int().min(1).max(10).default(OPTIMIZER.rounds),
});

export const SamplingInput = z.strictObject({
  temperature: z.number().min(0).max(2).default(EXPERIMENT_DEFAULTS.sampling.temperature),
  maxTokens: z.int().min(1).max(1_000_000).default(EXPERIMENT_DEFAULTS.sampling.maxTokens),
});

export const CreateExperimentInput = z.strictObject({
  /** Default `<task>: <strategies>`. */
  name: z.string().trim().min(1).max(200).optional(),
  task: TaskName,
  /** A dataset file or folder instead of the bundled one. */
  dataPath: z.string().trim().min(1).max(4096).optional(),
  strategies: Strategies,
  /** What the program's Retrieve modules search; default the task's own (HotPotQA: a BM25 index of its context paragraphs). */
  retriever: RetrieverInput.optional(),
  /** Number of seeds: seed, seed+1, … */
  seeds: z.int().min(1).max(100).default(EXPERIMENT_DEFAULTS.seeds),
  /** Seeds run at once (sharing `concurrency`); default all, 1 runs them one after another. */
  seedConcurrency: z.int().min(1).max(100).optional(),
  /** The first seed (splits, shuffles, candidates). */
  seed: z.int().min(0).max(2 ** 31 - 1).default(EXPERIMENT_DEFAULTS.seed),
  /** Default: $TANDEM_MODEL on an OpenAI-compatible server, else the embedded demo model on the local engine. */
  lm: LMInput.optional(),
  finetune: FinetuneInput.prefault({}),
  optimizer: OptimizerInput.prefault({}),
  sampling: SamplingInput.prefault({}),
  /** LM calls in flight at once, for the whole run (all seeds together). */
  concurrency: z.int().min(1).max(1024).default(EXPERIMENT_DEFAULTS.concurrency),
  /** Per-request timeout in seconds. */
  timeoutSeconds: z.number().min(0.1).max(3600).default(EXPERIMENT_DEFAULTS.timeoutSeconds),
  /** Retries on 429, 5xx, timeouts and network errors. */
  retries: z.int().min(0).max(20).default(EXPERIMENT_DEFAULTS.retries),
  /** Stop an evaluation after more than this many failed examples; null: no limit. */
  maxErrors: z.int().min(0).nullable().default(EXPERIMENT_DEFAULTS.maxErrors),
  /** Splits each stage is evaluated on. */
  evalSplits: z
    .array(EvalSplit)
    .min(1)
    .max(2)
    .default([...EXPERIMENT_DEFAULTS.evalSplits])
    .transform((splits) => EVAL_SPLITS.filter((s) => splits.includes(s))),
  /** Answer repeated requests from the response cache. */
  useCache: z.boolean().default(EXPERIMENT_DEFAULTS.useCache),
  /**
   * A DSPy saved program (the JSON text `dspy.Module.save` writes) with the task program's
   * predictor paths: the zero-shot stage, and so every stage after it, starts from its
   * instructions, field descriptions and demos.
   */
  initialProgram: z.string().min(2).max(INITIAL_PROGRAM_MAX_LENGTH).optional(),
});
export type CreateExperimentInput = z.input<typeof CreateExperimentInput>;
/** An experiment input after validation: every default filled in, strategies normalized. */
export type ExperimentInput = z.output<typeof CreateExperimentInput>;
