// Intermediate-check values summed up across traces: per evaluation (a stage's score on a split)
// and over any set of traces (the ones a stage's demos or a fine-tune job's rows came from).
// Values live as JSON on each trace (traces.checks); json_each unpacks them, avg skips nulls.

import type { CheckValues } from '../contract/views/program.ts';
import type { Db } from './database.ts';
import { fromJsonForDisplay } from './json.ts';

/** A check's mean over the traces where it applies, and over how many it applied. */
export interface CheckMean {
  check: string;
  /** Mean value in [0, 1]; null when it applied to no trace. */
  mean: number | null;
  /** Traces with a value for the check. */
  n: number;
  /** Traces whose value was 1 (e.g. both gold paragraphs found). */
  full: number;
}

export interface EvaluationCheckMean extends CheckMean {
  evaluationId: number;
  stageId: number;
  split: string;
}

const AGGREGATES = 'avg(j.value) AS mean, count(j.value) AS n, coalesce(sum(j.value = 1), 0) AS full';

export class CheckSummaryRepository {
  private readonly byEvaluationStmt;

  constructor(private readonly db: Db) {
    this.byEvaluationStmt = db.prepare<[number], EvaluationCheckMean>(
      `SELECT e.id AS evaluationId, e.stage_id AS stageId, e.split, j.key AS "check", ${AGGREGATES}
       FROM evaluations e
       JOIN example_results er ON er.evaluation_id = e.id
       JOIN traces t ON t.id = er.trace_id, json_each(t.checks) j
       WHERE e.run_id = ? AND e.candidate_id IS NULL AND t.checks IS NOT NULL
       GROUP BY e.id, j.key ORDER BY e.id, j.key`,
    );
  }

  /** Each stage evaluation's check means (candidate evaluations left out), for one run. */
  forRunEvaluations(runId: number): EvaluationCheckMean[] {
    return this.byEvaluationStmt.all(runId);
  }

  /** Each given trace's check values (traces without checks are left out). */
  valuesFor(traceIds: readonly number[]): Map<number, CheckValues> {
    const out = new Map<number, CheckValues>();
    if (traceIds.length === 0) return out;
    const rows = this.db
      .prepare<[string], { id: number; checks: string }>('SELECT id, checks FROM traces WHERE id IN (SELECT value FROM json_each(?)) AND checks IS NOT NULL')
      .all(JSON.stringify(traceIds));
    for (const row of rows) {
      const values = fromJsonForDisplay<CheckValues>(row.checks);
      if (values) out.set(row.id, values);
    }
    return out;
  }

  /** Check means over the given traces (ids not found, or without checks, count for nothing). */
  forTraces(traceIds: readonly number[]): CheckMean[] {
    if (traceIds.length === 0) return [];
    return this.db
      .prepare<[string], CheckMean>(
        `SELECT j.key AS "check", ${AGGREGATES}
         FROM traces t, json_each(t.checks) j
         WHERE t.id IN (SELECT value FROM json_each(?)) AND t.checks IS NOT NULL
         GROUP BY j.key ORDER BY j.key`,
      )
      .all(JSON.stringify(traceIds));
  }
}
