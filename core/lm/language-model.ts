// The one narrow interface every language model implements (cf. the Vercel AI SDK's provider
// spec): a chat request in; the completion's content, token usage and response metadata out.
// How a call was served (from a cache, after how many attempts, in how long) is not part of the
// answer: the layers that know report it to an observer passed with the request (CallInfo).
// Providers own transport (HTTP, retries, concurrency); callers own prompts and parsing.

import type { ChatMessage, SamplingParams, TokenUsage } from '../contract/views/program.ts';

export interface ChatRequest extends SamplingParams {
  messages: ChatMessage[];
  /**
   * Distinguishes otherwise identical requests that must not share a cached answer
   * (e.g. bootstrapping round 2 re-asks the same prompt at a higher temperature).
   */
  rolloutId?: number;
}

/** What the server said about its answer. */
export interface ResponseMetadata {
  /** The model name the server says answered. */
  modelId: string;
}

export interface ChatResponse {
  text: string;
  finishReason: string | null;
  usage: TokenUsage;
  response: ResponseMetadata;
}

/** How one call was served, reported by the layer that served it. */
export interface CallInfo {
  /** Answered from a response cache (or by joining an identical call in flight). */
  cached: boolean;
  /** HTTP attempts made (1 when the first succeeded; 0 for cache hits). */
  attempts: number;
  /** Wall time of the call as seen by the caller, including retries; 0 for cache hits. */
  latencyMs: number;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** Told once, on success, how the call was served. Failures carry their attempts on the LMError. */
  onCallInfo?: (info: CallInfo) => void;
}

export interface LanguageModel {
  /** Stable identity used in cache keys and traces, e.g. `openai:gpt-4o-mini@http://host/v1`. */
  readonly id: string;
  /** The model name sent to the server. */
  readonly model: string;
  generate(request: ChatRequest, options?: GenerateOptions): Promise<ChatResponse>;
}
