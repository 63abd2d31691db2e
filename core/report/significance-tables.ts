// The significance table of reports: each strategy against zero-shot on the run's main split —
// difference with its paired bootstrap CI, exact McNemar p, Holm's p — and the plain sentences.

import type { Comparison } from '../contract/views/comparison.ts';
import { formatP, signedPoints as points } from '../contract/significance-format.ts';

export interface SignificanceTable {
  split: string;
  baseline: string;
  head: string[];
  rows: string[][];
  sentences: string[];
  /** Strategies whose Holm-adjusted p is below 0.05 (the LaTeX table marks them). */
  significant: Set<string>;
  note: string;
}


export function significanceTable(comparison: Comparison | null | undefined): SignificanceTable | null {
  if (!comparison || comparison.flips.length === 0) return null;
  const baseline = comparison.table.find((r) => r.strategy === comparison.baseline)?.label ?? comparison.baseline;
  const rows = comparison.flips.map((f) => {
    const s = f.significance;
    return s
      ? [f.label, points(s.difference), `${points(s.low)} to ${points(s.high)}`, `${f.counts.rightToWrong} / ${f.counts.wrongToRight}`, formatP(s.p), formatP(s.pHolm)]
      : [f.label, 'n/a', '', '', '', ''];
  });
  const tested = comparison.flips.filter((f) => f.significance);
  return {
    split: comparison.split,
    baseline,
    head: ['strategy', 'difference (points)', '95% CI', 'R→W / W→R', 'p', 'Holm p'],
    rows,
    sentences: tested.map((f) => f.significance!.sentence),
    significant: new Set(tested.filter((f) => f.significance!.pHolm < 0.05).map((f) => f.strategy)),
    note: `Against ${baseline} on ${comparison.split}, paired over the same examples and seeds. 95% CI: bootstrap of the difference (${tested[0]?.significance?.iterations ?? 0} resamples, seeded) drawing seeds and, within each, examples. p: exact McNemar on the examples that flip (R→W, W→R) pooled over seeds; Holm: adjusted over the ${tested.length} strategies compared.`,
  };
}
