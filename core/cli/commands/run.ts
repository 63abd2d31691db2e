// `tandem run <task> --strategy p --lm openai:<model> --base-url <url>`: one optimization run
// with live progress on stderr and a results table (or one JSON summary with --json) on stdout.

import type { Command } from 'commander';
import { startLocalModel } from '../../engine/local-model.ts';
import { CommandFinetuner } from '../../finetune/command-finetuner.ts';
import type { LoraHyperparams } from '../../finetune/finetuner.ts';
import { parseLMSpec, resolveLMOptions } from '../../lm/lm-config.ts';
import { runExperiment, STEP_TOKENS, type RunSummary } from '../../runner/run-experiment.ts';
import { openStore } from '../../store/index.ts';
import { getTask } from '../../tasks/registry.ts';
import { duration, percent, table } from '../format.ts';
import { decimal, integer, resolveDbPath } from '../options.ts';
import { ProgressView } from '../progress.ts';
import { resolveModelLibraryDir } from './models.ts';

interface RunFlags {
  strategy: string;
  lm?: string;
  model?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  seed: number;
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
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('optimize a task\'s program with a strategy and report baseline and final scores')
    .argument('<task>', 'task to run: iris or gsm8k')
    .option('--strategy <strategy>', `optimizer steps joined by "->" (available: ${STEP_TOKENS.join(', ')})`, 'p')
    .option('--lm <provider:model>', 'language model: openai:<model> on any OpenAI-compatible server, or local:<model> on the local engine (env TANDEM_MODEL)')
    .option('--model <name>', 'model name (alternative to --lm)')
    .option('--base-url <url>', 'OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (env TANDEM_BASE_URL, OPENAI_BASE_URL)')
    .option('--api-key-env <NAME>', 'environment variable holding the API key (default OPENAI_API_KEY; not needed for localhost)')
    .option('--seed <n>', 'seed for splits, shuffles and candidates', integer('--seed', 0), 0)
    .option('--db <file>', 'workspace database (env TANDEM_DB; default ./.tandem/tandem.db)')
    .option('--data <path>', 'use this dataset file or folder instead of the bundled one')
    .option('--concurrency <n>', 'LM calls in flight at once', integer('--concurrency', 1, 1024), 16)
    .option('--max-errors <n>', 'stop an evaluation after more than this many failed examples', integer('--max-errors', 0))
    .option('--candidates <n>', 'shuffled random-search candidates (paper: 6)', integer('--candidates', 0, 1000), 6)
    .option('--max-demos <n>', 'most bootstrapped demos per predictor (paper: 3)', integer('--max-demos', 0, 100), 3)
    .option('--max-labeled <n>', 'most labeled demos per predictor (paper: 3)', integer('--max-labeled', 0, 100), 3)
    .option('--rounds <n>', 'bootstrap attempts per example', integer('--rounds', 1, 10), 1)
    .option('--temperature <t>', 'sampling temperature (paper: 0.1)', decimal('--temperature', 0, 2), 0.1)
    .option('--max-tokens <n>', 'most new tokens per call (paper: 1024)', integer('--max-tokens', 1, 1_000_000), 1024)
    .option('--timeout <seconds>', 'per-request timeout', decimal('--timeout', 0.1, 3600), 120)
    .option('--retries <n>', 'retries on 429, 5xx, timeouts and network errors', integer('--retries', 0, 20), 4)
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
    .option('--json', 'print one JSON summary on stdout')
    .action(async (taskName: string, flags: RunFlags) => {
      const task = getTask(taskName);
      const dbPath = resolveDbPath(flags.db);
      const spec = flags.lm ? parseLMSpec(flags.lm) : null;
      // A local model: start the engine first; it is then just another OpenAI-compatible server.
      const local = spec?.provider === 'local' ? await startLocalModel(spec.model, { libraryDir: resolveModelLibraryDir(flags.db ? { db: flags.db } : {}) }) : null;
      const lm = resolveLMOptions({
        flags: {
          ...(local ? { model: local.modelName, baseUrl: local.baseUrl } : {}),
          ...(flags.lm && !local ? { lm: flags.lm } : {}),
          ...(flags.model && !local ? { model: flags.model } : {}),
          ...(flags.baseUrl && !local ? { baseUrl: flags.baseUrl } : {}),
          ...(flags.apiKeyEnv ? { apiKeyEnv: flags.apiKeyEnv } : {}),
          maxConcurrency: flags.concurrency,
          maxRetries: flags.retries,
          timeoutMs: Math.round(flags.timeout * 1000),
        },
        env: process.env,
      });
      const finetuner = local
        ? local.finetuner
        : flags.finetuneCommand
          ? new CommandFinetuner({ template: flags.finetuneCommand, baseModel: flags.finetuneBase ?? lm.model })
          : undefined;
      const store = openStore(dbPath);
      const progress = new ProgressView({ isTTY: Boolean(process.stderr.isTTY), write: (s) => process.stderr.write(s) });
      const controller = new AbortController();
      const onSigint = () => {
        process.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
        controller.abort();
        process.once('SIGINT', () => process.exit(130));
      };
      process.once('SIGINT', onSigint);
      try {
        const summary = await runExperiment({
          task,
          strategy: flags.strategy,
          seed: flags.seed,
          lm,
          store,
          useCache: flags.cache,
          ...(flags.data ? { dataPath: flags.data } : {}),
          concurrency: flags.concurrency,
          ...(flags.maxErrors !== undefined ? { maxErrors: flags.maxErrors } : {}),
          sampling: { temperature: flags.temperature, maxTokens: flags.maxTokens },
          randomSearch: { numCandidates: flags.candidates, maxBootstrappedDemos: flags.maxDemos, maxLabeledDemos: flags.maxLabeled, maxRounds: flags.rounds },
          ...(finetuner ? { finetuner } : {}),
          hyperparams: hyperparamsFrom(flags),
          signal: controller.signal,
          onEvent: (event) => progress.handle(event),
        });
        process.stdout.write(flags.json ? `${JSON.stringify(jsonSummary(summary, store.lmCalls.count({ runId: summary.runId })))}\n` : `${renderSummary(summary)}\n`);
      } finally {
        process.removeListener('SIGINT', onSigint);
        store.close();
        await local?.stop();
      }
    });
}

function hyperparamsFrom(flags: RunFlags): Partial<LoraHyperparams> {
  const h: Partial<LoraHyperparams> = {};
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

function jsonSummary(summary: RunSummary, storedCalls: number) {
  return {
    runId: summary.runId,
    experimentId: summary.experimentId,
    task: summary.task,
    strategy: summary.strategy,
    seed: summary.seed,
    model: summary.model,
    status: summary.status,
    baseline: summary.baseline,
    final: summary.final,
    stages: summary.stages,
    lmCalls: storedCalls,
    lm: summary.lm,
    seconds: summary.seconds,
  };
}

export function renderSummary(summary: RunSummary): string {
  const splits = [...new Set(summary.stages.flatMap((s) => Object.keys(s.scores)))];
  const rows = summary.stages.map((s) => [s.kind === 'baseline' ? 'zero-shot' : s.prefix, ...splits.map((sp) => percent(s.scores[sp as keyof typeof s.scores]))]);
  const c = summary.lm;
  return [
    '',
    `run ${summary.runId}  ${summary.task}  strategy "${summary.strategy}"  seed ${summary.seed}  model ${summary.model}`,
    table(['program', ...splits], rows, ['left', ...splits.map(() => 'right' as const)]),
    '',
    `LM calls ${c.calls} (${c.cacheHits} cached, ${c.retries} retried attempts, ${c.errors} failed, ${c.parseFallbacks} parse fallbacks) in ${duration(summary.seconds)}`,
  ].join('\n');
}
