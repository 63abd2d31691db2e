// Which language model a predictor calls. `null` on a predictor means "the run's default LM".
// Weight optimization rebinds predictors to a fine-tuned model (an adapter name on the same
// server), which is why the binding is part of the saved program state.

export interface LMBinding {
  /** Provider id, e.g. `openai-compatible`. */
  provider: string;
  /** Model name sent to the server (a base model or a LoRA adapter name). */
  model: string;
  baseUrl?: string;
  /** For fine-tuned adapters: the model they were trained from. */
  baseModel?: string;
}

export function sameBinding(a: LMBinding | null, b: LMBinding | null): boolean {
  if (a === null || b === null) return a === b;
  return a.provider === b.provider && a.model === b.model && (a.baseUrl ?? '') === (b.baseUrl ?? '');
}
