// Where a stage leads, decided by what the stage has rather than by its step's token: a stage that
// searched over candidates opens them, a step whose kind trains weights opens its fine-tune job,
// any other stage its traces.
import type { StageSummary, StepInfo, ValidationPoint } from '../../api/types.ts';
import { hrefFor } from '../../app/router.ts';
import { needsFinetuner } from '../../app/step-kinds.ts';
import type { RunLive } from './live-store.ts';

/** Stages with candidates: recorded ones (their validation curves) and running ones searching now. */
export function stagesWithCandidates(validation: readonly ValidationPoint[] | undefined, live: RunLive | null): Set<number> {
  const ids = new Set((validation ?? []).map((v) => v.stageId));
  for (const s of live?.stages.values() ?? []) if (s.candidates) ids.add(s.stageId);
  return ids;
}

export function stageHref(runId: number, stage: Pick<StageSummary, 'id' | 'kind'>, withCandidates: ReadonlySet<number>, kinds: readonly StepInfo[]): string {
  if (withCandidates.has(stage.id)) return hrefFor('candidates', { runId, itemId: stage.id });
  if (needsFinetuner(stage.kind, kinds)) return hrefFor('finetune', { runId, params: { stage: stage.id } });
  return hrefFor('traces', { runId, params: { stage: stage.id } });
}
