// Examples are records of field values with a declared split between inputs and labels.

import type { FieldValue } from '../contract/views/program.ts';

export type { FieldValue, Prediction } from '../contract/views/program.ts';

export interface Example {
  /** Stable id within its dataset (e.g. `iris-017`), used to link results across runs. */
  readonly id: string;
  readonly inputs: Readonly<Record<string, FieldValue>>;
  readonly labels: Readonly<Record<string, FieldValue>>;
}

export function example(id: string, inputs: Record<string, FieldValue>, labels: Record<string, FieldValue>): Example {
  return { id, inputs, labels };
}

/** All fields of an example, inputs and labels together, as a demo would carry them. */
export function exampleFields(ex: Example): Record<string, FieldValue> {
  return { ...ex.inputs, ...ex.labels };
}
