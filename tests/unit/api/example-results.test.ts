// pageExampleResults: search (the trigram index for words of 3+ characters, LIKE for shorter
// ones) keeps its substring meaning — checked against a plain reference filter, word by word and
// on random queries — together with the filters, every sort, cursor and offset paging, and other
// evaluations' rows kept out.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleResultRow, ExampleResultsPageInput } from '../../../core/api/index.ts';
import type { FieldValue, Prediction } from '../../../core/program/example.ts';
import { openStore } from '../../../core/store/index.ts';
import type { ExampleResultInput } from '../../../core/store/evaluations.ts';
import { makeCall, makeTrace, seedRun } from '../store/helpers.ts';
import { openWorkspace, type Workspace } from './helpers.ts';

interface Spec {
  id: string | null;
  inputs: Record<string, FieldValue>;
  prediction: Prediction | null;
  score: number;
  passed: boolean;
  failed?: boolean;
}

const SPECS: Spec[] = [
  { id: 'iris-037', inputs: { sepal: '4.9', petal: '1.4' }, prediction: { species: 'setosa', reasoning: 'Petals look narrow.' }, score: 1, passed: true },
  { id: 'iris-137', inputs: { sepal: '5.0', petal: '4.9' }, prediction: { species: 'versicolor', reasoning: 'Wide petals; 50% sure' }, score: 0.5, passed: false },
  { id: 'iris-200', inputs: { sepal: '6.3', petal: '14.95' }, prediction: { species: 'virginica', reasoning: 'say "AND" NEAR(x) * OR NOT a_b -c:d ^e' }, score: 0, passed: false },
  { id: 'gsm-1', inputs: { question: 'What is 2 + 2?' }, prediction: null, score: 0, passed: false, failed: true },
  { id: null, inputs: { question: 'Ünïcode Straße, naïve café' }, prediction: { answer: 'ÉCOLE' }, score: 0.25, passed: false },
  { id: 'x', inputs: {}, prediction: { answer: "it's 100% o'clock \\ back_slash" }, score: 0.75, passed: true },
  { id: 'iris-038', inputs: { sepal: '4.9', petal: '0.2' }, prediction: { species: 'setosa', reasoning: 'narrow and short' }, score: 1, passed: true },
  { id: 'iris-039', inputs: { sepal: '7.7', petal: '6.9' }, prediction: { species: 'virginica', reasoning: 'long, wide; not narrow at all' }, score: 0.5, passed: true },
];

/** What a result's search text is (migration 6): example id, inputs JSON, prediction JSON. */
const textOf = (s: Spec) => `${s.id ?? ''} ${JSON.stringify(s.inputs)} ${s.prediction === null ? '' : JSON.stringify(s.prediction)}`;
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The reference meaning of a search: every word (quotes group a phrase) occurs in the text,
 * case-insensitively: all letters for words of 3 or more characters, ASCII letters for shorter ones.
 */
function matches(spec: Spec, search: string): boolean {
  const text = textOf(spec);
  const words = [...search.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? '').trim()).filter((w) => w !== '');
  return words
    .slice(0, 16)
    .every((w) => (Array.from(w).length >= 3 ? text.toLowerCase().includes(w.toLowerCase()) : asciiLower(text).includes(asciiLower(w))));
}

const result = (spec: Spec, i: number): ExampleResultInput => {
  const call = makeCall({ inputs: spec.inputs, ...(spec.failed ? { error: { kind: 'parse', message: 'no answer field' }, outputs: null } : {}) });
  const trace = makeTrace([call], { exampleId: spec.id, inputs: spec.inputs, prediction: spec.prediction });
  return { exampleIndex: i, exampleId: spec.id, score: spec.score, passed: spec.passed, prediction: spec.prediction, trace };
};

/** A second evaluation whose example ids all start alike: a search for that start matches every row. */
const ALIKE: Spec[] = [
  { id: 'alike-1', inputs: { v: '2.5' }, prediction: { label: 'b' }, score: 0.5, passed: true },
  { id: 'alike-2', inputs: { v: '1.0' }, prediction: { label: 'a' }, score: 1, passed: true },
  { id: 'alike-3', inputs: { v: '2.0' }, prediction: null, score: 0, passed: false, failed: true },
  { id: 'alike-4', inputs: { v: '3.5' }, prediction: { label: 'c' }, score: 0.5, passed: false },
];

let ws: Workspace;
let evaluationId: number;
let alikeId: number;
let ids: number[]; // result id of SPECS[i]

beforeAll(() => {
  ws = openWorkspace();
  const store = openStore(ws.dbPath);
  try {
    const { runId, stageId } = seedRun(store);
    // Other evaluations, before and after, hold the same words: none of their rows may show up.
    const other = () => store.evaluations.save({ runId, stageId, split: 'dev', results: SPECS.map(result) });
    other();
    evaluationId = store.evaluations.save({ runId, stageId, split: 'test', results: SPECS.map(result) }).evaluationId;
    alikeId = store.evaluations.save({ runId, stageId, split: 'test', results: ALIKE.map(result) }).evaluationId;
    other();
    ids = store.evaluations.results(evaluationId).map((r) => r.id);
  } finally {
    store.close();
  }
});
afterAll(() => ws.close());

type Query = Omit<ExampleResultsPageInput, 'evaluationId'>;
const page = (query: Query) => ws.api.pageExampleResults({ evaluationId, limit: 500, ...query });
const found = async (search: string, query: Query = {}) => (await page({ search, ...query })).rows.map((r) => r.exampleIndex);
const expected = (search: string) => SPECS.flatMap((s, i) => (matches(s, search) ? [i] : []));

describe('pageExampleResults search', () => {
  it('finds an example by its id, whole or in part, in any case', async () => {
    expect(await found('iris-037')).toEqual([0]);
    expect(await found('037')).toEqual([0]);
    expect(await found('IRIS-03')).toEqual([0, 6, 7]);
    expect(await found('ris-1')).toEqual([1]);
    expect(await found('gsm-1')).toEqual([3]);
  });

  it('finds numbers and words in the inputs and the prediction, as substrings', async () => {
    expect(await found('4.9')).toEqual([0, 1, 2, 6]); // 14.95 holds 4.9
    expect(await found('"4.9"')).toEqual([0, 1, 2, 6]); // quotes group words; they are not searched for
    expect(await found('setosa')).toEqual([0, 6]);
    expect(await found('NARROW')).toEqual([0, 6, 7]);
    expect(await found('arro')).toEqual([0, 6, 7]); // a part of a word
    expect(await found('petal')).toEqual([0, 1, 2, 6, 7]); // an input name (JSON key) or a word
    expect(await found('What is 2 + 2?')).toEqual([3]); // several words, all in one row
  });

  it('needs every word, anywhere; quotes make a phrase', async () => {
    expect(await found('narrow setosa')).toEqual([0, 6]);
    expect(await found('setosa 0.2')).toEqual([6]);
    expect(await found('narrow virginica')).toEqual([7]);
    expect(await found('"narrow and"')).toEqual([6]);
    expect(await found('"and narrow"')).toEqual([]);
    expect(await found('narrow nothing-like-this')).toEqual([]);
  });

  it('finds short words (1-2 characters) too, alone or with longer ones', async () => {
    expect(await found('x')).toEqual(expected('x'));
    expect(await found('2')).toEqual(expected('2'));
    expect(await found('%')).toEqual([1, 5]);
    expect(await found('_')).toEqual([2, 5]);
    expect(await found('Wi')).toEqual([1, 7]);
    expect(await found('ris 37')).toEqual([0, 1]);
    expect(await found('narrow .2')).toEqual([6]);
    expect(await found('a')).toEqual(expected('a'));
  });

  it('takes operators, quotes, wildcards and LIKE characters literally, without errors', async () => {
    expect(await found('50%')).toEqual([1]);
    expect(await found('100%')).toEqual([5]);
    expect(await found('%%')).toEqual([]);
    expect(await found('a_b')).toEqual([2]);
    expect(await found('a_')).toEqual([2]);
    expect(await found('back_slash')).toEqual([5]);
    expect(await found('\\ back')).toEqual([5]);
    expect(await found('\\\\')).toEqual([5]); // the JSON escape of the backslash
    expect(await found("it's")).toEqual([5]);
    expect(await found("o'clock")).toEqual([5]);
    expect(await found('AND')).toEqual(expected('AND'));
    expect(await found('"\\"AND\\""')).toEqual(expected('"\\"AND\\""')); // a phrase ends at the next quote
    expect(await found('NEAR(x)')).toEqual([2]);
    expect(await found('NEAR(')).toEqual([2]);
    expect(await found('NOT OR')).toEqual([2]);
    expect(await found('* OR')).toEqual([2]);
    expect(await found('"* OR NOT"')).toEqual([2]);
    expect(await found('-c:d')).toEqual([2]);
    expect(await found('^e')).toEqual([2]);
    for (const search of ['"', '""', '"""', '*', '**', 'a*', '"a', 'b"', '(', ')', ')(', 'NEAR(a b, 2)', 'a OR b', 'NOT', '-', ':', '^', '{', '}', '[', '\'', "''", '\\', '%_\\', 'x"y', '…', 'NEAR', 'AND OR NOT']) {
      expect(await found(search), search).toEqual(expected(search));
    }
    // Control characters are no error either; NUL counts as a space.
    expect(await found('\u0000')).toEqual(expected(''));
    expect(await found('iris\u0000037')).toEqual(expected('iris 037'));
    expect(await found('"narrow\u0000and"')).toEqual(expected('"narrow and"'));
    expect(await found('\u0001\u0002\u0003')).toEqual([]);
    expect(await found('\t\n')).toEqual(expected(''));
  });

  it('folds the case of letters beyond ASCII in words of 3 or more characters', async () => {
    expect(await found('Ünïcode')).toEqual([4]);
    expect(await found('ÜNÏCODE')).toEqual([4]);
    expect(await found('école')).toEqual([4]);
    expect(await found('Straße')).toEqual([4]);
    expect(await found('unicode')).toEqual([]); // accents are not removed
    expect(await found('ïc')).toEqual([4]);
  });

  it('means what the reference filter means, on random queries', async () => {
    const texts = SPECS.map(textOf);
    // Pieces of the texts (with their case changed), joined into queries of 1-3 words.
    const piece = fc
      .tuple(fc.nat(texts.length - 1), fc.nat(200), fc.integer({ min: 1, max: 8 }), fc.boolean())
      .map(([i, at, n, upper]) => {
        const text = texts[i]!;
        const start = at % text.length;
        const word = text.slice(start, start + n).replace(/\s+/g, '');
        return upper ? word.toUpperCase() : word;
      })
      .filter((w) => w !== '' && !w.includes('"'));
    const odd = fc.constantFrom('%', '_', '\\', '*', '"', 'AND', 'NEAR(', '(', "'", 'zz', 'qqq');
    const query = fc.array(fc.oneof(piece, piece, odd), { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));
    await fc.assert(
      fc.asyncProperty(query, async (search) => {
        const res = await page({ search });
        expect(res.rows.map((r) => r.exampleIndex)).toEqual(expected(search));
        expect(res.total).toBe(expected(search).length);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('never lists another evaluation’s results', async () => {
    const res = await page({ search: 'iris' });
    expect(res.rows.map((r) => r.id)).toEqual([0, 1, 2, 6, 7].map((i) => ids[i]));
    expect(res.rows.every((r) => r.evaluationId === evaluationId)).toBe(true);
    expect(res.total).toBe(5);
  });
});

describe('pageExampleResults search with filters, sorts and paging', () => {
  const SORTS = ['index', 'index-desc', 'score', 'score-desc'] as const;
  const FILTERS: Query[] = [{}, { passed: true }, { passed: false }, { failed: true }, { failed: false }];
  const SEARCHES = [undefined, 'iris', 'narrow', 'petal', 'wi', 'iris a', 'nothing at all'];

  const reference = (sort: (typeof SORTS)[number], filter: Query, search: string | undefined, specs = SPECS): number[] => {
    const rows = specs.map((s, i) => ({ s, i })).filter(
      ({ s }) =>
        (filter.passed === undefined || s.passed === filter.passed) &&
        (filter.failed === undefined || Boolean(s.failed) === filter.failed) &&
        (search === undefined || matches(s, search)),
    );
    const bySort = {
      index: (a: { i: number }, b: { i: number }) => a.i - b.i,
      'index-desc': (a: { i: number }, b: { i: number }) => b.i - a.i,
      score: (a: { s: Spec; i: number }, b: { s: Spec; i: number }) => (a.s.failed ? 0 : a.s.score) - (b.s.failed ? 0 : b.s.score) || a.i - b.i,
      'score-desc': (a: { s: Spec; i: number }, b: { s: Spec; i: number }) => (b.s.failed ? 0 : b.s.score) - (a.s.failed ? 0 : a.s.score) || a.i - b.i,
    }[sort];
    return rows.sort(bySort).map(({ i }) => i);
  };

  it('pages by cursor and by offset to the same rows, with the same total, for every combination', async () => {
    for (const sort of SORTS) {
      for (const filter of FILTERS) {
        for (const search of SEARCHES) {
          const want = reference(sort, filter, search);
          const label = JSON.stringify({ sort, filter, search });
          const query: Query = { sort, ...filter, ...(search === undefined ? {} : { search }) };
          // By cursor, two rows a page.
          const seen: ExampleResultRow[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const res = await page({ ...query, limit: 2, ...(cursor ? { cursor } : {}) });
            expect(res.total, label).toBe(want.length);
            seen.push(...res.rows);
            cursor = res.nextCursor;
            pages++;
          } while (cursor && pages < 20);
          expect(seen.map((r) => r.exampleIndex), label).toEqual(want);
          // By offset, three rows a page, past the end included.
          for (let offset = 0; offset <= want.length + 3; offset += 3) {
            const res = await page({ ...query, limit: 3, offset });
            expect(res.rows.map((r) => r.exampleIndex), `${label} offset ${offset}`).toEqual(want.slice(offset, offset + 3));
            expect(res.total, `${label} offset ${offset}`).toBe(want.length);
          }
        }
      }
    }
  });

  it('pages a search that every row of the evaluation matches like one without it', async () => {
    for (const sort of SORTS) {
      for (const filter of FILTERS) {
        for (const search of ['alike-', 'ALIKE', 'like', 'alike- 2', 'alike- a', 'alike label', 'alike label 2.5', 'alike-1']) {
          const want = reference(sort, filter, search, ALIKE);
          const label = JSON.stringify({ sort, filter, search });
          const query = { evaluationId: alikeId, sort, ...filter, search };
          const all = await ws.api.pageExampleResults({ ...query, limit: 500 });
          expect(all.rows.map((r) => r.exampleIndex), label).toEqual(want);
          expect(all.total, label).toBe(want.length);
          const first = await ws.api.pageExampleResults({ ...query, limit: 1 });
          const rest = first.nextCursor ? await ws.api.pageExampleResults({ ...query, limit: 500, cursor: first.nextCursor }) : null;
          expect([...first.rows, ...(rest?.rows ?? [])].map((r) => r.exampleIndex), label).toEqual(want);
          expect((await ws.api.pageExampleResults({ ...query, limit: 2, offset: 1 })).rows.map((r) => r.exampleIndex), label).toEqual(want.slice(1, 3));
        }
      }
    }
  });

  it('returns whole rows for a search: inputs, prediction, labels, error and trace', async () => {
    const [row] = (await page({ search: 'gsm-1' })).rows;
    expect(row).toMatchObject({
      id: ids[3],
      evaluationId,
      exampleIndex: 3,
      exampleId: 'gsm-1',
      inputs: { question: 'What is 2 + 2?' },
      prediction: null,
      score: 0,
      passed: false,
      error: { kind: 'parse', message: 'no answer field' },
    });
    expect(row!.traceId).toEqual(expect.any(Number));
    const [setosa] = (await page({ search: 'iris-037' })).rows;
    expect(setosa).toMatchObject({ inputs: SPECS[0]!.inputs, prediction: SPECS[0]!.prediction, score: 1, passed: true, error: null });
  });

  it('keeps cursors to their query and refuses cursor with offset, with a search too', async () => {
    const first = await page({ search: 'iris', sort: 'score', limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    await expect(page({ search: 'iris', sort: 'score-desc', cursor: first.nextCursor })).rejects.toMatchObject({ message: expect.stringMatching(/^cursor: belongs to another query/) });
    await expect(page({ search: 'iris', cursor: first.nextCursor, offset: 2 })).rejects.toMatchObject({ message: expect.stringMatching(/^offset: give either cursor or offset/) });
  });
});
