// Renders run results for the terminal: the paper-style table (mean ± 95% CI over seeds, "—"
// where a weight step had nothing to train on) and a JSON summary for scripts.

import { reproducibility, type DeterminismReport } from '../runner/determinism-check.ts';
import type { RunOutcome } from '../runner/run-experiment.ts';
import type { Store } from '../store/index.ts';
import type { ResultCell, RunChecks } from '../contract/views/results.ts';
import { checkTable, sourceTable } from '../report/check-tables.ts';
import { duration, table } from './format.ts';

export function formatCell(cell: ResultCell | undefined): string {
  if (!cell) return '';
  if (cell.mean === null) return cell.noPassingTraces ? '—' : 'n/a';
  const ci = cell.ci95 !== null ? ` ± ${cell.ci95.toFixed(1)}` : '';
  const partial = cell.noPassingTraces ? ' (some seeds —)' : '';
  return `${cell.mean.toFixed(1)}${ci}${partial}`;
}

export function renderOutcome(outcome: RunOutcome, check: DeterminismReport | null = null): string {
  const { results, spec } = outcome;
  const rows = results.rows.map((r) => [r.label, ...results.splits.map((split) => formatCell(r.cells[split]))]);
  const c = outcome.lm;
  return [
    '',
    `run ${outcome.runId}  ${spec.task}  model ${outcome.model}  seeds ${spec.seeds.join(', ')}  (accuracy %, mean${spec.seeds.length > 1 ? ' ± 95% CI' : ''})`,
    table(['strategy', ...results.splits], rows, ['left', ...results.splits.map(() => 'right' as const)]),
    ...(results.checks ? ['', ...renderChecks(results.checks, results.splits)] : []),
    '',
    `LM calls ${c.calls} (${c.cacheHits} cached, ${c.retries} retried attempts, ${c.errors} failed, ${c.parseFallbacks} parse fallbacks) in ${duration(outcome.seconds)}`,
    reproducibility(spec, outcome.runId, check),
  ].join('\n');
}

/** The task's intermediate checks per strategy and split, and what each stage learned from (the report's tables). */
export function renderChecks(checks: RunChecks, splits: readonly string[]): string[] {
  const align = (head: string[]) => head.map((_, i) => (i === 0 ? 'left' : 'right') as 'left' | 'right');
  const t = checkTable(checks, splits, formatCell);
  const lines = [`intermediate checks (%, mean${rowsHaveSpread(checks) ? ' ± 95% CI' : ''}; \`tandem report\` describes each)`, table(t.head, t.rows, align(t.head))];
  if (checks.sources.length > 0) {
    const s = sourceTable(checks);
    lines.push('', 'what each stage learned from: passing traces, each check as mean % (traces at 100% / traces)', table(s.head, s.rows, align(s.head)));
  }
  return lines;
}

function rowsHaveSpread(checks: RunChecks): boolean {
  return checks.rows.some((r) => Object.values(r.cells).some((byCheck) => Object.values(byCheck).some((c) => c.ci95 !== null)));
}

export function jsonOutcome(outcome: RunOutcome, store: Store, check: DeterminismReport | null = null) {
  const { results, spec } = outcome;
  const means = (strategy: string) =>
    Object.fromEntries(results.splits.map((split) => [split, results.rows.find((r) => r.strategy === strategy)?.cells[split]?.mean ?? null]));
  const last = spec.strategies.at(-1) ?? '';
  return {
    runId: outcome.runId,
    experimentId: outcome.experimentId,
    task: spec.task,
    strategy: spec.strategies.join(', '),
    strategies: spec.strategies,
    seed: spec.seeds[0],
    seeds: spec.seeds,
    model: outcome.model,
    status: 'finished',
    /** Mean over seeds, in percent, of the zero-shot program and of the last strategy given. */
    baseline: means(''),
    final: means(last),
    table: results.rows,
    stages: store.stages.listForRun(outcome.runId).map((s) => ({
      stageId: s.id,
      seed: s.seed,
      kind: s.kind,
      prefix: s.prefix,
      status: s.status,
      scores: s.scores,
      ...(s.outcome ? { outcome: s.outcome } : {}),
      models: s.modelId ? s.modelId.split(',') : [],
    })),
    curves: results.curves,
    costs: results.costs,
    ...(results.checks ? { checks: results.checks } : {}),
    lmCalls: store.lmCalls.count({ runId: outcome.runId }),
    lm: outcome.lm,
    seconds: outcome.seconds,
    reproducibility: reproducibility(spec, outcome.runId, check),
    determinism: check,
  };
}
