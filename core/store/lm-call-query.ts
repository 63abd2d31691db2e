// SQL for browsing LM calls: the WHERE clause for a filter, the ORDER BY for a sort and the
// keyset cursor that continues a page. Newest/oldest follow the call id (insertion order);
// latency and tokens sort descending (slowest / largest first), ties broken by id.
//
// With a search, the FTS5 index drives the query: it yields matching ids in id order (newest or
// oldest first, stopping after a page), and each match is joined to its lm_calls row. Sorting a
// search by latency or tokens has to read every match first, so it costs in proportion to the
// number of matches.

import { StoreError } from './errors.ts';

export type LMCallSort = 'newest' | 'oldest' | 'latency' | 'tokens';

export interface LMCallFilter {
  runId?: number;
  stageId?: number;
  traceId?: number;
  predictor?: string;
  model?: string;
  /** true: calls that failed (any error kind); false: calls that did not. */
  hasError?: boolean;
  /** e.g. `parse` or `lm:timeout`. */
  errorKind?: string;
  cached?: boolean;
  /** Words to find in the prompt or the completion; see toFtsQuery for the syntax. */
  search?: string;
}

export type SqlParam = string | number;

/**
 * A bound id. better-sqlite3 binds JS numbers as REAL, and FTS5 only seeks to a rowid bound
 * that is an INTEGER: with a REAL one it walks the whole doclist from its start (100 ms instead
 * of 0.1 ms on a million calls). The cast keeps every rowid bound a seek.
 */
const INT = 'CAST(? AS INTEGER)';

export interface FilterSql {
  from: string;
  where: string;
  params: SqlParam[];
  /** The id expression that the chosen access path is ordered by. */
  id: string;
}

/**
 * `ftsQuery` is the already-escaped MATCH expression, or null for no search. `idRange` (the id
 * span that the filter's trace, stage, run, predictor and model share) lets the FTS index seek
 * straight to those calls instead of walking past every newer match elsewhere.
 */
export function filterSql(filter: LMCallFilter, ftsQuery: string | null, idRange: readonly [number, number] | null = null): FilterSql {
  const clauses: string[] = [];
  const params: SqlParam[] = [];
  const add = (clause: string, ...values: SqlParam[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (ftsQuery !== null) add('f.lm_calls_fts MATCH ?', ftsQuery);
  if (ftsQuery !== null && idRange !== null) add(`f.rowid BETWEEN ${INT} AND ${INT}`, idRange[0], idRange[1]);
  if (filter.runId !== undefined) add('c.run_id = ?', filter.runId);
  if (filter.stageId !== undefined) add('c.stage_id = ?', filter.stageId);
  if (filter.traceId !== undefined) add('c.trace_id = ?', filter.traceId);
  if (filter.predictor !== undefined) add('c.predictor = ?', filter.predictor);
  if (filter.model !== undefined) add('c.model = ?', filter.model);
  if (filter.hasError !== undefined) add(filter.hasError ? 'c.error_kind IS NOT NULL' : 'c.error_kind IS NULL');
  if (filter.errorKind !== undefined) add('c.error_kind = ?', filter.errorKind);
  // Literals, not parameters, so the planner can match the partial index on cached = 1.
  if (filter.cached !== undefined) add(filter.cached ? 'c.cached = 1' : 'c.cached = 0');
  return {
    // CROSS JOIN pins the join order: the FTS index first, so its id order serves the sort.
    from: ftsQuery !== null ? 'lm_calls_fts f CROSS JOIN lm_calls c ON c.id = f.rowid' : 'lm_calls c',
    where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '',
    params,
    id: ftsQuery !== null ? 'f.rowid' : 'c.id',
  };
}

/** What a cursor remembers of the last row of a page. */
export interface CursorRow {
  id: number;
  latency_ms: number;
  total_tokens: number;
}

const TAGS: Record<LMCallSort, string> = { newest: 'n', oldest: 'o', latency: 'l', tokens: 't' };

export function encodeCursor(sort: LMCallSort, row: CursorRow): string {
  switch (sort) {
    case 'newest':
    case 'oldest':
      return `${TAGS[sort]}:${row.id}`;
    case 'latency':
      return `l:${row.latency_ms}:${row.id}`;
    case 'tokens':
      return `t:${row.total_tokens}:${row.id}`;
  }
}

export interface SortSql {
  orderBy: string;
  /** Column names of the inner query, for re-ordering the joined page. */
  outerOrderBy: string;
  cursorClause: string | null;
  cursorParams: SqlParam[];
}

export function sortSql(sort: LMCallSort, id: string, cursor: string | null | undefined): SortSql {
  if (!Object.hasOwn(TAGS, sort)) throw new StoreError('invalid-value', `unknown sort "${String(sort)}"; use newest, oldest, latency or tokens`);
  const values = cursor ? decodeCursor(sort, cursor) : null;
  switch (sort) {
    case 'newest':
      return { orderBy: `${id} DESC`, outerOrderBy: 'p.id DESC', cursorClause: values && `${id} < ${INT}`, cursorParams: values ?? [] };
    case 'oldest':
      return { orderBy: `${id} ASC`, outerOrderBy: 'p.id ASC', cursorClause: values && `${id} > ${INT}`, cursorParams: values ?? [] };
    case 'latency':
      return {
        orderBy: 'c.latency_ms DESC, c.id DESC',
        outerOrderBy: 'p.latency_ms DESC, p.id DESC',
        cursorClause: values && '(c.latency_ms, c.id) < (?, ?)',
        cursorParams: values ?? [],
      };
    case 'tokens':
      return {
        orderBy: 'c.total_tokens DESC, c.id DESC',
        outerOrderBy: 'p.total_tokens DESC, p.id DESC',
        cursorClause: values && '(c.total_tokens, c.id) < (?, ?)',
        cursorParams: values ?? [],
      };
  }
}

function decodeCursor(sort: LMCallSort, cursor: string): number[] {
  const [tag, ...rest] = cursor.split(':');
  const values = rest.map(Number);
  const arity = sort === 'newest' || sort === 'oldest' ? 1 : 2;
  if (tag !== TAGS[sort]) {
    throw new StoreError('invalid-cursor', `cursor "${cursor}" does not belong to sort "${sort}"; start again without a cursor`);
  }
  if (values.length !== arity || values.some((v) => !Number.isFinite(v))) {
    throw new StoreError('invalid-cursor', `cursor "${cursor}" is malformed; pass back nextCursor exactly as it was returned`);
  }
  return values;
}
