// Experiments through the API on a real SQLite file: create (the spec the CLI would build, and no
// run), list, get, delete (refused while a run is active, cascading otherwise); a run that cannot
// start ends failed with the reason; a run cancelled before the runner began ends cancelled.

import { afterEach, describe, expect, it } from 'vitest';
import { specFromFlags, type RunFlags } from '../../../core/cli/commands/run.ts';
import type { OpenRuntime, RunRuntime } from '../../../core/api/index.ts';
import { LMError } from '../../../core/lm/errors.ts';
import { openStore } from '../../../core/store/index.ts';
import { apiError, openWorkspace, runEnded, statuses, type Workspace } from './helpers.ts';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

const lm = { provider: 'openai', model: 'stub-model', baseUrl: 'http://127.0.0.1:9/v1' } as const;

/** The defaults commander gives `tandem run`. */
const CLI_DEFAULTS: RunFlags = {
  seed: 0, seeds: 1, concurrency: 16, candidates: 6, maxDemos: 3, maxLabeled: 3, rounds: 1,
  temperature: 0.1, maxTokens: 1024, timeout: 120, retries: 4, cache: true, test: true,
};

describe('experiments', () => {
  it('creates, lists, gets and deletes, with the spec the CLI builds', async () => {
    ws = openWorkspace();
    const { api } = ws;
    expect(await api.listExperiments()).toEqual([]);
    const tasks = await api.listTasks();
    expect(tasks.map((t) => t.name)).toEqual(['gsm8k', 'hotpotqa', 'iris']);
    // A task says what it checks besides its metric and what it retrieves from by default.
    const hotpot = tasks.find((t) => t.name === 'hotpotqa')!;
    expect(hotpot.checks.map((c) => [c.name, c.module])).toEqual([
      ['recall_hop1', 'generate_query[0]'],
      ['recall_hop2', 'generate_query[1]'],
      ['answer_f1', 'generate_answer'],
    ]);
    expect(hotpot.defaultRetriever).toBe('bm25:hotpotqa');
    expect(tasks.find((t) => t.name === 'iris')).toMatchObject({ checks: [], defaultRetriever: null });

    const created = await api.createExperiment({ task: 'iris', strategies: 'p, p', seeds: 2, lm, optimizer: { candidates: 2 } });
    expect(created).toMatchObject({ name: 'iris: p', task: 'iris', strategies: ['p'], seeds: [0, 1], runCount: 0, latestRun: null, best: null, runs: [] });
    const cli = specFromFlags('iris', { ...CLI_DEFAULTS, strategy: 'p', seeds: 2, candidates: 2, lm: 'openai:stub-model', baseUrl: lm.baseUrl });
    expect(created.spec).toEqual(cli);
    expect(ws.events).toContainEqual({ type: 'experiment-created', experimentId: created.id });

    const second = await api.createExperiment({ name: 'gsm', task: 'gsm8k', lm, evalSplits: ['dev'] });
    expect(second.spec?.evalSplits).toEqual(['dev']);
    expect((await api.listExperiments()).map((e) => e.id)).toEqual([second.id, created.id]);
    expect((await api.listExperiments({ task: 'iris' })).map((e) => e.id)).toEqual([created.id]);
    expect(await api.listRuns()).toEqual([]); // creating runs nothing

    expect(await api.deleteExperiment({ experimentId: second.id })).toEqual({ experimentId: second.id, deletedRuns: 0 });
    expect((await apiError(api.getExperiment({ experimentId: second.id }))).code).toBe('not-found');
    expect((await apiError(api.deleteExperiment({ experimentId: second.id }))).code).toBe('not-found');
  });

  it('refuses to start a run whose LM cannot work, before writing a row', async () => {
    ws = openWorkspace();
    const { api } = ws;
    const remote = await api.createExperiment({ task: 'iris', lm: { provider: 'openai', model: 'gpt-x', baseUrl: 'https://api.example.com/v1' } });
    expect(await apiError(api.startRun({ experimentId: remote.id }))).toEqual({
      code: 'config',
      message: 'no API key for https://api.example.com/v1: set the OPENAI_API_KEY environment variable (or name another variable with --api-key-env)',
    });
    const local = await api.createExperiment({ task: 'iris', lm: { provider: 'local', model: 'nope' } });
    const error = await apiError(api.startRun({ experimentId: local.id }));
    expect(error.code).toBe('config');
    expect(error.message).toMatch(/^unknown model "nope"/);
    expect(await api.listRuns()).toEqual([]);
    expect((await apiError(api.startRun({ experimentId: 99 }))).code).toBe('not-found');
  });

  it('records a run whose runtime cannot open as failed, with the reason', async () => {
    const openRuntime: OpenRuntime = async () => {
      throw new LMError('config', 'no API key for https://api.example.com/v1: set the OPENAI_API_KEY environment variable');
    };
    ws = openWorkspace({ openRuntime });
    const { api } = ws;
    const { id } = await api.createExperiment({ task: 'iris', lm });
    const { runId } = await api.startRun({ experimentId: id });
    await ws.waitFor(runEnded(runId));
    const run = await api.getRun({ runId });
    expect(run.run).toMatchObject({ status: 'failed', active: false, error: expect.stringMatching(/^no API key/) });
    expect(run.spec?.strategies).toEqual(['p']);
    expect(statuses(ws.events, runId)).toEqual(['pending', 'failed']);
    expect(ws.events.filter((e) => e.type === 'run-event').map((e) => e.type === 'run-event' && e.event.type)).toEqual(['run-end']);
    expect((await api.getExperiment({ experimentId: id })).latestRun).toMatchObject({ id: runId, status: 'failed' });
  });

  it('refuses to delete or start twice while a run is active; cancel ends it; then delete cascades', async () => {
    let release!: (runtime: RunRuntime) => void;
    const openRuntime: OpenRuntime = () => new Promise((resolve) => (release = resolve));
    ws = openWorkspace({ openRuntime });
    const { api } = ws;
    const { id } = await api.createExperiment({ task: 'iris', lm });
    const { runId } = await api.startRun({ experimentId: id });
    expect(api.activeRuns()).toEqual([runId]);
    expect((await api.listRuns({ experimentId: id }))[0]).toMatchObject({ id: runId, status: 'pending', active: true });

    expect(await apiError(api.deleteExperiment({ experimentId: id }))).toEqual({
      code: 'conflict',
      message: `experiment ${id} has run ${runId} going; cancel it before deleting the experiment`,
    });
    expect((await apiError(api.startRun({ experimentId: id }))).code).toBe('conflict');
    expect((await apiError(api.resumeRun({ runId }))).code).toBe('conflict');

    const cancelled = api.cancelRun({ runId });
    release({ lm: { provider: 'openai', model: 'stub-model', baseUrl: lm.baseUrl, apiKeyEnv: 'OPENAI_API_KEY', sources: { model: '', baseUrl: '' } }, finetuner: undefined, close: async () => {} });
    expect(await cancelled).toEqual({ runId, status: 'cancelled' });
    expect(statuses(ws.events, runId)).toEqual(['pending', 'cancelled']);
    expect((await apiError(api.cancelRun({ runId }))).message).toBe(`run ${runId} is not running (it is cancelled)`);

    expect(await api.deleteExperiment({ experimentId: id })).toEqual({ experimentId: id, deletedRuns: 1 });
    expect((await apiError(api.getRun({ runId }))).code).toBe('not-found');
    const store = openStore(ws.dbPath);
    try {
      expect(store.runs.list()).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('keeps a throwing listener from stopping the others', async () => {
    const errors: unknown[] = [];
    ws = openWorkspace({ onListenerError: (e) => errors.push(e) });
    ws.api.subscribe(() => {
      throw new Error('listener bug');
    });
    const seen: string[] = [];
    const off = ws.api.subscribe((e) => seen.push(e.type));
    await ws.api.createExperiment({ task: 'iris', lm });
    off();
    await ws.api.createExperiment({ task: 'iris', lm });
    expect(seen).toEqual(['experiment-created']);
    expect(errors).toHaveLength(2);
  });
});
