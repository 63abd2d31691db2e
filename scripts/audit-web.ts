// `npm run audit:web`: starts `tandem serve` and `tandem engine serve` as a user would, then
// probes both from outside as an attacker on the same machine would — no token, a wrong one, a
// token in the URL, a foreign Host (DNS rebinding) and Origin (another site's page), text/plain
// posts (a form or a no-cors fetch), path traversal, oversized and slow bodies, a one-time code
// used twice, the session cookie sent cross-site, adapters from outside the adapter folder,
// local paths in answers. Every probe must be refused; each has a control request that must
// succeed, so a probe cannot pass by the server being down.
//
//   npm run audit:web                     # prints a table; exit status 1 if any probe got in
//   npm run audit:web -- --json out.json  # also writes the results as JSON
//   npm run audit:web -- --skip-slow      # leaves out the slow-body probe (it waits ~30 s)
//
// The probes use raw node:http requests (fetch cannot set Host or send a body slowly).

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TANDEM = path.join(ROOT, 'bin', 'tandem.mjs');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface RawRequest {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Sends the body's first bytes, then nothing for this long (the slow-body probe). */
  stallMs?: number;
  timeoutMs?: number;
}

/** One HTTP request with exactly the headers given (Host included), answered or failed. */
function request(r: RawRequest): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${r.port}`, connection: 'close', ...r.headers };
    if (r.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(Buffer.byteLength(r.body));
    const req = http.request({ host: '127.0.0.1', port: r.port, method: r.method ?? 'GET', path: r.path, headers, setHost: false, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 1_000_000) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(r.timeoutMs ?? 60_000, () => req.destroy(new Error('no answer in time')));
    req.on('error', reject);
    if (r.body !== undefined && r.stallMs !== undefined) {
      req.write(r.body.slice(0, 4)); // then nothing: the server must give up on its own
      return;
    }
    req.end(r.body);
  });
}

interface ProbeResult {
  target: 'web' | 'engine';
  name: string;
  /** What a safe server answers. */
  expected: string;
  got: string;
  refused: boolean;
  /** A control request that must succeed (the server is up and the probe is meaningful). */
  control: boolean;
}

const results: ProbeResult[] = [];

async function probe(target: ProbeResult['target'], name: string, expected: string, send: () => Promise<Reply>, ok: (reply: Reply) => boolean, control = false): Promise<Reply | null> {
  let reply: Reply | null = null;
  let got: string;
  let passed: boolean;
  try {
    reply = await send();
    got = `${reply.status} ${reply.body.replace(/\s+/g, ' ').slice(0, 90)}`;
    passed = ok(reply);
  } catch (error) {
    got = `no answer: ${error instanceof Error ? error.message : String(error)}`;
    passed = false;
  }
  results.push({ target, name, expected, got, refused: passed, control });
  return reply;
}

/** Starts a tandem command and resolves with its first stdout line (what it prints when ready). */
function start(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TANDEM, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tandem ${args[0]} did not start in 180 s: ${err.slice(-500)}`));
    }, 180_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve({ child, line: out.slice(0, newline) });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tandem ${args[0]} exited (${code}) before it was ready: ${err.slice(-500)}`));
    });
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const refusedWith =
  (...statuses: number[]) =>
  (r: Reply) =>
    statuses.includes(r.status);
const isClientError = (r: Reply) => r.status >= 400 && r.status < 500;

async function auditWeb(dir: string, skipSlow: boolean): Promise<void> {
  const token = randomBytes(24).toString('base64url');
  const env = { ...process.env, TANDEM_WEB_TOKEN: token };
  const { child, line } = await start(['serve', '--port', '0', '--no-open', '--db', path.join(dir, 'web', 'tandem.db')], env);
  try {
    const link = new URL(line.replace(/^.*?(http:\/\/\S+).*$/, '$1'));
    const port = Number(link.port);
    const code = link.searchParams.get('code') ?? '';
    const origin = `http://127.0.0.1:${port}`;
    const call = (headers: Record<string, string>, body = '{}', method = 'listExperiments', query = '') =>
      request({ port, method: 'POST', path: `/api/call/${method}${query}`, headers: { 'content-type': 'application/json', ...headers }, body });
    const bearer = { authorization: `Bearer ${token}` };

    await probe('web', 'control: the token in the Authorization header', '200', () => call(bearer), refusedWith(200), true);
    await probe('web', 'no credentials', '401', () => call({}), refusedWith(401));
    await probe('web', 'a wrong token', '401', () => call({ authorization: `Bearer ${token.slice(0, -2)}xx` }), refusedWith(401));
    await probe('web', 'the token in the query of an API call', '401', () => call({}, '{}', 'listExperiments', `?token=${token}`), refusedWith(401));
    await probe('web', 'the token in the query of the event stream', '401', () => request({ port, path: `/api/events?token=${token}` }), refusedWith(401));
    await probe('web', 'a foreign Host (DNS rebinding)', '403', () => call({ ...bearer, host: `attacker.example:${port}` }), refusedWith(403));
    await probe('web', 'a foreign Host for the page itself', '403', () => request({ port, path: '/', headers: { host: `attacker.example:${port}` } }), refusedWith(403));
    await probe('web', "another site's Origin", '403', () => call({ ...bearer, origin: 'https://attacker.example' }), refusedWith(403));
    await probe('web', 'another port of 127.0.0.1 as Origin', '403', () => call({ ...bearer, origin: `http://127.0.0.1:${port === 65535 ? 1 : port + 1}` }), refusedWith(403));
    await probe('web', 'a text/plain POST (a form or no-cors fetch)', '415', () => call({ ...bearer, 'content-type': 'text/plain' }), refusedWith(415));
    for (const traversal of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/assets/..%5c..%5c..%5cetc%5cpasswd']) {
      await probe('web', `path traversal ${traversal}`, 'no file outside the workbench', () => request({ port, path: traversal }), (r) => !r.body.includes('root:x:0:0') && !r.body.includes('root:*:0:0'));
    }
    await probe('web', 'an oversized body (announced)', '413', () => call({ ...bearer, 'content-length': String(64 * 1024 * 1024) }, ''), refusedWith(413));
    await probe('web', 'an oversized body (sent)', '413', () => call(bearer, `{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`), refusedWith(413));
    if (!skipSlow) {
      await probe('web', 'a body that never finishes', '408', () => request({ port, method: 'POST', path: '/api/call/listExperiments', headers: { ...bearer, 'content-type': 'application/json', 'content-length': '100' }, body: '{"a":1', stallMs: 60_000, timeoutMs: 90_000 }), refusedWith(408));
    }

    // The one-time code and the session cookie.
    const session = (headers: Record<string, string>, body = JSON.stringify({ code })) => request({ port, method: 'POST', path: '/api/session', headers: { 'content-type': 'application/json', ...headers }, body });
    await probe('web', "the link's code from another site", '403', () => session({ origin: 'https://attacker.example' }), refusedWith(403));
    await probe('web', "the link's code without an Origin", '403', () => session({}), refusedWith(403));
    const exchanged = await probe('web', "control: the link's code from the page", '200 with an HttpOnly, SameSite=Strict cookie', () => session({ origin }), (r) => r.status === 200 && /HttpOnly/i.test(String(r.headers['set-cookie'])) && /SameSite=Strict/i.test(String(r.headers['set-cookie'])), true);
    await probe('web', 'the same code a second time', '401', () => session({ origin }), refusedWith(401));
    await probe('web', 'a made-up code', '401', () => session({ origin }, JSON.stringify({ code: randomBytes(32).toString('base64url') })), refusedWith(401));
    const cookie = String(exchanged?.headers['set-cookie'] ?? '').split(';')[0] ?? '';
    await probe('web', 'control: the session cookie from the page', '200', () => call({ cookie, origin }), refusedWith(200), true);
    await probe('web', 'the session cookie on a POST without an Origin', '403', () => call({ cookie }), refusedWith(403));
    await probe('web', 'the session cookie sent cross-site', '403', () => request({ port, path: '/api/events', headers: { cookie, 'sec-fetch-site': 'cross-site' } }), refusedWith(403));
    await probe('web', 'the session cookie with a wrong Bearer header', '401', () => call({ cookie, origin, authorization: 'Bearer wrong-token-wrong-token' }), refusedWith(401));
  } finally {
    await stop(child);
  }
}

async function auditEngine(dir: string): Promise<void> {
  const adapterRoot = path.join(dir, 'engine', 'finetune');
  mkdirSync(adapterRoot, { recursive: true });
  const outside = path.join(dir, 'engine', 'outside-adapter');
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'adapter_config.json'), '{}');
  symlinkSync(outside, path.join(adapterRoot, 'link-to-outside'));
  const { child, line } = await start(['engine', 'serve', '--port', '0', '--adapter-root', adapterRoot, '--db', path.join(dir, 'engine', 'tandem.db')], process.env);
  try {
    const info = JSON.parse(line) as { baseUrl: string; token: string | null };
    const port = Number(new URL(info.baseUrl).port);
    const bearer = { authorization: `Bearer ${info.token}` };
    const post = (p: string, headers: Record<string, string>, body: unknown) => request({ port, method: 'POST', path: p, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const chat = { model: 'tandem-demo', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 };

    const models = await probe('engine', 'control: /v1/models with the token', '200', () => request({ port, path: '/v1/models', headers: bearer }), refusedWith(200), true);
    await probe('engine', 'control: a chat completion with the token', '200', () => post('/v1/chat/completions', bearer, { ...chat, model: (JSON.parse(models?.body ?? '{"data":[{}]}') as { data: Array<{ id?: string }> }).data[0]?.id ?? 'tandem-demo' }), refusedWith(200), true);
    await probe('engine', 'no local paths in /v1/models', 'no absolute path in the answer', async () => models ?? Promise.reject(new Error('no /v1/models answer')), (r) => !/"(\/|[A-Za-z]:\\\\)[^"]*"/.test(r.body) && !r.body.includes(dir));
    await probe('engine', 'no token on /v1/models', '401', () => request({ port, path: '/v1/models' }), refusedWith(401));
    await probe('engine', 'no token on /health', '401', () => request({ port, path: '/health' }), refusedWith(401));
    await probe('engine', 'no token on a chat completion', '401', () => post('/v1/chat/completions', {}, chat), refusedWith(401));
    await probe('engine', 'a wrong token', '401', () => post('/v1/chat/completions', { authorization: 'Bearer not-the-token' }, chat), refusedWith(401));
    await probe('engine', 'a foreign Host (DNS rebinding)', '403 or 421', () => request({ port, path: '/v1/models', headers: { ...bearer, host: `attacker.example:${port}` } }), refusedWith(403, 421));
    await probe('engine', "another site's Origin", '403', () => request({ port, path: '/v1/models', headers: { ...bearer, origin: 'https://attacker.example' } }), refusedWith(403));
    await probe('engine', 'a text/plain POST (unload adapters from a web page)', '415', () => request({ port, method: 'POST', path: '/v1/unload_lora_adapter', headers: { ...bearer, 'content-type': 'text/plain' }, body: '{"lora_name":"x"}' }), refusedWith(415));
    await probe('engine', 'a text/plain POST without the token', '401 or 415', () => request({ port, method: 'POST', path: '/v1/unload_lora_adapter', headers: { 'content-type': 'text/plain' }, body: '{"lora_name":"x"}' }), refusedWith(401, 415));
    for (const [name, lora] of [
      ['an adapter from an absolute path outside the adapter folder', outside],
      ['an adapter path climbing out with ..', path.join(adapterRoot, '..', 'outside-adapter')],
      ['an adapter behind a symlink out of the folder', path.join(adapterRoot, 'link-to-outside')],
      ['an adapter from /etc', '/etc'],
    ] as const) {
      await probe('engine', name, '4xx, nothing loaded', () => post('/v1/load_lora_adapter', bearer, { lora_name: 'probe', lora_path: lora }), (r) => isClientError(r) && !r.body.includes(dir));
    }
    await probe('engine', 'an oversized body (announced)', '413', () => request({ port, method: 'POST', path: '/v1/chat/completions', headers: { ...bearer, 'content-type': 'application/json', 'content-length': String(1024 * 1024 * 1024) }, body: '' }), refusedWith(413));
  } finally {
    await stop(child);
  }
}

function table(rows: ProbeResult[]): string {
  const cells = rows.map((r) => [r.refused ? (r.control ? 'ok' : 'refused') : r.control ? 'FAILED' : 'GOT IN', r.target, r.name, r.expected, r.got]);
  const head = ['result', 'server', 'probe', 'expected', 'answer'];
  const widths = head.map((h, i) => Math.min(i === 4 ? 70 : 80, Math.max(h.length, ...cells.map((c) => c[i]!.length))));
  const line = (c: string[]) => c.map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const skipSlow = args.includes('--skip-slow');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-'));
  try {
    await auditWeb(dir, skipSlow);
    await auditEngine(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${table(results)}\n`);
  const failed = results.filter((r) => !r.refused);
  process.stdout.write(`\n${results.length - failed.length} of ${results.length} checks as expected${failed.length ? `; ${failed.length} NOT: ${failed.map((f) => `${f.target}: ${f.name}`).join('; ')}` : ''}\n`);
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ results, passed: failed.length === 0 }, null, 2)}\n`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:web: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
