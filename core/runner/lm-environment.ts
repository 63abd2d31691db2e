// Builds the ProgramEnv a run uses: the default LM and models for other bindings on the same
// server (e.g. fine-tuned adapters), each made by createLanguageModel behind the run's response
// cache and one shared concurrency limit, and counters of every LM call, cache hit, retry and
// failure.

import type { LMProvider } from '../contract/providers.ts';
import { Limiter } from '../lm/concurrency.ts';
import { createLanguageModel } from '../lm/create-language-model.ts';
import { LMError } from '../lm/errors.ts';
import type { SamplingParams } from '../contract/views/program.ts';
import type { LanguageModel } from '../lm/language-model.ts';
import type { LMBinding } from '../lm/lm-binding.ts';
import { DEFAULT_MAX_CONCURRENCY, type OpenAICompatibleOptions } from '../lm/openai-compatible.ts';
import type { ResponseCache } from '../lm/response-cache.ts';
import type { RetryInfo } from '../lm/retrying-lm.ts';
import type { Adapter } from '../program/adapter.ts';
import type { ProgramEnv } from '../program/context.ts';
import type { PredictorCall } from '../program/trace.ts';
import type { LMCallCounters } from './events.ts';

export interface LMEnvironmentOptions {
  /** The run's server and model (its provider: `openai` unless said). */
  lm: OpenAICompatibleOptions & { provider?: LMProvider };
  cache: ResponseCache | null;
  adapter: Adapter;
  sampling: SamplingParams;
  signal?: AbortSignal;
  onCounters?: (counters: LMCallCounters) => void;
}

export interface LMEnvironment {
  env: ProgramEnv;
  counters: LMCallCounters;
  /** The binding of the default model, as saved in program state. */
  defaultBinding: LMBinding;
}

export function createLMEnvironment(options: LMEnvironmentOptions): LMEnvironment {
  const counters: LMCallCounters = { calls: 0, cacheHits: 0, errors: 0, parseFallbacks: 0, retries: 0 };
  const report = () => options.onCounters?.({ ...counters });
  const models = new Map<string, LanguageModel>();
  // One limiter for every model on the server, so a base model and its adapters together stay
  // within the configured concurrency.
  const limiter = new Limiter(options.lm.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
  const { provider = 'openai', model, baseUrl, ...transport } = options.lm;
  const settings = {
    ...transport,
    baseUrl,
    limiter,
    cache: options.cache,
    onRetry: (info: RetryInfo) => {
      counters.retries++;
      options.lm.onRetry?.(info);
      report();
    },
  };
  const defaultBinding: LMBinding = { provider, model, baseUrl };
  const resolveLM = (binding: LMBinding | null): LanguageModel => {
    const wanted = binding ?? defaultBinding;
    if (wanted.provider !== provider) {
      throw new LMError('config', `a predictor is bound to provider "${wanted.provider}", which this run does not have`);
    }
    if (wanted.baseUrl && wanted.baseUrl !== baseUrl) {
      throw new LMError('config', `a predictor is bound to ${wanted.baseUrl}, but this run talks to ${baseUrl}`);
    }
    let lm = models.get(wanted.model);
    if (!lm) {
      lm = createLanguageModel({ provider, model: wanted.model, baseUrl }, settings);
      models.set(wanted.model, lm);
    }
    return lm;
  };
  const onCall = (call: PredictorCall) => {
    counters.calls++;
    if (call.cached) counters.cacheHits++;
    if (call.error) counters.errors++;
    if (call.parseFallback) counters.parseFallbacks++;
    report();
  };
  const env: ProgramEnv = {
    resolveLM,
    adapter: options.adapter,
    sampling: options.sampling,
    onCall,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return { env, counters, defaultBinding };
}
