// The Finetuner interface: chat JSONL in, a LoRA adapter served under a model name out.
// Providers: the local engine's trainer, and any external trainer command (TRL + accelerate,
// MLX-LM, …) for models that outgrow the local engine.

import type { LoraHyperparams } from '../contract/views/spec.ts';
import type { LMBinding } from '../lm/lm-binding.ts';

export type { LoraHyperparams } from '../contract/views/spec.ts';

/** The paper's settings: rank 32, alpha 64, dropout 0, lr 1e-5, 5 epochs, effective batch 8. */
export const PAPER_HYPERPARAMS: LoraHyperparams = {
  rank: 32,
  alpha: 64,
  dropout: 0,
  targetModules: null,
  learningRate: 1e-5,
  epochs: 5,
  batchSize: 8,
  gradientAccumulation: 1,
  maxSeqLen: 2048,
  seed: 0,
};

export interface FinetuneJob {
  /** The model the adapter is trained on (its binding: served name and server). */
  base: LMBinding;
  trainFile: string;
  validFile: string | null;
  /** Where the adapter is written. */
  outDir: string;
  /** The model name the adapter is served under once registered. */
  adapterName: string;
  hyperparams: LoraHyperparams;
}

export type FinetuneEvent =
  | { type: 'start'; rows: number; steps: number | null }
  | { type: 'step'; step: number; epoch: number; loss: number; tokensPerS: number | null; etaS: number | null }
  | { type: 'eval'; validLoss: number }
  | { type: 'log'; line: string };

export interface FinetuneResult {
  adapterDir: string;
  /** How predictors reach the trained adapter. */
  binding: LMBinding;
  trainRows: number;
  skipped: Record<string, number>;
  seconds: number;
  losses: Array<{ step: number; loss: number }>;
  /** The end of the trainer's stdout and stderr (see log-tail.ts), kept with the job record. */
  log?: string[];
}

export interface Finetuner {
  readonly name: string;
  /** Serves an adapter trained earlier (e.g. before a crash) again; returns its binding. */
  attach(adapterName: string, adapterDir: string, base: LMBinding): Promise<LMBinding>;
  finetune(job: FinetuneJob, options?: { onEvent?: (event: FinetuneEvent) => void; signal?: AbortSignal }): Promise<FinetuneResult>;
}

export class FinetuneError extends Error {
  override name = 'FinetuneError';
  /** The end of the trainer's output, when it ran at all. */
  readonly log: string[];
  constructor(message: string, log: string[] = []) {
    super(message);
    this.log = log;
  }
}
