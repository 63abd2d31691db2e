// Everything needed to run — or resume — an experiment, as plain JSON saved with the run: the
// task, strategies and seeds, how to reach the LM (never the API key itself), the fine-tuning
// backend, and every optimizer setting. `tandem resume` rebuilds the run from this alone.

import type { LoraHyperparams } from '../finetune/finetuner.ts';
import type { SamplingParams } from '../lm/language-model.ts';
import type { RandomSearchOptions } from '../optimize/random-search.ts';
import type { Split } from './events.ts';

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

export interface ExperimentSpec {
  task: string;
  dataPath: string | null;
  /** Strategies as written, e.g. ['p', 'p -> w']. The zero-shot baseline always runs. */
  strategies: string[];
  seeds: number[];
  lm: LMSpecRecord;
  finetune: FinetuneSpec;
  concurrency: number;
  maxErrors: number | null;
  sampling: SamplingParams;
  randomSearch: Omit<RandomSearchOptions, 'seed' | 'teacher'>;
  hyperparams: LoraHyperparams;
  evalSplits: Split[];
  useCache: boolean;
  /** Folder for fine-tuning data and adapters; null: `finetune/` beside the database. */
  workDir: string | null;
}

export function seedsFrom(base: number, count: number): number[] {
  if (!Number.isInteger(count) || count <= 0) throw new Error(`--seeds must be a positive integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => base + i);
}
