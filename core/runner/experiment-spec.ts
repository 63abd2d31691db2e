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
  /**
   * Seeds whose strategy trees run at once; absent: all of them. 1 runs them one after another.
   * Their LM calls share `lm.maxConcurrency` (one limit for the whole run, not per seed), so a
   * local engine gets fuller batches; fine-tunes still train one at a time (finetune-queue.ts).
   */
  seedConcurrency?: number;
  lm: LMSpecRecord;
  finetune: FinetuneSpec;
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

/** How many seeds run at once: the spec's setting, at most the number of seeds. */
export function seedLanes(spec: Pick<ExperimentSpec, 'seeds' | 'seedConcurrency'>): number {
  const wanted = spec.seedConcurrency ?? spec.seeds.length;
  return Math.max(1, Math.min(wanted, spec.seeds.length));
}
