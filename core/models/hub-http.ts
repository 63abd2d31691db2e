// HTTP for hub downloads over node:http/https: redirects followed by hand (so the token goes to the
// hub's origin only, never to the CDN a file redirects to), no content encoding (byte offsets must
// mean file offsets for Range), an idle timeout per socket, aborts, and the retry policy:
// network errors, timeouts, 5xx and 429 are retried with exponential backoff or the server's
// Retry-After; everything else is final.

import http from 'node:http';
import https from 'node:https';
import { ModelLibraryError } from './errors.ts';

export interface HubAgents {
  http: http.Agent;
  https: https.Agent;
}

export function createAgents(): HubAgents {
  return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
}

export function destroyAgents(agents: HubAgents): void {
  agents.http.destroy();
  agents.https.destroy();
}

export interface HubRequestOptions {
  method: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** Bearer token, sent only to `tokenOrigin`. */
  token?: string;
  tokenOrigin: string;
  signal?: AbortSignal;
  /** The socket may be idle this long (connecting, waiting, or mid-body) before the request fails. */
  timeoutMs: number;
  /** 'all' follows every redirect; 'same-origin' returns a redirect to another origin as it is. */
  follow: 'all' | 'same-origin';
  agents: HubAgents;
}

export interface HubResponse {
  status: number;
  /** The URL that gave this response (after redirects). */
  url: string;
  header(name: string): string | null;
  body: http.IncomingMessage;
  /** Reads a small body as text (at most `limit` bytes). */
  text(limit?: number): Promise<string>;
  /** Drops the rest of the body. */
  discard(): void;
}

/** Retried by the caller's loop; `retryAfterMs` is the server's wish when it said one. */
export class RetryableError extends Error {
  override name = 'RetryableError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function abortError(signal: AbortSignal | undefined): ModelLibraryError {
  return new ModelLibraryError('cancelled', 'the download was cancelled; run the same command again to resume it', { cause: signal?.reason });
}

const MAX_REDIRECTS = 10;

function once(url: URL, options: HubRequestOptions): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError(options.signal));
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = { 'user-agent': 'tandem/0.1', 'accept-encoding': 'identity', ...options.headers };
    if (options.token && url.origin === options.tokenOrigin) headers.authorization = `Bearer ${options.token}`;
    const request = (secure ? https : http).request(url, { method: options.method, headers, agent: secure ? options.agents.https : options.agents.http });
    const onAbort = () => request.destroy(abortError(options.signal));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    request.on('close', () => options.signal?.removeEventListener('abort', onAbort));
    request.setTimeout(options.timeoutMs, () => {
      request.destroy(new RetryableError(`no data from ${url.host} for ${Math.round(options.timeoutMs / 1000)} s`));
    });
    request.on('error', reject);
    request.on('response', resolve);
    request.end();
  });
}

/** One request, following redirects as `follow` says. Rejects only on network errors and aborts. */
export async function hubRequest(url: string, options: HubRequestOptions): Promise<HubResponse> {
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const response = await once(current, options);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && status !== 304 && location) {
      const next = new URL(location, current);
      if (options.follow === 'all' || next.origin === current.origin) {
        response.resume();
        if (hop >= MAX_REDIRECTS) throw new ModelLibraryError('http', `more than ${MAX_REDIRECTS} redirects from ${url}`);
        current = next;
        continue;
      }
    }
    return wrap(response, current.toString());
  }
}

function wrap(body: http.IncomingMessage, url: string): HubResponse {
  // Readers see errors through iteration; this keeps a body nobody reads (discarded, or a HEAD)
  // from turning a late socket error into an uncaught exception.
  body.on('error', () => undefined);
  return {
    status: body.statusCode ?? 0,
    url,
    body,
    header(name) {
      const value = body.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    async text(limit = 64 * 1024) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (size < limit) chunks.push(chunk);
        size += chunk.length;
      }
      return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
    },
    discard() {
      body.resume();
    },
  };
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export interface RetryPolicy {
  /** Attempts after the first, per request (for downloads: in a row without new bytes). */
  maxRetries: number;
  /** First backoff delay; doubles each attempt. */
  baseDelayMs: number;
  /** Cap on a backoff delay and on a server's Retry-After. */
  maxDelayMs: number;
}

export function retryDelay(attempt: number, policy: RetryPolicy, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Whether a failure is worth another attempt: our RetryableErrors and anything the network threw
 * (resets, refused connections, DNS). ModelLibraryErrors (4xx, verification, cancel) are final.
 */
export function isRetryable(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return false;
  if (error instanceof ModelLibraryError) return false;
  if (error instanceof RetryableError) return true;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' || (error instanceof Error && /aborted|socket hang up|terminated|closed/i.test(error.message));
}

export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error.message === 'aborted' ? 'the connection was cut mid-transfer' : error.message;
    return code && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

export interface HubContext {
  endpoint: string;
  repo: string;
  revision: string;
  hasToken: boolean;
  /** The variable whose token was not sent because it is not tied to this endpoint. */
  withheldToken?: string;
}

/**
 * The error for a response that is not a success: RetryableError for 429 and 5xx, else a
 * ModelLibraryError saying what it means for the user (gated or private repo, no such repo,
 * revision or file).
 */
export async function statusError(response: HubResponse, context: HubContext, file?: string): Promise<Error> {
  const status = response.status;
  const errorCode = response.header('x-error-code');
  let detail = response.header('x-error-message') ?? '';
  if (!detail) {
    const text = await response.text(4096).catch(() => '');
    try {
      const parsed = JSON.parse(text) as { error?: unknown };
      detail = typeof parsed.error === 'string' ? parsed.error : '';
    } catch {
      detail = text;
    }
  } else {
    response.discard();
  }
  detail = shortDetail(detail);
  const where = `${context.repo}@${context.revision} on ${context.endpoint}`;
  const what = file ? `${file} from ${where}` : where;
  if (status === 429 || status >= 500) {
    return new RetryableError(`HTTP ${status} for ${what}${detail ? `: ${detail}` : ''}`, parseRetryAfter(response.header('retry-after')));
  }
  if (errorCode === 'RevisionNotFound') return new ModelLibraryError('not-found', `no such repo or revision: ${where} (revision "${context.revision}" not found)`);
  const withheld = context.withheldToken
    ? `${context.withheldToken} was not sent: it goes only to the default hub, the HF_ENDPOINT set where Tandem started, or an origin listed for it in TANDEM_KEY_ORIGINS`
    : null;
  if (errorCode === 'RepoNotFound' || (status === 404 && !file)) {
    const maybePrivate = withheld ? ` (${withheld})` : context.hasToken ? '' : ' (if it is private, set HF_TOKEN to an access token that can read it)';
    return new ModelLibraryError('not-found', `no such repo or revision: ${where}${maybePrivate}`);
  }
  if (status === 404 || errorCode === 'EntryNotFound') return new ModelLibraryError('not-found', `${file ?? 'a file'} not found in ${where}`);
  if (status === 401 || status === 403) {
    const gated = errorCode === 'GatedRepo' ? ' is gated' : ' needs authorization';
    const advice = withheld
      ? withheld
      : context.hasToken
      ? 'the token in HF_TOKEN (or --token) was refused: check that it is valid and that its account has accepted the repo\'s terms or been granted access'
      : 'it may be gated or private: accept its terms on the hub if it is gated, then set HF_TOKEN to an access token of that account';
    return new ModelLibraryError('unauthorized', `${context.repo}${gated} (HTTP ${status}${detail ? `: ${detail}` : ''}); ${advice}`);
  }
  return new ModelLibraryError('http', `HTTP ${status} for ${what}${detail ? `: ${detail}` : ''}`);
}

/** A hub's message quoted in an error: one line, at most 200 characters. */
function shortDetail(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or has failed `policy.maxRetries + 1` times;
 * waits between attempts and reports each retry. The last retryable failure becomes a 'network'
 * or 'http' ModelLibraryError.
 */
export async function withRetries<T>(
  what: string,
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  onRetry: (attempt: number, delayMs: number, reason: string) => void,
): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (!isRetryable(error, signal)) throw error;
      const reason = describeFailure(error);
      if (failures > policy.maxRetries) {
        const code = error instanceof RetryableError && /^HTTP \d/.test(error.message) ? 'http' : 'network';
        throw new ModelLibraryError(code, `${what} failed after ${failures} attempts: ${reason}`, { cause: error });
      }
      const delayMs = retryDelay(failures, policy, error instanceof RetryableError ? error.retryAfterMs : undefined);
      onRetry(failures, delayMs, reason);
      await sleep(delayMs, signal);
    }
  }
}
