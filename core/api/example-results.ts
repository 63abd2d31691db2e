// Pages of one evaluation's example results — what the trace list shows: each example's inputs,
// prediction, score, pass/fail, error and trace id — filtered (passed, failed), searched (words
// in the example id, inputs or prediction) and sorted (by position or score), with keyset
// cursors so a page costs the same wherever it is (or an offset, for a list that jumps far).

import type { FieldValue, Prediction } from '../program/example.ts';
import type { CallError } from '../program/trace.ts';
import type { EvaluationRecord } from '../store/index.ts';
import type { ApiContext } from './context.ts';
import { invalidInput, notFound } from './errors.ts';
import type { ExampleResultSort, ExampleResultsPageInput, Parsed } from './schemas.ts';
import type { SqlValue } from './sql.ts';

export interface ExampleResultRow {
  id: number;
  evaluationId: number;
  exampleIndex: number;
  exampleId: string | null;
  /** The example's inputs, as the program received them. */
  inputs: Record<string, FieldValue> | null;
  /** The example's gold labels; null for results saved before labels were kept. */
  labels: Record<string, FieldValue> | null;
  score: number;
  passed: boolean;
  prediction: Prediction | null;
  traceId: number | null;
  error: CallError | null;
}

export interface ExampleResultPage {
  evaluation: EvaluationRecord;
  rows: ExampleResultRow[];
  /** Pass as `cursor` for the next page (same query); null on the last page. */
  nextCursor: string | null;
  /** Rows matching the filters and search, over all pages. */
  total: number;
}

interface Row {
  id: number;
  evaluation_id: number;
  example_index: number;
  example_id: string | null;
  score: number;
  passed: number;
  prediction: string | null;
  trace_id: number | null;
  error: string | null;
  inputs: string | null;
  labels: string | null;
}

interface Cursor {
  /** The evaluation and sort the cursor belongs to. */
  e: number;
  s: ExampleResultSort;
  /** Sort key of the last row (its score) and its position. */
  k: number;
  i: number;
}

/**
 * Each sort as SQL over a row source aliased `a` that has example_index and score: its ORDER BY,
 * and the keyset condition for rows after a cursor. The conditions start with a bound on the
 * leading sort column, so an index of (evaluation_id, example_index) or (evaluation_id, score
 * [DESC], example_index) can seek to the cursor.
 */
const ORDER: Record<ExampleResultSort, { orderBy: string; after: string; params: (c: Cursor) => number[]; key: (r: Row) => number }> = {
  index: { orderBy: 'a.example_index ASC', after: 'a.example_index > ?', params: (c) => [c.i], key: (r) => r.example_index },
  'index-desc': { orderBy: 'a.example_index DESC', after: 'a.example_index < ?', params: (c) => [c.i], key: (r) => r.example_index },
  score: {
    orderBy: 'a.score ASC, a.example_index ASC',
    after: '(a.score >= ? AND (a.score > ? OR a.example_index > ?))',
    params: (c) => [c.k, c.k, c.i],
    key: (r) => r.score,
  },
  'score-desc': {
    orderBy: 'a.score DESC, a.example_index ASC',
    after: '(a.score <= ? AND (a.score < ? OR a.example_index > ?))',
    params: (c) => [c.k, c.k, c.i],
    key: (r) => r.score,
  },
};

/** The search text of a result (see migration 6, which indexes exactly this for longer words). */
const SEARCH_TEXT = "(coalesce(er.example_id, '') || ' ' || coalesce(t.inputs, '') || ' ' || coalesce(er.prediction, ''))";

/**
 * A bound rowid. better-sqlite3 binds JS numbers as REAL, and FTS5 only seeks to a rowid bound
 * that is an INTEGER (see core/store/lm-call-query.ts).
 */
const INT = 'CAST(? AS INTEGER)';

/** The index's matches within a span of result ids: the MATCH expression, then the span's ends. */
const FTS_SPAN = `f.example_results_fts MATCH ? AND f.rowid BETWEEN ${INT} AND ${INT}`;

/** The columns of a row, from `er` (the result) and `t` (its trace). */
const COLUMNS = 'er.id, er.evaluation_id, er.example_index, er.example_id, er.score, er.passed, er.prediction, er.trace_id, er.error, er.labels, t.inputs';

/**
 * Searches keep today's meaning, substrings: every word (or "quoted phrase") must occur in the
 * search text, case-insensitively. Words of 3 or more characters go to the trigram index
 * (example_results_fts), which yields exactly the rows holding them; shorter ones, which a
 * trigram index cannot look up, are checked with LIKE on the rows the index (or the filters) left.
 *
 * The index is first asked how many of the ids in the evaluation's span match: none ends the
 * search; all of them means the words hold for every result and are left out. Without a search,
 * the count and the page both walk an index of example_results. With one, the matching rows are
 * collected once (a materialized CTE of ids and sort keys), counted, and the page is sorted out
 * of them; only the page's rows are then read in full and joined to traces.
 */
export function pageExampleResults(ctx: ApiContext, input: Parsed<typeof ExampleResultsPageInput>): ExampleResultPage {
  const evaluation = resolveEvaluation(ctx, input);
  if (input.cursor !== undefined && input.offset !== undefined) throw invalidInput('offset', 'give either cursor or offset, not both');
  const order = ORDER[input.sort];
  const cursor = input.cursor ? decodeCursor(input.cursor, evaluation.id, input.sort) : null;
  const after = cursor ? { clause: order.after, params: order.params(cursor) } : null;

  const clauses = ['er.evaluation_id = ?'];
  const params: SqlValue[] = [evaluation.id];
  if (input.passed !== undefined) {
    clauses.push('er.passed = ?');
    params.push(input.passed ? 1 : 0);
  }
  if (input.failed !== undefined) clauses.push(input.failed ? 'er.error IS NOT NULL' : 'er.error IS NULL');
  const search = searchTerms(input.search);
  for (const word of search.scan) {
    clauses.push(`${SEARCH_TEXT} LIKE ? ESCAPE '\\'`);
    params.push(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }

  let source = 'example_results er';
  let indexed = search.fts !== null;
  if (search.fts !== null) {
    const range = resultIdRange(ctx, evaluation.id);
    const hits = range === null ? 0 : (ctx.sql.get<{ n: number }>(`SELECT count(*) AS n FROM example_results_fts f WHERE ${FTS_SPAN}`, search.fts, ...range)?.n ?? 0);
    if (range === null || hits === 0) return { evaluation, rows: [], nextCursor: null, total: 0 };
    // When every id of the span matches (say, the start of every example id), the words hold for
    // every result of the evaluation (the index has an entry for each stored result and nothing
    // else): they narrow nothing, and the page is found as without them.
    indexed = hits < range[1] - range[0] + 1;
    if (indexed) {
      // CROSS JOIN pins the join order: the FTS index first, seeking to the evaluation's ids.
      source = 'example_results_fts f CROSS JOIN example_results er ON er.id = f.rowid';
      clauses.unshift(FTS_SPAN);
      params.unshift(search.fts, ...range);
    }
  }
  if (search.scan.length > 0) source += ' LEFT JOIN traces t ON t.id = er.trace_id';
  const where = `WHERE ${clauses.join(' AND ')}`;
  const limit = input.limit + 1;
  const offset = input.offset ?? 0;
  const pageWhere = after ? `WHERE ${after.clause}` : '';
  const pageParams = after?.params ?? [];

  // The page is chosen on ids and sort keys alone; only its rows are read in full and meet their traces.
  const pageOf = (candidates: string, extraColumns = '') => `SELECT ${extraColumns}${COLUMNS}
       FROM (SELECT a.id, a.example_index, a.score FROM ${candidates} a ${pageWhere} ORDER BY ${order.orderBy} LIMIT ? OFFSET ?) a
       CROSS JOIN example_results er ON er.id = a.id LEFT JOIN traces t ON t.id = er.trace_id
       ORDER BY ${order.orderBy}`;
  const matches = `SELECT er.id, er.example_index, er.score FROM ${source} ${where}`;
  const countAll = () => ctx.sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${source} ${where}`, ...params)?.n ?? 0;

  let total: number;
  let rows: Array<Row & { total?: number }>;
  if (!indexed && search.scan.length === 0) {
    // An index walk of example_results for the count and for the page.
    total = countAll();
    rows = ctx.sql.all<Row>(pageOf(`(${matches})`), ...params, ...pageParams, limit, offset);
  } else {
    // One pass over the matches serves both the count and the page.
    rows = ctx.sql.all<Row & { total: number }>(`WITH hits AS MATERIALIZED (${matches}) ${pageOf('hits', '(SELECT count(*) FROM hits) AS total, ')}`, ...params, ...pageParams, limit, offset);
    // An empty page (past the end) carries no count; then count on its own.
    total = rows[0]?.total ?? countAll();
  }

  const more = rows.length > input.limit;
  if (more) rows.pop();
  const last = rows.at(-1);
  return {
    evaluation,
    rows: rows.map(toRow),
    nextCursor: more && last ? encodeCursor({ e: evaluation.id, s: input.sort, k: order.key(last), i: last.example_index }) : null,
    total,
  };
}

/** The span of an evaluation's result ids (two index lookups); null when it has no results. */
function resultIdRange(ctx: ApiContext, evaluationId: number): [number, number] | null {
  const row = ctx.sql.get<{ lo: number | null; hi: number | null }>(
    `SELECT (SELECT id FROM example_results WHERE evaluation_id = ? ORDER BY id ASC LIMIT 1) AS lo,
            (SELECT id FROM example_results WHERE evaluation_id = ? ORDER BY id DESC LIMIT 1) AS hi`,
    evaluationId,
    evaluationId,
  );
  return row && row.lo !== null && row.hi !== null ? [row.lo, row.hi] : null;
}

function resolveEvaluation(ctx: ApiContext, input: Parsed<typeof ExampleResultsPageInput>): EvaluationRecord {
  if (input.evaluationId !== undefined) {
    const evaluation = ctx.store.evaluations.get(input.evaluationId);
    if (!evaluation) throw notFound(`evaluation ${input.evaluationId} does not exist`);
    return evaluation;
  }
  const stage = ctx.store.stages.get(input.stageId!);
  if (!stage) throw notFound(`stage ${input.stageId} does not exist`);
  const evaluation = ctx.store.evaluations
    .listForStage(stage.id)
    .filter((e) => e.candidateId === null && e.split === input.split)
    .at(-1);
  if (!evaluation) throw notFound(`stage ${stage.id} has no evaluation on ${input.split} (yet)`);
  return evaluation;
}

/**
 * Words of a search box; quotes group words into one phrase. A NUL character counts as a space:
 * SQLite would take it for the end of the text (FTS5 reports an unterminated string).
 */
function searchWords(search: string | undefined): string[] {
  if (!search) return [];
  const words: string[] = [];
  for (const match of search.replace(/\0/g, ' ').matchAll(/"([^"]*)"|(\S+)/g)) {
    const word = (match[1] ?? match[2] ?? '').trim();
    if (word !== '') words.push(word);
  }
  return words.slice(0, 16);
}

/** Shortest word the trigram index can look up, in characters (code points). */
const MIN_INDEXED = 3;

/**
 * A search split by how each word is found: `fts`, the MATCH expression for the words of 3 or
 * more characters (each a quoted FTS5 string, so nothing in it is an operator: a trigram phrase
 * is a substring), or null when there are none; `scan`, the shorter words, for LIKE.
 */
function searchTerms(search: string | undefined): { fts: string | null; scan: string[] } {
  const indexed: string[] = [];
  const scan: string[] = [];
  for (const word of searchWords(search)) (Array.from(word).length >= MIN_INDEXED ? indexed : scan).push(word);
  return { fts: indexed.length > 0 ? indexed.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ') : null, scan };
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string, evaluationId: number, sort: ExampleResultSort): Cursor {
  let cursor: Partial<Cursor> | null = null;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    // reported below
  }
  if (!cursor || typeof cursor.k !== 'number' || typeof cursor.i !== 'number' || typeof cursor.e !== 'number') {
    throw invalidInput('cursor', 'is not a cursor this API returned; pass the nextCursor of the previous page');
  }
  if (cursor.e !== evaluationId || cursor.s !== sort) {
    throw invalidInput('cursor', 'belongs to another query (evaluation or sort changed); start again without a cursor');
  }
  return cursor as Cursor;
}

function parse<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function toRow(row: Row): ExampleResultRow {
  return {
    id: row.id,
    evaluationId: row.evaluation_id,
    exampleIndex: row.example_index,
    exampleId: row.example_id,
    inputs: parse<Record<string, FieldValue>>(row.inputs),
    labels: parse<Record<string, FieldValue>>(row.labels),
    score: row.score,
    passed: row.passed === 1,
    prediction: parse<Prediction>(row.prediction),
    traceId: row.trace_id,
    error: parse<CallError>(row.error),
  };
}
