// The flipped examples of the selected strategies as one flat, sortable list (one item per
// example, strategy and seed), and the text of a trace's prediction for the word diff.
import type { FlipExample, TraceDetail } from '../../api/types.ts';
import type { FlipKindFilter, FlipSort } from './compare-params.ts';
import type { RunComparison } from './use-comparisons.ts';

export interface FlipItem {
  key: string;
  runId: number;
  strategy: string;
  label: string;
  seed: number;
  /** regression: right under the baseline, wrong under the strategy. */
  kind: 'regression' | 'improvement';
  example: FlipExample;
}

export function flipKey(runId: number, strategy: string, seed: number, ex: FlipExample): string {
  return `${runId}|${strategy}|${seed}|${ex.exampleId ?? `#${ex.exampleIndex}`}`;
}

export function collectFlips(runs: RunComparison[], selected: (strategy: string) => boolean): FlipItem[] {
  const items: FlipItem[] = [];
  for (const { runId, comparison } of runs) {
    for (const f of comparison?.flips ?? []) {
      if (!selected(f.strategy)) continue;
      for (const s of f.seeds) {
        const add = (kind: FlipItem['kind'], ex: FlipExample) =>
          items.push({ key: flipKey(runId, f.strategy, s.seed, ex), runId, strategy: f.strategy, label: f.label, seed: s.seed, kind, example: ex });
        s.rightToWrongExamples.forEach((ex) => add('regression', ex));
        s.wrongToRightExamples.forEach((ex) => add('improvement', ex));
      }
    }
  }
  return items;
}

export function filterFlips(items: FlipItem[], kind: FlipKindFilter, strategy: string | null): FlipItem[] {
  return items.filter(
    (i) => (kind === 'all' || (kind === 'regressions') === (i.kind === 'regression')) && (strategy === null || i.strategy === strategy),
  );
}

export function sortFlips(items: FlipItem[], sort: FlipSort): FlipItem[] {
  const byIndex = (a: FlipItem, b: FlipItem) => a.example.exampleIndex - b.example.exampleIndex || a.runId - b.runId || a.strategy.localeCompare(b.strategy) || a.seed - b.seed;
  const kindRank = (i: FlipItem) => (i.kind === 'regression' ? 0 : 1);
  const cmp: Record<FlipSort, (a: FlipItem, b: FlipItem) => number> = {
    regressions: (a, b) => kindRank(a) - kindRank(b) || byIndex(a, b),
    improvements: (a, b) => kindRank(b) - kindRank(a) || byIndex(a, b),
    index: byIndex,
    strategy: (a, b) => a.runId - b.runId || a.strategy.localeCompare(b.strategy) || kindRank(a) - kindRank(b) || byIndex(a, b),
  };
  return [...items].sort(cmp[sort]);
}

/** `field: value` per output field, or the error that left the program without a prediction. */
export function predictionText(detail: TraceDetail | null | undefined): string {
  if (!detail) return '';
  const { prediction, error } = detail.trace;
  if (!prediction) return error ? `(no prediction — ${error.kind}: ${error.message})` : '(no prediction)';
  const entries = Object.entries(prediction);
  if (entries.length === 1) return entries[0]![1];
  return entries.map(([k, v]) => `${k}: ${v}`).join('\n');
}

/** A one-line summary of the example's inputs (for the row header). */
export function inputsSummary(detail: TraceDetail | null | undefined, max = 180): string {
  if (!detail) return '';
  const text = Object.entries(detail.trace.inputs)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' · ') : String(v)}`)
    .join('  ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
