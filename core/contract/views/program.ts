// The data a program run leaves behind, as front ends see it: field values, predictions, the LM
// calls of a trace with their messages and errors, and the saved program state (signatures,
// demos, LM bindings). Plain JSON shapes; the program library builds and reads them.

export type FieldValue = string | number | boolean | null | readonly string[];

export type Prediction = Readonly<Record<string, string>>;

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface SamplingParams {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

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

/** A passage a retriever returned, with its rank score (higher is better; scales differ by backend). */
export interface RetrievedPassage {
  id: string;
  title: string;
  text: string;
  score: number;
}

/** One retrieval inside a program run: the query, what came back and how it was served. */
export interface RetrievalCall {
  /** Stable path of the Retrieve module in its program, e.g. `retrieve`. */
  module: string;
  query: string;
  k: number;
  /** The backend kind, e.g. `bm25` or `colbert`. */
  backend: string;
  /** Which index or server answered, e.g. `bm25:hotpotqa` or `colbert:http://host/api/search`. */
  retriever: string;
  passages: RetrievedPassage[];
  latencyMs: number;
  cached: boolean;
  attempts: number;
  error: CallError | null;
  startedAt: number;
  /** How many LM calls of the same trace came before it: places the retrieval among the calls. */
  afterCalls: number;
}

/** The value of each of a task's intermediate checks on one trace (null: not applicable). */
export type CheckValues = Record<string, number | null>;

/** One run of a whole program on one example. */
export interface ProgramTrace {
  exampleId: string | null;
  inputs: Record<string, FieldValue>;
  calls: PredictorCall[];
  /** Retrievals, in order; absent for programs that retrieve nothing. */
  retrievals?: RetrievalCall[];
  /** The task's intermediate checks measured on this trace against its example's gold. */
  checks?: CheckValues;
  prediction: Prediction | null;
  error: CallError | null;
}

export interface SignatureField {
  readonly name: string;
  readonly description: string;
}

export interface SignatureSpec {
  inputs: SignatureField[];
  outputs: SignatureField[];
  instructions: string;
}

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

/** Which language model a predictor calls, as saved in a program state: the provider in its stored spelling (`openai-compatible` for `openai`). */
export interface StoredBinding {
  /** Provider name as stored. */
  provider: string;
  /** Model name sent to the server (a base model or a LoRA adapter name). */
  model: string;
  baseUrl?: string;
  /** For fine-tuned adapters: the model they were trained from. */
  baseModel?: string;
}

export interface PredictorState {
  signature: SignatureSpec;
  demos: Demo[];
  lm: StoredBinding | null;
}

/** A program's saved state, per predictor path. */
export interface ProgramState {
  version: number;
  predictors: Record<string, PredictorState>;
}
