// Iris's metric: the predicted species must name the gold species. Case, whitespace and
// punctuation do not matter, and the genus may be given (`Iris-setosa`, `iris setosa`,
// `I. setosa`); any other text scores 0.

import type { Example, Prediction } from '../../program/example.ts';
import type { ProgramTrace } from '../../program/trace.ts';
import type { Metric } from '../metric.ts';
import { goldValues } from './label.ts';

export const IRIS_SPECIES = ['setosa', 'versicolor', 'virginica'] as const;
export type IrisSpecies = (typeof IRIS_SPECIES)[number];

const ONE_LOWER_CASE_WORD = /^[a-z]+$/;

/** The species a text names (`setosa`, `versicolor`, `virginica`), or null for anything else. */
export function canonicalSpecies(text: string): IrisSpecies | null {
  // The common case, one lower-case word (`setosa`), needs no splitting; the same answer as below.
  if (ONE_LOWER_CASE_WORD.test(text)) return (IRIS_SPECIES as readonly string[]).includes(text) ? (text as IrisSpecies) : null;
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  if (words[0] === 'iris' || words[0] === 'i') words.shift();
  if (words.length !== 1) return null;
  const [word] = words;
  return (IRIS_SPECIES as readonly string[]).includes(word!) ? (word as IrisSpecies) : null;
}

export interface SpeciesMatchOptions {
  /** Label field holding the gold species. Default `species`. */
  field?: string;
  /** Prediction field to compare. Defaults to `field`. */
  predictionField?: string;
}

export class SpeciesMatch implements Metric {
  readonly name = 'species_match';
  readonly field: string;
  readonly predictionField: string;

  constructor(options: SpeciesMatchOptions = {}) {
    this.field = options.field ?? 'species';
    this.predictionField = options.predictionField ?? this.field;
  }

  score(example: Example, prediction: Prediction, _trace?: ProgramTrace): number {
    const [goldText] = goldValues(example, this.field, this.name);
    const gold = canonicalSpecies(goldText!);
    const predicted = prediction[this.predictionField];
    if (gold === null || predicted === undefined) return 0;
    return canonicalSpecies(predicted) === gold ? 1 : 0;
  }
}

export function speciesMatch(options: SpeciesMatchOptions = {}): SpeciesMatch {
  return new SpeciesMatch(options);
}
