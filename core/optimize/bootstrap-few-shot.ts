// Bootstrap few-shot. Walk the train set in order, run a teacher (by default the program with
// labeled demos) on each example, and keep every module call of runs that pass the metric as
// an augmented demo, until enough are found; then top up with labeled examples.
//
// Runs fan out in parallel, but results are consumed in train-set order and launching stops
// only once the in-order prefix holds enough passes, so the chosen demos are exactly those a
// sequential walk would choose, at any concurrency.

import type { Demo } from '../program/demo.ts';
import type { Example } from '../program/example.ts';
import type { Module } from '../program/module.ts';
import { applyChecks } from '../evaluate/intermediate-check.ts';
import { runProgram } from '../program/run-program.ts';
import type { ProgramTrace } from '../program/trace.ts';
import { parallelMap } from '../util/parallel-map.ts';
import { Rng } from '../util/random.ts';
import { labeledDemo, labeledFewShot } from './labeled-few-shot.ts';
import type { OptimizerContext } from './optimizer-context.ts';

export interface BootstrapFewShotOptions {
  maxBootstrappedDemos: number;
  maxLabeledDemos: number;
  /** Attempts per example; rounds after the first sample at temperature 1 with a fresh rollout id. */
  maxRounds: number;
  /** A run passes when its metric score reaches this. Default 1. */
  metricThreshold?: number;
  /** The program that produces traces; defaults to the student with labeled demos. */
  teacher?: Module;
  /** Seeds the labeled demos (teacher and top-up). */
  seed: number;
  /** Tag for events (the random-search candidate index). */
  candidate?: number | null;
}

export interface BootstrapFewShotResult<T extends Module> {
  program: T;
  /** Examples whose passing trace became demos, in train order. */
  bootstrappedExampleIds: string[];
  /** Examples the teacher was run on. */
  attempted: number;
}

interface Attempt {
  example: Example;
  /** Every round's trace; the last one is the attempt's outcome. */
  traces: ProgramTrace[];
  trace: ProgramTrace;
  passed: boolean;
  traceId: number | null;
}

export async function bootstrapFewShot<T extends Module>(
  student: T,
  trainset: readonly Example[],
  options: BootstrapFewShotOptions,
  ctx: OptimizerContext,
): Promise<BootstrapFewShotResult<T>> {
  const threshold = options.metricThreshold ?? 1;
  const wanted = options.maxBootstrappedDemos;
  const teacher =
    options.teacher?.clone() ??
    (options.maxLabeledDemos > 0 ? labeledFewShot(student, trainset, options.maxLabeledDemos, options.seed) : student.clone());
  checkSamePredictors(student, teacher);

  const attempts: Array<Attempt | undefined> = new Array(trainset.length).fill(undefined);
  let prefix = 0; // attempts[0..prefix) are all settled
  let prefixPassed = 0;
  let tried = 0;
  const enough = () => prefixPassed >= wanted;
  const emit = () =>
    ctx.onEvent?.({ type: 'bootstrap-progress', candidate: options.candidate ?? null, tried, passed: prefixPassed, total: trainset.length, wanted });

  if (wanted > 0) {
    await parallelMap(
      trainset,
      async (example, index) => {
        const attempt = await attemptExample(teacher, example, options.maxRounds, threshold, ctx);
        attempts[index] = attempt;
        tried++;
        while (prefix < attempts.length && attempts[prefix] !== undefined) {
          if (attempts[prefix]!.passed) prefixPassed++;
          prefix++;
        }
        emit();
      },
      { concurrency: ctx.concurrency, shouldStop: enough, ...(ctx.env.signal ? { signal: ctx.env.signal } : {}) },
    );
  }

  // Keep every finished attempt (every LM call must be on record), then link demos to them.
  const finished = attempts.filter((a): a is Attempt => a !== undefined);
  if (ctx.recordTraces && finished.length > 0) {
    const ids = ctx.recordTraces(finished.flatMap((a) => a.traces), 'bootstrap');
    let offset = 0;
    for (const attempt of finished) {
      offset += attempt.traces.length;
      attempt.traceId = ids[offset - 1] ?? null;
    }
  }

  const chosen: Attempt[] = [];
  for (const attempt of attempts) {
    if (chosen.length >= wanted) break;
    if (attempt?.passed) chosen.push(attempt);
  }
  const chosenIds = new Set(chosen.map((a) => a.example.id));

  const program = student.clone();
  const augmented = new Map<string, Demo[]>();
  for (const attempt of chosen) {
    for (const call of attempt.trace.calls) {
      const list = augmented.get(call.predictor) ?? [];
      if (list.length < wanted) {
        list.push({
          fields: { ...call.inputs, ...call.outputs },
          augmented: true,
          exampleId: attempt.example.id,
          sourceTraceId: attempt.traceId,
        });
      }
      augmented.set(call.predictor, list);
    }
  }

  // Labeled top-up from the examples that did not become bootstrapped demos.
  const rest = trainset.filter((ex) => !chosenIds.has(ex.id));
  const rng = new Rng(options.seed);
  for (const [path, predictor] of program.namedPredictors()) {
    const own = augmented.get(path) ?? [];
    const room = Math.max(0, options.maxLabeledDemos - own.length);
    predictor.demos = [...own, ...rng.sample(rest, room).map(labeledDemo)];
  }
  return { program, bootstrappedExampleIds: chosen.map((a) => a.example.id), attempted: finished.length };
}

async function attemptExample(
  teacher: Module,
  example: Example,
  maxRounds: number,
  threshold: number,
  ctx: OptimizerContext,
): Promise<Attempt> {
  // The teacher must not see the example it is being run on among its demos.
  const runner = teacher.clone();
  for (const predictor of runner.predictors()) predictor.demos = predictor.demos.filter((d) => d.exampleId !== example.id);
  const traces: ProgramTrace[] = [];
  let last: Attempt | null = null;
  for (let round = 0; round < Math.max(1, maxRounds); round++) {
    const env = round === 0 ? ctx.env : { ...ctx.env, sampling: { ...ctx.env.sampling, temperature: 1 } };
    const trace = await runProgram(runner, example.inputs, env, {
      exampleId: example.id,
      ...(round > 0 ? { rolloutId: round } : {}),
    });
    const passed = trace.error === null && trace.prediction !== null && safeScore(ctx, example, trace) >= threshold;
    applyChecks(ctx.checks, trace, example);
    traces.push(trace);
    last = { example, traces, trace, passed, traceId: null };
    if (passed) break;
  }
  return last!;
}

function safeScore(ctx: OptimizerContext, example: Example, trace: ProgramTrace): number {
  try {
    return ctx.metric.score(example, trace.prediction!, trace);
  } catch (error) {
    trace.error = { kind: 'metric', message: `${ctx.metric.name}: ${error instanceof Error ? error.message : String(error)}` };
    return 0;
  }
}

function checkSamePredictors(student: Module, teacher: Module): void {
  const a = student.namedPredictors().map(([p]) => p).join(', ');
  const b = teacher.namedPredictors().map(([p]) => p).join(', ');
  if (a !== b) throw new Error(`the teacher's predictors [${b}] differ from the student's [${a}]`);
}
