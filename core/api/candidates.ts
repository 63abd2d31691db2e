// The random-search candidates of a prompt stage: how each was built, its validation score, the
// winner, and per predictor its instructions and demos — each bootstrapped demo with the trace it
// was taken from (`sourceTraceId`, open it with getTrace).

import type { Parsed, StageIdInput } from '../contract/schemas.ts';
import type { CandidateView, PredictorView, ProgramState, StageCandidates } from '../contract/views/index.ts';
import type { ApiContext } from './context.ts';
import { notFound } from './errors.ts';
import { stageSummary } from './views.ts';

export function predictorsOf(state: ProgramState | null): PredictorView[] {
  if (!state) return [];
  return Object.entries(state.predictors).map(([path, p]) => ({
    path,
    signature: p.signature,
    demos: p.demos.map((d) => ({ augmented: d.augmented, exampleId: d.exampleId, sourceTraceId: d.sourceTraceId ?? null, fields: d.fields })),
    model: p.lm?.model ?? null,
  }));
}

export function listCandidates(ctx: ApiContext, input: Parsed<typeof StageIdInput>): StageCandidates {
  const stage = ctx.store.stages.get(input.stageId);
  if (!stage) throw notFound(`stage ${input.stageId} does not exist`);
  const candidates = ctx.store.candidates.listForStage(stage.id).map((c): CandidateView => {
    const evaluation = c.evaluationId !== null ? ctx.store.evaluations.get(c.evaluationId) : undefined;
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
      predictors: predictorsOf(c.programState),
    };
  });
  return { stage: stageSummary(stage), candidates };
}
