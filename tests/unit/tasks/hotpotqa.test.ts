import { describe, expect, it } from 'vitest';
import { example } from '../../../core/program/example.ts';
import type { ProgramTrace, RetrievalCall } from '../../../core/program/trace.ts';
import { HOTPOTQA_CHECKS, recallAfterHops } from '../../../core/tasks/hotpotqa-checks.ts';
import { contextLine, MultiHopQA } from '../../../core/tasks/hotpotqa-program.ts';
import { BUNDLED_INDEX, hotpotqaTask, hotpotSplitSizes } from '../../../core/tasks/hotpotqa.ts';
import { clampProtocol } from '../../../core/tasks/protocol.ts';

function retrieval(titles: string[], error = false): RetrievalCall {
  return {
    module: 'retrieve[0]',
    query: 'q',
    k: 3,
    backend: 'bm25',
    retriever: 'bm25:x',
    passages: titles.map((title, i) => ({ id: title, title, text: `${title} text`, score: 3 - i })),
    latencyMs: 1,
    cached: false,
    attempts: 1,
    error: error ? { kind: 'retrieve:timeout', message: 'x' } : null,
    startedAt: 0,
    afterCalls: 0,
  };
}

const trace = (retrievals: RetrievalCall[], answer: string | null = 'Paris'): ProgramTrace => ({
  exampleId: 'q1',
  inputs: { question: 'q' },
  calls: [],
  retrievals,
  prediction: answer === null ? null : { answer },
  error: answer === null ? { kind: 'lm:timeout', message: 'x' } : null,
});

describe('HotPotQA task', () => {
  it("uses the paper's split sizes when there are enough questions and scales them down otherwise", () => {
    expect(hotpotSplitSizes(5000)).toEqual({ train: 1000, dev: 500, test: 1500 });
    expect(hotpotSplitSizes(2153)).toEqual({ train: 717, dev: 358, test: 1078 });
    expect(hotpotSplitSizes(60)).toEqual({ train: 20, dev: 10, test: 30 });
    expect(() => hotpotSplitSizes(2)).toThrow(/at least 3/);
    // The Π subsample (100 / 250) shrinks with a small train split.
    expect(clampProtocol(hotpotqaTask.protocol, 20)).toEqual({ train: 6, val: 14 });
  });

  it('splits the bundled questions seeded, with answers and gold paragraph titles as labels, and says they were scaled', async () => {
    const a = await hotpotqaTask.load({ seed: 0 });
    const b = await hotpotqaTask.load({ seed: 0 });
    const c = await hotpotqaTask.load({ seed: 1 });
    expect([a.train.length, a.dev.length, a.test.length]).toEqual([717, 358, 1078]);
    expect(a.train.map((e) => e.id)).toEqual(b.train.map((e) => e.id));
    expect(a.train.map((e) => e.id)).not.toEqual(c.train.map((e) => e.id));
    const ids = new Set([...a.train, ...a.dev, ...a.test].map((e) => e.id));
    expect(ids.size).toBe(2153);
    const first = a.train[0]!;
    expect(Object.keys(first.inputs)).toEqual(['question']);
    expect(typeof first.labels.answer).toBe('string');
    expect((first.labels.gold_titles as string[]).length).toBeGreaterThanOrEqual(1);
    expect(a.warnings).toEqual(["HotPotQA: 2153 questions given, fewer than the paper's 3000 (1000/500/1500); splits scaled to 717/358/1078"]);
    expect(hotpotqaTask.retrieval.defaultIndex(null)).toBe(BUNDLED_INDEX);
    expect(hotpotqaTask.retrieval.defaultIndex('/data/dev.json')).toMatch(/^hotpotqa-[0-9a-f]{10}$/);
  });

  it('is the multi-hop program with three LM modules at the paper paths and two retrievals', () => {
    const program = hotpotqaTask.createProgram();
    expect(program).toBeInstanceOf(MultiHopQA);
    expect(program.namedPredictors().map(([p]) => p)).toEqual(['generate_query[0]', 'generate_query[1]', 'generate_answer']);
    expect(program.retrieve.map((r) => [r.path, r.k])).toEqual([
      ['retrieve[0]', 3],
      ['retrieve[1]', 3],
    ]);
    const [query, , answer] = program.predictors();
    expect(query!.signature.outputNames).toEqual(['reasoning', 'search_query']);
    expect(answer!.signature.outputNames).toEqual(['reasoning', 'answer']);
    expect(contextLine({ title: 'Paris', text: 'Capital of France.' })).toBe('Paris | Capital of France.');
  });
});

describe('HotPotQA intermediate checks', () => {
  const ex = example('q1', { question: 'q' }, { answer: 'Paris', gold_titles: ['A', 'B'] });

  it('measure the share of gold paragraphs found after hop 1 and after both hops', () => {
    const both = trace([retrieval(['A', 'X', 'Y']), retrieval(['B', 'A', 'Z'])]);
    expect(recallAfterHops(both, ex, 1)).toBe(0.5);
    expect(recallAfterHops(both, ex, 2)).toBe(1);
    const none = trace([retrieval(['X']), retrieval(['Y'])]);
    expect(recallAfterHops(none, ex, 2)).toBe(0);
  });

  it('do not apply where the hops did not run or the example has no gold titles', () => {
    expect(recallAfterHops(trace([retrieval(['A'])]), ex, 2)).toBeNull();
    expect(recallAfterHops(trace([retrieval(['A']), retrieval(['B'], true)]), ex, 2)).toBeNull();
    expect(recallAfterHops(trace([retrieval(['A'])]), example('q', {}, { answer: 'x' }), 1)).toBeNull();
  });

  it('report answer F1 beside exact match, 0 for a failed run', () => {
    const f1 = HOTPOTQA_CHECKS.find((c) => c.name === 'answer_f1')!;
    // 'the city of Paris' normalizes to three words, one of them right: precision 1/3, recall 1.
    expect(f1.measure(trace([], 'the city of Paris'), ex)).toBeCloseTo(0.5);
    expect(f1.measure(trace([], null), ex)).toBe(0);
    expect(HOTPOTQA_CHECKS.map((c) => [c.name, c.module])).toEqual([
      ['recall_hop1', 'generate_query[0]'],
      ['recall_hop2', 'generate_query[1]'],
      ['answer_f1', 'generate_answer'],
    ]);
  });
});
