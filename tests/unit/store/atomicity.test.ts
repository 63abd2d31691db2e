// Every unit of work is one transaction: when anything in it fails, nothing of it is left.

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../core/store/index.ts';
import { makeCall, makeTrace, sampleState, seedRun, tempStore, type TempStore } from './helpers.ts';

let t: TempStore;
beforeEach(() => (t = tempStore()));
afterEach(() => t.cleanup());

const TABLES = ['traces', 'lm_calls', 'lm_call_bodies', 'evaluations', 'example_results', 'example_results_fts', 'candidates'];

function rowCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = t.count(table);
  const db = new Database(t.file, { readonly: true });
  try {
    counts.fts = db.prepare("SELECT count(*) FROM lm_calls_fts WHERE lm_calls_fts MATCH 'question OR answer'").pluck().get() as number;
  } finally {
    db.close();
  }
  return counts;
}

const badCall = () => makeCall({ latencyMs: -5 }); // violates CHECK (latency_ms >= 0)
const result = (i: number, trace = makeTrace()) => ({ exampleIndex: i, exampleId: `ex-${i}`, score: 1, passed: true, prediction: null, trace });

describe('atomic units of work', () => {
  it('traces.saveMany leaves nothing when a later trace fails to insert', () => {
    const { runId, stageId } = seedRun(t.store);
    t.store.traces.saveMany({ runId, stageId, purpose: 'eval' }, [makeTrace()]);
    const before = rowCounts();
    expect(before.lm_calls).toBe(1);
    expect(() => t.store.traces.saveMany({ runId, stageId, purpose: 'eval' }, [makeTrace(), makeTrace([makeCall(), makeCall()]), makeTrace([makeCall(), badCall()])])).toThrow(/CHECK constraint/);
    expect(rowCounts()).toEqual(before);
  });

  it('traces.saveMany leaves nothing when a value cannot be stored as JSON', () => {
    const { runId } = seedRun(t.store);
    const before = rowCounts();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad = makeTrace([makeCall({ outputs: cyclic as never })]);
    expect(() => t.store.traces.saveMany({ runId, stageId: null, purpose: 'eval' }, [makeTrace(), bad])).toThrow(StoreError);
    expect(rowCounts()).toEqual(before);
  });

  it('evaluations.save leaves no evaluation, trace, call or result behind', () => {
    const { runId, stageId } = seedRun(t.store);
    const before = rowCounts();
    expect(() =>
      t.store.evaluations.save({ runId, stageId, split: 'test', results: [result(0), result(1), result(2, makeTrace([makeCall(), badCall()]))] }),
    ).toThrow(/CHECK constraint/);
    expect(rowCounts()).toEqual(before);
    expect(t.store.evaluations.listForRun(runId)).toEqual([]);
  });

  it('evaluations.save refuses a non-finite score before writing anything', () => {
    const { runId } = seedRun(t.store);
    const before = rowCounts();
    expect(() => t.store.evaluations.save({ runId, split: 'test', results: [result(0), { ...result(1), score: Number.NaN }] })).toThrow(/finite number/);
    expect(rowCounts()).toEqual(before);
  });

  it('evaluations.save rolls back on a duplicate example index (a constraint hit after traces were written)', () => {
    const { runId } = seedRun(t.store);
    const before = rowCounts();
    expect(() => t.store.evaluations.save({ runId, split: 'test', results: [result(0), result(0)] })).toThrow(/UNIQUE/);
    expect(rowCounts()).toEqual(before);
  });

  it('candidates.save leaves neither the candidate nor its evaluation', () => {
    const { stageId } = seedRun(t.store);
    const before = rowCounts();
    expect(() =>
      t.store.candidates.save({
        stageId,
        idx: 0,
        kind: 'bootstrap',
        seed: 1,
        numDemos: 2,
        programState: sampleState,
        evaluation: { split: 'val', results: [result(0), result(1, makeTrace([badCall()]))] },
      }),
    ).toThrow(/CHECK constraint/);
    expect(rowCounts()).toEqual(before);
    expect(t.store.candidates.listForStage(stageId)).toEqual([]);
  });

  it('store.transaction groups units of work and rolls all of them back', () => {
    const { runId, stageId } = seedRun(t.store);
    const before = rowCounts();
    const experimentsBefore = t.count('experiments');
    expect(() =>
      t.store.transaction(() => {
        t.store.experiments.create({ name: 'doomed', task: 'iris' });
        t.store.traces.saveMany({ runId, stageId, purpose: 'eval' }, [makeTrace()]);
        t.store.evaluations.save({ runId, stageId, split: 'val', results: [result(0)] });
        throw new Error('crash in the middle');
      }),
    ).toThrow('crash in the middle');
    expect(rowCounts()).toEqual(before);
    expect(t.count('experiments')).toBe(experimentsBefore);
  });

  it('store.transaction commits and returns the value', () => {
    const { runId } = seedRun(t.store);
    const ids = t.store.transaction(() => [t.store.traces.saveMany({ runId, stageId: null, purpose: 'eval' }, [makeTrace()]), t.store.traces.saveMany({ runId, stageId: null, purpose: 'eval' }, [makeTrace()])]);
    expect(ids.flat()).toHaveLength(2);
    expect(t.count('lm_calls')).toBe(2);
  });

  it('a failed stage finish changes nothing', () => {
    const { stageId } = seedRun(t.store);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => t.store.stages.finish(stageId, { programState: cyclic as never, modelId: 'm', scores: { val: 1 } })).toThrow(StoreError);
    expect(t.store.stages.get(stageId)).toMatchObject({ status: 'running', programState: null, scores: null, modelId: null });
  });
});
