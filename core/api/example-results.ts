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

const ORDER: Record<ExampleResultSort, { orderBy: string; after: string; key: (r: Row) => number }> = {
  index: { orderBy: 'er.example_index ASC', after: 'er.example_index > ?', key: (r) => r.example_index },
  'index-desc': { orderBy: 'er.example_index DESC', after: 'er.example_index < ?', key: (r) => r.example_index },
  score: { orderBy: 'er.score ASC, er.example_index ASC', after: '(er.score > ? OR (er.score = ? AND er.example_index > ?))', key: (r) => r.score },
  'score-desc': { orderBy: 'er.score DESC, er.example_index ASC', after: '(er.score < ? OR (er.score = ? AND er.example_index > ?))', key: (r) => r.score },
};

export function pageExampleResults(ctx: ApiContext, input: Parsed<typeof ExampleResultsPageInput>): ExampleResultPage {
  const evaluation = resolveEvaluation(ctx, input);
  const clauses = ['er.evaluation_id = ?'];
  const params: SqlValue[] = [evaluation.id];
  if (input.passed !== undefined) {
    clauses.push('er.passed = ?');
    params.push(input.passed ? 1 : 0);
  }
  if (input.failed !== undefined) clauses.push(input.failed ? 'er.error IS NOT NULL' : 'er.error IS NULL');
  for (const word of searchWords(input.search)) {
    clauses.push("(coalesce(er.example_id, '') || ' ' || coalesce(t.inputs, '') || ' ' || coalesce(er.prediction, '')) LIKE ? ESCAPE '\\'");
    params.push(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const from = 'FROM example_results er LEFT JOIN traces t ON t.id = er.trace_id';
  const where = `WHERE ${clauses.join(' AND ')}`;
  const total = ctx.sql.get<{ n: number }>(`SELECT count(*) AS n ${from} ${where}`, ...params)?.n ?? 0;

  const order = ORDER[input.sort];
  const pageClauses = [...clauses];
  const pageParams = [...params];
  if (input.cursor !== undefined && input.offset !== undefined) throw invalidInput('offset', 'give either cursor or offset, not both');
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor, evaluation.id, input.sort);
    pageClauses.push(order.after);
    pageParams.push(...(input.sort.startsWith('index') ? [cursor.i] : [cursor.k, cursor.k, cursor.i]));
  }
  const rows = ctx.sql.all<Row>(
    `SELECT er.id, er.evaluation_id, er.example_index, er.example_id, er.score, er.passed, er.prediction, er.trace_id, er.error, er.labels, t.inputs
     ${from} WHERE ${pageClauses.join(' AND ')} ORDER BY ${order.orderBy} LIMIT ? OFFSET ?`,
    ...pageParams,
    input.limit + 1,
    input.offset ?? 0,
  );
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

/** Words of a search box; quotes group words into one phrase. */
function searchWords(search: string | undefined): string[] {
  if (!search) return [];
  const words: string[] = [];
  for (const match of search.matchAll(/"([^"]*)"|(\S+)/g)) {
    const word = (match[1] ?? match[2] ?? '').trim();
    if (word !== '') words.push(word);
  }
  return words.slice(0, 16);
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
