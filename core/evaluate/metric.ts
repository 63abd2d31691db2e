import type { Example, Prediction } from '../program/example.ts';
import type { ProgramTrace } from '../program/trace.ts';

/** A metric scores one prediction against its example in [0, 1]; 1 means the example passed. */
export interface Metric {
  readonly name: string;
  score(example: Example, prediction: Prediction, trace?: ProgramTrace): number;
}
