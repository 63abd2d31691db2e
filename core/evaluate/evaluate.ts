// Parallel evaluation. Every example gets a result in input order with its score, prediction and
// full trace. A failed program run scores 0 but is counted and kept, never hidden; past
// `maxErrors` failures the evaluation stops with an error that says how many failed and why.

import type { Example, Prediction } from '../program/example.ts';
import type { ProgramEnv } from '../program/context.ts';
import type { Module } from '../program/module.ts';
import { runProgram } from '../program/run-program.ts';
import type { ProgramTrace } from '../program/trace.ts';
import { parallelMap } from '../util/parallel-map.ts';
import { applyChecks, type IntermediateCheck } from './intermediate-check.ts';
import type { Metric } from './metric.ts';

export interface ExampleResult {
  index: number;
  example: Example;
  prediction: Prediction | null;
  score: number;
  passed: boolean;
  trace: ProgramTrace;
}

export interface EvaluationResult {
  results: ExampleResult[];
  /** Mean score over all examples, failures counted as 0. In [0, 1]. */
  score: number;
  n: number;
  passed: number;
  errors: number;
}

export interface EvaluateOptions {
  concurrency?: number;
  /** Stop once more than this many examples failed. Default: no limit. */
  maxErrors?: number;
  /** A result passes when its score reaches this. Default 1. */
  passThreshold?: number;
  onResult?: (result: ExampleResult, done: number, total: number) => void;
  /** The task's intermediate checks, measured on every trace (`trace.checks`). */
  checks?: readonly IntermediateCheck[];
}

export class TooManyErrorsError extends Error {
  override name = 'TooManyErrorsError';
  readonly errors: number;
  readonly firstError: string;
  constructor(errors: number, done: number, total: number, maxErrors: number, firstError: string) {
    super(`evaluation stopped: ${errors} of ${done} examples run (of ${total}) failed, more than the limit of ${maxErrors}; first error: ${firstError}`);
    this.errors = errors;
    this.firstError = firstError;
  }
}

export async function evaluate(
  program: Module,
  examples: readonly Example[],
  metric: Metric,
  env: ProgramEnv,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const maxErrors = options.maxErrors ?? Infinity;
  const threshold = options.passThreshold ?? 1;
  let errors = 0;
  let done = 0;
  let firstError = '';
  const settled = await parallelMap(
    examples,
    async (example, index): Promise<ExampleResult> => {
      const trace = await runProgram(program, example.inputs, env, { exampleId: example.id });
      const score = trace.prediction ? scoreOrRecordError(metric, example, trace.prediction, trace) : 0;
      applyChecks(options.checks, trace, example);
      if (trace.error) {
        errors++;
        firstError ||= `${example.id}: ${trace.error.message}`;
      }
      const result: ExampleResult = { index, example, prediction: trace.prediction, score, passed: score >= threshold, trace };
      done++;
      options.onResult?.(result, done, examples.length);
      return result;
    },
    { concurrency: options.concurrency ?? 16, shouldStop: () => errors > maxErrors, ...(env.signal ? { signal: env.signal } : {}) },
  );
  if (errors > maxErrors) throw new TooManyErrorsError(errors, done, examples.length, maxErrors, firstError);
  const results = settled as ExampleResult[];
  const total = results.reduce((sum, r) => sum + r.score, 0);
  return {
    results,
    score: results.length > 0 ? total / results.length : 0,
    n: results.length,
    passed: results.filter((r) => r.passed).length,
    errors,
  };
}

/** A metric that throws scores 0 and records the failure on the trace, so it is counted, not hidden. */
function scoreOrRecordError(metric: Metric, example: Example, prediction: Prediction, trace: ProgramTrace): number {
  try {
    const score = metric.score(example, prediction, trace);
    if (!Number.isFinite(score)) throw new Error(`metric returned ${score}`);
    return Math.min(1, Math.max(0, score));
  } catch (error) {
    trace.error = { kind: 'metric', message: `${metric.name}: ${error instanceof Error ? error.message : String(error)}` };
    return 0;
  }
}
