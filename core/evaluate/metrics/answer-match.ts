// Short-answer scores as the official HotpotQA evaluation computes them: exact match and token F1
// after SQuAD-style normalization (`normalizeAnswer`, shared with the ExactMatch metric), F1 with
// the official rule that yes / no / noanswer must match exactly. `AnswerExactMatch` and `AnswerF1`
// are the Metrics over the `answer` field (the best score over the gold answers when there are several).

import { normalizeAnswer } from './exact-match.ts';
import { GoldFieldMetric } from './gold-field-metric.ts';

export { normalizeAnswer };

/** Answers the official F1 scores only by exact match: any other prediction against them scores 0. */
const EXACT_ONLY = new Set(['yes', 'no', 'noanswer']);

/** 1 when the normalized prediction equals the normalized gold answer, else 0. */
export function answerExactMatch(prediction: string, gold: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(gold) ? 1 : 0;
}

/**
 * Token F1 between the normalized answers (the harmonic mean of token precision and recall, each
 * token counted as often as both sides hold it). When either side normalizes to yes, no or
 * noanswer and the two differ, the score is 0; when no token is shared it is 0.
 */
export function answerF1(prediction: string, gold: string): number {
  const p = normalizeAnswer(prediction);
  const g = normalizeAnswer(gold);
  if ((EXACT_ONLY.has(p) || EXACT_ONLY.has(g)) && p !== g) return 0;
  const predicted = p.split(' ').filter((t) => t !== '');
  const golden = g.split(' ').filter((t) => t !== '');
  const remaining = new Map<string, number>();
  for (const t of golden) remaining.set(t, (remaining.get(t) ?? 0) + 1);
  let shared = 0;
  for (const t of predicted) {
    const left = remaining.get(t) ?? 0;
    if (left > 0) {
      shared++;
      remaining.set(t, left - 1);
    }
  }
  if (shared === 0) return 0;
  const precision = shared / predicted.length;
  const recall = shared / golden.length;
  return (2 * precision * recall) / (precision + recall);
}

export interface AnswerMetricOptions {
  /** Label field with the gold answer (a string or a list of acceptable strings). Default `answer`. */
  field?: string;
  /** Prediction field to score. Defaults to `field`. */
  predictionField?: string;
}

/** A gold-field metric on `answer` unless told otherwise. */
abstract class AnswerMetric extends GoldFieldMetric {
  constructor(options: AnswerMetricOptions = {}) {
    super({ field: options.field ?? 'answer', ...(options.predictionField ? { predictionField: options.predictionField } : {}) });
  }
}

/** HotpotQA exact match on `answer` (name `answer_em`): 1 or 0. */
export class AnswerExactMatch extends AnswerMetric {
  readonly name = 'answer_em';
  protected compare(prediction: string, gold: string): number {
    return answerExactMatch(prediction, gold);
  }
}

/** HotpotQA token F1 on `answer` (name `answer_f1`), in [0, 1]. */
export class AnswerF1 extends AnswerMetric {
  readonly name = 'answer_f1';
  protected compare(prediction: string, gold: string): number {
    return answerF1(prediction, gold);
  }
}
