// Hyperparameter presets. The paper's settings suit 7B models; the embedded demo model is tiny and
// trained from scratch, so its adapters need a far higher learning rate and fewer parameters.

import { PAPER_HYPERPARAMS, type LoraHyperparams } from './finetuner.ts';

export const DEMO_MODEL_NAME = 'tandem-demo';

export const DEMO_HYPERPARAMS: LoraHyperparams = {
  ...PAPER_HYPERPARAMS,
  rank: 16,
  alpha: 32,
  learningRate: 1e-3,
  epochs: 3,
  batchSize: 8,
  maxSeqLen: 2048,
};

/** The preset for a model: the demo model's own, the paper's for everything else. */
export function hyperparamsFor(model: string): LoraHyperparams {
  return model === DEMO_MODEL_NAME ? { ...DEMO_HYPERPARAMS } : { ...PAPER_HYPERPARAMS };
}
