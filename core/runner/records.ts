// Converts in-memory evaluation results into the store's record shape.

import type { EvaluationResult } from '../evaluate/evaluate.ts';
import type { EvaluationInput } from '../store/index.ts';

export function evaluationRecord(runId: number, stageId: number, split: string, evaluation: EvaluationResult, candidateId?: number): EvaluationInput {
  return {
    runId,
    stageId,
    ...(candidateId !== undefined ? { candidateId } : {}),
    split,
    results: evaluation.results.map((r) => ({
      exampleIndex: r.index,
      exampleId: r.example.id,
      score: r.score,
      passed: r.passed,
      prediction: r.prediction,
      labels: { ...r.example.labels },
      trace: r.trace,
    })),
  };
}
