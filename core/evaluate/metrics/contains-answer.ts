// The prediction contains the gold answer: after SQuAD normalization of both (lowercase, no
// punctuation or articles, single spaces), the gold's words appear as a run of whole words in the
// prediction ("in Paris, France" contains "paris"; "Parisian" does not).

import { normalizeAnswer } from './exact-match.ts';
import { GoldFieldMetric } from './gold-field-metric.ts';

/** Whether the normalized `gold` is a whole-word run of the normalized `prediction`. */
export function containsAnswer(prediction: string, gold: string): boolean {
  const g = normalizeAnswer(gold);
  const p = normalizeAnswer(prediction);
  if (g === '') return p === '';
  return ` ${p} `.includes(` ${g} `);
}

export class ContainsAnswer extends GoldFieldMetric {
  readonly name = 'contains';

  protected compare(predicted: string, gold: string): number {
    return containsAnswer(predicted, gold) ? 1 : 0;
  }
}
