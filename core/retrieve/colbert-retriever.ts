// A ColBERTv2-compatible retrieval server as a Retriever: `GET <url>?query=<q>&k=<k>` answering
// `{"topk": [...]}` (the DSPy/ColBERT server.py the BetterTogether paper searched wiki17 abstracts
// with). Each attempt has its own timeout; faults worth repeating (5xx, 408, 429, timeouts,
// network faults, unreadable bodies) are retried with seeded backoff; a bounded number of
// retrievals are in flight at once, each holding its slot through its retries. Errors are
// RetrieveErrors whose messages name the server but never its credentials, headers or more
// than a short excerpt of a body.

import { EXPERIMENT_DEFAULTS } from '../contract/defaults.ts';
import type { RetrievedPassage } from '../contract/views/program.ts';
import { Rng } from '../util/random.ts';
import { parseTopk, excerpt } from './colbert-response.ts';
import { cancelledError, RetrieveLimiter } from './concurrency.ts';
import { RetrieveError } from './errors.ts';
import { GetFailure, HttpGetter, type GetReply } from './http-get.ts';
import { parseRetryAfter, RetryableRetrieveError, withRetries, type RetryNotice, type RetryPolicy } from './retry.ts';
import type { RetrieveOptions, RetrieveRequest, Retriever } from './retriever.ts';

export interface ColbertRetrieverOptions {
  /** The search endpoint, e.g. `http://host:8893/api/search`. */
  url: string;
  /** Per-attempt limit, reading the body included (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default: the experiment's default retries). */
  maxRetries?: number;
  /** First backoff delay (default 500 ms); doubles each retry. */
  backoffBaseMs?: number;
  /** Largest backoff delay (default 20 s). */
  backoffMaxMs?: number;
  /** Largest wait a server's Retry-After may impose (default 60 s). */
  retryAfterMaxMs?: number;
  /** Seed of the backoff jitter (default 0). */
  jitterSeed?: number;
  /** Retrievals in flight at once (default 8). */
  maxConcurrency?: number;
  /** Largest answer read (default 16 MiB); a larger one is a 'bad-response'. */
  maxBodyBytes?: number;
  /** Told before each wait between attempts. */
  onRetry?: (notice: RetryNotice) => void;
}

export const COLBERT_DEFAULTS = {
  timeoutMs: 30_000,
  maxRetries: EXPERIMENT_DEFAULTS.retries,
  backoffBaseMs: 500,
  backoffMaxMs: 20_000,
  retryAfterMaxMs: 60_000,
  maxConcurrency: 8,
  maxBodyBytes: 16 * 1024 * 1024,
} as const;

export class ColbertRetriever implements Retriever {
  readonly id: string;
  readonly backend = 'colbert';
  /** The endpoint as messages show it: without credentials. */
  readonly url: string;
  readonly limiter: RetrieveLimiter;
  private readonly endpoint: URL;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly policy: RetryPolicy;
  private readonly jitter: Rng;
  private readonly onRetry: ((notice: RetryNotice) => void) | undefined;
  private readonly http = new HttpGetter();

  constructor(options: ColbertRetrieverOptions) {
    this.endpoint = endpointUrl(options.url);
    const shown = new URL(this.endpoint);
    shown.username = '';
    shown.password = '';
    this.url = shown.href;
    this.id = `colbert:${this.url}`;
    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? COLBERT_DEFAULTS.timeoutMs);
    this.maxBodyBytes = positive('maxBodyBytes', options.maxBodyBytes ?? COLBERT_DEFAULTS.maxBodyBytes);
    this.policy = {
      maxRetries: nonNegativeInt('maxRetries', options.maxRetries ?? COLBERT_DEFAULTS.maxRetries),
      backoffBaseMs: nonNegative('backoffBaseMs', options.backoffBaseMs ?? COLBERT_DEFAULTS.backoffBaseMs),
      backoffMaxMs: nonNegative('backoffMaxMs', options.backoffMaxMs ?? COLBERT_DEFAULTS.backoffMaxMs),
      retryAfterMaxMs: nonNegative('retryAfterMaxMs', options.retryAfterMaxMs ?? COLBERT_DEFAULTS.retryAfterMaxMs),
    };
    this.jitter = new Rng(options.jitterSeed ?? 0);
    this.limiter = new RetrieveLimiter(options.maxConcurrency ?? COLBERT_DEFAULTS.maxConcurrency);
    this.onRetry = options.onRetry;
  }

  async retrieve(request: RetrieveRequest, options: RetrieveOptions = {}): Promise<RetrievedPassage[]> {
    checkRequest(request);
    const { signal, onRetrieveInfo } = options;
    const startedAt = performance.now();
    const url = new URL(this.endpoint);
    url.searchParams.set('query', request.query);
    url.searchParams.set('k', String(request.k));
    const { value, attempts } = await this.limiter.run(
      () => withRetries((n) => this.attempt(url, request.k, n, signal), { policy: this.policy, jitter: this.jitter, signal, onRetry: this.onRetry }),
      signal,
    );
    onRetrieveInfo?.({ cached: false, attempts, latencyMs: performance.now() - startedAt });
    return value;
  }

  /** Closes the idle keep-alive connections to the server. */
  close(): void {
    this.http.close();
  }

  /** One HTTP attempt: passages, a RetryableRetrieveError, or a final RetrieveError. */
  private async attempt(url: URL, k: number, n: number, signal: AbortSignal | undefined): Promise<RetrievedPassage[]> {
    let reply: GetReply;
    try {
      reply = await this.http.get(url, { timeoutMs: this.timeoutMs, maxBytes: this.maxBodyBytes, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw cancelledError(signal, n);
      throw this.exchangeFailure(error);
    }
    if (reply.status >= 200 && reply.status <= 299) return parseTopk(reply.text, k, this.url);
    throw this.statusFailure(reply);
  }

  private exchangeFailure(error: unknown): RetrieveError {
    if (!(error instanceof GetFailure)) return new RetryableRetrieveError('network', `cannot reach ${this.url}: ${String(error)}`, { cause: error });
    if (error.kind === 'timeout') return new RetryableRetrieveError('timeout', `no complete answer from ${this.url} within ${this.timeoutMs} ms`);
    if (error.kind === 'too-large') return new RetrieveError('bad-response', `${this.url} answered with more than ${this.maxBodyBytes} bytes`);
    const hint = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(error.message) ? '; is the retrieval server running, and is its URL right?' : '';
    return new RetryableRetrieveError('network', `cannot reach ${this.url}: ${error.message}${hint}`, { cause: error });
  }

  private statusFailure(reply: GetReply): RetrieveError {
    const { status } = reply;
    const message = `HTTP ${status} from ${this.url}: ${excerpt(reply.text)}`;
    if (status >= 500 || status === 408 || status === 429) {
      return new RetryableRetrieveError('http', message, { status, retryAfterMs: parseRetryAfter(reply.header('retry-after')) });
    }
    return new RetrieveError('http', message, { status });
  }
}

/** The endpoint as a URL; a RetrieveError 'config' for anything but an http(s) URL. */
function endpointUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RetrieveError('config', `retrieval server URL "${text}" is not a URL; expected something like http://127.0.0.1:8893/api/search`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RetrieveError('config', `retrieval server URL "${url.host}${url.pathname}" must start with http:// or https://`);
  if (url.hash) throw new RetrieveError('config', `retrieval server URL "${url.host}${url.pathname}" must not carry a fragment`);
  return url;
}

function checkRequest(request: RetrieveRequest): void {
  if (typeof request.query !== 'string') throw new RetrieveError('config', `a retrieval query must be a string, got ${typeof request.query}`);
  if (!Number.isInteger(request.k) || request.k < 1) throw new RetrieveError('config', `k must be a positive integer, got ${request.k}`);
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RetrieveError('config', `${name} must be a positive number, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RetrieveError('config', `${name} must be a non-negative number, got ${value}`);
  return value;
}

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RetrieveError('config', `${name} must be a non-negative integer, got ${value}`);
  return value;
}
