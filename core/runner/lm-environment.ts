// Builds the ProgramEnv a run uses: the default LM (an OpenAI-compatible server behind the SQLite
// response cache), models for other bindings on the same server (e.g. fine-tuned adapters), and
// counters of every LM call, cache hit, retry and failure.

import type { Adapter } from '../adapter/adapter.ts';
import { CachedLM } from '../lm/cached-lm.ts';
import { Limiter } from '../lm/concurrency.ts';
import type { LanguageModel, SamplingParams } from '../lm/language-model.ts';
import { OpenAICompatibleLM, type OpenAICompatibleOptions } from '../lm/openai-compatible.ts';
import type { ResponseCache } from '../lm/response-cache.ts';
import type { ProgramEnv } from '../program/context.ts';
import type { LMBinding } from '../program/lm-binding.ts';
import type { PredictorCall } from '../program/trace.ts';
import type { LMCallCounters } from './events.ts';

export const OPENAI_COMPATIBLE = 'openai-compatible';

export interface LMEnvironmentOptions {
  lm: OpenAICompatibleOptions;
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
  const limiter = new Limiter(options.lm.maxConcurrency ?? 16);
  const build = (model: string): LanguageModel => {
    const base = new OpenAICompatibleLM({
      ...options.lm,
      model,
      limiter,
      onRetry: (info) => {
        counters.retries++;
        options.lm.onRetry?.(info);
        report();
      },
    });
    return options.cache ? new CachedLM(base, options.cache) : base;
  };
  const defaultBinding: LMBinding = { provider: OPENAI_COMPATIBLE, model: options.lm.model, baseUrl: options.lm.baseUrl };
  const resolveLM = (binding: LMBinding | null): LanguageModel => {
    const wanted = binding ?? defaultBinding;
    if (wanted.provider !== OPENAI_COMPATIBLE) {
      throw new Error(`a predictor is bound to provider "${wanted.provider}", which this run does not have`);
    }
    if (wanted.baseUrl && wanted.baseUrl !== options.lm.baseUrl) {
      throw new Error(`a predictor is bound to ${wanted.baseUrl}, but this run talks to ${options.lm.baseUrl}`);
    }
    let lm = models.get(wanted.model);
    if (!lm) {
      lm = build(wanted.model);
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
