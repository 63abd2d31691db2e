// Seeds run concurrently: the table equals the one seeds run one after another give, LM calls stay
// within the run's one concurrency limit, fine-tunes train one at a time, and a cancel or one
// seed's failure stops every seed, leaves nothing running or writing, and resumes to that table.
// The runner runs in this process against the stub server (its own process) on real SQLite
// files; a fake finetuner registers adapters with the stub, which then answers "tuned".

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFromFlags } from '../../core/cli/commands/run.ts';
import { FinetuneError, type FinetuneEvent, type FinetuneJob, type FinetuneResult, type Finetuner } from '../../core/finetune/finetuner.ts';
import { sleep } from '../../core/lm/concurrency.ts';
import { resolveLMOptions } from '../../core/lm/lm-config.ts';
import type { LMBinding } from '../../core/lm/lm-binding.ts';
import type { RunEvent } from '../../core/runner/events.ts';
import type { ExperimentSpec } from '../../core/runner/experiment-spec.ts';
import { resumeRun, startRun, type RunOptions, type RunOutcome } from '../../core/runner/run-experiment.ts';
import { openStore, type Store } from '../../core/store/index.ts';
import { startStubServer, type StubServerHandle } from '../fixtures/stub-server-process.ts';

const CONCURRENCY = 4;

/** Trains nothing: waits a little, writes a file, registers the adapter with the stub. */
class FakeFinetuner implements Finetuner {
  readonly name = 'fake';
  active = 0;
  peak = 0;
  jobs = 0;
  constructor(
    private readonly baseUrl: string,
    private readonly fail: (job: FinetuneJob, index: number) => boolean = () => false,
  ) {}

  async attach(adapterName: string, adapterDir: string, base: LMBinding): Promise<LMBinding> {
    // like the command finetuner: a name the server already serves is not loaded twice (vLLM refuses that)
    const models = (await (await fetch(`${this.baseUrl}/models`)).json()) as { data: Array<{ id: string }> };
    if (models.data.some((m) => m.id === adapterName)) return { ...base, model: adapterName, baseModel: base.baseModel ?? base.model };
    const res = await fetch(`${this.baseUrl}/load_lora_adapter`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lora_name: adapterName, lora_path: adapterDir }) });
    if (!res.ok) throw new FinetuneError(`the stub refused adapter ${adapterName}: ${res.status}`);
    return { ...base, model: adapterName, baseModel: base.baseModel ?? base.model };
  }

  async finetune(job: FinetuneJob, options: { onEvent?: (e: FinetuneEvent) => void; signal?: AbortSignal } = {}): Promise<FinetuneResult> {
    const index = this.jobs++;
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      options.onEvent?.({ type: 'start', rows: 1, steps: 1 });
      await sleep(150, options.signal).catch(() => {
        throw new FinetuneError('fine-tuning was cancelled');
      });
      if (this.fail(job, index)) throw new FinetuneError('the fake trainer failed');
      mkdirSync(job.outDir, { recursive: true });
      writeFileSync(path.join(job.outDir, 'adapter_model.bin'), 'fake');
      const binding = await this.attach(job.adapterName, job.outDir, job.base);
      return { adapterDir: job.outDir, binding, trainRows: 1, skipped: {}, seconds: 0.15, losses: [{ step: 1, loss: 1 }] };
    } finally {
      this.active--;
    }
  }
}

let stub: StubServerHandle;
let dir: string;
let spec: ExperimentSpec;
let reference: RunOutcome;

function stageKeys(store: Store, runId: number) {
  return store.stages
    .listForRun(runId)
    .map((s) => ({ seed: s.seed, prefix: s.prefix, status: s.status, scores: s.scores }))
    .sort((a, b) => a.seed! - b.seed! || a.prefix.localeCompare(b.prefix));
}

function options(store: Store, finetuner: Finetuner, extra: Partial<RunOptions> = {}): RunOptions {
  const lm = resolveLMOptions({ flags: { model: 'stub-model', baseUrl: stub.baseUrl, maxConcurrency: CONCURRENCY, maxRetries: 0, timeoutMs: 30_000 }, env: {} });
  return { store, runtime: { lm, finetuner }, ...extra };
}

let dbCount = 0;
function freshStore(): Store {
  const sub = path.join(dir, `db-${++dbCount}`);
  mkdirSync(sub);
  return openStore(path.join(sub, 'tandem.db'));
}

/** Nothing in flight and nothing written any more, a while after the run settled. */
async function expectQuiet(store: Store, runId: number, events: RunEvent[]): Promise<void> {
  const calls = store.lmCalls.count({ runId });
  const seen = events.length;
  await sleep(300);
  expect(store.lmCalls.count({ runId })).toBe(calls);
  expect(events.length).toBe(seen);
  expect((await stub.stats()).inFlight).toBe(0);
  expect(store.stages.listForRun(runId).filter((s) => s.status === 'running')).toEqual([]);
  expect(events.filter((e) => e.type === 'run-end')).toHaveLength(1);
  expect(events.at(-1)?.type).toBe('run-end');
}

beforeAll(async () => {
  stub = await startStubServer({ latencyMs: 10 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-seeds-'));
  spec = specFromFlags('iris', {
    strategies: 'p, p -> w',
    lm: 'openai:stub-model',
    baseUrl: stub.baseUrl,
    // a "w" step needs a fine-tuning backend; the runs below are given the fake one
    finetuneCommand: 'fake-trainer {base} {train} {out}',
    seed: 0,
    seeds: 3,
    concurrency: CONCURRENCY,
    candidates: 1,
    maxDemos: 3,
    maxLabeled: 3,
    rounds: 1,
    temperature: 0.1,
    maxTokens: 256,
    timeout: 30,
    retries: 0,
    cache: true,
    test: true,
  });
  const store = freshStore();
  try {
    reference = await startRun({ ...spec, seedConcurrency: 1 }, options(store, new FakeFinetuner(stub.baseUrl)));
  } finally {
    store.close();
  }
}, 120_000);

afterAll(async () => {
  await stub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('seeds run at once', () => {
  it('give the table of seeds run one after another, within one LM limit, one fine-tune at a time', async () => {
    const store = freshStore();
    try {
      const finetuner = new FakeFinetuner(stub.baseUrl);
      const events: RunEvent[] = [];
      await stub.resetStats();
      const outcome = await startRun(spec, options(store, finetuner, { onEvent: (e) => events.push(e) }));
      expect(outcome.results.rows).toEqual(reference.results.rows);
      const refStore = openStore(path.join(dir, 'db-1', 'tandem.db'));
      try {
        expect(stageKeys(store, outcome.runId)).toEqual(stageKeys(refStore, reference.runId));
      } finally {
        refStore.close();
      }

      // They did overlap: every seed's baseline started before any seed's baseline finished.
      const baselines = store.stages.listForRun(outcome.runId).filter((s) => s.kind === 'baseline');
      expect(Math.max(...baselines.map((s) => s.startedAt))).toBeLessThanOrEqual(Math.min(...baselines.map((s) => s.finishedAt!)));
      expect(events[0]).toMatchObject({ type: 'run-start', seedConcurrency: 3 });
      expect((await stub.stats()).maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
      expect(finetuner.jobs).toBe(3);
      expect(finetuner.peak).toBe(1);

      // Progress still adds up: plan places are unique, and the count of finished stages climbs to the total.
      const starts = events.filter((e): e is Extract<RunEvent, { type: 'stage-start' }> => e.type === 'stage-start');
      expect(new Set(starts.map((e) => e.index)).size).toBe(starts.length);
      expect(starts.every((e) => e.total === 9)).toBe(true);
      const ends = events.filter((e): e is Extract<RunEvent, { type: 'stage-end' }> => e.type === 'stage-end');
      expect(ends.map((e) => e.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      store.close();
    }
  }, 120_000);

  it('stop together when cancelled, and resume to the same table', async () => {
    const store = freshStore();
    try {
      const controller = new AbortController();
      const events: RunEvent[] = [];
      const onEvent = (e: RunEvent) => {
        events.push(e);
        if (e.type === 'optimizer' && e.event.type === 'candidate-end') controller.abort();
      };
      await expect(startRun(spec, options(store, new FakeFinetuner(stub.baseUrl), { signal: controller.signal, onEvent }))).rejects.toThrow();
      const runId = store.runs.list()[0]!.id;
      expect(store.runs.get(runId)).toMatchObject({ status: 'cancelled', error: 'cancelled' });
      await expectQuiet(store, runId, events);
      const stopped = store.stages.listForRun(runId).filter((s) => s.status === 'cancelled');
      expect(new Set(stopped.map((s) => s.seed)).size).toBe(3); // every seed was mid-way

      const resumed = await resumeRun(runId, options(store, new FakeFinetuner(stub.baseUrl)));
      expect(resumed.results.rows).toEqual(reference.results.rows);
      expect(store.stages.listForRun(runId)).toHaveLength(9); // continued, not duplicated
    } finally {
      store.close();
    }
  }, 120_000);

  it('all stop when one seed fails; the run fails with its error once every seed settled, and resumes', async () => {
    const store = freshStore();
    try {
      const events: RunEvent[] = [];
      const failing = new FakeFinetuner(stub.baseUrl, (_job, index) => index === 0);
      await expect(startRun(spec, options(store, failing, { onEvent: (e) => events.push(e) }))).rejects.toThrow('the fake trainer failed');
      const runId = store.runs.list()[0]!.id;
      expect(store.runs.get(runId)).toMatchObject({ status: 'failed', error: 'the fake trainer failed' });
      expect(events.at(-1)).toEqual({ type: 'run-end', runId, status: 'failed', error: 'the fake trainer failed' });
      await expectQuiet(store, runId, events);
      const stages = store.stages.listForRun(runId);
      const failed = stages.filter((s) => s.status === 'failed');
      expect(failed.map((s) => [s.kind, s.error])).toEqual([['w', 'the fake trainer failed']]);
      const others = stages.filter((s) => s.status === 'cancelled');
      expect(others.length).toBeGreaterThan(0);
      for (const s of others) expect(s.error).toBe(`cancelled: seed ${failed[0]!.seed} failed`);
      expect(stages.every((s) => ['finished', 'failed', 'cancelled'].includes(s.status))).toBe(true);

      const resumed = await resumeRun(runId, options(store, new FakeFinetuner(stub.baseUrl)));
      expect(resumed.results.rows).toEqual(reference.results.rows);
    } finally {
      store.close();
    }
  }, 120_000);
});
