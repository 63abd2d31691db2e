import type { Example, FieldValue } from '../../program/example.ts';

/** Thrown when an example lacks the label a metric reads: a wiring bug, never a model failure. */
export class MissingLabelError extends Error {
  override name = 'MissingLabelError';
}

/** The example's gold value(s) for `field` as strings; throws if the label is absent. */
export function goldValues(example: Example, field: string, metric: string): string[] {
  const value: FieldValue | undefined = example.labels[field];
  if (value === undefined || value === null) {
    throw new MissingLabelError(
      `${metric}: example "${example.id}" has no label "${field}" (labels: ${Object.keys(example.labels).join(', ') || 'none'})`,
    );
  }
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}
