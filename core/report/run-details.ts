// What a report says about how each stage got its result: the random search of every Π stage
// (candidates, their validation scores, the winner's demos), every fine-tune (rows, skipped,
// loss from first to last step, time), and the most telling flipped examples of the strategy that
// moved furthest from zero-shot (its regressions and improvements, with inputs, gold and both
// predictions).

import type { Comparison, StrategyFlips } from '../contract/views/comparison.ts';
import type { Store } from '../store/index.ts';

export interface PromptStageSummary {
  seed: number | null;
  prefix: string;
  candidates: number;
  /** Validation scores of the candidates, percent. */
  best: number | null;
  median: number | null;
  worst: number | null;
  bestKind: string | null;
  bestDemos: number | null;
}

export interface FinetuneSummary {
  seed: number | null;
  prefix: string;
  modules: string[];
  rows: number;
  trainRows: number | null;
  skipped: number;
  firstLoss: number | null;
  lastLoss: number | null;
  seconds: number | null;
  status: string;
}

export interface FlippedExample {
  strategy: string;
  kind: 'improvement' | 'regression';
  seed: number;
  exampleId: string | null;
  inputs: string;
  gold: string;
  baseline: string;
  prediction: string;
}

export function promptStageSummaries(store: Store, runId: number): PromptStageSummary[] {
  return store.stages
    .listForRun(runId)
    .filter((s) => s.kind === 'p')
    .map((stage) => {
      const candidates = store.candidates.listForStage(stage.id);
      const scores = candidates.flatMap((c) => (c.score === null ? [] : [100 * c.score])).sort((a, b) => a - b);
      const best = candidates.find((c) => c.isBest) ?? null;
      return {
        seed: stage.seed,
        prefix: stage.prefix,
        candidates: candidates.length,
        best: best?.score != null ? 100 * best.score : (scores.at(-1) ?? null),
        median: scores.length ? scores[Math.floor((scores.length - 1) / 2)]! : null,
        worst: scores[0] ?? null,
        bestKind: best?.kind ?? null,
        bestDemos: best?.numDemos ?? null,
      };
    });
}

export function finetuneSummaries(store: Store, runId: number): FinetuneSummary[] {
  const stages = new Map(store.stages.listForRun(runId).map((s) => [s.id, s]));
  return store.finetuneJobs.listForRun(runId).map((job) => {
    const stage = stages.get(job.stageId);
    return {
      seed: stage?.seed ?? null,
      prefix: stage?.prefix ?? '?',
      modules: job.predictors,
      rows: job.rows,
      trainRows: job.trainRows,
      skipped: Object.values(job.skipped ?? {}).reduce((a, b) => a + b, 0),
      firstLoss: job.losses?.[0]?.loss ?? null,
      lastLoss: job.losses?.at(-1)?.loss ?? null,
      seconds: job.seconds,
      status: job.status,
    };
  });
}

const SNIPPET = 160;
const compact = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat;
};

/** The strategy furthest from the baseline (significant ones first), and up to `perKind` of its regressions and improvements. */
export function flippedExamples(store: Store, comparison: Comparison | null | undefined, perKind = 3): FlippedExample[] {
  if (!comparison) return [];
  const ranked = comparison.flips
    .filter((f): f is StrategyFlips & { significance: NonNullable<StrategyFlips['significance']> } => f.significance !== null)
    .sort((a, b) => Number(b.significance.pHolm < 0.05) - Number(a.significance.pHolm < 0.05) || Math.abs(b.significance.difference) - Math.abs(a.significance.difference));
  const chosen = ranked[0];
  if (!chosen) return [];
  const out: FlippedExample[] = [];
  for (const kind of ['regression', 'improvement'] as const) {
    let taken = 0;
    for (const seed of chosen.seeds) {
      for (const example of kind === 'regression' ? seed.rightToWrongExamples : seed.wrongToRightExamples) {
        if (taken >= perKind) break;
        const base = example.baselineTraceId !== null ? store.traces.get(example.baselineTraceId) : undefined;
        const mine = example.traceId !== null ? store.traces.get(example.traceId) : undefined;
        const gold = example.traceId !== null ? (store.traces.exampleResult(example.traceId)?.labels ?? null) : null;
        // Predictions shown by the fields the gold has (the answer, not the reasoning before it).
        const answer = (prediction: Record<string, unknown> | null | undefined) =>
          prediction && gold && Object.keys(gold).some((k) => k in prediction) ? Object.fromEntries(Object.keys(gold).filter((k) => k in prediction).map((k) => [k, prediction[k]])) : prediction;
        out.push({
          strategy: chosen.label,
          kind,
          seed: seed.seed,
          exampleId: example.exampleId,
          inputs: compact(mine?.inputs ?? base?.inputs ?? null),
          gold: compact(gold ?? null),
          baseline: compact(answer(base?.prediction) ?? base?.error?.message ?? null),
          prediction: compact(answer(mine?.prediction) ?? mine?.error?.message ?? null),
        });
        taken++;
      }
    }
  }
  return out;
}
