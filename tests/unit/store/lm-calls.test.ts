import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictorCall } from '../../../core/program/trace.ts';
import { StoreError, toFtsQuery, type LMCallPageQuery, type LMCallSummary } from '../../../core/store/index.ts';
import { makeCall, makeTrace, seedRun, tempStore, type TempStore } from './helpers.ts';

// 60 calls in two runs with varied predictors, models, errors, caching, latencies (with ties)
// and texts, and the same facts kept in memory to compute every expected answer.
interface Fact {
  id: number;
  runId: number;
  stageId: number;
  traceId: number;
  call: PredictorCall;
}

const TOPICS = ['photosynthesis in plants', 'the French revolution', 'prime numbers', 'state-of-the-art retrieval', 'café culture in Paris', 'AND gates in circuits'];
let t: TempStore;
let facts: Fact[];
let run1: number;
let run2: number;

beforeAll(() => {
  t = tempStore();
  const a = seedRun(t.store);
  run1 = a.runId;
  const e2 = t.store.experiments.create({ name: 'other', task: 'hotpotqa' });
  run2 = t.store.runs.create({ experimentId: e2, strategy: 'w', seed: 1, lm: {} });
  const stage2 = t.store.stages.create({ runId: run2, kind: 'w', prefix: 'w' });
  facts = [];
  for (let i = 0; i < 30; i++) {
    const runId = i % 3 === 2 ? run2 : run1;
    const stageId = runId === run1 ? a.stageId : stage2;
    const calls = [0, 1].map((j) => {
      const n = i * 2 + j;
      const topic = TOPICS[n % TOPICS.length]!;
      const error = n % 7 === 3 ? { kind: 'parse', message: 'missing header' } : n % 11 === 5 ? { kind: 'lm:timeout', message: 'timed out' } : null;
      return makeCall({
        predictor: j === 0 ? 'generate_query[0]' : 'generate_answer',
        model: n % 5 === 0 ? 'qwen2.5-0.5b' : 'llama-3.2-1b',
        inputs: { question: `Tell me about ${topic} (#${n})` },
        messages: [
          { role: 'system', content: `Answer questions.  Instructions   number ${n % 4}.` },
          { role: 'user', content: `[[ ## question ## ]]\n  Tell me   about ${topic} (#${n}) ${'and more detail '.repeat(n === 9 ? 30 : 0)}` },
        ],
        completion: error?.kind === 'lm:timeout' ? null : `[[ ## answer ## ]]\nSomething about ${topic.split(' ')[0]} ${n % 2 === 0 ? 'zebra-crossing' : 'lighthouse'}`,
        outputs: error ? null : { answer: 'x' },
        usage: { promptTokens: 100 + (n % 6) * 10, completionTokens: 10 + (n % 4) },
        latencyMs: (n % 9) * 25,
        cached: n % 4 === 1,
        parseFallback: n % 8 === 6 && !error ? 'json' : null,
        error,
      });
    });
    const [traceId] = t.store.traces.saveMany({ runId, stageId, purpose: 'eval' }, [makeTrace(calls, { exampleId: `ex-${i}` })]);
    const trace = t.store.traces.get(traceId!)!;
    trace.calls.forEach((c, j) => facts.push({ id: c.id, runId, stageId, traceId: traceId!, call: calls[j]! }));
  }
});
afterAll(() => t.cleanup());

/** Every row of a query, page by page through nextCursor. */
function walk(query: LMCallPageQuery): LMCallSummary[] {
  const rows: LMCallSummary[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = t.store.lmCalls.page({ ...query, cursor });
    expect(page.rows.length).toBeLessThanOrEqual(query.limit ?? 50);
    rows.push(...page.rows);
    cursor = page.nextCursor;
    if (!cursor) return rows;
  }
  throw new Error('too many pages');
}

const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id);
const newest = (pred: (f: Fact) => boolean) => facts.filter(pred).map((f) => f.id).sort((x, y) => y - x);
const text = (f: Fact) => `${f.call.messages.map((m) => m.content).join(' ')} ${f.call.completion ?? ''}`.toLowerCase();

describe('lmCalls.page: sorts and paging', () => {
  it('pages newest first by default with a cursor, without gaps or repeats', () => {
    const first = t.store.lmCalls.page();
    expect(first.rows).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.total).toBeUndefined();
    expect(ids(walk({ limit: 7 }))).toEqual(newest(() => true));
  });

  it('pages oldest first', () => {
    expect(ids(walk({ sort: 'oldest', limit: 8 }))).toEqual(newest(() => true).reverse());
  });

  it('sorts by latency and by tokens, descending, ties by newest, across pages', () => {
    const byLatency = facts.slice().sort((x, y) => y.call.latencyMs - x.call.latencyMs || y.id - x.id);
    expect(ids(walk({ sort: 'latency', limit: 4 }))).toEqual(ids(byLatency));
    const tokens = (f: Fact) => f.call.usage.promptTokens + f.call.usage.completionTokens;
    const byTokens = facts.slice().sort((x, y) => tokens(y) - tokens(x) || y.id - x.id);
    expect(ids(walk({ sort: 'tokens', limit: 6 }))).toEqual(ids(byTokens));
    expect(ids(walk({ sort: 'latency', limit: 5, runId: run2 }))).toEqual(ids(byLatency.filter((f) => f.runId === run2)));
  });

  it('pages by offset too, and counts when asked', () => {
    const all = newest(() => true);
    const page = t.store.lmCalls.page({ limit: 10, offset: 20, withTotal: true });
    expect(ids(page.rows)).toEqual(all.slice(20, 30));
    expect(page.total).toBe(60);
    expect(t.store.lmCalls.page({ limit: 10, offset: 55 }).nextCursor).toBeNull();
  });

  it('clamps the page size and rejects foreign or broken cursors', () => {
    expect(t.store.lmCalls.page({ limit: 0 }).rows).toHaveLength(1);
    const cursor = t.store.lmCalls.page({ limit: 2 }).nextCursor!;
    expect(() => t.store.lmCalls.page({ sort: 'latency', cursor })).toThrow(StoreError);
    expect(() => t.store.lmCalls.page({ cursor: 'n:abc' })).toThrow(/malformed/);
    expect(() => t.store.lmCalls.page({ sort: 'random' as never })).toThrow(/unknown sort/);
  });

  it('returns previews instead of messages, and get(id) returns the full call', () => {
    const row = t.store.lmCalls.page({ limit: 60 }).rows.find((r) => r.id === facts[9]!.id)!;
    expect(row).not.toHaveProperty('messages');
    expect(row.promptPreview.startsWith('[[ ## question ## ]] Tell me about')).toBe(true);
    expect(row.promptPreview.length).toBeLessThanOrEqual(200);
    expect(row.promptPreview.endsWith('…')).toBe(true);
    expect(row.completionPreview).toBe(facts[9]!.call.completion!.replace(/\s+/g, ' '));
    const full = t.store.lmCalls.get(row.id)!;
    expect(full.messages).toEqual(facts[9]!.call.messages);
    expect(t.store.lmCalls.get(1_000_000)).toBeUndefined();
  });
});

describe('lmCalls.page: filters', () => {
  const cases: Array<[string, LMCallPageQuery, (f: Fact) => boolean]> = [
    ['runId', { runId: 0 }, (f) => f.runId === run2],
    ['predictor', { predictor: 'generate_answer' }, (f) => f.call.predictor === 'generate_answer'],
    ['model', { model: 'qwen2.5-0.5b' }, (f) => f.call.model === 'qwen2.5-0.5b'],
    ['hasError', { hasError: true }, (f) => f.call.error !== null],
    ['no error', { hasError: false }, (f) => f.call.error === null],
    ['errorKind', { errorKind: 'lm:timeout' }, (f) => f.call.error?.kind === 'lm:timeout'],
    ['cached', { cached: true }, (f) => f.call.cached],
    ['not cached', { cached: false }, (f) => !f.call.cached],
    ['combined', { runId: 0, predictor: 'generate_query[0]', hasError: false, cached: false }, (f) => f.runId === run2 && f.call.predictor === 'generate_query[0]' && !f.call.error && !f.call.cached],
  ];
  it.each(cases)('%s', (_name, query, pred) => {
    const q = query.runId === 0 ? { ...query, runId: run2 } : query;
    const expected = newest(pred);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(walk({ ...q, limit: 5 }))).toEqual(expected);
    expect(t.store.lmCalls.count(q)).toBe(expected.length);
  });

  it('filters by stage and by trace', () => {
    const f = facts[4]!;
    expect(ids(walk({ traceId: f.traceId }))).toEqual(newest((x) => x.traceId === f.traceId));
    expect(ids(walk({ stageId: f.stageId, limit: 9 }))).toEqual(newest((x) => x.stageId === f.stageId));
    expect(t.store.lmCalls.page({ runId: 999_999 }).rows).toEqual([]);
  });
});

describe('lmCalls.page: full-text search', () => {
  const search = (q: string, extra: LMCallPageQuery = {}) => ids(walk({ search: q, limit: 4, ...extra }));

  it('finds words in the prompt and in the completion', () => {
    expect(search('photosynthesis')).toEqual(newest((f) => text(f).includes('photosynthesis')));
    expect(search('lighthouse')).toEqual(newest((f) => text(f).includes('lighthouse')));
    expect(search('Photosynthesis LIGHTHOUSE')).toEqual(newest((f) => text(f).includes('photosynthesis') && text(f).includes('lighthouse')));
  });

  it('treats hyphens, quotes, AND and stray operators as text, never as syntax', () => {
    expect(search('zebra-crossing')).toEqual(newest((f) => text(f).includes('zebra-crossing')));
    expect(search('state-of-the-art')).toEqual(newest((f) => text(f).includes('state-of-the-art')));
    expect(search('"French revolution"')).toEqual(newest((f) => text(f).includes('french revolution')));
    expect(search('"revolution French"')).toEqual([]);
    expect(search('AND gates')).toEqual(newest((f) => text(f).includes('and gates')));
    expect(search('OR')).toEqual([]);
    expect(search('NOT prime')).toEqual([]);
    for (const q of ['"unbalanced quote', 'a"b', '(prime', 'prime)', 'NEAR(prime numbers)', 'col:prime', '^prime', '-prime', '+prime', '*', '**prime', 'prime**', '"', '""', "'prime'", 'prime AND', 'AND', 'x OR y NOT z', '{prime}', 'prime:numbers']) {
      expect(() => t.store.lmCalls.page({ search: q }), q).not.toThrow();
      expect(() => t.store.lmCalls.count({ search: q }), q).not.toThrow();
    }
    expect(search('(prime')).toEqual(newest((f) => text(f).includes('prime')));
  });

  it('supports a trailing * as a prefix search', () => {
    expect(search('photo*')).toEqual(newest((f) => text(f).includes('photo')));
    expect(search('"French rev"*')).toEqual(newest((f) => text(f).includes('french rev')));
    expect(search('photo')).toEqual([]);
  });

  it('folds diacritics and case', () => {
    expect(search('cafe')).toEqual(newest((f) => text(f).includes('café')));
    expect(search('CAFÉ')).toEqual(search('cafe'));
  });

  it('combines with filters, sorts and counts', () => {
    const pred = (f: Fact) => f.runId === run2 && text(f).includes('prime') && f.call.predictor === 'generate_answer';
    expect(search('prime', { runId: run2, predictor: 'generate_answer' })).toEqual(newest(pred));
    expect(t.store.lmCalls.count({ search: 'prime', runId: run2, predictor: 'generate_answer' })).toBe(newest(pred).length);
    expect(search('prime', { sort: 'oldest' })).toEqual(newest((f) => text(f).includes('prime')).reverse());
    const bySlowest = facts.filter((f) => text(f).includes('prime')).sort((x, y) => y.call.latencyMs - x.call.latencyMs || y.id - x.id);
    expect(search('prime', { sort: 'latency' })).toEqual(ids(bySlowest));
    expect(t.store.lmCalls.page({ search: 'prime', withTotal: true }).total).toBe(bySlowest.length);
    expect(search('prime', { traceId: facts[8]!.traceId })).toEqual(newest((f) => f.traceId === facts[8]!.traceId && text(f).includes('prime')));
    expect(search('prime', { model: 'qwen2.5-0.5b', predictor: 'generate_answer' })).toEqual(
      newest((f) => f.call.model === 'qwen2.5-0.5b' && f.call.predictor === 'generate_answer' && text(f).includes('prime')),
    );
  });

  it('returns nothing when the filters cannot overlap or name nothing', () => {
    const otherRunTrace = facts.find((f) => f.runId === run2)!.traceId;
    expect(t.store.lmCalls.page({ search: 'about', runId: run1, traceId: otherRunTrace, withTotal: true })).toEqual({ rows: [], nextCursor: null, total: 0 });
    expect(t.store.lmCalls.count({ search: 'about', predictor: 'no-such-predictor' })).toBe(0);
    expect(t.store.lmCalls.count({ search: 'about', model: 'no-such-model' })).toBe(0);
  });

  it('ignores a blank search and matches nothing for one without words', () => {
    expect(t.store.lmCalls.count({ search: '   ' })).toBe(60);
    expect(t.store.lmCalls.page({ search: '?! -- ***', withTotal: true })).toEqual({ rows: [], nextCursor: null, total: 0 });
  });

  it('never throws on arbitrary user text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (q) => {
        t.store.lmCalls.page({ search: q, limit: 5 });
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('"', '*', '-', '(', ')', ':', '^', 'AND', 'OR', 'NOT', 'NEAR', 'prime', ' ', '+', '{', '}', ','), { maxLength: 12 }), (parts) => {
        t.store.lmCalls.page({ search: parts.join(''), limit: 5 });
      }),
      { numRuns: 300 },
    );
  });
});

describe('toFtsQuery', () => {
  it('quotes every word and keeps phrases and prefixes', () => {
    expect(toFtsQuery('foo-bar AND "two words" baz* ')).toBe('"foo-bar" "AND" "two words" "baz"*');
    expect(toFtsQuery('say "hi')).toBe('"say" "hi"');
    expect(toFtsQuery('-- !!')).toBeNull();
  });
});

describe('lmCalls.stats', () => {
  it('totals calls, cache hits, errors by kind, fallbacks, tokens and latency per run', () => {
    const of = (runId?: number) => facts.filter((f) => runId === undefined || f.runId === runId).map((f) => f.call);
    for (const runId of [run1, run2, undefined]) {
      const calls = of(runId);
      const byKind: Record<string, number> = {};
      for (const c of calls) if (c.error) byKind[c.error.kind] = (byKind[c.error.kind] ?? 0) + 1;
      expect(t.store.lmCalls.stats(runId === undefined ? {} : { runId })).toEqual({
        calls: calls.length,
        cached: calls.filter((c) => c.cached).length,
        errors: calls.filter((c) => c.error).length,
        errorsByKind: byKind,
        parseFallbacks: calls.filter((c) => c.parseFallback).length,
        promptTokens: calls.reduce((n, c) => n + c.usage.promptTokens, 0),
        completionTokens: calls.reduce((n, c) => n + c.usage.completionTokens, 0),
        totalLatencyMs: calls.reduce((n, c) => n + c.latencyMs, 0),
      });
    }
    expect(t.store.lmCalls.stats({ runId: 999 })).toMatchObject({ calls: 0, cached: 0, errors: 0, errorsByKind: {}, totalLatencyMs: 0 });
    expect(t.store.lmCalls.count({ runId: run1 })).toBe(of(run1).length);
  });
});
