// The prediction contains the gold answer: after SQuAD normalization of both (lowercase, no
// punctuation or articles, single spaces), the gold's words appear as a run of whole words in the
// prediction ("in Paris, France" contains "paris"; "Parisian" does not).

import type { Example, Prediction } from '../../program/example.ts';
import type { ProgramTrace } from '../../program/trace.ts';
import type { Metric } from '../metric.ts';
import type { FieldMetricOptions } from './exact-value.ts';
import { normalizeAnswer } from './exact-match.ts';
import { goldValues } from './label.ts';

/** Whether the normalized `gold` is a whole-word run of the normalized `prediction`. */
export function containsAnswer(prediction: string, gold: string): boolean {
  const g = normalizeAnswer(gold);
  const p = normalizeAnswer(prediction);
  if (g === '') return p === '';
  return ` ${p} `.includes(` ${g} `);
}

export class ContainsAnswer implements Metric {
  readonly name = 'contains';
  readonly field: string;
  readonly predictionField: string;

  constructor(options: FieldMetricOptions) {
    this.field = options.field;
    this.predictionField = options.predictionField ?? options.field;
  }

  score(example: Example, prediction: Prediction, _trace?: ProgramTrace): number {
    const golds = goldValues(example, this.field, this.name);
    const predicted = prediction[this.predictionField];
    if (predicted === undefined) return 0;
    return golds.some((gold) => containsAnswer(predicted, gold)) ? 1 : 0;
  }
}
