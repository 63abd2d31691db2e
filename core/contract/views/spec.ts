// The experiment spec as saved with an experiment and its runs, as front ends read it back:
// task, strategies and seeds, how to reach the LM (never the API key itself), the fine-tuning
// backend and every optimizer setting.

import type { RetrieverSpec } from '../retriever-spec.ts';
import type { TaskSource } from '../task-source.ts';
import type { LMProvider } from '../providers.ts';
import type { ProgramState, SamplingParams } from './program.ts';

export type Split = 'train' | 'dev' | 'test';

export interface LMSpecRecord {
  /** `openai`: any OpenAI-compatible server; `local`: a library model on the local engine. */
  provider: LMProvider;
  model: string;
  baseUrl: string | null;
  apiKeyEnv: string | null;
  maxConcurrency: number;
  maxRetries: number;
  timeoutMs: number;
}

/**
 * The fine-tuning backend: the local engine's trainer, an external trainer command, or the LM
 * server's own OpenAI-compatible fine-tuning API (`hosted`: files + fine_tuning/jobs, on the LM's
 * base URL with the LM's key; `baseModel` as that API names the model to fine-tune).
 */
export type FinetuneSpec = { kind: 'local' } | { kind: 'command'; template: string; baseModel: string } | { kind: 'hosted'; baseModel: string } | null;

export interface LoraHyperparams {
  rank: number;
  alpha: number;
  dropout: number;
  /** Linear layers to adapt; null = the engine's default (all attention and MLP projections). */
  targetModules: string[] | null;
  learningRate: number;
  epochs: number;
  batchSize: number;
  gradientAccumulation: number;
  maxSeqLen: number;
  seed: number;
  /**
   * CPU threads of the local trainer. The thread count can change a CPU run's rounding, so it is
   * fixed when the spec is made (presets.ts) and a repeated or resumed run trains with the same.
   * Absent in specs saved before: the trainer takes torch's default.
   */
  threads?: number;
}

/** The random search's settings (its seed comes from the run). */
export interface RandomSearchSettings {
  /** Shuffled bootstrap candidates beyond the three fixed ones. Paper: 6. */
  numCandidates: number;
  maxBootstrappedDemos: number;
  maxLabeledDemos: number;
  maxRounds: number;
  metricThreshold?: number;
}

export interface ExperimentSpec {
  /** The task's name: a built-in task, or the name a task file gives its task. */
  task: string;
  /** For a task from a file: where it came from (absent for built-in tasks). */
  taskSource?: TaskSource;
  dataPath: string | null;
  /** What Retrieve modules search; absent for tasks that do not retrieve. */
  retriever?: RetrieverSpec;
  /** Strategies as written, e.g. ['p', 'p -> w']. The zero-shot baseline always runs. */
  strategies: string[];
  seeds: number[];
  /**
   * Seeds whose strategy trees run at once; absent: all of them. 1 runs them one after another.
   * Their LM calls share `lm.maxConcurrency` (one limit for the whole run, not per seed), so a
   * local engine gets fuller batches; fine-tunes still train one at a time (finetune-queue.ts).
   */
  seedConcurrency?: number;
  lm: LMSpecRecord;
  finetune: FinetuneSpec;
  /** Weight steps train one adapter per module instead of one per LM (absent: pooled, the paper's setting). */
  finetunePerModule?: boolean;
  /** Program runs each stage fans out (evaluation, bootstrapping); every seed's queue on the run's one LM limit. */
  concurrency: number;
  maxErrors: number | null;
  sampling: SamplingParams;
  /**
   * Every LM request carries a seed derived from the run's seed (`seeds[0]`) and the request itself
   * (lm/request-seed.ts), so a rerun or a resumed run samples exactly as before. Absent in specs
   * saved before requests were seeded: those runs resume unseeded, as they began.
   */
  seededRequests?: boolean;
  randomSearch: RandomSearchSettings;
  hyperparams: LoraHyperparams;
  evalSplits: Split[];
  useCache: boolean;
  /** Folder for fine-tuning data and adapters; null: `finetune/` beside the database. */
  workDir: string | null;
  /** The program the zero-shot stage starts from (imported from a DSPy saved program); absent: the task's own. */
  initialProgram?: ProgramState;
}
