// Which language model a predictor calls: a provider from the one vocabulary, a model name and,
// for a server, its base URL. `null` on a predictor means "the run's default LM". Weight
// optimization rebinds predictors to a fine-tuned model (an adapter name on the same server),
// which is why the binding is part of the saved program state. createLanguageModel turns a
// binding into a LanguageModel.

import type { LMProvider } from '../contract/providers.ts';

export interface LMBinding {
  provider: LMProvider;
  /** Model name sent to the server (a base model or a LoRA adapter name). */
  model: string;
  baseUrl?: string;
  /** For fine-tuned adapters: the model they were trained from. */
  baseModel?: string;
}
