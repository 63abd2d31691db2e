// The local engine accepted anyone on the machine: no token, no Host check, JSON parsed whatever
// the Content-Type, adapters loaded from any path and local paths listed on /v1/models, so a web
// page could post text/plain requests to it and, with DNS rebinding, read the answers. Here the
// real engine (the embedded demo model) is started through Tandem's own code and probed the way
// such a caller would; Tandem's own client (the token as its API key) still gets answers.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAICompatibleLM } from '../../core/lm/openai-compatible.ts';
import { embeddedDemoModel } from '../../core/models/embedded.ts';
import { startLocalModel, type LocalModelSession } from '../../core/models/local-model.ts';

const demo = embeddedDemoModel();
let dir: string;
let adapterRoot: string;
let session: LocalModelSession;

/** A raw request with exactly the headers given (fetch will not send a foreign Host). */
function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = () => ({ authorization: `Bearer ${session.token}` });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-engine-access-'));
  adapterRoot = path.join(dir, 'finetune');
  mkdirSync(adapterRoot);
  session = await startLocalModel('tandem-demo', { libraryDir: path.join(dir, 'models'), adapterRoot });
}, 180_000);

afterAll(async () => {
  await session?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!demo)('the local engine accepts anyone on the machine (fixed)', () => {
  it('gives every start a random token and refuses requests without it, /health and /v1/models included', async () => {
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const origin = session.baseUrl.replace(/\/v1$/, '');
    for (const url of [`${origin}/health`, `${session.baseUrl}/models`]) {
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
      expect((await fetch(url, { headers: auth() })).status).toBe(200);
    }
    const unload = await fetch(`${session.baseUrl}/unload_lora_adapter`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"lora_name":"x"}' });
    expect(unload.status).toBe(401);
    const body = (await unload.json()) as { error: { type: string } };
    expect(body.error.type).toBe('authentication_error');
  });

  it("answers Tandem's own client, which sends the token as its API key", async () => {
    const lm = new OpenAICompatibleLM({ baseUrl: session.baseUrl, model: session.modelName, apiKey: session.token!, maxRetries: 0 });
    const out = await lm.generate({ messages: [{ role: 'user', content: 'Hello' }], temperature: 0, maxTokens: 4 });
    expect(out.usage.completionTokens).toBeGreaterThan(0);
    const keyless = new OpenAICompatibleLM({ baseUrl: session.baseUrl, model: session.modelName, maxRetries: 0 });
    await expect(keyless.generate({ messages: [{ role: 'user', content: 'Hello' }], maxTokens: 4 })).rejects.toThrow(/401/);
  }, 60_000);

  it('refuses a Host that is not this engine (DNS rebinding) and a web page of another origin', async () => {
    const port = new URL(session.baseUrl).port;
    const url = `${session.baseUrl}/models`;
    expect((await request(url, { headers: { ...auth(), host: `evil.example:${port}` } })).status).toBe(403);
    expect((await request(url, { headers: { ...auth(), host: `127.0.0.1:${Number(port) + 1}` } })).status).toBe(403);
    expect((await request(url, { headers: { ...auth(), host: `localhost:${port}` } })).status).toBe(200);
    const fromPage = await request(`${session.baseUrl}/unload_lora_adapter`, {
      method: 'POST',
      headers: { ...auth(), origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{"lora_name":"x"}',
    });
    expect(fromPage.status).toBe(403);
  });

  it('answers a text/plain POST with 415 instead of parsing it as JSON', async () => {
    const response = await fetch(`${session.baseUrl}/unload_lora_adapter`, { method: 'POST', headers: { ...auth(), 'content-type': 'text/plain' }, body: '{"lora_name":"x"}' });
    expect(response.status).toBe(415);
  });

  it('loads adapters only from inside the adapter folder and names no local paths', async () => {
    await expect(session.engine.loadAdapter('outside', dir)).rejects.toThrow(/HTTP 403.*outside this engine's adapter folder/);
    await expect(session.engine.loadAdapter('dotdot', path.join(adapterRoot, '..', 'models'))).rejects.toThrow(/HTTP 403/);
    const missing = session.engine.loadAdapter('missing', path.join(adapterRoot, 'run-1', 'adapter'));
    await expect(missing).rejects.toThrow(/HTTP 404/);
    const models = await (await fetch(`${session.baseUrl}/models`, { headers: auth() })).text();
    expect(models).not.toContain(demo!);
    expect(models).not.toContain(dir);
    expect((JSON.parse(models) as { data: Array<{ id: string; root: string }> }).data.map((m) => [m.id, m.root])).toEqual([[session.modelName, session.modelName]]);
  });

  it.skipIf(process.platform !== 'linux')('keeps the token out of the command line', async () => {
    const { readFileSync } = await import('node:fs');
    expect(session.token).toBeTruthy();
    const cmdline = readFileSync(`/proc/${session.engine.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('tandem_engine');
    expect(cmdline).not.toContain(session.token!);
  });
});
