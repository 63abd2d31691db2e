// The store's query repositories, which read across tables for the API's views: pages of an
// evaluation's example results, flip matrices between two evaluations, the example result behind
// a trace, and deleting an experiment with everything under it.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, StoreError, type Store } from '../../../core/store/index.ts';
import { makeCall, makeTrace, seedRun, tempStore, type TempStore } from './helpers.ts';

let t: TempStore;
beforeEach(() => (t = tempStore()));
afterEach(() => t.cleanup());

const result = (i: number, exampleId: string | null, passed: boolean, answer = 'yes') => ({
  exampleIndex: i,
  exampleId,
  score: passed ? 1 : 0,
  passed,
  prediction: { answer },
  labels: { answer: 'yes' },
  trace: makeTrace([makeCall({ inputs: { question: `q${i}` }, outputs: { answer } })], { exampleId, inputs: { question: `q${i}` } }),
});

/** Saves one evaluation of the results on a fresh run's stage. */
function evaluate(store: Store, results: Array<ReturnType<typeof result>>) {
  const { runId, stageId } = seedRun(store);
  return { runId, stageId, ...store.evaluations.save({ runId, stageId, split: 'dev', results }) };
}

describe('example result pages', () => {
  it('pages by cursor with the total, searches, and refuses a cursor of another query', () => {
    const { evaluationId } = evaluate(t.store, [result(0, 'ex-0', true), result(1, 'ex-1', false, 'no'), result(2, 'ex-2', true)]);
    const first = t.store.exampleResultPages.page(evaluationId, { sort: 'index', limit: 2 });
    expect(first.total).toBe(3);
    expect(first.rows.map((r) => r.exampleId)).toEqual(['ex-0', 'ex-1']);
    expect(first.rows[0]).toMatchObject({ inputs: { question: 'q0' }, labels: { answer: 'yes' }, prediction: { answer: 'yes' }, passed: true });
    const second = t.store.exampleResultPages.page(evaluationId, { sort: 'index', limit: 2, cursor: first.nextCursor });
    expect(second.rows.map((r) => r.exampleId)).toEqual(['ex-2']);
    expect(second.nextCursor).toBeNull();

    expect(t.store.exampleResultPages.page(evaluationId, { sort: 'score-desc', limit: 10, search: 'q1' }).rows.map((r) => r.exampleIndex)).toEqual([1]);
    expect(t.store.exampleResultPages.page(evaluationId, { sort: 'index', limit: 10, passed: false }).total).toBe(1);

    const wrongSort = () => t.store.exampleResultPages.page(evaluationId, { sort: 'score', limit: 2, cursor: first.nextCursor });
    expect(wrongSort).toThrow(StoreError);
    expect(wrongSort).toThrow(/belongs to another query/);
    expect(() => t.store.exampleResultPages.page(evaluationId, { sort: 'index', limit: 2, cursor: 'garbage' })).toThrow(/is not a cursor/);
  });

  it('works on an in-memory store too', () => {
    const store = openStore(':memory:');
    try {
      const { evaluationId } = evaluate(store, [result(0, 'ex-0', true)]);
      expect(store.exampleResultPages.page(evaluationId, { sort: 'index', limit: 5, search: 'ex-0' }).total).toBe(1);
    } finally {
      store.close();
    }
  });
});

describe('flip matrices', () => {
  it('matches examples by id (by position without one) and lists the flips in the baseline order', () => {
    const { runId, stageId } = seedRun(t.store);
    const base = t.store.evaluations.save({
      runId,
      stageId,
      split: 'test',
      results: [result(0, 'a', true), result(1, 'b', false), result(2, 'c', true), result(3, null, false), result(4, 'only-base', true)],
    });
    const other = t.store.evaluations.save({
      runId,
      stageId,
      split: 'test',
      results: [result(0, 'c', true), result(1, 'b', true), result(2, 'a', false), result(3, null, false)],
    });
    const matrix = t.store.flips.between(base.evaluationId, other.evaluationId);
    expect(matrix).toMatchObject({ n: 4, bothRight: 1, bothWrong: 1, rightToWrong: 1, wrongToRight: 1 });
    expect(matrix.rightToWrongExamples).toEqual([expect.objectContaining({ exampleId: 'a', exampleIndex: 0 })]);
    expect(matrix.wrongToRightExamples).toEqual([expect.objectContaining({ exampleId: 'b', exampleIndex: 1 })]);
    const [a] = t.store.evaluations.results(base.evaluationId);
    const aOther = t.store.evaluations.results(other.evaluationId)[2];
    expect(matrix.rightToWrongExamples[0]).toMatchObject({ baselineTraceId: a!.traceId, traceId: aOther!.traceId });
  });
});

describe('trace lookups', () => {
  it("gives an evaluation trace's example result with its labels, and null for other traces", () => {
    const { runId, stageId, evaluationId } = evaluate(t.store, [result(0, 'ex-0', true)]);
    const [stored] = t.store.evaluations.results(evaluationId);
    expect(t.store.traces.exampleResult(stored!.traceId!)).toEqual({
      evaluationId,
      split: 'dev',
      stageId,
      candidateId: null,
      exampleIndex: 0,
      score: 1,
      passed: true,
      labels: { answer: 'yes' },
    });
    const [bootstrap] = t.store.traces.saveMany({ runId, stageId, purpose: 'bootstrap' }, [makeTrace()]);
    expect(t.store.traces.exampleResult(bootstrap!)).toBeNull();
  });
});

describe('deleting an experiment', () => {
  it('removes its runs and everything under them, and says how many runs went', () => {
    const { experimentId, runId, stageId } = seedRun(t.store);
    t.store.runs.create({ experimentId, strategy: 'w', seed: 1, lm: {} });
    t.store.evaluations.save({ runId, stageId, split: 'dev', results: [result(0, 'ex-0', true)] });
    const kept = seedRun(t.store);
    expect(t.store.experiments.delete(experimentId)).toBe(2);
    expect(t.store.experiments.get(experimentId)).toBeUndefined();
    expect(t.store.runs.list({ experimentId })).toEqual([]);
    expect(t.count('example_results')).toBe(0);
    expect(t.count('example_results_fts')).toBe(0);
    expect(t.count('traces')).toBe(0);
    expect(t.count('lm_calls')).toBe(0);
    expect(t.store.runs.get(kept.runId)).toBeDefined();
    expect(t.store.experiments.delete(experimentId)).toBe(0);
  });
});
