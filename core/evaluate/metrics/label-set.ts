// Classification into a fixed label set: the prediction must name one of the labels (case does
// not matter, nor surrounding whitespace, quotes or punctuation: `Positive.` names `positive`)
// and that label must be the gold one. A prediction naming no label scores 0.

import type { Example, Prediction } from '../../program/example.ts';
import type { ProgramTrace } from '../../program/trace.ts';
import type { Metric } from '../metric.ts';
import type { FieldMetricOptions } from './gold-field-metric.ts';
import { goldValues, MissingLabelError } from './label.ts';

export interface LabelSetOptions extends FieldMetricOptions {
  labels: readonly string[];
}

const EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

function key(text: string): string {
  return text.trim().toLowerCase().replace(EDGES, '').replace(/\s+/g, ' ');
}

export class LabelSetMatch implements Metric {
  readonly name = 'label_match';
  readonly field: string;
  readonly predictionField: string;
  readonly labels: readonly string[];
  private readonly byKey: ReadonlyMap<string, string>;

  constructor(options: LabelSetOptions) {
    if (options.labels.length === 0) throw new Error('a label set needs at least one label');
    this.field = options.field;
    this.predictionField = options.predictionField ?? options.field;
    this.labels = [...options.labels];
    const byKey = new Map<string, string>();
    for (const label of this.labels) {
      const k = key(label);
      if (k === '') throw new Error(`label ${JSON.stringify(label)} has no letters or digits`);
      if (byKey.has(k)) throw new Error(`labels ${JSON.stringify(byKey.get(k))} and ${JSON.stringify(label)} are the same ignoring case`);
      byKey.set(k, label);
    }
    this.byKey = byKey;
  }

  /** The label a text names, as the set spells it, or null when it names none. */
  labelOf(text: string): string | null {
    return this.byKey.get(key(text)) ?? null;
  }

  score(example: Example, prediction: Prediction, _trace?: ProgramTrace): number {
    const golds = goldValues(example, this.field, this.name).map((gold) => {
      const label = this.labelOf(gold);
      if (label === null) {
        throw new MissingLabelError(`${this.name}: example "${example.id}": gold "${gold}" is not one of the labels ${this.labels.join(', ')}`);
      }
      return label;
    });
    const predicted = prediction[this.predictionField];
    if (predicted === undefined) return 0;
    const label = this.labelOf(predicted);
    return label !== null && golds.includes(label) ? 1 : 0;
  }
}
