// A run's report as a file (Markdown, CSV, LaTeX, HTML or JSON): getRun's results, the setup
// (spec, the program's modules, Tandem's version), each strategy against zero-shot with its
// significance, and costs at the caller's prices. The workbench's Export button and
// `tandem report` both come here (through exportReport).

import type { Prices } from '../contract/cost.ts';
import type { ExportReportInput, Parsed } from '../contract/schemas.ts';
import type { Comparison } from '../contract/views/comparison.ts';
import type { RunDetail } from '../contract/views/runs.ts';
import { renderReport, type ReportFile, type ReportInput } from '../report/export.ts';
import { finetuneSummaries, flippedExamples, promptStageSummaries } from '../report/run-details.ts';
import { tandemVersion } from '../util/package-root.ts';
import { getComparison } from './comparison.ts';
import type { ApiContext } from './context.ts';
import type { Runs } from './runs.ts';

export function reportInput(detail: RunDetail, extras: Pick<ReportInput, 'prices' | 'setup' | 'comparison' | 'promptStages' | 'finetunes' | 'flippedExamples'> = {}): ReportInput {
  const { run, spec, results, lm } = detail;
  const model = typeof run.lm.model === 'string' ? run.lm.model : String(run.lm.model ?? 'unknown model');
  return {
    runId: run.id,
    task: run.task,
    model,
    strategies: spec?.strategies ?? run.strategy.split(', '),
    seeds: results.seeds,
    status: run.status,
    createdAt: run.createdAt,
    results,
    lm: { calls: lm.calls, cacheHits: lm.cached, promptTokens: lm.promptTokens, completionTokens: lm.completionTokens },
    ...extras,
  };
}

export function exportRunReport(ctx: ApiContext, runs: Runs, input: Parsed<typeof ExportReportInput>): ReportFile {
  const detail = runs.get({ runId: input.runId });
  const split = detail.results.splits.includes('test') ? 'test' : detail.results.splits[0];
  let comparison: Comparison | null = null;
  if (split === 'dev' || split === 'test') comparison = getComparison(ctx, runs, { runId: input.runId, baseline: '', split });
  const root = ctx.store.stages.listForRun(input.runId).find((s) => s.prefix === '' && s.programState);
  const modules = root?.programState ? Object.keys(root.programState.predictors) : [];
  const prices: Prices | null = input.prices ?? null;
  return renderReport(
    reportInput(detail, {
      prices,
      comparison,
      setup: { spec: detail.spec, modules, tandemVersion: tandemVersion() },
      promptStages: promptStageSummaries(ctx.store, input.runId),
      finetunes: finetuneSummaries(ctx.store, input.runId),
      flippedExamples: flippedExamples(ctx.store, comparison),
    }),
    input.format,
  );
}
