// GET /api/events: every ApiEvent as a Server-Sent Event (`event: <type>`, `data: <json>`), a
// `retry:` hint for EventSource's reconnects, and a comment line as heartbeat (proxies and
// browsers keep the stream open; a dead peer is noticed). The API subscription lives exactly as
// long as the response: a client that disconnects, or a server that closes, releases it. A client
// too slow to keep up (megabytes buffered) is dropped; EventSource reconnects and the front end
// reloads what it shows. Events have no ids: nothing is replayed after a reconnect.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Api } from '../api/index.ts';
import type { ApiEvent } from '../contract/events.ts';

export interface EventStreamOptions {
  heartbeatMs: number;
  retryMs: number;
  /** Bytes buffered for one client before it is dropped. */
  maxBufferedBytes: number;
}

export function formatEvent(event: ApiEvent): string {
  // JSON.stringify escapes line breaks, so the data is one line.
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Opens the stream; returns the function that ends it (called on disconnect too; idempotent). */
export function openEventStream(api: Api, req: IncomingMessage, res: ServerResponse, options: EventStreamOptions, onEnd: () => void): () => void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  req.socket.setNoDelay(true);
  req.socket.setKeepAlive(true);

  let ended = false;
  const write = (chunk: string): void => {
    if (ended) return;
    if (res.writableLength > options.maxBufferedBytes) {
      end();
      return;
    }
    res.write(chunk);
  };
  const unsubscribe = api.subscribe((event) => write(formatEvent(event)));
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs);
  heartbeat.unref();

  function end(): void {
    if (ended) return;
    ended = true;
    unsubscribe();
    clearInterval(heartbeat);
    if (!res.writableEnded) res.end();
    onEnd();
  }

  res.on('close', end);
  res.on('error', end);
  write(`retry: ${options.retryMs}\n: connected\n\n`);
  return end;
}
