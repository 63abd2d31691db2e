import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../core/store/index.ts';
import { makeCall, makeTrace, sampleState, seedRun, tempStore, type TempStore } from './helpers.ts';

let t: TempStore;
beforeEach(() => (t = tempStore()));
afterEach(() => t.cleanup());

describe('experiments', () => {
  it('creates, gets and lists newest first', () => {
    const a = t.store.experiments.create({ name: 'first', task: 'iris', config: { seeds: [1, 2] } });
    const b = t.store.experiments.create({ name: 'second', task: 'gsm8k' });
    expect(t.store.experiments.get(a)).toEqual({ id: a, name: 'first', task: 'iris', config: { seeds: [1, 2] }, createdAt: expect.any(Number) });
    expect(t.store.experiments.get(b)?.config).toEqual({});
    expect(t.store.experiments.get(12345)).toBeUndefined();
    expect(t.store.experiments.list().map((e) => e.name)).toEqual(['second', 'first']);
  });
});

describe('runs', () => {
  it('creates, gets and lists newest first, per experiment and status', () => {
    const e1 = t.store.experiments.create({ name: 'e1', task: 'iris' });
    const e2 = t.store.experiments.create({ name: 'e2', task: 'gsm8k' });
    const r1 = t.store.runs.create({ experimentId: e1, strategy: 'p', seed: 0, lm: { model: 'm' }, config: { concurrency: 4 } });
    const r2 = t.store.runs.create({ experimentId: e1, strategy: 'p -> w', seed: 1, lm: { model: 'm' } });
    const r3 = t.store.runs.create({ experimentId: e2, strategy: 'w', seed: 0, lm: { model: 'n' } });
    expect(t.store.runs.get(r1)).toMatchObject({
      id: r1,
      experimentId: e1,
      task: 'iris',
      strategy: 'p',
      seed: 0,
      lm: { model: 'm' },
      config: { concurrency: 4 },
      status: 'pending',
      error: null,
      summary: null,
      startedAt: null,
      finishedAt: null,
    });
    expect(t.store.runs.list().map((r) => r.id)).toEqual([r3, r2, r1]);
    expect(t.store.runs.list({ experimentId: e1 }).map((r) => r.id)).toEqual([r2, r1]);
    t.store.runs.setStatus(r2, 'running');
    expect(t.store.runs.list({ status: 'running' }).map((r) => r.id)).toEqual([r2]);
    expect(t.store.runs.get(999)).toBeUndefined();
  });

  it('stamps start and end times through the lifecycle and keeps errors', () => {
    const { runId } = seedRun(t.store);
    t.store.runs.setStatus(runId, 'running');
    const running = t.store.runs.get(runId)!;
    expect(running.status).toBe('running');
    expect(running.startedAt).toEqual(expect.any(Number));
    expect(running.finishedAt).toBeNull();

    t.store.runs.setStatus(runId, 'failed', 'the LM server went away');
    const failed = t.store.runs.get(runId)!;
    expect(failed).toMatchObject({ status: 'failed', error: 'the LM server went away', startedAt: running.startedAt });
    expect(failed.finishedAt).toBeGreaterThan(running.startedAt!);

    // Resuming clears the end and the error but keeps the first start.
    t.store.runs.setStatus(runId, 'running');
    expect(t.store.runs.get(runId)).toMatchObject({ status: 'running', error: null, finishedAt: null, startedAt: running.startedAt });

    t.store.runs.finish(runId, { best: 'p', scores: { test: 61.5 } });
    expect(t.store.runs.get(runId)).toMatchObject({ status: 'finished', summary: { best: 'p', scores: { test: 61.5 } }, error: null });
    expect(t.store.runs.get(runId)!.finishedAt).toEqual(expect.any(Number));
  });

  it('says which run does not exist', () => {
    expect(() => t.store.runs.setStatus(404, 'running')).toThrow(new StoreError('not-found', 'run 404 does not exist'));
    expect(() => t.store.runs.finish(404, {})).toThrow(/run 404 does not exist/);
  });

  it('rejects an unknown status through the schema', () => {
    const { runId } = seedRun(t.store);
    expect(() => t.store.runs.setStatus(runId, 'exploded' as never)).toThrow(/CHECK constraint/);
  });
});

describe('stages', () => {
  it('creates running stages, finishes and fails them, lists them per run', () => {
    const { runId, stageId: p } = seedRun(t.store);
    const w = t.store.stages.create({ runId, parentStageId: p, kind: 'w', prefix: 'p -> w' });
    expect(t.store.stages.get(w)).toMatchObject({ runId, parentStageId: p, kind: 'w', prefix: 'p -> w', status: 'running', programState: null, finishedAt: null });

    t.store.stages.finish(p, { programState: sampleState, modelId: 'llama-3.2-1b-instruct', scores: { val: 0.5, test: 0.25 } });
    t.store.stages.fail(w, 'fine-tuning failed: out of memory');
    const [first, second] = t.store.stages.listForRun(runId);
    expect(first).toMatchObject({ id: p, status: 'finished', programState: sampleState, modelId: 'llama-3.2-1b-instruct', scores: { val: 0.5, test: 0.25 }, error: null });
    expect(first!.finishedAt).toEqual(expect.any(Number));
    expect(second).toMatchObject({ id: w, status: 'failed', error: 'fine-tuning failed: out of memory', programState: null });

    const c = t.store.stages.create({ runId, parentStageId: w, kind: 'p', prefix: 'p -> w -> p' });
    t.store.stages.fail(c, 'stopped by the user', 'cancelled');
    expect(t.store.stages.get(c)?.status).toBe('cancelled');
  });

  it('rejects non-finite scores and unknown ids', () => {
    const { stageId } = seedRun(t.store);
    expect(() => t.store.stages.finish(stageId, { programState: sampleState, modelId: null, scores: { val: Number.NaN } })).toThrow(/finite number/);
    expect(t.store.stages.get(stageId)?.status).toBe('running');
    expect(() => t.store.stages.finish(999, { programState: sampleState, modelId: null, scores: {} })).toThrow(/stage 999 does not exist/);
    expect(() => t.store.stages.fail(999, 'x')).toThrow(/stage 999 does not exist/);
  });
});

describe('traces', () => {
  it('saves traces with their calls and reads them back whole', () => {
    const { runId, stageId } = seedRun(t.store);
    const failing = makeCall({ predictor: 'generate_query[1]', completion: null, outputs: null, error: { kind: 'lm:timeout', message: 'timed out after 30 s' }, attempts: 3 });
    const traces = [
      makeTrace([makeCall({ parseFallback: 'json', cached: true, latencyMs: 0 })]),
      makeTrace([makeCall({ predictor: 'generate_query[0]' }), failing], { exampleId: 'ex-2' }),
    ];
    const ids = t.store.traces.saveMany({ runId, stageId, purpose: 'bootstrap' }, traces);
    expect(ids).toHaveLength(2);

    const first = t.store.traces.get(ids[0]!)!;
    expect(first).toMatchObject({ id: ids[0], runId, stageId, purpose: 'bootstrap', exampleId: 'ex-1', inputs: traces[0]!.inputs, prediction: { answer: '4' }, error: null });
    expect(first.calls).toHaveLength(1);
    const { id: _id, traceId, runId: callRun, stageId: callStage, index, ...call } = first.calls[0]!;
    expect(call).toEqual(traces[0]!.calls[0]);
    expect({ traceId, callRun, callStage, index }).toEqual({ traceId: ids[0], callRun: runId, callStage: stageId, index: 0 });

    const second = t.store.traces.get(ids[1]!)!;
    expect(second.error).toEqual({ kind: 'lm:timeout', message: 'timed out after 30 s' });
    expect(second.prediction).toBeNull();
    expect(second.calls.map((c) => c.predictor)).toEqual(['generate_query[0]', 'generate_query[1]']);
    expect(second.calls[1]).toMatchObject({ completion: null, outputs: null, attempts: 3, error: { kind: 'lm:timeout' } });
    expect(t.store.lmCalls.get(second.calls[1]!.id)).toEqual(second.calls[1]);
    expect(t.store.traces.get(999)).toBeUndefined();
  });

  it('saves an empty batch', () => {
    const { runId } = seedRun(t.store);
    expect(t.store.traces.saveMany({ runId, stageId: null, purpose: 'eval' }, [])).toEqual([]);
  });
});

describe('evaluations', () => {
  it('saves the evaluation, its traces and results; failures count as 0 and as errors', () => {
    const { runId, stageId } = seedRun(t.store);
    const failedTrace = makeTrace([makeCall({ completion: 'garbage', outputs: null, error: { kind: 'parse', message: 'no [[ ## answer ## ]] header' } })], { exampleId: 'ex-3' });
    const summary = t.store.evaluations.save({
      runId,
      stageId,
      split: 'test',
      results: [
        { exampleIndex: 0, exampleId: 'ex-1', score: 1, passed: true, prediction: { answer: '4' }, trace: makeTrace() },
        { exampleIndex: 1, exampleId: 'ex-2', score: 0.5, passed: false, prediction: { answer: '5' }, trace: makeTrace(undefined, { exampleId: 'ex-2' }) },
        // A metric may have said 1 for an errored example; it still counts as 0.
        { exampleIndex: 2, exampleId: 'ex-3', score: 1, passed: true, prediction: null, trace: failedTrace },
      ],
    });
    expect(summary).toEqual({ evaluationId: expect.any(Number), score: 0.5, n: 3, errors: 1 });

    expect(t.store.evaluations.get(summary.evaluationId)).toMatchObject({ runId, stageId, candidateId: null, split: 'test', score: 0.5, n: 3, errors: 1 });
    expect(t.store.evaluations.listForRun(runId).map((e) => e.id)).toEqual([summary.evaluationId]);
    expect(t.store.evaluations.listForStage(stageId).map((e) => e.id)).toEqual([summary.evaluationId]);

    const results = t.store.evaluations.results(summary.evaluationId);
    expect(results.map((r) => [r.exampleIndex, r.exampleId, r.score, r.passed])).toEqual([
      [0, 'ex-1', 1, true],
      [1, 'ex-2', 0.5, false],
      [2, 'ex-3', 0, false],
    ]);
    expect(results[2]!.error).toEqual({ kind: 'parse', message: 'no [[ ## answer ## ]] header' });
    expect(results[0]!.prediction).toEqual({ answer: '4' });
    const trace = t.store.traces.get(results[2]!.traceId!)!;
    expect(trace).toMatchObject({ purpose: 'eval', stageId, exampleId: 'ex-3' });
    expect(trace.calls[0]!.completion).toBe('garbage');
    expect(t.count('lm_calls')).toBe(3);
  });

  it('scores an empty evaluation as 0 of 0', () => {
    const { runId } = seedRun(t.store);
    expect(t.store.evaluations.save({ runId, split: 'val', results: [] })).toMatchObject({ score: 0, n: 0, errors: 0 });
  });
});

describe('candidates', () => {
  const results = (scores: number[]) =>
    scores.map((score, i) => ({ exampleIndex: i, exampleId: `ex-${i}`, score, passed: score === 1, prediction: { answer: String(score) }, trace: makeTrace() }));

  it('saves each candidate with its validation evaluation, lists them, and marks one best', () => {
    const { runId, stageId } = seedRun(t.store);
    const a = t.store.candidates.save({ stageId, idx: 0, kind: 'zero-shot', seed: -3, numDemos: 0, programState: sampleState, evaluation: { split: 'val', results: results([1, 0]) } });
    const b = t.store.candidates.save({
      stageId,
      idx: 1,
      kind: 'bootstrap',
      seed: 17,
      numDemos: 4,
      programState: sampleState,
      // The same input as evaluations.save, as the runner builds it.
      evaluation: { runId, stageId, split: 'val', results: results([1, 1]) },
    });
    expect(a).toMatchObject({ score: 0.5, n: 2, errors: 0 });
    expect(b.score).toBe(1);

    t.store.candidates.markBest(stageId, a.candidateId);
    t.store.candidates.markBest(stageId, b.candidateId);
    const list = t.store.candidates.listForStage(stageId);
    expect(list.map((c) => [c.idx, c.kind, c.seed, c.numDemos, c.score, c.isBest])).toEqual([
      [0, 'zero-shot', -3, 0, 0.5, false],
      [1, 'bootstrap', 17, 4, 1, true],
    ]);
    expect(list[1]!.programState).toEqual(sampleState);
    expect(list[1]!.evaluationId).toBe(b.evaluationId);
    expect(t.store.evaluations.get(b.evaluationId)).toMatchObject({ runId, stageId, candidateId: b.candidateId, split: 'val' });
    expect(t.store.candidates.get(a.candidateId)?.isBest).toBe(false);
  });

  it('refuses an evaluation for another run or stage, a stage that does not exist, and a best from another stage', () => {
    const { runId, stageId } = seedRun(t.store);
    const other = t.store.stages.create({ runId, kind: 'p', prefix: 'p' });
    const base = { idx: 0, kind: 'labeled' as const, seed: 1, numDemos: 2, programState: sampleState };
    expect(() => t.store.candidates.save({ ...base, stageId, evaluation: { runId: runId + 1, split: 'val', results: [] } })).toThrow(/was given an evaluation for run/);
    expect(() => t.store.candidates.save({ ...base, stageId, evaluation: { stageId: other, split: 'val', results: [] } })).toThrow(StoreError);
    expect(() => t.store.candidates.save({ ...base, stageId: 999, evaluation: { split: 'val', results: [] } })).toThrow(/stage 999 does not exist/);
    const c = t.store.candidates.save({ ...base, stageId: other, evaluation: { split: 'val', results: [] } });
    expect(() => t.store.candidates.markBest(stageId, c.candidateId)).toThrow(/belongs to stage/);
    expect(() => t.store.candidates.markBest(stageId, 999)).toThrow(/candidate 999 does not exist/);
    expect(t.count('candidates')).toBe(1);
  });

  it('keeps idx unique per stage', () => {
    const { stageId } = seedRun(t.store);
    const input = { stageId, idx: 0, kind: 'shuffled' as const, seed: 1, numDemos: 1, programState: sampleState, evaluation: { split: 'val', results: results([1]) } };
    t.store.candidates.save(input);
    expect(() => t.store.candidates.save(input)).toThrow(/UNIQUE/);
    expect(t.count('evaluations')).toBe(1);
    expect(t.count('lm_calls')).toBe(1);
  });
});

describe('deleting a run', () => {
  it('cascades to everything below it, full-text entries included', () => {
    const { runId, stageId } = seedRun(t.store);
    t.store.candidates.save({ stageId, idx: 0, kind: 'zero-shot', seed: 0, numDemos: 0, programState: sampleState, evaluation: { split: 'val', results: [{ exampleIndex: 0, exampleId: 'a', score: 1, passed: true, prediction: null, trace: makeTrace() }] } });
    expect(t.store.lmCalls.count({ search: 'question' })).toBe(1);
    const raw = new Database(t.file);
    try {
      raw.pragma('foreign_keys = ON');
      raw.prepare('DELETE FROM runs WHERE id = ?').run(runId);
      expect(raw.prepare("SELECT count(*) FROM lm_calls_fts WHERE lm_calls_fts MATCH 'question'").pluck().get()).toBe(0);
    } finally {
      raw.close();
    }
    for (const table of ['stages', 'candidates', 'evaluations', 'example_results', 'traces', 'lm_calls', 'lm_call_bodies']) expect(t.count(table)).toBe(0);
  });
});
