// A definition's metric as a Metric, and the check of each example's gold value for it at load
// time, so a label the metric cannot read (not an integer, not in the label set) is reported with
// its file and line before a run starts rather than as an evaluation error.

import type { MetricDefinition } from '../../contract/task-definition.ts';
import type { Metric } from '../../evaluate/metric.ts';
import { ContainsAnswer } from '../../evaluate/metrics/contains-answer.ts';
import { ExactMatch } from '../../evaluate/metrics/exact-match.ts';
import { ExactValueMatch } from '../../evaluate/metrics/exact-value.ts';
import { parseGoldInteger } from '../../evaluate/metrics/gsm8k-integer.ts';
import { LabelSetMatch } from '../../evaluate/metrics/label-set.ts';
import { IntegerMatch, NumericTolerance, parseGoldNumber } from '../../evaluate/metrics/number-match.ts';
import { RegexMatch } from '../../evaluate/metrics/regex-match.ts';
import { F1Threshold } from '../../evaluate/metrics/token-f1.ts';
import type { FieldValue } from '../../program/example.ts';

export function metricOf(definition: MetricDefinition): Metric {
  const { field } = definition;
  switch (definition.kind) {
    case 'exact':
      return new ExactValueMatch({ field });
    case 'normalized-exact':
      return new ExactMatch({ field });
    case 'f1':
      return new F1Threshold({ field, threshold: definition.threshold });
    case 'integer':
      return new IntegerMatch({ field });
    case 'numeric':
      return new NumericTolerance({ field, tolerance: definition.tolerance });
    case 'label':
      return new LabelSetMatch({ field, labels: definition.labels });
    case 'contains':
      return new ContainsAnswer({ field });
    case 'regex':
      return new RegexMatch({ field, pattern: definition.pattern, ...(definition.flags !== undefined ? { flags: definition.flags } : {}) });
  }
}

/** Whether the metric reads the gold value at all (a regular expression does not). */
export function metricNeedsGold(definition: MetricDefinition): boolean {
  return definition.kind !== 'regex';
}

/** What is wrong with a gold value for this metric, or null when the metric can score against it. */
export function goldProblem(definition: MetricDefinition, gold: FieldValue | undefined): string | null {
  if (!metricNeedsGold(definition)) return null;
  const values = gold === undefined || gold === null ? [] : Array.isArray(gold) ? gold.map(String) : [String(gold)];
  if (values.length === 0 || values.every((v) => v.trim() === '')) return `missing the gold value the ${definition.kind} metric scores against`;
  const labelSet = definition.kind === 'label' ? new LabelSetMatch({ field: definition.field, labels: definition.labels }) : null;
  for (const value of values) {
    try {
      if (definition.kind === 'integer') parseGoldInteger(value);
      if (definition.kind === 'numeric') parseGoldNumber(value);
    } catch (error) {
      return (error as Error).message;
    }
    if (labelSet && labelSet.labelOf(value) === null) {
      return `"${value}" is not one of the labels ${labelSet.labels.join(', ')}`;
    }
  }
  return null;
}
