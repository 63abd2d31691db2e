// What a program run leaves behind: one PredictorCall per LM call, with everything needed to
// see exactly what the model was shown and what it said (rendered messages, raw completion).

import type { ChatMessage, SamplingParams, TokenUsage } from '../lm/language-model.ts';
import type { FieldValue, Prediction } from './example.ts';

export interface CallError {
  /** `lm:<LMErrorKind>`, `parse`, or `program`. */
  kind: string;
  message: string;
}

/** What a call asked besides its messages: the model name sent and the sampling settings, seed included. */
export interface CallRequest extends SamplingParams {
  model: string;
  rolloutId?: number;
}

export interface PredictorCall {
  /** Stable path of the predictor in its program, e.g. `generate_query[0]`. */
  predictor: string;
  inputs: Record<string, FieldValue>;
  messages: ChatMessage[];
  /** Null when the call failed before a request was made, and for calls stored before requests were kept. */
  request: CallRequest | null;
  /** Raw completion text; null when the LM call itself failed. */
  completion: string | null;
  /** Parsed output fields; null when the call or the parse failed. */
  outputs: Prediction | null;
  /** Set when the parser had to fall back (e.g. a JSON object instead of field headers). */
  parseFallback: string | null;
  model: string;
  usage: TokenUsage;
  latencyMs: number;
  cached: boolean;
  attempts: number;
  error: CallError | null;
  startedAt: number;
}

/** One run of a whole program on one example. */
export interface ProgramTrace {
  exampleId: string | null;
  inputs: Record<string, FieldValue>;
  calls: PredictorCall[];
  prediction: Prediction | null;
  error: CallError | null;
}
