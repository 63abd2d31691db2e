// Web mode: the workbench and its API over HTTP on 127.0.0.1.
//
//   const server = await startWebServer({ api, port: 0, staticDir: 'renderer/dist' });
//   console.log(server.url);   // http://127.0.0.1:<port>/?code=<one-time code>
//   server.newLink();          // another one-time link
//   …
//   await server.close();      // the caller closes the API
//
// HTTP surface (the authentication rules are listed at the top of security.ts: the Bearer token,
// or the session cookie a page gets for a one-time code; never a token in the URL):
//   POST /api/session         {"code": "<one-time code>"} → 200 {ok: true} and the HttpOnly session
//                             cookie; 401 for a used, expired or unknown code
//   POST /api/call/<method>   JSON body → callMethod → 200 JSON result, or {code, message, issues?}
//                             with 400 (invalid-input, config, bad JSON), 404 (unknown method,
//                             not-found), 409 (conflict, cancelled), 413, 415, 500 (internal, database)
//   GET  /api/events          Server-Sent Events: every ApiEvent (`event: <type>`, `data: <json>`)
//   GET  /api/health          {ok: true, version}
//   GET  /*                   the built renderer; index.html for / and routes (SPA fallback)
// Every response carries a strict CSP, nosniff and no-referrer; a request whose Host is not
// 127.0.0.1:<port> or localhost:<port> (DNS rebinding) is refused with 403, as is an /api/ request
// whose Origin is another site's.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, toApiError, type Api } from '../api/index.ts';
import { isApiMethodName } from '../contract/methods.ts';
import { readBody } from './body.ts';
import { statusForApiError, WebServerError, type WebErrorCode, type WebErrorJson } from './errors.ts';
import { openEventStream } from './events.ts';
import { findPackage } from '../util/package-root.ts';
import {
  allowedHosts,
  checkToken,
  fetchSiteAllowed,
  generateToken,
  hostAllowed,
  originAllowed,
  originPresentAndOwn,
  readCookie,
  requestToken,
  sessionCookie,
  sessionCookieName,
  SessionKeeper,
  setSecurityHeaders,
  tokenMatches,
} from './security.ts';
import { serveStatic } from './static.ts';

export const WEB_HOST = '127.0.0.1';

export interface WebServerOptions {
  api: Api;
  /** Default 0: a free port. */
  port?: number;
  /** Only '127.0.0.1' (the default); anything else is refused. */
  host?: string;
  /** The built renderer (e.g. renderer/dist); without it (or without its index.html) `/` says how to build it. */
  staticDir?: string;
  /** The Bearer token for programmatic clients; default: 32 random bytes, base64url. */
  token?: string;
  /** How long a one-time link's code may wait for its exchange; default 5 minutes. */
  linkTtlMs?: number;
  /** Largest accepted request body; default 1 MiB. */
  maxBodyBytes?: number;
  /** How long a request body may take to arrive, in ms (default 30 s); then 408 and the connection closes. */
  bodyTimeoutMs?: number;
  /** Connections open at once (default 128); more are closed as they arrive. */
  maxConnections?: number;
  /** Heartbeat interval of the event stream; default 15 s. */
  heartbeatMs?: number;
  /** The `retry:` hint sent to EventSource; default 2 s. */
  retryMs?: number;
  /** Reported by /api/health; default Tandem's package version. */
  version?: string;
  /** How long close() lets requests in progress finish before cutting them; default 2 s. */
  closeGraceMs?: number;
  /** Told about errors answered with a 5xx (the server itself never prints). */
  onError?: (error: unknown, context: { method: string; path: string }) => void;
}

export interface WebServer {
  /** Opens the app once: `http://127.0.0.1:<port>/?code=<one-time code>` (the page exchanges the code for its session cookie). */
  url: string;
  /** Another one-time link like `url`, with a fresh code. */
  newLink(): string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  token: string;
  /** Event streams open now (each holds one API subscription). */
  eventStreams(): number;
  /** Ends the event streams, stops listening, lets requests in progress finish (briefly); idempotent. The API stays open. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 1024 * 1024;
/** A request body must arrive within this; event streams have no body and are not limited. */
const DEFAULT_BODY_TIMEOUT_MS = 30_000;
/** Connections open at once; more are refused (a workbench uses a handful). */
const DEFAULT_MAX_CONNECTIONS = 128;
/** How long a one-time link stays good when nobody opens it. */
const DEFAULT_LINK_TTL_MS = 5 * 60_000;
/** A code exchange is a small JSON object. */
const MAX_SESSION_BODY = 4096;
/** What a 401 tells a browser user to do. */
const HOW_TO_GET_IN = 'open a link `tandem serve` printed (pressing Enter in its terminal prints a new one), or send Authorization: Bearer <token>';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: WebErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendBody(res, status, JSON.stringify(value === undefined ? null : value), 'application/json; charset=utf-8', headers);
}

function sendError(res: ServerResponse, error: HttpError | ApiError): void {
  if (error instanceof ApiError) {
    sendJson(res, statusForApiError(error.code), error.toJSON());
    return;
  }
  const json: WebErrorJson = { code: error.code, message: error.message };
  sendJson(res, error.status, json, error.headers);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  sendBody(res, status, `${text}\n`, 'text/plain; charset=utf-8', headers);
}

/** A whole response that is never cached; HEAD gets the headers only. */
function sendBody(res: ServerResponse, status: number, text: string, contentType: string, headers: Record<string, string>): void {
  const body = Buffer.from(text, 'utf8');
  res.statusCode = status;
  for (const [name, v] of Object.entries(headers)) res.setHeader(name, v);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', body.length);
  res.setHeader('Cache-Control', 'no-store');
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const methodNotAllowed = (allow: string) =>
  new HttpError(405, 'method-not-allowed', `use ${allow.split(', ').join(' or ')} here`, { Allow: allow });

function isJsonMediaType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const type = header.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? WEB_HOST;
  if (host !== WEB_HOST) {
    throw new WebServerError(`web mode listens on ${WEB_HOST} only (it serves your workspace to this machine alone); "${host}" is not allowed`);
  }
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new WebServerError(`the port must be an integer in 0..65535 (0: a free one), got ${requestedPort}`);
  }
  const token = options.token ?? generateToken();
  const tokenProblem = checkToken(token);
  if (tokenProblem) throw new WebServerError(tokenProblem);
  const { api } = options;
  const sessions = new SessionKeeper(options.linkTtlMs ?? DEFAULT_LINK_TTL_MS);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const version = options.version ?? findPackage()?.version ?? '0.0.0';
  const streamOptions = { heartbeatMs: options.heartbeatMs ?? 15_000, retryMs: options.retryMs ?? 2_000, maxBufferedBytes: 8 * 1024 * 1024 };

  let hosts = new Set<string>();
  let port = 0;
  let cookieName = '';
  let closing: Promise<void> | null = null;
  const streams = new Set<() => void>();
  const inFlight = new Set<Promise<void>>();

  const report = (error: unknown, req: IncomingMessage, path: string): void => {
    try {
      options.onError?.(error, { method: req.method ?? '', path });
    } catch {
      // a failing reporter must not take the server down
    }
  };

  async function handleCall(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (!isApiMethodName(name)) throw new ApiError('not-found', `there is no API method "${name}"`);
    if (req.method !== 'POST') throw methodNotAllowed('POST');
    const read = await readBody(req, maxBodyBytes, bodyTimeoutMs);
    if (!read.ok) {
      if (read.reason === 'aborted') return;
      if (read.reason === 'timeout') {
        res.setHeader('Connection', 'close');
        throw new HttpError(408, 'request-timeout', `the request body did not arrive within ${bodyTimeoutMs} ms`);
      }
      res.setHeader('Connection', 'close');
      throw new HttpError(413, 'payload-too-large', `the request body is larger than ${maxBodyBytes} bytes`);
    }
    let input: unknown = undefined;
    if (read.body.length > 0) {
      if (!isJsonMediaType(req.headers['content-type'])) {
        throw new HttpError(415, 'unsupported-media-type', 'send the input as JSON with Content-Type: application/json');
      }
      try {
        input = JSON.parse(read.body.toString('utf8'));
      } catch (error) {
        throw new ApiError('invalid-input', `the request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    let result: unknown;
    try {
      result = await api.callMethod(name, input);
    } catch (error) {
      throw toApiError(error);
    }
    if (!res.destroyed) sendJson(res, 200, result);
  }

  const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer realm="tandem"' });

  /** POST /api/session: a page of ours exchanges a one-time code for the session cookie. */
  async function handleSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw methodNotAllowed('POST');
    if (!originPresentAndOwn(req, hosts)) throw new HttpError(403, 'forbidden', 'a one-time code is exchanged by the Tandem page itself (the request must carry its Origin)');
    const read = await readBody(req, MAX_SESSION_BODY, bodyTimeoutMs);
    if (!read.ok) {
      if (read.reason === 'aborted') return;
      res.setHeader('Connection', 'close');
      if (read.reason === 'timeout') throw new HttpError(408, 'request-timeout', `the request body did not arrive within ${bodyTimeoutMs} ms`);
      throw new HttpError(413, 'payload-too-large', `the request body is larger than ${MAX_SESSION_BODY} bytes`);
    }
    if (!isJsonMediaType(req.headers['content-type'])) throw new HttpError(415, 'unsupported-media-type', 'send {"code": "…"} as JSON with Content-Type: application/json');
    let code: unknown;
    try {
      code = (JSON.parse(read.body.toString('utf8')) as { code?: unknown } | null)?.code;
    } catch {
      code = undefined;
    }
    if (typeof code !== 'string' || code === '') throw new ApiError('invalid-input', 'send {"code": "<the code of the link>"}');
    const result = sessions.redeem(code);
    if (!result.ok) throw unauthorized(`this link has expired or was already used (a link works once, within ${Math.round(sessions.ttlMs / 1000)} s): ${HOW_TO_GET_IN}`);
    sendJson(res, 200, { ok: true }, { 'Set-Cookie': sessionCookie(cookieName, result.session) });
  }

  /** The Bearer token, or the session cookie with the same-origin checks; throws 401/403 otherwise. */
  function authenticate(req: IncomingMessage): void {
    const given = requestToken(req);
    if (given !== null) {
      if (!tokenMatches(given, token)) throw unauthorized('wrong access token in Authorization: Bearer <token>');
      return;
    }
    const session = readCookie(req, cookieName);
    if (session === null) throw unauthorized(`this request carries no credentials: ${HOW_TO_GET_IN}`);
    if (!sessions.hasSession(session)) throw unauthorized(`this browser's session is not known to the running server (it was restarted?): ${HOW_TO_GET_IN}`);
    const changes = req.method !== 'GET' && req.method !== 'HEAD';
    if (!fetchSiteAllowed(req) || (changes && !originPresentAndOwn(req, hosts))) {
      throw new HttpError(403, 'forbidden', 'requests from other sites are refused');
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (!originAllowed(req, hosts)) throw new HttpError(403, 'forbidden', 'requests from other sites are refused');
    if (query.has('token')) {
      throw unauthorized('the access token is not accepted in the URL (it would stay in the history and in logs): send Authorization: Bearer <token>, or open a link `tandem serve` printed');
    }
    if (path === '/api/session') {
      await handleSession(req, res);
      return;
    }
    authenticate(req);
    if (path === '/api/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('GET, HEAD');
      sendJson(res, 200, { ok: true, version });
      return;
    }
    if (path === '/api/events') {
      if (req.method !== 'GET') throw methodNotAllowed('GET');
      const end = openEventStream(api, req, res, streamOptions, () => streams.delete(end));
      streams.add(end);
      return;
    }
    if (path.startsWith('/api/call/')) {
      let name: string;
      try {
        name = decodeURIComponent(path.slice('/api/call/'.length));
      } catch {
        throw new ApiError('not-found', 'there is no such API method');
      }
      await handleCall(req, res, name);
      return;
    }
    throw new ApiError('not-found', `there is nothing at ${path}; the API is under /api/call/<method>, /api/events, /api/health and /api/session`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const isApi = path === '/api' || path.startsWith('/api/');
    try {
      if (!path.startsWith('/')) throw new HttpError(400, 'invalid-input', 'the request target must be a path');
      if (!hostAllowed(req, hosts)) {
        throw new HttpError(403, 'forbidden', `this server answers only to http://${WEB_HOST}:${port} and http://localhost:${port} (Host "${req.headers.host ?? ''}" refused)`);
      }
      if (closing) throw new HttpError(503, 'internal', 'the server is shutting down', { Connection: 'close' });
      if (isApi) {
        await handleApi(req, res, path, query);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('GET, HEAD');
      const result = await serveStatic(req, res, path, options.staticDir);
      if (result === 'bad-path') throw new HttpError(400, 'invalid-input', 'bad path');
      if (result === 'not-found') throw new HttpError(404, 'not-found', 'not found');
    } catch (error) {
      const known = error instanceof HttpError || error instanceof ApiError ? error : toApiError(error);
      const status = known instanceof ApiError ? statusForApiError(known.code) : known.status;
      if (status >= 500) report(error, req, path);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (isApi) sendError(res, known);
      else sendText(res, status, known.message, known instanceof HttpError ? known.headers : {});
    }
  }

  const server = http.createServer((req, res) => {
    const done = handle(req, res).catch((error: unknown) => {
      report(error, req, (req.url ?? '').split('?')[0]!); // never the query: it may hold a code
      res.destroy();
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 0; // event streams stay open; bodies are bounded by maxBodyBytes and bodyTimeoutMs
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.keepAliveTimeout = 5_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') {
        reject(new WebServerError(`port ${requestedPort} on ${WEB_HOST} is already in use (another Tandem, or another program); choose another with --port, or --port 0 for a free one`));
      } else if (error.code === 'EACCES') {
        reject(new WebServerError(`not allowed to listen on port ${requestedPort} on ${WEB_HOST}; choose a port above 1023, or --port 0 for a free one`));
      } else {
        reject(new WebServerError(`cannot listen on ${WEB_HOST}:${requestedPort}: ${error.message}`));
      }
    };
    server.once('error', onError);
    server.listen(requestedPort, WEB_HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port);
  cookieName = sessionCookieName(port);
  const origin = `http://${WEB_HOST}:${port}`;
  const newLink = (): string => `${origin}/?code=${sessions.issueCode()}`;

  return {
    url: newLink(),
    newLink,
    origin,
    port,
    token,
    eventStreams: () => streams.size,
    close: () => {
      closing ??= (async () => {
        for (const end of [...streams]) end();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = options.closeGraceMs ?? 2_000;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, grace)))]);
        clearTimeout(timer);
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        await closed;
      })();
      return closing;
    },
  };
}
