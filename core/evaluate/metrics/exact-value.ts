// Exact match as written: the prediction equals a gold value once surrounding whitespace is
// trimmed; case and punctuation count (normalized matching is ExactMatch in exact-match.ts).

import type { Example, Prediction } from '../../program/example.ts';
import type { ProgramTrace } from '../../program/trace.ts';
import type { Metric } from '../metric.ts';
import { goldValues } from './label.ts';

export interface FieldMetricOptions {
  /** Label field holding the gold value (a string or a list of acceptable strings). */
  field: string;
  /** Prediction field to score. Defaults to `field`. */
  predictionField?: string;
}

export class ExactValueMatch implements Metric {
  readonly name = 'exact';
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
    const value = predicted.trim();
    return golds.some((gold) => gold.trim() === value) ? 1 : 0;
  }
}
