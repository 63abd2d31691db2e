// Reading LM calls: one call in full, the calls of a trace, counts, per-run stats, and pages
// for browsing (filters, full-text search, sorts, keyset cursors). Page rows carry short
// previews instead of the messages; get(id) returns everything.

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../contract/schemas.ts';
import type { LMCallPage, LMCallRecord, LMCallStats, LMCallSummary } from '../contract/views/index.ts';
import type { CallError, PredictorCall } from '../program/trace.ts';
import type { Db } from './database.ts';
import { fromJson, fromJsonOrNull } from './json.ts';
import { encodeCursor, filterSql, sortSql, type CursorRow, type LMCallFilter, type LMCallSort } from './lm-call-query.ts';
import { toFtsQuery } from './fts-query.ts';
import type Database from 'better-sqlite3';
import { StatementCache, type SqlValue } from './statement-cache.ts';

export type { LMCallFilter, LMCallSort } from './lm-call-query.ts';

export type { LMCallPage, LMCallRecord, LMCallStats, LMCallSummary };

export interface LMCallPageQuery extends LMCallFilter {
  /** Default `newest`. */
  sort?: LMCallSort;
  /** Rows per page, 1–500; default 50. */
  limit?: number;
  /** `nextCursor` of the previous page (same filter and sort). */
  cursor?: string | null;
  /** Rows to skip; prefer the cursor, skipping costs in proportion to the offset. */
  offset?: number;
  /** Also count all matching rows. Costs a pass over every match, which for a search of a common word means a large part of the index. */
  withTotal?: boolean;
}

export interface StageCallStats {
  stageId: number | null;
  calls: number;
  cached: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  totalLatencyMs: number;
}

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };
const PREVIEW_CHARS = 200;

const META = `c.id, c.trace_id, c.run_id, c.stage_id, c.call_index, c.predictor, c.model, c.parse_fallback, c.prompt_tokens,
  c.completion_tokens, c.total_tokens, c.latency_ms, c.cached, c.attempts, c.error_kind, c.error_message, c.started_at`;

interface MetaRow extends CursorRow {
  trace_id: number;
  run_id: number;
  stage_id: number | null;
  call_index: number;
  predictor: string;
  model: string;
  parse_fallback: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached: number;
  attempts: number;
  error_kind: string | null;
  error_message: string | null;
  started_at: number;
}

interface FullRow extends MetaRow {
  request: string | null;
  inputs: string;
  messages: string;
  completion: string | null;
  outputs: string | null;
}

interface PageRow extends MetaRow {
  prompt_preview: string | null;
  completion_preview: string | null;
}

export class LMCallRepository {
  private readonly getStmt;
  private readonly forTraceStmt;
  private readonly statsStmts;
  private readonly rangeStmts;
  private readonly statements;

  private byStageStmt: Database.Statement<[number], StageCallStats> | undefined;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
    const full = `SELECT ${META}, c.request, b.inputs, b.messages, b.completion, b.outputs FROM lm_calls c JOIN lm_call_bodies b ON b.call_id = c.id`;
    this.getStmt = db.prepare<[number], FullRow>(`${full} WHERE c.id = ?`);
    this.forTraceStmt = db.prepare<[number], FullRow>(`${full} WHERE c.trace_id = ? ORDER BY c.call_index`);
    // One statement per scope: `:runId IS NULL OR run_id = :runId` would keep the run index unused.
    const totals = (where: string) =>
      db.prepare<unknown[], Omit<LMCallStats, 'errorsByKind'>>(
        `SELECT count(*) AS calls, coalesce(sum(cached), 0) AS cached, count(error_kind) AS errors,
           count(parse_fallback) AS parseFallbacks, coalesce(sum(prompt_tokens), 0) AS promptTokens,
           coalesce(sum(completion_tokens), 0) AS completionTokens, coalesce(sum(latency_ms), 0) AS totalLatencyMs
         FROM lm_calls ${where}`,
      );
    const kinds = (where: string) =>
      db.prepare<unknown[], { kind: string; n: number }>(
        `SELECT error_kind AS kind, count(*) AS n FROM lm_calls WHERE error_kind IS NOT NULL ${where} GROUP BY error_kind ORDER BY error_kind`,
      );
    this.statsStmts = {
      all: { totals: totals(''), kinds: kinds('') },
      run: { totals: totals('WHERE run_id = ?'), kinds: kinds('AND run_id = ?') },
    };
    // Two subqueries: SQLite answers a lone min() or max() with one index seek, both together with a scan.
    const range = (column: string) =>
      db.prepare<[string | number, string | number], { lo: number | null; hi: number | null }>(
        `SELECT (SELECT min(id) FROM lm_calls WHERE ${column} = ?) AS lo, (SELECT max(id) FROM lm_calls WHERE ${column} = ?) AS hi`,
      );
    this.rangeStmts = { traceId: range('trace_id'), stageId: range('stage_id'), runId: range('run_id'), predictor: range('predictor'), model: range('model') };
  }

  get(id: number): LMCallRecord | undefined {
    const row = this.getStmt.get(id);
    return row && toRecord(row);
  }

  /**
   * Up to `count` of a run's answered requests, spread evenly over the run, for sending again:
   * calls that reached the server (not cache hits, which repeat a request already in the run)
   * and have a stored request.
   */
  requestSample(runId: number, count: number): LMCallRecord[] {
    const rows = this.statement(
      "SELECT id FROM lm_calls WHERE run_id = ? AND request IS NOT NULL AND cached = 0 AND attempts > 0 AND (error_kind IS NULL OR error_kind = 'parse') ORDER BY id",
    ).all(runId) as Array<{ id: number }>;
    const ids = rows.map((r) => r.id);
    const step = ids.length / Math.max(1, Math.min(count, ids.length));
    const picked = new Set<number>();
    for (let i = 0; picked.size < Math.min(count, ids.length); i++) picked.add(ids[Math.floor(i * step)]!);
    return [...picked].map((id) => this.get(id)!).filter((c) => c.completion !== null);
  }

  /** The calls of one trace, in the order they were made. */

  listForTrace(traceId: number): LMCallRecord[] {
    return this.forTraceStmt.all(traceId).map(toRecord);
  }

  /** Number of calls matching the filter (all calls without one). */
  count(filter: LMCallFilter = {}): number {
    const fts = searchOf(filter);
    const range = fts === null ? null : this.idRange(filter);
    if (fts === false || range === false) return 0;
    const where = filterSql(filter, fts, range);
    const row = this.statement(`SELECT count(*) AS n FROM ${where.from} ${where.where}`).get(...where.params) as { n: number };
    return row.n;
  }

  /** Per-stage totals of one run's calls: the cost of each stage. */
  statsByStage(runId: number): StageCallStats[] {
    this.byStageStmt ??= this.db.prepare<[number], StageCallStats>(
      `SELECT stage_id AS stageId, count(*) AS calls, coalesce(sum(cached), 0) AS cached, count(error_kind) AS errors,
         coalesce(sum(prompt_tokens), 0) AS promptTokens, coalesce(sum(completion_tokens), 0) AS completionTokens,
         coalesce(sum(latency_ms), 0) AS totalLatencyMs
       FROM lm_calls WHERE run_id = ? GROUP BY stage_id ORDER BY stage_id`,
    );
    return this.byStageStmt.all(runId);
  }

  /** Totals over one run's calls, or over all calls without a runId. */
  stats(filter: { runId?: number } = {}): LMCallStats {
    const scoped = filter.runId !== undefined;
    const stmts = scoped ? this.statsStmts.run : this.statsStmts.all;
    const params = scoped ? [filter.runId] : [];
    const totals = stmts.totals.get(...params)!;
    const errorsByKind: Record<string, number> = {};
    for (const { kind, n } of stmts.kinds.all(...params)) errorsByKind[kind] = n;
    return { ...totals, errorsByKind };
  }

  page(query: LMCallPageQuery = {}): LMCallPage {
    const sort = query.sort ?? 'newest';
    const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.limit ?? DEFAULT_PAGE_SIZE)));
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const fts = searchOf(query);
    const range = fts === null ? null : this.idRange(query);
    if (fts === false || range === false) return { rows: [], nextCursor: null, ...(query.withTotal ? { total: 0 } : {}) };
    const where = filterSql(query, fts, range);
    const order = sortSql(sort, where.id, query.cursor);
    const conditions = [where.where, order.cursorClause ? `${where.where ? 'AND' : 'WHERE'} ${order.cursorClause}` : ''].join(' ');
    // The page is chosen on the narrow table first; only its rows are joined to their bodies.
    const sql = `SELECT p.*,
        substr(json_extract(b.messages, '$[#-1].content'), 1, ${PREVIEW_CHARS * 2}) AS prompt_preview,
        substr(b.completion, 1, ${PREVIEW_CHARS * 2}) AS completion_preview
      FROM (SELECT ${META} FROM ${where.from} ${conditions} ORDER BY ${order.orderBy} LIMIT ? OFFSET ?) AS p
      LEFT JOIN lm_call_bodies b ON b.call_id = p.id
      ORDER BY ${order.outerOrderBy}`;
    const rows = this.statement(sql).all(...where.params, ...order.cursorParams, limit + 1, offset) as PageRow[];
    const more = rows.length > limit;
    if (more) rows.pop();
    const last = rows.at(-1);
    const page: LMCallPage = { rows: rows.map(toSummary), nextCursor: more && last ? encodeCursor(sort, last) : null };
    if (query.withTotal) page.total = this.count(query);
    return page;
  }

  /**
   * The ids a search can be confined to: the intersection of the id spans of the filter's trace,
   * stage, run, predictor and model (each two index lookups). Calls of one run, or of a predictor
   * or model that only some runs use, sit in a narrow span, so the FTS index seeks there instead
   * of walking every newer match. False when the filter matches no call.
   */
  private idRange(filter: LMCallFilter): readonly [number, number] | null | false {
    let range: [number, number] | null = null;
    for (const key of ['traceId', 'stageId', 'runId', 'predictor', 'model'] as const) {
      const value = filter[key];
      if (value === undefined) continue;
      const { lo, hi } = this.rangeStmts[key].get(value, value)!;
      if (lo === null || hi === null) return false;
      range = range ? [Math.max(range[0], lo), Math.min(range[1], hi)] : [lo, hi];
      if (range[0] > range[1]) return false;
    }
    return range;
  }

  private statement(sql: string): Database.Statement<SqlValue[], unknown> {
    return this.statements.get(sql);
  }
}

/** The FTS query of a filter: null for no search, false for a search that can match nothing. */
function searchOf(filter: LMCallFilter): string | null | false {
  if (filter.search === undefined || filter.search.trim() === '') return null;
  return toFtsQuery(filter.search) ?? false;
}

function errorOf(row: MetaRow): CallError | null {
  return row.error_kind === null ? null : { kind: row.error_kind, message: row.error_message ?? '' };
}

function toRecord(row: FullRow): LMCallRecord {
  const where = `LM call ${row.id}`;
  return {
    id: row.id,
    traceId: row.trace_id,
    runId: row.run_id,
    stageId: row.stage_id,
    index: row.call_index,
    predictor: row.predictor,
    inputs: fromJson<PredictorCall['inputs']>(row.inputs, `inputs of ${where}`),
    messages: fromJson<PredictorCall['messages']>(row.messages, `messages of ${where}`),
    request: fromJsonOrNull<NonNullable<PredictorCall['request']>>(row.request, `request of ${where}`),
    completion: row.completion,
    outputs: fromJsonOrNull<NonNullable<PredictorCall['outputs']>>(row.outputs, `outputs of ${where}`),
    parseFallback: row.parse_fallback,
    model: row.model,
    usage: { promptTokens: row.prompt_tokens, completionTokens: row.completion_tokens },
    latencyMs: row.latency_ms,
    cached: row.cached === 1,
    attempts: row.attempts,
    error: errorOf(row),
    startedAt: row.started_at,
  };
}

function toSummary(row: PageRow): LMCallSummary {
  return {
    id: row.id,
    traceId: row.trace_id,
    runId: row.run_id,
    stageId: row.stage_id,
    index: row.call_index,
    predictor: row.predictor,
    model: row.model,
    promptPreview: preview(row.prompt_preview) ?? '',
    completionPreview: preview(row.completion_preview),
    parseFallback: row.parse_fallback,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    latencyMs: row.latency_ms,
    cached: row.cached === 1,
    attempts: row.attempts,
    error: errorOf(row),
    startedAt: row.started_at,
  };
}

function preview(text: string | null): string | null {
  if (text === null) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}
