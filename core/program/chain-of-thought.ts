import { Predict } from './predict.ts';
import type { Signature } from './signature.ts';

export const REASONING_FIELD = {
  name: 'reasoning',
  description: 'Think step by step before answering.',
} as const;

/** A Predict whose signature gains a `reasoning` output ahead of the others. */
export class ChainOfThought extends Predict {
  constructor(signature: Signature) {
    super(signature.outputNames.includes(REASONING_FIELD.name) ? signature : signature.prependOutput(REASONING_FIELD));
  }
}
