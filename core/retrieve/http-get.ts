// One HTTP GET for a retrieval server, over node:http / node:https with keep-alive agents owned
// by the client: the whole exchange (connect, headers, body) must finish within a timeout, an
// AbortSignal ends it at once, and a body past a size cap is refused rather than buffered.

import http from 'node:http';
import https from 'node:https';

export interface GetReply {
  status: number;
  /** A response header by lower-case name, or null. */
  header(name: string): string | null;
  text: string;
}

/** Why an exchange failed before a whole reply arrived. */
export type GetFailureKind = 'timeout' | 'aborted' | 'too-large' | 'network';

export class GetFailure extends Error {
  override name = 'GetFailure';
  constructor(
    readonly kind: GetFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface GetOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Largest body read, in bytes. */
  maxBytes: number;
  headers?: Record<string, string>;
}

export class HttpGetter {
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
    https: new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
  };

  /** Sends one GET and reads the whole body; rejects with a GetFailure. */
  get(url: URL, options: GetOptions): Promise<GetReply> {
    return new Promise<GetReply>((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(new GetFailure('aborted', 'the request was aborted', { cause: signal.reason }));
      const secure = url.protocol === 'https:';
      const request = (secure ? https : http).request(url, {
        method: 'GET',
        agent: secure ? this.agents.https : this.agents.http,
        headers: { accept: 'application/json', ...options.headers },
      });
      const chunks: Buffer[] = [];
      let bytes = 0;
      let settled = false;
      const finish = (error: GetFailure | null, reply?: GetReply) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(reply!);
      };
      const timer = setTimeout(() => finish(new GetFailure('timeout', `no complete answer within ${options.timeoutMs} ms`)), options.timeoutMs);
      const onAbort = () => finish(new GetFailure('aborted', 'the request was aborted', { cause: signal?.reason }));
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => finish(new GetFailure('network', describeNetworkError(error), { cause: error })));
      request.on('response', (response) => {
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > options.maxBytes) finish(new GetFailure('too-large', `the answer is larger than ${options.maxBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('error', (error) => finish(new GetFailure('network', describeNetworkError(error), { cause: error })));
        response.on('close', () => {
          if (!response.complete) finish(new GetFailure('network', 'the server closed the connection mid-answer'));
        });
        response.on('end', () => {
          const headers = response.headers;
          finish(null, {
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            header: (name) => {
              const value = headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
            },
          });
        });
      });
      request.end();
    });
  }

  /** Closes the idle keep-alive connections. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

/** A network error as its code and, when it adds something, its message (no headers, no bodies). */
function describeNetworkError(error: unknown): string {
  const { code, message, errors } = (error ?? {}) as { code?: unknown; message?: unknown; errors?: unknown };
  // Connecting to a name with several addresses fails with an AggregateError, one per address.
  if (typeof code !== 'string' && Array.isArray(errors) && errors.length > 0) return describeNetworkError(errors[0]);
  if (typeof code === 'string') {
    const detail = typeof message === 'string' && message && !message.includes(code) ? ` (${message})` : '';
    return `${code}${detail}`;
  }
  return error instanceof Error ? error.message : String(error);
}
