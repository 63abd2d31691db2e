// Token F1 as a pass/fail metric: 1 when the F1 of the normalized prediction against the best
// gold answer reaches a threshold, else 0 (optimizers keep traces scoring 1, so a bare F1 would
// rarely pass). The F1 is the official SQuAD / HotPotQA one (answer-match.ts).

import type { Example, Prediction } from '../../program/example.ts';
import type { ProgramTrace } from '../../program/trace.ts';
import { answerF1 } from './answer-match.ts';
import { GoldFieldMetric, type FieldMetricOptions } from './gold-field-metric.ts';

export interface F1ThresholdOptions extends FieldMetricOptions {
  /** The least F1 that passes, in (0, 1]. */
  threshold: number;
}

export class F1Threshold extends GoldFieldMetric {
  readonly name = 'f1_threshold';
  readonly threshold: number;

  constructor(options: F1ThresholdOptions) {
    if (!(options.threshold > 0 && options.threshold <= 1)) throw new Error(`F1 threshold must be in (0, 1], got ${options.threshold}`);
    super(options);
    this.threshold = options.threshold;
  }

  protected compare(predicted: string, gold: string): number {
    return answerF1(predicted, gold);
  }

  /** The best F1 over the gold answers, before the threshold. */
  f1(example: Example, prediction: Prediction): number {
    return this.best(example, prediction);
  }

  override score(example: Example, prediction: Prediction, _trace?: ProgramTrace): number {
    // Floating-point slack: an F1 computed as 0.7999999999999999 passes a threshold of 0.8.
    return this.f1(example, prediction) >= this.threshold - 1e-12 ? 1 : 0;
  }
}
