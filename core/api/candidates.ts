// The random-search candidates of a prompt stage: how each was built, its validation score, the
// winner, and per predictor its instructions and demos — each bootstrapped demo with the trace it
// was taken from (`sourceTraceId`, open it with getTrace).

import type { Parsed, StageIdInput } from '../contract/schemas.ts';
import type { CandidateView, CheckValues, PredictorView, ProgramState, StageCandidates } from '../contract/views/index.ts';
import type { ApiContext } from './context.ts';
import { notFound } from './errors.ts';
import { stageSummary } from './views.ts';

/** The predictors of a program state; `checks` gives the check values of demos' source traces. */
export function predictorsOf(state: ProgramState | null, checks: ReadonlyMap<number, CheckValues> = new Map()): PredictorView[] {
  if (!state) return [];
  return Object.entries(state.predictors).map(([path, p]) => ({
    path,
    signature: p.signature,
    demos: p.demos.map((d) => ({
      augmented: d.augmented,
      exampleId: d.exampleId,
      sourceTraceId: d.sourceTraceId ?? null,
      sourceChecks: typeof d.sourceTraceId === 'number' ? (checks.get(d.sourceTraceId) ?? null) : null,
      fields: d.fields,
    })),
    model: p.lm?.model ?? null,
  }));
}

/** The trace ids a program state's bootstrapped demos came from, distinct. */
function demoTraceIds(state: ProgramState | null): number[] {
  const ids = Object.values(state?.predictors ?? {}).flatMap((p) => p.demos.flatMap((d) => (d.augmented && typeof d.sourceTraceId === 'number' ? [d.sourceTraceId] : [])));
  return [...new Set(ids)];
}

export function listCandidates(ctx: ApiContext, input: Parsed<typeof StageIdInput>): StageCandidates {
  const stage = ctx.store.stages.get(input.stageId);
  if (!stage) throw notFound(`stage ${input.stageId} does not exist`);
  const candidates = ctx.store.candidates.listForStage(stage.id).map((c): CandidateView => {
    const evaluation = c.evaluationId !== null ? ctx.store.evaluations.get(c.evaluationId) : undefined;
    const traceIds = demoTraceIds(c.programState);
    const demoChecks: CandidateView['demoChecks'] = {};
    for (const m of ctx.store.checkSummaries.forTraces(traceIds)) demoChecks[m.check] = { mean: m.mean, n: m.n, full: m.full };
    return {
      id: c.id,
      idx: c.idx,
      kind: c.kind,
      seed: c.seed,
      numDemos: c.numDemos,
      score: c.score,
      isBest: c.isBest,
      evaluationId: c.evaluationId,
      n: evaluation?.n ?? null,
      errors: evaluation?.errors ?? null,
      predictors: predictorsOf(c.programState, ctx.store.checkSummaries.valuesFor(traceIds)),
      demoChecks,
    };
  });
  return { stage: stageSummary(stage), candidates };
}
