// The experiment spec as saved with an experiment and its runs, as front ends read it back:
// task, strategies and seeds, how to reach the LM (never the API key itself), the fine-tuning
// backend and every optimizer setting.

import type { SamplingParams } from './program.ts';

export type Split = 'train' | 'dev' | 'test';

export interface LMSpecRecord {
  /** `openai`: any OpenAI-compatible server; `local`: a library model on the local engine. */
  provider: 'openai' | 'local';
  model: string;
  baseUrl: string | null;
  apiKeyEnv: string | null;
  maxConcurrency: number;
  maxRetries: number;
  timeoutMs: number;
}

export type FinetuneSpec = { kind: 'local' } | { kind: 'command'; template: string; baseModel: string } | null;

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
  /** CPU threads of the local trainer; absent in specs saved before it was fixed per spec. */
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
  task: string;
  dataPath: string | null;
  /** Strategies as written, e.g. ['p', 'p -> w']. The zero-shot baseline always runs. */
  strategies: string[];
  seeds: number[];
  /** Seeds whose strategy trees run at once; absent: all of them. */
  seedConcurrency?: number;
  lm: LMSpecRecord;
  finetune: FinetuneSpec;
  /** Program runs each stage fans out (evaluation, bootstrapping). */
  concurrency: number;
  maxErrors: number | null;
  sampling: SamplingParams;
  /** Every LM request carries a seed derived from the run's seed; absent in specs saved before requests were seeded. */
  seededRequests?: boolean;
  randomSearch: RandomSearchSettings;
  hyperparams: LoraHyperparams;
  evalSplits: Split[];
  useCache: boolean;
  /** Folder for fine-tuning data and adapters; null: `finetune/` beside the database. */
  workDir: string | null;
}
