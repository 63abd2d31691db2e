// An OpenAI-compatible server as a LanguageModel with the usual transport around the provider:
// retries (RetryingLM) inside a bounded number of calls in flight (a Limiter, shareable between
// the models on one server). A call holds its slot through its retries and backoff waits.

import { EXPERIMENT_DEFAULTS } from '../contract/defaults.ts';
import { Limiter } from './concurrency.ts';
import type { ChatRequest, ChatResponse, GenerateOptions, LanguageModel } from './language-model.ts';
import { OpenAIChatModel, type OpenAIChatModelOptions } from './openai-chat-model.ts';
import { RetryingLM, type RetryOptions } from './retrying-lm.ts';

export interface OpenAICompatibleOptions extends OpenAIChatModelOptions, RetryOptions {
  /** Requests in flight at once (default: the experiment's default concurrency). */
  maxConcurrency?: number;
  /** Share one concurrency cap among several clients (e.g. a base model and its LoRA adapters on one server); overrides maxConcurrency. */
  limiter?: Limiter;
}

export const DEFAULT_MAX_CONCURRENCY = EXPERIMENT_DEFAULTS.concurrency;

export class OpenAICompatibleLM implements LanguageModel {
  readonly id: string;
  readonly model: string;
  readonly baseUrl: string;
  readonly limiter: Limiter;
  private readonly retrying: RetryingLM;

  constructor(options: OpenAICompatibleOptions) {
    const provider = new OpenAIChatModel(options);
    this.retrying = new RetryingLM(provider, options);
    this.id = provider.id;
    this.model = provider.model;
    this.baseUrl = provider.baseUrl;
    this.limiter = options.limiter ?? new Limiter(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
  }

  generate(request: ChatRequest, options: GenerateOptions = {}): Promise<ChatResponse> {
    return this.limiter.run(() => this.retrying.generate(request, options), options.signal);
  }
}
