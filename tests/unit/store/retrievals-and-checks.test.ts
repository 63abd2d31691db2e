import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RetrievalCall } from '../../../core/program/trace.ts';
import { makeCall, makeTrace, seedRun, tempStore, type TempStore } from './helpers.ts';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

function retrieval(overrides: Partial<RetrievalCall> = {}): RetrievalCall {
  return {
    module: 'retrieve',
    query: 'Varnel Oskit birthplace',
    k: 2,
    backend: 'bm25',
    retriever: 'bm25:wiki',
    passages: [
      { id: 'Varnel Oskit', title: 'Varnel Oskit', text: 'Varnel Oskit was born in Tromadue.', score: 7.5 },
      { id: 'Tromadue', title: 'Tromadue', text: 'Tromadue is a town in Elbria.', score: 3.25 },
    ],
    latencyMs: 4,
    cached: false,
    attempts: 1,
    error: null,
    startedAt: 1_700_000_000_100,
    afterCalls: 1,
    ...overrides,
  };
}

describe('traces with retrievals and intermediate checks', () => {
  it('stores retrievals in order beside the LM calls and reads them back with the check values', () => {
    const { runId, stageId } = seedRun(t.store);
    const failed = retrieval({ module: 'retrieve_2', passages: [], error: { kind: 'retrieve:timeout', message: 'no answer' }, attempts: 3, afterCalls: 2 });
    const trace = makeTrace([makeCall({ predictor: 'generate_query[0]' }), makeCall({ predictor: 'generate_query[1]' })], {
      retrievals: [retrieval(), failed],
      checks: { recall_hop1: 0.5, recall_hop2: null },
    });
    const [id] = t.store.traces.saveMany({ runId, stageId, purpose: 'eval' }, [trace]);
    const stored = t.store.traces.get(id!)!;
    expect(stored.retrievals).toEqual([retrieval(), failed]);
    expect(stored.checks).toEqual({ recall_hop1: 0.5, recall_hop2: null });
    expect(t.count('retrieval_calls')).toBe(2);

    // A trace without either has neither key, as before.
    const [plain] = t.store.traces.saveMany({ runId, stageId, purpose: 'eval' }, [makeTrace()]);
    const read = t.store.traces.get(plain!)!;
    expect('retrievals' in read).toBe(false);
    expect('checks' in read).toBe(false);

    // Deleting the experiment removes the retrievals with their traces.
    t.store.experiments.delete(t.store.runs.get(runId)!.experimentId);
    expect(t.count('retrieval_calls')).toBe(0);
  });

  it('averages check values per stage evaluation and over any set of traces, skipping nulls', () => {
    const { runId, stageId } = seedRun(t.store);
    const checked = (hop1: number | null, hop2: number | null) => makeTrace([makeCall()], { checks: { recall_hop1: hop1, recall_hop2: hop2 } });
    const traces = [checked(1, 1), checked(0.5, 1), checked(0, null), makeTrace()];
    const summary = t.store.evaluations.save({
      runId,
      stageId,
      candidateId: null,
      split: 'dev',
      results: traces.map((trace, index) => ({ exampleIndex: index, exampleId: `ex-${index}`, score: 1, passed: true, prediction: trace.prediction, trace })),
    });
    const means = t.store.checkSummaries.forRunEvaluations(runId);
    expect(means).toEqual([
      { evaluationId: summary.evaluationId, stageId, split: 'dev', check: 'recall_hop1', mean: 0.5, n: 3, full: 1 },
      { evaluationId: summary.evaluationId, stageId, split: 'dev', check: 'recall_hop2', mean: 1, n: 2, full: 2 },
    ]);

    const ids = t.store.traces.saveMany({ runId, stageId, purpose: 'bootstrap' }, [checked(1, 0.5), checked(0, 1)]);
    expect(t.store.checkSummaries.forTraces([...ids, 424242])).toEqual([
      { check: 'recall_hop1', mean: 0.5, n: 2, full: 1 },
      { check: 'recall_hop2', mean: 0.75, n: 2, full: 1 },
    ]);
    expect(t.store.checkSummaries.forTraces([])).toEqual([]);
    expect([...t.store.checkSummaries.valuesFor([ids[1]!, 424242]).entries()]).toEqual([[ids[1], { recall_hop1: 0, recall_hop2: 1 }]]);
  });

  it('shows check values on each example result of a page', () => {
    const { runId, stageId } = seedRun(t.store);
    const trace = makeTrace([makeCall()], { checks: { recall_hop1: 1 } });
    const summary = t.store.evaluations.save({ runId, stageId, candidateId: null, split: 'dev', results: [{ exampleIndex: 0, exampleId: 'ex-0', score: 1, passed: true, prediction: trace.prediction, trace }] });
    const page = t.store.exampleResultPages.page(summary.evaluationId, { sort: 'index', limit: 10 });
    expect(page.rows[0]!.checks).toEqual({ recall_hop1: 1 });
  });

  it('finds example results by what their traces retrieved: a query word or a passage title', () => {
    const { runId, stageId } = seedRun(t.store);
    const withRetrieval = makeTrace([makeCall()], { retrievals: [retrieval()] });
    const without = makeTrace([makeCall()]);
    const summary = t.store.evaluations.save({
      runId,
      stageId,
      candidateId: null,
      split: 'dev',
      results: [withRetrieval, without].map((trace, i) => ({ exampleIndex: i, exampleId: `ex-${i}`, score: 1, passed: true, prediction: trace.prediction, trace })),
    });
    const search = (text: string) => t.store.exampleResultPages.page(summary.evaluationId, { sort: 'index', limit: 10, search: text }).rows.map((r) => r.exampleId);
    expect(search('Tromadue')).toEqual(['ex-0']); // a passage title (through the trigram index)
    expect(search('birthplace')).toEqual(['ex-0']); // a word of the query
    expect(search('"Varnel Oskit"')).toEqual(['ex-0']);
    expect(search('Elbria')).toEqual([]); // passage texts are not indexed, only titles
  });
});
