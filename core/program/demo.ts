import type { FieldValue } from './example.ts';

/** A few-shot demonstration attached to a predictor. */
export interface Demo {
  /** Field values; a demo may lack some fields (the adapter renders what is there). */
  fields: Record<string, FieldValue>;
  /** True when bootstrapped from the program's own passing trace, false for a labeled example. */
  augmented: boolean;
  /** The example the demo came from. */
  exampleId: string | null;
  /** For augmented demos: the stored trace it was taken from, once saved. */
  sourceTraceId?: number | null;
}
