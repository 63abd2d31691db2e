// `tandem run <task> --strategies "p, w, p -> w" --seeds 3 --lm ...`: an experiment over several
// strategies and seeds, with live progress on stderr and the paper-style table (or one JSON
// summary with --json) on stdout. `--strategy` is the single-strategy spelling; `--all` runs
// the paper's eight.

import type { Command } from 'commander';
import type { LoraHyperparams } from '../../finetune/finetuner.ts';
import { DEMO_MODEL_NAME, hyperparamsFor } from '../../finetune/presets.ts';
import { embeddedDemoModel } from '../../models/embedded.ts';
import { parseLMSpec } from '../../lm/lm-config.ts';
import { RANDOM_SEARCH_DEFAULTS } from '../../optimize/random-search.ts';
import { seedsFrom, type ExperimentSpec } from '../../runner/experiment-spec.ts';
import { PAPER_STRATEGIES } from '../../contract/strategy.ts';
import { startRun } from '../../runner/run-experiment.ts';
import { knownStepTokens } from '../../runner/steps/registry.ts';
import { decimal, integer, resolveDbPath } from '../options.ts';
import { UsageError } from '../user-error.ts';
import { withRunSession } from '../run-session.ts';

export interface RunFlags {
  strategy?: string;
  strategies?: string;
  all?: boolean;
  lm?: string;
  model?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  seed: number;
  seeds: number;
  seedConcurrency?: number;
  db?: string;
  data?: string;
  json?: boolean;
  concurrency: number;
  maxErrors?: number;
  candidates: number;
  maxDemos: number;
  maxLabeled: number;
  rounds: number;
  temperature: number;
  maxTokens: number;
  timeout: number;
  retries: number;
  cache: boolean;
  test: boolean;
  finetuneCommand?: string;
  finetuneBase?: string;
  loraRank?: number;
  loraAlpha?: number;
  loraDropout?: number;
  learningRate?: number;
  epochs?: number;
  batchSize?: number;
  gradAccum?: number;
  maxSeqLen?: number;
  checkDeterminism?: number;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description("optimize a task's program with one or more strategies over seeds and report the paper-style table")
    .argument('<task>', 'task to run: iris or gsm8k')
    .option('--strategy <strategy>', `one strategy: optimizer steps joined by "->" (tokens: ${knownStepTokens().join(', ')})`)
    .option('--strategies <list>', 'several strategies separated by commas, e.g. "p, w, p -> w -> p"')
    .option('--all', `the paper's eight: zero-shot, ${PAPER_STRATEGIES.join(', ')}`)
    .option('--seeds <n>', 'number of seeds (seed, seed+1, …)', integer('--seeds', 1, 100), 1)
    .option('--seed-concurrency <n>', 'seeds run at once, sharing --concurrency (default: all; 1: one after another)', integer('--seed-concurrency', 1, 100))
    .option('--lm <provider:model>', 'language model: openai:<model> on any OpenAI-compatible server, or local:<model> on the local engine (env TANDEM_MODEL)')
    .option('--model <name>', 'model name (alternative to --lm)')
    .option('--base-url <url>', 'OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (env TANDEM_BASE_URL, OPENAI_BASE_URL)')
    .option('--api-key-env <NAME>', 'environment variable holding the API key (default OPENAI_API_KEY; not needed for localhost)')
    .option('--seed <n>', 'first seed for splits, shuffles and candidates', integer('--seed', 0), 0)
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--data <path>', 'use this dataset file or folder instead of the bundled one')
    .option('--concurrency <n>', 'LM calls in flight at once, for the whole run (all seeds together)', integer('--concurrency', 1, 1024), 16)
    .option('--max-errors <n>', 'stop an evaluation after more than this many failed examples', integer('--max-errors', 0))
    .option('--candidates <n>', 'shuffled random-search candidates (paper: 6)', integer('--candidates', 0, 1000), RANDOM_SEARCH_DEFAULTS.numCandidates)
    .option('--max-demos <n>', 'most bootstrapped demos per predictor (paper: 3)', integer('--max-demos', 0, 100), RANDOM_SEARCH_DEFAULTS.maxBootstrappedDemos)
    .option('--max-labeled <n>', 'most labeled demos per predictor (paper: 3)', integer('--max-labeled', 0, 100), RANDOM_SEARCH_DEFAULTS.maxLabeledDemos)
    .option('--rounds <n>', 'bootstrap attempts per example', integer('--rounds', 1, 10), 1)
    .option('--temperature <t>', 'sampling temperature (paper: 0.1)', decimal('--temperature', 0, 2), 0.1)
    .option('--max-tokens <n>', 'most new tokens per call (paper: 1024)', integer('--max-tokens', 1, 1_000_000), 1024)
    .option('--timeout <seconds>', 'per-request timeout', decimal('--timeout', 0.1, 3600), 120)
    .option('--retries <n>', 'retries on 429, 5xx, timeouts and network errors', integer('--retries', 0, 20), 4)
    .option('--no-test', 'evaluate each stage on the dev split only')
    .option('--no-cache', 'do not answer repeated requests from the response cache')
    .option('--finetune-command <template>', 'external trainer for "w" steps with a remote model, e.g. "accelerate launch train.py --model {base} --data {train} --out {out}"')
    .option('--finetune-base <model>', 'the base model as the external trainer knows it (fills {base}; default: the --lm model)')
    .option('--lora-rank <n>', 'LoRA rank (paper: 32)', integer('--lora-rank', 1, 1024))
    .option('--lora-alpha <n>', 'LoRA alpha (paper: 64)', decimal('--lora-alpha', 0.001, 100000))
    .option('--lora-dropout <p>', 'LoRA dropout (paper: 0)', decimal('--lora-dropout', 0, 0.99))
    .option('--learning-rate <lr>', 'fine-tuning learning rate (paper: 1e-5)', decimal('--learning-rate', 1e-9, 1))
    .option('--epochs <n>', 'fine-tuning epochs (paper: 5)', integer('--epochs', 1, 1000))
    .option('--batch-size <n>', 'fine-tuning batch size (paper: effective 8)', integer('--batch-size', 1, 4096))
    .option('--grad-accum <n>', 'gradient accumulation steps', integer('--grad-accum', 1, 4096))
    .option('--max-seq-len <n>', 'longest training row in tokens (longer rows are skipped and counted)', integer('--max-seq-len', 16, 1_000_000))
    .option('--check-determinism <n>', CHECK_DETERMINISM_HELP, integer('--check-determinism', 0, 100_000))
    .option('--json', 'print one JSON summary on stdout')
    .action(async (taskName: string, flags: RunFlags) => {
      const spec = specFromFlags(taskName, flags);
      await withRunSession({ dbPath: resolveDbPath(flags.db), json: Boolean(flags.json), spec, checkCalls: flags.checkDeterminism }, (options) => startRun(spec, options));
    });
}

export const CHECK_DETERMINISM_HELP = 'after the run, send this many of its requests again and count the completions that differ (default: 8 on a remote server, 0 on the local engine)';

export function specFromFlags(task: string, flags: RunFlags): ExperimentSpec {
  const given = [flags.strategy, flags.strategies, flags.all ? 'all' : undefined].filter((x) => x !== undefined);
  if (given.length > 1) throw new UsageError('give one of --strategy, --strategies or --all');
  const strategies = flags.all ? [...PAPER_STRATEGIES] : (flags.strategies ?? flags.strategy ?? 'p').split(',');
  // With no model named anywhere, the embedded demo model runs on the local engine.
  const named = flags.lm ?? (flags.model || process.env.TANDEM_MODEL ? undefined : embeddedDemoModel() ? `local:${DEMO_MODEL_NAME}` : undefined);
  const lmSpec = named ? parseLMSpec(named) : null;
  const local = lmSpec?.provider === 'local';
  const model = lmSpec?.model ?? flags.model ?? process.env.TANDEM_MODEL ?? '';
  return {
    task,
    dataPath: flags.data ?? null,
    strategies,
    seeds: seedsFrom(flags.seed, flags.seeds),
    ...(flags.seedConcurrency !== undefined ? { seedConcurrency: flags.seedConcurrency } : {}),
    lm: {
      provider: local ? 'local' : 'openai',
      model,
      baseUrl: local ? null : (flags.baseUrl ?? null),
      apiKeyEnv: flags.apiKeyEnv ?? null,
      maxConcurrency: flags.concurrency,
      maxRetries: flags.retries,
      timeoutMs: Math.round(flags.timeout * 1000),
    },
    finetune: local ? { kind: 'local' } : flags.finetuneCommand ? { kind: 'command', template: flags.finetuneCommand, baseModel: flags.finetuneBase ?? model } : null,
    concurrency: flags.concurrency,
    maxErrors: flags.maxErrors ?? null,
    sampling: { temperature: flags.temperature, maxTokens: flags.maxTokens },
    seededRequests: true,
    randomSearch: { numCandidates: flags.candidates, maxBootstrappedDemos: flags.maxDemos, maxLabeledDemos: flags.maxLabeled, maxRounds: flags.rounds },
    hyperparams: hyperparamsFrom(flags, model),
    evalSplits: flags.test ? ['dev', 'test'] : ['dev'],
    useCache: flags.cache,
    workDir: null,
  };
}

function hyperparamsFrom(flags: RunFlags, model: string): LoraHyperparams {
  const h: LoraHyperparams = hyperparamsFor(model);
  if (flags.loraRank !== undefined) h.rank = flags.loraRank;
  if (flags.loraAlpha !== undefined) h.alpha = flags.loraAlpha;
  if (flags.loraDropout !== undefined) h.dropout = flags.loraDropout;
  if (flags.learningRate !== undefined) h.learningRate = flags.learningRate;
  if (flags.epochs !== undefined) h.epochs = flags.epochs;
  if (flags.batchSize !== undefined) h.batchSize = flags.batchSize;
  if (flags.gradAccum !== undefined) h.gradientAccumulation = flags.gradAccum;
  if (flags.maxSeqLen !== undefined) h.maxSeqLen = flags.maxSeqLen;
  return h;
}
