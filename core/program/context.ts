// The environment a program runs in: which LM each predictor binding resolves to, which adapter
// renders prompts, sampling settings, cancellation, and where predictor calls are collected.

import type { Adapter } from './adapter.ts';
import type { SamplingParams } from '../contract/views/program.ts';
import type { LanguageModel } from '../lm/language-model.ts';
import type { LMBinding } from '../lm/lm-binding.ts';
import type { Retriever } from '../retrieve/retriever.ts';
import type { PredictorCall, RetrievalCall } from './trace.ts';

export interface ProgramEnv {
  /** Resolves a predictor's binding (null: the default LM) to a model. */
  resolveLM(binding: LMBinding | null): LanguageModel;
  adapter: Adapter;
  /** What `Retrieve` modules search; absent for runs whose programs do not retrieve. */
  retriever?: Retriever;
  sampling: SamplingParams;
  /** Seeded runs: every request's own seed derives from this and the request (lm/request-seed.ts). */
  seed?: number;
  signal?: AbortSignal;
  /** Called after every predictor call, success or failure (for live progress). */
  onCall?: (call: PredictorCall) => void;
}

/** Per-invocation context: the env plus the call list of this one program run. */
export interface CallContext extends ProgramEnv {
  readonly calls: PredictorCall[];
  /** The retrievals of this one program run, in order. */
  readonly retrievals: RetrievalCall[];
  /** Separates cache entries of repeated rollouts of the same prompt (bootstrap rounds). */
  readonly rolloutId?: number;
}
