// Flip matrices: two evaluations of the same examples (a baseline strategy's and another's),
// compared example by example — which the baseline got right and the other got wrong
// (regressions), and the other way round. Examples are matched by example id (by position when a
// dataset has no ids); a failed example counts as wrong, as it is stored with passed = 0.

import type { FlipCounts, FlipExample } from '../contract/views/index.ts';
import type { Db } from './database.ts';

export interface FlipMatrix extends FlipCounts {
  rightToWrongExamples: FlipExample[];
  wrongToRightExamples: FlipExample[];
  /** The paired scores of the compared examples, in the same order (for the bootstrap of the difference). */
  scores: { baseline: number[]; strategy: number[] };
}

interface ResultKey {
  exampleIndex: number;
  exampleId: string | null;
  passed: number;
  score: number;
  traceId: number | null;
}

export class FlipRepository {
  private readonly resultsStmt;

  constructor(db: Db) {
    this.resultsStmt = db.prepare<[number], ResultKey>(
      'SELECT example_index AS exampleIndex, example_id AS exampleId, passed, score, trace_id AS traceId FROM example_results WHERE evaluation_id = ? ORDER BY example_index',
    );
  }

  /** The flips from the baseline evaluation to the other, over the examples both have, in the baseline's example order. */
  between(baselineEvaluationId: number, evaluationId: number): FlipMatrix {
    const mine = new Map(this.resultsStmt.all(evaluationId).map((r) => [keyOf(r), r]));
    const matrix: FlipMatrix = { n: 0, bothRight: 0, bothWrong: 0, rightToWrong: 0, wrongToRight: 0, rightToWrongExamples: [], wrongToRightExamples: [], scores: { baseline: [], strategy: [] } };
    for (const base of this.resultsStmt.all(baselineEvaluationId)) {
      const other = mine.get(keyOf(base));
      if (!other) continue;
      matrix.n++;
      matrix.scores.baseline.push(base.score);
      matrix.scores.strategy.push(other.score);
      const example: FlipExample = { exampleId: base.exampleId, exampleIndex: base.exampleIndex, baselineTraceId: base.traceId, traceId: other.traceId };
      if (base.passed && other.passed) matrix.bothRight++;
      else if (!base.passed && !other.passed) matrix.bothWrong++;
      else if (base.passed) {
        matrix.rightToWrong++;
        matrix.rightToWrongExamples.push(example);
      } else {
        matrix.wrongToRight++;
        matrix.wrongToRightExamples.push(example);
      }
    }
    return matrix;
  }
}

function keyOf(r: ResultKey): string {
  return r.exampleId !== null ? `id:${r.exampleId}` : `ix:${r.exampleIndex}`;
}
