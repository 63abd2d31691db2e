// A run's report as a file (Markdown, CSV, LaTeX, HTML or JSON): getRun's results, the setup
// (spec, the program's modules, Tandem's version), each strategy against zero-shot with its
// significance, and costs at the caller's prices. The workbench's Export button and
// `tandem report` both come here (through exportReport).

import type { Prices } from '../contract/cost.ts';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ExportReportInput, ExportReportPdfInput, ExportRunsReportInput, Parsed } from '../contract/schemas.ts';
import type { ExportedFile } from '../contract/views/index.ts';
import { PdfPrintError, printHtmlToPdf } from '../util/print-pdf.ts';
import { exportsDir } from './bundles.ts';
import type { Comparison } from '../contract/views/comparison.ts';
import type { RunDetail } from '../contract/views/runs.ts';
import { renderReport, type ReportFile, type ReportInput } from '../report/export.ts';
import { finetuneSummaries, flippedExamples, promptStageSummaries } from '../report/run-details.ts';
import { renderRunsReport } from '../report/runs-report.ts';
import { tandemVersion } from '../util/package-root.ts';
import { compareRuns, getComparison } from './comparison.ts';
import { ApiError, invalidInput, notFound } from './errors.ts';
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

/** A run's report input: results, setup, significance against zero-shot, stage details, costs at `prices`. */
function runReportInput(ctx: ApiContext, runs: Runs, runId: number, prices: Prices | null): { input: ReportInput; comparisonSplit: 'dev' | 'test' | null } {
  const detail = runs.get({ runId });
  const split = detail.results.splits.includes('test') ? 'test' : detail.results.splits[0];
  const comparisonSplit = split === 'dev' || split === 'test' ? split : null;
  const comparison: Comparison | null = comparisonSplit ? getComparison(ctx, runs, { runId, baseline: '', split: comparisonSplit }) : null;
  const root = ctx.store.stages.listForRun(runId).find((s) => s.prefix === '' && s.programState);
  const modules = root?.programState ? Object.keys(root.programState.predictors) : [];
  return {
    input: reportInput(detail, {
      prices,
      comparison,
      setup: { spec: detail.spec, modules, tandemVersion: tandemVersion() },
      promptStages: promptStageSummaries(ctx.store, runId),
      finetunes: finetuneSummaries(ctx.store, runId),
      flippedExamples: flippedExamples(ctx.store, comparison),
    }),
    comparisonSplit,
  };
}

export function exportRunReport(ctx: ApiContext, runs: Runs, input: Parsed<typeof ExportReportInput>): ReportFile {
  return renderReport(runReportInput(ctx, runs, input.runId, input.prices ?? null).input, input.format);
}

/** One report for an experiment's runs or a selection of runs; runs of one task are also compared with the first. */
export function exportRunsReport(ctx: ApiContext, runs: Runs, input: Parsed<typeof ExportRunsReportInput>): ReportFile {
  let runIds = input.runIds ?? [];
  let heading = `Tandem runs ${runIds.join(', ')}`;
  if (input.experimentId !== undefined) {
    const experiment = ctx.store.experiments.get(input.experimentId);
    if (!experiment) throw notFound(`experiment ${input.experimentId} does not exist`);
    runIds = ctx.store.runs.list({ experimentId: input.experimentId }).map((r) => r.id).sort((a, b) => a - b);
    if (runIds.length === 0) throw invalidInput('experimentId', `experiment ${input.experimentId} has no runs yet`);
    heading = `Tandem experiment ${experiment.id}: ${experiment.name}`;
  }
  const built = [...new Set(runIds)].map((runId) => {
    const model = runs.get({ runId }).run.lm.model;
    return runReportInput(ctx, runs, runId, (typeof model === 'string' ? input.prices?.[model] : undefined) ?? null);
  });
  const [first, ...others] = built;
  const across =
    first && first.comparisonSplit && others.every((o) => o.input.task === first.input.task)
      ? others.map((o) => compareRuns(ctx, runs, { runId: first.input.runId, otherRunId: o.input.runId, split: first.comparisonSplit! }))
      : [];
  return renderRunsReport({ heading, runs: built.map((b) => b.input), across }, input.format);
}

/** The report of one run, or of several as one, printed to PDF into the exports folder. */
export async function exportReportPdf(ctx: ApiContext, runs: Runs, input: Parsed<typeof ExportReportPdfInput>): Promise<ExportedFile> {
  const ids = [...new Set(input.runIds)];
  const html =
    ids.length === 1
      ? renderReport(runReportInput(ctx, runs, ids[0]!, pricesFor(runs, ids[0]!, input.prices)).input, 'html').text
      : exportRunsReport(ctx, runs, { runIds: ids, format: 'html', ...(input.prices ? { prices: input.prices } : {}) }).text;
  const filename = `report-${ids.join('-')}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.pdf`;
  const out = path.join(exportsDir(ctx), filename);
  mkdirSync(path.dirname(out), { recursive: true });
  try {
    await printHtmlToPdf(html, out, { env: ctx.env as NodeJS.ProcessEnv });
  } catch (error) {
    if (error instanceof PdfPrintError) throw new ApiError('config', error.message);
    throw error;
  }
  return { filename, bytes: statSync(out).size };
}

function pricesFor(runs: Runs, runId: number, prices: Record<string, Prices> | undefined): Prices | null {
  const model = runs.get({ runId }).run.lm.model;
  return (typeof model === 'string' ? prices?.[model] : undefined) ?? null;
}
