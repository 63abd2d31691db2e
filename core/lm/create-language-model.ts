// The provider seam: one function turns an LM binding into a LanguageModel. The provider's model
// comes with its transport wrappers (retries, a concurrency limit) and, when a response cache is
// given, the caching wrapper outside them. Callers never construct a provider themselves.

import { CachedLM } from './cached-lm.ts';
import { LMError } from './errors.ts';
import type { LanguageModel } from './language-model.ts';
import type { LMBinding } from './lm-binding.ts';
import { DEFAULT_BASE_URL } from './lm-config.ts';
import { OpenAICompatibleLM, type OpenAICompatibleOptions } from './openai-compatible.ts';
import type { ResponseCache } from './response-cache.ts';

/** How to reach and call the server: everything but the model, which the binding names. */
export interface LanguageModelSettings extends Omit<OpenAICompatibleOptions, 'model' | 'baseUrl'> {
  /** The server for bindings that name none. */
  baseUrl?: string;
  /** Answer repeated requests from this cache (null or absent: every request reaches the server). */
  cache?: ResponseCache | null;
}

export function createLanguageModel(binding: LMBinding, settings: LanguageModelSettings = {}): LanguageModel {
  const { cache, baseUrl: defaultBaseUrl, ...transport } = settings;
  const baseUrl = binding.baseUrl ?? defaultBaseUrl;
  let model: LanguageModel;
  switch (binding.provider) {
    case 'openai':
      model = new OpenAICompatibleLM({ ...transport, baseUrl: baseUrl ?? DEFAULT_BASE_URL, model: binding.model });
      break;
    case 'local':
      // The local engine serves the OpenAI chat completions API at the address it was started on.
      if (!baseUrl) throw new LMError('config', `local:${binding.model} needs the local engine's address; start the engine first`);
      model = new OpenAICompatibleLM({ ...transport, baseUrl, model: binding.model });
      break;
  }
  return cache ? new CachedLM(model, cache) : model;
}
