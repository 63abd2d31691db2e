// What a program needs from an adapter: (signature, demos, inputs) in, chat messages out, and a
// completion back into output fields. The same rendering produces fine-tuning rows, so a
// fine-tuned model sees exactly the format it will be prompted with. Adapters (core/adapter/)
// implement it.

import type { ChatMessage } from '../contract/views/program.ts';
import type { Demo } from './demo.ts';
import type { FieldValue } from './example.ts';
import type { Signature } from './signature.ts';

export interface ParsedCompletion {
  fields: Record<string, string>;
  /** Name of the fallback that rescued a near-miss (e.g. `json`), or null for a clean parse. */
  fallback: string | null;
}

export interface FinetuneRow {
  messages: ChatMessage[];
}

export interface Adapter {
  readonly name: string;
  format(signature: Signature, demos: readonly Demo[], inputs: Record<string, FieldValue>): ChatMessage[];
  /** Throws ParseError when the completion cannot be read. */
  parse(signature: Signature, completion: string): ParsedCompletion;
  /** A training row: the prompt for `inputs` (with `demos`, usually none) and `outputs` as the answer. */
  formatFinetuneRow(
    signature: Signature,
    demos: readonly Demo[],
    inputs: Record<string, FieldValue>,
    outputs: Record<string, FieldValue>,
  ): FinetuneRow;
}

export class ParseError extends Error {
  override name = 'ParseError';
  readonly completion: string;
  constructor(message: string, completion: string) {
    super(message);
    this.completion = completion;
  }
}
