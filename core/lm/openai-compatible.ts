// The OpenAI-compatible chat completions provider: one HTTP client for the local engine, vLLM,
// SGLang, Ollama, llama.cpp's server and hosted APIs. It owns transport concerns: bounded
// concurrency, per-attempt timeouts, retries with exponential backoff and jitter, Retry-After,
// and cancellation. It never prints; callers observe faults through `onRetry`.

import { chatMessagesJson } from '../util/json-text.ts';
import { Rng } from '../util/random.ts';
import { Limiter, cancelledError, sleep } from './concurrency.ts';
import { LMError, type LMErrorKind } from './errors.ts';
import { fetchTransport, isTimeoutError, nodeHttpTransport, type FetchLike, type HttpPost, type HttpReply, type HttpTransport } from './http-transport.ts';
import type { ChatRequest, ChatResponse, GenerateOptions, LanguageModel } from './language-model.ts';

/** The kinds of failure that are retried. */
export type RetryReason = Extract<LMErrorKind, 'http' | 'rate-limit' | 'timeout' | 'network' | 'bad-response'>;

export interface RetryInfo {
  /** The attempt that just failed (1-based). */
  attempt: number;
  reason: RetryReason;
  status?: number;
  message: string;
  /** How long the client waits before the next attempt. */
  delayMs: number;
}

export interface OpenAICompatibleOptions {
  /** Like the OpenAI SDK's: `http://host:port/v1`; requests go to `${baseUrl}/chat/completions`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Named in the 401 message: how the user sets the key (default: the OPENAI_API_KEY variable). */
  apiKeyHint?: string;
  /** Requests in flight at once (default 16). */
  maxConcurrency?: number;
  /** Share one concurrency cap among several clients (e.g. a base model and its LoRA adapters on one server); overrides maxConcurrency. */
  limiter?: Limiter;
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** Per-attempt timeout, including reading the body (default 120000). */
  timeoutMs?: number;
  /** First backoff delay (default 500); doubles each retry. */
  backoffBaseMs?: number;
  /** Largest backoff delay (default 20000). */
  backoffMaxMs?: number;
  /** Largest wait a server's Retry-After may impose (default 60000). */
  retryAfterMaxMs?: number;
  /** Seed of the jitter's random stream (default 0). */
  jitterSeed?: number;
  headers?: Record<string, string>;
  /** Sends requests through this fetch instead of the built-in node:http keep-alive transport. */
  fetch?: FetchLike;
  onRetry?: (info: RetryInfo) => void;
}

const DEFAULTS = {
  maxConcurrency: 16,
  maxRetries: 4,
  timeoutMs: 120_000,
  backoffBaseMs: 500,
  backoffMaxMs: 20_000,
  retryAfterMaxMs: 60_000,
} as const;

export class OpenAICompatibleLM implements LanguageModel {
  readonly id: string;
  readonly model: string;
  readonly baseUrl: string;
  readonly limiter: Limiter;
  private readonly url: string;
  private readonly options: OpenAICompatibleOptions;
  private readonly settings: { maxRetries: number; timeoutMs: number; backoffBaseMs: number; backoffMaxMs: number; retryAfterMaxMs: number };
  private readonly headers: Record<string, string>;
  private readonly transport: HttpTransport;
  private readonly jitter: Rng;

  constructor(options: OpenAICompatibleOptions) {
    if (!options.model) throw new LMError('config', 'OpenAICompatibleLM needs a model name');
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.model = options.model;
    this.id = `openai:${this.model}@${this.baseUrl}`;
    this.url = `${this.baseUrl}/chat/completions`;
    this.options = options;
    this.settings = {
      maxRetries: nonNegativeInt('maxRetries', options.maxRetries ?? DEFAULTS.maxRetries),
      timeoutMs: positive('timeoutMs', options.timeoutMs ?? DEFAULTS.timeoutMs),
      backoffBaseMs: nonNegative('backoffBaseMs', options.backoffBaseMs ?? DEFAULTS.backoffBaseMs),
      backoffMaxMs: nonNegative('backoffMaxMs', options.backoffMaxMs ?? DEFAULTS.backoffMaxMs),
      retryAfterMaxMs: nonNegative('retryAfterMaxMs', options.retryAfterMaxMs ?? DEFAULTS.retryAfterMaxMs),
    };
    this.limiter = options.limiter ?? new Limiter(options.maxConcurrency ?? DEFAULTS.maxConcurrency);
    this.headers = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
    if (options.apiKey) this.headers.authorization = `Bearer ${options.apiKey}`;
    this.transport = options.fetch ? fetchTransport(options.fetch) : nodeHttpTransport();
    this.jitter = new Rng(options.jitterSeed ?? 0);
  }

  generate(request: ChatRequest, options: GenerateOptions = {}): Promise<ChatResponse> {
    const body = requestBodyJson(this.model, request);
    return this.limiter.run(() => this.withRetries(body, options.signal), options.signal);
  }

  private async withRetries(body: string, signal: AbortSignal | undefined): Promise<ChatResponse> {
    const startedAt = performance.now();
    const { maxRetries } = this.settings;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelledError(signal, attempt - 1);
      let failure: AttemptFailure;
      try {
        const completion = await this.attempt(body, signal, attempt);
        // Spelled out rather than `{ ...completion, latencyMs, ... }`: V8 (Node 20) is very slow
        // to add properties to an object literal that starts with a spread (microseconds per call).
        return {
          text: completion.text,
          model: completion.model,
          finishReason: completion.finishReason,
          usage: completion.usage,
          latencyMs: performance.now() - startedAt,
          cached: false,
          attempts: attempt,
        };
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        failure = error;
      }
      if (attempt > maxRetries) throw failure.toFinalError(attempt, maxRetries);
      const backoff = backoffDelay(attempt, this.settings.backoffBaseMs, this.settings.backoffMaxMs, () => this.jitter.next());
      const delayMs =
        failure.retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(failure.retryAfterMs, this.settings.retryAfterMaxMs));
      this.options.onRetry?.({
        attempt,
        reason: failure.reason,
        ...(failure.status !== undefined ? { status: failure.status } : {}),
        message: failure.message,
        delayMs,
      });
      await sleep(delayMs, signal, attempt);
    }
  }

  /** One HTTP attempt. Throws AttemptFailure for retryable faults, LMError for final ones. */
  private async attempt(body: string, signal: AbortSignal | undefined, attempt: number): Promise<Completion> {
    const { timeoutMs } = this.settings;
    let reply: HttpReply;
    try {
      const post: HttpPost = signal ? { headers: this.headers, body, timeoutMs, signal } : { headers: this.headers, body, timeoutMs };
      reply = await this.transport(this.url, post);
    } catch (error) {
      if (signal?.aborted) throw cancelledError(signal, attempt);
      if (isTimeoutError(error)) throw new AttemptFailure('timeout', `no complete answer from ${this.url} within ${timeoutMs} ms`);
      const detail = describeNetworkError(error);
      const hint = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(detail) ? '; is the server running, and is the base URL right?' : '';
      throw new AttemptFailure('network', `cannot reach ${this.url}: ${detail}${hint}`, { cause: error });
    }
    if (reply.status < 200 || reply.status > 299) throw this.statusFailure(reply, attempt);
    return parseCompletion(reply.text, this.url, this.model);
  }

  private statusFailure(reply: HttpReply, attempt: number): AttemptFailure | LMError {
    const status = reply.status;
    const serverMessage = errorMessageFromBody(reply.text);
    const said = serverMessage ? `: ${serverMessage}` : '';
    if (status === 429) {
      return new AttemptFailure('rate-limit', `rate limited by ${this.url} (HTTP 429)${said}`, {
        status,
        retryAfterMs: parseRetryAfter(reply.header('retry-after')),
      });
    }
    if (status >= 500 || status === 408) {
      return new AttemptFailure('http', `HTTP ${status} from ${this.url}${said}`, {
        status,
        retryAfterMs: status === 503 ? parseRetryAfter(reply.header('retry-after')) : undefined,
      });
    }
    if (status === 401) {
      const hint = this.options.apiKeyHint ?? 'set the OPENAI_API_KEY environment variable (or name another one with --api-key-env)';
      const sent = this.options.apiKey ? 'rejected the API key' : 'requires an API key and none was sent';
      return new LMError('http', `${this.url} ${sent} (HTTP 401)${said}; ${hint}`, { status, attempts: attempt });
    }
    if (status === 404) {
      return new LMError('http', `HTTP 404 from ${this.url} for model "${this.model}"${said}; check the base URL and the model name`, {
        status,
        attempts: attempt,
      });
    }
    return new LMError('http', `HTTP ${status} from ${this.url}${said}`, { status, attempts: attempt });
  }
}

interface Completion {
  text: string;
  model: string;
  finishReason: string | null;
  usage: ChatResponse['usage'];
}

class AttemptFailure extends Error {
  readonly reason: RetryReason;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(reason: RetryReason, message: string, options: { status?: number; retryAfterMs?: number | undefined; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.reason = reason;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  toFinalError(attempts: number, maxRetries: number): LMError {
    const tries = maxRetries === 0 ? '' : ` (gave up after ${attempts} attempts)`;
    return new LMError(this.reason, `${this.message}${tries}`, { status: this.status, attempts, cause: this.cause });
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
function parseCompletion(text: string, url: string, requestedModel: string): Completion {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AttemptFailure('bad-response', `${url} answered with invalid JSON: ${excerpt(text)}`);
  }
  const root = asRecord(json);
  const choice = Array.isArray(root?.choices) ? asRecord(root.choices[0]) : undefined;
  const message = asRecord(choice?.message);
  const content = message?.content;
  if (typeof content !== 'string') {
    throw new AttemptFailure('bad-response', `${url} answered without choices[0].message.content: ${excerpt(text)}`);
  }
  const usage = asRecord(root?.usage);
  return {
    text: content,
    model: typeof root?.model === 'string' && root.model ? root.model : requestedModel,
    finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : null,
    usage: { promptTokens: count(usage?.prompt_tokens), completionTokens: count(usage?.completion_tokens) },
  };
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable;
 * dates in the past give 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // HTTP dates always name a month; this keeps V8's lenient Date.parse away from "-5" and the like.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Exponential backoff with "equal jitter": the n-th retry (1-based) waits between half and all of
 * min(max, base * 2^(n-1)). `random` returns a float in [0, 1).
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
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
    if (typeof error === 'string') return error;
    const nested = asRecord(error)?.message;
    if (typeof nested === 'string') return nested;
    if (typeof json?.message === 'string') return json.message;
    if (typeof json?.detail === 'string') return json.detail;
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

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new LMError('config', `${name} must be a non-negative integer, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new LMError('config', `${name} must be a non-negative number, got ${value}`);
  return value;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new LMError('config', `${name} must be a positive number, got ${value}`);
  return value;
}
