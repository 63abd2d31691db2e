// Web mode's defences. The rules every request meets, in order (server.ts applies them):
//
//  1. Host must be 127.0.0.1:<port> or localhost:<port> (DNS rebinding), else 403 — on every
//     path, static files included. Every response carries the security headers below (CSP,
//     nosniff, no-referrer, DENY framing, same-origin opener and resource policies).
//  2. Under /api/: an Origin header, when present, must be this server's own origin, else 403.
//  3. The access token is never accepted in the URL: an /api/ request with a `token` query
//     parameter is refused with 401 (a URL stays in the history, in logs, on command lines).
//  4. POST /api/session {"code": "<one-time code>"} is the only /api/ request without
//     credentials. It must come from a page of this server (Origin present and ours, JSON body).
//     A valid code is spent at once (single use) and lives `linkTtlMs` (default 5 minutes); the
//     answer is 200 {"ok": true} with `Set-Cookie: tandem-session-<port>=<session>; HttpOnly;
//     SameSite=Strict; Path=/api`. The session is a fresh random secret (not the token) that
//     lives while the server runs. A used, expired or unknown code gets 401; a refused request
//     (403, 400, 413, 415) does not spend the code. The links `tandem serve` prints and opens,
//     `http://127.0.0.1:<port>/?code=<code>`, carry such codes, never the token.
//  5. Every other /api/ request needs one of:
//     - `Authorization: Bearer <token>` (CLI and programmatic clients, tests); a wrong or
//       malformed Authorization header is 401 even when a session cookie is also sent;
//     - the session cookie (the browser page, EventSource included), and then, since a cookie is
//       sent by the browser on its own: a `Sec-Fetch-Site` header, when present, must be
//       `same-origin` or `none`, and a request other than GET/HEAD must carry our Origin
//       (browsers send Origin on every POST), else 403. SameSite=Strict keeps other sites from
//       sending the cookie at all; these checks also shut out other ports of 127.0.0.1 (cookies
//       do not isolate ports, so the cookie's name carries the port and the origin is checked).
//     Without either: 401 with `WWW-Authenticate: Bearer`.
// Tokens, codes and sessions are 32 random bytes (base64url). The token is compared in constant
// time; codes and sessions are kept, and looked up, only as SHA-256 digests.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../contract/content-security-policy.ts';

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/** 32 random bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A token given by the caller: long enough to guess at no better than chance, and header-safe. */
export function checkToken(token: string): string | null {
  if (token.length < 16) return 'the access token must have at least 16 characters';
  if (token.length > 512) return 'the access token must have at most 512 characters';
  if (!/^[A-Za-z0-9._~+/=-]+$/.test(token)) return 'the access token may hold only letters, digits and . _ ~ + / = -';
  return null;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Whether `given` is the token; the time taken does not depend on where they differ (nor on their lengths). */
export function tokenMatches(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * The token a request carries in `Authorization: Bearer <token>`: '' for an Authorization header
 * of another form, null when there is none. The query string is never read.
 */
export function requestToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : '';
}

/** The Host values a browser on this machine sends for the server: 127.0.0.1:<port> or localhost:<port>. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function hostAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && hosts.has(host.toLowerCase());
}

/** Whether an Origin value is this server's own. */
function isOwnOrigin(origin: string, hosts: Set<string>): boolean {
  return [...hosts].some((host) => origin.toLowerCase() === `http://${host}`);
}

/** A request from another origin (a page elsewhere) names it in Origin; ours or none is fine. */
export function originAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return isOwnOrigin(origin, hosts);
}

/** Our Origin, present: what a request authenticated by the ambient cookie must show when it changes things. */
export function originPresentAndOwn(req: IncomingMessage, hosts: Set<string>): boolean {
  const origin = req.headers.origin;
  return typeof origin === 'string' && isOwnOrigin(origin, hosts);
}

/** Fetch metadata, when the browser sends it: the request comes from our own pages or from the user (address bar). */
export function fetchSiteAllowed(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** The session cookie's name; cookies do not isolate ports, so two servers on one machine each have their own. */
export function sessionCookieName(port: number): string {
  return `tandem-session-${port}`;
}

/** The value of cookie `name` in the request's Cookie header(s), or null. */
export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(name: string, value: string): string {
  return `${name}=${value}; HttpOnly; SameSite=Strict; Path=/api`;
}

export type RedeemResult = { ok: true; session: string } | { ok: false };

/**
 * One-time codes and the sessions they are exchanged for. A code is spent by its first exchange
 * and expires `ttlMs` after it was issued; a session lives as long as this object (the server).
 * Only SHA-256 digests are kept, so a lookup's timing says nothing about the secrets.
 */
export class SessionKeeper {
  private readonly codes = new Map<string, number>(); // digest → expiry (ms since the epoch)
  private readonly sessions = new Set<string>(); // digests

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new one-time code. */
  issueCode(): string {
    this.prune();
    const code = generateToken();
    this.codes.set(digest(code).toString('hex'), this.now() + this.ttlMs);
    return code;
  }

  /** Spends the code: a new session for a live code, nothing for a used, expired or unknown one. */
  redeem(code: string): RedeemResult {
    const key = digest(code).toString('hex');
    const expires = this.codes.get(key);
    this.codes.delete(key);
    this.prune();
    if (expires === undefined || this.now() > expires) return { ok: false };
    const session = generateToken();
    this.sessions.add(digest(session).toString('hex'));
    return { ok: true, session };
  }

  hasSession(session: string): boolean {
    return this.sessions.has(digest(session).toString('hex'));
  }

  private prune(): void {
    const now = this.now();
    for (const [key, expires] of this.codes) if (now > expires) this.codes.delete(key);
  }
}
