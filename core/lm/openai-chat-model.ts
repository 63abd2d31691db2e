// The OpenAI-compatible chat completions provider: one HTTP client for the local engine, vLLM,
// SGLang, Ollama, llama.cpp's server and hosted APIs. One call is one HTTP attempt; a fault worth
// repeating is thrown as RetryableLMError for a RetryingLM around it (see OpenAICompatibleLM).

import { EXPERIMENT_DEFAULTS } from '../contract/defaults.ts';
import { chatMessagesJson } from '../util/json-text.ts';
import { cancelledError } from './concurrency.ts';
import { LMError, RetryableLMError } from './errors.ts';
import { fetchTransport, isTimeoutError, nodeHttpTransport, type FetchLike, type HttpPost, type HttpReply, type HttpTransport } from './http-transport.ts';
import type { ChatRequest, ChatResponse, GenerateOptions, LanguageModel } from './language-model.ts';
import { parseRetryAfter } from '../util/backoff.ts';

export { parseRetryAfter };

export interface OpenAIChatModelOptions {
  /** Like the OpenAI SDK's: `http://host:port/v1`; requests go to `${baseUrl}/chat/completions`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Named in the 401 message: how the user sets the key (default: the OPENAI_API_KEY variable). */
  apiKeyHint?: string;
  /** Per-attempt timeout, including reading the body (default: the experiment's default timeout). */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Sends requests through this fetch instead of the built-in node:http keep-alive transport. */
  fetch?: FetchLike;
}

export const DEFAULT_TIMEOUT_MS = EXPERIMENT_DEFAULTS.timeoutSeconds * 1000;

export class OpenAIChatModel implements LanguageModel {
  readonly id: string;
  readonly model: string;
  readonly baseUrl: string;
  private readonly url: string;
  private readonly apiKeySent: boolean;
  /** The key, kept only to scrub it from a server's error message should the server echo it. */
  private readonly apiKey: string | undefined;
  private readonly apiKeyHint: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly transport: HttpTransport;

  constructor(options: OpenAIChatModelOptions) {
    if (!options.model) throw new LMError('config', 'OpenAICompatibleLM needs a model name');
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.model = options.model;
    this.id = `openai:${this.model}@${this.baseUrl}`;
    this.url = `${this.baseUrl}/chat/completions`;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new LMError('config', `timeoutMs must be a positive number, got ${timeoutMs}`);
    this.timeoutMs = timeoutMs;
    this.headers = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
    this.apiKeySent = Boolean(options.apiKey);
    this.apiKey = options.apiKey || undefined;
    if (options.apiKey) this.headers.authorization = `Bearer ${options.apiKey}`;
    this.apiKeyHint = options.apiKeyHint ?? 'set the OPENAI_API_KEY environment variable (or name another one with --api-key-env)';
    this.transport = options.fetch ? fetchTransport(options.fetch) : nodeHttpTransport();
  }

  /** One HTTP attempt. Throws RetryableLMError for faults worth repeating, LMError for final ones. */
  async generate(request: ChatRequest, options: GenerateOptions = {}): Promise<ChatResponse> {
    const { signal, onCallInfo } = options;
    const startedAt = onCallInfo ? performance.now() : 0;
    const body = requestBodyJson(this.model, request);
    const { timeoutMs } = this;
    let reply: HttpReply;
    try {
      const post: HttpPost = signal ? { headers: this.headers, body, timeoutMs, signal } : { headers: this.headers, body, timeoutMs };
      reply = await this.transport(this.url, post);
    } catch (error) {
      if (signal?.aborted) throw cancelledError(signal, 1);
      if (isTimeoutError(error)) throw new RetryableLMError('timeout', `no complete answer from ${this.url} within ${timeoutMs} ms`);
      const detail = describeNetworkError(error);
      const hint = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(detail) ? '; is the server running, and is the base URL right?' : '';
      throw new RetryableLMError('network', `cannot reach ${this.url}: ${detail}${hint}`, { cause: error });
    }
    if (reply.status < 200 || reply.status > 299) throw this.statusFailure(reply);
    const response = parseCompletion(reply.text, this.url, this.model);
    onCallInfo?.({ cached: false, attempts: 1, latencyMs: performance.now() - startedAt });
    return response;
  }

  private statusFailure(reply: HttpReply): LMError {
    const status = reply.status;
    const serverMessage = scrub(errorMessageFromBody(reply.text), this.apiKey);
    const said = serverMessage ? `: ${serverMessage}` : '';
    if (status === 429) {
      return new RetryableLMError('rate-limit', `rate limited by ${this.url} (HTTP 429)${said}`, {
        status,
        retryAfterMs: parseRetryAfter(reply.header('retry-after')),
      });
    }
    if (status >= 500 || status === 408) {
      return new RetryableLMError('http', `HTTP ${status} from ${this.url}${said}`, {
        status,
        retryAfterMs: status === 503 ? parseRetryAfter(reply.header('retry-after')) : undefined,
      });
    }
    if (status === 401) {
      const sent = this.apiKeySent ? 'rejected the API key' : 'requires an API key and none was sent';
      return new LMError('http', `${this.url} ${sent} (HTTP 401)${said}; ${this.apiKeyHint}`, { status });
    }
    if (status === 404) {
      return new LMError('http', `HTTP 404 from ${this.url} for model "${this.model}"${said}; check the base URL and the model name`, { status });
    }
    return new LMError('http', `HTTP ${status} from ${this.url}${said}`, { status });
  }
}

/** The request body, with unset sampling parameters left out. */
export function requestBody(model: string, request: ChatRequest): Record<string, unknown> {
  return {
    model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    ...samplingFields(request),
  };
}

/**
 * `JSON.stringify(requestBody(model, request))`, built without re-escaping the message contents
 * that recur from call to call (the system message and demos).
 */
export function requestBodyJson(model: string, request: ChatRequest): string {
  const messages = typeof model === 'string' ? chatMessagesJson(request.messages) : undefined;
  if (messages === undefined) return JSON.stringify(requestBody(model, request));
  // The sampling fields as JSON, spliced in after "messages": `{"temperature":0,"n":1}` -> `"temperature":0,"n":1}`.
  return `{"model":${JSON.stringify(model)},"messages":${messages},${JSON.stringify(samplingFields(request)).slice(1)}`;
}

function samplingFields(request: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  body.n = 1;
  return body;
}

/** Reads a chat completion body; anything else is a retryable 'bad-response'. */
function parseCompletion(text: string, url: string, requestedModel: string): ChatResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RetryableLMError('bad-response', `${url} answered with invalid JSON: ${excerpt(text)}`);
  }
  const root = asRecord(json);
  const choice = Array.isArray(root?.choices) ? asRecord(root.choices[0]) : undefined;
  const message = asRecord(choice?.message);
  const content = message?.content;
  if (typeof content !== 'string') {
    throw new RetryableLMError('bad-response', `${url} answered without choices[0].message.content: ${excerpt(text)}`);
  }
  const usage = asRecord(root?.usage);
  return {
    text: content,
    finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : null,
    usage: { promptTokens: count(usage?.prompt_tokens), completionTokens: count(usage?.completion_tokens) },
    response: { modelId: typeof root?.model === 'string' && root.model ? root.model : requestedModel },
  };
}

/** `http://host:8000/v1/` -> `http://host:8000/v1`; throws LMError 'config' for non-http(s) URLs. */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new LMError('config', `base URL "${baseUrl}" is not a URL; expected something like http://127.0.0.1:8000/v1`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LMError('config', `base URL "${baseUrl}" must start with http:// or https://`);
  }
  if (url.search || url.hash) {
    throw new LMError('config', `base URL "${baseUrl}" must not carry a query or fragment`);
  }
  const normalized = url.toString().replace(/\/+$/, '');
  if (/\/chat\/completions$/.test(normalized)) {
    throw new LMError(
      'config',
      `base URL "${baseUrl}" should stop before /chat/completions (e.g. ${normalized.replace(/\/chat\/completions$/, '')})`,
    );
  }
  return normalized;
}

export function errorMessageFromBody(text: string): string {
  try {
    const json = asRecord(JSON.parse(text));
    const error = json?.error;
    if (typeof error === 'string') return excerpt(error);
    const nested = asRecord(error)?.message;
    if (typeof nested === 'string') return excerpt(nested);
    if (typeof json?.message === 'string') return excerpt(json.message);
    if (typeof json?.detail === 'string') return excerpt(json.detail);
  } catch {
    // not JSON: fall through to the raw text
  }
  return excerpt(text);
}

function describeNetworkError(error: unknown): string {
  // node:http puts the code on the error itself, fetch on its cause; AggregateError lists one per address.
  for (const candidate of [error, error instanceof Error ? error.cause : undefined]) {
    const { code, message, errors } = (candidate ?? {}) as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof code === 'string') {
      const detail = typeof message === 'string' && message && !message.includes(code) ? ` (${message})` : '';
      return `${code}${detail}`;
    }
    if (Array.isArray(errors) && errors.length > 0) return describeNetworkError(errors[0]);
  }
  return error instanceof Error ? error.message : String(error);
}

/** A server's message with the key taken out, should the server quote it back. */
function scrub(message: string, key: string | undefined): string {
  return key && key.length >= 4 ? message.split(key).join('***') : message;
}

/** Server messages quoted in errors stay one short line: no bodies, never headers. */
function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
