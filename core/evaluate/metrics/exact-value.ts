// Exact match as written: the prediction equals a gold value once surrounding whitespace is
// trimmed; case and punctuation count (normalized matching is ExactMatch in exact-match.ts).

import { GoldFieldMetric } from './gold-field-metric.ts';

export type { FieldMetricOptions } from './gold-field-metric.ts';

export class ExactValueMatch extends GoldFieldMetric {
  readonly name = 'exact';

  protected compare(predicted: string, gold: string): number {
    return predicted.trim() === gold.trim() ? 1 : 0;
  }
}
