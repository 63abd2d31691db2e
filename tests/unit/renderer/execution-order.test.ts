// The trace tree's execution order: retrievals placed among LM calls by afterCalls, consecutive
// calls of one predictor grouped, and gold titles read from an example's labels.
import { describe, expect, it } from 'vitest';
import { executionOrder, goldTitles, type TraceRetrieval } from '../../../renderer/src/views/traces/tree/execution-order.ts';
import type { TraceCall } from '../../../renderer/src/views/traces/tree/tree-model.ts';

let nextId = 1;
const call = (predictor: string, latencyMs = 10): TraceCall =>
  ({ id: nextId++, index: nextId, predictor, usage: { promptTokens: 5, completionTokens: 2 }, latencyMs, cached: false, error: null }) as unknown as TraceCall;
const retrieval = (module: string, afterCalls: number): TraceRetrieval => ({
  module,
  query: `q ${module}`,
  k: 2,
  backend: 'bm25',
  retriever: 'bm25:wiki',
  passages: [],
  latencyMs: 3,
  cached: false,
  attempts: 1,
  error: null,
  startedAt: 0,
  afterCalls,
});
const shape = (nodes: ReturnType<typeof executionOrder>) => nodes.map((n) => (n.kind === 'module' ? `${n.group.path}×${n.group.calls.length}` : `R ${n.retrieval.module}`));

describe('executionOrder', () => {
  it('interleaves the retrievals of a two-hop program with its LM calls', () => {
    const calls = [call('generate_query[0]'), call('generate_query[1]'), call('generate_answer')];
    const nodes = executionOrder(calls, [retrieval('retrieve[0]', 1), retrieval('retrieve[1]', 2)]);
    expect(shape(nodes)).toEqual(['generate_query[0]×1', 'R retrieve[0]', 'generate_query[1]×1', 'R retrieve[1]', 'generate_answer×1']);
    expect(new Set(nodes.map((n) => n.key)).size).toBe(nodes.length);
  });

  it('places retrievals before any call, after all calls, and splits a predictor’s calls around one', () => {
    const calls = [call('a'), call('a'), call('a')];
    const nodes = executionOrder(calls, [retrieval('r0', 0), retrieval('r2', 2), retrieval('r9', 3)]);
    expect(shape(nodes)).toEqual(['R r0', 'a×2', 'R r2', 'a×1', 'R r9']);
    const first = nodes[1]!;
    expect(first.kind === 'module' && first.group.latencyMs).toBe(20);
  });

  it('keeps the stored order of retrievals with the same afterCalls (sorted by afterCalls otherwise)', () => {
    const nodes = executionOrder([call('x')], [retrieval('late', 1), retrieval('first', 0), retrieval('second', 0)]);
    expect(shape(nodes)).toEqual(['R first', 'R second', 'x×1', 'R late']);
  });

  it('groups by module as before when the trace has no retrievals', () => {
    expect(shape(executionOrder([call('a'), call('b'), call('a')], undefined))).toEqual(['a×2', 'b×1']);
    expect(shape(executionOrder([], []))).toEqual([]);
  });
});

describe('goldTitles', () => {
  it('reads labels.gold_titles, ignoring anything that is not a list of strings', () => {
    expect([...goldTitles({ answer: 'x', gold_titles: ['Ada Lovelace ', 'Charles Babbage'] })]).toEqual(['Ada Lovelace', 'Charles Babbage']);
    expect(goldTitles({ gold_titles: 'Ada' }).size).toBe(0);
    expect(goldTitles(null).size).toBe(0);
  });
});
