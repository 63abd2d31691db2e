// Pages of one evaluation's example results — what the trace list shows: each example's inputs,
// prediction, score, pass/fail, error and trace id — filtered (passed, failed), searched (words
// in the example id, inputs or prediction) and sorted (by position or score), with keyset
// cursors so a page costs the same wherever it is (or an offset, for a list that jumps far).

import type { CheckValues, ExampleResultRow, ExampleResultSort, FieldValue } from '../contract/views/index.ts';
import type { Db } from './database.ts';
import { StoreError } from './errors.ts';
import { toResultRecord, type ExampleResultColumns } from './evaluations.ts';
import { likeAnywhere, retrievalSearchText, searchTerms } from './example-result-search.ts';
import { fromJsonForDisplay } from './json.ts';
import { StatementCache, type SqlValue } from './statement-cache.ts';

export interface ExampleResultPageQuery {
  sort: ExampleResultSort;
  /** Rows per page. */
  limit: number;
  /** Only results that passed (true) or did not (false). */
  passed?: boolean;
  /** Only results whose trace failed (true) or did not (false). */
  failed?: boolean;
  /** Words that must all occur in the example id, inputs or prediction (case-insensitive substrings). */
  search?: string;
  /** `nextCursor` of the previous page (same evaluation and sort). */
  cursor?: string | null;
  /** Rows to skip; give either this or a cursor. */
  offset?: number;
}

export interface ExampleResultRows {
  rows: ExampleResultRow[];
  /** Pass as `cursor` for the next page (same query); null on the last page. */
  nextCursor: string | null;
  /** Rows matching the filters and search, over all pages. */
  total: number;
}

interface Row extends ExampleResultColumns {
  inputs: string | null;
  labels: string | null;
  checks: string | null;
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
const SEARCH_TEXT = `(coalesce(er.example_id, '') || ' ' || coalesce(t.inputs, '') || ' ' || coalesce(er.prediction, '') || ' ' || ${retrievalSearchText('t.id')})`;

/**
 * A bound rowid. better-sqlite3 binds JS numbers as REAL, and FTS5 only seeks to a rowid bound
 * that is an INTEGER (see lm-call-query.ts).
 */
const INT = 'CAST(? AS INTEGER)';

/** The index's matches within a span of result ids: the MATCH expression, then the span's ends. */
const FTS_SPAN = `f.example_results_fts MATCH ? AND f.rowid BETWEEN ${INT} AND ${INT}`;

/** The columns of a row, from `er` (the result) and `t` (its trace). */
const COLUMNS = 'er.id, er.evaluation_id, er.example_index, er.example_id, er.score, er.passed, er.prediction, er.trace_id, er.error, er.labels, t.inputs, t.checks';

export class ExampleResultPageRepository {
  private readonly statements;

  constructor(db: Db) {
    this.statements = new StatementCache(db);
  }

  /**
   * Searches keep the meaning of substrings: every word (or "quoted phrase") must occur in the
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
  page(evaluationId: number, query: ExampleResultPageQuery): ExampleResultRows {
    const order = ORDER[query.sort];
    const cursor = query.cursor ? decodeCursor(query.cursor, evaluationId, query.sort) : null;
    const after = cursor ? { clause: order.after, params: order.params(cursor) } : null;

    const clauses = ['er.evaluation_id = ?'];
    const params: SqlValue[] = [evaluationId];
    if (query.passed !== undefined) {
      clauses.push('er.passed = ?');
      params.push(query.passed ? 1 : 0);
    }
    if (query.failed !== undefined) clauses.push(query.failed ? 'er.error IS NOT NULL' : 'er.error IS NULL');
    const search = searchTerms(query.search);
    for (const word of search.scan) {
      clauses.push(`${SEARCH_TEXT} LIKE ? ESCAPE '\\'`);
      params.push(likeAnywhere(word));
    }

    let source = 'example_results er';
    let indexed = search.fts !== null;
    if (search.fts !== null) {
      const range = this.resultIdRange(evaluationId);
      const hits = range === null ? 0 : (this.get<{ n: number }>(`SELECT count(*) AS n FROM example_results_fts f WHERE ${FTS_SPAN}`, search.fts, ...range)?.n ?? 0);
      if (range === null || hits === 0) return { rows: [], nextCursor: null, total: 0 };
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
    const limit = query.limit + 1;
    const offset = query.offset ?? 0;
    const pageWhere = after ? `WHERE ${after.clause}` : '';
    const pageParams = after?.params ?? [];

    // The page is chosen on ids and sort keys alone; only its rows are read in full and meet their traces.
    const pageOf = (candidates: string, extraColumns = '') => `SELECT ${extraColumns}${COLUMNS}
       FROM (SELECT a.id, a.example_index, a.score FROM ${candidates} a ${pageWhere} ORDER BY ${order.orderBy} LIMIT ? OFFSET ?) a
       CROSS JOIN example_results er ON er.id = a.id LEFT JOIN traces t ON t.id = er.trace_id
       ORDER BY ${order.orderBy}`;
    const matches = `SELECT er.id, er.example_index, er.score FROM ${source} ${where}`;
    const countAll = () => this.get<{ n: number }>(`SELECT count(*) AS n FROM ${source} ${where}`, ...params)?.n ?? 0;

    let total: number;
    let rows: Array<Row & { total?: number }>;
    if (!indexed && search.scan.length === 0) {
      // An index walk of example_results for the count and for the page.
      total = countAll();
      rows = this.all<Row>(pageOf(`(${matches})`), ...params, ...pageParams, limit, offset);
    } else {
      // One pass over the matches serves both the count and the page.
      rows = this.all<Row & { total: number }>(`WITH hits AS MATERIALIZED (${matches}) ${pageOf('hits', '(SELECT count(*) FROM hits) AS total, ')}`, ...params, ...pageParams, limit, offset);
      // An empty page (past the end) carries no count; then count on its own.
      total = rows[0]?.total ?? countAll();
    }

    const more = rows.length > query.limit;
    if (more) rows.pop();
    const last = rows.at(-1);
    return {
      rows: rows.map(toRow),
      nextCursor: more && last ? encodeCursor({ e: evaluationId, s: query.sort, k: order.key(last), i: last.example_index }) : null,
      total,
    };
  }

  /** The span of an evaluation's result ids (two index lookups); null when it has no results. */
  private resultIdRange(evaluationId: number): [number, number] | null {
    const row = this.get<{ lo: number | null; hi: number | null }>(
      `SELECT (SELECT id FROM example_results WHERE evaluation_id = ? ORDER BY id ASC LIMIT 1) AS lo,
              (SELECT id FROM example_results WHERE evaluation_id = ? ORDER BY id DESC LIMIT 1) AS hi`,
      evaluationId,
      evaluationId,
    );
    return row && row.lo !== null && row.hi !== null ? [row.lo, row.hi] : null;
  }

  private all<T>(sql: string, ...params: SqlValue[]): T[] {
    return this.statements.get(sql).all(...params) as T[];
  }

  private get<T>(sql: string, ...params: SqlValue[]): T | undefined {
    return this.statements.get(sql).get(...params) as T | undefined;
  }
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Cursor problems are `invalid-cursor` errors whose message completes "cursor …". */
function decodeCursor(text: string, evaluationId: number, sort: ExampleResultSort): Cursor {
  let cursor: Partial<Cursor> | null = null;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    // reported below
  }
  if (!cursor || typeof cursor.k !== 'number' || typeof cursor.i !== 'number' || typeof cursor.e !== 'number') {
    throw new StoreError('invalid-cursor', 'is not a cursor this API returned; pass the nextCursor of the previous page');
  }
  if (cursor.e !== evaluationId || cursor.s !== sort) {
    throw new StoreError('invalid-cursor', 'belongs to another query (evaluation or sort changed); start again without a cursor');
  }
  return cursor as Cursor;
}

/** A page row for display: JSON a hand-edited database garbled reads as null. */
function toRow(row: Row): ExampleResultRow {
  const { id, evaluationId, exampleIndex, exampleId, ...rest } = toResultRecord(row, fromJsonForDisplay);
  const fields = (text: string | null) => fromJsonForDisplay<Record<string, FieldValue>>(text);
  return { id, evaluationId, exampleIndex, exampleId, inputs: fields(row.inputs), labels: fields(row.labels), checks: fromJsonForDisplay<CheckValues>(row.checks), ...rest };
}
