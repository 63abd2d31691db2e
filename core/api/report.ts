// A run's report as a file (Markdown, CSV, LaTeX, HTML or JSON) from what getRun returns: the
// workbench's Export button and `tandem report` both come here.

import type { Prices } from '../contract/cost.ts';
import { renderReport, type ReportFile, type ReportInput } from '../report/export.ts';
import type { RunDetail } from '../contract/views/runs.ts';

export function reportInput(detail: RunDetail, prices: Prices | null = null): ReportInput {
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
    prices,
  };
}

export function exportRunReport(detail: RunDetail, format: Parameters<typeof renderReport>[1], prices: Prices | null = null): ReportFile {
  return renderReport(reportInput(detail, prices), format);
}
