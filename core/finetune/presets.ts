// Hyperparameter presets. The paper's settings suit 7B models; the embedded demo model is tiny and
// trained from scratch, so its adapters need a far higher learning rate and fewer parameters.

import { availableParallelism } from 'node:os';
import { DEMO_MODEL_NAME } from '../contract/defaults.ts';
import { PAPER_HYPERPARAMS, type LoraHyperparams } from './finetuner.ts';

export const DEMO_HYPERPARAMS: LoraHyperparams = {
  ...PAPER_HYPERPARAMS,
  rank: 16,
  alpha: 32,
  learningRate: 1e-3,
  epochs: 3,
  batchSize: 8,
  maxSeqLen: 2048,
};

/** The preset for a model (the demo model's own, the paper's for everything else), with this machine's trainer threads. */
export function hyperparamsFor(model: string): LoraHyperparams {
  const preset = model === DEMO_MODEL_NAME ? DEMO_HYPERPARAMS : PAPER_HYPERPARAMS;
  return { ...preset, threads: trainerThreads() };
}

/** One thread per physical core, as torch picks by default (logical CPUs are usually two per core). */
export function trainerThreads(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}
