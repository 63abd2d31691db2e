// The one narrow interface every language model provider implements (cf. the Vercel AI SDK's
// provider spec): a chat request in, one completion out. Providers own transport concerns
// (HTTP, retries, concurrency); callers own prompts and parsing.

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface SamplingParams {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
}

export interface ChatRequest extends SamplingParams {
  messages: ChatMessage[];
  /**
   * Distinguishes otherwise identical requests that must not share a cached answer
   * (e.g. bootstrapping round 2 re-asks the same prompt at a higher temperature).
   */
  rolloutId?: number;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatResponse {
  text: string;
  /** The model name the server says answered. */
  model: string;
  finishReason: string | null;
  usage: TokenUsage;
  /** Wall time of the call as seen by the caller, including retries; 0 for cache hits. */
  latencyMs: number;
  cached: boolean;
  /** How many HTTP attempts the provider made (1 when the first succeeded). */
  attempts: number;
}

export interface GenerateOptions {
  signal?: AbortSignal;
}

export interface LanguageModel {
  /** Stable identity used in cache keys and traces, e.g. `openai:gpt-4o-mini@http://host/v1`. */
  readonly id: string;
  /** The model name sent to the server. */
  readonly model: string;
  generate(request: ChatRequest, options?: GenerateOptions): Promise<ChatResponse>;
}
