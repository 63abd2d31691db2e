// #18, finding 5: web mode's server is bounded. A client holding a request body open is answered
// 408 and disconnected after the body timeout (the server's requestTimeout is 0 so event streams
// can stay open); connections beyond the cap are closed as they arrive. Real sockets on loopback.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../core/web/index.ts';
import { openWorkspace, type Workspace } from '../unit/api/helpers.ts';

let ws: Workspace;
let server: WebServer;

beforeAll(async () => {
  ws = openWorkspace();
  server = await startWebServer({ api: ws.api, port: 0, bodyTimeoutMs: 300, maxConnections: 2 });
});

afterAll(async () => {
  await server?.close();
  await ws?.close();
});

/** Opens a raw connection, writes `text`, and collects what comes back until the server closes it (or `waitMs` passes). */
function exchange(text: string, waitMs: number): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let data = '';
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ data, closed });
    }, waitMs);
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ data, closed });
    });
    socket.on('error', () => {});
    socket.write(text);
  });
}

describe('web mode stays bounded', () => {
  it('answers a request body that never finishes with 408 and closes the connection', async () => {
    const head = [
      'POST /api/call/listExperiments HTTP/1.1',
      `Host: 127.0.0.1:${server.port}`,
      `Authorization: Bearer ${server.token}`,
      'Content-Type: application/json',
      'Content-Length: 100',
      '',
      '{"a":',
    ].join('\r\n');
    const { data, closed } = await exchange(head, 5_000);
    expect(data).toMatch(/^HTTP\/1\.1 408 /);
    expect(data).toMatch(/did not arrive within 300 ms/);
    expect(closed).toBe(true);
  });

  it('answers 413 at once to a body announced far over the limit, instead of cutting the connection', async () => {
    const head = [
      'POST /api/call/listExperiments HTTP/1.1',
      `Host: 127.0.0.1:${server.port}`,
      `Authorization: Bearer ${server.token}`,
      'Content-Type: application/json',
      `Content-Length: ${1024 * 1024 * 1024}`,
      '',
      '{"a":',
    ].join('\r\n');
    const { data, closed } = await exchange(head, 5_000);
    expect(data).toMatch(/^HTTP\/1\.1 413 /);
    expect(data).toMatch(/payload-too-large/);
    expect(closed).toBe(true);
  });

  it('closes connections beyond the cap as they arrive', async () => {
    const idle = [net.connect(server.port, '127.0.0.1'), net.connect(server.port, '127.0.0.1')];
    await Promise.all(idle.map((s) => new Promise((resolve) => s.once('connect', resolve))));
    try {
      // Give the server a moment to count them, then a third is refused.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const third = await exchange(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`, 3_000);
      expect(third.closed).toBe(true);
      expect(third.data).toBe('');
    } finally {
      for (const s of idle) s.destroy();
    }
  });
});
