// GSM8K's metric: the last number in the predicted answer must equal the gold integer.

import type { Example, Prediction } from '../../program/example.ts';
import type { ProgramTrace } from '../../program/trace.ts';
import type { Metric } from '../metric.ts';
import { goldValues, MissingLabelError } from './label.ts';

// An optional minus sign, an optional $, then digits with thousands separators (1,234,567) or
// plain digits, then an optional decimal part. Minus signs include U+2212.
const NUMBER = /([-\u2212]?)(\$?)(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(\d+))?/g;

/**
 * The last number in `text`, or null when there is none. Handles `1,234`, `$18`, `18.`,
 * `18 dollars`, `-5`, `$-5`, `-$5` and decimals (`18.0` is 18). A minus directly after a digit,
 * letter or closing bracket is read as subtraction (`7-5` ends in 5), not as a sign.
 */
export function parseLastNumber(text: string): number | null {
  let last: number | null = null;
  for (const match of text.matchAll(NUMBER)) {
    const [, minus = '', , integer = '', fraction] = match;
    // A sign counts only when it does not follow a digit, letter or closing bracket.
    const before = text[match.index - 1] ?? '';
    const negative = minus !== '' && !/[\p{L}\p{N}_)\]]/u.test(before);
    const value = Number(`${integer.replace(/,/g, '')}${fraction !== undefined ? `.${fraction}` : ''}`);
    last = negative ? -value : value;
  }
  return last;
}

/** A gold answer as an integer: `"1,234"` -> 1234; throws on anything that is not an integer. */
export function parseGoldInteger(text: string): number {
  const cleaned = text.replace(/[,\s$]/g, '').replace(/\u2212/g, '-');
  if (!/^-?\d+$/.test(cleaned)) throw new Error(`gold answer "${text}" is not an integer`);
  return Number(cleaned);
}

export interface Gsm8kIntegerOptions {
  /** Label field holding the gold integer (as a string or number). Default `answer`. */
  field?: string;
  /** Prediction field to read the number from. Defaults to `field`. */
  predictionField?: string;
}

export class Gsm8kIntegerMatch implements Metric {
  readonly name = 'gsm8k_integer';
  readonly field: string;
  readonly predictionField: string;

  constructor(options: Gsm8kIntegerOptions = {}) {
    this.field = options.field ?? 'answer';
    this.predictionField = options.predictionField ?? this.field;
  }

  score(example: Example, prediction: Prediction, _trace?: ProgramTrace): number {
    const [goldText] = goldValues(example, this.field, this.name);
    let gold: number;
    try {
      gold = parseGoldInteger(goldText!);
    } catch (error) {
      throw new MissingLabelError(`${this.name}: example "${example.id}": ${(error as Error).message}`);
    }
    const predicted = prediction[this.predictionField];
    if (predicted === undefined) return 0;
    const value = parseLastNumber(predicted);
    return value !== null && Number.isInteger(value) && value === gold ? 1 : 0;
  }
}

export function gsm8kIntegerMatch(options: Gsm8kIntegerOptions = {}): Gsm8kIntegerMatch {
  return new Gsm8kIntegerMatch(options);
}
