// The pure pieces of web mode: path resolution inside the static folder, the token compare and
// where a request's token comes from, the Host and Origin checks, SSE framing, status codes and
// content types.

import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusForApiError } from '../../../core/web/errors.ts';
import { formatEvent } from '../../../core/web/events.ts';
import { findPackage } from '../../../core/util/package-root.ts';
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
  SessionKeeper,
  sessionCookie,
  tokenMatches,
} from '../../../core/web/security.ts';
import { contentType, resolveInside } from '../../../core/web/static.ts';

const request = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;

describe('resolveInside', () => {
  const root = path.resolve('/srv/dist');
  it('maps request paths to files inside the folder', () => {
    expect(resolveInside(root, '/')).toBe(root);
    expect(resolveInside(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/a%20b.js')).toBe(path.join(root, 'assets', 'a b.js'));
    expect(resolveInside(root, '//assets/./x.js')).toBe(path.join(root, 'assets', 'x.js'));
  });
  it('refuses dot-dot segments in any spelling, NUL bytes and malformed escapes', () => {
    for (const p of ['/..', '/../x', '/a/../../x', '/%2e%2e/x', '/%2E%2E', '/..%2fx', '/..%5cx', '/a\\..\\..\\x', '/x%00.js', '/%E0%A4%A']) {
      expect(resolveInside(root, p), p).toBeNull();
    }
  });
});

describe('tokens', () => {
  it('generates 32 random bytes as base64url', () => {
    const a = generateToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateToken()).not.toBe(a);
    expect(checkToken(a)).toBeNull();
    expect(checkToken('short')).toMatch(/16/);
    expect(checkToken('has spaces in it, sixteen+')).toMatch(/letters/);
  });
  it('compares whole tokens, whatever their lengths', () => {
    const t = generateToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t.slice(0, -1), t)).toBe(false);
    expect(tokenMatches(`${t}x`, t)).toBe(false);
    expect(tokenMatches('', t)).toBe(false);
  });
  it('reads the Bearer header only', () => {
    expect(requestToken(request('POST', { authorization: 'Bearer xyz' }))).toBe('xyz');
    expect(requestToken(request('GET', { authorization: 'bearer  xyz ' }))).toBe('xyz');
    expect(requestToken(request('GET', { authorization: 'Basic xyz' }))).toBe('');
    expect(requestToken(request('GET', {}))).toBeNull();
  });
});

describe('one-time codes and sessions', () => {
  it('spends a code on its first exchange, refuses it once expired, and keeps sessions', () => {
    let now = 1_000;
    const keeper = new SessionKeeper(60_000, () => now);
    const code = keeper.issueCode();
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const first = keeper.redeem(code);
    expect(first.ok).toBe(true);
    expect(keeper.redeem(code)).toEqual({ ok: false });
    if (!first.ok) throw new Error('unreachable');
    expect(first.session).not.toBe(code);
    expect(keeper.hasSession(first.session)).toBe(true);
    expect(keeper.hasSession(code)).toBe(false);

    const late = keeper.issueCode();
    now += 60_000;
    const onTime = keeper.issueCode();
    now += 1;
    expect(keeper.redeem(late)).toEqual({ ok: false });
    expect(keeper.redeem(onTime).ok).toBe(true);
    expect(keeper.redeem('never-issued')).toEqual({ ok: false });
  });

  it('reads cookies and writes an HttpOnly SameSite=Strict one for /api', () => {
    expect(readCookie(request('GET', { cookie: 'a=1; tandem-session-5=xyz; b=2' }), 'tandem-session-5')).toBe('xyz');
    expect(readCookie(request('GET', { cookie: 'tandem-session-50=xyz' }), 'tandem-session-5')).toBeNull();
    expect(readCookie(request('GET', {}), 'tandem-session-5')).toBeNull();
    expect(sessionCookie('tandem-session-5', 'v')).toBe('tandem-session-5=v; HttpOnly; SameSite=Strict; Path=/api');
  });

  it('checks fetch metadata and a present Origin for cookie requests', () => {
    const hosts = allowedHosts(8123);
    expect(fetchSiteAllowed(request('GET', {}))).toBe(true);
    expect(fetchSiteAllowed(request('GET', { 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(fetchSiteAllowed(request('GET', { 'sec-fetch-site': 'none' }))).toBe(true);
    expect(fetchSiteAllowed(request('GET', { 'sec-fetch-site': 'same-site' }))).toBe(false);
    expect(fetchSiteAllowed(request('GET', { 'sec-fetch-site': 'cross-site' }))).toBe(false);
    expect(originPresentAndOwn(request('POST', {}), hosts)).toBe(false);
    expect(originPresentAndOwn(request('POST', { origin: 'http://127.0.0.1:8123' }), hosts)).toBe(true);
    expect(originPresentAndOwn(request('POST', { origin: 'http://127.0.0.1:8124' }), hosts)).toBe(false);
  });
});

describe('Host and Origin', () => {
  const hosts = allowedHosts(8123);
  it('accepts 127.0.0.1 and localhost on the port only', () => {
    expect(hostAllowed(request('GET', { host: '127.0.0.1:8123' }), hosts)).toBe(true);
    expect(hostAllowed(request('GET', { host: 'Localhost:8123' }), hosts)).toBe(true);
    for (const host of ['127.0.0.1', 'localhost', '127.0.0.1:80', 'attacker.example:8123', '[::1]:8123']) {
      expect(hostAllowed(request('GET', { host }), hosts), host).toBe(false);
    }
    expect(hostAllowed(request('GET', {}), hosts)).toBe(false);
  });
  it('accepts no Origin or our own', () => {
    expect(originAllowed(request('POST', {}), hosts)).toBe(true);
    expect(originAllowed(request('POST', { origin: 'http://localhost:8123' }), hosts)).toBe(true);
    expect(originAllowed(request('POST', { origin: 'http://evil.example' }), hosts)).toBe(false);
    expect(originAllowed(request('POST', { origin: 'null' }), hosts)).toBe(false);
    expect(originAllowed(request('POST', { origin: 'https://127.0.0.1:8123' }), hosts)).toBe(false);
  });
});

describe('formatting', () => {
  it('frames an event as one SSE message whose data is one line', () => {
    const text = formatEvent({ type: 'run-status', runId: 1, experimentId: 2, status: 'failed', error: 'line one\nline two' });
    expect(text).toBe('event: run-status\ndata: {"type":"run-status","runId":1,"experimentId":2,"status":"failed","error":"line one\\nline two"}\n\n');
  });
  it('maps API error codes to statuses', () => {
    expect(['invalid-input', 'config', 'not-found', 'conflict', 'cancelled', 'database', 'internal'].map((c) => statusForApiError(c as never))).toEqual([400, 400, 404, 409, 409, 500, 500]);
  });
  it('knows the renderer\'s content types', () => {
    expect(contentType('a.html')).toBe('text/html; charset=utf-8');
    expect(contentType('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentType('a.woff2')).toBe('font/woff2');
    expect(contentType('a.unknown')).toBe('application/octet-stream');
  });
  it('finds Tandem\'s package root and version', () => {
    expect(findPackage()).toMatchObject({ root: path.resolve(import.meta.dirname, '../../..'), version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});
