// Runs a program once on one set of inputs and returns its prediction and full trace.
// Failures are captured in the trace rather than thrown, so evaluation can count them.

import type { CallContext, ProgramEnv } from './context.ts';
import type { FieldValue, Prediction } from './example.ts';
import type { Module } from './module.ts';
import { PredictorError } from './predict.ts';
import { RetrieveFailure } from './retrieve.ts';
import type { PredictorCall, ProgramTrace, RetrievalCall } from './trace.ts';

export interface RunProgramOptions {
  exampleId?: string | null;
  rolloutId?: number;
}

export async function runProgram(
  program: Module,
  inputs: Record<string, FieldValue>,
  env: ProgramEnv,
  options: RunProgramOptions = {},
): Promise<ProgramTrace> {
  // Walking assigns predictor paths; cheap, and guarantees traces name the right predictor.
  program.namedPredictors();
  // Object.assign rather than `{ ...env, calls: [] }`: V8 (Node 20) is very slow to add
  // properties to an object literal that starts with a spread, and this runs per example.
  const ctx = Object.assign({}, env) as CallContext & { calls: PredictorCall[]; retrievals: RetrievalCall[]; rolloutId?: number };
  ctx.calls = [];
  ctx.retrievals = [];
  if (options.rolloutId !== undefined) ctx.rolloutId = options.rolloutId;
  let prediction: Prediction | null = null;
  let error: ProgramTrace['error'] = null;
  try {
    prediction = await program.forward(inputs, ctx);
  } catch (e) {
    if (env.signal?.aborted) throw e;
    error =
      e instanceof PredictorError || e instanceof RetrieveFailure
        ? (e.call.error ?? { kind: 'program', message: e.message })
        : { kind: 'program', message: e instanceof Error ? e.message : String(e) };
  }
  const trace: ProgramTrace = { exampleId: options.exampleId ?? null, inputs, calls: ctx.calls, prediction, error };
  if (ctx.retrievals.length > 0) trace.retrievals = ctx.retrievals;
  return trace;
}
