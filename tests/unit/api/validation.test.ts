// Every API input goes through its zod schema: bad input is an ApiError('invalid-input') whose
// message names the field path and the problem, in a JSON shape a transport can send.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, CreateExperimentInput } from '../../../core/api/index.ts';
import { parseInput } from '../../../core/api/validate.ts';
import { apiError, openWorkspace, type Workspace } from './helpers.ts';

let ws: Workspace;
const lm = { provider: 'openai', model: 'stub-model', baseUrl: 'http://127.0.0.1:9/v1' } as const;

beforeAll(() => {
  ws = openWorkspace();
});

afterAll(async () => {
  await ws.close();
});

describe('createExperiment input', () => {
  it('names a bad strategy token', async () => {
    const error = await apiError(ws.api.createExperiment({ task: 'iris', strategies: 'p, p -> x', lm }));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toBe('strategies: strategy "p -> x" names unknown optimizer "x"; valid tokens: "p", "w"');
    expect(error.issues).toEqual([{ path: 'strategies', message: 'strategy "p -> x" names unknown optimizer "x"; valid tokens: "p", "w"' }]);
  });

  it('points at the bad element of a strategy array', async () => {
    const error = await apiError(ws.api.createExperiment({ task: 'iris', strategies: ['p', 'p ->'], lm }));
    expect(error.message).toBe('strategies[1]: strategy "p ->" ends with "->"');
  });

  it('refuses zero seeds, an unknown task and several problems at once', async () => {
    expect((await apiError(ws.api.createExperiment({ task: 'iris', seeds: 0, lm }))).message).toBe('seeds: must be ≥ 1, got 0');
    expect((await apiError(ws.api.createExperiment({ task: 'hotpot', lm }))).message).toBe('task: unknown task "hotpot"; available tasks: gsm8k, hotpotqa, iris');
    const many = await apiError(
      ws.api.createExperiment({ task: 'iris', seeds: 1.5, lm: { provider: 'vllm', model: '' }, optimizer: { candidates: -1 }, sampling: { temperature: 3 } } as never),
    );
    expect(many.issues).toEqual([
      { path: 'seeds', message: 'must be an integer, got 1.5' },
      { path: 'lm.provider', message: 'must be one of "openai", "local", got "vllm"' },
      { path: 'lm.model', message: 'must not be empty' },
      { path: 'optimizer.candidates', message: 'must be ≥ 0, got -1' },
      { path: 'sampling.temperature', message: 'must be ≤ 2, got 3' },
    ]);
    expect(many.message).toMatch(/^seeds: must be an integer, got 1\.5; lm\.provider: .*; and 2 more$/);
  });

  it('refuses unknown fields, a bad base URL, and a missing task', async () => {
    expect((await apiError(ws.api.createExperiment({ task: 'iris', lm, seedz: 2 } as never))).message).toBe('unknown field "seedz"');
    expect((await apiError(ws.api.createExperiment({ task: 'iris', lm: { ...lm, baseUrl: 'localhost:8000' } }))).message).toBe(
      'lm.baseUrl: must be an http or https URL (e.g. http://127.0.0.1:8000/v1), got "localhost:8000"',
    );
    expect((await apiError(ws.api.createExperiment({ task: 'iris', strategies: 5, lm } as never))).message).toBe('strategies: must be a string or an array, got 5');
    expect((await apiError(ws.api.createExperiment({} as never))).message).toBe('task: is required');
    expect((await apiError(ws.api.createExperiment(undefined as never))).message).toBe('must be an object, got nothing');
  });

  it('needs a model when there is no default, and a fine-tuning backend for "w"', async () => {
    expect((await apiError(ws.api.createExperiment({ task: 'iris' }))).message).toMatch(/^lm: is required: no default model/);
    expect((await apiError(ws.api.createExperiment({ task: 'iris', strategies: 'p, p -> w', lm }))).message).toMatch(
      /^strategies: strategy "p -> w" has a "w" \(fine-tuning\) step, but provider "openai" has no fine-tuning backend/,
    );
    expect((await apiError(ws.api.createExperiment({ task: 'iris', lm: { provider: 'local', model: 'm', baseUrl: 'http://x/v1' } }))).message).toBe(
      'lm.baseUrl: is only for provider "openai"; the local engine chooses its own address',
    );
  });

  it('applies the CLI defaults', () => {
    const parsed = parseInput(CreateExperimentInput, { task: 'IRIS', strategies: 'p→w, p,p', lm: { provider: 'local', model: 'm' } });
    expect(parsed).toMatchObject({
      task: 'iris',
      strategies: ['p -> w', 'p'],
      seeds: 1,
      seed: 0,
      optimizer: { candidates: 6, maxDemos: 3, maxLabeled: 3, rounds: 1 },
      sampling: { temperature: 0.1, maxTokens: 1024 },
      concurrency: 16,
      timeoutSeconds: 120,
      retries: 4,
      maxErrors: null,
      evalSplits: ['dev', 'test'],
      useCache: true,
    });
    expect(parseInput(CreateExperimentInput, { task: 'iris', strategies: 'all', lm }).strategies).toHaveLength(7);
  });
});

describe('paging, ids and filters', () => {
  it('caps page sizes and checks ids', async () => {
    expect((await apiError(ws.api.pageLMCalls({ limit: 10000 }))).message).toBe('limit: must be ≤ 500, got 10000');
    expect((await apiError(ws.api.getRun({ runId: 0 }))).message).toBe('runId: must be ≥ 1, got 0');
    expect((await apiError(ws.api.getRun({ runId: '3' } as never))).message).toBe('runId: must be a number, got "3"');
    expect((await apiError(ws.api.pageLMCalls({ sort: 'slowest' } as never))).message).toBe(
      'sort: must be one of "newest", "oldest", "latency", "tokens", got "slowest"',
    );
    expect((await apiError(ws.api.pageLMCalls({ cursor: 'garbage' }))).code).toBe('invalid-input');
  });

  it('wants either an evaluation or a stage with a split for example results', async () => {
    expect((await apiError(ws.api.pageExampleResults({}))).message).toBe('evaluationId: is required (or give stageId with split)');
    expect((await apiError(ws.api.pageExampleResults({ stageId: 1 }))).message).toBe('split: is required with stageId ("dev" or "test")');
    expect((await apiError(ws.api.pageExampleResults({ evaluationId: 1, stageId: 1, split: 'dev' }))).message).toBe(
      'evaluationId: give either evaluationId, or stageId with split, not both',
    );
  });

  it('checks comparison strategies with the grammar', async () => {
    expect((await apiError(ws.api.getComparison({ runId: 1, strategies: ['p', 'p -> z'] }))).message).toBe(
      'strategies[1]: strategy "p -> z" names unknown optimizer "z"; valid tokens: "p", "w"',
    );
  });

  it('says not-found for missing rows and unknown methods, with a JSON shape', async () => {
    const missing = await apiError(ws.api.getExperiment({ experimentId: 999 }));
    expect(missing).toEqual({ code: 'not-found', message: 'experiment 999 does not exist' });
    expect((await apiError(ws.api.getTrace({ traceId: 5 }))).code).toBe('not-found');
    expect((await apiError(ws.api.callMethod('dropDatabase', {}))).code).toBe('not-found');
    expect(await ws.api.callMethod('listTasks', undefined)).toHaveLength(3);
    expect((await apiError(ws.api.callMethod('getRun', { runId: -1 }))).message).toBe('runId: must be ≥ 1, got -1');
    expect((await apiError(ws.api.pullModel({ repo: 'not a repo' }))).message).toMatch(/^repo: must be a hub repo id/);
    const error = ApiError.fromJSON({ code: 'conflict', message: 'x' });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('conflict');
  });
});
