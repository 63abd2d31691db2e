// Numeric answers: the last number in the prediction (read as GSM8K's metric reads it: `1,234`,
// `$18`, `18.`, `-5`) against the gold number. `IntegerMatch` wants the gold integer exactly;
// `NumericTolerance` accepts any number within ± tolerance of the gold number.

import type { Example, Prediction } from '../../program/example.ts';
import type { ProgramTrace } from '../../program/trace.ts';
import { GoldFieldMetric, type FieldMetricOptions } from './gold-field-metric.ts';
import { parseGoldInteger, parseLastNumber } from './gsm8k-integer.ts';
import { goldValues, MissingLabelError } from './label.ts';

const GOLD_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A gold number: `"1,234.5"`, `"$3"`, `"−2"` (U+2212); throws on anything else. */
export function parseGoldNumber(text: string): number {
  const cleaned = text.replace(/[,\s$]/g, '').replace(/\u2212/g, '-');
  if (!GOLD_NUMBER.test(cleaned)) throw new Error(`gold answer "${text}" is not a number`);
  return Number(cleaned);
}

abstract class NumberMetric extends GoldFieldMetric {
  protected abstract parseGold(text: string): number;
  protected abstract matches(predicted: number, gold: number): boolean;

  /** Numbers compare as numbers: `score` parses each gold once (a gold that is not a number is an error naming the example). */
  protected compare(predicted: string, gold: string): number {
    const value = parseLastNumber(predicted);
    return value !== null && this.matches(value, this.parseGold(gold)) ? 1 : 0;
  }

  override score(example: Example, prediction: Prediction, _trace?: ProgramTrace): number {
    const golds = goldValues(example, this.field, this.name).map((text) => {
      try {
        return this.parseGold(text);
      } catch (error) {
        throw new MissingLabelError(`${this.name}: example "${example.id}": ${(error as Error).message}`);
      }
    });
    const predicted = prediction[this.predictionField];
    if (predicted === undefined) return 0;
    const value = parseLastNumber(predicted);
    if (value === null) return 0;
    return golds.some((gold) => this.matches(value, gold)) ? 1 : 0;
  }
}

/** The last number in the prediction equals the gold integer (`18.0` counts as 18). */
export class IntegerMatch extends NumberMetric {
  readonly name = 'integer_match';
  protected parseGold(text: string): number {
    return parseGoldInteger(text);
  }
  protected matches(predicted: number, gold: number): boolean {
    return Number.isInteger(predicted) && predicted === gold;
  }
}

export interface NumericToleranceOptions extends FieldMetricOptions {
  /** The largest absolute difference that passes (≥ 0). */
  tolerance: number;
}

/** The last number in the prediction is within ± tolerance of the gold number. */
export class NumericTolerance extends NumberMetric {
  readonly name = 'numeric_match';
  readonly tolerance: number;

  constructor(options: NumericToleranceOptions) {
    super(options);
    if (!(options.tolerance >= 0)) throw new Error(`tolerance must be ≥ 0, got ${options.tolerance}`);
    this.tolerance = options.tolerance;
  }

  protected parseGold(text: string): number {
    return parseGoldNumber(text);
  }
  protected matches(predicted: number, gold: number): boolean {
    // A relative epsilon so that 0.1 + 0.2 is within 0 of 0.3.
    return Math.abs(predicted - gold) <= this.tolerance + 1e-9 * Math.max(1, Math.abs(gold));
  }
}
