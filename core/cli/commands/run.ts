// `tandem run <task> --strategies "p, w, p -> w" --seeds 3 --lm ...`: an experiment over several
// strategies and seeds, with live progress on stderr and the paper-style table (or one JSON
// summary with --json) on stdout. `--strategy` is the single-strategy spelling; `--all` runs
// the paper's eight.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXPERIMENT_DEFAULTS } from '../../contract/defaults.ts';
import type { CreateExperimentInput } from '../../contract/experiment-input.ts';
import { PAPER_STRATEGIES } from '../../contract/strategy.ts';
import { parseLMSpec } from '../../lm/lm-config.ts';
import type { ExperimentSpec } from '../../runner/experiment-spec.ts';
import { loadTaskData, startRun } from '../../runner/run-experiment.ts';
import { knownStepTokens } from '../../runner/steps/registry.ts';
import { taskNames } from '../../tasks/registry.ts';
import { prepareTaskFile } from '../../runner/task-sources.ts';
import { specFromInput } from '../experiment-flags.ts';
import { integer, numeric, resolveDbPath } from '../options.ts';
import { UsageError } from '../user-error.ts';
import { withRunSession } from '../run-session.ts';

/** A numeric flag as read: a number, or text that is none (the experiment input refuses it). */
type NumberFlag = number | string;

export interface RunFlags {
  strategy?: string;
  strategies?: string;
  all?: boolean;
  lm?: string;
  model?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  seed: NumberFlag;
  seeds: NumberFlag;
  seedConcurrency?: NumberFlag;
  db?: string;
  data?: string;
  retriever?: string;
  perModule?: boolean;
  json?: boolean;
  concurrency: NumberFlag;
  maxErrors?: NumberFlag;
  candidates: NumberFlag;
  maxDemos: NumberFlag;
  maxLabeled: NumberFlag;
  rounds: NumberFlag;
  temperature: NumberFlag;
  maxTokens: NumberFlag;
  timeout: NumberFlag;
  retries: NumberFlag;
  cache: boolean;
  test: boolean;
  finetuneCommand?: string;
  finetune?: string;
  finetuneBase?: string;
  loraRank?: NumberFlag;
  loraAlpha?: NumberFlag;
  loraDropout?: NumberFlag;
  learningRate?: NumberFlag;
  epochs?: NumberFlag;
  batchSize?: NumberFlag;
  gradAccum?: NumberFlag;
  maxSeqLen?: NumberFlag;
  checkDeterminism?: number;
  fromDspy?: string;
}

const D = EXPERIMENT_DEFAULTS;

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description("optimize a task's program with one or more strategies over seeds and report the paper-style table")
    .argument('<task>', `task to run: ${taskNames().join(', ')}, or the path of your own task: a code file (.ts, .js) or a no-code definition (.yaml, .json); see docs/TASKS.md`)
    .option('--strategy <strategy>', `one strategy: optimizer steps joined by "->" (tokens: ${knownStepTokens().join(', ')})`)
    .option('--strategies <list>', 'several strategies separated by commas, e.g. "p, w, p -> w -> p"')
    .option('--all', `the paper's eight: zero-shot, ${PAPER_STRATEGIES.join(', ')}`)
    .option('--seeds <n>', 'number of seeds (seed, seed+1, …)', numeric, D.seeds)
    .option('--seed-concurrency <n>', 'seeds run at once, sharing --concurrency (default: all; 1: one after another)', numeric)
    .option('--lm <provider:model>', 'language model: openai:<model> on any OpenAI-compatible server, or local:<model> on the local engine (env TANDEM_MODEL)')
    .option('--model <name>', 'model name (alternative to --lm)')
    .option('--base-url <url>', 'OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (env TANDEM_BASE_URL, OPENAI_BASE_URL)')
    .option('--api-key-env <NAME>', 'environment variable holding the API key (default OPENAI_API_KEY; not needed for localhost)')
    .option('--seed <n>', 'first seed for splits, shuffles and candidates', numeric, D.seed)
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--data <path>', 'use this dataset file or folder instead of the bundled one')
    .option('--retriever <spec>', "what the program's Retrieve modules search: bm25:<index> (see `tandem index`) or colbert:<url> (a ColBERTv2 server, the paper's setting); default: the task's own index")
    .option('--per-module', 'weight steps train one adapter per module instead of one pooled adapter per LM (the paper pools)')
    .option('--concurrency <n>', 'LM calls in flight at once, for the whole run (all seeds together)', numeric, D.concurrency)
    .option('--max-errors <n>', 'stop an evaluation after more than this many failed examples', numeric)
    .option('--candidates <n>', 'shuffled random-search candidates (paper: 6)', numeric, D.optimizer.candidates)
    .option('--max-demos <n>', 'most bootstrapped demos per predictor (paper: 3)', numeric, D.optimizer.maxDemos)
    .option('--max-labeled <n>', 'most labeled demos per predictor (paper: 3)', numeric, D.optimizer.maxLabeled)
    .option('--rounds <n>', 'bootstrap attempts per example', numeric, D.optimizer.rounds)
    .option('--temperature <t>', 'sampling temperature (paper: 0.1)', numeric, D.sampling.temperature)
    .option('--max-tokens <n>', 'most new tokens per call (paper: 1024)', numeric, D.sampling.maxTokens)
    .option('--timeout <seconds>', 'per-request timeout', numeric, D.timeoutSeconds)
    .option('--retries <n>', 'retries on 429, 5xx, timeouts and network errors', numeric, D.retries)
    .option('--no-test', 'evaluate each stage on the dev split only')
    .option('--no-cache', 'do not answer repeated requests from the response cache')
    .option('--finetune-command <template>', 'external trainer for "w" steps with a remote model, e.g. "accelerate launch train.py --model {base} --data {train} --out {out}"')
    .option('--finetune <backend>', '"hosted": "w" steps fine-tune through the --base-url server\'s OpenAI-compatible fine-tuning API, with the LM\'s key')
    .option('--finetune-base <model>', 'the base model as the external trainer (or the hosted API) knows it (fills {base}; default: the --lm model)')
    .option('--lora-rank <n>', 'LoRA rank (paper: 32)', numeric)
    .option('--lora-alpha <n>', 'LoRA alpha (paper: 64)', numeric)
    .option('--lora-dropout <p>', 'LoRA dropout (paper: 0)', numeric)
    .option('--learning-rate <lr>', 'fine-tuning learning rate (paper: 1e-5)', numeric)
    .option('--epochs <n>', 'fine-tuning epochs (paper: 5)', numeric)
    .option('--batch-size <n>', 'fine-tuning batch size (paper: effective 8)', numeric)
    .option('--grad-accum <n>', 'gradient accumulation steps', numeric)
    .option('--max-seq-len <n>', 'longest training row in tokens (longer rows are skipped and counted)', numeric)
    .option('--check-determinism <n>', CHECK_DETERMINISM_HELP, integer('--check-determinism', 0, 100_000))
    .option('--from-dspy <file>', 'start from a DSPy saved program (dspy.Module.save JSON) with the task\'s predictor paths: its instructions, field descriptions and demos')
    .option('--json', 'print one JSON summary on stdout')
    .action(async (taskName: string, flags: RunFlags) => {
      await prepareTaskFile(taskName);
      const spec = specFromFlags(taskName, flags);
      // A task's data or metric problem is reported before the workspace is opened (or created).
      const loaded = await loadTaskData(spec, spec.seeds.slice(0, 1));
      await withRunSession({ dbPath: resolveDbPath(flags.db), json: Boolean(flags.json), spec, checkCalls: flags.checkDeterminism, lmFromCommandLine: true }, (options) => startRun(spec, { ...options, loaded }));
    });
}

export const CHECK_DETERMINISM_HELP = 'after the run, send this many of its requests again and count the completions that differ (default: 8 on a remote server, 0 on the local engine)';

/** The spec `tandem run <task>` builds from its flags: the experiment input every front end gives, through the one builder. */
export function specFromFlags(task: string, flags: RunFlags): ExperimentSpec {
  const given = [flags.strategy, flags.strategies, flags.all ? 'all' : undefined].filter((x) => x !== undefined);
  if (given.length > 1) throw new UsageError('give one of --strategy, --strategies or --all');
  const strategiesFlag = flags.all ? '--all' : flags.strategy !== undefined ? '--strategy' : '--strategies';
  // The model comes from --lm, or from --model when --lm is absent: name the one the user typed.
  const lmFlag = flags.lm === undefined && flags.model ? '--model' : '--lm';
  return specFromInput(inputFromFlags(task, flags), { strategies: strategiesFlag, lm: lmFlag });
}

/** The experiment input the flags describe; what no flag sets is left to the input's defaults. */
function inputFromFlags(task: string, flags: RunFlags): CreateExperimentInput {
  const named = flags.lm !== undefined ? parseLMSpec(flags.lm) : flags.model ? { provider: 'openai' as const, model: flags.model } : null;
  const lm = {
    ...(named ? { provider: named.provider, model: named.model } : {}),
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.apiKeyEnv !== undefined ? { apiKeyEnv: flags.apiKeyEnv } : {}),
  };
  const hyperparams = definedOnly({
    rank: flags.loraRank,
    alpha: flags.loraAlpha,
    dropout: flags.loraDropout,
    learningRate: flags.learningRate,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    gradientAccumulation: flags.gradAccum,
    maxSeqLen: flags.maxSeqLen,
  });
  // Numeric flags may still be text here: the schema refuses it with the API's message.
  return asInput({
    task,
    strategies: flags.all ? 'all' : (flags.strategies ?? flags.strategy ?? D.strategies),
    seeds: flags.seeds,
    seed: flags.seed,
    ...definedOnly({ seedConcurrency: flags.seedConcurrency, dataPath: flags.data, maxErrors: flags.maxErrors }),
    ...(Object.keys(lm).length > 0 ? { lm } : {}),
    ...definedOnly({ retriever: flags.retriever }),
    finetune: { ...definedOnly({ command: flags.finetuneCommand, backend: flags.finetune, baseModel: flags.finetuneBase }), ...(flags.perModule ? { perModule: true } : {}), hyperparams },
    optimizer: { candidates: flags.candidates, maxDemos: flags.maxDemos, maxLabeled: flags.maxLabeled, rounds: flags.rounds },
    sampling: { temperature: flags.temperature, maxTokens: flags.maxTokens },
    concurrency: flags.concurrency,
    timeoutSeconds: flags.timeout,
    retries: flags.retries,
    evalSplits: flags.test ? [...D.evalSplits] : ['dev'],
    useCache: flags.cache,
    ...(flags.fromDspy !== undefined ? { initialProgram: readDspyFile(flags.fromDspy) } : {}),
  });
}

/** The text of the file --from-dspy names. */
function readDspyFile(file: string): string {
  try {
    return readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new UsageError(`--from-dspy: cannot read ${path.resolve(file)} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

function definedOnly<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** Flags typed as read (numbers possibly text) as the input type; the schema checks every value. */
function asInput(value: Record<string, unknown>): CreateExperimentInput {
  return value as unknown as CreateExperimentInput;
}
