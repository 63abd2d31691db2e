// Finding 1 of the hardening review, through the API as the workbench's page uses it, against the
// OpenAI-compatible stub on loopback: an experiment can name any server, but a key goes only to
// an origin it is tied to (core/lm/key-origins.ts), and no environment variable but a key's can
// be named at all. The stub counts the Authorization headers it receives.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';
import { apiError, openWorkspace, runEnded, statuses } from '../unit/api/helpers.ts';

let stub: StubServerHandle;

beforeAll(async () => {
  stub = await startStubServer();
});

afterAll(async () => {
  await stub?.stop();
});

const ENV = { HOME: '/root', OPENAI_API_KEY: 'sk-openai-secret', MY_VLLM_KEY: 'sk-vllm-secret' };

async function runOnStub(env: Record<string, string>, apiKeyEnv?: string) {
  const ws = openWorkspace({ env });
  try {
    const experiment = await ws.api.createExperiment({
      task: 'iris',
      strategies: 'p', optimizer: { candidates: 1 },
      lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl, ...(apiKeyEnv ? { apiKeyEnv } : {}) },
    });
    await stub.resetStats();
    const { runId } = await ws.api.startRun({ experimentId: experiment.id });
    await ws.waitFor(runEnded(runId), 60_000);
    expect(statuses(ws.events, runId).at(-1)).toBe('finished');
    return (await stub.stats()).authorizations;
  } finally {
    await ws.close();
  }
}

describe('finding 1: no key leaves for a place the user did not choose', () => {
  it('refuses an experiment that names a variable that is not a key, whatever the server', async () => {
    const ws = openWorkspace({ env: ENV });
    try {
      for (const name of ['HOME', 'PATH', 'NODE_OPTIONS', 'TANDEM_KEY_ORIGINS']) {
        const error = await apiError(ws.api.createExperiment({ task: 'iris', lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl, apiKeyEnv: name } }));
        expect(error.code, name).toBe('invalid-input');
        expect(error.message).not.toContain('/root');
      }
    } finally {
      await ws.close();
    }
  });

  it('refuses to start a run that would send a key to a server it is not tied to, and sends nothing', async () => {
    const ws = openWorkspace({ env: ENV });
    try {
      await stub.resetStats();
      const experiment = await ws.api.createExperiment({ task: 'iris', strategies: 'p', optimizer: { candidates: 1 }, lm: { provider: 'openai', model: 'stub-model', baseUrl: stub.baseUrl, apiKeyEnv: 'OPENAI_API_KEY' } });
      const error = await apiError(ws.api.startRun({ experimentId: experiment.id }));
      expect(error.code).toBe('config');
      expect(error.message).toMatch(/^the key in OPENAI_API_KEY is not sent to http:\/\/127\.0\.0\.1:\d+: it is sent only to https:\/\/api\.openai\.com\./);
      expect(error.message).not.toContain('sk-');
      expect((await stub.stats()).requests).toBe(0);
    } finally {
      await ws.close();
    }
  });

  it('runs on a local server without the default key, which stays with the provider it is for', async () => {
    const authorizations = await runOnStub(ENV);
    expect(Object.keys(authorizations)).toEqual(['']);
  });

  it('sends a key to the server TANDEM_KEY_ORIGINS ties it to, and only that key', async () => {
    const origin = new URL(stub.baseUrl).origin;
    const authorizations = await runOnStub({ ...ENV, TANDEM_KEY_ORIGINS: `MY_VLLM_KEY=${origin}` }, 'MY_VLLM_KEY');
    expect(Object.keys(authorizations)).toEqual(['Bearer sk-vllm-secret']);
  });
});
