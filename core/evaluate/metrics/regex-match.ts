// A gold-independent check: a regular expression must match the prediction (a format, a required
// phrase). The example's label is not read, so a dataset need not hold one.

import type { Example, Prediction } from '../../program/example.ts';
import type { ProgramTrace } from '../../program/trace.ts';
import type { Metric } from '../metric.ts';

export interface RegexMatchOptions {
  /** Prediction field the pattern is tested on. */
  field: string;
  pattern: string;
  /** Any of i, m, s, u, v; g and y would make `test` stateful, so they are refused. */
  flags?: string;
}

export class RegexMatch implements Metric {
  readonly name = 'regex_match';
  readonly field: string;
  readonly predictionField: string;
  readonly regex: RegExp;

  constructor(options: RegexMatchOptions) {
    const flags = options.flags ?? '';
    if (/[gy]/.test(flags)) throw new Error(`regex flags g and y are not allowed (they make matching stateful), got "${flags}"`);
    this.field = options.field;
    this.predictionField = options.field;
    this.regex = new RegExp(options.pattern, flags);
  }

  score(_example: Example, prediction: Prediction, _trace?: ProgramTrace): number {
    const predicted = prediction[this.predictionField];
    if (predicted === undefined) return 0;
    return this.regex.test(predicted) ? 1 : 0;
  }
}
