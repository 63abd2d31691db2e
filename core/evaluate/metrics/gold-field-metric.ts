// The shape most metrics share: one prediction field compared with each gold value of a label
// field (a string or a list of acceptable strings), the best comparison winning; a prediction
// without the field scores 0, an example without the label is an error naming it.

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

export abstract class GoldFieldMetric implements Metric {
  abstract readonly name: string;
  readonly field: string;
  readonly predictionField: string;

  constructor(options: FieldMetricOptions) {
    this.field = options.field;
    this.predictionField = options.predictionField ?? options.field;
  }

  /** The score of one prediction against one gold value, in [0, 1]. */
  protected abstract compare(predicted: string, gold: string): number;

  /** The best comparison over the example's gold values (0 when the prediction lacks the field). */
  best(example: Example, prediction: Prediction): number {
    const golds = goldValues(example, this.field, this.name);
    const predicted = prediction[this.predictionField];
    if (predicted === undefined) return 0;
    return golds.reduce((best, gold) => Math.max(best, this.compare(predicted, gold)), 0);
  }

  score(example: Example, prediction: Prediction, _trace?: ProgramTrace): number {
    return this.best(example, prediction);
  }
}
