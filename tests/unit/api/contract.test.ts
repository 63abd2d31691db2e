// The API against its contract: every method the contract names is implemented and dispatchable,
// listStepKinds answers the step registry's list, and the runner's events reach front ends
// translated into the contract's events with every field they carried.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS, toRunProgress } from '../../../core/api/index.ts';
import { API_METHOD_NAMES, isApiMethodName } from '../../../core/contract/methods.ts';
import { ComparisonInput } from '../../../core/contract/schemas.ts';
import type { RunEvent } from '../../../core/runner/events.ts';
import { stepKinds } from '../../../core/runner/steps/registry.ts';
import { apiError, openWorkspace, type Workspace } from './helpers.ts';

let ws: Workspace;
beforeAll(() => {
  ws = openWorkspace();
});
afterAll(async () => {
  await ws.close();
});

describe('the API and its contract', () => {
  it('implements exactly the contract’s methods, each with an input schema', () => {
    expect(Object.keys(API_METHODS).sort()).toEqual([...API_METHOD_NAMES].sort());
    for (const name of API_METHOD_NAMES) expect(typeof ws.api[name]).toBe('function');
    expect(new Set(API_METHOD_NAMES).size).toBe(API_METHOD_NAMES.length);
    expect(isApiMethodName('listStepKinds')).toBe(true);
    expect(isApiMethodName('toString')).toBe(false);
  });

  it('lists the registered step kinds', async () => {
    const kinds = await ws.api.listStepKinds();
    expect(kinds).toEqual(stepKinds());
    expect(kinds.map((k) => [k.token, k.needsFinetuner])).toEqual([
      ['p', false],
      ['w', true],
    ]);
    expect(await ws.api.callMethod('listStepKinds', undefined)).toEqual(kinds);
  });
});

describe('input vocabulary', () => {
  it('checks strategy grammar in the contract and the registered tokens in the API, with the same messages', async () => {
    const grammarOnly = ComparisonInput.safeParse({ runId: 1, strategies: ['p -> z'] });
    expect(grammarOnly.success && grammarOnly.data.strategies).toEqual(['p -> z']);
    expect(ComparisonInput.safeParse({ runId: 1, strategies: ['p ->'] }).success).toBe(false);
    const checked = API_METHODS.getComparison.safeParse({ runId: 1, strategies: ['p', 'p -> z'] });
    expect(checked.success).toBe(false);
    expect((await apiError(ws.api.getComparison({ runId: 1, baseline: 'p->z' }))).message).toBe('baseline: strategy "p->z" names unknown optimizer "z"; valid tokens: "p", "w"');
  });
});

describe('toRunProgress', () => {
  const events: RunEvent[] = [
    { type: 'run-start', runId: 1, experimentId: 2, task: 'iris', strategies: ['p', 'p -> w'], seeds: [0, 1], seedConcurrency: 2, resumed: false },
    { type: 'stage-start', runId: 1, stageId: 3, kind: 'p', prefix: 'p', seed: 0, index: 2, total: 6, done: 1 },
    { type: 'optimizer', stageId: 3, event: { type: 'bootstrap-progress', candidate: 2, tried: 5, passed: 3, total: 10, wanted: 4 } },
    { type: 'optimizer', stageId: 3, event: { type: 'candidate-start', index: 1, total: 9, kind: 'labeled', seed: 7 } },
    { type: 'optimizer', stageId: 3, event: { type: 'evaluation-progress', candidate: null, done: 4, total: 20, score: 0.5, errors: 1 } },
    { type: 'optimizer', stageId: 3, event: { type: 'candidate-end', index: 1, total: 9, kind: 'shuffled', score: 0.6, errors: 0, numDemos: 3, bestIndex: 0, bestScore: 0.7 } },
    { type: 'evaluation-start', stageId: 3, split: 'dev', total: 30 },
    { type: 'evaluation-progress', stageId: 3, split: 'dev', done: 10, total: 30, score: 0.4, errors: 2 },
    { type: 'evaluation-end', stageId: 3, split: 'test', score: 0.8, n: 30, errors: 0 },
    { type: 'stage-end', runId: 1, stageId: 3, kind: 'p', prefix: 'p', seed: 0, scores: { dev: 0.5, test: 0.8 }, done: 2 },
    { type: 'stage-end', runId: 1, stageId: 4, kind: 'w', prefix: 'p -> w', seed: 0, scores: {}, outcome: 'no-passing-traces', done: 3 },
    { type: 'finetune', stageId: 4, event: { type: 'start', rows: 12, steps: null } },
    { type: 'finetune', stageId: 4, event: { type: 'step', step: 3, epoch: 0.5, loss: 1.25, tokensPerS: null, etaS: 9 } },
    { type: 'finetune', stageId: 4, event: { type: 'eval', validLoss: 0.9 } },
    { type: 'finetune', stageId: 4, event: { type: 'log', line: 'epoch 1' } },
    { type: 'warning', message: 'the engine died; restarting in 500 ms' },
    { type: 'lm-counters', counters: { calls: 10, cacheHits: 4, errors: 1, parseFallbacks: 2, retries: 3 } },
    { type: 'run-end', runId: 1, status: 'failed', error: 'boom' },
    { type: 'run-end', runId: 1, status: 'finished' },
  ];

  it('carries every field of every runner event, as plain JSON', () => {
    for (const event of events) {
      const translated = toRunProgress(event);
      expect(translated).toEqual(event);
      expect(JSON.parse(JSON.stringify(translated))).toEqual(translated);
    }
  });

  it('copies, so a runner that reuses its objects does not change what front ends got', () => {
    const start = events[0] as Extract<RunEvent, { type: 'run-start' }>;
    const translated = toRunProgress(start) as typeof start;
    expect(translated.strategies).not.toBe(start.strategies);
  });

  it('leaves out fields the runner leaves out', () => {
    expect('error' in toRunProgress({ type: 'run-end', runId: 1, status: 'finished' })).toBe(false);
    expect('outcome' in toRunProgress(events[9]!)).toBe(false);
  });
});
