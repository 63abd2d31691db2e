import { afterEach, describe, expect, it } from 'vitest';
import type { ExampleResultPage, ExampleResultRow } from '../../../renderer/src/api/types.ts';
import { createClient, setClient } from '../../../renderer/src/api/client.ts';
import type { Transport } from '../../../renderer/src/api/transport.ts';
import { MAX_IN_FLIGHT, PAGE_SIZE, ResultPager, pagesToFetch } from '../../../renderer/src/views/traces/result-pager.ts';

interface Call {
  method: string;
  input: Record<string, unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A client whose pageExampleResults calls wait until the test answers them. */
function fakeBackend() {
  const calls: Call[] = [];
  const transport: Transport = {
    kind: 'http',
    call: (method, input) => new Promise((resolve, reject) => calls.push({ method, input: input as Record<string, unknown>, resolve, reject })),
    subscribe: () => () => {},
    onConnection: () => () => {},
  };
  setClient(createClient(transport));
  return calls;
}

function row(i: number): ExampleResultRow {
  return { id: 1000 + i, evaluationId: 7, exampleIndex: i, exampleId: `ex-${i}`, inputs: null, labels: { species: 'setosa' }, score: 1, passed: true, prediction: null, traceId: 5000 + i, error: null, checks: null };
}

function page(offset: number, limit: number, total: number): ExampleResultPage {
  const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, j) => row(offset + j));
  return { evaluation: { id: 7, n: total } as ExampleResultPage['evaluation'], rows, nextCursor: null, total };
}

/** Answers a call with the rows its offset and limit ask for. */
function answer(call: Call, total: number): void {
  call.resolve(page(call.input.offset as number, call.input.limit as number, total));
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));
const offsets = (calls: Call[]) => calls.map((c) => c.input.offset);

afterEach(() => setClient(createClient({ kind: 'http', call: () => Promise.reject(new Error('no backend')), subscribe: () => () => {}, onConnection: () => () => {} })));

describe('pagesToFetch', () => {
  const none = () => false;

  it('asks only for the first page of the range until the total is known', () => {
    expect(pagesToFetch(0, 399, null, none, 3)).toEqual([0]);
    expect(pagesToFetch(450, 900, null, none, 3)).toEqual([2]);
    expect(pagesToFetch(0, 399, null, (p) => p === 0, 3)).toEqual([]);
  });

  it('orders pages nearest the middle of the range first and respects the free slots', () => {
    // rows 0..1399: pages 0..6, middle 3
    expect(pagesToFetch(0, 1399, 100_000, none, 3)).toEqual([3, 2, 4]);
    expect(pagesToFetch(0, 1399, 100_000, none, 1)).toEqual([3]);
    expect(pagesToFetch(0, 1399, 100_000, none, 0)).toEqual([]);
  });

  it('skips pages loaded or in flight and stops at the last page', () => {
    expect(pagesToFetch(0, 1399, 100_000, (p) => p === 3 || p === 2, 3)).toEqual([4, 1, 5]);
    // 450 rows: pages 0..2 only, however far the range reaches
    expect(pagesToFetch(300, 5000, 450, none, 5)).toEqual([1, 2]);
    expect(pagesToFetch(0, 10, 0, none, 3)).toEqual([]);
  });

  it('treats negative starts as row 0', () => {
    expect(pagesToFetch(-40, 150, 1000, none, 3)).toEqual([0]);
  });
});

describe('ResultPager', () => {
  it('loads the first page with offset 0 and the query, never a cursor', async () => {
    const calls = fakeBackend();
    let changes = 0;
    const pager = new ResultPager({ stageId: 3, split: 'test', sort: 'score', passed: false }, () => changes++);
    pager.start();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.method).toBe('pageExampleResults');
    expect(calls[0]!.input).toEqual({ stageId: 3, split: 'test', sort: 'score', passed: false, limit: PAGE_SIZE, offset: 0 });
    expect(pager.loading).toBe(true);
    answer(calls[0]!, 1000);
    await flush();
    expect(pager.total).toBe(1000);
    expect(pager.evaluation?.id).toBe(7);
    expect(pager.loading).toBe(false);
    expect(changes).toBe(1);
    expect(pager.row(0)?.exampleIndex).toBe(0);
    expect(pager.row(199)?.exampleIndex).toBe(199);
    expect(pager.row(200)).toBeUndefined();
  });

  it('jumps far with one request per page in view, without reading the pages between', async () => {
    const calls = fakeBackend();
    const pager = new ResultPager({ evaluationId: 7, search: 'virginica' }, () => {});
    pager.start();
    answer(calls[0]!, 100_000);
    await flush();
    pager.want(60_010, 60_050);
    expect(offsets(calls.slice(1))).toEqual([60_000]);
    answer(calls[1]!, 100_000);
    await flush();
    expect(pager.row(60_010)?.exampleIndex).toBe(60_010);
    expect(pager.row(60_010)?.labels).toEqual({ species: 'setosa' });
    expect(calls).toHaveLength(2);
    // A range across a page boundary needs both pages and nothing else.
    pager.want(80_150, 80_250);
    expect(offsets(calls.slice(2)).sort()).toEqual([80_000, 80_200]);
  });

  it('keeps at most MAX_IN_FLIGHT requests, fetching the rest as answers arrive', async () => {
    const calls = fakeBackend();
    const pager = new ResultPager({ evaluationId: 7 }, () => {});
    pager.start();
    answer(calls[0]!, 10_000);
    await flush();
    pager.want(0, 10 * PAGE_SIZE - 1); // pages 0..9, page 0 loaded
    let answered = 1;
    let maxPending = 0;
    while (answered < calls.length) {
      maxPending = Math.max(maxPending, calls.length - answered);
      answer(calls[answered++]!, 10_000);
      await flush();
    }
    expect(maxPending).toBe(MAX_IN_FLIGHT);
    expect(offsets(calls).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 10 }, (_, k) => k * PAGE_SIZE));
    for (const i of [0, 199, 200, 1234, 1999]) expect(pager.row(i)?.exampleIndex).toBe(i);
    expect(pager.findIndex((r) => r.traceId === 5000 + 1234)).toBe(1234);
    expect(pager.findIndex((r) => r.traceId === 1)).toBe(-1);
  });

  it('drops answers that arrive after stop()', async () => {
    const calls = fakeBackend();
    let changes = 0;
    const pager = new ResultPager({ evaluationId: 7 }, () => changes++);
    pager.start();
    pager.stop();
    answer(calls[0]!, 500);
    await flush();
    expect(changes).toBe(0);
    expect(pager.total).toBeNull();
    expect(pager.row(0)).toBeUndefined();
    expect(pager.loading).toBe(false);
  });

  it('stops on an error and asks again on retry()', async () => {
    const calls = fakeBackend();
    const pager = new ResultPager({ evaluationId: 7 }, () => {});
    pager.start();
    calls[0]!.reject(new Error('stage 3 has no evaluation on test (yet)'));
    await flush();
    expect((pager.error as Error).message).toMatch(/no evaluation/);
    pager.want(0, 50);
    expect(calls).toHaveLength(1);
    pager.retry();
    expect(pager.error).toBeNull();
    expect(offsets(calls)).toEqual([0, 0]);
    answer(calls[1]!, 40);
    await flush();
    expect(pager.total).toBe(40);
    expect(pager.row(39)?.exampleIndex).toBe(39);
  });
});
