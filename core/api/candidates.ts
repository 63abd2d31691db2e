// The random-search candidates of a prompt stage: how each was built, its validation score, the
// winner, and per predictor its instructions and demos — each bootstrapped demo with the trace it
// was taken from (`sourceTraceId`, open it with getTrace).

import type { FieldValue } from '../program/example.ts';
import type { SignatureSpec } from '../program/signature.ts';
import type { ProgramState } from '../program/state.ts';
import type { CandidateKind } from '../store/index.ts';
import type { ApiContext } from './context.ts';
import { notFound } from './errors.ts';
import type { Parsed, StageIdInput } from './schemas.ts';
import { stageSummary, type StageSummary } from './views.ts';

export interface DemoView {
  /** True when bootstrapped from the program's own passing trace, false for a labeled example. */
  augmented: boolean;
  exampleId: string | null;
  /** The stored trace an augmented demo was taken from; null for labeled demos. */
  sourceTraceId: number | null;
  fields: Record<string, FieldValue>;
}

export interface PredictorView {
  /** Stable path of the predictor in its program. */
  path: string;
  signature: SignatureSpec;
  demos: DemoView[];
  /** The model the predictor is bound to; null: the run's default model. */
  model: string | null;
}

export interface CandidateView {
  id: number;
  idx: number;
  kind: CandidateKind;
  seed: number;
  numDemos: number;
  /** Mean validation score, 0..1 (null before its evaluation was saved). */
  score: number | null;
  isBest: boolean;
  evaluationId: number | null;
  /** Validation examples and failed ones. */
  n: number | null;
  errors: number | null;
  predictors: PredictorView[];
}

export interface StageCandidates {
  stage: StageSummary;
  candidates: CandidateView[];
}

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
