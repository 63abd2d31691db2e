// A run's intermediate checks as tables show them: per strategy, split and check, the mean over
// seeds with its 95% CI (each seed's value is the stage's mean over its examples, in percent),
// and per stage the quality of the traces it learned from (its demos, or its training rows).

import { BASELINE_LABEL, type Strategy } from '../contract/strategy.ts';
import type { CheckInfo, CheckRow, ResultCell, RunChecks, SourceQuality } from '../contract/views/index.ts';
import type { CheckMean, StageRecord, Store } from '../store/index.ts';
import type { StageIndex } from './stage-index.ts';
import { meanCI } from './statistics.ts';

export function runChecks(
  store: Store,
  runId: number,
  definitions: readonly CheckInfo[],
  strategies: readonly Strategy[],
  index: StageIndex,
  stages: readonly StageRecord[],
  seeds: readonly number[],
  splits: readonly string[],
): RunChecks {
  const byStageSplit = new Map<string, Map<string, number | null>>();
  for (const row of store.checkSummaries.forRunEvaluations(runId)) {
    const key = `${row.stageId}|${row.split}`;
    const values = byStageSplit.get(key) ?? new Map<string, number | null>();
    values.set(row.check, row.mean === null ? null : Math.round(row.mean * 1000) / 10);
    byStageSplit.set(key, values);
  }
  const rows: CheckRow[] = strategies.map((strategy) => {
    const cells: Record<string, Record<string, ResultCell>> = {};
    for (const split of splits) {
      cells[split] = {};
      for (const check of definitions) {
        const values = seeds.map((seed) => {
          const stage = index.get(seed, strategy.key);
          if (stage?.status !== 'finished') return null;
          return byStageSplit.get(`${stage.id}|${split}`)?.get(check.name) ?? null;
        });
        const stats = meanCI(values.filter((v): v is number => v !== null));
        cells[split]![check.name] = { mean: stats?.mean ?? null, ci95: stats?.ci95 ?? null, values, noPassingTraces: false };
      }
    }
    return { strategy: strategy.key, label: strategy.key === '' ? BASELINE_LABEL : strategy.key, cells };
  });
  return { definitions: [...definitions], rows, sources: sourceQualities(store, runId, stages) };
}

function sourceQualities(store: Store, runId: number, stages: readonly StageRecord[]): SourceQuality[] {
  const out: SourceQuality[] = [];
  const jobs = store.finetuneJobs.listForRun(runId);
  const byId = new Map(stages.map((s) => [s.id, s]));
  for (const stage of stages) {
    if (stage.status !== 'finished' || stage.prefix === '') continue;
    const demoTraces = demoTraceIds(stage);
    // Demos a stage kept from its parent (a weight step keeps the prompts it started from) are
    // the parent's; a stage learned from demos only when they changed.
    const parent = stage.parentStageId === null ? undefined : byId.get(stage.parentStageId);
    const inherited = parent !== undefined && sameIds(demoTraces, demoTraceIds(parent));
    const base = { stageId: stage.id, seed: stage.seed, prefix: stage.prefix, kind: stage.kind };
    if (demoTraces.length > 0 && !inherited) out.push({ ...base, source: 'demos', ...measured(store.checkSummaries.forTraces(demoTraces)) });
    const trainingTraces = jobs.filter((j) => j.stageId === stage.id && j.status === 'finished').flatMap((j) => j.sourceTraceIds ?? []);
    if (trainingTraces.length > 0) out.push({ ...base, source: 'training', ...measured(store.checkSummaries.forTraces([...new Set(trainingTraces)])) });
  }
  return out;
}

/** The distinct traces a stage's bootstrapped demos came from, ascending. */
function demoTraceIds(stage: StageRecord): number[] {
  const ids = Object.values(stage.programState?.predictors ?? {}).flatMap((p) =>
    p.demos.flatMap((d) => (d.augmented && typeof d.sourceTraceId === 'number' ? [d.sourceTraceId] : [])),
  );
  return [...new Set(ids)].sort((a, b) => a - b);
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function measured(means: readonly CheckMean[]): Pick<SourceQuality, 'traces' | 'checks'> {
  const checks: SourceQuality['checks'] = {};
  for (const m of means) checks[m.check] = { mean: m.mean, n: m.n, full: m.full };
  return { traces: Math.max(0, ...means.map((m) => m.n)), checks };
}
