// How the OpenAI-compatible provider sends one POST: a narrow transport so the default can use
// node:http with a keep-alive agent (several times cheaper per request than Node 20's global
// fetch, which matters at high concurrency against a local server) while callers and tests can
// still inject any fetch.

import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

export interface HttpReply {
  status: number;
  /** A response header by lower-case name, or null. */
  header(name: string): string | null;
  text: string;
}

export interface HttpPost {
  headers: Record<string, string>;
  body: string;
  /** The whole exchange, body included, must finish within this; else a TimeoutError. */
  timeoutMs: number;
  /** Aborts the exchange with an AbortError. */
  signal?: AbortSignal;
}

/** Sends one POST and reads the whole body; rejects on network errors, timeouts and aborts. */
export type HttpTransport = (url: string, post: HttpPost) => Promise<HttpReply>;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** A transport over a fetch function (the global one or an injected fake). */
export function fetchTransport(fetchFn: FetchLike): HttpTransport {
  return async (url, { headers, body, timeoutMs, signal }) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await fetchFn(url, { method: 'POST', headers, body, signal: controller.signal });
      const text = await response.text();
      return { status: response.status, header: (name) => response.headers.get(name), text };
    } catch (error) {
      if (timedOut && !signal?.aborted) throw timeoutError(timeoutMs, error);
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };
}

/** A transport over node:http / node:https with keep-alive agents owned by this transport. */
export function nodeHttpTransport(): HttpTransport {
  const agents = {
    http: new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
    https: new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
  };
  // Per URL, the request options node:http would derive from it on every call (protocol, host,
  // port, path, auth), computed once.
  const targets = new Map<string, Target>();
  return (url, post) =>
    new Promise<HttpReply>((resolve, reject) => {
      if (post.signal?.aborted) return reject(abortError(post.signal));
      let target = targets.get(url);
      if (!target) {
        const parsed = new URL(url);
        const secure = parsed.protocol === 'https:';
        const options: http.RequestOptions = Object.assign({}, urlToHttpOptions(parsed));
        options.method = 'POST';
        options.agent = secure ? agents.https : agents.http;
        target = { transport: secure ? https : http, options };
        targets.set(url, target);
      }
      new Exchange(target, post, resolve, reject);
    });
}

interface Target {
  transport: typeof http | typeof https;
  /** Everything but the headers, which differ per request (content-length). */
  options: http.RequestOptions;
}

/**
 * One POST over node:http. A class rather than a nest of closures: this runs for every LM call,
 * thousands per second against a local server, so per-call allocations matter.
 */
class Exchange {
  private settled = false;
  private readonly chunks: Buffer[] = [];
  private readonly request: http.ClientRequest;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    target: Target,
    private readonly post: HttpPost,
    private readonly resolve: (reply: HttpReply) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    // Object.assign rather than `{ ...a, b }`: V8 (Node 20) is very slow to add properties to an
    // object literal that starts with a spread (microseconds per call).
    const headers: Record<string, string> = Object.assign({}, post.headers);
    headers['content-length'] = String(Buffer.byteLength(post.body));
    const options: http.RequestOptions = Object.assign({}, target.options);
    options.headers = headers;
    this.request = target.transport.request(options);
    this.timer = setTimeout(this.onTimeout.bind(this), post.timeoutMs);
    if (post.signal) {
      this.onAbort = this.abort.bind(this);
      post.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    this.request.on('error', this.fail.bind(this));
    this.request.on('response', this.onResponse.bind(this));
    this.request.end(post.body);
  }

  private onResponse(response: http.IncomingMessage): void {
    response.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    response.on('error', this.fail.bind(this));
    response.on('close', () => {
      if (!response.complete) this.fail(Object.assign(new Error('the server closed the connection mid-response'), { code: 'ECONNRESET' }));
    });
    response.on('end', () => {
      if (!this.settle()) return;
      const chunks = this.chunks;
      // A small answer arrives in one chunk: decode it without concatenating first.
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      this.resolve(new NodeReply(response, text));
    });
  }

  private onTimeout(): void {
    this.fail(timeoutError(this.post.timeoutMs));
    this.request.destroy();
  }

  private abort(): void {
    this.fail(abortError(this.post.signal));
    this.request.destroy();
  }

  private fail(error: unknown): void {
    if (this.settle()) this.reject(error);
  }

  /** True the first time: the exchange is over, stop listening. */
  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    if (this.onAbort) this.post.signal?.removeEventListener('abort', this.onAbort);
    return true;
  }
}

class NodeReply implements HttpReply {
  readonly status: number;
  readonly text: string;
  private readonly headers: http.IncomingHttpHeaders;

  constructor(response: http.IncomingMessage, text: string) {
    this.status = response.statusCode ?? 0;
    this.headers = response.headers;
    this.text = text;
  }

  header(name: string): string | null {
    const value = this.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const error = new Error('the request was aborted', { cause: signal?.reason });
  error.name = 'AbortError';
  return error;
}

function timeoutError(timeoutMs: number, cause?: unknown): Error {
  const error = new Error(`no complete answer within ${timeoutMs} ms`, { cause });
  error.name = 'TimeoutError';
  return error;
}
