// Files other tools read: a finished stage's program as DSPy's saved-program JSON
// (report/dspy-state.ts), and an evaluation's traces — the trace list's filters applied — as
// OTLP/JSON spans with OpenInference attributes for Phoenix or Langfuse (report/openinference.ts).
// The workbench's Run and Traces views and `tandem export-dspy` / `tandem export-traces` come here.

import type { ReportFile } from '../contract/api.ts';
import type { ExportTracesInput, Parsed, StageIdInput } from '../contract/schemas.ts';
import type { StageRecord } from '../contract/views/runs.ts';
import { dspyJsonText } from '../report/dspy-state.ts';
import { otlpJsonText, type ExportedTrace } from '../report/openinference.ts';
import { tandemVersion } from '../util/package-root.ts';
import type { ApiContext } from './context.ts';
import { conflict, notFound } from './errors.ts';
import { pageExampleResults } from './example-results.ts';

/** A stage as a file-name part: `zero-shot`, `p`, `p-w-p`, with its seed. */
export function stageFileLabel(stage: Pick<StageRecord, 'prefix' | 'seed'>): string {
  const prefix = stage.prefix === '' ? 'zero-shot' : stage.prefix.replace(/\s*->\s*/g, '-').replace(/[^\w-]+/g, '_');
  return `${prefix}${stage.seed === null ? '' : `-seed${stage.seed}`}`;
}

export function exportDspyProgram(ctx: ApiContext, input: Parsed<typeof StageIdInput>): ReportFile {
  const stage = ctx.store.stages.get(input.stageId);
  if (!stage) throw notFound(`stage ${input.stageId} does not exist`);
  if (!stage.programState) throw conflict(`stage ${stage.id} has no saved program yet (it is ${stage.status}); only a finished stage's program can be exported`);
  return {
    filename: `tandem-run-${stage.runId}-${stageFileLabel(stage)}.dspy.json`,
    mimeType: 'application/json',
    text: dspyJsonText(stage.programState),
  };
}

const PAGE = 500;

export function exportTraces(ctx: ApiContext, input: Parsed<typeof ExportTracesInput>): ReportFile {
  const { limit, evaluationId, stageId, split, passed, failed, search } = input;
  const where = evaluationId !== undefined ? { evaluationId } : { stageId: stageId!, split: split! };
  const items: ExportedTrace[] = [];
  let cursor: string | undefined;
  let evaluationSplit = split ?? '';
  let evaluation: { id: number; runId: number; stageId: number | null } | null = null;
  do {
    const page = pageExampleResults(ctx, { ...where, passed, failed, search, sort: 'index', limit: Math.min(PAGE, limit - items.length), ...(cursor ? { cursor } : {}) });
    evaluation = page.evaluation;
    evaluationSplit = page.evaluation.split;
    for (const row of page.rows) {
      if (row.traceId === null) continue;
      const trace = ctx.store.traces.get(row.traceId);
      if (!trace) continue;
      items.push({ trace, result: { split: evaluationSplit, exampleIndex: row.exampleIndex, score: row.score, passed: row.passed } });
      if (items.length >= limit) break;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < limit);
  const run = ctx.store.runs.get(evaluation!.runId);
  const stage = evaluation!.stageId !== null ? ctx.store.stages.get(evaluation!.stageId) : undefined;
  const label = stage ? `-${stageFileLabel(stage)}` : '';
  return {
    filename: `tandem-run-${evaluation!.runId}${label}-${evaluationSplit}-eval${evaluation!.id}.otlp.json`,
    mimeType: 'application/json',
    text: otlpJsonText(items, {
      runId: evaluation!.runId,
      task: run?.task ?? 'program',
      stage: stage ? { id: stage.id, prefix: stage.prefix, seed: stage.seed ?? 0 } : null,
      tandemVersion: tandemVersion(),
    }),
  };
}
