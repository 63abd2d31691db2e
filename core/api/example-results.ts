// Pages of one evaluation's example results (what the trace list shows), for an evaluation given
// by id or as a stage's final evaluation on a split. The query itself is the store's
// (store/example-result-pages.ts).

import type { ExampleResultsPageInput, Parsed } from '../contract/schemas.ts';
import type { ExampleResultPage } from '../contract/views/index.ts';
import { StoreError, type EvaluationRecord } from '../store/index.ts';
import type { ApiContext } from './context.ts';
import { invalidInput, notFound } from './errors.ts';

export function pageExampleResults(ctx: ApiContext, input: Parsed<typeof ExampleResultsPageInput>): ExampleResultPage {
  const evaluation = resolveEvaluation(ctx, input);
  if (input.cursor !== undefined && input.offset !== undefined) throw invalidInput('offset', 'give either cursor or offset, not both');
  const { sort, limit, passed, failed, search, cursor, offset } = input;
  try {
    return { evaluation, ...ctx.store.exampleResultPages.page(evaluation.id, { sort, limit, passed, failed, search, cursor, offset }) };
  } catch (error) {
    if (error instanceof StoreError && error.code === 'invalid-cursor') throw invalidInput('cursor', error.message);
    throw error;
  }
}

function resolveEvaluation(ctx: ApiContext, input: Parsed<typeof ExampleResultsPageInput>): EvaluationRecord {
  if (input.evaluationId !== undefined) {
    const evaluation = ctx.store.evaluations.get(input.evaluationId);
    if (!evaluation) throw notFound(`evaluation ${input.evaluationId} does not exist`);
    return evaluation;
  }
  const stage = ctx.store.stages.get(input.stageId!);
  if (!stage) throw notFound(`stage ${input.stageId} does not exist`);
  const evaluation = ctx.store.evaluations
    .listForStage(stage.id)
    .filter((e) => e.candidateId === null && e.split === input.split)
    .at(-1);
  if (!evaluation) throw notFound(`stage ${stage.id} has no evaluation on ${input.split} (yet)`);
  return evaluation;
}
