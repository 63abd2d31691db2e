// Web mode's defences: the access token (random, compared in constant time, from the
// Authorization header or — for EventSource, which cannot set headers — the query string), the
// Host check against DNS rebinding, and the headers every response carries.

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
 * The token a request carries: `Authorization: Bearer <token>`, else (GET and HEAD only, for
 * EventSource) the `token` query parameter; null when it carries none.
 */
export function requestToken(req: IncomingMessage, query: URLSearchParams): string | null {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    return match ? match[1]! : '';
  }
  if (req.method === 'GET' || req.method === 'HEAD') return query.get('token');
  return null;
}

/** The Host values a browser on this machine sends for the server: 127.0.0.1:<port> or localhost:<port>. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function hostAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && hosts.has(host.toLowerCase());
}

/** A request from another origin (a page elsewhere) names it in Origin; ours or none is fine. */
export function originAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return [...hosts].some((host) => origin.toLowerCase() === `http://${host}`);
}
