// Exact match after the SQuAD / HotPotQA answer normalization, against any gold answer.

import type { Example, Prediction } from '../../program/example.ts';
import type { ProgramTrace } from '../../program/trace.ts';
import type { Metric } from '../metric.ts';
import { goldValues } from './label.ts';

// Python's string.punctuation, which the official SQuAD and HotPotQA scripts strip.
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// Python's \b is Unicode-aware; JavaScript's is not, so spell the word boundary out.
const ARTICLES = /(?<![\p{L}\p{M}\p{N}_])(?:a|an|the)(?![\p{L}\p{M}\p{N}_])/gu;

/** Lowercase, strip punctuation, remove articles (a, an, the), collapse whitespace. */
export function normalizeAnswer(text: string): string {
  const lowered = text.toLowerCase();
  const noPunctuation = lowered.replace(PUNCTUATION, '');
  const noArticles = noPunctuation.replace(ARTICLES, ' ');
  return noArticles.split(/\s+/).filter((w) => w.length > 0).join(' ');
}

export interface ExactMatchOptions {
  /** Label field holding the gold answer (a string or a list of acceptable strings). Default `answer`. */
  field?: string;
  /** Prediction field to compare. Defaults to `field`. */
  predictionField?: string;
}

export class ExactMatch implements Metric {
  readonly name = 'exact_match';
  readonly field: string;
  readonly predictionField: string;

  constructor(options: ExactMatchOptions = {}) {
    this.field = options.field ?? 'answer';
    this.predictionField = options.predictionField ?? this.field;
  }

  score(example: Example, prediction: Prediction, _trace?: ProgramTrace): number {
    const golds = goldValues(example, this.field, this.name);
    const predicted = prediction[this.predictionField];
    if (predicted === undefined) return 0;
    const normalized = normalizeAnswer(predicted);
    return golds.some((gold) => normalizeAnswer(gold) === normalized) ? 1 : 0;
  }
}

export function exactMatch(options: ExactMatchOptions = {}): ExactMatch {
  return new ExactMatch(options);
}
