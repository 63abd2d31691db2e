// Web mode over real HTTP on 127.0.0.1 with a real SQLite workspace: the token (Bearer header
// only, never in the URL), one-time links exchanged for an HttpOnly session cookie and the checks
// on cookie requests, method calls and their error statuses, body limits, the event
// stream and its release on disconnect, static files with the SPA fallback and no way out of the
// folder, the security headers, the Host check, and `tandem serve` itself.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../core/api/index.ts';
import { registerServeCommand } from '../../core/cli/commands/serve.ts';
import { CONTENT_SECURITY_POLICY, startWebServer, type WebServer } from '../../core/web/index.ts';
import { openStore } from '../../core/store/index.ts';
import { startStubServer } from '../fixtures/stub-server-process.ts';
import { TANDEM_BIN } from '../helpers/cli.ts';
import { openWorkspace, type Workspace } from '../unit/api/helpers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lm = { provider: 'openai', model: 'stub-model', baseUrl: 'http://127.0.0.1:9/v1' } as const;

let ws: Workspace;
let dir: string;
let staticDir: string;
let server: WebServer;
/** API subscriptions open now (the API itself does not expose its listener count). */
let subscriptions = 0;

function countingApi(api: Api): Api {
  return {
    ...api,
    subscribe: (listener) => {
      subscriptions++;
      const off = api.subscribe(listener);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        subscriptions--;
        off();
      };
    },
  };
}

beforeAll(async () => {
  ws = openWorkspace();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-web-'));
  staticDir = path.join(dir, 'dist');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Tandem</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(path.join(staticDir, 'assets', 'style.css'), 'body{}');
  writeFileSync(path.join(staticDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dir, 'secret.txt'), 'SECRET-OUTSIDE-THE-STATIC-FOLDER');
  server = await startWebServer({ api: countingApi(ws.api), port: 0, staticDir, heartbeatMs: 100 });
});

afterAll(async () => {
  await server?.close();
  await ws?.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = () => ({ Authorization: `Bearer ${server.token}` });

async function call(method: string, body: unknown, headers: Record<string, string> = auth()): Promise<{ status: number; json: unknown; headers: Headers }> {
  const response = await fetch(`${server.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request sent exactly as written (fetch would normalize `..` away and forbids setting Host). */
function raw(target: string, options: { method?: string; headers?: Record<string, string>; port?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: options.port ?? server.port, method: options.method ?? 'GET', path: target, headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('startWebServer', () => {
  it('listens on 127.0.0.1 with a random 32-byte token, and a link that carries a one-time code instead', () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    expect(server.url).toMatch(new RegExp(`^${server.origin}/\\?code=[A-Za-z0-9_-]{43}$`));
    expect(server.url).not.toContain(server.token);
    const again = server.newLink();
    expect(again).not.toBe(server.url);
    expect(again).not.toContain(server.token);
  });

  it('refuses other hosts, a port in use and weak tokens with clear errors', async () => {
    await expect(startWebServer({ api: ws.api, host: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.1 only.*"0\.0\.0\.0"/);
    await expect(startWebServer({ api: ws.api, host: 'localhost' })).rejects.toThrow(/127\.0\.0\.1 only/);
    await expect(startWebServer({ api: ws.api, port: server.port })).rejects.toThrow(new RegExp(`port ${server.port} on 127\\.0\\.0\\.1 is already in use`));
    await expect(startWebServer({ api: ws.api, token: 'short' })).rejects.toThrow(/at least 16/);
    await expect(startWebServer({ api: ws.api, port: 70000 })).rejects.toThrow(/0\.\.65535/);
  });
});

describe('the access token', () => {
  it('answers 401 to /api/ requests without it or with a wrong one', async () => {
    const health = (headers: Record<string, string> = {}) => fetch(`${server.origin}/api/health`, { headers });
    const wrong = `${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`;
    for (const response of [
      await health(),
      await health({ Authorization: `Bearer ${wrong}` }),
      await health({ Authorization: `Basic ${server.token}` }),
      await fetch(`${server.origin}/api/events`),
    ]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/token|link/) });
    }
    const noToken = await call('listTasks', {}, {});
    expect(noToken.status).toBe(401);
    expect(noToken.json).toMatchObject({ code: 'unauthorized' });
    expect((await call('listTasks', {}, { Authorization: `Bearer ${wrong}` })).status).toBe(401);
    // Unknown /api/ paths and methods are not revealed without the token either.
    expect((await fetch(`${server.origin}/api/nothing`)).status).toBe(401);
  });

  it('accepts the right token in the Authorization header', async () => {
    const viaHeader = await fetch(`${server.origin}/api/health`, { headers: auth() });
    expect(viaHeader.status).toBe(200);
    expect(await viaHeader.json()).toEqual({ ok: true, version: JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version });
    expect(viaHeader.headers.get('cache-control')).toBe('no-store');
  });
});

/** POST /api/session with the code, from our origin unless told otherwise; the Set-Cookie header comes back. */
function exchange(code: string, options: { origin?: string | null; port?: number; body?: string } = {}): Promise<RawResponse & { cookie: string | null }> {
  const port = options.port ?? server.port;
  const origin = options.origin === undefined ? `http://127.0.0.1:${port}` : options.origin;
  const body = options.body ?? JSON.stringify({ code });
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
    if (origin !== null) headers.Origin = origin;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/session', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        const set = res.headers['set-cookie'];
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, cookie: set?.[0] ?? null });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const codeOf = (link: string): string => new URL(link).searchParams.get('code')!;
/** `name=value` of a Set-Cookie header, as a browser sends it back. */
const cookiePair = (setCookie: string): string => setCookie.split(';')[0]!;

describe('the web-mode token does not leak', () => {
  it('refuses the token in the query string on every /api/ path, the event stream included', async () => {
    for (const target of ['/api/health', '/api/events', '/api/nothing', '/api/call/listTasks']) {
      for (const method of ['GET', 'POST']) {
        const response = await raw(`${target}?token=${server.token}`, { method });
        expect(response.status, `${method} ${target}`).toBe(401);
        expect(JSON.parse(response.body), `${method} ${target}`).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('not accepted in the URL') });
        expect(response.body).not.toContain(server.token);
      }
    }
    // Not even together with the right header: a URL holding the token is refused outright.
    expect((await raw(`/api/health?token=${server.token}`, { headers: auth() })).status).toBe(401);
    expect(server.eventStreams()).toBe(0);
  });

  it('exchanges a one-time code once and only once, for an HttpOnly SameSite=Strict session cookie', async () => {
    const code = codeOf(server.newLink());
    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ ok: true });
    expect(first.headers['cache-control']).toBe('no-store');
    const cookie = first.cookie!;
    expect(cookie).toMatch(new RegExp(`^tandem-session-${server.port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/api$`));
    expect(cookie).not.toContain(server.token);
    expect(cookie).not.toContain(code);

    const again = await exchange(code);
    expect(again.status).toBe(401);
    expect(again.cookie).toBeNull();
    expect(JSON.parse(again.body)).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('expired or was already used') });
    for (const bad of ['not-a-code-at-all-0123456789', server.token]) expect((await exchange(bad)).status, bad).toBe(401);

    // The cookie opens the API to the page: calls (with our Origin) and the event stream.
    const withCookie = { Cookie: cookiePair(cookie), Origin: server.origin };
    expect((await call('listTasks', {}, withCookie)).status).toBe(200);
    expect((await raw('/api/health', { headers: { Cookie: cookiePair(cookie) } })).status).toBe(200);
    const events = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { Cookie: cookiePair(cookie), 'Sec-Fetch-Site': 'same-origin' }, agent: false }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
    });
    expect(events).toBe(200);
    // A made-up session is nobody's.
    expect((await raw('/api/health', { headers: { Cookie: `tandem-session-${server.port}=${'A'.repeat(43)}` } })).status).toBe(401);
  });

  it('refuses an expired code', async () => {
    const shortLived = await startWebServer({ api: ws.api, port: 0, linkTtlMs: -1 });
    try {
      const response = await exchange(codeOf(shortLived.url), { port: shortLived.port });
      expect(response.status).toBe(401);
      expect(response.cookie).toBeNull();
      expect(JSON.parse(response.body)).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('expired or was already used') });
    } finally {
      await shortLived.close();
    }
  });

  it('exchanges codes only for its own pages: Origin present and ours, JSON body', async () => {
    expect((await exchange(codeOf(server.newLink()), { origin: null })).status).toBe(403);
    expect((await exchange(codeOf(server.newLink()), { origin: 'http://evil.example' })).status).toBe(403);
    expect((await exchange(codeOf(server.newLink()), { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await exchange('', { body: '{"code": 12}' })).status).toBe(400);
    expect((await exchange('', { body: '{"code":' })).status).toBe(400);
    // A refused exchange does not spend the code.
    const code = codeOf(server.newLink());
    expect((await exchange(code, { origin: null })).status).toBe(403);
    expect((await exchange(code)).status).toBe(200);
  });

  it('refuses cross-origin requests that carry the session cookie', async () => {
    const { cookie } = await exchange(codeOf(server.newLink()));
    const jar = cookiePair(cookie!);
    // Another site, or another port of 127.0.0.1 (cookies do not isolate ports): refused.
    for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, 'null']) {
      expect((await call('listTasks', {}, { Cookie: jar, Origin: origin })).status, origin).toBe(403);
      expect((await raw('/api/health', { headers: { Cookie: jar, Origin: origin } })).status, origin).toBe(403);
    }
    // A POST that shows no Origin is not taken on the cookie's word.
    expect((await call('listTasks', {}, { Cookie: jar })).status).toBe(403);
    // Fetch metadata: a same-site or cross-site request (e.g. <script src> from another port) is refused, even a GET.
    for (const site of ['same-site', 'cross-site']) {
      expect((await raw('/api/health', { headers: { Cookie: jar, 'Sec-Fetch-Site': site } })).status, site).toBe(403);
      expect((await raw('/api/events', { headers: { Cookie: jar, 'Sec-Fetch-Site': site } })).status, site).toBe(403);
    }
    expect((await raw('/api/health', { headers: { Cookie: jar, 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(200);
    // Another server's cookie (another port) is not a session here.
    const other = await startWebServer({ api: ws.api, port: 0 });
    try {
      const theirs = await exchange(codeOf(other.url), { port: other.port });
      expect((await raw('/api/health', { headers: { Cookie: cookiePair(theirs.cookie!).replace(`-${other.port}=`, `-${server.port}=`) } })).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('POST /api/call/<method>', () => {
  it('round-trips calls: listTasks, createExperiment, listExperiments', async () => {
    const tasks = await call('listTasks', {});
    expect(tasks.status).toBe(200);
    expect(tasks.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((tasks.json as Array<{ name: string }>).map((t) => t.name)).toEqual(['gsm8k', 'hotpotqa', 'iris']);
    // No body at all is the empty input.
    expect((await call('listTasks', undefined)).json).toEqual(tasks.json);

    const created = await call('createExperiment', { task: 'iris', strategies: 'p', lm, name: 'web <b>one</b>' });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ name: 'web <b>one</b>', task: 'iris', strategies: ['p'] });
    const { id } = created.json as { id: number };
    const list = await call('listExperiments', {});
    expect(list.status).toBe(200);
    expect((list.json as Array<{ id: number }>).map((e) => e.id)).toContain(id);
    expect(await call('getExperiment', { experimentId: id })).toMatchObject({ status: 200, json: { id, name: 'web <b>one</b>' } });
  });

  it('answers API errors with their status and JSON', async () => {
    const invalid = await call('createExperiment', { task: 'iris', seeds: 0, lm });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('seeds'), issues: [{ path: 'seeds' }] });
    const extra = await call('listTasks', { nope: 1 });
    expect(extra).toMatchObject({ status: 400, json: { code: 'invalid-input' } });
    expect(await call('getExperiment', { experimentId: 999_999 })).toMatchObject({ status: 404, json: { code: 'not-found' } });
    expect(await call('getRun', { runId: 999_999 })).toMatchObject({ status: 404, json: { code: 'not-found' } });
  });

  it('answers 404 to an unknown method, 405 to other HTTP methods, 400 to bad JSON, 415 to non-JSON', async () => {
    expect(await call('dropAllTables', {})).toMatchObject({ status: 404, json: { code: 'not-found', message: expect.stringContaining('dropAllTables') } });
    expect(await call('__proto__', {})).toMatchObject({ status: 404 });
    expect(await call('toString', {})).toMatchObject({ status: 404 });
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(`${server.origin}/api/call/listTasks`, { method, headers: auth() });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ code: 'method-not-allowed' });
    }
    const bad = await fetch(`${server.origin}/api/call/listTasks`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/not valid JSON/) });
    const text = await fetch(`${server.origin}/api/call/listTasks`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'unsupported-media-type' });
    const unknownPath = await fetch(`${server.origin}/api/nothing`, { headers: auth() });
    expect(unknownPath.status).toBe(404);
  });

  it('answers 413 to a body over 1 MB, and keeps serving', async () => {
    const big = await call('createExperiment', { task: 'iris', name: 'x'.repeat(1_100_000) });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ code: 'payload-too-large' });
    expect((await call('listTasks', {})).status).toBe(200);
  });
});

interface SseClient {
  events: Array<{ event: string; data: unknown }>;
  text: () => string;
  close: () => void;
  status: Promise<number>;
  headers: Promise<http.IncomingHttpHeaders>;
}

function openEvents(): SseClient {
  let text = '';
  const events: SseClient['events'] = [];
  let setStatus: (n: number) => void = () => {};
  let setHeaders: (h: http.IncomingHttpHeaders) => void = () => {};
  const status = new Promise<number>((r) => (setStatus = r));
  const headers = new Promise<http.IncomingHttpHeaders>((r) => (setHeaders = r));
  const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: auth(), agent: false }, (res) => {
    setStatus(res.statusCode ?? 0);
    setHeaders(res.headers);
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (chunk: string) => {
      text += chunk;
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    });
    res.on('error', () => {});
  });
  req.on('error', () => {});
  return { events, text: () => text, close: () => req.destroy(), status, headers };
}

describe('GET /api/events', () => {
  it('streams API events, heartbeats and a retry hint, and releases the subscription on disconnect', async () => {
    const before = subscriptions;
    const client = openEvents();
    expect(await client.status).toBe(200);
    const headers = await client.headers;
    expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    await until(() => server.eventStreams() === 1 && subscriptions === before + 1);
    await until(() => client.text().includes('retry: '));

    const created = await call('createExperiment', { task: 'iris', strategies: 'p', lm });
    expect(created.status).toBe(200);
    const { id } = created.json as { id: number };
    await until(() => client.events.some((e) => e.event === 'experiment-created'));
    expect(client.events).toContainEqual({ event: 'experiment-created', data: { type: 'experiment-created', experimentId: id } });
    await call('deleteExperiment', { experimentId: id });
    await until(() => client.events.some((e) => e.event === 'experiment-deleted'));
    await until(() => client.text().includes(': heartbeat'));

    client.close();
    await until(() => server.eventStreams() === 0 && subscriptions === before);
  });

  it('answers 405 to other HTTP methods', async () => {
    const response = await fetch(`${server.origin}/api/events`, { method: 'POST', headers: auth() });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('ends open streams and their subscriptions when the server closes', async () => {
    const before = subscriptions;
    const other = await startWebServer({ api: countingApi(ws.api), port: 0 });
    const req = http.get({ host: '127.0.0.1', port: other.port, path: '/api/events', headers: { Authorization: `Bearer ${other.token}` }, agent: false });
    const ended = new Promise<void>((resolve) => req.on('response', (res) => {
      res.resume();
      res.on('close', resolve);
    }));
    req.on('error', () => {});
    await until(() => other.eventStreams() === 1 && subscriptions === before + 1);
    await other.close();
    await ended;
    expect(other.eventStreams()).toBe(0);
    expect(subscriptions).toBe(before);
    await expect(fetch(`${other.origin}/api/health`)).rejects.toThrow();
  });
});

describe('static files', () => {
  it('serves the renderer with content types, caching and the security headers', async () => {
    const index = await raw('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>Tandem</title>');
    expect(index.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    // The page a link opens (the code is the renderer's to exchange) needs no credentials itself.
    expect((await raw(`/?code=${codeOf(server.newLink())}`)).body).toBe(index.body);

    const js = await raw('/assets/app.js');
    expect(js).toMatchObject({ status: 200, body: 'console.log("app");' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await raw('/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await raw('/favicon.svg')).headers['content-type']).toBe('image/svg+xml');
    const head = await raw('/assets/app.js', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe(String('console.log("app");'.length));
  });

  it('answers index.html for the renderer\'s routes and 404 for missing files', async () => {
    for (const route of ['/experiments', '/runs/12/traces', '/assets', '/assets/']) {
      const response = await raw(route);
      expect(response.status, route).toBe(200);
      expect(response.body).toContain('<title>Tandem</title>');
    }
    expect((await raw('/assets/missing.js')).status).toBe(404);
    expect((await raw('/', { method: 'POST' })).status).toBe(405);
  });

  it('refuses to leave the static folder', async () => {
    for (const target of [
      '/../package.json',
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2E%2E/package.json',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5c%2e%2e%5cpackage.json',
      '/index.html%00.js',
      '/%E0%A4%A',
    ]) {
      const response = await raw(target);
      expect(response.status, target).toBe(400);
      expect(response.body).not.toContain('SECRET');
      expect(response.body).not.toContain('"name": "tandem"');
      expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    }
    // What a browser sends for /../secret.txt (the URL parser removes the dots) is an ordinary miss.
    expect((await fetch(`${server.origin}/../secret.txt`)).status).toBe(404);
  });

  it('says how to build the renderer when it is not built', async () => {
    const bare = await startWebServer({ api: ws.api, port: 0, staticDir: path.join(dir, 'no-such-dist') });
    try {
      const page = await fetch(`${bare.origin}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.text()).toMatch(/not built yet[\s\S]*npm run build/);
      expect((await fetch(`${bare.origin}/api/health`, { headers: { Authorization: `Bearer ${bare.token}` } })).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('DNS rebinding and other origins', () => {
  it('refuses a Host header that is not 127.0.0.1:<port> or localhost:<port>', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`, `0.0.0.0:${server.port}`]) {
      for (const target of ['/', '/api/health']) {
        const response = await raw(target, { headers: { Host: host, ...auth() } });
        expect(response.status, `${host} ${target}`).toBe(403);
        expect(response.body).not.toContain('Tandem</title>');
        expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      }
    }
    const json = await raw('/api/health', { headers: { Host: 'evil.example', ...auth() } });
    expect(JSON.parse(json.body)).toMatchObject({ code: 'forbidden' });
    expect((await raw('/api/health', { headers: { Host: `localhost:${server.port}`, ...auth() } })).status).toBe(200);
    expect((await raw('/api/health', { headers: { Host: `LOCALHOST:${server.port}`, ...auth() } })).status).toBe(200);
  });

  it('refuses /api/ requests from another origin, even with the token', async () => {
    const foreign = await raw('/api/health', { headers: { Origin: 'http://evil.example', ...auth() } });
    expect(foreign.status).toBe(403);
    expect((await raw('/api/health', { headers: { Origin: 'null', ...auth() } })).status).toBe(403);
    expect((await raw('/api/health', { headers: { Origin: server.origin, ...auth() } })).status).toBe(200);
  });
});

describe('tandem serve', () => {
  it('serves the workspace in-process (registerServeCommand) and stops cleanly', async () => {
    const db = path.join(dir, 'serve-in-process', 'tandem.db');
    let out = '';
    let err = '';
    let stop: (reason: string) => void = () => {};
    let askForLink: () => void = () => {};
    let stoppedListening = false;
    const opened: string[] = [];
    const token = 'a-token-the-script-chose-0123456789';
    const program = new Command('tandem').exitOverride();
    registerServeCommand(program, {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      env: { TANDEM_WEB_TOKEN: token },
      waitForStop: () => new Promise((resolve) => (stop = resolve)),
      openBrowser: (url) => opened.push(url),
      onNewLinkRequest: (listener) => {
        askForLink = listener;
        return () => (stoppedListening = true);
      },
      staticDir,
    });
    const done = program.parseAsync(['serve', '--port', '0', '--db', db], { from: 'user' });
    await until(() => out.includes('\n'));
    const match = /^Tandem web mode: (http:\/\/127\.0\.0\.1:(\d+)\/\?code=([A-Za-z0-9_-]{43}))\n$/.exec(out);
    expect(match, out).not.toBeNull();
    const [, url, port] = match!;
    // The browser is opened on a link of its own; neither carries the token.
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?code=[A-Za-z0-9_-]{43}$`));
    expect(opened[0]).not.toBe(url);
    expect(`${out}${err}${opened[0]}`).not.toContain(token);
    expect(err).toMatch(/serving .*tandem\.db; the link works once, for 5 minutes: press Enter for a new one, Ctrl-C to stop/);
    // Enter prints a fresh link.
    askForLink();
    const links = out.trim().split('\n');
    expect(links).toHaveLength(2);
    expect(links[1]).toMatch(/^Tandem web mode: http:\/\/127\.0\.0\.1:\d+\/\?code=[A-Za-z0-9_-]{43}$/);
    expect(links[1]).not.toBe(links[0]);
    const origin = new URL(url!).origin;
    // TANDEM_WEB_TOKEN is the Bearer token for programs.
    const created = await fetch(`${origin}/api/call/createExperiment`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ task: 'iris', strategies: 'p', lm }),
    });
    expect(created.status).toBe(200);
    expect((await fetch(url!)).status).toBe(200);
    // The printed link's code is good for one session.
    expect((await exchange(codeOf(url!), { port: Number(port) })).status).toBe(200);
    expect((await exchange(codeOf(url!), { port: Number(port) })).status).toBe(401);
    stop('SIGTERM');
    await done;
    expect(err).toContain('stopping (SIGTERM)');
    await expect(fetch(`${origin}/api/health`)).rejects.toThrow();
    expect(stoppedListening).toBe(true);
  });

  it('refuses a weak TANDEM_WEB_TOKEN in one line', async () => {
    const program = new Command('tandem').exitOverride();
    registerServeCommand(program, { stdout: () => {}, stderr: () => {}, env: { TANDEM_WEB_TOKEN: 'short' }, waitForStop: () => new Promise(() => {}), openBrowser: () => {} });
    await expect(program.parseAsync(['serve', '--db', path.join(dir, 'weak.db')], { from: 'user' })).rejects.toMatchObject({
      name: 'UsageError',
      message: 'TANDEM_WEB_TOKEN: the access token must have at least 16 characters',
    });
  });

  it('cancels an active run cleanly when stopped', async () => {
    const stub = await startStubServer({ latencyMs: 20 });
    const db = path.join(dir, 'serve-run', 'tandem.db');
    let out = '';
    let err = '';
    let stop: (reason: string) => void = () => {};
    const program = new Command('tandem').exitOverride();
    registerServeCommand(program, {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      env: {},
      waitForStop: () => new Promise((resolve) => (stop = resolve)),
      openBrowser: () => {},
      staticDir,
    });
    const done = program.parseAsync(['serve', '--db', db], { from: 'user' });
    try {
      await until(() => out.includes('\n'));
      const url = new URL(/(http:\S+)/.exec(out)![1]!);
      // As the page does: the printed link's code for the session cookie, then cookie requests.
      const session = await exchange(url.searchParams.get('code')!, { port: Number(url.port) });
      expect(session.status).toBe(200);
      const jar = cookiePair(session.cookie!);
      const post = async (method: string, body: unknown) => {
        const response = await fetch(`${url.origin}/api/call/${method}`, {
          method: 'POST',
          headers: { Cookie: jar, Origin: url.origin, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(response.status, method).toBe(200);
        return response.json() as Promise<Record<string, unknown>>;
      };
      // Events as EventSource asks for them: the cookie, no header.
      let text = '';
      const events = http.get({ host: '127.0.0.1', port: Number(url.port), path: '/api/events', headers: { Cookie: jar }, agent: false }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('error', () => {});
      });
      events.on('error', () => {});
      const streamEnded = new Promise<void>((resolve) => events.on('close', resolve));
      const experiment = await post('createExperiment', { task: 'iris', strategies: 'p', lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl } });
      const { runId } = (await post('startRun', { experimentId: experiment.id })) as { runId: number };
      await until(() => text.includes('event: run-event') && text.includes('"status":"running"'), 30_000);

      stop('SIGINT');
      await done;
      expect(err).toContain(`stopping (SIGINT): cancelling run ${runId}`);
      await streamEnded;
      const store = openStore(db);
      try {
        expect(store.runs.get(runId)?.status).toBe('cancelled');
      } finally {
        store.close();
      }
    } finally {
      stop('cleanup');
      await done.catch(() => {});
      await stub.stop();
    }
  });

  it('turns a bad --port into a usage error', async () => {
    const program = new Command('tandem').exitOverride().configureOutput({ writeErr: () => {} });
    registerServeCommand(program, { stdout: () => {}, stderr: () => {}, env: {}, waitForStop: () => new Promise(() => {}), openBrowser: () => {} });
    await expect(program.parseAsync(['serve', '--port', '99999'], { from: 'user' })).rejects.toThrow(/--port must be an integer in 0\.\.65535/);
  });

  it('reports a port in use as a one-line usage error', async () => {
    const program = new Command('tandem').exitOverride();
    registerServeCommand(program, { stdout: () => {}, stderr: () => {}, env: {}, waitForStop: () => new Promise(() => {}), openBrowser: () => {} });
    await expect(program.parseAsync(['serve', '--port', String(server.port), '--db', path.join(dir, 'busy.db')], { from: 'user' })).rejects.toMatchObject({
      name: 'UsageError',
      message: expect.stringContaining(`port ${server.port} on 127.0.0.1 is already in use`),
    });
  });

  // Runs once core/cli/main.ts registers the command (registerServeCommand(program)).
  const registered = readFileSync(path.join(ROOT, 'core', 'cli', 'main.ts'), 'utf8').includes('registerServeCommand(program)');
  it.skipIf(!registered)('runs as the real CLI process: prints the URL, serves, and exits 0 on SIGTERM', async () => {
    const db = path.join(dir, 'serve-cli', 'tandem.db');
    const env = { ...process.env };
    for (const key of ['TANDEM_BASE_URL', 'TANDEM_MODEL', 'OPENAI_BASE_URL', 'OPENAI_API_KEY', 'TANDEM_DB', 'TANDEM_MODELS', 'DISPLAY', 'WAYLAND_DISPLAY']) delete env[key];
    const token = 'cli-process-token-0123456789abcdef';
    env.TANDEM_WEB_TOKEN = token;
    const child: ChildProcess = spawn(process.execPath, [TANDEM_BIN, 'serve', '--port', '0', '--db', db, '--no-open'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await until(() => out.includes('\n') || child.exitCode !== null, 30_000);
      const match = /^Tandem web mode: (http:\/\/127\.0\.0\.1:\d+\/\?code=([A-Za-z0-9_-]{43}))\n$/.exec(out);
      expect(match, `${out}\n${err}`).not.toBeNull();
      expect(`${out}${err}`).not.toContain(token);
      const url = new URL(match![1]!);
      const health = await fetch(`${url.origin}/api/health`, { headers: { Authorization: `Bearer ${token}` } });
      expect(await health.json()).toMatchObject({ ok: true });
      const session = await exchange(match![2]!, { port: Number(url.port) });
      expect(session.status).toBe(200);
      expect((await raw('/api/health', { port: Number(url.port), headers: { Cookie: cookiePair(session.cookie!) } })).status).toBe(200);
      expect((await fetch(`${url.origin}/api/health`)).status).toBe(401);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(err).toContain('stopping (SIGTERM)');
      expect(out.trim().split('\n')).toHaveLength(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
